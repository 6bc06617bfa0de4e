/**
 * Who may know that violation records exist (9): the policy director, the security director and
 * auditors (read only). To everyone else they do not exist: every page and API answer is the
 * same 404 whatever the id, before anything is read, and the refusal's audit entry names no
 * record (its target type `violation` also keeps it out of the audit viewer of those who may not
 * read violations).
 */
import { AppError, pageNotFound } from "../../errors.ts";
import { record } from "../audit/record.ts";
import { allowed } from "../authorize.ts";
import type { Actor, AppContext } from "../context.ts";

/** The audit target type of violation records (hidden from the audit log of non-readers). */
export const VIOLATION_TARGET = "violation";

/** The 404 everyone who may not read violations gets, word for word the same as for a page that does not exist. */
export function hiddenNotFound(): AppError {
  return pageNotFound();
}

async function recordRefusal(ctx: AppContext, actor: Actor, action: string): Promise<void> {
  await ctx.db.transaction((tx) =>
    record(tx, {
      actor,
      at: ctx.clock.now(),
      action: "auth.denied",
      target: { type: VIOLATION_TARGET },
      summary: { action },
    }),
  );
}

/** Lets a reader through; everyone else gets the 404 (and a refusal entry naming no record). */
export async function requireViolationReader(ctx: AppContext, actor: Actor): Promise<void> {
  if (allowed(actor, "violation.read")) return;
  await recordRefusal(ctx, actor, "violation.read");
  throw hiddenNotFound();
}

/**
 * Lets the policy and security directors through. Someone who may not read violations gets the
 * 404; an auditor (who may read them, 9) gets a 403.
 */
export async function requireViolationManager(ctx: AppContext, actor: Actor): Promise<void> {
  await requireViolationReader(ctx, actor);
  if (allowed(actor, "violation.manage")) return;
  await recordRefusal(ctx, actor, "violation.manage");
  throw new AppError(
    "forbidden",
    "違反の記録を作成・変更できるのは、総合政策部長と情報統括管理者です（監査担当は閲覧のみ）。",
  );
}
