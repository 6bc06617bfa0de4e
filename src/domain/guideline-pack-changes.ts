/**
 * What changed in a guideline pack's rules between two versions, besides the clauses' text
 * (8.1): words added to or removed from the checker's vocabularies, deadlines and limits,
 * templates, trusted domains. Pure: a walk over the two JSON documents that reports each
 * changed value by its path, with the section named in Japanese.
 */

/** One changed value of a pack. */
export type PackChange = {
  /** The section as people know it (「チェッカーの語彙」「期限」…). */
  section: string;
  /** Where in the pack, e.g. `checker.vocabulary.entries` or `guideline.deadlines.rotationDueDays`. */
  path: string;
  kind: "added" | "removed" | "changed";
  /** The value as text (a word, a number, a template). */
  before: string;
  after: string;
};

const sectionLabels: ReadonlyArray<[string, string]> = [
  ["guideline.platforms", "サービス（URLの形式）"],
  ["guideline.deadlines", "期限"],
  ["guideline.limits", "上限"],
  ["guideline.posts", "投稿の期限・画像"],
  ["guideline.templates", "文例"],
  ["guideline", "ガイドラインの基本情報"],
  ["checker.vocabulary", "チェッカーの語彙"],
  ["checker.links", "リンク・URLの確認"],
  ["checker.platforms", "文字数の上限"],
  ["checker.thresholds", "チェッカーのしきい値"],
  ["checker.clauses", "条項の名称"],
  ["checker.people", "人名・個人情報の確認"],
  ["checker.places", "施設・住所の確認"],
  ["checker", "チェッカーの設定"],
];

/** The Japanese name of the section a path belongs to. */
export function sectionOf(path: string): string {
  for (const [prefix, label] of sectionLabels) {
    if (path === prefix || path.startsWith(`${prefix}.`)) return label;
  }
  return "その他";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A value as one line of text. */
function show(value: unknown): string {
  if (value === undefined) return "";
  if (typeof value === "string") return value;
  if (isRecord(value) && typeof value.term === "string") {
    const clause = typeof value.clause === "string" ? `（${value.clause}）` : "";
    return `${value.term}${clause}`;
  }
  return JSON.stringify(value);
}

/** The identity of an array item (vocabulary entries by term and clause, other items by content). */
function keyOf(value: unknown): string {
  if (isRecord(value) && typeof value.term === "string") return `term:${value.term}:${String(value.clause)}`;
  if (isRecord(value) && typeof value.list === "string") return `list:${value.list}`;
  return JSON.stringify(value);
}

function walk(before: unknown, after: unknown, path: string, out: PackChange[]): void {
  if (JSON.stringify(before) === JSON.stringify(after)) return;
  const push = (kind: PackChange["kind"], b: unknown, a: unknown, at = path) =>
    out.push({ section: sectionOf(at), path: at, kind, before: show(b), after: show(a) });
  if (Array.isArray(before) && Array.isArray(after)) {
    const older = new Map(before.map((v) => [keyOf(v), v]));
    const newer = new Map(after.map((v) => [keyOf(v), v]));
    for (const [key, value] of newer) {
      const old = older.get(key);
      if (old === undefined) push("added", undefined, value);
      else if (JSON.stringify(old) !== JSON.stringify(value)) push("changed", old, value);
    }
    for (const [key, value] of older) if (!newer.has(key)) push("removed", value, undefined);
    return;
  }
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) {
      const at = path ? `${path}.${key}` : key;
      if (!(key in before)) push("added", undefined, after[key], at);
      else if (!(key in after)) push("removed", before[key], undefined, at);
      else walk(before[key], after[key], at, out);
    }
    return;
  }
  push(before === undefined ? "added" : after === undefined ? "removed" : "changed", before, after);
}

/**
 * Every changed value between two packs (`{ guideline, checker }`), in path order. `limit`
 * caps the list (a wholly different pack from another city would otherwise list thousands).
 */
export function packChanges(
  before: unknown,
  after: unknown,
  limit = 200,
): { changes: PackChange[]; total: number } {
  const out: PackChange[] = [];
  walk(before, after, "", out);
  return { changes: out.slice(0, limit), total: out.length };
}
