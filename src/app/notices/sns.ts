/**
 * 4.5.2 on the social-media side: the change or closure is announced on the account itself, at
 * least one month before it takes effect (counted as the Civil Code counts, like the public
 * page), and after a change the notice stays on the account for about a year.
 * - The announcement post drafted from the notice is linked to it; scheduling that post after
 *   the latest allowed date is refused, and its publishing record is copied onto the notice and
 *   checked against that date: a late publication is recorded as it happened and flagged (the
 *   manager and the policy director are told).
 * - When a change takes effect, the manager gets a task to keep the notice on the account (a
 *   pinned post or a line in the profile) until the end of its public window; it can be closed
 *   only once that day has passed, and is reminded before.
 */
import { z } from "zod";
import type { Db } from "../../db/client.ts";
import { findAccount, insertEvent } from "../../db/repos/accounts.ts";
import {
  keepTaskKind,
  lockNotice,
  lockNoticeOfPost,
  lockOpenKeepTask,
  type Notice,
  updateNotice,
} from "../../db/repos/notices.ts";
import { closeTask, openTask } from "../../db/repos/tasks.ts";
import { clauseRef } from "../../domain/clauses.ts";
import { addDays, formatDate, tokyoDate } from "../../domain/dates.ts";
import { latestAnnouncementDate } from "../../domain/deadlines.ts";
import { noticeKindLabels, snsLateProblem, snsScheduleProblem } from "../../domain/notices.ts";
import { conflict, notFound, validation } from "../../errors.ts";
import { guidelinePack } from "../../guideline/pack.ts";
import { change } from "../audit/record.ts";
import type { Actor, AppContext } from "../context.ts";
import { notify } from "../notifications/notify.ts";
import { holdersOf } from "../staff/role-grants.ts";
import { optionalText, parse } from "../validate.ts";
import { manageableNotice } from "./access.ts";

const months = () => guidelinePack().deadlines.noticeMinMonths;

/** The instant an announcement post is scheduled for by default: 9:00 on the announcement date (Tokyo). */
export function defaultPostTime(announcementDate: string, now: Date): Date | null {
  const at = new Date(`${announcementDate}T09:00:00+09:00`);
  return at.getTime() > now.getTime() ? at : null;
}

/** Links the drafted post to its notice (one audited change). */
export async function linkAnnouncementPost(
  ctx: AppContext,
  props: { actor: Actor; noticeId: number; postId: number },
): Promise<Notice> {
  return change(ctx, props.actor, "notice.link_post", async (tx) => {
    const notice = await lockNotice(tx, props.noticeId);
    if (!notice) throw notFound("変更・廃止の届出");
    const updated = await updateNotice(tx, notice.id, { announcementPostId: props.postId });
    return {
      result: updated,
      target: { type: "account", id: notice.accountId },
      summary: {
        noticeId: notice.id,
        postId: props.postId,
        latestAnnouncementDate: latestAnnouncementDate(notice.effectiveDate, months()),
      },
    };
  });
}

/**
 * Why the announcement post `postId` may not be scheduled at `scheduledAt` (4.5.2), or null when
 * it may (also when the post announces nothing).
 */
export async function announcementScheduleProblem(
  db: Db,
  postId: number,
  scheduledAt: Date | null,
): Promise<string | null> {
  if (!scheduledAt) return null;
  const notice = await lockNoticeOfPost(db, postId);
  if (!notice || notice.status === "cancelled") return null;
  return snsScheduleProblem({
    kind: notice.kind,
    effectiveDate: notice.effectiveDate,
    scheduledOn: tokyoDate(scheduledAt),
    months: months(),
  });
}

/** What recording a post's publication did to the notice it announces. */
export type AnnouncementPublished = {
  noticeId: number;
  publishedOn: string;
  latestOn: string;
  late: boolean;
};

/**
 * Called when a post's publication is recorded, in that transaction: if the post is a notice's
 * announcement, the notice gets its SNS publication (the first one counts) checked against the
 * latest allowed date; a late one is flagged and the manager and the policy director are told.
 */
export async function noteAnnouncementPublished(
  ctx: { clock: { now(): Date } },
  tx: Db,
  post: { id: number; publishedAt: Date | null; publishedUrl: string | null; publishedBy: number | null },
  at: Date,
): Promise<AnnouncementPublished | null> {
  if (!post.publishedAt) return null;
  const notice = await lockNoticeOfPost(tx, post.id);
  if (!notice || notice.status === "cancelled" || notice.snsPublishedAt) return null;
  const publishedOn = tokyoDate(post.publishedAt);
  const latestOn = latestAnnouncementDate(notice.effectiveDate, months());
  const problem = snsLateProblem({
    kind: notice.kind,
    effectiveDate: notice.effectiveDate,
    publishedOn,
    months: months(),
  });
  await updateNotice(tx, notice.id, {
    snsPublishedAt: post.publishedAt,
    snsPublishedUrl: post.publishedUrl,
  });
  await insertEvent(tx, {
    accountId: notice.accountId,
    kind: problem ? "sns_announced_late" : "sns_announced",
    actorId: post.publishedBy,
    comment: problem ?? `${formatDate(publishedOn)} アカウントで周知しました（${post.publishedUrl ?? ""}）。`,
    snapshot: { noticeId: notice.id, postId: post.id, publishedOn, latestOn },
    at,
  });
  if (problem) {
    const account = await findAccount(tx, notice.accountId);
    const directors = await holdersOf(tx, "policy_director", at);
    await notify(ctx, tx, {
      recipientIds: [account?.managerId, ...directors.map((d) => d.id)],
      kind: "notice",
      title: `アカウントでの周知が期限を過ぎていました: 「${account?.name ?? ""}」の${noticeKindLabels[notice.kind]}`,
      body: `${problem}周知の期間を確保できるよう、対応を検討してください。`,
      href: `/accounts/${notice.accountId}/notices#notice-${notice.id}`,
      dedupeKey: `notice:${notice.id}:sns-late`,
    });
  }
  return { noticeId: notice.id, publishedOn, latestOn, late: problem !== null };
}

/**
 * When a change takes effect (in the job's transaction): the task to keep the notice on the
 * account — a pinned post or a line in the profile — until the public window ends (4.5.2 変更後は
 * 両方に１年程度). Due the day after the last day, when it may be removed.
 */
export async function openKeepTask(
  tx: Db,
  props: { notice: Notice; accountName: string; managerId: number | null; at: Date },
): Promise<number | null> {
  const { notice } = props;
  if (notice.kind !== "change" || !notice.displayUntil) return null;
  const existing = await lockOpenKeepTask(tx, notice.id);
  if (existing) return existing.id;
  const task = await openTask(tx, {
    kind: keepTaskKind,
    accountId: notice.accountId,
    assigneeId: props.managerId,
    title: `「${props.accountName}」の変更のお知らせを${formatDate(notice.displayUntil)}まで掲載し続ける（固定投稿またはプロフィール）`,
    clause: "4.5.2",
    dueDate: addDays(notice.displayUntil, 1),
    cause: { noticeId: notice.id },
    openedAt: props.at,
  });
  return task.id;
}

export const keepDoneInput = z.object({
  note: optionalText("メモ", 1000),
});

/**
 * Records that the change notice was taken off the account after its window (4.5.2): refused
 * before the day after the last day, since until then it must stay up.
 */
export async function endKeepPosted(
  ctx: AppContext,
  props: { actor: Actor; noticeId: number; input?: unknown },
) {
  await manageableNotice(ctx, props.actor, props.noticeId);
  const { note } = parse(keepDoneInput, props.input ?? {});
  return change(ctx, props.actor, "notice.keep_done", async (tx, at) => {
    const notice = await lockNotice(tx, props.noticeId);
    if (!notice) throw notFound("変更・廃止の届出");
    const task = await lockOpenKeepTask(tx, notice.id);
    if (!task) throw conflict("このお知らせの掲載は終了を記録済みです。");
    const today = tokyoDate(at);
    const from = task.dueDate ?? today;
    if (today < from) {
      const until = notice.displayUntil ? formatDate(notice.displayUntil) : "";
      const message = `変更のお知らせは${until}まで掲載し続けてください（${clauseRef("4.5.2")} 変更後は１年程度）。${formatDate(from)}から外せます。`;
      throw validation(message, [{ field: "note", message }]);
    }
    const doneBy = props.actor.kind === "staff" ? props.actor.staffId : null;
    await closeTask(tx, task.id, {
      status: "done",
      doneBy,
      doneAt: at,
      resolution: { note, removedOn: today },
    });
    await insertEvent(tx, {
      accountId: notice.accountId,
      kind: "change_notice_removed",
      actorId: doneBy,
      comment: note,
      snapshot: { noticeId: notice.id, taskId: task.id },
      at,
    });
    return {
      result: { taskId: task.id },
      target: { type: "account", id: notice.accountId },
      summary: { noticeId: notice.id, taskId: task.id, removedOn: today, note },
    };
  });
}
