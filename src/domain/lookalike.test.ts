/**
 * Lookalike handles (7.3 成りすまし): a table of handles an impersonator might register next to
 * the city's `iwaki_city`, and real, different accounts of other cities that must not be flagged.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  allowedDistance,
  canonicalHandle,
  editDistance,
  findLookalikes,
  handleCore,
  handleSkeleton,
  type LookalikeReason,
  lookalikeMatch,
  prepareHandle,
} from "./lookalike.ts";

const official = "iwaki_city";

const lookalikes: Array<[string, LookalikeReason]> = [
  ["iwaki_clty", "homoglyph"],
  ["lwaki_city", "homoglyph"],
  ["Iwaki_City_", "homoglyph"],
  ["iwaki-city", "homoglyph"],
  ["iwaki.city", "homoglyph"],
  ["iwaki_c1ty", "homoglyph"],
  ["1waki_city", "homoglyph"],
  ["iwak1_c1ty", "homoglyph"],
  ["iwaki__city", "homoglyph"],
  ["iwakicity", "homoglyph"],
  ["іwakі_сіty", "homoglyph"], // Cyrillic і and с
  ["iwaki_city_official", "affix"],
  ["official_iwaki_city", "affix"],
  ["iwakicity_jp", "affix"],
  ["iwaki_city_jp", "affix"],
  ["iwaki_koushiki", "affix"],
  ["iwaki_city2024", "affix"],
  ["iwaki_city_0fficial", "affix"],
  ["iwaki", "affix"],
  ["iwaki_cit", "typo"],
  ["iwkai_city", "typo"],
  ["iwaki_citty", "typo"],
  ["iwaky_city", "typo"],
  ["iwaki_ciity", "typo"],
  ["iwaky_official", "typo"],
];

const different = [
  "iwate_city",
  "sendai_city",
  "kyoto_city",
  "koriyama_city",
  "fukushima_city",
  "iwaki_kanko",
  "aizu_city",
  "osaki_city",
  "iwakuni_city",
];

for (const [handle, reason] of lookalikes) {
  test(`${handle} looks like ${official} (${reason})`, () => {
    const match = lookalikeMatch(handle, official);
    assert.ok(match, `${handle} should look like ${official}`);
    assert.equal(match.reason, reason);
  });
}

for (const handle of different) {
  test(`${handle} is a different name, not a lookalike of ${official}`, () => {
    assert.equal(lookalikeMatch(handle, official), null);
  });
}

test("the same handle written differently is the account itself, not a lookalike", () => {
  assert.equal(lookalikeMatch("@Iwaki_City", official), null);
  assert.equal(lookalikeMatch("＠ｉｗａｋｉ＿ｃｉｔｙ", official), null);
  assert.equal(lookalikeMatch("mastodon.example.jp/@iwaki_city", official), null);
});

test("canonical handles drop @, case, full width and the Mastodon host", () => {
  assert.equal(canonicalHandle("@Iwaki_City"), "iwaki_city");
  assert.equal(canonicalHandle("＠ｉｗａｋｉ"), "iwaki");
  assert.equal(canonicalHandle("mastodon.example.jp/@iwaki_city"), "iwaki_city");
  assert.equal(canonicalHandle("@iwaki_city@mastodon.example.jp"), "iwaki_city");
});

test("skeletons fold homoglyphs and separators; cores drop affixes and digits", () => {
  assert.equal(handleSkeleton("iwaki_city"), handleSkeleton("IWAKI-C1TY"));
  assert.equal(handleSkeleton("modern"), handleSkeleton("rnodern"));
  assert.equal(handleSkeleton("wakayama"), handleSkeleton("vvakayama"));
  assert.equal(handleSkeleton("tokyo"), handleSkeleton("t0ky0"));
  assert.equal(handleCore("iwaki_city"), handleCore("iwakicity_jp"));
  assert.equal(handleCore("iwaki_city"), handleCore("official_iwaki_2024"));
  assert.equal(handleCore("city.iwaki.lg.jp"), handleCore("iwakicity.bsky.social"));
  assert.notEqual(handleCore("iwaki_city"), handleCore("iwate_city"));
  assert.ok(handleCore("city").length >= 2, "a handle made only of affixes keeps something");
});

test("edit distance counts insertions, deletions, substitutions and adjacent swaps", () => {
  assert.equal(editDistance("iwaki", "iwaki"), 0);
  assert.equal(editDistance("iwaki", "iwak"), 1);
  assert.equal(editDistance("iwaki", "iwaqi"), 1);
  assert.equal(editDistance("iwaki", "iwkai"), 1);
  assert.equal(editDistance("iwaki", "iwate"), 2);
  assert.equal(editDistance("", "abc"), 3);
  assert.equal(editDistance("kitten", "sitting"), 3);
  assert.equal(editDistance("ca", "abc"), 3, "optimal string alignment: no edit after a swap");
});

test("the early stop never changes whether a distance is within the limit", () => {
  const words = ["iwakicity", "iwkaicity", "iwakictiy", "wiakicity", "iwaki", "abcdef", "badcfe", "x"];
  for (const a of words) {
    for (const b of words) {
      const full = editDistance(a, b);
      for (const limit of [0, 1, 2, 3]) {
        const bounded = editDistance(a, b, limit);
        assert.equal(bounded <= limit, full <= limit, `${a} ${b} limit ${limit}`);
        if (full <= limit) assert.equal(bounded, full);
      }
    }
  }
});

test("the allowed distance grows with length and never passes 2", () => {
  assert.equal(allowedDistance(3), 0);
  assert.equal(allowedDistance(5), 1);
  assert.equal(allowedDistance(9), 1);
  assert.equal(allowedDistance(10), 2);
  assert.equal(allowedDistance(40), 2);
});

test("short official handles are only matched by their exact skeleton", () => {
  assert.ok(lookalikeMatch("pr_l", "pr_i"));
  assert.equal(lookalikeMatch("abc", "abd"), null);
});

test("findLookalikes lists every official handle matched, closest first", () => {
  const officials = ["iwaki_city", "iwakicity_kanko", "iwaki_bousai", "sendai_city"].map((h) => ({
    handle: h,
    prepared: prepareHandle(h),
  }));
  const found = findLookalikes("iwaki_clty", officials);
  assert.deepEqual(
    found.map((f) => [f.handle, f.match.reason]),
    [["iwaki_city", "homoglyph"]],
  );
  const bousai = findLookalikes("iwaki_bosai", officials);
  assert.deepEqual(
    bousai.map((f) => f.handle),
    ["iwaki_bousai"],
  );
  assert.deepEqual(findLookalikes("kyoto_city", officials), []);
});

test("property: any homoglyph or separator variation of a handle is flagged, never missed", () => {
  const swaps: Record<string, string[]> = {
    i: ["l", "1", "I"],
    l: ["i", "1", "I"],
    o: ["0", "O"],
    m: ["rn"],
    w: ["vv"],
  };
  const separators = ["_", "-", "."];
  fc.assert(
    fc.property(
      fc.stringMatching(/^[a-z][a-z_]{4,14}$/),
      fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
      (handle, picks) => {
        let variant = handle;
        for (const pick of picks) {
          const at = pick % variant.length;
          const ch = variant[at] ?? "";
          const options = ch === "_" ? separators : swaps[ch];
          if (!options) continue;
          variant = variant.slice(0, at) + (options[pick % options.length] ?? ch) + variant.slice(at + 1);
        }
        const match = lookalikeMatch(variant, handle);
        if (canonicalHandle(variant) === canonicalHandle(handle)) return match === null;
        return match?.reason === "homoglyph";
      },
    ),
    { numRuns: 500 },
  );
});
