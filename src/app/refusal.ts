/**
 * Refusals that say why. The role table (authorize.ts) answers "who may, by role"; some rules
 * depend on the object — who reported an incident, whether a consultation's waiting period has
 * passed — and their refusal names the clause. Like `authorize`, a refusal is a 403 and leaves an
 * `auth.denied` audit entry, written in its own transaction because the caller's will not commit.
 */
import { AppError } from "../errors.ts";
import { record } from "./audit.ts";
import type { Actor, AppContext } from "./context.ts";

/**
 * Records the refusal of `action` (an `auth.denied` entry with the target and the reason) and
 * returns the 403 to throw, carrying `message`.
 * @param action the action refused, e.g. `incident.acknowledge`
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
