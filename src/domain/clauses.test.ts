import assert from "node:assert/strict";
import { test } from "node:test";
import { clauseRef } from "./clauses.ts";

test("clause ids are written as the guideline writes them", () => {
  assert.equal(clauseRef("5.2.2.1"), "第5-2(2)①");
  assert.equal(clauseRef("4.5.1"), "第4-5(1)");
  assert.equal(clauseRef("4.1"), "第4-1");
  assert.equal(clauseRef("9"), "第9");
});
