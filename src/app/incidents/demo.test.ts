/**
 * The demo incidents: one open incident of each type, the なりすまし (its warning confirmed by the
 * manager) visible to citizens on the notices page and answered as "known impersonation" by the
 * verification, the デマ's correct
 * information on the notices page, and the reports waiting on the managers' dashboards.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { listIncidentViews, listKnownImpersonations } from "../../db/repos/incidents.ts";
import { findStaff } from "../../db/repos/staff.ts";
import { listTasks } from "../../db/repos/tasks.ts";
import { incidentTypes } from "../../domain/incidents.ts";
import { seedDemo } from "../demo.ts";
import { publicNotices } from "../public/notices.ts";
import { verifyAccount } from "../public/verify.ts";

let app: TestApp;
before(async () => {
  app = await testApp({ start: "2026-11-24T01:00:00Z" });
  await seedDemo(app.ctx);
});
after(() => app.close());

test("the demo has one open incident of each type, and the なりすまし is on the public pages", async () => {
  const { rows } = await listIncidentViews(app.ctx.db, {
    visibleTo: null,
    statuses: ["responding", "monitoring"],
  });
  assert.deepEqual([...new Set(rows.map((r) => r.type))].sort(), [...incidentTypes].sort());
  assert.ok(rows.every((r) => r.accountId !== null && r.managerId !== null));

  const sections = await publicNotices(app.ctx);
  const warnings = sections.find((s) => s.key === "impersonations");
  assert.equal(warnings?.items.length, 1);
  assert.match(warnings?.items[0]?.title ?? "", /いわき市の公式アカウント「いわき市広報」を装うアカウント/);
  const corrections = sections.find((s) => s.key === "corrections");
  assert.equal(
    corrections?.items[0]?.title,
    "【サンプル】ダムの緊急放流による浸水の情報は事実ではありません",
  );
  assert.match(
    corrections?.items[0]?.body ?? "",
    /^※これはデモ用のサンプルです/,
    "a public demo notice says it is a sample",
  );

  // 7.3.1: reported by an operator, the warning is public because the manager confirmed it.
  const [fake] = await listKnownImpersonations(app.ctx.db);
  const confirmer = fake?.warningPublishedBy
    ? await findStaff(app.ctx.db, fake.warningPublishedBy)
    : undefined;
  assert.equal(confirmer?.employeeNo, "D0010", "confirmed by the account's manager");

  const answer = await verifyAccount(app.ctx, { url: "https://x.com/iwaki_city_jp" });
  assert.ok(answer.kind === "answer");
  assert.equal(answer.verdict, "not_official");
  assert.ok(answer.knownImpersonation);

  const reports = await listTasks(app.ctx.db, { kinds: ["incident_report"], status: "open" });
  assert.equal(reports.length, 5, "every report but the one its manager received");
  // 乗っ取り: reported by an operator, so nothing is marked on the public pages (7).
  const hijack = rows.find((r) => r.type === "hijack");
  assert.match(hijack?.title ?? "", /^（サンプル）/);
  const answer2 = await verifyAccount(app.ctx, { url: "https://www.instagram.com/iwaki_kanko/" });
  assert.ok(answer2.kind === "answer");
  assert.equal(answer2.official[0]?.compromise, null);
});
