/**
 * Mastodon, Bluesky and Threads end to end against their loopback fakes: the account manager
 * connects (a token pasted once for Mastodon and Threads, the handle and an app password for
 * Bluesky — only the session's tokens are kept), an approved post goes out by itself and its
 * record fills itself from the platform's answer; killed at each point of the sequence, the next
 * run after the lease leaves exactly one post on the platform and one complete record; an expired
 * Bluesky token is refreshed; a Bluesky post carries its mentions and a link card; Threads refuses a post with images before sending; the leak
 * playbook's deletion goes through the connection.
 */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { seedKouhouAccount } from "../../../test/support/accounts.ts";
import type { TestApp } from "../../../test/support/context.ts";
import { refused } from "../../../test/support/errors.ts";
import { FEDI, type FediApp, testAppWithFediPlatforms } from "../../../test/support/fedi-platforms.ts";
import { seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { seedPost } from "../../../test/support/posts.ts";
import { entriesAfter } from "../../db/repos/audit.ts";
import { connectionsOf, outboxOfPost } from "../../db/repos/platform-publishing.ts";
import { findPost } from "../../db/repos/posts.ts";
import { connectBluesky, connectWithToken } from "./connections.ts";
import { openCredentials } from "./connectors.ts";
import { watchProfiles } from "./profile-watch.ts";
import { type CrashPoint, LEASE_MS, publisherActor, runSender } from "./sender.ts";

let app: TestApp;
let org: TestOrg;
let fedi: FediApp;
const ids = { mastodon: 0, bluesky: 0, threads: 0 };
type Fedi = keyof typeof ids;

before(async () => {
  fedi = await testAppWithFediPlatforms();
  app = fedi.app;
  org = await seedOrg(app.ctx);
  const accounts = {
    mastodon: await seedKouhouAccount(app.ctx, org, {
      platform: "mastodon",
      handle: `@${FEDI.mastodon.username}`,
      url: `${FEDI.mastodon.server}/@${FEDI.mastodon.username}`,
    }),
    bluesky: await seedKouhouAccount(app.ctx, org, {
      platform: "bluesky",
      handle: FEDI.bluesky.handle,
      url: `https://bsky.app/profile/${FEDI.bluesky.handle}`,
    }),
    threads: await seedKouhouAccount(app.ctx, org, {
      platform: "threads",
      handle: `@${FEDI.threads.username}`,
      url: `https://www.threads.net/@${FEDI.threads.username}`,
    }),
  };
  ids.mastodon = accounts.mastodon.id;
  ids.bluesky = accounts.bluesky.id;
  ids.threads = accounts.threads.id;
});
after(() => fedi.close());

const manager = () => org.actors.kouhouManager;
const DAY = 86_400_000;

test("connecting: a pasted token (Mastodon, Threads) or the handle and an app password (Bluesky), after the platform says whose", async () => {
  await assert.rejects(
    connectWithToken(app.ctx, {
      actor: org.actors.kouhouStaff,
      accountId: ids.mastodon,
      input: { token: FEDI.mastodon.token },
    }),
    refused("forbidden", /アカウント管理者/),
  );
  fedi.mastodon.tokens.set("other-token", ["read:accounts"]);
  const username = fedi.mastodon.account.username;
  fedi.mastodon.account.username = "someone_else";
  await assert.rejects(
    connectWithToken(app.ctx, { actor: manager(), accountId: ids.mastodon, input: { token: "other-token" } }),
    refused("validation", /別のアカウント（@someone_else）/),
  );
  fedi.mastodon.account.username = username;
  await connectWithToken(app.ctx, {
    actor: manager(),
    accountId: ids.mastodon,
    input: { token: FEDI.mastodon.token },
  });
  const [mastodonRow] = await connectionsOf(app.ctx.db, ids.mastodon);
  assert.ok(mastodonRow);
  assert.equal(mastodonRow.scopes, "read:accounts read:statuses write:statuses write:media");
  assert.deepEqual(await openCredentials(app.ctx.config, mastodonRow), {
    accessToken: FEDI.mastodon.token,
    server: fedi.mastodon.url,
  });

  await assert.rejects(
    connectBluesky(app.ctx, {
      actor: manager(),
      accountId: ids.bluesky,
      input: { identifier: FEDI.bluesky.handle, appPassword: "wrong-pass-word" },
    }),
    refused("validation", /アプリパスワードの組み合わせを受け付けませんでした/),
  );
  await connectBluesky(app.ctx, {
    actor: manager(),
    accountId: ids.bluesky,
    input: { identifier: `@${FEDI.bluesky.handle}`, appPassword: FEDI.bluesky.appPassword },
  });
  const [blueskyRow] = await connectionsOf(app.ctx.db, ids.bluesky);
  assert.ok(blueskyRow);
  assert.equal(blueskyRow.externalId, fedi.bluesky.profile.did);
  const sealed = await openCredentials(app.ctx.config, blueskyRow);
  assert.ok(fedi.bluesky.accessTokens.has(sealed.accessToken));
  assert.ok(sealed.refreshToken && sealed.expiresAt);
  assert.ok(!JSON.stringify(sealed).includes(FEDI.bluesky.appPassword), "the app password is not kept");
  const log = JSON.stringify(await entriesAfter(app.ctx.db, 0, 100000));
  assert.ok(!log.includes(FEDI.bluesky.appPassword) && !log.includes(sealed.accessToken));

  await assert.rejects(
    connectWithToken(app.ctx, { actor: manager(), accountId: ids.bluesky, input: { token: "x" } }),
    refused("conflict", /トークンの貼り付けでは接続できません/),
  );
  await connectWithToken(app.ctx, {
    actor: manager(),
    accountId: ids.threads,
    input: { token: FEDI.threads.token },
  });
  const [threadsRow] = await connectionsOf(app.ctx.db, ids.threads);
  assert.equal(threadsRow?.externalId, fedi.threads.user.id);
  assert.equal(threadsRow?.scopes, "threads_basic threads_content_publish threads_delete");
  const issued = fedi.threads.issued.get(FEDI.threads.token);
  assert.ok(issued);
  assert.equal(
    threadsRow?.tokenExpiresAt?.getTime(),
    Math.floor((issued.getTime() + 60 * DAY) / 1000) * 1000,
    "the token's expiry, as debug_token says it, is kept",
  );
});

let n = 0;
const approved = (platform: Fedi) => {
  n++;
  return seedPost(app.ctx, {
    accountId: ids[platform],
    authorId: org.staff.kouhouStaff.id,
    status: "approved",
    approvedBy: org.staff.kouhouManager.id,
    text: `【お知らせ】${platform}への投稿 その${n}です。詳しくは https://www.city.iwaki.lg.jp/ をご覧ください。`,
    createdAt: app.clock.now(),
  });
};

/** The posts with `text` on the platform's fake, and the URL the record must carry. */
function onPlatform(platform: Fedi, text: string): { count: number; url: string } {
  if (platform === "mastodon") {
    const found = fedi.mastodon.statuses.filter((s) => s.text === text && !s.deleted);
    return { count: found.length, url: `${FEDI.mastodon.server}/@${FEDI.mastodon.username}/${found[0]?.id}` };
  }
  if (platform === "bluesky") {
    const found = fedi.bluesky.posts.filter((p) => p.text === text && !p.deleted);
    return {
      count: found.length,
      url: `https://bsky.app/profile/${FEDI.bluesky.handle}/post/${found[0]?.rkey}`,
    };
  }
  const found = fedi.threads.posts.filter((p) => p.text === text && !p.deleted);
  return {
    count: found.length,
    url: `https://www.threads.net/@${FEDI.threads.username}/post/${found[0]?.shortcode}`,
  };
}

for (const platform of ["mastodon", "bluesky", "threads"] as const) {
  test(`${platform}: an approved post goes out and its record fills itself from the platform's answer`, async () => {
    const post = await approved(platform);
    assert.deepEqual(await runSender(app.ctx), ["recorded"]);
    const seen = onPlatform(platform, post.text);
    assert.equal(seen.count, 1);
    const done = await findPost(app.ctx.db, post.id);
    assert.equal(done?.status, "published");
    assert.equal(done?.publishedUrl, seen.url);
    const [row] = await outboxOfPost(app.ctx.db, post.id);
    assert.equal(row?.status, "recorded");
    if (platform === "mastodon")
      assert.equal(
        fedi.mastodon.statuses.find((s) => s.text === post.text)?.idempotencyKey,
        row?.idempotencyKey,
      );
    if (platform === "bluesky") {
      const record = fedi.bluesky.posts.find((p) => p.text === post.text)?.record;
      const facets = JSON.stringify(record?.facets);
      assert.match(facets, /"uri":"https:\/\/www\.city\.iwaki\.lg\.jp\/"/);
    }
  });
}

test("bluesky: a mention becomes a facet with the DID and the link a card read from the page (here a loopback page, as configured for the tests)", async () => {
  const page = createServer((_req, res) =>
    res
      .writeHead(200, { "Content-Type": "text/html; charset=utf-8" })
      .end('<title>いわき市 防災情報</title><meta name="description" content="避難所の一覧です。">'),
  );
  await new Promise<void>((resolve) => page.listen(0, "127.0.0.1", resolve));
  const address: AddressInfo | string | null = page.address();
  const link = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/hinan`;
  try {
    const post = await seedPost(app.ctx, {
      accountId: ids.bluesky,
      authorId: org.staff.kouhouStaff.id,
      status: "approved",
      approvedBy: org.staff.kouhouManager.id,
      text: `避難所のお知らせです。@${FEDI.bluesky.handle} ${link}`,
      createdAt: app.clock.now(),
    });
    assert.deepEqual(await runSender(app.ctx), ["recorded"]);
    const record = fedi.bluesky.posts.find((p) => p.text === post.text)?.record;
    assert.match(JSON.stringify(record?.facets), new RegExp(`"did":"${fedi.bluesky.profile.did}"`));
    assert.deepEqual(record?.embed, {
      $type: "app.bsky.embed.external",
      external: { uri: link, title: "いわき市 防災情報", description: "避難所の一覧です。" },
    });
  } finally {
    await new Promise<void>((resolve) => page.close(() => resolve()));
  }
});

/** Runs the sender, stopping it like a killed process at `point` (the first time it is reached). */
async function runKilledAt(point: CrashPoint): Promise<void> {
  class Killed extends Error {}
  await assert.rejects(
    runSender(app.ctx, {
      at: (p) => {
        if (p === point) throw new Killed(point);
      },
    }),
    Killed,
  );
}

for (const point of ["claimed", "sent", "accepted", "recorded"] as const) {
  for (const platform of ["mastodon", "bluesky", "threads"] as const) {
    test(`killed after "${point}" (${platform}): after restart, one post on the platform and one complete record`, async () => {
      const post = await approved(platform);
      await runKilledAt(point);
      app.clock.advance(LEASE_MS + 1000);
      await runSender(app.ctx);
      const seen = onPlatform(platform, post.text);
      assert.equal(seen.count, 1, "exactly one post on the platform");
      const done = await findPost(app.ctx.db, post.id);
      assert.equal(done?.status, "published");
      assert.equal(done?.publishedUrl, seen.url);
      const [row] = await outboxOfPost(app.ctx.db, post.id);
      assert.equal(row?.status, "recorded");
      const publishes = (await entriesAfter(app.ctx.db, 0, 100000)).filter(
        (e) => e.action === "post.publish" && e.targetId === String(post.id),
      );
      assert.equal(publishes.length, 1, "one publication in the audit log");
    });
  }
}

test("an expired Bluesky token is refreshed with the refresh token and the post goes out; the new tokens are kept", async () => {
  const post = await approved("bluesky");
  const [before] = await connectionsOf(app.ctx.db, ids.bluesky);
  assert.ok(before);
  const old = await openCredentials(app.ctx.config, before);
  fedi.bluesky.expireAccessTokens();
  assert.deepEqual(await runSender(app.ctx), ["recorded"]);
  assert.equal(onPlatform("bluesky", post.text).count, 1);
  const [afterRow] = await connectionsOf(app.ctx.db, ids.bluesky);
  assert.ok(afterRow);
  const fresh = await openCredentials(app.ctx.config, afterRow);
  assert.notEqual(fresh.accessToken, old.accessToken);
  assert.notEqual(fresh.refreshToken, old.refreshToken);
  assert.ok(fedi.bluesky.requests.some((r) => r.path === "/xrpc/com.atproto.server.refreshSession"));
});

test("the leak playbook's deletion goes through the Mastodon, Bluesky and Threads connections", async () => {
  const { recordDeletion } = await import("../posts/publishing.ts");
  for (const platform of ["mastodon", "bluesky", "threads"] as const) {
    const post = await approved(platform);
    assert.deepEqual(await runSender(app.ctx), ["recorded"]);
    const done = await recordDeletion(app.ctx, {
      actor: org.actors.kouhouStaff,
      postId: post.id,
      input: { reason: "誤りがあったため" },
    });
    assert.equal(done.status, "deleted");
    assert.equal(onPlatform(platform, post.text).count, 0, `deleted on ${platform}`);
    const [row] = await outboxOfPost(app.ctx.db, post.id);
    assert.ok(row?.deletedOnPlatformAt);
  }
});

test("hours later the Bluesky access token has expired: the deletion refreshes it first and goes through", async () => {
  const { recordDeletion } = await import("../posts/publishing.ts");
  const post = await approved("bluesky");
  assert.deepEqual(await runSender(app.ctx), ["recorded"]);
  app.clock.advance(3 * 60 * 60_000);
  fedi.bluesky.expireAccessTokens();
  const refreshesBefore = fedi.bluesky.requests.filter((r) => r.path.endsWith("refreshSession")).length;
  const done = await recordDeletion(app.ctx, {
    actor: org.actors.kouhouStaff,
    postId: post.id,
    input: { reason: "誤りがあったため" },
  });
  assert.equal(done.status, "deleted");
  assert.equal(onPlatform("bluesky", post.text).count, 0);
  const refreshes = fedi.bluesky.requests.filter((r) => r.path.endsWith("refreshSession")).length;
  assert.equal(refreshes, refreshesBefore + 1, "refreshed once before deleting");
});

// Last in this file: these move the clock weeks ahead.
test("Threads: within seven days of its expiry the long-lived token is refreshed before use, and the new one kept", async () => {
  const [before] = await connectionsOf(app.ctx.db, ids.threads);
  assert.ok(before?.tokenExpiresAt);
  const old = await openCredentials(app.ctx.config, before);
  app.clock.advance(54 * DAY);
  const refreshes = () => fedi.threads.requests.filter((r) => r.path === "/refresh_access_token");

  // Threads does not answer the refresh: the token still works for six days, so the post goes out.
  fedi.threads.fail({ status: 503, when: (r) => r.path === "/refresh_access_token" });
  const first = await approved("threads");
  assert.deepEqual(await runSender(app.ctx), ["recorded"]);
  assert.equal(onPlatform("threads", first.text).count, 1);
  assert.equal(refreshes().length, 1, "a refresh was tried");
  const [unchanged] = await connectionsOf(app.ctx.db, ids.threads);
  assert.equal(unchanged?.tokenExpiresAt?.getTime(), before.tokenExpiresAt.getTime());

  const second = await approved("threads");
  assert.deepEqual(await runSender(app.ctx), ["recorded"]);
  assert.equal(onPlatform("threads", second.text).count, 1);
  assert.equal(refreshes().length, 2);
  const [afterRow] = await connectionsOf(app.ctx.db, ids.threads);
  assert.ok(afterRow?.tokenExpiresAt);
  const fresh = await openCredentials(app.ctx.config, afterRow);
  assert.notEqual(fresh.accessToken, old.accessToken, "the new token is kept");
  assert.equal(afterRow.tokenExpiresAt.getTime(), Date.parse(fresh.expiresAt ?? ""));
  assert.ok(afterRow.tokenExpiresAt.getTime() > app.clock.now().getTime() + 59 * DAY, "60 days from now");
  const published = fedi.threads.requests.filter((r) => r.path.endsWith("/threads_publish")).at(-1);
  assert.equal(published?.headers.authorization, `Bearer ${fresh.accessToken}`, "sent with the new token");
  const log = JSON.stringify(await entriesAfter(app.ctx.db, 0, 100000));
  assert.ok(!log.includes(fresh.accessToken), "the token is in no audit entry");
});

test("Threads: the daily profile watch refreshes a token within seven days of its expiry too (an account without posts)", async () => {
  const [before] = await connectionsOf(app.ctx.db, ids.threads);
  assert.ok(before?.tokenExpiresAt);
  const old = await openCredentials(app.ctx.config, before);
  app.clock.set(new Date(before.tokenExpiresAt.getTime() - 3 * DAY));
  const refreshes = fedi.threads.requests.filter((r) => r.path === "/refresh_access_token").length;
  const result = await watchProfiles(app.ctx, { actor: publisherActor, accountId: ids.threads });
  assert.equal(result.checked, 1);
  assert.deepEqual(result.failed, []);
  assert.equal(
    fedi.threads.requests.filter((r) => r.path === "/refresh_access_token").length,
    refreshes + 1,
    "refreshed once, before reading the profile",
  );
  const [afterRow] = await connectionsOf(app.ctx.db, ids.threads);
  assert.ok(afterRow?.tokenExpiresAt);
  const fresh = await openCredentials(app.ctx.config, afterRow);
  assert.notEqual(fresh.accessToken, old.accessToken);
  assert.ok(afterRow.tokenExpiresAt.getTime() > app.clock.now().getTime() + 59 * DAY);
  const me = fedi.threads.requests.filter((r) => r.path === "/v1.0/me").at(-1);
  assert.equal(
    me?.headers.authorization,
    `Bearer ${fresh.accessToken}`,
    "the profile read with the new token",
  );
});
