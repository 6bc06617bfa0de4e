/**
 * Correcting a publishing record (発信日時, 発信した投稿のURL) found wrong. The record is a 公文書:
 * it is not rewritten and not left wrong. The account manager corrects it with a reason; the
 * values before and after are kept as a row of `post_publishing_corrections` (append-only, 訂正履歴
 * on the post page, in the archive's CSV and report) and the change is one audit entry. The new
 * values pass the same checks as a first record: the time lies between the approval (or, for a
 * post-hoc post, the version's save or the confirmation on the spot) and now — and before the
 * removal, for a removed post — and not before an embargo; the URL is a post of this account.
 */
import { z } from "zod";
import { findAccount } from "../../db/repos/accounts.ts";
import type { Post } from "../../db/repos/posts.ts";
import { updatePost } from "../../db/repos/posts.ts";
import { insertPublishingCorrection } from "../../db/repos/publishing.ts";
import { conflict, notFound, validation } from "../../errors.ts";
import type { Actor, AppContext } from "../context.ts";
import { text } from "../validate.ts";
import {
  assertAfterEmbargo,
  changeLockedPost,
  optionalDateTime,
  postToRecord,
  precheckRecord,
  publicationEarliest,
} from "./publishing.ts";
import { placed } from "./recorded-time.ts";

/**
 * A correction: the new time and URL (left out: unchanged; the form sends both as they stand) and
 * why. An empty URL means "no URL", which only a platform without public post URLs (LINE) allows.
 */
export const publishingCorrectionInput = z.object({
  publishedAt: optionalDateTime("発信した日時"),
  url: z.preprocess(
    (v) => (v === null ? "" : v),
    z
      .string({ error: "発信した投稿のURLを文字で入力してください。" })
      .trim()
      .max(2000, { error: "発信した投稿のURLは2000文字以内で入力してください。" })
      .optional(),
  ),
  reason: text("訂正の理由", 1000),
});

/**
 * Whether a time given to the minute (a form shows the record to the minute) is the recorded one
 * as shown: then it is left as it is, seconds and all.
 */
function sameMinute(given: Date, recorded: Date): boolean {
  return (
    given.getTime() % 60_000 === 0 && Math.floor(recorded.getTime() / 60_000) * 60_000 === given.getTime()
  );
}

/**
 * Corrects the publishing record of a published (or removed) post.
 * @param props.actor the account manager of the post's account (post.publish_correct)
 * @param props.input `{ publishedAt?, url?, reason }`
 * @throws 409 when the post has no publishing record; 422 when nothing changes or a value fails
 *   the checks of a first record
 */
export async function correctPublishingRecord(
  ctx: AppContext,
  props: { actor: Actor; postId: number; input: unknown },
): Promise<Post> {
  const { actor } = props;
  const { post, input } = await postToRecord(ctx, props, publishingCorrectionInput, "post.publish_correct");
  if (actor.kind !== "staff") throw conflict("発信の記録は、アカウント管理者が訂正します。");
  const correctedBy = actor.staffId;
  const account = await findAccount(ctx.db, post.accountId);
  if (!account) throw notFound("アカウント");
  const url = await precheckRecord(
    ctx,
    post,
    account,
    {
      url: input.url === "" ? undefined : input.url,
      publishedAt:
        input.publishedAt && post.publishedAt && !sameMinute(input.publishedAt, post.publishedAt)
          ? input.publishedAt
          : undefined,
    },
    input.url !== undefined,
  );
  return changeLockedPost(ctx, actor, "post.publish_correct", post.id, async (tx, at, current) => {
    if ((current.status !== "published" && current.status !== "deleted") || current.publishedAt === null)
      throw conflict("発信の記録がある投稿（発信済み・削除済み）だけを訂正できます。");
    let publishedAt = current.publishedAt;
    if (input.publishedAt && !sameMinute(input.publishedAt, current.publishedAt)) {
      const earliest = await publicationEarliest(tx, current);
      const latest = current.deletedAt ? { at: current.deletedAt, what: "削除" } : null;
      publishedAt = placed("publishedAt", "発信した日時", input.publishedAt, { earliest, latest, now: at });
      assertAfterEmbargo(current, publishedAt);
    }
    const publishedUrl = url === undefined ? current.publishedUrl : url;
    const sameTime = publishedAt.getTime() === current.publishedAt.getTime();
    if (sameTime && publishedUrl === current.publishedUrl) {
      const message = "訂正する内容がありません。発信した日時またはURLを、正しい値に直してください。";
      throw validation(message, [{ field: "publishedAt", message }]);
    }
    const updated = await updatePost(tx, current.id, { publishedAt, publishedUrl }, at);
    const row = await insertPublishingCorrection(tx, {
      postId: current.id,
      publishedAtBefore: current.publishedAt,
      publishedUrlBefore: current.publishedUrl,
      publishedAtAfter: publishedAt,
      publishedUrlAfter: publishedUrl,
      reason: input.reason,
      correctedBy,
      correctedAt: at,
    });
    return {
      updated,
      summary: {
        seq: row.seq,
        publishedAt: { before: current.publishedAt.toISOString(), after: publishedAt.toISOString() },
        publishedUrl: { before: current.publishedUrl, after: publishedUrl },
        reason: input.reason,
      },
    };
  });
}
