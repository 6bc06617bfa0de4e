/** Links (links.ts, 5.3.6/5.3.7/4.4.4) and length (length.ts, 5.3.5). */
import assert from "node:assert/strict";
import { test } from "node:test";
import twitter from "twitter-text";
import { loadChecker } from "../load.ts";
import { checkerForTests, flagged, NOW } from "../testing.ts";

const check = await checkerForTests();

test("shorteners are 5.3.7 warnings in posts, also glued to Japanese and in full width", () => {
  const cases1: [string, string][] = [
    ["ごみ収集日程の変更について、詳しくはこちら https://bit.ly/3xYzAbc", "https://bit.ly/3xYzAbc"],
    ["詳しくはこちらhttps://bit.ly/3xYzAbcです。", "https://bit.ly/3xYzAbc"],
    ["こちら→tinyurl.com/iwaki-kanko", "tinyurl.com/iwaki-kanko"],
    ["ｈｔｔｐｓ：／／ｂｉｔ．ｌｙ／ａｂｃ をご覧ください", "ｈｔｔｐｓ：／／ｂｉｔ．ｌｙ／ａｂｃ"],
    ["詳しくはこちらの記事をご覧ください https://t.co/AbCdEf123", "https://t.co/AbCdEf123"],
  ];
  for (const [text, span] of cases1) {
    const f = check(text).find((x) => x.clause === "5.3.7");
    assert.equal(f?.span, span, text);
    assert.equal(f?.severity, "warning");
    assert.deepEqual(flagged(check(text)), ["5.3.7"], text);
  }
});

test("lin.ee, forms.gle and youtu.be are warnings for review, not shortener errors even in a bio", () => {
  const bio = check(
    "いわき市広報広聴課の公式アカウントです。運用方針：https://www.city.iwaki.lg.jp/www/sns/koho.html LINE https://lin.ee/abcd",
    {
      kind: "bio",
      account: { division: "広報広聴課", homepageUrl: "https://www.city.iwaki.lg.jp/www/sns/koho.html" },
    },
  );
  const f = bio.find((x) => x.span === "https://lin.ee/abcd");
  assert.equal(f?.rule, "links.platform-short-link");
  assert.equal(f?.severity, "warning");
  assert.ok(bio.every((x) => x.severity !== "error"));
});

test("government and city domains are trusted; other domains are 5.3.6 warnings naming the domain", async () => {
  for (const text of [
    "福島県の最新の発表はこちらです。https://www.pref.fukushima.lg.jp/sec/01010a/kisya.html",
    "総務省による制度の解説ページ https://www.soumu.go.jp/menu_seisaku/index.html",
    "市ホームページ（www.city.iwaki.lg.jp/www/a.html）をご覧ください。",
  ]) {
    assert.deepEqual(flagged(check(text)), [], text);
  }
  const checker = await loadChecker();
  const text =
    "地元のニュースサイトでも紹介されました。https://www.example-news.jp/articles/2026/11/iwaki-festival";
  const result = checker.check({ text, platform: "x", kind: "post" }, NOW);
  const f = result.findings.find((x) => x.clause === "5.3.6");
  assert.ok(f?.message.includes("www.example-news.jp"));
  assert.equal(result.links?.[0]?.category, "third-party");
  assert.equal(result.links?.[0]?.domain, "www.example-news.jp");
});

test("numbers and words inside URLs are not reported as personal information", () => {
  assert.deepEqual(flagged(check("資料 https://www.city.iwaki.lg.jp/www/09012345678/sex.html")), []);
});

const checker = await loadChecker();
const run = (text: string, platform: "x" | "threads" | "bluesky" | "mastodon" | "line" | "instagram") =>
  checker.check({ text, platform, kind: "post" }, NOW);

const LONG_JA =
  "いわき市では、市民の皆さんの健康づくりを応援するため、ウォーキングイベントや健康相談会、栄養教室、スポーツ教室など、年間を通してさまざまな事業を実施しています。今年度は新たに、スマートフォンのアプリを活用したポイント制度を導入し、歩数に応じて市内の協力店舗で使えるクーポンと交換できるようになりました。";

test("X weighted length counts CJK as 2 and URLs as 23, like twitter-text", () => {
  const samples = [
    "短いお知らせです。",
    "詳しくは https://www.city.iwaki.lg.jp/www/event/winter.html をご覧ください。",
    `${LONG_JA} https://example.com/a https://bit.ly/x 👨‍👩‍👧`,
    "English text with a link https://example.org/path?x=1 and emoji 🎉",
  ];
  for (const text of samples) {
    const r = run(text, "x");
    assert.equal(r.length?.used, twitter.parseTweet(text).weightedLength, text);
    assert.equal(r.length?.limit, 280);
  }
});

test("over the X limit is a 5.3.5 error whose span starts where the text goes over", () => {
  const r = run(LONG_JA, "x");
  const f = r.findings.find((x) => x.rule === "length.platform-limit");
  assert.equal(f?.severity, "error");
  assert.equal(f?.end, LONG_JA.length);
  const before = LONG_JA.slice(0, f?.start);
  assert.ok(twitter.parseTweet(before).weightedLength <= 280);
  assert.ok(twitter.parseTweet(LONG_JA.slice(0, (f?.start ?? 0) + 1)).weightedLength > 280);
});

test("Threads 500, Bluesky 300 graphemes, LINE 500, Mastodon 500 with URLs as 23", () => {
  assert.equal(run("あ".repeat(500), "threads").findings.filter((f) => f.severity !== "info").length, 0);
  assert.ok(run("あ".repeat(501), "threads").findings.some((f) => f.rule === "length.platform-limit"));
  assert.equal(run("👨‍👩‍👧".repeat(300), "bluesky").length?.used, 300);
  assert.ok(run("👨‍👩‍👧".repeat(301), "bluesky").findings.some((f) => f.rule === "length.platform-limit"));
  assert.ok(run("あ".repeat(501), "line").findings.some((f) => f.rule === "length.platform-limit"));
  const url = `https://example.com/${"a".repeat(200)}`;
  assert.equal(run(`${"あ".repeat(470)} ${url}`, "mastodon").length?.used, 470 + 1 + 23);
});

test("long sentences and many hashtags are information only; Instagram allows 30 hashtags", () => {
  const long = run(`${"あ".repeat(130)}。`, "threads");
  assert.ok(long.findings.some((f) => f.rule === "length.long-sentence" && f.severity === "info"));
  const tags = run("#いわき #小名浜 #夕焼け #海 #港 #観光 #福島", "instagram");
  assert.deepEqual(
    tags.findings.map((f) => [f.rule, f.severity]),
    [["length.many-hashtags", "info"]],
  );
  const tooMany = Array.from({ length: 31 }, (_, i) => `#tag${i}`).join(" ");
  assert.ok(
    run(tooMany, "instagram").findings.some(
      (f) => f.rule === "length.hashtag-limit" && f.severity === "error",
    ),
  );
});

test("a URL made of adult-site words is a 5.2.9 error; the same letters inside a word are not", () => {
  const adult = check("夜のいわきはこちら https://night.example-adult.net/iwaki");
  assert.equal(adult.find((f) => f.rule === "links.adult-site")?.clause, "5.2.9");
  assert.ok(check("動画はこちら→ https://ero-douga.example.com").some((f) => f.rule === "links.adult-site"));
  for (const text of [
    "詳しくは https://www.city.iwaki.lg.jp/www/adult/index.html をご覧ください。",
    "移住体験ツアー https://www.iwaki-sextant-tours.example.jp",
    "アベニュー https://avenue.example.jp/heroes",
  ]) {
    assert.ok(!check(text).some((f) => f.clause === "5.2.9"), text);
  }
});

test("the X weighted length equals twitter-text's for every BMP character and for emoji sequences", async () => {
  const checker = await loadChecker();
  const texts = ["👨‍👩‍👧 家族で参加", "❤️いわき", "1️⃣番線", "か\u3099っこう", "Ω\u2126"];
  for (let cp = 0x20; cp < 0x10000; cp += 7) {
    if (cp < 0xd800 || cp > 0xdfff) texts.push(`あ${String.fromCodePoint(cp)}い`);
  }
  for (const text of texts) {
    const used = checker.check({ text, platform: "x", kind: "post" }, NOW).length?.used;
    assert.equal(used, twitter.parseTweet(text).weightedLength, text);
  }
});
