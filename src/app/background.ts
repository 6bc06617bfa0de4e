/**
 * The periodic work of the application: apply transfers whose effective date has come, remove
 * expired sessions, and whatever features schedule (app/features.ts). The job queue (src/jobs/)
 * runs each task on its schedule, once across all instances; every task is also safe to run from
 * several instances at once, and tests call the task functions directly.
 */
import { deleteExpiredSessions } from "../db/repos/auth.ts";
import { systemActor } from "./context.ts";
import type { PeriodicTask } from "./feature.ts";
import { features } from "./features.ts";
import { applyDueTransfers } from "./staff/transfers.ts";

/** The application's own periodic tasks (features add theirs). */
export const coreTasks: readonly PeriodicTask[] = [
  {
    name: "apply due transfers",
    everyMs: 10 * 60_000,
    run: async (ctx) => {
      const applied = await applyDueTransfers(ctx, systemActor("scheduler"));
      if (applied > 0) ctx.log.info("transfers applied", { applied });
    },
  },
  {
    name: "remove expired sessions",
    everyMs: 30 * 60_000,
    run: async (ctx) => {
      const now = ctx.clock.now();
      await deleteExpiredSessions(
        ctx.db,
        now,
        new Date(now.getTime() - ctx.config.sessionIdleMinutes * 60_000),
      );
    },
  },
];

/** Every periodic task: the core ones, then each feature's. */
export function periodicTasks(): PeriodicTask[] {
  return [...coreTasks, ...features().flatMap((f) => f.periodic ?? [])];
}
