/**
 * The guideline, council, violation and consultation pages in a real browser over the demo
 * municipality, axe-core on every page (error states included): an operator reads what changed
 * and presses 「確認しました」; the policy director drafts, edits and is refused publishing
 * without a summary; a council member records minutes; the security director records a
 * violation under 第9 ただし書; a member of staff asks the consultation desk, which answers; the
 * administrator proposes a 監査担当, the security director approves it on 特権の保有者, where the
 * auditor sees who holds each privileged role and since when.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { DEMO_PASSWORD, seedDemo } from "../../src/app/demo.ts";
import { testApp } from "../support/context.ts";
import { assertAccessible, browserSuite } from "./support.ts";

const suite = browserSuite(async () => {
  const app = await testApp({ start: new Date().toISOString() });
  await seedDemo(app.ctx);
  return app;
});

function signedIn(login: string): Promise<Page> {
  return suite.signedIn(login, { password: DEMO_PASSWORD });
}

async function visit(page: Page, path: string): Promise<void> {
  const res = await page.goto(`${suite.url}${path}`);
  assert.equal(res?.status(), 200, path);
  await assertAccessible(page);
}

test("guideline: an operator confirms the revision; the policy director drafts and publishes with care", async () => {
  // D0021 acknowledged version 1; the revision is shown as its changes.
  const operator = await signedIn("D0021");
  await assertAccessible(operator);
  await visit(operator, "/guideline");
  await visit(operator, "/guideline/acknowledge");
  const changes = (await operator.locator("main").textContent()) ?? "";
  assert.ok(changes.includes("前回確認した版"), "only the changes since the version acknowledged");
  if ((await operator.getByRole("button", { name: "確認しました" }).count()) > 0) {
    await operator.getByRole("button", { name: "確認しました" }).click();
    await operator.waitForURL(`${suite.url}/guideline`);
    await assertAccessible(operator);
  }

  const director = await signedIn("D0001");
  await assertAccessible(director);
  await visit(director, "/guideline/acknowledgements");
  await visit(director, "/guideline/versions/2");
  await visit(director, "/guideline/versions/1");
  await director.goto(`${suite.url}/guideline`);
  await director.getByRole("button", { name: "現行の版をもとに下書きを作成" }).click();
  await director.waitForURL(/\/guideline\/versions\/\d+\/edit$/);
  await assertAccessible(director);
  await director.getByLabel("新しい条項の番号").fill("5.3.9");
  await director.getByLabel("新しい条項の本文").fill("動画を投稿する場合は、字幕を付けるよう努めること。");
  await director.getByRole("button", { name: "保存する" }).click();
  await director.waitForURL(/\/guideline\/versions\/\d+$/);
  await assertAccessible(director);
  await director.getByLabel("改正の概要（何を変えたか）").fill("");
  await director.getByRole("button", { name: "公開する" }).click();
  await assertAccessible(director);
  assert.ok(((await director.locator("main").textContent()) ?? "").includes("入力内容を確認してください"));
});

test("council: the roster, a meeting recorded with its minutes, the rules and their changes", async () => {
  const member = await signedIn("D0020");
  await visit(member, "/council");
  await member.getByRole("link", { name: "会議を記録する" }).click();
  await assertAccessible(member);
  await member.getByRole("button", { name: "記録する" }).click();
  await assertAccessible(member); // the title is missing
  await member.getByLabel("会議の名称").fill("第3回 ソーシャルメディア等活用連絡協議会");
  await member.getByLabel("議事録").fill("研修の日程を決めた。");
  await member.getByRole("button", { name: "記録する" }).click();
  await member.waitForURL(/\/council\/meetings\/\d+$/);
  await assertAccessible(member);
  await visit(member, "/council/rules");
  await visit(member, "/council/rules/1");
  const head = await signedIn("D0002");
  await visit(head, "/council");
});

test("violations: recorded by the security director with 第9 ただし書, not even a menu item for others", async () => {
  const security = await signedIn("D0002");
  await visit(security, "/violations");
  await visit(security, "/violations/new");
  await security.getByRole("button", { name: "記録する" }).click();
  await assertAccessible(security); // every required field missing
  await security.getByLabel("違反した条項").selectOption("5.2.4");
  await security.getByLabel("重大性").selectOption("low");
  await security
    .getByLabel("事案の状況")
    .fill("警察を名乗る者からの照会に、規程の手続きを経て庁舎の案内図を示した。");
  await security.getByLabel("違反した職員").fill("D0021");
  await security.getByLabel(/第9 ただし書/).check();
  await security.getByRole("button", { name: "記録する" }).click();
  await security.waitForURL(/\/violations\/\d+$/);
  await assertAccessible(security);
  assert.ok(((await security.locator("main").textContent()) ?? "").includes("処罰の対象とはなりません"));

  const admin = await signedIn("D0028");
  assert.equal(await admin.getByRole("link", { name: "違反の記録" }).count(), 0);
  const res = await admin.goto(`${suite.url}/violations/1`);
  assert.equal(res?.status(), 404);
  await assertAccessible(admin);
});

test("consultations: asked, answered by the desk, found in the knowledge base", async () => {
  const asker = await signedIn("D0030");
  await visit(asker, "/consultations");
  await asker.getByRole("link", { name: "協議する" }).first().click();
  await assertAccessible(asker);
  await asker.getByLabel("件名").fill("庁内イベントの写真に写った来庁者の扱い");
  await asker.getByLabel("協議の内容").fill("来庁者が小さく写り込んだ写真を投稿してよいでしょうか。");
  await asker.getByLabel("タグ").fill("肖像権、写真");
  await asker.getByRole("button", { name: "協議する" }).click();
  await asker.waitForURL(/\/consultations\/\d+$/);
  await assertAccessible(asker);
  const path = new URL(asker.url()).pathname;

  const desk = await signedIn("D0011");
  await visit(desk, path);
  await desk
    .getByRole("textbox", { name: "回答" })
    .fill("個人が特定できる大きさで写っている場合は、本人の同意を得るか、ぼかしてください（第5-1(3)）。");
  await desk.getByRole("button", { name: "回答を登録する" }).click();
  await desk.waitForURL(`${suite.url}${path}`);
  await assertAccessible(desk);
  await visit(asker, `/consultations?tag=${encodeURIComponent("肖像権")}`);
  assert.ok(
    ((await asker.locator("main").textContent()) ?? "").includes("庁内イベントの写真に写った来庁者の扱い"),
  );
});

test("privileged roles: a 監査担当 proposed by the administrator, approved by the security director (9)", async () => {
  const admin = await signedIn("D0028");
  await admin.goto(`${suite.url}/staff?q=D0030`);
  await admin.getByRole("link", { name: "新川 悠" }).click();
  await assertAccessible(admin);
  await admin.locator('select[name="role"]').selectOption("auditor");
  await admin.locator('select[name="scope"]').selectOption("global");
  await admin.getByRole("button", { name: "割り当てる" }).click();
  await assertAccessible(admin); // the last day is missing
  assert.ok(((await admin.locator("main").textContent()) ?? "").includes("期限（最終日）を指定してください"));
  await admin.locator('input[name="validUntil"]').fill("2099-03-31");
  await admin.getByRole("button", { name: "割り当てる" }).click();
  await admin.waitForLoadState();
  assert.ok(((await admin.locator("main").textContent()) ?? "").includes("承認待ち"));

  const security = await signedIn("D0002");
  await visit(security, "/roles");
  await security.getByRole("button", { name: "新川 悠さんの監査担当を承認する" }).click();
  await security.waitForURL(/\/roles$/);
  await assertAccessible(security);

  const auditor = await signedIn("D0029");
  await visit(auditor, "/roles");
  const text = (await auditor.locator("main").textContent()) ?? "";
  assert.ok(text.includes("磐城 太郎"), "the 総合政策部長 by post");
  assert.ok(text.includes("新川 悠"), "the newly approved auditor");
});
