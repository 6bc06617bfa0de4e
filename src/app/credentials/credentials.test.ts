import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { seedAccount } from "../../../test/support/accounts.ts";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { findAccount } from "../../db/repos/accounts.ts";
import { entriesAfter } from "../../db/repos/audit.ts";
import { insertStaff } from "../../db/repos/staff.ts";
import { findTask, openTask } from "../../db/repos/tasks.ts";
import { AppError } from "../../errors.ts";
import {
  addHolder,
  getCredentials,
  recordPasswordChange,
  removeHolder,
  updateSecurity,
} from "./credentials.ts";

let app: TestApp;
let org: TestOrg;

before(async () => {
  app = await testApp({ start: "2026-04-02T01:00:00Z" });
  org = await seedOrg(app.ctx);
});
after(() => app.close());

const refusedWith = (code: string) => (error: unknown) => error instanceof AppError && error.code === code;

async function lastSeq() {
  return (await entriesAfter(app.ctx.db, 0, 100000)).at(-1)?.seq ?? 0;
}

test("the manager adds holders; a third one is over the limit of 2 and shows as a warning (4.3.1)", async () => {
  const account = await seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    holderIds: [org.staff.kouhouManager.id],
  });
  const actor = org.actors.kouhouManager;
  const second = await addHolder(app.ctx, {
    actor,
    accountId: account.id,
    input: { staffId: org.staff.kouhouStaff.id },
  });
  assert.equal(second.overLimit, false);
  const third = await addHolder(app.ctx, {
    actor,
    accountId: account.id,
    input: { employeeNo: org.staff.desk.employeeNo },
  });
  assert.equal(third.count, 3);
  assert.equal(third.overLimit, true);
  const view = await getCredentials(app.ctx, { actor, accountId: account.id });
  assert.equal(view.overLimit, true);
  assert.deepEqual(
    view.holders.map((h) => [h.name, h.placement]),
    [
      ["広報 課長", "here"],
      ["広報 主事", "here"],
      ["発信 課長", "elsewhere"],
    ],
  );
  await assert.rejects(
    addHolder(app.ctx, { actor, accountId: account.id, input: { staffId: org.staff.desk.id } }),
    refusedWith("conflict"),
    "already a holder",
  );
  await removeHolder(app.ctx, { actor, accountId: account.id, staffId: org.staff.desk.id });
  assert.equal((await getCredentials(app.ctx, { actor, accountId: account.id })).overLimit, false);
});

test("only active staff can be added, and the form says what is missing", async () => {
  const account = await seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
  });
  const gone = await insertStaff(app.ctx.db, {
    employeeNo: "X0001",
    name: "退職 済子",
    kana: "",
    email: "x1@city.example.lg.jp",
    departmentId: org.departments.seisaku.id,
    divisionId: org.divisions.kouhou.id,
    positionId: org.positions.shuji.id,
    active: false,
  });
  const actor = org.actors.kouhouManager;
  await assert.rejects(
    addHolder(app.ctx, { actor, accountId: account.id, input: { staffId: gone.id } }),
    (e: unknown) => e instanceof AppError && e.code === "validation" && e.message.includes("在職していない"),
  );
  await assert.rejects(
    addHolder(app.ctx, { actor, accountId: account.id, input: {} }),
    (e: unknown) => e instanceof AppError && e.fields[0]?.field === "staffId",
  );
  await assert.rejects(
    addHolder(app.ctx, { actor, accountId: account.id, input: { employeeNo: "NOPE" } }),
    (e: unknown) => e instanceof AppError && e.fields[0]?.field === "employeeNo",
  );
});

test("an operator, a manager of another division and the auditor cannot change credentials; the auditor can read them", async () => {
  const account = await seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    operatorIds: [org.staff.kouhouStaff.id],
  });
  for (const actor of [
    org.actors.kouhouStaff,
    org.actors.soumuManager,
    org.actors.auditor,
    org.actors.admin,
  ]) {
    const seq = await lastSeq();
    await assert.rejects(
      updateSecurity(app.ctx, { actor, accountId: account.id, input: { mfaEnabled: false } }),
      refusedWith("forbidden"),
    );
    await assert.rejects(
      addHolder(app.ctx, { actor, accountId: account.id, input: { staffId: actor.staffId } }),
      refusedWith("forbidden"),
    );
    const denied = (await entriesAfter(app.ctx.db, seq, 10)).filter((e) => e.action === "auth.denied");
    assert.equal(denied.length, 2, "each refusal is on the audit log");
  }
  const view = await getCredentials(app.ctx, { actor: org.actors.auditor, accountId: account.id });
  assert.equal(view.canManage, false);
  assert.equal((await findAccount(app.ctx.db, account.id))?.mfaEnabled, true, "nothing changed");
});

test("recording a password change keeps who and when, and closes the rotation tasks it satisfies (4.3.2)", async () => {
  const account = await seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    holderIds: [org.staff.kouhouStaff.id],
  });
  const at = app.ctx.clock.now();
  const older = await openTask(app.ctx.db, {
    kind: "password_rotation",
    accountId: account.id,
    assigneeId: org.staff.kouhouManager.id,
    title: "人事異動に伴うパスワード変更（甲さん）",
    clause: "4.3.2",
    dueDate: "2026-04-04",
    cause: { reason: "transfer", staffId: org.staff.kouhouStaff.id, effectiveDate: "2026-04-01" },
    openedAt: at,
  });
  const later = await openTask(app.ctx.db, {
    kind: "password_rotation",
    accountId: account.id,
    assigneeId: org.staff.kouhouManager.id,
    title: "人事異動に伴うパスワード変更（乙さん）",
    clause: "4.3.2",
    dueDate: "2026-04-08",
    cause: { reason: "transfer", staffId: org.staff.desk.id, effectiveDate: "2026-04-05" },
    openedAt: at,
  });
  const actor = org.actors.kouhouManager;
  await assert.rejects(
    recordPasswordChange(app.ctx, { actor, accountId: account.id, input: { changedAt: "2026-04-03T09:00" } }),
    (e: unknown) => e instanceof AppError && e.fields[0]?.field === "changedAt",
    "the future is refused",
  );
  const seq = await lastSeq();
  const result = await recordPasswordChange(app.ctx, {
    actor,
    accountId: account.id,
    input: { changedAt: "2026-04-02T09:15", changedById: String(org.staff.kouhouStaff.id) },
  });
  assert.deepEqual(result.closedTaskIds, [older.id], "the change on 2 April satisfies the 1 April move only");
  const row = await findAccount(app.ctx.db, account.id);
  assert.equal(row?.passwordChangedAt?.toISOString(), "2026-04-02T00:15:00.000Z");
  assert.equal(row?.passwordChangedBy, org.staff.kouhouStaff.id);
  assert.equal((await findTask(app.ctx.db, later.id))?.status, "open");
  const entries = await entriesAfter(app.ctx.db, seq, 10);
  assert.deepEqual(
    entries.map((e) => e.action),
    ["credentials.rotated"],
    "one audit entry for the whole change",
  );
  const view = await getCredentials(app.ctx, { actor, accountId: account.id });
  assert.equal(view.passwordChangedByName, "広報 主事");
  assert.equal(view.rotations.length, 1);
});

test("two-factor and the security-policy reference are saved (4.3.3); a closed account cannot be changed", async () => {
  const account = await seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    mfaEnabled: false,
  });
  const actor = org.actors.kouhouManager;
  await updateSecurity(app.ctx, {
    actor,
    accountId: account.id,
    input: { mfaEnabled: "on", securityPolicyRef: "いわき市情報セキュリティ対策基準 第5章 2(3)" },
  });
  const row = await findAccount(app.ctx.db, account.id);
  assert.equal(row?.mfaEnabled, true);
  assert.equal(row?.securityPolicyRef, "いわき市情報セキュリティ対策基準 第5章 2(3)");

  const closed = await seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    status: "closed",
  });
  await assert.rejects(
    updateSecurity(app.ctx, { actor, accountId: closed.id, input: { mfaEnabled: "on" } }),
    (e: unknown) => e instanceof AppError && e.code === "conflict" && e.message.includes("廃止"),
  );
});
