import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import iconv from "iconv-lite";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { entriesAfter } from "../../db/repos/audit.ts";
import * as orgRepo from "../../db/repos/org.ts";
import { allStaff, countStaff, findStaffByEmployeeNo, listTransfers } from "../../db/repos/staff.ts";
import { AppError } from "../../errors.ts";
import { loadActor } from "../actors.ts";
import { systemActor } from "../context.ts";
import { formatCsv } from "../csv.ts";
import type { StaffTransferred } from "../events.ts";
import { importOrg } from "../org/import.ts";
import { importStaff, planStaffImport, type StaffImportPlan, type StaffImportRow } from "./import.ts";

const fixture = (name: string) => readFileSync(join(import.meta.dirname, "../../../test/fixtures", name));
const actor = systemActor("test");
const domain = "city.example.lg.jp";

let app: TestApp;
const transferred: StaffTransferred[] = [];
let failTransfers = false;

before(async () => {
  // 2026-03-25 09:00 in Tokyo: the week before the April personnel moves.
  app = await testApp({ start: "2026-03-25T00:00:00Z" });
  app.ctx.events.on("staff.transferred", async (_tx, event) => {
    if (failTransfers) throw new AppError("conflict", "異動に伴う処理に失敗しました。");
    transferred.push(event);
  });
  const org = await importOrg(app.ctx, { actor, data: fixture("org.csv") });
  assert.equal(org.applied, true);
});
after(() => app.close());

async function auditCount(): Promise<number> {
  return (await entriesAfter(app.ctx.db, 0, 1_000_000)).length;
}

async function auditActions(afterSeq: number): Promise<string[]> {
  return (await entriesAfter(app.ctx.db, afterSeq, 1_000_000)).map((e) => e.action);
}

function row(plan: StaffImportPlan, line: number): StaffImportRow {
  const found = plan.rows.find((r) => r.line === line);
  assert.ok(found, `no row for line ${line}`);
  return found;
}

const header = ["職員番号", "氏名", "ふりがな", "メールアドレス", "部", "課", "職", "在職"];

test("a dry run of the Shift_JIS staff list shows 41 new people and changes nothing", async () => {
  const auditBefore = await auditCount();
  const result = await importStaff(app.ctx, { actor, data: fixture("staff-sjis.csv"), dryRun: true });
  assert.equal(result.applied, false);
  assert.equal(result.plan.encoding, "shift_jis");
  assert.deepEqual(result.plan.counts, { create: 41, update: 0, transfer: 0, unchanged: 0, reject: 0 });
  assert.equal(result.plan.canApply, true);
  // The 備考 column is reported once, not per row, and does not stop the import.
  assert.deepEqual(result.plan.unknownHeaders, ["備考"]);
  assert.equal(result.plan.warnings.filter((w) => w.includes("備考")).length, 1);
  const first = row(result.plan, 2);
  assert.equal(first.name, "髙橋 誠");
  assert.equal(first.placement, "総合政策部 部長");
  assert.equal(await countStaff(app.ctx.db), 0);
  assert.equal(await auditCount(), auditBefore);
});

test("applying it registers every person, one audit entry each plus the import summary", async () => {
  const auditBefore = await auditCount();
  const result = await importStaff(app.ctx, { actor, data: fixture("staff-sjis.csv") });
  assert.equal(result.applied, true);
  const people = await allStaff(app.ctx.db);
  assert.equal(people.length, 41);
  const takahashi = people.find((p) => p.employeeNo === "200101");
  assert.equal(takahashi?.name, "髙橋 誠");
  assert.equal(takahashi?.departmentName, "総合政策部");
  assert.equal(takahashi?.divisionName, null);
  assert.equal(takahashi?.headOf, "department");
  assert.equal(people.find((p) => p.employeeNo === "200313")?.name, "山﨑 学");
  assert.equal(people.find((p) => p.employeeNo === "200419")?.active, false);
  // Every division has its 課長 (4.1.4).
  const divisions = await orgRepo.listDivisions(app.ctx.db);
  for (const d of divisions) {
    assert.ok(
      people.some((p) => p.divisionId === d.id && p.headOf === "division"),
      `${d.name} has no 課長`,
    );
  }
  const actions = await auditActions(auditBefore);
  assert.equal(actions.filter((a) => a === "staff.create").length, 41);
  assert.deepEqual(
    actions.filter((a) => a !== "staff.create"),
    ["staff.import"],
  );
});

test("the same file again is unchanged on every row and writes nothing", async () => {
  const auditBefore = await auditCount();
  const result = await importStaff(app.ctx, { actor, data: fixture("staff-sjis.csv") });
  assert.deepEqual(result.plan.counts, { create: 0, update: 0, transfer: 0, unchanged: 41, reject: 0 });
  assert.equal(await auditCount(), auditBefore);
});

test("English headers in UTF-8 with BOM, by code; an empty active cell means active, 0 means left", async () => {
  const result = await importStaff(app.ctx, { actor, data: fixture("staff-utf8-bom.csv") });
  assert.equal(result.plan.encoding, "utf-8");
  assert.equal(result.plan.counts.create, 5);
  assert.equal(result.applied, true);
  assert.equal((await findStaffByEmployeeNo(app.ctx.db, "300004"))?.active, true);
  assert.equal((await findStaffByEmployeeNo(app.ctx.db, "300005"))?.active, false);
  assert.equal(result.plan.notInFile, 41);
});

test("header variants in any order, full-width codes and e-mail, half-width kana are understood", async () => {
  const data = formatCsv([
    ["有効", "メール", "職コード", "所属", "氏名カナ", "氏名", "職員番号（必須）"],
    [
      "１",
      "ｓｅｎｄａ．ｍｉｏ＠city.example.lg.jp",
      "５０",
      "観光振興課",
      "ｾﾝﾀﾞ ﾐｵ",
      "仙田 澪",
      "５００００１",
    ],
  ]);
  const plan = await planStaffImport(app.ctx, { actor, data });
  assert.deepEqual(plan.fileErrors, []);
  assert.deepEqual(plan.unknownHeaders, []);
  const r = row(plan, 2);
  assert.equal(r.outcome, "create");
  assert.equal(r.employeeNo, "500001");
  // The department follows from the division when only the division is given.
  assert.equal(r.placement, "商工観光部 観光振興課 主事");
  const after = (field: string) => r.changes.find((c) => c.field === field)?.after;
  assert.equal(after("email"), `senda.mio@${domain}`);
  assert.equal(after("kana"), "センダ ミオ");
});

test("every kind of mistake is rejected with its reason in Japanese, and nothing is applied", async () => {
  const staffBefore = await countStaff(app.ctx.db);
  const auditBefore = await auditCount();
  const result = await importStaff(app.ctx, { actor, data: fixture("staff-errors.csv") });
  assert.equal(result.applied, false);
  const { plan } = result;
  assert.equal(row(plan, 2).outcome, "create");
  const expected: [number, RegExp][] = [
    [3, /部「観光部」が見つかりません/],
    [4, /課「広報課」が見つかりません/],
    [5, /職「参事」が見つかりません/],
    [6, /課「広報広聴課」は「総務部」の課ではありません/],
    [7, /課長は課の長のため、課を入力してください/],
    [8, /職員番号「400007」がこのファイルの8行目・9行目にあります/],
    [9, /職員番号「400007」がこのファイルの8行目・9行目にあります/],
    [10, /メールアドレス「same@city\.example\.lg\.jp」がこのファイルの10行目・11行目で重複/],
    [11, /メールアドレス「SAME@city\.example\.lg\.jp」がこのファイルの10行目・11行目で重複/],
    [12, /メールアドレスの形式が正しくありません/],
    [13, /氏名を入力してください/],
    [14, /在職の欄の「たぶん」は読み取れません/],
    [15, /職員番号は半角英数字とハイフンで入力してください/],
  ];
  for (const [line, reason] of expected) {
    const r = row(plan, line);
    assert.equal(r.outcome, "reject", `line ${line}`);
    assert.equal(r.reasons.length, 1, `line ${line}: ${r.reasons.join(" / ")}`);
    assert.match(r.reasons[0] ?? "", reason, `line ${line}`);
  }
  assert.equal(plan.counts.reject, 13);
  assert.equal(plan.canApply, false);
  assert.equal(await countStaff(app.ctx.db), staffBefore);
  assert.equal(await auditCount(), auditBefore);
});

test("an e-mail address already held by someone else, and a number that lost its leading zero, are refused", async () => {
  await importStaff(app.ctx, {
    actor,
    data: formatCsv([header, ["012345", "零 始", "", `zero@${domain}`, "総務部", "総務課", "主事", ""]]),
  });
  const plan = await planStaffImport(app.ctx, {
    actor,
    data: formatCsv([
      header,
      ["600001", "別人 太郎", "", `kobayashi.naoki@${domain}`, "総務部", "総務課", "主事", ""],
      ["12345", "零 始", "", `zero2@${domain}`, "総務部", "総務課", "主事", ""],
    ]),
  });
  assert.match(row(plan, 2).reasons.join(), /職員番号「200301」の小林 直樹さんがすでに使っています/);
  assert.match(row(plan, 3).reasons.join(), /「012345」が登録されています。Excelで開くと先頭の0が消える/);
});

test("a file without a required column is refused as a whole, naming the column", async () => {
  const plan = await planStaffImport(app.ctx, {
    actor,
    data: formatCsv([
      ["氏名", "メールアドレス", "部", "職"],
      ["名無 権兵衛", `nanashi@${domain}`, "総務部", "主事"],
    ]),
  });
  assert.equal(plan.canApply, false);
  assert.deepEqual(plan.rows, []);
  assert.match(plan.fileErrors.join(), /必須の列「職員番号」がありません/);
  const headerOnly = await importStaff(app.ctx, { actor, data: formatCsv([header]) });
  assert.equal(headerOnly.applied, false);
  assert.match(headerOnly.plan.fileErrors.join(), /取り込む行がありません/);
});

test("an edited name and e-mail are an update listing each change, recorded in the audit log", async () => {
  const seq = await auditCount();
  const data = formatCsv([
    header,
    [
      "200405",
      "前田 拓哉",
      "まえだ たくや",
      `maeda.takuya2@${domain}`,
      "総合政策部",
      "広報広聴課",
      "主事",
      "在職",
    ],
  ]);
  const result = await importStaff(app.ctx, { actor, data });
  const r = row(result.plan, 2);
  assert.equal(r.outcome, "update");
  assert.deepEqual(
    r.changes.map((c) => [c.label, c.before, c.after]),
    [
      ["氏名", "前田 拓也", "前田 拓哉"],
      ["メールアドレス", `maeda.takuya@${domain}`, `maeda.takuya2@${domain}`],
    ],
  );
  assert.equal(result.applied, true);
  assert.equal((await findStaffByEmployeeNo(app.ctx.db, "200405"))?.name, "前田 拓哉");
  const entries = await entriesAfter(app.ctx.db, seq, 100);
  assert.deepEqual(
    entries.map((e) => e.action),
    ["staff.update", "staff.import"],
  );
});

test("a new placement for someone in post is a transfer (人事異動) on the import's date, and the reactions run", async () => {
  const seq = await auditCount();
  const data = formatCsv([
    header,
    [
      "200404",
      "石川 葵",
      "いしかわ あおい",
      `ishikawa.aoi@${domain}`,
      "商工観光部",
      "観光振興課",
      "主任",
      "在職",
    ],
  ]);
  const result = await importStaff(app.ctx, { actor, data, effectiveDate: "2026-03-25" });
  const r = row(result.plan, 2);
  assert.equal(r.outcome, "transfer");
  assert.deepEqual(r.transfer, { effectiveDate: "2026-03-25", scheduled: false });
  assert.deepEqual(
    r.changes.map((c) => `${c.label}: ${c.before} → ${c.after}`),
    ["部: 総合政策部 → 商工観光部", "課: 広報広聴課 → 観光振興課", "職: 主事 → 主任"],
  );
  const person = await findStaffByEmployeeNo(app.ctx.db, "200404");
  assert.ok(person);
  const kankou = await orgRepo.findDivisionByCode(app.ctx.db, "501");
  assert.equal(person.divisionId, kankou?.id);
  const [transfer] = await listTransfers(app.ctx.db, { staffId: person.id });
  assert.equal(transfer?.status, "applied");
  assert.equal(transfer?.effectiveDate, "2026-03-25");
  assert.equal(transferred.at(-1)?.staffId, person.id);
  assert.deepEqual(await auditActions(seq), ["transfer.create", "staff.import"]);
});

test("a transfer dated 1 April is scheduled, and importing the same file again does not add a second one", async () => {
  const data = formatCsv([
    header,
    ["200403", "阿部 翔太", "あべ しょうた", `abe.shota@${domain}`, "総務部", "情報政策課", "主任", "在職"],
  ]);
  const first = await importStaff(app.ctx, { actor, data, effectiveDate: "2026-04-01" });
  assert.deepEqual(row(first.plan, 2).transfer, { effectiveDate: "2026-04-01", scheduled: true });
  const person = await findStaffByEmployeeNo(app.ctx.db, "200403");
  assert.ok(person);
  // Still in 広報広聴課 until the day.
  assert.equal(person.divisionId, (await orgRepo.findDivisionByCode(app.ctx.db, "101"))?.id);
  const again = await importStaff(app.ctx, { actor, data, effectiveDate: "2026-04-01" });
  const r = row(again.plan, 2);
  assert.equal(r.outcome, "unchanged");
  assert.match(r.notes.join(), /発令日 令和8年（2026年）4月1日（水） の異動として登録済み/);
  const scheduled = await listTransfers(app.ctx.db, { staffId: person.id, status: "scheduled" });
  assert.equal(scheduled.length, 1);
});

test("在職 0 marks someone as having left: an update, not a transfer", async () => {
  const data = formatCsv([
    header,
    ["200412", "石井 真由美", "いしい まゆみ", `ishii.mayumi@${domain}`, "総務部", "人事課", "主事", "退職"],
  ]);
  const result = await importStaff(app.ctx, { actor, data });
  const r = row(result.plan, 2);
  assert.equal(r.outcome, "update");
  assert.deepEqual(r.changes, [{ field: "active", label: "在職", before: "在職", after: "退職" }]);
  assert.equal((await findStaffByEmployeeNo(app.ctx.db, "200412"))?.active, false);
});

test("an e-mail address handed from one person to another in the same file is applied in the right order", async () => {
  const data = formatCsv([
    header,
    // Row 2 takes the address row 3 gives up; row 3 must be applied first.
    [
      "200407",
      "後藤 陽介",
      "ごとう ようすけ",
      `okada.misaki@${domain}`,
      "総合政策部",
      "ふるさと発信課",
      "主任",
      "",
    ],
    [
      "200408",
      "岡田 美咲",
      "おかだ みさき",
      `okada.misaki2@${domain}`,
      "総合政策部",
      "ふるさと発信課",
      "主事",
      "",
    ],
  ]);
  const result = await importStaff(app.ctx, { actor, data });
  assert.equal(result.applied, true);
  assert.equal((await findStaffByEmployeeNo(app.ctx.db, "200407"))?.email, `okada.misaki@${domain}`);
  assert.equal((await findStaffByEmployeeNo(app.ctx.db, "200408"))?.email, `okada.misaki2@${domain}`);

  const swap = await planStaffImport(app.ctx, {
    actor,
    data: formatCsv([
      header,
      [
        "200407",
        "後藤 陽介",
        "ごとう ようすけ",
        `okada.misaki2@${domain}`,
        "総合政策部",
        "ふるさと発信課",
        "主任",
        "",
      ],
      [
        "200408",
        "岡田 美咲",
        "おかだ みさき",
        `okada.misaki@${domain}`,
        "総合政策部",
        "ふるさと発信課",
        "主事",
        "",
      ],
    ]),
  });
  assert.equal(swap.counts.reject, 2);
  assert.match(
    row(swap, 2).reasons.join() + row(swap, 3).reasons.join(),
    /入れ替える変更は一度に取り込めません/,
  );
});

test("if one change fails while applying, the whole file is rolled back", async () => {
  const staffBefore = await countStaff(app.ctx.db);
  const auditBefore = await auditCount();
  const data = formatCsv([
    header,
    ["700001", "新人 一号", "しんじん いちごう", `shinjin1@${domain}`, "土木部", "道路課", "主事", ""],
    ["200410", "村上 千尋", "むらかみ ちひろ", `murakami.chihiro@${domain}`, "総務部", "総務課", "主任", ""],
  ]);
  failTransfers = true;
  try {
    await assert.rejects(
      importStaff(app.ctx, { actor, data }),
      (e: unknown) =>
        e instanceof AppError &&
        e.message.includes("3行目（職員番号「200410」）を取り込めませんでした") &&
        e.message.includes("異動に伴う処理に失敗しました。") &&
        e.message.includes("何も変更されていません"),
    );
  } finally {
    failTransfers = false;
  }
  assert.equal(await countStaff(app.ctx.db), staffBefore);
  assert.equal(await findStaffByEmployeeNo(app.ctx.db, "700001"), undefined);
  const murakami = await findStaffByEmployeeNo(app.ctx.db, "200410");
  assert.equal(murakami?.divisionId, (await orgRepo.findDivisionByCode(app.ctx.db, "202"))?.id);
  assert.equal(await auditCount(), auditBefore);
});

test("the plan is made again when applying: an address taken since the dry run becomes a reject", async () => {
  const staffBefore = await countStaff(app.ctx.db);
  // The plan sees a free address; another session takes it before the apply.
  const data = formatCsv([
    header,
    ["700002", "新人 二号", "", `shinjin2@${domain}`, "土木部", "道路課", "主事", ""],
    ["700003", "新人 三号", "", `taken@${domain}`, "土木部", "道路課", "主事", ""],
  ]);
  const plan = await planStaffImport(app.ctx, { actor, data });
  assert.equal(plan.canApply, true);
  await importStaff(app.ctx, {
    actor,
    data: formatCsv([header, ["700009", "先着 者", "", `taken@${domain}`, "土木部", "道路課", "主事", ""]]),
  });
  const result = await importStaff(app.ctx, { actor, data });
  // Planned again inside the transaction: the conflict is now a reject, and nothing is applied.
  assert.equal(result.applied, false);
  assert.match(row(result.plan, 3).reasons.join(), /すでに使っています/);
  assert.equal(await countStaff(app.ctx.db), staffBefore + 1);
});

test("with skipRejected the acceptable rows go in and the summary lists the skipped lines", async () => {
  const seq = await auditCount();
  const data = formatCsv([
    header,
    ["700004", "新人 四号", "", `shinjin4@${domain}`, "土木部", "道路課", "主事", ""],
    ["700005", "新人 五号", "", `shinjin5@${domain}`, "土木部", "存在しない課", "主事", ""],
  ]);
  const without = await importStaff(app.ctx, { actor, data });
  assert.equal(without.applied, false);
  assert.equal(await findStaffByEmployeeNo(app.ctx.db, "700004"), undefined);
  const result = await importStaff(app.ctx, { actor, data, skipRejected: true });
  assert.equal(result.applied, true);
  assert.equal(result.skipped, 1);
  assert.ok(await findStaffByEmployeeNo(app.ctx.db, "700004"));
  assert.equal(await findStaffByEmployeeNo(app.ctx.db, "700005"), undefined);
  const entries = await entriesAfter(app.ctx.db, seq, 100);
  const summary = entries.find((e) => e.action === "staff.import")?.summary;
  assert.deepEqual(
    summary && typeof summary === "object" && !Array.isArray(summary) ? summary.skippedLines : null,
    [3],
  );
});

test("a 課長 may not import staff: refused before the file is read, and audited", async () => {
  const manager = await findStaffByEmployeeNo(app.ctx.db, "200301");
  assert.ok(manager);
  const kachou = await loadActor(app.ctx.db, manager.id, "session");
  assert.ok(kachou);
  const seq = await auditCount();
  await assert.rejects(
    importStaff(app.ctx, { actor: kachou, data: fixture("staff-utf8-bom.csv"), dryRun: true }),
    (e: unknown) => e instanceof AppError && e.status === 403,
  );
  assert.deepEqual(await auditActions(seq), ["auth.denied"]);
});

test("a bad 発令日 and an unreadable file are refused with Japanese messages", async () => {
  await assert.rejects(
    planStaffImport(app.ctx, { actor, data: fixture("staff-utf8-bom.csv"), effectiveDate: "2026-02-30" }),
    (e: unknown) => e instanceof AppError && e.message.includes("発令日"),
  );
  const latin = iconv.encode("職員番号,氏名\r\n1,ｱ\r\n", "cp932");
  await assert.rejects(
    planStaffImport(app.ctx, { actor, data: latin, encoding: "utf8" }),
    (e: unknown) => e instanceof AppError && e.status === 400,
  );
});

test("a 課 name used in two 部 is found inside the given 部; given alone it is ambiguous", async () => {
  const org = await importOrg(app.ctx, {
    actor,
    data: formatCsv([
      ["部コード", "部名", "課コード", "課名"],
      ["700", "教育委員会事務局", "702", "総務課"],
    ]),
  });
  assert.equal(org.applied, true);
  const plan = await planStaffImport(app.ctx, {
    actor,
    data: formatCsv([
      ["職員番号", "氏名", "メールアドレス", "部", "課", "職"],
      ["710001", "教育 総務", `kyouiku.soumu@${domain}`, "教育委員会事務局", "総務課", "主事"],
      ["710002", "どこの 総務", `doko.soumu@${domain}`, "", "総務課", "主事"],
    ]),
  });
  assert.equal(row(plan, 2).placement, "教育委員会事務局 総務課 主事");
  assert.match(
    row(plan, 3).reasons.join(),
    /課「総務課」に当てはまる課が複数あります。課コードで指定してください/,
  );
});

/** The lines in CP932 joined by CRLF, with the raw bytes put where `{}` stands. */
function brokenSjis(lines: string[], raw: number[]): Buffer {
  const [head = "", tail = ""] = lines.join("\r\n").split("{}");
  return Buffer.concat([iconv.encode(head, "cp932"), Buffer.from(raw), iconv.encode(`${tail}\r\n`, "cp932")]);
}

const staffLine = (no: string, name: string) => `${no},${name},,s${no}@${domain},土木部,道路課,主事,`;

test("a row with broken Shift_JIS is refused on its line in the dry run and on apply; the rest can go in", async () => {
  const data = brokenSjis(
    [
      header.join(","),
      staffLine("910001", "正常 一郎"),
      staffLine("910002", "破損{}花子"),
      staffLine("910003", "正常 三郎"),
    ],
    [0x81, 0x20],
  );
  const dry = await importStaff(app.ctx, { actor, data, dryRun: true });
  assert.equal(dry.plan.encoding, "shift_jis");
  assert.deepEqual(dry.plan.counts, { create: 2, update: 0, transfer: 0, unchanged: 0, reject: 1 });
  assert.equal(row(dry.plan, 3).outcome, "reject");
  assert.deepEqual(row(dry.plan, 3).reasons, [
    "文字コード（Shift_JIS）として読めない文字が含まれています（氏名）。元のファイルでその文字を入力し直して保存してください。",
  ]);
  assert.equal(row(dry.plan, 3).employeeNo, "910002");

  const refused = await importStaff(app.ctx, { actor, data });
  assert.equal(refused.applied, false);
  assert.equal(await findStaffByEmployeeNo(app.ctx.db, "910001"), undefined);

  const skipped = await importStaff(app.ctx, { actor, data, skipRejected: true });
  assert.equal(skipped.applied, true);
  assert.equal((await findStaffByEmployeeNo(app.ctx.db, "910001"))?.name, "正常 一郎");
  assert.equal(await findStaffByEmployeeNo(app.ctx.db, "910002"), undefined);
  assert.ok(!(await allStaff(app.ctx.db)).some((s) => s.name.includes("\uFFFD")));
});

test("invalid UTF-8 bytes, and a U+FFFD written into a UTF-8 file, are refused row by row", async () => {
  const utf8 = (s: string) => new TextEncoder().encode(s);
  const data = Buffer.concat([
    utf8(`${header.join(",")}\n${staffLine("920001", "正常 一郎")}\n920002,破損`),
    Buffer.from([0xe8, 0x8a]), // 花 (E8 8A B1) cut short
    utf8(`,,s920002@${domain},土木部,道路課,主事,\n${staffLine("920003", "置換\uFFFD文字")}\n`),
  ]);
  const plan = await planStaffImport(app.ctx, { actor, data });
  assert.equal(plan.encoding, "utf-8", "one broken character does not turn the file into Shift_JIS");
  assert.equal(row(plan, 2).outcome, "create");
  assert.equal(row(plan, 2).name, "正常 一郎");
  for (const line of [3, 4]) {
    assert.equal(row(plan, line).outcome, "reject");
    assert.match(
      row(plan, line).reasons.join(),
      /文字コード（UTF-8）として読めない文字が含まれています（氏名）/,
    );
  }
});

test("a NUL byte in a cell is refused with its line instead of failing in the database", async () => {
  const data = formatCsv([
    header,
    ["930001", "正常 一郎", "", `s930001@${domain}`, "土木部", "道路課", "主事", ""],
    ["930002", "ヌル\u0000文字", "", `s930002@${domain}`, "土木部", "道路課", "主事", ""],
  ]);
  const result = await importStaff(app.ctx, { actor, data, skipRejected: true });
  assert.equal(result.applied, true);
  assert.equal(row(result.plan, 3).outcome, "reject");
  assert.match(row(result.plan, 3).reasons.join(), /NULなどの制御文字.*（氏名）/);
  assert.equal(row(result.plan, 3).name, "ヌル␀文字", "the plan shows where the NUL is");
  assert.ok(await findStaffByEmployeeNo(app.ctx.db, "930001"));
  assert.equal(await findStaffByEmployeeNo(app.ctx.db, "930002"), undefined);
});

test("an unreadable header is a problem with the file as a whole", async () => {
  const data = brokenSjis(
    [
      "職員番号,氏名,メールアドレス,部,課,職,備{}考",
      "940001,見出し 壊,x@city.example.lg.jp,土木部,道路課,主事,",
    ],
    [0x81, 0x20],
  );
  const plan = await planStaffImport(app.ctx, { actor, data });
  assert.deepEqual(plan.fileErrors, [
    "1行目（見出し）: 文字コード（Shift_JIS）として読めない文字が含まれています（7列目）。元のファイルでその文字を入力し直して保存してください。",
  ]);
  assert.equal(plan.canApply, false);
});

test("an import's 発令日 more than a year away is refused before anything is planned (a typo in the year)", async () => {
  const data = formatCsv([header]);
  await assert.rejects(
    planStaffImport(app.ctx, { actor, data, effectiveDate: "2062-04-01" }),
    (e: unknown) =>
      e instanceof AppError &&
      e.status === 422 &&
      e.message.includes("1年以上先") &&
      e.fields.some((f) => f.field === "effectiveDate"),
  );
});
