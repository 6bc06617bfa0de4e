/**
 * /staff, /role-assignments (with approval of oversight roles, 9), /acting-assignments
 * (職務代理・事務取扱), /privileged-roles, /transfers, /settings/two-factor-roles.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { issuePasswordLink, rolesRequiringTwoFactor } from "../../app/auth/sessions.ts";
import { resetTwoFactor, setRequiredTwoFactorRoles } from "../../app/auth/two-factor.ts";
import { authorize } from "../../app/authorize.ts";
import { actingFor, actingInput, recordActing, revokeActing } from "../../app/staff/acting.ts";
import {
  createStaff,
  getStaff,
  searchStaff,
  setStaffActive,
  staffInput,
  updateStaff,
} from "../../app/staff/people.ts";
import {
  approveRole,
  assignmentInput,
  assignRole,
  declineRole,
  listAssignments,
  privilegedHolders,
  revokeRole,
  rolesOf,
} from "../../app/staff/roles.ts";
import { cancelTransfer, listTransfers, recordTransfer, transferInput } from "../../app/staff/transfers.ts";
import { roles } from "../../domain/roles.ts";
import { notFound } from "../../errors.ts";
import type { AppEnv } from "../env.ts";
import { apiActor, created, idParam, jsonBody, ok } from "./helpers.ts";
import {
  actingDto,
  actingSchema,
  assignmentDto,
  assignmentSchema,
  grantDto,
  grantSchema,
  staffDto,
  staffSchema,
  transferDto,
  transferSchema,
} from "./schemas.ts";

const staffQuery = z.object({
  q: z.string().optional().openapi({ description: "氏名・ふりがな・職員番号・メールの部分一致" }),
  departmentId: z.coerce.number().int().positive().optional(),
  divisionId: z.coerce.number().int().positive().optional(),
  active: z.enum(["true", "false", "all"]).default("true"),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const route = {
  list: createRoute({
    method: "get",
    path: "/staff",
    operationId: "searchStaff",
    tags: ["staff"],
    summary: "職員の検索",
    request: { query: staffQuery },
    responses: ok(z.object({ items: z.array(staffSchema), total: z.number().int() }), "検索結果"),
  }),
  get: createRoute({
    method: "get",
    path: "/staff/{id}",
    operationId: "getStaff",
    tags: ["staff"],
    summary: "職員の詳細と役割",
    request: { params: idParam },
    responses: ok(
      z.object({ item: staffSchema, grants: z.array(grantSchema), assignments: z.array(assignmentSchema) }),
      "詳細",
    ),
  }),
  create: createRoute({
    method: "post",
    path: "/staff",
    operationId: "createStaff",
    tags: ["staff"],
    summary: "職員を追加",
    request: jsonBody(staffInput),
    responses: created(z.object({ item: staffSchema }), "追加した職員"),
  }),
  update: createRoute({
    method: "put",
    path: "/staff/{id}",
    operationId: "updateStaff",
    tags: ["staff"],
    summary: "職員情報を更新（所属の変更は人事異動で登録してください）",
    request: { params: idParam, ...jsonBody(staffInput) },
    responses: ok(z.object({ item: staffSchema }), "更新後の職員"),
  }),
  active: createRoute({
    method: "post",
    path: "/staff/{id}/active",
    operationId: "setStaffActive",
    tags: ["staff"],
    summary: "在職・無効（退職等）を切り替える。無効にするとログイン中のセッションも終了",
    request: { params: idParam, ...jsonBody(z.object({ active: z.boolean() })) },
    responses: ok(z.object({ item: staffSchema }), "更新後の職員"),
  }),
  passwordLink: createRoute({
    method: "post",
    path: "/staff/{id}/password-link",
    operationId: "issuePasswordLink",
    tags: ["staff"],
    summary:
      "パスワード設定用の一回限りのリンクを発行（再設定のときは全端末をログアウトさせ、APIトークンもすべて無効に）",
    request: { params: idParam },
    responses: created(
      z.object({
        url: z.string(),
        expiresAt: z.string(),
        tokensRevoked: z.number().int().openapi({ description: "無効にしたAPIトークンの数" }),
      }),
      "発行したリンク（この応答でのみ返ります）",
    ),
  }),
  resetTwoFactor: createRoute({
    method: "post",
    path: "/staff/{id}/reset-2fa",
    operationId: "resetTwoFactor",
    tags: ["staff"],
    summary: "2段階認証をリセット（端末紛失時。全端末をログアウトさせ、APIトークンもすべて無効に）",
    request: { params: idParam },
    responses: ok(
      z.object({
        reset: z.literal(true),
        tokensRevoked: z.number().int().openapi({ description: "無効にしたAPIトークンの数" }),
      }),
      "リセットした",
    ),
  }),
  assign: createRoute({
    method: "post",
    path: "/role-assignments",
    operationId: "assignRole",
    tags: ["roles"],
    summary:
      "役割を割り当てる（職から決まる役割は不可、第4-1(2)(4)。監査担当は validUntil を付けて提案し、承認後に有効）",
    request: jsonBody(assignmentInput),
    responses: created(z.object({ item: assignmentSchema }), "割り当て（監査担当は status: proposed）"),
  }),
  approve: createRoute({
    method: "post",
    path: "/role-assignments/{id}/approve",
    operationId: "approveRoleAssignment",
    tags: ["roles"],
    summary: "提案された監査担当を承認する（総合政策部長・情報統括管理者、本人・提案者以外）",
    request: { params: idParam },
    responses: ok(z.object({ item: assignmentSchema }), "承認した割り当て"),
  }),
  decline: createRoute({
    method: "post",
    path: "/role-assignments/{id}/decline",
    operationId: "declineRoleAssignment",
    tags: ["roles"],
    summary: "提案された監査担当を却下する",
    request: { params: idParam },
    responses: ok(z.object({ declined: z.literal(true) }), "却下した"),
  }),
  privileged: createRoute({
    method: "get",
    path: "/privileged-roles",
    operationId: "listPrivilegedRoles",
    tags: ["roles"],
    summary: "特権の保有者と承認待ちの提案（監査担当・総合政策部長・情報統括管理者）",
    responses: ok(
      z.object({
        roles: z.array(
          z.object({
            role: z.string(),
            office: z.string(),
            warning: z.string().nullable(),
            holders: z.array(
              z.object({
                staffId: z.number().int(),
                name: z.string(),
                source: z.enum(["post", "acting", "assignment"]),
                since: z.string(),
                until: z.string().nullable(),
              }),
            ),
          }),
        ),
        proposals: z.array(
          z.object({
            id: z.number().int(),
            role: z.string(),
            staffId: z.number().int(),
            validUntil: z.string().nullable(),
          }),
        ),
      }),
      "一覧",
    ),
  }),
  acting: createRoute({
    method: "get",
    path: "/staff/{id}/acting-assignments",
    operationId: "listActingAssignments",
    tags: ["roles"],
    summary: "職員の職務代理・事務取扱（代理する職と、代理される期間）",
    request: { params: idParam },
    responses: ok(z.object({ acting: z.array(actingSchema), absent: z.array(actingSchema) }), "一覧"),
  }),
  recordActing: createRoute({
    method: "post",
    path: "/acting-assignments",
    operationId: "createActingAssignment",
    tags: ["roles"],
    summary: "職務代理・事務取扱を登録する（期間中だけ代理される職の役割を担う、第4-1(2)(4)）",
    request: jsonBody(actingInput),
    responses: created(z.object({ item: actingSchema }), "登録した職務代理・事務取扱"),
  }),
  revokeActing: createRoute({
    method: "post",
    path: "/acting-assignments/{id}/revoke",
    operationId: "revokeActingAssignment",
    tags: ["roles"],
    summary: "職務代理・事務取扱を取り消す",
    request: { params: idParam },
    responses: ok(z.object({ revoked: z.literal(true) }), "取り消した"),
  }),
  revoke: createRoute({
    method: "delete",
    path: "/role-assignments/{id}",
    operationId: "removeRoleAssignment",
    tags: ["roles"],
    summary: "役割の割り当てを外す",
    request: { params: idParam },
    responses: ok(z.object({ revoked: z.literal(true) }), "外した"),
  }),
  transfers: createRoute({
    method: "get",
    path: "/transfers",
    operationId: "listTransfers",
    tags: ["transfers"],
    summary: "人事異動の一覧",
    request: {
      query: z.object({
        staffId: z.coerce.number().int().positive().optional(),
        status: z.enum(["scheduled", "applied", "cancelled"]).optional(),
      }),
    },
    responses: ok(z.object({ items: z.array(transferSchema) }), "一覧"),
  }),
  recordTransfer: createRoute({
    method: "post",
    path: "/transfers",
    operationId: "createTransfer",
    tags: ["transfers"],
    summary: "人事異動を登録（発令日が今日以前ならすぐに反映）",
    request: jsonBody(transferInput),
    responses: created(z.object({ item: transferSchema }), "登録した異動"),
  }),
  cancelTransfer: createRoute({
    method: "post",
    path: "/transfers/{id}/cancel",
    operationId: "cancelTransfer",
    tags: ["transfers"],
    summary: "発令前の人事異動を取り消す",
    request: { params: idParam },
    responses: ok(z.object({ cancelled: z.literal(true) }), "取り消した"),
  }),
  getTwoFactorRoles: createRoute({
    method: "get",
    path: "/settings/two-factor-roles",
    operationId: "getTwoFactorRoles",
    tags: ["settings"],
    summary: "2段階認証が必須の役割",
    responses: ok(z.object({ roles: z.array(z.enum(roles)) }), "設定"),
  }),
  putTwoFactorRoles: createRoute({
    method: "put",
    path: "/settings/two-factor-roles",
    operationId: "setTwoFactorRoles",
    tags: ["settings"],
    summary: "2段階認証が必須の役割を設定",
    request: jsonBody(z.object({ roles: z.array(z.enum(roles)) })),
    responses: ok(z.object({ roles: z.array(z.enum(roles)) }), "設定"),
  }),
};

export function staffApi() {
  const r = new OpenAPIHono<AppEnv>();
  const view = async (c: { var: AppEnv["Variables"] }, id: number) => {
    const actor = c.var.apiActor;
    if (!actor) throw notFound("職員");
    return staffDto(await getStaff(c.var.app, { actor, id }));
  };

  r.openapi(route.list, async (c) => {
    const q = c.req.valid("query");
    const result = await searchStaff(c.var.app, {
      actor: apiActor(c),
      filter: {
        text: q.q,
        departmentId: q.departmentId,
        divisionId: q.divisionId,
        active: q.active === "all" ? undefined : q.active === "true",
      },
      page: { offset: q.offset, limit: q.limit },
    });
    return c.json({ items: result.rows.map(staffDto), total: result.total }, 200);
  });
  r.openapi(route.get, async (c) => {
    const actor = apiActor(c);
    const { id } = c.req.valid("param");
    const item = await view(c, id);
    const grants = await rolesOf(c.var.app, { actor, staffId: id });
    const assignments = await listAssignments(c.var.app, { actor, staffId: id });
    return c.json({ item, grants: grants.map(grantDto), assignments: assignments.map(assignmentDto) }, 200);
  });
  r.openapi(route.create, async (c) => {
    const row = await createStaff(c.var.app, { actor: apiActor(c), input: c.req.valid("json") });
    return c.json({ item: await view(c, row.id) }, 201);
  });
  r.openapi(route.update, async (c) => {
    const { id } = c.req.valid("param");
    await updateStaff(c.var.app, { actor: apiActor(c), id, input: c.req.valid("json") });
    return c.json({ item: await view(c, id) }, 200);
  });
  r.openapi(route.active, async (c) => {
    const { id } = c.req.valid("param");
    await setStaffActive(c.var.app, { actor: apiActor(c), id, active: c.req.valid("json").active });
    return c.json({ item: await view(c, id) }, 200);
  });
  r.openapi(route.passwordLink, async (c) => {
    const link = await issuePasswordLink(c.var.app, { actor: apiActor(c), staffId: c.req.valid("param").id });
    return c.json(
      { url: link.url, expiresAt: link.expiresAt.toISOString(), tokensRevoked: link.tokensRevoked },
      201,
    );
  });
  r.openapi(route.resetTwoFactor, async (c) => {
    const { tokensRevoked } = await resetTwoFactor(c.var.app, {
      actor: apiActor(c),
      staffId: c.req.valid("param").id,
    });
    return c.json({ reset: true as const, tokensRevoked }, 200);
  });
  r.openapi(route.assign, async (c) => {
    const row = await assignRole(c.var.app, { actor: apiActor(c), input: c.req.valid("json") });
    return c.json({ item: assignmentDto(row) }, 201);
  });
  r.openapi(route.approve, async (c) => {
    const row = await approveRole(c.var.app, { actor: apiActor(c), id: c.req.valid("param").id });
    return c.json({ item: assignmentDto(row) }, 200);
  });
  r.openapi(route.decline, async (c) => {
    await declineRole(c.var.app, { actor: apiActor(c), id: c.req.valid("param").id });
    return c.json({ declined: true as const }, 200);
  });
  r.openapi(route.privileged, async (c) => {
    const page = await privilegedHolders(c.var.app, { actor: apiActor(c) });
    return c.json(
      {
        roles: page.roles.map((r) => ({
          role: r.role,
          office: r.office,
          warning: r.warning,
          holders: r.holders.map((h) => ({
            staffId: h.staffId,
            name: h.name,
            source: h.source,
            since: h.since,
            until: h.until,
          })),
        })),
        proposals: page.proposals.map((p) => ({
          id: p.id,
          role: p.role,
          staffId: p.staffId,
          validUntil: p.validUntil,
        })),
      },
      200,
    );
  });
  r.openapi(route.acting, async (c) => {
    const found = await actingFor(c.var.app, { actor: apiActor(c), staffId: c.req.valid("param").id });
    return c.json({ acting: found.acting.map(actingDto), absent: found.absent.map(actingDto) }, 200);
  });
  r.openapi(route.recordActing, async (c) => {
    const row = await recordActing(c.var.app, { actor: apiActor(c), input: c.req.valid("json") });
    return c.json({ item: actingDto(row) }, 201);
  });
  r.openapi(route.revokeActing, async (c) => {
    await revokeActing(c.var.app, { actor: apiActor(c), id: c.req.valid("param").id });
    return c.json({ revoked: true as const }, 200);
  });
  r.openapi(route.revoke, async (c) => {
    await revokeRole(c.var.app, { actor: apiActor(c), assignmentId: c.req.valid("param").id });
    return c.json({ revoked: true as const }, 200);
  });
  r.openapi(route.transfers, async (c) => {
    const q = c.req.valid("query");
    const rows = await listTransfers(c.var.app, { actor: apiActor(c), staffId: q.staffId, status: q.status });
    return c.json({ items: rows.map(transferDto) }, 200);
  });
  r.openapi(route.recordTransfer, async (c) => {
    const row = await recordTransfer(c.var.app, { actor: apiActor(c), input: c.req.valid("json") });
    return c.json({ item: transferDto(row) }, 201);
  });
  r.openapi(route.cancelTransfer, async (c) => {
    await cancelTransfer(c.var.app, { actor: apiActor(c), id: c.req.valid("param").id });
    return c.json({ cancelled: true as const }, 200);
  });
  r.openapi(route.getTwoFactorRoles, async (c) => {
    await authorize(c.var.app, apiActor(c), "settings.manage");
    return c.json({ roles: await rolesRequiringTwoFactor(c.var.app.db) }, 200);
  });
  r.openapi(route.putTwoFactorRoles, async (c) => {
    const saved = await setRequiredTwoFactorRoles(c.var.app, {
      actor: apiActor(c),
      input: c.req.valid("json"),
    });
    return c.json({ roles: saved }, 200);
  });
  return r;
}
