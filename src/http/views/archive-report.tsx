/**
 * The printable report for an information-disclosure request (情報公開請求): a cover with who made
 * it, when and for which conditions, then one section per post, each starting on a new printed
 * page (`.report-post`, see app.css), with everything recorded about it: text, images' alt text
 * and rights, every version with its findings, the approval trail, the post-hoc
 * acknowledgement, the publishing record, deletion, the erroneous marking and corrections.
 */
import type { Child, FC } from "hono/jsx";
import type { ArchiveReport, ReportPost, ReportVersion } from "../../app/posts/archive-export.ts";
import {
  approvalRuleLabels,
  categoryLabel,
  decisionLabels,
  imageRightsLabels,
  kindLabels,
  severityLabels,
  statusLabel,
} from "../../app/posts/archive-filter.ts";
import { clauseRef } from "../../domain/clauses.ts";
import { formatDateTime } from "../../domain/dates.ts";
import { isPostHoc, isPostStatus, postCategoryLabels } from "../../domain/posts.ts";
import { platformLabel } from "../../guideline/pack.ts";
import { DateTime } from "./dates.tsx";

const at = (value: Date | null | undefined) => (value ? formatDateTime(value) : "—");

const Fact: FC<{ term: string; children?: Child }> = ({ term, children }) => (
  <>
    <dt>{term}</dt>
    <dd>{children}</dd>
  </>
);

const Version: FC<{ postId: number; version: ReportVersion; current: number }> = ({
  postId,
  version,
  current,
}) => (
  <section class="report-version" aria-labelledby={`post-${postId}-v${version.version}`}>
    <h4 id={`post-${postId}-v${version.version}`}>
      第{version.version}版{version.version === current ? "（現在の版）" : ""}: {at(version.at)}
      {version.authorName ? `、${version.authorName}` : ""}
    </h4>
    <p class="report-text">{version.text}</p>
    {version.findings.length === 0 ? (
      <p>チェック結果: 指摘はありません。</p>
    ) : (
      <ul class="report-findings">
        {version.findings.map((f) => (
          <li>
            <strong>
              {clauseRef(f.clause)}（{severityLabels[f.severity] ?? f.severity}）
            </strong>{" "}
            {f.message}
            {f.end > f.start ? `（該当箇所「${version.text.slice(f.start, f.end)}」）` : ""}
          </li>
        ))}
      </ul>
    )}
  </section>
);

const Post: FC<{ item: ReportPost }> = ({ item }) => {
  const p = item.post;
  const heading = `post-${p.id}`;
  return (
    <article class="report-post" aria-labelledby={heading}>
      <h2 id={heading}>
        投稿 番号{p.id}: {p.accountName}（{platformLabel(p.platform)}）
      </h2>
      <dl class="facts report-facts">
        <Fact term="所管課">{p.divisionName}</Fact>
        <Fact term="種別">{kindLabels[p.kind === "correction" ? "correction" : "post"]}</Fact>
        <Fact term="区分">{postCategoryLabels[p.category]}</Fact>
        <Fact term="状態">{statusLabel(p.status)}</Fact>
        <Fact term="作成者">{p.authorName}</Fact>
        <Fact term="作成日時">{at(p.createdAt)}</Fact>
        <Fact term="承認申請日時">{at(p.submittedAt)}</Fact>
        {p.embargoUntil ? (
          <Fact term="公表日時（これより前は発信不可、第5-2(2)②）">{at(p.embargoUntil)}</Fact>
        ) : null}
        {p.scheduledAt ? <Fact term="発信予定日時">{at(p.scheduledAt)}</Fact> : null}
        {p.repostOf ? <Fact term="再発信の元の投稿">番号{p.repostOf}</Fact> : null}
        {p.correctsPostId ? <Fact term="訂正の対象（第5-3(3)）">番号{p.correctsPostId}</Fact> : null}
      </dl>

      <h3>本文（第{p.version}版）</h3>
      <p class="report-text">{p.text}</p>

      <h3>画像</h3>
      {item.images.length === 0 ? (
        <p>画像はありません。</p>
      ) : (
        <table>
          <caption class="visually-hidden">{`投稿 番号${p.id} の画像`}</caption>
          <thead>
            <tr>
              <th scope="col">ファイル名</th>
              <th scope="col">代替テキスト</th>
              <th scope="col">権利の確認（第5-1(3)）</th>
              <th scope="col">備考</th>
            </tr>
          </thead>
          <tbody>
            {item.images.map((image) => (
              <tr>
                <td>{image.filename}</td>
                <td>{image.alt}</td>
                <td>{imageRightsLabels[image.rights] ?? image.rights}</td>
                <td>{image.rightsNote || "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h3>版の履歴とチェック結果</h3>
      {item.versions.length === 0 ? <p>保存された版はありません。</p> : null}
      {item.versions.map((v) => (
        <Version postId={p.id} version={v} current={p.version} />
      ))}

      <h3>承認の経過（第5-1(4)）</h3>
      <dl class="facts report-facts">
        <Fact term="承認の根拠">{item.approval || "未承認"}</Fact>
        <Fact term="承認者">{item.approvedByName ?? "—"}</Fact>
        <Fact term="承認日時">{at(p.approvedAt)}</Fact>
        <Fact term="承認した版">{p.approvedVersion ? `第${p.approvedVersion}版` : "—"}</Fact>
        {p.justification ? <Fact term="エラーの指摘があるまま申請した理由">{p.justification}</Fact> : null}
      </dl>
      {item.decisions.length === 0 ? (
        <p>承認・差戻し・却下・確認の記録はありません。</p>
      ) : (
        <table>
          <caption class="visually-hidden">{`投稿 番号${p.id} の承認の経過`}</caption>
          <thead>
            <tr>
              <th scope="col">記録日時</th>
              <th scope="col">判断</th>
              <th scope="col">判断した人</th>
              <th scope="col">版</th>
              <th scope="col">根拠</th>
              <th scope="col">口頭で許可した日時</th>
              <th scope="col">コメント</th>
            </tr>
          </thead>
          <tbody>
            {item.decisions.map((d) => (
              <tr>
                <td>{at(d.at)}</td>
                <td>{decisionLabels[d.decision] ?? d.decision}</td>
                <td>{d.actorName ?? "—"}</td>
                <td>第{d.version}版</td>
                <td>{d.rule ? (approvalRuleLabels[d.rule] ?? d.rule) : "—"}</td>
                <td>{d.givenAt ? at(d.givenAt) : "—"}</td>
                <td>{d.comment || "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {isPostHoc(p.category) ? (
        <>
          <h3>事後報告（第5-1(4)ただし書）</h3>
          <dl class="facts report-facts">
            <Fact term="区分">{categoryLabel(p.category)}</Fact>
            <Fact term="確認の期限">{at(p.reportDueAt)}</Fact>
            <Fact term="アカウント管理者の確認">
              {p.acknowledgedAt ? `${at(p.acknowledgedAt)}（${item.acknowledgedByName ?? "—"}）` : "未確認"}
            </Fact>
          </dl>
        </>
      ) : null}

      <h3>発信の記録</h3>
      <dl class="facts report-facts">
        <Fact term="発信日時">{at(p.publishedAt)}</Fact>
        <Fact term="記録した人">{item.publishedByName ?? "—"}</Fact>
        <Fact term="発信したURL">
          <span class="mono">{p.publishedUrl ?? "—"}</span>
        </Fact>
        {p.deletedAt ? (
          <>
            <Fact term="削除日時">{at(p.deletedAt)}</Fact>
            <Fact term="削除の理由">{p.deletedReason ?? "—"}</Fact>
          </>
        ) : null}
      </dl>
      {item.recordHistory.length > 0 ? (
        <>
          <h4>発信の記録の訂正履歴（上の値は訂正後のものです）</h4>
          <ol>
            {item.recordHistory.map((h) => (
              <li>
                {at(h.correctedAt)}（{h.correctedByName ?? "—"}）
                {h.publishedAtBefore?.getTime() !== h.publishedAtAfter?.getTime()
                  ? ` 発信日時: ${at(h.publishedAtBefore)} → ${at(h.publishedAtAfter)}`
                  : ""}
                {h.publishedUrlBefore !== h.publishedUrlAfter ? (
                  <>
                    {" "}
                    URL: <span class="mono">{h.publishedUrlBefore ?? "—"}</span> →{" "}
                    <span class="mono">{h.publishedUrlAfter ?? "—"}</span>
                  </>
                ) : null}
                <br />
                理由: {h.reason}
              </li>
            ))}
          </ol>
        </>
      ) : null}

      <h3>誤りの指摘と訂正（第5-3(2)、第5-3(3)）</h3>
      {p.erroneousAt ? (
        <dl class="facts report-facts">
          <Fact term="誤りの指摘">
            {at(p.erroneousAt)}（{item.erroneousByName ?? "—"}）
          </Fact>
          <Fact term="指摘の内容">{p.erroneousNote || "—"}</Fact>
          <Fact term="訂正の期限">{at(p.correctionDueAt)}</Fact>
        </dl>
      ) : (
        <p>誤りの指摘はありません。</p>
      )}
      {item.corrections.length > 0 ? (
        <ul>
          {item.corrections.map((c) => (
            <li>
              訂正 番号{c.id}（{isPostStatus(c.status) ? statusLabel(c.status) : c.status}
              {c.publishedAt ? `、${at(c.publishedAt)}` : ""}）
              {c.publishedUrl ? <span class="mono"> {c.publishedUrl}</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </article>
  );
};

/** The report's content: cover, then one page per post. */
export const ArchiveReportView: FC<{ report: ArchiveReport; backHref: string }> = ({ report, backHref }) => (
  <>
    <section class="report-cover" aria-labelledby="report-title">
      <p class="breadcrumb report-screen-only">
        <a href="/posts">投稿</a> › <a href={backHref}>投稿の記録</a> › 印刷用レポート
      </p>
      <h1 id="report-title">投稿記録の報告書（情報公開請求用）</h1>
      <dl class="facts">
        <Fact term="作成日時">
          <DateTime at={report.generatedAt} />
        </Fact>
        <Fact term="作成者">{report.generatedBy}</Fact>
        <Fact term="検索条件">
          {report.conditions.length === 0 ? (
            "指定なし（閲覧できるすべての投稿）"
          ) : (
            <ul class="report-inline-list">
              {report.conditions.map((line) => (
                <li>{line}</li>
              ))}
            </ul>
          )}
        </Fact>
        <Fact term="件数">{report.posts.length}件（作成日時の新しい順）</Fact>
      </dl>
      <p class="report-screen-only">
        ブラウザの印刷機能（Ctrl+P、Macは⌘+P）で印刷すると、投稿ごとに改ページされます。このレポートの作成は監査ログに記録されています。
      </p>
      {report.posts.length === 0 ? <p>条件に合う投稿はありません。</p> : null}
    </section>
    {report.posts.map((item) => (
      <Post item={item} />
    ))}
  </>
);
