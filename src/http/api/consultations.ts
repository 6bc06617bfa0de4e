/**
 * /consultations: the JSON twins of the consultation pages (10) — search the knowledge base by
 * words and tag, ask, read one, answer (the consultation desk), close and reopen.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import {
  answerConsultation,
  answerInput,
  askConsultation,
  askInput,
  getConsultation,
  searchConsultations,
  setConsultationOpen,
} from "../../app/consultations/consultations.ts";
import type { ConsultationRow, ConsultationView } from "../../db/repos/consultations.ts";
import { consultationStatuses, DESK_CLOSE_AFTER_DAYS, tagsOf } from "../../domain/consultations.ts";
import type { AppEnv } from "../env.ts";
import { apiActor, created, idParam, jsonBody, ok } from "./helpers.ts";

const tags = ["consultations"];

const consultationSchema = z
  .object({
    id: z.number().int(),
    title: z.string(),
    question: z.string(),
    tags: z.array(z.string()),
    status: z
      .enum(consultationStatuses)
      .openapi({ description: "open: 回答待ち、answered: 回答済み、closed: 解決済み" }),
    askedBy: z.number().int().nullable(),
    askedByName: z.string().nullable(),
    askedAt: z.string(),
    answer: z.string(),
    answeredBy: z.number().int().nullable(),
    answeredByName: z.string().nullable(),
    answeredAt: z.string().nullable(),
    closedAt: z.string().nullable(),
  })
  .openapi("Consultation");

function dto(c: ConsultationRow & Partial<Pick<ConsultationView, "askedByName" | "answeredByName">>) {
  return {
    id: c.id,
    title: c.title,
    question: c.question,
    tags: tagsOf(c.tags),
    status: consultationStatuses.find((s) => s === c.status) ?? "open",
    askedBy: c.askedBy,
    askedByName: c.askedByName ?? null,
    askedAt: c.askedAt.toISOString(),
    answer: c.answer,
    answeredBy: c.answeredBy,
    answeredByName: c.answeredByName ?? null,
    answeredAt: c.answeredAt?.toISOString() ?? null,
    closedAt: c.closedAt?.toISOString() ?? null,
  };
}

const route = {
  search: createRoute({
    method: "get",
    path: "/consultations",
    operationId: "searchConsultations",
    tags,
    summary:
      "協議の検索（回答済みの協議はすべての職員が、回答待ちは協議を申し出た職員・協議先・総合政策部長が見られます）",
    request: {
      query: z.object({
        q: z
          .string()
          .max(200)
          .optional()
          .openapi({ description: "件名・内容・回答・タグの言葉（空白区切りはすべてを含む）" }),
        tag: z.string().max(40).optional(),
        status: z.enum(consultationStatuses).optional(),
      }),
    },
    responses: ok(z.object({ items: z.array(consultationSchema), total: z.number().int() }), "協議"),
  }),
  get: createRoute({
    method: "get",
    path: "/consultations/{id}",
    operationId: "getConsultation",
    tags,
    summary: "協議と回答",
    request: { params: idParam },
    responses: ok(z.object({ item: consultationSchema }), "協議"),
  }),
  ask: createRoute({
    method: "post",
    path: "/consultations",
    operationId: "askConsultation",
    tags,
    summary: "ふるさと発信課長（協議先）に協議する",
    request: jsonBody(askInput),
    responses: created(z.object({ item: consultationSchema }), "受け付けた協議"),
  }),
  answer: createRoute({
    method: "post",
    path: "/consultations/{id}/answer",
    operationId: "answerConsultation",
    tags,
    summary: "回答する・回答を直す（協議先）",
    request: { params: idParam, ...jsonBody(answerInput) },
    responses: ok(z.object({ item: consultationSchema }), "回答した協議"),
  }),
  close: createRoute({
    method: "post",
    path: "/consultations/{id}/close",
    operationId: "closeConsultation",
    tags,
    summary: `解決済みにする（協議を申し出た職員。協議先は、回答から${DESK_CLOSE_AFTER_DAYS}日たっても協議を申し出た職員から返事がない場合に限る。ほかは403）`,
    request: { params: idParam },
    responses: ok(z.object({ item: consultationSchema }), "解決済みの協議"),
  }),
  reopen: createRoute({
    method: "post",
    path: "/consultations/{id}/reopen",
    operationId: "reopenConsultation",
    tags,
    summary:
      "協議を再開する（協議を申し出た職員は回答済み・解決済みの協議を再開でき、協議は回答待ちに戻る。協議先は解決済みの協議を再開できる）",
    request: { params: idParam },
    responses: ok(z.object({ item: consultationSchema }), "再開した協議"),
  }),
};

export function consultationsApi() {
  const r = new OpenAPIHono<AppEnv>();
  r.openapi(route.search, async (c) => {
    const q = c.req.valid("query");
    const result = await searchConsultations(c.var.app, {
      actor: apiActor(c),
      filter: { text: q.q, tag: q.tag, status: q.status },
    });
    return c.json({ items: result.rows.map(dto), total: result.total }, 200);
  });
  r.openapi(route.get, async (c) => {
    const { consultation } = await getConsultation(c.var.app, {
      actor: apiActor(c),
      id: c.req.valid("param").id,
    });
    return c.json({ item: dto(consultation) }, 200);
  });
  r.openapi(route.ask, async (c) => {
    const item = await askConsultation(c.var.app, { actor: apiActor(c), input: c.req.valid("json") });
    return c.json({ item: dto(item) }, 201);
  });
  r.openapi(route.answer, async (c) => {
    const item = await answerConsultation(c.var.app, {
      actor: apiActor(c),
      id: c.req.valid("param").id,
      input: c.req.valid("json"),
    });
    return c.json({ item: dto(item) }, 200);
  });
  r.openapi(route.close, async (c) => {
    const item = await setConsultationOpen(c.var.app, {
      actor: apiActor(c),
      id: c.req.valid("param").id,
      closed: true,
    });
    return c.json({ item: dto(item) }, 200);
  });
  r.openapi(route.reopen, async (c) => {
    const item = await setConsultationOpen(c.var.app, {
      actor: apiActor(c),
      id: c.req.valid("param").id,
      closed: false,
    });
    return c.json({ item: dto(item) }, 200);
  });
  return r;
}
