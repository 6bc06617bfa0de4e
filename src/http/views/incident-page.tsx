/**
 * The incident page (/incidents/:id): the summary, what the guideline says for the type (7.1
 * the manual; 7.2 the rules shown plainly; 7.3 the fake accounts with takedown and public
 * warning; 乗っ取り the hijacked account's marking, report and recovery; 7.4 the false claim and
 * the public notice), the playbook checklist with owners and
 * due times, drafts into the posts workflow, files, notes, the timeline, and closing with the
 * review. Each form has its own prefix so a failed one is shown again with its messages.
 */
import type { FC } from "hono/jsx";
import type { IncidentDetail } from "../../app/incidents/read.ts";
import { clauseRef } from "../../domain/clauses.ts";
import {
  incidentSeverities,
  incidentSeverityLabels,
  incidentTypeClauses,
  incidentTypeLabels,
} from "../../domain/incidents.ts";
import { Badge } from "./components.tsx";
import { DateTime } from "./dates.tsx";
import { type IncidentCtx, type IncidentForms, incidentBase, postStatusText } from "./incident-ctx.ts";
import { PCheckbox, PErrorSummary, PForm, PInput, PSelect, PTextArea } from "./incident-fields.tsx";
import { HijackPanel } from "./incident-hijack.tsx";
import { ImpersonationPanel } from "./incident-impersonation.tsx";
import { ComplaintPanel, FlamingPanel, LeakPanel, MisinformationPanel } from "./incident-panels.tsx";
import { Attachments, Drafts, Step } from "./incident-steps.tsx";
import { IncidentAccount, IncidentStatusBadge, SeverityBadge, Timeline } from "./incident-views.tsx";

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
            <a href={`/posts/${d.post.id}`}>#{d.post.id}</a>（{postStatusText(d.post.status)}
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

const Manage: FC<IncidentCtx> = ({ d, csrf, forms }) => {
  if (!d.can.respond) return null;
  const i = d.incident;
  return (
    <section aria-labelledby="manage-title">
      <h2 id="manage-title">状態と深刻度</h2>
      <PErrorSummary prefix="severity" state={forms.severity} />
      <PForm action={`${incidentBase(d)}/severity`} csrf={csrf} label="深刻度の変更">
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
      <PForm action={`${incidentBase(d)}/status`} csrf={csrf} label="状態の変更">
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

const Close: FC<IncidentCtx> = ({ d, csrf, forms }) => {
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
      <PForm action={`${incidentBase(d)}/close`} csrf={csrf} label="終結と振り返り">
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
              <PForm action={`${incidentBase(d)}/acknowledge`} csrf={csrf} label="報告の受付">
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
          <PForm action={`${incidentBase(d)}/notes`} csrf={csrf} label="メモ">
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
