/**
 * JSON API twins of the credentials pages (4.3), the task pages and the dashboard's account
 * health: /accounts/{id}/credentials (holders, password changes, security settings), /tasks,
 * /tasks/{id}, /tasks/{id}/close, /account-health. Same use cases, permissions and audit entries
 * as the pages.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { type AccountHealth, accountHealth, healthKeys } from "../../app/accounts/health.ts";
import {
  addHolder,
  type CredentialsView,
  getCredentials,
  type MemberView,
  recordPasswordChange,
  removeHolder,
  updateSecurity,
} from "../../app/credentials/credentials.ts";
import { completeTask, getTask, type TaskItem, taskBoard } from "../../app/credentials/tasks.ts";
import type { AppEnv } from "../env.ts";
import { apiActor, created, idParam, jsonBody, ok } from "./helpers.ts";

const memberSchema = z
  .object({
    staffId: z.number().int(),
    name: z.string(),
    employeeNo: z.string(),
    placement: z.enum(["here", "elsewhere", "inactive"]).openapi({
      description:
        "here: アカウントの課の職員 / elsewhere: 他の課に所属（異動した運用に携わる職員など） / inactive: 在職していない",
    }),
    divisionName: z.string().nullable(),
    addedAt: z.string(),
  })
  .openapi("CredentialMember");

const taskSchema = z
  .object({
    id: z.number().int(),
    kind: z.string().openapi({ example: "password_rotation" }),
    kindLabel: z.string(),
    title: z.string(),
    clause: z.string().openapi({ example: "4.3.2" }),
    accountId: z.number().int().nullable(),
    accountName: z.string().nullable(),
    assigneeId: z.number().int().nullable(),
    assigneeName: z.string().nullable(),
    dueDate: z.string().nullable(),
    overdue: z.boolean(),
    status: z.string(),
    openedAt: z.string(),
    doneAt: z.string().nullable(),
    doneBy: z.number().int().nullable(),
    resolution: z.unknown(),
  })
  .openapi("Task");

const credentialsSchema = z
  .object({
    accountId: z.number().int(),
    holders: z.array(memberSchema),
    operators: z.array(memberSchema),
    maxHolders: z.number().int(),
    overLimit: z.boolean().openapi({ description: "ID・パスワードを扱う職員が上限を超えている（第4-3(1)）" }),
    passwordChangedAt: z.string().nullable(),
    passwordChangedBy: z.object({ staffId: z.number().int(), name: z.string().nullable() }).nullable(),
    mfaEnabled: z.boolean(),
    securityPolicyRef: z.string(),
    rotationTasks: z.array(taskSchema),
    managerVacant: z.boolean(),
    editable: z.boolean(),
    canManage: z.boolean(),
  })
  .openapi("Credentials");

const healthItemSchema = z.object({
  label: z.string(),
  tone: z.enum(["ok", "warn", "error", "muted"]),
  detail: z.string().optional(),
  clause: z.string(),
  problem: z.boolean(),
});

const healthSchema = z
  .object({
    account: z.object({
      id: z.number().int(),
      name: z.string(),
      platform: z.string(),
      status: z.string(),
      statusLabel: z.string(),
      divisionName: z.string(),
      departmentName: z.string(),
      managerName: z.string().nullable(),
    }),
    items: z.object(Object.fromEntries(healthKeys.map((k) => [k, healthItemSchema]))),
    problems: z.number().int(),
  })
  .openapi("AccountHealth");

const memberDto = (m: MemberView) => ({
  staffId: m.staffId,
  name: m.name,
  employeeNo: m.employeeNo,
  placement: m.placement,
  divisionName: m.divisionName,
  addedAt: m.addedAt.toISOString(),
});

const taskDto = (t: TaskItem) => ({
  id: t.id,
  kind: t.kind,
  kindLabel: t.kindLabel,
  title: t.title,
  clause: t.clause,
  accountId: t.accountId,
  accountName: t.accountName,
  assigneeId: t.assigneeId,
  assigneeName: t.assigneeName,
  dueDate: t.dueDate,
  overdue: t.overdue,
  status: t.status,
  openedAt: t.openedAt.toISOString(),
  doneAt: t.doneAt ? t.doneAt.toISOString() : null,
  doneBy: t.doneBy,
  resolution: t.resolution,
});

const credentialsDto = (v: CredentialsView) => ({
  accountId: v.account.id,
  holders: v.holders.map(memberDto),
  operators: v.operators.map(memberDto),
  maxHolders: v.maxHolders,
  overLimit: v.overLimit,
  passwordChangedAt: v.passwordChangedAt ? v.passwordChangedAt.toISOString() : null,
  passwordChangedBy:
    v.account.passwordChangedBy === null
      ? null
      : { staffId: v.account.passwordChangedBy, name: v.passwordChangedByName },
  mfaEnabled: v.mfaEnabled,
  securityPolicyRef: v.securityPolicyRef,
  rotationTasks: v.rotations.map(taskDto),
  managerVacant: v.managerVacant,
  editable: v.editable,
  canManage: v.canManage,
});

const healthDto = (h: AccountHealth) => ({ account: h.account, items: h.items, problems: h.problems });

const holderParams = z.object({
  id: idParam.shape.id,
  staffId: z.coerce
    .number()
    .int()
    .positive()
    .openapi({ param: { name: "staffId", in: "path" }, example: 5 }),
});

const tags = ["credentials"];

const route = {
  get: createRoute({
    method: "get",
    path: "/accounts/{id}/credentials",
    operationId: "getCredentials",
    tags,
    summary: "ID・パスワード管理の状況（パスワードそのものは保存していません）",
    request: { params: idParam },
    responses: ok(z.object({ item: credentialsSchema }), "状況"),
  }),
  addHolder: createRoute({
    method: "post",
    path: "/accounts/{id}/credentials/holders",
    operationId: "addCredentialHolder",
    tags,
    summary: "ID・パスワードを扱う職員を追加（第4-3(1)、上限を超えると overLimit=true）",
    request: {
      params: idParam,
      ...jsonBody(
        z.object({
          staffId: z.number().int().positive().optional(),
          employeeNo: z.string().optional().openapi({ description: "staffId の代わりに職員番号で指定" }),
        }),
      ),
    },
    responses: created(z.object({ item: credentialsSchema, overLimit: z.boolean() }), "追加後の状況"),
  }),
  removeHolder: createRoute({
    method: "delete",
    path: "/accounts/{id}/credentials/holders/{staffId}",
    operationId: "removeCredentialHolder",
    tags,
    summary: "ID・パスワードを扱う職員から外す",
    request: { params: holderParams },
    responses: ok(z.object({ item: credentialsSchema }), "外した後の状況"),
  }),
  passwordChange: createRoute({
    method: "post",
    path: "/accounts/{id}/credentials/password-changes",
    operationId: "recordPasswordChange",
    tags,
    summary: "パスワードを変更したことを記録（第4-3(2)）。満たされたパスワード変更タスクも完了になります",
    request: {
      params: idParam,
      ...jsonBody(
        z.object({
          changedAt: z.string().openapi({ example: "2026-04-01T09:30:00+09:00" }),
          changedById: z.number().int().positive().optional().openapi({ description: "省略時は自分" }),
        }),
      ),
    },
    responses: created(z.object({ closedTaskIds: z.array(z.number().int()) }), "完了にしたタスク"),
  }),
  security: createRoute({
    method: "put",
    path: "/accounts/{id}/credentials/security",
    operationId: "setCredentialSecurity",
    tags,
    summary: "2段階認証の状態と情報セキュリティポリシーの該当箇所（第4-3(3)）",
    request: {
      params: idParam,
      ...jsonBody(z.object({ mfaEnabled: z.boolean(), securityPolicyRef: z.string().max(500).optional() })),
    },
    responses: ok(z.object({ item: credentialsSchema }), "保存後の状況"),
  }),
  tasks: createRoute({
    method: "get",
    path: "/tasks",
    operationId: "listTasks",
    tags: ["tasks"],
    summary: "自分のタスク、所管アカウントのタスク（課等の長）、過去90日に完了したタスク",
    responses: ok(
      z.object({ mine: z.array(taskSchema), division: z.array(taskSchema), done: z.array(taskSchema) }),
      "タスク",
    ),
  }),
  task: createRoute({
    method: "get",
    path: "/tasks/{id}",
    operationId: "getTask",
    tags: ["tasks"],
    summary: "タスクの詳細",
    request: { params: idParam },
    responses: ok(
      z.object({
        item: taskSchema,
        cause: z.string().nullable(),
        resolution: z.array(z.string()),
        canClose: z.boolean(),
        form: z.enum(["rotation", "confirm", "generic", "elsewhere", "none"]),
      }),
      "詳細",
    ),
  }),
  close: createRoute({
    method: "post",
    path: "/tasks/{id}/close",
    operationId: "closeTask",
    tags: ["tasks"],
    summary:
      "タスクを完了にする。password_rotation は changedAt・changedById、manager_change_confirm は operatorIds・holderIds（全員）、その他は note",
    request: {
      params: idParam,
      ...jsonBody(
        z.object({
          changedAt: z.string().optional(),
          changedById: z.number().int().positive().optional(),
          operatorIds: z.array(z.number().int().positive()).optional(),
          holderIds: z.array(z.number().int().positive()).optional(),
          note: z.string().max(1000).optional(),
        }),
      ),
    },
    responses: ok(z.object({ closedTaskIds: z.array(z.number().int()) }), "完了にしたタスク"),
  }),
  health: createRoute({
    method: "get",
    path: "/account-health",
    operationId: "listAccountHealth",
    tags: ["accounts"],
    summary: "担当アカウント（総合政策部長・情報統括管理者・監査担当・システム管理者はすべて）の状況",
    responses: ok(z.object({ items: z.array(healthSchema) }), "アカウントごとの状況"),
  }),
};

export function credentialsApi() {
  const r = new OpenAPIHono<AppEnv>();
  r.openapi(route.get, async (c) => {
    const item = await getCredentials(c.var.app, { actor: apiActor(c), accountId: c.req.valid("param").id });
    return c.json({ item: credentialsDto(item) }, 200);
  });
  r.openapi(route.addHolder, async (c) => {
    const accountId = c.req.valid("param").id;
    const result = await addHolder(c.var.app, { actor: apiActor(c), accountId, input: c.req.valid("json") });
    const item = await getCredentials(c.var.app, { actor: apiActor(c), accountId });
    return c.json({ item: credentialsDto(item), overLimit: result.overLimit }, 201);
  });
  r.openapi(route.removeHolder, async (c) => {
    const { id, staffId } = c.req.valid("param");
    await removeHolder(c.var.app, { actor: apiActor(c), accountId: id, staffId });
    return c.json(
      { item: credentialsDto(await getCredentials(c.var.app, { actor: apiActor(c), accountId: id })) },
      200,
    );
  });
  r.openapi(route.passwordChange, async (c) => {
    const accountId = c.req.valid("param").id;
    const result = await recordPasswordChange(c.var.app, {
      actor: apiActor(c),
      accountId,
      input: c.req.valid("json"),
    });
    return c.json(result, 201);
  });
  r.openapi(route.security, async (c) => {
    const accountId = c.req.valid("param").id;
    await updateSecurity(c.var.app, { actor: apiActor(c), accountId, input: c.req.valid("json") });
    return c.json(
      { item: credentialsDto(await getCredentials(c.var.app, { actor: apiActor(c), accountId })) },
      200,
    );
  });
  r.openapi(route.tasks, async (c) => {
    const board = await taskBoard(c.var.app, { actor: apiActor(c) });
    return c.json(
      { mine: board.mine.map(taskDto), division: board.division.map(taskDto), done: board.done.map(taskDto) },
      200,
    );
  });
  r.openapi(route.task, async (c) => {
    const detail = await getTask(c.var.app, { actor: apiActor(c), id: c.req.valid("param").id });
    return c.json(
      {
        item: taskDto(detail.task),
        cause: detail.causeText,
        resolution: detail.resolutionLines,
        canClose: detail.canClose,
        form: detail.form,
      },
      200,
    );
  });
  r.openapi(route.close, async (c) => {
    const result = await completeTask(c.var.app, {
      actor: apiActor(c),
      id: c.req.valid("param").id,
      input: c.req.valid("json"),
    });
    return c.json(result, 200);
  });
  r.openapi(route.health, async (c) => {
    const rows = await accountHealth(c.var.app, { actor: apiActor(c) });
    return c.json({ items: rows.map(healthDto) }, 200);
  });
  return r;
}
