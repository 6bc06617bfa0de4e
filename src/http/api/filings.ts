/**
 * /filings: 届出 to the directors (4.1.2 取得後の情報統括管理者への届出; 4.5.1 変更・廃止の
 * 総合政策部長・情報統括管理者への届出) — list them with who sent and who confirmed them, when;
 * read one with what it says; confirm or ask a question (the director it is addressed to);
 * answer and send it again (the account manager); record its 文書番号・決裁日. The JSON twins of
 * the /filings pages. Mounted by the accounts API.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { documentInput, recordDocument } from "../../app/documents/record.ts";
import { answerFiling, answerInput } from "../../app/filings/answer.ts";
import { confirmFiling, questionFiling, questionInput } from "../../app/filings/decide.ts";
import { filingList, filingPage } from "../../app/filings/read.ts";
import type { DocumentRecord } from "../../db/repos/documents.ts";
import type { Filing, FilingView } from "../../db/repos/filings.ts";
import { filingKinds, filingStatuses } from "../../domain/filings.ts";
import type { AppEnv } from "../env.ts";
import { apiActor, idParam, jsonBody, ok } from "./helpers.ts";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const filingSchema = z
  .object({
    id: z.number().int(),
    accountId: z.number().int(),
    noticeId: z.number().int().nullable(),
    kind: z.enum(filingKinds).openapi({
      description:
        "acquisition: 取得後の情報統括管理者への届出（第4-1(2)）、notice_policy: 変更・廃止の周知前の総合政策部長への届出、notice_security: 周知後の情報統括管理者への届出（第4-5(1)）",
    }),
    round: z.number().int().openapi({ description: "第何回の送付か（質問に回答して再送すると増えます）" }),
    status: z.enum(filingStatuses).openapi({
      description:
        "sent: 確認待ち、confirmed: 確認済み、questioned: 質問あり、superseded: 再送で差し替え、withdrawn: 取下げ",
    }),
    content: z.record(z.string(), z.unknown()).openapi({ description: "送付した内容（送付時点のもの）" }),
    message: z.string().openapi({ description: "送付者のコメント、または質問への回答" }),
    sentAt: z.string(),
    sentBy: z.number().int().nullable(),
    sentByName: z.string().nullable(),
    confirmedAt: z.string().nullable(),
    confirmedBy: z.number().int().nullable(),
    confirmedByName: z.string().nullable(),
    question: z.string(),
    questionedAt: z.string().nullable(),
    questionedByName: z.string().nullable(),
  })
  .openapi("Filing");

function record(value: unknown): Record<string, unknown> {
  if (typeof value !== "object" || value === null) return {};
  return Object.fromEntries(Object.entries(value));
}

/** A filing as the API shows it (with names when the row has them). */
export function filingDto(f: Filing | FilingView) {
  const names = "sentByName" in f ? f : { sentByName: null, confirmedByName: null, questionedByName: null };
  return {
    id: f.id,
    accountId: f.accountId,
    noticeId: f.noticeId,
    kind: f.kind,
    round: f.round,
    status: f.status,
    content: record(f.content),
    message: f.message,
    sentAt: f.sentAt.toISOString(),
    sentBy: f.sentBy,
    sentByName: names.sentByName,
    confirmedAt: iso(f.confirmedAt),
    confirmedBy: f.confirmedBy,
    confirmedByName: names.confirmedByName,
    question: f.question,
    questionedAt: iso(f.questionedAt),
    questionedByName: names.questionedByName,
  };
}

export const documentSchema = z
  .object({
    version: z.number().int(),
    documentNumber: z.string(),
    decidedOn: z.string().nullable(),
    reason: z.string(),
    recordedBy: z.number().int().nullable(),
    recordedAt: z.string(),
  })
  .openapi("DocumentRecord");

export function documentDto(d: DocumentRecord) {
  return {
    version: d.version,
    documentNumber: d.documentNumber,
    decidedOn: d.decidedOn,
    reason: d.reason,
    recordedBy: d.recordedBy,
    recordedAt: d.recordedAt.toISOString(),
  };
}

const tags = ["filings"];
const item = z.object({ item: filingSchema });

const route = {
  list: createRoute({
    method: "get",
    path: "/filings",
    operationId: "listFilings",
    tags,
    summary: "届出の一覧（見る権限のあるもの、新しい順）",
    request: {
      query: z.object({ status: z.enum(filingStatuses).optional(), kind: z.enum(filingKinds).optional() }),
    },
    responses: ok(z.object({ items: z.array(filingSchema) }), "一覧"),
  }),
  get: createRoute({
    method: "get",
    path: "/filings/{id}",
    operationId: "getFiling",
    tags,
    summary: "届出の内容、これまでの送付（回）、文書番号・決裁日の記録",
    request: { params: idParam },
    responses: ok(
      z.object({ item: filingSchema, rounds: z.array(filingSchema), documents: z.array(documentSchema) }),
      "届出",
    ),
  }),
  confirm: createRoute({
    method: "post",
    path: "/filings/{id}/confirmation",
    operationId: "confirmFiling",
    tags,
    summary: "届出を確認する（宛先の総合政策部長・情報統括管理者）",
    request: { params: idParam },
    responses: ok(item, "確認した届出"),
  }),
  question: createRoute({
    method: "post",
    path: "/filings/{id}/question",
    operationId: "askAboutFiling",
    tags,
    summary: "届出に質問する（アカウント管理者に戻ります）",
    request: { params: idParam, ...jsonBody(questionInput) },
    responses: ok(item, "質問した届出"),
  }),
  answer: createRoute({
    method: "post",
    path: "/filings/{id}/answer",
    operationId: "answerFilingQuestion",
    tags,
    summary: "質問に回答し、届出を再送する（アカウント管理者）",
    request: { params: idParam, ...jsonBody(answerInput) },
    responses: ok(item, "再送した届出（次の回）"),
  }),
  document: createRoute({
    method: "post",
    path: "/filings/{id}/document",
    operationId: "recordFilingDocument",
    tags,
    summary: "届出の文書番号・決裁日を記録（訂正は理由を付けて新しい版）",
    request: { params: idParam, ...jsonBody(documentInput) },
    responses: ok(z.object({ item: documentSchema }), "記録した版"),
  }),
};

export function filingsApi() {
  const r = new OpenAPIHono<AppEnv>();
  r.openapi(route.list, async (c) => {
    const q = c.req.valid("query");
    const rows = await filingList(c.var.app, {
      actor: apiActor(c),
      statuses: q.status ? [q.status] : undefined,
      kinds: q.kind ? [q.kind] : undefined,
    });
    return c.json({ items: rows.map(filingDto) }, 200);
  });
  r.openapi(route.get, async (c) => {
    const page = await filingPage(c.var.app, { actor: apiActor(c), id: c.req.valid("param").id });
    return c.json(
      {
        item: filingDto(page.filing),
        rounds: page.rounds.map(filingDto),
        documents: page.documents.map(documentDto),
      },
      200,
    );
  });
  r.openapi(route.confirm, async (c) => {
    const row = await confirmFiling(c.var.app, { actor: apiActor(c), filingId: c.req.valid("param").id });
    return c.json({ item: filingDto(row) }, 200);
  });
  r.openapi(route.question, async (c) => {
    const row = await questionFiling(c.var.app, {
      actor: apiActor(c),
      filingId: c.req.valid("param").id,
      input: c.req.valid("json"),
    });
    return c.json({ item: filingDto(row) }, 200);
  });
  r.openapi(route.answer, async (c) => {
    const row = await answerFiling(c.var.app, {
      actor: apiActor(c),
      filingId: c.req.valid("param").id,
      input: c.req.valid("json"),
    });
    return c.json({ item: filingDto(row) }, 200);
  });
  r.openapi(route.document, async (c) => {
    const row = await recordDocument(c.var.app, {
      actor: apiActor(c),
      subject: { type: "filing", id: c.req.valid("param").id },
      input: c.req.valid("json"),
    });
    return c.json({ item: documentDto(row) }, 200);
  });
  return r;
}
