/**
 * Enforces the policy (domain/policy.ts) in use cases. A refusal is a 403 with a Japanese
 * message and an `auth.denied` audit entry, written in its own transaction because the caller's
 * transaction will not commit.
 */
import { type Action, can, type Target } from "../domain/policy.ts";
import { AppError } from "../errors.ts";
import { record } from "./audit/record.ts";
import type { Actor, AppContext } from "./context.ts";

/** True when the actor may do `action` on `target` (the system may do anything). */
export function allowed(actor: Actor, action: Action, target: Target = {}): boolean {
  return actor.kind === "system" || can(actor, action, target);
}

/**
 * Throws a 403 AppError, after recording the refusal, unless the actor may do `action`.
 */
export async function authorize(
  ctx: AppContext,
  actor: Actor,
  action: Action,
  target: Target = {},
): Promise<void> {
  if (allowed(actor, action, target)) return;
  await ctx.db.transaction((tx) =>
    record(tx, {
      actor,
      at: ctx.clock.now(),
      action: "auth.denied",
      target: { type: "action", id: action },
      summary: { action, target },
    }),
  );
  ctx.log.warn("authorization denied", {
    action,
    actor: actor.kind === "staff" ? actor.staffId : actor.label,
  });
  throw new AppError(
    "forbidden",
    "この操作を行う権限がありません。必要な場合はシステム管理者にお問い合わせください。",
  );
}

/**
 * Records an `auth.denied` entry (in its own transaction) for a refusal with a specific reason,
 * and returns the 403 to throw. For rules beyond the role table, which depend on the object (who
 * reported an incident, whether a waiting period has passed): the message cites the clause.
 * @param action the action refused: an `Action`, or a finer one such as `incident.acknowledge`
 * @param target what it was refused on, e.g. `{ incidentId: 3 }` (kept in the audit entry)
 * @param message the Japanese refusal, citing the clause it comes from
 */
export async function refuse(
  ctx: AppContext,
  actor: Actor,
  action: string,
  target: Record<string, unknown>,
  message: string,
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
  ctx.log.warn("authorization denied", {
    action,
    actor: actor.kind === "staff" ? actor.staffId : actor.label,
  });
  return new AppError("forbidden", message);
}
