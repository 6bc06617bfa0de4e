/**
 * LINE narrowcast through the sender against the loopback fake: a post approved for an audience
 * goes out as a narrowcast with exactly that audience, waits in `delivering` while LINE reports
 * waiting → sending → succeeded, and is recorded with LINE's counts; killed at each point (claim,
 * send, accept, progress read, record), the next runs leave one message on LINE and one complete
 * record. A change of audience after approval stops it; LINE's "too few recipients" becomes a task
 * with the reason in Japanese; a narrowcast still waiting after a day is surfaced once.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { seedKouhouAccount } from "../../../test/support/accounts.ts";
import type { TestApp } from "../../../test/support/context.ts";
import { seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { type PlatformsApp, testAppWithPlatforms } from "../../../test/support/platforms.ts";
import { seedPost } from "../../../test/support/posts.ts";
import { entriesAfter } from "../../db/repos/audit.ts";
import { outboxOfPost } from "../../db/repos/platform-publishing.ts";
import { findPost, updatePost } from "../../db/repos/posts.ts";
import { listTasks } from "../../db/repos/tasks.ts";
import type { LineAudience } from "../../domain/line-audience.ts";
import type { FakeLine } from "../../publishing/fakes/line.ts";
import { connectLine } from "./connections.ts";
import { type CrashPoint, DELIVERY_OVERDUE, LEASE_MS, queueDuePosts, runSender } from "./sender.ts";

let app: TestApp;
let org: TestOrg;
let platforms: PlatformsApp;
let line: FakeLine;
let lineAccountId: number;

const fukushimaWomen: LineAudience = {
  ageFrom: "age_20",
  ageTo: "age_40",
  gender: "female",
  appType: null,
  subscriptionFrom: null,
  subscriptionTo: null,
  areas: ["jp_07"],
  audienceGroupId: null,
  limitMax: null,
};

before(async () => {
  platforms = await testAppWithPlatforms({
    line: { token: "line-token", basicId: "@iwaki_line" },
    x: { username: "iwaki_x" },
    running: true,
    fakesKeepAppTime: true,
  });
  ({ app, line } = platforms);
  org = await seedOrg(app.ctx);
  const account = await seedKouhouAccount(app.ctx, org, {
    platform: "line",
    handle: "@iwaki_line",
    url: "https://lin.ee/abc",
  });
  lineAccountId = account.id;
  await connectLine(app.ctx, {
    actor: org.actors.kouhouManager,
    accountId: lineAccountId,
    input: { token: "line-token" },
  });
});
after(() => platforms.close());

let n = 0;
const approved = (audience: LineAudience = fukushimaWomen) => {
  n++;
  return seedPost(app.ctx, {
    accountId: lineAccountId,
    authorId: org.staff.kouhouStaff.id,
    status: "approved",
    approvedBy: org.staff.kouhouManager.id,
    text: `【子育て支援】絞り込み配信のテスト その${n}です。`,
    audience,
    createdAt: app.clock.now(),
  });
};

/** Runs the sender a minute apart until nothing is left to do for now (at most `passes` times). */
async function settle(passes = 6): Promise<void> {
  for (let i = 0; i < passes; i++) {
    app.clock.advance(61_000);
    await runSender(app.ctx);
  }
}

async function runKilledAt(point: CrashPoint): Promise<void> {
  class Killed extends Error {}
  const hooks = {
    at: (p: CrashPoint) => {
      if (p === point) throw new Killed(point);
    },
  };
  // "polled" and "recorded" come in a later pass than the send: run until the point is reached.
  for (let i = 0; i < 6; i++) {
    try {
      await runSender(app.ctx, hooks);
    } catch (error) {
      if (error instanceof Killed) return;
      throw error;
    }
    app.clock.advance(61_000);
  }
  assert.fail(`the sender never reached "${point}"`);
}

test("a post approved for an audience goes out as a narrowcast and is recorded once LINE says it succeeded", async () => {
  const post = await approved({ ...fukushimaWomen, audienceGroupId: "1234567890123", limitMax: 500 });
  assert.deepEqual(await runSender(app.ctx), ["delivering"]);
  const message = line.messages.find((m) => m.text === post.text);
  assert.equal(message?.kind, "narrowcast");
  assert.deepEqual(message?.target, {
    recipient: { type: "audience", audienceGroupId: 1234567890123 },
    filter: {
      demographic: {
        type: "operator",
        and: [
          { type: "age", gte: "age_20", lt: "age_40" },
          { type: "gender", oneOf: ["female"] },
          { type: "area", oneOf: ["jp_07"] },
        ],
      },
    },
    limit: { max: 500 },
  });
  let [row] = await outboxOfPost(app.ctx.db, post.id);
  assert.equal(row?.status, "delivering");
  assert.equal(row?.platformRequestId, message?.requestId);
  assert.equal((await findPost(app.ctx.db, post.id))?.status, "approved", "not recorded before LINE says so");
  assert.deepEqual(await runSender(app.ctx), [], "LINE is asked again only after a minute");
  app.clock.advance(61_000);
  assert.deepEqual(await runSender(app.ctx), ["delivering"], "waiting");
  app.clock.advance(61_000);
  assert.deepEqual(await runSender(app.ctx), ["delivering"], "sending");
  app.clock.advance(61_000);
  assert.deepEqual(await runSender(app.ctx), ["recorded"]);
  [row] = await outboxOfPost(app.ctx.db, post.id);
  assert.equal(row?.status, "recorded");
  const done = await findPost(app.ctx.db, post.id);
  assert.equal(done?.status, "published");
  assert.equal(done?.publishedUrl, null);
  const publish = (await entriesAfter(app.ctx.db, 0, 100000)).find(
    (e) => e.action === "post.publish" && e.targetId === String(post.id),
  );
  const summary = JSON.parse(JSON.stringify(publish?.summary ?? {}));
  assert.equal(summary.platform.delivery.successCount, 1197, "LINE's counts are in the record");
  assert.equal(summary.platform.delivery.targetCount, 1200);
  assert.ok(summary.platform.delivery.completedTime);
});

for (const point of ["claimed", "sent", "accepted", "polled", "recorded"] as const) {
  test(`narrowcast killed after "${point}": after restart, one message on LINE and one complete record`, async () => {
    const post = await approved();
    await runKilledAt(point);
    app.clock.advance(LEASE_MS + 1000);
    await settle();
    assert.equal(line.messages.filter((m) => m.text === post.text).length, 1, "exactly one message on LINE");
    const [row] = await outboxOfPost(app.ctx.db, post.id);
    assert.equal(row?.status, "recorded");
    assert.equal(row?.platformRequestId, line.messages.find((m) => m.text === post.text)?.requestId);
    assert.equal((await findPost(app.ctx.db, post.id))?.status, "published");
    const publishes = (await entriesAfter(app.ctx.db, 0, 100000)).filter(
      (e) => e.action === "post.publish" && e.targetId === String(post.id),
    );
    assert.equal(publishes.length, 1, "one publication in the audit log");
  });
}

test("an audience changed after approval stops the send like a text edit", async () => {
  const post = await approved();
  assert.equal(await queueDuePosts(app.ctx), 1);
  await updatePost(
    app.ctx.db,
    post.id,
    { audience: { ...fukushimaWomen, areas: ["jp_07", "jp_13"] } },
    app.clock.now(),
  );
  assert.deepEqual(await runSender(app.ctx), ["stopped"]);
  assert.equal(line.messages.filter((m) => m.text === post.text).length, 0, "nothing went to LINE");
  const [row] = await outboxOfPost(app.ctx.db, post.id);
  assert.equal(row?.status, "cancelled");
  assert.match(row?.lastError ?? "", /配信先が一致しない/);
});

test("LINE's 'too few recipients' after acceptance becomes a task with LINE's reason in Japanese", async () => {
  const post = await approved();
  line.narrowcastFailure = { errorCode: 2, failedDescription: "the number of recipients is too small" };
  await settle();
  const [row] = await outboxOfPost(app.ctx.db, post.id);
  assert.equal(row?.status, "failed");
  assert.match(row?.lastError ?? "", /20〜39歳・女性・福島県の友だち/);
  assert.match(row?.lastError ?? "", /条件に合う友だちが少なすぎる/);
  assert.match(row?.lastError ?? "", /the number of recipients is too small/);
  const task = (await listTasks(app.ctx.db, { kinds: ["publish_failed"], status: "open" })).find(
    (t) => t.id === row?.taskId,
  );
  assert.equal(task?.assigneeId, org.staff.kouhouStaff.id);
  assert.equal((await findPost(app.ctx.db, post.id))?.status, "approved", "the manual record stays possible");
});

test("a narrowcast still waiting a day after LINE accepted it is surfaced once, and still followed", async () => {
  line.narrowcastSteps = ["waiting"];
  try {
    const post = await approved();
    assert.deepEqual(await runSender(app.ctx), ["delivering"]);
    app.clock.advance(24 * 60 * 60_000 + 1000);
    assert.deepEqual(await runSender(app.ctx), ["delivering"]);
    app.clock.advance(16 * 60_000);
    assert.deepEqual(await runSender(app.ctx), ["delivering"]);
    const [row] = await outboxOfPost(app.ctx.db, post.id);
    assert.equal(row?.status, "delivering");
    assert.match(row?.lastError ?? "", /24時間たちましたが、まだ配信が終わっていません/);
    const overdue = (await listTasks(app.ctx.db, { kinds: [DELIVERY_OVERDUE], status: "open" })).filter((t) =>
      JSON.stringify(t.cause).includes(`"postId":${post.id}`),
    );
    assert.equal(overdue.length, 1, "one task, not one per poll");
  } finally {
    line.narrowcastSteps = ["waiting", "sending", "succeeded"];
  }
});

test("a stored audience that cannot be read stops the send instead of going to every friend", async () => {
  const post = await seedPost(app.ctx, {
    accountId: lineAccountId,
    authorId: org.staff.kouhouStaff.id,
    status: "approved",
    approvedBy: org.staff.kouhouManager.id,
    text: "【テスト】読めない配信先の投稿です。",
    createdAt: app.clock.now(),
  });
  await updatePost(app.ctx.db, post.id, { audience: { ageFrom: "age_99" } }, app.clock.now());
  assert.deepEqual(await runSender(app.ctx), []);
  assert.equal(line.messages.filter((m) => m.text === post.text).length, 0, "nothing went to LINE");
  assert.equal((await outboxOfPost(app.ctx.db, post.id)).length, 0, "not even queued");
});
