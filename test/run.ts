/**
 * `npm test`: runs every test file in three groups at once, one per core plus one for the tests
 * that start processes of their own.
 *
 * - Two groups share the in-process test files between them (alternately, by path) and run them
 *   with `--test-isolation=none`: one Node process per group loads the application once instead
 *   of once per file, which more than halves the suite's CPU time. Each file still gets its own
 *   fresh database (test/support/db.ts). In that mode every file's top-level `before` hooks run
 *   before the first test and its `after` hooks after the last test of the group, so databases
 *   stay open until the group ends.
 * - The third group runs, one file per process, the files that start `bin/snsgov` or other
 *   processes, that keep a job queue running between `before` and `after`, or that need a
 *   process of their own (a checker not loaded yet).
 *
 * Each group's report is printed whole when it ends; the exit code is non-zero when any failed.
 * `npm test -- FILE...` runs just those files, each in its own process.
 */
import { spawn } from "node:child_process";
import { globSync } from "node:fs";
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

function groups(): Group[] {
  const requested = process.argv.slice(2);
  if (requested.length > 0) return [{ name: "selected", args: [...common, ...requested] }];
  const files = globSync(["src/**/*.test.ts", "src/**/*.test.tsx", "test/**/*.test.ts"]).sort();
  const shared = files.filter((f) => !ownProcess.has(f));
  const alone = files.filter((f) => ownProcess.has(f));
  const missing = [...ownProcess].filter((f) => !files.includes(f));
  if (missing.length > 0) throw new Error(`test/run.ts names files that do not exist: ${missing.join(", ")}`);
  const half = (n: number) => shared.filter((_, i) => i % 2 === n);
  return [
    { name: "in-process 1/2", args: [...common, "--test-isolation=none", ...half(0)] },
    { name: "in-process 2/2", args: [...common, "--test-isolation=none", ...half(1)] },
    { name: "own processes", args: [...common, "--test-concurrency=1", ...alone] },
  ];
}

function run(group: Group): Promise<{ group: Group; code: number; output: string; seconds: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn("tsx", group.args, { stdio: ["ignore", "pipe", "pipe"] });
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

const list = groups();
// Build the migrated database dump (and PostgreSQL template) once, before the groups need it.
await globalSetup();
const pending = list.map(async (group) => {
  const result = await run(group);
  process.stdout.write(`\n=== ${group.name}: exit ${result.code} after ${result.seconds.toFixed(0)} s ===\n`);
  process.stdout.write(result.output);
  return result;
});
const results = await Promise.all(pending);
const failed = results.filter((r) => r.code !== 0);
process.stdout.write("\n=== summary ===\n");
for (const r of results) {
  const counts = /ℹ tests (\d+)[\s\S]*?ℹ pass (\d+)[\s\S]*?ℹ fail (\d+)/.exec(r.output);
  const summary = counts ? `${counts[2]}/${counts[1]} passed, ${counts[3]} failed` : "no summary";
  process.stdout.write(`${r.group.name}: ${summary}, exit ${r.code}, ${r.seconds.toFixed(0)} s\n`);
}
process.exit(failed.length > 0 ? 1 : 0);
