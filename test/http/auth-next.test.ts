/**
 * Where signing in leads (`next`): hostile values must never send anyone off the site or break
 * the sign-in with a server error; an ordinary page of the site is kept.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { newTotpSecret, totpCodeAt } from "../../src/app/auth/totp.ts";
import { updateCredentials } from "../../src/db/repos/auth.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { type TestApp, testApp } from "../support/context.ts";
import { browser, givePassword, signIn, TEST_PASSWORD } from "../support/http.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";

const ORIGIN = "http://localhost:3000";

/** `next` as it appears in a URL's query or a form body (percent-encoded). */
const hostile = [
  "//evil.example/x",
  "///evil.example/x",
  "/%5Cevil.example/x",
  "/%5C%5Cevil.example",
  "%5C%5Cevil.example",
  "%2F%2Fevil.example",
  "/%09/evil.example/x",
  "/%0A/x",
  "/%0D%0ALocation:%20http://evil.example/",
  "/%7F/x",
  "/%C2%85/x",
  "https://evil.example/x",
  "https:evil.example",
  "javascript:alert(1)",
  "%20//evil.example",
  "/%252F/evil.example",
  "/%252F%252Fevil.example",
  "/%255Cevil.example",
  "/%255C%255Cevil.example",
  "/x/..//evil.example",
  "/./%2E%2E/evil.example",
  "/%",
];

let app: TestApp;
let org: TestOrg;
let http: ReturnType<typeof createHttpApp>;
let secret: string;

before(async () => {
  app = await testApp();
  org = await seedOrg(app.ctx);
  await givePassword(app, org.staff.kouhouStaff.id);
  await givePassword(app, org.staff.auditor.id);
  secret = newTotpSecret();
  await updateCredentials(
    app.ctx.db,
    org.staff.auditor.id,
    { totpSecret: secret, totpEnabledAt: app.ctx.clock.now() },
    app.ctx.clock.now(),
  );
  http = createHttpApp(app.ctx);
});
after(() => app.close());

/** Asserts a response is no server error and, when it redirects, stays on this site. */
function staysHome(res: Response, value: string, expected = "/"): void {
  assert.ok(res.status < 500, `${value}: status ${res.status}`);
  const location = res.headers.get("location");
  if (location === null) return;
  assert.equal(new URL(location, ORIGIN).origin, ORIGIN, `${value}: Location ${location}`);
  assert.equal(location, expected, `${value}: Location ${location}`);
}

const hiddenNext = (html: string) => /name="next" value="([^"]*)"/.exec(html)?.[1];

/** Posts a form whose `next` is given already percent-encoded, exactly as a browser would send it. */
async function postRaw(path: string, fields: Record<string, string>, rawNext: string, cookie = "") {
  const body = `${new URLSearchParams(fields).toString()}&next=${rawNext}`;
  return http.request(path, {
    method: "POST",
    body,
    headers: { cookie, origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
  });
}

test("GET /login: a signed-in person is sent only within the site, and the form keeps only safe values", async () => {
  const b = await signIn(http, org.staff.kouhouStaff.email);
  const anonymous = browser(http);
  for (const value of hostile) {
    staysHome(await b.get(`/login?next=${value}`), value);
    const form = await anonymous.get(`/login?next=${value}`);
    assert.equal(form.status, 200, value);
    assert.equal(hiddenNext(await form.text()), "/", value);
  }
  const kept = await b.get(`/login?next=${encodeURIComponent("/posts?x=1")}`);
  assert.equal(kept.headers.get("location"), "/posts?x=1");
  const form = await anonymous.get(`/login?next=${encodeURIComponent("/posts?x=1")}`);
  assert.equal(hiddenNext(await form.text()), "/posts?x=1");
});

test("POST /login: signing in with a hostile next lands on the dashboard, never a server error", async () => {
  for (const value of hostile) {
    const res = await postRaw(
      "/login",
      { login: org.staff.kouhouStaff.email, password: TEST_PASSWORD },
      value,
    );
    assert.equal(res.status, 303, value);
    staysHome(res, value);
  }
  const kept = await postRaw(
    "/login",
    { login: org.staff.kouhouStaff.email, password: TEST_PASSWORD },
    encodeURIComponent("/posts?x=1"),
  );
  assert.equal(kept.headers.get("location"), "/posts?x=1");
  const japanese = await postRaw(
    "/login",
    { login: org.staff.kouhouStaff.email, password: TEST_PASSWORD },
    encodeURIComponent("/archive?q=桜"),
  );
  assert.equal(japanese.status, 303);
  assert.equal(japanese.headers.get("location"), "/archive?q=%E6%A1%9C");
});

test("the two-factor step: a hostile next is dropped on the way in and after the code", async () => {
  const cookieOf = (res: Response) =>
    res.headers
      .getSetCookie()
      .map((line) => line.split(";")[0])
      .join("; ");
  for (const value of hostile) {
    app.clock.advance(30_000);
    const first = await postRaw("/login", { login: org.staff.auditor.email, password: TEST_PASSWORD }, value);
    assert.equal(first.status, 303, value);
    assert.equal(first.headers.get("location"), "/login/2fa?next=%2F", value);
    const cookie = cookieOf(first);
    const page = await http.request(`/login/2fa?next=${value}`, { headers: { cookie } });
    assert.equal(page.status, 200, value);
    const html = await page.text();
    assert.equal(hiddenNext(html), "/", value);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";
    const done = await postRaw(
      "/login/2fa",
      { _csrf: csrf, code: totpCodeAt(secret, app.clock.now()) },
      value,
      cookie,
    );
    assert.equal(done.status, 303, value);
    staysHome(done, value);
  }
  app.clock.advance(30_000);
  const first = await postRaw(
    "/login",
    { login: org.staff.auditor.email, password: TEST_PASSWORD },
    encodeURIComponent("/posts?x=1"),
  );
  assert.equal(first.headers.get("location"), `/login/2fa?next=${encodeURIComponent("/posts?x=1")}`);
  const cookie = cookieOf(first);
  const html = await (await http.request("/login/2fa?next=%2Fposts%3Fx%3D1", { headers: { cookie } })).text();
  assert.equal(hiddenNext(html), "/posts?x=1");
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";
  const done = await postRaw(
    "/login/2fa",
    { _csrf: csrf, code: totpCodeAt(secret, app.clock.now()) },
    encodeURIComponent("/posts?x=1"),
    cookie,
  );
  assert.equal(done.headers.get("location"), "/posts?x=1");
});
