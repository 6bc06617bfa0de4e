/**
 * Who may do what with a post: the policy needs to know, besides roles, whether the person is on
 * the account's operator list (3) and whether they are the manager's deputy today (5.1.4). This
 * module looks those facts up and answers, so every posts use case asks the same way.
 */
import { isOperator } from "../../db/repos/accounts.ts";
import { findPostView, isDeputyOn, type PostView } from "../../db/repos/posts.ts";
import { tokyoDate } from "../../domain/dates.ts";
import type { Action, Target } from "../../domain/policy.ts";
import { notFound } from "../../errors.ts";
import { allowed, authorize } from "../authorize.ts";
import type { Actor, AppContext } from "../context.ts";

/** The policy target for an account (or a post's account), with the person's relation to it. */
export async function accountTargetFor(
  ctx: AppContext,
  actor: Actor,
  account: { accountId: number; divisionId: number; departmentId: number },
): Promise<Target> {
  if (actor.kind === "system") return { divisionId: account.divisionId, departmentId: account.departmentId };
  const [operatorOf, deputyOf] = await Promise.all([
    isOperator(ctx.db, account.accountId, actor.staffId),
    isDeputyOn(ctx.db, account.divisionId, actor.staffId, tokyoDate(ctx.clock.now())),
  ]);
  return { divisionId: account.divisionId, departmentId: account.departmentId, operatorOf, deputyOf };
}

/** Whether the actor may see the post: its division and those above it, operators, overseers. */
export async function canSeePost(ctx: AppContext, actor: Actor, post: PostView): Promise<boolean> {
  if (actor.kind === "system") return true;
  const target = await accountTargetFor(ctx, actor, post);
  return allowed(actor, "post.read", target) || target.operatorOf === true || target.deputyOf === true;
}

/** A post the actor may see (404 otherwise: a division's drafts are not disclosed to others). */
export async function getPost(ctx: AppContext, props: { actor: Actor; id: number }): Promise<PostView> {
  const post = await findPostView(ctx.db, props.id);
  if (!post || !(await canSeePost(ctx, props.actor, post))) throw notFound("投稿");
  return post;
}

/** Authorizes `action` on a post's account for the actor (403 with an audit entry when refused). */
export async function authorizeOnPost(
  ctx: AppContext,
  actor: Actor,
  action: Action,
  post: PostView,
): Promise<Target> {
  const target = await accountTargetFor(ctx, actor, post);
  await authorize(ctx, actor, action, target);
  return target;
}
