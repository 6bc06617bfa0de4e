import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import iconv from "iconv-lite";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { entriesAfter } from "../../db/repos/audit.ts";
import * as orgRepo from "../../db/repos/org.ts";
import { findStaffByEmployeeNo } from "../../db/repos/staff.ts";
import { AppError } from "../../errors.ts";
import { loadActor } from "../actors.ts";
import { systemActor } from "../context.ts";
import { formatCsv } from "../csv.ts";
import { importStaff } from "../staff/import.ts";
import { importOrg, type OrgImportEntry, type OrgImportPlan, planOrgImport } from "./import.ts";

const fixture = (name: string) => readFileSync(join(import.meta.dirname, "../../../test/fixtures", name));
const actor = systemActor("test");

let app: TestApp;
before(async () => {
  app = await testApp();
});
after(() => app.close());

const auditCount = async () => (await entriesAfter(app.ctx.db, 0, 1_000_000)).length;

function entries(plan: OrgImportPlan, line: number): OrgImportEntry[] {
  return plan.entries.filter((e) => e.line === line);
}

const orgHeader = ["部コード", "部名", "部かな", "課コード", "課名", "課かな"];

test("a dry run of the city's organisation lists each 部, 課 and 職 once and changes nothing", async () => {
  const seq = await auditCount();
  const result = await importOrg(app.ctx, { actor, data: fixture("org.csv"), dryRun: true });
  assert.equal(result.applied, false);
  const kinds = (k: string) =>
    result.plan.entries.filter((e) => e.kind === k && e.outcome === "create").length;
  assert.equal(kinds("department"), 7);
  assert.equal(kinds("division"), 14);
  assert.equal(kinds("position"), 7);
  assert.deepEqual(result.plan.counts, { create: 28, update: 0, unchanged: 0, reject: 0 });
  assert.deepEqual((await orgRepo.listDepartments(app.ctx.db)).length, 0);
  assert.equal(await auditCount(), seq);
});

test("applying it creates them through the use cases, one audit entry each plus the summary", async () => {
  const seq = await auditCount();
  const result = await importOrg(app.ctx, { actor, data: fixture("org.csv") });
  assert.equal(result.applied, true);
  const divisions = await orgRepo.listDivisions(app.ctx.db);
  const kouhou = divisions.find((d) => d.code === "101");
  const seisaku = await orgRepo.findDepartmentByCode(app.ctx.db, "100");
  assert.equal(kouhou?.name, "広報広聴課");
  assert.equal(kouhou?.departmentId, seisaku?.id);
  assert.equal(seisaku?.kana, "そうごうせいさくぶ");
  const positions = await orgRepo.listPositions(app.ctx.db);
  assert.deepEqual(
    positions.map((p) => [p.name, p.rank, p.headOf]),
    [
      ["部長", 10, "department"],
      ["次長", 15, "none"],
      ["課長", 20, "division"],
      ["課長補佐", 25, "none"],
      ["係長", 30, "none"],
      ["主任", 40, "none"],
      ["主事", 50, "none"],
    ],
  );
  const actions = (await entriesAfter(app.ctx.db, seq, 1000)).map((e) => e.action);
  assert.equal(actions.filter((a) => a === "department.create").length, 7);
  assert.equal(actions.filter((a) => a === "division.create").length, 14);
  assert.equal(actions.filter((a) => a === "position.create").length, 7);
  assert.equal(actions.at(-1), "org.import");
  assert.equal(actions.length, 29);
});

test("the same file again is unchanged throughout", async () => {
  const seq = await auditCount();
  const result = await importOrg(app.ctx, { actor, data: fixture("org.csv") });
  assert.deepEqual(result.plan.counts, { create: 0, update: 0, unchanged: 28, reject: 0 });
  assert.equal(await auditCount(), seq);
});

test("two files work too: an organisation file without 種別, English position headers", async () => {
  const org = formatCsv([
    orgHeader,
    ["800", "危機管理部", "ききかんりぶ", "801", "危機管理課", "ききかんりか"],
    ["800", "危機管理部", "", "802", "防災課", "ぼうさいか"],
    ["100", "総合政策部", "そうごうせいさくぶ", "101", "広報広聴課", "こうほうこうちょうか"],
  ]);
  const first = await importOrg(app.ctx, { actor, data: org });
  assert.equal(first.applied, true);
  assert.deepEqual(
    first.plan.entries.map((e) => [e.line, e.kind, e.code, e.outcome]),
    [
      [2, "department", "800", "create"],
      [2, "division", "801", "create"],
      [3, "division", "802", "create"],
      [4, "department", "100", "unchanged"],
      [4, "division", "101", "unchanged"],
    ],
  );
  const positions = formatCsv([
    ["position_code", "position_name", "rank", "head_of"],
    ["60", "会計年度任用職員", "60", "none"],
    ["12", "参事", "12", ""],
  ]);
  const result = await importOrg(app.ctx, { actor, data: positions });
  assert.equal(result.applied, true);
  assert.equal((await orgRepo.findPositionByCode(app.ctx.db, "12"))?.headOf, "none");
});

test("renaming a 課 and changing a 職's 序列 are updates with their changes listed", async () => {
  const data = formatCsv([
    ["種別", "部コード", "部名", "課コード", "課名", "職コード", "職名", "序列", "長の区分"],
    ["組織", "500", "商工観光部", "501", "観光交流課", "", "", "", ""],
    ["職", "", "", "", "", "25", "課長補佐", "22", "なし"],
  ]);
  const result = await importOrg(app.ctx, { actor, data });
  assert.equal(result.applied, true);
  const division = entries(result.plan, 2).find((e) => e.kind === "division");
  assert.equal(division?.outcome, "update");
  assert.deepEqual(division?.changes, [
    { field: "name", label: "課名", before: "観光振興課", after: "観光交流課" },
  ]);
  // The department row is only repeated here, and its kana is left as registered.
  assert.equal(entries(result.plan, 2).find((e) => e.kind === "department")?.outcome, "unchanged");
  assert.equal((await orgRepo.findDepartmentByCode(app.ctx.db, "500"))?.kana, "しょうこうかんこうぶ");
  const position = entries(result.plan, 3)[0];
  assert.deepEqual(position?.changes, [{ field: "rank", label: "序列", before: "25", after: "22" }]);
  assert.equal((await orgRepo.findPositionByCode(app.ctx.db, "25"))?.rank, 22);
});

test("mistakes are rejected with reasons in Japanese and nothing is applied", async () => {
  const seq = await auditCount();
  const data = formatCsv([
    [
      "種別",
      "部コード",
      "部名",
      "部かな",
      "課コード",
      "課名",
      "課かな",
      "職コード",
      "職名",
      "序列",
      "長の区分",
    ],
    ["組織", "900", "新設部", "", "901", "新設課", "", "", "", "", ""],
    ["組織", "900", "別名部", "", "902", "新設第二課", "", "", "", "", ""],
    ["組織", "900", "", "", "", "名無しの課", "", "", "", "", ""],
    ["組織", "900", "", "", "903", "", "", "", "", "", ""],
    ["組織", "900", "", "", "901", "重複課", "", "", "", "", ""],
    ["部署", "910", "謎の部", "", "", "", "", "", "", "", ""],
    ["職", "", "", "", "", "", "", "70", "嘱託", "", "顧問"],
    ["職", "", "", "", "", "", "", "71", "臨時", "千", ""],
    ["組織", "9 1", "空白部", "", "", "", "", "", "", "", ""],
  ]);
  const result = await importOrg(app.ctx, { actor, data });
  assert.equal(result.applied, false);
  const reason = (line: number, kind: string) =>
    entries(result.plan, line)
      .filter((e) => e.kind === kind)
      .flatMap((e) => e.reasons)
      .join(" ");
  assert.match(reason(3, "department"), /部コード「900」の部名「別名部」が2行目の「新設部」と違います/);
  assert.match(reason(3, "division"), /部（900）が取り込めないため/);
  assert.match(reason(4, "division"), /課コードを入力してください/);
  assert.match(reason(5, "division"), /課の名称を入力してください/);
  assert.match(reason(6, "division"), /課コード「901」がこのファイルの2行目にもあります/);
  assert.match(reason(7, "department"), /種別「部署」は読み取れません/);
  assert.match(reason(8, "position"), /長の区分「顧問」は読み取れません/);
  assert.match(reason(9, "position"), /序列「千」は0から1000までの整数/);
  assert.match(reason(10, "department"), /部コードは半角英数字・ハイフン・下線で入力してください/);
  assert.equal(
    entries(result.plan, 2).every((e) => e.outcome === "create"),
    true,
  );
  assert.equal(await orgRepo.findDepartmentByCode(app.ctx.db, "900"), undefined);
  assert.equal(await auditCount(), seq);
});

test("a 課 with staff cannot move to another 部; an empty one can", async () => {
  await importStaff(app.ctx, {
    actor,
    data: formatCsv([
      ["職員番号", "氏名", "メールアドレス", "部コード", "課コード", "職コード"],
      ["810001", "防災 守", "bousai.mamoru@city.example.lg.jp", "800", "801", "50"],
    ]),
  });
  const plan = await planOrgImport(app.ctx, {
    actor,
    data: formatCsv([
      orgHeader,
      ["200", "総務部", "", "801", "危機管理課", ""],
      ["200", "総務部", "", "802", "防災課", ""],
    ]),
  });
  const [staffed] = entries(plan, 2).filter((e) => e.kind === "division");
  const [empty] = entries(plan, 3).filter((e) => e.kind === "division");
  assert.equal(staffed?.outcome, "reject");
  assert.match(
    staffed?.reasons.join() ?? "",
    /職員が1人所属しているため、「危機管理部」から別の部へ移せません/,
  );
  assert.equal(empty?.outcome, "update");
  assert.deepEqual(empty?.changes, [
    { field: "department", label: "部", before: "危機管理部", after: "総務部" },
  ]);
});

test("a 職 cannot become a 課長-type post while a holder has no 課", async () => {
  const plan = await planOrgImport(app.ctx, {
    actor,
    data: formatCsv([
      ["職コード", "職名", "長の区分"],
      ["15", "次長", "課長"],
    ]),
  });
  // 次長 in the fixture organisation has no holder yet: allowed; give one first.
  assert.equal(plan.entries[0]?.outcome, "update");
  await importStaff(app.ctx, {
    actor,
    data: formatCsv([
      ["職員番号", "氏名", "メールアドレス", "部", "職"],
      ["810002", "次長 太郎", "jicho.taro@city.example.lg.jp", "総務部", "次長"],
    ]),
  });
  const again = await planOrgImport(app.ctx, {
    actor,
    data: formatCsv([
      ["職コード", "職名", "長の区分"],
      ["15", "次長", "課長"],
    ]),
  });
  assert.equal(again.entries[0]?.outcome, "reject");
  assert.match(again.entries[0]?.reasons.join() ?? "", /課に所属していない次長の職員がいるため/);
});

test("only an administrator may import the organisation", async () => {
  const person = await findStaffByEmployeeNo(app.ctx.db, "810001");
  assert.ok(person);
  const staffActor = await loadActor(app.ctx.db, person.id, "session");
  assert.ok(staffActor);
  await assert.rejects(
    importOrg(app.ctx, { actor: staffActor, data: fixture("org.csv"), dryRun: true }),
    (e: unknown) => e instanceof AppError && e.status === 403,
  );
});

test("a row with broken Shift_JIS or a NUL is refused on its line, and nothing garbled is stored", async () => {
  const seq = await auditCount();
  const lines = [
    "種別,部コード,部名,課コード,課名,職コード,職名,序列,長の区分",
    "組織,950,正常部,951,正常課,,,,",
    "組織,950,正常部,952,破{}課,,,,",
    "職,,,,,80,破損職\u0000,80,なし",
  ];
  const [head = "", tail = ""] = lines.join("\r\n").split("{}");
  const data = Buffer.concat([
    iconv.encode(head, "cp932"),
    Buffer.from([0x81, 0x20]),
    iconv.encode(tail, "cp932"),
  ]);
  const dry = await importOrg(app.ctx, { actor, data, dryRun: true });
  assert.equal(dry.plan.encoding, "shift_jis");
  assert.deepEqual(
    entries(dry.plan, 3).map((e) => [e.kind, e.code, e.outcome, e.reasons]),
    [
      [
        "division",
        "952",
        "reject",
        [
          "文字コード（Shift_JIS）として読めない文字が含まれています（課名）。元のファイルでその文字を入力し直して保存してください。",
        ],
      ],
    ],
  );
  assert.deepEqual(
    entries(dry.plan, 4).map((e) => [e.kind, e.code, e.outcome]),
    [["position", "80", "reject"]],
  );
  assert.match(entries(dry.plan, 4)[0]?.reasons.join() ?? "", /NULなどの制御文字.*（職名）/);
  assert.deepEqual(dry.plan.counts, { create: 2, update: 0, unchanged: 0, reject: 2 });

  const refused = await importOrg(app.ctx, { actor, data });
  assert.equal(refused.applied, false);
  assert.equal(await orgRepo.findDepartmentByCode(app.ctx.db, "950"), undefined);
  assert.equal(await auditCount(), seq);

  const skipped = await importOrg(app.ctx, { actor, data, skipRejected: true });
  assert.equal(skipped.applied, true);
  const divisions = await orgRepo.listDivisions(app.ctx.db);
  assert.ok(divisions.some((d) => d.code === "951"));
  assert.ok(!divisions.some((d) => d.code === "952"));
  assert.ok(!(await orgRepo.listPositions(app.ctx.db)).some((p) => p.code === "80"));
});
