/**
 * Signing in with Secure `__Host-` cookies (as on every https deployment), in a real browser.
 * Chromium accepts Secure cookies from http://localhost, so the real form and the real cookie jar
 * decide whether the person reaches the dashboard.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { type TestApp, testApp } from "../support/context.ts";
import { givePassword, TEST_PASSWORD } from "../support/http.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";
import { browserSuite } from "./support.ts";

let org: TestOrg;

async function seed(): Promise<TestApp> {
  const app = await testApp({ env: { SNSGOV_COOKIE_SECURE: "true" } });
  org = await seedOrg(app.ctx);
  await givePassword(app, org.staff.kouhouManager.id);
  return app;
}

const suite = browserSuite(seed);

test("with Secure cookies a person signs in through the form, lands on the dashboard and can use the API", async () => {
  // localhost (not 127.0.0.1) is where Chromium allows Secure cookies over plain http.
  const base = suite.url.replace("127.0.0.1", "localhost");
  const context = await suite.browser.newContext({ locale: "ja-JP" });
  const page = await context.newPage();
  await page.goto(`${base}/posts`);
  await page.waitForURL(`${base}/login?next=%2Fposts`);
  await page.getByLabel("ログインID（職員番号）").fill(org.staff.kouhouManager.email);
  await page.getByLabel("パスワード").fill(TEST_PASSWORD);
  await page.getByRole("button", { name: "ログイン" }).click();
  await page.waitForURL(`${base}/posts`);
  await page.goto(`${base}/`);
  assert.ok(await page.getByRole("heading", { name: "ダッシュボード" }).isVisible());

  const cookies = await context.cookies(base);
  const session = cookies.find((c) => c.name.includes("snsgov_session"));
  assert.ok(session, "the browser kept the session cookie");
  assert.equal(session.name, "__Host-snsgov_session");
  assert.equal(session.secure, true);
  assert.equal(session.httpOnly, true);

  const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
  const status = await page.evaluate(async (token) => {
    const res = await fetch("/api/v1/tokens", {
      method: "POST",
      headers: { "content-type": "application/json", "x-csrf-token": token },
      body: JSON.stringify({ name: "ブラウザから", expiresInDays: 7 }),
    });
    return res.status;
  }, csrf);
  assert.equal(status, 201, "the API accepts the session cookie and the CSRF token");

  await page.getByRole("button", { name: "ログアウト" }).click();
  await page.waitForURL(`${base}/login`);
  const after = await context.cookies(base);
  assert.equal(
    after.find((c) => c.name.includes("snsgov_session")),
    undefined,
    "logging out removes the cookie",
  );
  await context.close();
});
