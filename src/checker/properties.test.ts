import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { loadChecker } from "./load.ts";
import { NOW } from "./testing.ts";
import { type CheckInput, checkResultSchema, platformSchema, postKindSchema } from "./types.ts";

const checker = await loadChecker();

/** Texts built from pieces that trigger many rules, glued in random order with random noise. */
const piece = fc.constantFrom(
  "山田花子さん",
  "090-1234-5678",
  "０８０ー１２３４ー５６７８",
  "tanaka@gmail.com",
  "マイナンバー 1234 5678 9018",
  "【内部資料】",
  "㊙",
  "（案）",
  "公表前",
  "暗証番号4821",
  "鍵は棚に保管しています",
  "個人的には",
  "バカ",
  "女のくせに",
  "らしい",
  "https://bit.ly/abc",
  "ｈｔｔｐｓ：／／ｔ．ｃｏ／ｘ",
  "https://www.city.iwaki.lg.jp/",
  "12月7日（土）",
  "平字大町12番地3",
  "〒970-8686",
  "#いわき",
  "。",
  "\n",
  "ｶﾞｲﾄﾞ",
  "👨‍👩‍👧",
  "e\u0301",
);
const text = fc
  .array(fc.oneof(piece, fc.string({ maxLength: 6 }), fc.string({ unit: "grapheme", maxLength: 4 })), {
    maxLength: 30,
  })
  .map((parts) => parts.join(""));

const input = fc.record({
  text,
  platform: fc.constantFrom(...platformSchema.options),
  kind: fc.constantFrom(...postKindSchema.options),
  postDate: fc.option(fc.constantFrom("2025-11-20", "2026-01-01", "2024-02-29"), { nil: undefined }),
  hasImages: fc.option(fc.boolean(), { nil: undefined }),
});

test("the checker never throws and every finding lies inside the text", () => {
  fc.assert(
    fc.property(input, (raw) => {
      const value: CheckInput = {
        text: raw.text,
        platform: raw.platform,
        kind: raw.kind,
        ...(raw.postDate ? { postDate: raw.postDate } : {}),
        ...(raw.hasImages !== undefined ? { hasImages: raw.hasImages } : {}),
      };
      const result = checker.check(value, NOW);
      checkResultSchema.parse(result);
      for (const f of result.findings) {
        assert.ok(Number.isInteger(f.start) && Number.isInteger(f.end));
        assert.ok(0 <= f.start && f.start <= f.end && f.end <= raw.text.length, JSON.stringify(f));
        assert.ok(f.message.endsWith("。") && f.message.includes("（第"));
        assert.ok(f.hint.length > 0);
      }
    }),
    { numRuns: 800 },
  );
});

test("findings are sorted by start, then error before warning before info", () => {
  const rank = { error: 0, warning: 1, info: 2 };
  fc.assert(
    fc.property(text, (t) => {
      const { findings } = checker.check({ text: t, platform: "x", kind: "post" }, NOW);
      for (let i = 1; i < findings.length; i++) {
        const a = findings[i - 1];
        const b = findings[i];
        if (!a || !b) continue;
        assert.ok(a.start < b.start || (a.start === b.start && rank[a.severity] <= rank[b.severity]));
      }
    }),
    { numRuns: 300 },
  );
});

test("a finding's span is the same whether the text is typed in full width or half width", () => {
  const half = "連絡先 090-1234-5678 山田";
  const full = "連絡先　０９０－１２３４－５６７８　山田";
  const a = checker
    .check({ text: half, platform: "x", kind: "post" }, NOW)
    .findings.find((f) => f.rule === "pii.mobile-phone");
  const b = checker
    .check({ text: full, platform: "x", kind: "post" }, NOW)
    .findings.find((f) => f.rule === "pii.mobile-phone");
  assert.ok(a && b);
  assert.equal(half.slice(a.start, a.end), "090-1234-5678");
  assert.equal(full.slice(b.start, b.end), "０９０－１２３４－５６７８");
});

// Not a speed measurement (that is `npm run bench:checker`): a guard against work that grows with
// the square of the findings, which on 20,000 characters would take minutes. It counts this
// process's CPU time, which other work on the machine does not inflate as it does elapsed time.
test("a 20,000-character text full of hits is checked without quadratic work", () => {
  for (const unit of ["山田さん、", "バカ、", "閉店するらしい", "090-1234-5678 "]) {
    const text = unit.repeat(Math.ceil(20_000 / unit.length)).slice(0, 20_000);
    const started = process.cpuUsage();
    const { findings } = checker.check({ text, platform: "x", kind: "post" }, NOW);
    const used = process.cpuUsage(started);
    const ms = (used.user + used.system) / 1000;
    assert.ok(findings.length > 1000, unit);
    assert.ok(ms < 3000, `${unit}: ${ms.toFixed(0)} ms of CPU`);
  }
});
