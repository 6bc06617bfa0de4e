import assert from "node:assert/strict";
import { test } from "node:test";
import { AppError } from "../errors.ts";
import { email, isStorableText, optionalText, parse, text } from "./validate.ts";

test("text fields refuse a NUL and a lone surrogate, naming the field; pairs and tabs are fine", () => {
  for (const bad of ["山田\u0000太郎", "\u0000", "x\ud800", "\udc00y", "\ud83d"]) {
    assert.equal(isStorableText(bad), false, JSON.stringify(bad));
    for (const schema of [text("氏名"), optionalText("氏名")]) {
      assert.throws(
        () => parse(schema, bad),
        (e: unknown) =>
          e instanceof AppError &&
          e.status === 422 &&
          e.message ===
            "氏名に使用できない文字（NUL文字や不完全なサロゲート文字）が含まれています。入力し直してください。",
      );
    }
  }
  assert.throws(() => parse(email(), "a\u0000@city.example.lg.jp"), /メールアドレスに使用できない文字/);
  for (const good of ["山田 太郎", "🐟", "行1\n行2\t", ""]) assert.equal(isStorableText(good), true, good);
  assert.equal(parse(text("氏名"), " 山田🐟 "), "山田🐟");
  assert.throws(() => parse(text("氏名"), ""), /氏名を入力してください/);
});
