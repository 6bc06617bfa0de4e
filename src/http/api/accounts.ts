/**
 * /accounts: the registry and the application workflow (4.1) — apply, submit, decide, confirm
 * the security director's receipt, register, start operation, keep the operator list.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import {
  applicationInput,
  confirmSecurityNotice,
  decideApplication,
  draftApplication,
  submitApplication,
  updateApplication,
} from "../../app/accounts/application.ts";
import { exportRegistry } from "../../app/accounts/export.ts";
import { getAccount, searchAccounts } from "../../app/accounts/read.ts";
import {
  activateAccount,
  operatorsInput,
  registerAccount,
  registrationInput,
  setAccountOperators,
} from "../../app/accounts/registration.ts";
import type { Account, AccountView } from "../../db/repos/accounts.ts";
import { listEvents, listHolders, listOperators } from "../../db/repos/accounts.ts";
import { accountStatuses, accountStatusLabels } from "../../domain/accounts.ts";
import { platforms } from "../../guideline/pack.ts";
import type { AppEnv } from "../env.ts";
import { apiActor, created, errors, idParam, jsonBody, ok } from "./helpers.ts";

const accountSchema = z
  .object({
    id: z.number().int(),
    platform: z.enum(platforms),
    name: z.string(),
    alias: z.string(),
    handle: z.string(),
    url: z.string(),
    purpose: z.string(),
    homepageUrl: z.string(),
    isCharacter: z.boolean(),
    divisionId: z.number().int(),
    managerId: z.number().int().nullable(),
    status: z.enum(accountStatuses),
    statusLabel: z.string(),
    securityNotified: z.boolean(),
    securityConfirmed: z.boolean().openapi({ description: "false while 届出未確認" }),
    platformCreatedOn: z.string().nullable(),
    mfaEnabled: z.boolean(),
    closedOn: z.string().nullable(),
  })
  .openapi("Account");

const memberSchema = z.object({ staffId: z.number().int(), name: z.string(), active: z.boolean() });

function accountDto(a: Account) {
  return {
    id: a.id,
    platform: platforms.find((p) => p === a.platform) ?? "other",
    name: a.name,
    alias: a.alias,
    handle: a.handle,
    url: a.url,
    purpose: a.purpose,
    homepageUrl: a.homepageUrl,
    isCharacter: a.isCharacter,
    divisionId: a.divisionId,
    managerId: a.managerId,
    status: a.status,
    statusLabel: accountStatusLabels[a.status],
    securityNotified: a.securityNotifiedAt !== null,
    securityConfirmed: a.securityConfirmedAt !== null,
    platformCreatedOn: a.platformCreatedOn,
    mfaEnabled: a.mfaEnabled,
    closedOn: a.closedOn,
  };
}

const listQuery = z.object({
  departmentId: z.coerce.number().int().positive().optional(),
  divisionId: z.coerce.number().int().positive().optional(),
  platform: z.enum(platforms).optional(),
  status: z.enum(accountStatuses).optional(),
  q: z.string().max(100).optional(),
});

const item = z.object({ item: accountSchema });
const decisionBody = z.object({
  decision: z.enum(["approve", "return", "reject"]),
  comment: z.string().max(2000).optional(),
  expected: z.enum(["pending_department_head", "pending_policy_director"]).openapi({
    description: "the step the decision is for; if someone decided first the answer is 409",
  }),
});

const routes = {
  list: createRoute({
    method: "get",
    path: "/accounts",
    tags: ["accounts"],
    summary: "公式アカウントの一覧（見られる範囲）",
    request: { query: listQuery },
    responses: ok(z.object({ items: z.array(accountSchema) }), "一覧"),
  }),
  export: createRoute({
    method: "get",
    path: "/accounts/export.csv",
    tags: ["accounts"],
    summary: "公式アカウント一覧のCSV（UTF-8 BOM付き）",
    request: { query: listQuery },
    responses: { 200: { content: { "text/csv": { schema: z.string() } }, description: "CSV" }, ...errors },
  }),
  get: createRoute({
    method: "get",
    path: "/accounts/{id}",
    tags: ["accounts"],
    summary: "アカウントの詳細・運用職員・ID保持者・経過",
    request: { params: idParam },
    responses: ok(
      z.object({
        item: accountSchema,
        operators: z.array(memberSchema),
        holders: z.array(memberSchema),
        history: z.array(
          z.object({ kind: z.string(), at: z.string(), actor: z.string().nullable(), comment: z.string() }),
        ),
      }),
      "詳細",
    ),
  }),
  draft: createRoute({
    method: "post",
    path: "/accounts",
    tags: ["accounts"],
    summary: "取得を申請（起案）",
    request: jsonBody(applicationInput),
    responses: created(item, "起案したアカウント"),
  }),
  update: createRoute({
    method: "put",
    path: "/accounts/{id}",
    tags: ["accounts"],
    summary: "起案中・差戻しの申請を修正",
    request: { params: idParam, ...jsonBody(applicationInput) },
    responses: ok(item, "修正後"),
  }),
  submit: createRoute({
    method: "post",
    path: "/accounts/{id}/submit",
    tags: ["accounts"],
    summary: "申請を提出（再提出）",
    request: { params: idParam },
    responses: ok(item, "提出後"),
  }),
  decide: createRoute({
    method: "post",
    path: "/accounts/{id}/decision",
    tags: ["accounts"],
    summary: "許可・差戻し・却下（第4-1(2)）",
    request: { params: idParam, ...jsonBody(decisionBody) },
    responses: ok(item, "処理後"),
  }),
  confirm: createRoute({
    method: "post",
    path: "/accounts/{id}/security-confirmation",
    tags: ["accounts"],
    summary: "情報統括管理者が届出を確認",
    request: { params: idParam },
    responses: ok(item, "確認後"),
  }),
  register: createRoute({
    method: "post",
    path: "/accounts/{id}/registration",
    tags: ["accounts"],
    summary: "取得したアカウントを登録",
    request: { params: idParam, ...jsonBody(registrationInput) },
    responses: ok(item, "登録後"),
  }),
  activate: createRoute({
    method: "post",
    path: "/accounts/{id}/activation",
    tags: ["accounts"],
    summary: "運用を開始（承認済みの完全なメディアポリシーが必要）",
    request: { params: idParam },
    responses: ok(item, "運用中"),
  }),
  operators: createRoute({
    method: "put",
    path: "/accounts/{id}/operators",
    tags: ["accounts"],
    summary: "運用職員を設定",
    request: { params: idParam, ...jsonBody(operatorsInput) },
    responses: ok(z.object({ staffIds: z.array(z.number().int()) }), "設定後"),
  }),
};

const filterOf = (q: z.infer<typeof listQuery>) => ({
  departmentId: q.departmentId,
  divisionId: q.divisionId,
  platform: q.platform,
  statuses: q.status ? [q.status] : undefined,
  text: q.q,
});

export function accountsApi() {
  const r = new OpenAPIHono<AppEnv>();
  const one = (a: Account | AccountView) => ({ item: accountDto(a) });
  r.openapi(routes.list, async (c) => {
    const rows = await searchAccounts(c.var.app, {
      actor: apiActor(c),
      filter: filterOf(c.req.valid("query")),
    });
    return c.json({ items: rows.map(accountDto) }, 200);
  });
  r.openapi(routes.export, async (c) => {
    const file = await exportRegistry(c.var.app, {
      actor: apiActor(c),
      filter: filterOf(c.req.valid("query")),
    });
    c.header(
      "Content-Disposition",
      `attachment; filename="accounts.csv"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
    );
    return c.body(Buffer.from(file.body), 200, { "Content-Type": "text/csv; charset=utf-8" });
  });
  r.openapi(routes.get, async (c) => {
    const { id } = c.req.valid("param");
    const account = await getAccount(c.var.app, { actor: apiActor(c), id });
    const [operators, holders, events] = await Promise.all([
      listOperators(c.var.app.db, id),
      listHolders(c.var.app.db, id),
      listEvents(c.var.app.db, id),
    ]);
    const member = (m: { staffId: number; name: string; active: boolean }) => ({
      staffId: m.staffId,
      name: m.name,
      active: m.active,
    });
    return c.json(
      {
        ...one(account),
        operators: operators.map(member),
        holders: holders.map(member),
        history: events.map((e) => ({
          kind: e.kind,
          at: e.at.toISOString(),
          actor: e.actorName,
          comment: e.comment,
        })),
      },
      200,
    );
  });
  r.openapi(routes.draft, async (c) =>
    c.json(one(await draftApplication(c.var.app, { actor: apiActor(c), input: c.req.valid("json") })), 201),
  );
  r.openapi(routes.update, async (c) =>
    c.json(
      one(
        await updateApplication(c.var.app, {
          actor: apiActor(c),
          id: c.req.valid("param").id,
          input: c.req.valid("json"),
        }),
      ),
      200,
    ),
  );
  r.openapi(routes.submit, async (c) =>
    c.json(one(await submitApplication(c.var.app, { actor: apiActor(c), id: c.req.valid("param").id })), 200),
  );
  r.openapi(routes.decide, async (c) => {
    const body = c.req.valid("json");
    const account = await decideApplication(c.var.app, {
      actor: apiActor(c),
      id: c.req.valid("param").id,
      ...body,
    });
    return c.json(one(account), 200);
  });
  r.openapi(routes.confirm, async (c) =>
    c.json(
      one(await confirmSecurityNotice(c.var.app, { actor: apiActor(c), id: c.req.valid("param").id })),
      200,
    ),
  );
  r.openapi(routes.register, async (c) =>
    c.json(
      one(
        await registerAccount(c.var.app, {
          actor: apiActor(c),
          id: c.req.valid("param").id,
          input: c.req.valid("json"),
        }),
      ),
      200,
    ),
  );
  r.openapi(routes.activate, async (c) =>
    c.json(one(await activateAccount(c.var.app, { actor: apiActor(c), id: c.req.valid("param").id })), 200),
  );
  r.openapi(routes.operators, async (c) => {
    const staffIds = await setAccountOperators(c.var.app, {
      actor: apiActor(c),
      id: c.req.valid("param").id,
      input: c.req.valid("json"),
    });
    return c.json({ staffIds }, 200);
  });
  return r;
}
