/**
 * The archive search and its exports against a real database: each condition alone and
 * combined, who sees what (never another division's posts, not even in a count or an export),
 * keyset pagination without gaps or repeats, the CSV as Excel opens it, the report's records, and
 * the authorization and audit entry of every export.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "drizzle-orm";
import { seedAccount } from "../../../test/support/accounts.ts";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { type SeedPost, seedPost } from "../../../test/support/posts.ts";
import { entriesAfter } from "../../db/repos/audit.ts";
import { insertDecision, insertImage, insertVersion, type Post, updatePost } from "../../db/repos/posts.ts";
import { AppError } from "../../errors.ts";
import type { Actor } from "../context.ts";
import { readCsv } from "../csv.ts";
import { searchPostArchive } from "./archive.ts";
import { archiveCsvHeaders, archiveReport, exportArchiveCsv } from "./archive-export.ts";
import { archiveFeature } from "./archive-feature.ts";
import { type ArchiveFilter, parseArchiveFilter } from "./archive-filter.ts";

let app: TestApp;
let org: TestOrg;
let p: Record<"fireworks" | "pending" | "emergency" | "correction" | "soumu" | "fixed" | "byOther", Post>;
let accounts: { kouhouX: number; kouhouIg: number; soumuX: number; many: number };

const finding = (clause: string, severity: "error" | "warning" = "error") => ({
  rule: "test",
  clause,
  severity,
  start: 0,
  end: 2,
  message: "テスト用の指摘です。",
  hint: "",
});

before(async () => {
  app = await testApp();
  org = await seedOrg(app.ctx);
  const { staff, divisions } = org;
  accounts = {
    kouhouX: (
      await seedAccount(app.ctx, {
        divisionId: divisions.kouhou.id,
        managerId: staff.kouhouManager.id,
        operatorIds: [staff.kouhouStaff.id],
        name: "広報X",
      })
    ).id,
    kouhouIg: (
      await seedAccount(app.ctx, {
        divisionId: divisions.kouhou.id,
        managerId: staff.kouhouManager.id,
        operatorIds: [staff.kouhouStaff.id],
        platform: "instagram",
        name: "広報Instagram",
      })
    ).id,
    soumuX: (
      await seedAccount(app.ctx, {
        divisionId: divisions.soumuka.id,
        managerId: staff.soumuManager.id,
        operatorIds: [staff.soumuStaff.id],
        name: "総務X",
      })
    ).id,
    many: (
      await seedAccount(app.ctx, {
        divisionId: divisions.furusato.id,
        managerId: staff.desk.id,
        name: "ふるさと発信",
      })
    ).id,
  };
  const at = (iso: string) => new Date(iso);
  const post = (spec: SeedPost) => seedPost(app.ctx, spec);
  const fireworks = await post({
    accountId: accounts.kouhouX,
    authorId: staff.kouhouStaff.id,
    text: "【お知らせ】8月1日に花火大会を開催します。",
    createdAt: at("2026-01-10T01:00:00Z"),
    publishedAt: at("2026-01-11T03:00:00Z"),
    approvedBy: staff.kouhouManager.id,
  });
  const pending = await post({
    accountId: accounts.kouhouX,
    authorId: staff.kouhouStaff.id,
    status: "pending",
    text: "担当の山田様（090-1234-5678）までご連絡ください。",
    findings: [finding("5.2.2.1")],
    createdAt: at("2026-03-05T01:00:00Z"),
  });
  const emergency = await post({
    accountId: accounts.kouhouIg,
    authorId: staff.kouhouStaff.id,
    category: "emergency",
    text: "【緊急】大雨警報が発表されました。",
    createdAt: at("2026-05-01T01:00:00Z"),
    publishedAt: at("2026-05-01T01:05:00Z"),
  });
  const correction = await post({
    accountId: accounts.kouhouX,
    authorId: staff.kouhouStaff.id,
    kind: "correction",
    correctsPostId: fireworks.id,
    text: "【訂正】花火大会は8月2日です。お詫びして訂正いたします。",
    createdAt: at("2026-06-01T01:00:00Z"),
    publishedAt: at("2026-06-20T01:00:00Z"),
  });
  await updatePost(
    app.ctx.db,
    fireworks.id,
    {
      erroneousAt: at("2026-05-31T01:00:00Z"),
      erroneousBy: staff.soumuStaff.id,
      erroneousNote: "日付が誤っています。",
    },
    at("2026-05-31T01:00:00Z"),
  );
  const soumu = await post({
    accountId: accounts.soumuX,
    authorId: staff.soumuStaff.id,
    text: "花火大会の交通規制について（総務課）。連絡先 soumu@example.jp",
    findings: [finding("5.2.2.1")],
    createdAt: at("2026-02-01T01:00:00Z"),
  });
  // An earlier version had a shortener (5.3.7); the current text does not.
  const fixed = await post({
    accountId: accounts.kouhouX,
    authorId: staff.kouhouStaff.id,
    status: "approved",
    text: "詳しくは https://bit.ly/xyz をご覧ください。",
    findings: [finding("5.3.7", "warning")],
    createdAt: at("2026-04-01T01:00:00Z"),
  });
  await insertVersion(app.ctx.db, {
    postId: fixed.id,
    version: 2,
    text: "詳しくは https://www.city.iwaki.lg.jp/ をご覧ください。",
    findings: [],
    images: [],
    authorId: staff.kouhouStaff.id,
    at: at("2026-04-02T01:00:00Z"),
  });
  await updatePost(
    app.ctx.db,
    fixed.id,
    { version: 2, text: "詳しくは https://www.city.iwaki.lg.jp/ をご覧ください。", findings: [] },
    at("2026-04-02T01:00:00Z"),
  );
  // Written by a 総務課 member for a 広報 account (an operator then): visible to its author.
  const byOther = await post({
    accountId: accounts.kouhouIg,
    authorId: staff.soumuStaff.id,
    status: "draft",
    text: '=HYPERLINK("http://evil.example","click") 写真展のお知らせ',
    createdAt: at("2026-07-01T01:00:00Z"),
  });
  await insertDecision(app.ctx.db, {
    postId: fireworks.id,
    version: 1,
    decision: "return",
    actorId: staff.kouhouManager.id,
    comment: "日付を確認してください。",
    at: at("2026-01-10T02:00:00Z"),
  });
  await insertDecision(app.ctx.db, {
    postId: fireworks.id,
    version: 1,
    decision: "approve",
    rule: "verbal",
    actorId: staff.kouhouManager.id,
    givenAt: at("2026-01-10T02:30:00Z"),
    at: at("2026-01-10T04:00:00Z"),
  });
  await insertImage(app.ctx.db, {
    postId: fireworks.id,
    filename: "hanabi.jpg",
    contentType: "image/jpeg",
    bytes: new Uint8Array([0xff, 0xd8, 0xff]),
    size: 3,
    alt: "夜空に上がる大輪の花火",
    rights: "own",
    rightsNote: "広報広聴課職員が撮影",
  });
  p = { fireworks, pending, emergency, correction, soumu, fixed, byOther };
  // 201 posts of one account, many created at the same instant (ties broken by id).
  for (let i = 0; i < 201; i++) {
    await post({
      accountId: accounts.many,
      authorId: staff.desk.id,
      status: i % 3 === 0 ? "draft" : "published",
      text: `ふるさと便り 第${i + 1}号`,
      createdAt: new Date(Date.UTC(2025, 0, 1 + Math.floor(i / 7))),
    });
  }
});
after(() => app.close());

const filter = (input: Record<string, string> = {}): ArchiveFilter => parseArchiveFilter(input);

async function ids(actor: Actor, input: Record<string, string> = {}): Promise<number[]> {
  const page = await searchPostArchive(app.ctx, { actor, filter: filter(input), limit: 500 });
  return page.rows.map((r) => r.id);
}

const sorted = (list: number[]) => [...list].sort((a, b) => a - b);

describe("conditions", () => {
  test("each condition alone finds exactly its posts (as an overseer)", async () => {
    const director = org.actors.policyDirector;
    assert.deepEqual(
      sorted(await ids(director, { q: "花火大会" })),
      sorted([p.fireworks.id, p.correction.id, p.soumu.id]),
    );
    assert.deepEqual(
      sorted(await ids(director, { accountId: String(accounts.kouhouIg) })),
      sorted([p.emergency.id, p.byOther.id]),
    );
    assert.equal(
      (await ids(director, { divisionId: String(org.divisions.soumuka.id) })).join(),
      String(p.soumu.id),
    );
    assert.deepEqual(
      await ids(director, { from: "2026-03-01", to: "2026-05-01" }),
      [p.emergency.id, p.fixed.id, p.pending.id],
      "created between 1 March and 1 May (the end day included), newest first",
    );
    assert.deepEqual(
      await ids(director, { dateField: "published", from: "2026-06-01", to: "2026-06-30" }),
      [p.correction.id],
      "published in June",
    );
    assert.deepEqual(await ids(director, { status: "pending" }), [p.pending.id]);
    assert.deepEqual(await ids(director, { category: "emergency" }), [p.emergency.id]);
    assert.deepEqual(await ids(director, { kind: "correction" }), [p.correction.id]);
    assert.deepEqual(sorted(await ids(director, { clause: "5.2.2.1" })), sorted([p.pending.id, p.soumu.id]));
    assert.deepEqual(
      await ids(director, { clause: "5.3.7" }),
      [p.fixed.id],
      "a finding of an earlier version counts",
    );
    assert.deepEqual(await ids(director, { erroneous: "1" }), [p.fireworks.id]);
  });

  test("conditions combine (all must hold)", async () => {
    const director = org.actors.policyDirector;
    assert.deepEqual(
      await ids(director, { q: "花火大会", divisionId: String(org.divisions.kouhou.id), kind: "post" }),
      [p.fireworks.id],
    );
    assert.deepEqual(await ids(director, { clause: "5.2.2.1", status: "published" }), [p.soumu.id]);
    assert.deepEqual(
      await ids(director, { accountId: String(accounts.kouhouX), to: "2026-03-31", erroneous: "1" }),
      [p.fireworks.id],
    );
    assert.deepEqual(await ids(director, { q: "花火大会", category: "emergency" }), []);
  });

  test("the text is searched literally: % and _ are not wildcards", async () => {
    const director = org.actors.policyDirector;
    assert.deepEqual(await ids(director, { q: "%" }), []);
    assert.deepEqual(await ids(director, { q: "_" }), []);
    assert.deepEqual(await ids(director, { q: "花_大会" }), [], "_ would match 花火大会 as a wildcard");
    assert.deepEqual(await ids(director, { q: "花%会" }), []);
    assert.deepEqual(
      await ids(director, { q: "火" }).then(sorted),
      sorted([p.fireworks.id, p.correction.id, p.soumu.id]),
    );
    assert.deepEqual(await ids(director, { q: "BIT.LY" }), [], "the current text no longer has the link");
    assert.deepEqual(await ids(director, { q: "CITY.IWAKI" }), [p.fixed.id], "Latin letters ignore case");
  });

  test("wrong conditions are refused with a Japanese message per field", () => {
    assert.throws(
      () => filter({ from: "2026-05-01", to: "2026-04-01" }),
      (e: unknown) =>
        e instanceof AppError &&
        e.status === 422 &&
        e.fields.some((f) => f.field === "to" && f.message.includes("期間の終わり")),
    );
    assert.throws(
      () => filter({ from: "2026-02-30" }),
      (e: unknown) => e instanceof AppError && e.message.includes("存在しない日付"),
    );
    assert.throws(
      () => filter({ clause: "第5条" }),
      (e: unknown) => e instanceof AppError && e.message.includes("5.2.2.1"),
    );
    assert.throws(
      () => filter({ status: "lost" }),
      (e: unknown) => e instanceof AppError && e.status === 422,
    );
  });
});

describe("visibility", () => {
  test("staff see their division's posts and the posts they wrote, never another division's", async () => {
    const kouhou = await ids(org.actors.kouhouStaff);
    assert.ok(kouhou.includes(p.fireworks.id) && kouhou.includes(p.emergency.id));
    assert.ok(!kouhou.includes(p.soumu.id), "総務課の投稿は見えない");
    assert.ok(!kouhou.some((id) => id > p.byOther.id), "ふるさと発信課の投稿は見えない");
    const soumu = await ids(org.actors.soumuStaff);
    assert.deepEqual(sorted(soumu), sorted([p.soumu.id, p.byOther.id]), "own division + own writing");
    const page = await searchPostArchive(app.ctx, {
      actor: org.actors.soumuStaff,
      filter: filter({ q: "花火" }),
    });
    assert.deepEqual(page.total, { count: 1, capped: false }, "the count leaves out what cannot be seen");
    assert.deepEqual(await ids(org.actors.kouhouStaff, { clause: "5.2.2.1" }), [p.pending.id]);
  });

  test("the account manager sees the division; the directors and auditors see everything, the admin does not", async () => {
    const manager = await ids(org.actors.kouhouManager);
    assert.ok(manager.includes(p.byOther.id) && !manager.includes(p.soumu.id));
    const total = 7 + 201;
    for (const who of [org.actors.policyDirector, org.actors.securityDirector, org.actors.auditor]) {
      const page = await searchPostArchive(app.ctx, { actor: who, filter: filter() });
      assert.equal(page.total.count, total, who.name);
    }
    // The system administrator runs the system, not the posts: their own division's only.
    assert.deepEqual(await ids(org.actors.admin), [p.soumu.id]);
  });
});

describe("pagination", () => {
  test("pages of 50 follow each other without gaps or repeats, forwards and back", async () => {
    const actor = org.actors.desk;
    const f = filter({ accountId: String(accounts.many) });
    const forward: number[][] = [];
    let after: string | undefined;
    for (;;) {
      const page = await searchPostArchive(app.ctx, { actor, filter: f, after });
      assert.equal(page.total.count, 201);
      forward.push(page.rows.map((r) => r.id));
      if (forward.length > 1) assert.ok(page.prev, "a later page links back");
      if (!page.next) break;
      after = page.next;
    }
    assert.deepEqual(
      forward.map((page) => page.length),
      [50, 50, 50, 50, 1],
    );
    const all = forward.flat();
    assert.equal(new Set(all).size, 201, "no repeats");
    const expected = (await ids(org.actors.policyDirector, { accountId: String(accounts.many) })).slice(
      0,
      201,
    );
    assert.deepEqual(all, expected, "the same order as one long page: newest first, ties by id");

    const backward: number[][] = [];
    let last = await searchPostArchive(app.ctx, { actor, filter: f, after });
    let before = last.prev ?? undefined;
    while (before) {
      last = await searchPostArchive(app.ctx, { actor, filter: f, before });
      backward.unshift(last.rows.map((r) => r.id));
      before = last.prev ?? undefined;
    }
    assert.deepEqual(backward, forward.slice(0, -1), "going back gives the same pages");
  });
});

describe("pagination with text", () => {
  test("a costly text condition gives the same first page, count and following pages", async () => {
    const actor = org.actors.desk;
    const walk = async (input: Record<string, string>) => {
      const pages: number[][] = [];
      let after: string | undefined;
      let counts: number[] = [];
      for (;;) {
        const page = await searchPostArchive(app.ctx, { actor, filter: filter(input), after });
        pages.push(page.rows.map((r) => r.id));
        counts = [...counts, page.total.count];
        if (!page.next) break;
        after = page.next;
      }
      return { pages, counts };
    };
    const byText = await walk({ q: "ふるさと便り" });
    const byAccount = await walk({ accountId: String(accounts.many) });
    assert.deepEqual(byText.pages, byAccount.pages);
    assert.deepEqual(byText.counts, [201, 201, 201, 201, 201]);
    const few = await searchPostArchive(app.ctx, { actor, filter: filter({ q: "ふるさと便り 第20" }) });
    assert.deepEqual(
      few.rows.map((r) => r.text),
      ["ふるさと便り 第201号", "ふるさと便り 第200号", "ふるさと便り 第20号"],
    );
    assert.deepEqual([few.total, few.next, few.prev], [{ count: 3, capped: false }, null, null]);
  });
});

describe("exports", () => {
  const text = (body: Uint8Array) => {
    assert.deepEqual([...body.slice(0, 3)], [0xef, 0xbb, 0xbf], "UTF-8 BOM");
    return new TextDecoder().decode(body.slice(3));
  };

  test("CSV: BOM, the columns, one row per post, formulas neutralised, only what may be exported", async () => {
    const file = await exportArchiveCsv(app.ctx, {
      actor: org.actors.kouhouManager,
      filter: filter({ divisionId: String(org.divisions.kouhou.id) }),
    });
    assert.equal(file.count, 6);
    const body = text(file.body);
    assert.ok(body.startsWith(`${archiveCsvHeaders.join(",")}\r\n`));
    const doc = readCsv(file.body);
    const rows = doc.records.slice(1).map((r) => r.cells);
    assert.equal(rows.length, 6);
    const byId = new Map(rows.map((r) => [r[0], r]));
    const col = (name: (typeof archiveCsvHeaders)[number]) => archiveCsvHeaders.indexOf(name);
    const fireworks = byId.get(String(p.fireworks.id));
    assert.ok(fireworks);
    assert.equal(fireworks[col("アカウント")], "広報X");
    assert.equal(fireworks[col("所管課")], "広報広聴課");
    assert.equal(fireworks[col("状態")], "発信済");
    assert.equal(fireworks[col("承認者")], "広報 課長");
    assert.equal(fireworks[col("発信日時")], "2026/01/11 12:00:00");
    assert.equal(fireworks[col("誤りの指摘日時")], "2026/05/31 10:00:00");
    assert.equal(fireworks[col("訂正投稿の番号")], String(p.correction.id));
    assert.equal(byId.get(String(p.correction.id))?.[col("訂正対象の投稿番号")], String(p.fireworks.id));
    assert.equal(byId.get(String(p.pending.id))?.[col("指摘（条項）")], "第5-2(2)①（エラー）");
    assert.equal(
      byId.get(String(p.byOther.id))?.[col("本文")],
      `'=HYPERLINK("http://evil.example","click") 写真展のお知らせ`,
      "a cell starting with = is text in Excel",
    );
    assert.ok(!body.includes("総務課の交通規制") && !body.includes("交通規制"), "no other division's post");
  });

  test("a manager's export without conditions holds only the managed division's posts", async () => {
    const file = await exportArchiveCsv(app.ctx, { actor: org.actors.kouhouManager, filter: filter() });
    assert.equal(file.count, 6);
    assert.ok(!text(file.body).includes("交通規制"));
  });

  test("an operator may not export; a manager may not export another division; both are recorded", async () => {
    const seq = (await entriesAfter(app.ctx.db, 0, 1_000_000)).length;
    await assert.rejects(
      exportArchiveCsv(app.ctx, { actor: org.actors.kouhouStaff, filter: filter() }),
      (e: unknown) => e instanceof AppError && e.status === 403,
    );
    await assert.rejects(
      archiveReport(app.ctx, {
        actor: org.actors.kouhouManager,
        filter: filter({ divisionId: String(org.divisions.soumuka.id) }),
      }),
      (e: unknown) => e instanceof AppError && e.status === 403,
    );
    await assert.rejects(
      exportArchiveCsv(app.ctx, {
        actor: org.actors.kouhouManager,
        filter: filter({ accountId: String(accounts.soumuX) }),
      }),
      (e: unknown) => e instanceof AppError && e.status === 403,
    );
    const entries = await entriesAfter(app.ctx.db, seq, 10);
    assert.deepEqual(
      entries.map((e) => [e.action, e.actorId]),
      [
        ["auth.denied", org.staff.kouhouStaff.id],
        ["auth.denied", org.staff.kouhouManager.id],
        ["auth.denied", org.staff.kouhouManager.id],
      ],
    );
  });

  test("every export is one audit entry with the conditions and the number of posts", async () => {
    const seq = (await entriesAfter(app.ctx.db, 0, 1_000_000)).length;
    await exportArchiveCsv(app.ctx, { actor: org.actors.auditor, filter: filter({ q: "花火" }) });
    await archiveReport(app.ctx, { actor: org.actors.auditor, filter: filter({ erroneous: "1" }) });
    const entries = await entriesAfter(app.ctx.db, seq, 10);
    assert.deepEqual(
      entries.map((e) => [e.action, e.actorId, e.targetType]),
      [
        ["post.export", org.staff.auditor.id, "posts"],
        ["post.export", org.staff.auditor.id, "posts"],
      ],
    );
    assert.deepEqual(entries[0]?.summary, {
      format: "csv",
      conditions: ["本文に「花火」を含む"],
      filter: { q: "花火" },
      count: 3,
    });
    assert.deepEqual(entries[1]?.summary, {
      format: "report",
      conditions: ["誤りの指摘がある投稿"],
      filter: { erroneous: "1" },
      count: 1,
      postIds: [p.fireworks.id],
    });
  });

  test("the report has every version, decision, image, correction and name", async () => {
    const report = await archiveReport(app.ctx, {
      actor: org.actors.policyDirector,
      filter: filter({ accountId: String(accounts.kouhouX) }),
    });
    assert.equal(report.generatedBy, "政策 部長");
    assert.equal(report.conditions[0], "アカウント: 広報X（X（旧Twitter））");
    const fireworks = report.posts.find((r) => r.post.id === p.fireworks.id);
    assert.ok(fireworks);
    assert.deepEqual(
      fireworks.decisions.map((d) => [d.decision, d.rule, d.actorName, d.givenAt?.toISOString() ?? null]),
      [
        ["return", "", "広報 課長", null],
        ["approve", "verbal", "広報 課長", "2026-01-10T02:30:00.000Z"],
      ],
    );
    assert.deepEqual(
      fireworks.images.map((i) => [i.alt, i.rights, i.rightsNote]),
      [["夜空に上がる大輪の花火", "own", "広報広聴課職員が撮影"]],
    );
    assert.deepEqual(
      fireworks.corrections.map((c) => c.id),
      [p.correction.id],
    );
    assert.equal(fireworks.erroneousByName, "総務 主事");
    const fixed = report.posts.find((r) => r.post.id === p.fixed.id);
    assert.deepEqual(
      fixed?.versions.map((v) => [v.version, v.findings.map((f) => f.clause)]),
      [
        [1, ["5.3.7"]],
        [2, []],
      ],
    );
  });

  test("a report of more posts than fit is refused with how to narrow it, and nothing is recorded", async () => {
    const seq = (await entriesAfter(app.ctx.db, 0, 1_000_000)).length;
    await assert.rejects(
      archiveReport(app.ctx, {
        actor: org.actors.auditor,
        filter: filter({ accountId: String(accounts.many) }),
      }),
      (e: unknown) => e instanceof AppError && e.status === 422 && e.message.includes("200件まで"),
    );
    assert.equal((await entriesAfter(app.ctx.db, seq, 10)).length, 0);
  });
});

describe("upkeep", () => {
  test("the nightly job analyses the posts tables (whether or not autovacuum got to them)", async () => {
    const analysed = async () =>
      (
        await app.ctx.db.execute(
          sql`select last_analyze is not null as done from pg_stat_user_tables where relname = 'posts'`,
        )
      ).rows[0]?.done === true;
    assert.equal(await analysed(), false, "nothing has run ANALYZE on posts yet");
    const task = archiveFeature.periodic?.find((t) => t.name === "refresh archive statistics");
    assert.ok(task);
    assert.equal(task.cron, "30 3 * * *");
    await task.run(app.ctx);
    assert.equal(await analysed(), true);
  });
});
