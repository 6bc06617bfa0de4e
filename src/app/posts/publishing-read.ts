/**
 * Reading the publishing side of posts: the record of one post with its corrections (訂正履歴), what
 * the system checks about its URL, and what the person may do next (the panel on the post page),
 * the queue of approved posts by schedule time with the post-hoc
 * posts still missing a URL and the posts waiting for a correction, which posts have a published
 * correction (「訂正あり」 in lists), and whom to tell about a problem with a post (7).
 */

import { findAccount, isOperator } from "../../db/repos/accounts.ts";
import { correctionsOf, type Post, type PostView } from "../../db/repos/posts.ts";
import {
  type AnnouncedNotice,
  announcedWithoutPost,
  approvedQueue,
  awaitingCorrection,
  type PostVisibility,
  PUBLISH_REMINDER,
  type PublishedCorrection,
  type PublishingCorrection,
  postTasks,
  publishedCorrectionsOf,
  publishedWithoutUrl,
  publishingCorrectionsOf,
} from "../../db/repos/publishing.ts";
import { findStaff } from "../../db/repos/staff.ts";
import { tokyoDate } from "../../domain/dates.ts";
import { type PostUrlScope, postUrlNote, postUrlRequired, postUrlScope } from "../../domain/platforms.ts";
import { isPostHoc } from "../../domain/posts.ts";
import type { Bound } from "../../domain/time-window.ts";
import { guidelinePack } from "../../guideline/pack.ts";
import { managedDivisionIds } from "../accounts/health.ts";
import { allowed } from "../authorize.ts";
import type { Actor, AppContext } from "../context.ts";
import { accountTargetFor, getPost } from "./access.ts";
import { publicationEarliest } from "./publishing.ts";
import { platformOf } from "./publishing-rules.ts";

/** Which posts the actor sees in lists (the same rule as `canSeePost`, as a filter). */
export function postVisibility(actor: Actor, today: string): PostVisibility {
  if (actor.kind === "system" || allowed(actor, "post.read_all")) return null;
  const divisionIds = new Set<number>();
  const departmentIds = new Set<number>();
  if (actor.divisionId !== null) divisionIds.add(actor.divisionId);
  for (const g of actor.grants) {
    if (g.role !== "account_manager" && g.role !== "department_head") continue;
    if (g.scope.type === "global") return null;
    if (g.scope.type === "division") divisionIds.add(g.scope.id);
    else departmentIds.add(g.scope.id);
  }
  return { staffId: actor.staffId, divisionIds: [...divisionIds], departmentIds: [...departmentIds], today };
}

/** The published corrections of these posts (「訂正あり」), keyed by the post they correct. */
export async function correctionMarks(
  ctx: AppContext,
  postIds: readonly number[],
): Promise<Map<number, PublishedCorrection[]>> {
  return publishedCorrectionsOf(ctx.db, postIds);
}

/** What the actor may do about the publishing of a post (links and buttons to show). */
export type PublishingActions = {
  /** Record that the approved post went out. */
  recordPublishing: boolean;
  /** Record the URL of a post published first under 5.1.4 ①–④. */
  recordUrl: boolean;
  /** Change the schedule time of the approved post. */
  reschedule: boolean;
  /** Record its removal from the platform. */
  recordDeletion: boolean;
  /** Mark it erroneous (5.3.2). */
  markErroneous: boolean;
  /** Start its correction (5.3.3); the operators of the account. */
  startCorrection: boolean;
  /** Correct the publishing record (time, URL) with a reason; the account manager. */
  correctRecord: boolean;
};

/** The publishing record of one post, as the post page shows it. */
export type PublishingInfo = {
  post: PostView;
  publishedByName: string | null;
  erroneous: {
    at: Date;
    byName: string | null;
    note: string;
    dueAt: Date | null;
    /** A correction has been published since it was marked. */
    answered: boolean;
    overdue: boolean;
  } | null;
  /** Every correction of this post (being written, approved, published). */
  corrections: Post[];
  /** The published corrections: the post shows 「訂正あり」 with a link to the first. */
  published: PublishedCorrection[];
  /** For a correction: the post it corrects. */
  corrects: { id: number; text: string } | null;
  /** The open reminder of the schedule time, if the time has come. */
  reminderOpen: boolean;
  overdueSchedule: boolean;
  actions: PublishingActions;
  /** Corrections of the publishing record (訂正履歴), oldest first. */
  history: PublishingCorrection[];
  /** What the system checks about a post URL of this account, in Japanese. */
  urlNote: string;
  /** Whether the URL names the account (checked) or only the platform (`host`). */
  urlScope: PostUrlScope;
  /** A post of this platform has a public URL to record (not a LINE message). */
  urlRequired: boolean;
  /** The event a publication of this post cannot precede (approval, or for ①–④ the version's save). */
  earliest: Bound | null;
};

async function nameOf(ctx: AppContext, id: number | null): Promise<string | null> {
  if (id === null) return null;
  return (await findStaff(ctx.db, id))?.name ?? null;
}

/**
 * The publishing record of a post the actor may see (404 otherwise) and what they may do next.
 * The post page (`/posts/:id`) shows it with `PublishingPanel`.
 */
export async function publishingInfo(
  ctx: AppContext,
  props: { actor: Actor; postId: number },
): Promise<PublishingInfo> {
  const { actor } = props;
  const post = await getPost(ctx, { actor, id: props.postId });
  const now = ctx.clock.now();
  const target = await accountTargetFor(ctx, actor, post);
  const [publishedByName, erroneousByName, corrections, marks, reminders, original, history, account] =
    await Promise.all([
      nameOf(ctx, post.publishedBy),
      nameOf(ctx, post.erroneousBy),
      correctionsOf(ctx.db, post.id),
      publishedCorrectionsOf(ctx.db, [post.id]),
      postTasks(ctx.db, PUBLISH_REMINDER, post.id),
      post.correctsPostId === null
        ? Promise.resolve(undefined)
        : getPost(ctx, { actor, id: post.correctsPostId }).catch(() => undefined),
      publishingCorrectionsOf(ctx.db, [post.id]),
      findAccount(ctx.db, post.accountId),
    ]);
  const platform = platformOf(post.platform);
  const urlAccount = { platform, url: account?.url ?? "", handle: account?.handle ?? "" };
  const recorded = post.status === "approved" || post.status === "published" || post.status === "deleted";
  const published = marks.get(post.id) ?? [];
  const markedAt = post.erroneousAt;
  const answered =
    markedAt !== null && corrections.some((c) => c.status === "published" && c.createdAt >= markedAt);
  const isOut = post.status === "published" || post.status === "deleted";
  const mayRecord = allowed(actor, "post.publish_record", target);
  const openCorrection = corrections.some((c) =>
    ["draft", "pending", "returned", "approved"].includes(c.status),
  );
  return {
    post,
    publishedByName,
    erroneous: post.erroneousAt
      ? {
          at: post.erroneousAt,
          byName: erroneousByName,
          note: post.erroneousNote ?? "",
          dueAt: post.correctionDueAt,
          answered,
          overdue:
            !answered && post.correctionDueAt !== null && post.correctionDueAt.getTime() < now.getTime(),
        }
      : null,
    corrections,
    published,
    corrects: original ? { id: original.id, text: original.text } : null,
    reminderOpen: reminders.some((t) => t.status === "open"),
    overdueSchedule:
      post.status === "approved" && post.scheduledAt !== null && post.scheduledAt.getTime() <= now.getTime(),
    actions: {
      recordPublishing: mayRecord && post.status === "approved",
      recordUrl:
        mayRecord && post.status === "published" && post.publishedUrl === null && isPostHoc(post.category),
      reschedule: mayRecord && post.status === "approved",
      recordDeletion: mayRecord && post.status === "published",
      markErroneous:
        isOut && allowed(actor, "post.mark_erroneous", target) && (post.erroneousAt === null || answered),
      startCorrection:
        isOut &&
        post.erroneousAt !== null &&
        !answered &&
        allowed(actor, "post.draft", target) &&
        !openCorrection,
      correctRecord: isOut && post.publishedAt !== null && allowed(actor, "post.publish_correct", target),
    },
    history: history.get(post.id) ?? [],
    urlNote: postUrlNote(guidelinePack(), urlAccount),
    urlScope: postUrlScope(platform),
    urlRequired: postUrlRequired(platform),
    earliest: recorded ? await publicationEarliest(ctx.db, post) : null,
  };
}

/** A post in the queue, with whether its schedule time has passed and 「訂正あり」. */
export type QueueItem = PostView & { overdue: boolean; corrected: PublishedCorrection | null };

/** The publishing queue as one person sees it. */
export type PublishingQueue = {
  /** Approved posts with a schedule time, soonest (overdue) first. */
  scheduled: QueueItem[];
  /** Approved posts without a schedule time. */
  unscheduled: QueueItem[];
  /** Published under 5.1.4 ①–④, URL not recorded yet. */
  withoutUrl: QueueItem[];
  /** Marked erroneous, correction not published yet (5.3.2). */
  awaitingCorrection: Array<QueueItem & { correctionOverdue: boolean }>;
  /** Announced changes and closures of my accounts with no post drafted yet (4.5.2). */
  announcements: Array<AnnouncedNotice & { canDraft: boolean }>;
};

/** The publishing queue: what is waiting to go out, to be recorded or to be corrected. */
export async function publishingQueue(ctx: AppContext, props: { actor: Actor }): Promise<PublishingQueue> {
  const { actor } = props;
  const now = ctx.clock.now();
  const visibility = postVisibility(actor, tokyoDate(now));
  const [approved, withoutUrl, waiting] = await Promise.all([
    approvedQueue(ctx.db, visibility),
    publishedWithoutUrl(ctx.db, visibility),
    awaitingCorrection(ctx.db, visibility),
  ]);
  const marks = await publishedCorrectionsOf(
    ctx.db,
    [...approved, ...withoutUrl, ...waiting].map((p) => p.id),
  );
  const item = (p: PostView): QueueItem => ({
    ...p,
    overdue: p.scheduledAt !== null && p.scheduledAt.getTime() <= now.getTime(),
    corrected: marks.get(p.id)?.[0] ?? null,
  });
  let announcements: PublishingQueue["announcements"] = [];
  if (actor.kind === "staff") {
    const notices = await announcedWithoutPost(ctx.db, {
      divisionIds: managedDivisionIds(actor),
      staffId: actor.staffId,
    });
    announcements = await Promise.all(
      notices.map(async (n) => ({ ...n, canDraft: await isOperator(ctx.db, n.accountId, actor.staffId) })),
    );
  }
  return {
    scheduled: approved.filter((p) => p.scheduledAt !== null).map(item),
    unscheduled: approved.filter((p) => p.scheduledAt === null).map(item),
    withoutUrl: withoutUrl.map(item),
    awaitingCorrection: waiting.map((p) => ({
      ...item(p),
      correctionOverdue: p.correctionDueAt !== null && p.correctionDueAt.getTime() < now.getTime(),
    })),
    announcements,
  };
}

/** Whom to tell at once about a problem with a post (7: 直ちにアカウント管理者へ報告). */
export type IncidentContact = {
  post: PostView;
  manager: { name: string; email: string } | null;
};

/** The account manager to report a problem with the post to (the post must be visible). */
export async function incidentContact(
  ctx: AppContext,
  props: { actor: Actor; postId: number },
): Promise<IncidentContact> {
  const post = await getPost(ctx, { actor: props.actor, id: props.postId });
  const manager = post.managerId === null ? undefined : await findStaff(ctx.db, post.managerId);
  return { post, manager: manager?.active ? { name: manager.name, email: manager.email } : null };
}
