/**
 * Shared steps of the drafting and approval use cases: the account a person may post for (3:
 * only its operators, only while it is official), the post with its account facts, refusing with
 * a specific reason (recorded like every refusal), and the version and status a person saw.
 */
import { type AccountView, findAccountView } from "../../db/repos/accounts.ts";
import type { Post, PostView } from "../../db/repos/posts.ts";
import { publicStatuses } from "../../domain/accounts.ts";
import { clauseRef } from "../../domain/clauses.ts";
import type { Action, Target } from "../../domain/policy.ts";
import { postStatusLabels, postWriters } from "../../domain/posts.ts";
import { AppError, conflict, notFound } from "../../errors.ts";
import { getAccount } from "../accounts/read.ts";
import { record } from "../audit/record.ts";
import { allowed } from "../authorize.ts";
import type { Actor, AppContext } from "../context.ts";
import { accountTargetFor, authorizeOnPost, getPost } from "./access.ts";

/**
 * Records an `auth.denied` entry (in its own transaction) and returns the 403 to throw; `field`
 * names the form field the refusal is about, when there is one (the form is shown again).
 */
export async function refuse(
  ctx: AppContext,
  actor: Actor,
  action: Action,
  target: Record<string, unknown>,
  message: string,
  field?: string,
): Promise<AppError> {
  await ctx.db.transaction((tx) =>
    record(tx, {
      actor,
      at: ctx.clock.now(),
      action: "auth.denied",
      target: { type: "action", id: action },
      summary: { action, target, reason: message },
    }),
  );
  return new AppError("forbidden", message, field ? { fields: [{ field, message }] } : {});
}

/** Accounts in these statuses are official and may be posted for (4.4.2). */
export function isPostable(account: { status: string }): boolean {
  return publicStatuses.some((s) => s === account.status);
}

/**
 * The account, when the actor may draft posts for it: it is visible to them, official (運用中 or
 * announcing a change/closure), and they are on its operator list (3).
 */
export async function postingAccount(ctx: AppContext, actor: Actor, accountId: number): Promise<AccountView> {
  const account = await getAccount(ctx, { actor, id: accountId });
  const target = await accountTargetFor(ctx, actor, {
    accountId: account.id,
    divisionId: account.divisionId,
    departmentId: account.departmentId,
  });
  if (!allowed(actor, "post.draft", target)) {
    throw await refuse(
      ctx,
      actor,
      "post.draft",
      { accountId: account.id },
      `「${account.name}」に投稿できるのは、このアカウントの運用に携わる職員として登録された方だけです（${clauseRef("3")}、${clauseRef("4.1.3")}）。`,
    );
  }
  if (!isPostable(account)) {
    throw conflict(
      `「${account.name}」は運用中ではないため、投稿を作成できません。運用中の公式アカウントにだけ投稿できます。`,
    );
  }
  return account;
}

/** A post and its account, after checking the actor may see it and may do `action` on it. */
export async function postFor(
  ctx: AppContext,
  actor: Actor,
  id: number,
  action: Action,
): Promise<{ post: PostView; account: AccountView; target: Target }> {
  const post = await getPost(ctx, { actor, id });
  const target = await authorizeOnPost(ctx, actor, action, post);
  const account = await findAccountView(ctx.db, post.accountId);
  if (!account) throw notFound("アカウント");
  return { post, account, target };
}

/** Refuses when the post changed since the person saw it (another version, or another status). */
export function assertUnchanged(post: Post, seen: { version: number; status?: string | undefined }): void {
  if (post.version !== seen.version) {
    throw conflict(
      `この投稿は、表示した後に変更されています（第${seen.version}版 → 第${post.version}版）。最新の内容を確認してから、もう一度操作してください。`,
    );
  }
  if (seen.status !== undefined && seen.status !== "" && seen.status !== post.status) {
    throw conflict(
      `この投稿は、表示した後に「${postStatusLabels[post.status]}」になりました。最新の状態を確認してから、もう一度操作してください。`,
    );
  }
}

/**
 * Everyone who wrote part of the post: its author, the author of any of its versions (an edit,
 * an image added or removed), and for a post-hoc post the person who published it and so made
 * the report (事後報告).
 */
export function writersOf(
  post: Pick<Post, "authorId" | "approvalRule" | "publishedBy">,
  versionAuthorIds: readonly (number | null)[],
): Set<number> {
  return postWriters(post, versionAuthorIds);
}

/**
 * 5.1.4: nobody decides on a post they wrote or edited — any version, not only the current one —
 * nor acknowledges a report they made.
 */
export function isOwnPost(
  post: Pick<Post, "authorId" | "approvalRule" | "publishedBy">,
  actor: Actor,
  versionAuthorIds: readonly (number | null)[],
): boolean {
  if (actor.kind !== "staff") return false;
  return writersOf(post, versionAuthorIds).has(actor.staffId);
}
