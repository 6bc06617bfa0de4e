/**
 * What the guideline says for the incident's type, as panels of the incident page: 情報漏えい
 * (7.1, the city's manual), 炎上 (7.2, the rules shown plainly and the statement), 事実と異なる情報
 * (7.4, the false claim and the public notice) and ご意見・苦情.
 */
import type { FC } from "hono/jsx";
import type { IncidentDetail } from "../../app/incidents/read.ts";
import { clauseRef } from "../../domain/clauses.ts";
import { flamingRules, incidentTypeDescriptions } from "../../domain/incidents.ts";
import { Badge } from "./components.tsx";
import { DateText } from "./dates.tsx";
import { type IncidentCtx, incidentBase } from "./incident-ctx.ts";
import { PErrorSummary, PForm, PInput, PTextArea } from "./incident-fields.tsx";

/** 7.1: the leak panel, pointing to the city's 情報流出事案対応マニュアル. */
export const LeakPanel: FC<{ d: IncidentDetail }> = ({ d }) => (
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

/** 7.2: the rules shown plainly, and the statement's due time. */
export const FlamingPanel: FC<IncidentCtx> = ({ d, csrf, forms, nowLocal }) => (
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
        <PForm action={`${incidentBase(d)}/statement`} csrf={csrf} label="公式な説明の記録">
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

/** 7.4: the false claim, the correct information and its public notice. */
export const MisinformationPanel: FC<IncidentCtx> = ({ d, csrf, forms }) => (
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
        <PForm action={`${incidentBase(d)}/claim`} csrf={csrf} label="誤った情報の記録">
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
          <PForm action={`${incidentBase(d)}/public-notice`} csrf={csrf} label="公開ページのお知らせ">
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
          <PForm action={`${incidentBase(d)}/public-notice/withdraw`} csrf={csrf} label="お知らせの掲載終了">
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

/** A complaint: no playbook of its own beyond the steps. */
export const ComplaintPanel: FC<{ d: IncidentDetail }> = () => (
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
