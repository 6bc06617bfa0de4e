/**
 * 5.1.4 ただし書 ①–④: in these four cases the operator may publish first and report to the
 * account manager afterwards (事後報告): ① repeating what the city already published, ② an
 * established fact such as a competition result, ③ the text of a law as it is, ④ an urgent
 * notice (disaster, weather, a cancelled performance). Only the prior approval is waived, never
 * the prohibitions of 5.2: the checker runs as the post goes out and its findings are recorded; a
 * warning never blocks (not even an emergency's), but an error needs a justification and a
 * second person who may approve on the account confirming the post on the spot
 * (confirmation.ts). A re-send ① must be the content it repeats (resend.ts); other text needs
 * approval. The manager must acknowledge the report within the pack's business days
 * (`reportBusinessDays`, holidays and closed days not counted).
 */

import type { Db } from "../../db/client.ts";
import type { AccountView } from "../../db/repos/accounts.ts";
import {
  insertDecision,
  listImages,
  listVersions,
  lockPost,
  type Post,
  updatePost,
} from "../../db/repos/posts.ts";
import { clauseRef } from "../../domain/clauses.ts";
import { formatDateTime, tokyoDate } from "../../domain/dates.ts";
import {
  isPostHoc,
  nextPostStatus,
  type PostStatus,
  postCategoryShort,
  postStatusLabels,
  reportDueAt,
} from "../../domain/posts.ts";
import { AppError, conflict, notFound } from "../../errors.ts";
import { guidelinePack } from "../../guideline/pack.ts";
import { change } from "../audit/record.ts";
import { type Actor, type AppContext, actorId } from "../context.ts";
import { parse } from "../validate.ts";
import { checkPost, findingCounts, findingSummary } from "./checking.ts";
import { type Confirmation, hasConfirmation, verifyConfirmation } from "./confirmation.ts";
import { postHocInput } from "./input.ts";
import { assertUnchanged, postFor, refuse, writersOf } from "./posting.ts";
import { type ResendVerdict, resendVerdict } from "./resend.ts";
import { assertNotBlocked } from "./submit.ts";

/** When a report of a post published at `at` must be acknowledged (end of the Tokyo business day). */
export function reportDue(at: Date): Date {
  const pack = guidelinePack().posts;
  return reportDueAt(tokyoDate(at), pack.reportBusinessDays, pack.closedDays);
}

/** Why a post-hoc post with an error finding does not go out alone (5.2, 5.1.4). */
const UNCONFIRMED = `ガイドラインに反するおそれのある指摘（エラー）がある投稿は、事後報告でも一人では発信できません。事後報告で省けるのは事前の許可だけで、${clauseRef("5.2")}の禁止事項はそのまま適用されます。その場でアカウント管理者（またはその日の代理者）に内容を確認してもらい、確認した方と日時を入力するか、修正するか、承認を申請してください（${clauseRef("5.1.4")}）。`;

/** What the rules say about publishing this post at once, as it stands. */
type Gate = {
  status: PostStatus;
  resend: ResendVerdict | null;
  result: Awaited<ReturnType<typeof checkPost>>;
  errorCount: number;
  warningCount: number;
};

/**
 * The rules in order: a post-hoc category; for ① the source and the text; a status that may
 * go out; the checker's run as it goes out now (an embargo in the future applies, whatever
 * the schedule said).
 * @throws 409 for a normal post, a re-send whose text is not its source's, or a status that
 *   cannot go out; 422 when the re-send's source is not acceptable
 */
async function gate(db: Db, account: AccountView, post: Post, at: Date): Promise<Gate> {
  if (!isPostHoc(post.category)) {
    throw conflict(
      `通常の投稿は、アカウント管理者の承認を得てから発信します。事後報告で発信できるのは${clauseRef("5.1.4")}①〜④の場合だけです。`,
    );
  }
  let resend: ResendVerdict | null = null;
  if (post.category === "repost") {
    resend = await resendVerdict(db, post);
    if (resend.problem) {
      throw new AppError(
        "conflict",
        `${resend.problem}市として既に発信した内容と異なる投稿は、事後報告ではなく、承認を得てから発信してください（${clauseRef("5.1.4.1")}）。`,
        { fields: [{ field: "text", message: resend.problem }] },
      );
    }
  }
  const status = nextPostStatus(post.status, "publish_post_hoc");
  if (!status) throw conflict(`「${postStatusLabels[post.status]}」の投稿は、事後報告で発信できません。`);
  // 5.1.4 ①–④ waive the prior approval and nothing more: information not yet public (5.2.2.2)
  // does not go out before its embargo, whoever confirms it on the spot.
  if (post.embargoUntil && post.embargoUntil.getTime() > at.getTime()) {
    throw new AppError(
      "conflict",
      `この投稿は${formatDateTime(post.embargoUntil)}まで公表できません（${clauseRef("5.2.2.2")}）。事後報告で省けるのは事前の許可だけです。公表日時を過ぎてから発信するか、公表日時が誤っていれば修正してください。`,
      { fields: [{ field: "embargoUntil", message: "公表日時より前には発信できません。" }] },
    );
  }
  const images = await listImages(db, post.id);
  const result = await checkPost(account, { ...post, imageCount: images.length }, at, {
    publishingNow: true,
  });
  return { status, resend, result, ...findingCounts(result.findings) };
}

/** What the audit entry keeps of a re-send's source. */
function resendSummary(resend: ResendVerdict | null) {
  if (!resend) return {};
  return resend.source.kind === "post"
    ? { resend: { postId: resend.source.post.id, accountId: resend.source.post.accountId } }
    : { resend: { url: resend.source.url, quote: resend.source.quote, verifiedBySystem: false } };
}

/**
 * Publishes a post of category ①–④ at once and opens its post-hoc report. The transition to
 * 発信済 is recorded with `publishedAt` = now; the URL on the platform is recorded with the
 * publishing record. With an error finding, the confirmation given on the spot is recorded as
 * the confirming person's decision (rule `on_the_spot`, with when it was given and who entered it).
 * @param props.actor an operator of the account (post.draft)
 * @param props.input `version` the operator saw; `justification` for an error finding, with
 *   `confirmedBy`, `confirmedAt` and optionally `confirmationNote`
 * @throws 409 for a normal post (it needs approval first), a re-send that is not its source's
 *   content, or one already published; 403 (recorded) for an error finding without a valid
 *   confirmation; 422 when an error finding is not justified or the confirmation time is wrong
 */
export async function publishPostHoc(
  ctx: AppContext,
  props: { actor: Actor; id: number; input: unknown },
): Promise<Post> {
  const { post: seen, account } = await postFor(ctx, props.actor, props.id, "post.draft");
  const input = parse(postHocInput, props.input);
  let confirmation: Confirmation | null = null;
  if (seen.version === input.version) {
    // Refusals that are recorded (auth.denied) are decided here, outside the transaction.
    const pre = await gate(ctx.db, account, seen, ctx.clock.now());
    if (pre.errorCount > 0) {
      if (!hasConfirmation(input)) {
        throw await refuse(
          ctx,
          props.actor,
          "post.approve",
          { postId: seen.id, reason: "post_hoc_error_unconfirmed", errorCount: pre.errorCount },
          UNCONFIRMED,
          "confirmedBy",
        );
      }
      const versions = await listVersions(ctx.db, seen.id);
      const version = versions.find((v) => v.version === seen.version);
      confirmation = await verifyConfirmation(ctx, {
        actor: props.actor,
        post: seen,
        input,
        versionAt: version?.at ?? seen.updatedAt,
        writers: writersOf(
          seen,
          versions.map((v) => v.authorId),
        ),
      });
    }
  }
  return change(ctx, props.actor, "post.publish_post_hoc", async (tx, at) => {
    const post = await lockPost(tx, props.id);
    if (!post) throw notFound("投稿");
    assertUnchanged(post, { version: input.version });
    const { status, resend, result, errorCount, warningCount } = await gate(tx, account, post, at);
    // Only when the findings changed between the two runs (an embargo): refused, not recorded.
    if (errorCount > 0 && !confirmation) throw new AppError("forbidden", UNCONFIRMED);
    const justification = input.justification ?? post.justification;
    assertNotBlocked(errorCount, justification);
    const confirmed = errorCount > 0 ? confirmation : null;
    const dueAt = reportDue(at);
    const updated = await updatePost(
      tx,
      post.id,
      {
        status,
        justification,
        findings: result.findings,
        errorCount,
        warningCount,
        submittedAt: post.submittedAt ?? at,
        approvalRule: "post_hoc",
        approvedVersion: post.version,
        ...(confirmed ? { approvedBy: confirmed.staffId, approvedAt: confirmed.at } : {}),
        publishedAt: at,
        publishedBy: actorId(props.actor),
        publishedUrl: null,
        reportDueAt: dueAt,
      },
      at,
    );
    if (confirmed) {
      // 5.2: the confirmation given on the spot, recorded like a verbal approval.
      await insertDecision(tx, {
        postId: post.id,
        version: post.version,
        decision: "approve",
        rule: "on_the_spot",
        actorId: confirmed.staffId,
        comment: confirmed.note,
        givenAt: confirmed.at,
        recordedBy: actorId(props.actor),
        at,
      });
    }
    return {
      result: updated,
      target: { type: "post", id: post.id },
      summary: {
        version: post.version,
        category: post.category,
        categoryLabel: postCategoryShort[post.category],
        status: { before: post.status, after: status },
        reportDueAt: dueAt,
        findings: findingSummary(result.findings),
        ...(justification ? { justification } : {}),
        ...resendSummary(resend),
        ...(confirmed
          ? {
              confirmedOnTheSpot: {
                by: confirmed.staffId,
                name: confirmed.name,
                as: confirmed.rule,
                at: confirmed.at,
                note: confirmed.note,
              },
            }
          : {}),
      },
    };
  });
}
