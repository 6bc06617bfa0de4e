/**
 * `npm run bench:archive`: the archive of posts at 100,000 posts. Seeds a fresh test database
 * with 30 accounts in 10 divisions and five years of realistic posts (mixed statuses and
 * categories, post-hoc reports, corrections, erroneous markings, ~9% with checker findings, a
 * quarter edited once with the findings of the first version kept), then times the search use
 * case (visibility, first page of 50 and the capped count, as the page runs it) for typical
 * conditions: p50 / p95 / max of the wall time over repeated runs, and the CPU time per search
 * (this process plus the PostgreSQL backend, read from /proc:
 * what a search costs on an idle core, whatever else the machine is doing). The target is under
 * 200 ms on the embedded database and on PostgreSQL. Exports are timed too.
 *
 * Each database is measured twice: as seeded (before autovacuum or the archive's nightly job has
 * given the tables planner statistics) and after ANALYZE. The archive's indexes (migration 0005: pg_trgm on the text, jsonb_path_ops on the
 * findings, (created_at, id)) are in the schema.
 *
 * Options (environment): BENCH_POSTS (default 100000), BENCH_RUNS (default 20),
 * BENCH_DATABASE_URL or TEST_DATABASE_URL (PostgreSQL too).
 */
import { readFile } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import { sql } from "drizzle-orm";
import pg from "pg";
import { loadActor } from "../src/app/actors.ts";
import { contextFor } from "../src/app/bootstrap.ts";
import type { AppContext, StaffActor } from "../src/app/context.ts";
import { silentLogger } from "../src/app/logger.ts";
import { searchPostArchive } from "../src/app/posts/archive.ts";
import { archiveReport, exportArchiveCsv } from "../src/app/posts/archive-export.ts";
import { encodeCursor, parseArchiveFilter, toArchiveQuery } from "../src/app/posts/archive-filter.ts";
import { loadConfig } from "../src/config.ts";
import { type DatabaseHandle, openPostgres } from "../src/db/client.ts";
import { refreshArchiveStatistics, searchArchive } from "../src/db/repos/archive.ts";
import * as orgRepo from "../src/db/repos/org.ts";
import * as staffRepo from "../src/db/repos/staff.ts";
import { postDecisions, posts, postVersions } from "../src/db/schema.ts";
import type { Platform } from "../src/guideline/pack.ts";
import { seedAccount } from "../test/support/accounts.ts";
import { preparePostgresTemplate, testServerUrl } from "../test/support/db.ts";
import { seedOrg } from "../test/support/org.ts";
import { measuresExternal, onEachServer } from "./servers.ts";

const postCount = Number(process.env.BENCH_POSTS ?? 100_000);
const runs = Number(process.env.BENCH_RUNS ?? 20);
const now = new Date("2026-11-24T03:00:00Z");
const years = 5;

/** A small deterministic PRNG (mulberry32), so every run seeds the same archive. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let random = prng(20261124);
const pick = <T>(items: readonly T[]): T => {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error("empty list");
  return item;
};
function weighted<T>(choices: ReadonlyArray<readonly [T, number]>): T {
  const total = choices.reduce((sum, [, w]) => sum + w, 0);
  let r = random() * total;
  for (const [value, w] of choices) {
    r -= w;
    if (r <= 0) return value;
  }
  const last = choices.at(-1);
  if (!last) throw new Error("no choices");
  return last[0];
}

const places = [
  "いわき駅前広場",
  "市文化センター",
  "アクアマリンふくしま",
  "小名浜港",
  "平体育館",
  "勿来の関公園",
  "市立図書館",
  "いわき芸術文化交流館アリオス",
  "四倉海岸",
  "湯本温泉街",
];
const events = [
  "夏まつり",
  "花火大会",
  "防災訓練",
  "健康フェア",
  "朝市",
  "マラソン大会",
  "子ども向け工作教室",
  "市民講座",
  "フラダンス公演",
  "農産物直売会",
];
const topics = [
  (d: string) =>
    `【お知らせ】${d}、${pick(places)}で「${pick(events)}」を開催します。参加無料・申込不要です。詳しくは市ホームページをご覧ください。https://www.city.iwaki.lg.jp/`,
  (d: string) =>
    `【ごみ収集】${d}は祝日ですが、燃やすごみは通常どおり収集します。収集日の朝8時30分までに出してください。`,
  (d: string) =>
    `【気象情報】${d}、市内に大雨注意報が発表されています。河川や用水路には近づかないでください。`,
  (d: string) => `【健康】${d}から特定健診の受付を始めます。対象は40歳から74歳の国民健康保険加入者です。`,
  (d: string) =>
    `【観光】${pick(places)}の桜が見ごろを迎えました（${d}現在）。駐車場が混雑しますので公共交通機関をご利用ください。`,
  (d: string) => `【募集】市民講座「${pick(events)}を楽しもう」の受講者を募集します。締切は${d}です。`,
  (d: string) =>
    `【熱中症に注意】${d}は気温が35度を超える見込みです。こまめな水分補給とエアコンの使用をお願いします。`,
  (d: string) =>
    `【交通規制】${d}、${pick(events)}の開催に伴い、${pick(places)}周辺で交通規制を行います。ご協力をお願いします。`,
  (d: string) =>
    `【結果】${d}に行われた${pick(events)}には約${Math.floor(random() * 90 + 10) * 100}人が来場しました。ありがとうございました。`,
  (d: string) =>
    `【子育て】${d}、市立図書館で絵本の読み聞かせ会を開きます。対象は3歳から6歳のお子さんと保護者です。`,
];

const findingChoices: ReadonlyArray<
  readonly [{ clause: string; severity: "error" | "warning" | "info"; rule: string }, number]
> = [
  [{ clause: "5.3.6", severity: "warning", rule: "third-party-url" }, 30],
  [{ clause: "5.1.5", severity: "warning", rule: "weekday-mismatch" }, 25],
  [{ clause: "5.3.7", severity: "warning", rule: "url-shortener" }, 15],
  [{ clause: "5.2.8", severity: "warning", rule: "rumour" }, 10],
  [{ clause: "5.3.5", severity: "info", rule: "long-sentence" }, 10],
  [{ clause: "5.2.2.1", severity: "error", rule: "phone-number" }, 6],
  [{ clause: "5.2.5", severity: "warning", rule: "personal-opinion" }, 3],
  [{ clause: "5.2.4", severity: "error", rule: "security" }, 1],
];

function findingsFor(text: string) {
  const f = weighted(findingChoices);
  return [
    {
      rule: f.rule,
      clause: f.clause,
      severity: f.severity,
      start: 0,
      end: Math.min(4, text.length),
      message: "ベンチマーク用の指摘です。",
      hint: "",
    },
  ];
}

const jaDate = (at: Date) => {
  const t = new Date(at.getTime() + 9 * 3600_000);
  return `${t.getUTCMonth() + 1}月${t.getUTCDate()}日`;
};

type Seeded = {
  staff: StaffActor;
  director: StaffActor;
  manager: StaffActor;
  accountId: number;
  divisionId: number;
};

/** 30 accounts in 10 divisions with their operators, and `postCount` posts over five years. */
async function seed(ctx: AppContext): Promise<Seeded> {
  random = prng(20261124);
  const org = await seedOrg(ctx);
  const kachou = org.positions.kachou.id;
  const shuji = org.positions.shuji.id;
  const platforms: Platform[] = ["x", "instagram", "facebook", "youtube", "line"];
  const accounts: Array<{ id: number; operators: number[]; managerId: number }> = [];
  const divisionIds: number[] = [];
  let n = 0;
  let firstStaff = 0;
  let firstManager = 0;
  for (let d = 0; d < 5; d++) {
    const dept = await orgRepo.insertDepartment(ctx.db, { code: `ad${d}`, name: `第${d + 1}部`, kana: "" });
    for (let v = 0; v < 2; v++) {
      const division = await orgRepo.insertDivision(ctx.db, {
        departmentId: dept.id,
        code: `ad${d}v${v}`,
        name: `第${d + 1}部第${v + 1}課`,
        kana: "",
      });
      divisionIds.push(division.id);
      const person = async (positionId: number) =>
        staffRepo.insertStaff(ctx.db, {
          employeeNo: `B${String(++n).padStart(4, "0")}`,
          name: `職員 ${n}`,
          kana: "",
          email: `b${n}@city.example.lg.jp`,
          departmentId: dept.id,
          divisionId: division.id,
          positionId,
          active: true,
        });
      const manager = await person(kachou);
      const operators = [await person(shuji), await person(shuji)];
      if (!firstStaff) firstStaff = operators[0]?.id ?? 0;
      if (!firstManager) firstManager = manager.id;
      for (let a = 0; a < 3; a++) {
        const account = await seedAccount(ctx, {
          divisionId: division.id,
          managerId: manager.id,
          operatorIds: operators.map((o) => o.id),
          platform: platforms[(d * 6 + v * 3 + a) % platforms.length],
          name: `いわき市${d + 1}-${v + 1}-${a + 1}`,
          policy: true,
        });
        accounts.push({ id: account.id, operators: operators.map((o) => o.id), managerId: manager.id });
      }
    }
  }

  const start = now.getTime() - years * 365 * 86_400_000;
  const span = now.getTime() - start;
  const batch = 1000;
  const published: number[] = [];
  for (let base = 0; base < postCount; base += batch) {
    const rows: Array<typeof posts.$inferInsert> = [];
    const versions: Array<typeof postVersions.$inferInsert> = [];
    const decisions: Array<typeof postDecisions.$inferInsert> = [];
    const size = Math.min(batch, postCount - base);
    for (let i = 0; i < size; i++) {
      const id = base + i + 1;
      // Spread evenly over five years, jittered; the newest last.
      const createdAt = new Date(start + ((id - 1 + random()) / postCount) * span);
      const account = pick(accounts);
      const author = pick(account.operators);
      const status = weighted([
        ["published", 82],
        ["deleted", 1],
        ["approved", 3],
        ["pending", 3],
        ["draft", 6],
        ["returned", 3],
        ["rejected", 2],
      ] as const);
      const category = weighted([
        ["normal", 88],
        ["repost", 4],
        ["fact", 4],
        ["legal", 2],
        ["emergency", 2],
      ] as const);
      const isCorrection = published.length > 0 && random() < 0.005;
      const text = isCorrection
        ? `【訂正】先ほどのお知らせの日付に誤りがありました。正しくは${jaDate(createdAt)}です。お詫びして訂正いたします。`
        : pick(topics)(jaDate(new Date(createdAt.getTime() + 7 * 86_400_000)));
      const findings = random() < 0.09 ? findingsFor(text) : [];
      const edited = random() < 0.25;
      const firstFindings = edited && random() < 0.3 ? findingsFor(text) : findings;
      const postHoc = category !== "normal";
      const isPublished = status === "published" || status === "deleted";
      const approved = isPublished || status === "approved";
      const at = (minutes: number) => new Date(createdAt.getTime() + minutes * 60_000);
      const erroneous = isPublished && random() < 0.007;
      rows.push({
        id,
        groupId: id,
        accountId: account.id,
        kind: isCorrection ? "correction" : "post",
        category: isCorrection ? "normal" : category,
        status,
        text,
        version: edited ? 2 : 1,
        authorId: author,
        correctsPostId: isCorrection ? pick(published.slice(-200)) : null,
        findings,
        errorCount: findings.filter((f) => f.severity === "error").length,
        warningCount: findings.filter((f) => f.severity === "warning").length,
        submittedAt: status === "draft" ? null : at(30),
        approvedAt: approved ? at(90) : null,
        approvedBy: approved && !postHoc ? account.managerId : null,
        approvalRule: approved ? (postHoc ? "post_hoc" : "manager") : null,
        approvedVersion: approved ? (edited ? 2 : 1) : null,
        reportDueAt: postHoc && isPublished ? at(2 * 24 * 60) : null,
        acknowledgedAt: postHoc && isPublished ? at(26 * 60) : null,
        acknowledgedBy: postHoc && isPublished ? account.managerId : null,
        publishedAt: isPublished ? at(120) : null,
        publishedUrl: isPublished ? `https://x.com/iwaki_city/status/${1_700_000_000_000 + id}` : null,
        publishedBy: isPublished ? author : null,
        deletedAt: status === "deleted" ? at(600) : null,
        deletedReason: status === "deleted" ? "誤った内容のため削除しました。" : null,
        erroneousAt: erroneous ? at(300) : null,
        erroneousBy: erroneous ? account.managerId : null,
        erroneousNote: erroneous ? "日付に誤りがあります。" : null,
        correctionDueAt: erroneous ? at(300 + 24 * 60) : null,
        createdAt,
        updatedAt: at(120),
      });
      if (isPublished) published.push(id);
      versions.push({
        postId: id,
        version: 1,
        text,
        findings: firstFindings,
        images: [],
        authorId: author,
        at: createdAt,
      });
      if (edited)
        versions.push({ postId: id, version: 2, text, findings, images: [], authorId: author, at: at(20) });
      if (approved && !postHoc)
        decisions.push({
          postId: id,
          version: edited ? 2 : 1,
          decision: "approve",
          rule: "manager",
          actorId: account.managerId,
          at: at(90),
        });
      if (postHoc && isPublished)
        decisions.push({
          postId: id,
          version: 1,
          decision: "acknowledge",
          rule: "post_hoc",
          actorId: account.managerId,
          at: at(26 * 60),
        });
    }
    await ctx.db.insert(posts).values(rows);
    await ctx.db.insert(postVersions).values(versions);
    if (decisions.length) await ctx.db.insert(postDecisions).values(decisions);
  }
  await ctx.db.execute(
    sql`select setval(pg_get_serial_sequence('posts', 'id'), (select max(id) from posts))`,
  );

  const actor = async (id: number) => {
    const a = await loadActor(ctx.db, id, "session");
    if (!a) throw new Error(`no actor ${id}`);
    return a;
  };
  const first = accounts[0];
  if (!first) throw new Error("no accounts");
  return {
    staff: await actor(firstStaff),
    director: org.actors.policyDirector,
    manager: await actor(firstManager),
    accountId: first.id,
    divisionId: divisionIds[0] ?? 0,
  };
}

type Case = { label: string; actor: "director" | "staff"; input: Record<string, string>; deep?: boolean };

function cases(s: Seeded): Case[] {
  const account = String(s.accountId);
  return [
    { label: "no conditions (overseer)", actor: "director", input: {} },
    { label: "no conditions (division staff: 3 accounts)", actor: "staff", input: {} },
    { label: "account", actor: "director", input: { accountId: account } },
    { label: "division", actor: "director", input: { divisionId: String(s.divisionId) } },
    { label: "text, common (花火大会)", actor: "director", input: { q: "花火大会" } },
    {
      label: "text, rare (勿来の関公園で「フラダンス公演」)",
      actor: "director",
      input: { q: "勿来の関公園で「フラダンス公演」" },
    },
    { label: "text, no match", actor: "director", input: { q: "該当しない語句" } },
    { label: "text, one character (桜)", actor: "director", input: { q: "桜" } },
    {
      label: "text with Latin letters, any case (City.Iwaki)",
      actor: "director",
      input: { q: "City.Iwaki" },
    },
    { label: "text with Latin letters, rare (X.COM/IWAKI)", actor: "director", input: { q: "X.COM/IWAKI" } },
    { label: "clause 5.2.2.1 (current or any version)", actor: "director", input: { clause: "5.2.2.1" } },
    { label: "clause 5.2.4 (rare)", actor: "director", input: { clause: "5.2.4" } },
    { label: "created in one month", actor: "director", input: { from: "2024-07-01", to: "2024-07-31" } },
    {
      label: "published in one year",
      actor: "director",
      input: { dateField: "published", from: "2023-04-01", to: "2024-03-31" },
    },
    { label: "status pending", actor: "director", input: { status: "pending" } },
    { label: "category emergency", actor: "director", input: { category: "emergency" } },
    { label: "corrections", actor: "director", input: { kind: "correction" } },
    { label: "erroneous", actor: "director", input: { erroneous: "1" } },
    {
      label: "account + text + one year",
      actor: "director",
      input: { accountId: account, q: "お知らせ", from: "2025-01-01", to: "2025-12-31" },
    },
    {
      label: "division + clause + published",
      actor: "director",
      input: { divisionId: String(s.divisionId), clause: "5.3.6", status: "published" },
    },
    { label: "staff: text + clause", actor: "staff", input: { q: "交通規制", clause: "5.1.5" } },
    { label: "page 21 (after the 1,000th row)", actor: "director", input: {}, deep: true },
  ];
}

type Row = {
  phase: string;
  label: string;
  p50: number;
  p95: number;
  max: number;
  /** CPU time per call: this process (the embedded database runs in it) plus the PostgreSQL backend. */
  cpu: number;
  found: string;
};

/** CPU time used so far, in ms: this process, plus the PostgreSQL backend when there is one. */
type CpuMeter = () => Promise<number>;

function processCpu(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Reads a backend's CPU time (utime + stime, clock ticks of 10 ms) from /proc. */
async function backendCpu(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) * 10;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)] ?? Number.NaN;
}

async function measureCases(ctx: AppContext, s: Seeded, phase: string, cpuNow: CpuMeter): Promise<Row[]> {
  const out: Row[] = [];
  for (const c of cases(s)) {
    const actor = c.actor === "director" ? s.director : s.staff;
    const filter = parseArchiveFilter(c.input);
    let after: string | undefined;
    if (c.deep) {
      const { rows } = await searchArchive(ctx.db, {
        query: toArchiveQuery(filter),
        scope: { all: true },
        limit: 1000,
      });
      const last = rows.at(-1);
      after = last ? encodeCursor(last.cursor) : undefined;
    }
    const times: number[] = [];
    let found = "";
    let cpuStart = 0;
    for (let i = 0; i < runs + 2; i++) {
      if (i === 2) cpuStart = await cpuNow();
      const started = performance.now();
      const page = await searchPostArchive(ctx, { actor, filter, after });
      const ms = performance.now() - started;
      if (i >= 2) times.push(ms);
      found = `${page.total.capped ? "≥" : ""}${page.total.count.toLocaleString("en-US")} (${page.rows.length} shown)`;
    }
    const cpu = ((await cpuNow()) - cpuStart) / runs;
    times.sort((a, b) => a - b);
    out.push({
      phase,
      label: c.label,
      p50: percentile(times, 50),
      p95: percentile(times, 95),
      max: times.at(-1) ?? Number.NaN,
      cpu,
      found,
    });
  }
  return out;
}

/** Export timings: CSV of one division's year, and a 50-post report (each is also an audit entry). */
async function measureExports(ctx: AppContext, s: Seeded, phase: string, cpuNow: CpuMeter): Promise<Row[]> {
  const out: Row[] = [];
  const items = [
    {
      label: "CSV: one division, one year",
      input: { divisionId: String(s.divisionId), from: "2025-01-01", to: "2025-12-31" },
      run: "csv" as const,
    },
    {
      label: "CSV: six months of everything (near the 10,000 limit)",
      input: { from: "2026-06-01", to: "2026-11-24" },
      run: "csv" as const,
    },
    {
      label: "report: one account, one month, every record",
      input: { accountId: String(s.accountId), from: "2026-06-01", to: "2026-06-30" },
      run: "report" as const,
    },
  ];
  for (const item of items) {
    const filter = parseArchiveFilter(item.input);
    const times: number[] = [];
    let found = "";
    const n = Math.max(3, Math.floor(runs / 4));
    let cpuStart = 0;
    for (let i = 0; i < n + 1; i++) {
      if (i === 1) cpuStart = await cpuNow();
      const started = performance.now();
      try {
        if (item.run === "csv") {
          const file = await exportArchiveCsv(ctx, { actor: s.director, filter });
          found = `${file.count.toLocaleString("en-US")} posts, ${(file.body.length / 1024 / 1024).toFixed(1)} MB`;
        } else {
          const report = await archiveReport(ctx, { actor: s.director, filter });
          found = `${report.posts.length} posts`;
        }
      } catch (error) {
        found = error instanceof Error ? error.message.slice(0, 60) : String(error);
      }
      if (i >= 1) times.push(performance.now() - started);
    }
    const cpu = ((await cpuNow()) - cpuStart) / n;
    times.sort((a, b) => a - b);
    out.push({
      phase,
      label: item.label,
      p50: percentile(times, 50),
      p95: percentile(times, 95),
      max: times.at(-1) ?? Number.NaN,
      cpu,
      found,
    });
  }
  return out;
}

/**
 * A fresh migrated database. PostgreSQL is opened with one connection, so the CPU time of its one
 * backend process can be read from /proc (the server runs on this machine).
 */
async function openDatabase(): Promise<DatabaseHandle> {
  const url = testServerUrl();
  const template = await preparePostgresTemplate(url);
  const name = `snsgov_bench_archive_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`drop database if exists ${name}`);
  await admin.query(`create database ${name} template ${template}`);
  await admin.end();
  const target = new URL(url);
  target.pathname = `/${name}`;
  const handle = await openPostgres(target.toString(), { max: 1 });
  return {
    ...handle,
    async close() {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

async function measure(driver: "embedded" | "postgres"): Promise<Row[]> {
  const handle = await openDatabase();
  try {
    const config = loadConfig({
      SNSGOV_DATA_DIR: "/tmp/snsgov-bench-unused",
      SNSGOV_COOKIE_SECURE: "false",
      SNSGOV_LOG_LEVEL: "error",
    });
    const ctx = contextFor(handle, config, { log: silentLogger, clock: { now: () => now } });
    const started = performance.now();
    const seeded = await seed(ctx);
    const counts = await ctx.db.execute(
      sql`select (select count(*) from posts)::integer as posts, (select count(*) from post_versions)::integer as versions, (select count(*) from post_decisions)::integer as decisions`,
    );
    process.stdout.write(
      `${driver}: seeded ${JSON.stringify(counts.rows[0])} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
    );
    const found = await ctx.db.execute(sql`select pg_backend_pid() as pid`);
    const pid = Number(found.rows[0]?.pid);
    const cpuNow: CpuMeter = async () => processCpu() + (await backendCpu(pid));
    const rows: Row[] = [];
    rows.push(...(await measureCases(ctx, seeded, `${driver}, as seeded`, cpuNow)));
    const analyzing = performance.now();
    await refreshArchiveStatistics(ctx.db);
    process.stdout.write(
      `${driver}: statistics refreshed (the nightly job) in ${((performance.now() - analyzing) / 1000).toFixed(1)} s\n`,
    );
    rows.push(...(await measureCases(ctx, seeded, `${driver}, analyzed`, cpuNow)));
    rows.push(...(await measureExports(ctx, seeded, `${driver}, analyzed`, cpuNow)));
    return rows;
  } finally {
    await handle.close();
  }
}

const results = (await onEachServer(measure)).flat();
process.stdout.write(
  `\nsnsgov archive: ${postCount.toLocaleString("en-US")} posts, ${runs} runs per case, node ${process.version}\n`,
);
process.stdout.write(
  `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")} on ${cpus().length} cores\n`,
);
process.stdout.write("database\tcase\tp50 ms\tp95 ms\tmax ms\tCPU ms\tfound\n");
for (const r of results) {
  process.stdout.write(
    `${r.phase}\t${r.label}\t${r.p50.toFixed(1)}\t${r.p95.toFixed(1)}\t${r.max.toFixed(1)}\t${r.cpu.toFixed(1)}\t${r.found}\n`,
  );
}
if (!measuresExternal)
  process.stdout.write("(set BENCH_DATABASE_URL=postgres://… to measure PostgreSQL too)\n");
