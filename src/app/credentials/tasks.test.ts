import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { seedAccount } from "../../../test/support/accounts.ts";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { findAccount } from "../../db/repos/accounts.ts";
import { insertStaff } from "../../db/repos/staff.ts";
import { findTask, listTasks, openTask } from "../../db/repos/tasks.ts";
import { AppError } from "../../errors.ts";
import { recordTransfer } from "../staff/transfers.ts";
import { myTasks } from "../tasks.ts";
import { completeTask, getTask, taskBoard } from "./tasks.ts";

let app: TestApp;
let org: TestOrg;

before(async () => {
  // 2026-04-01 09:00 in Tokyo: the day of the spring transfers.
  app = await testApp({ start: "2026-04-01T00:00:00Z" });
  org = await seedOrg(app.ctx);
});
after(() => app.close());

const refused = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;

async function moveOut(staffId: number) {
  await recordTransfer(app.ctx, {
    actor: org.actors.admin,
    input: {
      staffId,
      effectiveDate: "2026-04-01",
      toDepartmentId: org.departments.soumu.id,
      toDivisionId: org.divisions.soumuka.id,
      toPositionId: org.positions.shuji.id,
    },
  });
}

test("closing a rotation task records who changed the password and when, and updates the account", async () => {
  const holder = await insertStaff(app.ctx.db, {
    employeeNo: "K0001",
    name: "異動 花子",
    kana: "",
    email: "k1@city.example.lg.jp",
    departmentId: org.departments.seisaku.id,
    divisionId: org.divisions.kouhou.id,
    positionId: org.positions.shuji.id,
    active: true,
  });
  const account = await seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    holderIds: [holder.id, org.staff.kouhouStaff.id],
  });
  await moveOut(holder.id);
  const [task] = await listTasks(app.ctx.db, {
    accountId: account.id,
    kinds: ["password_rotation"],
    status: "open",
  });
  assert.ok(task);
  const manager = org.actors.kouhouManager;

  const detail = await getTask(app.ctx, { actor: manager, id: task.id });
  assert.equal(detail.form, "rotation");
  assert.ok(detail.causeText?.includes("異動 花子さんの人事異動"));
  assert.ok(
    detail.changers.some((p) => p.id === org.staff.kouhouStaff.id),
    "holders are offered",
  );

  await assert.rejects(
    completeTask(app.ctx, { actor: manager, id: task.id, input: { changedAt: "2026-03-31T17:00" } }),
    (e: unknown) =>
      e instanceof AppError && e.fields[0]?.field === "changedAt" && e.message.includes("第4-3(2)"),
    "a change before the transfer does not count",
  );
  app.clock.advance(2 * 60 * 60 * 1000);
  await completeTask(app.ctx, {
    actor: manager,
    id: task.id,
    input: { changedAt: "2026-04-01T10:30", changedById: String(org.staff.kouhouStaff.id) },
  });
  const closed = await findTask(app.ctx.db, task.id);
  assert.equal(closed?.status, "done");
  assert.equal(closed?.doneBy, org.staff.kouhouManager.id);
  const row = await findAccount(app.ctx.db, account.id);
  assert.equal(row?.passwordChangedAt?.toISOString(), "2026-04-01T01:30:00.000Z");
  assert.equal(row?.passwordChangedBy, org.staff.kouhouStaff.id);
  const done = await getTask(app.ctx, { actor: manager, id: task.id });
  assert.equal(done.form, "none");
  assert.deepEqual(done.resolutionLines, [
    "パスワードを変更した日時: 令和8年（2026年）4月1日（水）10時30分（広報 主事さん）",
  ]);
  await assert.rejects(
    completeTask(app.ctx, { actor: manager, id: task.id, input: { changedAt: "2026-04-01T10:30" } }),
    refused("conflict"),
    "a task closes once",
  );
});

test("the confirmation after a manager change needs every operator and holder ticked (4.1.4)", async () => {
  const account = await seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    operatorIds: [org.staff.kouhouStaff.id],
    holderIds: [org.staff.kouhouManager.id, org.staff.kouhouStaff.id],
  });
  const task = await openTask(app.ctx.db, {
    kind: "manager_change_confirm",
    accountId: account.id,
    assigneeId: org.staff.kouhouManager.id,
    title: "アカウント管理者の交代に伴う運用に携わる職員・ID管理者の確認",
    clause: "4.1.4",
    dueDate: "2026-04-08",
    cause: { reason: "transfer", staffId: org.staff.kouhouManager.id, previousManagerId: org.staff.desk.id },
    openedAt: app.ctx.clock.now(),
  });
  const actor = org.actors.kouhouManager;
  const detail = await getTask(app.ctx, { actor, id: task.id });
  assert.equal(detail.form, "confirm");
  assert.deepEqual(
    detail.holders.map((h) => h.name),
    ["広報 課長", "広報 主事"],
  );
  await assert.rejects(
    completeTask(app.ctx, {
      actor,
      id: task.id,
      input: {
        operatorIds: [String(org.staff.kouhouStaff.id)],
        holderIds: [String(org.staff.kouhouManager.id)],
      },
    }),
    (e: unknown) =>
      e instanceof AppError &&
      e.fields.length === 1 &&
      e.fields[0]?.message.includes("広報 主事さんが未確認"),
  );
  await completeTask(app.ctx, {
    actor,
    id: task.id,
    input: {
      operatorIds: [String(org.staff.kouhouStaff.id)],
      holderIds: [String(org.staff.kouhouManager.id), String(org.staff.kouhouStaff.id)],
    },
  });
  const lines = (await getTask(app.ctx, { actor, id: task.id })).resolutionLines;
  assert.deepEqual(lines, [
    "確認した運用に携わる職員: 広報 主事",
    "確認したID・パスワードを扱う職員: 広報 課長、広報 主事",
  ]);
});

test("only the assignee, the account manager or an admin closes a task; the auditor reads it", async () => {
  const account = await seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    operatorIds: [org.staff.kouhouStaff.id],
  });
  const open = () =>
    openTask(app.ctx.db, {
      kind: "manual_check",
      accountId: account.id,
      assigneeId: org.staff.kouhouManager.id,
      title: "広報紙との掲載内容の確認",
      clause: "",
      dueDate: "2026-04-30",
      openedAt: app.ctx.clock.now(),
    });
  const task = await open();
  for (const actor of [org.actors.kouhouStaff, org.actors.soumuManager, org.actors.auditor]) {
    await assert.rejects(
      completeTask(app.ctx, { actor, id: task.id, input: { note: "" } }),
      refused("forbidden"),
    );
  }
  await assert.rejects(
    getTask(app.ctx, { actor: org.actors.soumuManager, id: task.id }),
    refused("forbidden"),
  );
  const read = await getTask(app.ctx, { actor: org.actors.auditor, id: task.id });
  assert.equal(read.canClose, false);
  assert.equal(read.form, "none");

  await completeTask(app.ctx, {
    actor: org.actors.admin,
    id: task.id,
    input: { note: "見直し済み（紙で決裁）" },
  });
  const row = await findTask(app.ctx.db, task.id);
  assert.equal(row?.status, "done");
  assert.deepEqual(row?.resolution, { note: "見直し済み（紙で決裁）" });

  const assigned = await openTask(app.ctx.db, {
    kind: "manual_check",
    accountId: account.id,
    assigneeId: org.staff.kouhouStaff.id,
    title: "写真の掲載許諾の確認",
    clause: "5.1.3",
    dueDate: "2026-04-03",
    openedAt: app.ctx.clock.now(),
  });
  await completeTask(app.ctx, { actor: org.actors.kouhouStaff, id: assigned.id, input: {} });
  assert.equal((await findTask(app.ctx.db, assigned.id))?.status, "done", "the assignee may close their own");
});

test("a task another feature closes itself links there instead of offering 「完了にする」", async () => {
  const account = await seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
  });
  const task = await openTask(app.ctx.db, {
    kind: "policy_review",
    accountId: account.id,
    assigneeId: org.staff.kouhouManager.id,
    title: "メディアポリシーの見直し",
    clause: "4.2.3",
    dueDate: "2026-04-30",
    openedAt: app.ctx.clock.now(),
  });
  const actor = org.actors.kouhouManager;
  const detail = await getTask(app.ctx, { actor, id: task.id });
  assert.equal(detail.form, "elsewhere");
  assert.equal(detail.elsewhere?.href, `/accounts/${account.id}/policy`);
  await assert.rejects(completeTask(app.ctx, { actor, id: task.id, input: {} }), refused("conflict"));
  assert.equal((await findTask(app.ctx.db, task.id))?.status, "open");
});

test("the board puts overdue tasks first; my tasks on the dashboard link to each task", async () => {
  const account = await seedAccount(app.ctx, {
    divisionId: org.divisions.soumuka.id,
    managerId: org.staff.soumuManager.id,
  });
  const make = (title: string, dueDate: string, assigneeId: number | null) =>
    openTask(app.ctx.db, {
      kind: "password_rotation",
      accountId: account.id,
      assigneeId,
      title,
      clause: "4.3.2",
      dueDate,
      openedAt: app.ctx.clock.now(),
    });
  const soon = await make("期限の近いタスク", "2026-04-20", org.staff.soumuManager.id);
  const late = await make("期限の過ぎるタスク", "2026-04-05", org.staff.soumuManager.id);
  const nobody = await make("担当者のいないタスク", "2026-04-10", null);
  app.clock.set("2026-04-07T00:00:00Z");
  const board = await taskBoard(app.ctx, { actor: org.actors.soumuManager });
  assert.deepEqual(
    board.mine.map((t) => [t.id, t.overdue]),
    [
      [late.id, true],
      [soon.id, false],
    ],
  );
  assert.deepEqual(
    board.division.map((t) => t.id),
    [nobody.id],
    "the manager also sees the division's unassigned task",
  );
  const mine = (await myTasks(app.ctx, org.actors.soumuManager)).filter(
    (t) => t.kind === "password_rotation",
  );
  assert.deepEqual(
    mine.map((t) => [t.href, t.overdue, t.due]),
    [
      [`/tasks/${late.id}`, true, "2026-04-05"],
      [`/tasks/${soon.id}`, false, "2026-04-20"],
    ],
  );
  const staffBoard = await taskBoard(app.ctx, { actor: org.actors.soumuStaff });
  assert.equal(staffBoard.mine.length + staffBoard.division.length, 0, "not the staff member's tasks");
});
