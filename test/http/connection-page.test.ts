/**
 * The account's 「自動発信の接続」 page as people use it, against the loopback fakes: the operator
 * sees the connection but no form; the manager connects LINE with a token (a wrong token keeps
 * nothing typed and says why), connects X through X's consent page and the callback, checks the
 * profile now, and revokes with a reason; the token never appears on any page.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
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
    line: { token: "line-page-token", basicId: "@iwaki_page" },
    x: { username: "iwaki_xpage" },
    env: { SNSGOV_PUBLIC_URL: "http://localhost:3000" },
  });
  app = platforms.app;
  org = await seedOrg(app.ctx);
  for (const p of [org.staff.kouhouManager, org.staff.kouhouStaff]) await givePassword(app, p.id);
  http = createHttpApp(app.ctx);
});
after(() => platforms.close());

test("LINE: the manager connects with the token, which no page shows again; the operator has no form", async () => {
  const account = await seedKouhouAccount(app.ctx, org, {
    platform: "line",
    handle: "@iwaki_page",
    url: "https://lin.ee/p",
  });
  const path = `/accounts/${account.id}/connection`;
  const staff = await signIn(http, org.staff.kouhouStaff.employeeNo);
  const seen = await staff.text(path);
  assert.match(seen, /接続していません/);
  assert.match(
    seen,
    /画像つきの投稿はLINEへ自動発信されません.*SNSGOV_MEDIA_PUBLIC_URL/,
    "no public media URL here",
  );
  assert.match(seen, /アカウント管理者（課等の長、第4-1\(4\)）が行います/);
  assert.ok(!seen.includes('name="token"'));
  assert.equal((await staff.post(`${path}/token`, { token: "line-page-token" })).status, 403);

  const manager = await signIn(http, org.staff.kouhouManager.employeeNo);
  const wrong = await manager.post(`${path}/token`, { token: "not-the-token" });
  assert.equal(wrong.status, 422);
  const wrongHtml = await wrong.text();
  assert.match(wrongHtml, /トークンを受け付けませんでした/);
  assert.ok(!wrongHtml.includes("not-the-token"), "what was typed as a token is not echoed");
  const ok = await manager.post(`${path}/token`, { token: "line-page-token" });
  assert.equal(ok.status, 303);
  const page = await manager.text(path);
  assert.match(page, /接続中/);
  assert.match(page, /@iwaki_page/);
  assert.match(page, /広報 課長/);
  assert.ok(!page.includes("line-page-token"));

  const check = await manager.post(`${path}/${/connection\/(\d+)\/check/.exec(page)?.[1]}/check`, {});
  assert.equal(check.status, 303);
  assert.match(await manager.text(path), /プロフィールの最終確認/);

  const revokeId = /connection\/(\d+)\/revoke/.exec(page)?.[1];
  assert.equal((await manager.post(`${path}/${revokeId}/revoke`, { reason: "" })).status, 422);
  assert.equal(
    (await manager.post(`${path}/${revokeId}/revoke`, { reason: "運用を終えるため" })).status,
    303,
  );
  const revoked = await manager.text(path);
  assert.match(revoked, /取り消し済み/);
  assert.match(revoked, /運用を終えるため/);
  assert.match(revoked, /接続を取り消しました。LINE公式アカウントの側でもトークンを無効にしました。/);
});

test("X: the manager is sent to X's consent page and back; the callback connects the account", async () => {
  const account = await seedKouhouAccount(app.ctx, org, { platform: "x", handle: "iwaki_xpage" });
  const path = `/accounts/${account.id}/connection`;
  const manager = await signIn(http, org.staff.kouhouManager.employeeNo);
  const go = await manager.post(`${path}/x`, {});
  assert.equal(go.status, 303);
  const consent = go.headers.get("location") ?? "";
  assert.ok(consent.startsWith(`${platforms.x.url}/i/oauth2/authorize?`));
  const html = await (await fetch(consent)).text();
  const back = new URL(/href="([^"]+)"/.exec(html)?.[1]?.replaceAll("&#38;", "&") ?? "");
  assert.equal(back.pathname, `${path}/x/callback`);
  const done = await manager.get(`${back.pathname}${back.search}`);
  assert.equal(done.status, 303);
  assert.match(await manager.text(path), /@iwaki_xpage/);
  const replay = await manager.get(`${back.pathname}${back.search}`);
  assert.equal(replay.status, 422, "a used code does not connect twice");
});
