/**
 * Every CSV download a person can open in Excel — the registry (staff page and API) and the public
 * list of official accounts — writes a cell that a spreadsheet would run as a formula as text,
 * including the full-width ＝＋－＠ that Japanese Excel may take for the ASCII ones.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { readCsv, restoreCell } from "../../src/app/csv.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { seedAccount } from "../support/accounts.ts";
import { type TestApp, testApp } from "../support/context.ts";
import { givePassword, signIn } from "../support/http.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";

let app: TestApp;
let org: TestOrg;
let http: ReturnType<typeof createHttpApp>;

const names = ['＝HYPERLINK("http://evil.example/")', "＋1＋1", "－2＋3", "＠SUM(A1)"];

before(async () => {
  app = await testApp();
  org = await seedOrg(app.ctx);
  await givePassword(app, org.staff.admin.id);
  for (const [i, name] of names.entries()) {
    await seedAccount(app.ctx, {
      divisionId: org.divisions.kouhou.id,
      managerId: org.staff.kouhouManager.id,
      name,
      alias: name,
      handle: `formula_${i}`,
      policy: true,
    });
  }
  http = createHttpApp(app.ctx);
});
after(() => app.close());

/** The cells of the downloaded file that hold one of the names, as the file has them. */
async function cellsWithNames(res: Response): Promise<string[]> {
  assert.equal(res.status, 200);
  const doc = readCsv(new Uint8Array(await res.arrayBuffer()));
  return doc.records.flatMap((r) => r.cells).filter((cell) => names.includes(restoreCell(cell)));
}

function assertNeutralised(cells: string[], where: string): void {
  assert.ok(cells.length >= names.length, `${where}: every name is in the file (${cells.length})`);
  for (const cell of cells) assert.ok(cell.startsWith("'"), `${where}: ${cell} is written as text`);
  assert.deepEqual(new Set(cells.map(restoreCell)), new Set(names), `${where}: names read back unchanged`);
}

test("the registry export from the staff pages writes full-width formula names as text", async () => {
  const admin = await signIn(http, org.staff.admin.employeeNo);
  assertNeutralised(await cellsWithNames(await admin.get("/accounts/export.csv")), "/accounts/export.csv");
});

test("the public list of official accounts writes them as text too", async () => {
  assertNeutralised(await cellsWithNames(await http.request("/public/accounts.csv")), "/public/accounts.csv");
});
