/**
 * An Instagram account's 「自動発信の接続」 with the city's Meta app configured, against the loopback
 * fake: 「Instagramの画面で許可する」 goes through Facebook Login's consent page and back to snsgov's
 * callback, which keeps the linked page's token with the Instagram user id, after Instagram says
 * whose it is; the pasted token (with the account id) waits under 「トークンを貼り付けて接続する」.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { openCredentials } from "../../src/app/publishing/connectors.ts";
import { connectionsOf } from "../../src/db/repos/platform-publishing.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { FAKE_INSTAGRAM_USER_ID } from "../../src/publishing/fakes/instagram.ts";
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
    line: { token: "line-token", basicId: "@iwaki_line" },
    x: { username: "iwaki_x" },
    instagram: {
      token: "pasted-ig-token",
      username: "iwaki_kanko",
      app: { id: "2345678901", secret: "meta-secret" },
    },
  });
  app = platforms.app;
  org = await seedOrg(app.ctx);
  await givePassword(app, org.staff.kouhouManager.id);
  http = createHttpApp(app.ctx);
});
after(() => platforms.close());

test("Instagram: Facebook Login's consent brings the linked page's token and the Instagram user id", async () => {
  const instagram = platforms.instagram;
  assert.ok(instagram);
  const account = await seedKouhouAccount(app.ctx, org, {
    platform: "instagram",
    handle: "@iwaki_kanko",
    url: "https://www.instagram.com/iwaki_kanko/",
  });
  const path = `/accounts/${account.id}/connection`;
  const manager = await signIn(http, org.staff.kouhouManager.employeeNo);
  const html = await manager.text(path);
  assert.match(html, /<button type="submit">Instagramの画面で許可する<\/button>/);
  assert.match(html, /<summary>トークンを貼り付けて接続する<\/summary>[\s\S]*name="accountId"/);
  const go = await manager.post(`${path}/oauth`, {});
  assert.equal(go.status, 303);
  const consentUrl = go.headers.get("location") ?? "";
  assert.ok(consentUrl.startsWith(`${instagram.apiUrl}/dialog/oauth?`));
  const consent = await (await fetch(consentUrl)).text();
  assert.match(consent, /テスト用の疑似サーバー/);
  const back = new URL(/href="([^"]+)"/.exec(consent)?.[1]?.replaceAll("&#38;", "&") ?? "");
  assert.equal(back.pathname, "/connection/instagram/callback");
  const done = await manager.get(`${back.pathname}${back.search}`);
  assert.equal(done.status, 303);
  assert.match(await manager.text(path), /Instagramに接続しました（@iwaki_kanko）/);
  const [row] = await connectionsOf(app.ctx.db, account.id);
  assert.ok(row);
  assert.equal(row.scopes, "instagram_basic instagram_content_publish pages_read_engagement pages_show_list");
  const credentials = await openCredentials(app.ctx.config, row);
  assert.equal(credentials.accountId, FAKE_INSTAGRAM_USER_ID);
  assert.ok(instagram.tokens.has(credentials.accessToken));
});
