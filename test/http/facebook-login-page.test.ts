/**
 * A Facebook page's 「自動発信の接続」 with the city's Meta app configured, against the loopback fake:
 * 「Facebookの画面で許可する」 is the main way and the page token form waits under
 * 「トークンを貼り付けて接続する」; Facebook Login's consent page sends the manager back to snsgov's
 * callback, which keeps the registered page's access token (not the person's user token); a
 * person who does not manage the registered page connects nothing and is told why.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { openCredentials } from "../../src/app/publishing/connectors.ts";
import { connectionsOf } from "../../src/db/repos/platform-publishing.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import type { FakeFacebook } from "../../src/publishing/fakes/facebook.ts";
import { seedKouhouAccount } from "../support/accounts.ts";
import type { TestApp } from "../support/context.ts";
import { givePassword, signIn } from "../support/http.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";
import { type PlatformsApp, testAppWithPlatforms } from "../support/platforms.ts";

let app: TestApp;
let org: TestOrg;
let http: ReturnType<typeof createHttpApp>;
let platforms: PlatformsApp;
let facebook: FakeFacebook;

before(async () => {
  platforms = await testAppWithPlatforms({
    line: { token: "line-token", basicId: "@iwaki_line" },
    x: { username: "iwaki_x" },
    facebook: {
      token: "pasted-page-token",
      username: "iwakicity",
      app: { id: "2345678901", secret: "meta-secret" },
    },
  });
  app = platforms.app;
  if (!platforms.facebook) throw new Error("the Facebook fake did not start");
  facebook = platforms.facebook;
  org = await seedOrg(app.ctx);
  await givePassword(app, org.staff.kouhouManager.id);
  http = createHttpApp(app.ctx);
});
after(() => platforms.close());

async function allow(manager: Awaited<ReturnType<typeof signIn>>, path: string): Promise<URL> {
  const go = await manager.post(`${path}/oauth`, {});
  assert.equal(go.status, 303);
  const consentUrl = go.headers.get("location") ?? "";
  assert.ok(consentUrl.startsWith(`${facebook.apiUrl}/dialog/oauth?`));
  const consent = await (await fetch(consentUrl)).text();
  assert.match(consent, /テスト用の疑似サーバー/);
  const back = new URL(/href="([^"]+)"/.exec(consent)?.[1]?.replaceAll("&#38;", "&") ?? "");
  assert.equal(back.pathname, "/connection/facebook/callback");
  return back;
}

test("Facebook: the manager allows snsgov through Facebook Login and the registered page's token is kept", async () => {
  const account = await seedKouhouAccount(app.ctx, org, {
    platform: "facebook",
    handle: "iwakicity",
    url: "https://www.facebook.com/iwakicity",
  });
  const path = `/accounts/${account.id}/connection`;
  const manager = await signIn(http, org.staff.kouhouManager.employeeNo);
  const html = await manager.text(path);
  assert.match(html, /<button type="submit">Facebookの画面で許可する<\/button>/);
  assert.match(html, /<summary>トークンを貼り付けて接続する<\/summary>/);
  const back = await allow(manager, path);
  const done = await manager.get(`${back.pathname}${back.search}`);
  assert.equal(done.status, 303);
  assert.match(await manager.text(path), /Facebookに接続しました（@iwakicity）/);
  const [row] = await connectionsOf(app.ctx.db, account.id);
  assert.ok(row);
  assert.equal(row.scopes, "pages_manage_posts pages_read_engagement pages_show_list");
  const credentials = await openCredentials(app.ctx.config, row);
  assert.ok(facebook.tokens.has(credentials.accessToken), "a page access token");
  assert.ok(!facebook.userTokens.has(credentials.accessToken), "not the person's user token");
});

test("Facebook: a page the person does not manage connects nothing and says why", async () => {
  const account = await seedKouhouAccount(app.ctx, org, {
    platform: "facebook",
    handle: "another_page",
    url: "https://www.facebook.com/another_page",
  });
  const path = `/accounts/${account.id}/connection`;
  const manager = await signIn(http, org.staff.kouhouManager.employeeNo);
  const back = await allow(manager, path);
  const refused = await manager.get(`${back.pathname}${back.search}`);
  assert.equal(refused.status, 422);
  assert.match(await refused.text(), /登録されているページ（another_page）がありませんでした/);
  assert.equal((await connectionsOf(app.ctx.db, account.id)).length, 0);
});
