/**
 * One official account's whole life in a real browser, as the people involved do it: a division
 * applies (起案 with what the city decides on), the department head and the policy director
 * approve, the manager registers the acquired account — the 届出 goes to the security director,
 * who opens and confirms it — the 起案 is printed with its 文書番号, the manager approves the media
 * policy and starts it; citizens find it official; then the manager requests its closure, the
 * policy director confirms the 届出, the announcement goes out a month ahead, the security
 * director confirms the second 届出, and after the effective date citizens are told it was
 * formerly official. An administrator records an account from before the system. axe-core checks
 * every page on the way.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { recordExistingAccount } from "../../src/app/accounts/existing.ts";
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
    org.staff.admin,
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
  await page.getByLabel(/^運用開始の予定日/).fill("2026-02-01");
  await page.getByRole("textbox", { name: /^メディアポリシー（案）/ }).fill("① 目的: 市政情報の発信");
  await page.getByLabel(/利用規約を読み/).check();
  await page
    .getByRole("textbox", { name: /^ログイン用メールアドレス・電話番号の所有者/ })
    .fill("広報広聴課の共用メールアドレス（課長が管理）");
  await page.getByRole("textbox", { name: /^二段階認証の設定方法/ }).fill("認証アプリ（課の共用端末）");
  await page.getByRole("textbox", { name: /^費用/ }).fill("無料");
  await page.getByRole("textbox", { name: /^合議先/ }).fill("広報広聴課、情報政策課");
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
  await check();
  assert.equal(await page.getByText("届出未確認").count(), 0, "no 届出 before the account exists (4.1.2)");

  // 3. The manager registers the acquired account: the 届出 goes to the security director.
  await signInAs(org.staff.kouhouManager.employeeNo);
  await visit(accountPath);
  await page.getByRole("textbox", { name: /^アカウントのURL/ }).fill("https://x.com/iwaki_koho");
  await page.getByLabel(/^アカウントの作成日/).fill("2026-01-14");
  await page.getByLabel(/二段階認証を設定した/).check();
  await page.getByRole("textbox", { name: /^ログイン用メールアドレス$/ }).fill("koho-sns@city.example.lg.jp");
  await page.getByRole("button", { name: "登録して情報統括管理者へ届け出る" }).click();
  await page.waitForURL(`${suite.url}${accountPath}`);
  await check();
  await notice("情報統括管理者へ届出を送りました");
  await notice("届出未確認");

  // 4. The security director opens the 届出 and confirms it.
  await signInAs(org.staff.securityDirector.employeeNo);
  await visit(accountPath);
  await page.getByRole("link", { name: "届出の内容を確認する" }).click();
  await page.waitForURL(/\/filings\/\d+$/);
  await check();
  await notice("koho-sns@city.example.lg.jp");
  await page.getByRole("button", { name: "確認しました" }).click();
  await page.waitForURL(/\/filings\/\d+$/);
  await check();
  await notice("届出を確認しました");
  await visit("/filings");
  await visit(accountPath);
  assert.equal(await page.getByText("届出未確認").count(), 0);

  // 5. The 起案 prints as a document; the manager records its 文書番号, approves the policy and starts.
  await signInAs(org.staff.kouhouManager.employeeNo);
  await visit(`${accountPath}/document`);
  await notice("ソーシャルメディア公式アカウントの取得について（伺い）");
  await page.getByRole("textbox", { name: /^文書番号/ }).fill("いわ広第1024号");
  await page.getByLabel(/^決裁日/).fill("2026-01-15");
  await page.getByRole("button", { name: "記録する" }).click();
  await page.waitForURL(`${suite.url}${accountPath}/document`);
  await check();
  await notice("いわ広第1024号");
  await visit(accountPath);
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

  // 6. Citizens find it on the public list and the verification page says it is official.
  await page.context().clearCookies();
  await visit("/public/accounts");
  await notice("https://x.com/iwaki_koho");
  await visit(`/public/verify?url=${encodeURIComponent("https://x.com/iwaki_koho")}`);
  await notice("の公式アカウントです");

  // 7. Closure: requested with too short a notice period, refused with the dates (4.5.2); then right.
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
  await page.getByRole("button", { name: "総合政策部長へ届け出る" }).click();
  await page.waitForURL(new RegExp(`${accountPath}/notices(#notice-\\d+)?$`));
  await check();
  await notice("総合政策部長へ届出を送りました");
  const noticePath = new URL(page.url()).pathname;

  // The policy director receives the 届出 and confirms it; only then can the date be set (4.5.1).
  await signInAs(org.staff.policyDirector.employeeNo);
  await visit("/filings?status=sent");
  await page.getByRole("link", { name: /公式アカウント廃止届（周知前）/ }).click();
  await page.waitForURL(/\/filings\/\d+$/);
  await check();
  await notice("公式アカウント廃止届（周知前）");
  await page.getByRole("button", { name: "確認しました" }).click();
  await page.waitForURL(/\/filings\/\d+$/);
  await check();

  await signInAs(org.staff.kouhouManager.employeeNo);
  await visit(noticePath);
  await page.locator(`input[name="announcementDate"]`).fill("2026-01-15");
  await page.getByRole("button", { name: "周知日を設定する" }).click();
  await page.waitForURL(new RegExp(`${accountPath}/notices(#notice-\\d+)?$`));
  await check();

  // 8. On the announcement date the notice goes public; the manager records the notification
  //    to the security director (4.5.1 周知後速やかに), who confirms it.
  assert.ok((await advanceDueNotices(app.ctx, systemActor("test"))) >= 1);
  await visit(`${accountPath}/notices`);
  await page.getByRole("button", { name: "情報統括管理者へ届け出る" }).click();
  await page.waitForURL(new RegExp(`${accountPath}/notices(#notice-\\d+)?$`));
  await check();
  await notice("情報統括管理者へ届出を送りました");
  await signInAs(org.staff.securityDirector.employeeNo);
  await visit("/filings?status=sent");
  await page.getByRole("link", { name: /公式アカウント廃止届（周知後）/ }).click();
  await page.waitForURL(/\/filings\/\d+$/);
  await check();
  await page.getByRole("button", { name: "確認しました" }).click();
  await page.waitForURL(/\/filings\/\d+$/);
  await check();
  await visit(noticePath);
  await page.getByRole("link", { name: "申請書を見る・印刷する" }).first().click();
  await page.waitForURL(/\/notices\/\d+\/document$/);
  await check();
  await notice("ソーシャルメディア公式アカウントの廃止について（伺い）");
  await page.context().clearCookies();
  await visit("/public/notices");
  await notice("いわき市広報広聴課");

  // 9. After the effective date the account is closed; citizens are told it was official until then.
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

  // 10. An administrator records an account approved on paper before the system.
  await signInAs(org.staff.admin.employeeNo);
  await visit(`/accounts/existing/new?divisionId=${org.divisions.kouhou.id}`);
  await notice("既存アカウントの登録");
  const existing = await recordExistingAccount(app.ctx, {
    actor: org.actors.admin,
    input: {
      divisionId: org.divisions.kouhou.id,
      platform: "instagram",
      name: "いわき市広報（写真）",
      url: "https://www.instagram.com/iwaki_photo/",
      platformCreatedOn: "2019-04-01",
      purpose: "市の風景を写真でお届けするため",
      homepageUrl: "https://www.city.iwaki.lg.jp/www/sns/photo.html",
      operatorIds: [org.staff.kouhouStaff.id],
      holderIds: [org.staff.kouhouStaff.id],
      loginEmail: "photo@city.example.lg.jp",
      loginOwner: "広報広聴課",
      documentNumber: "いわ広第300号",
      departmentApprovedOn: "2019-03-20",
      policyApprovedOn: "2019-03-25",
    },
  });

  // 11. The policy director confirms it on its page; the security director asks about its 届出;
  //     the manager sees the question with the answer form.
  await signInAs(org.staff.policyDirector.employeeNo);
  await visit(`/accounts/${existing.id}`);
  await notice("既存アカウントとして登録");
  await page.getByRole("button", { name: "記録を確認し、登録する" }).click();
  await page.waitForURL(`${suite.url}/accounts/${existing.id}`);
  await check();
  await signInAs(org.staff.securityDirector.employeeNo);
  await visit(`/accounts/${existing.id}`);
  await page.getByRole("link", { name: "届出の内容を確認する" }).click();
  await page.waitForURL(/\/filings\/\d+$/);
  await page.getByRole("textbox", { name: /^質問/ }).fill("写真の撮影者の同意はどのように記録していますか。");
  await page.getByRole("button", { name: "質問を送る" }).click();
  await page.waitForURL(/\/filings\/\d+$/);
  await check();
  const filingPath = new URL(page.url()).pathname;
  await signInAs(org.staff.kouhouManager.employeeNo);
  await visit(filingPath);
  await notice("写真の撮影者の同意");
  await page.getByRole("button", { name: "回答して届出を再送する" }).click();
  await check();
  await notice("回答を入力してください");
});
