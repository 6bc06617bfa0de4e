/**
 * What the logs say about security, and what they never say (OWASP ASVS 5.0 V16): sign-in
 * events are on the audit log with when, who, what and from where; refusals of a forged form
 * and of an action someone may not do reach the application log; no password, session id, CSRF
 * token or API token is written to either log; application log lines are one JSON object each,
 * so a line break in a value cannot forge an entry; and a fault of ours is a generic 500 to the
 * person while the log keeps the detail.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { sql } from "drizzle-orm";
import { createApiToken } from "../../src/app/auth/api-tokens.ts";
import { newTotpSecret, totpCodeAt } from "../../src/app/auth/totp.ts";
import type { AppContext } from "../../src/app/context.ts";
import { createLogger } from "../../src/app/logger.ts";
import { entriesAfter } from "../../src/db/repos/audit.ts";
import { updateCredentials } from "../../src/db/repos/auth.ts";
import { toAuditJson } from "../../src/domain/audit-chain.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { type TestApp, testApp } from "../support/context.ts";
import { browser, givePassword, signIn, TEST_PASSWORD } from "../support/http.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";

const ORIGIN = "http://localhost:3000";
const PEER = "198.51.100.23";

let app: TestApp;
let org: TestOrg;
/** Every line the application logged, as written. */
const lines: string[] = [];
let http: ReturnType<typeof createHttpApp>;

before(async () => {
  app = await testApp();
  org = await seedOrg(app.ctx);
  for (const person of Object.values(org.staff)) await givePassword(app, person.id);
  http = createHttpApp({ ...app.ctx, log: createLogger("debug", (line) => lines.push(line)) });
});
after(() => app.close());

const lastSeq = async () => (await entriesAfter(app.ctx.db, 0, 1_000_000)).at(-1)?.seq ?? 0;

/** Posts the login form from the network address PEER. */
function loginFrom(form: Record<string, string>, cookie = ""): Promise<Response> {
  const socket = { remoteAddress: PEER, remotePort: 40000, remoteFamily: "IPv4" };
  return Promise.resolve(
    http.request(
      "/login",
      {
        method: "POST",
        body: new URLSearchParams(form),
        headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded", cookie },
      },
      { incoming: { socket } },
    ),
  );
}

test("sign-in events are on the audit log with the time (UTC), the person, the outcome and the address", async () => {
  const person = org.staff.kouhouStaff;
  const seq = await lastSeq();
  assert.equal((await loginFrom({ login: "nobody@example.jp", password: "x-unknown-login" })).status, 422);
  assert.equal((await loginFrom({ login: person.email, password: "x-wrong-password" })).status, 422);
  const ok = await loginFrom({ login: person.email, password: TEST_PASSWORD });
  assert.equal(ok.status, 303);
  const cookie = (ok.headers.getSetCookie()[0] ?? "").split(";")[0] ?? "";
  const home = await http.request("/", { headers: { cookie } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await home.text())?.[1] ?? "";
  await http.request("/logout", {
    method: "POST",
    body: new URLSearchParams({ _csrf: csrf }),
    headers: { cookie, origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
  });

  const entries = await entriesAfter(app.ctx.db, seq, 20);
  assert.deepEqual(
    entries.map((e) => [e.action, e.targetId]),
    [
      ["auth.login_failed", null],
      ["auth.login_failed", String(person.id)],
      ["auth.login", String(person.id)],
      ["auth.logout", String(person.id)],
    ],
  );
  const [unknown, wrong, signedIn] = entries;
  assert.deepEqual(unknown?.summary, { knownLogin: false, ip: PEER });
  assert.deepEqual(wrong?.summary, { knownLogin: true, ip: PEER });
  assert.deepEqual(signedIn?.summary, { ip: PEER, secondFactor: "none" });
  for (const entry of entries) {
    assert.equal(entry.at, app.clock.now().toISOString(), "the instant of the event");
    assert.ok(entry.actorLabel.length > 0);
  }
  const column = await app.ctx.db.execute(
    sql`select data_type from information_schema.columns where table_name = 'audit_log' and column_name = 'at'`,
  );
  assert.equal(
    column.rows[0]?.data_type,
    "timestamp with time zone",
    "stored as an instant, not a local time",
  );
});

test("the second factor is recorded: the code that failed, and the sign-in it completed", async () => {
  const person = org.staff.auditor;
  const secret = newTotpSecret();
  const now = app.clock.now();
  await updateCredentials(app.ctx.db, person.id, { totpSecret: secret, totpEnabledAt: now }, now);
  const seq = await lastSeq();
  const b = browser(http);
  await b.post("/login", { login: person.email, password: TEST_PASSWORD }, { csrf: null });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await b.text("/login/2fa"))?.[1] ?? "";
  await b.post("/login/2fa", { code: "000000" }, { csrf });
  await b.post("/login/2fa", { code: totpCodeAt(secret, app.clock.now()) }, { csrf });
  const entries = await entriesAfter(app.ctx.db, seq, 20);
  assert.deepEqual(
    entries.map((e) => e.action),
    ["auth.password_ok", "auth.totp_failed", "auth.login"],
  );
  assert.match(JSON.stringify(entries.at(-1)?.summary), /"secondFactor":"totp"/);
});

test("no password, session id, CSRF token or API token reaches the audit log or the application log", async () => {
  lines.length = 0;
  const seq = await lastSeq();
  const wrongPassword = "x-this-wrong-password-must-not-be-logged";
  const newPassword = "x-this-new-password-must-not-be-logged";
  await browser(http).post(
    "/login",
    { login: org.staff.soumuStaff.email, password: wrongPassword },
    { csrf: null },
  );
  const b = await signIn(http, org.staff.soumuStaff.employeeNo);
  const session = b.cookies.get("snsgov_session") ?? "";
  const csrf = await b.csrf();
  assert.equal(
    (await b.post("/org/departments", { code: "f1", name: "偽" }, { csrf: `${csrf}x` })).status,
    403,
  );
  assert.equal((await b.get("/audit")).status, 403);
  const changed = await b.post("/account/password", {
    current: TEST_PASSWORD,
    next: newPassword,
    confirm: newPassword,
  });
  assert.equal(changed.status, 303);
  const { token } = await createApiToken(app.ctx, { actor: org.actors.soumuStaff, input: { name: "集計" } });
  const api = await http.request("/api/v1/audit", { headers: { authorization: `Bearer ${token}` } });
  assert.equal(api.status, 403);
  await http.request("/api/v1/me", { headers: { authorization: `Bearer ${token}x` } });

  const log = lines.join("");
  assert.match(log, /"message":"csrf check failed"/, "the forged form is logged");
  assert.match(log, /"message":"authorization denied"/, "the refusal is logged");
  const audit = JSON.stringify(await entriesAfter(app.ctx.db, seq, 100));
  assert.match(audit, /auth\.password_changed/);
  for (const secret of [wrongPassword, TEST_PASSWORD, newPassword, session, csrf, token]) {
    assert.ok(!log.includes(secret), `the application log holds ${secret.slice(0, 12)}…`);
    assert.ok(!audit.includes(secret), `the audit log holds ${secret.slice(0, 12)}…`);
  }
});

test("audit summaries lose anything under a key that names a secret, at any depth", () => {
  assert.deepEqual(
    toAuditJson({
      name: "集計",
      password: "p",
      nested: { apiToken: "t", sessionId: "s", totpSecret: "x", passwordHash: "h", kept: 1 },
      list: [{ cookie: "c" }],
    }),
    {
      name: "集計",
      password: "[秘匿]",
      nested: {
        apiToken: "[秘匿]",
        sessionId: "[秘匿]",
        totpSecret: "[秘匿]",
        passwordHash: "[秘匿]",
        kept: 1,
      },
      list: [{ cookie: "[秘匿]" }],
    },
  );
});

test("an application log line is one JSON object in UTC; a line break in a value cannot forge another", () => {
  const written: string[] = [];
  const log = createLogger("info", (line) => written.push(line));
  const forged = '/x\n{"time":"2020-01-01T00:00:00.000Z","level":"error","message":"forged"}\r\n';
  log.warn("csrf check failed", { path: forged, method: "POST" });
  assert.equal(written.length, 1);
  const [line = ""] = written;
  assert.equal(line.indexOf("\n"), line.length - 1, "one line, ended by its own newline");
  const parsed: unknown = JSON.parse(line);
  assert.ok(typeof parsed === "object" && parsed !== null);
  assert.deepEqual(Object.keys(parsed), ["time", "level", "message", "path", "method"]);
  assert.equal(Reflect.get(parsed, "level"), "warn");
  assert.equal(Reflect.get(parsed, "path"), forged, "the value is kept whole, as data");
  assert.match(String(Reflect.get(parsed, "time")), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
});

test("a fault of ours is a generic 500 (page and API) that shows nothing of its insides; the log has it all", async () => {
  const written: string[] = [];
  const detail = "select password_hash from staff_credentials where id = 7";
  const broken: AppContext = {
    ...app.ctx,
    log: createLogger("debug", (line) => written.push(line)),
    clock: {
      now() {
        throw new TypeError(`internal fault: ${detail}`);
      },
    },
  };
  const faulty = createHttpApp(broken);
  const { token } = await createApiToken(app.ctx, { actor: org.actors.admin, input: { name: "障害" } });

  const api = await faulty.request("/api/v1/me", { headers: { authorization: `Bearer ${token}` } });
  assert.equal(api.status, 500);
  assert.deepEqual(await api.json(), {
    error: {
      code: "internal",
      message: "システムエラーが発生しました。時間をおいてもう一度お試しください。",
    },
  });

  const page = await faulty.request("/", { headers: { cookie: `snsgov_session=${"a".repeat(43)}` } });
  assert.equal(page.status, 500);
  const html = await page.text();
  assert.match(html, /<h1>システムエラーが発生しました<\/h1>/);
  for (const leak of [detail, "TypeError", "internal fault", ".ts:", "node_modules"]) {
    assert.ok(!html.includes(leak), `the page shows ${leak}`);
  }

  const logged = written.map((line): unknown => JSON.parse(line));
  const faults = logged.filter(
    (entry) =>
      typeof entry === "object" &&
      entry !== null &&
      /unhandled/.test(String(Reflect.get(entry, "message"))) &&
      Reflect.get(entry, "level") === "error",
  );
  assert.equal(faults.length, 2, written.join(""));
  for (const fault of faults) {
    const text = JSON.stringify(fault);
    assert.ok(text.includes(detail), "the cause is logged");
    assert.match(text, /"stack":"TypeError: internal fault/, "with its stack");
  }
});
