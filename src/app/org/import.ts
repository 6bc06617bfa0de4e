/**
 * Organisation import from CSV (組織・職の一覧の取り込み). One file format for departments (部),
 * divisions (課) and positions (職), so a city can keep the whole organisation in one sheet or split
 * it into two files:
 *
 * - organisation rows: 部コード, 部名, 部かな, 課コード, 課名, 課かな — one row per division with its
 *   department repeated (the way 組織一覧 are kept); a row without 課コード is a department alone;
 * - position rows: 職コード, 職名, 序列, 長の区分 (部長 | 課長 | なし);
 * - an optional 種別 column (組織・部・課 or 職) says which a row is; without it a row with a
 *   職コード is a position row and any other row an organisation row.
 *
 * Like the staff import it plans first (dry run) and applies all or nothing, through the
 * organisation use cases (one audit entry per change) plus one `org.import` entry.
 */
import type { Db } from "../../db/client.ts";
import * as orgRepo from "../../db/repos/org.ts";
import * as staffRepo from "../../db/repos/staff.ts";
import type { HeadOf } from "../../domain/roles.ts";
import { AppError } from "../../errors.ts";
import { record } from "../audit/record.ts";
import { authorize } from "../authorize.ts";
import type { Actor, AppContext } from "../context.ts";
import {
  type CsvEncoding,
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
import {
  createDepartment,
  createDivision,
  createPosition,
  departmentInput,
  divisionInput,
  positionInput,
  updateDepartment,
  updateDivision,
  updatePosition,
} from "./units.ts";

/** The columns the organisation import understands. */
export type OrgField =
  | "kind"
  | "departmentCode"
  | "departmentName"
  | "departmentKana"
  | "divisionCode"
  | "divisionName"
  | "divisionKana"
  | "positionCode"
  | "positionName"
  | "rank"
  | "headOf";

export type OrgImportKind = "department" | "division" | "position";
export type OrgImportOutcome = "create" | "update" | "unchanged" | "reject";

/** Japanese labels, for pages and the CLI. */
export const orgKindLabels: Record<OrgImportKind, string> = {
  department: "部",
  division: "課",
  position: "職",
};
export const orgOutcomeLabels: Record<OrgImportOutcome, string> = {
  create: "新規登録",
  update: "更新",
  unchanged: "変更なし",
  reject: "取込不可",
};

export const orgFieldLabels: Record<OrgField, string> = {
  kind: "種別",
  departmentCode: "部コード",
  departmentName: "部名",
  departmentKana: "部かな",
  divisionCode: "課コード",
  divisionName: "課名",
  divisionKana: "課かな",
  positionCode: "職コード",
  positionName: "職名",
  rank: "序列",
  headOf: "長の区分",
};

const headOfLabels: Record<HeadOf, string> = {
  department: "部長（部の長）",
  division: "課長（課の長）",
  none: "なし",
};

/** One change with display values. */
export type OrgChange = { field: string; label: string; before: string; after: string };

/** One department, division or position mentioned by the file, and what applying would do. */
export type OrgImportEntry = {
  /** Line the unit appears on (its first line, for a department repeated on many rows). */
  line: number;
  kind: OrgImportKind;
  code: string;
  name: string;
  outcome: OrgImportOutcome;
  changes: OrgChange[];
  reasons: string[];
  notes: string[];
};

export type OrgImportPlan = {
  encoding: CsvEncoding;
  columns: { header: string; field: OrgField | null }[];
  unknownHeaders: string[];
  fileErrors: string[];
  warnings: string[];
  entries: OrgImportEntry[];
  counts: Record<OrgImportOutcome, number>;
  canApply: boolean;
};

export type OrgImportResult = { plan: OrgImportPlan; dryRun: boolean; applied: boolean; skipped: number };

export type OrgImportOptions = { actor: Actor; data: Uint8Array | string; encoding?: EncodingOption };

const aliases: Record<OrgField, readonly string[]> = {
  kind: ["種別", "区分", "kind", "type"],
  departmentCode: ["部コード", "departmentcode", "department"],
  departmentName: ["部名", "部", "部の名称", "departmentname"],
  departmentKana: ["部かな", "部カナ", "部ふりがな", "部フリガナ", "departmentkana"],
  divisionCode: ["課コード", "divisioncode", "division"],
  divisionName: ["課名", "課", "課の名称", "divisionname"],
  divisionKana: ["課かな", "課カナ", "課ふりがな", "課フリガナ", "divisionkana"],
  positionCode: ["職コード", "positioncode", "position"],
  positionName: ["職名", "職", "positionname"],
  rank: ["序列", "順位", "rank", "order"],
  headOf: ["長の区分", "長区分", "headof", "head"],
};

const orgFields: readonly OrgField[] = [
  "kind",
  "departmentCode",
  "departmentName",
  "departmentKana",
  "divisionCode",
  "divisionName",
  "divisionKana",
  "positionCode",
  "positionName",
  "rank",
  "headOf",
];
const fieldByKey = new Map<string, OrgField>();
for (const field of orgFields) for (const alias of aliases[field]) fieldByKey.set(headerKey(alias), field);

/** Recognises a header cell of the organisation file. */
export function orgFieldOfHeader(header: string): OrgField | null {
  return fieldByKey.get(headerKey(header)) ?? null;
}

const headOfWords = new Map<string, HeadOf>([
  ["部長", "department"],
  ["部", "department"],
  ["department", "department"],
  ["課長", "division"],
  ["課", "division"],
  ["division", "division"],
  ["なし", "none"],
  ["無", "none"],
  ["none", "none"],
  ["-", "none"],
]);

const orgKinds = new Map<string, "org" | "position">([
  ["組織", "org"],
  ["部", "org"],
  ["課", "org"],
  ["部課", "org"],
  ["org", "org"],
  ["organisation", "org"],
  ["organization", "org"],
  ["department", "org"],
  ["division", "org"],
  ["職", "position"],
  ["役職", "position"],
  ["position", "position"],
]);

type Cells = Record<OrgField, string>;

function emptyCells(): Cells {
  return {
    kind: "",
    departmentCode: "",
    departmentName: "",
    departmentKana: "",
    divisionCode: "",
    divisionName: "",
    divisionKana: "",
    positionCode: "",
    positionName: "",
    rank: "",
    headOf: "",
  };
}

type Planned =
  | { entry: OrgImportEntry; kind: "department"; id: number | null; input: DepartmentValues }
  | { entry: OrgImportEntry; kind: "division"; id: number | null; input: DivisionValues }
  | { entry: OrgImportEntry; kind: "position"; id: number | null; input: PositionValues };

type DepartmentValues = { code: string; name: string; kana: string; active: boolean };
type DivisionValues = { departmentCode: string; code: string; name: string; kana: string; active: boolean };
type PositionValues = { code: string; name: string; rank: number; headOf: HeadOf };

function entry(line: number, kind: OrgImportKind, code: string, name: string): OrgImportEntry {
  return { line, kind, code, name, outcome: "reject", changes: [], reasons: [], notes: [] };
}

function compare(fields: [string, string, string, string][]): OrgChange[] {
  return fields
    .filter(([, , before, after]) => before !== after)
    .map(([field, label, before, after]) => ({ field, label, before, after }));
}

function setOutcome(e: OrgImportEntry, existed: boolean): void {
  if (e.reasons.length > 0) {
    e.outcome = "reject";
    e.changes = [];
    return;
  }
  e.outcome = !existed ? "create" : e.changes.length > 0 ? "update" : "unchanged";
}

/** Messages of a use-case schema for the given values (reused so the wording matches the forms). */
function schemaProblems(
  schema: typeof departmentInput | typeof divisionInput | typeof positionInput,
  values: unknown,
): string[] {
  const result = schema.safeParse(values);
  return result.success ? [] : result.error.issues.map((i) => i.message);
}

type Context = {
  org: { departments: orgRepo.Department[]; divisions: orgRepo.Division[]; positions: orgRepo.Position[] };
  staff: staffRepo.StaffView[];
};

function planDepartment(
  ctx: Context,
  line: number,
  cells: Cells,
  departments: Map<string, Planned & { kind: "department" }>,
): Planned & { kind: "department" } {
  const code = foldCell(cells.departmentCode);
  const name = cells.departmentName.trim();
  const kana = kanaCell(cells.departmentKana);
  const seen = departments.get(code);
  if (seen) {
    // The same 部 on another row: its name and kana must agree with the first mention.
    const e = entry(line, "department", code, name || seen.input.name);
    if (name && name !== seen.input.name) {
      e.reasons.push(
        `部コード「${code}」の部名「${name}」が${seen.entry.line}行目の「${seen.input.name}」と違います。`,
      );
    }
    if (kana && seen.input.kana && kana !== seen.input.kana) {
      e.reasons.push(
        `部コード「${code}」の部かな「${kana}」が${seen.entry.line}行目の「${seen.input.kana}」と違います。`,
      );
    }
    if (e.reasons.length === 0 && name && !seen.input.name) seen.input.name = name;
    if (e.reasons.length === 0 && kana && !seen.input.kana) seen.input.kana = kana;
    return { entry: e, kind: "department", id: seen.id, input: seen.input };
  }
  const existing = ctx.org.departments.find((d) => d.code === code);
  const input: DepartmentValues = {
    code,
    name: name || (existing?.name ?? ""),
    kana: kana || (existing?.kana ?? ""),
    active: existing?.active ?? true,
  };
  const e = entry(line, "department", code, input.name);
  const planned = { entry: e, kind: "department" as const, id: existing?.id ?? null, input };
  departments.set(code, planned);
  return planned;
}

function planDivision(
  ctx: Context,
  line: number,
  cells: Cells,
  department: Planned & { kind: "department" },
  divisionLines: Map<string, number>,
): Planned & { kind: "division" } {
  const code = foldCell(cells.divisionCode);
  const existing = ctx.org.divisions.find((d) => d.code === code);
  const input: DivisionValues = {
    departmentCode: department.input.code,
    code,
    name: cells.divisionName.trim() || (existing?.name ?? ""),
    kana: kanaCell(cells.divisionKana) || (existing?.kana ?? ""),
    active: existing?.active ?? true,
  };
  const e = entry(line, "division", code, input.name);
  const first = divisionLines.get(code);
  if (first !== undefined)
    e.reasons.push(
      `課コード「${code}」がこのファイルの${first}行目にもあります。1つの課は1行にしてください。`,
    );
  else divisionLines.set(code, line);
  e.reasons.push(...schemaProblems(divisionInput, { ...input, departmentId: 1 }));
  if (department.entry.reasons.length > 0)
    e.reasons.push(`部（${department.input.code}）が取り込めないため、この課も取り込めません。`);
  if (existing) {
    const oldDepartment = ctx.org.departments.find((d) => d.id === existing.departmentId);
    const moving = oldDepartment?.code !== department.input.code;
    if (moving) {
      const placed = ctx.staff.filter((s) => s.divisionId === existing.id).length;
      if (placed > 0) {
        e.reasons.push(
          `課「${existing.name}」には職員が${placed}人所属しているため、「${oldDepartment?.name ?? ""}」から別の部へ移せません。先に職員の異動を登録してください。`,
        );
      }
    }
    e.changes = compare([
      ["department", "部", oldDepartment?.name ?? "", department.input.name],
      ["name", "課名", existing.name, input.name],
      ["kana", "課かな", existing.kana, input.kana],
    ]);
  }
  setOutcome(e, existing !== undefined);
  return { entry: e, kind: "division", id: existing?.id ?? null, input };
}

function planPosition(
  ctx: Context,
  line: number,
  cells: Cells,
  positionLines: Map<string, number>,
): Planned & { kind: "position" } {
  const code = foldCell(cells.positionCode);
  const existing = ctx.org.positions.find((p) => p.code === code);
  const e = entry(line, "position", code, cells.positionName.trim() || (existing?.name ?? ""));
  const first = positionLines.get(code);
  if (first !== undefined)
    e.reasons.push(
      `職コード「${code}」がこのファイルの${first}行目にもあります。1つの職は1行にしてください。`,
    );
  else positionLines.set(code, line);

  const rankText = foldCell(cells.rank);
  const rank = rankText === "" ? (existing?.rank ?? 100) : Number(rankText);
  if (!Number.isInteger(rank) || rank < 0 || rank > 1000) {
    e.reasons.push(`序列「${cells.rank.trim()}」は0から1000までの整数で入力してください。`);
  }
  const headText = foldCell(cells.headOf).toLowerCase();
  const headOf = headText === "" ? (existing?.headOf ?? "none") : headOfWords.get(headText);
  if (headOf === undefined) {
    e.reasons.push(
      `長の区分「${cells.headOf.trim()}」は読み取れません。「部長」「課長」「なし」のいずれかを入力してください。`,
    );
  }
  const input: PositionValues = { code, name: e.name, rank, headOf: headOf ?? "none" };
  e.reasons.push(...schemaProblems(positionInput, input));
  if (existing && headOf !== undefined && headOf !== existing.headOf) {
    const holders = ctx.staff.filter((s) => s.positionId === existing.id && s.active);
    if (headOf === "division" && holders.some((s) => s.divisionId === null)) {
      e.reasons.push(
        `課に所属していない${existing.name}の職員がいるため、長の区分を「課長」にできません。先にその職員の課を登録してください。`,
      );
    } else if (holders.length > 0) {
      e.notes.push(
        `長の区分を変えると、この職の職員${holders.length}人の権限（情報管理者・アカウント管理者）が変わります。`,
      );
    }
  }
  if (existing) {
    e.changes = compare([
      ["name", "職名", existing.name, input.name],
      ["rank", "序列", String(existing.rank), String(input.rank)],
      ["headOf", "長の区分", headOfLabels[existing.headOf], headOfLabels[input.headOf]],
    ]);
  }
  setOutcome(e, existing !== undefined);
  return { entry: e, kind: "position", id: existing?.id ?? null, input };
}

/** A refused entry for a row whose characters cannot be taken, named after the unit it describes. */
function unreadableRow(
  line: number,
  cells: Cells,
  kind: "org" | "position" | undefined,
  problems: string[],
): Planned {
  const isPosition = kind === "position" || (kind === undefined && foldCell(cells.positionCode) !== "");
  const division = foldCell(cells.divisionCode);
  const shown = (text: string) => visibleText(text.trim());
  const e = isPosition
    ? entry(line, "position", shown(foldCell(cells.positionCode)), shown(cells.positionName))
    : division !== ""
      ? entry(line, "division", shown(division), shown(cells.divisionName))
      : entry(line, "department", shown(foldCell(cells.departmentCode)), shown(cells.departmentName));
  e.reasons.push(...problems);
  return { entry: e, kind: "department", id: null, input: { code: "", name: "", kana: "", active: true } };
}

type Built = { plan: OrgImportPlan; planned: Planned[] };

async function buildPlan(db: Db, props: OrgImportOptions): Promise<Built> {
  const doc = readCsv(props.data, props.encoding ?? "auto");
  const [header, ...body] = doc.records;
  const plan: OrgImportPlan = {
    encoding: doc.encoding,
    columns: [],
    unknownHeaders: [],
    fileErrors: [],
    warnings: [],
    entries: [],
    counts: { create: 0, update: 0, unchanged: 0, reject: 0 },
    canApply: false,
  };
  if (!header) {
    plan.fileErrors.push(
      "ファイルが空です。1行目に見出し（部コード、部名、課コード、課名 または 職コード、職名など）を入れてください。",
    );
    return { plan, planned: [] };
  }
  plan.fileErrors.push(...headerProblems(header, doc.encoding));
  const fields = header.cells.map(orgFieldOfHeader);
  plan.columns = header.cells.map((h, i) => ({ header: h, field: fields[i] ?? null }));
  const seen = new Set<OrgField>();
  fields.forEach((field, i) => {
    const text = (header.cells[i] ?? "").trim();
    if (field === null) {
      if (text !== "") plan.unknownHeaders.push(text);
      return;
    }
    if (seen.has(field)) {
      plan.warnings.push(
        `「${orgFieldLabels[field]}」にあたる列が複数あります。最初の列を使い、「${text}」列は使いません。`,
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
  if (!seen.has("departmentCode") && !seen.has("positionCode")) {
    plan.fileErrors.push("「部コード」の列も「職コード」の列もありません。見出し行を確認してください。");
  }
  if (body.length === 0)
    plan.fileErrors.push("取り込む行がありません。2行目から1行に1つずつ入力してください。");
  if (plan.fileErrors.length > 0) return { plan, planned: [] };

  const ctx: Context = {
    org: {
      departments: await orgRepo.listDepartments(db),
      divisions: await orgRepo.listDivisions(db),
      positions: await orgRepo.listPositions(db),
    },
    staff: await staffRepo.allStaff(db),
  };
  const departments = new Map<string, Planned & { kind: "department" }>();
  const divisionLines = new Map<string, number>();
  const positionLines = new Map<string, number>();
  const planned: Planned[] = [];
  const columnName = columnNamer(header.cells);

  for (const rec of body) {
    const row = emptyCells();
    fields.forEach((field, i) => {
      if (field !== null) row[field] = restoreCell(rec.cells[i] ?? "");
    });
    const kindText = foldCell(row.kind).toLowerCase();
    const kind = kindText === "" ? (foldCell(row.positionCode) ? "position" : "org") : orgKinds.get(kindText);
    const problems = characterProblems(rec.cells, columnName, doc.encoding);
    if (problems.length > 0) {
      // Unreadable bytes or control characters: the row's units are not planned at all.
      planned.push(unreadableRow(rec.line, row, kind, problems));
      continue;
    }
    if (kind === undefined) {
      const e = entry(rec.line, foldCell(row.positionCode) ? "position" : "department", "", "");
      e.reasons.push(
        `種別「${row.kind.trim()}」は読み取れません。「組織」（部・課）または「職」と入力してください。`,
      );
      planned.push({
        entry: e,
        kind: "department",
        id: null,
        input: { code: "", name: "", kana: "", active: true },
      });
      continue;
    }
    if (kind === "position") {
      planned.push(planPosition(ctx, rec.line, row, positionLines));
      continue;
    }
    const dept = planDepartment(ctx, rec.line, row, departments);
    const hasDivision =
      foldCell(row.divisionCode) !== "" || row.divisionName.trim() !== "" || row.divisionKana.trim() !== "";
    const firstMention = departments.get(dept.input.code) === dept;
    if (!firstMention && dept.entry.reasons.length === 0 && !hasDivision) {
      dept.entry.outcome = "unchanged";
      dept.entry.notes.push("前の行と同じ部です。");
    }
    // A repeated 部 is listed again only when the row adds nothing else or disagrees with it.
    if (firstMention || dept.entry.reasons.length > 0 || !hasDivision) planned.push(dept);
    if (!hasDivision) continue;
    if (foldCell(row.divisionCode) === "") {
      const e = entry(rec.line, "division", "", row.divisionName.trim());
      e.reasons.push("課コードを入力してください。");
      planned.push({
        entry: e,
        kind: "division",
        id: null,
        input: { departmentCode: dept.input.code, code: "", name: "", kana: "", active: true },
      });
      continue;
    }
    planned.push(planDivision(ctx, rec.line, row, dept, divisionLines));
  }
  // Department outcomes are known only once every row naming them has been read.
  for (const d of departments.values()) {
    d.entry.reasons.push(...schemaProblems(departmentInput, d.input));
    const existing = ctx.org.departments.find((x) => x.code === d.input.code);
    if (existing) {
      d.entry.changes = compare([
        ["name", "部名", existing.name, d.input.name],
        ["kana", "部かな", existing.kana, d.input.kana],
      ]);
    }
    d.entry.name = d.input.name;
    setOutcome(d.entry, existing !== undefined);
  }
  for (const p of planned) {
    // A division whose department row is refused cannot go in either.
    if (
      p.kind === "division" &&
      p.entry.reasons.length === 0 &&
      departments.get(p.input.departmentCode)?.entry.reasons.length
    ) {
      p.entry.reasons.push(`部（${p.input.departmentCode}）が取り込めないため、この課も取り込めません。`);
      setOutcome(p.entry, p.id !== null);
    }
  }
  plan.entries = planned.map((p) => p.entry);
  for (const e of plan.entries) plan.counts[e.outcome]++;
  plan.canApply = plan.counts.reject === 0;
  return { plan, planned };
}

/**
 * Reads an organisation CSV and says what importing it would do, without changing anything.
 * @param props.actor must be allowed `org.manage`
 */
export async function planOrgImport(ctx: AppContext, props: OrgImportOptions): Promise<OrgImportPlan> {
  await authorize(ctx, props.actor, "org.manage");
  return (await buildPlan(ctx.db, props)).plan;
}

/**
 * Imports an organisation CSV: departments first, then divisions, then positions, each through
 * the organisation use cases in one transaction, plus one `org.import` audit entry.
 * @param props.dryRun plan only
 * @param props.skipRejected apply the acceptable entries even when others are rejected
 */
export async function importOrg(
  ctx: AppContext,
  props: OrgImportOptions & { dryRun?: boolean; skipRejected?: boolean },
): Promise<OrgImportResult> {
  await authorize(ctx, props.actor, "org.manage");
  if (props.dryRun)
    return { plan: (await buildPlan(ctx.db, props)).plan, dryRun: true, applied: false, skipped: 0 };
  return ctx.db.transaction(async (tx) => {
    const inTx: AppContext = { ...ctx, db: tx };
    const { plan, planned } = await buildPlan(tx, props);
    if (plan.fileErrors.length > 0 || (plan.counts.reject > 0 && !props.skipRejected)) {
      return { plan, dryRun: false, applied: false, skipped: 0 };
    }
    const work = planned.filter((p) => p.entry.outcome === "create" || p.entry.outcome === "update");
    const departmentIds = new Map<string, number>();
    for (const d of await orgRepo.listDepartments(tx)) departmentIds.set(d.code, d.id);
    const actor = props.actor;
    const order: OrgImportKind[] = ["department", "division", "position"];
    for (const kind of order) {
      for (const p of work) {
        if (p.kind !== kind) continue;
        try {
          if (p.kind === "department") {
            const row =
              p.id === null
                ? await createDepartment(inTx, { actor, input: p.input })
                : await updateDepartment(inTx, { actor, id: p.id, input: p.input });
            if (row) departmentIds.set(row.code, row.id);
          } else if (p.kind === "division") {
            const input = { ...p.input, departmentId: departmentIds.get(p.input.departmentCode) };
            if (p.id === null) await createDivision(inTx, { actor, input });
            else await updateDivision(inTx, { actor, id: p.id, input });
          } else if (p.id === null) {
            await createPosition(inTx, { actor, input: p.input });
          } else {
            await updatePosition(inTx, { actor, id: p.id, input: p.input });
          }
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          throw new AppError(
            error.code,
            `${p.entry.line}行目（${orgKindLabels[p.kind]}コード「${p.entry.code}」）を取り込めませんでした: ${error.message} ファイル全体の取り込みを取り消しました。何も変更されていません。`,
            { fields: error.fields, cause: error },
          );
        }
      }
    }
    if (work.length === 0) return { plan, dryRun: false, applied: true, skipped: plan.counts.reject };
    await record(tx, {
      actor,
      at: ctx.clock.now(),
      action: "org.import",
      target: { type: "organisation" },
      summary: {
        encoding: plan.encoding,
        entries: plan.entries.length,
        counts: plan.counts,
        skippedLines: plan.entries.filter((e) => e.outcome === "reject").map((e) => e.line),
      },
    });
    return { plan, dryRun: false, applied: true, skipped: plan.counts.reject };
  });
}
