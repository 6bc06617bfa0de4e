/**
 * The job queue (pg-boss in the database's `pgboss` schema), on the embedded database and, with
 * TEST_DATABASE_URL, on PostgreSQL: two instances on one database run each scheduled occurrence
 * and each job exactly once; after every instance has stopped, the schedules are still there, a
 * job queued before the stop runs once after the restart, and a schedule that came due while
 * nothing was running runs once when an instance is back; schedules of removed tasks are dropped.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "drizzle-orm";
import { type TestApp, testApp } from "../../test/support/context.ts";
import type { PeriodicTask } from "../app/feature.ts";
import { type JobRunner, startJobs } from "./runner.ts";

let app: TestApp;

before(async () => {
  app = await testApp();
});
after(() => app.close());

/** pg-boss checks schedules every second instead of every 30 (the minimum it allows). */
const fast = { cronMonitorIntervalSeconds: 1, cronWorkerIntervalSeconds: 1 };
const QUEUE = "snsgov.count-runs";

async function waitFor(what: string, check: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** A task that counts its runs per instance and takes a moment, so runs of two instances would overlap. */
function counting(runs: Map<string, number>, instance: string, name = "count runs"): PeriodicTask {
  return {
    name,
    everyMs: 60_000,
    run: async () => {
      runs.set(instance, (runs.get(instance) ?? 0) + 1);
      await sleep(150);
    },
  };
}

const total = (runs: Map<string, number>) => [...runs.values()].reduce((a, b) => a + b, 0);

async function finishedJobs(runner: JobRunner, queue = QUEUE) {
  const jobs = await runner.boss.findJobs(queue);
  return {
    all: jobs.length,
    open: jobs.filter((j) => j.state === "created" || j.state === "active" || j.state === "retry").length,
    completed: jobs.filter((j) => j.state === "completed").length,
  };
}

test("two instances on one database: each occurrence and each job runs exactly once", async () => {
  const runs = new Map<string, number>();
  const a = await startJobs(app.ctx, app.handle, { tasks: [counting(runs, "a")], boss: fast });
  const b = await startJobs(app.ctx, app.handle, { tasks: [counting(runs, "b")], boss: fast });
  try {
    // The current minute's occurrence of `* * * * *` is due at once; both instances pass over it.
    await waitFor("the scheduled run", () => total(runs) >= 1);
    // Both instances ask for more runs at the same time, again and again.
    let accepted = 0;
    for (let i = 0; i < 8; i++) {
      const answers = await Promise.all([a.runSoon("count runs"), b.runSoon("count runs")]);
      accepted += answers.filter(Boolean).length;
      await sleep(250);
    }
    assert.ok(accepted >= 2, `some requests were queued (${accepted})`);
    await waitFor("every job to finish", async () => (await finishedJobs(a)).open === 0);
    await sleep(1500); // more cron passes on both instances: nothing new may run
    const jobs = await finishedJobs(a);
    assert.equal(jobs.open, 0);
    assert.equal(total(runs), jobs.completed, "one run per job, never two");
    assert.ok(
      jobs.completed >= accepted + 1 && jobs.completed <= accepted + 2,
      "the requests plus the occurrence(s) of this minute",
    );
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
});

test("after every instance stopped: schedules stay, a waiting job runs once, a missed occurrence runs once", async () => {
  const runs = new Map<string, number>();
  // Daily at 03:00 Tokyo: nothing comes due by itself while the test runs.
  const nightly = (instance: string): PeriodicTask => ({
    ...counting(runs, instance, "count nightly runs"),
    cron: "0 3 * * *",
  });
  const queue = "snsgov.count-nightly-runs";
  const first = await startJobs(app.ctx, app.handle, { tasks: [nightly("first")], boss: fast });
  const [schedule] = await first.boss.getSchedules(queue);
  assert.equal(schedule?.cron, "0 3 * * *");
  assert.equal(schedule?.timezone, "Asia/Tokyo");
  // A job due two seconds from now; everything stops before then.
  await first.boss.sendAfter(queue, null, null, 2);
  await first.stop();
  await sleep(2500);
  assert.equal(total(runs), 0, "nothing ran while stopped");

  const restart = () =>
    Promise.all([
      startJobs(app.ctx, app.handle, { tasks: [nightly("second")], boss: fast }),
      startJobs(app.ctx, app.handle, { tasks: [nightly("third")], boss: fast }),
    ]);
  let running = await restart();
  try {
    const [kept] = await running[0].boss.getSchedules(queue);
    assert.equal(
      kept?.createdOn.getTime(),
      schedule?.createdOn.getTime(),
      "the same schedule row, not made again",
    );
    await waitFor("the waiting job", () => total(runs) >= 1);
    await waitFor("every job to finish", async () => (await finishedJobs(running[0], queue)).open === 0);
    await sleep(1500);
    assert.equal(total(runs), 1, "the waiting job ran once, on one of the two restarted instances");
  } finally {
    await Promise.all(running.map((r) => r.stop()));
  }

  // A two-day outage: the last cron pass and the schedule are older than the last 03:00.
  await app.ctx.db.execute(sql.raw("update pgboss.version set cron_on = now() - interval '2 days'"));
  await app.ctx.db.execute(sql.raw("update pgboss.schedule set created_on = now() - interval '3 days'"));
  running = await restart();
  try {
    await waitFor("the missed occurrence", () => total(runs) >= 2);
    await waitFor("every job to finish", async () => (await finishedJobs(running[0], queue)).open === 0);
    await sleep(1500);
    assert.equal(
      total(runs),
      2,
      "one run for what was missed (not one per missed day), once across both instances",
    );
    assert.equal((await finishedJobs(running[0], queue)).completed, 2);
  } finally {
    await Promise.all(running.map((r) => r.stop()));
  }
});

test("a schedule of a task that no longer exists is removed at start", async () => {
  const runs = new Map<string, number>();
  const old = await startJobs(app.ctx, app.handle, {
    tasks: [{ name: "retired task", everyMs: 24 * 60 * 60_000, run: async () => {} }, counting(runs, "x")],
    boss: fast,
  });
  assert.ok((await old.boss.getSchedules("snsgov.retired-task")).length === 1);
  await old.stop();
  const current = await startJobs(app.ctx, app.handle, { tasks: [counting(runs, "y")], boss: fast });
  try {
    assert.deepEqual(await current.boss.getSchedules("snsgov.retired-task"), []);
    assert.equal((await current.boss.getSchedules(QUEUE)).length, 1);
  } finally {
    await current.stop();
  }
});
