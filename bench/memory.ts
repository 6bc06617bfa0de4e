/**
 * `npm run bench:memory`: the memory a running snsgov costs, as an operator's `ps` would show it.
 * Starts `bin/snsgov serve` on a fresh data folder (the embedded PostgreSQL server with its
 * default, durable settings; a small municipality seeded first), then reads the resident memory
 * of the node process and of every PostgreSQL process from /proc at four points: after start,
 * after a checker call, after 1,000 public page requests, and after 1,000 signed-in staff
 * requests. RSS counts PostgreSQL's shared buffers once per process that touched them, so PSS
 * (shared pages divided among the processes sharing them) is printed too. Figures only; nothing
 * is asserted. Linux only (/proc).
 *
 * Options (environment): BENCH_REQUESTS (default 1000), BENCH_CONNECTIONS (default 10).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { createApiToken } from "../src/app/auth/api-tokens.ts";
import { setPasswordDirectly } from "../src/app/auth/sessions.ts";
import { contextFor } from "../src/app/bootstrap.ts";
import { systemActor } from "../src/app/context.ts";
import { silentLogger } from "../src/app/logger.ts";
import { loadConfig } from "../src/config.ts";
import { openEmbedded } from "../src/db/client.ts";
import { serverTempDir } from "../test/support/db.ts";
import { seedOrg } from "../test/support/org.ts";

const requests = Number(process.env.BENCH_REQUESTS ?? 1000);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const root = join(import.meta.dirname, "..");
const PASSWORD = "a long enough memory-benchmark passphrase";

type Memory = { rss: number; pss: number };
type Reading = { label: string; node: Memory; postgres: Memory; processes: number };

/** RSS and PSS of one process in bytes (zero when it is gone). */
async function memoryOf(pid: number): Promise<Memory> {
  const rollup = await readFile(`/proc/${pid}/smaps_rollup`, "utf8").catch(() => "");
  const kb = (name: string) =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(rollup)?.[1] ?? 0) * 1024;
  return { rss: kb("Rss"), pss: kb("Pss") };
}

/** The postmaster and the processes it started. */
async function postgresProcesses(dataDir: string): Promise<number[]> {
  const text = await readFile(join(dataDir, "postgres", "postmaster.pid"), "utf8").catch(() => "");
  const postmaster = Number.parseInt(text.split("\n")[0] ?? "", 10);
  if (!Number.isInteger(postmaster)) return [];
  const found = [postmaster];
  for (const entry of await readdir("/proc")) {
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === postmaster) found.push(Number(entry));
  }
  return found;
}

async function read(label: string, server: ChildProcess, dataDir: string): Promise<Reading> {
  // Let the work of the last requests settle (pg-boss polls, autovacuum naps).
  await new Promise((r) => setTimeout(r, 2000));
  const node = await memoryOf(server.pid ?? 0);
  const pids = await postgresProcesses(dataDir);
  const postgres: Memory = { rss: 0, pss: 0 };
  for (const pid of pids) {
    const m = await memoryOf(pid);
    postgres.rss += m.rss;
    postgres.pss += m.pss;
  }
  return { label, node, postgres, processes: pids.length };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const found = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(found));
    });
  });
}

/** Sends `count` requests, `connections` at a time; returns how many did not answer 2xx. */
async function load(count: number, request: () => Promise<Response>): Promise<number> {
  let next = 0;
  let failed = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const res = await request();
      await res.arrayBuffer();
      if (!res.ok) failed++;
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  return failed;
}

const dir = await serverTempDir("snsgov-bench-memory-");
const dataDir = join(dir, "data");
await mkdir(dataDir);
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
let server: ChildProcess | undefined;
try {
  const { email, token } = await (async () => {
    const handle = await openEmbedded(dataDir);
    try {
      await handle.migrate();
      const ctx = contextFor(handle, loadConfig({ SNSGOV_DATA_DIR: dataDir }), { log: silentLogger });
      const org = await seedOrg(ctx);
      await setPasswordDirectly(ctx, {
        actor: systemActor("bench"),
        staffId: org.staff.admin.id,
        password: PASSWORD,
      });
      const created = await createApiToken(ctx, { actor: org.actors.admin, input: { name: "bench" } });
      return { email: org.staff.admin.email, token: created.token };
    } finally {
      await handle.close();
    }
  })();

  const { DATABASE_URL: _url, ...inherited } = process.env;
  const started = performance.now();
  server = spawn(join(root, "bin", "snsgov"), ["serve"], {
    env: {
      ...inherited,
      SNSGOV_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: "127.0.0.1",
      SNSGOV_PUBLIC_URL: base,
      SNSGOV_COOKIE_SECURE: "false",
      SNSGOV_LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${base}/healthz`).catch(() => undefined);
    if (res?.ok) break;
    if (attempt > 1200) throw new Error("the server did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
  const startSeconds = (performance.now() - started) / 1000;
  const readings: Reading[] = [];
  readings.push(await read("after start", server, dataDir));

  const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const checked = await fetch(`${base}/api/v1/check`, {
    method: "POST",
    headers: auth,
    body: JSON.stringify({
      text: "本日10時から市役所本庁舎で防災訓練を行います。詳しくは市ホームページへ。",
      platform: "x",
    }),
  });
  if (!checked.ok) throw new Error(`checker call failed: ${checked.status} ${await checked.text()}`);
  readings.push(await read("after a checker call", server, dataDir));

  const publicFailed = await load(requests, () => fetch(`${base}/public/accounts`));
  readings.push(await read(`after ${requests} public requests`, server, dataDir));

  const login = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: base },
    body: new URLSearchParams({ login: email, password: PASSWORD }),
  });
  const cookie = login.headers
    .getSetCookie()
    .find((c) => c.startsWith("snsgov_session="))
    ?.split(";")[0];
  if (!cookie) throw new Error(`sign-in failed: ${login.status}`);
  const staffFailed = await load(requests, () => fetch(`${base}/staff`, { headers: { cookie } }));
  readings.push(await read(`after ${requests} signed-in staff requests`, server, dataDir));

  const mb = (bytes: number) => (bytes / 1_048_576).toFixed(0);
  process.stdout.write(
    `\nsnsgov memory (MB): bin/snsgov serve on the embedded PostgreSQL server, started (and answering /healthz) in ${startSeconds.toFixed(1)} s; ${connections} connections; node ${process.version}\n`,
  );
  process.stdout.write(
    "point\tnode RSS\tpostgres RSS (processes)\ttotal RSS\tnode PSS\tpostgres PSS\ttotal PSS\n",
  );
  for (const r of readings) {
    process.stdout.write(
      `${r.label}\t${mb(r.node.rss)}\t${mb(r.postgres.rss)} (${r.processes})\t${mb(r.node.rss + r.postgres.rss)}\t` +
        `${mb(r.node.pss)}\t${mb(r.postgres.pss)}\t${mb(r.node.pss + r.postgres.pss)}\n`,
    );
  }
  if (publicFailed || staffFailed)
    process.stdout.write(`(${publicFailed} public and ${staffFailed} staff requests did not answer 2xx)\n`);
} finally {
  if (server && server.exitCode === null) {
    const running = server;
    const exited = new Promise((r) => running.once("exit", r));
    running.kill("SIGTERM");
    await exited;
  }
  await rm(dir, { recursive: true, force: true });
}
