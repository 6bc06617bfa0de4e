/**
 * Printable documents (起案, 届出, 変更・廃止の申請): an A4 sheet with the city's heading, the
 * 文書番号 and 決裁日 from the document-management system, dates in 和暦, and the route of
 * approvals; below it, on screen only, the form to record or correct the 文書番号 and 決裁日 and
 * every version recorded. Print CSS (app.css, `.document-sheet`) hides everything else.
 */
import type { Child, FC } from "hono/jsx";
import type { DocumentRecord } from "../../db/repos/documents.ts";
import { tokyoDate } from "../../domain/dates.ts";
import { Csrf, ErrorSummary, type FormState, TextArea, TextField } from "./components.tsx";
import { DateTime, DocumentDate } from "./dates.tsx";

/** One row of a document's table: a term and its value. */
export const Row: FC<{ term: string; children?: Child }> = ({ term, children }) => (
  <tr>
    <th scope="row">{term}</th>
    <td>{children}</td>
  </tr>
);

/** The sheet: heading, addressee, 文書番号 and 決裁日, then the body. */
export const DocumentSheet: FC<{
  id: string;
  title: string;
  cityName: string;
  /** 「情報統括管理者 様」 for a 届出. */
  addressee?: string;
  /** Who it is from (所管課 and its head). */
  from?: string;
  /** The date the document carries (起案日, 届出日). */
  dated: Date | string | null;
  current: DocumentRecord | null;
  children?: Child;
}> = (p) => (
  <article class="document-sheet" aria-labelledby={p.id}>
    <table class="document-numbers">
      <caption class="visually-hidden">文書番号と決裁日</caption>
      <tbody>
        <Row term="文書番号">{p.current?.documentNumber ?? "（未記録）"}</Row>
        <Row term="決裁日">
          {p.current?.decidedOn ? <DocumentDate value={p.current.decidedOn} /> : "（未記録）"}
        </Row>
        <Row term="日付">{p.dated ? <DocumentDate value={p.dated} /> : "—"}</Row>
      </tbody>
    </table>
    {p.addressee ? <p class="document-addressee">{p.addressee}</p> : null}
    {p.from ? <p class="document-from">{p.from}</p> : null}
    <h1 id={p.id} class="document-title">
      {p.title}
    </h1>
    <p class="document-city">{p.cityName}</p>
    {p.children}
  </article>
);

/** The route of approvals (or of a 届出): each step, who, and when in 和暦. */
export const RouteTable: FC<{
  caption: string;
  steps: Array<{ label: string; name: string | null; on: Date | string | null; note?: string | undefined }>;
}> = ({ caption, steps }) => (
  <table class="document-route">
    <caption>{caption}</caption>
    <thead>
      <tr>
        <th scope="col">手続き</th>
        <th scope="col">氏名</th>
        <th scope="col">日付</th>
      </tr>
    </thead>
    <tbody>
      {steps.map((s) => (
        <tr>
          <th scope="row">{s.label}</th>
          <td>{s.name ?? "—"}</td>
          <td>
            {s.on ? <DocumentDate value={s.on} /> : "未了"}
            {s.note ? `（${s.note}）` : ""}
          </td>
        </tr>
      ))}
    </tbody>
  </table>
);

/**
 * The 文書番号・決裁日 form (screen only) and the versions recorded so far. `action` is where the
 * form posts; a correction needs its reason.
 */
export const DocumentNumberPanel: FC<{
  action: string;
  csrf: string;
  versions: DocumentRecord[];
  canRecord: boolean;
  state?: FormState | undefined;
}> = ({ action, csrf, versions, canRecord, state }) => {
  const current = versions[0];
  return (
    <section class="screen-only" aria-labelledby="docno-title">
      <h2 id="docno-title">文書番号・決裁日（文書管理システム）</h2>
      <p>
        文書管理システムで付いた文書番号と決裁日を記録します。記録した内容を訂正するときは、理由を書いて新しい版として記録します（前の版も残ります）。
      </p>
      {canRecord ? (
        <>
          <ErrorSummary state={state} />
          <form method="post" action={action} class="stack" novalidate>
            <Csrf token={csrf} />
            <TextField
              name="documentNumber"
              label="文書番号"
              hint="例: いわ広第1234号"
              value={current?.documentNumber ?? ""}
              state={state}
              required
            />
            <TextField
              name="decidedOn"
              label="決裁日"
              type="date"
              hint="決裁がまだの場合は空欄にします。"
              value={current?.decidedOn ?? ""}
              state={state}
            />
            {current ? (
              <TextArea
                name="reason"
                label="訂正の理由"
                hint="記録済みの内容を訂正する場合は必ず書いてください。"
                rows={2}
                state={state}
                required
              />
            ) : null}
            <div class="actions">
              <button type="submit">{current ? "訂正して記録する" : "記録する"}</button>
            </div>
          </form>
        </>
      ) : null}
      {versions.length > 0 ? (
        <div class="table-wrap">
          <table>
            <caption>記録の履歴（新しい順）</caption>
            <thead>
              <tr>
                <th scope="col">版</th>
                <th scope="col">文書番号</th>
                <th scope="col">決裁日</th>
                <th scope="col">理由</th>
                <th scope="col">記録者・日時</th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => (
                <tr>
                  <td>第{v.version}版</td>
                  <td>{v.documentNumber}</td>
                  <td>{v.decidedOn ? <DocumentDate value={v.decidedOn} /> : "—"}</td>
                  <td>{v.reason || "—"}</td>
                  <td>
                    {v.recordedByName ?? "—"} <DateTime at={v.recordedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>まだ記録されていません。</p>
      )}
    </section>
  );
};

/** A Tokyo date of an instant, for inputs. */
export const dayOf = (at: Date | null) => (at ? tokyoDate(at) : "");
