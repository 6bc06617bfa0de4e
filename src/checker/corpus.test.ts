/**
 * Scores the checker on its own labelled corpus (`test/fixtures/checker/`, the same JSONL
 * contract as the shared corpus): `dev.jsonl`, the part the phrase rules were built on, and
 * `held-out.jsonl`, written before the rules and never tuned on. Recall and false-alarm rows are
 * counted the way `score.mjs` counts them (errors and warnings; `allow` clauses are not alarms).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { z } from "zod";
import { loadChecker } from "./load.ts";
import { NOW } from "./testing.ts";
import { checkInputSchema } from "./types.ts";

const FIXTURES = new URL("../../test/fixtures/checker/", import.meta.url);

const lineSchema = checkInputSchema.extend({
  id: z.string(),
  expect: z.array(z.object({ clause: z.string() })).default([]),
  allow: z.array(z.string()).default([]),
});
type Line = z.infer<typeof lineSchema>;

function read(name: string): Line[] {
  return readFileSync(new URL(name, FIXTURES), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l, i) => {
      const parsed = lineSchema.safeParse(JSON.parse(l));
      if (!parsed.success) throw new Error(`${name} line ${i + 1}: ${parsed.error.message}`);
      return parsed.data;
    });
}

interface Score {
  hits: number;
  expected: number;
  alarmRows: number;
  rows: number;
  misses: string[];
  alarms: string[];
  perClause: Map<string, [number, number]>;
  /** Clause → rows where it was reported but neither expected nor allowed. */
  alarmsPerClause: Map<string, number>;
}

const checker = await loadChecker();

function score(lines: readonly Line[]): Score {
  const s: Score = {
    hits: 0,
    expected: 0,
    alarmRows: 0,
    rows: lines.length,
    misses: [],
    alarms: [],
    perClause: new Map(),
    alarmsPerClause: new Map(),
  };
  for (const line of lines) {
    const result = checker.check(checkInputSchema.parse(line), NOW);
    const found = new Set(result.findings.filter((f) => f.severity !== "info").map((f) => f.clause));
    const want = line.expect.map((e) => e.clause);
    for (const c of want) {
      const pc = s.perClause.get(c) ?? [0, 0];
      pc[1]++;
      s.expected++;
      if (found.has(c)) {
        pc[0]++;
        s.hits++;
      } else s.misses.push(`${line.id} missed ${c}: ${line.text}`);
      s.perClause.set(c, pc);
    }
    const ok = new Set([...want, ...line.allow]);
    const extra = [...found].filter((c) => !ok.has(c));
    for (const c of extra) s.alarmsPerClause.set(c, (s.alarmsPerClause.get(c) ?? 0) + 1);
    if (extra.length > 0) {
      s.alarmRows++;
      s.alarms.push(`${line.id} flagged ${extra.join(", ")}: ${line.text}`);
    }
  }
  return s;
}

function summary(name: string, s: Score): string {
  const names = [...new Set([...s.perClause.keys(), ...s.alarmsPerClause.keys()])].sort();
  const clauses = names
    .map((c) => {
      const [h, t] = s.perClause.get(c) ?? [0, 0];
      const a = s.alarmsPerClause.get(c) ?? 0;
      return `${c} ${h}/${t}${a > 0 ? ` (${a} false-alarm rows)` : ""}`;
    })
    .join(", ");
  return `${name}: recall ${(s.hits / s.expected).toFixed(3)} (${s.hits}/${s.expected}), false-alarm rows ${(s.alarmRows / s.rows).toFixed(3)} (${s.alarmRows}/${s.rows}); ${clauses}`;
}

const dev = read("dev.jsonl");
const heldOut = read("held-out.jsonl");

test("the corpus has 400+ lines, at least half of them clean near-misses, with unique ids", () => {
  const all = [...dev, ...heldOut];
  assert.ok(all.length >= 400, `${all.length} lines`);
  assert.ok(all.filter((l) => l.expect.length === 0).length * 2 >= all.length);
  assert.equal(new Set(all.map((l) => l.id)).size, all.length);
});

test("the whole corpus (tuned and held-out parts): recall ≥ 0.95, false-alarm rows ≤ 0.05", (t) => {
  const d = score(dev);
  const h = score(heldOut);
  const all = score([...dev, ...heldOut]);
  t.diagnostic(summary("tuned", d));
  t.diagnostic(summary("held-out", h));
  t.diagnostic(summary("all", all));
  for (const m of [...all.misses, ...all.alarms]) t.diagnostic(m);
  assert.ok(all.hits / all.expected >= 0.95, summary("all", all));
  assert.ok(all.alarmRows / all.rows <= 0.05, summary("all", all));
});

test("the tuned part alone: recall ≥ 0.95, false-alarm rows ≤ 0.05", () => {
  const d = score(dev);
  assert.ok(d.hits / d.expected >= 0.95, `${summary("tuned", d)}\n${d.misses.join("\n")}`);
  assert.ok(d.alarmRows / d.rows <= 0.05, `${summary("tuned", d)}\n${d.alarms.join("\n")}`);
});
