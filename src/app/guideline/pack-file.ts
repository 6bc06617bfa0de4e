/**
 * A guideline pack as one JSON file, so another municipality can start from its own guideline
 * (8.1): the clauses' text, the account-side pack (platforms, deadlines, limits, templates) and
 * the checker's pack (vocabularies, domains, limits). Reading a file validates every part with
 * the packs' own schemas and builds its checker once, and reports each problem in Japanese with
 * where it is in the file.
 */
import { z } from "zod";
import { type CheckerPack, checkerPackSchema, loadChecker } from "../../checker/index.ts";
import { compareClauseIds } from "../../domain/guideline-diff.ts";
import { AppError, type FieldIssue } from "../../errors.ts";
import { type GuidelinePack, guidelinePackSchema } from "../../guideline/pack.ts";
import type { ClauseMap, PackContent } from "./shipped.ts";

/** The `format` value of a pack file. */
export const PACK_FILE_FORMAT = "snsgov-guideline-pack/1";

/** The largest pack file accepted (the shipped one is about 70 KB). */
export const MAX_PACK_FILE_BYTES = 5 * 1024 * 1024;

/** A pack file as exported and imported. */
export type PackFile = {
  format: typeof PACK_FILE_FORMAT;
  label: string;
  effectiveDate: string | null;
  summary: string;
  clauses: ClauseMap;
  guideline: GuidelinePack;
  checker: CheckerPack;
};

/** What a valid pack file gives: the content and the version's proposed label, date and summary. */
export type ParsedPackFile = PackContent & { label: string; effectiveDate: string | null; summary: string };

const envelope = z.object({
  format: z.literal(PACK_FILE_FORMAT, {
    error: `ガイドラインパックのファイルではありません（format が「${PACK_FILE_FORMAT}」ではありません）。書き出したファイルを指定してください。`,
  }),
  label: z.string().trim().max(100).default(""),
  effectiveDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "施行日は「2026-04-01」の形式で書いてください。" })
    .nullable()
    .default(null),
  summary: z.string().max(5000).default(""),
  clauses: z
    .record(
      z
        .string()
        .trim()
        .min(1, { error: "条項の番号が空です。" })
        .max(20, { error: "条項の番号が長すぎます。" }),
      z.string().max(10_000, { error: "条項の本文は10,000文字以内にしてください。" }),
    )
    .refine((c) => Object.keys(c).length > 0, { error: "条項（clauses）が1件もありません。" }),
  guideline: z.unknown(),
  checker: z.unknown(),
});

/** True when a message has no Japanese in it (a schema's own English wording). */
function notJapanese(message: string): boolean {
  return !/[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u.test(message);
}

function issuesOf(error: z.ZodError, prefix: string): FieldIssue[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join(".");
    const message = notJapanese(issue.message) ? "値の形式が正しくありません。" : issue.message;
    return { field: path, message: path ? `「${path}」: ${message}` : message };
  });
}

function refuse(fields: FieldIssue[]): never {
  const first = fields[0]?.message ?? "ファイルの内容を確認してください。";
  throw new AppError(
    "validation",
    fields.length > 1
      ? `ガイドラインパックに誤りが${fields.length}件あります。各項目を確認してください。`
      : `ガイドラインパックに誤りがあります。${first}`,
    { fields: fields.slice(0, 50) },
  );
}

/** Regular expressions of the account side (platform URL shapes) must compile. */
function regexProblems(pack: GuidelinePack): FieldIssue[] {
  const problems: FieldIssue[] = [];
  for (const [platform, spec] of Object.entries(pack.platforms)) {
    for (const key of ["path", "handle"] as const) {
      try {
        new RegExp(spec[key]);
      } catch {
        const field = `guideline.platforms.${platform}.${key}`;
        problems.push({ field, message: `「${field}」: 正規表現として読めません。` });
      }
    }
  }
  return problems;
}

/**
 * Reads a pack file (already parsed JSON, or its text). Validates the envelope, the clauses,
 * the account-side pack and the checker pack, then builds the checker once (word lists must
 * exist, patterns must compile).
 * @throws AppError("validation") with one Japanese message per problem, naming where it is
 */
export async function readPackFile(input: unknown): Promise<ParsedPackFile> {
  let data = input;
  if (typeof input === "string") {
    try {
      data = JSON.parse(input.replace(/^\uFEFF/, ""));
    } catch {
      refuse([
        { field: "file", message: "JSONとして読めません。書き出したファイルをそのまま指定してください。" },
      ]);
    }
  }
  const outer = envelope.safeParse(data);
  if (!outer.success) refuse(issuesOf(outer.error, ""));
  const guideline = guidelinePackSchema.safeParse(outer.data.guideline);
  const checker = checkerPackSchema.safeParse(outer.data.checker);
  const problems = [
    ...(guideline.success ? regexProblems(guideline.data) : issuesOf(guideline.error, "guideline")),
    ...(checker.success ? [] : issuesOf(checker.error, "checker")),
  ];
  if (problems.length > 0 || !guideline.success || !checker.success) refuse(problems);
  try {
    await loadChecker({ pack: checker.data });
  } catch (error) {
    const detail =
      error instanceof Error && /ENOENT/.test(error.message)
        ? "参照している単語リストが見つかりません。"
        : "";
    refuse([
      {
        field: "checker",
        message: `チェッカーを準備できませんでした。${detail}語彙や正規表現の書き方を確認してください。`,
      },
    ]);
  }
  return {
    label: outer.data.label,
    effectiveDate: outer.data.effectiveDate,
    summary: outer.data.summary,
    clauses: outer.data.clauses,
    guideline: guideline.data,
    checker: checker.data,
  };
}

/** The file for a version (clauses in the guideline's order). */
export function packFile(
  version: { label: string; effectiveDate: string | null; summary: string },
  content: PackContent,
): PackFile {
  const clauses: ClauseMap = {};
  for (const id of Object.keys(content.clauses).sort(compareClauseIds)) {
    const text = content.clauses[id];
    if (text !== undefined) clauses[id] = text;
  }
  return {
    format: PACK_FILE_FORMAT,
    label: version.label,
    effectiveDate: version.effectiveDate,
    summary: version.summary,
    clauses,
    // Copies: the file is handed to callers, the content may be a shared (memoised) object.
    guideline: structuredClone(content.guideline),
    checker: structuredClone(content.checker),
  };
}
