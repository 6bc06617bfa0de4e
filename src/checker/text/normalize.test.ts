import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { normalizeWithMap, toOriginalSpan } from "./normalize.ts";

/** Strings mixing Japanese, full-width and half-width forms, compatibility characters and marks. */
const japaneseish = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        ..."あいうえおアイウエオ漢字市役所０１２３ＡＢＣａｂｃｶﾞｷﾞｸﾟﾊﾟ㊙①②㈱℡〒（）：－～　！？＠＃",
        "が",
        "ｶﾞ",
        "\u0301",
        "e\u0301",
        "ﾞ",
      ),
      fc.string({ unit: "grapheme", maxLength: 3 }),
      fc.string({ unit: "binary", maxLength: 2 }),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(""));

test("the normalised text is exactly NFKC of the original", () => {
  fc.assert(
    fc.property(japaneseish, (s) => {
      assert.equal(normalizeWithMap(s).text, s.normalize("NFKC"));
    }),
    { numRuns: 1000 },
  );
});

test("every span of the normalised text maps back to original text that normalises to it", () => {
  fc.assert(
    fc.property(japaneseish, fc.nat(), fc.nat(), (s, a, b) => {
      const n = normalizeWithMap(s);
      const len = n.text.length;
      const x = len === 0 ? 0 : a % (len + 1);
      const y = len === 0 ? 0 : b % (len + 1);
      const [start, end] = [Math.min(x, y), Math.max(x, y)];
      const [os, oe] = toOriginalSpan(n, start, end);
      assert.ok(0 <= os && os <= oe && oe <= s.length);
      // The original span covers whole segments, so its NFKC contains the normalised span.
      assert.ok(s.slice(os, oe).normalize("NFKC").includes(n.text.slice(start, end)));
    }),
    { numRuns: 1000 },
  );
});

test("known full-width and compatibility forms map to the right original characters", () => {
  const s = "電話０９０－１２３４（㊙）ｶﾞｲﾄﾞ";
  const n = normalizeWithMap(s);
  assert.equal(n.text, "電話090-1234(秘)ガイド");
  const at = n.text.indexOf("090-1234");
  assert.deepEqual(toOriginalSpan(n, at, at + 8), [2, 10]);
  const secret = n.text.indexOf("秘");
  assert.equal(s.slice(...toOriginalSpan(n, secret, secret + 1)), "㊙");
  const guide = n.text.indexOf("ガイド");
  assert.equal(s.slice(...toOriginalSpan(n, guide, guide + 3)), "ｶﾞｲﾄﾞ");
});

test("already-normalised text keeps identity offsets without a map", () => {
  const n = normalizeWithMap("いわき市のお知らせ");
  assert.equal(n.from, null);
  assert.deepEqual(toOriginalSpan(n, 2, 4), [2, 4]);
});
