/**
 * Corrections (5.3.2, 5.3.3) as people meet them: anyone who can see a published post marks it
 * erroneous and a task goes at once to its author and to the account manager, due in 24 hours;
 * an operator starts the correction (kind correction, 【訂正】 and the original text, the 5.3.3
 * check without a marker); a correction whose text is still the original's is not submitted or
 * approved; when the correction is published the tasks close and the original shows 「訂正あり」.
 * Someone who cannot see the post cannot mark it.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { seedKouhouAccount } from "../../../test/support/accounts.ts";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { refused } from "../../../test/support/errors.ts";
import { seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { seedPost } from "../../../test/support/posts.ts";
import { findPost, listVersions, updatePost } from "../../db/repos/posts.ts";
import { listTasks } from "../../db/repos/tasks.ts";
import { systemActor } from "../context.ts";
import { markErroneous, startCorrection } from "./corrections.ts";
import { approvePost } from "./decide.ts";
import { editPost } from "./draft.ts";
import { recordPublishing } from "./publishing.ts";
import { correctionMarks, publishingInfo, publishingQueue } from "./publishing-read.ts";
import { settlePostTasks } from "./publishing-tasks.ts";
import { submitPost } from "./submit.ts";

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

const published = (text = "【お知らせ】12月5日（土）に市民会館で音楽会を開きます。") =>
  seedPost(app.ctx, {
    accountId,
    authorId: org.staff.kouhouStaff.id,
    text,
    publishedAt: new Date("2026-11-23T03:00:00Z"),
  });

const tasksOf = async (postId: number) =>
  (await listTasks(app.ctx.db, { accountId, kinds: ["post_correction"] })).filter((t) =>
    JSON.stringify(t.cause).includes(`"postId":${postId},`),
  );

test("anyone who sees a published post marks it erroneous: tasks to the author and the manager, due in 24 hours", async () => {
  app.clock.set("2026-11-24T01:00:00Z");
  const post = await published();
  // The auditor reads every post and, like anyone, may report an error (5.3.2).
  const mark = await markErroneous(app.ctx, {
    actor: org.actors.auditor,
    postId: post.id,
    input: { note: "音楽会は12月6日（日）の誤りです。" },
  });
  assert.equal(mark.post.erroneousBy, org.staff.auditor.id);
  assert.equal(mark.post.erroneousNote, "音楽会は12月6日（日）の誤りです。");
  assert.equal(mark.post.correctionDueAt?.toISOString(), "2026-11-25T01:00:00.000Z", "24 hours later");

  const tasks = await tasksOf(post.id);
  assert.deepEqual(
    tasks.map((t) => t.assigneeId).sort(),
    [org.staff.kouhouStaff.id, org.staff.kouhouManager.id].sort(),
    "one task to the author, one to the manager",
  );
  for (const t of tasks) {
    assert.equal(t.status, "open");
    assert.equal(t.clause, "5.3.2");
    assert.equal(t.dueDate, "2026-11-25");
  }
  assert.match(tasks.find((t) => t.assigneeId === org.staff.kouhouStaff.id)?.title ?? "", /訂正してください/);

  await assert.rejects(
    markErroneous(app.ctx, { actor: org.actors.kouhouManager, postId: post.id, input: { note: "別の誤り" } }),
    refused(
      "conflict",
      /既に誤りとして報告され、訂正を待っています（訂正の期限: 令和8年（2026年）11月25日（水）10時00分）/,
    ),
  );
  await assert.rejects(
    markErroneous(app.ctx, { actor: org.actors.kouhouManager, postId: post.id, input: { note: " " } }),
    refused("validation", /誤りの内容を入力してください/),
  );
  const queue = await publishingQueue(app.ctx, { actor: org.actors.kouhouManager });
  assert.ok(
    queue.awaitingCorrection.some((p) => p.id === post.id),
    "listed as waiting for a correction",
  );
});

test("someone who cannot see the post cannot mark it; drafts cannot be marked", async () => {
  const post = await published();
  // 総務課 staff do not see 広報広聴課's posts, so they cannot report one either.
  await assert.rejects(
    markErroneous(app.ctx, { actor: org.actors.soumuStaff, postId: post.id, input: { note: "誤り" } }),
    refused("not_found", /投稿が見つかりません/),
  );
  const draft = await seedPost(app.ctx, { accountId, authorId: org.staff.kouhouStaff.id, status: "draft" });
  await assert.rejects(
    markErroneous(app.ctx, { actor: org.actors.kouhouManager, postId: draft.id, input: { note: "誤り" } }),
    refused("conflict", /発信済みの投稿です/),
  );
  assert.equal((await tasksOf(post.id)).length, 0);
});

test("the correction is a draft of kind correction for the same account, checked with 5.3.3", async () => {
  app.clock.set("2026-11-24T02:00:00Z");
  const post = await published();
  await assert.rejects(
    startCorrection(app.ctx, { actor: org.actors.kouhouStaff, postId: post.id }),
    refused("conflict", /先に「誤りを報告」から/),
    "the error is recorded first",
  );
  await markErroneous(app.ctx, {
    actor: org.actors.kouhouStaff,
    postId: post.id,
    input: { note: "日付の誤り" },
  });
  // Posting rights come only from the operator list (3): the manager does not draft.
  await assert.rejects(
    startCorrection(app.ctx, { actor: org.actors.kouhouManager, postId: post.id }),
    refused("forbidden", /運用に携わる職員として登録された方だけです（第3、第4-1\(3\)）/),
  );

  const { post: correction, created } = await startCorrection(app.ctx, {
    actor: org.actors.kouhouStaff,
    postId: post.id,
  });
  assert.equal(created, true);
  assert.equal(correction.kind, "correction");
  assert.equal(correction.correctsPostId, post.id);
  assert.equal(correction.accountId, accountId);
  assert.equal(correction.status, "draft");
  assert.equal(correction.category, "normal", "approved like any post");
  assert.match(correction.text, /^【訂正】11月23日にお知らせした内容に誤りがありました。/);
  assert.ok(correction.text.endsWith(post.text), "the original text, to put right");
  const rules = (correction.findings as Array<{ rule: string }>).map((f) => f.rule);
  assert.ok(!rules.includes("correction.no-marker"), "the template states the correction");
  assert.equal((await listVersions(app.ctx.db, correction.id)).length, 1);

  const again = await startCorrection(app.ctx, { actor: org.actors.kouhouStaff, postId: post.id });
  assert.equal(again.created, false, "the correction being written is opened again, not a second one");
  assert.equal(again.post.id, correction.id);
});

test("a correction that does not say it corrects gets the 5.3.3 error", async () => {
  const post = await published();
  await markErroneous(app.ctx, {
    actor: org.actors.kouhouStaff,
    postId: post.id,
    input: { note: "日付の誤り" },
  });
  const { post: correction } = await startCorrection(app.ctx, {
    actor: org.actors.kouhouStaff,
    postId: post.id,
    input: { text: "音楽会は12月6日（日）に市民会館で開きます。" },
  });
  const findings = correction.findings as Array<{ rule: string; clause: string; severity: string }>;
  const marker = findings.find((f) => f.rule === "correction.no-marker");
  assert.equal(marker?.clause, "5.3.3");
  assert.equal(marker?.severity, "error");
  assert.equal(correction.errorCount >= 1, true);
});

test("when the correction is published, the tasks close and the original shows 訂正あり", async () => {
  app.clock.set("2026-11-24T03:00:00Z");
  const post = await published();
  await markErroneous(app.ctx, {
    actor: org.actors.kouhouManager,
    postId: post.id,
    input: { note: "日付の誤り" },
  });
  const { post: correction } = await startCorrection(app.ctx, {
    actor: org.actors.kouhouStaff,
    postId: post.id,
  });
  const before = await publishingInfo(app.ctx, { actor: org.actors.kouhouStaff, postId: post.id });
  assert.equal(before.published.length, 0);
  assert.equal(before.actions.startCorrection, false, "one is being written");
  assert.equal(before.erroneous?.answered, false);

  // Approval is the drafting part's work; here the correction is approved as it would be.
  app.clock.set("2026-11-24T04:00:00Z");
  await updatePost(
    app.ctx.db,
    correction.id,
    {
      status: "approved",
      approvedAt: app.clock.now(),
      approvedBy: org.staff.kouhouManager.id,
      approvedVersion: 1,
    },
    app.clock.now(),
  );
  const url = `https://x.com/${handle}/status/777`;
  await recordPublishing(app.ctx, { actor: org.actors.kouhouStaff, postId: correction.id, input: { url } });

  const tasks = await tasksOf(post.id);
  assert.deepEqual(
    tasks.map((t) => t.status),
    ["done", "done"],
    "both correction tasks are done",
  );
  const marks = await correctionMarks(app.ctx, [post.id]);
  assert.equal(marks.get(post.id)?.[0]?.id, correction.id);
  const info = await publishingInfo(app.ctx, { actor: org.actors.auditor, postId: post.id });
  assert.equal(info.published[0]?.publishedUrl, url);
  assert.equal(info.erroneous?.answered, true);
  assert.equal(info.erroneous?.overdue, false);
  const corrected = await publishingInfo(app.ctx, { actor: org.actors.auditor, postId: correction.id });
  assert.equal(corrected.corrects?.id, post.id);
  const queue = await publishingQueue(app.ctx, { actor: org.actors.kouhouManager });
  assert.ok(!queue.awaitingCorrection.some((p) => p.id === post.id), "no longer waiting");
  assert.equal((await findPost(app.ctx.db, post.id))?.status, "published", "the original stays published");
});

test("a correction published by another route closes the tasks when the job runs", async () => {
  app.clock.set("2026-11-25T03:00:00Z");
  const post = await published();
  await markErroneous(app.ctx, { actor: org.actors.kouhouManager, postId: post.id, input: { note: "誤り" } });
  const { post: correction } = await startCorrection(app.ctx, {
    actor: org.actors.kouhouStaff,
    postId: post.id,
  });
  // 5.1.4 ①: the correction repeats published content and went out first (the drafting part's route).
  await updatePost(
    app.ctx.db,
    correction.id,
    { status: "published", category: "repost", publishedAt: app.clock.now() },
    app.clock.now(),
  );
  assert.equal(await settlePostTasks(app.ctx, systemActor("scheduler")), 2);
  assert.deepEqual(
    (await tasksOf(post.id)).map((t) => t.status),
    ["done", "done"],
  );
});

test("a correction still saying the original cannot be submitted or approved (5.3.2, 5.3.3); once put right it can", async () => {
  app.clock.set("2026-11-26T03:00:00Z");
  const post = await published();
  await markErroneous(app.ctx, {
    actor: org.actors.kouhouManager,
    postId: post.id,
    input: { note: "日付の誤り" },
  });
  const { post: correction } = await startCorrection(app.ctx, {
    actor: org.actors.kouhouStaff,
    postId: post.id,
  });
  const rules = (correction.findings as Array<{ severity: string }>).filter((f) => f.severity === "error");
  assert.equal(rules.length, 0, "the checker finds nothing wrong with the template");

  const sameMessage = /訂正の投稿の本文が、元の投稿（#\d+）と同じです.*（第5-3\(2\)、第5-3\(3\)）/;
  await assert.rejects(
    submitPost(app.ctx, { actor: org.actors.kouhouStaff, id: correction.id, input: { version: 1 } }),
    refused("validation", sameMessage),
  );
  // Only spacing and widths changed: still the same text.
  await editPost(app.ctx, {
    actor: org.actors.kouhouStaff,
    id: correction.id,
    input: { version: 1, text: correction.text.replace("（土）", "(土)").replace("で音楽会", "で 音楽会") },
  });
  await assert.rejects(
    submitPost(app.ctx, { actor: org.actors.kouhouStaff, id: correction.id, input: { version: 2 } }),
    refused("validation", sameMessage),
  );
  // Submitted before the rule (or by another route): the approval refuses it too.
  await updatePost(
    app.ctx.db,
    correction.id,
    { status: "pending", submittedAt: app.clock.now() },
    app.clock.now(),
  );
  await assert.rejects(
    approvePost(app.ctx, { actor: org.actors.kouhouManager, id: correction.id, input: { version: 2 } }),
    refused("validation", sameMessage),
  );
  await updatePost(app.ctx.db, correction.id, { status: "draft" }, app.clock.now());

  await editPost(app.ctx, {
    actor: org.actors.kouhouStaff,
    id: correction.id,
    input: { version: 2, text: correction.text.replace("12月5日（土）", "12月6日（日）") },
  });
  const submitted = await submitPost(app.ctx, {
    actor: org.actors.kouhouStaff,
    id: correction.id,
    input: { version: 3 },
  });
  assert.equal(submitted.post.status, "pending");
});
