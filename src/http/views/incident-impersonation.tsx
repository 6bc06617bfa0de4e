/**
 * The なりすまし panel of the incident page (7.3(1)): each fake account with the takedown request
 * to the service and its answer, and the public warning on /public/notices.
 */
import type { FC } from "hono/jsx";
import type { ImpersonationItem } from "../../app/incidents/read.ts";
import { clauseRef } from "../../domain/clauses.ts";
import { formatDateTime } from "../../domain/dates.ts";
import { incidentRefusals, incidentTypeDescriptions, warningStateLabels } from "../../domain/incidents.ts";
import { platformLabel } from "../../guideline/pack.ts";
import { Badge } from "./components.tsx";
import { DateTime } from "./dates.tsx";
import { type IncidentCtx, incidentBase } from "./incident-ctx.ts";
import { PErrorSummary, PForm, PInput, PTextArea } from "./incident-fields.tsx";

const FakeAccount: FC<IncidentCtx & { imp: ImpersonationItem }> = ({ d, csrf, forms, nowLocal, imp }) => {
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
          <PForm
            action={`${incidentBase(d)}/impersonations/${imp.id}/publish`}
            csrf={csrf}
            label="注意喚起の公開"
          >
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
            <PForm
              action={`${incidentBase(d)}/impersonations/${imp.id}/takedown`}
              csrf={csrf}
              label="削除依頼の記録"
            >
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
              action={`${incidentBase(d)}/impersonations/${imp.id}/answer`}
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
            <PForm
              action={`${incidentBase(d)}/impersonations/${imp.id}/warning`}
              csrf={csrf}
              label="注意喚起の文面"
            >
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
            action={`${incidentBase(d)}/impersonations/${imp.id}/withdraw`}
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

/** 7.3(1): the fake accounts, their takedown requests and the public warning. */
export const ImpersonationPanel: FC<IncidentCtx> = (c) => {
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
          <PForm action={`${incidentBase(d)}/impersonations`} csrf={csrf} label="なりすましアカウントの追加">
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
          <PForm action={`${incidentBase(d)}/contacts`} csrf={csrf} label="機関・メディアへの連絡の記録">
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
