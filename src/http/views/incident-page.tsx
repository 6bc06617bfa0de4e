/**
 * The incident page (/incidents/:id): the summary, what the guideline says for the type (7.1
 * the manual; 7.2 the rules shown plainly; 7.3 the fake accounts with takedown and public
 * warning; 乗っ取り the hijacked account's marking, report and recovery; 7.4 the false claim and
 * the public notice), the playbook checklist with owners and
 * due times, drafts into the posts workflow, files, notes, the timeline, and closing with the
 * review. Each form has its own prefix so a failed one is shown again with its messages.
 */
import type { FC } from "hono/jsx";
import type { ImpersonationItem, IncidentDetail, StepItem } from "../../app/incidents/read.ts";
import { clauseRef } from "../../domain/clauses.ts";
import { formatDateTime } from "../../domain/dates.ts";
import {
  draftKindLabels,
  flamingRules,
  incidentRefusals,
  incidentSeverities,
  incidentSeverityLabels,
  incidentTypeClauses,
  incidentTypeDescriptions,
  incidentTypeLabels,
  isDraftKind,
  warningStateLabels,
} from "../../domain/incidents.ts";
import { isPostStatus, postStatusLabels } from "../../domain/posts.ts";
import { platformLabel } from "../../guideline/pack.ts";
import { Badge, type FormState } from "./components.tsx";
import { DateText, DateTime } from "./dates.tsx";
import { PCheckbox, PErrorSummary, PFile, PForm, PInput, PSelect, PTextArea } from "./incident-fields.tsx";
import { HijackPanel } from "./incident-hijack.tsx";
import { IncidentAccount, IncidentStatusBadge, SeverityBadge, Timeline } from "./incident-views.tsx";

/** Failed forms to show again, by prefix (`step-12`, `close`, `takedown-3`…). */
export type IncidentForms = Record<string, FormState | undefined>;

type Ctx = { d: IncidentDetail; csrf: string; forms: IncidentForms; nowLocal: string };

const base = (d: IncidentDetail) => `/incidents/${d.incident.id}`;

function postStatus(status: string): string {
  return isPostStatus(status) ? postStatusLabels[status] : status;
}

const Summary: FC<{ d: IncidentDetail }> = ({ d }) => {
  const i = d.incident;
  return (
    <dl class="facts">
      <dt>種類</dt>
      <dd>
        {incidentTypeLabels[i.type]}（{clauseRef(incidentTypeClauses[i.type])}）
      </dd>
      <dt>状態</dt>
      <dd>
        <IncidentStatusBadge status={i.status} /> <SeverityBadge severity={i.severity} />
      </dd>
      <dt>アカウント</dt>
      <dd>
        <IncidentAccount incident={i} />
      </dd>
      {d.post ? (
        <>
          <dt>投稿</dt>
          <dd>
            <a href={`/posts/${d.post.id}`}>#{d.post.id}</a>（{postStatus(d.post.status)}
            {d.post.publishedAt ? (
              <>
                ・<DateTime at={d.post.publishedAt} />
                発信
              </>
            ) : (
              ""
            )}
            ）<p class="public-text">{d.post.text}</p>
          </dd>
        </>
      ) : null}
      <dt>報告</dt>
      <dd>
        <DateTime at={i.createdAt} />
        {i.reporterName ? `（${i.reporterName}さん）` : ""}
      </dd>
      <dt>気づいた日時</dt>
      <dd>
        <DateTime at={i.noticedAt} />
      </dd>
      <dt>アカウント管理者</dt>
      <dd>{i.managerName ? `${i.managerName}さん` : "—"}</dd>
      {d.statement.expected || d.statement.madeAt ? (
        <>
          <dt>公式な説明</dt>
          <dd>
            {d.statement.madeAt ? (
              <>
                <Badge tone="ok">発信済み</Badge> <DateTime at={d.statement.madeAt} />
              </>
            ) : d.statement.overdue ? (
              <>
                <Badge tone="error">未発信・期限超過</Badge> 期限 <DateTime at={d.statement.dueAt} />（
                {clauseRef("7.2.3")}）
              </>
            ) : (
              <>
                <Badge tone="warn">未発信</Badge> 期限 <DateTime at={d.statement.dueAt} />（
                {clauseRef("7.2.3")}）
              </>
            )}
          </dd>
        </>
      ) : null}
      <dt>何が起きたか</dt>
      <dd class="public-text">{i.description}</dd>
      {Array.isArray(i.links) && i.links.length > 0 ? (
        <>
          <dt>関連するURL</dt>
          <dd>
            <ul>
              {i.links
                .filter((l): l is string => typeof l === "string")
                .map((l) => (
                  <li class="public-url">{l}</li>
                ))}
            </ul>
          </dd>
        </>
      ) : null}
      {i.closedAt ? (
        <>
          <dt>終結</dt>
          <dd>
            <DateTime at={i.closedAt} />
            {i.closedByName ? `（${i.closedByName}さん）` : ""}
          </dd>
        </>
      ) : null}
    </dl>
  );
};

const LeakPanel: FC<{ d: IncidentDetail }> = ({ d }) => (
  <section aria-labelledby="leak-title" class="notice notice-warning">
    <h2 id="leak-title">情報漏えいへの対応（{clauseRef("7.1")}）</h2>
    <p>
      市情報セキュリティポリシーと情報流出事案対応マニュアルに基づき、速やかに対応してください。下の手順で、封じ込め・情報統括管理者への報告・範囲の調査・影響を受ける方への連絡を記録します。
    </p>
    {d.leakManualUrl ? (
      <p>
        <a href={d.leakManualUrl}>情報流出事案対応マニュアルを開く</a>
      </p>
    ) : (
      <p>
        情報流出事案対応マニュアルのURLが設定されていません。庁内の所定の場所でマニュアルを確認し、システム管理者に設定（SNSGOV_LEAK_MANUAL_URL）を依頼してください。
      </p>
    )}
  </section>
);

const FlamingPanel: FC<Ctx> = ({ d, csrf, forms, nowLocal }) => (
  <section aria-labelledby="flaming-title" class="notice notice-warning">
    <h2 id="flaming-title">炎上への対応（{clauseRef("7.2")}）</h2>
    <p>{incidentTypeDescriptions.flaming}</p>
    <ul>
      {flamingRules.map((r) => (
        <li>
          <strong>{r.text}</strong>（{clauseRef(r.clause)}）
        </li>
      ))}
    </ul>
    {d.statement.madeAt === null && d.can.respond ? (
      <details open={forms.statement !== undefined}>
        <summary>システムの外で発信した公式な説明を記録する</summary>
        <PErrorSummary prefix="statement" state={forms.statement} />
        <PForm action={`${base(d)}/statement`} csrf={csrf} label="公式な説明の記録">
          <PInput
            prefix="statement"
            type="datetime-local"
            name="madeAt"
            label="発信した日時"
            value={nowLocal}
            state={forms.statement}
          />
          <PTextArea
            prefix="statement"
            name="note"
            label="発信した内容・場所"
            required
            state={forms.statement}
            hint="例: 市ホームページに「確認中です」と掲載"
          />
          <div class="actions">
            <button type="submit">公式な説明を記録する</button>
          </div>
        </PForm>
      </details>
    ) : null}
  </section>
);

const FakeAccount: FC<Ctx & { imp: ImpersonationItem }> = ({ d, csrf, forms, nowLocal, imp }) => {
  const p = (name: string) => `${name}-${imp.id}`;
  const verify = `/public/verify?url=${encodeURIComponent(imp.url)}`;
  return (
    <li class="card">
      <h3>
        {platformLabel(imp.platform)} の{" "}
        {imp.handle.startsWith("@") || imp.handle.includes("/") ? imp.handle : `@${imp.handle}`}
      </h3>
      <dl class="facts">
        <dt>URL</dt>
        <dd class="public-url">{imp.url}</dd>
        <dt>公開ページの注意喚起</dt>
        <dd>
          {imp.warningState === "pending" ? (
            <>
              <Badge tone="warn">{warningStateLabels.pending}</Badge>{" "}
              公開ページのお知らせと確認ページには、まだ表示されていません。確認ページは、このURLを公式アカウント一覧にないアカウントとして答えます。
            </>
          ) : imp.warningState === "shown" ? (
            <>
              <Badge tone="ok">{warningStateLabels.shown}</Badge>{" "}
              <a href={`/public/notices#impersonation-${imp.id}`}>お知らせで見る</a>・
              <a href={verify}>確認ページで見る</a>
            </>
          ) : (
            <>
              <Badge tone="muted">{warningStateLabels.ended}</Badge> <a href={verify}>確認ページで見る</a>
              （確認ページでは引き続き「なりすまし」と答えます）
            </>
          )}
        </dd>
        {imp.warningPublishedAt && imp.warningState !== "pending" ? (
          <>
            <dt>公開を確認</dt>
            <dd>
              <DateTime at={imp.warningPublishedAt} />
              {imp.warningPublishedByName ? `（${imp.warningPublishedByName}さん）` : ""}
            </dd>
          </>
        ) : null}
        <dt>削除依頼</dt>
        <dd>
          {imp.takedownRequestedAt
            ? `${formatDateTime(imp.takedownRequestedAt)}${imp.takedownReference ? `（受付番号: ${imp.takedownReference}）` : ""}`
            : "未依頼"}
        </dd>
        <dt>プラットフォームの回答</dt>
        <dd>
          {imp.platformAnswer || "—"}
          {imp.takenDownAt ? (
            <>
              （<DateTime at={imp.takenDownAt} />
              に削除）
            </>
          ) : (
            ""
          )}
        </dd>
        <dt>注意喚起の文面</dt>
        <dd class="public-text">{imp.publicWarning}</dd>
      </dl>
      {imp.warningState !== "shown" && d.can.respond ? (
        <>
          <PErrorSummary prefix={p("publish")} state={forms[p("publish")]} />
          <PForm action={`${base(d)}/impersonations/${imp.id}/publish`} csrf={csrf} label="注意喚起の公開">
            <p class="hint">
              文面を確認してから公開してください。公開すると、公開ページのお知らせに掲載され、確認ページはこのURLを「なりすまし」と答えます（
              {clauseRef("7.3.1")}）。
            </p>
            <div class="actions">
              <button type="submit">{imp.warningState === "ended" ? "もう一度公開する" : "公開する"}</button>
            </div>
          </PForm>
        </>
      ) : null}
      {imp.warningState === "pending" && !d.can.respond ? (
        <p class="notice notice-info">{incidentRefusals.warning}</p>
      ) : null}
      {d.can.respond ? (
        <>
          <details open={forms[p("takedown")] !== undefined}>
            <summary>削除依頼を記録する（{clauseRef("7.3.1")}）</summary>
            <PErrorSummary prefix={p("takedown")} state={forms[p("takedown")]} />
            <PForm action={`${base(d)}/impersonations/${imp.id}/takedown`} csrf={csrf} label="削除依頼の記録">
              <PInput
                prefix={p("takedown")}
                type="datetime-local"
                name="requestedAt"
                label="削除を依頼した日時"
                value={nowLocal}
                state={forms[p("takedown")]}
              />
              <PInput
                prefix={p("takedown")}
                name="reference"
                label="受付番号など"
                state={forms[p("takedown")]}
              />
              <PTextArea prefix={p("takedown")} name="note" label="メモ" state={forms[p("takedown")]} />
              <div class="actions">
                <button type="submit">削除依頼を記録する</button>
              </div>
            </PForm>
          </details>
          <details open={forms[p("answer")] !== undefined}>
            <summary>プラットフォームの回答を記録する</summary>
            <PErrorSummary prefix={p("answer")} state={forms[p("answer")]} />
            <PForm
              action={`${base(d)}/impersonations/${imp.id}/answer`}
              csrf={csrf}
              label="プラットフォームの回答の記録"
            >
              <PTextArea
                prefix={p("answer")}
                name="answer"
                label="プラットフォームの回答"
                required
                state={forms[p("answer")]}
              />
              <PInput
                prefix={p("answer")}
                type="datetime-local"
                name="takenDownAt"
                label="削除された日時（削除された場合）"
                state={forms[p("answer")]}
              />
              <div class="actions">
                <button type="submit">回答を記録する</button>
              </div>
            </PForm>
          </details>
          <details open={forms[p("warning")] !== undefined}>
            <summary>注意喚起の文面を変更する</summary>
            <PErrorSummary prefix={p("warning")} state={forms[p("warning")]} />
            <PForm action={`${base(d)}/impersonations/${imp.id}/warning`} csrf={csrf} label="注意喚起の文面">
              <PTextArea
                prefix={p("warning")}
                name="text"
                label="注意喚起の文面"
                required
                rows={5}
                value={imp.publicWarning}
                state={forms[p("warning")]}
              />
              <div class="actions">
                <button type="submit">文面を変更する</button>
              </div>
            </PForm>
          </details>
        </>
      ) : null}
      {d.can.respond || d.can.close ? (
        imp.warningShown ? (
          <PForm
            action={`${base(d)}/impersonations/${imp.id}/withdraw`}
            csrf={csrf}
            label="注意喚起の掲載終了"
          >
            <div class="actions">
              <button type="submit" class="secondary">
                お知らせへの掲載を終了する
              </button>
            </div>
          </PForm>
        ) : null
      ) : null}
    </li>
  );
};

const ImpersonationPanel: FC<Ctx> = (c) => {
  const { d, csrf, forms, nowLocal } = c;
  return (
    <section aria-labelledby="imp-title">
      <h2 id="imp-title">なりすましへの対応（{clauseRef("7.3")}）</h2>
      <p>
        {incidentTypeDescriptions.impersonation}
        直ちにサービスの管理者へ削除を依頼し、市公式ホームページとソーシャルメディアで周知して、二次被害の拡大を防ぎます（
        {clauseRef("7.3.1")}）。
      </p>
      <ul class="cards">
        {d.impersonations.map((imp) => (
          <FakeAccount {...c} imp={imp} />
        ))}
      </ul>
      {d.can.inform ? (
        <details open={forms["imp-add"] !== undefined}>
          <summary>別のなりすましアカウントを記録する</summary>
          <PErrorSummary prefix="imp-add" state={forms["imp-add"]} />
          <PForm action={`${base(d)}/impersonations`} csrf={csrf} label="なりすましアカウントの追加">
            <PInput
              prefix="imp-add"
              type="url"
              name="url"
              label="なりすましアカウントのURL"
              required
              state={forms["imp-add"]}
              hint={
                d.can.respond
                  ? "記録すると直ちに公開ページに注意喚起が掲載されます。"
                  : "注意喚起は、アカウント管理者など対応する職員が確認してから公開ページに掲載されます。"
              }
            />
            <PInput
              prefix="imp-add"
              name="handle"
              label="ユーザー名（URLから読み取れない場合）"
              state={forms["imp-add"]}
            />
            <div class="actions">
              <button type="submit">{d.can.respond ? "記録して注意喚起を掲載する" : "記録する"}</button>
            </div>
          </PForm>
        </details>
      ) : null}
      <h3>信用できる機関・メディアへの連絡（{clauseRef("7.3.2")}）</h3>
      {d.contacts.length === 0 ? (
        <p>まだ記録はありません。必要に応じて、信用できる機関やメディアを通じて注意を呼びかけます。</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption>連絡の記録</caption>
            <thead>
              <tr>
                <th scope="col">連絡先</th>
                <th scope="col">日時</th>
                <th scope="col">先方の担当者</th>
                <th scope="col">伝えた内容</th>
              </tr>
            </thead>
            <tbody>
              {d.contacts.map((k) => (
                <tr>
                  <td>{k.organisation}</td>
                  <td>
                    <DateTime at={k.contactedAt} />
                  </td>
                  <td>{k.person || "—"}</td>
                  <td>{k.note || "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {d.can.respond ? (
        <details open={forms.contact !== undefined}>
          <summary>連絡を記録する</summary>
          <PErrorSummary prefix="contact" state={forms.contact} />
          <PForm action={`${base(d)}/contacts`} csrf={csrf} label="機関・メディアへの連絡の記録">
            <PInput
              prefix="contact"
              name="organisation"
              label="連絡した機関・メディア"
              required
              state={forms.contact}
              hint="例: いわき中央警察署、地元新聞社"
            />
            <PInput
              prefix="contact"
              type="datetime-local"
              name="contactedAt"
              label="連絡した日時"
              value={nowLocal}
              state={forms.contact}
            />
            <PInput prefix="contact" name="person" label="先方の担当者" state={forms.contact} />
            <PTextArea prefix="contact" name="note" label="伝えた内容" state={forms.contact} />
            <div class="actions">
              <button type="submit">連絡を記録する</button>
            </div>
          </PForm>
        </details>
      ) : null}
    </section>
  );
};

const MisinformationPanel: FC<Ctx> = ({ d, csrf, forms }) => (
  <section aria-labelledby="mis-title">
    <h2 id="mis-title">デマ・誤情報への対応（{clauseRef("7.4")}）</h2>
    <p>
      状況に応じて正しい情報を発信し、必要に応じて市公式ホームページ等で周知して、誤解が広がらないようにします。
    </p>
    <dl class="facts">
      <dt>誤った情報</dt>
      <dd class="public-text">{d.claim ? d.claim.claim : "未記録"}</dd>
      <dt>掲載された場所</dt>
      <dd>{d.claim?.where || "—"}</dd>
      <dt>公開ページのお知らせ</dt>
      <dd>
        {d.notice ? (
          <>
            <Badge tone="ok">掲載中</Badge> 「{d.notice.title}」
            {d.notice.until ? (
              <>
                （<DateText date={d.notice.until} />
                まで）
              </>
            ) : (
              ""
            )}{" "}
            <a href={`/public/notices#correction-${d.incident.id}`}>お知らせで見る</a>
          </>
        ) : (
          "掲載していません"
        )}
      </dd>
    </dl>
    {d.can.inform ? (
      <details open={forms.claim !== undefined}>
        <summary>誤った情報の内容を記録する</summary>
        <PErrorSummary prefix="claim" state={forms.claim} />
        <PForm action={`${base(d)}/claim`} csrf={csrf} label="誤った情報の記録">
          <PTextArea
            prefix="claim"
            name="claim"
            label="誤った情報の内容"
            required
            value={d.claim?.claim}
            state={forms.claim}
          />
          <PInput
            prefix="claim"
            name="where"
            label="掲載された場所"
            value={d.claim?.where}
            state={forms.claim}
          />
          <div class="actions">
            <button type="submit">記録する</button>
          </div>
        </PForm>
      </details>
    ) : null}
    {d.can.respond ? (
      <>
        <details open={forms.notice !== undefined}>
          <summary>公開ページで正しい情報をお知らせする</summary>
          <PErrorSummary prefix="notice" state={forms.notice} />
          <PForm action={`${base(d)}/public-notice`} csrf={csrf} label="公開ページのお知らせ">
            <PInput
              prefix="notice"
              name="title"
              label="お知らせの見出し"
              required
              value={d.notice?.title}
              state={forms.notice}
            />
            <PTextArea
              prefix="notice"
              name="text"
              label="お知らせの本文"
              required
              rows={5}
              value={d.notice?.text}
              state={forms.notice}
            />
            <PInput
              prefix="notice"
              type="date"
              name="until"
              label="掲載する最終日"
              value={d.notice?.until ?? undefined}
              state={forms.notice}
              hint="空欄の場合は、掲載を終了するまで表示します。"
            />
            <div class="actions">
              <button type="submit">公開ページに掲載する</button>
            </div>
          </PForm>
        </details>
        {d.notice ? (
          <PForm action={`${base(d)}/public-notice/withdraw`} csrf={csrf} label="お知らせの掲載終了">
            <div class="actions">
              <button type="submit" class="secondary">
                お知らせの掲載を終了する
              </button>
            </div>
          </PForm>
        ) : null}
      </>
    ) : null}
  </section>
);

const ComplaintPanel: FC<{ d: IncidentDetail }> = () => (
  <section aria-labelledby="complaint-title" class="notice notice-info">
    <h2 id="complaint-title">誤解・苦情への対応（{clauseRef("5.1.6")}）</h2>
    <p>
      {incidentTypeDescriptions.complaint}
      速やかに、誠実に対応してください。誤りがあった場合は直ちに認めて訂正し、訂正したことを明記します（
      {clauseRef("5.3.2")}、{clauseRef("5.3.3")}）。攻撃的な反応があっても、冷静に対応します（
      {clauseRef("5.1.7")}）。
    </p>
  </section>
);

const Drafts: FC<Ctx> = ({ d, csrf, forms }) => {
  if (d.drafts.kinds.length === 0 && d.linkedPosts.length === 0) return null;
  return (
    <section aria-labelledby="drafts-title">
      <h2 id="drafts-title">投稿の下書き</h2>
      <p>
        テンプレートから投稿の下書きを作成できます。下書きは通常の投稿と同じく、アカウント管理者の承認を得てから発信します（
        {clauseRef("5.1.4")}）。発信を記録すると、このインシデントの公式な説明として記録されます。
      </p>
      {d.linkedPosts.length > 0 ? (
        <ul>
          {d.linkedPosts.map((p) => (
            <li>
              <a href={`/posts/${p.postId}`}>
                #{p.postId} {isDraftKind(p.draftKind) ? draftKindLabels[p.draftKind] : "投稿"}
              </a>
              （{p.accountName}・{postStatus(p.status)}
              {p.publishedAt ? (
                <>
                  ・<DateTime at={p.publishedAt} />
                  発信
                </>
              ) : (
                ""
              )}
              ）
            </li>
          ))}
        </ul>
      ) : null}
      {d.drafts.kinds.length > 0 ? (
        <>
          <PErrorSummary prefix="draft" state={forms.draft} />
          <PForm action={`${base(d)}/drafts`} csrf={csrf} label="投稿の下書きの作成">
            <PSelect
              prefix="draft"
              name="kind"
              label="作成する下書き"
              required
              state={forms.draft}
              options={d.drafts.kinds.map((k) => ({ value: k, label: draftKindLabels[k] }))}
            />
            {d.incident.type === "hijack" ? (
              <fieldset class="field">
                <legend>
                  注意を呼びかけるアカウント（乗っ取られたアカウント以外、{clauseRef("7.3.1")}）
                </legend>
                {d.drafts.accounts.map((a) => (
                  <label class="checkbox">
                    <input type="checkbox" name="accountIds" value={String(a.id)} /> {a.name}（
                    {platformLabel(a.platform)}）
                  </label>
                ))}
              </fieldset>
            ) : (
              <PSelect
                prefix="draft"
                name="accountId"
                label="投稿するアカウント"
                required
                state={forms.draft}
                value={d.incident.accountId === null ? undefined : String(d.incident.accountId)}
                options={d.drafts.accounts.map((a) => ({
                  value: String(a.id),
                  label: `${a.name}（${platformLabel(a.platform)}）`,
                }))}
              />
            )}
            <div class="actions">
              <button type="submit">下書きを作成する</button>
            </div>
          </PForm>
        </>
      ) : null}
    </section>
  );
};

const Step: FC<Ctx & { step: StepItem; n: number }> = ({ d, csrf, forms, step, n }) => {
  const p = `step-${step.id}`;
  const a = `assign-${step.id}`;
  const headingId = `step-title-${step.id}`;
  return (
    <li>
      <h3 id={headingId}>
        {n}. {step.title}{" "}
        {step.doneAt ? (
          <Badge tone="ok">完了</Badge>
        ) : step.overdue ? (
          <Badge tone="error">期限超過</Badge>
        ) : (
          <Badge tone="warn">未完了</Badge>
        )}
        {step.optional ? <span class="hint">（必要に応じて）</span> : null}
      </h3>
      {step.detail ? <p>{step.detail}</p> : null}
      <dl class="facts">
        <dt>根拠</dt>
        <dd>{clauseRef(step.clause)}</dd>
        <dt>担当</dt>
        <dd>{step.ownerName ? `${step.ownerName}さん` : "未定"}</dd>
        <dt>期限</dt>
        <dd>{step.dueAt ? <DateTime at={step.dueAt} /> : "—"}</dd>
        {step.doneAt ? (
          <>
            <dt>完了</dt>
            <dd>
              <DateTime at={step.doneAt} />
              {step.doneByName ? `（${step.doneByName}さん）` : ""}
            </dd>
            {step.note ? (
              <>
                <dt>記録</dt>
                <dd class="public-text">{step.note}</dd>
              </>
            ) : null}
          </>
        ) : null}
      </dl>
      {step.actionable && !step.doneAt ? (
        <details open={forms[p] !== undefined}>
          <summary>「{step.title}」の完了を記録する</summary>
          <PErrorSummary prefix={p} state={forms[p]} />
          <PForm action={`${base(d)}/steps/${step.id}/complete`} csrf={csrf} label={`${step.title}の完了`}>
            <PTextArea prefix={p} name="note" label="行ったこと" state={forms[p]} />
            {step.deletesPost ? (
              <PTextArea
                prefix={p}
                name="deletionReason"
                label="投稿を削除した理由"
                required
                state={forms[p]}
                hint="この投稿をプラットフォームから削除したものとして記録します（投稿の記録は残ります）。自動発信した投稿は、接続を通じてプラットフォームから削除し、その応答を記録します。"
              />
            ) : null}
            {step.deletesPost ? (
              <div class="field">
                <div class="checkbox">
                  <input type="checkbox" id={`${p}-deletedManually`} name="deletedManually" value="on" />
                  <label for={`${p}-deletedManually`}>接続を使わずにプラットフォームの画面で削除した</label>
                </div>
              </div>
            ) : null}
            <div class="actions">
              <button type="submit">完了を記録する</button>
            </div>
          </PForm>
        </details>
      ) : null}
      {step.actionable && step.doneAt ? (
        <PForm
          action={`${base(d)}/steps/${step.id}/reopen`}
          csrf={csrf}
          label={`${step.title}を未完了に戻す`}
        >
          <button type="submit" class="link">
            未完了に戻す
          </button>
        </PForm>
      ) : null}
      {d.can.respond && !step.doneAt ? (
        <details open={forms[a] !== undefined}>
          <summary>担当・期限を変更する</summary>
          <PErrorSummary prefix={a} state={forms[a]} />
          <PForm
            action={`${base(d)}/steps/${step.id}/assign`}
            csrf={csrf}
            label={`${step.title}の担当と期限`}
          >
            <PSelect
              prefix={a}
              name="ownerId"
              label="担当者"
              state={forms[a]}
              value={step.ownerId === null ? "" : String(step.ownerId)}
              blank="変更しない"
              options={d.staffChoices.map((s) => ({ value: String(s.id), label: s.name }))}
            />
            <PInput
              prefix={a}
              type="datetime-local"
              name="dueAt"
              label="期限"
              state={forms[a]}
              hint="空欄の場合は変更しません。"
            />
            <div class="actions">
              <button type="submit" class="secondary">
                変更する
              </button>
            </div>
          </PForm>
        </details>
      ) : null}
    </li>
  );
};

const Attachments: FC<Ctx> = ({ d, csrf, forms }) => (
  <section aria-labelledby="files-title">
    <h2 id="files-title">スクリーンショット・資料</h2>
    {d.attachments.length === 0 ? (
      <p>添付されたファイルはありません。</p>
    ) : (
      <ul>
        {d.attachments.map((f) => (
          <li>
            <a href={`${base(d)}/attachments/${f.id}`}>{f.filename}</a>（{Math.ceil(f.size / 1024)}KB
            {f.description ? `・${f.description}` : ""}・<DateTime at={f.createdAt} />
            {f.uploadedByName ? `・${f.uploadedByName}さん` : ""}）
          </li>
        ))}
      </ul>
    )}
    {d.can.note ? (
      <details open={forms.attach !== undefined}>
        <summary>ファイルを添付する</summary>
        <PErrorSummary prefix="attach" state={forms.attach} />
        <PForm action={`${base(d)}/attachments`} csrf={csrf} multipart label="ファイルの添付">
          <PFile
            prefix="attach"
            name="file"
            label="ファイル"
            state={forms.attach}
            hint="PNG・JPEGの画像またはPDF、5MBまで。"
          />
          <PInput prefix="attach" name="description" label="ファイルの説明" state={forms.attach} />
          <div class="actions">
            <button type="submit">添付する</button>
          </div>
        </PForm>
      </details>
    ) : null}
  </section>
);

const Manage: FC<Ctx> = ({ d, csrf, forms }) => {
  if (!d.can.respond) return null;
  const i = d.incident;
  return (
    <section aria-labelledby="manage-title">
      <h2 id="manage-title">状態と深刻度</h2>
      <PErrorSummary prefix="severity" state={forms.severity} />
      <PForm action={`${base(d)}/severity`} csrf={csrf} label="深刻度の変更">
        <PSelect
          prefix="severity"
          name="severity"
          label="深刻度"
          state={forms.severity}
          value={i.severity}
          options={incidentSeverities.map((s) => ({ value: s, label: incidentSeverityLabels[s] }))}
        />
        <PInput prefix="severity" name="note" label="変更の理由" state={forms.severity} />
        <div class="actions">
          <button type="submit" class="secondary">
            深刻度を変更する
          </button>
        </div>
      </PForm>
      <PErrorSummary prefix="status" state={forms.status} />
      <PForm action={`${base(d)}/status`} csrf={csrf} label="状態の変更">
        <input type="hidden" name="status" value={i.status === "responding" ? "monitoring" : "responding"} />
        <PInput prefix="status" name="note" label="状態を変える理由" state={forms.status} />
        <div class="actions">
          <button type="submit" class="secondary">
            {i.status === "responding" ? "監視中にする（対応を終え、様子を見る）" : "対応中に戻す"}
          </button>
        </div>
      </PForm>
    </section>
  );
};

const Close: FC<Ctx> = ({ d, csrf, forms }) => {
  const i = d.incident;
  if (i.status === "closed")
    return (
      <section aria-labelledby="review-title">
        <h2 id="review-title">振り返り</h2>
        <dl class="facts">
          <dt>何が起きたか</dt>
          <dd class="public-text">{i.reviewWhatHappened}</dd>
          <dt>今後どう改めるか</dt>
          <dd class="public-text">{i.reviewWhatToChange}</dd>
        </dl>
      </section>
    );
  if (!d.can.close) return null;
  const open = d.steps.filter((s) => !s.doneAt && !s.optional);
  return (
    <section aria-labelledby="close-title">
      <h2 id="close-title">終結する</h2>
      <p>終結するには、振り返り（何が起きたか、今後どう改めるか）を記録します。</p>
      {open.length > 0 ? (
        <p class="notice notice-warning">
          未完了の手順があります: {open.map((s) => s.title).join("、")}
          。終結すると、未完了のまま記録されます。
        </p>
      ) : null}
      <PErrorSummary prefix="close" state={forms.close} />
      <PForm action={`${base(d)}/close`} csrf={csrf} label="終結と振り返り">
        <PTextArea
          prefix="close"
          name="whatHappened"
          label="何が起きたか"
          required
          rows={4}
          state={forms.close}
        />
        <PTextArea
          prefix="close"
          name="whatToChange"
          label="今後どう改めるか"
          required
          rows={4}
          state={forms.close}
        />
        {i.type === "impersonation" ? (
          <PCheckbox
            prefix="close"
            name="endWarnings"
            label="公開ページのお知らせへの注意喚起の掲載を終了する"
            checked={forms.close?.values.endWarnings === "on"}
            hint="確認ページでは、終了後も「なりすまし」と答えます。"
          />
        ) : null}
        <div class="actions">
          <button type="submit">終結する</button>
        </div>
      </PForm>
    </section>
  );
};

/** The body of /incidents/:id. */
export const IncidentPage: FC<{ d: IncidentDetail; csrf: string; forms: IncidentForms; nowLocal: string }> = (
  c,
) => {
  const { d, csrf, forms } = c;
  const i = d.incident;
  return (
    <>
      <p class="breadcrumb">
        <a href="/incidents">インシデント</a> › #{i.id}
      </p>
      <h1>
        {incidentTypeLabels[i.type]}: {i.title}
      </h1>
      {d.awaitingAcknowledgement ? (
        <div class="notice notice-warning">
          <p>アカウント管理者が、まだ報告を受けたことを記録していません（{clauseRef("7")}）。</p>
          {d.can.respond ? (
            <>
              <PErrorSummary prefix="ack" state={forms.ack} level={2} />
              <PForm action={`${base(d)}/acknowledge`} csrf={csrf} label="報告の受付">
                <button type="submit">報告を受けました（対応を始める）</button>
              </PForm>
            </>
          ) : (
            <p>
              「報告を受けました」は、報告を受けたアカウント管理者（または総合政策部長・情報統括管理者、その指名を受けて手順を担当する職員）が押します。
              {d.can.note ? "気づいたことは、メモやファイルで追加できます。" : ""}
            </p>
          )}
        </div>
      ) : null}
      {d.statement.overdue ? (
        <div class="notice notice-error" role="status">
          <p>
            報告から時間が経っていますが、公式な説明がまだ発信されていません。対応に時間を要する場合は、その旨を説明してください（
            {clauseRef("7.2.3")}）。
          </p>
        </div>
      ) : null}
      <Summary d={d} />
      {i.type === "leak" ? <LeakPanel d={d} /> : null}
      {i.type === "flaming" ? <FlamingPanel {...c} /> : null}
      {i.type === "impersonation" ? <ImpersonationPanel {...c} /> : null}
      {i.type === "hijack" ? <HijackPanel {...c} /> : null}
      {i.type === "misinformation" ? <MisinformationPanel {...c} /> : null}
      {i.type === "complaint" ? <ComplaintPanel d={d} /> : null}
      <section aria-labelledby="steps-title">
        <h2 id="steps-title">対応の手順</h2>
        <p>期限は報告した時刻から数えています。</p>
        <ol class="timeline">
          {d.steps.map((step, n) => (
            <Step {...c} step={step} n={n + 1} />
          ))}
        </ol>
      </section>
      <Drafts {...c} />
      <Attachments {...c} />
      {d.can.note ? (
        <section aria-labelledby="note-title">
          <h2 id="note-title">メモを残す</h2>
          <PErrorSummary prefix="note" state={forms.note} />
          <PForm action={`${base(d)}/notes`} csrf={csrf} label="メモ">
            <PTextArea
              prefix="note"
              name="note"
              label="メモ"
              required
              state={forms.note}
              hint="経過や判断の理由など。時系列に記録されます。"
            />
            <div class="actions">
              <button type="submit">メモを残す</button>
            </div>
          </PForm>
        </section>
      ) : null}
      <Manage {...c} />
      <Close {...c} />
      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title">経過</h2>
        <Timeline events={d.events} />
      </section>
    </>
  );
};
