/**
 * The publishing record is a 公文書 (5.1(4)): the time a post went out lies between its approval
 * and now (a post created on 12/05 is not recorded as published on 12/01, nor in the future); the
 * URL is a post of the account itself (not `x.com/someoneelse`); a time given to the minute in
 * the minute of the approval keeps the approval's order; and a wrong record is corrected by the
 * account manager with a reason, keeping the earlier values (訂正履歴), never rewritten by anyone
 * else or left wrong.
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
import { publishingCorrectionsOf } from "../../db/repos/publishing.ts";
import { recordDeletion, recordPublishing } from "./publishing.ts";
import { correctPublishingRecord } from "./publishing-correct.ts";
import { publishingInfo, publishingQueue } from "./publishing-read.ts";

let app: TestApp;
let org: TestOrg;
let accountId: number;

before(async () => {
  app = await testApp({ start: "2026-12-05T03:00:00Z" });
  org = await seedOrg(app.ctx);
  const account = await seedKouhouAccount(app.ctx, org, {
    name: "いわき市",
    handle: "iwaki_city",
    url: "https://x.com/iwaki_city",
  });
  accountId = account.id;
});
after(() => app.close());

/** A post created, submitted and approved on 12/05 at 10:00:37 Tokyo. */
const approvedOn1205 = () =>
  seedPost(app.ctx, {
    accountId,
    authorId: org.staff.kouhouStaff.id,
    status: "approved",
    approvedBy: org.staff.kouhouManager.id,
    createdAt: new Date("2026-12-05T01:00:37Z"),
  });

const record = (postId: number, input: Record<string, string>) =>
  recordPublishing(app.ctx, { actor: org.actors.kouhouStaff, postId, input });

test("a publication time before the approval, or in the future, is refused with the allowed range", async () => {
  app.clock.set("2026-12-05T03:00:00Z");
  const post = await approvedOn1205();
  const url = "https://x.com/iwaki_city/status/1864000000000000001";
  await assert.rejects(
    record(post.id, { url, publishedAt: "2026-12-01T09:00" }),
    refused(
      "validation",
      /発信した日時（令和8年（2026年）12月1日（火）9時00分）が、承認（令和8年（2026年）12月5日（土）10時00分）より前です。発信した日時は、承認（令和8年（2026年）12月5日（土）10時00分）から現在（令和8年（2026年）12月5日（土）12時00分）までの日時で入力してください。/,
    ),
  );
  await assert.rejects(
    record(post.id, { url, publishedAt: "2026-12-05T12:05" }),
    refused(
      "validation",
      /発信した日時に未来の日時は指定できません.*現在（令和8年（2026年）12月5日（土）12時00分）まで/,
    ),
  );
  assert.equal((await findPost(app.ctx.db, post.id))?.status, "approved", "nothing was recorded");

  // Given to the minute in the minute of the approval: kept in order, at the approval's instant.
  const done = await record(post.id, { url, publishedAt: "2026-12-05T10:00" });
  assert.equal(done.publishedAt?.toISOString(), "2026-12-05T01:00:37.000Z");
  assert.ok((done.publishedAt?.getTime() ?? 0) >= (done.approvedAt?.getTime() ?? 0));
});

test("a verbal approval's time bounds the publication: a post approved on the phone at 09:30 may have gone out at 09:40", async () => {
  app.clock.set("2026-12-05T03:00:00Z");
  const post = await approvedOn1205();
  await updatePost(
    app.ctx.db,
    post.id,
    { approvalRule: "verbal", approvedAt: new Date("2026-12-05T00:30:00Z") },
    app.clock.now(),
  );
  const done = await record(post.id, {
    url: "https://x.com/iwaki_city/status/1864000000000000002",
    publishedAt: "2026-12-05T09:40",
  });
  assert.equal(done.publishedAt?.toISOString(), "2026-12-05T00:40:00.000Z");
});

test("the URL must be a post of this account: another account's post on the same platform is refused", async () => {
  app.clock.set("2026-12-05T03:00:00Z");
  const post = await approvedOn1205();
  await assert.rejects(
    record(post.id, { url: "https://x.com/someoneelse/status/123" }),
    refused(
      "validation",
      /別のアカウント（someoneelse）の投稿です。このアカウント（iwaki_city）で発信した投稿のURL/,
    ),
  );
  await assert.rejects(
    record(post.id, { url: "https://x.com/i/web/status/123" }),
    refused("validation", /X（旧Twitter）の投稿のURLの形ではありません/),
  );
  const done = await record(post.id, { url: "https://twitter.com/Iwaki_City/status/1864000000000000003" });
  assert.equal(done.publishedUrl, "https://twitter.com/Iwaki_City/status/1864000000000000003");
});

test("Instagram and LINE: what the system cannot confirm is said; a LINE message is recorded without a URL", async () => {
  app.clock.set("2026-12-05T03:00:00Z");
  const instagram = await seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    operatorIds: [org.staff.kouhouStaff.id],
    platform: "instagram",
    handle: "iwaki_kanko",
    url: "https://www.instagram.com/iwaki_kanko/",
  });
  const line = await seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    operatorIds: [org.staff.kouhouStaff.id],
    platform: "line",
    handle: "iwakicity",
    url: "https://page.line.me/iwakicity",
  });
  const on = (id: number) =>
    seedPost(app.ctx, {
      accountId: id,
      authorId: org.staff.kouhouStaff.id,
      status: "approved",
      createdAt: new Date("2026-12-05T01:00:00Z"),
    });
  const photo = await on(instagram.id);
  const info = await publishingInfo(app.ctx, { actor: org.actors.kouhouStaff, postId: photo.id });
  assert.equal(info.urlScope, "host");
  assert.match(info.urlNote, /アカウント名が含まれないため.*このアカウントの投稿であることは確認できません/);
  await assert.rejects(
    record(photo.id, { url: "https://www.instagram.com/someoneelse/p/C1a2b3c4d5e/" }),
    refused("validation", /別のアカウント（someoneelse）/),
  );
  assert.equal(
    (await record(photo.id, { url: "https://www.instagram.com/p/C1a2b3c4d5e/" })).publishedUrl,
    "https://www.instagram.com/p/C1a2b3c4d5e/",
  );

  const message = await on(line.id);
  const sent = await record(message.id, { url: "" });
  assert.equal(sent.status, "published");
  assert.equal(sent.publishedUrl, null, "a LINE message has no public URL");
  const other = await on(accountId);
  await assert.rejects(
    record(other.id, { url: "" }),
    refused("validation", /発信した投稿のURLを入力してください/),
  );
  // An urgent LINE message published first (④) never waits for a URL it cannot have.
  const urgent = await seedPost(app.ctx, {
    accountId: line.id,
    authorId: org.staff.kouhouStaff.id,
    category: "emergency",
  });
  await updatePost(app.ctx.db, urgent.id, { publishedUrl: null }, app.clock.now());
  const queue = await publishingQueue(app.ctx, { actor: org.actors.kouhouStaff });
  assert.ok(!queue.withoutUrl.some((p) => p.id === urgent.id));
});

test("the account manager corrects a wrong record with a reason; the earlier values are kept as 訂正履歴", async () => {
  app.clock.set("2026-12-05T03:00:00Z");
  const post = await approvedOn1205();
  await record(post.id, {
    url: "https://x.com/iwaki_city/status/1864000000000000010",
    publishedAt: "2026-12-05T11:30",
  });
  app.clock.set("2026-12-06T00:00:00Z");
  const correct = (actor: typeof org.actors.kouhouManager, input: Record<string, string>) =>
    correctPublishingRecord(app.ctx, { actor, postId: post.id, input });

  // The operator who recorded it cannot rewrite it: the manager corrects, with a reason.
  await assert.rejects(
    correct(org.actors.kouhouStaff, { publishedAt: "2026-12-05T10:45", reason: "時刻の誤り" }),
    refused("forbidden", /./),
  );
  await assert.rejects(
    correct(org.actors.kouhouManager, { publishedAt: "2026-12-05T10:45", reason: "" }),
    refused("validation", /訂正の理由を入力してください/),
  );
  // The same checks as a first record.
  await assert.rejects(
    correct(org.actors.kouhouManager, { publishedAt: "2026-12-04T10:45", reason: "時刻の誤り" }),
    refused("validation", /承認（令和8年（2026年）12月5日（土）10時00分）より前です/),
  );
  await assert.rejects(
    correct(org.actors.kouhouManager, { url: "https://x.com/someoneelse/status/5", reason: "URLの誤り" }),
    refused("validation", /別のアカウント/),
  );
  await assert.rejects(
    correct(org.actors.kouhouManager, { publishedAt: "2026-12-05T11:30", reason: "確認" }),
    refused("validation", /訂正する内容がありません/),
  );

  const seq = (await lastEntry(app.ctx.db))?.seq ?? 0;
  const fixed = await correct(org.actors.kouhouManager, {
    publishedAt: "2026-12-05T10:45",
    url: "https://x.com/iwaki_city/status/1864000000000000011",
    reason: "発信した投稿を取り違えて記録していました。正しい投稿のURLと時刻に訂正します。",
  });
  assert.equal(fixed.publishedAt?.toISOString(), "2026-12-05T01:45:00.000Z");
  assert.equal(fixed.publishedUrl, "https://x.com/iwaki_city/status/1864000000000000011");
  assert.equal(fixed.publishedBy, org.staff.kouhouStaff.id, "who published it stays");
  const entries = await entriesAfter(app.ctx.db, seq, 10);
  assert.deepEqual(
    entries.map((e) => e.action),
    ["post.publish_correct"],
    "one audit entry; the refusals of values wrote none",
  );

  const history = (await publishingCorrectionsOf(app.ctx.db, [post.id])).get(post.id) ?? [];
  assert.equal(history.length, 1);
  assert.equal(history[0]?.publishedAtBefore?.toISOString(), "2026-12-05T02:30:00.000Z");
  assert.equal(history[0]?.publishedUrlBefore, "https://x.com/iwaki_city/status/1864000000000000010");
  assert.equal(history[0]?.publishedAtAfter?.toISOString(), "2026-12-05T01:45:00.000Z");
  assert.equal(history[0]?.correctedByName, org.staff.kouhouManager.name);
  assert.match(history[0]?.reason ?? "", /取り違えて/);

  const info = await publishingInfo(app.ctx, { actor: org.actors.kouhouManager, postId: post.id });
  assert.equal(info.actions.correctRecord, true);
  assert.equal(info.history.length, 1);
  const operatorView = await publishingInfo(app.ctx, { actor: org.actors.kouhouStaff, postId: post.id });
  assert.equal(operatorView.actions.correctRecord, false);

  // A removed post: its publication may not be moved after the removal.
  await recordDeletion(app.ctx, {
    actor: org.actors.kouhouStaff,
    postId: post.id,
    input: { reason: "誤りのため削除", deletedAt: "2026-12-05T11:00" },
  });
  await assert.rejects(
    correct(org.actors.kouhouManager, { publishedAt: "2026-12-05T11:10", reason: "時刻の誤り" }),
    refused("validation", /削除（令和8年（2026年）12月5日（土）11時00分）より後です/),
  );
  const again = await correct(org.actors.kouhouManager, {
    publishedAt: "2026-12-05T10:50",
    reason: "秒単位の記録に合わせる",
  });
  assert.equal(again.status, "deleted");
  assert.equal(
    ((await publishingCorrectionsOf(app.ctx.db, [post.id])).get(post.id) ?? []).map((c) => c.seq).join(),
    "1,2",
  );
});

test("a removal time lies between the publication and now", async () => {
  app.clock.set("2026-12-05T03:00:00Z");
  const post = await approvedOn1205();
  await record(post.id, {
    url: "https://x.com/iwaki_city/status/1864000000000000020",
    publishedAt: "2026-12-05T11:00",
  });
  await assert.rejects(
    recordDeletion(app.ctx, {
      actor: org.actors.kouhouStaff,
      postId: post.id,
      input: { reason: "誤り", deletedAt: "2026-12-05T10:30" },
    }),
    refused(
      "validation",
      /削除した日時（令和8年（2026年）12月5日（土）10時30分）が、発信（令和8年（2026年）12月5日（土）11時00分）より前です/,
    ),
  );
});
