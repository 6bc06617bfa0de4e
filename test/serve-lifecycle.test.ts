/**
 * `snsgov serve` as an operator meets it: a SIGTERM at any moment of start-up (while the first
 * administrator is being created, or as soon as /healthz answers, before the job queue runs)
 * stops it cleanly with exit code 0 and a final signed audit checkpoint; and an unreachable
 * DATABASE_URL is one clear line naming the host, never the password, and a non-zero exit.
 * Runs on PostgreSQL (TEST_DATABASE_URL) or, without it, on the embedded database.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import pg from "pg";
import { preparePostgresTemplate } from "./support/db.ts";

const root = join(import.meta.dirname, "..");
const testUrl = process.env.TEST_DATABASE_URL;
let dir: string;
let databaseUrl: string | undefined;
let databaseName: string | undefined;
const children: ChildProcess[] = [];

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

async function adminQuery(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: testUrl });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "snsgov-serve-"));
  if (!testUrl) return;
  const template = await preparePostgresTemplate(testUrl);
  databaseName = `snsgov_serve_${process.pid}`;
  await adminQuery(`drop database if exists ${databaseName} with (force)`);
  await adminQuery(`create database ${databaseName} template ${template}`);
  const url = new URL(testUrl);
  url.pathname = `/${databaseName}`;
  databaseUrl = url.toString();
});
after(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  if (databaseName) await adminQuery(`drop database if exists ${databaseName} with (force)`);
  await rm(dir, { recursive: true, force: true });
});

type Ran = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

/** Starts `bin/snsgov args`; `onOutput` sees stdout as it grows. */
function start(
  args: string[],
  env: Record<string, string>,
  onOutput: (stdout: string, child: ChildProcess) => void = () => {},
) {
  const {
    DATABASE_URL: _url,
    SNSGOV_AUDIT_KEY_FILE: _key,
    SNSGOV_PUBLIC_URL: _public,
    ...inherited
  } = process.env;
  const child = spawn(join(root, "bin", "snsgov"), args, {
    env: {
      ...inherited,
      SNSGOV_DATA_DIR: join(dir, "data"),
      SNSGOV_AUDIT_KEY_FILE: join(dir, "audit-key.pem"),
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      ...env,
    },
    cwd: dir,
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk) => {
    stdout += chunk;
    onOutput(stdout, child);
  });
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const done = new Promise<Ran>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

async function checkpoints(): Promise<number> {
  const verified = await start(["audit", "verify"], {}).done;
  assert.equal(verified.code, 0, verified.stderr);
  const found = /audit log OK: \d+ entries, (\d+) checkpoints/.exec(verified.stdout);
  assert.ok(found, verified.stdout);
  return Number(found[1]);
}

test("a SIGTERM while the first administrator is created stops cleanly, with exit 0 and a final checkpoint", async () => {
  const port = await freePort();
  let sent = false;
  const { done } = start(["serve"], { PORT: String(port) }, (stdout, child) => {
    if (sent || !stdout.includes("first start. An administrator was created")) return;
    sent = true;
    child.kill("SIGTERM");
  });
  const ran = await done;
  assert.ok(sent, `the first start was not seen: ${ran.stdout} ${ran.stderr}`);
  assert.deepEqual([ran.code, ran.signal], [0, null], ran.stderr);
  assert.doesNotMatch(ran.stdout, /listening on/, "it stopped before serving");
  assert.ok((await checkpoints()) >= 1, "a checkpoint was signed on the way out");
});

test("a SIGTERM as soon as /healthz answers (before the job queue runs) stops cleanly, with a checkpoint", async () => {
  const before = await checkpoints();
  const port = await freePort();
  const { child, done } = start(["serve"], { PORT: String(port) });
  let exited = false;
  void done.then(() => {
    exited = true;
  });
  for (;;) {
    assert.ok(!exited, "the server ended before answering");
    const res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
    if (res?.status === 200) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  child.kill("SIGTERM");
  const ran = await done;
  assert.deepEqual([ran.code, ran.signal], [0, null], ran.stderr);
  assert.match(ran.stderr, /"message":"shutting down","signal":"SIGTERM"/);
  assert.ok((await checkpoints()) >= before, "the audit log still verifies");
});

test("an unreachable DATABASE_URL is one line naming the host, never the password, and exit 2", async () => {
  const port = String(await freePort());
  const ran = await start(["serve"], {
    DATABASE_URL: "postgres://postgres:s3cret-pw@127.0.0.1:1/x",
    PORT: port,
  }).done;
  assert.equal(ran.code, 2);
  assert.equal(
    ran.stderr,
    "snsgov: cannot connect to the database at 127.0.0.1:1/x (ECONNREFUSED); check DATABASE_URL and that the database server is running\n",
  );
  assert.doesNotMatch(ran.stderr + ran.stdout, /s3cret-pw|\n\s+at /, "no password, no stack trace");
});
