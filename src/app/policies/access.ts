/**
 * Who may do what with an account's media policy: the account must be visible to the actor
 * (app/accounts/read.ts), drafting belongs to the owning division (policy.draft) and approval
 * to its account manager (policy.approve, 4.2.1). Shared by the policy use cases.
 */
import type { AccountView } from "../../db/repos/accounts.ts";
import { findPolicy, type MediaPolicy } from "../../db/repos/policies.ts";
import type { Action } from "../../domain/policy.ts";
import { conflict, notFound } from "../../errors.ts";
import { accountTarget, getAccount } from "../accounts/read.ts";
import { allowed, authorize } from "../authorize.ts";
import type { Actor, AppContext } from "../context.ts";

/** The account, after checking the actor may see it and may do `action` on it. */
export async function accountFor(
  ctx: AppContext,
  actor: Actor,
  accountId: number,
  action: Action,
): Promise<AccountView> {
  const account = await getAccount(ctx, { actor, id: accountId });
  await authorize(ctx, actor, action, accountTarget(account));
  return account;
}

/**
 * A policy version and its account, after the same checks. With `accountId`, a version of
 * another account is not found (a page posts the version it shows).
 */
export async function policyFor(
  ctx: AppContext,
  actor: Actor,
  policyId: number,
  action: Action,
  accountId?: number,
): Promise<{ policy: MediaPolicy; account: AccountView }> {
  const policy = await findPolicy(ctx.db, policyId);
  if (!policy || (accountId !== undefined && policy.accountId !== accountId))
    throw notFound("メディアポリシー");
  const account = await accountFor(ctx, actor, policy.accountId, action);
  return { policy, account };
}

/** Whether the actor sees drafts (the division writing them, its manager, and the overseers). */
export function canSeeDrafts(actor: Actor, account: AccountView): boolean {
  const target = accountTarget(account);
  return (
    allowed(actor, "policy.draft", target) ||
    allowed(actor, "policy.approve", target) ||
    allowed(actor, "account.read_all")
  );
}

/** A closed or rejected account's policy is history: it is not changed any more. */
export function assertPolicyEditable(account: { status: string }): void {
  if (account.status === "closed" || account.status === "rejected") {
    throw conflict("廃止または却下されたアカウントのメディアポリシーは変更できません。");
  }
}
