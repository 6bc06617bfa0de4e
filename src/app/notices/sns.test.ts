/**
 * 4.5.2 on the account itself: the announcement post is drafted from the notice as soon as the
 * announcement is scheduled (for 9:00 on the announcement date), linked to the notice; it cannot
 * be rescheduled past the latest announcement date; its real publication is copied onto the
 * notice and, when later than that date, flagged — recorded as it happened, never refused.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { seedKouhouAccount } from "../../../test/support/accounts.ts";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { policyConfirmed } from "../../../test/support/filings.ts";
import { seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { listEvents } from "../../db/repos/accounts.ts";
import { findNotice } from "../../db/repos/notices.ts";
import { listNotifications } from "../../db/repos/notifications.ts";
import { findPost } from "../../db/repos/posts.ts";
import { AppError } from "../../errors.ts";
import { dueReminders } from "../notifications/reminders.ts";
import { approvePost } from "../posts/decide.ts";
import { recordPublishing, reschedulePost } from "../posts/publishing.ts";
import { draftAnnouncementPost } from "../posts/publishing-drafts.ts";
import { submitPost } from "../posts/submit.ts";
import { accountNotices } from "./read.ts";
import { requestNotice } from "./request.ts";
import { scheduleAnnouncement } from "./steps.ts";

let app: TestApp;
let org: TestOrg;

before(async () => {
  app = await testApp({ start: "2026-01-15T01:00:00Z" });
  org = await seedOrg(app.ctx);
});
after(() => app.close());

/** A change of an active 広報 account, confirmed by the policy director and scheduled. */
async function scheduledChange(announcementDate: string, effectiveDate: string) {
  app.clock.set("2026-01-15T01:00:00Z");
  const account = await seedKouhouAccount(app.ctx, org, {
    handle: `iwaki_sns${Math.floor(Math.random() * 1e6)}`,
  });
  const n = await requestNotice(app.ctx, {
    actor: org.actors.kouhouManager,
    accountId: account.id,
    input: { kind: "change", effectiveDate, reason: "名称変更のため", alias: "いわき広報" },
  });
  await policyConfirmed(app, org, n.id);
  await scheduleAnnouncement(app.ctx, {
    actor: org.actors.kouhouManager,
    noticeId: n.id,
    input: { announcementDate },
  });
  return { account, noticeId: n.id };
}

/** Drafts, submits and approves the announcement post; returns its id. */
async function approvedAnnouncement(noticeId: number): Promise<number> {
  const { postId } = await draftAnnouncementPost(app.ctx, { actor: org.actors.kouhouStaff, noticeId });
  await submitPost(app.ctx, { actor: org.actors.kouhouStaff, id: postId, input: { version: 1 } });
  await approvePost(app.ctx, { actor: org.actors.kouhouManager, id: postId, input: { version: 1 } });
  return postId;
}

test("the announcement post is drafted once the announcement is scheduled, for 9:00 on its date, and linked", async () => {
  const { noticeId } = await scheduledChange("2026-01-31", "2026-03-01");
  const { postId, created } = await draftAnnouncementPost(app.ctx, {
    actor: org.actors.kouhouStaff,
    noticeId,
  });
  assert.ok(created);
  const post = await findPost(app.ctx.db, postId);
  assert.equal(post?.scheduledAt?.toISOString(), "2026-01-31T00:00:00.000Z", "9:00 in Tokyo");
  assert.equal((await findNotice(app.ctx.db, noticeId))?.announcementPostId, postId);
  const again = await draftAnnouncementPost(app.ctx, { actor: org.actors.kouhouStaff, noticeId });
  assert.deepEqual(again, { postId, created: false }, "one post per notice");
});

test("an announcement post cannot be rescheduled after the latest announcement date (4.5.2)", async () => {
  const { noticeId } = await scheduledChange("2026-01-20", "2026-03-01");
  const postId = await approvedAnnouncement(noticeId);
  await assert.rejects(
    reschedulePost(app.ctx, {
      actor: org.actors.kouhouStaff,
      postId,
      input: { scheduledAt: "2026-02-01T09:00" },
    }),
    (e: unknown) =>
      e instanceof AppError &&
      e.status === 422 &&
      /令和8年（2026年）1月31日（土）までに発信するよう予約してください/.test(e.message),
  );
  const moved = await reschedulePost(app.ctx, {
    actor: org.actors.kouhouStaff,
    postId,
    input: { scheduledAt: "2026-01-31T09:00" },
  });
  assert.equal(moved.scheduledAt?.toISOString(), "2026-01-31T00:00:00.000Z");
});

test("a publication later than the latest date is recorded as it happened and flagged to the manager and the policy director", async () => {
  const { account, noticeId } = await scheduledChange("2026-01-20", "2026-03-01");
  const postId = await approvedAnnouncement(noticeId);
  app.clock.set("2026-02-02T03:00:00Z");
  await recordPublishing(app.ctx, {
    actor: org.actors.kouhouStaff,
    postId,
    input: { url: `https://x.com/${account.handle}/status/1`, publishedAt: "2026-02-02T10:00" },
  });
  const notice = await findNotice(app.ctx.db, noticeId);
  assert.equal(notice?.snsPublishedAt?.toISOString(), "2026-02-02T01:00:00.000Z", "the real time is kept");
  assert.equal(notice?.snsPublishedUrl, `https://x.com/${account.handle}/status/1`);
  const page = await accountNotices(app.ctx, { actor: org.actors.kouhouManager, accountId: account.id });
  const sns = page.entries.find((e) => e.notice.id === noticeId)?.checklist.find((i) => i.key === "sns");
  assert.equal(sns?.state, "late");
  assert.match(sns?.detail ?? "", /期限の令和8年（2026年）1月31日（土）を過ぎています/);
  const events = (await listEvents(app.ctx.db, account.id)).map((e) => e.kind);
  assert.ok(events.includes("sns_announced_late"));
  for (const staffId of [org.staff.kouhouManager.id, org.staff.policyDirector.id]) {
    const { items } = await listNotifications(app.ctx.db, staffId, {
      unreadOnly: true,
      limit: 50,
      offset: 0,
    });
    assert.ok(
      items.some((n) => n.title.startsWith("アカウントでの周知が期限を過ぎていました")),
      `staff ${staffId} is told`,
    );
  }
});

test("a publication on time completes the account's part of the announcement", async () => {
  const { account, noticeId } = await scheduledChange("2026-01-20", "2026-03-01");
  const postId = await approvedAnnouncement(noticeId);
  app.clock.set("2026-01-20T03:00:00Z");
  await recordPublishing(app.ctx, {
    actor: org.actors.kouhouStaff,
    postId,
    input: { url: `https://x.com/${account.handle}/status/2` },
  });
  const page = await accountNotices(app.ctx, { actor: org.actors.kouhouManager, accountId: account.id });
  const sns = page.entries.find((e) => e.notice.id === noticeId)?.checklist.find((i) => i.key === "sns");
  assert.equal(sns?.state, "done");
  assert.match(sns?.detail ?? "", /令和8年（2026年）1月20日（火） 告知投稿を発信/);
});

test("the manager is reminded to announce on the account before the latest date, and before the change notice may come off", async () => {
  const { noticeId } = await scheduledChange("2026-01-20", "2026-03-01");
  const keys = async () =>
    (await dueReminders(app.ctx, ["notices"]))
      .map((r) => r.dedupeKey)
      .filter((k) => k.startsWith(`notice:${noticeId}:`));
  app.clock.set("2026-01-28T01:00:00Z");
  assert.ok((await keys()).includes(`notice:${noticeId}:sns-by`), "three days before 31 January");
  app.clock.set("2026-02-01T01:00:00Z");
  assert.ok((await keys()).includes(`notice:${noticeId}:sns-missed`), "and when it was missed");
});
