/**
 * A password's and a session's life as a person meets it (OWASP ASVS 5.0 V6.2, V6.4, V7.2, V7.4,
 * V3.3.4, V3.5.3): changing one's password needs the current one and ends one's other sessions;
 * password fields are masked and leave password managers alone; the set-password page asks for
 * nothing but the password; one-time links expire; a reset link does not bypass two-factor
 * sign-in; the session id is 256 random bits, stored only as a hash, and never in a page; every
 * staff page offers the sign-out button and opening one (GET) changes nothing; a password does not
 * expire with time.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, test } from "node:test";
import { sql } from "drizzle-orm";
import { issuePasswordLink } from "../../src/app/auth/sessions.ts";
import { newTotpSecret, totpCodeAt } from "../../src/app/auth/totp.ts";
import { entriesAfter } from "../../src/db/repos/audit.ts";
import { updateCredentials } from "../../src/db/repos/auth.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { type TestApp, testApp } from "../support/context.ts";
import { type Browser, browser, givePassword, signIn, TEST_PASSWORD } from "../support/http.ts";
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

/** The attributes of every `<input>` in `html`, by name. */
function inputs(html: string): Map<string, Record<string, string>> {
  const found = new Map<string, Record<string, string>>();
  for (const tag of html.match(/<input\b[^>]*>/g) ?? []) {
    const attributes: Record<string, string> = {};
    for (const [, key = "", value = ""] of tag.matchAll(/([\w-]+)="([^"]*)"/g)) attributes[key] = value;
    if (attributes.name) found.set(attributes.name, attributes);
  }
  return found;
}

/** The first `<form>` of `html` whose action is `action`. */
function form(html: string, action: string | RegExp): string {
  const forms = html.match(/<form\b[\s\S]*?<\/form>/g) ?? [];
  const match = forms.find((f) => {
    const target = /action="([^"]*)"/.exec(f)?.[1] ?? "";
    return typeof action === "string" ? target === action : action.test(target);
  });
  assert.ok(match, `a form posting to ${action}`);
  return match;
}

async function signInWith(login: string, password: string): Promise<{ res: Response; b: Browser }> {
  const b = browser(http);
  const res = await b.post("/login", { login, password }, { csrf: null });
  return { res, b };
}

test("changing one's password needs the current one, and ends one's other sessions but not this one", async () => {
  const person = org.staff.kouhouStaff;
  const here = await signIn(http, person.employeeNo);
  const elsewhere = await signIn(http, person.employeeNo);
  const next = "新しいパスワードは長い文章にします";

  const wrong = await here.post("/account/password", { current: "not my password", next, confirm: next });
  assert.equal(wrong.status, 422);
  assert.ok((await wrong.text()).includes("現在のパスワードが正しくありません。"));
  assert.equal((await elsewhere.get("/")).status, 200, "nothing changed");
  assert.equal(
    (await signInWith(person.email, TEST_PASSWORD)).res.status,
    303,
    "the old password still works",
  );

  const changed = await here.post("/account/password", { current: TEST_PASSWORD, next, confirm: next });
  assert.equal(changed.status, 303);
  assert.equal(changed.headers.get("location"), "/account");
  assert.equal((await here.get("/")).status, 200, "the session that changed it goes on");
  assert.equal((await elsewhere.get("/")).status, 303, "every other session has ended");
  assert.equal((await signInWith(person.email, TEST_PASSWORD)).res.status, 422, "the old password is gone");
  assert.equal((await signInWith(person.email, next)).res.status, 303, "the new one signs in");
});

test("password fields are masked and marked for password managers; no field blocks pasting", async () => {
  const login = await (await http.request("/login")).text();
  const loginFields = inputs(form(login, "/login"));
  assert.equal(loginFields.get("password")?.type, "password");
  assert.equal(loginFields.get("password")?.autocomplete, "current-password");
  assert.equal(loginFields.get("login")?.autocomplete, "username");

  const { url } = await issuePasswordLink(app.ctx, { actor: org.actors.admin, staffId: org.staff.desk.id });
  const path = new URL(url).pathname;
  const setPage = await (await http.request(path)).text();
  const setFields = inputs(form(setPage, path));
  for (const name of ["password", "confirm"]) {
    assert.equal(setFields.get(name)?.type, "password", name);
    assert.equal(setFields.get(name)?.autocomplete, "new-password", name);
  }

  const account = await (await signIn(http, org.staff.desk.employeeNo)).text("/account");
  const changeFields = inputs(form(account, "/account/password"));
  for (const name of ["current", "next", "confirm"])
    assert.equal(changeFields.get(name)?.type, "password", name);

  for (const html of [login, setPage, account]) {
    assert.doesNotMatch(html, /onpaste|oncopy|readonly[^>]*type="password"/i);
  }
});

test("the set-password page asks for the new password twice and nothing else (no hint, no secret question)", async () => {
  const { url } = await issuePasswordLink(app.ctx, {
    actor: org.actors.admin,
    staffId: org.staff.soumuStaff.id,
  });
  const path = new URL(url).pathname;
  const fields = [...inputs(form(await (await http.request(path)).text(), path)).keys()];
  assert.deepEqual(fields.sort(), ["confirm", "password"]);
  assert.deepEqual([...inputs(form(await (await http.request("/login")).text(), "/login")).keys()].sort(), [
    "login",
    "next",
    "password",
  ]);
});

test("a reset link works for 24 hours and a set-up link for 72, then they are refused", async () => {
  const person = org.staff.soumuManager;
  const reset = new URL(
    (await issuePasswordLink(app.ctx, { actor: org.actors.admin, staffId: person.id, purpose: "reset" })).url,
  ).pathname;
  app.clock.advance(23 * 3_600_000);
  assert.equal((await http.request(reset)).status, 200);
  app.clock.advance(61 * 60_000);
  const late = await http.request(reset);
  assert.equal(late.status, 404);
  assert.ok((await late.text()).includes("このリンクは使えません"));
  const refused = await browser(http).post(
    reset,
    { password: "遅すぎた新しいパスワードです", confirm: "遅すぎた新しいパスワードです" },
    { csrf: null },
  );
  assert.equal(refused.status, 422);
  assert.equal((await signInWith(person.email, "遅すぎた新しいパスワードです")).res.status, 422);

  const setup = new URL(
    (await issuePasswordLink(app.ctx, { actor: org.actors.admin, staffId: person.id, purpose: "setup" })).url,
  ).pathname;
  app.clock.advance(71 * 3_600_000);
  assert.equal((await http.request(setup)).status, 200);
  app.clock.advance(61 * 60_000);
  assert.equal((await http.request(setup)).status, 404);
});

test("a password reset does not switch two-factor sign-in off; the code step replaces the pending session", async () => {
  const person = org.staff.policyDirector;
  const secret = newTotpSecret();
  const now = app.clock.now();
  await updateCredentials(app.ctx.db, person.id, { totpSecret: secret, totpEnabledAt: now }, now);

  const { url } = await issuePasswordLink(app.ctx, { actor: org.actors.admin, staffId: person.id });
  const next = "再設定した後のパスワードです";
  const set = await browser(http).post(
    new URL(url).pathname,
    { password: next, confirm: next },
    { csrf: null },
  );
  assert.equal(set.status, 303);

  const { res, b } = await signInWith(person.email, next);
  assert.equal(res.status, 303);
  assert.match(res.headers.get("location") ?? "", /^\/login\/2fa/, "the code is still asked for");
  assert.equal((await b.get("/")).status, 303, "no staff page before the code");
  const pending = b.cookies.get("snsgov_session") ?? "";
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await b.text("/login/2fa"))?.[1] ?? "";
  const done = await b.post("/login/2fa", { code: totpCodeAt(secret, app.clock.now()) }, { csrf });
  assert.equal(done.status, 303);
  assert.equal((await b.get("/")).status, 200);
  assert.notEqual(b.cookies.get("snsgov_session"), pending, "a new session id after the code");
  const stale = await http.request("/login/2fa", { headers: { cookie: `snsgov_session=${pending}` } });
  assert.equal(stale.status, 303, "the pending session is gone");
  assert.equal(stale.headers.get("location"), "/login");
});

test("the session id is 256 random bits, stored only as its SHA-256, and never written into a page", async () => {
  const b = await signIn(http, org.staff.securityDirector.employeeNo);
  const raw = b.cookies.get("snsgov_session") ?? "";
  assert.match(raw, /^[A-Za-z0-9_-]{43}$/, "32 bytes in base64url");
  const stored = await app.ctx.db.execute(sql`select id_hash from sessions`);
  const hashes = stored.rows.map((row) => String(row.id_hash));
  assert.ok(hashes.includes(createHash("sha256").update(raw, "utf8").digest("hex")));
  assert.ok(!hashes.includes(raw), "the raw id is not in the database");
  for (const path of ["/", "/account", "/account/2fa"]) {
    assert.ok(!(await b.text(path)).includes(raw), `${path} does not show the session id`);
  }
});

test("every staff page offers the sign-out button, and opening one changes nothing", async () => {
  const b = await signIn(http, org.staff.admin.employeeNo);
  const pages = [
    ...new Set(
      http.routes
        .filter((r) => r.method === "GET" && !/[:*]/.test(r.path))
        .map((r) => r.path)
        .filter((p) => !/^\/(api|public|healthz|login)\b/.test(p)),
    ),
  ];
  let checked = 0;
  const seqBefore = (await entriesAfter(app.ctx.db, 0, 1_000_000)).at(-1)?.seq ?? 0;
  for (const path of pages) {
    const res = await b.get(path);
    if (res.status !== 200 || !/text\/html/.test(res.headers.get("content-type") ?? "")) continue;
    checked++;
    const logout = form(await res.text(), "/logout");
    assert.match(logout, /<button[^>]*>\s*ログアウト\s*<\/button>/, path);
  }
  assert.ok(checked >= 30, `only ${checked} pages checked`);
  const recorded = (await entriesAfter(app.ctx.db, seqBefore, 1000)).map((e) => e.action);
  assert.deepEqual(
    recorded.filter((action) => !/\.export$|^auth\.denied$/.test(action)),
    [],
    "opening a page changes nothing (only exports and refusals are recorded)",
  );
});

test("a password does not expire: three years later it still signs in straight to the dashboard", async () => {
  app.clock.advance(3 * 366 * 86_400_000);
  const { res, b } = await signInWith(org.staff.desk.email, TEST_PASSWORD);
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), "/");
  assert.equal((await b.get("/")).status, 200);
});
