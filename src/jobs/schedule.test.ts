/**
 * Every periodic task of the application has a queue and a schedule in Tokyo time: its own cron
 * when it has one, otherwise one derived from its interval that stays even across the hour/day.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { periodicTasks } from "../app/background.ts";
import { cronFor, queueName, scheduledJobs } from "./schedule.ts";

const run = async () => {};

test("intervals become even cron steps; a task's own cron wins", () => {
  const cases: Array<[number, string]> = [
    [30_000, "* * * * *"],
    [60_000, "* * * * *"],
    [5 * 60_000, "*/5 * * * *"],
    [7 * 60_000, "*/10 * * * *"],
    [10 * 60_000, "*/10 * * * *"],
    [30 * 60_000, "*/30 * * * *"],
    [60 * 60_000, "0 * * * *"],
    [5 * 60 * 60_000, "0 */6 * * *"],
    [24 * 60 * 60_000, "5 0 * * *"],
  ];
  for (const [everyMs, cron] of cases) assert.equal(cronFor({ everyMs }), cron, `${everyMs} ms`);
  assert.equal(cronFor({ everyMs: 60_000, cron: "0 8 * * *" }), "0 8 * * *");
});

test("queue names are stable slugs, and two tasks cannot share one", () => {
  assert.equal(
    queueName("Announce and apply account changes & closures"),
    "snsgov.announce-and-apply-account-changes-closures",
  );
  assert.throws(() => queueName("！？"), /needs a name/);
  assert.throws(
    () =>
      scheduledJobs([
        { name: "send reminders", everyMs: 60_000, run },
        { name: "Send reminders!", everyMs: 60_000, run },
      ]),
    /share the queue snsgov\.send-reminders/,
  );
});

test("the application's periodic work is all scheduled: transfers, sessions, features, reminders, e-mail, the 08:00 digest", () => {
  const jobs = new Map(scheduledJobs(periodicTasks()).map((j) => [j.queue, j.cron]));
  assert.equal(jobs.get("snsgov.apply-due-transfers"), "*/10 * * * *");
  assert.equal(jobs.get("snsgov.remove-expired-sessions"), "*/30 * * * *");
  assert.equal(jobs.get("snsgov.open-media-policy-review-tasks"), "5 0 * * *");
  assert.equal(jobs.get("snsgov.announce-and-apply-account-changes-and-closures"), "*/5 * * * *");
  assert.equal(jobs.get("snsgov.send-reminders"), "45 * * * *");
  assert.equal(jobs.get("snsgov.send-incident-reminders"), "*/5 * * * *");
  assert.equal(jobs.get("snsgov.deliver-notification-e-mail"), "* * * * *");
  assert.equal(jobs.get("snsgov.send-the-daily-digest"), "0 8 * * *");
});
