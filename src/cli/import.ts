/**
 * `snsgov import staff|org FILE`: imports a staff or organisation CSV (UTF-8 or Shift_JIS) and
 * prints the plan as a table, row by row. Runs as the system (`cli` in the audit log): whoever
 * runs it has shell access to the server. Exit status: 0 applied (or a dry run with nothing
 * rejected), 1 rejected rows or an unreadable file (nothing changed), 2 usage error.
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { openApp } from "../app/bootstrap.ts";
import type { AppContext } from "../app/context.ts";
import { systemActor } from "../app/context.ts";
import { type EncodingOption, visibleText } from "../app/csv.ts";
import {
  importOrg,
  type OrgImportPlan,
  type OrgImportResult,
  orgKindLabels,
  orgOutcomeLabels,
} from "../app/org/import.ts";
import {
  importStaff,
  type StaffImportPlan,
  type StaffImportResult,
  staffOutcomeLabels,
} from "../app/staff/import.ts";
import { plainDate } from "../app/validate.ts";
import { loadConfig } from "../config.ts";
import { AppError } from "../errors.ts";

export const importUsage = `usage:
  snsgov import staff FILE [--dry-run] [--effective-date YYYY-MM-DD] [--encoding utf8|sjis] [--skip-rejected]
  snsgov import org FILE [--dry-run] [--encoding utf8|sjis] [--skip-rejected]

  --dry-run          show what would change, change nothing
  --effective-date   発令日 of transfers from this file (default: today in Tokyo)
  --encoding         force the file's encoding (default: detect UTF-8, else Shift_JIS/CP932)
  --skip-rejected    apply the acceptable rows even if some rows are rejected
exit status: 0 applied (or dry run without rejects), 1 rejects or unreadable file, 2 usage error
`;

/** What the command needs from outside; tests pass their own. */
export type ImportIo = {
  out(text: string): void;
  err(text: string): void;
  /** Opens the application; by default from the environment (`loadConfig`, `openApp`). */
  open(): Promise<{ ctx: AppContext; close(): Promise<void> }>;
};

const defaultIo: ImportIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  async open() {
    const { ctx, handle } = await openApp(loadConfig());
    return { ctx, close: () => handle.close() };
  },
};

/** Terminal columns a string takes (East Asian wide characters take two). */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    const wide =
      (cp >= 0x1100 && cp <= 0x115f) ||
      (cp >= 0x2e80 && cp <= 0xa4cf) ||
      (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0xfe30 && cp <= 0xfe4f) ||
      (cp >= 0xff00 && cp <= 0xff60) ||
      (cp >= 0xffe0 && cp <= 0xffe6) ||
      cp >= 0x20000;
    width += wide ? 2 : 1;
  }
  return width;
}

function pad(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - displayWidth(text)));
}

/** Formats rows as aligned columns; the last column is free text, extra lines indented. */
function table(header: string[], given: { cells: string[]; more: string[] }[]): string {
  const rows = given.map((r) => ({ cells: r.cells.map(visibleText), more: r.more.map(visibleText) }));
  const widths = header.map((h, i) =>
    Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r.cells[i] ?? ""))),
  );
  const last = header.length - 1;
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === last ? c : pad(c, widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  const indent = " ".repeat(widths.slice(0, last).reduce((a, w) => a + w + 2, 0));
  const out = [line(header), line(widths.map((w, i) => "-".repeat(i === last ? Math.min(w, 40) : w)))];
  for (const r of rows) {
    out.push(line(r.cells));
    for (const extra of r.more) out.push(`${indent}${extra}`);
  }
  return `${out.join("\n")}\n`;
}

function fileHeader(plan: { encoding: string; warnings: string[]; fileErrors: string[] }): string {
  const lines = [`文字コード: ${plan.encoding === "shift_jis" ? "Shift_JIS (CP932)" : "UTF-8"}`];
  for (const w of plan.warnings) lines.push(`注意: ${visibleText(w)}`);
  for (const e of plan.fileErrors) lines.push(`エラー: ${visibleText(e)}`);
  return `${lines.join("\n")}\n`;
}

/** The staff plan as text: one line per row, reasons and changes below it. */
export function renderStaffPlan(plan: StaffImportPlan): string {
  const rows = plan.rows.map((r) => {
    const changes = r.changes.map((c) => `${c.label}: ${c.before || "（空欄）"} → ${c.after || "（空欄）"}`);
    let first: string;
    let more: string[];
    if (r.outcome === "reject") {
      [first = "", ...more] = r.reasons;
    } else if (r.outcome === "create") {
      first = r.placement;
      more = [];
    } else if (r.outcome === "transfer" && r.transfer) {
      first = `発令日 ${r.transfer.effectiveDate}${r.transfer.scheduled ? "（予定として登録）" : ""}`;
      more = changes;
    } else {
      [first = "", ...more] = changes;
    }
    return {
      cells: [String(r.line), staffOutcomeLabels[r.outcome], r.employeeNo, r.name, first],
      more: [...more, ...r.notes.map((n) => `※ ${n}`)],
    };
  });
  const c = plan.counts;
  const summary = [
    `新規登録 ${c.create}件、更新 ${c.update}件、異動 ${c.transfer}件、変更なし ${c.unchanged}件、取込不可 ${c.reject}件`,
  ];
  if (plan.notInFile > 0) summary.push(`ファイルにない職員 ${plan.notInFile}人は変更しません。`);
  const body = plan.rows.length > 0 ? table(["行", "結果", "職員番号", "氏名", "内容"], rows) : "";
  return `${fileHeader(plan)}${body}${summary.join("\n")}\n`;
}

/** The organisation plan as text. */
export function renderOrgPlan(plan: OrgImportPlan): string {
  const rows = plan.entries.map((e) => {
    const changes = e.changes.map((c) => `${c.label}: ${c.before || "（空欄）"} → ${c.after || "（空欄）"}`);
    const [first = "", ...more] = e.outcome === "reject" ? e.reasons : changes;
    return {
      cells: [String(e.line), orgOutcomeLabels[e.outcome], orgKindLabels[e.kind], e.code, e.name, first],
      more: [...more, ...e.notes.map((n) => `※ ${n}`)],
    };
  });
  const c = plan.counts;
  const summary = `新規登録 ${c.create}件、更新 ${c.update}件、変更なし ${c.unchanged}件、取込不可 ${c.reject}件`;
  const body = plan.entries.length > 0 ? table(["行", "結果", "種別", "コード", "名称", "内容"], rows) : "";
  return `${fileHeader(plan)}${body}${summary}\n`;
}

function verdict(result: StaffImportResult | OrgImportResult): { text: string; code: number } {
  const { plan } = result;
  if (plan.fileErrors.length > 0)
    return { text: "ファイルに問題があるため、何も変更していません。", code: 1 };
  const rejects = plan.counts.reject;
  if (result.dryRun) {
    return rejects > 0
      ? {
          text: "確認のみ（--dry-run）: 何も変更していません。取込不可の行を直してから取り込んでください。",
          code: 1,
        }
      : { text: "確認のみ（--dry-run）: 何も変更していません。問題はありません。", code: 0 };
  }
  if (!result.applied) {
    return {
      text: "取込不可の行があるため、何も変更していません。直してからもう一度実行するか、--skip-rejected で取込不可の行を除いて取り込めます。",
      code: 1,
    };
  }
  return {
    text: rejects > 0 ? `取り込みました（取込不可の${rejects}件は除きました）。` : "取り込みました。",
    code: 0,
  };
}

type Parsed = {
  target: "staff" | "org";
  file: string;
  dryRun: boolean;
  skipRejected: boolean;
  encoding: EncodingOption;
  effectiveDate: string | undefined;
};

function parseCommand(args: string[]): Parsed | string {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(args);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  const [target, file, ...extra] = parsed.positionals;
  if (target !== "staff" && target !== "org") return "specify what to import: staff or org";
  if (!file) return "specify the CSV file";
  if (extra.length > 0) return `unexpected argument: ${extra.join(" ")}`;
  const { values } = parsed;
  const encodingText = values.encoding ?? "auto";
  const encodings: Record<string, EncodingOption> = {
    auto: "auto",
    utf8: "utf8",
    "utf-8": "utf8",
    sjis: "sjis",
    shift_jis: "sjis",
    cp932: "sjis",
  };
  const encoding = encodings[encodingText.toLowerCase()];
  if (!encoding) return `unknown encoding "${encodingText}" (use utf8 or sjis)`;
  const effectiveDate = values["effective-date"];
  if (effectiveDate !== undefined) {
    if (target === "org") return "--effective-date applies to staff imports only";
    if (!plainDate("発令日").safeParse(effectiveDate).success) {
      return `--effective-date must be a calendar date YYYY-MM-DD, got "${effectiveDate}"`;
    }
  }
  return {
    target,
    file,
    dryRun: values["dry-run"] ?? false,
    skipRejected: values["skip-rejected"] ?? false,
    encoding,
    effectiveDate,
  };
}

function parseOptions(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      "dry-run": { type: "boolean" },
      "skip-rejected": { type: "boolean" },
      encoding: { type: "string" },
      "effective-date": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}

/** Runs `snsgov import …`; returns the exit status. */
export async function run(args: string[], io: ImportIo = defaultIo): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    io.out(importUsage);
    return 0;
  }
  const command = parseCommand(args);
  if (typeof command === "string") {
    io.err(`snsgov import: ${command}\n\n${importUsage}`);
    return 2;
  }
  let data: Uint8Array;
  try {
    data = await readFile(command.file);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    io.err(`snsgov import: cannot read ${command.file}: ${reason}\n`);
    return 2;
  }
  const app = await io.open();
  try {
    const options = {
      actor: systemActor("cli"),
      data,
      encoding: command.encoding,
      dryRun: command.dryRun,
      skipRejected: command.skipRejected,
    };
    let result: StaffImportResult | OrgImportResult;
    if (command.target === "staff") {
      result = await importStaff(app.ctx, { ...options, effectiveDate: command.effectiveDate });
      io.out(renderStaffPlan(result.plan));
    } else {
      result = await importOrg(app.ctx, options);
      io.out(renderOrgPlan(result.plan));
    }
    const { text, code } = verdict(result);
    io.out(`${text}\n`);
    return code;
  } catch (error) {
    if (error instanceof AppError) {
      io.err(`${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await app.close();
  }
}
