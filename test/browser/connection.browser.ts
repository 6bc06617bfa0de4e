/**
 * The account's tab 自動発信の接続 in a real browser, as its account manager uses it, on a phone
 * (390 × 844) and at a desk (1280 × 800), against the loopback fake of LINE: the token form sent
 * empty shows the error summary with the focus, linked to the field; a wrong token is refused
 * and not put back into the page; the right token connects (the connection, its handle and who
 * connected are shown; the token is nowhere in the page); revoking without a reason is refused,
 * with a reason it revokes (LINE is asked to revoke the token, the history shows the reason).
 * Nothing scrolls sideways, axe-core finds nothing. Screenshots go to
 * test-artifacts/screenshots/ (git-ignored).
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { type FakeLine, startFakeLine } from "../../src/publishing/fakes/line.ts";
import { seedKouhouAccount } from "../support/accounts.ts";
import { type TestApp, testApp } from "../support/context.ts";
import { givePassword } from "../support/http.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";
import { assertAccessible, browserSuite } from "./support.ts";

const shots = fileURLToPath(new URL("../../test-artifacts/screenshots/", import.meta.url));
mkdirSync(shots, { recursive: true });

const keyFile = join(tmpdir(), `snsgov-token-keys-${randomUUID()}.json`);
let line: FakeLine | undefined;
let org: TestOrg;
let accountId = 0;

const suite = browserSuite(async () => {
  line = await startFakeLine({ token: "line-phone-token-0123456789", basicId: "@iwaki_line" });
  const app: TestApp = await testApp({
    start: new Date().toISOString(),
    env: { SNSGOV_TOKEN_KEY_FILE: keyFile, SNSGOV_LINE_API_URL: line.url },
  });
  org = await seedOrg(app.ctx);
  await givePassword(app, org.staff.kouhouManager.id);
  accountId = (
    await seedKouhouAccount(app.ctx, org, {
      platform: "line",
      handle: "@iwaki_line",
      url: "https://lin.ee/iwaki",
      name: "いわき市LINE公式アカウント",
    })
  ).id;
  return app;
});
after(async () => {
  await line?.close();
  await rm(keyFile, { force: true });
});

const viewports = [
  { name: "phone", width: 390, height: 844, token: "line-phone-token-0123456789" },
  { name: "desk", width: 1280, height: 800, token: "line-desk-token-9876543210" },
] as const;

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${shots}connection-${name}.png`, fullPage: true });
}

/** Fits the screen (nothing scrolls sideways) and axe-core finds nothing. */
async function assertFits(page: Page, where: string): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.equal(overflow, 0, `${where}: nothing scrolls sideways`);
  await assertAccessible(page);
}

/** The error summary has the focus, leads the page and links each problem to its field. */
async function assertSummary(page: Page, where: string): Promise<string[]> {
  const summary = await page.evaluate(() => {
    const box = document.getElementById("error-summary");
    return {
      focused: box !== null && document.activeElement === box,
      top: box?.getBoundingClientRect().top ?? -1,
      links: Array.from(box?.querySelectorAll("a") ?? []).map((a) => ({
        text: a.textContent ?? "",
        target: document.getElementById((a.getAttribute("href") ?? "").slice(1))?.getAttribute("name") ?? "",
      })),
    };
  });
  assert.ok(summary.focused, `${where}: the error summary has the focus`);
  assert.ok(summary.top >= 0 && summary.top < 400, `${where}: the summary is on the first screen`);
  return summary.links.map((l) => `${l.target}: ${l.text}`);
}

for (const viewport of viewports) {
  test(`the account manager connects LINE with a token and revokes it with a reason (${viewport.name}, ${viewport.width}px)`, async () => {
    assert.ok(line);
    line.tokens.add(viewport.token);
    const page = await suite.signedIn(org.staff.kouhouManager.employeeNo);
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    page.setDefaultTimeout(20_000);
    try {
      const here = `${suite.url}/accounts/${accountId}/connection`;
      await page.goto(here);
      await page.getByRole("heading", { name: "LINE公式アカウントに接続する" }).waitFor();
      assert.match((await page.locator("main").textContent()) ?? "", /テスト用の疑似サーバー（サンプル）/);
      await shoot(page, `line-form-${viewport.name}`);
      await assertFits(page, "the form");

      // Sent empty: the server's error summary, not the browser's bubble.
      await page.getByRole("button", { name: "接続する" }).click();
      await page.waitForURL(`${here}/token`);
      assert.deepEqual(await assertSummary(page, "empty token"), [
        "token: チャネルアクセストークン（長期）を入力してください。",
      ]);
      assert.equal(await page.locator("#f-token").getAttribute("aria-invalid"), "true");
      await shoot(page, `line-empty-token-${viewport.name}`);
      await assertFits(page, "the empty token");

      // A wrong token: LINE refuses it, and it is not put back into the page.
      await page.locator("#f-token").fill("wrong-token-not-echoed");
      await page.getByRole("button", { name: "接続する" }).click();
      await page.locator("#error-summary", { hasText: "このトークンを受け付けませんでした" }).waitFor();
      assert.match(
        (await page.locator("#error-summary").textContent()) ?? "",
        /LINE公式アカウントがこのトークンを受け付けませんでした/,
      );
      assert.ok(!(await page.content()).includes("wrong-token-not-echoed"), "the wrong token is not echoed");
      assert.equal(await page.locator("#f-token").inputValue(), "");

      // The right token connects.
      await page.locator("#f-token").fill(viewport.token);
      await page.getByRole("button", { name: "接続する" }).click();
      await page.waitForURL(here);
      const main = (await page.locator("main").textContent()) ?? "";
      assert.match(main, /LINE公式アカウントに接続しました（iwaki_line）/);
      assert.match(main, /接続中/);
      assert.match(main, /@iwaki_line/);
      assert.match(main, /広報 課長（/, "who connected, and when");
      assert.ok(!(await page.content()).includes(viewport.token), "the token is not shown again");
      await shoot(page, `line-connected-${viewport.name}`);
      await assertFits(page, "connected");

      // Revoking without a reason is refused; with one, LINE revokes the token.
      await page.getByRole("button", { name: "接続を取り消す" }).click();
      await page.waitForURL(/\/revoke$/);
      await page.locator("#error-summary").waitFor();
      assert.deepEqual(await assertSummary(page, "revoke without a reason"), [
        "reason: 取り消す理由を入力してください。",
      ]);
      await shoot(page, `line-revoke-empty-${viewport.name}`);
      await assertFits(page, "revoke without a reason");
      await page.getByLabel("取り消す理由").fill("担当者の異動のため");
      await page.getByRole("button", { name: "接続を取り消す" }).click();
      await page.waitForURL(here);
      const revoked = (await page.locator("main").textContent()) ?? "";
      assert.match(revoked, /接続を取り消しました/);
      assert.match(revoked, /取り消し済み/);
      assert.match(revoked, /理由: 担当者の異動のため/);
      assert.ok(!line.tokens.has(viewport.token), "LINE was asked to revoke the token");
      await page.getByRole("heading", { name: "LINE公式アカウントに接続する" }).waitFor();
      await shoot(page, `line-revoked-${viewport.name}`);
      await assertFits(page, "revoked");
    } finally {
      await page.context().close();
    }
  });
}
