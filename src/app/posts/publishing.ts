/**
 * The publishing record: when an approved post goes out, its operator (or the account manager)
 * records the published URL and the time (manual publishing is the default: many cities post
 * from the platform's own app); a post published first under 5.1.4 ①–④ gets its URL recorded
 * afterwards. The record is a 公文書, so the system checks what it can before keeping it: the time
 * lies between the approval (for a post-hoc post: the save of the version that went out, or the
 * confirmation given on the spot) and now, and not before an embargo (5.2.2.2); the URL is a post
 * of this account on its platform (domain/platforms.ts). From then on the post is read-only; a
 * wrong record is corrected by the account manager with a reason, keeping the earlier values
 * (publishing-correct.ts). Its removal from the platform is recorded with a reason. The operator
 * may also move the schedule time of an approved post. For an account connected to its platform
 * the publisher (app/publishing/sender.ts) sends the post and records it here with the platform's
 * own URL and time, through the same checks.
 */
import { z } from "zod";
import type { Db } from "../../db/client.ts";
import { findAccount } from "../../db/repos/accounts.ts";
import {
  listVersions,
  lockPost,
  type Post,
  type PostValues,
  type PostView,
  updatePost,
} from "../../db/repos/posts.ts";
import { POST_CORRECTION, PUBLISH_REMINDER } from "../../db/repos/publishing.ts";
import type { AuditAction } from "../../domain/audit-actions.ts";
import { formatDateTime } from "../../domain/dates.ts";
import { checkPostUrl, postUrlRequired } from "../../domain/platforms.ts";
import { isPostHoc, nextPostStatus, type PostStatus } from "../../domain/posts.ts";
import { type Bound, placeInWindow } from "../../domain/time-window.ts";
import { conflict, type FieldIssue, notFound, validation } from "../../errors.ts";
import { guidelinePack } from "../../guideline/pack.ts";
import { change } from "../audit/record.ts";
import { type Actor, type AppContext, actorId } from "../context.ts";
import { tokyoDateTime } from "../credentials/rules.ts";
import { announcementScheduleProblem, noteAnnouncementPublished } from "../notices/sns.ts";
import { noteTakedown, type Takedown, takeDownOnPlatform } from "../publishing/takedown.ts";
import { flag, parse, text } from "../validate.ts";
import { authorizeOnPost, getPost } from "./access.ts";
import { platformOf } from "./publishing-rules.ts";
import { closePostTasks } from "./publishing-tasks.ts";
import { placed } from "./recorded-time.ts";

/** An optional date and time (「2026-04-01T09:30」 in Tokyo time, or ISO 8601); "" means none. */
export const optionalDateTime = (label: string) =>
  z.preprocess((v) => (v === "" || v === null ? undefined : v), tokyoDateTime(label).optional());

/** An optional URL field: "" or null means none was given. */
const optionalUrl = z.preprocess(
  (v) => (v === "" || v === null ? undefined : v),
  text("発信した投稿のURL", 2000).optional(),
);

export const publishInput = z.object({
  url: optionalUrl,
  publishedAt: optionalDateTime("発信した日時"),
});

export const deletionInput = z.object({
  reason: text("削除した理由", 1000),
  deletedAt: optionalDateTime("削除した日時"),
  /** For a post sent through a connection: it was deleted on the platform's own screen instead. */
  deletedManually: flag(),
});

export const scheduleInput = z.object({
  scheduledAt: optionalDateTime("予約日時"),
});

/** Why a post in `status` cannot be recorded as published, in Japanese. */
export function unpublishableReason(status: PostStatus): string {
  switch (status) {
    case "draft":
    case "pending":
    case "returned":
      return "この投稿はまだ承認されていません。アカウント管理者の許可を得てから発信してください（第5-1(4)）。";
    case "rejected":
      return "却下された投稿は発信できません。";
    case "published":
      return "この投稿は発信済みとして記録されています。発信済みの投稿は変更できません。記録に誤りがある場合は、アカウント管理者が理由を添えて訂正できます。";
    case "deleted":
      return "この投稿はプラットフォームから削除済みとして記録されています。";
    case "approved":
      return "";
  }
}

const approvalWhat: Record<string, string> = {
  verbal: "口頭での承認",
  scope: "範囲の許可による承認",
  on_the_spot: "その場での確認",
};

/**
 * The event a publication of the post cannot precede: its approval (the verbal approval's time,
 * the approval under a scope at submission); for a post published first under 5.1.4 ①–④, the
 * confirmation given on the spot when there was one, otherwise the save of the version that went
 * out (there is no decision before a post-hoc post goes out).
 */
export async function publicationEarliest(db: Db, post: Post): Promise<Bound> {
  if (post.approvalRule === "post_hoc") {
    if (post.approvedAt && post.approvedBy !== null)
      return { at: post.approvedAt, what: approvalWhat.on_the_spot ?? "" };
    const version = post.approvedVersion ?? post.version;
    const saved = (await listVersions(db, post.id)).find((v) => v.version === version);
    return { at: saved?.at ?? post.createdAt, what: `発信した第${version}版の保存` };
  }
  const what = (post.approvalRule && approvalWhat[post.approvalRule]) ?? "承認";
  return { at: post.approvedAt ?? post.submittedAt ?? post.createdAt, what };
}

/** The URL as kept (null: none, where a post has none), or the problem with it on the `url` field. */
function postUrlOrIssue(
  account: { platform: string; url: string; handle: string },
  raw: string | undefined,
): { url: string | null } | { issue: FieldIssue } {
  const platform = platformOf(account.platform);
  if (raw === undefined) {
    if (!postUrlRequired(platform)) return { url: null };
    return { issue: { field: "url", message: "発信した投稿のURLを入力してください。" } };
  }
  const check = checkPostUrl(guidelinePack(), { ...account, platform }, raw);
  return check.ok ? { url: check.url } : { issue: { field: "url", message: check.message } };
}

/** The URL as kept, after checking it is a post of the account (null: none, where none exists). */
export function checkedPostUrl(
  account: { platform: string; url: string; handle: string },
  raw: string | undefined,
): string | null {
  const result = postUrlOrIssue(account, raw);
  if ("issue" in result) throw validation(result.issue.message, [result.issue]);
  return result.url;
}

/**
 * The URL and the time checked together before the transaction, so a form shows every problem at
 * once (the time is placed again in the transaction, against the locked post).
 */
export async function precheckRecord(
  ctx: AppContext,
  post: Post,
  account: { platform: string; url: string; handle: string },
  input: { url?: string | undefined; publishedAt?: Date | undefined },
  urlGiven: boolean,
): Promise<string | null | undefined> {
  const issues: FieldIssue[] = [];
  let url: string | null | undefined;
  if (urlGiven) {
    const result = postUrlOrIssue(account, input.url);
    if ("issue" in result) issues.push(result.issue);
    else url = result.url;
  }
  if (input.publishedAt) {
    const earliest = await publicationEarliest(ctx.db, post);
    const latest = post.deletedAt ? { at: post.deletedAt, what: "削除" } : null;
    const result = placeInWindow(input.publishedAt, {
      label: "発信した日時",
      earliest,
      latest,
      now: ctx.clock.now(),
    });
    if (!result.ok) issues.push({ field: "publishedAt", message: result.message });
  }
  const [first] = issues;
  if (first) throw validation(first.message, issues);
  return url;
}

/** 5.2.2.2: 公表が決定されていない情報 — nothing goes out before its embargo. */
export function assertAfterEmbargo(post: Post, publishedAt: Date): void {
  if (post.embargoUntil && publishedAt.getTime() < post.embargoUntil.getTime()) {
    const message = `この投稿は${formatDateTime(post.embargoUntil)}まで公表できません（第5-2(2)②）。発信した日時を確認してください。`;
    throw validation(message, [{ field: "publishedAt", message }]);
  }
}

/**
 * The post whose publishing the actor records (they see it and may do `action`) and the input
 * parsed against `schema`, checked in that order.
 */
export async function postToRecord<S extends z.ZodType>(
  ctx: AppContext,
  props: { actor: Actor; postId: number; input: unknown },
  schema: S,
  action: "post.publish_record" | "post.publish_correct" = "post.publish_record",
): Promise<{ post: PostView; input: z.output<S> }> {
  const post = await getPost(ctx, { actor: props.actor, id: props.postId });
  await authorizeOnPost(ctx, props.actor, action, post);
  return { post, input: parse(schema, props.input) };
}

/** Runs `work` on the locked post in one audited change targeting the post; returns the updated post. */
export function changeLockedPost(
  ctx: AppContext,
  actor: Actor,
  action: AuditAction,
  postId: number,
  work: (tx: Db, at: Date, current: Post) => Promise<{ updated: Post; summary: Record<string, unknown> }>,
): Promise<Post> {
  return change(ctx, actor, action, async (tx, at) => {
    const current = await lockPost(tx, postId);
    if (!current) throw notFound("投稿");
    const { updated, summary } = await work(tx, at, current);
    return { result: updated, target: { type: "post", id: updated.id }, summary };
  });
}

/**
 * Records that a post went out: the URL of the post on the account's platform (this account's,
 * where the URL names the account; none for a LINE message, which has no public URL) and the
 * time (default now; between the approval and now, not before an embargo, 5.2.2.2). An approved
 * post becomes 発信済; a post published under 5.1.4 ①–④ without a URL gets its URL. The reminder
 * of the post closes, and a published correction closes the correction tasks of the post it
 * corrects (5.3.2).
 * @param props.input `{ url, publishedAt? }` from a form or JSON
 * @param props.fromPlatform when the publisher sent the post: marks its outbox row recorded in
 *   the same transaction and returns what goes into the audit entry as `platform`
 */
export async function recordPublishing(
  ctx: AppContext,
  props: {
    actor: Actor;
    postId: number;
    input: unknown;
    fromPlatform?: (tx: Db, at: Date) => Promise<Record<string, unknown>>;
  },
): Promise<Post> {
  const { actor } = props;
  const { post, input } = await postToRecord(ctx, props, publishInput);
  const account = await findAccount(ctx.db, post.accountId);
  if (!account) throw notFound("アカウント");
  const url = (await precheckRecord(ctx, post, account, input, true)) ?? null;
  return changeLockedPost(ctx, actor, "post.publish", post.id, async (tx, at, current) => {
    let values: PostValues;
    const earliest = await publicationEarliest(tx, current);
    const when = (value: Date) => placed("publishedAt", "発信した日時", value, { earliest, now: at });
    if (current.status === "approved") {
      if (current.approvedVersion !== null && current.approvedVersion !== current.version)
        throw conflict("承認後に内容が変わっています。もう一度承認を得てから発信してください（第5-1(4)）。");
      const publishedAt = input.publishedAt ? when(input.publishedAt) : at;
      assertAfterEmbargo(current, publishedAt);
      values = {
        status: nextPostStatus(current.status, "publish") ?? "published",
        publishedAt,
        publishedUrl: url,
        publishedBy: actorId(actor),
      };
    } else if (
      current.status === "published" &&
      current.publishedUrl === null &&
      url !== null &&
      isPostHoc(current.category)
    ) {
      // 5.1.4 ①–④: published first; the URL is recorded afterwards.
      const publishedAt = input.publishedAt ? when(input.publishedAt) : (current.publishedAt ?? at);
      assertAfterEmbargo(current, publishedAt);
      values = { publishedUrl: url, publishedAt, publishedBy: current.publishedBy ?? actorId(actor) };
    } else {
      throw conflict(unpublishableReason(current.status) || "この投稿の発信は記録できません。");
    }
    const updated = await updatePost(tx, current.id, values, at);
    // 4.5.2: the announcement post of a change or closure is that notice's publication on the account.
    const announcement = await noteAnnouncementPublished(ctx, tx, updated, at);
    const reminders = await closePostTasks(tx, {
      kind: PUBLISH_REMINDER,
      postId: current.id,
      status: "done",
      doneBy: actorId(actor),
      at,
      resolution: { publishedUrl: url },
    });
    const corrections =
      updated.kind === "correction" && updated.correctsPostId !== null
        ? await closePostTasks(tx, {
            kind: POST_CORRECTION,
            postId: updated.correctsPostId,
            status: "done",
            doneBy: actorId(actor),
            at,
            resolution: { correctionPostId: updated.id, publishedUrl: url },
          })
        : [];
    const movedTime =
      current.publishedAt !== null && current.publishedAt.getTime() !== updated.publishedAt?.getTime();
    const platform = props.fromPlatform ? await props.fromPlatform(tx, at) : undefined;
    return {
      updated,
      summary: {
        ...(platform ? { platform } : {}),
        status: { before: current.status, after: updated.status },
        publishedUrl: url,
        publishedAt: updated.publishedAt?.toISOString() ?? null,
        ...(movedTime ? { publishedAtBefore: current.publishedAt?.toISOString() ?? null } : {}),
        ...(input.publishedAt && updated.publishedAt?.getTime() !== input.publishedAt.getTime()
          ? { publishedAtGiven: input.publishedAt.toISOString() }
          : {}),
        earliest: { what: earliest.what, at: earliest.at.toISOString() },
        closedTaskIds: [...reminders, ...corrections],
        ...(updated.correctsPostId !== null ? { correctsPostId: updated.correctsPostId } : {}),
        ...(announcement ? { announcement } : {}),
      },
    };
  });
}

/**
 * Records that a published post was removed from the platform, with the reason and the time
 * (default now; between the publication and now). The record of the post stays. A post that went
 * out through a connection is deleted on the platform through it first, and the platform's
 * answer is recorded (unless `deletedManually`: deleted on the platform's own screen).
 * @param props.input `{ reason, deletedAt?, deletedManually? }`
 * @param props.takedown the platform's answer when the caller took the post down already (the
 *   incident's containment step, which runs this inside its own transaction); null: none
 */
export async function recordDeletion(
  ctx: AppContext,
  props: { actor: Actor; postId: number; input: unknown; takedown?: Takedown | null },
): Promise<Post> {
  const { actor } = props;
  const { post, input } = await postToRecord(ctx, props, deletionInput);
  if (post.status !== "published" && post.status !== "deleted")
    throw conflict("発信済みの投稿だけを、プラットフォームから削除したものとして記録できます。");
  const takedown =
    props.takedown === undefined
      ? post.status === "published"
        ? await takeDownOnPlatform(ctx, post.id, input.deletedManually)
        : null
      : props.takedown;
  return changeLockedPost(ctx, actor, "post.delete", post.id, async (tx, at, current) => {
    const next = nextPostStatus(current.status, "delete");
    if (!next) {
      throw conflict(
        current.status === "deleted"
          ? "この投稿は既に削除済みとして記録されています。"
          : "発信済みの投稿だけを、プラットフォームから削除したものとして記録できます。",
      );
    }
    const earliest = current.publishedAt ? { at: current.publishedAt, what: "発信" } : null;
    const deletedAt = input.deletedAt
      ? placed("deletedAt", "削除した日時", input.deletedAt, { earliest, now: at })
      : at;
    const updated = await updatePost(
      tx,
      current.id,
      { status: next, deletedAt, deletedReason: input.reason },
      at,
    );
    const platform = takedown ? await noteTakedown(tx, takedown, at) : undefined;
    return {
      updated,
      summary: {
        status: { before: current.status, after: next },
        deletedAt: deletedAt.toISOString(),
        reason: input.reason,
        ...(platform ? { platform } : input.deletedManually ? { deletedManually: true } : {}),
      },
    };
  });
}

/**
 * Sets or clears the schedule time of an approved post (not in the past, not before its
 * embargo, 5.2.2.2). The content does not change, so the approval stands; a reminder already
 * opened for the old time is withdrawn and a new one opens at the new time.
 * @param props.input `{ scheduledAt? }` — empty clears it
 */
export async function reschedulePost(
  ctx: AppContext,
  props: { actor: Actor; postId: number; input: unknown },
): Promise<Post> {
  const { actor } = props;
  const { post, input } = await postToRecord(ctx, props, scheduleInput);
  return changeLockedPost(ctx, actor, "post.reschedule", post.id, async (tx, at, current) => {
    if (current.status !== "approved")
      throw conflict("予約日時をここで変更できるのは、承認済みで未発信の投稿だけです。");
    const scheduledAt = input.scheduledAt ?? null;
    // The form has minute precision: the current minute still counts as now.
    if (scheduledAt && scheduledAt.getTime() < at.getTime() - 60_000) {
      const message = "予約日時には、現在より後の日時を入力してください。";
      throw validation(message, [{ field: "scheduledAt", message }]);
    }
    if (scheduledAt && current.embargoUntil && scheduledAt.getTime() < current.embargoUntil.getTime()) {
      const message = `この投稿は${formatDateTime(current.embargoUntil)}まで公表できません（第5-2(2)②）。それ以降の日時を予約してください。`;
      throw validation(message, [{ field: "scheduledAt", message }]);
    }
    // 4.5.2: an announcement post goes out at least a month before the change it announces.
    const late = await announcementScheduleProblem(tx, current.id, scheduledAt);
    if (late) throw validation(late, [{ field: "scheduledAt", message: late }]);
    const updated = await updatePost(tx, current.id, { scheduledAt }, at);
    const withdrawn = await closePostTasks(tx, {
      kind: PUBLISH_REMINDER,
      postId: current.id,
      status: "cancelled",
      doneBy: actorId(actor),
      at,
      resolution: { reason: "rescheduled", scheduledAt: scheduledAt?.toISOString() ?? null },
    });
    return {
      updated,
      summary: {
        scheduledAt: {
          before: current.scheduledAt?.toISOString() ?? null,
          after: scheduledAt?.toISOString() ?? null,
        },
        withdrawnTaskIds: withdrawn,
      },
    };
  });
}
