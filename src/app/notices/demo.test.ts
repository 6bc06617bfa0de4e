/**
 * The demo notices: a change and a closure in their public window — the change with both 届出
 * confirmed and its announcement published on the account — and one request whose 届出 waits for
 * the policy director.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { seedAccount } from "../../../test/support/accounts.ts";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { findAccount } from "../../db/repos/accounts.ts";
import { listFilings } from "../../db/repos/filings.ts";
import { listNotices } from "../../db/repos/notices.ts";
import { listTasks } from "../../db/repos/tasks.ts";
import { demoNotices } from "./demo.ts";
import { publicNotices } from "./read.ts";

let app: TestApp;
let org: TestOrg;

before(async () => {
  app = await testApp({ start: "2026-06-10T01:00:00Z" });
  org = await seedOrg(app.ctx);
});
after(() => app.close());

test("the demo puts a change and a closure in their public window and leaves one request to notify", async () => {
  await demoNotices(app.ctx);
  assert.equal((await listNotices(app.ctx.db, { visible: null })).length, 0, "no accounts, no notices");

  const accounts = [];
  for (let i = 0; i < 3; i++) {
    accounts.push(
      await seedAccount(app.ctx, {
        divisionId: org.divisions.kouhou.id,
        managerId: org.staff.kouhouManager.id,
        operatorIds: [org.staff.kouhouStaff.id],
        policy: true,
      }),
    );
  }
  await demoNotices(app.ctx);
  const notices = await listNotices(app.ctx.db, { visible: null });
  assert.deepEqual(notices.map((n) => `${n.kind}:${n.status}`).sort(), [
    "change:announced",
    "change:requested",
    "closure:announced",
  ]);
  assert.equal((await publicNotices(app.ctx)).length, 2);
  const statuses = await Promise.all(
    accounts.map(async (a) => (await findAccount(app.ctx.db, a.id))?.status),
  );
  assert.deepEqual(statuses.sort(), ["active", "change_announced", "closure_announced"]);
  const tasks = await listTasks(app.ctx.db, { kinds: ["notify_security_director"] });
  assert.deepEqual(tasks.map((t) => t.status).sort(), ["done", "open"]);
  const filings = await listFilings(app.ctx.db, {});
  assert.deepEqual(filings.map((f) => `${f.kind}:${f.status}`).sort(), [
    "notice_policy:confirmed",
    "notice_policy:confirmed",
    "notice_policy:sent",
    "notice_security:confirmed",
  ]);
  const change = notices.find((n) => n.kind === "change" && n.status === "announced");
  assert.ok(change?.snsPublishedAt, "the change was announced on the account too");
  assert.ok(change?.announcementPostId);

  await demoNotices(app.ctx);
  assert.equal((await listNotices(app.ctx.db, { visible: null })).length, 3, "a second run adds nothing");
});
