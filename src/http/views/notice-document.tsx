/**
 * The change or closure request as a printable document (4.5): what changes, when and why, and
 * the route — 申請, the 届出 to the 総合政策部長 and its confirmation (4.5.1), the announcement on
 * the home page and on the account (4.5.2), the 届出 to the 情報統括管理者 and its confirmation —
 * each with its date in 和暦. Pure presentation.
 */
import type { FC } from "hono/jsx";
import type { DocumentRecord } from "../../db/repos/documents.ts";
import type { FilingView } from "../../db/repos/filings.ts";
import type { NoticeView } from "../../db/repos/notices.ts";
import { clauseRef } from "../../domain/clauses.ts";
import { effectiveDateLabel, noticeKindLabels } from "../../domain/notices.ts";
import { platformLabel } from "../../guideline/pack.ts";
import { DocumentDate } from "./dates.tsx";
import { DocumentSheet, RouteTable, Row } from "./document-views.tsx";
import { DetailsList } from "./notice-views.tsx";

export const NoticeDocumentView: FC<{
  notice: NoticeView;
  filings: FilingView[];
  documents: DocumentRecord[];
  cityName: string;
}> = ({ notice: n, filings, documents, cityName }) => {
  const what = noticeKindLabels[n.kind];
  const latest = (kind: FilingView["kind"]) => filings.find((f) => f.kind === kind);
  const firstSent = (kind: FilingView["kind"]) => filings.filter((f) => f.kind === kind).at(-1);
  const policy = latest("notice_policy");
  const security = latest("notice_security");
  return (
    <DocumentSheet
      id="notice-document-title"
      title={`ソーシャルメディア公式アカウントの${what}について（伺い）`}
      cityName={cityName}
      from={`${n.departmentName} ${n.divisionName}${n.requestedByName ? ` 課等の長（アカウント管理者） ${n.requestedByName}` : ""}`}
      dated={n.requestedAt}
      current={documents[0] ?? null}
    >
      <p>
        ソーシャルメディア運用ガイドライン{clauseRef("4.5.1")}及び{clauseRef("4.5.2")}
        の規定により、次のとおり公式アカウントを{what}したいので伺います。
      </p>
      <table class="document-table">
        <caption>申請の内容</caption>
        <tbody>
          <Row term="アカウント">
            {n.accountName}（{platformLabel(n.accountPlatform)}）
          </Row>
          <Row term="アカウントのURL">
            <span class="mono">{n.accountUrl || "—"}</span>
          </Row>
          <Row term="種類">{what}</Row>
          <Row term={effectiveDateLabel(n.kind)}>
            <DocumentDate value={n.effectiveDate} />
          </Row>
          {n.kind === "change" ? (
            <Row term="変更の内容">
              <DetailsList details={n.details} />
            </Row>
          ) : null}
          <Row term="理由">{n.reason || "—"}</Row>
          <Row term="周知日">
            {n.announcementDate ? <DocumentDate value={n.announcementDate} /> : "未設定"}
          </Row>
          <Row term="市ホームページへの掲載">
            {n.announcementDate && n.displayUntil ? (
              <>
                <DocumentDate value={n.announcementDate} />
                から
                <DocumentDate value={n.displayUntil} />
                まで
              </>
            ) : (
              "周知日の設定後に決まります"
            )}
          </Row>
          <Row term="アカウントでの告知投稿">
            <span class="mono">{n.snsPublishedUrl ?? "未発信"}</span>
          </Row>
          <Row term="告知投稿の文案">
            <span class="pre">{n.announcementText || "—"}</span>
          </Row>
        </tbody>
      </table>
      <RouteTable
        caption="手続きの経過"
        steps={[
          { label: "申請", name: n.requestedByName, on: n.requestedAt },
          {
            label: "総合政策部長への届出",
            name: firstSent("notice_policy")?.sentByName ?? null,
            on: firstSent("notice_policy")?.sentAt ?? null,
          },
          {
            label: "総合政策部長の確認",
            name: policy?.confirmedByName ?? null,
            on: policy?.confirmedAt ?? null,
          },
          {
            label: "市ホームページでの周知",
            name: null,
            on: n.announcedAt,
            note: n.announcedAt ? "自動掲載" : undefined,
          },
          {
            label: "アカウントでの周知",
            name: null,
            on: n.snsPublishedAt,
          },
          {
            label: "情報統括管理者への届出",
            name: firstSent("notice_security")?.sentByName ?? null,
            on: firstSent("notice_security")?.sentAt ?? null,
          },
          {
            label: "情報統括管理者の確認",
            name: security?.confirmedByName ?? null,
            on: security?.confirmedAt ?? null,
          },
          {
            label: `${what}の実施`,
            name: null,
            on: n.effectiveAt,
            note: n.effectiveAt ? "自動反映" : undefined,
          },
        ]}
      />
    </DocumentSheet>
  );
};
