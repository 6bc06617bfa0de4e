/**
 * What changed between two versions of a media policy (every published version stays readable,
 * with what changed: the system keeps them; 4.2.3 asks that citizens be told of a review). Pure: field by field, and inside a field sentence by sentence,
 * so a reader sees the wording that was removed and added.
 */
import { type PolicyContent, policyFieldLabels, policyFields, replyPolicyLabels } from "./accounts.ts";

export type PolicyField = (typeof policyFields)[number];

/** A run of text that is the same in both versions, only in the older one, or only in the newer one. */
export type DiffSegment = { kind: "same" | "removed" | "added"; text: string };

/** One item of the policy compared between two versions. */
export type FieldChange = {
  field: PolicyField;
  /** The item's name as the policy page shows it (「① 情報発信を行う目的」). */
  label: string;
  /** The text as shown to readers (the reply policy as 「返信しない」, not its code). */
  before: string;
  after: string;
  changed: boolean;
  /** The newer text split into runs against the older one (one `same` run when unchanged). */
  segments: DiffSegment[];
};

/** The text a reader sees for one item (the reply policy's label instead of its code). */
export function displayValue(policy: PolicyContent, field: PolicyField): string {
  if (field === "replyPolicy") return replyPolicyLabels[policy.replyPolicy] ?? "";
  return policy[field];
}

/** Splits text after sentence ends and line breaks, keeping every character (joins back exactly). */
export function sentencePieces(text: string): string[] {
  return text.match(/[^。！？!?\n]*(?:[。！？!?]+|\n|$)/gu)?.filter((s) => s !== "") ?? [];
}

/** Longest-common-subsequence diff of two piece lists, merged into runs of the same kind. */
function diffPieces(before: readonly string[], after: readonly string[]): DiffSegment[] {
  const n = before.length;
  const m = after.length;
  // lcs[i][j]: length of the LCS of before[i..] and after[j..]
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    const row = lcs[i] ?? [];
    const next = lcs[i + 1] ?? [];
    for (let j = m - 1; j >= 0; j--) {
      row[j] = before[i] === after[j] ? (next[j + 1] ?? 0) + 1 : Math.max(next[j] ?? 0, row[j + 1] ?? 0);
    }
  }
  const out: DiffSegment[] = [];
  const push = (kind: DiffSegment["kind"], text: string) => {
    const last = out[out.length - 1];
    if (last && last.kind === kind) last.text += text;
    else out.push({ kind, text });
  };
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    const a = before[i];
    const b = after[j];
    if (a !== undefined && b !== undefined && a === b) {
      push("same", a);
      i++;
      j++;
    } else if (b === undefined || (a !== undefined && (lcs[i + 1]?.[j] ?? 0) >= (lcs[i]?.[j + 1] ?? 0))) {
      push("removed", a ?? "");
      i++;
    } else {
      push("added", b);
      j++;
    }
  }
  return out;
}

/**
 * Compares two versions item by item (4.2.1 ①–④, 4.2.2). With no older version (the first
 * one), every filled item counts as added.
 */
export function policyDiff(older: PolicyContent | undefined, newer: PolicyContent): FieldChange[] {
  return policyFields.map((field) => {
    const before = older ? displayValue(older, field) : "";
    const after = displayValue(newer, field);
    const changed = before !== after;
    const segments: DiffSegment[] = !changed
      ? after === ""
        ? []
        : [{ kind: "same", text: after }]
      : diffPieces(sentencePieces(before), sentencePieces(after));
    return { field, label: policyFieldLabels[field], before, after, changed, segments };
  });
}

/** Only the items that differ. */
export function changedFields(older: PolicyContent | undefined, newer: PolicyContent): FieldChange[] {
  return policyDiff(older, newer).filter((c) => c.changed);
}
