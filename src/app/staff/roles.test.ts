/**
 * Roles follow posts (4.1.2, 4.1.4) and oversight needs a director's approval (9), at the level
 * of the use cases: the start-up step that brings stored grants in line, acting periods, and who
 * holds each privileged role since when.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { entriesAfter } from "../../db/repos/audit.ts";
import { findAssignment, insertAssignment, listAssignments } from "../../db/repos/staff.ts";
import { AppError } from "../../errors.ts";
import { loadActor } from "../actors.ts";
import { recordActing } from "./acting.ts";
import { holdersOf } from "./role-grants.ts";
import { privilegedHolders, reconcileRoleAssignments, revokeRole } from "./roles.ts";
import { recordTransfer } from "./transfers.ts";

let app: TestApp;
let org: TestOrg;

before(async () => {
  app = await testApp({ start: "2026-06-01T01:00:00Z" });
  org = await seedOrg(app.ctx);
});
after(() => app.close());

const lastSeq = async () => (await entriesAfter(app.ctx.db, 0, 1_000_000)).at(-1)?.seq ?? 0;
const isError = (status: number, text: RegExp) => (e: unknown) =>
  e instanceof AppError && e.status === status && text.test(e.message);

test("the start-up step removes stored grants of post roles and makes unapproved auditors proposals, each audited", async () => {
  const legacy = async (staffId: number, role: string, scopeType = "global", scopeId: number | null = null) =>
    insertAssignment(app.ctx.db, { staffId, role, scopeType, scopeId, assignedBy: null });
  const manualDirector = await legacy(org.staff.kouhouStaff.id, "policy_director");
  const manualHead = await legacy(
    org.staff.kouhouStaff.id,
    "department_head",
    "department",
    org.departments.soumu.id,
  );
  const oldAuditor = await legacy(org.staff.soumuStaff.id, "auditor");
  const adminAuditor = await legacy(org.staff.admin.id, "auditor");
  const staffer = await loadActor(app.ctx.db, org.staff.kouhouStaff.id, "session", app.clock.now());
  assert.deepEqual(staffer?.grants, [], "stored grants of post roles are ignored even before the step");
  assert.equal(
    (await holdersOf(app.ctx.db, "auditor", app.clock.now())).length,
    1,
    "only the seed's approved auditor",
  );

  const seq = await lastSeq();
  const done = await reconcileRoleAssignments(app.ctx);
  assert.deepEqual(done, { removedDerived: 2, removedFromAdmins: 1, madeProposals: 1 });
  assert.equal(await findAssignment(app.ctx.db, manualDirector.id), undefined);
  assert.equal(await findAssignment(app.ctx.db, manualHead.id), undefined);
  assert.equal(await findAssignment(app.ctx.db, adminAuditor.id), undefined);
  const proposal = await findAssignment(app.ctx.db, oldAuditor.id);
  assert.equal(proposal?.status, "proposed");
  assert.equal(proposal?.validUntil, "2027-06-01", "a year from the upgrade, for a director to approve");
  const entries = await entriesAfter(app.ctx.db, seq, 20);
  assert.deepEqual(entries.map((e) => e.action).sort(), [
    "role.propose",
    "role.revoke",
    "role.revoke",
    "role.revoke",
  ]);
  assert.ok(entries.every((e) => e.actorLabel === "role reconciliation"));

  assert.deepEqual(await reconcileRoleAssignments(app.ctx), {
    removedDerived: 0,
    removedFromAdmins: 0,
    madeProposals: 0,
  });
  assert.equal(
    (await entriesAfter(app.ctx.db, seq, 20)).length,
    entries.length,
    "nothing to do, nothing written",
  );
  await revokeRole(app.ctx, { actor: org.actors.securityDirector, assignmentId: oldAuditor.id });
  assert.equal(
    await findAssignment(app.ctx.db, oldAuditor.id),
    undefined,
    "an approver may withdraw an auditor",
  );
});

test("an acting period needs a post holder, a real period, and no overlap", async () => {
  const input = {
    staffId: org.staff.kouhouStaff.id,
    absentStaffId: org.staff.kouhouManager.id,
    fromDate: "2026-06-10",
    untilDate: "2026-06-12",
  };
  await assert.rejects(
    recordActing(app.ctx, {
      actor: org.actors.admin,
      input: { ...input, absentStaffId: org.staff.soumuStaff.id },
    }),
    isError(422, /部長・課長の職にない/),
  );
  await assert.rejects(
    recordActing(app.ctx, { actor: org.actors.admin, input: { ...input, untilDate: "2026-06-09" } }),
    isError(422, /開始日以降/),
  );
  await assert.rejects(
    recordActing(app.ctx, {
      actor: org.actors.admin,
      input: { ...input, fromDate: "2026-05-01", untilDate: "2026-05-02" },
    }),
    isError(422, /今日以降/),
  );
  await recordActing(app.ctx, { actor: org.actors.admin, input });
  await assert.rejects(
    recordActing(app.ctx, {
      actor: org.actors.admin,
      input: { ...input, staffId: org.staff.soumuStaff.id, fromDate: "2026-06-12", untilDate: "2026-06-15" },
    }),
    isError(409, /期間が重なる/),
  );
  await assert.rejects(
    recordActing(app.ctx, {
      actor: org.actors.admin,
      input: { ...input, staffId: org.staff.admin.id, absentStaffId: org.staff.policyDirector.id },
    }),
    isError(403, /ご自身を職務代理/),
  );
});

test("an administrator cannot stand in for a director's post (9)", async () => {
  const second = await insertAssignment(app.ctx.db, {
    staffId: org.staff.desk.id,
    role: "admin",
    scopeType: "global",
    scopeId: null,
    assignedBy: null,
  });
  await assert.rejects(
    recordActing(app.ctx, {
      actor: org.actors.admin,
      input: {
        staffId: org.staff.desk.id,
        absentStaffId: org.staff.securityDirector.id,
        fromDate: "2026-06-01",
        untilDate: "2026-06-02",
      },
    }),
    isError(403, /システム管理者のため[^第]*$/),
  );
  await revokeRole(app.ctx, { actor: org.actors.admin, assignmentId: second.id });
});

test("who holds each privileged role since when: posts since the transfer into them, auditors since approval", async () => {
  await recordTransfer(app.ctx, {
    actor: org.actors.admin,
    input: {
      staffId: org.staff.soumuManager.id,
      effectiveDate: "2026-06-01",
      toDepartmentId: org.departments.soumu.id,
      toDivisionId: "",
      toPositionId: org.positions.buchou.id,
    },
  });
  const page = await privilegedHolders(app.ctx, { actor: org.actors.auditor });
  const security = page.roles.find((r) => r.role === "security_director");
  assert.deepEqual(
    security?.holders.map((h) => [h.name, h.source]),
    [
      ["総務 部長", "post"],
      ["総務 課長", "post"],
    ],
  );
  assert.equal(security?.holders[1]?.since, "2026-06-01", "since the transfer into the post");
  assert.match(security?.warning ?? "", /2人/, "two people in the 総務部長 post is flagged");
  const auditor = page.roles.find((r) => r.role === "auditor");
  assert.deepEqual(
    auditor?.holders.map((h) => [h.name, h.since, h.until, h.approvedBy]),
    [["監査 花子", "2026-01-05", "2099-12-31", "政策 部長"]],
  );
  await assert.rejects(privilegedHolders(app.ctx, { actor: org.actors.admin }), isError(403, /権限/));
  assert.ok((await listAssignments(app.ctx.db)).every((a) => a.role !== "security_director"));
});
