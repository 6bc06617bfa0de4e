/**
 * Media policies and profiles through the JSON API, role by role: who may draft, approve,
 * discard and complete a review (4.2), read versions with what changed, read the generated
 * profile and check the current one (4.4.3, 4.4.4, 5.3.1); and the routes are in the OpenAPI
 * document.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { findAccount } from "../../src/db/repos/accounts.ts";
import { seedAccount } from "../support/accounts.ts";
import { apiTestApp, callApi, field, type HttpApp, json } from "../support/api.ts";
import type { TestApp } from "../support/context.ts";
import type { TestOrg } from "../support/org.ts";

const personas = [
  "admin",
  "auditor",
  "policyDirector",
  "kouhouManager",
  "kouhouStaff",
  "soumuManager",
  "soumuStaff",
] as const;
type Persona = (typeof personas)[number];

let app: TestApp;
let org: TestOrg;
let http: HttpApp;
let tokens: Map<Persona, string>;

before(async () => {
  ({ app, org, http, tokens } = await apiTestApp(personas, { start: "2026-04-01T01:00:00Z" }));
});
after(() => app.close());

function call(persona: Persona, method: string, path: string, body?: unknown) {
  return callApi(http, tokens.get(persona), method, path, body);
}

const kouhou = (extra: { status?: "approved" | "active"; policy?: boolean | { reviewDue: string } } = {}) =>
  seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    operatorIds: [org.staff.kouhouStaff.id],
    homepageUrl: "https://www.city.iwaki.lg.jp/www/sns/koho.html",
    ...extra,
  });

test("drafting is for the division; approving, for its manager; everyone else is refused", async () => {
  for (const persona of personas) {
    const account = await kouhou({ status: "approved" });
    const drafted = await call(persona, "POST", `/accounts/${account.id}/policies`, {});
    const mayDraft = persona === "kouhouManager" || persona === "kouhouStaff";
    assert.equal(drafted.status, mayDraft ? 201 : 403, `${persona} drafts`);
  }
  const account = await kouhou({ status: "approved" });
  const created = await json(await call("kouhouStaff", "POST", `/accounts/${account.id}/policies`, {}));
  const id = Number(field(created.item, "id"));
  for (const persona of personas) {
    if (persona === "kouhouManager") continue;
    assert.equal((await call(persona, "POST", `/policies/${id}/approve`)).status, 403, `${persona} approves`);
  }
  const approved = await call("kouhouManager", "POST", `/policies/${id}/approve`);
  assert.equal(approved.status, 200);
  const body = await json(approved);
  assert.equal(field(body.item, "status"), "approved");
  assert.equal(field(body.item, "reviewDue"), "2027-04-01");
  assert.equal(field(body.item, "approverName"), null, "names come with the version list");
});

test("an incomplete draft is refused with each missing item; a second version needs a summary", async () => {
  const account = await kouhou({ status: "approved" });
  const created = await call("kouhouStaff", "POST", `/accounts/${account.id}/policies`, {
    purpose: "",
    replyPolicy: "",
  });
  const id = Number(field((await json(created)).item, "id"));
  const refused = await call("kouhouManager", "POST", `/policies/${id}/approve`);
  assert.equal(refused.status, 422);
  const error = field(await json(refused), "error");
  assert.equal(
    field(error, "message"),
    "メディアポリシーの必須項目が未記入です：① 情報発信を行う目的、返信の可否（第4-2(1)(2)）",
  );
  const fields = field(error, "fields");
  assert.ok(Array.isArray(fields));
  assert.deepEqual(
    fields.map((f) => field(f, "field")),
    ["purpose", "replyPolicy"],
  );

  const patched = await call("kouhouStaff", "PATCH", `/policies/${id}`, {
    purpose: "市政情報をお届けするため",
    replyPolicy: "case_by_case",
  });
  assert.equal(patched.status, 200);
  const item = (await json(patched)).item;
  assert.equal(field(item, "replyPolicy"), "case_by_case");
  assert.ok(String(field(item, "content")).includes("広報広聴課"), "items left out stay as they were");
  assert.equal((await call("kouhouManager", "POST", `/policies/${id}/approve`)).status, 200);

  const bad = await call("kouhouStaff", "PATCH", `/policies/${id}`, { replyPolicy: "always" });
  assert.equal(bad.status, 422);
  const v2 = await json(
    await call("kouhouStaff", "POST", `/accounts/${account.id}/policies`, { frequency: "毎日" }),
  );
  const v2id = Number(field(v2.item, "id"));
  assert.equal(field(v2.item, "version"), 2);
  const noSummary = await call("kouhouManager", "POST", `/policies/${v2id}/approve`);
  assert.equal(noSummary.status, 422);
  await call("kouhouStaff", "PATCH", `/policies/${v2id}`, { changeSummary: "発信頻度を毎日にしました。" });
  assert.equal((await call("kouhouManager", "POST", `/policies/${v2id}/approve`)).status, 200);

  const list = await json(await call("soumuStaff", "GET", `/accounts/${account.id}/policies`));
  assert.ok(Array.isArray(list.items));
  assert.deepEqual(
    list.items.map((v) => [field(v, "version"), field(v, "status")]),
    [
      [2, "approved"],
      [1, "superseded"],
    ],
  );
  const read = await json(await call("soumuStaff", "GET", `/accounts/${account.id}/policies/2`));
  assert.equal(read.previousVersion, 1);
  assert.ok(Array.isArray(read.changes));
  const changed = read.changes.filter((c) => field(c, "changed") === true).map((c) => field(c, "field"));
  assert.deepEqual(changed, ["frequency"]);
});

test("a draft is discarded only by the division; a review is completed only by the manager", async () => {
  const account = await kouhou({ status: "active", policy: { reviewDue: "2026-04-20" } });
  const created = await json(await call("kouhouStaff", "POST", `/accounts/${account.id}/policies`, {}));
  const id = Number(field(created.item, "id"));
  assert.equal((await call("soumuManager", "DELETE", `/policies/${id}`)).status, 403);
  assert.equal(
    (await call("auditor", "GET", `/accounts/${account.id}/policies/2`)).status,
    200,
    "overseers read drafts",
  );
  assert.equal((await call("soumuStaff", "GET", `/accounts/${account.id}/policies/2`)).status, 404);
  assert.equal((await call("kouhouStaff", "DELETE", `/policies/${id}`)).status, 200);
  assert.equal((await call("kouhouStaff", "DELETE", `/policies/${id}`)).status, 404);

  assert.equal(
    (await call("kouhouStaff", "POST", `/accounts/${account.id}/policy-review`, { note: "確認しました" }))
      .status,
    403,
  );
  const empty = await call("kouhouManager", "POST", `/accounts/${account.id}/policy-review`, { note: "" });
  assert.equal(empty.status, 422);
  const reviewed = await call("kouhouManager", "POST", `/accounts/${account.id}/policy-review`, {
    note: "内容を確認し、変更は不要と判断しました。",
  });
  assert.equal(reviewed.status, 200);
  assert.equal(field((await json(reviewed)).item, "reviewDue"), "2027-04-01");
});

test("the generated profile and the check of the current one", async () => {
  const account = await kouhou({ status: "active", policy: true });
  const profile = await json(await call("soumuStaff", "GET", `/accounts/${account.id}/profile`));
  assert.equal(
    profile.text,
    "いわき市広報広聴課の公式アカウントです。運用方針（メディアポリシー）：https://www.city.iwaki.lg.jp/www/sns/koho.html",
  );
  assert.deepEqual(profile.length, { unit: "chars", used: 81, limit: 160 });
  assert.equal(profile.fits, true);
  assert.equal(profile.lastCheck, null);

  assert.equal(
    (await call("soumuStaff", "POST", `/accounts/${account.id}/profile/check`, { text: "総務課です" }))
      .status,
    403,
  );
  const checked = await call("kouhouManager", "POST", `/accounts/${account.id}/profile/check`, {
    text: "いわき市広報広聴課の公式アカウントです。運用方針：https://t.co/abc",
  });
  assert.equal(checked.status, 200);
  const result = await json(checked);
  assert.equal(result.hasErrors, true);
  assert.ok(Array.isArray(result.findings) && result.findings.some((f) => field(f, "clause") === "4.4.4"));
  assert.equal((await findAccount(app.ctx.db, account.id))?.bioHasErrors, true);
  const again = await json(await call("kouhouStaff", "GET", `/accounts/${account.id}/profile`));
  assert.equal(
    field(again.lastCheck, "text"),
    "いわき市広報広聴課の公式アカウントです。運用方針：https://t.co/abc",
  );
  assert.equal(field(again.lastCheck, "hasErrors"), true);
});

test("the OpenAPI document lists the policy and profile routes", async () => {
  const doc = await json(await http.request("/api/v1/openapi.json"));
  const paths = Object.keys(Object(doc.paths));
  for (const path of [
    "/accounts/{id}/policies",
    "/accounts/{id}/policies/{version}",
    "/policies/{id}",
    "/policies/{id}/approve",
    "/accounts/{id}/policy-review",
    "/accounts/{id}/profile",
    "/accounts/{id}/profile/check",
  ]) {
    assert.ok(paths.includes(path), path);
  }
});
