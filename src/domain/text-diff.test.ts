import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { diffSides, diffTexts } from "./text-diff.ts";

test("a corrected date shows what was taken out and what was added, in place", () => {
  assert.deepEqual(diffTexts("休館日は12月7日（月）です。", "【訂正】休館日は12月8日（火）です。"), [
    { op: "ins", text: "【訂正】" },
    { op: "same", text: "休館日は12月" },
    { op: "del", text: "7" },
    { op: "ins", text: "8" },
    { op: "same", text: "日（" },
    { op: "del", text: "月" },
    { op: "ins", text: "火" },
    { op: "same", text: "）です。" },
  ]);
  assert.deepEqual(diffTexts("同じ", "同じ"), [{ op: "same", text: "同じ" }]);
});

test("each side reads as its own text again, however the texts differ", () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), (a, b) => {
      const { before, after } = diffSides(diffTexts(a, b));
      assert.equal(before.map((p) => p.text).join(""), a);
      assert.equal(after.map((p) => p.text).join(""), b);
    }),
  );
});

test("texts that differ too much are shown as replaced whole", () => {
  const parts = diffTexts("あ".repeat(30), "い".repeat(30), { maxEdits: 5 });
  assert.deepEqual(
    parts.map((p) => p.op),
    ["del", "ins"],
  );
});
