/**
 * Staff pages for 届出 to the directors (4.1.2, 4.5.1): the list (a director's inbox; for an
 * auditor, who sent what and who confirmed it, when), one 届出 as a printable A4 document with
 * the director's confirm/question forms, the manager's answer form, its rounds and its
 * 文書番号・決裁日 record. Mounted by the registry routes.
 */
import { Hono } from "hono";
import { recordDocument } from "../../app/documents/record.ts";
import { answerFiling } from "../../app/filings/answer.ts";
import { confirmFiling, questionFiling } from "../../app/filings/decide.ts";
import { filingList, filingPage } from "../../app/filings/read.ts";
import { clauseRef } from "../../domain/clauses.ts";
import { filingStatuses, filingStatusLabels, isFilingStatus } from "../../domain/filings.ts";
import type { AppEnv, HttpContext } from "../env.ts";
import { actorOf, csrfOf, done, formBody, intParam, render, submit } from "../render.tsx";
import { type FormState, SelectField } from "../views/components.tsx";
import { DocumentNumberPanel } from "../views/document-views.tsx";
import {
  AnswerForm,
  DecisionForms,
  FilingDocument,
  FilingList,
  RoundsTable,
} from "../views/filing-views.tsx";

type Forms = { decide?: FormState; answer?: FormState; document?: FormState };

async function filingScreen(c: HttpContext, id: number, forms: Forms = {}, status: 200 | 409 | 422 = 200) {
  const actor = actorOf(c);
  const page = await filingPage(c.var.app, { actor, id });
  const f = page.filing;
  const csrf = csrfOf(c);
  const accountHref = f.noticeId
    ? `/accounts/${f.accountId}/notices#notice-${f.noticeId}`
    : `/accounts/${f.accountId}`;
  return render(
    c,
    `届出: ${f.accountName}`,
    <>
      <p class="breadcrumb screen-only">
        <a href="/filings">届出</a> › <a href={accountHref}>{f.accountName}</a>
      </p>
      <p class="screen-only">
        このページを印刷すると、届出の書面（A4）になります。文書管理システムで付いた文書番号と決裁日は、下の欄に記録してください。
      </p>
      <FilingDocument page={page} cityName={c.var.app.config.cityName} />
      {page.canDecide ? <DecisionForms filing={f} csrf={csrf} state={forms.decide} /> : null}
      {page.canAnswer ? <AnswerForm filing={f} csrf={csrf} state={forms.answer} /> : null}
      {page.rounds.length > 1 || f.status !== "sent" ? (
        <section class="screen-only" aria-labelledby="rounds-title">
          <h2 id="rounds-title">経過</h2>
          <RoundsTable rounds={page.rounds} current={f.id} />
        </section>
      ) : null}
      <DocumentNumberPanel
        action={`/filings/${f.id}/document`}
        csrf={csrf}
        versions={page.documents}
        canRecord={page.canRecordDocument}
        state={forms.document}
      />
    </>,
    status,
  );
}

/** The 届出 routes (/filings…). */
export function filingRoutes() {
  const r = new Hono<AppEnv>();

  r.get("/filings", async (c) => {
    const actor = actorOf(c);
    const raw = c.req.query("status") ?? "";
    const status = isFilingStatus(raw) ? raw : undefined;
    const filings = await filingList(c.var.app, { actor, statuses: status ? [status] : undefined });
    return render(
      c,
      "届出",
      <>
        <h1>届出</h1>
        <p>
          公式アカウントの取得後の情報統括管理者への届出（{clauseRef("4.1.2")}
          ）と、変更・廃止の総合政策部長・情報統括管理者への届出（{clauseRef("4.5.1")}
          ）の一覧です。誰がいつ送り、誰がいつ確認したかを記録しています。
        </p>
        <form method="get" action="/filings" class="filters" aria-label="届出の絞り込み">
          <SelectField
            name="status"
            label="状態"
            options={filingStatuses.map((s) => ({ value: s, label: filingStatusLabels[s] }))}
            blank="すべて"
            value={raw}
          />
          <button type="submit">絞り込む</button>
        </form>
        {filings.length === 0 ? (
          <p>該当する届出はありません。</p>
        ) : (
          <FilingList filings={filings} caption={`届出（${filings.length}件、新しい順）`} />
        )}
      </>,
    );
  });

  r.get("/filings/:id", (c) => filingScreen(c, intParam(c.req.param("id"))));

  r.post("/filings/:id/confirm", async (c) => {
    const id = intParam(c.req.param("id"));
    const result = await submit({}, () => confirmFiling(c.var.app, { actor: actorOf(c), filingId: id }));
    if (!result.ok) return filingScreen(c, id, { decide: result.state }, result.status);
    return done(c, `/filings/${id}`, "届出を確認しました。");
  });

  r.post("/filings/:id/question", async (c) => {
    const id = intParam(c.req.param("id"));
    const values = await formBody(c);
    const result = await submit(values, () =>
      questionFiling(c.var.app, { actor: actorOf(c), filingId: id, input: values }),
    );
    if (!result.ok) return filingScreen(c, id, { decide: result.state }, result.status);
    return done(c, `/filings/${id}`, "質問を送りました。課等の長（アカウント管理者）の回答を待ちます。");
  });

  r.post("/filings/:id/answer", async (c) => {
    const id = intParam(c.req.param("id"));
    const values = await formBody(c);
    const result = await submit(values, () =>
      answerFiling(c.var.app, { actor: actorOf(c), filingId: id, input: values }),
    );
    if (!result.ok) return filingScreen(c, id, { answer: result.state }, result.status);
    return done(c, `/filings/${result.result.id}`, "回答して、届出を再送しました。");
  });

  r.post("/filings/:id/document", async (c) => {
    const id = intParam(c.req.param("id"));
    const values = await formBody(c);
    const result = await submit(values, () =>
      recordDocument(c.var.app, { actor: actorOf(c), subject: { type: "filing", id }, input: values }),
    );
    if (!result.ok) return filingScreen(c, id, { document: result.state }, result.status);
    return done(c, `/filings/${id}`, "文書番号・決裁日を記録しました。");
  });

  return r;
}
