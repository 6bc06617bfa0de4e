/**
 * The publishing record as people use it: an operator records the URL and time of an approved
 * post (wrong host, the profile page, a future time and an unapproved post refused), a post
 * published first under 5.1.4 ①–④ gets its URL afterwards, a published post is read-only, a
 * removal is recorded with its reason; the queue shows approved posts by schedule time and the
 * reminder opens once at that time, even when the job runs twice at once; who may record.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { seedAccount, seedKouhouAccount } from "../../../test/support/accounts.ts";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { refused } from "../../../test/support/errors.ts";
import { seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { seedPost } from "../../../test/support/posts.ts";
import { entriesAfter, lastEntry } from "../../db/repos/audit.ts";
import { findPost, updatePost } from "../../db/repos/posts.ts";
import { listTasks } from "../../db/repos/tasks.ts";
import { nextPostStatus } from "../../domain/posts.ts";
import { systemActor } from "../context.ts";
import { myTasks } from "../tasks.ts";
import { editPost } from "./draft.ts";
import { recordDeletion, recordPublishing, reschedulePost } from "./publishing.ts";
import { publishingInfo, publishingQueue } from "./publishing-read.ts";
import { remindScheduledPosts, settlePostTasks } from "./publishing-tasks.ts";

let app: TestApp;
let org: TestOrg;
let accountId: number;
let handle: string;

before(async () => {
  app = await testApp({ start: "2026-11-24T01:00:00Z" });
  org = await seedOrg(app.ctx);
  const account = await seedKouhouAccount(app.ctx, org, { name: "いわき市広報" });
  accountId = account.id;
  handle = account.handle;
});
after(() => app.close());

const approved = (extra: Partial<Parameters<typeof seedPost>[1]> = {}) =>
  seedPost(app.ctx, {
    accountId,
    authorId: org.staff.kouhouStaff.id,
    status: "approved",
    approvedBy: org.staff.kouhouManager.id,
    ...extra,
  });

test("the operator records the URL and time of an approved post; it is then 発信済 and read-only", async () => {
  app.clock.set("2026-11-24T01:00:00Z");
  const post = await approved({ createdAt: new Date("2026-11-24T00:30:00Z") }); // approved at 09:30
  const actor = org.actors.kouhouStaff;
  const record = (input: Record<string, string>) =>
    recordPublishing(app.ctx, { actor, postId: post.id, input });

  await assert.rejects(
    record({ url: "https://www.facebook.com/iwakicity/posts/1" }),
    refused("validation", /X（旧Twitter）のアカウントです。x\.com の投稿のURL/),
  );
  await assert.rejects(
    record({ url: `http://x.com/${handle}/status/1` }),
    refused("validation", /https:\/\//),
  );
  await assert.rejects(
    record({ url: `https://x.com/${handle}` }),
    refused("validation", /アカウントのページではなく、発信した投稿そのもののURL/),
  );
  await assert.rejects(
    record({ url: `https://x.com/${handle}/status/1860000000000000001`, publishedAt: "2026-11-24T10:30" }),
    refused("validation", /発信した日時に未来の日時は指定できません/),
    "10:30 Tokyo is after 10:00 Tokyo, now",
  );
  assert.equal((await findPost(app.ctx.db, post.id))?.status, "approved", "nothing was recorded");

  const seq = (await lastEntry(app.ctx.db))?.seq ?? 0;
  const done = await record({
    url: `https://x.com/${handle}/status/1860000000000000001`,
    publishedAt: "2026-11-24T09:45",
  });
  assert.equal(done.status, "published");
  assert.equal(done.publishedUrl, `https://x.com/${handle}/status/1860000000000000001`);
  assert.equal(done.publishedAt?.toISOString(), "2026-11-24T00:45:00.000Z", "09:45 in Tokyo");
  assert.equal(done.publishedBy, org.staff.kouhouStaff.id);
  const entries = await entriesAfter(app.ctx.db, seq, 10);
  assert.deepEqual(
    entries.map((e) => e.action),
    ["post.publish"],
    "one audit entry for the record (refusals above wrote none)",
  );

  // Published posts are read-only: an edit is refused, and recording again is refused.
  assert.equal(nextPostStatus("published", "edit"), null);
  await assert.rejects(
    editPost(app.ctx, {
      actor,
      id: post.id,
      input: { version: done.version, text: "【お知らせ】書き換えた本文です。" },
    }),
    refused("conflict", /「発信済」の投稿は編集できません。誤りがある場合は、訂正の投稿を作成してください/),
  );
  assert.equal((await findPost(app.ctx.db, post.id))?.text, post.text, "the text stays as published");
  await assert.rejects(
    record({ url: `https://x.com/${handle}/status/1860000000000000002` }),
    refused("conflict", /発信済みの投稿は変更できません/),
  );
  await assert.rejects(
    reschedulePost(app.ctx, { actor, postId: post.id, input: { scheduledAt: "2026-11-25T09:00" } }),
    refused("conflict", /承認済みで未発信の投稿だけ/),
  );
  const info = await publishingInfo(app.ctx, { actor, postId: post.id });
  assert.equal(info.actions.recordPublishing, false);
  assert.equal(info.actions.recordDeletion, true);
  assert.equal(info.publishedByName, org.staff.kouhouStaff.name);
});

test("only approved posts are recorded as published", async () => {
  for (const status of ["draft", "pending", "returned", "rejected"] as const) {
    const post = await approved({ status });
    await assert.rejects(
      recordPublishing(app.ctx, {
        actor: org.actors.kouhouStaff,
        postId: post.id,
        input: { url: `https://x.com/${handle}/status/2` },
      }),
      refused(
        "conflict",
        status === "rejected" ? /却下された投稿は発信できません/ : /まだ承認されていません/,
      ),
      status,
    );
  }
});

test("a post published first under 5.1.4 ④ gets its URL recorded afterwards", async () => {
  app.clock.set("2026-11-24T03:00:00Z");
  const post = await seedPost(app.ctx, {
    accountId,
    authorId: org.staff.kouhouStaff.id,
    status: "published",
    category: "emergency",
    publishedAt: new Date("2026-11-24T02:10:00Z"),
  });
  await updatePost(app.ctx.db, post.id, { publishedUrl: null, publishedBy: null }, app.clock.now());
  const queue = await publishingQueue(app.ctx, { actor: org.actors.kouhouStaff });
  assert.ok(
    queue.withoutUrl.some((p) => p.id === post.id),
    "listed as URL not recorded",
  );
  const info = await publishingInfo(app.ctx, { actor: org.actors.kouhouManager, postId: post.id });
  assert.equal(info.actions.recordUrl, true);

  const done = await recordPublishing(app.ctx, {
    actor: org.actors.kouhouManager,
    postId: post.id,
    input: { url: `https://twitter.com/${handle}/status/99` },
  });
  assert.equal(done.status, "published");
  assert.equal(done.publishedUrl, `https://twitter.com/${handle}/status/99`);
  assert.equal(done.publishedAt?.toISOString(), "2026-11-24T02:10:00.000Z", "the time it went out stays");
  assert.equal(done.publishedBy, org.staff.kouhouManager.id);
  const after = await publishingQueue(app.ctx, { actor: org.actors.kouhouStaff });
  assert.ok(!after.withoutUrl.some((p) => p.id === post.id));
  await assert.rejects(
    recordPublishing(app.ctx, {
      actor: org.actors.kouhouManager,
      postId: post.id,
      input: { url: `https://x.com/${handle}/status/100` },
    }),
    refused("conflict", /発信済み/),
    "the URL is recorded once",
  );
});

test("a removal from the platform is recorded with its reason; the post stays on record", async () => {
  app.clock.set("2026-11-24T05:00:00Z");
  const post = await seedPost(app.ctx, {
    accountId,
    authorId: org.staff.kouhouStaff.id,
    publishedAt: new Date("2026-11-24T04:00:00Z"),
  });
  const remove = (input: Record<string, string>) =>
    recordDeletion(app.ctx, { actor: org.actors.kouhouStaff, postId: post.id, input });
  await assert.rejects(remove({ reason: "" }), refused("validation", /削除した理由を入力してください/));
  await assert.rejects(
    remove({ reason: "日付の誤り", deletedAt: "2026-11-24T12:30" }),
    refused(
      "validation",
      /削除した日時（令和8年（2026年）11月24日（火）12時30分）が、発信（令和8年（2026年）11月24日（火）13時00分）より前です/,
    ),
  );
  const done = await remove({ reason: "開催日を誤って記載したため削除しました。" });
  assert.equal(done.status, "deleted");
  assert.equal(done.deletedReason, "開催日を誤って記載したため削除しました。");
  assert.equal(done.deletedAt?.toISOString(), "2026-11-24T05:00:00.000Z");
  assert.equal(done.publishedUrl, post.publishedUrl, "the record of publishing is kept");
  await assert.rejects(remove({ reason: "もう一度" }), refused("conflict", /既に削除済み/));
  const draft = await approved({ status: "draft" });
  await assert.rejects(
    recordDeletion(app.ctx, { actor: org.actors.kouhouStaff, postId: draft.id, input: { reason: "不要" } }),
    refused("conflict", /発信済みの投稿だけ/),
  );
});

test("the queue lists approved posts by schedule time, overdue first; the reminder opens once at that time", async () => {
  app.clock.set("2026-12-01T00:00:00Z");
  const later = await approved({ text: "【お知らせ】12月5日の催しのご案内です。" });
  const soon = await approved({ text: "【お知らせ】12月2日の催しのご案内です。" });
  const none = await approved({ text: "【お知らせ】予定のない投稿です。" });
  await updatePost(app.ctx.db, later.id, { scheduledAt: new Date("2026-12-05T00:00:00Z") }, app.clock.now());
  await updatePost(app.ctx.db, soon.id, { scheduledAt: new Date("2026-12-02T00:00:00Z") }, app.clock.now());

  const queue = await publishingQueue(app.ctx, { actor: org.actors.kouhouStaff });
  const ids = queue.scheduled.map((p) => p.id);
  assert.ok(ids.indexOf(soon.id) < ids.indexOf(later.id), "soonest first");
  assert.ok(queue.unscheduled.some((p) => p.id === none.id));
  assert.ok(!queue.scheduled.some((p) => p.overdue));

  const scheduler = systemActor("scheduler");
  const run = () => remindScheduledPosts(app.ctx, scheduler);
  assert.equal(await run(), 0, "nothing is due yet");

  app.clock.set("2026-12-02T00:00:30Z");
  const seq = (await lastEntry(app.ctx.db))?.seq ?? 0;
  const opened = await Promise.all([run(), run()]);
  assert.equal(opened[0] + opened[1], 1, "two runs at once remind once");
  assert.equal(await run(), 0, "and a later run finds nothing more to do");
  assert.deepEqual(
    (await entriesAfter(app.ctx.db, seq, 10)).map((e) => e.action),
    ["post.publish_reminder"],
  );
  const tasks = await listTasks(app.ctx.db, { accountId, kinds: ["publish_reminder"] });
  assert.equal(tasks.length, 1);
  assert.equal(tasks[0]?.assigneeId, org.staff.kouhouStaff.id, "the author is reminded");
  assert.equal(tasks[0]?.dueDate, "2026-12-02", "due on the schedule date");
  assert.match(
    tasks[0]?.title ?? "",
    /予定時刻になりました。「いわき市広報」の承認済みの投稿を発信し、発信を記録してください/,
  );
  const mine = await myTasks(app.ctx, org.actors.kouhouStaff);
  assert.equal(mine.filter((t) => t.kind === "publish_reminder").length, 1, "in the author's tasks");

  const overdue = await publishingQueue(app.ctx, { actor: org.actors.kouhouManager });
  assert.equal(overdue.scheduled[0]?.id, soon.id);
  assert.equal(overdue.scheduled[0]?.overdue, true, "past its time: overdue, first");

  // Moving the time withdraws the reminder; a new one opens at the new time.
  await reschedulePost(app.ctx, {
    actor: org.actors.kouhouStaff,
    postId: soon.id,
    input: { scheduledAt: "2026-12-03T09:00" },
  });
  const [withdrawn] = await listTasks(app.ctx.db, { accountId, kinds: ["publish_reminder"] });
  assert.equal(withdrawn?.status, "cancelled");
  await assert.rejects(
    reschedulePost(app.ctx, {
      actor: org.actors.kouhouStaff,
      postId: soon.id,
      input: { scheduledAt: "2026-12-01T09:00" },
    }),
    refused("validation", /現在より後の日時/),
  );
  app.clock.set("2026-12-03T00:00:00Z");
  assert.equal(await run(), 1);

  // Recording the publishing closes the reminder.
  await recordPublishing(app.ctx, {
    actor: org.actors.kouhouStaff,
    postId: soon.id,
    input: { url: `https://x.com/${handle}/status/3` },
  });
  const all = await listTasks(app.ctx.db, { accountId, kinds: ["publish_reminder"] });
  assert.deepEqual(
    all.map((t) => t.status),
    ["cancelled", "done"],
  );
  assert.equal(await settlePostTasks(app.ctx, scheduler), 0, "nothing left to settle");
});

test("a reminder whose post was sent back for approval is withdrawn by the job", async () => {
  app.clock.set("2026-12-10T00:00:00Z");
  const post = await approved();
  await updatePost(app.ctx.db, post.id, { scheduledAt: new Date("2026-12-10T00:00:00Z") }, app.clock.now());
  const scheduler = systemActor("scheduler");
  const reminders = async () =>
    (await listTasks(app.ctx.db, { accountId, kinds: ["publish_reminder"] })).filter((t) =>
      JSON.stringify(t.cause).includes(`"postId":${post.id},`),
    );
  await remindScheduledPosts(app.ctx, scheduler);
  assert.deepEqual(
    (await reminders()).map((t) => t.status),
    ["open"],
  );
  await updatePost(app.ctx.db, post.id, { status: "pending" }, app.clock.now());
  assert.equal(await settlePostTasks(app.ctx, scheduler), 1);
  const [task] = await reminders();
  assert.equal(task?.status, "cancelled", "an edit sent it back for approval: nothing to publish now");
});

test("only the account's operators and its manager record publishing", async () => {
  app.clock.set("2026-12-11T00:00:00Z");
  const post = await approved();
  const input = { url: `https://x.com/${handle}/status/4` };
  // Another division's operator does not even see the post.
  const other = await seedAccount(app.ctx, {
    divisionId: org.divisions.soumuka.id,
    managerId: org.staff.soumuManager.id,
    operatorIds: [org.staff.soumuStaff.id],
  });
  assert.ok(other.id);
  await assert.rejects(
    recordPublishing(app.ctx, { actor: org.actors.soumuStaff, postId: post.id, input }),
    refused("not_found", /投稿が見つかりません/),
  );
  // Overseers see it but do not post (3).
  for (const actor of [org.actors.policyDirector, org.actors.auditor]) {
    await assert.rejects(
      recordPublishing(app.ctx, { actor, postId: post.id, input }),
      refused("forbidden", /権限がありません/),
    );
  }
  // A colleague of the division who is not on the operator list sees it but may not record.
  const colleague = await seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    operatorIds: [],
  });
  const theirs = await seedPost(app.ctx, {
    accountId: colleague.id,
    authorId: org.staff.kouhouManager.id,
    status: "approved",
  });
  await assert.rejects(
    recordPublishing(app.ctx, {
      actor: org.actors.kouhouStaff,
      postId: theirs.id,
      input: { url: `https://x.com/${colleague.handle}/status/5` },
    }),
    refused("forbidden", /権限がありません/),
  );
  const info = await publishingInfo(app.ctx, { actor: org.actors.auditor, postId: post.id });
  assert.equal(info.actions.recordPublishing, false);
  const done = await recordPublishing(app.ctx, { actor: org.actors.kouhouManager, postId: post.id, input });
  assert.equal(done.status, "published");
});
