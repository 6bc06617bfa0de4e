/**
 * What changed between two versions of a text: the guideline's clauses (8.1: a new version is
 * published with what changed, clause by clause; 8.2: staff acknowledge the changes) and the
 * council's rules (6.3). Pure. Texts are compared line by line, then word by word inside the
 * lines that differ, so a reader sees exactly the wording that was removed and added. Japanese
 * has no spaces, so a "word" is a run of one script (ひらがな, カタカナ, letters and digits),
 * a single 漢字 (compounds change a character at a time: 年2回開催 → 年2回以上開催), or a single
 * punctuation mark; a lone unchanged character between two changes is folded into them.
 */
import type { DiffSegment } from "./policy-diff.ts";

export type { DiffSegment } from "./policy-diff.ts";

/** How a clause differs between two versions. */
export type ClauseChangeKind = "added" | "removed" | "changed" | "same";

/** One clause compared between two versions. */
export type ClauseChange = {
  /** Clause id as CLAUSES.md writes it (`5.2.2.1`), or a non-numeric id such as 「附則」. */
  id: string;
  kind: ClauseChangeKind;
  before: string;
  after: string;
  /** The newer text in runs against the older one (all `added` for a new clause, all `removed` for a deleted one). */
  segments: DiffSegment[];
};

/** Above this many token pairs a changed block is shown as removed-then-added instead of word by word. */
const MAX_TOKEN_PAIRS = 250_000;

type Script = "han" | "hiragana" | "katakana" | "word" | "space" | "newline" | "mark";

function scriptOf(ch: string): Script {
  if (ch === "\n") return "newline";
  if (/\s/u.test(ch)) return "space";
  if (/[\p{Script=Han}々〆ヶ]/u.test(ch)) return "han";
  if (/\p{Script=Hiragana}/u.test(ch)) return "hiragana";
  if (/[\p{Script=Katakana}ー]/u.test(ch)) return "katakana";
  if (/[\p{L}\p{N}_]/u.test(ch)) return "word";
  return "mark";
}

/** Splits text into words (runs of one script) and single marks; joining the tokens gives the text back. */
export function wordTokens(text: string): string[] {
  const out: string[] = [];
  let current = "";
  let kind: Script | null = null;
  for (const ch of text) {
    const next = scriptOf(ch);
    const joins = kind === next && next !== "mark" && next !== "newline" && next !== "han";
    if (joins) {
      current += ch;
      continue;
    }
    if (current) out.push(current);
    current = ch;
    kind = next;
  }
  if (current) out.push(current);
  return out;
}

/** Splits text into lines, each keeping its line break (joins back exactly). */
export function linePieces(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** Appends a run, merging it with the previous one of the same kind. */
function pushRun(out: DiffSegment[], kind: DiffSegment["kind"], text: string): void {
  if (text === "") return;
  const last = out[out.length - 1];
  if (last && last.kind === kind) last.text += text;
  else out.push({ kind, text });
}

type Op = { kind: DiffSegment["kind"]; text: string };

/** Longest-common-subsequence alignment of two token lists. */
function lcsOps(before: readonly string[], after: readonly string[]): Op[] {
  const n = before.length;
  const m = after.length;
  const width = m + 1;
  const table = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i * width + j] =
        before[i] === after[j]
          ? (table[(i + 1) * width + j + 1] ?? 0) + 1
          : Math.max(table[(i + 1) * width + j] ?? 0, table[i * width + j + 1] ?? 0);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    const a = before[i];
    const b = after[j];
    if (a !== undefined && b !== undefined && a === b) {
      ops.push({ kind: "same", text: a });
      i++;
      j++;
    } else if (
      b === undefined ||
      (a !== undefined && (table[(i + 1) * width + j] ?? 0) >= (table[i * width + j + 1] ?? 0))
    ) {
      ops.push({ kind: "removed", text: a ?? "" });
      i++;
    } else {
      ops.push({ kind: "added", text: b });
      j++;
    }
  }
  return ops;
}

/**
 * Folds a lone unchanged character (not a line break) that sits between changes into them, so
 * 「必要最小限」→「二名以内」 does not read as five scattered edits around a shared 「以」.
 */
function foldSlivers(runs: readonly DiffSegment[]): DiffSegment[] {
  type Item = { same: string } | { removed: string; added: string };
  const items: Item[] = [];
  for (const run of runs) {
    const last = items[items.length - 1];
    if (run.kind === "same") items.push({ same: run.text });
    else if (last && "removed" in last) last[run.kind] += run.text;
    else
      items.push(
        run.kind === "removed" ? { removed: run.text, added: "" } : { removed: "", added: run.text },
      );
  }
  const folded: Item[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const prev = folded[folded.length - 1];
    const next = items[i + 1];
    if (
      item &&
      "same" in item &&
      [...item.same].length === 1 &&
      item.same !== "\n" &&
      prev &&
      "removed" in prev &&
      next &&
      "removed" in next
    ) {
      prev.removed += item.same + next.removed;
      prev.added += item.same + next.added;
      i++;
      continue;
    }
    if (item) folded.push("same" in item ? { ...item } : { ...item });
  }
  const out: DiffSegment[] = [];
  for (const item of folded) {
    if ("same" in item) pushRun(out, "same", item.same);
    else {
      pushRun(out, "removed", item.removed);
      pushRun(out, "added", item.added);
    }
  }
  return out;
}

/** Word-level runs of one changed block (lines removed and added together). */
function refineBlock(out: DiffSegment[], removed: string, added: string): void {
  const a = wordTokens(removed);
  const b = wordTokens(added);
  if (a.length * b.length > MAX_TOKEN_PAIRS || a.length === 0 || b.length === 0) {
    pushRun(out, "removed", removed);
    pushRun(out, "added", added);
    return;
  }
  const runs: DiffSegment[] = [];
  for (const op of lcsOps(a, b)) pushRun(runs, op.kind, op.text);
  for (const run of foldSlivers(runs)) pushRun(out, run.kind, run.text);
}

/**
 * The newer text as runs that are the same, removed or added against the older one: lines are
 * aligned first, then each block of changed lines word by word.
 */
export function textDiff(before: string, after: string): DiffSegment[] {
  if (before === after) return after === "" ? [] : [{ kind: "same", text: after }];
  const a = linePieces(before);
  const b = linePieces(after);
  const ops =
    a.length * b.length > MAX_TOKEN_PAIRS
      ? [
          ...a.map((text): Op => ({ kind: "removed", text })),
          ...b.map((text): Op => ({ kind: "added", text })),
        ]
      : lcsOps(a, b);
  const out: DiffSegment[] = [];
  let removed = "";
  let added = "";
  const flush = () => {
    if (removed || added) refineBlock(out, removed, added);
    removed = "";
    added = "";
  };
  for (const op of ops) {
    if (op.kind === "same") {
      flush();
      pushRun(out, "same", op.text);
    } else if (op.kind === "removed") removed += op.text;
    else added += op.text;
  }
  flush();
  return out;
}

/** Orders clause ids as the guideline does: 1, 2.1, …, 5.2.2.1, 5.2.10, …, 10, then named ones (附則). */
export function compareClauseIds(a: string, b: string): number {
  const numeric = (id: string) => /^\d+(\.\d+)*$/.test(id);
  if (numeric(a) !== numeric(b)) return numeric(a) ? -1 : 1;
  if (!numeric(a)) return a.localeCompare(b, "ja");
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x !== y) return x - y;
  }
  return 0;
}

/** The clause ids of a clause map in the guideline's order. */
export function orderedClauseIds(clauses: Readonly<Record<string, string>>): string[] {
  return Object.keys(clauses).sort(compareClauseIds);
}

/**
 * Compares two versions' clauses (id → text). With no older version (a first reading), every
 * clause counts as added. Clauses come in the guideline's order.
 */
export function clauseDiff(
  older: Readonly<Record<string, string>> | undefined,
  newer: Readonly<Record<string, string>>,
): ClauseChange[] {
  const ids = new Set([...Object.keys(older ?? {}), ...Object.keys(newer)]);
  return [...ids].sort(compareClauseIds).map((id): ClauseChange => {
    const before = older?.[id];
    const after = newer[id];
    if (before === undefined)
      return { id, kind: "added", before: "", after: after ?? "", segments: textDiff("", after ?? "") };
    if (after === undefined)
      return { id, kind: "removed", before, after: "", segments: textDiff(before, "") };
    return {
      id,
      kind: before === after ? "same" : "changed",
      before,
      after,
      segments: textDiff(before, after),
    };
  });
}

/** Only the clauses that were added, removed or changed. */
export function changedClauses(
  older: Readonly<Record<string, string>> | undefined,
  newer: Readonly<Record<string, string>>,
): ClauseChange[] {
  return clauseDiff(older, newer).filter((c) => c.kind !== "same");
}

/** Counts of added, removed and changed clauses (for a version's summary line). */
export function clauseChangeCounts(changes: readonly ClauseChange[]): Record<ClauseChangeKind, number> {
  const counts: Record<ClauseChangeKind, number> = { added: 0, removed: 0, changed: 0, same: 0 };
  for (const c of changes) counts[c.kind]++;
  return counts;
}
