/**
 * The reminder job, with a fixed clock: each due date of every feature reminds the right person
 * once (dedupe keys), at the right moment — tasks due tomorrow and overdue (an overdue rotation is
 * urgent and reaches the security director, 4.3.2), account applications at each step (4.1.2),
 * posts waiting for approval and post-hoc reports (5.1.4; to the manager or the deputy of the day,
 * never to someone who wrote part of the post), notice dates (4.5.1, 4.5.2), incident
 * steps (7) — with one audit entry per run that wrote something.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { seedAccount } from "../../../test/support/accounts.ts";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { seedKouhouKakarichou, seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { seedPost } from "../../../test/support/posts.ts";
import { updateAccount } from "../../db/repos/accounts.ts";
import { lastEntry } from "../../db/repos/audit.ts";
import { insertNotice, updateNotice } from "../../db/repos/notices.ts";
import { listNotifications, type NotificationRow } from "../../db/repos/notifications.ts";
import { insertDeputy, insertVersion, updatePost } from "../../db/repos/posts.ts";
import { openTask } from "../../db/repos/tasks.ts";
import { incidentSteps, incidents } from "../../db/schema.ts";
import { dueDatesOf } from "./calendar.ts";
import { sendDueReminders } from "./reminders.ts";

let app: TestApp;
let org: TestOrg;
let accountId: number;

before(async () => {
  app = await testApp({ start: "2026-04-01T00:00:00Z" }); // 09:00 on Wed 1 April in Tokyo
  org = await seedOrg(app.ctx);
  const account = await seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    operatorIds: [org.staff.kouhouStaff.id],
    name: "いわき市広報（X）",
  });
  accountId = account.id;
});
after(() => app.close());

async function inbox(staffId: number): Promise<NotificationRow[]> {
  return (await listNotifications(app.ctx.db, staffId, { unreadOnly: false, limit: 500, offset: 0 })).items;
}
async function keysOf(staffId: number): Promise<string[]> {
  return (await inbox(staffId)).map((n) => n.dedupeKey ?? "").sort();
}
const at = (iso: string) => app.clock.set(iso);

test("tasks: due tomorrow, then overdue; an overdue rotation is urgent and the security director is told; once each", async () => {
  const rotation = await openTask(app.ctx.db, {
    kind: "password_rotation",
    accountId,
    assigneeId: org.staff.kouhouManager.id,
    title: "人事異動に伴うパスワード変更（転出 一子さん）",
    clause: "4.3.2",
    dueDate: "2026-04-04",
    openedAt: app.clock.now(),
  });
  const unassigned = await openTask(app.ctx.db, {
    kind: "manager_change_confirm",
    accountId,
    assigneeId: null,
    title: "運用に携わる職員とID・パスワード管理者の確認",
    clause: "4.1.4",
    dueDate: "2026-04-03",
    openedAt: app.clock.now(),
  });
  assert.equal(await sendDueReminders(app.ctx), 0, "nothing due yet");

  at("2026-04-02T00:00:00Z"); // Thursday: the unassigned one is due tomorrow
  assert.equal(await sendDueReminders(app.ctx), 1);
  const [confirm] = await inbox(org.staff.kouhouManager.id);
  assert.equal(
    confirm?.dedupeKey,
    `task:${unassigned.id}:due`,
    "an unassigned task goes to the account manager",
  );
  assert.equal(
    confirm?.title,
    "明日が期限のタスクがあります: 運用に携わる職員とID・パスワード管理者の確認（いわき市広報（X））",
  );
  assert.equal(confirm?.body, "期限は令和8年（2026年）4月3日（金）です（第4-1(4)）。");
  assert.equal(confirm?.href, `/tasks/${unassigned.id}`);
  const audit = await lastEntry(app.ctx.db);
  assert.equal(audit?.action, "notification.remind");
  assert.equal(audit?.actorLabel, "scheduler");
  assert.equal(await sendDueReminders(app.ctx), 0, "not twice");

  at("2026-04-03T03:00:00Z"); // Friday noon: the rotation is due tomorrow
  await sendDueReminders(app.ctx);
  at("2026-04-05T00:00:00Z"); // Sunday: both overdue
  await sendDueReminders(app.ctx);
  assert.equal(await sendDueReminders(app.ctx), 0);

  const mine = await inbox(org.staff.kouhouManager.id);
  const overdue = mine.find((n) => n.dedupeKey === `task:${rotation.id}:overdue`);
  assert.equal(overdue?.urgent, true);
  assert.equal(overdue?.kind, "rotation");
  assert.equal(
    overdue?.title,
    "期限を過ぎたタスクがあります: 人事異動に伴うパスワード変更（転出 一子さん）（いわき市広報（X））",
  );
  assert.equal(
    overdue?.body,
    "期限は令和8年（2026年）4月4日（土）でした。速やかに対応し、完了を記録してください（第4-3(2)）。",
  );
  assert.equal(mine.find((n) => n.dedupeKey === `task:${unassigned.id}:overdue`)?.urgent, false);
  assert.deepEqual(await keysOf(org.staff.securityDirector.id), [`task:${rotation.id}:overdue`]);
  assert.deepEqual(await keysOf(org.staff.kouhouManager.id), [
    `task:${rotation.id}:due`,
    `task:${rotation.id}:overdue`,
    `task:${unassigned.id}:due`,
    `task:${unassigned.id}:overdue`,
  ]);
});

test("account applications remind the department head, then the policy director (4.1.2)", async () => {
  at("2026-04-06T00:00:00Z");
  const application = await seedAccount(app.ctx, {
    divisionId: org.divisions.soumuka.id,
    managerId: org.staff.soumuManager.id,
    name: "総務課の新しいアカウント",
    status: "pending_department_head",
  });
  await sendDueReminders(app.ctx);
  const head = (await inbox(org.staff.securityDirector.id)).find(
    (n) => n.href === `/accounts/${application.id}`,
  );
  assert.equal(
    head?.title,
    "公式アカウントの申請が部等の長（情報管理者）の許可を待っています（総務課の新しいアカウント）",
  );
  assert.equal(head?.kind, "approval");
  assert.ok(
    !(await inbox(org.staff.policyDirector.id)).some((n) => n.href === `/accounts/${application.id}`),
  );
  await updateAccount(app.ctx.db, application.id, { status: "pending_policy_director" }, app.clock.now());
  await sendDueReminders(app.ctx);
  const director = (await inbox(org.staff.policyDirector.id)).find(
    (n) => n.href === `/accounts/${application.id}`,
  );
  assert.equal(
    director?.title,
    "公式アカウントの申請が総合政策部長の許可を待っています（総務課の新しいアカウント）",
  );
});

test("a post waiting for approval reminds the manager when it arrives and again after a day; each version anew (5.1.4)", async () => {
  at("2026-04-06T00:00:00Z");
  const post = await seedPost(app.ctx, { accountId, authorId: org.staff.kouhouStaff.id, status: "pending" });
  const approvals = async () =>
    (await inbox(org.staff.kouhouManager.id))
      .filter((n) => n.href === `/posts/${post.id}` && n.kind === "approval")
      .map((n) => [n.dedupeKey, n.title, n.body]);
  await sendDueReminders(app.ctx);
  await sendDueReminders(app.ctx);
  assert.deepEqual(await approvals(), [
    [
      `post:${post.id}:v1:approval`,
      "承認待ちの投稿があります（いわき市広報（X））",
      "広報 主事さんが作成した投稿（第1版）が承認を待っています（第5-1(4)）。",
    ],
  ]);
  at("2026-04-06T23:00:00Z");
  assert.equal(await sendDueReminders(app.ctx), 0, "not a day yet");
  at("2026-04-07T00:30:00Z");
  await sendDueReminders(app.ctx);
  assert.deepEqual((await approvals())[0], [
    `post:${post.id}:v1:approval-late`,
    "1日以上承認を待っている投稿があります（いわき市広報（X））",
    "広報 主事さんが作成した投稿（第1版）が承認を待っています（第5-1(4)）。",
  ]);
  assert.equal(
    (await inbox(org.staff.kouhouStaff.id)).filter((n) => n.href === `/posts/${post.id}`).length,
    0,
  );
  // Edited and resubmitted with a schedule time this afternoon: version 2, near its time at once.
  await updatePost(
    app.ctx.db,
    post.id,
    { version: 2, submittedAt: app.clock.now(), scheduledAt: new Date("2026-04-07T06:00:00Z") },
    app.clock.now(),
  );
  await sendDueReminders(app.ctx);
  assert.deepEqual((await approvals())[0], [
    `post:${post.id}:v2:approval-late`,
    "予定時刻の近い投稿が承認を待っています（いわき市広報（X））",
    "広報 主事さんが作成した投稿（第2版）が承認を待っています（第5-1(4)）。予定時刻は令和8年（2026年）4月7日（火）15時00分です。",
  ]);
  assert.equal((await approvals()).length, 3);
});

test("post-hoc reports: an emergency one is urgent at once; then due within a day; then overdue", async () => {
  at("2026-04-08T00:00:00Z");
  const post = await seedPost(app.ctx, {
    accountId,
    authorId: org.staff.kouhouStaff.id,
    status: "published",
    category: "emergency",
  });
  await updatePost(
    app.ctx.db,
    post.id,
    { approvalRule: "post_hoc", reportDueAt: new Date("2026-04-09T15:00:00Z") },
    app.clock.now(),
  );
  const reports = async () =>
    (await inbox(org.staff.kouhouManager.id)).filter((n) => n.href === `/posts/${post.id}`);
  await sendDueReminders(app.ctx);
  const [arrived] = await reports();
  assert.equal(arrived?.title, "緊急告知が事後報告で発信されました（いわき市広報（X））");
  assert.equal(arrived?.kind, "emergency");
  assert.equal(arrived?.urgent, true);
  at("2026-04-09T00:00:00Z");
  await sendDueReminders(app.ctx);
  at("2026-04-10T00:00:00Z");
  await sendDueReminders(app.ctx);
  assert.deepEqual(
    (await reports()).map((n) => n.dedupeKey),
    [`post:${post.id}:report:overdue`, `post:${post.id}:report:due`, `post:${post.id}:report:new`],
  );
  assert.equal((await reports())[0]?.title, "事後報告の確認が期限を過ぎています（いわき市広報（X））");
});

test("notices: schedule the announcement in time, it starts tomorrow, takes effect tomorrow, the window ends (4.5)", async () => {
  at("2026-04-10T00:00:00Z");
  const other = await seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    name: "いわき市広報（Instagram）",
  });
  const late = await insertNotice(app.ctx.db, {
    accountId: other.id,
    kind: "closure",
    details: {},
    reason: "",
    effectiveDate: "2026-05-15",
    requestedBy: org.staff.kouhouManager.id,
    requestedAt: app.clock.now(),
  });
  const scheduled = await insertNotice(app.ctx.db, {
    accountId,
    kind: "change",
    details: {},
    reason: "",
    effectiveDate: "2026-06-01",
    requestedBy: org.staff.kouhouManager.id,
    requestedAt: app.clock.now(),
  });
  await updateNotice(app.ctx.db, scheduled.id, { status: "scheduled", announcementDate: "2026-04-11" });
  await sendDueReminders(app.ctx);
  const notices = async () => (await inbox(org.staff.kouhouManager.id)).filter((n) => n.kind === "notice");
  const byKey = async (key: string) => (await notices()).find((n) => n.dedupeKey === key);

  const scheduleBy = await byKey(`notice:${late.id}:schedule-by`);
  assert.equal(scheduleBy?.title, "「いわき市広報（Instagram）」の廃止の周知開始日を設定してください");
  assert.equal(
    scheduleBy?.body,
    "周知の前に総合政策部長へ届け出て、確認を受ける必要があります（第4-5(1)）。効力発生日（令和8年（2026年）5月15日（金））に間に合わせるには、令和8年（2026年）4月14日（火）までに周知を始めてください（第4-5(2)）。",
  );
  assert.equal(
    (await byKey(`notice:${scheduled.id}:announce`))?.title,
    "「いわき市広報（X）」の変更の周知が明日から始まります",
  );

  await updateNotice(app.ctx.db, scheduled.id, { status: "announced", displayUntil: "2027-06-01" });
  at("2026-05-31T00:00:00Z");
  await sendDueReminders(app.ctx);
  assert.equal(
    (await byKey(`notice:${scheduled.id}:effective`))?.title,
    "「いわき市広報（X）」の変更の効力が明日発生します",
  );
  at("2027-05-31T00:00:00Z");
  await updateNotice(app.ctx.db, scheduled.id, { status: "effective" });
  await sendDueReminders(app.ctx);
  assert.equal(
    (await byKey(`notice:${scheduled.id}:display-end`))?.title,
    "「いわき市広報（X）」の変更のお知らせの掲載が明日で終わります",
  );
  const count = (await notices()).length;
  await sendDueReminders(app.ctx);
  assert.equal((await notices()).length, count, "each once");
});

test("incident steps due within the hour and overdue remind their owner, urgently (7)", async () => {
  at("2027-06-01T00:00:00Z");
  const [incident] = await app.ctx.db
    .insert(incidents)
    .values({
      type: "flaming",
      title: "イベント告知への批判の拡散",
      noticedAt: app.clock.now(),
      reportedBy: org.staff.kouhouStaff.id,
      accountId,
      managerId: org.staff.kouhouManager.id,
    })
    .returning();
  assert.ok(incident);
  const [step, statement] = await app.ctx.db
    .insert(incidentSteps)
    .values([
      {
        incidentId: incident.id,
        stepKey: "record_reactions",
        title: "批判の内容と拡散の範囲を記録する",
        clause: "7.2.1",
        position: 1,
        ownerId: org.staff.kouhouStaff.id,
        dueAt: new Date("2027-06-01T02:00:00Z"),
      },
      {
        // Reminded by the incidents feature itself (its own alert and task, 7.2.3).
        incidentId: incident.id,
        stepKey: "holding_statement",
        title: "経過を説明する第一報を発信する",
        clause: "7.2.3",
        position: 2,
        ownerId: org.staff.kouhouStaff.id,
        dueAt: new Date("2027-06-01T02:00:00Z"),
      },
    ])
    .returning();
  assert.ok(statement);
  assert.ok(step);
  assert.equal(await sendDueReminders(app.ctx, { rules: ["incidents"] }), 0, "two hours ahead: not yet");
  at("2027-06-01T01:15:00Z");
  await sendDueReminders(app.ctx, { rules: ["incidents"] });
  at("2027-06-01T02:05:00Z");
  await sendDueReminders(app.ctx, { rules: ["incidents"] });
  const mine = (await inbox(org.staff.kouhouStaff.id)).filter((n) => n.kind === "incident");
  assert.deepEqual(
    mine.map((n) => [n.dedupeKey, n.urgent, n.title]),
    [
      [
        `incident-step:${step.id}:overdue`,
        true,
        "期限を過ぎたインシデント対応があります: 批判の内容と拡散の範囲を記録する",
      ],
      [
        `incident-step:${step.id}:due`,
        true,
        "期限が近いインシデント対応があります: 批判の内容と拡散の範囲を記録する",
      ],
    ],
  );
  assert.equal(mine[0]?.href, `/incidents/${incident.id}`);
  assert.equal(
    mine[0]?.body,
    "「イベント告知への批判の拡散」の対応「批判の内容と拡散の範囲を記録する」の期限は令和9年（2027年）6月1日（火）11時00分です（第7-2(1)）。",
  );
});

test("an incident task is alerted by the incidents feature when it opens; here only once it is overdue", async () => {
  at("2027-06-02T00:00:00Z");
  const task = await openTask(app.ctx.db, {
    kind: "incident_statement",
    accountId,
    assigneeId: org.staff.kouhouManager.id,
    title: "公式な説明がまだ発信されていません",
    clause: "7.2.3",
    dueDate: "2027-06-02",
    openedAt: app.clock.now(),
  });
  const about = async () =>
    (await inbox(org.staff.kouhouManager.id)).filter((n) => n.dedupeKey?.startsWith(`task:${task.id}:`));
  await sendDueReminders(app.ctx);
  assert.equal((await about()).length, 0, "no second alert on the day it opened");
  at("2027-06-03T00:00:00Z");
  await sendDueReminders(app.ctx);
  assert.deepEqual(
    (await about()).map((n) => [n.dedupeKey, n.kind, n.urgent]),
    [[`task:${task.id}:overdue`, "incident", true]],
  );
});

test("a manager who edited an earlier version is not reminded; the deputy of the day is (5.1.4)", async () => {
  at("2026-04-13T00:00:00Z"); // Monday
  const deputy = await seedKouhouKakarichou(app.ctx, org);
  const post = await seedPost(app.ctx, { accountId, authorId: org.staff.kouhouStaff.id, status: "pending" });
  // The manager wrote version 2; the operator version 3 (the author of the post is the operator).
  for (const [version, authorId] of [
    [2, org.staff.kouhouManager.id],
    [3, org.staff.kouhouStaff.id],
  ] as const) {
    await insertVersion(app.ctx.db, {
      postId: post.id,
      version,
      text: post.text,
      findings: [],
      images: [],
      authorId,
      at: app.clock.now(),
    });
  }
  await updatePost(app.ctx.db, post.id, { version: 3, submittedAt: app.clock.now() }, app.clock.now());
  const remindedOf = async (staffId: number) =>
    (await inbox(staffId)).filter((n) => n.href === `/posts/${post.id}`).map((n) => n.dedupeKey);

  await updatePost(app.ctx.db, post.id, { scheduledAt: new Date("2026-04-14T03:00:00Z") }, app.clock.now());
  await sendDueReminders(app.ctx);
  assert.deepEqual(await remindedOf(org.staff.kouhouManager.id), [], "barred from deciding, so not reminded");
  assert.ok(
    !(await dueDatesOf(app.ctx, org.staff.kouhouManager.id, app.clock.now())).some((e) =>
      (e.url ?? "").endsWith(`/posts/${post.id}`),
    ),
    "nor is it on their calendar",
  );
  assert.deepEqual(await remindedOf(deputy.staffId), [], "not the deputy yet");

  await insertDeputy(app.ctx.db, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    deputyId: deputy.staffId,
    fromDate: "2026-04-13",
    toDate: "2026-04-14",
    reason: "出張のため",
  });
  await sendDueReminders(app.ctx);
  assert.deepEqual(await remindedOf(deputy.staffId), [`post:${post.id}:v3:approval`]);
  assert.deepEqual(await remindedOf(org.staff.kouhouManager.id), []);

  // A post-hoc report the manager published himself goes to the deputy only.
  const report = await seedPost(app.ctx, {
    accountId,
    authorId: org.staff.kouhouStaff.id,
    status: "published",
    category: "fact",
  });
  await updatePost(
    app.ctx.db,
    report.id,
    {
      approvalRule: "post_hoc",
      publishedBy: org.staff.kouhouManager.id,
      reportDueAt: new Date("2026-04-15T15:00:00Z"),
    },
    app.clock.now(),
  );
  await sendDueReminders(app.ctx);
  const reportsTo = async (staffId: number) =>
    (await inbox(staffId)).filter((n) => n.href === `/posts/${report.id}`).length;
  assert.equal(await reportsTo(org.staff.kouhouManager.id), 0);
  assert.equal(await reportsTo(deputy.staffId), 1);
});
