/**
 * The 自動発信の接続 tab for Mastodon, Threads and Bluesky as the account manager uses it: the one
 * token form (with where to get the token and the scopes), the Bluesky form with the handle and an
 * app password, the test-server notice, refusals in Japanese with nothing secret put back into
 * the page, and the connection shown after it is made.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createHttpApp } from "../../src/http/app.tsx";
import { seedKouhouAccount } from "../support/accounts.ts";
import { FEDI, type FediApp, testAppWithFediPlatforms } from "../support/fedi-platforms.ts";
import { givePassword, signIn } from "../support/http.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";

let fedi: FediApp;
let org: TestOrg;
let http: ReturnType<typeof createHttpApp>;

before(async () => {
  fedi = await testAppWithFediPlatforms();
  org = await seedOrg(fedi.app.ctx);
  await givePassword(fedi.app, org.staff.kouhouManager.id);
  http = createHttpApp(fedi.app.ctx);
});
after(() => fedi.close());

test("Mastodon and Threads: one token form; a wrong token is refused in Japanese and not shown again", async () => {
  const mastodon = await seedKouhouAccount(fedi.app.ctx, org, {
    platform: "mastodon",
    handle: `@${FEDI.mastodon.username}`,
    url: `${FEDI.mastodon.server}/@${FEDI.mastodon.username}`,
  });
  const b = await signIn(http, org.staff.kouhouManager.employeeNo);
  const page = await b.text(`/accounts/${mastodon.id}/connection`);
  assert.ok(page.includes(`action="/accounts/${mastodon.id}/connection/token"`));
  assert.ok(page.includes("read:accounts・read:statuses・write:statuses・write:media"), "the scopes asked");
  assert.ok(page.includes("テスト用の疑似サーバー（サンプル）"), "the fake is labelled");

  const wrong = await b.post(`/accounts/${mastodon.id}/connection/token`, { token: "not-a-valid-token-123" });
  assert.equal(wrong.status, 422);
  const wrongHtml = await wrong.text();
  assert.ok(wrongHtml.includes("Mastodonがこのトークンを受け付けませんでした"));
  assert.ok(!wrongHtml.includes("not-a-valid-token-123"), "the token is not put back into the form");

  const ok = await b.post(`/accounts/${mastodon.id}/connection/token`, { token: FEDI.mastodon.token });
  assert.equal(ok.status, 303);
  const connected = await b.text(`/accounts/${mastodon.id}/connection`);
  assert.ok(connected.includes("接続中"));
  assert.ok(connected.includes(`@${FEDI.mastodon.username}`));
  assert.ok(!connected.includes(FEDI.mastodon.token));

  const threads = await seedKouhouAccount(fedi.app.ctx, org, {
    platform: "threads",
    handle: `@${FEDI.threads.username}`,
    url: `https://www.threads.net/@${FEDI.threads.username}`,
  });
  const threadsPage = await b.text(`/accounts/${threads.id}/connection`);
  assert.ok(threadsPage.includes("長期アクセストークン"));
  assert.ok(threadsPage.includes("threads_basic・threads_content_publish・threads_delete"));
  const res = await b.post(`/accounts/${threads.id}/connection/token`, { token: FEDI.threads.token });
  assert.equal(res.status, 303);
});

test("Bluesky: the handle and an app password; a wrong one is refused, the handle kept and the password not", async () => {
  const account = await seedKouhouAccount(fedi.app.ctx, org, {
    platform: "bluesky",
    handle: FEDI.bluesky.handle,
    url: `https://bsky.app/profile/${FEDI.bluesky.handle}`,
  });
  const b = await signIn(http, org.staff.kouhouManager.employeeNo);
  const page = await b.text(`/accounts/${account.id}/connection`);
  assert.ok(page.includes(`action="/accounts/${account.id}/connection/bluesky"`));
  assert.match(page, /<label[^>]*for="[^"]*appPassword[^"]*"[^>]*>\s*アプリパスワード/);
  assert.ok(page.includes("アプリパスワードは保存せず"));

  const wrong = await b.post(`/accounts/${account.id}/connection/bluesky`, {
    identifier: FEDI.bluesky.handle,
    appPassword: "wrong-pass-word1",
  });
  assert.equal(wrong.status, 422);
  const html = await wrong.text();
  assert.ok(html.includes("ハンドルとアプリパスワードの組み合わせを受け付けませんでした"));
  assert.ok(!html.includes("wrong-pass-word1"), "the password is not put back");
  assert.ok(html.includes(`value="${FEDI.bluesky.handle}"`), "the handle is kept");

  const ok = await b.post(`/accounts/${account.id}/connection/bluesky`, {
    identifier: FEDI.bluesky.handle,
    appPassword: FEDI.bluesky.appPassword,
  });
  assert.equal(ok.status, 303);
  const connected = await b.text(`/accounts/${account.id}/connection`);
  assert.ok(connected.includes(`@${FEDI.bluesky.handle}`));
});
