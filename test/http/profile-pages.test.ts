/**
 * The プロフィール tab: the generated bio to copy with its length against the platform's limit,
 * and the manager's check of the bio as it is on the platform, each problem shown with its
 * clause and marked in the text (4.4.3, 4.4.4, 5.3.1).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { findAccount, updateAccount } from "../../src/db/repos/accounts.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { seedAccount } from "../support/accounts.ts";
import { type TestApp, testApp } from "../support/context.ts";
import { givePassword, signIn } from "../support/http.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";

let app: TestApp;
let org: TestOrg;
let http: ReturnType<typeof createHttpApp>;
const homepage = "https://www.city.iwaki.lg.jp/www/sns/koho.html";

before(async () => {
  app = await testApp({ start: "2026-04-01T01:00:00Z" });
  org = await seedOrg(app.ctx);
  for (const p of [org.staff.kouhouManager, org.staff.kouhouStaff, org.staff.soumuStaff])
    await givePassword(app, p.id);
  http = createHttpApp(app.ctx);
});
after(() => app.close());

const account = (platform: "x" | "instagram" | "tiktok" = "x") =>
  seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    homepageUrl: homepage,
    platform,
    policy: true,
  });

test("the page offers the generated bio to copy, with its length against the platform's limit", async () => {
  const a = await account("instagram");
  const reader = await signIn(http, org.staff.soumuStaff.employeeNo);
  const html = await reader.text(`/accounts/${a.id}/profile`);
  assert.match(
    html,
    /<textarea id="generated-bio" readonly="" rows="4" aria-describedby="generated-bio-hint">いわき市広報広聴課の公式アカウントです。運用方針（メディアポリシー）：https:\/\/www\.city\.iwaki\.lg\.jp\/www\/sns\/koho\.html<\/textarea>/,
  );
  assert.ok(html.includes("文字数: 81／150文字"));
  assert.ok(html.includes("まだ確認していません。"));
  assert.ok(!html.includes('name="text"'), "no check form for another division");
  const tiktok = await reader.text(`/accounts/${(await account("tiktok")).id}/profile`);
  assert.ok(
    tiktok.includes(
      "文字数の上限（80文字）に収めるため、「運用方針（メディアポリシー）：」を「運用方針：」と短くしています。",
    ),
  );
});

test("a bio with a shortener: the 4.4.4 error is shown, the link marked, the result stored", async () => {
  const a = await account();
  const manager = await signIn(http, org.staff.kouhouManager.employeeNo);
  const posted = await manager.post(`/accounts/${a.id}/profile`, {
    text: "いわき市広報広聴課の公式アカウントです。運用方針：https://bit.ly/iwk-koho",
  });
  assert.equal(posted.status, 303);
  assert.equal(posted.headers.get("location"), `/accounts/${a.id}/profile#check-title`);
  const html = await manager.text(`/accounts/${a.id}/profile`);
  assert.ok(html.includes("プロフィールを確認しました。修正が必要な指摘があります。"));
  assert.ok(html.includes("<mark>https://bit.ly/iwk-koho</mark>"));
  assert.ok(html.includes("第4-4(4)"));
  assert.match(
    html,
    /短縮URLを使わず、URLを全て表示<div class="hint">[^<]+<\/div><\/td><td[^>]*>第4-4\(4\)<\/td><td[^>]*><span class="badge badge-error">要修正/,
  );
  const stored = await findAccount(app.ctx.db, a.id);
  assert.equal(stored?.bioHasErrors, true);
  assert.ok(stored?.bioCheckedAt);
});

test("a bio without the URL is 4.4.3; without the division 5.3.1, except for a character account", async () => {
  const a = await account();
  const staff = await signIn(http, org.staff.kouhouStaff.employeeNo);
  await staff.post(`/accounts/${a.id}/profile`, { text: "いわき市広報広聴課の公式アカウントです。" });
  const noUrl = await staff.text(`/accounts/${a.id}/profile`);
  assert.match(
    noUrl,
    /② 所管サイトのURLの記載<div class="hint">[^<]+<\/div><\/td><td[^>]*>第4-4\(3\)<\/td><td[^>]*><span class="badge badge-error">要修正/,
  );
  assert.match(
    noUrl,
    /① メディアポリシー（運用方針）の記載<div class="hint">[^<]+<\/div><\/td><td[^>]*>第4-4\(3\)<\/td><td[^>]*><span class="badge badge-error">要修正/,
  );

  const anonymous = `公式アカウントです。運用方針：${homepage}`;
  await staff.post(`/accounts/${a.id}/profile`, { text: anonymous });
  const noDivision = await staff.text(`/accounts/${a.id}/profile`);
  assert.match(
    noDivision,
    /所属（課等の名称）の明示<div class="hint">[^<]+<\/div><\/td><td[^>]*>第5-3\(1\)<\/td><td[^>]*><span class="badge badge-warn">要確認/,
  );

  await app.ctx.db.transaction((tx) => updateAccount(tx, a.id, { isCharacter: true }, app.clock.now()));
  await staff.post(`/accounts/${a.id}/profile`, { text: anonymous });
  const character = await staff.text(`/accounts/${a.id}/profile`);
  assert.match(
    character,
    /所属（課等の名称）の明示<div class="hint">[^<]+<\/div><\/td><td[^>]*>第5-3\(1\)<\/td><td[^>]*><span class="badge badge-muted">対象外/,
  );
  assert.ok(character.includes("修正が必要な指摘はありません。"));
});

test("another division cannot check the profile; an empty paste is an error on the form", async () => {
  const a = await account();
  const outsider = await signIn(http, org.staff.soumuStaff.employeeNo);
  assert.equal((await outsider.post(`/accounts/${a.id}/profile`, { text: "総務課です。" })).status, 403);
  assert.equal((await findAccount(app.ctx.db, a.id))?.currentBio, "");
  const manager = await signIn(http, org.staff.kouhouManager.employeeNo);
  const empty = await manager.post(`/accounts/${a.id}/profile`, { text: "  " });
  assert.equal(empty.status, 422);
  const html = await empty.text();
  assert.ok(html.includes('href="#f-text"'));
  assert.ok(html.includes("プロフィール（自由記述欄）の文章を貼り付けてください。"));
});
