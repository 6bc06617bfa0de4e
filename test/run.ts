/**
 * `npm test`: runs every test file in three groups at once, one per core plus one for the tests
 * that start processes of their own.
 *
 * - Two groups share the in-process test files between them, balanced by time: each file weighs
 *   what its tests took in the last full run (recorded in .test-cache/durations.json by
 *   test/support/durations-reporter.ts; on a fresh clone, such as CI's, the committed times of
 *   test/durations.json), or, never measured yet, its size at the measured files' seconds per
 *   byte; the heaviest file goes first into the lighter group. They run with `--test-isolation=none`: one Node process per group loads the application once instead
 *   of once per file, which more than halves the suite's CPU time. Each file still gets its own
 *   fresh database (test/support/db.ts). In that mode every file's top-level `before` hooks run
 *   before the first test and its `after` hooks after the last test of the group, so databases
 *   stay open until the group ends.
 * - The third group runs, one file per process, the files that start `bin/snsgov` or other
 *   processes, that keep a job queue running between `before` and `after`, or that need a
 *   process of their own (a checker not loaded yet).
 *
 * All of them use one database server: TEST_DATABASE_URL's when set, otherwise an embedded
 * PostgreSQL server started here in a temporary folder for the whole run (stopped at the end,
 * also on failure or Ctrl-C) and named to the test processes in TEST_DATABASE_URL.
 *
 * Each group's report is printed whole when it ends; the exit code is non-zero when any failed.
 * At the end it prints the run's peak memory: the summed resident memory of every process under
 * it (sampled from /proc every half second), and the largest single process.
 * `npm test -- FILE...` runs just those files, each in its own process.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { globSync, readFileSync, statSync } from "node:fs";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestServer, type TestServer } from "./support/db.ts";
import { globalSetup } from "./support/global-setup.ts";

const ownProcess = new Set([
  "src/checker/index.test.ts",
  "src/checker/cli.test.ts",
  "src/cli/import.test.ts",
  "src/jobs/delivery.test.ts",
  "src/jobs/runner.test.ts",
  "test/audit-cli.test.ts",
  "test/db-cli.test.ts",
  "test/fault-kill.test.ts",
  "test/serve-lifecycle.test.ts",
]);

const common = ["--test", "--test-global-setup=test/support/global-setup.ts"];

type Group = { name: string; args: string[] };

/** Where the in-process groups' reporters write this run's times. */
const timesDir = join(tmpdir(), `snsgov-test-times-${process.pid}`);

/** Where the last full run's time per in-process file is kept (not in git). */
const durationsFile = ".test-cache/durations.json";

/**
 * Committed seconds per file of one full run, so that a fresh clone (CI's) balances by time too;
 * refresh after tests move a lot: `cp .test-cache/durations.json test/durations.json`.
 */
const committedDurationsFile = "test/durations.json";

/** Seconds per file in `path`, or {} when it is missing or not such a record. */
function durationsIn(path: string): Record<string, number> {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, "utf8"));
    if (typeof parsed !== "object" || parsed === null) return {};
    return Object.fromEntries(
      Object.entries(parsed).filter((e): e is [string, number] => typeof e[1] === "number"),
    );
  } catch {
    return {};
  }
}

/** Seconds per file of the last full run here, else of the committed run. */
function recordedDurations(): Record<string, number> {
  const local = durationsIn(durationsFile);
  return Object.keys(local).length > 0 ? local : durationsIn(committedDurationsFile);
}

/**
 * Splits `files` into `n` groups of about the same total weight (recorded seconds, else size at
 * the recorded seconds per byte): heaviest first, each into the group with the least so far
 * (ties by path). Each group keeps path order.
 */
function balance(files: string[], n: number): string[][] {
  const recorded = recordedDurations();
  const known = files.filter((f) => recorded[f] !== undefined);
  const knownBytes = known.reduce((sum, f) => sum + statSync(f).size, 0);
  const knownSeconds = known.reduce((sum, f) => sum + (recorded[f] ?? 0), 0);
  const perByte = knownBytes > 0 && knownSeconds > 0 ? knownSeconds / knownBytes : 1;
  const sized = files
    .map((file) => ({ file, size: recorded[file] ?? statSync(file).size * perByte }))
    .sort((a, b) => b.size - a.size || (a.file < b.file ? -1 : 1));
  const groups = Array.from({ length: n }, () => ({ size: 0, files: [] as string[] }));
  for (const { file, size } of sized) {
    const lightest = groups.reduce((min, g) => (g.size < min.size ? g : min));
    lightest.files.push(file);
    lightest.size += size;
  }
  return groups.map((g) => g.files.sort());
}

function groups(): Group[] {
  const requested = process.argv.slice(2);
  if (requested.length > 0) return [{ name: "selected", args: [...common, ...requested] }];
  const files = globSync(["src/**/*.test.ts", "src/**/*.test.tsx", "test/**/*.test.ts"]).sort();
  const shared = files.filter((f) => !ownProcess.has(f));
  const alone = files.filter((f) => ownProcess.has(f));
  const missing = [...ownProcess].filter((f) => !files.includes(f));
  if (missing.length > 0) throw new Error(`test/run.ts names files that do not exist: ${missing.join(", ")}`);
  const [first, second] = balance(shared, 2);
  const timed = (n: number) => [
    "--test-reporter=spec",
    "--test-reporter-destination=stdout",
    "--test-reporter=./test/support/durations-reporter.ts",
    `--test-reporter-destination=${join(timesDir, `group-${n}.json`)}`,
  ];
  return [
    { name: "in-process 1/2", args: [...common, ...timed(1), "--test-isolation=none", ...(first ?? [])] },
    { name: "in-process 2/2", args: [...common, ...timed(2), "--test-isolation=none", ...(second ?? [])] },
    { name: "own processes", args: [...common, "--test-concurrency=1", ...alone] },
  ];
}

const children = new Set<ChildProcess>();

function run(group: Group): Promise<{ group: Group; code: number; output: string; seconds: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn("tsx", group.args, { stdio: ["ignore", "pipe", "pipe"] });
    children.add(child);
    const chunks: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => chunks.push(c));
    child.stderr.on("data", (c: Buffer) => chunks.push(c));
    child.on("close", (code, signal) => {
      const seconds = (performance.now() - started) / 1000;
      const output = Buffer.concat(chunks).toString("utf8");
      resolve({ group, code: code ?? (signal ? 1 : 0), output, seconds });
    });
  });
}

// Memory: the processes under this one (test groups, the servers and postgres processes they
// start), from /proc every half second. Where there is no /proc it prints nothing.
type Sample = { total: number; postgres: number; largest: { rss: number; pid: number; name: string } };
const peak: Sample = { total: 0, postgres: 0, largest: { rss: 0, pid: 0, name: "" } };
const pageSize = 4096;

async function sampleMemory(): Promise<void> {
  const entries = await readdir("/proc").catch(() => [] as string[]);
  const parent = new Map<number, number>();
  const info = new Map<number, { rss: number; name: string }>();
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
    const close = stat.lastIndexOf(")");
    if (close < 0) continue;
    const name = stat.slice(stat.indexOf("(") + 1, close);
    const fields = stat.slice(close + 2).split(" ");
    parent.set(pid, Number(fields[1]));
    info.set(pid, { rss: Number(fields[21]) * pageSize, name });
  }
  const mine = new Set([process.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of parent) {
      if (!mine.has(pid) && mine.has(ppid)) {
        mine.add(pid);
        grew = true;
      }
    }
  }
  let total = 0;
  let postgres = 0;
  for (const pid of mine) {
    const p = info.get(pid);
    if (!p) continue;
    total += p.rss;
    if (p.name === "postgres") postgres += p.rss;
    if (p.rss > peak.largest.rss) peak.largest = { rss: p.rss, pid, name: p.name };
  }
  if (total > peak.total) {
    peak.total = total;
    peak.postgres = postgres;
  }
}

const gb = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(2)} GB`;
const startedAt = performance.now();
let sampling = Promise.resolve();
const sampler = setInterval(() => {
  sampling = sampling.then(sampleMemory);
}, 500);

let server: TestServer | undefined;
async function stopServer(): Promise<void> {
  const running = server;
  server = undefined;
  await running
    ?.stop()
    .catch((error: unknown) => process.stderr.write(`could not stop the test server: ${error}\n`));
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    for (const child of children) child.kill(signal);
    void stopServer().then(() => process.exit(130));
  });
}

const list = groups();
if (!process.env.TEST_DATABASE_URL) {
  server = await startTestServer();
  process.env.TEST_DATABASE_URL = server.url;
  process.env.SNSGOV_TEST_EMBEDDED = "1";
  process.stdout.write("tests on an embedded PostgreSQL server (set TEST_DATABASE_URL to use another)\n");
}
// Build the migrated template once, before the groups need it.
try {
  await globalSetup();
} catch (error) {
  await stopServer();
  throw error;
}
await mkdir(timesDir, { recursive: true });
const pending = list.map(async (group) => {
  const result = await run(group);
  process.stdout.write(`\n=== ${group.name}: exit ${result.code} after ${result.seconds.toFixed(0)} s ===\n`);
  process.stdout.write(result.output);
  return result;
});
const results = await Promise.all(pending);
clearInterval(sampler);
await sampling;
await stopServer();
const failed = results.filter((r) => r.code !== 0);
// A full run that passed records its times for the next one's balance (a run of chosen files does
// not, nor a failed one: tests failing at once, say on a refused connection, would record times
// that crowd the next run's files into one group).
if (process.argv.length <= 2 && failed.length === 0) {
  const times: Record<string, number> = { ...recordedDurations() };
  for (const n of [1, 2]) {
    const text = await readFile(join(timesDir, `group-${n}.json`), "utf8").catch(() => "");
    try {
      Object.assign(times, JSON.parse(text));
    } catch {
      // A group that did not finish leaves no times; the previous record stays.
    }
  }
  if (Object.keys(times).length > 0) {
    await mkdir(".test-cache", { recursive: true });
    await writeFile(durationsFile, `${JSON.stringify(times, Object.keys(times).sort(), 2)}\n`);
  }
}
await rm(timesDir, { recursive: true, force: true });
process.stdout.write("\n=== summary ===\n");
for (const r of results) {
  const counts = /ℹ tests (\d+)[\s\S]*?ℹ pass (\d+)[\s\S]*?ℹ fail (\d+)/.exec(r.output);
  const summary = counts ? `${counts[2]}/${counts[1]} passed, ${counts[3]} failed` : "no summary";
  process.stdout.write(`${r.group.name}: ${summary}, exit ${r.code}, ${r.seconds.toFixed(0)} s\n`);
}
const wall = (performance.now() - startedAt) / 1000;
process.stdout.write(`wall time: ${wall.toFixed(0)} s\n`);
if (peak.total > 0) {
  process.stdout.write(
    `peak memory: ${gb(peak.total)} summed RSS of all test processes (postgres ${gb(peak.postgres)} of it); ` +
      `largest process ${gb(peak.largest.rss)} (${peak.largest.name}, pid ${peak.largest.pid})\n`,
  );
}
process.exit(failed.length > 0 ? 1 : 0);
