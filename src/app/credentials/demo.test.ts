import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { seedAccount } from "../../../test/support/accounts.ts";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { findStaff } from "../../db/repos/staff.ts";
import { listTasks } from "../../db/repos/tasks.ts";
import { demoCredentials } from "./demo.ts";
import { taskBoard } from "./tasks.ts";

let app: TestApp;
let org: TestOrg;

before(async () => {
  app = await testApp({ start: "2026-11-24T01:00:00Z" });
  org = await seedOrg(app.ctx);
});
after(() => app.close());

test("the demo leaves one overdue rotation after a transfer, red on the manager's board", async () => {
  const account = await seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    operatorIds: [org.staff.kouhouManager.id, org.staff.kouhouStaff.id],
  });
  await demoCredentials(app.ctx);
  const moved = await findStaff(app.ctx.db, org.staff.kouhouStaff.id);
  assert.notEqual(moved?.divisionId, org.divisions.kouhou.id, "the operator was transferred");
  const tasks = await listTasks(app.ctx.db, {
    accountId: account.id,
    kinds: ["password_rotation"],
    status: "open",
  });
  assert.equal(tasks.length, 1);
  const board = await taskBoard(app.ctx, { actor: org.actors.kouhouManager });
  assert.equal(board.mine[0]?.overdue, true);
  assert.equal(board.mine[0]?.dueDate, "2026-11-13", "3 business days after 10 November");
});
