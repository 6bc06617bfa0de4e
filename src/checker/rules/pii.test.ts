/** Personal information (5.2.2.1): numbers and addresses (pii.ts) and people (people.ts). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkerForTests, flagged, makeCorporateNumber, makeMyNumber } from "../testing.ts";
import { isValidCorporateNumber, isValidMyNumber } from "./pii.ts";

const check = await checkerForTests();

test("mobile numbers are errors, whatever the separators and widths", () => {
  const cases1: [string, string][] = [
    ["山田さん（090-1234-5678）から", "090-1234-5678"],
    ["携帯（０９０ー１２３４ー５６７８）へ", "０９０ー１２３４ー５６７８"],
    ["問い合わせ 080 1234 5678 まで", "080 1234 5678"],
    ["連絡先07012345678です", "07012345678"],
    ["連絡先は090.1234.5678です", "090.1234.5678"],
    ["+81 90-1234-5678 までどうぞ", "+81 90-1234-5678"],
  ];
  for (const [text, span] of cases1) {
    const f = check(text).find((x) => x.rule === "pii.mobile-phone");
    assert.ok(f, text);
    assert.equal(f.span, span);
    assert.equal(f.severity, "error");
  }
});

test("office, toll-free and allow-listed numbers are not reported; a landline is when it is a person's", () => {
  for (const text of [
    "お問い合わせは市民課（電話0246-22-1111）までお願いします。",
    "フリーダイヤル0120-123-456へどうぞ。",
    "ナビダイヤル 0570-000-123",
    "平日は0246-12-3456（観光案内所）へ。",
  ]) {
    assert.deepEqual(flagged(check(text)), [], text);
  }
  const home = check("田中様（ご自宅電話0246-12-3456）からご意見をいただきました。");
  assert.ok(home.some((f) => f.rule === "pii.personal-phone" && f.span === "0246-12-3456"));
});

test("e-mail: free mail is an error, other domains a warning, city domains nothing", () => {
  const gmail = check("担当職員へのご連絡はこちらへ：tanaka.ichiro1985@gmail.com").find(
    (f) => f.rule === "pii.email",
  );
  assert.equal(gmail?.severity, "error");
  assert.equal(gmail?.span, "tanaka.ichiro1985@gmail.com");
  assert.equal(
    check("t.yamada@example.co.jp にご連絡ください").find((f) => f.rule === "pii.email")?.severity,
    "warning",
  );
  assert.equal(check("yamada(at)yahoo.co.jp へ").find((f) => f.rule === "pii.email")?.severity, "error");
  assert.deepEqual(flagged(check("メールは kohokocho@city.iwaki.lg.jp まで")), []);
  assert.deepEqual(flagged(check("問い合わせ：info@iwaki-kanko.jp")), []);
});

test("My Number and corporate number check digits", () => {
  assert.equal(isValidMyNumber("123456789018"), true);
  assert.equal(isValidMyNumber("123456789012"), false);
  assert.equal(makeMyNumber("12345678901"), "123456789018");
  const corporate = makeCorporateNumber("000020072044");
  assert.equal(isValidCorporateNumber(corporate), true);
  const wrong = `${(Number(corporate.charAt(0)) % 9) + 1}${corporate.slice(1)}`;
  assert.equal(isValidCorporateNumber(wrong), false);
  const info = check(`法人番号 ${corporate} の事業者です。`);
  assert.deepEqual(flagged(info), []);
  assert.ok(info.some((f) => f.rule === "pii.corporate-number" && f.severity === "info"));
});

test("a My Number next to a keyword is an error; a random 12-digit number is not", () => {
  const f = check("マイナンバーカード（番号 1234 5678 9018）を拾得しました。").find(
    (x) => x.rule === "pii.my-number",
  );
  assert.equal(f?.span, "1234 5678 9018");
  assert.equal(f?.severity, "error");
  assert.deepEqual(flagged(check("受付番号 1234 5678 9018 の方は窓口へ。")), []);
  assert.deepEqual(flagged(check("マイナンバー 1234 5678 9012 と書かれた紙")), []);
});

test("bank accounts after 口座/普通 are errors unless the account is the city's", () => {
  const f = check("田中さんの口座（普通 7654321）に振り込みました。").find(
    (x) => x.rule === "pii.bank-account",
  );
  assert.equal(f?.span, "7654321");
  assert.deepEqual(flagged(check("振込先：普通預金 1234567 口座名義 いわき市会計管理者")), []);
  assert.deepEqual(flagged(check("受付番号1234567の方")), []);
});

test("car number plates are errors", () => {
  const f = check("車両ナンバーはいわき500さ12-34です。").find((x) => x.rule === "pii.car-plate");
  assert.equal(f?.span, "いわき500さ12-34");
  assert.deepEqual(flagged(check("第3回は12月13日に開催します。")), []);
});

test("a private person's name with さん/様/くん is an error spanning the name", () => {
  const cases: [string, string][] = [
    ["本日、市民の山田花子さんから貴重なご意見をいただきました。", "山田花子さん"],
    ["ご意見をお寄せいただいた佐藤様に職員が説明しました。", "佐藤様"],
    ["受賞した小野寺さんの作品を展示しています。", "小野寺さん"],
    ["陽翔くんが元気に走りました。", "陽翔くん"],
    ["留学生のミシェルさんが参加しました。", "ミシェルさん"],
  ];
  for (const [text, span] of cases) {
    const f = check(text).find((x) => x.rule === "pii.person-name");
    assert.ok(f, text);
    assert.equal(f.span, span);
    assert.equal(f.severity, "error");
    assert.equal(f.clause, "5.2.2.1");
  }
});

test("皆さん, お客様, 市長さん, officials with titles and shops are not personal names", () => {
  for (const text of [
    "皆さん、お客様、市長さん、ありがとうございました。",
    "市長の内田広之が視察しました。",
    "山田市長さんが挨拶しました。",
    "八百屋さんと魚屋さんが出店します。",
    "農家さんやスタッフさんに感謝します。",
    "毎日ちゃんと手を洗いましょう。",
    "様々なイベントがあります。氏名と住所をご記入ください。",
    "お子さんとご家族の皆様でお越しください。",
    "いわき市観光キャラクター「フラおじさん」です！",
  ]) {
    assert.deepEqual(flagged(check(text)), [], text);
  }
});

test("a lecturer or guest named in their public role is only information", () => {
  const found = check("講師の山田太郎さんによる講演会を開催します。");
  assert.deepEqual(flagged(found), []);
  assert.ok(found.some((f) => f.rule === "pii.person-name-public-role" && f.severity === "info"));
});

test("dates of birth tied to a person are errors; eligibility ranges are not reported", () => {
  const found = check("中に運転免許証（山本一郎様、昭和55年3月2日生まれ）が入っていました。");
  assert.ok(
    found.some(
      (f) => f.rule === "pii.birth-date" && f.span === "昭和55年3月2日生まれ" && f.severity === "error",
    ),
  );
  for (const text of [
    "昭和30年4月2日以降生まれの方が対象です。",
    "平成30年4月2日から平成31年4月1日生まれのお子さんが対象です。",
  ]) {
    assert.equal(check(text).filter((f) => f.rule === "pii.birth-date").length, 0, text);
  }
});

test("ages: next to a name it is an error; age brackets are not reported", () => {
  const named = check("佐藤さん（45）が優勝しました。");
  assert.ok(named.some((f) => f.rule === "pii.age" && f.span === "（45）" && f.severity === "error"));
  const decade = check("市内在住の80歳の女性が表彰されました。");
  assert.ok(decade.some((f) => f.rule === "pii.age" && f.severity === "warning"));
  for (const text of [
    "65歳以上の方は無料です。",
    "3歳児健診のお知らせです。",
    "満20歳になる方を祝う式典です。",
  ]) {
    assert.equal(check(text).filter((f) => f.rule === "pii.age").length, 0, text);
  }
});

test("a person's street address is an error; a facility's address is not", () => {
  const home = check("ご意見をお寄せいただいた佐藤様のご自宅（いわき市平字大町12番地3）へ職員が伺いました。");
  const f = home.find((x) => x.rule === "pii.address");
  assert.ok(f);
  assert.equal(f.span, "いわき市平字大町12番地3");
  const withPostal = check("田中さんのお宅（〒970-8026 平字大町12番地3）を訪問しました。").find(
    (x) => x.rule === "pii.address",
  );
  assert.ok(withPostal?.span.startsWith("〒970-8026"));
  for (const text of [
    "会場：いわき市文化センター（いわき市平字堂根町1-4）",
    "講師の山田さんが、いわき市文化センター（平字堂根町1-4）で講演します。",
    "市役所（〒970-8686 いわき市平字梅本21）までお越しください。",
  ]) {
    assert.equal(
      check(text).filter((x) => x.rule === "pii.address" && x.severity !== "info").length,
      0,
      text,
    );
  }
});

test("a public role right before the name (or a list after it) is information; a participant is not", () => {
  const cast = check("出演：山田太郎さん、佐藤花子さん");
  assert.deepEqual(
    cast.map((f) => [f.rule, f.span]),
    [
      ["pii.person-name-public-role", "山田太郎さん"],
      ["pii.person-name-public-role", "佐藤花子さん"],
    ],
  );
  const participant = check("本日の講演会で、参加者の伊藤美咲さんから質問がありました。");
  assert.equal(participant.find((f) => f.span === "伊藤美咲さん")?.rule, "pii.person-name");
});

test("a resident named without an honorific, with an age, a school, an occupation or a charge, is an error", () => {
  const cases: [string, string][] = [
    ["市内在住の会社員、木村正人（45）が書類送検されたとのことです。", "木村正人"],
    ["いわき市平、無職、斉藤和夫容疑者（68）が逮捕されました。", "斉藤和夫容疑者"],
    ["表彰者：佐久間 美咲（平第一高校２年）", "佐久間 美咲"],
    ["窓口で暴言を吐いた男性は、内郷の森田という人です。", "森田"],
    ["平第五小2年の高橋そうたくん、青い帽子をかぶっています。", "高橋そうたくん"],
    ["ゆうくん（５さい）とママが遊びに来てくれました！", "ゆうくん"],
    ["表彰式では、中学校３年　中村 陽菜 さんの作文が選ばれました。", "中村 陽菜 さん"],
    ["市立病院に入院中の渡部さん（小名浜在住）は回復しています。", "渡部さん"],
  ];
  for (const [text, span] of cases) {
    const f = check(text).find((x) => x.rule === "pii.person-name");
    assert.equal(f?.span, span, text);
    assert.equal(f?.severity, "error", text);
  }
  for (const text of [
    "担当：広報広聴課　佐藤（内線1234）",
    "お問い合わせ：市民協働課　担当　鈴木・佐藤",
    "本日の窓口担当は、市民課の伊藤と阿部です。",
    "市長の内田広之が、被災地を視察しました。",
    "市ゆかりの詩人、草野心平の企画展を開催します。",
    "夜間は守衛さんが常駐しています。",
    "わんちゃん（3さい）の写真コンテストを開きます。",
  ]) {
    assert.deepEqual(flagged(check(text)), [], text);
  }
});
