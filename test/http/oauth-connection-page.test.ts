/**
 * The 「自動発信の接続」 page of a Mastodon account, where the server's OAuth is offered beside the
 * pasted token, as the account manager uses it against the loopback fake: 「Mastodonの画面で許可する」
 * is the main way, the token form waits under 「トークンを貼り付けて接続する」; the manager is sent to
 * the server's consent page and back to snsgov's callback, which connects the account the state
 * names; a refusal on the platform's page connects nothing and says so; revoking the connection
 * revokes the token on the server too. Threads without the city's
 * app configured offers the pasted token only.
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
  fedi = await testAppWithFediPlatforms();
  app = fedi.app;
  org = await seedOrg(app.ctx);
  for (const p of [org.staff.kouhouManager, org.staff.kouhouStaff]) await givePassword(app, p.id);
  http = createHttpApp(app.ctx);
});
after(() => fedi.close());

test("Mastodon: the manager allows snsgov on the server's page and comes back connected; the token form is the fallback", async () => {
  const account = await seedKouhouAccount(app.ctx, org, {
    platform: "mastodon",
    handle: `@${FEDI.mastodon.username}`,
    url: `${FEDI.mastodon.server}/@${FEDI.mastodon.username}`,
  });
  const path = `/accounts/${account.id}/connection`;
  const manager = await signIn(http, org.staff.kouhouManager.employeeNo);
  const html = await manager.text(path);
  assert.match(html, /<button type="submit">Mastodonの画面で許可する<\/button>/);
  assert.match(
    html,
    /<details>\s*<summary>トークンを貼り付けて接続する<\/summary>[\s\S]*name="token"[\s\S]*<\/details>/,
  );

  const go = await manager.post(`${path}/oauth`, {});
  assert.equal(go.status, 303);
  const consentUrl = go.headers.get("location") ?? "";
  assert.ok(consentUrl.startsWith(`${fedi.mastodon.url}/oauth/authorize?`));
  const consent = await (await fetch(consentUrl)).text();
  assert.match(consent, /テスト用の疑似サーバー/);
  const back = new URL(/href="([^"]+)"/.exec(consent)?.[1]?.replaceAll("&#38;", "&") ?? "");
  assert.equal(back.pathname, "/connection/mastodon/callback");

  const denied = await manager.get(
    `${back.pathname}?error=access_denied&state=${back.searchParams.get("state")}`,
  );
  assert.equal(denied.status, 303);
  assert.match(await manager.text(path), /Mastodonの画面で許可されなかったため、接続しませんでした。/);

  const staff = await signIn(http, org.staff.kouhouStaff.employeeNo);
  assert.equal((await staff.post(`${path}/oauth`, {})).status, 403, "only the manager starts");
  assert.ok(!(await staff.text(path)).includes("Mastodonの画面で許可する"), "the operator has no button");
  assert.equal((await staff.get(`${back.pathname}${back.search}`)).status, 403, "only the manager");

  const done = await manager.get(`${back.pathname}${back.search}`);
  assert.equal(done.status, 303);
  assert.equal(done.headers.get("location"), path);
  const connected = await manager.text(path);
  assert.match(connected, /Mastodonに接続しました（@iwaki_m）/);
  assert.match(connected, /接続中/);
  assert.equal(
    (await manager.get(`${back.pathname}${back.search}`)).status,
    422,
    "a used code does not connect twice",
  );
  assert.equal((await manager.get(`${back.pathname}?code=x&state=garbage`)).status, 404);

  // Revoking: the token the server issued to snsgov's app is revoked on the server too.
  const revokeId = /connection\/(\d+)\/revoke/.exec(connected)?.[1];
  const revoked = await manager.post(`${path}/${revokeId}/revoke`, { reason: "担当替えのため" });
  assert.equal(revoked.status, 303);
  assert.match(await manager.text(path), /接続を取り消しました。Mastodonの側でもトークンを無効にしました。/);
  assert.equal(fedi.mastodon.requests.at(-1)?.path, "/oauth/revoke");
});

test("Threads without the city's app configured: only the pasted token is offered", async () => {
  const account = await seedKouhouAccount(app.ctx, org, {
    platform: "threads",
    handle: `@${FEDI.threads.username}`,
    url: `https://www.threads.net/@${FEDI.threads.username}`,
  });
  const manager = await signIn(http, org.staff.kouhouManager.employeeNo);
  const html = await manager.text(`/accounts/${account.id}/connection`);
  assert.ok(!html.includes("Threadsの画面で許可する"));
  assert.ok(!html.includes("トークンを貼り付けて接続する"), "the token form is the way, not folded away");
  assert.match(html, /name="token"/);
  assert.equal((await manager.post(`/accounts/${account.id}/connection/oauth`, {})).status, 409);
});
