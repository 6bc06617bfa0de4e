/**
 * A Threads account's 「自動発信の接続」 with the city's Threads app configured, against the loopback
 * fake: 「Threadsの画面で許可する」 goes to Threads' consent page and back to snsgov's callback,
 * which keeps the long-lived token; the pasted token waits under 「トークンを貼り付けて接続する」.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createHttpApp } from "../../src/http/app.tsx";
import { seedKouhouAccount } from "../support/accounts.ts";
import type { TestApp } from "../support/context.ts";
import { FEDI, type FediApp, testAppWithFediPlatforms } from "../support/fedi-platforms.ts";
import { givePassword, signIn } from "../support/http.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";

let app: TestApp;
let org: TestOrg;
let http: ReturnType<typeof createHttpApp>;
let fedi: FediApp;

before(async () => {
  fedi = await testAppWithFediPlatforms({ threadsApp: true });
  app = fedi.app;
  org = await seedOrg(app.ctx);
  await givePassword(app, org.staff.kouhouManager.id);
  http = createHttpApp(app.ctx);
});
after(() => fedi.close());

test("Threads: the manager allows snsgov on Threads' page and comes back connected with the long-lived token", async () => {
  const account = await seedKouhouAccount(app.ctx, org, {
    platform: "threads",
    handle: `@${FEDI.threads.username}`,
    url: `https://www.threads.net/@${FEDI.threads.username}`,
  });
  const path = `/accounts/${account.id}/connection`;
  const manager = await signIn(http, org.staff.kouhouManager.employeeNo);
  const html = await manager.text(path);
  assert.match(html, /<button type="submit">Threadsの画面で許可する<\/button>/);
  assert.match(html, /<summary>トークンを貼り付けて接続する<\/summary>/);
  const go = await manager.post(`${path}/oauth`, {});
  assert.equal(go.status, 303);
  const consentUrl = go.headers.get("location") ?? "";
  assert.ok(consentUrl.startsWith(`${fedi.threads.url}/oauth/authorize?`));
  const consent = await (await fetch(consentUrl)).text();
  assert.match(consent, /テスト用の疑似サーバー/);
  const back = new URL(/href="([^"]+)"/.exec(consent)?.[1]?.replaceAll("&#38;", "&") ?? "");
  assert.equal(back.pathname, "/connection/threads/callback");
  const done = await manager.get(`${back.pathname}${back.search}`);
  assert.equal(done.status, 303);
  assert.match(await manager.text(path), /Threadsに接続しました（@iwaki_t）/);
  assert.equal(fedi.threads.longLivedTokens.size, 1, "exchanged for a long-lived token");
});
