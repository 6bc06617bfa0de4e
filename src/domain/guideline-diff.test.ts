/**
 * The clause diff staff read when a new guideline version is published (8.1, 8.2): clauses in
 * the guideline's order, added / removed / changed, and inside a changed clause only the words
 * that changed are marked.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  changedClauses,
  clauseDiff,
  compareClauseIds,
  linePieces,
  orderedClauseIds,
  textDiff,
  wordTokens,
} from "./guideline-diff.ts";
import { packChanges } from "./guideline-pack-changes.ts";

const join = (segments: { kind: string; text: string }[], keep: "removed" | "added") =>
  segments
    .filter((s) => s.kind === "same" || s.kind === keep)
    .map((s) => s.text)
    .join("");

test("Japanese text splits into runs of kana and letters and single kanji, and joins back exactly", () => {
  assert.deepEqual(wordTokens("職員は直ちにアカウント管理者へ報告する。URLは2件"), [
    "職",
    "員",
    "は",
    "直",
    "ちに",
    "アカウント",
    "管",
    "理",
    "者",
    "へ",
    "報",
    "告",
    "する",
    "。",
    "URL",
    "は",
    "2",
    "件",
  ]);
  fc.assert(
    fc.property(fc.string({ unit: "grapheme" }), (text) => {
      assert.equal(wordTokens(text).join(""), text);
      assert.equal(linePieces(text).join(""), text);
    }),
  );
});

test("only the changed words are marked, and both versions can be read back from the runs", () => {
  const before = "アカウント管理者は、アカウント及びパスワードを取り扱う者を必要最小限にしなければならない。";
  const after = "アカウント管理者は、アカウント及びパスワードを取り扱う職員を二名以内にしなければならない。";
  const segments = textDiff(before, after);
  assert.deepEqual(
    segments.filter((s) => s.kind !== "same"),
    // The lone 「を」 between two changes is read as part of one change.
    [
      { kind: "removed", text: "者を必要最小限" },
      { kind: "added", text: "職員を二名以内" },
    ],
  );
  fc.assert(
    fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), (a, b) => {
      const runs = textDiff(a, b);
      assert.equal(join(runs, "removed"), a);
      assert.equal(join(runs, "added"), b);
    }),
  );
});

test("unchanged lines stay whole; a new line is one added run", () => {
  assert.deepEqual(
    textDiff("会議は年2回開催する。", "会議は年2回以上開催する。").filter((s) => s.kind !== "same"),
    [{ kind: "added", text: "以上" }],
  );
  const segments = textDiff("第一行。\n第二行。", "第一行。\n第二行。\n第三行を追加。");
  assert.deepEqual(segments, [
    { kind: "same", text: "第一行。\n第二行。" },
    { kind: "added", text: "\n第三行を追加。" },
  ]);
  assert.deepEqual(textDiff("同じ", "同じ"), [{ kind: "same", text: "同じ" }]);
});

test("clauses come in the guideline's order, with 附則 last", () => {
  const ids = ["10", "5.2.10", "附則", "5.2.2.1", "2.1", "5.2", "1", "5.2.2"];
  assert.deepEqual([...ids].sort(compareClauseIds), [
    "1",
    "2.1",
    "5.2",
    "5.2.2",
    "5.2.2.1",
    "5.2.10",
    "10",
    "附則",
  ]);
  assert.deepEqual(orderedClauseIds({ "9": "", "8.2": "", "8.1": "" }), ["8.1", "8.2", "9"]);
});

test("a clause added, one removed and one changed are told apart; the first version is all added", () => {
  const older = { "1": "目的", "5.3.7": "短縮URLは可能な限り使わない。", "6.3": "規約は別途定める。" };
  const newer = { "1": "目的", "5.3.7": "短縮URLは使わない。", "5.3.8": "生成AIの利用を明記する。" };
  assert.deepEqual(
    changedClauses(older, newer).map((c) => [c.id, c.kind]),
    [
      ["5.3.7", "changed"],
      ["5.3.8", "added"],
      ["6.3", "removed"],
    ],
  );
  const removed = changedClauses(older, newer).find((c) => c.id === "6.3");
  assert.deepEqual(removed?.segments, [{ kind: "removed", text: "規約は別途定める。" }]);
  assert.ok(clauseDiff(undefined, newer).every((c) => c.kind === "added"));
});

test("rule changes name the word added to a vocabulary and the deadline that moved", () => {
  const before = {
    guideline: { deadlines: { rotationDueDays: 3 } },
    checker: { vocabulary: { entries: [{ term: "馬鹿", clause: "5.2.6" }] } },
  };
  const after = {
    guideline: { deadlines: { rotationDueDays: 5 } },
    checker: {
      vocabulary: {
        entries: [
          { term: "馬鹿", clause: "5.2.6" },
          { term: "阿呆", clause: "5.2.6" },
        ],
      },
    },
  };
  assert.deepEqual(packChanges(before, after).changes, [
    {
      section: "チェッカーの語彙",
      path: "checker.vocabulary.entries",
      kind: "added",
      before: "",
      after: "阿呆（5.2.6）",
    },
    {
      section: "期限",
      path: "guideline.deadlines.rotationDueDays",
      kind: "changed",
      before: "3",
      after: "5",
    },
  ]);
});
