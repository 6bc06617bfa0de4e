/**
 * The scheduled side of a change or closure (4.5): on the announcement date the notice goes
 * public, the account is 変更予告中 / 廃止予告中 and one task opens for the manager to send the
 * 届出 to the security director (4.5.1), even when the job runs twice at once; the director
 * receives it and confirms it; on the effective date the change is applied (and the manager must
 * keep the notice on the account for a year, 4.5.2) or the account closed; cancelling undoes an
 * announcement.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { seedAccount } from "../../../test/support/accounts.ts";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { policyConfirmed } from "../../../test/support/filings.ts";
import { seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { findAccount, listEvents } from "../../db/repos/accounts.ts";
import { entriesAfter, lastEntry } from "../../db/repos/audit.ts";
import { listFilings } from "../../db/repos/filings.ts";
import { findNotice } from "../../db/repos/notices.ts";
import { listNotifications } from "../../db/repos/notifications.ts";
import { listTasks } from "../../db/repos/tasks.ts";
import { AppError } from "../../errors.ts";
import { systemActor } from "../context.ts";
import { confirmFiling } from "../filings/decide.ts";
import { filingList } from "../filings/read.ts";
import { myTasks } from "../tasks.ts";
import { fileWithSecurityDirector } from "./filings.ts";
import { advanceDueNotices } from "./job.ts";
import { publicNotices } from "./read.ts";
import { requestNotice } from "./request.ts";
import { endKeepPosted } from "./sns.ts";
import { cancelNotice, scheduleAnnouncement } from "./steps.ts";

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
  await policyConfirmed(app, org, n.id);
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

  // 4.5.1: the manager sends the 届出; the security director receives it (task, notification).
  const send = () => fileWithSecurityDirector(app.ctx, { actor: org.actors.kouhouManager, noticeId });
  const sent = await send();
  assert.equal(sent.kind, "notice_security");
  assert.equal(sent.sentBy, org.staff.kouhouManager.id);
  const [done] = await listTasks(app.ctx.db, { accountId: account.id, kinds: ["notify_security_director"] });
  assert.equal(done?.status, "done", "the manager's task is done once the 届出 is sent");
  const [confirm] = await listTasks(app.ctx.db, {
    accountId: account.id,
    kinds: ["filing_confirm"],
    status: "open",
  });
  assert.equal(confirm?.assigneeId, org.staff.securityDirector.id, "the security director has a task");
  const inbox = await listNotifications(app.ctx.db, org.staff.securityDirector.id, {
    unreadOnly: true,
    limit: 50,
    offset: 0,
  });
  assert.ok(
    inbox.items.some((n) => n.kind === "filing" && n.href === `/filings/${sent.id}`),
    "and a notification linking to the 届出",
  );
  await assert.rejects(send(), /送付済み/);
  await assert.rejects(
    confirmFiling(app.ctx, { actor: org.actors.kouhouManager, filingId: sent.id }),
    (e: unknown) => e instanceof AppError && e.status === 403,
    "the manager cannot confirm their own 届出",
  );
  at("2026-02-01");
  await confirmFiling(app.ctx, { actor: org.actors.securityDirector, filingId: sent.id });
  const [seen] = (await filingList(app.ctx, { actor: org.actors.auditor })).filter((f) => f.id === sent.id);
  assert.equal(seen?.sentByName, org.staff.kouhouManager.name, "an auditor sees who sent it …");
  assert.equal(seen?.confirmedByName, org.staff.securityDirector.name, "… and who confirmed it");
  assert.equal(seen?.confirmedAt?.toISOString(), "2026-02-01T01:00:00.000Z", "… and when");
  assert.equal((await listFilings(app.ctx.db, { noticeIds: [noticeId] })).length, 2, "both 届出 of 4.5.1");

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

  // 4.5.2 変更後は両方に１年程度: the home page keeps it; the manager keeps it on the account.
  const [keep] = await listTasks(app.ctx.db, { accountId: account.id, kinds: ["notice_keep_posted"] });
  assert.equal(keep?.status, "open");
  assert.equal(keep?.assigneeId, org.staff.kouhouManager.id);
  assert.equal(keep?.dueDate, "2027-03-02", "it may come off the day after the last day");
  assert.match(keep?.title ?? "", /令和9年（2027年）3月1日（月）まで掲載し続ける/);
  at("2027-03-01");
  await assert.rejects(
    endKeepPosted(app.ctx, { actor: org.actors.kouhouManager, noticeId }),
    /令和9年（2027年）3月1日（月）まで掲載し続けてください.*令和9年（2027年）3月2日（火）から外せます/,
  );

  // Public for a year after the change (4.5.2), then history.
  assert.equal(await isPublic(noticeId), true);
  at("2027-03-02");
  assert.equal(await isPublic(noticeId), false);
  await endKeepPosted(app.ctx, {
    actor: org.actors.kouhouManager,
    noticeId,
    input: { note: "固定投稿を解除" },
  });
  const [ended] = await listTasks(app.ctx.db, { accountId: account.id, kinds: ["notice_keep_posted"] });
  assert.equal(ended?.status, "done");
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
  await policyConfirmed(app, org, closure.id);
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
