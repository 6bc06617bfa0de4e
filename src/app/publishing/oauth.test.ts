/**
 * Connecting through the platform's OAuth beside the pasted token, against the loopback fakes:
 * Mastodon registers snsgov's app on the account's server once (audited, the secret sealed), sends
 * the manager to the server's consent page and keeps the token the code brings back, after the
 * server says whose it is; a state made for another account, another person, or too long ago is
 * refused; the pasted token still connects. Threads, with the city's app configured, turns the
 * code into a long-lived token kept with its expiry.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { seedKouhouAccount } from "../../../test/support/accounts.ts";
import type { TestApp } from "../../../test/support/context.ts";
import { refused } from "../../../test/support/errors.ts";
import { FEDI, type FediApp, testAppWithFediPlatforms } from "../../../test/support/fedi-platforms.ts";
import { seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { entriesAfter, lastEntry } from "../../db/repos/audit.ts";
import { getSetting } from "../../db/repos/auth.ts";
import { connectionsOf } from "../../db/repos/platform-publishing.ts";
import {
  beginOAuthConnect,
  connectionsInfo,
  connectWithToken,
  finishOAuthConnect,
  revokeConnection,
} from "./connections.ts";
import { openCredentials } from "./connectors.ts";

let app: TestApp;
let org: TestOrg;
let fedi: FediApp;
const redirectUri = "http://localhost:3000/connection/mastodon/callback";

before(async () => {
  fedi = await testAppWithFediPlatforms({ threadsApp: true });
  app = fedi.app;
  org = await seedOrg(app.ctx);
});
after(() => fedi.close());

/** Follows the consent page's 「許可する」 link back: the code and the state. */
async function consent(url: string): Promise<{ code: string; state: string }> {
  const page = await (await fetch(url)).text();
  assert.match(page, /テスト用の疑似サーバー/);
  const back = new URL(/href="([^"]+)"/.exec(page)?.[1]?.replaceAll("&#38;", "&") ?? "");
  return { code: back.searchParams.get("code") ?? "", state: back.searchParams.get("state") ?? "" };
}

test("Mastodon: the app is registered on the server once, the consent page's code brings a token that is kept sealed", async () => {
  const account = await seedKouhouAccount(app.ctx, org, {
    platform: "mastodon",
    handle: `@${FEDI.mastodon.username}`,
    url: `${FEDI.mastodon.server}/@${FEDI.mastodon.username}`,
  });
  const other = await seedKouhouAccount(app.ctx, org, {
    platform: "mastodon",
    handle: "@iwaki_other",
    url: `${FEDI.mastodon.server}/@iwaki_other`,
  });
  const seq = (await lastEntry(app.ctx.db))?.seq ?? 0;
  await assert.rejects(
    beginOAuthConnect(app.ctx, { actor: org.actors.kouhouStaff, accountId: account.id, redirectUri }),
    refused("forbidden", /アカウント管理者/),
  );
  const begin = () =>
    beginOAuthConnect(app.ctx, { actor: org.actors.kouhouManager, accountId: account.id, redirectUri });
  const { url } = await begin();
  assert.ok(url.startsWith(`${fedi.mastodon.url}/oauth/authorize?`));
  assert.equal(fedi.mastodon.apps.size, 1, "registered on first use");
  const [clientId] = [...fedi.mastodon.apps.keys()];
  assert.equal(new URL(url).searchParams.get("client_id"), clientId);
  const stored = JSON.stringify(await getSetting(app.ctx.db, `mastodon_app:${fedi.mastodon.url}`));
  assert.ok(stored.includes(clientId ?? "?"));
  assert.ok(!stored.includes(fedi.mastodon.apps.get(clientId ?? "")?.secret ?? "?"), "the secret is sealed");
  await begin();
  assert.equal(fedi.mastodon.apps.size, 1, "the stored app is used again");

  const input = await consent(url);
  await assert.rejects(
    finishOAuthConnect(app.ctx, { actor: org.actors.kouhouManager, accountId: other.id, input, redirectUri }),
    refused("validation", /Mastodonへの接続の手続きが無効か、時間切れ/),
  );
  const connection = await finishOAuthConnect(app.ctx, {
    actor: org.actors.kouhouManager,
    accountId: account.id,
    input,
    redirectUri,
  });
  assert.equal(connection.status, "active");
  assert.equal(connection.externalHandle, FEDI.mastodon.username);
  const [row] = await connectionsOf(app.ctx.db, account.id);
  assert.ok(row);
  assert.equal(row.scopes, "read:accounts read:statuses write:statuses write:media");
  const credentials = await openCredentials(app.ctx.config, row);
  assert.equal(credentials.server, fedi.mastodon.url);
  assert.ok(fedi.mastodon.tokens.has(credentials.accessToken), "the token the server issued");
  assert.notEqual(credentials.accessToken, FEDI.mastodon.token);

  const log = await entriesAfter(app.ctx.db, seq, 100);
  const registered = log.filter((e) => e.action === "publishing.register_app");
  assert.equal(registered.length, 1);
  const text = JSON.stringify(log);
  assert.ok(!text.includes(credentials.accessToken), "no token in the audit log");
  assert.ok(!text.includes(fedi.mastodon.apps.get(clientId ?? "")?.secret ?? "?"), "no client secret either");
});

test("Mastodon: a state older than 15 minutes or started by another person is refused; the pasted token still connects", async () => {
  const account = await seedKouhouAccount(app.ctx, org, {
    platform: "mastodon",
    handle: `@${FEDI.mastodon.username}`,
    url: `${FEDI.mastodon.server}/@${FEDI.mastodon.username}`,
  });
  const { url } = await beginOAuthConnect(app.ctx, {
    actor: org.actors.kouhouManager,
    accountId: account.id,
    redirectUri,
  });
  const input = await consent(url);
  await assert.rejects(
    finishOAuthConnect(app.ctx, { actor: org.actors.system, accountId: account.id, input, redirectUri }),
    refused("validation", /手続きが無効/),
  );
  app.clock.advance(16 * 60_000);
  await assert.rejects(
    finishOAuthConnect(app.ctx, {
      actor: org.actors.kouhouManager,
      accountId: account.id,
      input,
      redirectUri,
    }),
    refused("validation", /時間切れ/),
  );
  const pasted = await connectWithToken(app.ctx, {
    actor: org.actors.kouhouManager,
    accountId: account.id,
    input: { token: FEDI.mastodon.token },
  });
  assert.equal(pasted.status, "active");
});

test("Threads: with the city's app, the consent page's code becomes a 60-day token kept with its expiry", async () => {
  const account = await seedKouhouAccount(app.ctx, org, {
    platform: "threads",
    handle: `@${FEDI.threads.username}`,
    url: `https://www.threads.net/@${FEDI.threads.username}`,
  });
  const info = await connectionsInfo(app.ctx, { actor: org.actors.kouhouManager, accountId: account.id });
  assert.equal(info.oauth, true);
  const threadsRedirect = "http://localhost:3000/connection/threads/callback";
  const { url } = await beginOAuthConnect(app.ctx, {
    actor: org.actors.kouhouManager,
    accountId: account.id,
    redirectUri: threadsRedirect,
  });
  const query = new URL(url).searchParams;
  assert.equal(query.get("client_id"), "1234567890");
  assert.equal(query.get("code_challenge"), null, "Threads has no PKCE: the sealed state is the check");
  const input = await consent(url);
  const connection = await finishOAuthConnect(app.ctx, {
    actor: org.actors.kouhouManager,
    accountId: account.id,
    input,
    redirectUri: threadsRedirect,
  });
  assert.equal(connection.externalHandle, FEDI.threads.username);
  const [row] = await connectionsOf(app.ctx.db, account.id);
  assert.ok(row);
  assert.equal(row.scopes, "threads_basic threads_content_publish threads_delete");
  const days = ((row.tokenExpiresAt?.getTime() ?? 0) - Date.now()) / 86_400_000;
  assert.ok(days > 59 && days <= 60, `expires in 60 days (${days})`);
  const credentials = await openCredentials(app.ctx.config, row);
  assert.ok(
    fedi.threads.longLivedTokens.has(credentials.accessToken),
    "the long-lived token, not the short one",
  );
  await assert.rejects(
    finishOAuthConnect(app.ctx, {
      actor: org.actors.kouhouManager,
      accountId: account.id,
      input,
      redirectUri: threadsRedirect,
    }),
    refused("validation", /Threadsとの接続を完了できませんでした/),
  );
});

test("Revoking: a Mastodon token snsgov made through OAuth is revoked on the server; a pasted token and a Threads token are not, and the manager is told where", async () => {
  const account = await seedKouhouAccount(app.ctx, org, {
    platform: "mastodon",
    handle: `@${FEDI.mastodon.username}`,
    url: `${FEDI.mastodon.server}/@${FEDI.mastodon.username}`,
  });
  const revoke = (accountId: number, connectionId: number) =>
    revokeConnection(app.ctx, {
      actor: org.actors.kouhouManager,
      accountId,
      connectionId,
      input: { reason: "担当替えのため" },
    });
  const revokeEntry = async (seq: number) =>
    (await entriesAfter(app.ctx.db, seq, 20)).find((e) => e.action === "publishing.revoke");

  const { url } = await beginOAuthConnect(app.ctx, {
    actor: org.actors.kouhouManager,
    accountId: account.id,
    redirectUri,
  });
  const made = await finishOAuthConnect(app.ctx, {
    actor: org.actors.kouhouManager,
    accountId: account.id,
    input: await consent(url),
    redirectUri,
  });
  const [row] = await connectionsOf(app.ctx.db, account.id);
  assert.ok(row);
  const { accessToken } = await openCredentials(app.ctx.config, row);
  assert.ok(fedi.mastodon.tokens.has(accessToken));
  let seq = (await lastEntry(app.ctx.db))?.seq ?? 0;
  const revoked = await revoke(account.id, made.id);
  assert.deepEqual(revoked.platformRevocation, {
    outcome: "revoked",
    note: "Mastodonの側でもトークンを無効にしました。",
  });
  assert.equal(fedi.mastodon.tokens.has(accessToken), false, "the server no longer accepts the token");
  const call = fedi.mastodon.requests.filter((r) => r.path === "/oauth/revoke").at(-1);
  assert.equal(new URLSearchParams(call?.body).get("token"), accessToken);
  let entry = await revokeEntry(seq);
  assert.match(JSON.stringify(entry?.summary), /"platformRevocation":"revoked"/);
  assert.ok(!JSON.stringify(entry).includes(accessToken), "no token in the audit entry");

  const pasted = await connectWithToken(app.ctx, {
    actor: org.actors.kouhouManager,
    accountId: account.id,
    input: { token: FEDI.mastodon.token },
  });
  const revokeCalls = fedi.mastodon.requests.filter((r) => r.path === "/oauth/revoke").length;
  seq = (await lastEntry(app.ctx.db))?.seq ?? 0;
  const kept = await revoke(account.id, pasted.id);
  assert.equal(kept.status, "revoked", "disconnected here all the same");
  assert.equal(kept.platformRevocation.outcome, "unsupported");
  assert.match(
    kept.platformRevocation.note,
    /Mastodonのサーバーの「設定 → 開発」で、snsgovのために作ったアプリを削除/,
  );
  assert.equal(
    fedi.mastodon.requests.filter((r) => r.path === "/oauth/revoke").length,
    revokeCalls,
    "the server is not asked",
  );
  assert.ok(fedi.mastodon.tokens.has(FEDI.mastodon.token), "the pasted token is still valid on the server");
  entry = await revokeEntry(seq);
  assert.match(JSON.stringify(entry?.summary), /"platformRevocation":"unsupported"/);

  const threads = await seedKouhouAccount(app.ctx, org, {
    platform: "threads",
    handle: `@${FEDI.threads.username}`,
    url: `https://www.threads.net/@${FEDI.threads.username}`,
  });
  const threadsConnection = await connectWithToken(app.ctx, {
    actor: org.actors.kouhouManager,
    accountId: threads.id,
    input: { token: FEDI.threads.token },
  });
  seq = (await lastEntry(app.ctx.db))?.seq ?? 0;
  const threadsRevoked = await revoke(threads.id, threadsConnection.id);
  assert.equal(threadsRevoked.platformRevocation.outcome, "unsupported");
  assert.match(
    threadsRevoked.platformRevocation.note,
    /Threads APIには、アクセストークンを無効にする手段がありません.*「設定 → アカウント → ウェブサイトのアクセス許可」/,
  );
  assert.match(JSON.stringify((await revokeEntry(seq))?.summary), /"platformRevocation":"unsupported"/);
});
