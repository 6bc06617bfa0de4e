/**
 * 5.1.4 ただし書 ①–④: in these four cases the operator may publish first and report to the
 * account manager afterwards (事後報告): ① repeating what the city already published, ② an
 * established fact such as a competition result, ③ the text of a law as it is, ④ an urgent
 * notice (disaster, weather, a cancelled performance). Nothing else is skipped: the checker runs
 * as the post goes out and its findings are recorded; a warning never blocks (not even an
 * emergency's), an error still needs a justification. The manager must acknowledge the report
 * within the pack's business days (`reportBusinessDays`, holidays and closed days not counted).
 */
import { listImages, lockPost, type Post, updatePost } from "../../db/repos/posts.ts";
import { tokyoDate } from "../../domain/dates.ts";
import {
  isPostHoc,
  nextPostStatus,
  postCategoryShort,
  postStatusLabels,
  reportDueAt,
} from "../../domain/posts.ts";
import { conflict, notFound, validation } from "../../errors.ts";
import { guidelinePack } from "../../guideline/pack.ts";
import { change } from "../audit.ts";
import { type Actor, type AppContext, actorId } from "../context.ts";
import { parse } from "../validate.ts";
import { checkPost, findingCounts, findingSummary } from "./checking.ts";
import { versionInput } from "./input.ts";
import { assertUnchanged, postFor } from "./posting.ts";
import { assertNotBlocked } from "./submit.ts";

/** When a report of a post published at `at` must be acknowledged (end of the Tokyo business day). */
export function reportDue(at: Date): Date {
  const pack = guidelinePack().posts;
  return reportDueAt(tokyoDate(at), pack.reportBusinessDays, pack.closedDays);
}

/**
 * Publishes a post of category ①–④ at once and opens its post-hoc report. The transition to
 * 発信済 is recorded with `publishedAt` = now; the URL on the platform is recorded with the
 * publishing record.
 * @param props.actor an operator of the account (post.draft)
 * @param props.input `version` the operator saw, optional `justification` for an error finding
 * @throws 409 for a normal post (it needs approval first) or one already published; 422 when an
 *   error finding is not justified
 */
export async function publishPostHoc(
  ctx: AppContext,
  props: { actor: Actor; id: number; input: unknown },
): Promise<Post> {
  const { account } = await postFor(ctx, props.actor, props.id, "post.draft");
  const input = parse(versionInput, props.input);
  return change(ctx, props.actor, "post.publish_post_hoc", async (tx, at) => {
    const post = await lockPost(tx, props.id);
    if (!post) throw notFound("投稿");
    assertUnchanged(post, { version: input.version });
    if (!isPostHoc(post.category)) {
      throw conflict(
        "通常の投稿は、アカウント管理者の承認を得てから発信します。事後報告で発信できるのは第5-1(4)①〜④の場合だけです。",
      );
    }
    if (post.category === "repost" && post.repostOf === null) {
      const message = "再発信する、市として既に発信した投稿を選んでください（第5-1(4)①）。";
      throw validation(message, [{ field: "repostOf", message }]);
    }
    const status = nextPostStatus(post.status, "publish_post_hoc");
    if (!status) throw conflict(`「${postStatusLabels[post.status]}」の投稿は、事後報告で発信できません。`);
    const justification = input.justification ?? post.justification;
    const images = await listImages(tx, post.id);
    // It goes out now: an embargo still in the future applies, whatever the schedule said.
    const result = await checkPost(account, { ...post, imageCount: images.length }, at, {
      publishingNow: true,
    });
    const counts = findingCounts(result.findings);
    assertNotBlocked(counts.errorCount, justification);
    const dueAt = reportDue(at);
    const updated = await updatePost(
      tx,
      post.id,
      {
        status,
        justification,
        findings: result.findings,
        ...counts,
        submittedAt: post.submittedAt ?? at,
        approvalRule: "post_hoc",
        approvedVersion: post.version,
        publishedAt: at,
        publishedBy: actorId(props.actor),
        publishedUrl: null,
        reportDueAt: dueAt,
      },
      at,
    );
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
      },
    };
  });
}
