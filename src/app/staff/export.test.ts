import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { entriesAfter } from "../../db/repos/audit.ts";
import { findDepartmentByCode } from "../../db/repos/org.ts";
import { findStaffByEmployeeNo, insertAssignment } from "../../db/repos/staff.ts";
import { AppError } from "../../errors.ts";
import { loadActor } from "../actors.ts";
import { systemActor } from "../context.ts";
import { readCsv } from "../csv.ts";
import { importOrg } from "../org/import.ts";
import { exportStaff, staffExportHeaders } from "./export.ts";
import { importStaff } from "./import.ts";
import { updateStaff } from "./people.ts";

const fixture = (name: string) => readFileSync(join(import.meta.dirname, "../../../test/fixtures", name));
const actor = systemActor("test");

let app: TestApp;
before(async () => {
  app = await testApp();
  assert.equal((await importOrg(app.ctx, { actor, data: fixture("org.csv") })).applied, true);
  assert.equal((await importStaff(app.ctx, { actor, data: fixture("staff-sjis.csv") })).applied, true);
});
after(() => app.close());

/** The exported file as text without its BOM. */
function text(body: Uint8Array): string {
  assert.deepEqual([...body.slice(0, 3)], [0xef, 0xbb, 0xbf], "starts with a UTF-8 BOM");
  return new TextDecoder().decode(body.slice(3));
}

test("the export opens in Excel: BOM, CRLF, Japanese headers, one row per person with codes and names", async () => {
  const file = await exportStaff(app.ctx, { actor });
  assert.equal(file.count, 41);
  assert.match(file.filename, /^staff-\d{8}\.csv$/);
  const lines = text(file.body).split("\r\n");
  assert.equal(lines[0], staffExportHeaders.join(","));
  assert.equal(lines.length, 1 + 41 + 1, "header, 41 people, and the final CRLF");
  assert.equal(
    lines[1],
    "200101,髙橋 誠,たかはし まこと,takahashi.makoto@city.example.lg.jp,100,総合政策部,,,10,部長,在職",
  );
  assert.ok(
    lines.includes(
      "200419,太田 和彦,おおた かずひこ,ota.kazuhiko@city.example.lg.jp,200,総務部,201,総務課,50,主事,退職",
    ),
  );
});

test("export then import changes nothing: every row is unchanged", async () => {
  const file = await exportStaff(app.ctx, { actor });
  const result = await importStaff(app.ctx, { actor, data: file.body, dryRun: true });
  assert.deepEqual(result.plan.unknownHeaders, []);
  assert.deepEqual(result.plan.counts, { create: 0, update: 0, transfer: 0, unchanged: 41, reject: 0 });
});

test("a cell that would run as a formula in Excel is exported as text and still round-trips", async () => {
  const person = await findStaffByEmployeeNo(app.ctx.db, "200418");
  assert.ok(person);
  await updateStaff(app.ctx, {
    actor,
    id: person.id,
    input: { ...person, name: '=HYPERLINK("http://evil.example/","福田")', kana: "-ふくだ" },
  });
  const file = await exportStaff(app.ctx, { actor });
  const row = text(file.body)
    .split("\r\n")
    .find((l) => l.startsWith("200418,"));
  assert.equal(
    row,
    `200418,"'=HYPERLINK(""http://evil.example/"",""福田"")",'-ふくだ,fukuda.rie@city.example.lg.jp,700,教育委員会事務局,701,学校教育課,50,主事,在職`,
  );
  const result = await importStaff(app.ctx, { actor, data: file.body, dryRun: true });
  assert.equal(result.plan.counts.unchanged, 41);
});

test("names starting with a full-width ＝＋－＠ are exported as text too, and import back unchanged", async () => {
  const names = new Map([
    ["200401", '＝HYPERLINK("http://evil.example/")'],
    ["200402", "＋1＋1"],
    ["200403", "－2＋3"],
    ["200404", "＠SUM(A1)"],
  ]);
  for (const [no, name] of names) {
    const person = await findStaffByEmployeeNo(app.ctx.db, no);
    assert.ok(person);
    await updateStaff(app.ctx, { actor, id: person.id, input: { ...person, name } });
  }
  const file = await exportStaff(app.ctx, { actor });
  const rows = readCsv(file.body).records.map((r) => r.cells);
  for (const [no, name] of names) {
    assert.equal(rows.find((cells) => cells[0] === no)?.[1], `'${name}`, `${no} starts with an apostrophe`);
  }
  const result = await importStaff(app.ctx, { actor, data: file.body, dryRun: true });
  assert.equal(result.plan.counts.unchanged, 41);
});

test("editing the 課 in Excel: code and name must agree; both edited is a transfer", async () => {
  const file = await exportStaff(app.ctx, { actor });
  const original = text(file.body);
  const from =
    "200413,坂本 健,さかもと けん,sakamoto.ken@city.example.lg.jp,300,市民生活部,301,市民課,50,主事,在職";
  assert.ok(original.includes(from));
  const nameOnly = original.replace(from, from.replace(",市民課,", ",市民協働課,"));
  const half = await importStaff(app.ctx, { actor, data: nameOnly, dryRun: true });
  const rejected = half.plan.rows.find((r) => r.employeeNo === "200413");
  assert.equal(rejected?.outcome, "reject");
  assert.match(
    rejected?.reasons.join() ?? "",
    /課の列の値（「301」と「市民協働課」）が別々の課を指しています/,
  );
  assert.equal(half.plan.counts.unchanged, 40);

  const both = original.replace(from, from.replace(",301,市民課,", ",302,市民協働課,"));
  const moved = await importStaff(app.ctx, { actor, data: both, dryRun: true });
  assert.equal(moved.plan.rows.find((r) => r.employeeNo === "200413")?.outcome, "transfer");
  assert.equal(moved.plan.counts.unchanged, 40);
});

test("a filter exports only that department", async () => {
  const soumu = await findDepartmentByCode(app.ctx.db, "200");
  assert.ok(soumu);
  const file = await exportStaff(app.ctx, { actor, filter: { departmentId: soumu.id } });
  const doc = readCsv(file.body);
  assert.equal(file.count, doc.records.length - 1);
  assert.ok(file.count > 0);
  assert.ok(doc.records.slice(1).every((r) => r.cells[5] === "総務部"));
});

test("an auditor may export (and the export is audited); a 課長 may not", async () => {
  const auditorPerson = await findStaffByEmployeeNo(app.ctx.db, "200411");
  const managerPerson = await findStaffByEmployeeNo(app.ctx.db, "200301");
  assert.ok(auditorPerson && managerPerson);
  // 9: an auditor's role is in effect once approved, until its last day.
  await insertAssignment(app.ctx.db, {
    staffId: auditorPerson.id,
    role: "auditor",
    scopeType: "global",
    scopeId: null,
    assignedBy: null,
    validUntil: "2099-12-31",
    approvedBy: managerPerson.id,
  });
  const auditor = await loadActor(app.ctx.db, auditorPerson.id, "session");
  const manager = await loadActor(app.ctx.db, managerPerson.id, "session");
  assert.ok(auditor && manager);
  const seq = (await entriesAfter(app.ctx.db, 0, 1_000_000)).length;
  const file = await exportStaff(app.ctx, { actor: auditor });
  assert.equal(file.count, 41);
  await assert.rejects(
    exportStaff(app.ctx, { actor: manager }),
    (e: unknown) => e instanceof AppError && e.status === 403,
  );
  const entries = await entriesAfter(app.ctx.db, seq, 10);
  assert.deepEqual(
    entries.map((e) => [e.action, e.actorId]),
    [
      ["staff.export", auditorPerson.id],
      ["auth.denied", managerPerson.id],
    ],
  );
});
