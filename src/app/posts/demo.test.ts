/**
 * The demo posts: each role finds work on first login — a draft with findings, posts waiting
 * for the manager (one for two accounts), one returned, one approved under a pre-approved scope,
 * published posts (one reported erroneous, its correction waiting), an emergency report waiting
 * for acknowledgement, and a deputy named.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { publishingCorrectionsOf } from "../../db/repos/publishing.ts";
import { findStaffByEmployeeNo } from "../../db/repos/staff.ts";
import { loadActor } from "../actors.ts";
import { seedDemo } from "../demo.ts";
import { myTasks } from "../tasks.ts";
import { deputyPage } from "./deputies.ts";
import { postLists } from "./read.ts";

let app: TestApp;
before(async () => {
  app = await testApp({ start: "2026-11-24T01:00:00Z" });
  await seedDemo(app.ctx);
});
after(() => app.close());

async function actor(employeeNo: string) {
  const staff = await findStaffByEmployeeNo(app.ctx.db, employeeNo);
  assert.ok(staff);
  const a = await loadActor(app.ctx.db, staff.id, "session");
  assert.ok(a);
  return a;
}

test("the demo posts give every role something to do", async () => {
  const operator = await postLists(app.ctx, { actor: await actor("D0021") });
  const statuses = new Set(operator.mine.map((p) => p.status));
  assert.deepEqual([...statuses].sort(), ["approved", "draft", "pending", "published", "returned"]);
  assert.ok(
    operator.mine.some((p) => p.status === "published" && p.publishedUrl?.startsWith("https://x.com/")),
    "published with its URL",
  );
  assert.ok(
    operator.mine.some((p) => p.status === "published" && p.erroneousAt !== null),
    "one reported erroneous",
  );
  for (const p of operator.mine.filter((p) => p.publishedAt !== null)) {
    assert.ok(
      (p.publishedAt?.getTime() ?? 0) >= (p.approvedAt?.getTime() ?? Number.POSITIVE_INFINITY),
      "published after approval",
    );
    if (p.accountName.includes("X") || p.publishedUrl?.startsWith("https://x.com/"))
      assert.match(
        p.publishedUrl ?? "",
        /^https:\/\/x\.com\/iwaki_city\/status\/\d+$/,
        "a post of the account itself",
      );
  }
  const published = operator.mine.filter((p) => p.status === "published").map((p) => p.id);
  const history = await publishingCorrectionsOf(app.ctx.db, published);
  assert.equal([...history.values()].flat().length, 1, "one record corrected, with its reason");
  assert.ok(
    operator.mine.some((p) => p.kind === "correction" && p.status === "pending"),
    "its correction waits for approval",
  );
  assert.ok(
    operator.mine.some((p) => p.status === "draft" && p.errorCount > 0),
    "a draft with findings",
  );
  assert.ok(
    operator.mine.some((p) => p.approvalRule === "scope"),
    "approved under the scope",
  );

  const kohoManager = await actor("D0010");
  const manager = await postLists(app.ctx, { actor: kohoManager });
  assert.equal(manager.waiting.length, 4, "two accounts' posts, one with a warning, a correction");
  assert.ok(manager.waiting.some((p) => p.warningCount > 0));
  assert.equal((await deputyPage(app.ctx, { actor: kohoManager })).deputies.length, 1);

  const kankoManager = await actor("D0018");
  const reports = await postLists(app.ctx, { actor: kankoManager });
  assert.equal(reports.reports.length, 1);
  assert.equal(reports.reports[0]?.category, "emergency");
  const tasks = await myTasks(app.ctx, kankoManager);
  assert.ok(tasks.some((t) => t.kind === "post_report" && t.due === "2026-11-26"));
});
