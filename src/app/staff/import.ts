/**
 * Staff import from CSV (職員一覧の取り込み). The file is read the way cities keep it (UTF-8 or
 * Shift_JIS, Japanese or English headers in any order), every row is compared with the register and
 * given an outcome — create, update, transfer (人事異動), unchanged or reject with reasons — and
 * that plan is shown before anything changes (dry run). Applying runs every change through the
 * ordinary use cases in one transaction, so each gets its audit entry and a transfer fires the
 * reactions that follow a 人事異動 (4.1.4, 4.3.2); either the whole file is applied or nothing.
 */
import type { Db } from "../../db/client.ts";
import * as orgRepo from "../../db/repos/org.ts";
import * as staffRepo from "../../db/repos/staff.ts";
import { formatDate, tokyoDate } from "../../domain/dates.ts";
import { hasOrganisation } from "../../domain/org.ts";
import { AppError } from "../../errors.ts";
import { record } from "../audit/record.ts";
import { authorize } from "../authorize.ts";
import type { Actor, AppContext } from "../context.ts";
import {
  type CsvEncoding,
  type CsvRecord,
  characterProblems,
  columnNamer,
  type EncodingOption,
  foldCell,
  headerKey,
  headerProblems,
  kanaCell,
  readCsv,
  restoreCell,
  visibleText,
} from "../csv.ts";
import { parse, plainDate } from "../validate.ts";
import { createStaff, staffInput, updateStaff } from "./people.ts";
import { checkEffectiveDate, recordTransfer } from "./transfers.ts";

/** The columns the import understands. */
export type StaffField =
  | "employeeNo"
  | "name"
  | "kana"
  | "email"
  | "department"
  | "division"
  | "position"
  | "active";

/** What applying the file would do with one row. */
export type StaffImportOutcome = "create" | "update" | "transfer" | "unchanged" | "reject";

/** Japanese labels of the outcomes, for pages and the CLI. */
export const staffOutcomeLabels: Record<StaffImportOutcome, string> = {
  create: "新規登録",
  update: "更新",
  transfer: "異動",
  unchanged: "変更なし",
  reject: "取込不可",
};

/** Japanese labels of the fields, as shown in change lists. */
export const staffFieldLabels: Record<StaffField, string> = {
  employeeNo: "職員番号",
  name: "氏名",
  kana: "ふりがな",
  email: "メールアドレス",
  department: "部",
  division: "課",
  position: "職",
  active: "在職",
};

/** One field that would change, with display values (names, not ids). */
export type FieldChange = { field: StaffField; label: string; before: string; after: string };

/** One data row of the file and what applying it would do. */
export type StaffImportRow = {
  /** Line of the file the row starts on (the header is line 1 in a typical file). */
  line: number;
  outcome: StaffImportOutcome;
  employeeNo: string;
  name: string;
  /** The person in the register this row matched (by employee number), if any. */
  staffId: number | null;
  /** Placement after applying, for display: 「総合政策部 広報広聴課 主事」. Empty for rejects. */
  placement: string;
  /** Field-by-field changes (for `create`, every field with an empty `before`). */
  changes: FieldChange[];
  /** For `transfer`: the 発令日 and whether it takes effect later (then it is scheduled). */
  transfer: { effectiveDate: string; scheduled: boolean } | null;
  /** Why the row cannot be imported (Japanese). Non-empty exactly when `outcome` is `reject`. */
  reasons: string[];
  /** Things worth knowing that do not stop the row (Japanese). */
  notes: string[];
};

/** How the header row was understood. */
export type StaffImportColumn = { header: string; field: StaffField | null };

/** Everything a page or the CLI needs to show what an import would do. */
export type StaffImportPlan = {
  encoding: CsvEncoding;
  /** 発令日 given to transfers from this file (YYYY-MM-DD). */
  effectiveDate: string;
  columns: StaffImportColumn[];
  /** Headers that match no field; ignored. */
  unknownHeaders: string[];
  /** Problems with the file as a whole (missing required columns, no rows): nothing can be applied. */
  fileErrors: string[];
  /** Remarks about the file that do not stop it (Japanese): ignored and duplicated columns. */
  warnings: string[];
  rows: StaffImportRow[];
  counts: Record<StaffImportOutcome, number>;
  /** People in the register that the file does not mention (they are left as they are). */
  notInFile: number;
  /** True when the file can be applied as it is: no file errors and no rejected rows. */
  canApply: boolean;
  /**
   * True when no department of the city is registered yet (only the first start's setup
   * department): every row will be refused until the organisation file is imported first.
   */
  orgMissing: boolean;
};

/** The outcome of `importStaff`. */
export type StaffImportResult = {
  plan: StaffImportPlan;
  dryRun: boolean;
  /** True when the changes were written. */
  applied: boolean;
  /** Rejected rows left out because `skipRejected` was given. */
  skipped: number;
};

/** Options shared by planning and applying. */
export type StaffImportOptions = {
  actor: Actor;
  /** The file's bytes (or already decoded text). */
  data: Uint8Array | string;
  /** Force an encoding; detected by default. */
  encoding?: EncodingOption;
  /** 発令日 for transfers (YYYY-MM-DD); today in Tokyo by default. */
  effectiveDate?: string;
};

// Header recognition

const headerAliases: Record<StaffField, readonly string[]> = {
  employeeNo: [
    "職員番号",
    "職員no",
    "職員コード",
    "職員id",
    "employeeno",
    "employeenumber",
    "employeeid",
    "staffno",
  ],
  name: ["氏名", "名前", "職員名", "name", "fullname"],
  kana: [
    "ふりがな",
    "フリガナ",
    "氏名カナ",
    "氏名かな",
    "氏名ふりがな",
    "氏名フリガナ",
    "カナ",
    "かな",
    "kana",
    "furigana",
  ],
  email: [
    "メールアドレス",
    "メール",
    "電子メール",
    "電子メールアドレス",
    "eメール",
    "email",
    "mail",
    "emailaddress",
  ],
  department: [
    "部コード",
    "部",
    "部名",
    "所属部",
    "部局",
    "department",
    "departmentcode",
    "departmentname",
    "dept",
  ],
  division: [
    "課コード",
    "課",
    "課名",
    "所属",
    "所属課",
    "所属課コード",
    "division",
    "divisioncode",
    "divisionname",
    "section",
  ],
  position: ["職", "職名", "職コード", "役職", "職位", "position", "positioncode", "positionname", "title"],
  active: ["在職", "有効", "在職区分", "在職状況", "状態", "active", "status", "enabled"],
};

/** Fields that may come from several columns (a code column and a name column). */
const multiColumn: ReadonlySet<StaffField> = new Set(["department", "division", "position"]);

const staffFields: readonly StaffField[] = [
  "employeeNo",
  "name",
  "kana",
  "email",
  "department",
  "division",
  "position",
  "active",
];

const fieldByKey = new Map<string, StaffField>();
for (const field of staffFields) {
  for (const alias of headerAliases[field]) fieldByKey.set(headerKey(alias), field);
}

/** Recognises a header cell, or null when it names no field. */
export function fieldOfHeader(header: string): StaffField | null {
  return fieldByKey.get(headerKey(header)) ?? null;
}

// Value normalisation

const activeWords = new Map<string, boolean>([
  ...["", "1", "true", "yes", "y", "在職", "有効", "在籍", "○", "〇"].map((w): [string, boolean] => [
    w,
    true,
  ]),
  ...["0", "false", "no", "n", "退職", "無効", "休職", "離職", "×"].map((w): [string, boolean] => [w, false]),
]);

function activeOf(value: string): boolean | undefined {
  return activeWords.get(foldCell(value).toLowerCase());
}

// Reference data

type Org = {
  departments: orgRepo.Department[];
  divisions: orgRepo.Division[];
  positions: orgRepo.Position[];
};

type Unit = { id: number; code: string; name: string };

/** Units a cell can mean: those with that code, else those with that name. */
function candidates<T extends Unit>(units: readonly T[], cell: string): T[] {
  const key = foldCell(cell);
  const byCode = units.filter((u) => u.code === key);
  return byCode.length > 0 ? byCode : units.filter((u) => u.name.normalize("NFKC").trim() === key);
}

/**
 * Resolves the cells given for one unit (a code column and a name column may both be there):
 * null when all are empty, undefined (with a reason) when they name nothing, several things, or
 * different things.
 */
function resolveCells<T extends Unit>(
  units: readonly T[],
  cells: readonly string[],
  what: string,
  reasons: string[],
): T | null | undefined {
  const given = cells.map((c) => c.trim()).filter((c) => c !== "");
  if (given.length === 0) return null;
  let common: T[] | undefined;
  for (const cell of given) {
    const found = candidates(units, cell);
    if (found.length === 0) {
      reasons.push(
        `${what}「${cell}」が見つかりません。登録済みの${what}コードまたは${what}名で入力してください。`,
      );
      return undefined;
    }
    common = common ? common.filter((u) => found.includes(u)) : found;
  }
  const [only, ...rest] = common ?? [];
  if (only && rest.length === 0) return only;
  if (!only) {
    reasons.push(
      `${what}の列の値（${given.map((g) => `「${g}」`).join("と")}）が別々の${what}を指しています。`,
    );
    return undefined;
  }
  reasons.push(
    `${what}「${given.join("・")}」に当てはまる${what}が複数あります。${what}コードで指定してください。`,
  );
  return undefined;
}

// Planning

type Wanted = {
  employeeNo: string;
  name: string;
  kana: string;
  email: string;
  departmentId: number;
  divisionId: number | null;
  positionId: number;
  active: boolean;
};

/** A row with what apply needs; the public row is `row`. */
type Planned = { row: StaffImportRow; wanted: Wanted | null; existing: staffRepo.StaffView | null };

const identityFields = staffInput.pick({ employeeNo: true, name: true, kana: true, email: true });

function emptyCounts(): Record<StaffImportOutcome, number> {
  return { create: 0, update: 0, transfer: 0, unchanged: 0, reject: 0 };
}

function placementText(org: Org, p: { departmentId: number; divisionId: number | null; positionId: number }) {
  const department = org.departments.find((d) => d.id === p.departmentId)?.name ?? "";
  const division =
    p.divisionId === null ? "" : (org.divisions.find((d) => d.id === p.divisionId)?.name ?? "");
  const position = org.positions.find((d) => d.id === p.positionId)?.name ?? "";
  return [department, division, position].filter(Boolean).join(" ");
}

function displayValues(
  org: Org,
  w: Omit<Wanted, "employeeNo">,
): Record<Exclude<StaffField, "employeeNo">, string> {
  return {
    name: w.name,
    kana: w.kana,
    email: w.email,
    department: org.departments.find((d) => d.id === w.departmentId)?.name ?? "",
    division:
      w.divisionId === null ? "（なし）" : (org.divisions.find((d) => d.id === w.divisionId)?.name ?? ""),
    position: org.positions.find((p) => p.id === w.positionId)?.name ?? "",
    active: w.active ? "在職" : "退職",
  };
}

const comparedFields = ["name", "kana", "email", "department", "division", "position", "active"] as const;
const placementFields: ReadonlySet<StaffField> = new Set(["department", "division", "position"]);

function changesBetween(org: Org, before: Omit<Wanted, "employeeNo"> | null, after: Wanted): FieldChange[] {
  const a = displayValues(org, after);
  const b = before ? displayValues(org, before) : null;
  const changes: FieldChange[] = [];
  const differs: Record<(typeof comparedFields)[number], boolean> = {
    name: before?.name !== after.name,
    kana: before?.kana !== after.kana,
    email: before?.email !== after.email,
    department: before?.departmentId !== after.departmentId,
    division: before?.divisionId !== after.divisionId,
    position: before?.positionId !== after.positionId,
    active: before?.active !== after.active,
  };
  for (const field of comparedFields) {
    if (!differs[field]) continue;
    if (!before && a[field] === "") continue;
    changes.push({ field, label: staffFieldLabels[field], before: b ? b[field] : "", after: a[field] });
  }
  return changes;
}

const samePlacement = (
  a: { departmentId: number; divisionId: number | null; positionId: number },
  b: { departmentId: number | null; divisionId: number | null; positionId: number | null },
) => a.departmentId === b.departmentId && a.divisionId === b.divisionId && a.positionId === b.positionId;

type RowCells = Record<StaffField, string[]>;

function cellsOf(columns: readonly (StaffField | null)[], record: CsvRecord): RowCells {
  const cells: RowCells = {
    employeeNo: [],
    name: [],
    kana: [],
    email: [],
    department: [],
    division: [],
    position: [],
    active: [],
  };
  columns.forEach((field, i) => {
    if (field === null) return;
    cells[field].push(restoreCell(record.cells[i] ?? ""));
  });
  return cells;
}

/** Reads one row: identity fields, placement; reasons collect what is wrong with it. */
function readRow(org: Org, cells: RowCells, reasons: string[]): Wanted | null {
  const first = (field: StaffField) => cells[field][0] ?? "";
  const identity = identityFields.safeParse({
    employeeNo: foldCell(first("employeeNo")),
    name: first("name"),
    kana: kanaCell(first("kana")),
    email: foldCell(first("email")),
  });
  if (!identity.success) for (const issue of identity.error.issues) reasons.push(issue.message);

  const active = activeOf(first("active"));
  if (active === undefined) {
    reasons.push(
      `在職の欄の「${first("active").trim()}」は読み取れません。「1」（在職）または「0」（退職）で入力してください。`,
    );
  }

  const department = resolveCells(org.departments, cells.department, "部", reasons);
  // A division name is looked up inside the department first (two 部 may each have a 総務課).
  const inDepartment = department
    ? resolveCells(
        org.divisions.filter((d) => d.departmentId === department.id),
        cells.division,
        "課",
        [],
      )
    : undefined;
  const division =
    inDepartment !== undefined ? inDepartment : resolveCells(org.divisions, cells.division, "課", reasons);
  const position = resolveCells(org.positions, cells.position, "職", reasons);

  if (position === null) reasons.push("職を入力してください。");
  if (department === null && division === null) reasons.push("部を入力してください。");
  if (department && division && division.departmentId !== department.id) {
    const home = org.departments.find((d) => d.id === division.departmentId)?.name ?? "";
    reasons.push(`課「${division.name}」は「${department.name}」の課ではありません（「${home}」の課です）。`);
  }
  if (position && position.headOf === "division" && division === null) {
    reasons.push(`${position.name}は課の長のため、課を入力してください（第4-1(4)）。`);
  }

  const departmentId = department?.id ?? division?.departmentId;
  if (reasons.length > 0 || !identity.success || active === undefined) return null;
  if (!position || departmentId === undefined || division === undefined) return null;
  return {
    ...identity.data,
    departmentId,
    divisionId: division?.id ?? null,
    positionId: position.id,
    active,
  };
}

function linesText(lines: readonly number[]): string {
  return lines.map((l) => `${l}行目`).join("・");
}

/** Marks rows that share an employee number or an e-mail address inside the file. */
function rejectDuplicatesInFile(planned: Planned[]): void {
  const byNo = new Map<string, Planned[]>();
  const byEmail = new Map<string, Planned[]>();
  for (const p of planned) {
    if (!p.wanted) continue;
    byNo.set(p.wanted.employeeNo, [...(byNo.get(p.wanted.employeeNo) ?? []), p]);
    const email = p.wanted.email.toLowerCase();
    byEmail.set(email, [...(byEmail.get(email) ?? []), p]);
  }
  for (const [no, group] of byNo) {
    if (group.length < 2) continue;
    const lines = group.map((p) => p.row.line);
    for (const p of group) {
      p.row.reasons.push(
        `職員番号「${no}」がこのファイルの${linesText(lines)}にあります。1人1行にしてください。`,
      );
    }
  }
  for (const group of byEmail.values()) {
    if (group.length < 2) continue;
    const lines = group.map((p) => p.row.line);
    for (const p of group) {
      p.row.reasons.push(
        `メールアドレス「${p.wanted?.email ?? ""}」がこのファイルの${linesText(lines)}で重複しています。`,
      );
    }
  }
}

/**
 * Checks each e-mail against the register. An address held by another person is refused unless
 * that person's row in this file gives them a different one; such rows are ordered so that the
 * address is released first. Returns the order in which rows must be applied.
 */
function checkEmails(planned: Planned[], register: readonly staffRepo.StaffView[]): Planned[] {
  const holderOf = new Map(register.map((s) => [s.email.toLowerCase(), s]));
  const rowOf = new Map<number, Planned>();
  for (const p of planned)
    if (p.existing && p.wanted && p.row.reasons.length === 0) rowOf.set(p.existing.id, p);
  // Row → the row that must go first because it releases the address this row takes.
  const after = new Map<Planned, Planned>();
  for (const p of planned) {
    if (!p.wanted || p.row.reasons.length > 0) continue;
    const holder = holderOf.get(p.wanted.email.toLowerCase());
    if (!holder || holder.employeeNo === p.wanted.employeeNo) continue;
    const release = rowOf.get(holder.id);
    if (release?.wanted && release.wanted.email.toLowerCase() !== p.wanted.email.toLowerCase()) {
      after.set(p, release);
      continue;
    }
    p.row.reasons.push(
      `メールアドレス「${p.wanted.email}」は職員番号「${holder.employeeNo}」の${holder.name}さんがすでに使っています。`,
    );
  }
  const order: Planned[] = [];
  const placed = new Set<Planned>();
  const place = (p: Planned, trail: Set<Planned>): boolean => {
    if (placed.has(p)) return true;
    if (trail.has(p)) return false;
    trail.add(p);
    const first = after.get(p);
    if (first && first.row.reasons.length === 0 && !place(first, trail)) return false;
    order.push(p);
    placed.add(p);
    return true;
  };
  for (const p of planned) {
    if (p.row.reasons.length > 0 || placed.has(p)) continue;
    if (!place(p, new Set())) {
      p.row.reasons.push(
        "メールアドレスを職員どうしで入れ替える変更は一度に取り込めません。いったん別のアドレスに変えて取り込んでから、もう一度取り込んでください。",
      );
    }
  }
  // A row refused above may have been the one releasing an address: its dependants cannot go either.
  for (const [p, first] of after) {
    if (first.row.reasons.length > 0 && p.row.reasons.length === 0) {
      p.row.reasons.push(
        `メールアドレス「${p.wanted?.email ?? ""}」を使っている職員（${first.row.line}行目）の行が取り込めないため、この行も取り込めません。`,
      );
    }
  }
  return order.filter((p) => p.row.reasons.length === 0);
}

/** Excel drops leading zeros from numbers: 00123 comes back as 123. */
function leadingZeroProblem(employeeNo: string, register: readonly staffRepo.StaffView[]): string | null {
  if (!/^\d+$/.test(employeeNo)) return null;
  const bare = employeeNo.replace(/^0+/, "");
  const match = register.find((s) => /^\d+$/.test(s.employeeNo) && s.employeeNo.replace(/^0+/, "") === bare);
  if (!match) return null;
  return `職員番号「${employeeNo}」は登録がありませんが「${match.employeeNo}」が登録されています。Excelで開くと先頭の0が消えることがあります。職員番号の列を文字列にして保存し直してください。`;
}

function decide(
  org: Org,
  p: Planned,
  scheduled: ReadonlyMap<number, staffRepo.Transfer[]>,
  effectiveDate: string,
  today: string,
): void {
  const { wanted, existing, row } = p;
  if (!wanted) return;
  row.placement = placementText(org, wanted);
  if (!existing) {
    row.outcome = "create";
    row.changes = changesBetween(org, null, wanted);
    return;
  }
  const pending = scheduled.get(existing.id) ?? [];
  const alreadyScheduled = pending.find((t) =>
    samePlacement(wanted, {
      departmentId: t.toDepartmentId,
      divisionId: t.toDivisionId,
      positionId: t.toPositionId,
    }),
  );
  for (const t of pending) {
    if (t === alreadyScheduled) {
      row.notes.push(
        `発令日 ${formatDate(t.effectiveDate)} の異動として登録済みです（この配置への異動は追加しません）。`,
      );
      continue;
    }
    row.notes.push(
      `発令日 ${formatDate(t.effectiveDate)} に「${placementText(org, { departmentId: t.toDepartmentId, divisionId: t.toDivisionId, positionId: t.toPositionId })}」への異動が予定されています。`,
    );
  }
  // A placement already waiting as a scheduled transfer is not a change now.
  const target = alreadyScheduled ? { ...wanted, ...placementOf(existing) } : wanted;
  p.wanted = target;
  const changes = changesBetween(org, existing, target);
  const moved = changes.some((c) => placementFields.has(c.field));
  row.changes = changes;
  if (changes.length === 0) {
    row.outcome = "unchanged";
    return;
  }
  if (moved && existing.active && wanted.active) {
    row.outcome = "transfer";
    row.transfer = { effectiveDate, scheduled: effectiveDate > today };
    if (effectiveDate > today) {
      row.notes.push(`発令日 ${formatDate(effectiveDate)} に異動します（それまでは現在の配置のままです）。`);
    }
    return;
  }
  row.outcome = "update";
  if (moved) {
    row.notes.push(
      wanted.active
        ? "退職から在職に戻すため、配置の変更は異動ではなく登録内容の修正として記録します。"
        : "退職とする職員のため、配置の変更は異動ではなく登録内容の修正として記録します。",
    );
  }
  if (existing.active && !wanted.active) row.notes.push("退職にすると、この職員はログインできなくなります。");
}

function placementOf(s: { departmentId: number; divisionId: number | null; positionId: number }) {
  return { departmentId: s.departmentId, divisionId: s.divisionId, positionId: s.positionId };
}

type Built = { plan: StaffImportPlan; order: Planned[] };

async function buildPlan(ctx: AppContext, db: Db, props: StaffImportOptions): Promise<Built> {
  const today = tokyoDate(ctx.clock.now());
  const effectiveDate =
    props.effectiveDate === undefined ? today : parse(plainDate("発令日"), props.effectiveDate);
  checkEffectiveDate(effectiveDate, today);
  const doc = readCsv(props.data, props.encoding ?? "auto");
  const [header, ...body] = doc.records;
  const plan: StaffImportPlan = {
    encoding: doc.encoding,
    effectiveDate,
    columns: [],
    unknownHeaders: [],
    fileErrors: [],
    warnings: [],
    rows: [],
    counts: emptyCounts(),
    notInFile: 0,
    canApply: false,
    orgMissing: !hasOrganisation(await orgRepo.listDepartments(db)),
  };
  if (!header) {
    plan.fileErrors.push(
      "ファイルが空です。1行目に見出し（職員番号、氏名、メールアドレス、部、課、職など）を入れてください。",
    );
    return { plan, order: [] };
  }

  plan.fileErrors.push(...headerProblems(header, doc.encoding));
  const fields = header.cells.map(fieldOfHeader);
  plan.columns = header.cells.map((h, i) => ({ header: h, field: fields[i] ?? null }));
  const seen = new Set<StaffField>();
  fields.forEach((field, i) => {
    const text = (header.cells[i] ?? "").trim();
    if (field === null) {
      if (text !== "") plan.unknownHeaders.push(text);
      return;
    }
    if (seen.has(field) && !multiColumn.has(field)) {
      plan.warnings.push(
        `「${staffFieldLabels[field]}」にあたる列が複数あります。最初の列を使い、「${text}」列は使いません。`,
      );
      fields[i] = null;
    }
    seen.add(field);
  });
  if (plan.unknownHeaders.length > 0) {
    plan.warnings.push(
      `取り込みの対象でない列は無視します: ${plan.unknownHeaders.map((h) => `「${h}」`).join("、")}`,
    );
  }
  const required: StaffField[] = ["employeeNo", "name", "email", "position"];
  for (const field of required) {
    if (!seen.has(field)) {
      plan.fileErrors.push(
        `必須の列「${staffFieldLabels[field]}」がありません。見出し行に「${staffFieldLabels[field]}」の列を入れてください。`,
      );
    }
  }
  if (!seen.has("department") && !seen.has("division")) {
    plan.fileErrors.push(
      "必須の列「部」（または「課」）がありません。見出し行に「部コード」または「部」の列を入れてください。",
    );
  }
  if (body.length === 0)
    plan.fileErrors.push("取り込む行がありません。2行目から職員を1人1行で入力してください。");
  if (plan.fileErrors.length > 0) return { plan, order: [] };

  const org: Org = {
    departments: await orgRepo.listDepartments(db),
    divisions: await orgRepo.listDivisions(db),
    positions: await orgRepo.listPositions(db),
  };
  const register = await staffRepo.allStaff(db);
  const byNo = new Map(register.map((s) => [s.employeeNo, s]));
  const scheduled = new Map<number, staffRepo.Transfer[]>();
  for (const t of await staffRepo.listTransfers(db, { status: "scheduled" }, 1_000_000)) {
    scheduled.set(t.staffId, [...(scheduled.get(t.staffId) ?? []), t]);
  }

  const columnName = columnNamer(header.cells);
  const planned: Planned[] = body.map((record) => {
    const cells = cellsOf(fields, record);
    // Unreadable bytes or control characters: the row is refused for that alone, since the other
    // checks would only echo the garbled text back.
    const reasons = characterProblems(record.cells, columnName, doc.encoding);
    const wanted = reasons.length > 0 ? null : readRow(org, cells, reasons);
    const employeeNo = foldCell(cells.employeeNo[0] ?? "");
    const existing = byNo.get(employeeNo) ?? null;
    // A column the file does not have leaves that field as it is.
    if (wanted && existing && !seen.has("kana")) wanted.kana = existing.kana;
    if (wanted && existing && !seen.has("active")) wanted.active = existing.active;
    const row: StaffImportRow = {
      line: record.line,
      outcome: "reject",
      employeeNo: visibleText(employeeNo),
      name: visibleText((cells.name[0] ?? "").trim()) || (existing?.name ?? ""),
      staffId: existing?.id ?? null,
      placement: "",
      changes: [],
      transfer: null,
      reasons,
      notes: [],
    };
    if (wanted && !existing) {
      const zero = leadingZeroProblem(wanted.employeeNo, register);
      if (zero) reasons.push(zero);
    }
    return { row, wanted, existing };
  });
  rejectDuplicatesInFile(planned);
  const order = checkEmails(planned, register);
  for (const p of planned) {
    if (p.row.reasons.length > 0) continue;
    decide(org, p, scheduled, effectiveDate, today);
  }
  for (const p of planned) {
    if (p.row.reasons.length > 0) {
      p.row.outcome = "reject";
      p.row.placement = "";
      p.row.changes = [];
      p.row.transfer = null;
    }
    plan.counts[p.row.outcome]++;
  }
  plan.rows = planned.map((p) => p.row);
  const mentioned = new Set(planned.map((p) => p.row.employeeNo));
  plan.notInFile = register.filter((s) => !mentioned.has(s.employeeNo)).length;
  plan.canApply = plan.counts.reject === 0;
  return { plan, order };
}

/**
 * Reads a staff CSV and says what importing it would do, row by row, without changing anything.
 * @param props.actor must be allowed `staff.manage`
 * @param props.data the file (bytes as uploaded, or text)
 * @param props.encoding "auto" (default), "utf8" or "sjis"
 * @param props.effectiveDate 発令日 for placement changes of existing staff (default: today in Tokyo)
 * @throws AppError for a file that cannot be read (encoding, CSV syntax) or a bad date
 */
export async function planStaffImport(ctx: AppContext, props: StaffImportOptions): Promise<StaffImportPlan> {
  await authorize(ctx, props.actor, "staff.manage");
  return (await buildPlan(ctx, ctx.db, props)).plan;
}

async function applyRow(ctx: AppContext, actor: Actor, p: Planned, effectiveDate: string): Promise<void> {
  const { row, wanted, existing } = p;
  if (!wanted) return;
  if (row.outcome === "create") {
    await createStaff(ctx, { actor, input: wanted });
    return;
  }
  if (!existing) return;
  if (row.outcome === "update") {
    await updateStaff(ctx, { actor, id: existing.id, input: wanted });
    return;
  }
  if (row.outcome !== "transfer") return;
  if (row.changes.some((c) => !placementFields.has(c.field))) {
    await updateStaff(ctx, { actor, id: existing.id, input: { ...wanted, ...placementOf(existing) } });
  }
  await recordTransfer(ctx, {
    actor,
    input: {
      staffId: existing.id,
      effectiveDate,
      toDepartmentId: wanted.departmentId,
      toDivisionId: wanted.divisionId,
      toPositionId: wanted.positionId,
      note: `職員CSVの取り込み（${row.line}行目）`,
    },
  });
}

function rowFailure(row: StaffImportRow, error: unknown): unknown {
  if (!(error instanceof AppError)) return error;
  return new AppError(
    error.code,
    `${row.line}行目（職員番号「${row.employeeNo}」）を取り込めませんでした: ${error.message} ファイル全体の取り込みを取り消しました。何も変更されていません。`,
    { fields: error.fields, cause: error },
  );
}

/**
 * Imports a staff CSV. With `dryRun` it only plans. Otherwise the plan is made again inside one
 * transaction and, when it has no rejected rows (or `skipRejected` is given), every row is applied
 * through the staff and transfer use cases (one audit entry each) plus one `staff.import` entry;
 * if any row fails, nothing is written.
 * @param props.dryRun plan only
 * @param props.skipRejected apply the acceptable rows even when others are rejected
 * @returns the plan and whether it was applied
 */
export async function importStaff(
  ctx: AppContext,
  props: StaffImportOptions & { dryRun?: boolean; skipRejected?: boolean },
): Promise<StaffImportResult> {
  await authorize(ctx, props.actor, "staff.manage");
  if (props.dryRun) {
    const { plan } = await buildPlan(ctx, ctx.db, props);
    return { plan, dryRun: true, applied: false, skipped: 0 };
  }
  return ctx.db.transaction(async (tx) => {
    const inTx: AppContext = { ...ctx, db: tx };
    const { plan, order } = await buildPlan(inTx, tx, props);
    const blocked = plan.fileErrors.length > 0 || (plan.counts.reject > 0 && !props.skipRejected);
    if (blocked) return { plan, dryRun: false, applied: false, skipped: 0 };
    const work = order.filter((p) => p.row.outcome !== "unchanged");
    if (plan.counts.transfer > 0) await authorize(inTx, props.actor, "transfer.manage");
    for (const p of work) {
      try {
        await applyRow(inTx, props.actor, p, plan.effectiveDate);
      } catch (error) {
        throw rowFailure(p.row, error);
      }
    }
    // A file that changes nothing leaves no trace: the summary entry records changes only.
    if (work.length === 0) return { plan, dryRun: false, applied: true, skipped: plan.counts.reject };
    const at = ctx.clock.now();
    await record(tx, {
      actor: props.actor,
      at,
      action: "staff.import",
      target: { type: "staff" },
      summary: {
        encoding: plan.encoding,
        effectiveDate: plan.effectiveDate,
        rows: plan.rows.length,
        counts: plan.counts,
        skippedLines: plan.rows.filter((r) => r.outcome === "reject").map((r) => r.line),
      },
    });
    return { plan, dryRun: false, applied: true, skipped: plan.counts.reject };
  });
}
