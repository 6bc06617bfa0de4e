/**
 * `npm run bench:public`: the public pages under a surge of citizens. Seeds 200 official accounts
 * (with media policies, some with running notices, some closed) into a fresh test database,
 * serves the real HTTP stack on loopback, and runs autocannon against /public/accounts (as
 * browsers ask, gzip; plain; and a conditional request answered 304), a verification answer and
 * the JSON feed. In the same run it measures a Hono hello-world served the same way (before and
 * after the snsgov cases; their mean is the ceiling) and prints each case's ratio to it: the
 * target is ≥ 0.30 with p99 ≤ 20 ms for /public/accounts. It also measures Hono answering the
 * uncompressed list's bytes and headers from memory, the ceiling for an answer of that size, and
 * reports what a cold render costs (the cache dropped before each request).
 *
 * Options (environment): BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default 10),
 * BENCH_ACCOUNTS (default 200), BENCH_DATABASE_URL or TEST_DATABASE_URL (PostgreSQL too).
 */
import { cpus, loadavg } from "node:os";
import { Hono } from "hono";
import { contextFor } from "../src/app/bootstrap.ts";
import type { AppContext } from "../src/app/context.ts";
import { silentLogger } from "../src/app/logger.ts";
import { invalidatePublicCaches } from "../src/app/public/cache.ts";
import { loadConfig } from "../src/config.ts";
import * as orgRepo from "../src/db/repos/org.ts";
import { accountNotices } from "../src/db/schema.ts";
import type { AccountStatus } from "../src/domain/accounts.ts";
import type { Platform } from "../src/guideline/pack.ts";
import { createHttpApp } from "../src/http/app.tsx";
import { seedAccount } from "../test/support/accounts.ts";
import { testDatabase } from "../test/support/db.ts";
import { seedOrg } from "../test/support/org.ts";
import { type Figures, listen, measuresExternal, onEachServer, run as runWith } from "./servers.ts";

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const accountCount = Number(process.env.BENCH_ACCOUNTS ?? 200);

const platformsUsed: Array<{ platform: Platform; url: (h: string) => string }> = [
  { platform: "x", url: (h) => `https://x.com/${h}` },
  { platform: "instagram", url: (h) => `https://www.instagram.com/${h}/` },
  { platform: "facebook", url: (h) => `https://www.facebook.com/${h}` },
  { platform: "youtube", url: (h) => `https://www.youtube.com/@${h}` },
  { platform: "line", url: (h) => `https://page.line.me/${h}` },
];

/** 200 accounts over 10 departments × 3 divisions; 1 in 20 closing, 1 in 25 changing, 1 in 30 closed. */
async function seed(ctx: AppContext): Promise<void> {
  const org = await seedOrg(ctx);
  const divisions: number[] = [];
  for (let d = 0; d < 10; d++) {
    const dept = await orgRepo.insertDepartment(ctx.db, { code: `bd${d}`, name: `第${d + 1}部`, kana: "" });
    for (let v = 0; v < 3; v++) {
      const division = await orgRepo.insertDivision(ctx.db, {
        departmentId: dept.id,
        code: `bd${d}v${v}`,
        name: `第${d + 1}部第${v + 1}課`,
        kana: "",
      });
      divisions.push(division.id);
    }
  }
  for (let i = 0; i < accountCount; i++) {
    const spec = platformsUsed[i % platformsUsed.length] ?? {
      platform: "x",
      url: (h: string) => `https://x.com/${h}`,
    };
    const handle = `iwaki_bench${String(i).padStart(3, "0")}`;
    const status: AccountStatus =
      i % 30 === 29
        ? "closed"
        : i % 20 === 19
          ? "closure_announced"
          : i % 25 === 24
            ? "change_announced"
            : "active";
    const account = await seedAccount(ctx, {
      divisionId: divisions[i % divisions.length] ?? org.divisions.kouhou.id,
      managerId: org.staff.kouhouManager.id,
      platform: spec.platform,
      handle,
      url: spec.url(handle),
      name: `いわき市ベンチマーク用アカウント${i + 1}`,
      alias: i % 4 === 0 ? `通称${i + 1}` : "",
      status,
      closedOn: status === "closed" ? "2026-03-31" : null,
      policy: true,
    });
    if (status === "change_announced" || status === "closure_announced") {
      await ctx.db.insert(accountNotices).values({
        accountId: account.id,
        kind: status === "closure_announced" ? "closure" : "change",
        status: "announced",
        details:
          status === "change_announced" ? { handle: `${handle}_new`, url: spec.url(`${handle}_new`) } : {},
        reason: "ベンチマーク用のお知らせです。",
        effectiveDate: "2027-01-31",
        announcementDate: "2026-11-01",
        displayUntil: "2027-12-31",
        requestedAt: new Date(),
      });
    }
  }
}

function run(url: string, label: string, headers: string[] = [], duration = seconds): Promise<Figures> {
  return runWith(url, label, { connections, seconds: duration, headers });
}

/** The framework's ceiling on this machine now: a Hono hello-world on the same server adapter. */
async function helloWorld(label: string): Promise<Figures> {
  const hello = new Hono();
  hello.get("/", (c) => c.text("Hello, World!"));
  const { base, close } = await listen(hello.fetch);
  try {
    await run(`${base}/`, "warm-up", [], 2);
    return await run(`${base}/`, label);
  } finally {
    await close();
  }
}

/**
 * The ceiling for this answer: a Hono app on the same server adapter answering the same bytes with
 * the same headers from memory (what writing them costs, without anything of snsgov). Byte for
 * byte, because over loopback the rate for an answer of this size moves with its exact bytes
 * (docs/performance.md, _Public pages_): the same size with other headers or other content can go
 * at a third of the rate or at one and a half times it.
 */
async function sameAnswer(url: string, label: string): Promise<Figures> {
  const res = await fetch(url, { headers: { "accept-encoding": "identity" } });
  const body = new Uint8Array(await res.arrayBuffer());
  const headers: Record<string, string> = {};
  for (const [name, value] of res.headers)
    if (!["date", "connection", "keep-alive"].includes(name)) headers[name] = value;
  const app = new Hono();
  // A Response with plain headers and bytes: the adapter's fastest path (as snsgov's public answers).
  app.get("/", () => new Response(body, { status: res.status, headers }));
  const { base, close } = await listen(app.fetch);
  try {
    await run(`${base}/`, "warm-up", [], 2);
    return await run(`${base}/`, label);
  } finally {
    await close();
  }
}

/** Mean time of one request when the cache has just been dropped (the database is read). */
async function coldRender(base: string, path: string, times = 20): Promise<number> {
  let total = 0;
  for (let i = 0; i < times; i++) {
    invalidatePublicCaches();
    const started = performance.now();
    const res = await fetch(`${base}${path}`);
    await res.arrayBuffer();
    total += performance.now() - started;
  }
  return total / times;
}

async function measure(driver: "embedded" | "postgres"): Promise<{ figures: Figures[]; cold: string[] }> {
  const handle = await testDatabase({ idleMs: 10_000, max: 10 }); // as the server runs (pg's defaults)
  try {
    const config = loadConfig({
      SNSGOV_DATA_DIR: "/tmp/snsgov-bench-unused",
      SNSGOV_COOKIE_SECURE: "false",
      SNSGOV_LOG_LEVEL: "error",
    });
    const ctx = contextFor(handle, config, { log: silentLogger });
    await seed(ctx);
    const http = createHttpApp(ctx);
    const { base, close } = await listen(http.fetch);
    const list = await (await fetch(`${base}/public/accounts`)).text();
    const shown = /公式アカウント（(\d+)件）/.exec(list)?.[1];
    process.stdout.write(
      `${driver}: /public/accounts lists ${shown} official accounts (${list.length} characters)\n`,
    );
    const verifyPath = `/public/verify?url=${encodeURIComponent("https://x.com/iwaki_bench01O")}`;
    const cold = [
      `${driver}: cold /public/accounts ${(await coldRender(base, "/public/accounts")).toFixed(1)} ms`,
      `${driver}: cold ${verifyPath} ${(await coldRender(base, verifyPath)).toFixed(1)} ms`,
    ];
    const etag = (await fetch(`${base}/public/accounts`)).headers.get("etag") ?? "";
    // Two seconds of load first, not counted: the first seconds compile and tune the hot path.
    await run(`${base}/public/accounts`, "warm-up", ["Accept-Encoding: gzip, deflate, br"], 2);
    const figures = [
      await run(`${base}/public/accounts`, `${driver}: GET /public/accounts (gzip, as browsers ask)`, [
        "Accept-Encoding: gzip, deflate, br",
      ]),
      await run(`${base}/public/accounts`, `${driver}: GET /public/accounts (no compression)`),
      await run(`${base}/public/accounts`, `${driver}: GET /public/accounts (If-None-Match: 304)`, [
        `If-None-Match: ${etag}`,
      ]),
      await run(`${base}${verifyPath}`, `${driver}: GET /public/verify?url=… (lookalike)`),
      await run(`${base}/public/accounts.json`, `${driver}: GET /public/accounts.json`),
      await sameAnswer(
        `${base}/public/accounts`,
        `${driver}: Hono answering the same uncompressed /public/accounts (${Math.round(Buffer.byteLength(list) / 1024)} KiB, same headers) from memory`,
      ),
    ];
    await close();
    return { figures, cold };
  } finally {
    await handle.close();
  }
}

const helloBefore = await helloWorld("Hono hello-world (before)");
const results = await onEachServer(measure);
const helloAfter = await helloWorld("Hono hello-world (after)");
const ceiling = (helloBefore.rps + helloAfter.rps) / 2;
process.stdout.write(
  `\nsnsgov public pages: ${accountCount} accounts, ${connections} connections, ${seconds} s each, node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}\n`,
);
process.stdout.write(
  "case\trequests/s\tratio to hello-world\tp50 ms\tp99 ms\terrors\tnon-2xx\tKiB/s\tserver CPU µs/request\n",
);
for (const f of [helloBefore, ...results.flatMap((r) => r.figures), helloAfter]) {
  process.stdout.write(
    `${f.label}\t${f.rps.toFixed(0)}\t${(f.rps / ceiling).toFixed(2)}\t${f.p50}\t${f.p99}\t${f.errors}\t${f.non2xx}\t${f.kb.toFixed(0)}\t${f.cpuUs.toFixed(0)}\n`,
  );
}
for (const line of results.flatMap((r) => r.cold)) process.stdout.write(`${line}\n`);
if (!measuresExternal)
  process.stdout.write("(set BENCH_DATABASE_URL=postgres://… to measure PostgreSQL too)\n");
