/**
 * The sender against the loopback fakes of LINE and X: an approved post of a connected account
 * goes out by itself and its record fills itself (URL from X's id and the handle; LINE with its
 * request id and no URL); killed at each point of the sequence (after the claim, after the
 * platform accepted, after the answer was kept, after the record), the next run after the lease
 * leaves exactly one post on the platform and one complete record. An edit after approval stops
 * it; 429 waits for Retry-After; 5xx retries with back-off; an expired token asks the account
 * manager to reconnect; a refusal becomes a task for the operators with the reason in Japanese.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { seedKouhouAccount } from "../../../test/support/accounts.ts";
import type { TestApp } from "../../../test/support/context.ts";
import { seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { type PlatformsApp, testAppWithPlatforms } from "../../../test/support/platforms.ts";
import { seedPost } from "../../../test/support/posts.ts";
import { entriesAfter, lastEntry } from "../../db/repos/audit.ts";
import { insertConnection, outboxOfPost } from "../../db/repos/platform-publishing.ts";
import { findPost, updatePost } from "../../db/repos/posts.ts";
import { listTasks } from "../../db/repos/tasks.ts";
import type { FakeLine } from "../../publishing/fakes/line.ts";
import type { FakeX } from "../../publishing/fakes/x.ts";
import { connectLine } from "./connections.ts";
import { sealCredentials } from "./connectors.ts";
import { type CrashPoint, LEASE_MS, runSender } from "./sender.ts";

let app: TestApp;
let org: TestOrg;
let platforms: PlatformsApp;
let line: FakeLine;
let x: FakeX;
let xAccountId: number;
let lineAccountId: number;

before(async () => {
  platforms = await testAppWithPlatforms({
    line: { token: "line-token", basicId: "@iwaki_line" },
    x: { username: "iwaki_x" },
    running: true,
    fakesKeepAppTime: true,
  });
  ({ app, line, x } = platforms);
  org = await seedOrg(app.ctx);
  const xAccount = await seedKouhouAccount(app.ctx, org, { platform: "x", handle: "iwaki_x" });
  const lineAccount = await seedKouhouAccount(app.ctx, org, {
    platform: "line",
    handle: "@iwaki_line",
    url: "https://lin.ee/abc",
  });
  xAccountId = xAccount.id;
  lineAccountId = lineAccount.id;
  await connectLine(app.ctx, {
    actor: org.actors.kouhouManager,
    accountId: lineAccountId,
    input: { token: "line-token" },
  });
  // X is connected through OAuth in connections.test.ts; here its tokens are put in place directly.
  const pair = x.issueToken();
  const sealed = await sealCredentials(app.ctx.config, xAccountId, "x", pair);
  await insertConnection(app.ctx.db, {
    accountId: xAccountId,
    platform: "x",
    externalId: x.user.id,
    externalHandle: "iwaki_x",
    tokenCiphertext: sealed.ciphertext,
    tokenKeyId: sealed.keyId,
    connectedBy: org.staff.kouhouManager.id,
    connectedAt: app.clock.now(),
    createdAt: app.clock.now(),
  });
});
after(() => platforms.close());

let n = 0;
const approved = (accountId: number, extra: { scheduledAt?: Date } = {}) => {
  n++;
  return seedPost(app.ctx, {
    accountId,
    authorId: org.staff.kouhouStaff.id,
    status: "approved",
    approvedBy: org.staff.kouhouManager.id,
    text: `【お知らせ】テスト用の投稿 その${n}です。市役所の窓口は17時15分まで開いています。`,
    createdAt: app.clock.now(),
  }).then(async (post) =>
    extra.scheduledAt
      ? updatePost(app.ctx.db, post.id, { scheduledAt: extra.scheduledAt }, app.clock.now())
      : post,
  );
};

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

test("a scheduled post to X goes out at its time and its record fills itself from X's answer", async () => {
  const post = await approved(xAccountId, { scheduledAt: new Date(app.clock.now().getTime() + 5 * 60_000) });
  assert.deepEqual(await runSender(app.ctx), [], "not before its schedule time");
  assert.equal(x.tweets.filter((t) => t.text === post.text).length, 0);
  app.clock.advance(5 * 60_000);
  const seq = (await lastEntry(app.ctx.db))?.seq ?? 0;
  assert.deepEqual(await runSender(app.ctx), ["recorded"]);
  const tweet = x.tweets.find((t) => t.text === post.text);
  assert.ok(tweet, "the approved text is on X");
  const done = await findPost(app.ctx.db, post.id);
  assert.equal(done?.status, "published");
  assert.equal(done?.publishedUrl, `https://x.com/iwaki_x/status/${tweet.id}`);
  const actions = (await entriesAfter(app.ctx.db, seq, 100)).map((e) => e.action);
  assert.deepEqual(actions, ["post.publish_queue", "post.platform_accepted", "post.publish"]);
  const [row] = await outboxOfPost(app.ctx.db, post.id);
  assert.equal(row?.status, "recorded");
  assert.equal(row?.platformPostId, tweet.id);
});

test("a post approved before the account was connected keeps the manual record", async () => {
  const post = await seedPost(app.ctx, {
    accountId: xAccountId,
    authorId: org.staff.kouhouStaff.id,
    status: "approved",
    approvedBy: org.staff.kouhouManager.id,
    text: "接続前に承認された投稿です。",
    createdAt: new Date(app.clock.now().getTime() - 24 * 60 * 60_000),
  });
  assert.deepEqual(await runSender(app.ctx), []);
  assert.equal((await findPost(app.ctx.db, post.id))?.status, "approved");
  assert.equal(x.tweets.filter((t) => t.text === post.text).length, 0);
});

test("a LINE post goes out at once with its retry key; the request id and time are kept, no URL", async () => {
  const post = await approved(lineAccountId);
  assert.deepEqual(await runSender(app.ctx), ["recorded"]);
  const message = line.messages.find((m) => m.text === post.text);
  assert.ok(message);
  const [row] = await outboxOfPost(app.ctx.db, post.id);
  assert.equal(message.retryKey, row?.idempotencyKey);
  assert.equal(row?.platformRequestId, message.requestId);
  const done = await findPost(app.ctx.db, post.id);
  assert.equal(done?.status, "published");
  assert.equal(done?.publishedUrl, null);
  assert.ok(done?.publishedAt);
});

for (const point of ["claimed", "sent", "accepted", "recorded"] as const) {
  for (const platform of ["x", "line"] as const) {
    test(`killed after "${point}" (${platform}): after restart, one post on the platform and one complete record`, async () => {
      const post = await approved(platform === "x" ? xAccountId : lineAccountId);
      await runKilledAt(point);
      app.clock.advance(LEASE_MS + 1000);
      await runSender(app.ctx);
      const onPlatform =
        platform === "x"
          ? x.tweets.filter((t) => t.text === post.text)
          : line.messages.filter((m) => m.text === post.text);
      assert.equal(onPlatform.length, 1, "exactly one post on the platform");
      const done = await findPost(app.ctx.db, post.id);
      assert.equal(done?.status, "published");
      const [row] = await outboxOfPost(app.ctx.db, post.id);
      assert.equal(row?.status, "recorded");
      if (platform === "x") {
        const [tweet] = x.tweets.filter((t) => t.text === post.text);
        assert.equal(done?.publishedUrl, `https://x.com/iwaki_x/status/${tweet?.id}`);
      } else {
        const [message] = line.messages.filter((m) => m.text === post.text);
        assert.equal(row?.platformRequestId, message?.requestId);
      }
      const publishes = (await entriesAfter(app.ctx.db, 0, 100000)).filter(
        (e) => e.action === "post.publish" && e.targetId === String(post.id),
      );
      assert.equal(publishes.length, 1, "one publication in the audit log");
    });
  }
}

test("an edit after approval stops the post: nothing goes out, the operators get a task", async () => {
  const post = await approved(xAccountId, { scheduledAt: new Date(app.clock.now().getTime() + 60_000) });
  app.clock.advance(60_000);
  // Queued with the approved content, then changed behind the approval's back.
  const { queueDuePosts } = await import("./sender.ts");
  assert.equal(await queueDuePosts(app.ctx), 1);
  await updatePost(app.ctx.db, post.id, { text: `${post.text}（差し替え）` }, app.clock.now());
  assert.deepEqual(await runSender(app.ctx), ["stopped"]);
  assert.equal(x.tweets.filter((t) => t.text.startsWith(post.text)).length, 0);
  const [row] = await outboxOfPost(app.ctx.db, post.id);
  assert.equal(row?.status, "cancelled");
  const tasks = await listTasks(app.ctx.db, { kinds: ["publish_failed"], status: "open" });
  const task = tasks.find((t) => t.id === row?.taskId);
  assert.equal(task?.assigneeId, org.staff.kouhouStaff.id);
  assert.match(row?.lastError ?? "", /自動発信を止めました（第5-1\(4\)）/);
});

test("429 waits for Retry-After, 5xx backs off, then it goes out once", async () => {
  const post = await approved(xAccountId);
  x.fail({
    status: 429,
    headers: { "Retry-After": "90" },
    body: { title: "Too Many Requests" },
    when: (r) => r.path === "/2/tweets",
  });
  assert.deepEqual(await runSender(app.ctx), ["retry"]);
  let [row] = await outboxOfPost(app.ctx.db, post.id);
  assert.equal(row?.errorKind, "rate");
  assert.match(row?.lastError ?? "", /90秒後に自動で再送します/);
  app.clock.advance(60_000);
  assert.deepEqual(await runSender(app.ctx), [], "not before Retry-After");
  app.clock.advance(31_000);
  x.fail({ status: 503, body: { title: "Service Unavailable" }, when: (r) => r.path === "/2/tweets" });
  assert.deepEqual(await runSender(app.ctx), ["retry"]);
  [row] = await outboxOfPost(app.ctx.db, post.id);
  assert.equal(row?.errorKind, "transient");
  app.clock.advance(120_000);
  assert.deepEqual(await runSender(app.ctx), ["recorded"]);
  assert.equal(x.tweets.filter((t) => t.text === post.text).length, 1);
});

test("a revoked token asks the account manager to reconnect; the post waits and goes out after reconnecting", async () => {
  const post = await approved(lineAccountId);
  line.tokens.delete("line-token");
  assert.deepEqual(await runSender(app.ctx), ["reconnect"]);
  const tasks = await listTasks(app.ctx.db, { kinds: ["platform_reconnect"], status: "open" });
  assert.equal(tasks.at(-1)?.assigneeId, org.staff.kouhouManager.id);
  assert.deepEqual(
    await runSender(app.ctx),
    [],
    "nothing is sent through a connection that needs reconnecting",
  );
  line.tokens.add("line-token-2");
  await connectLine(app.ctx, {
    actor: org.actors.kouhouManager,
    accountId: lineAccountId,
    input: { token: "line-token-2" },
  });
  assert.deepEqual(await runSender(app.ctx), ["recorded"]);
  assert.equal(line.messages.filter((m) => m.text === post.text).length, 1);
});

test("a refusal of the content becomes a task for the operators with the platform's reason in Japanese", async () => {
  const post = await approved(xAccountId);
  x.fail({
    status: 400,
    body: { title: "Invalid Request", detail: "One or more parameters to your request was invalid." },
    when: (r) => r.path === "/2/tweets",
  });
  assert.deepEqual(await runSender(app.ctx), ["failed"]);
  const [row] = await outboxOfPost(app.ctx.db, post.id);
  assert.match(
    row?.lastError ?? "",
    /Xが投稿を受け付けませんでした（HTTP 400）.*parameters to your request was invalid/,
  );
  assert.equal((await findPost(app.ctx.db, post.id))?.status, "approved", "the manual record stays possible");
});

test("7.1: the leak playbook's containment step deletes the post on X through the connection and records X's answer", async () => {
  const { reportIncident } = await import("../incidents/report.ts");
  const { completeStep } = await import("../incidents/steps.ts");
  const { listSteps } = await import("../../db/repos/incidents.ts");
  const post = await approved(xAccountId);
  assert.deepEqual(await runSender(app.ctx), ["recorded"]);
  const tweet = x.tweets.find((t) => t.text === post.text);
  assert.ok(tweet && !tweet.deleted);
  const incident = await reportIncident(app.ctx, {
    actor: org.actors.kouhouStaff,
    input: {
      type: "leak",
      title: "電話番号の写り込み",
      description: "本文に個人の電話番号",
      postId: post.id,
    },
  });
  const containment = (await listSteps(app.ctx.db, incident.id)).find((s) => s.stepKey === "containment");
  assert.ok(containment);
  const seq = (await lastEntry(app.ctx.db))?.seq ?? 0;
  await completeStep(app.ctx, {
    actor: org.actors.kouhouManager,
    incidentId: incident.id,
    stepId: containment.id,
    input: { note: "削除しました", deletionReason: "個人の電話番号が含まれていたため" },
  });
  assert.equal(tweet.deleted, true, "deleted on X");
  const deleteRequest = x.requests.find((r) => r.method === "DELETE" && r.path === `/2/tweets/${tweet.id}`);
  assert.ok(deleteRequest);
  assert.equal((await findPost(app.ctx.db, post.id))?.status, "deleted");
  const [row] = await outboxOfPost(app.ctx.db, post.id);
  assert.ok(row?.deletedOnPlatformAt);
  const entry = (await entriesAfter(app.ctx.db, seq, 100)).find((e) => e.action === "post.delete");
  assert.match(JSON.stringify(entry?.summary), /Xで投稿を削除しました/);
});

test("deleting a LINE message is refused with LINE's answer; deleted on LINE's own screen, it is recorded", async () => {
  const { recordDeletion } = await import("../posts/publishing.ts");
  const post = await approved(lineAccountId);
  assert.deepEqual(await runSender(app.ctx), ["recorded"]);
  const remove = (input: Record<string, string>) =>
    recordDeletion(app.ctx, { actor: org.actors.kouhouStaff, postId: post.id, input });
  await assert.rejects(remove({ reason: "誤りがあったため" }), (e: unknown) => {
    assert.ok(e instanceof Error);
    assert.match(e.message, /APIで取り消すことができません/);
    return true;
  });
  assert.equal((await findPost(app.ctx.db, post.id))?.status, "published");
  const done = await remove({ reason: "誤りがあったため", deletedManually: "on" });
  assert.equal(done.status, "deleted");
});
