/**
 * Every way in asks for the same factors, and a change of factor ends the other sessions (OWASP
 * ASVS 5.0 6.3.4, 7.2.4, 7.4.3):
 * - someone whose role requires two-factor sign-in but who has not set it up is refused by the
 *   API too, with their session cookie and with a token made earlier, until they set it up;
 * - signing in again in the same browser ends the session it had;
 * - turning two-factor on or off ends the person's other sessions, not the one that did it.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createApiToken } from "../../src/app/auth/api-tokens.ts";
import { totpCodeAt } from "../../src/app/auth/totp.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { callApi, json } from "../support/api.ts";
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

/** The session's CSRF token, read from the two-factor page (which every signed-in person may open). */
async function csrfOf(b: Browser): Promise<string> {
  return /name="_csrf" value="([^"]+)"/.exec(await b.text("/account/2fa"))?.[1] ?? "";
}

/** Calls the API with the browser's session cookie and CSRF token, as the staff pages' script does. */
async function apiWithSession(b: Browser, method: string, path: string, body?: unknown): Promise<Response> {
  const cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  return http.request(`/api/v1${path}`, {
    method,
    headers: {
      cookie,
      origin: "http://localhost:3000",
      "x-csrf-token": await csrfOf(b),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** Turns two-factor on through the pages; returns the secret. */
async function enrol(b: Browser): Promise<string> {
  const page = await b.text("/account/2fa");
  const secret = /class="secret">([A-Z2-7]+)</.exec(page)?.[1];
  assert.ok(secret, "manual-entry key shown");
  const confirmed = await b.post(
    "/account/2fa/confirm",
    { code: totpCodeAt(secret, app.clock.now()) },
    { csrf: await csrfOf(b) },
  );
  assert.equal(confirmed.status, 303);
  return secret;
}

test("a role that requires two-factor: the API refuses its holder by session and by token until it is set up", async () => {
  const person = org.staff.securityDirector;
  const { token } = await createApiToken(app.ctx, {
    actor: org.actors.securityDirector,
    input: { name: "made before the requirement" },
  });
  assert.equal((await callApi(http, token, "GET", "/me")).status, 200, "works before the requirement");

  const admin = await signIn(http, org.staff.admin.employeeNo);
  assert.equal((await admin.post("/admin/settings/2fa", { roles: ["security_director"] })).status, 303);
  try {
    const director = await signIn(http, person.employeeNo);
    const bySession = await apiWithSession(director, "POST", "/tokens", { name: "a way around" });
    assert.equal(bySession.status, 403, "no token can be made around the requirement");
    assert.match(JSON.stringify(await json(bySession)), /2段階認証/);
    const byToken = await callApi(http, token, "GET", "/me");
    assert.equal(byToken.status, 403, "a token made earlier does not get past it either");

    await enrol(director);
    assert.equal((await callApi(http, token, "GET", "/me")).status, 200, "works again once set up");
    assert.equal((await apiWithSession(director, "GET", "/me")).status, 200);
  } finally {
    await admin.post("/admin/settings/2fa", { roles: [] });
  }
});

test("signing in again in the same browser ends the session it had", async () => {
  const b = await signIn(http, org.staff.kouhouStaff.employeeNo);
  const first = new Map(b.cookies);
  const again = await b.post("/login", { login: org.staff.kouhouStaff.employeeNo, password: TEST_PASSWORD });
  assert.equal(again.status, 303);
  assert.notDeepEqual([...b.cookies], [...first], "a new session id");
  assert.equal((await b.get("/")).status, 200, "the new session works");

  const old = browser(http);
  for (const [k, v] of first) old.cookies.set(k, v);
  const res = await old.get("/");
  assert.equal(res.status, 303, "the earlier session no longer works");
  assert.match(res.headers.get("location") ?? "", /^\/login/);
});

test("turning two-factor on, then off, ends one's other sessions but not the one that did it", async () => {
  const login = org.staff.kouhouManager.employeeNo;
  const here = await signIn(http, login);
  const elsewhere = await signIn(http, login);
  await enrol(here);
  assert.equal((await here.get("/")).status, 200, "this session stays");
  assert.equal(
    (await elsewhere.get("/")).status,
    303,
    "the other session ended when two-factor was turned on",
  );

  app.clock.advance(60_000);
  const third = browser(http);
  await third.post("/login", { login, password: TEST_PASSWORD }, { csrf: null });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await third.text("/login/2fa"))?.[1] ?? "";
  const secret = /class="secret">([A-Z2-7]+)</.exec(await here.text("/account/2fa"));
  assert.equal(secret, null, "the secret is not shown again");
  const disabled = await here.post("/account/2fa/disable", { password: TEST_PASSWORD });
  assert.equal(disabled.status, 303);
  assert.equal((await here.get("/")).status, 200, "this session stays");
  const pending = await third.post("/login/2fa", { code: "000000" }, { csrf });
  assert.notEqual(pending.status, 200);
  assert.equal(
    (await third.get("/")).status,
    303,
    "the other (pending) session ended when two-factor was turned off",
  );
});
