/**
 * The password rules a person meets when choosing a password, and how it is checked at sign-in
 * (OWASP ASVS 5.0 V6.2, V11.4.2): at least 8 and up to 128 characters of any kind, no
 * composition rules, the common-password list refused, checked exactly as typed (no truncation,
 * no case folding, no Unicode normalisation), stored as argon2id with the documented parameters.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { hashPassword, passwordProblem, verifyPassword } from "./passwords.ts";

test("8 characters are enough and 7 are not; a character is a code point, so 8 kanji count as 8", () => {
  assert.match(passwordProblem("zq7#kvb") ?? "", /8文字以上/);
  assert.equal(passwordProblem("zq7#kvbw"), null);
  assert.match(passwordProblem("市役所広報広聴") ?? "", /8文字以上/);
  assert.equal(passwordProblem("市役所広報広聴課"), null);
});

test("64 and 128 characters are accepted; 129 are refused with the limit named", () => {
  const phrase = "いわき市の海は今日も青くて静かです。";
  const of = (n: number) => [...phrase.repeat(10)].slice(0, n).join("");
  assert.equal(passwordProblem(of(64)), null);
  assert.equal(passwordProblem(of(128)), null);
  assert.match(passwordProblem(of(129)) ?? "", /128文字以内/);
});

test("no composition rules: lower case only, digits and spaces, or kana only are all accepted", () => {
  for (const password of [
    "zqxjkvbwplmnrt",
    "9274 8163 5502",
    "とてもながいあいことばです",
    "correct horse battery",
  ]) {
    assert.equal(passwordProblem(password), null, password);
  }
});

test("every password on the shipped list of 3,000 is refused, in any letter case", () => {
  const list = readFileSync(new URL("./data/common-passwords.txt", import.meta.url), "utf8")
    .split("\n")
    .filter((line) => line.length > 0);
  assert.equal(list.length, 3000);
  assert.ok(
    list.every((p) => [...p].length >= 8),
    "the list holds only passwords the length rule would let through",
  );
  const accepted = list.filter(
    (p) => passwordProblem(p) === null || passwordProblem(p.toUpperCase()) === null,
  );
  assert.deepEqual(accepted, []);
  assert.match(passwordProblem("PassWord") ?? "", /よく使われていて/);
});

test("the password equal to the login ID is refused", () => {
  assert.match(
    passwordProblem("kouhou@city.example.lg.jp", { login: "Kouhou@city.example.lg.jp" }) ?? "",
    /ログインID/,
  );
});

test("a password is checked exactly as typed: no truncation, no case folding, no normalisation", async () => {
  const long = `${"a".repeat(127)}b`;
  const typed = "Ｐａｓｓ ワード Mixed Case 12";
  const longHash = await hashPassword(long);
  const typedHash = await hashPassword(typed);
  assert.equal(await verifyPassword(longHash, long), true);
  assert.equal(await verifyPassword(longHash, `${"a".repeat(127)}c`), false, "the 128th character counts");
  assert.equal(await verifyPassword(longHash, "a".repeat(127)), false, "no truncation");
  assert.equal(await verifyPassword(typedHash, typed), true);
  for (const variant of [
    typed.toLowerCase(),
    typed.toUpperCase(),
    typed.normalize("NFKC"),
    `${typed} `,
    ` ${typed}`,
    typed.slice(0, -1),
  ]) {
    assert.equal(await verifyPassword(typedHash, variant), false, JSON.stringify(variant));
  }
});

test("passwords are stored as argon2id, m=19456 KiB, t=2, p=1, salted (two hashes of one password differ)", async () => {
  const first = await hashPassword("a long enough passphrase");
  const second = await hashPassword("a long enough passphrase");
  assert.match(first, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  assert.notEqual(first, second);
  assert.ok(!first.includes("a long enough passphrase"));
});

test("with no stored hash (an unknown login ID) the check still runs and fails", async () => {
  assert.equal(await verifyPassword(undefined, "anything at all"), false);
  assert.equal(await verifyPassword(null, ""), false);
});
