/**
 * The demo policies: every demo account that is not closed gets an approved policy in the
 * template's wording, and one running account's review is overdue with its task open (4.2.3).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { seedAccount } from "../../../test/support/accounts.ts";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { currentPolicy, policyVersions } from "../../db/repos/policies.ts";
import { listTasks } from "../../db/repos/tasks.ts";
import { demoPolicies } from "./demo.ts";

let app: TestApp;
let org: TestOrg;
before(async () => {
  app = await testApp({ start: "2026-05-01T01:00:00Z" });
  org = await seedOrg(app.ctx);
});
after(() => app.close());

test("demo accounts get approved policies, and one review is overdue with its task open", async () => {
  const spec = { divisionId: org.divisions.kouhou.id, managerId: org.staff.kouhouManager.id };
  const active = await seedAccount(app.ctx, { ...spec, status: "active" });
  const approved = await seedAccount(app.ctx, { ...spec, status: "approved" });
  const closed = await seedAccount(app.ctx, { ...spec, status: "closed" });
  await demoPolicies(app.ctx);

  const policy = await currentPolicy(app.ctx.db, active.id);
  assert.equal(policy?.approvedBy, org.staff.kouhouManager.id, "approved by the account's manager");
  assert.equal(policy?.reviewDue, "2026-04-17", "made overdue");
  assert.equal((await currentPolicy(app.ctx.db, approved.id))?.reviewDue, "2027-05-01");
  assert.deepEqual(await policyVersions(app.ctx.db, closed.id), []);
  const tasks = await listTasks(app.ctx.db, { kinds: ["policy_review"], status: "open" });
  assert.deepEqual(
    tasks.map((t) => [t.accountId, t.dueDate]),
    [[active.id, "2026-04-17"]],
  );
});
