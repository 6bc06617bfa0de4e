/**
 * /accounts: the registry and the application workflow (4.1) — apply (起案), submit, decide,
 * register (which sends the 届出 to the security director, 4.1.2 取得後), confirm it, start
 * operation, keep the operator list; record an account approved on paper before the system
 * (既存アカウントとして登録) and the policy director's confirmation; the 起案's 文書番号・決裁日.
 * The /filings routes (届出) are mounted here too.
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
import { applicationDocument } from "../../app/accounts/document.ts";
import {
  decideExistingAccount,
  existingDecisionInput,
  existingInput,
  recordExistingAccount,
} from "../../app/accounts/existing.ts";
import { exportRegistry } from "../../app/accounts/export.ts";
import { accountTarget, getAccount, searchAccounts } from "../../app/accounts/read.ts";
import {
  activateAccount,
  operatorsInput,
  registerAccount,
  registrationInput,
  setAccountOperators,
} from "../../app/accounts/registration.ts";
import { allowed } from "../../app/authorize.ts";
import type { Actor } from "../../app/context.ts";
import { documentInput, recordDocument } from "../../app/documents/record.ts";
import type { Account, AccountView } from "../../db/repos/accounts.ts";
import { listEvents, listHolders, listOperators } from "../../db/repos/accounts.ts";
import { accountStatuses, accountStatusLabels } from "../../domain/accounts.ts";
import { platforms } from "../../guideline/pack.ts";
import type { AppEnv } from "../env.ts";
import { documentDto, documentSchema, filingsApi } from "./filings.ts";
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
    origin: z.enum(["application", "existing"]).openapi({
      description:
        "application: このシステムで申請、existing: 既存アカウントとして登録（紙の起案で許可済み）",
    }),
    plannedStartOn: z.string().nullable().openapi({ description: "運用開始の予定日" }),
    policyDraft: z.string().openapi({ description: "メディアポリシー（案）" }),
    termsConfirmed: z.boolean().openapi({ description: "利用規約を確認した" }),
    loginOwner: z.string().openapi({ description: "ログイン用メールアドレス・電話番号の所有者" }),
    twoFactorPlan: z.string().openapi({ description: "二段階認証の設定方法" }),
    cost: z.string(),
    consultedDivisions: z.string().openapi({ description: "合議先" }),
    loginEmail: z.string().nullable().openapi({
      description: "ログイン用メールアドレス（アカウント管理者・総括する役職だけに表示。それ以外は null）",
    }),
    loginPhone: z.string().nullable().openapi({ description: "ログイン用電話番号（同上）" }),
  })
  .openapi("Account");

const memberSchema = z.object({ staffId: z.number().int(), name: z.string(), active: z.boolean() });

/** Whether the actor sees an account's login e-mail and phone (its manager and the overseers). */
function seesLogin(actor: Actor, a: Account | AccountView): boolean {
  return (
    allowed(actor, "account.read_all") ||
    ("departmentId" in a && allowed(actor, "account.manage", accountTarget(a)))
  );
}

function accountDto(a: Account, login = false) {
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
    origin: a.origin === "existing" ? ("existing" as const) : ("application" as const),
    plannedStartOn: a.plannedStartOn,
    policyDraft: a.policyDraft,
    termsConfirmed: a.termsConfirmed,
    loginOwner: a.loginOwner,
    twoFactorPlan: a.twoFactorPlan,
    cost: a.cost,
    consultedDivisions: a.consultedDivisions,
    loginEmail: login ? a.loginEmail : null,
    loginPhone: login ? a.loginPhone : null,
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
    operationId: "listAccounts",
    tags: ["accounts"],
    summary: "公式アカウントの一覧（見られる範囲）",
    request: { query: listQuery },
    responses: ok(z.object({ items: z.array(accountSchema) }), "一覧"),
  }),
  export: createRoute({
    method: "get",
    path: "/accounts/export.csv",
    operationId: "exportAccountsCsv",
    tags: ["accounts"],
    summary: "公式アカウント一覧のCSV（UTF-8 BOM付き）",
    request: { query: listQuery },
    responses: { 200: { content: { "text/csv": { schema: z.string() } }, description: "CSV" }, ...errors },
  }),
  get: createRoute({
    method: "get",
    path: "/accounts/{id}",
    operationId: "getAccount",
    tags: ["accounts"],
    summary: "アカウントの詳細・運用に携わる職員・ID保持者・経過",
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
    operationId: "applyForAccount",
    tags: ["accounts"],
    summary: "取得を申請（起案）",
    request: jsonBody(applicationInput),
    responses: created(item, "起案したアカウント"),
  }),
  update: createRoute({
    method: "put",
    path: "/accounts/{id}",
    operationId: "updateAccountApplication",
    tags: ["accounts"],
    summary: "起案中・差戻しの申請を修正",
    request: { params: idParam, ...jsonBody(applicationInput) },
    responses: ok(item, "修正後"),
  }),
  submit: createRoute({
    method: "post",
    path: "/accounts/{id}/submit",
    operationId: "submitAccountApplication",
    tags: ["accounts"],
    summary: "申請を提出（再提出）",
    request: { params: idParam },
    responses: ok(item, "提出後"),
  }),
  decide: createRoute({
    method: "post",
    path: "/accounts/{id}/decision",
    operationId: "decideAccountApplication",
    tags: ["accounts"],
    summary: "許可・差戻し・却下（第4-1(2)）",
    request: { params: idParam, ...jsonBody(decisionBody) },
    responses: ok(item, "処理後"),
  }),
  confirm: createRoute({
    method: "post",
    path: "/accounts/{id}/security-confirmation",
    operationId: "confirmAccountFiling",
    tags: ["accounts"],
    summary: "情報統括管理者が取得の届出（最新の回）を確認（第4-1(2)）",
    request: { params: idParam },
    responses: ok(item, "確認後"),
  }),
  register: createRoute({
    method: "post",
    path: "/accounts/{id}/registration",
    operationId: "registerAccount",
    tags: ["accounts"],
    summary:
      "取得したアカウントを登録（ログイン用メールアドレス・電話番号と所有者が必要。情報統括管理者へ届出が送られます、第4-1(2) 取得後）",
    request: { params: idParam, ...jsonBody(registrationInput) },
    responses: ok(item, "登録後"),
  }),
  activate: createRoute({
    method: "post",
    path: "/accounts/{id}/activation",
    operationId: "activateAccount",
    tags: ["accounts"],
    summary: "運用を開始（承認済みの完全なメディアポリシーが必要）",
    request: { params: idParam },
    responses: ok(item, "運用中"),
  }),
  existing: createRoute({
    method: "post",
    path: "/accounts/existing",
    operationId: "registerExistingAccount",
    tags: ["accounts"],
    summary: "既存アカウントとして登録（システム管理者。元の起案の文書番号と紙の許可日を記録）",
    request: jsonBody(existingInput),
    responses: created(item, "登録したアカウント（総合政策部長の確認待ち）"),
  }),
  existingDecision: createRoute({
    method: "post",
    path: "/accounts/{id}/existing-decision",
    operationId: "decideExistingAccount",
    tags: ["accounts"],
    summary: "既存アカウントの登録を確認する、または登録しない（総合政策部長）",
    request: { params: idParam, ...jsonBody(existingDecisionInput) },
    responses: ok(item, "処理後"),
  }),
  document: createRoute({
    method: "get",
    path: "/accounts/{id}/document",
    operationId: "getAccountDocument",
    tags: ["accounts"],
    summary: "起案の決裁の経過と文書番号・決裁日の記録",
    request: { params: idParam },
    responses: ok(
      z.object({
        route: z.array(
          z.object({ label: z.string(), name: z.string().nullable(), on: z.string().nullable() }),
        ),
        documents: z.array(documentSchema),
      }),
      "起案",
    ),
  }),
  recordDocument: createRoute({
    method: "post",
    path: "/accounts/{id}/document",
    operationId: "recordAccountDocument",
    tags: ["accounts"],
    summary: "起案の文書番号・決裁日を記録（訂正は理由を付けて新しい版）",
    request: { params: idParam, ...jsonBody(documentInput) },
    responses: ok(z.object({ item: documentSchema }), "記録した版"),
  }),
  operators: createRoute({
    method: "put",
    path: "/accounts/{id}/operators",
    operationId: "setAccountOperators",
    tags: ["accounts"],
    summary: "運用に携わる職員を設定",
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
  const one = (a: Account | AccountView, actor?: Actor) => ({
    item: accountDto(a, actor ? seesLogin(actor, a) : false),
  });
  r.openapi(routes.list, async (c) => {
    const rows = await searchAccounts(c.var.app, {
      actor: apiActor(c),
      filter: filterOf(c.req.valid("query")),
    });
    const actor = apiActor(c);
    return c.json({ items: rows.map((a) => accountDto(a, seesLogin(actor, a))) }, 200);
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
    const actor = apiActor(c);
    const account = await getAccount(c.var.app, { actor, id });
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
        ...one(account, actor),
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
  r.openapi(routes.existing, async (c) =>
    c.json(
      one(await recordExistingAccount(c.var.app, { actor: apiActor(c), input: c.req.valid("json") })),
      201,
    ),
  );
  r.openapi(routes.existingDecision, async (c) =>
    c.json(
      one(
        await decideExistingAccount(c.var.app, {
          actor: apiActor(c),
          id: c.req.valid("param").id,
          input: c.req.valid("json"),
        }),
      ),
      200,
    ),
  );
  r.openapi(routes.document, async (c) => {
    const doc = await applicationDocument(c.var.app, { actor: apiActor(c), id: c.req.valid("param").id });
    const on = (v: Date | string | null) => (v instanceof Date ? v.toISOString() : v);
    return c.json(
      {
        route: doc.route.map((s) => ({ label: s.label, name: s.name, on: on(s.on) })),
        documents: doc.documents.map(documentDto),
      },
      200,
    );
  });
  r.openapi(routes.recordDocument, async (c) => {
    const row = await recordDocument(c.var.app, {
      actor: apiActor(c),
      subject: { type: "application", id: c.req.valid("param").id },
      input: c.req.valid("json"),
    });
    return c.json({ item: documentDto(row) }, 200);
  });
  r.route("/", filingsApi());
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
