import assert from "node:assert/strict";
import { test } from "node:test";
import { clauseHeading, clauseRef } from "./clauses.ts";

test("clause ids are written as the guideline writes them", () => {
  assert.equal(clauseRef("5.2.2.1"), "第5-2(2)①");
  assert.equal(clauseRef("4.5.1"), "第4-5(1)");
  assert.equal(clauseRef("4.1"), "第4-1");
  assert.equal(clauseRef("9"), "第9");
});

test("a clause's heading is its own or its nearest section's, kept apart from its text", () => {
  const headings = {
    "7": "問題が発生した場合への対応",
    "7.2": "炎上状態となった場合",
    "7.1": "情報漏えいが発生した場合",
  };
  assert.equal(clauseHeading("7.2.1", headings), "炎上状態となった場合");
  assert.equal(clauseHeading("7.1", headings), "情報漏えいが発生した場合");
  assert.equal(clauseHeading("7", headings), "問題が発生した場合への対応");
  assert.equal(clauseHeading("附則", headings), undefined);
});
