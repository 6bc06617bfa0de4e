/**
 * 8.2 周知徹底: who must acknowledge — in the scope the policy director sets: first the staff of
 * divisions with accounts plus every role (derived or assigned) and operator, then all staff,
 * never the setup department —, rates by department for fixed data, what a person is shown (the whole text the first time, only the
 * changes since the version they acknowledged afterwards), and reminders 14 days after
 * publication, once, to those who have not acknowledged.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { seedAccount } from "../../../test/support/accounts.ts";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { lastEntry } from "../../db/repos/audit.ts";
import { insertDepartment } from "../../db/repos/org.ts";
import { insertStaff } from "../../db/repos/staff.ts";
import { listTasks } from "../../db/repos/tasks.ts";
import { AppError } from "../../errors.ts";
import { systemActor } from "../context.ts";
import { myTasks } from "../tasks.ts";
import {
  acknowledgeGuideline,
  acknowledgementScope,
  acknowledgementStatus,
  acknowledgementView,
  sendAcknowledgementReminders,
  setAcknowledgementScope,
} from "./acknowledgement.ts";
import { draftFromCurrent, publishGuidelineVersion, updateGuidelineDraft } from "./versions.ts";

let app: TestApp;
let org: TestOrg;
const DAY = 24 * 60 * 60_000;

before(async () => {
  // 2026-06-01 10:00 in Tokyo.
  app = await testApp({ start: "2026-06-01T01:00:00Z" });
  org = await seedOrg(app.ctx);
  // 広報 主事 operates an account (3, 4.1.3); 総務 主事 holds no role.
  await seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    operatorIds: [org.staff.kouhouStaff.id],
  });
  // The first start's 「（初期設定用の部）」 with its administrator: never counted (8.2).
  const setup = await insertDepartment(app.ctx.db, { code: "setup", name: "（初期設定用の部）", kana: "" });
  await insertStaff(app.ctx.db, {
    employeeNo: "admin-setup",
    name: "初期管理者",
    kana: "しょきかんりしゃ",
    email: "setup-admin@snsgov.invalid",
    departmentId: setup.id,
    divisionId: null,
    positionId: org.positions.shuji.id,
    active: true,
  });
  // The policy director narrows the scope to divisions with accounts and role holders.
  await setAcknowledgementScope(app.ctx, {
    actor: org.actors.policyDirector,
    input: { scope: "account_divisions" },
  });
});
after(() => app.close());

async function currentVersionId(): Promise<number> {
  return (await acknowledgementView(app.ctx, { actor: org.actors.kouhouStaff })).version.id;
}

test("a first reading shows the whole text; 確認しました records it once", async () => {
  const view = await acknowledgementView(app.ctx, { actor: org.actors.kouhouManager });
  assert.equal(view.required, true);
  assert.equal(view.base, null);
  assert.equal(view.acknowledgedAt, null);
  assert.ok(view.clauses.length > 60, "every clause of the guideline");
  assert.ok(view.clauses.some((c) => c.id === "8.2" && c.after.includes("周知徹底")));

  const versionId = view.version.id;
  for (const actor of [
    org.actors.policyDirector,
    org.actors.kouhouManager,
    org.actors.desk,
    org.actors.admin,
  ]) {
    await acknowledgeGuideline(app.ctx, { actor, input: { versionId } });
  }
  await assert.rejects(
    acknowledgeGuideline(app.ctx, { actor: org.actors.admin, input: { versionId } }),
    (e: unknown) => e instanceof AppError && e.code === "conflict" && /すでに確認済み/.test(e.message),
  );
  const seen = await acknowledgementView(app.ctx, { actor: org.actors.kouhouManager });
  assert.ok(seen.acknowledgedAt instanceof Date);
  const notRequired = await acknowledgementView(app.ctx, { actor: org.actors.soumuStaff });
  assert.equal(notRequired.required, false, "a member of staff with no role is not asked");
});

test("rates by department count every role holder and operator, and name who has not", async () => {
  const status = await acknowledgementStatus(app.ctx, { actor: org.actors.policyDirector });
  const rows = status.departments.map((d) => [d.departmentName, d.acknowledged, d.required, d.percent]);
  assert.deepEqual(rows, [
    ["総合政策部", 3, 4, 75],
    ["総務部", 1, 4, 25],
  ]);
  assert.deepEqual(
    status.departments.map((d) => d.pending.map((p) => p.name)),
    [["広報 主事"], ["総務 部長", "監査 花子", "総務 課長"]],
  );
  assert.equal(status.percent, 50);
  assert.equal(status.remindOn, "2026-06-15");
  for (const actor of [org.actors.kouhouManager, org.actors.auditor, org.actors.securityDirector]) {
    await assert.rejects(
      acknowledgementStatus(app.ctx, { actor }),
      (e: unknown) => e instanceof AppError && e.code === "forbidden",
    );
  }
  const admin = await acknowledgementStatus(app.ctx, { actor: org.actors.admin });
  assert.equal(admin.required, 8);
});

test("those who have not acknowledged are reminded 14 days after publication, once", async () => {
  const pendingIds = [
    org.staff.kouhouStaff.id,
    org.staff.securityDirector.id,
    org.staff.auditor.id,
    org.staff.soumuManager.id,
  ].sort();
  const before = await myTasks(app.ctx, org.actors.kouhouStaff);
  assert.ok(
    before.some((t) => t.kind === "guideline_ack" && t.href === "/guideline/acknowledge" && !t.overdue),
  );
  assert.ok(!(await myTasks(app.ctx, org.actors.kouhouManager)).some((t) => t.kind === "guideline_ack"));

  app.clock.set("2026-06-14T14:00:00Z"); // 14 June 23:00 in Tokyo: 13 days
  assert.equal(await sendAcknowledgementReminders(app.ctx, systemActor("scheduler")), 0);
  app.clock.set("2026-06-14T15:00:00Z"); // 15 June 00:00 in Tokyo: 14 days
  assert.equal(await sendAcknowledgementReminders(app.ctx, systemActor("scheduler")), 4);
  const opened = await listTasks(app.ctx.db, { kinds: ["guideline_ack"], status: "open" });
  assert.deepEqual(opened.map((t) => t.assigneeId).sort(), pendingIds);
  assert.ok(opened.every((t) => t.clause === "8.2" && t.dueDate === "2026-06-15"));
  assert.equal(await sendAcknowledgementReminders(app.ctx, systemActor("scheduler")), 0, "never twice");

  // The task row is the reminder now; the feature does not list the same thing again.
  const mine = (await myTasks(app.ctx, org.actors.kouhouStaff)).filter((t) => t.kind === "guideline_ack");
  assert.equal(mine.length, 1);

  await acknowledgeGuideline(app.ctx, {
    actor: org.actors.kouhouStaff,
    input: { versionId: await currentVersionId() },
  });
  const left = await listTasks(app.ctx.db, { kinds: ["guideline_ack"], status: "open" });
  assert.ok(
    !left.some((t) => t.assigneeId === org.staff.kouhouStaff.id),
    "acknowledging closes the reminder",
  );
  assert.ok(!(await myTasks(app.ctx, org.actors.kouhouStaff)).some((t) => t.kind === "guideline_ack"));
});

test("after a new version, a person sees only what changed since the version they acknowledged", async () => {
  app.clock.advance(DAY);
  const oldId = await currentVersionId();
  const draft = await draftFromCurrent(app.ctx, { actor: org.actors.policyDirector });
  await updateGuidelineDraft(app.ctx, {
    actor: org.actors.policyDirector,
    id: draft.id,
    input: {
      label: "令和8年7月1日改正",
      effectiveDate: "2026-07-01",
      summary: "",
      clauses: {
        ...(await acknowledgementView(app.ctx, { actor: org.actors.kouhouManager })).clauses.reduce<
          Record<string, string>
        >((all, c) => Object.assign(all, { [c.id]: c.after }), {}),
        "10": "ガイドラインに定めのない事項については、ふるさと発信課長に協議するものとする。協議の結果は職員に共有する。",
      },
    },
  });
  await publishGuidelineVersion(app.ctx, {
    actor: org.actors.policyDirector,
    id: draft.id,
    input: { effectiveDate: "2026-07-01", summary: "第10に協議結果の共有を加えました。" },
  });

  const view = await acknowledgementView(app.ctx, { actor: org.actors.kouhouManager });
  assert.equal(view.version.id, draft.id);
  assert.equal(view.base?.id, oldId);
  assert.deepEqual(
    view.clauses.map((c) => [c.id, c.kind]),
    [["10", "changed"]],
  );
  assert.deepEqual(
    view.clauses[0]?.segments.filter((s) => s.kind !== "same").map((s) => s.text),
    ["協議の結果は職員に共有する。"],
  );
  // Someone who never acknowledged still reads the whole text.
  const auditor = await acknowledgementView(app.ctx, { actor: org.actors.auditor });
  assert.equal(auditor.base, null);
  assert.ok(auditor.clauses.length > 60);

  await assert.rejects(
    acknowledgeGuideline(app.ctx, { actor: org.actors.auditor, input: { versionId: oldId } }),
    (e: unknown) => e instanceof AppError && e.code === "conflict" && /新しい版/.test(e.message),
  );
  const status = await acknowledgementStatus(app.ctx, { actor: org.actors.policyDirector });
  assert.equal(status.acknowledged, 1, "only the publisher has acknowledged the new version");
  assert.equal(
    status.remindOn,
    "2026-07-15",
    "14 days after the effective date, which is later than publication",
  );
});

test("the policy director sets the scope to all staff: everyone is counted, never the setup department", async () => {
  assert.equal(await acknowledgementScope(app.ctx), "account_divisions");
  const before = await acknowledgementStatus(app.ctx, { actor: org.actors.policyDirector });
  assert.ok(!before.departments.flatMap((d) => d.pending).some((p) => p.name === "総務 主事"));
  for (const actor of [org.actors.admin, org.actors.kouhouManager, org.actors.securityDirector])
    await assert.rejects(
      setAcknowledgementScope(app.ctx, { actor, input: { scope: "all_staff" } }),
      (e: unknown) => e instanceof AppError && e.code === "forbidden",
    );
  await assert.rejects(
    setAcknowledgementScope(app.ctx, { actor: org.actors.policyDirector, input: { scope: "everyone" } }),
    (e: unknown) => e instanceof AppError && e.code === "validation",
  );

  await setAcknowledgementScope(app.ctx, { actor: org.actors.policyDirector, input: { scope: "all_staff" } });
  const entry = await lastEntry(app.ctx.db);
  assert.equal(entry?.action, "guideline.ack_scope");
  assert.deepEqual(entry?.summary, { before: "account_divisions", after: "all_staff" });
  assert.equal(entry?.actorId, org.staff.policyDirector.id);

  const status = await acknowledgementStatus(app.ctx, { actor: org.actors.policyDirector });
  assert.equal(status.scope, "all_staff");
  assert.equal(status.required, before.required + 1, "総務 主事, who holds no role, now counts");
  assert.ok(status.departments.flatMap((d) => d.pending).some((p) => p.name === "総務 主事"));
  assert.ok(
    !status.departments.some((d) => d.departmentName === "（初期設定用の部）"),
    "the setup department is not in the rates",
  );
  assert.ok(!status.departments.flatMap((d) => d.pending).some((p) => p.name === "初期管理者"));
  const view = await acknowledgementView(app.ctx, { actor: org.actors.soumuStaff });
  assert.equal(view.required, true, "a member of staff with no role is asked now");
});
