import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { searchStaff } from "./staff.ts";

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
