/**
 * The 乗っ取り panel of the incident page (7.3(1), 2.5): the hijacked official account and since
 * when; the public marking 「現在、不正アクセスを受けています」 with its notice and 「公開する」
 * (responders only, 7); the report to the 情報統括管理者 and their confirmation of receipt (4.3.3);
 * the credentials as recorded on the account (password changed after the takeover, two-factor)
 * with a link to record them; and recording recovery, which ends the marking.
 */
import type { FC } from "hono/jsx";
import { clauseRef } from "../../domain/clauses.ts";
import { formatDateTime } from "../../domain/dates.ts";
import { directorReportLabels, HIJACK_MARKING, hijackStateLabels } from "../../domain/hijack.ts";
import { incidentRefusals, incidentTypeDescriptions } from "../../domain/incidents.ts";
import { Badge } from "./components.tsx";
import { DateTime } from "./dates.tsx";
import type { IncidentCtx } from "./incident-ctx.ts";
import { PErrorSummary, PForm, PInput, PTextArea } from "./incident-fields.tsx";

/** `2026-11-24T10:37` in Tokyo time, for a datetime-local field. */
function localInput(at: Date): string {
  const tokyo = new Date(at.getTime() + 9 * 3_600_000);
  return tokyo.toISOString().slice(0, 16);
}

const by = (name: string | null) => (name ? `（${name}さん）` : "");

/** The panel; nothing for other types. */
export const HijackPanel: FC<IncidentCtx> = ({ d, csrf, forms }) => {
  const h = d.hijack;
  if (!h) return null;
  const base = `/incidents/${d.incident.id}`;
  const accountId = d.incident.accountId;
  return (
    <section aria-labelledby="hijack-title" class="notice notice-error">
      <h2 id="hijack-title">乗っ取りへの対応（{clauseRef("7.3.1")}）</h2>
      <p>{incidentTypeDescriptions.hijack}</p>
      <dl class="facts">
        <dt>乗っ取られたアカウント</dt>
        <dd>
          {accountId !== null ? <a href={`/accounts/${accountId}`}>{d.incident.accountName}</a> : "—"}
          {d.incident.accountUrl ? <span class="public-url"> {d.incident.accountUrl}</span> : null}
        </dd>
        <dt>不正アクセスが始まった日時</dt>
        <dd>
          <DateTime at={h.compromisedSince} />
        </dd>
        <dt>公開ページのお知らせ</dt>
        <dd>
          「{HIJACK_MARKING}」「{h.notice}」
        </dd>
        <dt>公開ページの表示</dt>
        <dd>
          <Badge tone={h.state === "shown" ? "error" : h.state === "recovered" ? "ok" : "warn"}>
            {hijackStateLabels[h.state]}
          </Badge>
          {h.markingPublishedAt
            ? ` ${formatDateTime(h.markingPublishedAt)}に公開${by(h.names.markingPublishedBy)}`
            : ""}
          {h.recoveredAt ? `、${formatDateTime(h.recoveredAt)}に回復を記録${by(h.names.recoveredBy)}` : ""}
        </dd>
        <dt>情報統括管理者への報告</dt>
        <dd>
          {directorReportLabels[h.reportState]}
          {h.directorReportedAt
            ? `（${formatDateTime(h.directorReportedAt)}に報告${by(h.names.directorReportedBy)}`
            : ""}
          {h.directorConfirmedAt
            ? `、${formatDateTime(h.directorConfirmedAt)}に確認${by(h.names.directorConfirmedBy)}）`
            : h.directorReportedAt
              ? "）"
              : ""}
        </dd>
        <dt>パスワードの変更（記録）</dt>
        <dd>
          {h.credentials.passwordChangedAt ? <DateTime at={h.credentials.passwordChangedAt} /> : "記録なし"}
          {h.credentials.passwordChangedAt &&
          h.credentials.passwordChangedAt.getTime() < h.compromisedSince.getTime()
            ? "（不正アクセスより前）"
            : ""}
        </dd>
        <dt>二段階認証</dt>
        <dd>{h.credentials.mfaEnabled ? "設定済み" : "未設定"}</dd>
      </dl>
      {accountId !== null ? (
        <p>
          <a href={`/accounts/${accountId}/credentials`}>
            アカウントのIDとパスワードのページで、パスワードの変更と二段階認証を記録する
          </a>
          （{clauseRef("4.3.3")}）
        </p>
      ) : null}

      {h.state === "pending" ? (
        d.can.respond ? (
          <>
            <h3>公開ページに表示する</h3>
            <p>
              公開すると、公式アカウント一覧・アカウントのページ・公式アカウントの確認・お知らせに、直ちに「
              {HIJACK_MARKING}
              」と表示されます。不正アクセスが始まった日時を確かめてから押してください。
            </p>
            <PErrorSummary prefix="hijack-publish" state={forms["hijack-publish"]} level={3} />
            <PForm action={`${base}/hijack/publish`} csrf={csrf} label="不正アクセスの表示の公開">
              <PInput
                prefix="hijack-publish"
                type="datetime-local"
                name="compromisedSince"
                label="不正アクセスが始まった日時"
                value={localInput(h.compromisedSince)}
                state={forms["hijack-publish"]}
              />
              <div class="actions">
                <button type="submit">公開する</button>
              </div>
            </PForm>
          </>
        ) : (
          <p>{incidentRefusals.marking}</p>
        )
      ) : null}

      {h.reportState === "unsent" && d.can.respond ? (
        <>
          <h3>情報統括管理者へ報告する</h3>
          <PErrorSummary prefix="hijack-report" state={forms["hijack-report"]} level={3} />
          <PForm action={`${base}/hijack/report`} csrf={csrf} label="情報統括管理者への報告">
            <p class="hint">情報統括管理者に、通知（画面とメール）とタスクが届きます。</p>
            <div class="actions">
              <button type="submit">情報統括管理者へ報告する</button>
            </div>
          </PForm>
        </>
      ) : null}
      {h.reportState === "sent" && h.canConfirmReport ? (
        <>
          <h3>報告の確認（情報統括管理者）</h3>
          <PErrorSummary prefix="hijack-confirm" state={forms["hijack-confirm"]} level={3} />
          <PForm action={`${base}/hijack/confirm`} csrf={csrf} label="報告の確認">
            <div class="actions">
              <button type="submit">報告を確認しました</button>
            </div>
          </PForm>
        </>
      ) : null}

      {h.state !== "recovered" && d.can.respond ? (
        <>
          <h3>回復を記録する</h3>
          {h.credentials.problems.length > 0 ? (
            <ul>
              {h.credentials.problems.map((p) => (
                <li>{p.message}</li>
              ))}
            </ul>
          ) : (
            <p>パスワードの変更と二段階認証の設定が記録されています。</p>
          )}
          <PErrorSummary prefix="hijack-recover" state={forms["hijack-recover"]} level={3} />
          <PForm action={`${base}/hijack/recover`} csrf={csrf} label="回復の記録">
            <PTextArea
              prefix="hijack-recover"
              name="note"
              label="確認した内容"
              rows={3}
              state={forms["hijack-recover"]}
              hint="例: 不正な投稿を削除し、連携アプリとプロフィールに変更がないことを確認した"
            />
            <div class="actions">
              <button type="submit">回復を記録する（公開ページの表示を終える）</button>
            </div>
          </PForm>
        </>
      ) : null}
    </section>
  );
};
