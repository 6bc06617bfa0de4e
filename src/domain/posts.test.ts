import assert from "node:assert/strict";
import { test } from "node:test";
import {
  addBusinessDays,
  isBusinessDay,
  isCityHost,
  nextPostStatus,
  postStatuses,
  postTransitionTable,
  reportDueAt,
  resendProblem,
  scopeProblems,
  submissionBlock,
} from "./posts.ts";

const allowed: Record<string, string> = {
  "draft submit": "pending",
  "returned submit": "pending",
  "pending approve": "approved",
  "pending return": "returned",
  "pending reject": "rejected",
  "draft edit": "draft",
  "returned edit": "returned",
  "pending edit": "pending",
  "approved edit": "pending",
  "approved publish": "published",
  "draft publish_post_hoc": "published",
  "returned publish_post_hoc": "published",
  "pending publish_post_hoc": "published",
  "published delete": "deleted",
};

test("every post transition is allowed or refused as 5.1.4 says", () => {
  const table = postTransitionTable();
  assert.equal(table.length, postStatuses.length * 8);
  for (const { from, step, to } of table)
    assert.equal(to, allowed[`${from} ${step}`] ?? null, `${from} --${step}-->`);
  assert.equal(
    nextPostStatus("approved", "edit"),
    "pending",
    "a change to an approved post needs approval again",
  );
  assert.equal(nextPostStatus("published", "edit"), null, "published posts are read-only");
});

test("an error blocks unless a justification is written; warnings never block", () => {
  assert.equal(submissionBlock({ errorCount: 0, justification: "" }), null);
  assert.match(submissionBlock({ errorCount: 2, justification: "" }) ?? "", /エラー）が2件/);
  assert.equal(
    submissionBlock({ errorCount: 1, justification: "市の公式発表を引用しているため問題ありません" }),
    null,
  );
});

test("business days skip weekends, Japanese public holidays and the year-end closure", () => {
  assert.equal(isBusinessDay("2026-11-23"), false, "勤労感謝の日");
  assert.equal(isBusinessDay("2026-11-24"), true);
  assert.equal(addBusinessDays("2026-11-20", 2), "2026-11-25", "Fri → (Sat, Sun, Mon holiday) Tue, Wed");
  assert.equal(addBusinessDays("2026-12-28", 2), "2027-01-05", "年末年始 and 元日 are not counted");
  assert.equal(
    reportDueAt("2026-11-20", 2).toISOString(),
    "2026-11-25T15:00:00.000Z",
    "due at the end of Wednesday in Tokyo",
  );
});

test("a post fits a pre-approved scope only when it is the template filled in, in force, with city links only", () => {
  const scope = {
    template:
      "【ごみ収集】{date}は{kind}の収集日です。詳しくは https://www.city.iwaki.lg.jp/gomi をご覧ください。",
    fields: [
      { name: "date", label: "日付", pattern: "\\d{1,2}月\\d{1,2}日（[月火水木金土日]）" },
      { name: "kind", label: "ごみの種類", maxLength: 20 },
    ],
    categories: ["normal" as const],
    cityLinksOnly: true,
    validUntil: "2027-03-31",
    active: true,
  };
  const values = { date: "12月1日（火）", kind: "燃やすごみ" };
  const text =
    "【ごみ収集】12月1日（火）は燃やすごみの収集日です。詳しくは https://www.city.iwaki.lg.jp/gomi をご覧ください。";
  const trusted = (d: string) => d.endsWith(".lg.jp");
  assert.deepEqual(
    scopeProblems(
      scope,
      { text, values, category: "normal", linkDomains: ["www.city.iwaki.lg.jp"] },
      "2026-11-24",
      trusted,
    ),
    [],
  );
  assert.equal(
    scopeProblems(scope, { text, values, category: "normal", linkDomains: [] }, "2027-04-01", trusted).length,
    1,
    "expired",
  );
  assert.ok(
    scopeProblems(
      scope,
      { text: `${text}ぜひ！`, values, category: "normal", linkDomains: [] },
      "2026-11-24",
      trusted,
    ).some((p) => p.includes("テンプレート")),
  );
  assert.ok(
    scopeProblems(
      scope,
      { text, values: { ...values, date: "明日" }, category: "normal", linkDomains: [] },
      "2026-11-24",
      trusted,
    ).some((p) => p.includes("日付")),
  );
  assert.ok(
    scopeProblems(
      scope,
      { text, values, category: "normal", linkDomains: ["example.com"] },
      "2026-11-24",
      trusted,
    ).some((p) => p.includes("example.com")),
  );
});

test("① a re-send is the content itself, with at most a 30-character lead-in and the source's URL", () => {
  const text = "【お知らせ】年末年始は本庁舎の窓口をお休みします。";
  const post = { text, url: "https://x.com/iwaki_city/status/9", urlRequired: false };
  const ok = [
    text,
    `  ${text.replace("年末年始", "年末\n年始")}  `,
    `市公式アカウントより${text}`,
    `市公式アカウントより「${text}」`,
    `市公式アカウントより『${text}』 https://x.com/iwaki_city/status/9`,
    `${"あ".repeat(25)}${text}`,
  ];
  for (const t of ok) assert.equal(resendProblem(t, post), null, t);
  const refused: Array<[string, RegExp]> = [
    [`${text}ぜひご確認ください。`, /URLのほかは書けません/],
    [`${text} https://example.com/`, /URLのほかは書けません/],
    [text.replace("お休み", "休業"), /そのままの形で含まれていません/],
    [`${"あ".repeat(31)}${text}`, /30文字まで/],
    [`www.example.jp より${text}`, /前置きにURLは書けません/],
    [`example.com ${text}`, /前置きにURLは書けません/],
  ];
  for (const [t, message] of refused) assert.match(resendProblem(t, post) ?? "", message, t);
  assert.match(resendProblem(`${"い".repeat(6)}短い文`, { ...post, text: "短い文" }) ?? "", /前置きが/);
  assert.equal(resendProblem("ＡＢＣ　１２３", { ...post, text: "ABC 123" }), null, "NFKC and white space");

  const page = { text: "窓口は休みます。", url: "https://www.city.iwaki.lg.jp/a.html", urlRequired: true };
  assert.equal(resendProblem("市HPより「窓口は休みます。」https://www.city.iwaki.lg.jp/a.html", page), null);
  assert.match(resendProblem("窓口は休みます。", page) ?? "", /ページのURLを記載/);
});

test("the city's own hosts: exact domains and narrow wildcards, not *.lg.jp or *.go.jp", () => {
  const patterns = [
    "*.lg.jp",
    "*.go.jp",
    "city.iwaki.lg.jp",
    "*.city.iwaki.lg.jp",
    "city.iwaki.fukushima.jp",
  ];
  for (const host of [
    "city.iwaki.lg.jp",
    "www.city.iwaki.lg.jp",
    "kouhou.city.iwaki.lg.jp",
    "www.city.iwaki.fukushima.jp",
  ])
    assert.equal(isCityHost(host, patterns), true, host);
  for (const host of [
    "www.city.koriyama.lg.jp",
    "www.mhlw.go.jp",
    "city.iwaki.lg.jp.example.com",
    "evilcity.iwaki.lg.jp",
  ])
    assert.equal(isCityHost(host, patterns), false, host);
});
