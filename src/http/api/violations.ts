/**
 * /violations: the JSON twins of the violation pages (9), for the policy director, the security
 * director and auditors (read only). To everyone else every route answers 404 with the same
 * body whatever the id, as if the records did not exist.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { requireViolationReader } from "../../app/violations/access.ts";
import {
  createViolation,
  getViolation,
  listViolations,
  setViolationStatus,
  updateViolation,
  violationInput,
  violationStatusInput,
} from "../../app/violations/violations.ts";
import type { ViolationRow, ViolationView } from "../../db/repos/violations.ts";
import { violationRoles, violationSeverities, violationStatuses } from "../../domain/violations.ts";
import type { AppEnv } from "../env.ts";
import { apiActor, created, idParam, jsonBody, ok } from "./helpers.ts";

const tags = ["violations"];

const violationSchema = z
  .object({
    id: z.number().int(),
    clause: z.string().openapi({ description: "違反した条項（5.2.2.1 = 第5-2(2)①）" }),
    severity: z.enum(violationSeverities).openapi({ description: "low: 軽微、medium: 中程度、high: 重大" }),
    circumstances: z.string(),
    properProcedure: z.boolean().openapi({
      description: "悪意ある要求に正規の手続きを経て応じた行為か（第9 ただし書: true なら処罰の対象外）",
    }),
    outcome: z.string(),
    status: z.enum(violationStatuses).openapi({ description: "open: 対応中、closed: 終結" }),
    postId: z.number().int().nullable(),
    incidentId: z.number().int().nullable(),
    people: z.array(
      z.object({
        staffId: z.number().int(),
        employeeNo: z.string(),
        name: z.string(),
        role: z.enum(violationRoles).openapi({
          description: "violator: 違反した職員、abettor: 違反を助長した職員、supervisor: 監督責任者",
        }),
      }),
    ),
    createdBy: z.number().int().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("ViolationRecord");

function roleOf(role: string): (typeof violationRoles)[number] {
  return violationRoles.find((r) => r === role) ?? "violator";
}

function dto(v: ViolationView | (ViolationRow & { people?: ViolationView["people"] })) {
  return {
    id: v.id,
    clause: v.clause,
    severity: violationSeverities.find((s) => s === v.severity) ?? "medium",
    circumstances: v.circumstances,
    properProcedure: v.properProcedure,
    outcome: v.outcome,
    status: violationStatuses.find((s) => s === v.status) ?? "open",
    postId: v.postId,
    incidentId: v.incidentId,
    people: (v.people ?? []).map((p) => ({
      staffId: p.staffId,
      employeeNo: p.employeeNo,
      name: p.name,
      role: roleOf(p.role),
    })),
    createdBy: v.createdBy,
    createdAt: v.createdAt.toISOString(),
    updatedAt: v.updatedAt.toISOString(),
  };
}

const restricted =
  "総合政策部長・情報統括管理者・監査担当のみ。それ以外の職員には、記録の有無にかかわらず 404 を返します。";

const route = {
  list: createRoute({
    method: "get",
    path: "/violations",
    operationId: "listViolations",
    tags,
    summary: `違反の記録の一覧（${restricted}）`,
    request: {
      query: z.object({
        status: z.enum(violationStatuses).optional(),
        q: z.string().max(200).optional().openapi({ description: "状況・結果のキーワード" }),
      }),
    },
    responses: ok(z.object({ items: z.array(violationSchema) }), "記録"),
  }),
  get: createRoute({
    method: "get",
    path: "/violations/{id}",
    operationId: "getViolation",
    tags,
    summary: `違反の記録（${restricted}）`,
    request: { params: idParam },
    responses: ok(z.object({ item: violationSchema }), "記録"),
  }),
  create: createRoute({
    method: "post",
    path: "/violations",
    operationId: "recordViolation",
    tags,
    summary: "違反の記録を作成（総合政策部長・情報統括管理者）。関係する職員は職員番号で指定します",
    request: jsonBody(violationInput),
    responses: created(z.object({ item: violationSchema }), "作成した記録"),
  }),
  update: createRoute({
    method: "put",
    path: "/violations/{id}",
    operationId: "updateViolation",
    tags,
    summary: "違反の記録を変更（対応中の記録のみ）",
    request: { params: idParam, ...jsonBody(violationInput) },
    responses: ok(z.object({ item: violationSchema }), "変更後の記録"),
  }),
  status: createRoute({
    method: "post",
    path: "/violations/{id}/status",
    operationId: "setViolationStatus",
    tags,
    summary: "記録を終結にする・対応中に戻す",
    request: { params: idParam, ...jsonBody(violationStatusInput) },
    responses: ok(z.object({ item: violationSchema }), "変更後の記録"),
  }),
};

export function violationsApi() {
  const r = new OpenAPIHono<AppEnv>();
  // Before the body or the query is validated: to those who may not read violations, every
  // route here is the same 404.
  const gate: MiddlewareHandler<AppEnv> = async (c, next) => {
    await requireViolationReader(c.var.app, apiActor(c));
    await next();
  };
  r.use("/violations", gate);
  r.use("/violations/*", gate);
  r.openapi(route.list, async (c) => {
    const q = c.req.valid("query");
    const items = await listViolations(c.var.app, {
      actor: apiActor(c),
      filter: { status: q.status, text: q.q },
    });
    return c.json({ items: items.map(dto) }, 200);
  });
  r.openapi(route.get, async (c) => {
    const item = await getViolation(c.var.app, { actor: apiActor(c), id: c.req.valid("param").id });
    return c.json({ item: dto(item) }, 200);
  });
  r.openapi(route.create, async (c) => {
    const actor = apiActor(c);
    const row = await createViolation(c.var.app, { actor, input: c.req.valid("json") });
    return c.json({ item: dto(await getViolation(c.var.app, { actor, id: row.id })) }, 201);
  });
  r.openapi(route.update, async (c) => {
    const actor = apiActor(c);
    const id = c.req.valid("param").id;
    await updateViolation(c.var.app, { actor, id, input: c.req.valid("json") });
    return c.json({ item: dto(await getViolation(c.var.app, { actor, id })) }, 200);
  });
  r.openapi(route.status, async (c) => {
    const actor = apiActor(c);
    const id = c.req.valid("param").id;
    await setViolationStatus(c.var.app, { actor, id, input: c.req.valid("json") });
    return c.json({ item: dto(await getViolation(c.var.app, { actor, id })) }, 200);
  });
  return r;
}
