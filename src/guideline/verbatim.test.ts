/**
 * The shipped clauses are the guideline's own words: each clause text of `iwaki/clauses.json`
 * appears, in order, in the original guideline (`iwaki/guideline.txt`, a copy of the city's
 * published text), differing only in whitespace; and nothing of the original is left out but
 * the numbering and the headings the pack keeps apart (`headings` in `iwaki/pack.json`).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { orderedClauseIds } from "../domain/guideline-diff.ts";
import { guidelinePack } from "./pack.ts";

const original = readFileSync(new URL("./iwaki/guideline.txt", import.meta.url), "utf8");
const clauses: Record<string, string> = JSON.parse(
  readFileSync(new URL("./iwaki/clauses.json", import.meta.url), "utf8"),
);

/** Whitespace normalisation only: line breaks, indentation and (full-width) spaces go. */
function squeeze(text: string): string {
  return text.replace(/\s+/gu, "");
}

/** The original with each clause located in order; what lies between clauses, in order. */
function locate(): { missing: string[]; between: string[] } {
  const body = squeeze(original);
  const missing: string[] = [];
  const between: string[] = [];
  let at = 0;
  for (const id of orderedClauseIds(clauses)) {
    const text = squeeze(clauses[id] ?? "");
    const found = body.indexOf(text, at);
    if (text === "" || found < 0) {
      missing.push(id);
      continue;
    }
    between.push(body.slice(at, found));
    at = found + text.length;
  }
  between.push(body.slice(at));
  return { missing, between };
}

test("every shipped clause is the guideline's text, verbatim up to whitespace, in the guideline's order", () => {
  const { missing } = locate();
  assert.deepEqual(missing, [], `clauses not found verbatim in the original: ${missing.join(", ")}`);
});

test("no inserted heading or reformatted definition remains in the clause texts", () => {
  assert.doesNotMatch(clauses["7.2.1"] ?? "", /炎上状態となった場合/);
  assert.match(clauses["2.4"] ?? "", /^炎上・・・/);
});

test("between the clauses lie only the title, numbering and the pack's headings", () => {
  const { between } = locate();
  const pack = guidelinePack();
  const headings = Object.values(pack.headings)
    .map(squeeze)
    .sort((a, b) => b.length - a.length);
  const title = [pack.name, "平成26年７月１日", pack.municipality].map(squeeze);
  const leftovers = between
    .map((gap, i) => {
      let rest = gap;
      if (i === 0) for (const t of title) rest = rest.replace(t, "");
      rest = rest
        .replace(/第\d+|第[０-９]+/g, "")
        .replace(/（\d+）/g, "")
        .replace(/[①-⑩]/g, "")
        .replace(/附則/g, "");
      for (const h of headings) rest = rest.replace(h, "");
      return rest.replace(/[0-9０-９]/g, "");
    })
    .filter((rest) => rest !== "");
  assert.deepEqual(leftovers, [], "text of the original that no clause or heading holds");
});

test("the headings are kept apart and name the guideline's sections", () => {
  const pack = guidelinePack();
  assert.equal(pack.headings["7.2"], "炎上状態となった場合");
  assert.equal(pack.headings["2"], "用語の定義");
});
