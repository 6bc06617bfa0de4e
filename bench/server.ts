/**
 * `npm run bench:server`: requests/s and latency of the login page and of an authenticated staff
 * list (first page of 1,000 staff; the target is ≥ 1,000 requests/s with p99 ≤ 50 ms on the
 * embedded server, 10 connections), served over loopback by the real HTTP stack, on the embedded
 * database and (when BENCH_DATABASE_URL or TEST_DATABASE_URL is set) on PostgreSQL. Also prints
 * the SQL statements one signed-in request of each main staff page sends (every `pg` query is
 * counted) and its mean time alone.
 *
 * Options (environment): BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default 10), BENCH_ONLY
 * (a path such as `/staff`: load only that signed-in page, e.g. under `--cpu-prof`).
 */
import { cpus, loadavg } from "node:os";
import pg from "pg";
import { setPasswordDirectly } from "../src/app/auth/sessions.ts";
import { contextFor } from "../src/app/bootstrap.ts";
import { systemActor } from "../src/app/context.ts";
import { silentLogger } from "../src/app/logger.ts";
import { loadConfig } from "../src/config.ts";
import type { DatabaseHandle } from "../src/db/client.ts";
import * as orgRepo from "../src/db/repos/org.ts";
import * as staffRepo from "../src/db/repos/staff.ts";
import { createHttpApp } from "../src/http/app.tsx";
import { seedAccount } from "../test/support/accounts.ts";
import { testDatabase } from "../test/support/db.ts";
import { seedPost } from "../test/support/posts.ts";
import { type Figures, listen, measuresExternal, onEachServer, run as runWith } from "./servers.ts";

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const PASSWORD = "benchmark passphrase for the admin";
const only = process.env.BENCH_ONLY;

/** Every statement any `pg` client of this process sends (pool queries included, once). */
let statements = 0;
/** With BENCH_SQL=1 the statements of the first counted request of each page are printed. */
let printing = false;
const clientQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function counted(this: pg.Client, ...args: Parameters<typeof clientQuery>) {
  statements++;
  const [first] = args;
  if (printing) {
    const text =
      typeof first === "string"
        ? first
        : typeof first === "object" && first
          ? Reflect.get(first, "text")
          : "";
    const started = performance.now();
    const result: unknown = Reflect.apply(clientQuery, this, args);
    const line = String(text).replace(/\s+/g, " ").slice(0, 150);
    const done = () =>
      process.stdout.write(`  sql ${(performance.now() - started).toFixed(1)} ms: ${line}\n`);
    if (result instanceof Promise) result.then(done, done);
    else done();
    return result;
  }
  return Reflect.apply(clientQuery, this, args);
} as typeof clientQuery;

async function seed(handle: DatabaseHandle): Promise<number> {
  const db = handle.db;
  const dept = await orgRepo.insertDepartment(db, { code: "bench", name: "総務部", kana: "" });
  const divisions = [];
  for (let i = 0; i < 20; i++) {
    divisions.push(
      await orgRepo.insertDivision(db, {
        departmentId: dept.id,
        code: `d${i}`,
        name: `第${i + 1}課`,
        kana: "",
      }),
    );
  }
  const position = await orgRepo.insertPosition(db, {
    code: "shuji",
    name: "主事",
    rank: 70,
    headOf: "none",
  });
  let adminId = 0;
  for (let i = 0; i < 1000; i++) {
    const division = divisions[i % divisions.length];
    const row = await staffRepo.insertStaff(db, {
      employeeNo: `B${String(i).padStart(5, "0")}`,
      name: `職員 ${i}`,
      kana: `しょくいん ${i}`,
      email: `b${i}@city.example.lg.jp`,
      departmentId: dept.id,
      divisionId: division?.id ?? null,
      positionId: position.id,
      active: true,
    });
    if (i === 0) adminId = row.id;
  }
  await staffRepo.insertAssignment(db, {
    staffId: adminId,
    role: "admin",
    scopeType: "global",
    scopeId: null,
    assignedBy: null,
  });
  return adminId;
}

type PageCost = { label: string; queries: number; ms: number; cpuMs: number; status: number };

/** Statements and mean time of one request of `path`, alone (after two unmeasured requests). */
async function pageCost(base: string, path: string, cookie: string, driver: string): Promise<PageCost> {
  const times = 20;
  let status = 0;
  for (let i = 0; i < 2; i++) await (await fetch(`${base}${path}`, { headers: { cookie } })).arrayBuffer();
  if (process.env.BENCH_SQL === "1") {
    process.stdout.write(`${driver}: GET ${path}\n`);
    printing = true;
    await (await fetch(`${base}${path}`, { headers: { cookie } })).arrayBuffer();
    printing = false;
  }
  const before = statements;
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < times; i++) {
    const res = await fetch(`${base}${path}`, { headers: { cookie }, redirect: "manual" });
    await res.arrayBuffer();
    status = res.status;
  }
  return {
    label: `${driver}: GET ${path}`,
    queries: (statements - before) / times,
    ms: (performance.now() - started) / times,
    cpuMs: ((u) => (u.user + u.system) / 1000 / times)(process.cpuUsage(cpu)),
    status,
  };
}

function run(url: string, headers: string[], label: string): Promise<Figures> {
  return runWith(url, label, { connections, seconds, headers });
}

async function measure(driver: "embedded" | "postgres"): Promise<{ figures: Figures[]; costs: PageCost[] }> {
  const handle = await testDatabase({ idleMs: 10_000, max: 10 }); // as the server runs (pg's defaults)
  try {
    const config = loadConfig({
      SNSGOV_DATA_DIR: "/tmp/snsgov-bench-unused",
      SNSGOV_COOKIE_SECURE: "false",
      SNSGOV_LOG_LEVEL: "error",
    });
    const ctx = contextFor(handle, config, { log: silentLogger });
    const adminId = await seed(handle);
    await setPasswordDirectly(ctx, { actor: systemActor("bench"), staffId: adminId, password: PASSWORD });
    const divisionId = (await staffRepo.findStaff(handle.db, adminId))?.divisionId ?? 0;
    let postId = 0;
    for (let a = 0; a < 5; a++) {
      const account = await seedAccount(ctx, { divisionId, managerId: adminId, operatorIds: [adminId] });
      for (let p = 0; p < 20; p++) {
        const post = await seedPost(ctx, {
          accountId: account.id,
          authorId: adminId,
          status: p % 4 === 0 ? "pending" : "published",
        });
        postId = post.id;
      }
    }
    const http = createHttpApp(ctx);
    const { base, close } = await listen(http.fetch);
    const login = await fetch(`${base}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: base },
      body: new URLSearchParams({ login: "B00000", password: PASSWORD }),
    });
    const cookie = login.headers
      .getSetCookie()
      .find((c) => c.startsWith("snsgov_session="))
      ?.split(";")[0];
    if (!cookie) throw new Error(`benchmark sign-in failed: ${login.status}`);
    const check = await fetch(`${base}/staff`, { headers: { cookie } });
    const page = await check.text();
    if (!page.includes("検索結果 1000件")) throw new Error("staff list did not show 1,000 staff");
    process.stdout.write(`${driver}: /staff is ${Buffer.byteLength(page)} bytes of HTML\n`);
    if (only) {
      const figures = [
        await run(`${base}${only}`, [`Cookie: ${cookie}`], `${driver}: GET ${only} (signed in)`),
      ];
      await close();
      return { figures, costs: [] };
    }
    const costs = [];
    for (const path of ["/", "/staff", "/posts", `/posts/${postId}`, "/accounts"])
      costs.push(await pageCost(base, path, cookie, driver));
    const figures = [
      await run(`${base}/login`, [], `${driver}: GET /login`),
      await run(`${base}/staff`, [`Cookie: ${cookie}`], `${driver}: GET /staff (signed in, 1,000 staff)`),
      await run(`${base}/`, [`Cookie: ${cookie}`], `${driver}: GET / (signed in, dashboard)`),
    ];
    await close();
    return { figures, costs };
  } finally {
    await handle.close();
  }
}

const results = await onEachServer(measure);
process.stdout.write(
  `\nsnsgov server benchmark: ${connections} connections, ${seconds} s each, node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}\n`,
);
process.stdout.write("case\trequests/s\tp50 ms\tp99 ms\terrors\tnon-2xx\tserver CPU µs/request\n");
for (const f of results.flatMap((r) => r.figures)) {
  process.stdout.write(
    `${f.label}\t${f.rps.toFixed(0)}\t${f.p50}\t${f.p99}\t${f.errors}\t${f.non2xx}\t${f.cpuUs.toFixed(0)}\n`,
  );
}
process.stdout.write(
  "\nsigned-in page, one request at a time\tSQL statements per request\tms\tserver CPU ms (this process)\tstatus\n",
);
for (const c of results.flatMap((r) => r.costs)) {
  process.stdout.write(
    `${c.label}\t${c.queries.toFixed(1)}\t${c.ms.toFixed(1)}\t${c.cpuMs.toFixed(1)}\t${c.status}\n`,
  );
}
if (!measuresExternal)
  process.stdout.write("(set BENCH_DATABASE_URL=postgres://… to measure PostgreSQL too)\n");
