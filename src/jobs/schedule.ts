/**
 * Which scheduled job runs when: every periodic task of the application (app/background.ts) gets
 * a queue named after it and a cron expression in Tokyo time — its own, or one derived from its
 * interval (every 10 minutes → `*\/10 * * * *`). Pure: no I/O.
 */
import type { PeriodicTask } from "../app/feature.ts";

/** A periodic task with the queue it runs from and its schedule. */
export type ScheduledJob = { queue: string; cron: string; task: PeriodicTask };

/** Every job queue of the application starts with this, so stale schedules can be recognised. */
export const QUEUE_PREFIX = "snsgov.";

/** The time zone schedules are read in. */
export const SCHEDULE_TZ = "Asia/Tokyo";

/** The queue of a task: `snsgov.` + its name in lower case with hyphens. */
export function queueName(taskName: string): string {
  const slug = taskName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (slug === "") throw new Error(`a periodic task needs a name with letters or digits: "${taskName}"`);
  return `${QUEUE_PREFIX}${slug}`;
}

/** The smallest divisor of `whole` that is at least `n` (so the steps stay even across the hour or day). */
function evenStep(n: number, whole: number): number {
  for (let d = Math.max(1, n); d <= whole; d++) if (whole % d === 0) return d;
  return whole;
}

/**
 * A cron expression for a task: its own, or one from its interval: minutes that divide the hour,
 * hours that divide the day, else once a day at 00:05.
 */
export function cronFor(task: Pick<PeriodicTask, "everyMs" | "cron">): string {
  if (task.cron) return task.cron;
  const minutes = Math.max(1, Math.round(task.everyMs / 60_000));
  if (minutes < 60) {
    const step = evenStep(minutes, 60);
    return step === 1 ? "* * * * *" : `*/${step} * * * *`;
  }
  const hours = Math.round(minutes / 60);
  if (hours < 24) {
    const step = evenStep(hours, 24);
    return step === 1 ? "0 * * * *" : `0 */${step} * * *`;
  }
  return "5 0 * * *";
}

/** The jobs for a list of tasks; two tasks with the same queue name are a programming error. */
export function scheduledJobs(tasks: readonly PeriodicTask[]): ScheduledJob[] {
  const seen = new Set<string>();
  return tasks.map((task) => {
    const queue = queueName(task.name);
    if (seen.has(queue)) throw new Error(`two periodic tasks share the queue ${queue}`);
    seen.add(queue);
    return { queue, cron: cronFor(task), task };
  });
}
