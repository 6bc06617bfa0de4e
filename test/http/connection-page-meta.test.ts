/**
 * The 「自動発信の接続」 page for Facebook and Instagram, through the one token form: Instagram
 * asks for its business account id with the token (a wrong id keeps what was typed as the id,
 * never the token, and says why), Facebook takes the page token alone; without a public media URL
 * Instagram cannot be connected and the page says why; revoking a page connection says why Meta's
 * API cannot revoke the token and where it is done instead.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { connectorFor, missingSetting } from "../../src/app/publishing/connectors.ts";
import { loadConfig } from "../../src/config.ts";
import { entriesAfter } from "../../src/db/repos/audit.ts";
import { connectionsOf } from "../../src/db/repos/platform-publishing.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { seedKouhouAccount } from "../support/accounts.ts";
import type { TestApp } from "../support/context.ts";
import { givePassword, signIn } from "../support/http.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";
import { type PlatformsApp, testAppWithPlatforms } from "../support/platforms.ts";

let app: TestApp;
let org: TestOrg;
let http: ReturnType<typeof createHttpApp>;
let platforms: PlatformsApp;

before(async () => {
  platforms = await testAppWithPlatforms({
    line: { token: "line-token", basicId: "@meta_page_line" },
    x: { username: "meta_page_x" },
    facebook: { token: "fb-token", username: "iwakipage" },
    instagram: { token: "ig-token", username: "iwaki_page_ig" },
  });
  app = platforms.app;
  org = await seedOrg(app.ctx);
  await givePassword(app, org.staff.kouhouManager.id);
  http = createHttpApp(app.ctx);
});
after(() => platforms.close());

test("Instagram: the form asks for the business account id and the token; a wrong id is said, the token never shown", async () => {
  const account = await seedKouhouAccount(app.ctx, org, { platform: "instagram", handle: "iwaki_page_ig" });
  const path = `/accounts/${account.id}/connection`;
  const manager = await signIn(http, org.staff.kouhouManager.employeeNo);
  const page = await manager.text(path);
  assert.match(page, /InstagramビジネスアカウントのID/);
  assert.match(page, /instagram_content_publish/);
  assert.match(page, /テスト用の疑似サーバー（サンプル）/);
  const wrong = await manager.post(`${path}/token`, { token: "ig-token", accountId: "17841499999999999" });
  assert.equal(wrong.status, 422);
  const html = await wrong.text();
  assert.ok(html.includes('value="17841499999999999"'), "the typed id is kept");
  assert.match(html, /Instagram上にそのアカウントが見つかりません/);
  assert.ok(!html.includes("ig-token"), "the token is not echoed");
  const ok = await manager.post(`${path}/token`, {
    token: "ig-token",
    accountId: platforms.instagram?.user.id ?? "",
  });
  assert.equal(ok.status, 303);
  const connected = await manager.text(path);
  assert.match(connected, /接続中/);
  assert.match(connected, /@iwaki_page_ig/);
  const connectionId = /connection\/(\d+)\/check/.exec(connected)?.[1];
  const reads = platforms.instagram?.requests.length ?? 0;
  assert.equal((await manager.post(`${path}/${connectionId}/check`, {})).status, 303);
  assert.equal(platforms.instagram?.requests.length, reads + 1, "the profile was read from Instagram");
  assert.match(await manager.text(path), /プロフィールの最終確認/);
});

test("Facebook: the page token alone connects the page it belongs to; another page's token is refused", async () => {
  const account = await seedKouhouAccount(app.ctx, org, {
    platform: "facebook",
    handle: "anotherpage",
    url: "https://www.facebook.com/anotherpage",
  });
  const path = `/accounts/${account.id}/connection`;
  const manager = await signIn(http, org.staff.kouhouManager.employeeNo);
  const page = await manager.text(path);
  assert.match(page, /ページアクセストークン/);
  assert.ok(!page.includes('name="accountId"'));
  const refused = await manager.post(`${path}/token`, { token: "fb-token" });
  assert.equal(refused.status, 422);
  assert.match(await refused.text(), /Facebookの別のアカウント（@iwakipage）のもの/);
});

test("without a public media URL, Instagram has no connector and the reason says what to set", () => {
  const config = loadConfig({ SNSGOV_DATA_DIR: "/tmp/snsgov-test-unused" });
  assert.equal(connectorFor(config, "instagram"), null);
  assert.match(missingSetting(config, "instagram"), /SNSGOV_MEDIA_PUBLIC_URL/);
  assert.ok(connectorFor(config, "facebook"));
  assert.equal(config.platforms.facebookApiUrl, "https://graph.facebook.com/v25.0");
});

test("revoking a Facebook page connection: disconnected, and the page says why Meta cannot revoke the token and where to do it", async () => {
  const account = await seedKouhouAccount(app.ctx, org, {
    platform: "facebook",
    handle: "iwakipage",
    url: "https://www.facebook.com/iwakipage",
  });
  const path = `/accounts/${account.id}/connection`;
  const manager = await signIn(http, org.staff.kouhouManager.employeeNo);
  assert.equal((await manager.post(`${path}/token`, { token: "fb-token" })).status, 303);
  const [row] = await connectionsOf(app.ctx.db, account.id);
  assert.ok(row);
  const fake = platforms.facebook;
  assert.ok(fake);
  const before = fake.requests.length;
  const revoked = await manager.post(`${path}/${row.id}/revoke`, { reason: "運用を終了するため" });
  assert.equal(revoked.status, 303);
  assert.equal(fake.requests.length, before, "nothing is asked of Facebook");
  const page = await manager.text(path);
  assert.match(page, /接続を取り消しました。/);
  assert.match(page, /ページのアクセストークンを1つだけ無効にする手段は、MetaのAPIにありません/);
  assert.match(page, /「設定とプライバシー → 設定 → ビジネス統合」/);
  const entry = (await entriesAfter(app.ctx.db, 0, 1000)).findLast((e) => e.action === "publishing.revoke");
  assert.match(JSON.stringify(entry?.summary), /"platformRevocation":"unsupported"/);
});
