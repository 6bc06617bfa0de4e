import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { entriesAfter } from "../../db/repos/audit.ts";
import { firstChainProblem } from "../../domain/audit-chain.ts";
import { AppError } from "../../errors.ts";
import { createDepartment, createDivision, updateDivision } from "./units.ts";

let app: TestApp;
let org: TestOrg;
before(async () => {
  app = await testApp();
  org = await seedOrg(app.ctx);
});
after(() => app.close());

test("an administrator creates a department and a division, each recorded once in the audit log", async () => {
  const dept = await createDepartment(app.ctx, {
    actor: org.actors.admin,
    input: { code: "kanko", name: "観光部", kana: "かんこうぶ" },
  });
  const division = await createDivision(app.ctx, {
    actor: org.actors.admin,
    input: { departmentId: String(dept.id), code: "kanko-shinko", name: "観光振興課" },
  });
  assert.equal(division.departmentId, dept.id);
  const entries = await entriesAfter(app.ctx.db, 0, 100);
  const mine = entries.filter((e) => e.targetType === "department" || e.targetType === "division");
  assert.deepEqual(
    mine.map((e) => e.action),
    ["department.create", "division.create"],
  );
  assert.equal(firstChainProblem(entries, null), null);
});

test("a duplicate code is refused with a Japanese message naming the code", async () => {
  await assert.rejects(
    createDepartment(app.ctx, { actor: org.actors.admin, input: { code: "kanko", name: "別の部" } }),
    (error: unknown) =>
      error instanceof AppError && error.status === 409 && error.message.includes("「kanko」"),
  );
});

test("missing fields are reported per field in Japanese", async () => {
  await assert.rejects(
    createDivision(app.ctx, { actor: org.actors.admin, input: { code: "", name: "" } }),
    (error: unknown) =>
      error instanceof AppError &&
      error.status === 422 &&
      error.fields.some((f) => f.field === "name" && f.message === "課の名称を入力してください。"),
  );
});

test("an account manager cannot change the organisation, and the refusal is audited", async () => {
  const beforeSeq = (await entriesAfter(app.ctx.db, 0, 1000)).length;
  await assert.rejects(
    updateDivision(app.ctx, {
      actor: org.actors.kouhouManager,
      id: org.divisions.kouhou.id,
      input: { departmentId: org.departments.seisaku.id, code: "kouhou", name: "乗っ取り課" },
    }),
    (error: unknown) => error instanceof AppError && error.status === 403,
  );
  const entries = await entriesAfter(app.ctx.db, beforeSeq, 10);
  assert.equal(entries.length, 1);
  assert.equal(entries[0]?.action, "auth.denied");
  assert.equal(entries[0]?.actorId, org.staff.kouhouManager.id);
});
