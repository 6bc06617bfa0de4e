/**
 * Reading official accounts with the visibility the guideline implies: the registry of approved
 * accounts is open to all staff; applications before approval are seen by their own division,
 * the department head and the overseers (policy director, security director, auditor, admin).
 */
import {
  type AccountFilter,
  type AccountView,
  findAccountView,
  listAccounts,
} from "../../db/repos/accounts.ts";
import type { Target } from "../../domain/policy.ts";
import { notFound } from "../../errors.ts";
import { allowed, authorize } from "../authorize.ts";
import type { Actor, AppContext } from "../context.ts";

/** The organisational target of an account, for the policy. */
export function accountTarget(account: { divisionId: number; departmentId: number }): Target {
  return { divisionId: account.divisionId, departmentId: account.departmentId };
}

const privateStatuses = new Set([
  "draft",
  "returned",
  "rejected",
  "pending_department_head",
  "pending_policy_director",
  "existing_pending",
]);

/** Whether the actor may see this account (an application is private to its division and approvers). */
export function canSeeAccount(actor: Actor, account: AccountView): boolean {
  if (!privateStatuses.has(account.status)) return true;
  if (actor.kind === "system") return true;
  if (allowed(actor, "account.read_all")) return true;
  if (actor.divisionId === account.divisionId) return true;
  return actor.grants.some(
    (g) =>
      (g.role === "department_head" &&
        g.scope.type === "department" &&
        g.scope.id === account.departmentId) ||
      (g.role === "account_manager" && g.scope.type === "division" && g.scope.id === account.divisionId),
  );
}

/** One account the actor may see; 404 otherwise (an application's existence is not disclosed). */
export async function getAccount(ctx: AppContext, props: { actor: Actor; id: number }): Promise<AccountView> {
  await authorize(ctx, props.actor, "account.read");
  const account = await findAccountView(ctx.db, props.id);
  if (!account || !canSeeAccount(props.actor, account)) throw notFound("アカウント");
  return account;
}

/** The registry as the actor may see it. */
export async function searchAccounts(
  ctx: AppContext,
  props: { actor: Actor; filter: Omit<AccountFilter, "visibleDivisionIds"> },
): Promise<AccountView[]> {
  await authorize(ctx, props.actor, "account.read");
  const actor = props.actor;
  const everything = actor.kind === "system" || allowed(actor, "account.read_all");
  const rows = await listAccounts(ctx.db, { ...props.filter, visibleDivisionIds: everything ? null : [] });
  return everything ? rows : rows.filter((a) => canSeeAccount(actor, a));
}
