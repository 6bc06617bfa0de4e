/**
 * Drafts this part of posts starts for an operator: a correction of a post marked erroneous
 * (5.3.2, 5.3.3; see corrections.ts; written here because the drafting use case makes posts of
 * kind `post` only) and the announcement post of a change or closure from its checked
 * announcement text (4.5.2; through the drafting use case). A draft is an ordinary post of the
 * account — version 1 with the checker's findings, in its own group — that the operator then
 * edits, submits and has approved like any other (5.1.4).
 */
import type { Finding } from "../../checker/index.ts";
import type { Db } from "../../db/client.ts";
import { insertPost, insertVersion, type Post, updatePost } from "../../db/repos/posts.ts";
import { findAnnouncedNotice } from "../../db/repos/publishing.ts";
import { conflict, notFound } from "../../errors.ts";
import type { Actor, AppContext } from "../context.ts";
import { visibleNotice } from "../notices/access.ts";
import { defaultPostTime, linkAnnouncementPost } from "../notices/sns.ts";
import { type CheckedAccount, checkPost, findingCounts } from "./checking.ts";
import { draftPost } from "./draft.ts";
import { postingAccount } from "./posting.ts";

/** The checker's findings on a draft of the account (kind `correction` also checks 5.3.3). */
export async function checkDraft(
  account: CheckedAccount,
  kind: "post" | "correction",
  text: string,
  now: Date,
): Promise<Finding[]> {
  const result = await checkPost(
    account,
    { text, kind, embargoUntil: null, scheduledAt: null, imageCount: 0 },
    now,
  );
  return result.findings;
}

/**
 * Inserts a draft (version 1, its own group) in the caller's transaction, with the findings
 * already computed.
 */
export async function insertDraft(
  tx: Db,
  props: {
    accountId: number;
    authorId: number;
    kind: "post" | "correction";
    text: string;
    correctsPostId: number | null;
    findings: Finding[];
    at: Date;
  },
): Promise<Post> {
  const { findings, at } = props;
  const post = await insertPost(tx, {
    accountId: props.accountId,
    authorId: props.authorId,
    kind: props.kind,
    category: "normal",
    status: "draft",
    text: props.text,
    correctsPostId: props.correctsPostId,
    findings,
    ...findingCounts(findings),
    createdAt: at,
    updatedAt: at,
  });
  const grouped = await updatePost(tx, post.id, { groupId: post.id }, at);
  await insertVersion(tx, {
    postId: post.id,
    version: 1,
    text: props.text,
    findings,
    images: [],
    authorId: props.authorId,
    at,
  });
  return grouped;
}

/** What drafting an announcement post gave: the post, and whether it was made just now. */
export type AnnouncementDraft = { postId: number; created: boolean };

/**
 * Turns the checked announcement text of a scheduled or announced change or closure (4.5.2) into
 * a post draft for the account, through the drafting use case (`draftPost`: its operators only,
 * 3), scheduled for 9:00 on the announcement date and linked to the notice, whose publishing
 * record it becomes. If a post was already drafted from it, that post is returned instead.
 */
export async function draftAnnouncementPost(
  ctx: AppContext,
  props: { actor: Actor; noticeId: number },
): Promise<AnnouncementDraft> {
  const { actor } = props;
  const notice = await visibleNotice(ctx, actor, props.noticeId);
  // 3: only the account's operators draft for it (and only for an official account).
  await postingAccount(ctx, actor, notice.accountId);
  // 4.5.2: the post can be prepared as soon as the announcement is scheduled, to go out on time.
  if ((notice.status !== "scheduled" && notice.status !== "announced") || !notice.announcementText.trim())
    throw conflict("周知日を設定した変更・廃止の告知文だけを、投稿の下書きにできます（第4-5(2)）。");
  const existing = (await findAnnouncedNotice(ctx.db, notice.id))?.postId ?? null;
  if (existing !== null) {
    if (notice.announcementPostId !== existing)
      await linkAnnouncementPost(ctx, { actor, noticeId: notice.id, postId: existing });
    return { postId: existing, created: false };
  }
  const scheduledAt = notice.announcementDate
    ? defaultPostTime(notice.announcementDate, ctx.clock.now())
    : null;
  const [post] = await draftPost(ctx, {
    actor,
    input: {
      accounts: [{ accountId: notice.accountId }],
      text: notice.announcementText,
      ...(scheduledAt ? { scheduledAt: scheduledAt.toISOString() } : {}),
    },
  });
  if (!post) throw notFound("投稿");
  await linkAnnouncementPost(ctx, { actor, noticeId: notice.id, postId: post.id });
  return { postId: post.id, created: true };
}
