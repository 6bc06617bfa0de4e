import assert from "node:assert/strict";
import { test } from "node:test";
import { check, checkInputSchema, loadChecker, readDefaultPack } from "./index.ts";
import { vocabEntrySchema } from "./pack.ts";
import { NOW } from "./testing.ts";

test("check() before loadChecker() has finished throws a clear error", () => {
  assert.throws(() => check({ text: "テスト", platform: "x", kind: "post" }), /await loadChecker\(\)/);
});

test("loadChecker() is memoised and check() then works synchronously", async () => {
  const a = await loadChecker();
  const b = await loadChecker();
  assert.equal(a, b);
  const result = check({ text: "山田花子さん（090-1234-5678）", platform: "x", kind: "post" }, NOW);
  assert.deepEqual(
    result.findings.map((f) => f.rule),
    ["pii.person-name", "pii.mobile-phone"],
  );
  assert.equal(result.length?.limit, 280);
});

test("messages cite the clause the way the guideline numbers it", async () => {
  const checker = await loadChecker();
  const [f] = checker.check({ text: "連絡先 090-1234-5678", platform: "x", kind: "post" }, NOW).findings;
  assert.equal(f?.message, "個人の携帯電話番号が含まれています（第5-2(2)① 個人情報）。");
  assert.match(f?.hint ?? "", /同意/);
});

test("a pack passed in changes the rules without touching the default checker", async () => {
  const pack = await readDefaultPack();
  pack.links.trustedDomains.push("example-news.jp", "*.example-news.jp");
  pack.phones.allow.push("090-1234-5678");
  pack.vocabulary.entries.push(
    vocabEntrySchema.parse({ term: "ダメ市役所", clause: "5.2.6", severity: "error", match: "substring" }),
  );
  const custom = await loadChecker({ pack });
  const text = "連絡先 090-1234-5678 https://www.example-news.jp/a ダメ市役所";
  const rules = custom.check({ text, platform: "x", kind: "post" }, NOW).findings.map((f) => f.rule);
  assert.deepEqual(rules, ["vocab.insult"]);
  const defaults = (await loadChecker())
    .check({ text, platform: "x", kind: "post" }, NOW)
    .findings.map((f) => f.rule);
  assert.deepEqual(defaults, ["pii.mobile-phone", "links.third-party"]);
});

test("an invalid pack is refused with the reason", async () => {
  const pack = await readDefaultPack();
  pack.vocabulary.entries.push(
    vocabEntrySchema.parse({ term: "x", clause: "5.2.6", unless: ["no-such-context"] }),
  );
  await assert.rejects(loadChecker({ pack }), /unknown context group "no-such-context"/);
});

test("the input schema drops unknown fields, defaults kind to post and checks dates", () => {
  const parsed = checkInputSchema.parse({ id: "p1", expect: [], text: "a", platform: "x" });
  assert.deepEqual(parsed, { text: "a", platform: "x", kind: "post" });
  assert.equal(
    checkInputSchema.safeParse({ text: "a", platform: "x", postDate: "2025-13-01" }).success,
    false,
  );
  assert.equal(checkInputSchema.safeParse({ text: "a", platform: "myspace" }).success, false);
  assert.equal(checkInputSchema.safeParse({ text: "a".repeat(20001), platform: "x" }).success, false);
  assert.equal(
    checkInputSchema.safeParse({ text: "a", platform: "x", embargoUntil: "2026-04-01T09:00:00+09:00" })
      .success,
    true,
  );
});
