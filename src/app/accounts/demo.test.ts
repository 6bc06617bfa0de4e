import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { listAccounts } from "../../db/repos/accounts.ts";
import { listFilings } from "../../db/repos/filings.ts";
import { listNotices } from "../../db/repos/notices.ts";
import { listTasks } from "../../db/repos/tasks.ts";
import { seedDemo } from "../demo.ts";

let app: TestApp;
before(async () => {
  app = await testApp({ start: "2026-11-24T01:00:00Z" });
  await seedDemo(app.ctx);
});
after(() => app.close());

test("the demo municipality has a living registry: every status, notices in their windows, overdue work", async () => {
  const accounts = await listAccounts(app.ctx.db, { visibleDivisionIds: null });
  assert.ok(accounts.length >= 15, `${accounts.length} accounts`);
  const statuses = new Set(accounts.map((a) => a.status));
  for (const s of [
    "draft",
    "pending_department_head",
    "pending_policy_director",
    "returned",
    "rejected",
    "approved",
    "active",
    "change_announced",
    "closure_announced",
    "closed",
  ]) {
    assert.ok(statuses.has(s as never), `an account is ${s}`);
  }
  assert.ok(
    accounts.some((a) => a.status === "approved" && a.securityNotifiedAt && !a.securityConfirmedAt),
    "one is 届出未確認",
  );
  const existing = accounts.find((a) => a.origin === "existing");
  assert.ok(
    existing && ["active", "change_announced", "closure_announced"].includes(existing.status),
    "an account from before the system, confirmed and running",
  );
  const filings = await listFilings(app.ctx.db, { kinds: ["acquisition"] });
  assert.ok(
    filings.some((f) => f.status === "questioned"),
    "the security director asked about one 届出",
  );
  assert.ok(filings.filter((f) => f.status === "confirmed").length >= 9);
  const platforms = new Set(accounts.map((a) => a.platform));
  assert.ok(platforms.size >= 8, `platforms: ${[...platforms].join(",")}`);
  const notices = await listNotices(app.ctx.db, { visible: null });
  assert.ok(
    notices.some((n) => n.kind === "closure" && n.status === "effective"),
    "the closed account's notice",
  );
  const open = await listTasks(app.ctx.db, { status: "open" });
  assert.ok(
    open.some((t) => t.kind === "password_rotation" && t.dueDate !== null && t.dueDate < "2026-11-24"),
    "an overdue rotation after a transfer",
  );
  assert.ok(
    open.some((t) => t.kind === "policy_review" && t.dueDate !== null && t.dueDate < "2026-11-24"),
    "an overdue policy review",
  );
});
