/**
 * "Is this an official account of the city?" — the verification page and its JSON twin against
 * a table of URLs and handles a citizen might paste: official ones (written many ways), a closed
 * one, the announced new account of a change, lookalikes an impersonator might register, the
 * same name on another service, and real accounts of other cities that must not be flagged.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { knownImpersonationChecks } from "../../src/app/public/verify.ts";
import { accountEvents, accountNotices } from "../../src/db/schema.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { seedAccount } from "../support/accounts.ts";
import { type TestApp, testApp } from "../support/context.ts";
import { seedOrg } from "../support/org.ts";

let app: TestApp;
let http: ReturnType<typeof createHttpApp>;

before(async () => {
  app = await testApp({ start: "2026-11-24T03:00:00Z" });
  const org = await seedOrg(app.ctx);
  const base = { divisionId: org.divisions.kouhou.id, managerId: org.staff.kouhouManager.id, policy: true };
  await seedAccount(app.ctx, {
    ...base,
    handle: "iwaki_city",
    name: "いわき市",
    url: "https://x.com/iwaki_city",
  });
  await seedAccount(app.ctx, {
    ...base,
    platform: "instagram",
    handle: "iwaki_city",
    name: "いわき市",
    url: "https://www.instagram.com/iwaki_city/",
  });
  await seedAccount(app.ctx, {
    ...base,
    platform: "mastodon",
    handle: "mastodon.example.jp/@iwaki_city",
    name: "いわき市（Mastodon）",
    url: "https://mastodon.example.jp/@iwaki_city",
  });
  await seedAccount(app.ctx, {
    ...base,
    platform: "bluesky",
    handle: "city.iwaki.lg.jp",
    name: "いわき市（Bluesky）",
    url: "https://bsky.app/profile/city.iwaki.lg.jp",
  });
  await seedAccount(app.ctx, {
    ...base,
    platform: "youtube",
    handle: "@iwakicity",
    name: "いわき市公式チャンネル",
    url: "https://www.youtube.com/@iwakicity",
  });
  await seedAccount(app.ctx, {
    ...base,
    handle: "iwaki_old_pr",
    name: "いわき旧広報",
    status: "closed",
    closedOn: "2026-03-31",
  });
  await seedAccount(app.ctx, {
    ...base,
    handle: "iwaki_draft",
    name: "申請中",
    status: "pending_policy_director",
  });
  const kanko = await seedAccount(app.ctx, {
    ...base,
    handle: "iwaki_kanko",
    name: "いわき観光",
    status: "change_announced",
  });
  await app.ctx.db.insert(accountNotices).values({
    accountId: kanko.id,
    kind: "change",
    status: "announced",
    details: { name: "いわき観光まちづくり", url: "https://x.com/iwaki_kankou" },
    reason: "名称変更",
    effectiveDate: "2026-12-26",
    announcementDate: "2026-11-20",
    displayUntil: "2027-12-25",
    requestedAt: new Date("2026-11-01T00:00:00Z"),
  });
  const moved = await seedAccount(app.ctx, { ...base, handle: "iwaki_pr_new", name: "いわき広報" });
  const before = {
    name: "いわき広報",
    alias: "",
    handle: "iwaki_pr_old",
    platform: "x",
    url: "https://x.com/iwaki_pr_old",
  };
  await app.ctx.db.insert(accountEvents).values({
    accountId: moved.id,
    kind: "changed",
    actorId: null,
    snapshot: {
      noticeId: 1,
      before,
      after: { ...before, handle: "iwaki_pr_new", url: "https://x.com/iwaki_pr_new" },
    },
    at: new Date("2026-10-01T00:05:00Z"),
  });
  http = createHttpApp(app.ctx);
});
after(async () => {
  await app.close();
});

type Answer = {
  verdict: string;
  message: string;
  official: Array<{ url: string }>;
  formerlyOfficial: Array<{ closedOn: string | null }>;
  announced: Array<{ effectiveDate: string }>;
  knownImpersonation: { since: string } | null;
  lookalikes: Array<{ account: { handle: string; platform: string }; reason: string }>;
};

function isAnswer(value: unknown): value is Answer {
  return typeof value === "object" && value !== null && "verdict" in value && "lookalikes" in value;
}

async function verify(url: string, platform = ""): Promise<Answer> {
  const q = new URLSearchParams({ url, ...(platform ? { platform } : {}) });
  const res = await http.request(`/public/verify.json?${q}`);
  assert.equal(res.status, 200, url);
  const body: unknown = await res.json();
  assert.ok(isAnswer(body));
  return body;
}

const official = [
  "https://x.com/iwaki_city",
  "https://twitter.com/Iwaki_City",
  "x.com/iwaki_city",
  "http://x.com/iwaki_city",
  "https://x.com/iwaki_city/status/1861234567890",
  "https://x.com/iwaki_city?s=20",
  "https://www.instagram.com/iwaki_city/",
  "https://mastodon.example.jp/@iwaki_city",
  "https://bsky.app/profile/city.iwaki.lg.jp",
  "https://www.youtube.com/@iwakicity",
  "https://www.youtube.com/@iwakicity/videos",
];

for (const url of official) {
  test(`official: ${url}`, async () => {
    const a = await verify(url);
    assert.equal(a.verdict, "official");
    assert.equal(a.official.length, 1);
    assert.deepEqual(a.lookalikes, []);
  });
}

const lookalikes: Array<[string, string, string]> = [
  ["https://x.com/iwaki_clty", "iwaki_city", "homoglyph"],
  ["https://x.com/lwaki_city", "iwaki_city", "homoglyph"],
  ["https://x.com/iwaki_c1ty", "iwaki_city", "homoglyph"],
  ["https://x.com/iwaki__city", "iwaki_city", "homoglyph"],
  ["https://x.com/iwaki_city_official", "iwaki_city", "affix"],
  ["https://www.instagram.com/iwaki_city_official/", "iwaki_city", "affix"],
  ["https://www.instagram.com/iwaki.city/", "iwaki_city", "homoglyph"],
  ["https://x.com/iwakicity_jp", "iwaki_city", "affix"],
  ["https://x.com/iwaki_cit", "iwaki_city", "typo"],
  ["https://x.com/iwaki_old_pr1", "iwaki_old_pr", "affix"],
  ["https://www.tiktok.com/@iwaki_city", "iwaki_city", "other_platform"],
  ["https://evil.example/@iwaki_city", "iwaki_city", "other_platform"],
  ["https://bsky.app/profile/iwakicity.bsky.social", "city.iwaki.lg.jp", "affix"],
];

for (const [url, like, reason] of lookalikes) {
  test(`not official, looks like ${like}: ${url}`, async () => {
    const a = await verify(url);
    assert.equal(a.verdict, "not_official");
    const found = a.lookalikes.find((l) => l.account.handle.endsWith(like));
    assert.ok(found, `warns about ${like}: ${JSON.stringify(a.lookalikes)}`);
    assert.equal(found.reason, reason);
  });
}

for (const url of ["https://x.com/iwate_city", "https://x.com/sendai_city", "https://x.com/kyoto_city"]) {
  test(`not official and not a lookalike: ${url}`, async () => {
    const a = await verify(url);
    assert.equal(a.verdict, "not_official");
    assert.deepEqual(a.lookalikes, []);
  });
}

test("a closed account is formerly official, with the day it ended", async () => {
  const a = await verify("https://x.com/iwaki_old_pr");
  assert.equal(a.verdict, "formerly_official");
  assert.equal(a.formerlyOfficial[0]?.closedOn, "2026-03-31");
  assert.ok(a.message.includes("令和8年（2026年）3月31日（火）まで"));
});

test("the address an account used before a change took effect is formerly official", async () => {
  const a = await verify("https://twitter.com/iwaki_pr_old");
  assert.equal(a.verdict, "formerly_official");
  assert.ok(a.message.includes("令和8年（2026年）10月1日（木）の変更まで"));
  assert.ok(a.message.includes("https://x.com/iwaki_pr_new"), "points to the current address");
  assert.equal((await verify("https://x.com/iwaki_pr_new")).verdict, "official");
});

test("the new account of an announced change is said to become official on its date", async () => {
  const a = await verify("https://x.com/iwaki_kankou");
  assert.equal(a.verdict, "announced");
  assert.equal(a.announced[0]?.effectiveDate, "2026-12-26");
});

test("an application that is not yet official is not official", async () => {
  const a = await verify("https://x.com/iwaki_draft");
  assert.equal(a.verdict, "not_official");
  assert.ok(!JSON.stringify(a).includes("申請中"), "nothing about the application leaks");
});

test("a bare handle is checked on every service, or on the one chosen", async () => {
  const everywhere = await verify("@iwaki_city");
  assert.equal(everywhere.verdict, "official");
  assert.equal(everywhere.official.length, 3, "X, Instagram and Mastodon");
  const tiktok = await verify("@iwaki_city", "tiktok");
  assert.equal(tiktok.verdict, "not_official");
  assert.ok(tiktok.lookalikes.some((l) => l.reason === "other_platform"));
  const typo = await verify("＠iwaki_clty", "x");
  assert.equal(typo.verdict, "not_official");
  assert.equal(typo.lookalikes[0]?.account.handle, "iwaki_city");
});

test("a URL of another site is not official", async () => {
  for (const url of ["https://example.com/iwaki", "https://bit.ly/3abcdEF"]) {
    const a = await verify(url);
    assert.equal(a.verdict, "not_official", url);
  }
});

test("input that is neither a URL nor a handle gets a Japanese message (422 in JSON)", async () => {
  const res = await http.request(`/public/verify.json?url=${encodeURIComponent("これは何ですか？")}`);
  assert.equal(res.status, 422);
  const body: unknown = await res.json();
  assert.ok(typeof body === "object" && body !== null && "error" in body);
  assert.match(JSON.stringify(body), /ユーザー名/);
  assert.equal((await http.request("/public/verify.json")).status, 422);
  const page = await (
    await http.request(`/public/verify?url=${encodeURIComponent("これは何ですか？")}`)
  ).text();
  assert.ok(page.includes("入力内容を確認してください"));
  assert.ok(page.includes('value="これは何ですか？"'), "what was typed stays in the field");
});

test("the page answers without JavaScript: the verdict, the account read, and the warning", async () => {
  const empty = await (await http.request("/public/verify")).text();
  assert.match(empty, /<form method="get" action="\/public\/verify"/);
  assert.ok(empty.includes('<label for="f-url">'));
  assert.ok(!empty.includes("<script"));
  const res = await http.request(
    `/public/verify?url=${encodeURIComponent("https://x.com/iwaki_clty/status/1")}`,
  );
  assert.equal(res.headers.get("cache-control"), "public, max-age=60");
  const html = await res.text();
  assert.ok(html.includes("公式アカウントではありません"));
  assert.ok(html.includes("@iwaki_clty"), "says which account the post URL belongs to");
  assert.ok(html.includes("名前のよく似た公式アカウントがあります"));
  assert.ok(html.includes("https://x.com/iwaki_city"));
  const ok = await (await http.request("/public/verify?url=https%3A%2F%2Fx.com%2Fiwaki_city")).text();
  assert.ok(ok.includes("公式アカウントです"));
  // Another way of writing the same account gets the same answer, showing the platform's own URL.
  const same = await (
    await http.request(`/public/verify?url=${encodeURIComponent("twitter.com/Iwaki_City/status/9")}`)
  ).text();
  assert.equal(same, ok);
  assert.ok(same.includes('value="https://x.com/iwaki_city"'));
});

test("a known impersonation (7.3.1 extension point) is answered as such", async () => {
  knownImpersonationChecks.push(async (_ctx, target) =>
    target.handle === "iwaki_city_info" ? { since: "2026-11-20", noticeId: 7 } : null,
  );
  try {
    const a = await verify("https://x.com/iwaki_city_info");
    assert.equal(a.verdict, "not_official");
    assert.equal(a.knownImpersonation?.since, "2026-11-20");
    assert.ok(a.message.includes("なりすまし"));
  } finally {
    knownImpersonationChecks.length = 0;
  }
});
