/**
 * How the checker's findings are presented in the post editor, shared by the server-rendered
 * page and the browser script so both show the same thing: the severity labels, the text cut
 * into pieces where findings begin and end (for <mark>), and the length counter's wording.
 * Pure; no DOM, no Node.
 */

import { clauseRef } from "../../domain/clauses.ts";

/** A finding as the checker and `POST /api/v1/check` give it. */
export type FindingLike = {
  rule: string;
  clause: string;
  severity: "error" | "warning" | "info";
  start: number;
  end: number;
  message: string;
  hint: string;
};

/** The live length counter as the checker gives it. */
export type LengthLike = {
  unit: "x-weighted" | "chars" | "graphemes" | "mastodon";
  used: number;
  limit: number;
};

/** Badge tone and label of each severity. */
export const severityBadges: Record<
  FindingLike["severity"],
  { tone: "error" | "warn" | "muted"; label: string }
> = {
  error: { tone: "error", label: "要修正" },
  warning: { tone: "warn", label: "要確認" },
  info: { tone: "muted", label: "参考" },
};

/** A piece of the text and the (1-based) numbers of the findings covering it. */
export type Piece = { text: string; findings: number[] };

/** Cuts `text` where findings start and end; each piece knows which findings cover it. */
export function markedPieces(text: string, findings: readonly FindingLike[]): Piece[] {
  const spans = findings
    .map((f, i) => ({ start: Math.max(0, f.start), end: Math.min(text.length, f.end), n: i + 1 }))
    .filter((s) => s.end > s.start);
  const cuts = [...new Set([0, text.length, ...spans.flatMap((s) => [s.start, s.end])])].sort(
    (a, b) => a - b,
  );
  const pieces: Piece[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const from = cuts[i] ?? 0;
    const to = cuts[i + 1] ?? 0;
    if (to <= from) continue;
    pieces.push({
      text: text.slice(from, to),
      findings: spans.filter((s) => s.start <= from && s.end >= to).map((s) => s.n),
    });
  }
  return pieces;
}

/** What a screen reader hears after a marked piece: which findings, and what they say. */
export function markNote(numbers: readonly number[], findings: readonly FindingLike[]): string {
  const parts = numbers.map((n) => `指摘${n}: ${findings[n - 1]?.message ?? ""}`);
  return `（${parts.join("／")}）`;
}

const unitNotes: Record<LengthLike["unit"], string> = {
  chars: "文字",
  graphemes: "文字（絵文字などは1文字）",
  "x-weighted": "（全角文字は2、URLは23として計算）",
  mastodon: "文字（URLは23文字として計算）",
};

/** 「文字数: 56／280（全角文字は2、URLは23として計算）」 and whether it is over the limit. */
export function counterText(
  length: LengthLike | undefined,
  fallbackLength: number,
): { text: string; over: boolean } {
  if (!length)
    return { text: `文字数: ${fallbackLength}文字（このサービスの上限は登録されていません）`, over: false };
  return {
    text: `文字数: ${length.used}／${length.limit}${unitNotes[length.unit]}`,
    over: length.used > length.limit,
  };
}

/** The one-line summary above the findings list. */
export function findingsSummary(findings: readonly FindingLike[]): string {
  if (findings.length === 0) return "ガイドラインに照らした指摘はありません。";
  const errors = findings.filter((f) => f.severity === "error").length;
  const warnings = findings.filter((f) => f.severity === "warning").length;
  const infos = findings.length - errors - warnings;
  const parts = [
    errors ? `要修正${errors}件` : "",
    warnings ? `要確認${warnings}件` : "",
    infos ? `参考${infos}件` : "",
  ].filter(Boolean);
  return `指摘が${findings.length}件あります（${parts.join("、")}）。`;
}

/**
 * A finding's message with its clause said once: 「…（第5-2(8)）」, or the message alone when it
 * already names the clause (「…（第5-2(8) 噂・風評）。」).
 */
export function findingLine(finding: { message: string; clause: string }): string {
  const ref = clauseRef(finding.clause);
  return finding.message.includes(ref) ? finding.message : `${finding.message}（${ref}）`;
}
