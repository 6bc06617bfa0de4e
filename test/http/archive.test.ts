/**
 * The archive pages and their API twins as people use them: search with conditions kept in the
 * form, page links that follow each other, another division's posts never shown, the CSV
 * download, the printable report (one section per post with its approval trail, printed one per
 * page), a corrected publishing record shown with its earlier values, and exports refused to an
 * operator and recorded for those who may make them.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createApiToken } from "../../src/app/auth/api-tokens.ts";
import { correctPublishingRecord } from "../../src/app/posts/publishing-correct.ts";
import { entriesAfter } from "../../src/db/repos/audit.ts";
import { insertDecision, type Post, updatePost } from "../../src/db/repos/posts.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { seedAccount } from "../support/accounts.ts";
import { type TestApp, testApp } from "../support/context.ts";
import { givePassword, signIn } from "../support/http.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";
import { seedPost } from "../support/posts.ts";

let app: TestApp;
let org: TestOrg;
let http: ReturnType<typeof createHttpApp>;
let kouhouAccount: number;
let kouhouHandle: string;
let soumuPost: Post;
let approved: Post;
let returned: Post;

before(async () => {
  app = await testApp();
  org = await seedOrg(app.ctx);
  for (const person of Object.values(org.staff)) await givePassword(app, person.id);
  http = createHttpApp(app.ctx);
  const kouhou = await seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    operatorIds: [org.staff.kouhouStaff.id],
    name: "いわき市広報",
  });
  kouhouAccount = kouhou.id;
  kouhouHandle = kouhou.handle;
  const soumu = await seedAccount(app.ctx, {
    divisionId: org.divisions.soumuka.id,
    managerId: org.staff.soumuManager.id,
    operatorIds: [org.staff.soumuStaff.id],
    name: "いわき市総務",
  });
  for (let i = 0; i < 60; i++) {
    await seedPost(app.ctx, {
      accountId: kouhou.id,
      authorId: org.staff.kouhouStaff.id,
      text: `市政だより 第${i + 1}号を発行しました。`,
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, i)),
    });
  }
  approved = await seedPost(app.ctx, {
    accountId: kouhou.id,
    authorId: org.staff.kouhouStaff.id,
    text: "【お知らせ】いわき七夕まつりの開催日が決まりました。",
    approvedBy: org.staff.kouhouManager.id,
    createdAt: new Date("2026-07-01T00:00:00Z"),
    publishedUrl: "https://x.com/iwaki_koho/status/777",
  });
  await updatePost(app.ctx.db, approved.id, { approvalRule: "verbal" }, new Date("2026-07-01T01:00:00Z"));
  await insertDecision(app.ctx.db, {
    postId: approved.id,
    version: 1,
    decision: "approve",
    rule: "verbal",
    actorId: org.staff.kouhouManager.id,
    comment: "電話で確認しました。",
    givenAt: new Date("2026-07-01T00:10:00Z"),
    at: new Date("2026-07-01T00:40:00Z"),
  });
  returned = await seedPost(app.ctx, {
    accountId: kouhou.id,
    authorId: org.staff.kouhouStaff.id,
    status: "returned",
    text: "七夕まつりの駐車場は=SUM(1,2)台です。",
    findings: [
      {
        rule: "rumour",
        clause: "5.2.8",
        severity: "warning",
        start: 0,
        end: 3,
        message: "確認できない情報の可能性があります。",
        hint: "",
      },
    ],
    createdAt: new Date("2026-07-02T00:00:00Z"),
  });
  await insertDecision(app.ctx.db, {
    postId: returned.id,
    version: 1,
    decision: "return",
    actorId: org.staff.kouhouManager.id,
    comment: "台数を確認してください。",
    at: new Date("2026-07-02T01:00:00Z"),
  });
  soumuPost = await seedPost(app.ctx, {
    accountId: soumu.id,
    authorId: org.staff.soumuStaff.id,
    text: "【総務課】七夕まつりに伴う庁舎の開放について",
    createdAt: new Date("2026-07-03T00:00:00Z"),
  });
});
after(() => app.close());

const rowsIn = (html: string) => (html.match(/<tr><td[^>]*class="num">/g) ?? []).length;

test("search: the conditions stay in the form, results are newest first and never another division's", async () => {
  const b = await signIn(http, org.staff.kouhouStaff.employeeNo);
  const res = await b.get("/posts/archive?q=%E4%B8%83%E5%A4%95"); // 七夕
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.ok(html.includes("<h1>投稿の記録（検索・情報公開請求への対応）</h1>"));
  assert.ok(html.includes('value="七夕"'), "the typed words are kept in the search box");
  assert.ok(html.includes("検索結果（2件、作成日時の新しい順）"));
  assert.ok(html.indexOf(`/posts/${returned.id}"`) < html.indexOf(`/posts/${approved.id}"`), "newest first");
  assert.ok(!html.includes("総務課】七夕"), "the 総務課 post is not shown");
  assert.ok(!html.includes("CSVで書き出す"), "an operator is not offered the export");

  const clause = await b.text("/posts/archive?clause=5.2.8&status=returned");
  assert.ok(clause.includes("検索結果（1件"));
  assert.ok(clause.includes("第5-2(8) 警告"));
});

test("a wrong condition is shown next to its field and nothing is searched", async () => {
  const b = await signIn(http, org.staff.kouhouStaff.employeeNo);
  const res = await b.get("/posts/archive?from=2026-08-01&to=2026-07-01&erroneous=1");
  assert.equal(res.status, 422);
  const html = await res.text();
  assert.ok(html.includes("入力内容を確認してください"));
  assert.ok(html.includes('href="#f-to"'), "the error summary links to the field");
  assert.ok(html.includes('aria-invalid="true"'));
  assert.ok(!html.includes("検索結果（"));
  assert.match(html, /name="erroneous" value="1" checked/, "what was chosen stays chosen");
});

test("page links follow each other without repeats and come back", async () => {
  const b = await signIn(http, org.staff.kouhouManager.employeeNo);
  const first = await b.text(`/posts/archive?accountId=${kouhouAccount}`);
  assert.ok(first.includes("検索結果（62件"));
  assert.equal(rowsIn(first), 50);
  const older = /href="([^"]*after=[^"]*)">古い50件</.exec(first)?.[1];
  assert.ok(older, "a link to the older posts");
  assert.ok(!first.includes("新しい50件"));
  const second = await b.text(older.replaceAll("&amp;", "&"));
  assert.equal(rowsIn(second), 12);
  assert.ok(second.includes(`accountId=${kouhouAccount}`), "the conditions are kept");
  const ids = (html: string) =>
    [...html.matchAll(/<td[^>]*class="num"><a href="\/posts\/(\d+)"/g)].map((m) => m[1]);
  const all = [...ids(first), ...ids(second)];
  assert.equal(new Set(all).size, 62);
  const newer = /href="([^"]*before=[^"]*)">新しい50件</.exec(second)?.[1];
  assert.ok(newer);
  assert.deepEqual(ids(await b.text(newer.replaceAll("&amp;", "&"))), ids(first));
});

test("CSV download for the manager; an operator is refused and the refusal recorded", async () => {
  const seq = (await entriesAfter(app.ctx.db, 0, 1_000_000)).length;
  const manager = await signIn(http, org.staff.kouhouManager.employeeNo);
  const page = await manager.text("/posts/archive?q=%E4%B8%83%E5%A4%95");
  assert.ok(
    page.includes('href="/posts/archive/export.csv?q=%E4%B8%83%E5%A4%95"'),
    "the export keeps the conditions",
  );
  const res = await manager.get("/posts/archive/export.csv?q=%E4%B8%83%E5%A4%95");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^text\/csv; charset=utf-8/);
  assert.match(res.headers.get("content-disposition") ?? "", /attachment; filename="posts.csv"/);
  const bytes = new Uint8Array(await res.arrayBuffer());
  assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
  const text = new TextDecoder().decode(bytes.slice(3));
  assert.ok(text.startsWith("番号,アカウント,サービス,所管課,種別,区分,状態,本文,"));
  assert.equal(text.trimEnd().split("\r\n").length, 3, "header and the two 広報 posts");
  assert.ok(text.includes("七夕まつりの駐車場は=SUM(1,2)台です。"), "text is written as it is");
  assert.ok(!text.includes("総務課】"));

  const operator = await signIn(http, org.staff.kouhouStaff.employeeNo);
  assert.equal((await operator.get("/posts/archive/export.csv")).status, 403);
  assert.equal((await operator.get("/posts/archive/report")).status, 403);
  const entries = await entriesAfter(app.ctx.db, seq, 20);
  const actions = entries
    .filter((e) => e.action === "post.export" || e.action === "auth.denied")
    .map((e) => [e.action, e.actorId]);
  assert.deepEqual(actions, [
    ["post.export", org.staff.kouhouManager.id],
    ["auth.denied", org.staff.kouhouStaff.id],
    ["auth.denied", org.staff.kouhouStaff.id],
  ]);
});

test("the printable report: one section per post with its approval trail, one printed page each", async () => {
  const b = await signIn(http, org.staff.auditor.employeeNo);
  const seq = (await entriesAfter(app.ctx.db, 0, 1_000_000)).length;
  const res = await b.get("/posts/archive/report?q=%E4%B8%83%E5%A4%95");
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.ok(html.includes('<h1 id="report-title">投稿記録の報告書（情報公開請求用）</h1>'));
  assert.ok(html.includes("本文に「七夕」を含む"));
  assert.equal((html.match(/<article class="report-post"/g) ?? []).length, 3, "the auditor sees all three");
  assert.ok(html.includes(`投稿 番号${soumuPost.id}`));
  // The approval trail of the verbally approved post.
  const start = html.indexOf(`id="post-${approved.id}"`);
  const section = html.slice(start, html.indexOf("<article", start));
  assert.ok(section.includes("口頭による許可（事後に記録）"));
  assert.ok(section.includes("電話で確認しました。"));
  assert.ok(
    section.includes("令和8年（2026年）7月1日（水）9時10分"),
    "when the verbal approval was given (Tokyo)",
  );
  assert.ok(section.includes("https://x.com/iwaki_koho/status/777"));
  assert.ok(html.includes("台数を確認してください。"), "the return with its comment");
  assert.ok(html.includes("第5-2(8)（警告）"), "the findings of each version");
  const entries = await entriesAfter(app.ctx.db, seq, 20);
  assert.deepEqual(
    entries.filter((e) => e.action === "post.export").map((e) => [e.actorId, e.summary]),
    [
      [
        org.staff.auditor.id,
        {
          format: "report",
          conditions: ["本文に「七夕」を含む"],
          filter: { q: "七夕" },
          count: 3,
          postIds: [soumuPost.id, returned.id, approved.id],
        },
      ],
    ],
  );
  const css = readFileSync(join(import.meta.dirname, "../../src/http/assets/app.css"), "utf8");
  // Every print block of the stylesheet (other printable pages add their own).
  const print = css.split("@media print").slice(1).join("@media print");
  assert.match(print, /\.report-post \{\s*break-after: page;/, "each post starts a new printed page");
});

test("the manager's report leaves out another division; a report of another division is refused", async () => {
  const b = await signIn(http, org.staff.kouhouManager.employeeNo);
  const html = await b.text("/posts/archive/report?q=%E4%B8%83%E5%A4%95");
  assert.equal((html.match(/<article class="report-post"/g) ?? []).length, 2);
  assert.ok(!html.includes(`投稿 番号${soumuPost.id}`));
  const refused = await b.get(`/posts/archive/report?divisionId=${org.divisions.soumuka.id}`);
  assert.equal(refused.status, 403);
});

test("API twins: search with pages, CSV and the records, with the same visibility and rules", async () => {
  const token = async (persona: "kouhouStaff" | "auditor") =>
    (await createApiToken(app.ctx, { actor: org.actors[persona], input: { name: "archive" } })).token;
  const staffToken = await token("kouhouStaff");
  const auditorToken = await token("auditor");
  const call = (t: string, path: string) =>
    http.request(`/api/v1${path}`, { headers: { authorization: `Bearer ${t}` } });

  const first = await call(staffToken, "/posts/search?limit=40");
  assert.equal(first.status, 200);
  const body: {
    items: Array<{ id: number; statusLabel: string }>;
    total: { count: number };
    next: string | null;
  } = await first.json();
  assert.equal(body.items.length, 40);
  assert.equal(body.total.count, 62, "the operator's division only");
  assert.ok(body.next);
  const second = await (
    await call(staffToken, `/posts/search?limit=40&after=${encodeURIComponent(body.next)}`)
  ).json();
  assert.equal(second.items.length, 22);
  assert.equal(second.next, null);

  const wrong = await call(staffToken, "/posts/search?from=2026-13-01");
  assert.equal(wrong.status, 422);
  assert.match((await wrong.json()).error.message, /期間の始まり/);

  assert.equal((await call(staffToken, "/posts/search/export.csv")).status, 403);
  const csv = await call(auditorToken, "/posts/search/export.csv?kind=post&q=%E4%B8%83%E5%A4%95");
  assert.equal(csv.status, 200);
  assert.equal(
    new TextDecoder()
      .decode(new Uint8Array(await csv.arrayBuffer()))
      .trimEnd()
      .split("\r\n").length,
    4,
  );

  const report = await call(auditorToken, `/posts/search/report?status=returned`);
  assert.equal(report.status, 200);
  const records = await report.json();
  assert.equal(records.items.length, 1);
  assert.equal(records.items[0].post.id, returned.id);
  assert.deepEqual(
    records.items[0].decisions.map((d: { decision: string; comment: string }) => [d.decision, d.comment]),
    [["return", "台数を確認してください。"]],
  );
  assert.equal(records.items[0].versions[0].findings[0].clause, "5.2.8");

  const doc = await (await http.request("/api/v1/openapi.json")).json();
  assert.ok(
    doc.paths["/posts/search"] && doc.paths["/posts/search/export.csv"] && doc.paths["/posts/search/report"],
  );
});

test("a corrected publishing record: the CSV shows the corrected values and the correction, the report its history", async () => {
  app.clock.set("2026-07-10T00:00:00Z");
  await correctPublishingRecord(app.ctx, {
    actor: org.actors.kouhouManager,
    postId: approved.id,
    input: {
      publishedAt: "2026-07-01T09:30",
      url: `https://x.com/${kouhouHandle}/status/778`,
      reason: "発信した投稿を取り違えて記録していたため",
    },
  });
  const manager = await signIn(http, org.staff.kouhouManager.employeeNo);
  const res = await manager.get("/posts/archive/export.csv?q=%E4%B8%83%E5%A4%95");
  const text = new TextDecoder().decode(new Uint8Array(await res.arrayBuffer()).slice(3));
  const [header = ""] = text.split("\r\n");
  const columns = header.split(",");
  assert.ok(columns.includes("発信記録の訂正"));
  const row = text.split("\r\n").find((line) => line.startsWith(`${approved.id},`)) ?? "";
  assert.ok(row.includes(",2026/07/01 09:30:00,"), "the corrected time");
  assert.ok(row.includes(`https://x.com/${kouhouHandle}/status/778`), "the corrected URL");
  assert.ok(
    row.includes(
      `2026/07/10 09:00:00 広報 課長: 発信日時 2026/07/01 09:00:00 → 2026/07/01 09:30:00、URL https://x.com/iwaki_koho/status/777 → https://x.com/${kouhouHandle}/status/778（理由: 発信した投稿を取り違えて記録していたため）`,
    ),
    "the earlier values and why they changed",
  );

  const report = await manager.text("/posts/archive/report?q=%E4%B8%83%E5%A4%95");
  assert.ok(report.includes("発信の記録の訂正履歴（上の値は訂正後のものです）"));
  assert.ok(report.includes("理由: 発信した投稿を取り違えて記録していたため"));
});
