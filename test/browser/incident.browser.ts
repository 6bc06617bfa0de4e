/**
 * A なりすまし incident in a real browser, from report to closing (7, 7.3): an operator reports
 * the fake account from the account's page with a screenshot, which publishes nothing yet
 * (/public/verify answers only "not in the registry"); the manager finds it first on the
 * dashboard, receives it and presses 「公開する」, and citizens see the warning on
 * /public/notices and "known impersonation" on /public/verify at once; the manager records the
 * takedown request and a contact with the police (7.3.2), is refused closing without the
 * review, and closes it with the review. axe-core checks every page, the error states included.
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

const png = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
]);

test("a なりすまし from report to closing, with the public pages changing at once", async () => {
  const account = await seedKouhouAccount(app.ctx, org, { name: "いわき市広報", handle: "iwaki_koho" });
  const fake = "https://x.com/iwaki_koho_official";

  const staff = await suite.signedIn(org.staff.kouhouStaff.employeeNo);
  await staff.goto(`${suite.url}/accounts/${account.id}`);
  await staff.getByRole("link", { name: "このアカウントについてインシデントを報告する" }).click();
  await staff.waitForURL(`${suite.url}/incidents/new?accountId=${account.id}`);
  await assertAccessible(staff);
  assert.ok(
    await staff.getByText("アカウント管理者の広報 課長さん（広報広聴課）に直ちに通知されます").isVisible(),
  );

  // Submitting without the fake account's URL is refused with the form kept.
  await staff.getByRole("radio", { name: "なりすまし" }).check();
  await staff.getByLabel("件名").fill("市の公式Xを装うアカウント");
  await staff
    .getByLabel("何が起きたか")
    .fill("公式アカウントとよく似たアカウントがDMで個人情報を求めています。");
  await staff.getByRole("button", { name: "報告する" }).click();
  await assertAccessible(staff);
  assert.ok(
    await staff
      .getByRole("link", { name: "なりすましアカウントのURLを入力してください（第7-3(1)）。" })
      .isVisible(),
  );
  assert.equal(await staff.getByRole("radio", { name: "なりすまし" }).isChecked(), true);

  await staff.getByLabel("なりすましアカウントのURL").fill(fake);
  await staff
    .getByLabel("スクリーンショット・資料")
    .setInputFiles({ name: "dm.png", mimeType: "image/png", buffer: png });
  await staff.getByLabel("ファイルの説明").fill("DMの画面");
  await staff.getByRole("button", { name: "報告する" }).click();
  await staff.waitForURL(/\/incidents\/\d+$/);
  await assertAccessible(staff);
  const incidentUrl = staff.url();
  assert.ok(await staff.getByRole("heading", { name: "なりすまし: 市の公式Xを装うアカウント" }).isVisible());
  assert.ok(await staff.getByRole("link", { name: "dm.png" }).isVisible());
  // The reporter adds information; receiving the report and publishing the warning are the manager's (7).
  assert.ok(await staff.getByText("公開前（確認待ち）").isVisible());
  assert.equal(await staff.getByRole("button", { name: "報告を受けました（対応を始める）" }).count(), 0);
  assert.equal(await staff.getByRole("button", { name: "公開する" }).count(), 0);

  // Citizens are told no more than the registry knows until the manager confirms the warning.
  const citizen = await suite.browser.newPage({ locale: "ja-JP" });
  await citizen.goto(`${suite.url}/public/verify?url=${encodeURIComponent(fake)}`);
  await assertAccessible(citizen);
  assert.ok(await citizen.getByRole("heading", { name: "公式アカウントではありません" }).isVisible());
  assert.equal(await citizen.getByText("「なりすまし」アカウントとして確認しています").count(), 0);

  // The manager: dashboard first, then the incident, then 「公開する」.
  const manager = await suite.signedIn(org.staff.kouhouManager.employeeNo);
  await assertAccessible(manager);
  await manager
    .getByRole("region", { name: /対応中のインシデント/ })
    .getByRole("link", { name: "なりすまし: 市の公式Xを装うアカウント" })
    .click();
  await manager.waitForURL(incidentUrl);
  await assertAccessible(manager);
  await manager.getByRole("button", { name: "報告を受けました（対応を始める）" }).click();
  await manager.waitForURL(incidentUrl);
  assert.ok(await manager.getByText("報告を受けたことを記録しました。").isVisible());
  await manager.getByRole("button", { name: "公開する" }).click();
  await manager.waitForURL(/\/incidents\/\d+#imp-title$/);
  await assertAccessible(manager);
  assert.ok(await manager.getByText("掲載中", { exact: true }).isVisible());

  // Citizens see it at once (a new page: the public pages may be kept by the browser for a minute).
  const informed = await suite.browser.newPage({ locale: "ja-JP" });
  await informed.goto(`${suite.url}/public/verify?url=${encodeURIComponent(fake)}`);
  await assertAccessible(informed);
  assert.ok(await informed.getByText("「なりすまし」アカウントとして確認しています").isVisible());
  await informed.getByRole("link", { name: "注意喚起のお知らせ" }).click();
  await informed.waitForURL(/\/public\/notices#impersonation-\d+$/);
  await assertAccessible(informed);
  assert.ok(await informed.getByText("@iwaki_koho_official", { exact: false }).first().isVisible());

  await manager.locator("summary", { hasText: "削除依頼を記録する（第7-3(1)）" }).click();
  await manager.getByLabel("受付番号など").fill("X-IMP-1");
  await manager.getByRole("button", { name: "削除依頼を記録する" }).click();
  await manager.waitForURL(/\/incidents\/\d+#imp-title$/);
  await assertAccessible(manager);
  assert.ok(await manager.getByText("受付番号: X-IMP-1", { exact: false }).first().isVisible());

  await manager.locator("summary", { hasText: "連絡を記録する" }).click();
  await manager.getByLabel("連絡した機関・メディア").fill("いわき中央警察署");
  await manager.getByRole("button", { name: "連絡を記録する" }).click();
  await manager.waitForURL(/\/incidents\/\d+#imp-title$/);
  assert.ok(await manager.getByRole("cell", { name: "いわき中央警察署" }).isVisible());

  // Closing needs the review.
  await manager.getByRole("button", { name: "終結する" }).click();
  await assertAccessible(manager);
  assert.ok(
    await manager
      .getByRole("link", { name: "終結するには、振り返りの「何が起きたか」を入力してください。" })
      .isVisible(),
  );
  await manager
    .getByLabel("何が起きたか")
    .last()
    .fill("公式アカウントを装うアカウントがDMで個人情報を求めた。");
  await manager.getByLabel("今後どう改めるか").fill("プロフィールに公式アカウントの確かめ方を載せる。");
  await manager.getByLabel("公開ページのお知らせへの注意喚起の掲載を終了する").check();
  await manager.getByRole("button", { name: "終結する" }).click();
  await manager.waitForURL(incidentUrl);
  await assertAccessible(manager);
  assert.ok(await manager.getByRole("heading", { name: "振り返り" }).isVisible());

  await manager.goto(`${suite.url}/incidents?status=all`);
  await assertAccessible(manager);
  assert.ok(await manager.getByRole("link", { name: "市の公式Xを装うアカウント" }).isVisible());

  // The warning left /public/notices; the verification still knows the fake account. (A new
  // page: the public pages may be kept by the browser for a minute.)
  const later = await suite.browser.newPage({ locale: "ja-JP" });
  await later.goto(`${suite.url}/public/notices`);
  assert.equal(await later.getByText("@iwaki_koho_official", { exact: false }).count(), 0);
  await later.goto(`${suite.url}/public/verify?url=${encodeURIComponent(fake)}`);
  assert.ok(await later.getByText("「なりすまし」アカウントとして確認しています").isVisible());
});
