/**
 * The job queue: pg-boss keeps queues, schedules and jobs in the database's own `pgboss` schema,
 * so scheduled work survives restarts and runs once even with several app instances on one
 * PostgreSQL server (a cron occurrence is sent once — one instance claims each pass — and a job is
 * fetched by one worker, FOR UPDATE SKIP LOCKED). It reaches the database (the embedded server or
 * DATABASE_URL's) through its own small connection pool, with LISTEN/NOTIFY.
 * Every periodic task (app/background.ts) becomes a cron schedule in Tokyo time and a worker; a
 * schedule of a task that no longer exists is removed. The tasks keep their own safety
 * (SKIP LOCKED, dedupe keys), so a job that does run twice after a crash does no harm.
 */

import type { ConstructorOptions } from "pg-boss";
import { PgBoss } from "pg-boss";
import { periodicTasks } from "../app/background.ts";
import type { AppContext } from "../app/context.ts";
import type { PeriodicTask } from "../app/feature.ts";
import { deliveryTask } from "../app/notifications/feature.ts";
import { setDeliveryKicker } from "../app/notifications/signal.ts";
import type { DatabaseHandle } from "../db/client.ts";
import { QUEUE_PREFIX, queueName, SCHEDULE_TZ, type ScheduledJob, scheduledJobs } from "./schedule.ts";

/** The schema pg-boss creates and keeps its tables in (not copied by `snsgov db copy-to`). */
export const JOBS_SCHEMA = "pgboss";

export type JobRunner = {
  /** The jobs scheduled, with their queues and cron expressions. */
  jobs: ScheduledJob[];
  /** Queues a run of a task now (at most one waits per queue); false when one is waiting already. */
  runSoon(taskName: string): Promise<boolean>;
  /** Stops taking jobs, waits for running ones (up to 20 s), and lets go of the database. */
  stop(): Promise<void>;
  /** The queue itself, for tests and diagnostics. */
  boss: PgBoss;
};

export type JobOptions = {
  /** The tasks to schedule (default: every periodic task of the application). */
  tasks?: readonly PeriodicTask[];
  /** The PostgreSQL URL (default: the configured DATABASE_URL, else the handle's own). */
  connectionString?: string;
  /** Passed to pg-boss (tests shorten its intervals). */
  boss?: Partial<ConstructorOptions>;
  /**
   * Queues another process runs (the web server and `snsgov publisher` split the tasks): their
   * schedules are not removed as stale.
   */
  othersQueues?: readonly string[];
};

function createBoss(ctx: AppContext, handle: DatabaseHandle, options: JobOptions): PgBoss {
  const common: ConstructorOptions = {
    schema: JOBS_SCHEMA,
    useListenNotify: true,
    application_name: "snsgov-jobs",
    ...options.boss,
  };
  const connectionString =
    options.connectionString ?? ctx.config.databaseUrl ?? handle.pool.options.connectionString;
  if (!connectionString) throw new Error("the job queue needs the PostgreSQL connection string");
  return new PgBoss({ ...common, connectionString, max: 4 });
}

async function runTask(ctx: AppContext, job: ScheduledJob): Promise<void> {
  const started = performance.now();
  try {
    await job.task.run(ctx);
    ctx.log.debug("job done", { job: job.queue, ms: Math.round(performance.now() - started) });
  } catch (error) {
    ctx.log.error("job failed", { job: job.queue, error });
    throw error;
  }
}

/**
 * Starts the queue: creates its schema on first use, schedules every task (cron, Tokyo time; one
 * run for occurrences missed while no instance was up), and works the queues.
 */
export async function startJobs(
  ctx: AppContext,
  handle: DatabaseHandle,
  options: JobOptions = {},
): Promise<JobRunner> {
  const jobs = scheduledJobs(options.tasks ?? periodicTasks());
  const isScheduled = (queue: string) => jobs.some((j) => j.queue === queue);
  const isOthers = (queue: string) => options.othersQueues?.includes(queue) ?? false;
  const boss = createBoss(ctx, handle, options);
  boss.on("error", (error) => ctx.log.error("job queue error", { error }));
  boss.on("warning", (warning) => ctx.log.warn("job queue warning", { message: warning.message }));
  await boss.start();
  try {
    for (const stale of await boss.getSchedules()) {
      if (stale.name.startsWith(QUEUE_PREFIX) && !isScheduled(stale.name) && !isOthers(stale.name)) {
        await boss.unschedule(stale.name, stale.key);
        ctx.log.info("job schedule removed", { job: stale.name });
      }
    }
    for (const job of jobs) {
      // stately: at most one waiting and one running per task; a failed run is not retried, the
      // next occurrence runs it again.
      await boss.createQueue(job.queue, { policy: "stately", retryLimit: 0, notify: true });
      await boss.schedule(job.queue, job.cron, null, { tz: SCHEDULE_TZ, missed: "once" });
      await boss.work(job.queue, { pollingIntervalSeconds: 10 }, async () => runTask(ctx, job));
    }
  } catch (error) {
    await boss.stop({ graceful: false }).catch(() => undefined);
    throw error;
  }
  const runSoon = async (taskName: string) => {
    const queue = queueName(taskName);
    if (!isScheduled(queue)) throw new Error(`no scheduled task ${taskName}`);
    return (await boss.send(queue, null)) !== null;
  };
  if (isScheduled(queueName(deliveryTask.name))) {
    setDeliveryKicker(() => {
      runSoon(deliveryTask.name).catch((error: unknown) =>
        ctx.log.warn("could not queue e-mail delivery", { error }),
      );
    });
  }
  ctx.log.info("job queue started", { jobs: jobs.length, database: handle.kind });
  let stopped = false;
  return {
    jobs,
    runSoon,
    boss,
    async stop() {
      if (stopped) return;
      stopped = true;
      setDeliveryKicker(undefined);
      await boss.stop({ graceful: true, timeout: 20_000 });
    },
  };
}
