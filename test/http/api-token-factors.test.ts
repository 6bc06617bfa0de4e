/**
 * API tokens and the factors behind them (OWASP ASVS 5.0 6.3.4, 7.4.3):
 * - a token cannot create a token (403, nothing created); only a signed-in page session can;
 * - changing one's password with 「APIトークンもすべて無効にする」 checked revokes every token of
 *   theirs in the same change; unchecked keeps them;
 * - an administrator's reset link and two-factor reset revoke the person's tokens;
 * - deactivating a person stops their tokens at once;
 * - audit entries carry how many tokens were revoked, never a token's value.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createApiToken } from "../../src/app/auth/api-tokens.ts";
import { entriesAfter } from "../../src/db/repos/audit.ts";
import { listApiTokens } from "../../src/db/repos/auth.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { callApi, field, json } from "../support/api.ts";
import { type TestApp, testApp } from "../support/context.ts";
import { type Browser, givePassword, signIn, TEST_PASSWORD, withoutTags } from "../support/http.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";

let app: TestApp;
let org: TestOrg;
let http: ReturnType<typeof createHttpApp>;

const NEW_PASSWORD = "Blue kettle over the quiet river 84";

before(async () => {
  app = await testApp();
  org = await seedOrg(app.ctx);
  for (const person of Object.values(org.staff)) await givePassword(app, person.id);
  http = createHttpApp(app.ctx);
});
after(() => app.close());

async function lastSeq(): Promise<number> {
  return (await entriesAfter(app.ctx.db, 0, 1_000_000)).at(-1)?.seq ?? 0;
}

async function tokenFor(persona: keyof TestOrg["actors"] & keyof TestOrg["staff"], name = "連携") {
  const actor = org.actors[persona];
  if (actor.kind !== "staff") throw new Error("not a person");
  return (await createApiToken(app.ctx, { actor, input: { name } })).token;
}

/** Calls the API with the browser's session cookie and CSRF token, as the staff pages' script does. */
async function apiWithSession(b: Browser, method: string, path: string, body?: unknown): Promise<Response> {
  const cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  return http.request(`/api/v1${path}`, {
    method,
    headers: {
      cookie,
      origin: "http://localhost:3000",
      "x-csrf-token": await b.csrf(),
      "content-type": "application/json",
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

test("a token cannot create a token: 403 with a Japanese message, nothing created, and no way round it", async () => {
  const token = await tokenFor("kouhouStaff");
  const before = (await listApiTokens(app.ctx.db, org.staff.kouhouStaff.id)).length;
  for (const body of [{ name: "child", expiresInDays: 30 }, { name: "child" }]) {
    const res = await callApi(http, token, "POST", "/tokens", body);
    assert.equal(res.status, 403, JSON.stringify(body));
    assert.match(String(field(await json(res), "error", "message")), /アカウント設定/);
  }
  // Malformed bodies are refused by validation first: a 4xx either way, never a 500.
  for (const body of [{ nonsense: true }, { name: "x".repeat(500) }, "not an object"]) {
    const res = await callApi(http, token, "POST", "/tokens", body);
    assert.ok(res.status >= 400 && res.status < 500, `${JSON.stringify(body)}: ${res.status}`);
  }
  assert.equal((await listApiTokens(app.ctx.db, org.staff.kouhouStaff.id)).length, before, "nothing created");
  assert.equal((await callApi(http, token, "GET", "/tokens")).status, 200, "the token still lists its own");
});

test("a signed-in page session can create a token, from the page and through the API with its CSRF token", async () => {
  const b = await signIn(http, org.staff.kouhouManager.employeeNo);
  const page = await b.post("/account/tokens", { name: "画面から", expiresInDays: "30" });
  assert.equal(page.status, 200);
  const shown = /class="secret">(sgv_[^<]+)</.exec(await page.text())?.[1];
  assert.ok(shown, "the new token is shown once");
  assert.equal((await callApi(http, shown, "GET", "/me")).status, 200);

  const api = await apiWithSession(b, "POST", "/tokens", { name: "API から", expiresInDays: 30 });
  assert.equal(api.status, 201);
  const made = String(field(await json(api), "token"));
  assert.equal((await callApi(http, made, "GET", "/me")).status, 200);

  const bad = await apiWithSession(b, "POST", "/tokens", { name: "", expiresInDays: "many" });
  assert.equal(bad.status, 422, "malformed input is a 4xx");
});

test("every token expires: a token without an end (0 days) or past a year is refused, with the reason", async () => {
  const b = await signIn(http, org.staff.kouhouManager.employeeNo);
  for (const expiresInDays of [0, -5, 367, 1.5]) {
    const res = await apiWithSession(b, "POST", "/tokens", { name: "期限なし", expiresInDays });
    assert.equal(res.status, 422, String(expiresInDays));
    assert.match(await res.text(), /有効期間は/, String(expiresInDays));
  }
  const page = await b.post("/account/tokens", { name: "期限なし", expiresInDays: "0" });
  assert.equal(page.status, 422);
  assert.ok((await page.text()).includes("期限のないトークンは作成できません"));
  const made = await apiWithSession(b, "POST", "/tokens", { name: "1日だけ", expiresInDays: 1 });
  assert.equal(made.status, 201);
  const id = field(await json(made), "id");
  const listed = JSON.stringify(await json(await apiWithSession(b, "GET", "/tokens")));
  assert.match(listed, new RegExp(`"id":${id},[^}]*"expiresAt":"20`), "it has an end");
});

test("changing one's password with the box checked revokes every token of theirs; one audit entry counts them", async () => {
  const person = org.staff.soumuStaff;
  const first = await tokenFor("soumuStaff", "集計");
  const second = await tokenFor("soumuStaff", "CMS");
  const others = await tokenFor("soumuManager", "someone else's");
  const b = await signIn(http, person.employeeNo);
  const form = await b.text("/account");
  assert.match(withoutTags(form), /APIトークンもすべて無効にする/);
  assert.match(form, /name="revokeTokens" value="on" checked/, "checked by default");

  const seq = await lastSeq();
  const res = await b.post("/account/password", {
    current: TEST_PASSWORD,
    next: NEW_PASSWORD,
    confirm: NEW_PASSWORD,
    revokeTokens: "on",
  });
  assert.equal(res.status, 303);
  const after = await b.text("/account");
  assert.match(withoutTags(after), /APIトークン（2件）も無効にしました/);
  assert.doesNotMatch(after, /name="revokeTokens"/, "no box once no token is active");

  assert.equal((await callApi(http, first, "GET", "/me")).status, 401);
  assert.equal((await callApi(http, second, "GET", "/me")).status, 401);
  assert.equal(
    (await callApi(http, others, "GET", "/me")).status,
    200,
    "another person's token is untouched",
  );

  const entries = await entriesAfter(app.ctx.db, seq, 100);
  const changed = entries.filter((e) => e.action === "auth.password_changed");
  assert.equal(changed.length, 1);
  assert.equal(field(changed[0]?.summary, "apiKeysRevoked"), 2);
  assert.equal(entries.filter((e) => e.action === "apitoken.revoke").length, 0, "one entry for the change");
  const logged = JSON.stringify(entries);
  for (const t of [first, second]) assert.ok(!logged.includes(t.slice(4, 20)), "no token value in the log");
  await givePassword(app, person.id);
});

test("changing one's password with the box unchecked keeps the tokens", async () => {
  const person = org.staff.desk;
  const token = await tokenFor("desk");
  const b = await signIn(http, person.employeeNo);
  const seq = await lastSeq();
  const res = await b.post("/account/password", {
    current: TEST_PASSWORD,
    next: NEW_PASSWORD,
    confirm: NEW_PASSWORD,
  });
  assert.equal(res.status, 303);
  assert.equal((await callApi(http, token, "GET", "/me")).status, 200);
  const changed = (await entriesAfter(app.ctx.db, seq, 100)).find(
    (e) => e.action === "auth.password_changed",
  );
  assert.equal(field(changed?.summary, "apiKeysRevoked"), 0);
  await givePassword(app, person.id);
});

test("a password change that fails revokes nothing and keeps the box as it was; odd values are not a 500", async () => {
  const person = org.staff.policyDirector;
  const token = await tokenFor("policyDirector");
  const b = await signIn(http, person.employeeNo);
  const wrong = await b.post("/account/password", {
    current: "not my password",
    next: NEW_PASSWORD,
    confirm: NEW_PASSWORD,
    revokeTokens: "on",
  });
  assert.equal(wrong.status, 422);
  assert.match(await wrong.text(), /name="revokeTokens" value="on" checked/);
  const mismatch = await b.post("/account/password", {
    current: TEST_PASSWORD,
    next: NEW_PASSWORD,
    confirm: "something else",
  });
  assert.equal(mismatch.status, 422);
  assert.doesNotMatch(await mismatch.text(), /name="revokeTokens" value="on" checked/, "left unchecked");
  assert.equal((await callApi(http, token, "GET", "/me")).status, 200, "a failed change revokes nothing");
  const odd = await b.post("/account/password", {
    current: TEST_PASSWORD,
    next: NEW_PASSWORD,
    confirm: NEW_PASSWORD,
    revokeTokens: ["on", "yes"],
  });
  assert.ok(odd.status < 500, `not a 500: ${odd.status}`);
  const missingCsrf = await b.post(
    "/account/password",
    { current: "x", next: "y", confirm: "y" },
    { csrf: null },
  );
  assert.equal(missingCsrf.status, 403);
  await givePassword(app, person.id);
});

test("an administrator's reset link revokes the person's tokens, and the page says so", async () => {
  const token = await tokenFor("kouhouStaff", "reset");
  const admin = await signIn(http, org.staff.admin.employeeNo);
  const page = await admin.text(`/staff/${org.staff.kouhouStaff.id}`);
  assert.match(withoutTags(page), /APIトークンもすべて無効にします/);
  const seq = await lastSeq();
  const res = await admin.post(`/staff/${org.staff.kouhouStaff.id}/password-link`, {});
  assert.equal(res.status, 200);
  assert.match(withoutTags(await res.text()), /APIトークン（\d+件）も無効にしました/);
  assert.equal((await callApi(http, token, "GET", "/me")).status, 401);
  const entry = (await entriesAfter(app.ctx.db, seq, 100)).find((e) => e.action === "auth.reset_link");
  const count = field(entry?.summary, "apiKeysRevoked");
  assert.ok(typeof count === "number" && count >= 1, `counted: ${String(count)}`);
  assert.ok(!JSON.stringify(entry).includes(token.slice(4, 20)));
  await givePassword(app, org.staff.kouhouStaff.id);
});

test("an administrator's two-factor reset revokes the person's tokens, by page and by API", async () => {
  const pageToken = await tokenFor("auditor", "before page reset");
  const admin = await signIn(http, org.staff.admin.employeeNo);
  const seq = await lastSeq();
  const res = await admin.post(`/staff/${org.staff.auditor.id}/reset-2fa`, {});
  assert.equal(res.status, 303);
  assert.match(
    withoutTags(await admin.text(`/staff/${org.staff.auditor.id}`)),
    /APIトークン（1件）も無効にしました/,
  );
  assert.equal((await callApi(http, pageToken, "GET", "/me")).status, 401);
  const entry = (await entriesAfter(app.ctx.db, seq, 100)).find((e) => e.action === "auth.totp_reset");
  assert.equal(field(entry?.summary, "apiKeysRevoked"), 1);

  const apiToken = await tokenFor("auditor", "before API reset");
  const adminToken = await tokenFor("admin", "admin tool");
  const byApi = await callApi(http, adminToken, "POST", `/staff/${org.staff.auditor.id}/reset-2fa`);
  assert.equal(byApi.status, 200);
  assert.equal(field(await json(byApi), "tokensRevoked"), 1);
  assert.equal((await callApi(http, apiToken, "GET", "/me")).status, 401);
  assert.equal((await callApi(http, adminToken, "POST", "/staff/abc/reset-2fa")).status, 422);
  assert.equal((await callApi(http, adminToken, "POST", "/staff/99999999/reset-2fa")).status, 404);
});

test("another person cannot reset someone's two-factor to revoke their tokens", async () => {
  const token = await tokenFor("soumuManager", "kept");
  const other = await tokenFor("kouhouManager", "attacker");
  const res = await callApi(http, other, "POST", `/staff/${org.staff.soumuManager.id}/reset-2fa`);
  assert.equal(res.status, 403);
  assert.equal((await callApi(http, token, "GET", "/me")).status, 200);
});

test("deactivating a person stops their tokens at once", async () => {
  const token = await tokenFor("soumuManager", "leaver");
  assert.equal((await callApi(http, token, "GET", "/me")).status, 200);
  const admin = await signIn(http, org.staff.admin.employeeNo);
  assert.equal((await admin.post(`/staff/${org.staff.soumuManager.id}/deactivate`, {})).status, 303);
  assert.equal((await callApi(http, token, "GET", "/me")).status, 401);
  assert.equal((await admin.post(`/staff/${org.staff.soumuManager.id}/activate`, {})).status, 303);
});
