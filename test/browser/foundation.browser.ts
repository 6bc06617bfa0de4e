/**
 * An administrator's first hour, in a real browser: sign in, enable two-factor, add a division
 * and a member of staff, record a transfer, and find each step in the audit log. axe-core checks
 * every page on the way.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { totpCodeAt } from "../../src/app/auth/totp.ts";
import { type TestApp, testApp } from "../support/context.ts";
import { givePassword, TEST_PASSWORD } from "../support/http.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";
import { assertAccessible, browserSuite } from "./support.ts";

let org: TestOrg;
let page: Page;

async function seed(): Promise<TestApp> {
  // Two-factor codes are computed from real time in the browser, so the server clock runs too.
  const app = await testApp({ running: true });
  org = await seedOrg(app.ctx);
  await givePassword(app, org.staff.admin.id);
  return app;
}

const suite = browserSuite(seed, async (browser) => {
  page = await browser.newPage({ locale: "ja-JP" });
});

async function visit(path: string) {
  await page.goto(`${suite.url}${path}`);
  await assertAccessible(page);
}

test("an administrator signs in, enables two-factor, adds a division and a person, records a transfer, and finds it all in the audit log", async () => {
  await visit("/login");
  await page.getByLabel("ログインID（職員番号）").fill(org.staff.admin.employeeNo);
  await page.getByLabel("パスワード").fill("wrong password");
  await page.getByRole("button", { name: "ログイン" }).click();
  await assertAccessible(page);
  assert.ok(await page.getByText("ログインIDまたはパスワードが正しくありません。").isVisible());
  await page.getByLabel("パスワード").fill(TEST_PASSWORD);
  await page.getByRole("button", { name: "ログイン" }).click();
  await page.waitForURL(`${suite.url}/`);
  await assertAccessible(page);
  assert.ok(await page.getByRole("heading", { name: "ダッシュボード" }).isVisible());

  // Two-factor
  await visit("/account/2fa");
  const secret = (await page.locator(".secret").textContent())?.trim() ?? "";
  assert.match(secret, /^[A-Z2-7]{16,}$/);
  await page.getByLabel("確認コード（6桁）").fill(totpCodeAt(secret, new Date()));
  await page.getByRole("button", { name: "2段階認証を有効にする" }).click();
  await page.waitForURL(`${suite.url}/account`);
  await assertAccessible(page);
  assert.ok(await page.getByText("2段階認証を有効にしました。").isVisible());

  // Sign out and back in with the second factor
  await page.getByRole("button", { name: "ログアウト" }).click();
  await page.waitForURL(`${suite.url}/login`);
  await page.getByLabel("ログインID（職員番号）").fill(org.staff.admin.employeeNo);
  await page.getByLabel("パスワード").fill(TEST_PASSWORD);
  await page.getByRole("button", { name: "ログイン" }).click();
  await page.waitForURL(/\/login\/2fa/);
  await assertAccessible(page);
  // A fresh 30-second step so the code differs from the one used to enrol.
  const nextStep = new Date(Math.ceil((Date.now() + 1000) / 30_000) * 30_000 + 500);
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, nextStep.getTime() - Date.now())));
  await page.getByLabel("確認コード").fill(totpCodeAt(secret, new Date()));
  await page.getByRole("button", { name: "確認する" }).click();
  await page.waitForURL(`${suite.url}/`);

  // A division
  await visit("/org/divisions/new");
  await page.getByLabel("所属する部").selectOption({ label: "総務部" });
  await page.getByLabel("課コード").fill("jouhou");
  await page.getByLabel("課の名称").fill("情報政策課");
  await page.getByRole("button", { name: "追加する" }).click();
  await page.waitForURL(`${suite.url}/org/divisions`);
  await assertAccessible(page);
  assert.ok(await page.getByRole("cell", { name: "情報政策課" }).isVisible());

  // A member of staff, first with a mistake that is reported and keeps what was typed
  await visit("/staff/new");
  await page.getByLabel("職員番号").fill("S1234");
  await page.getByLabel("氏名").fill("新人 一郎");
  await page.getByLabel("メールアドレス").fill("not-an-address");
  await page.getByRole("combobox", { name: /^部/ }).selectOption({ label: "総務部" });
  await page.getByRole("combobox", { name: /^課/ }).selectOption({ label: "総務部 情報政策課" });
  await page.getByRole("combobox", { name: /^職/ }).selectOption({ label: "主事" });
  await page.getByRole("button", { name: "追加する" }).click();
  await assertAccessible(page);
  assert.ok(
    await page
      .getByRole("alert")
      .getByText("メールアドレスの形式が正しくありません", { exact: false })
      .isVisible(),
  );
  assert.equal(await page.getByLabel("氏名").inputValue(), "新人 一郎");
  await page.getByLabel("メールアドレス").fill("shinjin@city.example.lg.jp");
  await page.getByRole("button", { name: "追加する" }).click();
  await page.waitForURL(/\/staff\/\d+$/);
  await assertAccessible(page);
  const staffPath = new URL(page.url()).pathname;

  // A transfer to 広報広聴課, effective today
  await page.getByRole("link", { name: "人事異動を登録" }).click();
  await assertAccessible(page);
  await page.getByRole("combobox", { name: /^部/ }).selectOption({ label: "総合政策部" });
  await page.getByRole("combobox", { name: /^課/ }).selectOption({ label: "総合政策部 広報広聴課" });
  await page.getByRole("button", { name: "登録する" }).click();
  await page.waitForURL(`${suite.url}/transfers`);
  await assertAccessible(page);
  assert.ok(await page.getByText("人事異動を登録し、反映しました。").isVisible());
  await visit(staffPath);
  assert.match((await page.locator("dl.facts").textContent()) ?? "", /所属総合政策部 広報広聴課/);

  // The audit log shows each step
  await visit("/audit");
  const log = await page.locator("table").textContent();
  for (const label of ["2段階認証を有効化", "課の追加", "職員の追加", "人事異動の登録", "ログイン失敗"]) {
    assert.ok(log?.includes(label), `audit log shows ${label}`);
  }
  await visit("/audit?action=transfer.");
  assert.equal(await page.locator("tbody tr").count(), 1);
  assert.equal(
    await page.getByRole("combobox", { name: "操作" }).inputValue(),
    "transfer.",
    "the filter shows the chosen area",
  );

  // An entry's details read as sentences; its JSON opens with one click (no script needed)
  await visit("/audit?action=staff.create");
  assert.match((await page.locator("ul.audit-sentences").first().textContent()) ?? "", /職員番号: /);
  const json = page.locator("details.audit-json").first();
  assert.equal(await json.locator("pre").isVisible(), false);
  await json.locator("summary").click();
  assert.match((await json.locator("pre").textContent()) ?? "", /"employeeNo"|"name"/);
  for (const [width, height] of [
    [390, 844],
    [1280, 800],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: `.test-cache/screenshots/audit-${width}.png`, fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no sideways scrolling at ${width} px (${overflow} px too wide)`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
});

test("every staff page an administrator can open passes axe-core", async () => {
  // With a working token, the password form shows 「APIトークンもすべて無効にする」 (ASVS 7.4.3).
  await visit("/account");
  await page.getByLabel("トークンの名前").fill("庁内CMS連携");
  await page.getByRole("button", { name: "作成する" }).click();
  await assertAccessible(page);
  await visit("/account");
  assert.ok(await page.getByLabel("APIトークンもすべて無効にする").isChecked(), "checked by default");
  for (const path of [
    `/staff/${org.staff.admin.id}`,
    "/",
    "/staff",
    "/org/departments",
    "/org/positions",
    "/transfers",
    "/admin/settings",
    "/account",
    "/nowhere",
  ]) {
    await visit(path);
  }
});
