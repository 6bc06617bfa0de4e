/** Profiles (profile.ts), corrections (correction.ts), dates (dates.ts) and rights (rights.ts). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkerForTests, flagged } from "../testing.ts";

const check = await checkerForTests();

const koho = {
  division: "広報広聴課",
  homepageUrl: "https://www.city.iwaki.lg.jp/www/sns/koho.html",
  character: false,
};

test("a complete bio has no findings", () => {
  const text =
    "いわき市広報広聴課の公式アカウントです。市政情報やイベント情報を発信します。運用方針（メディアポリシー）：https://www.city.iwaki.lg.jp/www/sns/koho.html";
  assert.deepEqual(check(text, { kind: "bio", account: koho }), []);
});

test("a bio without the policy and the homepage URL is a 4.4.3 error", () => {
  const found = check("いわき市の公式アカウントです。市政情報やイベント情報を発信します。", {
    kind: "bio",
    account: koho,
  });
  assert.deepEqual(flagged(found), ["4.4.3"]);
  assert.ok(found.some((f) => f.rule === "profile.no-media-policy"));
  assert.ok(found.some((f) => f.rule === "profile.no-homepage"));
});

test("a shortener in a bio is a 4.4.4 error (and the homepage cannot be verified)", () => {
  const found = check("いわき市観光振興課の公式アカウント。メディアポリシー https://bit.ly/iwk-mp", {
    kind: "bio",
    account: { division: "観光振興課", homepageUrl: "https://www.city.iwaki.lg.jp/www/sns/kanko.html" },
  });
  assert.deepEqual(flagged(found), ["4.4.4"]);
});

test("another page of the city site is a warning; a bio naming neither city nor division is 5.3.1", () => {
  const other = check("いわき市広報広聴課です。運用方針：https://www.city.iwaki.lg.jp/www/index.html", {
    kind: "bio",
    account: koho,
  });
  assert.ok(other.some((f) => f.rule === "profile.homepage-mismatch" && f.severity === "warning"));
  const anonymous = check("公式アカウントです。運用方針：https://www.city.iwaki.lg.jp/www/sns/koho.html", {
    kind: "bio",
    account: koho,
  });
  assert.ok(anonymous.some((f) => f.clause === "5.3.1" && f.severity === "warning"));
});

test("a registered character does not need the division", () => {
  const found = check(
    "いわき市観光キャラクター「フラおじさん」です！運用方針：https://www.city.iwaki.lg.jp/www/sns/kanko.html",
    {
      kind: "bio",
      platform: "instagram",
      account: {
        division: "観光振興課",
        homepageUrl: "https://www.city.iwaki.lg.jp/www/sns/kanko.html",
        character: true,
      },
    },
  );
  assert.deepEqual(found, []);
});

test("a correction must say it corrects (5.3.3)", () => {
  const missing = check("健康まつりの開催日は11月16日（日）です。よろしくお願いします。", {
    kind: "correction",
    postDate: "2025-11-10",
  });
  const f = missing.find((x) => x.rule === "correction.no-marker");
  assert.equal(f?.severity, "error");
  assert.equal(f?.span, "健康まつりの開催日は11月16日（日）です。");
  for (const text of [
    "昨日お知らせした健康まつりの開催日に誤りがありました。正しくは11月16日（日）です。",
    "【訂正】昨日お知らせした健康まつりの開催日に誤りがありました。正しくは11月16日（日）です。お詫びして訂正いたします。",
  ]) {
    assert.deepEqual(flagged(check(text, { kind: "correction", postDate: "2025-11-10" })), [], text);
  }
});

test("the same text as an ordinary post needs no marker", () => {
  assert.deepEqual(
    flagged(check("健康まつりの開催日は11月16日（日）です。", { postDate: "2025-11-10" })),
    [],
  );
});

test("a weekday that does not match its date is a 5.1.5 warning (year from the post date)", () => {
  const f = check("【お知らせ】12月7日（土）は、市役所本庁舎の臨時開庁日です。", {
    postDate: "2025-11-20",
  }).find((x) => x.rule === "dates.weekday-mismatch");
  assert.equal(f?.span, "12月7日（土）");
  assert.ok(f?.span && f.severity === "warning");
  assert.match(String(check("12/7(土)に開催", { postDate: "2025-11-20" })[0]?.rule), /weekday-mismatch/);
});

test("correct weekdays are not reported, including day-only dates and pairs", () => {
  const cases: [string, string][] = [
    ["【お知らせ】12月7日（日）10時から開催します。", "2025-11-20"],
    ["【防災】明日13日（金）10時から試験放送を行います。", "2026-11-12"],
    ["日時：2月16日（月）から3月16日（月）まで。", "2026-01-20"],
    ["3月14日（土）に表彰式を行います。", "2026-03-02"],
    ["12月6日・7日（土・日）に開催します。", "2025-11-20"],
    ["令和8年3月14日(土曜日)に開催", "2025-11-20"],
    ["1月12日（月・祝）は休館です。", "2025-12-20"],
  ];
  for (const [text, postDate] of cases) assert.deepEqual(flagged(check(text, { postDate })), [], text);
});

test("impossible dates are warnings; dates across the new year are noted", () => {
  assert.ok(
    check("2月30日に開催します。", { postDate: "2025-11-20" }).some((f) => f.rule === "dates.impossible"),
  );
  const crossing = check("1月5日から受付を開始します。", { postDate: "2025-12-20" });
  assert.ok(crossing.some((f) => f.rule === "dates.year-boundary" && f.severity === "info"));
});

test("images without a rights confirmation are a 5.1.3 warning", () => {
  const text = "小名浜港の夕焼けです。";
  assert.deepEqual(flagged(check(text, { hasImages: true })), ["5.1.3"]);
  assert.deepEqual(check(text, { hasImages: true, imagesRightsConfirmed: true }), []);
  assert.deepEqual(check(text, { hasImages: false }), []);
});

test("reposting (転載) is a 5.2.3 warning; the city's own notice is not", () => {
  assert.ok(
    check("新聞記事を転載します。").some((f) => f.rule === "rights.repost" && f.severity === "warning"),
  );
  assert.deepEqual(flagged(check("写真の無断転載を禁じます。")), []);
  assert.deepEqual(flagged(check("出典：気象庁ホームページ")), []);
});

test("without a post date, a weekday that fits the neighbouring year is only information", () => {
  // NOW is 2025-11-20, so 12月7日 resolves to 2025-12-07, a Sunday; （月） fits 2026-12-07.
  const found = check("12月7日（月）に開催します。");
  assert.deepEqual(flagged(found), []);
  assert.ok(found.some((f) => f.rule === "dates.weekday-other-year"));
  assert.deepEqual(flagged(check("12月7日（月）に開催します。", { postDate: "2025-11-20" })), ["5.1.5"]);
  assert.deepEqual(flagged(check("12月7日（水）に開催します。")), ["5.1.5"]);
});
