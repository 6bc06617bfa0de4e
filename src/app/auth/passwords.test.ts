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

// Context-specific words (ASVS 6.1.2, 6.2.11): the rule in password-words.ts.

const person = {
  login: "yotsukura-y@city.iwaki.lg.jp",
  employeeNo: "D0010",
  email: "yotsukura-y@city.iwaki.lg.jp",
  name: "四倉 由美",
  kana: "ヨツクラ ユミ",
  units: [
    { name: "総合政策部", kana: "そうごうせいさくぶ", code: "seisaku" },
    { name: "広報広聴課", kana: "こうほうこうちょうか", code: "kouhou" },
  ],
  cityName: "いわき市",
};

test("the city's name with a year and a symbol is refused, in any form people type it", () => {
  for (const password of [
    "Iwaki2026!",
    "いわき市1234",
    "イワキ2026!!",
    "磐城市20260401",
    "iwaki city 2026",
    "IwakiCity#1",
    "2026iwaki!",
  ]) {
    assert.match(passwordProblem(password, person) ?? "", /市の名前をもとにした/, password);
  }
});

test("full-width and half-width variants are refused like the plain ones", () => {
  for (const password of [
    "ＩＷＡＫＩ２０２６！",
    "ｲﾜｷ2026!!",
    "ｓｎｓｇｏｖ１２３４",
    "ＹＡＭＡＤＡ１９８５",
  ]) {
    assert.notEqual(
      passwordProblem(password, { ...person, name: "山田 太郎", kana: "やまだ たろう" }),
      null,
      password,
    );
  }
  assert.match(passwordProblem("ｓｎｓｇｏｖ１２３４", person) ?? "", /システム名/);
});

test("the city's name comes from the configuration: another city's name is refused there", () => {
  const kumamoto = { cityName: "熊本市" };
  assert.match(passwordProblem("熊本市2026!", kumamoto) ?? "", /市の名前/);
  assert.match(passwordProblem("熊本20260101", kumamoto) ?? "", /市の名前/);
  assert.equal(passwordProblem("熊本20260101"), null, "without the configured name it is not a context word");
});

test("the person's name in kanji, kana and romaji with digits is refused, naming 氏名", () => {
  for (const password of [
    "yotsukura1985",
    "Yumi19850412",
    "yumiyotsukura!",
    "よつくらゆみ1234",
    "ヨツクラ ユミ 2026",
    "四倉由美0412",
    "Yotsukura Yumi 1",
  ]) {
    assert.match(passwordProblem(password, person) ?? "", /ご自身の氏名/, password);
  }
  const taro = { name: "大野 太郎", kana: "おおの たろう" };
  for (const password of ["tarou2026", "taro2026!", "ohno12345", "ono123456", "oono12345"]) {
    assert.match(passwordProblem(password, taro) ?? "", /氏名/, password);
  }
});

test("login ID, e-mail address and its local part, and the person's units with digits are refused", () => {
  assert.match(passwordProblem("D0010-2026", person) ?? "", /ログインID/);
  assert.match(passwordProblem("yotsukura-y2026", person) ?? "", /メールアドレス/);
  assert.match(passwordProblem("kouhou2026!", person) ?? "", /所属（部・課）/);
  assert.match(passwordProblem("広報広聴課2026", person) ?? "", /所属/);
  assert.match(passwordProblem("総合政策2026!", person) ?? "", /所属/);
  assert.match(passwordProblem("kouhoukouchouka1", person) ?? "", /所属/);
});

test("the platforms' names as a base are refused; the same word inside other words is not", () => {
  assert.match(passwordProblem("instagram2026!", person) ?? "", /SNSのサービス名/);
  assert.match(passwordProblem("Twitter123", person) ?? "", /SNSのサービス名/);
  assert.equal(passwordProblem("lineage of kings", person), null);
  assert.equal(passwordProblem("facebookの友だち100人", person), null);
});

test("a long passphrase that merely contains a context word is accepted", () => {
  for (const password of [
    "いわきの海で見た夏の花火は忘れない",
    "iwaki harbor at dawn",
    "四倉の海岸で由美と見た朝日",
    "snsgov is what we use at work",
    "市役所広報広聴課",
  ]) {
    assert.equal(passwordProblem(password, person), null, password);
  }
});

test("the word plus more than a short suffix of digits and symbols is accepted (not a composition rule)", () => {
  assert.notEqual(passwordProblem("iwaki1234567890", person), null, "10 digits still count as a suffix");
  assert.equal(passwordProblem("iwaki12345678901", person), null, "11 are no longer a predictable suffix");
});

test("the message names the kind of word and never repeats the password or the word", () => {
  for (const password of ["Iwaki2026!", "yotsukura1985", "kouhou2026!", "snsgov2026"]) {
    const message = passwordProblem(password, person) ?? "";
    assert.ok(message.length > 0, password);
    const lower = message.toLowerCase();
    assert.ok(!lower.includes(password.toLowerCase()), message);
    for (const word of ["iwaki", "yotsukura", "kouhou", "snsgov", "2026"])
      assert.ok(!lower.includes(word), message);
  }
});

test("with the context given, the earlier rules still come first and hold", () => {
  assert.match(passwordProblem("Iwaki1!", person) ?? "", /8文字以上/);
  assert.match(passwordProblem("password", person) ?? "", /よく使われていて/);
  assert.match(passwordProblem("Yotsukura-Y@City.Iwaki.lg.jp", person) ?? "", /ログインIDと同じ/);
  assert.equal(passwordProblem("correct horse battery", person), null);
});
