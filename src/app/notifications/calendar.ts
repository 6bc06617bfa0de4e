/**
 * The personal iCalendar feed (/calendar/{token}.ics): a person subscribes to it in Outlook and
 * sees their due dates — open tasks assigned to them, posts waiting for their approval with a
 * schedule time, post-hoc reports to acknowledge (5.1.4), the notice dates of accounts they manage
 * (4.5.2), media-policy reviews (4.2.3), scheduled posts they wrote, and incident steps they own.
 * The token in the address is the only credential: 256 random bits, stored as SHA-256, one per
 * person, created or replaced on the notification settings page and revocable there.
 */
import * as repo from "../../db/repos/notifications.ts";
import { versionAuthorsOf } from "../../db/repos/post-queues.ts";
import { formatDateTime, tokyoDate } from "../../domain/dates.ts";
import { latestAnnouncementDate } from "../../domain/deadlines.ts";
import { isNoticeKind, noticeKindLabels } from "../../domain/notices.ts";
import { postWriters } from "../../domain/posts.ts";
import { guidelinePack } from "../../guideline/pack.ts";
import { change } from "../audit/record.ts";
import { newToken, tokenHash } from "../auth/sessions.ts";
import type { AppContext, StaffActor } from "../context.ts";
import { type CalendarEvent, renderCalendar } from "./ical.ts";

const TOKEN_PREFIX = "sgc_";

/** The address of a feed. */
export function calendarUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/calendar/${token}.ics`;
}

/** When the person's current feed address was made, or null when they have none. */
export async function calendarFeedStatus(
  ctx: AppContext,
  props: { actor: StaffActor },
): Promise<{ createdAt: Date } | null> {
  return (await repo.findCalendarToken(ctx.db, props.actor.staffId)) ?? null;
}

/**
 * Creates the person's feed address, replacing (and so disabling) any earlier one; the address is
 * returned once and never shown again.
 */
export async function issueCalendarFeed(
  ctx: AppContext,
  props: { actor: StaffActor },
): Promise<{ url: string; token: string }> {
  const token = newToken(TOKEN_PREFIX);
  const replaced = await change(ctx, props.actor, "calendar_feed.issue", async (tx, at) => {
    const before = await repo.findCalendarToken(tx, props.actor.staffId);
    await repo.putCalendarToken(tx, props.actor.staffId, tokenHash(token), at);
    return {
      result: before !== undefined,
      target: { type: "staff", id: props.actor.staffId },
      summary: { replaced: before !== undefined },
    };
  });
  ctx.log.info("calendar feed issued", { staff: props.actor.staffId, replaced });
  return { url: calendarUrl(ctx.config.publicUrl, token), token };
}

/** Disables the person's feed address; false when they had none. */
export async function revokeCalendarFeed(ctx: AppContext, props: { actor: StaffActor }): Promise<boolean> {
  const existing = await repo.findCalendarToken(ctx.db, props.actor.staffId);
  if (!existing) return false;
  return change(ctx, props.actor, "calendar_feed.revoke", async (tx) => {
    const removed = await repo.deleteCalendarToken(tx, props.actor.staffId);
    return { result: removed, target: { type: "staff", id: props.actor.staffId }, summary: { removed } };
  });
}

/** The iCalendar text of the feed a token opens, or undefined (unknown or revoked token, inactive person). */
export async function calendarFeed(ctx: AppContext, token: string): Promise<string | undefined> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return undefined;
  const person = await repo.staffByCalendarToken(ctx.db, tokenHash(token));
  if (!person) return undefined;
  const now = ctx.clock.now();
  const events = await dueDatesOf(ctx, person.id, now);
  return renderCalendar({ name: `snsgov 期限（${person.name}）`, events, now });
}

/** Every due date of a person as calendar events. */
export async function dueDatesOf(ctx: AppContext, staffId: number, now: Date): Promise<CalendarEvent[]> {
  const base = ctx.config.publicUrl;
  const host = new URL(base).host;
  const uid = (what: string) => `${what}@${host}`;
  const today = tokyoDate(now);
  const [taskRows, approvals, reports, notices, scheduled, steps, reviews] = await Promise.all([
    repo.openTasksDue(ctx.db, { assigneeId: staffId }),
    repo.pendingPosts(ctx.db, { managerId: staffId }),
    repo.unacknowledgedReports(ctx.db, { managerId: staffId }),
    repo.openNotices(ctx.db, { today, managerId: staffId }),
    repo.scheduledPostsBy(ctx.db, staffId),
    repo.dueIncidentSteps(ctx.db, { ownerId: staffId }),
    repo.policyReviewsOf(ctx.db, staffId),
  ]);
  // 5.1.4: nobody decides on a post they wrote part of (any version, or published post-hoc).
  const authors = await versionAuthorsOf(
    ctx.db,
    [...approvals, ...reports].map((p) => p.id),
  );
  const wrote = (p: {
    id: number;
    authorId: number;
    approvalRule?: string | null;
    publishedBy?: number | null;
  }) =>
    postWriters(
      { authorId: p.authorId, approvalRule: p.approvalRule ?? null, publishedBy: p.publishedBy ?? null },
      authors.get(p.id) ?? [],
    ).has(staffId);
  const events: CalendarEvent[] = [];
  for (const t of taskRows) {
    const on = t.accountName && !t.title.includes(t.accountName) ? `（${t.accountName}）` : "";
    events.push({
      uid: uid(`task-${t.id}`),
      summary: `【期限】${t.title}${on}`,
      description: "snsgov のタスクの期限です。",
      url: `${base}/tasks/${t.id}`,
      when: { date: t.dueDate },
      categories: ["snsgov"],
    });
  }
  for (const p of approvals) {
    if (!p.scheduledAt || wrote(p)) continue;
    events.push({
      uid: uid(`post-${p.id}-approval`),
      summary: `【承認待ち】投稿の予定時刻（${p.accountName}）`,
      description: `${p.authorName}さんが作成した投稿が承認を待っています。予定時刻までに承認してください（第5-1(4)）。`,
      url: `${base}/posts/${p.id}`,
      when: { at: p.scheduledAt },
      categories: ["snsgov"],
    });
  }
  for (const r of reports) {
    if (wrote(r)) continue;
    events.push({
      uid: uid(`post-${r.id}-report`),
      summary: `【期限】事後報告の確認（${r.accountName}）`,
      description: `確認の期限（この市の設定）は${formatDateTime(r.reportDueAt)}です（事後報告: 第5-1(4)）。`,
      url: `${base}/posts/${r.id}`,
      when: { at: r.reportDueAt },
      categories: ["snsgov"],
    });
  }
  const months = guidelinePack().deadlines.noticeMinMonths;
  for (const n of notices) {
    const what = `「${n.accountName}」の${isNoticeKind(n.kind) ? noticeKindLabels[n.kind] : "変更"}`;
    const href = `${base}/accounts/${n.accountId}/notices`;
    if (n.announcementDate) {
      events.push({
        uid: uid(`notice-${n.id}-announce`),
        summary: `${what}の周知開始日`,
        description: "公開ページとアカウントでの周知が始まる日です（第4-5(2)）。",
        url: href,
        when: { date: n.announcementDate },
        categories: ["snsgov"],
      });
    } else if (n.status === "requested" || n.status === "notified") {
      events.push({
        uid: uid(`notice-${n.id}-announce-by`),
        summary: `【期限】${what}の周知開始`,
        description: "効力発生日の一月以上前に周知を始める必要があります（第4-5(2)）。",
        url: href,
        when: { date: latestAnnouncementDate(n.effectiveDate, months) },
        categories: ["snsgov"],
      });
    }
    events.push({
      uid: uid(`notice-${n.id}-effective`),
      summary: `${what}の効力発生日`,
      url: href,
      when: { date: n.effectiveDate },
      categories: ["snsgov"],
    });
    if (n.displayUntil) {
      events.push({
        uid: uid(`notice-${n.id}-display`),
        summary: `${what}のお知らせの掲載終了日`,
        description: "この日まで公開ページにお知らせが掲載されます（第4-5(2)）。",
        url: href,
        when: { date: n.displayUntil },
        categories: ["snsgov"],
      });
    }
  }
  for (const p of scheduled) {
    events.push({
      uid: uid(`post-${p.id}-scheduled`),
      summary: `${p.status === "pending" ? "【承認待ち】" : ""}投稿の予定時刻（${p.accountName}）`,
      description: "あなたが作成した投稿の予定時刻です。投稿したら snsgov に記録してください。",
      url: `${base}/posts/${p.id}`,
      when: { at: p.scheduledAt },
      categories: ["snsgov"],
    });
  }
  for (const s of steps) {
    events.push({
      uid: uid(`incident-step-${s.id}`),
      summary: `【インシデント】${s.title}（${s.incidentTitle}）`,
      url: `${base}/incidents/${s.incidentId}`,
      when: { at: s.dueAt },
      categories: ["snsgov"],
    });
  }
  // A review whose task is open is on the calendar already, as the task.
  const reviewTasks = new Set(taskRows.filter((t) => t.kind === "policy_review").map((t) => t.accountId));
  for (const r of reviews) {
    if (reviewTasks.has(r.accountId)) continue;
    events.push({
      uid: uid(`policy-review-${r.accountId}-${r.reviewDue}`),
      summary: `メディアポリシーの見直し期限（${r.accountName}）`,
      description: "メディアポリシーを見直し、必要に応じて改定してください（第4-2(3)）。",
      url: `${base}/accounts/${r.accountId}/policy`,
      when: { date: r.reviewDue },
      categories: ["snsgov"],
    });
  }
  return events;
}
