/**
 * Drafting and approval in a real browser with JavaScript on: the operator types a post with a
 * checker error and sees it listed and marked as they type (the live check through
 * /api/v1/check), fixes it and sees the error go, saves, submits, and the manager approves; the
 * operator records publishing, the manager reports an error, and the correction is written —
 * refused while it is still the original, shown beside the original with the differences marked
 * — approved and published, after which the original shows 「訂正あり」; the manager corrects the
 * URL recorded for the original with a reason and the post page shows 訂正履歴.
 * Then the same form without JavaScript: 「確認する」 shows the server's findings. axe-core checks
 * every page, the live-updated states included.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { seedAccount } from "../support/accounts.ts";
import { type TestApp, testApp } from "../support/context.ts";
import { givePassword } from "../support/http.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";
import { assertAccessible, browserSuite } from "./support.ts";

let app: TestApp;
let org: TestOrg;
let account: { id: number };
let soumuX: { id: number };
let soumuLine: { id: number };

const suite = browserSuite(async () => {
  app = await testApp({ start: "2026-11-24T00:00:00Z" });
  org = await seedOrg(app.ctx);
  for (const p of [org.staff.kouhouManager, org.staff.kouhouStaff]) await givePassword(app, p.id);
  account = await seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    operatorIds: [org.staff.kouhouStaff.id],
    name: "広報いわき",
    handle: "kouhou_iwaki",
    policy: true,
  });
  await givePassword(app, org.staff.soumuStaff.id);
  const soumu = {
    divisionId: org.divisions.soumuka.id,
    managerId: org.staff.soumuManager.id,
    operatorIds: [org.staff.soumuStaff.id],
    policy: true,
  };
  soumuX = await seedAccount(app.ctx, { ...soumu, platform: "x", name: "総務課（X）" });
  soumuLine = await seedAccount(app.ctx, { ...soumu, platform: "threads", name: "総務課（Threads）" });
  return app;
});

test("draft with an error seen live, fix it, submit, approve, publish, report an error, publish the correction", async () => {
  const staff = await suite.signedIn(org.staff.kouhouStaff.employeeNo);
  await staff.goto(`${suite.url}/posts`);
  await assertAccessible(staff);
  await staff.getByRole("link", { name: "新しい投稿" }).click();
  await staff.waitForURL(`${suite.url}/posts/new`);
  await assertAccessible(staff);

  const box = staff.getByLabel("広報いわきの本文");
  const findings = staff.locator(`#findings-${account.id}`);
  const marked = staff.locator(`#marked-${account.id}`);
  const counter = staff.locator(`#counter-${account.id}`);
  await box.pressSequentially("本日の講座は、090-1234-5678 までお申し込みください。", { delay: 5 });
  await findings.getByText("個人の携帯電話番号が含まれています").waitFor();
  assert.equal(await marked.locator("mark").first().textContent(), "090-1234-5678");
  assert.match(
    (await marked.locator(".visually-hidden").first().textContent()) ?? "",
    /指摘1: 個人の携帯電話番号/,
  );
  assert.match((await counter.textContent()) ?? "", /文字数: \d+／280/);
  assert.equal(await findings.getAttribute("aria-live"), "polite");
  assert.equal(
    await staff.evaluate(() => document.activeElement?.getAttribute("name")),
    `text_${account.id}`,
    "the focus stays in the text box",
  );
  await assertAccessible(staff);

  await box.fill("");
  await box.pressSequentially("【お知らせ】講座のお申し込みは、市民協働課（代表）までお電話ください。", {
    delay: 5,
  });
  await findings.getByText("指摘なし").waitFor();
  assert.equal(await marked.locator("mark").count(), 0, "the error and its mark are gone");
  await assertAccessible(staff);

  await staff.getByRole("button", { name: "下書きを保存する" }).click();
  await staff.waitForURL(/\/posts\/\d+$/);
  const postUrl = staff.url();
  await assertAccessible(staff);
  await staff.getByRole("button", { name: "承認を申請する" }).click();
  await staff.waitForURL(postUrl);
  assert.ok(await staff.getByText("アカウント管理者に承認を申請しました。").isVisible());
  await assertAccessible(staff);

  const manager = await suite.signedIn(org.staff.kouhouManager.employeeNo);
  await assertAccessible(manager);
  await manager.goto(`${suite.url}/posts`);
  await assertAccessible(manager);
  await manager
    .getByRole("link", { name: /講座のお申し込みは/ })
    .first()
    .click();
  await manager.waitForURL(postUrl);
  await assertAccessible(manager);
  await manager.getByLabel("コメント（差戻し・却下は必須）").fill("内容を確認しました。");
  await manager.getByRole("button", { name: "承認する" }).click();
  await manager.waitForURL(postUrl);
  assert.ok(await manager.getByText("承認しました。").isVisible());
  assert.ok(await manager.getByText("内容を確認しました。").isVisible());
  await assertAccessible(manager);

  await staff.goto(`${postUrl}/edit`);
  await assertAccessible(staff);

  // Posted on X from the platform's own app: the operator records the URL (5.1.4).
  await staff.goto(postUrl);
  await staff.getByRole("link", { name: "発信を記録する" }).click();
  await staff.waitForURL(`${postUrl}/publish`);
  await assertAccessible(staff);
  await staff.getByLabel("発信した投稿のURL").fill("https://x.com/kouhou_iwaki/status/1860000000000000001");
  await staff.getByRole("button", { name: "発信を記録する" }).click();
  await staff.waitForURL(postUrl);
  assert.ok(await staff.getByText(/発信を記録しました/).isVisible());
  await assertAccessible(staff);

  // The manager spots an error and reports it (5.3.2): the correction is due in 24 hours.
  await manager.goto(postUrl);
  await manager.getByRole("link", { name: "誤りを報告する" }).click();
  await manager.waitForURL(`${postUrl}/erroneous`);
  await assertAccessible(manager);
  await manager.getByRole("button", { name: "誤りを報告する" }).click();
  await manager.getByRole("heading", { name: "入力内容を確認してください" }).waitFor();
  await assertAccessible(manager);
  await manager.getByLabel("誤りの内容").fill("問い合わせ先は市民協働課ではなく、生涯学習課です。");
  await manager.getByRole("button", { name: "誤りを報告する" }).click();
  await manager.waitForURL(/\/posts\/\d+/);
  assert.ok(await manager.getByText(/誤りとして報告しました/).isVisible());
  await assertAccessible(manager);

  // The operator writes the correction (5.3.3), the manager approves it, and it goes out.
  await staff.goto(postUrl);
  await staff.getByRole("button", { name: "訂正の投稿を作成する" }).click();
  await staff.waitForURL((url) => /\/posts\/\d+$/.test(url.pathname) && url.toString() !== postUrl);
  const correctionUrl = staff.url();
  assert.ok(await staff.getByText(/訂正の投稿の下書きを作成しました/).isVisible());
  // Beside the original: the draft is still the original under 【訂正】, and cannot go forward.
  assert.ok(await staff.getByRole("heading", { name: "元の投稿との違い" }).isVisible());
  assert.ok(await staff.getByText(/【訂正】などの表示を除いて元の投稿と同じです/).isVisible());
  await assertAccessible(staff);
  await staff.getByRole("button", { name: "承認を申請する" }).click();
  await staff
    .getByText(/訂正の投稿の本文が、元の投稿（#\d+）と同じです/)
    .first()
    .waitFor();
  await assertAccessible(staff);
  // The operator puts it right; the differences are marked as they will be read.
  await staff.goto(`${correctionUrl}/edit`);
  const text = staff.getByLabel("本文");
  await text.fill(((await text.inputValue()) ?? "").replace("市民協働課（代表）", "生涯学習課"));
  await staff.getByRole("button", { name: "確認する" }).click();
  const diff = staff.locator(".correction-diff");
  await diff.locator("del", { hasText: "市民協働" }).first().waitFor();
  assert.match((await diff.locator("ins").last().textContent()) ?? "", /追加: .*生涯学習/);
  await assertAccessible(staff);
  await staff.getByRole("button", { name: "変更を保存する" }).click();
  await staff.waitForURL(correctionUrl);
  await staff.getByRole("button", { name: "承認を申請する" }).click();
  await staff.waitForURL(correctionUrl);
  assert.ok(await staff.getByText("アカウント管理者に承認を申請しました。").isVisible());
  await manager.goto(correctionUrl);
  await manager.getByRole("button", { name: "承認する" }).click();
  await manager.waitForURL(correctionUrl);
  assert.ok(await manager.getByText("承認しました。").isVisible());
  await staff.goto(correctionUrl);
  await staff.getByRole("link", { name: "発信を記録する" }).click();
  await staff.getByLabel("発信した投稿のURL").fill("https://x.com/kouhou_iwaki/status/1860000000000000002");
  await staff.getByRole("button", { name: "発信を記録する" }).click();
  await staff.waitForURL(correctionUrl);
  assert.ok(await staff.getByText(/訂正の投稿の発信を記録しました/).isVisible());
  await assertAccessible(staff);
  await staff.goto(postUrl);
  assert.ok(
    await staff
      .getByRole("link", { name: /訂正あり/ })
      .first()
      .isVisible(),
  );
  await assertAccessible(staff);

  // The URL recorded for the original was another post's: the manager corrects the record with
  // a reason, and the post page keeps the earlier value in 訂正履歴.
  await manager.goto(postUrl);
  await manager.getByRole("link", { name: "発信の記録を訂正する" }).click();
  await manager.waitForURL(`${postUrl}/publishing/correct`);
  await assertAccessible(manager);
  await manager.getByLabel("発信した投稿のURL").fill("https://x.com/someoneelse/status/1860000000000000009");
  await manager.getByLabel("訂正の理由").fill("別の投稿のURLを記録していたため");
  await manager.getByRole("button", { name: "訂正を記録する" }).click();
  await manager
    .getByText(/別のアカウント（someoneelse）の投稿です/)
    .first()
    .waitFor();
  await assertAccessible(manager);
  await manager.getByLabel("発信した投稿のURL").fill("https://x.com/kouhou_iwaki/status/1860000000000000005");
  await manager.getByRole("button", { name: "訂正を記録する" }).click();
  await manager.waitForURL(postUrl);
  const history = manager.locator("#record-history-title").locator("..");
  assert.match((await history.locator("del").textContent()) ?? "", /1860000000000000001/);
  assert.match((await history.locator("ins").textContent()) ?? "", /1860000000000000005/);
  assert.ok(await history.getByText("別の投稿のURLを記録していたため").isVisible());
  await assertAccessible(manager);
});

test("without JavaScript, 「確認する」 shows the server's findings and keeps the text", async () => {
  const text = "未公表の計画案について、ご意見をお寄せください。";
  // Playwright cannot run axe-core in a page with JavaScript off: the same server-rendered
  // states are checked for accessibility in a page with it on, below.
  const noScript = await suite.signedIn(org.staff.kouhouStaff.employeeNo, { javaScript: false });
  await noScript.goto(`${suite.url}/posts/new`);
  await noScript.getByLabel("広報いわきの本文").fill(text);
  await noScript.getByRole("button", { name: "確認する" }).click();
  await noScript.locator(`#findings-${account.id} ol`).waitFor();
  assert.equal(await noScript.getByLabel("広報いわきの本文").inputValue(), text);
  const findingsText = (await noScript.locator(`#findings-${account.id}`).textContent()) ?? "";
  assert.match(findingsText, /（第5-2\(2\)② 公表前の情報）/);
  assert.equal(findingsText.split("第5-2(2)②").length - 1, 1, "the clause is said once");
  assert.equal(await noScript.locator(`#marked-${account.id} mark`).first().textContent(), "未公表");

  const staff = await suite.signedIn(org.staff.kouhouStaff.employeeNo);
  await staff.goto(`${suite.url}/posts/new`);
  await staff.getByLabel("広報いわきの本文").fill(text);
  await staff.getByRole("button", { name: "確認する" }).click();
  await staff.locator(`#findings-${account.id} ol`).waitFor();
  await assertAccessible(staff);
  await staff.goto(`${suite.url}/posts/deputies`);
  assert.match(await staff.title(), /権限がありません/);

  const manager = await suite.signedIn(org.staff.kouhouManager.employeeNo);
  await manager.goto(`${suite.url}/posts/deputies`);
  await assertAccessible(manager);
  await manager.getByRole("button", { name: "代理者を指名する" }).click();
  await manager.getByRole("heading", { name: "入力内容を確認してください" }).waitFor();
  await assertAccessible(manager);
  await manager.goto(`${suite.url}/accounts/${account.id}/scopes`);
  await assertAccessible(manager);
});

test("a scope, an image and a post-hoc report: every page and error state passes axe-core", async () => {
  const manager = await suite.signedIn(org.staff.kouhouManager.employeeNo);
  await manager.goto(`${suite.url}/accounts/${account.id}/scopes`);
  await manager.getByLabel("範囲の名前").fill("休館日のお知らせ");
  await manager.getByLabel("テンプレート").fill("【休館】{date}は図書館の休館日です。");
  await manager.getByRole("button", { name: "範囲の許可を登録する" }).click();
  await manager.getByRole("heading", { name: "入力内容を確認してください" }).waitFor();
  await assertAccessible(manager);
  await manager.getByLabel("項目1の記号").fill("date");
  await manager.getByLabel("項目1の名前").fill("日付");
  await manager.getByLabel("有効期限").fill("2027-03-31");
  await manager.getByRole("button", { name: "範囲の許可を登録する" }).click();
  await manager.getByText("範囲の許可「休館日のお知らせ」を登録しました。").waitFor();
  await assertAccessible(manager);

  const staff = await suite.signedIn(org.staff.kouhouStaff.employeeNo);
  await staff.goto(`${suite.url}/posts/new`);
  await staff.getByRole("link", { name: /休館日のお知らせ/ }).click();
  await assertAccessible(staff);
  await staff.getByLabel("日付").fill("12月28日");
  await staff.getByRole("button", { name: "確認する" }).click();
  await staff.getByText("【休館】12月28日は図書館の休館日です。").first().waitFor();
  await assertAccessible(staff);
  await staff.getByRole("button", { name: "下書きを保存する" }).click();
  await staff.waitForURL(/\/posts\/\d+$/);
  await staff.getByRole("button", { name: "承認を申請する" }).click();
  await staff.getByText("範囲の許可「休館日のお知らせ」に合っているため、承認されました。").waitFor();
  await assertAccessible(staff);

  await staff.goto(`${suite.url}/posts/new`);
  await staff.getByLabel("広報いわきの本文").fill("【緊急】大雨のため、本日の野外コンサートは中止します。");
  await staff.getByRole("radio", { name: /④ 緊急の告知/ }).check();
  await staff.getByRole("button", { name: "下書きを保存する" }).click();
  await staff.waitForURL(/\/posts\/\d+$/);
  const postUrl = staff.url();
  await staff.getByRole("link", { name: "編集する（画像の追加も）" }).click();
  await staff.getByRole("button", { name: "画像を追加する" }).click();
  await staff.getByRole("heading", { name: "入力内容を確認してください" }).first().waitFor();
  await assertAccessible(staff);
  const png = Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYPj/HwADBAH/kxC1XwAAAABJRU5ErkJggg==",
    "base64",
  );
  await staff
    .getByLabel("画像ファイル")
    .setInputFiles({ name: "rain.png", mimeType: "image/png", buffer: png });
  await staff.getByLabel("代替テキスト").fill("雨で中止となった野外ステージ");
  await staff.getByRole("radio", { name: /職員が撮影・作成したもの/ }).check();
  await staff.getByRole("button", { name: "画像を追加する" }).click();
  await staff.getByText("画像「rain.png」を追加しました。").waitFor();
  await assertAccessible(staff);
  await staff.goto(postUrl);
  await staff.getByRole("button", { name: "今すぐ発信して事後報告する" }).click();
  await staff.getByText(/事後報告しました/).waitFor();
  assert.ok(await staff.getByRole("img", { name: "雨で中止となった野外ステージ" }).isVisible());
  await assertAccessible(staff);

  await manager.goto(`${suite.url}/posts`);
  assert.ok(await manager.getByRole("heading", { name: "事後報告（確認待ち）" }).isVisible());
  await assertAccessible(manager);
  await manager.goto(postUrl);
  await manager.getByRole("button", { name: "事後報告を確認しました" }).click();
  await manager.getByText("事後報告を確認しました。").first().waitFor();
  await assertAccessible(manager);
});

test("for several accounts, the text typed in one box goes to the others until one is written separately", async () => {
  const staff = await suite.signedIn(org.staff.soumuStaff.employeeNo);
  await staff.goto(`${suite.url}/posts/new`);
  const first = staff.getByLabel("総務課（X）の本文");
  const second = staff.getByLabel("総務課（Threads）の本文");
  await first.pressSequentially("【お知らせ】庁舎の停電点検", { delay: 5 });
  assert.equal(await second.inputValue(), "【お知らせ】庁舎の停電点検");
  await staff.locator(`#counter-${soumuLine.id}`).getByText("／500").waitFor();
  await second.pressSequentially("（Threads版）", { delay: 5 });
  await first.pressSequentially("は12月5日です。", { delay: 5 });
  assert.equal(await first.inputValue(), "【お知らせ】庁舎の停電点検は12月5日です。");
  assert.equal(
    await second.inputValue(),
    "【お知らせ】庁舎の停電点検（Threads版）",
    "written separately, kept",
  );
  await staff.locator(`#findings-${soumuX.id}`).getByText("指摘なし").waitFor();
  await assertAccessible(staff);
});
