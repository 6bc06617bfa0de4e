/**
 * The scheduled side of a change or closure (4.5): on the announcement date the notice goes
 * public, the account is 変更予告中 / 廃止予告中 and one task opens to notify the security
 * director (4.5.1), even when the job runs twice at once; on the effective date the change is
 * applied or the account closed; cancelling undoes an announcement.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { seedAccount } from "../../../test/support/accounts.ts";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { findAccount, listEvents } from "../../db/repos/accounts.ts";
import { entriesAfter, lastEntry } from "../../db/repos/audit.ts";
import { findNotice } from "../../db/repos/notices.ts";
import { listTasks } from "../../db/repos/tasks.ts";
import { AppError } from "../../errors.ts";
import { systemActor } from "../context.ts";
import { myTasks } from "../tasks.ts";
import { advanceDueNotices } from "./job.ts";
import { publicNotices } from "./read.ts";
import { requestNotice } from "./request.ts";
import {
  cancelNotice,
  notifyPolicyDirector,
  recordSecurityNotification,
  scheduleAnnouncement,
} from "./steps.ts";

let app: TestApp;
let org: TestOrg;

before(async () => {
  app = await testApp({ start: "2026-01-15T01:00:00Z" });
  org = await seedOrg(app.ctx);
});
after(() => app.close());

const scheduler = systemActor("scheduler");
/** 10:00 in Tokyo on `date`. */
const at = (date: string) => app.clock.set(`${date}T01:00:00Z`);
const run = () => advanceDueNotices(app.ctx, scheduler);

/** An active account with a notice scheduled: requested on 15 January, announced on `announce`. */
async function scheduled(
  kind: "change" | "closure",
  announce: string,
  effective: string,
  details: Record<string, string> = {},
) {
  at("2026-01-15");
  const account = await seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    policy: true,
    name: "いわき市広報",
    handle: `iwaki_${kind}${Math.floor(Math.random() * 1e6)}`,
  });
  const actor = org.actors.kouhouManager;
  const n = await requestNotice(app.ctx, {
    actor,
    accountId: account.id,
    input: { kind, effectiveDate: effective, reason: "組織改編のため", ...details },
  });
  await notifyPolicyDirector(app.ctx, { actor, noticeId: n.id });
  await scheduleAnnouncement(app.ctx, { actor, noticeId: n.id, input: { announcementDate: announce } });
  return { account, noticeId: n.id };
}

const isPublic = async (noticeId: number) => (await publicNotices(app.ctx)).some((n) => n.id === noticeId);

test("on the announcement date the notice goes public, the account is 変更予告中, and one task opens (4.5.1)", async () => {
  const { account, noticeId } = await scheduled("change", "2026-01-31", "2026-03-01", {
    name: "いわき市広報広聴課",
    handle: "iwaki_kouhou2",
  });
  at("2026-01-30");
  assert.equal(await run(), 0, "nothing happens the day before");
  assert.equal(await isPublic(noticeId), false);
  assert.equal((await findAccount(app.ctx.db, account.id))?.status, "active");

  at("2026-01-31");
  const seq = (await lastEntry(app.ctx.db))?.seq ?? 0;
  const taken = await Promise.all([run(), run()]);
  assert.equal(taken[0] + taken[1], 1, "two runs at once announce it once");
  assert.equal(await run(), 0, "and a later run finds nothing more to do");
  const actions = (await entriesAfter(app.ctx.db, seq, 100)).map((e) => e.action);
  assert.deepEqual(actions, ["notice.announce"]);

  const notice = await findNotice(app.ctx.db, noticeId);
  assert.equal(notice?.status, "announced");
  assert.ok(notice?.announcedAt);
  assert.equal((await findAccount(app.ctx.db, account.id))?.status, "change_announced");
  assert.equal(await isPublic(noticeId), true);

  const tasks = await listTasks(app.ctx.db, { accountId: account.id, kinds: ["notify_security_director"] });
  assert.equal(tasks.length, 1, "one task, not two");
  assert.equal(tasks[0]?.assigneeId, org.staff.kouhouManager.id);
  assert.equal(tasks[0]?.clause, "4.5.1");
  assert.equal(tasks[0]?.dueDate, "2026-02-04", "due three business days after the (Saturday) announcement");
  const mine = await myTasks(app.ctx, org.actors.kouhouManager);
  assert.equal(mine.filter((t) => t.kind === "notify_security_director").length, 1, "in my tasks, once");

  // 4.5.1: recorded after the announcement, with when and how.
  const record = (input: Record<string, string>) =>
    recordSecurityNotification(app.ctx, { actor: org.actors.kouhouManager, noticeId, input });
  await assert.rejects(record({ notifiedOn: "2026-01-30", method: "文書" }), (e: unknown) => {
    assert.ok(e instanceof AppError);
    assert.match(e.message, /周知日（2026年1月31日）以降の日付/);
    return true;
  });
  await assert.rejects(record({ notifiedOn: "2026-02-01", method: "文書" }), /未来の日付/);
  await record({ notifiedOn: "2026-01-31", method: "電子メール", note: "総務部長あて" });
  const [done] = await listTasks(app.ctx.db, { accountId: account.id, kinds: ["notify_security_director"] });
  assert.equal(done?.status, "done");
  assert.deepEqual(done?.resolution, {
    notifiedOn: "2026-01-31",
    method: "電子メール",
    note: "総務部長あて",
  });
  await assert.rejects(record({ notifiedOn: "2026-01-31", method: "文書" }), /記録済み/);

  // On the effective date the change is applied, with an event from old to new.
  at("2026-02-28");
  assert.equal(await run(), 0);
  at("2026-03-01");
  assert.equal(await run(), 1);
  const changed = await findAccount(app.ctx.db, account.id);
  assert.equal(changed?.status, "active");
  assert.equal(changed?.name, "いわき市広報広聴課");
  assert.equal(changed?.handle, "iwaki_kouhou2");
  assert.equal(changed?.url, "https://x.com/iwaki_kouhou2");
  const event = (await listEvents(app.ctx.db, account.id)).find((e) => e.kind === "changed");
  assert.deepEqual(event?.snapshot, {
    noticeId,
    before: { name: "いわき市広報", alias: "", handle: account.handle, platform: "x", url: account.url },
    after: {
      name: "いわき市広報広聴課",
      alias: "",
      handle: "iwaki_kouhou2",
      platform: "x",
      url: "https://x.com/iwaki_kouhou2",
    },
  });
  assert.equal((await findNotice(app.ctx.db, noticeId))?.status, "effective");

  // Public for a year after the change (4.5.2), then history.
  at("2027-03-01");
  assert.equal(await isPublic(noticeId), true);
  at("2027-03-02");
  assert.equal(await isPublic(noticeId), false);
});

test("a closure closes the account on its date, keeps it, and stays public for six months", async () => {
  const { account, noticeId } = await scheduled("closure", "2026-02-01", "2026-03-02");
  at("2026-03-02"); // the server was down on the announcement date: both steps happen in one run
  assert.equal(await run(), 2);
  const closed = await findAccount(app.ctx.db, account.id);
  assert.equal(closed?.status, "closed");
  assert.equal(closed?.closedOn, "2026-03-02");
  assert.equal(closed?.name, "いわき市広報", "a closed account is kept as it was");
  const notice = await findNotice(app.ctx.db, noticeId);
  assert.equal(notice?.status, "effective");
  assert.equal(notice?.displayUntil, "2026-09-02");
  const events = (await listEvents(app.ctx.db, account.id)).map((e) => e.kind);
  assert.deepEqual(events.slice(-2), ["closure_announced", "closed"]);
  at("2026-09-02");
  assert.equal(await isPublic(noticeId), true);
  at("2026-09-03");
  assert.equal(await isPublic(noticeId), false);
});

test("cancelling an announced change returns the account to 運用中 and takes the notice off the public pages", async () => {
  const { account, noticeId } = await scheduled("change", "2026-01-20", "2026-03-01", {
    alias: "いわき広報",
  });
  at("2026-01-20");
  await run();
  assert.equal(await isPublic(noticeId), true);
  at("2026-02-10");
  const cancelled = await cancelNotice(app.ctx, { actor: org.actors.kouhouManager, noticeId });
  assert.equal(cancelled.status, "cancelled");
  assert.equal((await findAccount(app.ctx.db, account.id))?.status, "active");
  assert.equal(await isPublic(noticeId), false);
  const [task] = await listTasks(app.ctx.db, { accountId: account.id, kinds: ["notify_security_director"] });
  assert.equal(task?.status, "cancelled", "nothing left to notify");
  at("2026-03-01");
  assert.equal(await run(), 0, "a cancelled change is never applied");
  assert.equal((await findAccount(app.ctx.db, account.id))?.alias, "");

  // A new notice can be requested once the old one is cancelled; it cannot be cancelled on its effective date.
  const { noticeId: second } = await scheduled("closure", "2026-01-31", "2026-03-01");
  at("2026-01-31");
  await run();
  at("2026-03-01");
  await assert.rejects(
    cancelNotice(app.ctx, { actor: org.actors.kouhouManager, noticeId: second }),
    /廃止日を迎えた届出は取り消せません/,
  );
});

test("a closure can supersede an announced change; when it is announced the change is withdrawn", async () => {
  const { account, noticeId: changeId } = await scheduled("change", "2026-01-20", "2026-04-01", {
    name: "新名称",
  });
  at("2026-01-20");
  await run();
  at("2026-01-25");
  const closure = await requestNotice(app.ctx, {
    actor: org.actors.kouhouManager,
    accountId: account.id,
    input: { kind: "closure", effectiveDate: "2026-03-15", reason: "事業終了のため" },
  });
  await notifyPolicyDirector(app.ctx, { actor: org.actors.kouhouManager, noticeId: closure.id });
  await scheduleAnnouncement(app.ctx, {
    actor: org.actors.kouhouManager,
    noticeId: closure.id,
    input: { announcementDate: "2026-02-10" },
  });
  at("2026-02-10");
  assert.equal(await run(), 1);
  assert.equal((await findAccount(app.ctx.db, account.id))?.status, "closure_announced");
  assert.equal((await findNotice(app.ctx.db, changeId))?.status, "cancelled");
  assert.equal(await isPublic(changeId), false);
  assert.equal(await isPublic(closure.id), true);
  at("2026-03-15");
  await run();
  const closed = await findAccount(app.ctx.db, account.id);
  assert.equal(closed?.status, "closed");
  assert.equal(closed?.name, "いわき市広報", "the withdrawn change was never applied");
});
