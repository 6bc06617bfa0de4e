import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { seedAccount } from "../../../test/support/accounts.ts";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { findAccount, listEvents, listHolders, listOperators } from "../../db/repos/accounts.ts";
import { entriesAfter } from "../../db/repos/audit.ts";
import { insertStaff } from "../../db/repos/staff.ts";
import { listTasks } from "../../db/repos/tasks.ts";
import { setStaffActive } from "../staff/people.ts";
import { recordTransfer } from "../staff/transfers.ts";

let app: TestApp;
let org: TestOrg;
let n = 0;

before(async () => {
  // 2026-03-31 10:00 in Tokyo.
  app = await testApp({ start: "2026-03-31T01:00:00Z" });
  org = await seedOrg(app.ctx);
});
after(() => app.close());

async function person(name: string, divisionId: number, departmentId: number, positionId: number) {
  n++;
  return insertStaff(app.ctx.db, {
    employeeNo: `R${String(n).padStart(4, "0")}`,
    name,
    kana: "",
    email: `r${n}@city.example.lg.jp`,
    departmentId,
    divisionId,
    positionId,
    active: true,
  });
}

async function transfer(
  staffId: number,
  to: { dept: number; div: number | null; pos: number },
  date = "2026-03-31",
) {
  return recordTransfer(app.ctx, {
    actor: org.actors.admin,
    input: {
      staffId,
      effectiveDate: date,
      toDepartmentId: to.dept,
      toDivisionId: to.div,
      toPositionId: to.pos,
    },
  });
}

async function openTasksOf(accountId: number, kind: string) {
  return listTasks(app.ctx.db, { accountId, kinds: [kind], status: "open" });
}

test("an operator's transfer opens one rotation task on each account they touch, due in 3 business days, for the manager", async () => {
  const { seisaku, soumu } = org.departments;
  const { kouhou, soumuka } = org.divisions;
  const op = await person("異動 一郎", kouhou.id, seisaku.id, org.positions.shuji.id);
  const a = await seedAccount(app.ctx, {
    divisionId: kouhou.id,
    managerId: org.staff.kouhouManager.id,
    operatorIds: [op.id],
  });
  const b = await seedAccount(app.ctx, {
    divisionId: kouhou.id,
    managerId: org.staff.kouhouManager.id,
    holderIds: [op.id],
    platform: "instagram",
  });
  const untouched = await seedAccount(app.ctx, {
    divisionId: kouhou.id,
    managerId: org.staff.kouhouManager.id,
  });
  const closed = await seedAccount(app.ctx, {
    divisionId: kouhou.id,
    managerId: org.staff.kouhouManager.id,
    operatorIds: [op.id],
    status: "closed",
  });
  const seq = (await entriesAfter(app.ctx.db, 0, 100000)).at(-1)?.seq ?? 0;

  const moved = await transfer(
    op.id,
    { dept: soumu.id, div: soumuka.id, pos: org.positions.shuji.id },
    "2026-03-30",
  );

  for (const account of [a, b]) {
    const tasks = await openTasksOf(account.id, "password_rotation");
    assert.equal(tasks.length, 1, `one task on account ${account.id}`);
    const [task] = tasks;
    assert.equal(task?.assigneeId, org.staff.kouhouManager.id);
    assert.equal(task?.dueDate, "2026-04-02", "3 business days after the effective date");
    assert.equal(task?.clause, "4.3.2");
    assert.equal(task?.title, "人事異動に伴うパスワード変更（異動 一郎さん）");
    assert.deepEqual(
      task?.cause && typeof task.cause === "object" && "transferId" in task.cause
        ? task.cause.transferId
        : null,
      moved.id,
    );
  }
  assert.equal((await openTasksOf(untouched.id, "password_rotation")).length, 0);
  assert.equal(
    (await openTasksOf(closed.id, "password_rotation")).length,
    0,
    "closed accounts need no rotation",
  );
  const opened = (await entriesAfter(app.ctx.db, seq, 100)).filter((e) => e.action === "task.open");
  assert.deepEqual(
    opened.map((e) => e.targetId).sort(),
    [String(a.id), String(b.id)].sort(),
    "one audit entry per account",
  );
});

test("a credential holder's transfer opens a rotation task too", async () => {
  const { seisaku, soumu } = org.departments;
  const holder = await person("鍵 次郎", org.divisions.soumuka.id, soumu.id, org.positions.shuji.id);
  const account = await seedAccount(app.ctx, {
    divisionId: org.divisions.soumuka.id,
    managerId: org.staff.soumuManager.id,
    holderIds: [holder.id],
  });
  await transfer(holder.id, {
    dept: seisaku.id,
    div: org.divisions.furusato.id,
    pos: org.positions.shuji.id,
  });
  const [task] = await openTasksOf(account.id, "password_rotation");
  assert.equal(task?.assigneeId, org.staff.soumuManager.id);
  assert.equal(task?.dueDate, "2026-04-03");
});

test("deactivating a holder (退職等) takes them off the lists and opens a rotation task due 3 business days from today", async () => {
  const holder = await person(
    "退職 三郎",
    org.divisions.soumuka.id,
    org.departments.soumu.id,
    org.positions.shuji.id,
  );
  const account = await seedAccount(app.ctx, {
    divisionId: org.divisions.soumuka.id,
    managerId: org.staff.soumuManager.id,
    holderIds: [holder.id],
    operatorIds: [holder.id],
  });
  await setStaffActive(app.ctx, { actor: org.actors.admin, id: holder.id, active: false });
  const [task] = await openTasksOf(account.id, "password_rotation");
  assert.equal(task?.dueDate, "2026-04-03");
  assert.equal(task?.title, "職員の退職等に伴うパスワード変更（退職 三郎さん）");
  // 4.3.2: someone who has left is on no account's lists any more; the manager confirms the rest.
  assert.ok(!(await listOperators(app.ctx.db, account.id)).some((o) => o.staffId === holder.id));
  assert.ok(!(await listHolders(app.ctx.db, account.id)).some((h) => h.staffId === holder.id));
  const events = await listEvents(app.ctx.db, account.id);
  assert.ok(
    events.some((e) => e.kind === "members_removed" && e.comment.startsWith("退職等により退職 三郎さんを")),
  );
  const [confirm] = await openTasksOf(account.id, "manager_change_confirm");
  assert.equal(confirm?.title, `退職等に伴う運用に携わる職員・ID管理者の確認（${account.name}）`);
});

test("a transfer of someone on no account opens nothing", async () => {
  const before = await listTasks(app.ctx.db, { status: "open" });
  const loner = await person(
    "無縁 四郎",
    org.divisions.furusato.id,
    org.departments.seisaku.id,
    org.positions.shuji.id,
  );
  await transfer(loner.id, {
    dept: org.departments.soumu.id,
    div: org.divisions.soumuka.id,
    pos: org.positions.shuji.id,
  });
  const afterwards = await listTasks(app.ctx.db, { status: "open" });
  assert.equal(afterwards.length, before.length);
});

test("a 課長 who leaves hands the accounts to the division's other head, who must confirm operators and holders", async () => {
  const { seisaku, soumu } = org.departments;
  const { furusato, soumuka } = org.divisions;
  // ふるさと発信課 has its 課長 (desk) and, for this test, a second head (担当課長).
  const second = await person("後任 五郎", furusato.id, seisaku.id, org.positions.kachou.id);
  const account = await seedAccount(app.ctx, {
    divisionId: furusato.id,
    managerId: org.staff.desk.id,
    holderIds: [org.staff.desk.id],
    operatorIds: [second.id],
  });
  await transfer(org.staff.desk.id, { dept: soumu.id, div: soumuka.id, pos: org.positions.kakarichou.id });

  assert.equal((await findAccount(app.ctx.db, account.id))?.managerId, second.id);
  const [confirm] = await openTasksOf(account.id, "manager_change_confirm");
  assert.equal(confirm?.assigneeId, second.id);
  assert.equal(confirm?.clause, "4.1.4");
  assert.equal(confirm?.dueDate, "2026-04-09", "7 business days after today (managerChangeConfirmDays)");
  const [rotation] = await openTasksOf(account.id, "password_rotation");
  assert.equal(rotation?.assigneeId, second.id, "the rotation goes to the new manager, not the one who left");
  const events = await listEvents(app.ctx.db, account.id);
  assert.ok(events.some((e) => e.kind === "manager_changed" && e.comment.includes("後任 五郎")));
});

test("without a successor the account is flagged; the next 課長 to arrive takes over and gets the tasks", async () => {
  const { seisaku, soumu } = org.departments;
  const { kouhou, soumuka } = org.divisions;
  const account = await seedAccount(app.ctx, {
    divisionId: kouhou.id,
    managerId: org.staff.kouhouManager.id,
    holderIds: [org.staff.kouhouManager.id],
    operatorIds: [org.staff.kouhouStaff.id],
  });
  const seq = (await entriesAfter(app.ctx.db, 0, 100000)).at(-1)?.seq ?? 0;
  await transfer(org.staff.kouhouManager.id, {
    dept: soumu.id,
    div: soumuka.id,
    pos: org.positions.kakarichou.id,
  });

  assert.equal(
    (await findAccount(app.ctx.db, account.id))?.managerId,
    org.staff.kouhouManager.id,
    "left as it was",
  );
  assert.ok((await listEvents(app.ctx.db, account.id)).some((e) => e.kind === "manager_vacant"));
  assert.ok(
    (await entriesAfter(app.ctx.db, seq, 100)).some(
      (e) => e.action === "account.manager_vacant" && e.targetId === String(account.id),
    ),
  );
  const [rotation] = await openTasksOf(account.id, "password_rotation");
  assert.equal(rotation?.assigneeId, null, "nobody heads the division yet");
  const waiting = await openTasksOf(account.id, "manager_change_confirm");
  assert.equal(waiting.length, 1, "the lists changed (the 課長 held the login): a confirmation waits");
  assert.equal(waiting[0]?.assigneeId, null, "for the next head of the division");

  const newcomer = await person(
    "新任 六子",
    org.divisions.furusato.id,
    seisaku.id,
    org.positions.kakarichou.id,
  );
  await transfer(newcomer.id, { dept: seisaku.id, div: kouhou.id, pos: org.positions.kachou.id });
  assert.equal((await findAccount(app.ctx.db, account.id))?.managerId, newcomer.id);
  const [confirm] = await openTasksOf(account.id, "manager_change_confirm");
  assert.equal(confirm?.assigneeId, newcomer.id);
  const [handed] = await openTasksOf(account.id, "password_rotation");
  assert.equal(handed?.assigneeId, newcomer.id, "the waiting rotation task is handed to the new manager");
});

test("a 課長 promoted within the same division keeps the accounts and opens no confirmation", async () => {
  const { soumu } = org.departments;
  const account = await seedAccount(app.ctx, {
    divisionId: org.divisions.soumuka.id,
    managerId: org.staff.soumuManager.id,
  });
  await transfer(org.staff.soumuManager.id, {
    dept: soumu.id,
    div: org.divisions.soumuka.id,
    pos: org.positions.kachou.id,
  });
  assert.equal((await findAccount(app.ctx.db, account.id))?.managerId, org.staff.soumuManager.id);
  assert.equal((await openTasksOf(account.id, "manager_change_confirm")).length, 0);
});
