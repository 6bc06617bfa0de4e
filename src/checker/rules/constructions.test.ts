/**
 * The phrase-rule engine on a small pack of its own: slots in one sentence or two, order and
 * gaps, `unless` lists and contexts, `!` exceptions, reported quotations, built-in slots and the
 * errors a pack author sees.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { compilePack } from "../compile.ts";
import { createChecker } from "../engine.ts";
import { readDefaultPack, readLists } from "../load.ts";
import { loadMorphology } from "../morph/load.ts";
import { type CheckerPack, type CheckerPackInput, type Constructions, checkerPackSchema } from "../pack.ts";
import { NOW, seen } from "../testing.ts";

const base = await readDefaultPack();
const lists = await readLists(base);
const morph = await loadMorphology();

/** A checker whose only phrase rules are `constructions` (the rest of the pack as shipped). */
function checkerWith(constructions: Constructions) {
  const pack: CheckerPack = { ...base, constructions };
  const checker = createChecker(compilePack(pack, lists), morph);
  return (text: string) =>
    seen(text, checker.check({ text, platform: "x", kind: "post" }, NOW)).filter((f) =>
      f.rule.startsWith("test."),
    );
}

const rule = {
  clause: "5.2.7",
  severity: "error" as const,
  scope: "sentence" as const,
  ordered: false,
  unless: [] as string[],
  unlessScope: "match" as const,
  message: "「{who}」を「{what}」表現です",
  hint: "書き直してください。",
};

test("all slots in one sentence make a finding whose message quotes each slot", () => {
  const check = checkerWith({
    terms: { who: ["外国籍の方"], what: ["お断り"] },
    rules: [{ ...rule, id: "test.exclusion", slots: ["who", "what"] }],
  });
  const [f, ...rest] = check("外国籍の方のご利用はお断りしています。");
  assert.deepEqual(rest, []);
  assert.equal(f?.clause, "5.2.7");
  assert.equal(f?.span, "外国籍の方のご利用はお断り");
  assert.deepEqual(check("ご利用はお断りしています。外国籍の方も参加できます。"), []);
  assert.deepEqual(check("外国籍の方も参加できます。"), []);
});

test("an adjacent scope reaches into the next sentence, and only that far", () => {
  const check = checkerWith({
    terms: { who: ["外国人"], what: ["迷惑な存在"] },
    rules: [{ ...rule, id: "test.judgement", slots: ["who", "what"], scope: "adjacent" }],
  });
  assert.equal(check("南口に外国人の若者が集まっています。はっきり言って迷惑な存在です。").length, 1);
  assert.deepEqual(check("南口に外国人の若者が集まっています。今日は晴れです。迷惑な存在です。"), []);
});

test("unless lists and vocabulary contexts silence the match; `next` also looks one sentence on", () => {
  const terms = { who: ["補助犬"], what: ["ご遠慮ください"], protect: ["除きます", "差別"] };
  const check = checkerWith({
    terms,
    rules: [{ ...rule, id: "test.exclusion", slots: ["who", "what"], unless: ["protect", "reportedSpeech"] }],
  });
  assert.deepEqual(check("ペットや補助犬の入館はご遠慮ください（補助犬は除きます）。"), []);
  assert.deepEqual(check("「補助犬はご遠慮ください」という声がありますが誤りです。"), []); // context group
  assert.equal(check("補助犬の入館はご遠慮ください。ただし補助犬は除きます。").length, 1);
  const next = checkerWith({
    terms,
    rules: [
      { ...rule, id: "test.exclusion", slots: ["who", "what"], unless: ["protect"], unlessScope: "next" },
    ],
  });
  assert.deepEqual(next("補助犬の入館はご遠慮ください。ただし補助犬は除きます。"), []);
});

test("an exception term (`!…`) removes the list's shorter terms inside it", () => {
  const check = checkerWith({
    terms: { who: ["会社"], what: ["最低", "!最低気温"] },
    rules: [{ ...rule, id: "test.defamation", slots: ["who", "what"] }],
  });
  assert.deepEqual(check("会社の周りは最低気温が氷点下です。"), []);
  assert.equal(check("あの会社は最低です。").length, 1);
});

test("ordered slots must come in order and within their gaps", () => {
  const check = checkerWith({
    terms: { event: ["発表"], before: ["前"], leak: ["お知らせ"] },
    rules: [
      {
        ...rule,
        id: "test.release",
        clause: "5.2.2.2",
        slots: ["event", "before", "leak"],
        ordered: true,
        maxGaps: [2, 30],
      },
    ],
  });
  assert.equal(check("発表前ですが、新しい名前をお知らせします。").length, 1);
  assert.deepEqual(check("お知らせします。発表前です。"), []);
  assert.deepEqual(check("発表会のあとで、練習の前にお知らせします。"), []);
});

test("slot text inside a quotation the post only reports does not count", () => {
  const check = checkerWith({
    terms: { act: ["路上駐車"], ok: ["大丈夫"] },
    rules: [{ ...rule, id: "test.licence", clause: "5.2.1", slots: ["act", "ok"] }],
  });
  assert.deepEqual(check("「みんなやっているから大丈夫」と路上駐車をしていませんか。"), []);
  assert.equal(check("短時間なら路上駐車しても大丈夫です。").length, 1);
});

test("the @person slot holds the names the name rules found", () => {
  const check = checkerWith({
    terms: { bad: ["常識のない"] },
    rules: [{ ...rule, id: "test.person", clause: "5.2.6", slots: ["@person", "bad"] }],
  });
  assert.equal(check("毎日電話してくる高木さんは、常識のない人です。").length, 1);
  assert.deepEqual(check("毎日電話してくる方は、常識のない人ではありません。").length, 0);
});

test("a pack naming a list that does not exist is refused with the list's name", () => {
  const pack: CheckerPack = {
    ...base,
    constructions: { terms: {}, rules: [{ ...rule, id: "test.broken", slots: ["nowhere"] }] },
  };
  assert.throws(() => compilePack(pack, lists), /unknown term list "nowhere"/);
});

test("a pack written before phrase rules existed still loads, with none", () => {
  const { constructions: _, ...old } = base;
  const input: CheckerPackInput = old;
  assert.deepEqual(checkerPackSchema.parse(input).constructions, { terms: {}, rules: [] });
});
