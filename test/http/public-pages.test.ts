/**
 * The public pages as a citizen sees them, without signing in: the official account list with
 * exactly the 4.4.2 items and its filters, one account with its media policy and every published
 * version with what changed, a closed account, notices in their display window (4.5.2), the JSON,
 * CSV and embeddable feeds, and the Japanese 404.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { eq } from "drizzle-orm";
import { accountNotices, mediaPolicies } from "../../src/db/schema.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { seedAccount } from "../support/accounts.ts";
import { type TestApp, testApp } from "../support/context.ts";
import { withoutTags } from "../support/http.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";

let app: TestApp;
let org: TestOrg;
let http: ReturnType<typeof createHttpApp>;
const ids = { city: 0, soumu: 0, kanko: 0, closed: 0, draft: 0, approved: 0, rejected: 0 };
const hidden: Record<string, number> = {};

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await http.request(path, { headers });
  return { res, html: await res.text() };
}

before(async () => {
  app = await testApp({ start: "2026-11-24T03:00:00Z" });
  org = await seedOrg(app.ctx);
  const manager = org.staff.kouhouManager.id;
  const kouhou = org.divisions.kouhou.id;
  const city = await seedAccount(app.ctx, {
    divisionId: kouhou,
    managerId: manager,
    handle: "iwaki_city",
    name: "いわき市",
    alias: "いわき市役所公式",
    url: "https://x.com/iwaki_city",
    policy: true,
  });
  ids.city = city.id;
  ids.soumu = (
    await seedAccount(app.ctx, {
      divisionId: org.divisions.soumuka.id,
      managerId: org.staff.soumuManager.id,
      platform: "instagram",
      handle: "iwaki_soumu",
      name: "いわき市総務課",
      url: "https://www.instagram.com/iwaki_soumu/",
      policy: true,
    })
  ).id;
  ids.kanko = (
    await seedAccount(app.ctx, {
      divisionId: org.divisions.furusato.id,
      managerId: org.staff.desk.id,
      handle: "iwaki_kanko",
      name: "いわき観光",
      status: "change_announced",
      policy: true,
    })
  ).id;
  ids.closed = (
    await seedAccount(app.ctx, {
      divisionId: kouhou,
      managerId: manager,
      handle: "iwaki_old_pr",
      name: "いわき旧広報",
      status: "closed",
      closedOn: "2026-03-31",
      policy: true,
    })
  ).id;
  for (const status of ["draft", "pending_department_head", "approved", "rejected", "returned"] as const) {
    hidden[status] = (
      await seedAccount(app.ctx, {
        divisionId: kouhou,
        managerId: manager,
        handle: `hidden_${status}`,
        name: `非公開${status}`,
        status,
      })
    ).id;
  }
  ids.draft = hidden.draft ?? 0;
  ids.approved = hidden.approved ?? 0;
  ids.rejected = hidden.rejected ?? 0;
  // Version 2 of the city's policy supersedes version 1.
  await app.ctx.db
    .update(mediaPolicies)
    .set({ status: "superseded", approvedAt: new Date("2025-04-01T00:00:00Z") })
    .where(eq(mediaPolicies.accountId, city.id));
  await app.ctx.db.insert(mediaPolicies).values({
    accountId: city.id,
    version: 2,
    status: "approved",
    purpose: "市政情報を迅速にお届けするため",
    platformDescription: "x",
    content: "イベント、お知らせ、災害情報、市長の動静",
    staffInCharge: "広報広聴課の職員",
    frequency: "毎日",
    timing: "開庁日の日中",
    method: "アカウント管理者の許可を得て投稿",
    commentHandling: "個別の返信は行いません",
    replyPolicy: "case_by_case",
    replyText: "原則として返信しません。",
    changeSummary: "発信頻度を毎日に改め、市長の動静を加えました。",
    approvedAt: new Date("2026-10-01T00:00:00Z"),
    reviewDue: "2027-09-30",
  });
  await app.ctx.db.insert(mediaPolicies).values({
    accountId: city.id,
    version: 3,
    status: "draft",
    purpose: "下書きの目的（公開されない）",
  });
  await app.ctx.db.insert(accountNotices).values({
    accountId: ids.kanko,
    kind: "change",
    status: "announced",
    details: { name: "いわき観光まちづくり", handle: "iwaki_kankou", url: "https://x.com/iwaki_kankou" },
    reason: "観光まちづくりビューローへの名称変更に合わせて変更します。",
    effectiveDate: "2026-12-26",
    announcementDate: "2026-11-20",
    displayUntil: "2027-12-25",
    requestedAt: new Date("2026-11-01T00:00:00Z"),
  });
  http = createHttpApp(app.ctx);
});
after(async () => {
  await app.close();
});

test("the list shows every official account with exactly the 4.4.2 items and the URL in full", async () => {
  const { res, html } = await get("/public/accounts");
  assert.equal(res.status, 200);
  assert.ok(html.includes("いわき市の公式アカウント一覧"));
  assert.ok(html.includes("X（旧Twitter）"), "① service name");
  assert.ok(html.includes("いわき市（通称：いわき市役所公式）"), "② account name with its 通称");
  const link = /<a href="https:\/\/x\.com\/iwaki_city">(.*?)<\/a>/.exec(html)?.[1] ?? "";
  assert.equal(link.replace(/<[^>]*>/g, ""), "https://x.com/iwaki_city", "③ full URL");
  assert.ok(html.includes("https://www.instagram.com/iwaki_soumu/"));
  assert.ok(html.includes("広報広聴課") && html.includes("総務課"), "owning division");
  assert.ok(
    html.includes(`<a href="/public/accounts/${ids.city}">いわき市（通称`),
    "the name links to its page",
  );
  assert.ok(html.includes("運用方針（メディアポリシー）をご覧いただけます"), "which carries its policy");
  assert.ok(html.includes("公式アカウント（3件）"));
  assert.ok(!html.includes("iwaki_old_pr"), "closed accounts are not listed as official");
  for (const hidden of ["draft", "pending_department_head", "approved", "rejected", "returned"])
    assert.ok(!html.includes(`hidden_${hidden}`), `${hidden} is not public`);
});

test("an account with a running notice says so and links to the notice", async () => {
  const { html } = await get("/public/accounts");
  assert.ok(html.includes("変更のお知らせあり"));
  assert.ok(withoutTags(html).includes("令和8年（2026年）12月26日（土）"));
  assert.match(html, /href="\/public\/notices#notice-\d+"/);
});

test("public pages are cacheable, set no cookie, and cannot be framed", async () => {
  const { res } = await get("/public/accounts");
  assert.equal(res.headers.get("cache-control"), "public, max-age=60");
  assert.equal(res.headers.get("set-cookie"), null);
  assert.match(res.headers.get("content-security-policy") ?? "", /frame-ancestors 'none'/);
  assert.ok(res.headers.get("etag"));
  const again = await http.request("/public/accounts", {
    headers: { "if-none-match": res.headers.get("etag") ?? "" },
  });
  assert.equal(again.status, 304);
});

test("a gzip-capable browser gets the page compressed", async () => {
  const res = await http.request("/public/accounts", { headers: { "accept-encoding": "gzip, br" } });
  assert.equal(res.headers.get("content-encoding"), "gzip");
  const { gunzipSync } = await import("node:zlib");
  const text = gunzipSync(Buffer.from(await res.arrayBuffer())).toString("utf8");
  assert.ok(text.includes("https://x.com/iwaki_city"));
});

test("the list filters by service and by department with a plain GET form", async () => {
  const form = (await get("/public/accounts")).html;
  assert.match(form, /<form method="get" action="\/public\/accounts"/);
  const instagram = (await get("/public/accounts?platform=instagram")).html;
  assert.ok(instagram.includes("iwaki_soumu"));
  assert.ok(!instagram.includes("https://x.com/iwaki_city"));
  assert.ok(instagram.includes("条件に合う公式アカウント（1件）"));
  const soumu = (await get(`/public/accounts?department=${org.departments.soumu.id}`)).html;
  assert.ok(soumu.includes("iwaki_soumu") && !soumu.includes("iwaki_kanko"));
  const seisaku = (await get(`/public/accounts?department=${org.departments.seisaku.id}&platform=x`)).html;
  assert.ok(
    seisaku.includes("iwaki_city") && seisaku.includes("iwaki_kanko") && !seisaku.includes("iwaki_soumu"),
  );
  const none = (await get("/public/accounts?platform=tiktok")).html;
  assert.ok(none.includes("条件に合う公式アカウントはありません"));
  const junk = (await get("/public/accounts?platform=<script>&department=abc")).html;
  assert.ok(junk.includes("公式アカウント（3件）"), "unusable filter values are ignored");
  assert.ok(!junk.includes("<script>"));
});

test("an account's page shows the account and every item of its media policy in force", async () => {
  const { res, html } = await get(`/public/accounts/${ids.city}`);
  assert.equal(res.status, 200);
  assert.ok(html.includes("https://x.com/iwaki_city"));
  assert.ok(html.includes("いわき市役所公式"));
  for (const label of [
    "① 情報発信を行う目的",
    "② 利用するソーシャルメディアの種類",
    "③ 発信する情報の内容",
    "④ 利用方法：担当者",
    "④ 利用方法：発信頻度",
    "④ 利用方法：発信時期",
    "④ 利用方法：発信方法",
    "④ 利用方法：意見や質問への対応方法",
    "返信の可否（第4-2(2)）",
  ])
    assert.ok(html.includes(label), label);
  assert.ok(html.includes("個別に判断する"), "the reply policy in words");
  assert.ok(html.includes("市長の動静"), "version 2 is the one in force");
  assert.ok(withoutTags(html).includes("令和9年（2027年）9月30日（木）"), "review due date (4.2.3)");
  assert.ok(!html.includes("下書きの目的"), "drafts are never public");
  assert.ok(html.includes(`/public/accounts/${ids.city}/policy/1`), "history links to version 1");
  assert.ok(html.includes("発信頻度を毎日に改め"), "change summary in the history");
});

test("a past version is readable with what changed, field by field", async () => {
  const v2 = await get(`/public/accounts/${ids.city}/policy/2`);
  assert.equal(v2.res.status, 200);
  assert.ok(v2.html.includes("第1版からの変更（項目ごと）"));
  assert.ok(v2.html.includes("④ 利用方法：発信頻度"));
  assert.match(v2.html, /<del>週1回以上<\/del>/);
  assert.match(v2.html, /<ins>毎日<\/ins>/);
  assert.match(v2.html, /<del>返信しない<\/del>/);
  assert.ok(!/<del>開庁日の日中<\/del>/.test(v2.html), "unchanged items are not listed as changes");
  const v1 = await get(`/public/accounts/${ids.city}/policy/1`);
  assert.equal(v1.res.status, 200);
  assert.ok(v1.html.includes("この版は過去の運用方針です"));
  assert.ok(v1.html.includes("最初に公開した版です"));
  assert.equal((await get(`/public/accounts/${ids.city}/policy/3`)).res.status, 404, "a draft version");
  assert.equal((await get(`/public/accounts/${ids.city}/policy/99`)).res.status, 404);
});

test("a closed account's page says until when it was official", async () => {
  const { res, html } = await get(`/public/accounts/${ids.closed}`);
  assert.equal(res.status, 200);
  assert.ok(withoutTags(html).includes("令和8年（2026年）3月31日（火）"));
  assert.ok(html.includes("公式アカウントでした。現在は運用を終了しています。"));
  assert.ok(!html.includes('<a href="https://x.com/iwaki_old_pr"'), "the old URL is not a link any more");
});

test("unknown and non-public ids, and unknown paths, answer a Japanese 404", async () => {
  for (const path of [
    `/public/accounts/${ids.draft}`,
    `/public/accounts/${ids.approved}`,
    `/public/accounts/${ids.rejected}`,
    "/public/accounts/999999",
    "/public/accounts/abc",
    "/public/nothing-here",
  ]) {
    const { res, html } = await get(path);
    assert.equal(res.status, 404, path);
    assert.ok(html.includes("ページが見つかりません"), path);
    assert.ok(html.includes('href="/public/accounts"'), path);
  }
});

test("notices appear on their announcement date and disappear after display_until (4.5.2)", async () => {
  await app.ctx.db.insert(accountNotices).values({
    accountId: ids.soumu,
    kind: "closure",
    status: "announced",
    details: {},
    reason: "総務課の情報はいわき市公式アカウントに集約します。",
    effectiveDate: "2027-01-10",
    announcementDate: "2026-12-01",
    displayUntil: "2027-07-09",
    requestedAt: new Date("2026-11-01T00:00:00Z"),
  });
  const before = (await get("/public/notices")).html;
  assert.ok(before.includes("いわき観光"), "the running change notice is shown");
  assert.ok(before.includes("変更後のアカウント名") && before.includes("いわき観光まちづくり"));
  assert.ok(before.includes("https://x.com/iwaki_kankou"));
  assert.ok(before.includes("名称変更に合わせて"), "the reason");
  assert.ok(!before.includes("総務課の情報は"), "not before its announcement date");

  app.clock.set("2026-11-30T15:00:00Z"); // 2026-12-01 00:00 in Tokyo
  const during = (await get("/public/notices")).html;
  assert.ok(during.includes("総務課の情報は"));
  assert.ok(during.includes("運用を終了します"));
  assert.ok(
    withoutTags(during).includes("令和9年（2027年）1月10日（日）"),
    "effective date in 和暦 and 西暦",
  );

  app.clock.set("2027-07-09T14:59:00Z"); // last day of the window, Tokyo
  assert.ok((await get("/public/notices")).html.includes("総務課の情報は"));
  app.clock.set("2027-07-09T15:00:00Z"); // the next day in Tokyo
  const afterWindow = (await get("/public/notices")).html;
  assert.ok(!afterWindow.includes("総務課の情報は"));
  app.clock.set("2026-11-24T03:00:00Z");
});

test("the JSON feed lists the official accounts with absolute links", async () => {
  const res = await http.request("/public/accounts.json");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /application\/json/);
  assert.equal(res.headers.get("access-control-allow-origin"), "*");
  const body: unknown = await res.json();
  assert.ok(typeof body === "object" && body !== null && "accounts" in body && Array.isArray(body.accounts));
  assert.equal(body.accounts.length, 3);
  const city = body.accounts.find((a: { id: number }) => a.id === ids.city);
  assert.deepEqual(
    {
      service: city.service,
      name: city.name,
      alias: city.alias,
      url: city.url,
      division: city.division,
      status: city.status,
      page: city.page,
      policyVersion: city.policyVersion,
    },
    {
      service: "X（旧Twitter）",
      name: "いわき市",
      alias: "いわき市役所公式",
      url: "https://x.com/iwaki_city",
      division: "広報広聴課",
      status: "active",
      page: `http://localhost:3000/public/accounts/${ids.city}`,
      policyVersion: 2,
    },
  );
  const filtered: unknown = await (await http.request("/public/accounts.json?platform=instagram")).json();
  assert.ok(typeof filtered === "object" && filtered !== null && "count" in filtered);
  assert.equal(filtered.count, 1);
});

test("the CSV opens in Excel: UTF-8 with BOM, Japanese header, one row per account", async () => {
  const res = await http.request("/public/accounts.csv");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /text\/csv/);
  assert.match(res.headers.get("content-disposition") ?? "", /attachment/);
  const bytes = new Uint8Array(await res.arrayBuffer());
  assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
  const lines = new TextDecoder().decode(bytes.slice(3)).split("\r\n").filter(Boolean);
  assert.equal(
    lines[0],
    "サービス名,アカウント名,通称,アカウントURL,担当部,担当課,状態,メディアポリシー,変更・運用終了の予定日",
  );
  assert.equal(lines.length, 4);
  assert.ok(
    lines.some((l) =>
      l.startsWith(
        "X（旧Twitter）,いわき市,いわき市役所公式,https://x.com/iwaki_city,総合政策部,広報広聴課,運用中,",
      ),
    ),
  );
});

test("the embeddable fragment is HTML without a document around it, with documented class names", async () => {
  const res = await http.request("/public/embed/accounts");
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.ok(html.startsWith('<section class="snsgov-accounts"'));
  assert.ok(!/<html|<head|<style|<script|<link/.test(html));
  for (const cls of [
    "snsgov-accounts-table",
    "snsgov-account",
    "snsgov-service",
    "snsgov-name",
    "snsgov-url",
    "snsgov-policy",
  ])
    assert.ok(html.includes(cls), cls);
  assert.ok(html.includes(`href="http://localhost:3000/public/accounts/${ids.city}"`), "absolute links");
  assert.equal(res.headers.get("x-frame-options"), null);
  assert.match(
    res.headers.get("content-security-policy") ?? "",
    /frame-ancestors 'none'/,
    "no origin configured",
  );
});

test("embed routes may be framed by the configured origins only; other pages by none", async () => {
  const framed = await testApp({
    env: { SNSGOV_EMBED_ORIGINS: "https://www.city.iwaki.lg.jp, https://cms.example.jp" },
  });
  try {
    const h = createHttpApp(framed.ctx);
    const embed = await h.request("/public/embed/accounts");
    assert.match(
      embed.headers.get("content-security-policy") ?? "",
      /frame-ancestors https:\/\/www\.city\.iwaki\.lg\.jp https:\/\/cms\.example\.jp$/,
    );
    assert.equal(embed.headers.get("x-frame-options"), null);
    const list = await h.request("/public/accounts");
    assert.match(list.headers.get("content-security-policy") ?? "", /frame-ancestors 'none'/);
    assert.equal(list.headers.get("x-frame-options"), "SAMEORIGIN");
  } finally {
    await framed.close();
  }
});

test("when the database cannot answer, citizens get a Japanese page asking them to retry", async () => {
  const broken = new Proxy(app.ctx.db, {
    get(target, prop, receiver) {
      if (prop === "select") throw new Error("connection refused");
      return Reflect.get(target, prop, receiver);
    },
  });
  const down = createHttpApp({ ...app.ctx, db: broken });
  const res = await down.request("/public/accounts");
  assert.equal(res.status, 503);
  assert.equal(res.headers.get("cache-control"), "no-store");
  const html = await res.text();
  assert.ok(html.includes("ただいま表示できません"));
  assert.ok(!html.includes("connection refused"), "no internals shown");
});

test("the OpenAPI document describes the public JSON feeds", async () => {
  const res = await http.request("/api/v1/openapi.json");
  const doc: unknown = await res.json();
  assert.ok(
    typeof doc === "object" && doc !== null && "paths" in doc && typeof doc.paths === "object" && doc.paths,
  );
  const paths = Object.keys(doc.paths);
  assert.ok(paths.includes("/public/accounts.json"));
  assert.ok(paths.includes("/public/verify.json"));
  assert.ok(JSON.stringify(doc).includes('"PublicAccount"'));
});
