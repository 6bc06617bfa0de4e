/**
 * The media policy and profile tabs in a real browser: a division member drafts the first
 * version, the manager's approval of an incomplete draft shows the form with the missing item,
 * the manager fixes and approves it, reads the version, and checks the profile pasted from the
 * platform. axe-core checks every page, error states included.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { seedKouhouAccount } from "../support/accounts.ts";
import { type TestApp, testApp } from "../support/context.ts";
import { givePassword } from "../support/http.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";
import { assertAccessible, browserSuite } from "./support.ts";

let app: TestApp;
let org: TestOrg;
const suite = browserSuite(async () => {
  app = await testApp({ start: new Date().toISOString() });
  org = await seedOrg(app.ctx);
  for (const p of [org.staff.kouhouManager, org.staff.kouhouStaff]) await givePassword(app, p.id);
  return app;
});

test("a draft from the template, a refused and then accepted approval, a version, and a profile check", async () => {
  const account = await seedKouhouAccount(app.ctx, org, { status: "approved", policy: false });
  const base = `${suite.url}/accounts/${account.id}`;

  const staff = await suite.signedIn(org.staff.kouhouStaff.employeeNo);
  await staff.goto(`${base}/policy`);
  await assertAccessible(staff);
  await staff.getByRole("button", { name: "下書きを作成する" }).click();
  await staff.waitForURL(`${base}/policy/edit`);
  await assertAccessible(staff);
  await staff.getByLabel("① 情報発信を行う目的").fill("");
  await staff.getByRole("radio", { name: "個別に判断する" }).check();
  await staff.getByRole("button", { name: "下書きを保存する" }).click();
  await staff.waitForURL(`${base}/policy`);
  await assertAccessible(staff);

  const manager = await suite.signedIn(org.staff.kouhouManager.employeeNo);
  await manager.goto(`${base}/policy`);
  await assertAccessible(manager);
  await manager.getByRole("button", { name: "第1版を承認して公開する" }).click();
  await assertAccessible(manager);
  assert.ok(
    await manager
      .getByRole("link", { name: "① 情報発信を行う目的を入力してください（第4-2(1)）。" })
      .isVisible(),
  );
  assert.equal(await manager.getByRole("radio", { name: "個別に判断する" }).isChecked(), true);
  await manager.getByLabel("① 情報発信を行う目的").fill("市政情報を迅速にお届けするため、Xを活用します。");
  await manager.getByRole("button", { name: "下書きを保存する" }).click();
  await manager.waitForURL(`${base}/policy`);
  await manager.getByRole("button", { name: "第1版を承認して公開する" }).click();
  await manager.waitForURL(`${base}/policy`);
  await assertAccessible(manager);
  assert.ok(await manager.getByText("第1版を承認しました。").isVisible());

  await manager.getByRole("link", { name: "第1版" }).click();
  await manager.waitForURL(`${base}/policy/v/1`);
  await assertAccessible(manager);

  await manager.goto(`${base}/profile`);
  await assertAccessible(manager);
  const generated = await manager
    .getByLabel("X（旧Twitter）の自由記述欄（プロフィール）に設定する文章")
    .inputValue();
  assert.ok(generated.includes("運用方針（メディアポリシー）："));
  await manager
    .getByLabel("いま設定されているプロフィール")
    .fill("公式アカウントです。運用方針 https://bit.ly/iwk");
  await manager.getByRole("button", { name: "確認する" }).click();
  await manager.waitForURL(`${base}/profile#check-title`);
  await assertAccessible(manager);
  assert.equal(await manager.locator("mark").first().textContent(), "https://bit.ly/iwk");
  await manager.getByRole("button", { name: "確認する" }).click();
  await assertAccessible(manager);
  assert.ok(
    await manager.getByText("プロフィール（自由記述欄）の文章を貼り付けてください。").first().isVisible(),
  );
});
