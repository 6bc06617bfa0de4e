/** Helpers for the checker's tests: one loaded checker per test file and readable findings. */
import { loadChecker } from "./load.ts";
import type { CheckInput, CheckResult } from "./types.ts";

/** A fixed "now" so that tests do not depend on the day they run (2025-11-20 10:00 JST). */
export const NOW = new Date("2025-11-20T01:00:00Z");

export interface Seen {
  rule: string;
  clause: string;
  severity: string;
  /** The original text under the finding's span. */
  span: string;
}

/** Loads the default checker and returns a function checking one text (an X post unless told). */
export async function checkerForTests(): Promise<(text: string, extra?: Partial<CheckInput>) => Seen[]> {
  const checker = await loadChecker();
  return (text, extra = {}) =>
    seen(text, checker.check({ text, platform: "x", kind: "post", ...extra }, NOW));
}

/** The findings of `result` with the text they point at. */
export function seen(text: string, result: CheckResult): Seen[] {
  return result.findings.map((f) => ({
    rule: f.rule,
    clause: f.clause,
    severity: f.severity,
    span: text.slice(f.start, f.end),
  }));
}

/** Clauses reported as error or warning (what the corpus scorer counts). */
export function flagged(found: Seen[]): string[] {
  return [...new Set(found.filter((f) => f.severity !== "info").map((f) => f.clause))].sort();
}

/** A My Number: the 11 given digits followed by their check digit. */
export function makeMyNumber(base11: string): string {
  let sum = 0;
  for (let n = 1; n <= 11; n++) sum += Number(base11.charAt(11 - n)) * (n <= 6 ? n + 1 : n - 5);
  const r = sum % 11;
  return `${base11}${r <= 1 ? 0 : 11 - r}`;
}

/** A corporate number: the check digit followed by the 12 given digits. */
export function makeCorporateNumber(base12: string): string {
  let sum = 0;
  for (let n = 1; n <= 12; n++) sum += Number(base12.charAt(12 - n)) * (n % 2 === 1 ? 1 : 2);
  return `${9 - (sum % 9)}${base12}`;
}
