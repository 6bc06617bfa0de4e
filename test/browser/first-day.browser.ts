/**
 * A new administrator's first day, in a real browser at a phone's and a desk's width: the setup
 * checklist on the dashboard, and an import of a file that is not a CSV shown on the import page
 * with the form kept. axe-core checks each page; nothing scrolls sideways. Screenshots go to
 * `test-artifacts/` (not committed) for a reviewer to look at.
 */
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { ensureFirstAdmin } from "../../src/app/setup.ts";
import { findStaffByEmployeeNo } from "../../src/db/repos/staff.ts";
import { type TestApp, testApp } from "../support/context.ts";
import { givePassword } from "../support/http.ts";
import { assertAccessible, browserSuite } from "./support.ts";

const artifacts = new URL("../../test-artifacts/", import.meta.url);

async function seed(): Promise<TestApp> {
  const app = await testApp({ running: true });
  await ensureFirstAdmin(app.ctx);
  const admin = await findStaffByEmployeeNo(app.ctx.db, "admin");
  assert.ok(admin);
  await givePassword(app, admin.id);
  return app;
}

const suite = browserSuite(seed);

async function fits(page: Page, what: string): Promise<void> {
  const { scroll, inner } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
  }));
  assert.ok(scroll <= inner, `${what}: nothing scrolls sideways (${scroll} > ${inner})`);
}

for (const [label, width, height] of [
  ["phone", 390, 844],
  ["desk", 1280, 800],
] as const) {
  test(`at ${width} px (${label}): the checklist on the dashboard, a PNG refused on the import page`, async () => {
    await mkdir(artifacts, { recursive: true });
    const page = await suite.signedIn("admin");
    await page.setViewportSize({ width, height });
    await page.goto(`${suite.url}/`);
    const checklist = page.getByRole("region", { name: /初期設定（残り9件）/ });
    await checklist.waitFor();
    assert.ok(
      (await checklist.textContent())?.includes(
        "総合政策部長が決まっていないため、アカウントの申請を承認できません",
      ),
    );
    await assertAccessible(page);
    await fits(page, "dashboard");
    await page.screenshot({
      path: new URL(`first-day-dashboard-${width}.png`, artifacts).pathname,
      fullPage: true,
    });

    await checklist.getByRole("link", { name: "組織のCSVを取り込む" }).click();
    await page.getByLabel("CSVファイル").setInputFiles({
      name: "photo.csv",
      mimeType: "text/csv",
      buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
    });
    await page.getByRole("button", { name: "内容を確認する" }).click();
    await page.getByText("このファイルはCSVではなく、PNG画像のようです。").first().waitFor();
    assert.equal(await page.getByLabel("取り込む内容").inputValue(), "org", "the choice is kept");
    await assertAccessible(page);
    await fits(page, "import page");
    await page.screenshot({
      path: new URL(`first-day-import-png-${width}.png`, artifacts).pathname,
      fullPage: true,
    });
    await page.close();
  });
}
