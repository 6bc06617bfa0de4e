/**
 * The archive's search conditions as people give them (a query string from the search form or
 * the API), validated with Japanese messages, turned into what the repository needs, and
 * described in words for the printable report and the audit entry of an export. Also the
 * position cursors of keyset pagination and the Japanese labels the archive shows. No I/O.
 */
import { z } from "zod";
import type { ArchiveCursor, ArchiveQuery } from "../../db/repos/archive.ts";
import { clauseRef } from "../../domain/clauses.ts";
import { tokyoDayStart } from "../../domain/dates.ts";
import {
  type PostCategory,
  type PostStatus,
  postCategories,
  postCategoryShort,
  postStatuses,
  postStatusLabels,
} from "../../domain/posts.ts";
import { flag, parse, plainDate } from "../validate.ts";

/** Empty form fields and absent query parameters are the same: no condition. */
const blank = (v: unknown) => (v === "" || v === undefined || v === null ? undefined : v);

const optionalId = (label: string) =>
  z.preprocess(
    blank,
    z.coerce
      .number({ error: `${label}を一覧から選択してください。` })
      .int({ error: `${label}を一覧から選択してください。` })
      .positive({ error: `${label}を一覧から選択してください。` })
      .optional(),
  );

const optionalDate = (label: string) => z.preprocess(blank, plainDate(label).optional());

/** Validates the search conditions (query-string names are the field names). */
export const archiveFilterSchema = z
  .object({
    q: z.preprocess(
      (v) => (typeof v === "string" ? blank(v.trim()) : blank(v)),
      z.string().max(100, { error: "本文の検索語は100文字以内で入力してください。" }).optional(),
    ),
    accountId: optionalId("アカウント"),
    divisionId: optionalId("所管課"),
    dateField: z.preprocess(
      blank,
      z
        .enum(["created", "published"], { error: "期間の対象は「作成日」か「発信日」を選択してください。" })
        .default("created"),
    ),
    from: optionalDate("期間の始まり"),
    to: optionalDate("期間の終わり"),
    status: z.preprocess(
      blank,
      z.enum(postStatuses, { error: "状態を一覧から選択してください。" }).optional(),
    ),
    category: z.preprocess(
      blank,
      z.enum(postCategories, { error: "区分を一覧から選択してください。" }).optional(),
    ),
    kind: z.preprocess(
      blank,
      z.enum(["post", "correction"], { error: "種別を一覧から選択してください。" }).optional(),
    ),
    clause: z.preprocess(
      blank,
      z
        .string()
        .regex(/^\d{1,2}(\.\d{1,2}){0,3}$/, {
          error: "ガイドラインの条項は「5.2.2.1」の形式で指定してください。",
        })
        .optional(),
    ),
    erroneous: flag(),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, {
    error: "期間の終わりは、始まりと同じ日かそれより後の日付にしてください。",
    path: ["to"],
  });

/** Validated search conditions. */
export type ArchiveFilter = z.output<typeof archiveFilterSchema>;

/** The names of the search conditions (query-string parameters). */
export const archiveFilterFields = [
  "q",
  "accountId",
  "divisionId",
  "dateField",
  "from",
  "to",
  "status",
  "category",
  "kind",
  "clause",
  "erroneous",
] as const;

/**
 * Validates search conditions from a query string or an API call.
 * @throws AppError("validation") with a Japanese message per field
 */
export function parseArchiveFilter(input: Record<string, string | undefined>): ArchiveFilter {
  const picked: Record<string, string | undefined> = {};
  for (const field of archiveFilterFields) picked[field] = input[field];
  return parse(archiveFilterSchema, picked);
}

/** Whether any condition is set (a report of everything asks for a condition first). */
export function hasConditions(filter: ArchiveFilter): boolean {
  return (
    filter.q !== undefined ||
    filter.accountId !== undefined ||
    filter.divisionId !== undefined ||
    filter.from !== undefined ||
    filter.to !== undefined ||
    filter.status !== undefined ||
    filter.category !== undefined ||
    filter.kind !== undefined ||
    filter.clause !== undefined ||
    filter.erroneous
  );
}

/**
 * The repository's query: calendar days in Tokyo become instants (the end day is included). The
 * clause condition is given as the posts that cite it (`postIdsCiting`), looked up by the caller.
 */
export function toArchiveQuery(filter: ArchiveFilter, citing?: readonly number[]): ArchiveQuery {
  const nextDay = (date: string) => {
    const d = tokyoDayStart(date);
    d.setUTCDate(d.getUTCDate() + 1);
    return d;
  };
  return {
    accountId: filter.accountId,
    divisionId: filter.divisionId,
    text: filter.q,
    dateField: filter.dateField,
    fromAt: filter.from ? tokyoDayStart(filter.from) : undefined,
    toAt: filter.to ? nextDay(filter.to) : undefined,
    status: filter.status,
    category: filter.category,
    kind: filter.kind,
    postIds: filter.clause ? (citing ?? []) : undefined,
    erroneous: filter.erroneous || undefined,
  };
}

/** The conditions as query-string parameters (links to the next page, the CSV, the report). */
export function filterParams(filter: ArchiveFilter): Record<string, string> {
  const out: Record<string, string> = {};
  if (filter.q) out.q = filter.q;
  if (filter.accountId) out.accountId = String(filter.accountId);
  if (filter.divisionId) out.divisionId = String(filter.divisionId);
  if (filter.dateField !== "created") out.dateField = filter.dateField;
  if (filter.from) out.from = filter.from;
  if (filter.to) out.to = filter.to;
  if (filter.status) out.status = filter.status;
  if (filter.category) out.category = filter.category;
  if (filter.kind) out.kind = filter.kind;
  if (filter.clause) out.clause = filter.clause;
  if (filter.erroneous) out.erroneous = "1";
  return out;
}

/** `path?query` with the conditions and any extra parameters. */
export function filterHref(path: string, filter: ArchiveFilter, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams({ ...filterParams(filter), ...extra }).toString();
  return query ? `${path}?${query}` : path;
}

// Keyset pagination: a position is the exact created_at and the id of a row.

const cursorPattern = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)~(\d{1,10})$/;

/** A position as it travels in a link (`after=` / `before=`). */
export function encodeCursor(cursor: ArchiveCursor): string {
  return `${cursor.createdAt}~${cursor.id}`;
}

/** Reads a position from a link; a mangled one is the first page, not an error. */
export function decodeCursor(value: string | undefined): ArchiveCursor | undefined {
  const match = value ? cursorPattern.exec(value) : null;
  if (!match?.[1] || !match[2]) return undefined;
  const id = Number(match[2]);
  return Number.isSafeInteger(id) && id > 0 ? { createdAt: match[1], id } : undefined;
}

// Labels

/** Clauses the checker cites on posts, for the clause condition (CLAUSES.md). */
export const findingClauses: ReadonlyArray<{ id: string; label: string }> = [
  { id: "5.1.1", label: "法令・規程・セキュリティポリシーの遵守（公職選挙法など）" },
  { id: "5.1.3", label: "第三者の権利（肖像権・プライバシー・著作権）" },
  { id: "5.1.5", label: "正確で誤解を招かない表現（日付・曜日など）" },
  { id: "5.2", label: "禁止された情報を含むURLの掲載" },
  { id: "5.2.1", label: "違法行為又は違法行為を煽る情報" },
  { id: "5.2.2.1", label: "個人情報及び職務上知り得た秘密" },
  { id: "5.2.2.2", label: "公表が決定されていない情報" },
  { id: "5.2.3", label: "市及び他者の権利を侵害する情報" },
  { id: "5.2.4", label: "市のセキュリティを脅かす情報" },
  { id: "5.2.5", label: "職員の個人的な考え・主張" },
  { id: "5.2.6", label: "相手を馬鹿にする表現・誹謗中傷" },
  { id: "5.2.7", label: "差別的な内容" },
  { id: "5.2.8", label: "噂・流説など正否が確認できない情報" },
  { id: "5.2.9", label: "わいせつな内容" },
  { id: "5.2.10", label: "その他公序良俗に反する情報" },
  { id: "5.3.3", label: "訂正したことの明記" },
  { id: "5.3.5", label: "簡潔な発信（文の長さ・文字数）" },
  { id: "5.3.6", label: "第三者の投稿の引用・URLの掲載" },
  { id: "5.3.7", label: "URL短縮サービス" },
];

/** 「第5-2(2)① 個人情報及び職務上知り得た秘密」, or just the reference for other clauses. */
export function clauseLabel(id: string): string {
  const known = findingClauses.find((c) => c.id === id);
  return known ? `${clauseRef(id)} ${known.label}` : clauseRef(id);
}

export const kindLabels: Record<"post" | "correction", string> = { post: "投稿", correction: "訂正" };

export const dateFieldLabels: Record<"created" | "published", string> = {
  created: "作成日",
  published: "発信日",
};

/** Why a post counts as approved (posts.approval_rule), in the guideline's words (5.1.4). */
export const approvalRuleLabels: Record<string, string> = {
  manager: "アカウント管理者の許可",
  deputy: "不在時の代理者の許可",
  scope: "予め範囲を決めた許可",
  verbal: "口頭による許可（事後に記録）",
  post_hoc: "事後報告（第5-1(4)ただし書）",
  on_the_spot: "事後報告の発信前に、要修正の指摘についてその場で確認（第5-2）",
};

export const decisionLabels: Record<string, string> = {
  approve: "許可",
  return: "差戻し",
  reject: "却下",
  acknowledge: "事後報告の確認",
};

/** Image rights confirmations (5.1.3, 5.2.3). */
export const imageRightsLabels: Record<string, string> = {
  own: "職員が撮影・作成したもの",
  consent: "写っている人・権利者の同意を得たもの",
  licensed: "利用許諾を得たもの",
};

export const severityLabels: Record<string, string> = { error: "エラー", warning: "警告", info: "情報" };

/** The conditions in words, one line each (report header, audit entry of an export). */
export function describeFilter(
  filter: ArchiveFilter,
  names: { account?: string | undefined; division?: string | undefined } = {},
): string[] {
  const lines: string[] = [];
  if (filter.accountId) lines.push(`アカウント: ${names.account ?? `#${filter.accountId}`}`);
  if (filter.divisionId) lines.push(`所管課: ${names.division ?? `#${filter.divisionId}`}`);
  if (filter.q) lines.push(`本文に「${filter.q}」を含む`);
  if (filter.from || filter.to)
    lines.push(`${dateFieldLabels[filter.dateField]}: ${filter.from ?? ""}〜${filter.to ?? ""}`);
  if (filter.status) lines.push(`状態: ${statusLabel(filter.status)}`);
  if (filter.category) lines.push(`区分: ${categoryLabel(filter.category)}`);
  if (filter.kind) lines.push(`種別: ${kindLabels[filter.kind]}`);
  if (filter.clause) lines.push(`指摘の条項: ${clauseLabel(filter.clause)}`);
  if (filter.erroneous) lines.push("誤りの指摘がある投稿");
  return lines;
}

export function statusLabel(status: PostStatus): string {
  return postStatusLabels[status];
}

export function categoryLabel(category: PostCategory): string {
  return postCategoryShort[category];
}

/** The clauses of a post's findings (jsonb), each once, in the order found. */
export function findingClausesOf(findings: unknown): Array<{ clause: string; severity: string }> {
  if (!Array.isArray(findings)) return [];
  const seen = new Map<string, string>();
  const rank = (s: string) => (s === "error" ? 0 : s === "warning" ? 1 : 2);
  for (const f of findings) {
    if (typeof f !== "object" || f === null) continue;
    const clause = "clause" in f && typeof f.clause === "string" ? f.clause : undefined;
    const severity = "severity" in f && typeof f.severity === "string" ? f.severity : "info";
    if (!clause) continue;
    const before = seen.get(clause);
    if (before === undefined || rank(severity) < rank(before)) seen.set(clause, severity);
  }
  return [...seen].map(([clause, severity]) => ({ clause, severity }));
}

/** One finding as stored (checker output), read defensively from jsonb. */
export type StoredFinding = {
  rule: string;
  clause: string;
  severity: string;
  start: number;
  end: number;
  message: string;
  hint: string;
};

/** The findings of a version or post (jsonb), with anything malformed left out. */
export function findingsOf(findings: unknown): StoredFinding[] {
  if (!Array.isArray(findings)) return [];
  const out: StoredFinding[] = [];
  for (const f of findings) {
    if (typeof f !== "object" || f === null) continue;
    const str = (key: string) => {
      const v: unknown = Reflect.get(f, key);
      return typeof v === "string" ? v : "";
    };
    const num = (key: string) => {
      const v: unknown = Reflect.get(f, key);
      return typeof v === "number" ? v : 0;
    };
    if (!str("clause")) continue;
    out.push({
      rule: str("rule"),
      clause: str("clause"),
      severity: str("severity") || "info",
      start: num("start"),
      end: num("end"),
      message: str("message"),
      hint: str("hint"),
    });
  }
  return out;
}
