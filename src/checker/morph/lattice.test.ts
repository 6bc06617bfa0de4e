/**
 * The compact IPADIC tokenizer gives exactly kuromoji's tokens (surface, offsets, parts of speech,
 * conjugated and base forms, known/unknown) on the corpora and on random mixed-script text.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import fc from "fast-check";
import { loadKuromoji } from "./kuromoji.ts";
import { loadMorphology } from "./load.ts";

const [kuromoji, compact] = await Promise.all([loadKuromoji(), loadMorphology()]);

function corpusTexts(): string[] {
  const out: string[] = [];
  for (const name of ["dev.jsonl", "held-out.jsonl"]) {
    const text = readFileSync(new URL(`../../../test/fixtures/checker/${name}`, import.meta.url), "utf8");
    for (const line of text.split("\n")) {
      if (!line.trim()) continue;
      const parsed: unknown = JSON.parse(line);
      if (
        typeof parsed === "object" &&
        parsed !== null &&
        "text" in parsed &&
        typeof parsed.text === "string"
      ) {
        out.push(parsed.text, parsed.text.normalize("NFKC"));
      }
    }
  }
  return out;
}

test("the same tokens as kuromoji on every corpus post (as typed and normalised)", () => {
  const texts = corpusTexts();
  assert.ok(texts.length > 800);
  for (const t of texts) assert.deepEqual(compact.tokenize(t), kuromoji.tokenize(t), t);
});

test("the same tokens as kuromoji on random text mixing scripts, symbols and emoji", () => {
  const chars = [
    ..."あいうえおかがきくけこさしすせそただちっつてでとなにのはばぱひふへほまみむめもやゆよらりるれろわをんー",
    ..."アイウエオカガキクケコサシスセソタダチッツテデトナニノハバパヒフヘホマミムメモヤユヨラリルレロワヲンー",
    ..."日本市役所東京都山田太郎花子会社員逮捕容疑者学校年月日時分円歳外国人障害者鍵番号",
    ..."ABCxyz0123456789０１２ＡＢ",
    ..."、。！？「」（）・：…〜 　!?.,-_/@#",
    "😀",
    "👍🏻",
    "𠮷",
    ..."αβγабв",
  ];
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...chars), { minLength: 1, maxLength: 60 }), (parts) => {
      const text = parts.join("");
      assert.deepEqual(compact.tokenize(text), kuromoji.tokenize(text), text);
    }),
    { numRuns: 400, seed: 20260610 },
  );
});
