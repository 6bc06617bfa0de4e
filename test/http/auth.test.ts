/**
 * Signing in and staying signed in, as a person at a browser experiences it.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { acceptTotp, totpCodeAt } from "../../src/app/auth/totp.ts";
import { entriesAfter } from "../../src/db/repos/audit.ts";
import { findCredentials } from "../../src/db/repos/auth.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { type TestApp, testApp } from "../support/context.ts";
import { browser, givePassword, signIn, TEST_PASSWORD } from "../support/http.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";

let app: TestApp;
let org: TestOrg;
let http: ReturnType<typeof createHttpApp>;

before(async () => {
  app = await testApp();
  org = await seedOrg(app.ctx);
  for (const person of Object.values(org.staff)) await givePassword(app, person.id);
  http = createHttpApp(app.ctx);
});
after(() => app.close());

test("a wrong password and an unknown login get the same message", async () => {
  const b = browser(http);
  const wrong = await b.post(
    "/login",
    { login: org.staff.kouhouStaff.email, password: "not the password" },
    { csrf: null },
  );
  const unknown = await b.post(
    "/login",
    { login: "nobody@example.jp", password: "not the password" },
    { csrf: null },
  );
  assert.equal(wrong.status, 422);
  assert.equal(unknown.status, 422);
  const message = "ログインIDまたはパスワードが正しくありません。";
  assert.ok((await wrong.text()).includes(message));
  assert.ok((await unknown.text()).includes(message));
});

test("signing in gives a new session id, the dashboard shows my roles, and the page is not cached", async () => {
  const b = browser(http);
  const res = await b.post(
    "/login",
    { login: org.staff.kouhouManager.employeeNo, password: TEST_PASSWORD },
    { csrf: null },
  );
  assert.equal(res.status, 303);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("snsgov_session="));
  assert.ok(cookie, "session cookie set");
  assert.match(cookie, /HttpOnly/i);
  assert.match(cookie, /SameSite=Lax/i);
  const home = await b.get("/");
  assert.equal(home.status, 200);
  assert.equal(home.headers.get("cache-control"), "no-store");
  assert.match(home.headers.get("content-security-policy") ?? "", /script-src 'self'/);
  const html = await home.text();
  assert.ok(
    html.includes("課等の長（アカウント管理者） — 広報広聴課"),
    "derived role shown with its division",
  );
  const again = await signIn(http, org.staff.kouhouManager.employeeNo);
  assert.notEqual(again.cookies.get("snsgov_session"), b.cookies.get("snsgov_session"));
});

test("five wrong passwords lock the login temporarily, even for the right password", async () => {
  const b = browser(http);
  const login = org.staff.soumuStaff.email;
  for (let i = 0; i < 5; i++) await b.post("/login", { login, password: `wrong ${i}` }, { csrf: null });
  const locked = await b.post("/login", { login, password: TEST_PASSWORD }, { csrf: null });
  assert.equal(locked.status, 429);
  assert.ok((await locked.text()).includes("一時的にログインを制限しています"));
  app.clock.advance(16 * 60_000);
  const ok = await b.post("/login", { login, password: TEST_PASSWORD }, { csrf: null });
  assert.equal(ok.status, 303);
});

test("a session ends after 30 idle minutes, and after 12 hours in any case", async () => {
  const b = await signIn(http, org.staff.desk.employeeNo);
  app.clock.advance(29 * 60_000);
  assert.equal((await b.get("/")).status, 200);
  app.clock.advance(29 * 60_000);
  assert.equal((await b.get("/")).status, 200, "activity keeps it alive");
  app.clock.advance(31 * 60_000);
  const idle = await b.get("/");
  assert.equal(idle.status, 303);
  assert.equal(idle.headers.get("location"), "/login?next=%2F");

  const c = await signIn(http, org.staff.desk.employeeNo);
  for (let i = 0; i < 26; i++) {
    app.clock.advance(28 * 60_000);
    await c.get("/");
  }
  assert.equal((await c.get("/")).status, 303, "absolute lifetime of 12 hours");
});

test("logging out ends the session on the server", async () => {
  const b = await signIn(http, org.staff.soumuManager.employeeNo);
  const stolen = b.cookies.get("snsgov_session");
  const res = await b.post("/logout", {});
  assert.equal(res.status, 303);
  const replay = await http.request("/", { headers: { cookie: `snsgov_session=${stolen}` } });
  assert.equal(replay.status, 303);
});

test("a form without the CSRF token, or from another site, is refused", async () => {
  const b = await signIn(http, org.staff.admin.employeeNo);
  const noToken = await b.post("/org/departments", { code: "x1", name: "偽の部" }, { csrf: null });
  assert.equal(noToken.status, 403);
  // A page in Japanese with the way back, not a bare line of text.
  assert.match(noToken.headers.get("content-type") ?? "", /text\/html/);
  const refusal = await noToken.text();
  assert.match(refusal, /<h1>送信を受け付けられませんでした<\/h1>/);
  assert.match(refusal, /ページを再読み込みしてから/);
  const otherSite = await b.post(
    "/org/departments",
    { code: "x2", name: "偽の部" },
    { origin: "https://evil.example" },
  );
  assert.equal(otherSite.status, 403);
  const ok = await b.post("/org/departments", { code: "x3", name: "本物の部", active: "on" });
  assert.equal(ok.status, 303);
});

test("two-factor: enrol, then sign-in needs a code, and a code works only once", async () => {
  const b = await signIn(http, org.staff.auditor.employeeNo);
  const page = await b.text("/account/2fa");
  const secret = /class="secret">([A-Z2-7]+)</.exec(page)?.[1];
  assert.ok(secret, "manual-entry key shown");
  assert.ok(page.includes("<svg"), "QR code shown");
  const confirm = await b.post("/account/2fa/confirm", { code: totpCodeAt(secret, app.clock.now()) });
  assert.equal(confirm.status, 303);
  const creds = await findCredentials(app.ctx.db, org.staff.auditor.id);
  assert.ok(creds?.totpEnabledAt);

  app.clock.advance(60_000);
  const c = browser(http);
  const first = await c.post(
    "/login",
    { login: org.staff.auditor.employeeNo, password: TEST_PASSWORD },
    { csrf: null },
  );
  assert.match(first.headers.get("location") ?? "", /^\/login\/2fa/);
  assert.equal((await c.get("/")).status, 303, "no access before the code");
  const twoFactorPage = await c.text("/login/2fa");
  const csrf = /name="_csrf" value="([^"]+)"/.exec(twoFactorPage)?.[1] ?? "";
  const code = totpCodeAt(secret, app.clock.now());
  const wrong = await c.post("/login/2fa", { code: "000000" }, { csrf });
  assert.equal(wrong.status, 422);
  const right = await c.post("/login/2fa", { code }, { csrf });
  assert.equal(right.status, 303);
  assert.equal((await c.get("/")).status, 200);

  const d = browser(http);
  await d.post("/login", { login: org.staff.auditor.employeeNo, password: TEST_PASSWORD }, { csrf: null });
  const dCsrf = /name="_csrf" value="([^"]+)"/.exec(await d.text("/login/2fa"))?.[1] ?? "";
  const replay = await d.post("/login/2fa", { code }, { csrf: dCsrf });
  assert.equal(replay.status, 422, "the same code cannot be used twice");
  assert.equal(
    acceptTotp(secret, code, app.clock.now(), null) !== null,
    true,
    "the code itself is still valid in time",
  );
});

test("a role that requires two-factor sends its holders to the set-up page first", async () => {
  const admin = await signIn(http, org.staff.admin.employeeNo);
  const saved = await admin.post("/admin/settings/2fa", { roles: ["security_director"] });
  assert.equal(saved.status, 303);
  const director = await signIn(http, org.staff.securityDirector.employeeNo);
  const home = await director.get("/");
  assert.equal(home.status, 303);
  assert.equal(home.headers.get("location"), "/account/2fa?required=1");
  await admin.post("/admin/settings/2fa", { roles: [] });
});

test("a one-time link sets a password once; deactivating someone ends their sessions", async () => {
  const admin = await signIn(http, org.staff.admin.employeeNo);
  const issued = await admin.post(`/staff/${org.staff.kouhouStaff.id}/password-link`, {});
  const html = await issued.text();
  const url = /class="secret">(http[^<]+)</.exec(html)?.[1];
  assert.ok(url, "link shown once");
  const path = new URL(url).pathname;
  const person = browser(http);
  const set = await person.post(
    path,
    { password: "新しい長いパスワードです", confirm: "新しい長いパスワードです" },
    { csrf: null },
  );
  assert.equal(set.status, 303);
  const reuse = await person.get(path);
  assert.equal(reuse.status, 404);
  assert.ok((await reuse.text()).includes("このリンクは使えません"));

  const victim = await signIn(http, org.staff.soumuStaff.employeeNo).catch(() => undefined);
  assert.ok(victim);
  const seq = (await entriesAfter(app.ctx.db, 0, 100000)).length;
  await admin.post(`/staff/${org.staff.soumuStaff.id}/deactivate`, {});
  assert.equal((await victim.get("/")).status, 303, "session ended");
  const entries = await entriesAfter(app.ctx.db, seq, 100);
  assert.deepEqual(
    entries.map((e) => e.action),
    ["staff.deactivate"],
  );
});

test("a common password is refused with a reason", async () => {
  const admin = await signIn(http, org.staff.admin.employeeNo);
  const html = await (await admin.post(`/staff/${org.staff.desk.id}/password-link`, {})).text();
  const path = new URL(/class="secret">(http[^<]+)</.exec(html)?.[1] ?? "http://x/").pathname;
  const res = await browser(http).post(
    path,
    { password: "qwertyuiop", confirm: "qwertyuiop" },
    { csrf: null },
  );
  assert.equal(res.status, 422);
  assert.ok((await res.text()).includes("よく使われていて推測されやすい"));
});
