/**
 * Who sees and who changes notices. A change or closure is the owning division's business
 * until it is announced: its division, the department head and the overseers (policy
 * director, security director, auditor, admin) see it, as with applications (app/accounts/
 * read.ts). Announced and effective notices are public anyway. Only the account manager of the
 * division changes a notice (4.1.4, 4.5: `account.manage`).
 */
import { findNoticeView, type NoticeFilter, type NoticeView } from "../../db/repos/notices.ts";
import { notFound } from "../../errors.ts";
import { accountTarget } from "../accounts/read.ts";
import { allowed, authorize } from "../authorize.ts";
import type { Actor, AppContext } from "../context.ts";

/** The divisions and departments whose notices the actor sees in full; null means all. */
export function noticeVisibility(actor: Actor): NoticeFilter["visible"] {
  if (actor.kind === "system" || allowed(actor, "account.read_all")) return null;
  const divisionIds = new Set<number>();
  const departmentIds = new Set<number>();
  if (actor.divisionId !== null) divisionIds.add(actor.divisionId);
  for (const g of actor.grants) {
    if (g.scope.type === "division" && (g.role === "account_manager" || g.role === "operator"))
      divisionIds.add(g.scope.id);
    if (g.scope.type === "department" && g.role === "department_head") departmentIds.add(g.scope.id);
  }
  return { divisionIds: [...divisionIds], departmentIds: [...departmentIds] };
}

/** Whether the actor may see this notice. */
export function canSeeNotice(
  actor: Actor,
  notice: { status: string; divisionId: number; departmentId: number },
): boolean {
  if (notice.status === "announced" || notice.status === "effective") return true;
  const visible = noticeVisibility(actor);
  if (visible === null) return true;
  return (
    visible.divisionIds.includes(notice.divisionId) || visible.departmentIds.includes(notice.departmentId)
  );
}

/** One notice the actor may see; 404 otherwise (as for applications, its existence is not disclosed). */
export async function visibleNotice(ctx: AppContext, actor: Actor, id: number): Promise<NoticeView> {
  await authorize(ctx, actor, "notice.read");
  const notice = await findNoticeView(ctx.db, id);
  if (!notice || !canSeeNotice(actor, notice)) throw notFound("変更・廃止の届出");
  return notice;
}

/** One notice the actor may change (the account manager of its division); 404 or 403 otherwise. */
export async function manageableNotice(ctx: AppContext, actor: Actor, id: number): Promise<NoticeView> {
  const notice = await visibleNotice(ctx, actor, id);
  await authorize(ctx, actor, "account.manage", accountTarget(notice));
  return notice;
}

/** Whether the actor may change notices of this account (to show the forms). */
export function canManageNotices(
  actor: Actor,
  account: { divisionId: number; departmentId: number },
): boolean {
  return allowed(actor, "account.manage", accountTarget(account));
}
