import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { updateDepartment } from "../../app/org/units.ts";
import { searchStaff as searchDirectory } from "../../app/staff/people.ts";
import { findDepartment, insertDepartment } from "./org.ts";
import { insertStaff, searchStaff } from "./staff.ts";

let app: TestApp;
let org: TestOrg;
before(async () => {
  app = await testApp();
  org = await seedOrg(app.ctx);
});
after(() => app.close());

test("a page of the staff list says how many match in all, also on the last page and past the end", async () => {
  const all = await searchStaff(app.ctx.db, { active: true }, { offset: 0, limit: 1000 });
  assert.ok(all.total >= 5, `the seeded organisation has people (${all.total})`);
  assert.equal(all.rows.length, all.total);
  const first = await searchStaff(app.ctx.db, { active: true }, { offset: 0, limit: 2 });
  assert.equal(first.total, all.total);
  assert.deepEqual(
    first.rows.map((r) => r.employeeNo),
    all.rows.slice(0, 2).map((r) => r.employeeNo),
  );
  const last = await searchStaff(app.ctx.db, { active: true }, { offset: all.total - 1, limit: 2 });
  assert.equal(last.total, all.total);
  assert.equal(last.rows.length, 1);
  const past = await searchStaff(app.ctx.db, { active: true }, { offset: all.total + 10, limit: 2 });
  assert.deepEqual(past, { rows: [], total: all.total });
  const none = await searchStaff(app.ctx.db, { text: "該当者のいない名前" }, { offset: 0, limit: 2 });
  assert.deepEqual(none, { rows: [], total: 0 });
  const one = await searchStaff(app.ctx.db, { text: org.staff.kouhouManager.name }, { offset: 0, limit: 2 });
  assert.equal(one.total, 1);
});

test("the staff directory names each person's units as the database does, and a renamed department at once", async () => {
  const pages = [
    { filter: { active: true }, page: { offset: 0, limit: 3 } },
    { filter: {}, page: { offset: 2, limit: 50 } },
    { filter: { departmentId: org.staff.admin.departmentId, active: true }, page: { offset: 0, limit: 50 } },
    { filter: { text: "太郎" }, page: { offset: 0, limit: 50 } },
    { filter: { active: false }, page: { offset: 0, limit: 50 } },
  ];
  for (const { filter, page } of pages) {
    const shown = await searchDirectory(app.ctx, { actor: org.actors.admin, filter, page });
    assert.deepEqual(shown, await searchStaff(app.ctx.db, filter, page), JSON.stringify(filter));
  }
  const department = await findDepartment(app.ctx.db, org.staff.admin.departmentId);
  assert.ok(department);
  await updateDepartment(app.ctx, {
    actor: org.actors.admin,
    id: department.id,
    input: { code: department.code, name: "総務部（改称）", kana: department.kana, active: "on" },
  });
  const after = await searchDirectory(app.ctx, {
    actor: org.actors.admin,
    filter: { departmentId: department.id },
    page: { offset: 0, limit: 50 },
  });
  assert.ok(after.rows.length > 0);
  assert.ok(after.rows.every((r) => r.departmentName === "総務部（改称）"));
});

test("a person in a department made by another instance (not in this one's memory yet) is named from the database", async () => {
  const page = { offset: 0, limit: 50 };
  await searchDirectory(app.ctx, { actor: org.actors.admin, filter: {}, page }); // the organisation is in memory now
  // Written straight to the database, as another instance would: this process is not told.
  const department = await insertDepartment(app.ctx.db, {
    code: "elsewhere",
    name: "別インスタンス部",
    kana: "",
  });
  const person = await insertStaff(app.ctx.db, {
    employeeNo: "Z9999",
    name: "別 花子",
    kana: "",
    email: "z9999@city.example.lg.jp",
    departmentId: department.id,
    divisionId: null,
    positionId: org.staff.admin.positionId,
    active: true,
  });
  const shown = await searchDirectory(app.ctx, { actor: org.actors.admin, filter: { text: "Z9999" }, page });
  assert.deepEqual(
    shown.rows.map((r) => [r.id, r.departmentName, r.divisionName]),
    [[person.id, "別インスタンス部", null]],
  );
});
