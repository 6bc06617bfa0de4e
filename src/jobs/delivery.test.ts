/**
 * E-mail goes out by a job right after the change that wrote the notification commits — not
 * inside its transaction, and without waiting for the next scheduled delivery — and a change that
 * rolls back sends nothing.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { type TestApp, testApp } from "../../test/support/context.ts";
import { seedOrg, type TestOrg } from "../../test/support/org.ts";
import { change } from "../app/audit/record.ts";
import { deliveryTask } from "../app/notifications/feature.ts";
import { notify } from "../app/notifications/notify.ts";
import { startTestSmtp, type TestSmtp } from "../app/notifications/testing.ts";
import { type JobRunner, startJobs } from "./runner.ts";

let smtp: TestSmtp;
let app: TestApp;
let org: TestOrg;
let jobs: JobRunner;

before(async () => {
  smtp = await startTestSmtp();
  app = await testApp({ env: smtp.env() });
  org = await seedOrg(app.ctx);
  // Only the delivery task, at a time of day that never comes during the test: what sends the
  // mail below is the kick after the commit.
  jobs = await startJobs(app.ctx, app.handle, { tasks: [{ ...deliveryTask, cron: "0 3 1 1 *" }] });
});
after(async () => {
  await jobs.stop();
  await app.close();
  await smtp.close();
});

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) return false;
    await sleep(50);
  }
  return true;
}

test("a committed change's notification is e-mailed at once by the delivery job", async () => {
  let seenDuringTransaction = -1;
  await change(app.ctx, org.actors.admin, "notification.remind", async (tx) => {
    await notify(app.ctx, tx, {
      recipientIds: [org.staff.securityDirector.id],
      kind: "incident",
      title: "なりすましアカウントが報告されました",
      href: "/incidents/1",
    });
    await sleep(300);
    seenDuringTransaction = smtp.received.length;
    return { result: undefined, target: { type: "test" }, summary: {} };
  });
  assert.equal(seenDuringTransaction, 0, "nothing is sent before the commit");
  assert.ok(await waitFor(() => smtp.received.length === 1, 10_000), "sent within seconds of the commit");
  assert.equal(smtp.received[0]?.subject, "【snsgov】【至急】なりすましアカウントが報告されました");
  assert.deepEqual(smtp.received[0]?.to, [org.staff.securityDirector.email]);
});

test("a change that rolls back sends nothing", async () => {
  const before = smtp.received.length;
  await assert.rejects(
    change(app.ctx, org.actors.admin, "notification.remind", async (tx) => {
      await notify(app.ctx, tx, {
        recipientIds: [org.staff.policyDirector.id],
        kind: "incident",
        title: "取り消される通知",
      });
      throw new Error("the use case failed");
    }),
  );
  await sleep(2000);
  assert.equal(smtp.received.length, before);
});
