/**
 * Signing in on an https deployment (Secure cookies with the `__Host-` prefix): the browser keeps
 * exactly what the server sent in Set-Cookie and sends it back, and that must reach the staff pages
 * and the API (cookie plus X-CSRF-Token).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createHttpApp } from "../../src/http/app.tsx";
import { type TestApp, testApp } from "../support/context.ts";
import { givePassword, TEST_PASSWORD } from "../support/http.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";

const ORIGIN = "https://snsgov.city.example.lg.jp";

let app: TestApp;
let org: TestOrg;
let http: ReturnType<typeof createHttpApp>;

before(async () => {
  app = await testApp({ env: { SNSGOV_PUBLIC_URL: ORIGIN, SNSGOV_COOKIE_SECURE: "true" } });
  org = await seedOrg(app.ctx);
  await givePassword(app, org.staff.kouhouManager.id);
  http = createHttpApp(app.ctx);
});
after(() => app.close());

type SetCookie = { name: string; value: string; attributes: string[] };

/** Parses Set-Cookie lines the way a browser stores them: name, value, lower-cased attributes. */
function parseSetCookies(res: Response): SetCookie[] {
  return res.headers.getSetCookie().map((line) => {
    const [pair = "", ...attributes] = line.split(";").map((part) => part.trim());
    const eq = pair.indexOf("=");
    return {
      name: pair.slice(0, eq),
      value: pair.slice(eq + 1),
      attributes: attributes.map((a) => a.toLowerCase()),
    };
  });
}

test("with Secure cookies, signing in reaches the staff pages and the API with exactly the cookie set", async () => {
  assert.equal(app.ctx.config.cookieSecure, true);
  const res = await http.request(`${ORIGIN}/login`, {
    method: "POST",
    body: new URLSearchParams({ login: org.staff.kouhouManager.email, password: TEST_PASSWORD }),
    headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
  });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), "/");
  const stored = parseSetCookies(res).filter((c) => c.value !== "");
  assert.equal(stored.length, 1, "one session cookie");
  const [session] = stored;
  assert.ok(session);
  // What a browser requires of a `__Host-` cookie: Secure, Path=/, no Domain.
  assert.ok(session.name.startsWith("__Host-"), session.name);
  assert.ok(session.attributes.includes("secure"));
  assert.ok(session.attributes.includes("httponly"));
  assert.ok(session.attributes.includes("path=/"));
  assert.ok(!session.attributes.some((a) => a.startsWith("domain=")));
  const cookie = stored.map((c) => `${c.name}=${c.value}`).join("; ");

  const home = await http.request(`${ORIGIN}/`, { headers: { cookie } });
  assert.equal(home.status, 200, `dashboard, not ${home.headers.get("location")}`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await home.text())?.[1];
  assert.ok(csrf, "the page carries the CSRF token");

  const me = await http.request(`${ORIGIN}/api/v1/me`, { headers: { cookie } });
  assert.equal(me.status, 200);
  const created = await http.request(`${ORIGIN}/api/v1/tokens`, {
    method: "POST",
    body: JSON.stringify({ name: "集計用", expiresInDays: 30 }),
    headers: { cookie, origin: ORIGIN, "content-type": "application/json", "x-csrf-token": csrf },
  });
  assert.equal(created.status, 201);

  const out = await http.request(`${ORIGIN}/logout`, {
    method: "POST",
    body: new URLSearchParams({ _csrf: csrf }),
    headers: { cookie, origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
  });
  assert.equal(out.status, 303);
  const cleared = parseSetCookies(out).find((c) => c.name === session.name);
  assert.ok(cleared, "logging out clears the very cookie that was set");
  assert.equal(cleared.value, "");
});
