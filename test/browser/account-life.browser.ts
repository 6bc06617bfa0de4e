/**
 * One official account's whole life in a real browser, as the people involved do it: a division
 * applies, the department head and the policy director approve, the security director confirms,
 * the manager registers it, approves its media policy and starts it; citizens find it official;
 * then the manager announces its closure a month ahead and, after the effective date, citizens
 * are told it was formerly official. axe-core checks every page on the way.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { systemActor } from "../../src/app/context.ts";
import { advanceDueNotices } from "../../src/app/notices/job.ts";
import { type TestApp, testApp } from "../support/context.ts";
import { givePassword } from "../support/http.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";
import { assertAccessible, browserSuite } from "./support.ts";

let app: TestApp;
let org: TestOrg;
let page: Page;

async function seed(): Promise<TestApp> {
  // 2026-01-15 09:30 in Tokyo.
  app = await testApp({ start: "2026-01-15T00:30:00Z" });
  org = await seedOrg(app.ctx);
  for (const p of [
    org.staff.kouhouStaff,
    org.staff.kouhouManager,
    org.staff.policyDirector,
    org.staff.securityDirector,
  ]) {
    await givePassword(app, p.id);
  }
  return app;
}

const suite = browserSuite(seed, async (browser) => {
  page = await browser.newPage({ locale: "ja-JP" });
});

async function check() {
  await assertAccessible(page);
}

async function visit(path: string) {
  await page.goto(`${suite.url}${path}`);
  await check();
}

async function signInAs(employeeNo: string) {
  await page.context().clearCookies();
  await visit("/login");
  await suite.logIn(page, employeeNo);
  await check();
}

async function notice(text: string) {
  assert.ok(await page.getByText(text, { exact: false }).first().isVisible(), `shows 「${text}」`);
}

test("from application to closure", async () => {
  // 1. The division applies (起案) and submits.
  await signInAs(org.staff.kouhouStaff.employeeNo);
  await visit("/accounts/new");
  await page
    .getByRole("combobox", { name: /^利用するソーシャルメディア/ })
    .selectOption({ label: "X（旧Twitter）" });
  await page.getByRole("textbox", { name: /^アカウント名（案）/ }).fill("いわき市広報広聴課");
  await page.getByRole("textbox", { name: /^利用目的/ }).fill("市政情報とイベント情報を迅速にお届けするため");
  await page
    .getByRole("textbox", { name: /^所管サイトのURL/ })
    .fill("https://www.city.iwaki.lg.jp/www/sns/koho.html");
  await page
    .getByRole("group", { name: /運用に携わる職員/ })
    .getByLabel(/広報 主事/)
    .check();
  await page
    .getByRole("group", { name: /ID・パスワードを扱う職員/ })
    .getByLabel(/広報 主事/)
    .check();
  await page.getByRole("button", { name: "起案する" }).click();
  await page.waitForURL(/\/accounts\/\d+$/);
  await check();
  const accountPath = new URL(page.url()).pathname;
  await page.getByRole("button", { name: "申請を提出" }).click();
  await page.waitForURL(`${suite.url}${accountPath}`);
  await notice("申請を提出しました");

  // 2. The department head (情報管理者), then the policy director approve (4.1.2).
  await signInAs(org.staff.policyDirector.employeeNo);
  await visit(accountPath);
  await page.getByRole("button", { name: "許可する" }).click();
  await page.waitForURL(`${suite.url}${accountPath}`);
  await check();
  await page.getByRole("button", { name: "許可する" }).click();
  await page.waitForURL(`${suite.url}${accountPath}`);
  await notice("届出未確認");

  // 3. The security director confirms receipt.
  await signInAs(org.staff.securityDirector.employeeNo);
  await visit(accountPath);
  await page.getByRole("button", { name: "届出を確認しました" }).click();
  await page.waitForURL(`${suite.url}${accountPath}`);
  await check();
  assert.equal(await page.getByText("届出未確認").count(), 0);

  // 4. The manager registers the account, approves the media policy and starts operation.
  await signInAs(org.staff.kouhouManager.employeeNo);
  await visit(accountPath);
  await page.getByRole("textbox", { name: /^アカウントのURL/ }).fill("https://x.com/iwaki_koho");
  await page.getByLabel(/^アカウントの作成日/).fill("2026-01-14");
  await page.getByRole("button", { name: "登録する" }).click();
  await page.waitForURL(`${suite.url}${accountPath}`);
  await check();
  await page.getByRole("button", { name: "運用を開始する" }).click();
  await check();
  await notice("メディアポリシーが必要です");
  await visit(`${accountPath}/policy`);
  await page.getByRole("button", { name: "下書きを作成する" }).click();
  await check();
  await visit(`${accountPath}/policy`);
  await page.getByRole("button", { name: /版を承認して公開する/ }).click();
  await check();
  await visit(accountPath);
  await page.getByRole("button", { name: "運用を開始する" }).click();
  await page.waitForURL(`${suite.url}${accountPath}`);
  await notice("運用を開始しました");

  // 5. Citizens find it on the public list and the verification page says it is official.
  await page.context().clearCookies();
  await visit("/public/accounts");
  await notice("https://x.com/iwaki_koho");
  await visit(`/public/verify?url=${encodeURIComponent("https://x.com/iwaki_koho")}`);
  await notice("の公式アカウントです");

  // 6. Closure: requested with too short a notice period, refused with the dates (4.5.2); then right.
  await signInAs(org.staff.kouhouManager.employeeNo);
  await visit(`${accountPath}/notices`);
  await page.getByRole("combobox", { name: /^種類/ }).selectOption({ label: "廃止" });
  await page.getByLabel(/^変更日・廃止日/).fill("2026-02-15");
  await page.getByRole("textbox", { name: /^理由/ }).fill("市公式アカウントに統合するため");
  await page.getByRole("button", { name: "申請する" }).click();
  await check();
  await notice("第4-5(2)");
  await page.getByLabel(/^変更日・廃止日/).fill("2026-02-16");
  await page.getByRole("button", { name: "申請する" }).click();
  await page.waitForURL(new RegExp(`${accountPath}/notices(#notice-\\d+)?$`));
  await check();
  await page.getByRole("button", { name: "総合政策部長へ届け出たことを記録する" }).click();
  await page.waitForURL(new RegExp(`${accountPath}/notices(#notice-\\d+)?$`));
  await check();
  await page.locator(`input[name="announcementDate"]`).fill("2026-01-15");
  await page.getByRole("button", { name: "周知日を設定する" }).click();
  await page.waitForURL(new RegExp(`${accountPath}/notices(#notice-\\d+)?$`));
  await check();

  // 7. On the announcement date the notice goes public; the manager records the notification
  //    to the security director (4.5.1 周知後速やかに).
  assert.ok((await advanceDueNotices(app.ctx, systemActor("test"))) >= 1);
  await visit(`${accountPath}/notices`);
  await page.locator(`input[name="notifiedOn"]`).fill("2026-01-15");
  await page.getByRole("textbox", { name: /^届出の方法/ }).fill("文書（起案）");
  await page.getByRole("button", { name: "届出を記録する" }).click();
  await page.waitForURL(new RegExp(`${accountPath}/notices(#notice-\\d+)?$`));
  await check();
  await page.context().clearCookies();
  await visit("/public/notices");
  await notice("いわき市広報広聴課");

  // 8. After the effective date the account is closed; citizens are told it was official until then.
  app.clock.set("2026-02-16T00:10:00Z");
  assert.ok((await advanceDueNotices(app.ctx, systemActor("test"))) >= 1);
  // A citizen arriving now (public pages may be kept a minute by a browser's own cache).
  await page.close();
  page = await (await suite.browser.newContext({ locale: "ja-JP" })).newPage();
  await visit(`/public/verify?url=${encodeURIComponent("https://x.com/iwaki_koho")}`);
  await notice("以前の公式アカウントです");
  await visit("/public/notices");
  await notice("いわき市広報広聴課");
  await signInAs(org.staff.kouhouManager.employeeNo);
  await visit(accountPath);
  await notice("廃止");
});
