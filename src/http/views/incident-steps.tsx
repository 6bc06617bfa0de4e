/**
 * The incident's work on its page: the playbook steps with owners, due times and their forms,
 * drafts into the posts workflow (statements, corrections), and attached files.
 */
import type { FC } from "hono/jsx";
import type { StepItem } from "../../app/incidents/read.ts";
import { clauseRef } from "../../domain/clauses.ts";
import { draftKindLabels, isDraftKind } from "../../domain/incidents.ts";
import { platformLabel } from "../../guideline/pack.ts";
import { Badge } from "./components.tsx";
import { DateTime } from "./dates.tsx";
import { type IncidentCtx, incidentBase, postStatusText } from "./incident-ctx.ts";
import { PErrorSummary, PFile, PForm, PInput, PSelect, PTextArea } from "./incident-fields.tsx";

/** Drafts of posts made from the incident's templates, and the posts linked to it. */
export const Drafts: FC<IncidentCtx> = ({ d, csrf, forms }) => {
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
              （{p.accountName}・{postStatusText(p.status)}
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
          <PForm action={`${incidentBase(d)}/drafts`} csrf={csrf} label="投稿の下書きの作成">
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

/** One playbook step with its owner, due time and the form that records it. */
export const Step: FC<IncidentCtx & { step: StepItem; n: number }> = ({ d, csrf, forms, step, n }) => {
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
          <PForm
            action={`${incidentBase(d)}/steps/${step.id}/complete`}
            csrf={csrf}
            label={`${step.title}の完了`}
          >
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
          action={`${incidentBase(d)}/steps/${step.id}/reopen`}
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
            action={`${incidentBase(d)}/steps/${step.id}/assign`}
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

/** Files attached to the incident, and the form to add one. */
export const Attachments: FC<IncidentCtx> = ({ d, csrf, forms }) => (
  <section aria-labelledby="files-title">
    <h2 id="files-title">スクリーンショット・資料</h2>
    {d.attachments.length === 0 ? (
      <p>添付されたファイルはありません。</p>
    ) : (
      <ul>
        {d.attachments.map((f) => (
          <li>
            <a href={`${incidentBase(d)}/attachments/${f.id}`}>{f.filename}</a>（{Math.ceil(f.size / 1024)}KB
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
        <PForm action={`${incidentBase(d)}/attachments`} csrf={csrf} multipart label="ファイルの添付">
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
