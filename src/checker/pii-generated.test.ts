/** Personal information rules on generated Japanese data (faker ja: names, addresses, phones). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { fakerJA as faker } from "@faker-js/faker";
import { checkerForTests, flagged, makeMyNumber } from "./testing.ts";

const check = await checkerForTests();
faker.seed(20251120);

const SEPARATORS = ["-", "－", "ー", " ", "　", "", ".", "‐", "−"];

function mobile(): string {
  const digits = `0${faker.helpers.arrayElement(["7", "8", "9"])}0${faker.string.numeric(8)}`;
  const sep = faker.helpers.arrayElement(SEPARATORS);
  const formatted = `${digits.slice(0, 3)}${sep}${digits.slice(3, 7)}${sep}${digits.slice(7)}`;
  return faker.datatype.boolean() ? formatted.normalize("NFKC") : toFullWidth(formatted);
}

function toFullWidth(s: string): string {
  return s.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
}

test("generated names with honorifics are reported as personal names", () => {
  let found = 0;
  const total = 200;
  for (let i = 0; i < total; i++) {
    const name = `${faker.person.lastName()}${faker.datatype.boolean() ? faker.person.firstName() : ""}`;
    const honorific = faker.helpers.arrayElement(["さん", "様", "さま", "くん", "ちゃん", "氏"]);
    const text = `${faker.helpers.arrayElement(["本日、", "受賞者の", "市民の", "昨日、"])}${name}${honorific}から${faker.helpers.arrayElement(["ご意見をいただきました。", "お便りが届きました。", "作品が寄せられました。"])}`;
    if (check(text).some((f) => f.rule === "pii.person-name" && f.span.endsWith(honorific))) found++;
  }
  // The dictionary does not know every generated name; most must still be found.
  assert.ok(found / total >= 0.9, `found ${found}/${total}`);
});

test("generated mobile numbers are always found, in any width and with odd separators", () => {
  for (let i = 0; i < 300; i++) {
    const number = mobile();
    const text = `${faker.person.lastName()}さんの連絡先は${number}です。`;
    const f = check(text).find((x) => x.rule === "pii.mobile-phone");
    assert.equal(f?.span, number, text);
  }
});

test("generated landline office numbers without a person are not reported", () => {
  for (let i = 0; i < 200; i++) {
    const number = `0246-${faker.string.numeric(2)}-${faker.string.numeric(4)}`;
    const text = `お問い合わせは${faker.helpers.arrayElement(["市民課", "観光振興課", "こども家庭課"])}（${number}）まで。`;
    assert.deepEqual(flagged(check(text)), [], text);
  }
});

test("generated personal addresses are reported; the same address of a facility is not", () => {
  for (let i = 0; i < 150; i++) {
    const street = `${faker.location.city()}${faker.number.int({ min: 1, max: 9 })}丁目${faker.number.int({ min: 1, max: 30 })}番${faker.number.int({ min: 1, max: 20 })}号`;
    const person = `${faker.person.lastName()}様のご自宅（${faker.location.state()}${street}）を訪問しました。`;
    assert.ok(
      check(person).some((f) => f.rule === "pii.address" && f.severity === "error"),
      person,
    );
    const facility = `会場：市民センター（${faker.location.state()}${street}）`;
    assert.equal(check(facility).filter((f) => f.rule === "pii.address").length, 0, facility);
  }
});

test("My Numbers with a valid check digit next to a keyword are found; invalid or keyword-less ones are not", () => {
  for (let i = 0; i < 300; i++) {
    const valid = makeMyNumber(faker.string.numeric(11));
    const wrongDigit = (Number(valid.charAt(11)) + 1 + faker.number.int({ max: 8 })) % 10;
    const invalid = `${valid.slice(0, 11)}${wrongDigit}`;
    const spaced = (n: string) => `${n.slice(0, 4)} ${n.slice(4, 8)} ${n.slice(8)}`;
    const keyword = faker.helpers.arrayElement(["マイナンバー", "個人番号", "通知カード"]);
    assert.ok(
      check(`${keyword}は${spaced(valid)}です。`).some((f) => f.rule === "pii.my-number"),
      `valid ${valid}`,
    );
    assert.ok(
      !check(`${keyword}は${spaced(invalid)}です。`).some((f) => f.rule === "pii.my-number"),
      `invalid ${invalid}`,
    );
    assert.deepEqual(flagged(check(`受付番号 ${spaced(valid)} の方は窓口へ。`)), [], `no keyword ${valid}`);
  }
});
