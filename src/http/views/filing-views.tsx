/**
 * Views of 届出 (4.1.2, 4.5.1): the printable 届出 with what it says (for an acquisition: URL,
 * handle, creation date, login e-mail/phone and their owner, credential holders, two-factor
 * status; for a change or closure: what changes, when, why), its rounds with who sent and who
 * confirmed or asked, the director's confirm/question form, the manager's answer form, and the
 * table of 届出 for the directors' list. Pure presentation.
 */
import type { FC } from "hono/jsx";
import type { FilingPage } from "../../app/filings/read.ts";
import type { FilingView } from "../../db/repos/filings.ts";
import { clauseRef } from "../../domain/clauses.ts";
import { formatDateTime } from "../../domain/dates.ts";
import {
  type AcquisitionContent,
  type FilingStatus,
  filingKindInfo,
  filingStatusLabels,
  filingTitle,
  type NoticeFilingContent,
  toNoticeFilingContent,
} from "../../domain/filings.ts";
import { effectiveDateLabel, noticeKindLabels } from "../../domain/notices.ts";
import { platformLabel } from "../../guideline/pack.ts";
import { Badge, Csrf, ErrorSummary, type FormState, TextArea } from "./components.tsx";
import { DateTime, DocumentDate } from "./dates.tsx";
import { DocumentSheet, RouteTable, Row } from "./document-views.tsx";

const statusTone: Record<FilingStatus, "ok" | "warn" | "error" | "muted"> = {
  sent: "warn",
  confirmed: "ok",
  questioned: "error",
  superseded: "muted",
  withdrawn: "muted",
};

/** The status of a filing round as a badge. */
export const FilingStatusBadge: FC<{ status: FilingStatus }> = ({ status }) => (
  <Badge tone={statusTone[status]}>{filingStatusLabels[status]}</Badge>
);

const people = (list: Array<{ name: string }>) => (list.length ? list.map((p) => p.name).join("、") : "—");

const AcquisitionTable: FC<{ c: AcquisitionContent }> = ({ c }) => (
  <table class="document-table">
    <caption>届け出る事項</caption>
    <tbody>
      <Row term="ソーシャルメディア">{c.platform ? platformLabel(c.platform) : "—"}</Row>
      <Row term="アカウント名">
        {c.name || "—"}
        {c.alias ? `（通称: ${c.alias}）` : ""}
      </Row>
      <Row term="ユーザー名（ハンドル）">
        <span class="mono">{c.handle || "—"}</span>
      </Row>
      <Row term="アカウントのURL">
        <span class="mono">{c.url || "—"}</span>
      </Row>
      <Row term="アカウントの作成日">
        {c.platformCreatedOn ? <DocumentDate value={c.platformCreatedOn} /> : "—"}
      </Row>
      <Row term="所管課・課等の長（アカウント管理者）">
        {c.divisionName || "—"} {c.managerName}
      </Row>
      <Row term="ログイン用メールアドレス">
        <span class="mono">{c.loginEmail || "—"}</span>
      </Row>
      <Row term="ログイン用電話番号">
        <span class="mono">{c.loginPhone || "—"}</span>
      </Row>
      <Row term="メールアドレス・電話番号の所有者">{c.loginOwner || "—"}</Row>
      <Row term="ID・パスワードを扱う職員（第4-3(1)）">{people(c.holders)}</Row>
      <Row term="運用に携わる職員（第4-1(3)）">{people(c.operators)}</Row>
      <Row term="二段階認証（第4-3(3)）">
        {c.mfaEnabled ? "設定済み" : "未設定"}
        {c.twoFactorPlan ? `（${c.twoFactorPlan}）` : ""}
      </Row>
      <Row term="所管サイトのURL">
        <span class="mono">{c.homepageUrl || "—"}</span>
      </Row>
      {c.origin === "existing" ? <Row term="登録の経緯">既存アカウントとして登録</Row> : null}
    </tbody>
  </table>
);

const NoticeTable: FC<{ c: NoticeFilingContent }> = ({ c }) => (
  <table class="document-table">
    <caption>届け出る事項</caption>
    <tbody>
      <Row term="種類">{noticeKindLabels[c.noticeKind]}</Row>
      <Row term="アカウント">
        {c.accountName}（{c.platform ? platformLabel(c.platform) : "—"}）
      </Row>
      <Row term="アカウントのURL">
        <span class="mono">{c.url || "—"}</span>
      </Row>
      <Row term={effectiveDateLabel(c.noticeKind)}>
        {c.effectiveDate ? <DocumentDate value={c.effectiveDate} /> : "—"}
      </Row>
      <Row term="周知日（市ホームページ・アカウント）">
        {c.announcementDate ? <DocumentDate value={c.announcementDate} /> : "未設定"}
      </Row>
      {c.noticeKind === "change" ? (
        <Row term="変更の内容">
          {c.changes.length ? (
            <ul>
              {c.changes.map((x) => (
                <li>
                  {x.label}: {x.value}
                </li>
              ))}
            </ul>
          ) : (
            "—"
          )}
        </Row>
      ) : null}
      <Row term="理由">{c.reason || "—"}</Row>
    </tbody>
  </table>
);

/** The printable 届出 with its rounds. */
export const FilingDocument: FC<{ page: FilingPage; cityName: string }> = ({ page, cityName }) => {
  const f = page.filing;
  const info = filingKindInfo[f.kind];
  const title = filingTitle(f.kind, page.notice?.content.noticeKind);
  return (
    <DocumentSheet
      id="filing-title"
      title={title}
      cityName={cityName}
      addressee={`${info.recipientLabel} 様`}
      from={`${f.divisionName} 課等の長（アカウント管理者）`}
      dated={f.sentAt}
      current={page.documents[0] ?? null}
    >
      <p>
        {f.kind === "acquisition"
          ? `ソーシャルメディアの公式アカウントを取得しましたので、ソーシャルメディア運用ガイドライン${clauseRef("4.1.2")}の規定により、次のとおり届け出ます。`
          : f.kind === "notice_policy"
            ? `公式アカウントの${noticeKindLabels[page.notice?.content.noticeKind ?? "change"]}を周知するにあたり、ソーシャルメディア運用ガイドライン${clauseRef("4.5.1")}の規定により、次のとおり届け出ます。`
            : `公式アカウントの${noticeKindLabels[page.notice?.content.noticeKind ?? "change"]}を周知しましたので、ソーシャルメディア運用ガイドライン${clauseRef("4.5.1")}の規定により、次のとおり届け出ます。`}
      </p>
      {page.acquisition ? <AcquisitionTable c={page.acquisition} /> : null}
      {page.notice ? <NoticeTable c={page.notice.content} /> : null}
      {f.message ? (
        <p>
          <strong>{f.round > 1 ? "質問への回答・補足" : "補足"}:</strong> {f.message}
        </p>
      ) : null}
      {f.question ? (
        <p>
          <strong>{info.recipientLabel}からの質問:</strong> {f.question}
        </p>
      ) : null}
      <RouteTable
        caption="届出の経過"
        steps={[
          { label: `送付（第${f.round}回）`, name: f.sentByName, on: f.sentAt },
          ...(f.questionedAt
            ? [
                {
                  label: `${info.recipientLabel}からの質問`,
                  name: f.questionedByName,
                  on: f.questionedAt,
                },
              ]
            : []),
          { label: `${info.recipientLabel}の確認`, name: f.confirmedByName, on: f.confirmedAt },
        ]}
      />
    </DocumentSheet>
  );
};

/** Every round of the filing: who sent, who confirmed or asked, when. */
export const RoundsTable: FC<{ rounds: FilingView[]; current: number }> = ({ rounds, current }) => (
  <div class="table-wrap">
    <table>
      <caption>この届出の経過（新しい順）</caption>
      <thead>
        <tr>
          <th scope="col">回</th>
          <th scope="col">送付</th>
          <th scope="col">状態</th>
          <th scope="col">確認・質問</th>
        </tr>
      </thead>
      <tbody>
        {rounds.map((r) => (
          <tr>
            <td>
              {r.id === current ? (
                <span aria-current="page">第{r.round}回（表示中）</span>
              ) : (
                <a href={`/filings/${r.id}`}>第{r.round}回</a>
              )}
            </td>
            <td>
              <DateTime at={r.sentAt} /> {r.sentByName ?? ""}
              {r.message ? <p>コメント・回答: {r.message}</p> : null}
            </td>
            <td>
              <FilingStatusBadge status={r.status} />
            </td>
            <td>
              {r.confirmedAt ? `確認 ${formatDateTime(r.confirmedAt)} ${r.confirmedByName ?? ""}` : null}
              {r.questionedAt ? (
                <p>
                  質問 <DateTime at={r.questionedAt} /> {r.questionedByName ?? ""}: {r.question}
                </p>
              ) : null}
              {!r.confirmedAt && !r.questionedAt ? "—" : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  </div>
);

/** The director's forms: confirm, or ask a question. */
export const DecisionForms: FC<{ filing: FilingView; csrf: string; state?: FormState | undefined }> = ({
  filing,
  csrf,
  state,
}) => (
  <section class="screen-only" aria-labelledby="decide-title">
    <h2 id="decide-title">{filingKindInfo[filing.kind].recipientLabel}の確認</h2>
    <p>
      内容を確認したら「確認しました」を押してください。分からない点があるときは、質問を送ると課等の長（アカウント管理者）に戻ります。
    </p>
    <ErrorSummary state={state} />
    <form method="post" action={`/filings/${filing.id}/confirm`}>
      <Csrf token={csrf} />
      <div class="actions">
        <button type="submit">確認しました</button>
      </div>
    </form>
    <form method="post" action={`/filings/${filing.id}/question`} class="stack" novalidate>
      <Csrf token={csrf} />
      <TextArea name="question" label="質問" rows={3} state={state} required />
      <div class="actions">
        <button type="submit" class="secondary">
          質問を送る
        </button>
      </div>
    </form>
  </section>
);

/** The manager's answer to a question, sent with the next round. */
export const AnswerForm: FC<{ filing: FilingView; csrf: string; state?: FormState | undefined }> = ({
  filing,
  csrf,
  state,
}) => (
  <section class="screen-only" aria-labelledby="answer-title">
    <h2 id="answer-title">質問への回答と再送</h2>
    <div class="notice notice-warning">
      <p>
        {filingKindInfo[filing.kind].recipientLabel}からの質問（
        {filing.questionedAt ? <DateTime at={filing.questionedAt} /> : ""}
        ）: {filing.question}
      </p>
    </div>
    <p>
      {filing.kind === "acquisition"
        ? "登録内容に誤りがあれば、先にアカウントの概要ページで登録を修正してください。回答を送ると、今の登録内容で届出を再送します。"
        : "回答を送ると、今の内容で届出を再送します。"}
    </p>
    <ErrorSummary state={state} />
    <form method="post" action={`/filings/${filing.id}/answer`} class="stack" novalidate>
      <Csrf token={csrf} />
      <TextArea name="message" label="回答" rows={4} state={state} required />
      <div class="actions">
        <button type="submit">回答して届出を再送する</button>
      </div>
    </form>
  </section>
);

/** The list of 届出 (directors, auditors, managers). */
export const FilingList: FC<{ filings: FilingView[]; caption: string }> = ({ filings, caption }) => (
  <div class="table-wrap">
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">届出</th>
          <th scope="col">アカウント</th>
          <th scope="col">宛先</th>
          <th scope="col">送付</th>
          <th scope="col">状態</th>
          <th scope="col">確認</th>
        </tr>
      </thead>
      <tbody>
        {filings.map((f) => (
          <tr>
            <td>
              <a href={`/filings/${f.id}`}>
                {filingTitle(
                  f.kind,
                  f.kind === "acquisition" ? undefined : toNoticeFilingContent(f.content).noticeKind,
                )}
                {f.round > 1 ? `（第${f.round}回）` : ""}
              </a>
            </td>
            <td>
              {f.accountName}（{platformLabel(f.accountPlatform)}）<br />
              <span class="hint">{f.divisionName}</span>
            </td>
            <td>{filingKindInfo[f.kind].recipientLabel}</td>
            <td>
              <DateTime at={f.sentAt} />
              <br />
              {f.sentByName ?? "—"}
            </td>
            <td>
              <FilingStatusBadge status={f.status} />
            </td>
            <td>
              {f.confirmedAt ? (
                <>
                  <DateTime at={f.confirmedAt} />
                  <br />
                  {f.confirmedByName ?? "—"}
                </>
              ) : f.questionedAt ? (
                `質問 ${formatDateTime(f.questionedAt)}`
              ) : (
                "—"
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  </div>
);
