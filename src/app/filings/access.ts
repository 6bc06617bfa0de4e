/**
 * Who sees a 届出 and who acts on it. A filing carries the account's login e-mail and phone
 * (4.3.3), so it is seen by the overseers (policy director, security director, auditor, admin),
 * the account manager (課等の長) and the department head (部等の長) of the account — not by
 * every member of staff. The director it is addressed to confirms it or asks; the account
 * manager answers and sends it again.
 */
import { type FilingView, findFilingView } from "../../db/repos/filings.ts";
import type { Action } from "../../domain/policy.ts";
import { notFound } from "../../errors.ts";
import { accountTarget } from "../accounts/read.ts";
import { allowed, authorize } from "../authorize.ts";
import type { Actor, AppContext } from "../context.ts";

/** Whether the actor may read a filing of an account in this division and department. */
export function canSeeFiling(actor: Actor, filing: { divisionId: number; departmentId: number }): boolean {
  if (actor.kind === "system" || allowed(actor, "account.read_all")) return true;
  const target = accountTarget(filing);
  return allowed(actor, "account.manage", target) || allowed(actor, "account.approve_department", target);
}

/** The action of the director a filing of this kind is addressed to. */
export function recipientAction(kind: FilingView["kind"]): Action {
  return kind === "notice_policy" ? "notice.confirm_policy" : "account.confirm_notice";
}

/** One filing the actor may see; 404 otherwise. */
export async function visibleFiling(ctx: AppContext, actor: Actor, id: number): Promise<FilingView> {
  await authorize(ctx, actor, "account.read");
  const filing = await findFilingView(ctx.db, id);
  if (!filing || !canSeeFiling(actor, filing)) throw notFound("届出");
  return filing;
}

/** Whether the actor is the director this filing is addressed to. */
export function isRecipient(actor: Actor, filing: Pick<FilingView, "kind">): boolean {
  return actor.kind === "staff" && allowed(actor, recipientAction(filing.kind));
}

/** Whether the actor answers for the account (its manager, 課等の長). */
export function isSender(actor: Actor, filing: { divisionId: number; departmentId: number }): boolean {
  return actor.kind === "staff" && allowed(actor, "account.manage", accountTarget(filing));
}
