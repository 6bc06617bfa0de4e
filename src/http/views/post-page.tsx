/**
 * The post page's parts: the facts (category, status, who wrote it, embargo, schedule, scope,
 * the approval and the post-hoc report with its due time, red when past), the text with the
 * findings marked and listed, the posts drafted with it, the versions and the decisions trail,
 * and the forms of what this person may do now (5.1.4).
 */
import type { FC } from "hono/jsx";
import type { PostDetail } from "../../app/posts/read.ts";
import { PAGE_SOURCE_NOTE } from "../../app/posts/resend.ts";
import type { PostDecision, PostView } from "../../db/repos/posts.ts";
import { clauseRef } from "../../domain/clauses.ts";
import { audienceLabel, storedAudience } from "../../domain/line-audience.ts";
import { postCategoryLabels, postCategoryShort, postStatusLabels } from "../../domain/posts.ts";
import { platformLabel } from "../../guideline/pack.ts";
import {
  Badge,
  Csrf,
  ErrorSummary,
  type FormState,
  SelectField,
  TextArea,
  TextField,
} from "./components.tsx";
import { DateTime } from "./dates.tsx";
import { Counter, FindingItems, MarkedPieces } from "./post-editor.tsx";
import { JustificationField } from "./post-forms.tsx";

const statusTone = {
  draft: "muted",
  pending: "warn",
  returned: "warn",
  rejected: "error",
  approved: "ok",
  published: "ok",
  deleted: "muted",
} as const;

/** The status as a badge. */
export const StatusBadge: FC<{ status: PostView["status"] }> = ({ status }) => (
  <Badge tone={statusTone[status]}>{postStatusLabels[status]}</Badge>
);

const ruleLabels: Record<string, string> = {
  manager: "アカウント管理者",
  deputy: "代理者（不在時）",
  scope: "予め範囲を決めた許可",
  verbal: "口頭での許可（事後に記録）",
  post_hoc: "事後報告（第5-1(4)①〜④）",
  on_the_spot: "要修正の指摘についてのその場での確認（第5-2）",
};

const decisionLabels: Record<string, string> = {
  approve: "承認",
  return: "差戻し",
  reject: "却下",
  acknowledge: "事後報告の確認",
};

/** The approval rule in words. */
export function ruleLabel(rule: string | null): string {
  return rule ? (ruleLabels[rule] ?? rule) : "—";
}

/** The post-hoc report's due time, red (期限超過) once past. */
export const ReportDue: FC<{ post: PostView; now: Date }> = ({ post, now }) => {
  if (!post.reportDueAt) return null;
  if (post.acknowledgedAt)
    return (
      <>
        確認済み（
        <DateTime at={post.acknowledgedAt} />）
      </>
    );
  const late = post.reportDueAt.getTime() < now.getTime();
  return (
    <>
      <DateTime at={new Date(post.reportDueAt.getTime() - 1000)} />
      まで {late ? <Badge tone="error">期限超過</Badge> : <Badge tone="warn">確認待ち</Badge>}
    </>
  );
};

/** The facts of the post. */
export const PostFacts: FC<{ detail: PostDetail }> = ({ detail }) => {
  const { post } = detail;
  return (
    <dl class="facts">
      <dt>状態</dt>
      <dd>
        <StatusBadge status={post.status} />
      </dd>
      <dt>区分</dt>
      <dd>{postCategoryLabels[post.category]}</dd>
      {detail.repostOf ? (
        <>
          <dt>再発信する元の投稿</dt>
          <dd>
            <a href={`/posts/${detail.repostOf.id}`}>
              #{detail.repostOf.id}（{detail.repostOf.accountName}）
            </a>
            <p class="public-text">{detail.repostOf.text}</p>
          </dd>
        </>
      ) : null}
      {post.repostSourceUrl ? (
        <>
          <dt>再発信する元の市のページ</dt>
          <dd>
            <a href={post.repostSourceUrl} rel="noopener noreferrer">
              {post.repostSourceUrl}
            </a>
            <p>引用した文（作成者の入力どおり）:</p>
            <p class="public-text">{post.repostQuote ?? ""}</p>
            <p class="hint">{PAGE_SOURCE_NOTE}</p>
          </dd>
        </>
      ) : null}
      <dt>アカウント</dt>
      <dd>
        {post.accountName}（{platformLabel(post.platform)}・{post.divisionName}）
      </dd>
      {detail.audience ? (
        <>
          <dt>配信先</dt>
          <dd>{detail.audience.label}</dd>
        </>
      ) : null}
      <dt>作成</dt>
      <dd>
        {post.authorName}（<DateTime at={post.createdAt} />）
      </dd>
      <dt>版</dt>
      <dd>
        第{post.version}版（最終更新 <DateTime at={post.updatedAt} />）
      </dd>
      {post.embargoUntil ? (
        <>
          <dt>公表日時（第5-2(2)②）</dt>
          <dd>
            <DateTime at={post.embargoUntil} />
            より前は発信できません
          </dd>
        </>
      ) : null}
      {post.scheduledAt ? (
        <>
          <dt>予約日時</dt>
          <dd>
            <DateTime at={post.scheduledAt} />
          </dd>
        </>
      ) : null}
      {detail.scope ? (
        <>
          <dt>範囲の許可</dt>
          <dd>
            「{detail.scope.name}」{detail.scope.active ? "" : "（取り消し済み）"}
          </dd>
        </>
      ) : null}
      {post.approvedAt || post.approvalRule ? (
        <>
          <dt>{post.approvalRule === "post_hoc" ? "発信の根拠" : "承認"}</dt>
          <dd>
            {ruleLabel(post.approvalRule)}
            {post.approvedAt ? (
              <>
                ・<DateTime at={post.approvedAt} />
              </>
            ) : (
              ""
            )}
            {post.approvedVersion ? `・第${post.approvedVersion}版` : ""}
          </dd>
        </>
      ) : null}
      {post.reportDueAt ? (
        <>
          <dt>事後報告の確認期限</dt>
          <dd>
            <ReportDue post={post} now={detail.now} />
          </dd>
        </>
      ) : null}
    </dl>
  );
};

/** The text with the stored findings marked and listed, and the length. */
export const PostText: FC<{ detail: PostDetail }> = ({ detail }) => (
  <div class="text-findings">
    <div class="card">
      <h3>本文</h3>
      <div class="post-text">
        <MarkedPieces text={detail.post.text} findings={detail.findings} />
      </div>
      <Counter length={detail.length} text={detail.post.text} />
    </div>
    <div class="card">
      <h3>ガイドラインに照らした確認</h3>
      <FindingItems findings={detail.findings} />
    </div>
  </div>
);

/** The posts drafted together with this one (one per account). */
export const GroupList: FC<{ group: readonly PostView[] }> = ({ group }) =>
  group.length === 0 ? null : (
    <section aria-labelledby="group-title">
      <h2 id="group-title">同時に作成したほかのアカウントの投稿</h2>
      <ul>
        {group.map((p) => (
          <li>
            <a href={`/posts/${p.id}`}>
              #{p.id} {p.accountName}（{platformLabel(p.platform)}）
            </a>{" "}
            <StatusBadge status={p.status} />
          </li>
        ))}
      </ul>
    </section>
  );

/** Every saved version with its findings. */
export const VersionTable: FC<{ detail: PostDetail }> = ({ detail }) => (
  <div class="table-wrap">
    <table>
      <caption>版の履歴（保存した内容と、その時点の確認結果）</caption>
      <thead>
        <tr>
          <th scope="col">版</th>
          <th scope="col">保存</th>
          <th scope="col">指摘</th>
          <th scope="col">本文</th>
        </tr>
      </thead>
      <tbody>
        {[...detail.versions].reverse().map((v) => {
          const errors = v.findingList.filter((f) => f.severity === "error").length;
          const warnings = v.findingList.filter((f) => f.severity === "warning").length;
          return (
            <tr>
              <th scope="row">第{v.version}版</th>
              <td>
                <DateTime at={v.at} />
                <br />
                {v.authorName ?? "—"}
              </td>
              <td>
                {errors ? <Badge tone="error">要修正{errors}</Badge> : null}{" "}
                {warnings ? <Badge tone="warn">要確認{warnings}</Badge> : null}
                {errors + warnings === 0 ? "なし" : ""}
                {v.findingList.length > 0 ? (
                  <div class="hint">
                    {[...new Set(v.findingList.map((f) => clauseRef(f.clause)))].join("、")}
                  </div>
                ) : null}
              </td>
              <td class="public-text">
                {v.text}
                {detail.audience ? (
                  <div class="hint">配信先: {audienceLabel(storedAudience(v.audience))}</div>
                ) : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  </div>
);

/** Approvals, returns, rejections and acknowledgements, oldest first. */
export const DecisionTrail: FC<{ decisions: readonly PostDecision[] }> = ({ decisions }) =>
  decisions.length === 0 ? (
    <p>まだ承認・差戻しなどの記録はありません。</p>
  ) : (
    <ol class="timeline">
      {decisions.map((d) => (
        <li>
          <strong>{decisionLabels[d.decision] ?? d.decision}</strong>（第{d.version}版・{ruleLabel(d.rule)}）{" "}
          {d.actorName ?? "—"}・<DateTime at={d.at} />
          に記録
          {d.givenAt ? (
            <p>
              {d.rule === "on_the_spot" ? "確認した日時" : "口頭で許可した日時"}: <DateTime at={d.givenAt} />
            </p>
          ) : null}
          {d.recordedByName ? <p>記録した職員: {d.recordedByName}</p> : null}
          {d.comment ? <p class="public-text">{d.comment}</p> : null}
        </li>
      ))}
    </ol>
  );

/** Form states of the post page's action forms. */
export type ActionStates = {
  submit?: FormState;
  decide?: FormState;
  verbal?: FormState;
  publish?: FormState;
  acknowledge?: FormState;
};

/** What the person may do with the post now. */
export const PostActionsPanel: FC<{
  detail: PostDetail;
  csrf: string;
  states: ActionStates;
  nowLocal: string;
}> = ({ detail, csrf, states, nowLocal }) => {
  const { post, can } = detail;
  const base = `/posts/${post.id}`;
  const version = <input type="hidden" name="version" value={String(post.version)} />;
  const needsReason = post.errorCount > 0;
  const resendBlocked = detail.resend?.problem ?? null;
  const anything =
    can.edit ||
    can.submit ||
    can.discard ||
    can.publishPostHoc ||
    can.decide ||
    can.acknowledge ||
    can.ownPostBlocksDecision ||
    (resendBlocked !== null && can.submit);
  if (!anything) return null;
  return (
    <section aria-labelledby="actions-title">
      <h2 id="actions-title">操作</h2>
      {can.ownPostBlocksDecision ? (
        <div class="notice notice-info">
          <p>
            ご自身が作成または編集した投稿は、ご自身では承認（以前の版を編集した場合や、事後報告をご自身で発信した場合の確認を含む）できません。代理者として指名された職員など、ほかの承認者に依頼してください（
            {clauseRef("5.1.4")}）。
          </p>
        </div>
      ) : null}
      {can.edit || can.discard ? (
        <div class="actions">
          {can.edit ? (
            <a class="button secondary" href={`${base}/edit`}>
              編集する（画像の追加も）
            </a>
          ) : null}
          {can.discard ? (
            <form method="post" action={`${base}/discard`}>
              <Csrf token={csrf} />
              {version}
              <button type="submit" class="secondary">
                下書きを破棄する
              </button>
            </form>
          ) : null}
        </div>
      ) : null}
      {can.submit ? (
        <form method="post" action={`${base}/submit`} class="stack" novalidate>
          <h3>アカウント管理者に承認を申請する</h3>
          <ErrorSummary state={states.submit} />
          <Csrf token={csrf} />
          {version}
          {needsReason ? (
            <JustificationField
              state={states.submit ?? { values: { justification: post.justification }, issues: [] }}
            />
          ) : null}
          <div class="actions">
            <button type="submit">承認を申請する</button>
          </div>
        </form>
      ) : null}
      {resendBlocked !== null && can.submit ? (
        <div class="notice notice-warning">
          <h3>この本文は、事後報告（①再発信）では発信できません</h3>
          <p>{resendBlocked}</p>
          <p>
            市として既に発信した内容と異なる本文は、アカウント管理者の承認を得てから発信します（
            {clauseRef("5.1.4.1")}
            ）。
          </p>
        </div>
      ) : null}
      {can.publishPostHoc ? (
        <form method="post" action={`${base}/publish-now`} class="stack" novalidate>
          <h3>事後報告として今すぐ発信する（{postCategoryShort[post.category]}）</h3>
          <p>
            {clauseRef("5.1.4")}
            ①〜④の場合は、先に発信してアカウント管理者へ事後報告できます。発信したらプラットフォームでの投稿のURLを記録してください。警告（要確認）があっても発信できます。
          </p>
          {post.repostSourceUrl ? <p class="hint">{PAGE_SOURCE_NOTE}</p> : null}
          <ErrorSummary state={states.publish} />
          <Csrf token={csrf} />
          {version}
          {needsReason ||
          states.publish?.issues.some((i) => i.field === "confirmedBy" || i.field === "confirmedAt") ? (
            <>
              <div class="notice notice-warning">
                <p>
                  エラー（要修正）の指摘があります。事後報告で省けるのは事前の許可だけで、{clauseRef("5.2")}
                  の禁止事項はそのまま適用されます。このまま発信するには、理由の記入に加えて、その場でアカウント管理者（またはその日の代理者）に内容を確認してもらい、確認した方と日時を記録してください。確認は口頭での許可と同じように、確認した方の判断として記録されます。
                </p>
              </div>
              <JustificationField
                state={states.publish ?? { values: { justification: post.justification }, issues: [] }}
              />
              {detail.confirmers.length === 0 ? (
                <p class="error">
                  いま、この投稿の内容を確認できる方（アカウント管理者またはその日の代理者で、この投稿を作成・編集していない方）がいません。修正するか、承認を申請してください。
                </p>
              ) : null}
              <SelectField
                name="confirmedBy"
                label="内容を確認した方"
                hint="このアカウントの投稿を承認できる方（アカウント管理者またはその日の代理者）で、この投稿を作成・編集していない方です。"
                state={states.publish}
                blank="（選択してください）"
                options={detail.confirmers.map((p) => ({ value: String(p.id), label: p.name }))}
                required
              />
              <TextField
                type="datetime-local"
                name="confirmedAt"
                label="確認を受けた日時"
                hint={`第${post.version}版を保存した後の日時です。`}
                state={states.publish}
                value={nowLocal}
                required
              />
              <TextArea
                name="confirmationNote"
                label="確認の内容（任意）"
                hint="例: 掲載した電話番号は災害対策本部の公開している臨時窓口であることを確認"
                state={states.publish}
                rows={2}
              />
            </>
          ) : null}
          <div class="actions">
            <button type="submit">今すぐ発信して事後報告する</button>
          </div>
        </form>
      ) : null}
      {can.decide ? (
        <>
          <form method="post" action={`${base}/approve`} class="stack" novalidate>
            <h3>承認・差戻し・却下（第{post.version}版）</h3>
            {detail.audience ? (
              <p class="notice notice-info">
                <strong>この投稿を受け取る人: </strong>
                {detail.audience.label}
                。配信先も承認の対象です。
              </p>
            ) : null}
            <p>
              承認は表示している第{post.version}
              版に対して行います。承認後に内容が変更されると、あらためて承認が必要です（{clauseRef("5.1.4")}
              ）。差戻し・却下には理由を記入してください。
            </p>
            <ErrorSummary state={states.decide} />
            <Csrf token={csrf} />
            {version}
            <TextArea name="comment" label="コメント（差戻し・却下は必須）" state={states.decide} rows={3} />
            <div class="actions">
              <button type="submit">承認する</button>
              <button type="submit" formaction={`${base}/return`} class="secondary">
                差し戻す
              </button>
              <button type="submit" formaction={`${base}/reject`} class="danger">
                却下する
              </button>
            </div>
          </form>
          <form method="post" action={`${base}/verbal`} class="stack" novalidate>
            <h3>口頭で許可したことを記録する</h3>
            <p>
              電話や対面で発信を許可した場合は、許可した日時を記録します（{clauseRef("5.1.4")}
              「口頭あるいは起案等により」）。
            </p>
            <ErrorSummary state={states.verbal} />
            <Csrf token={csrf} />
            {version}
            <TextField
              type="datetime-local"
              name="givenAt"
              label="口頭で許可した日時"
              state={states.verbal}
              value={nowLocal}
              required
            />
            <TextArea name="verbalComment" label="補足（任意）" state={states.verbal} rows={2} />
            <div class="actions">
              <button type="submit" class="secondary">
                口頭での許可を記録する
              </button>
            </div>
          </form>
        </>
      ) : null}
      {can.acknowledge ? (
        <form method="post" action={`${base}/acknowledge`} class="stack" novalidate>
          <h3>事後報告を確認する</h3>
          <p>
            期限: <ReportDue post={post} now={detail.now} />
          </p>
          <ErrorSummary state={states.acknowledge} />
          <Csrf token={csrf} />
          <TextArea name="comment" label="コメント（任意）" state={states.acknowledge} rows={2} />
          <div class="actions">
            <button type="submit">事後報告を確認しました</button>
          </div>
        </form>
      ) : null}
    </section>
  );
};
