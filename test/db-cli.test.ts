/**
 * `snsgov db` and `snsgov user` end to end through `bin/snsgov`, on an embedded database folder:
 * backup, a change, restore (the change is gone, the replaced database kept); the refusals an
 * operator meets (the folder in use, a PGlite folder of an earlier version); and the move to
 * PostgreSQL with `db copy-to` (a database on the test server), after which the same commands
 * work against the copy.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { desc } from "drizzle-orm";
import pg from "pg";
import { createCheckpoint } from "../src/app/audit/checkpoint.ts";
import { loadSigningKey } from "../src/app/audit/keys.ts";
import { contextFor } from "../src/app/bootstrap.ts";
import type { AppContext } from "../src/app/context.ts";
import { silentLogger } from "../src/app/logger.ts";
import { createDepartment } from "../src/app/org/units.ts";
import { execute, parseDbArgs, run } from "../src/cli/db.ts";
import { loadConfig } from "../src/config.ts";
import { lastBackup } from "../src/db/backup-log.ts";
import { openEmbedded } from "../src/db/client.ts";
import { startEmbeddedServer } from "../src/db/embedded.ts";
import { auditLog } from "../src/db/schema.ts";
import { emptyTestDatabase, serverTempDir } from "./support/db.ts";
import { seedOrg, type TestOrg } from "./support/org.ts";

const root = join(import.meta.dirname, "..");
let dir: string;
let dataDir: string;
let org: TestOrg;

/** Opens (migrating it) the embedded database in `dataDir` in this process, while no command runs on it. */
async function withEmbedded<T>(work: (ctx: AppContext) => Promise<T>): Promise<T> {
  const handle = await openEmbedded(dataDir);
  try {
    await handle.migrate();
    return await work(contextFor(handle, loadConfig({ SNSGOV_DATA_DIR: dataDir }), { log: silentLogger }));
  } finally {
    await handle.close();
  }
}

before(async () => {
  dir = await serverTempDir("snsgov-db-cli-");
  dataDir = join(dir, "data");
  await mkdir(dataDir);
  org = await withEmbedded(async (ctx) => {
    const seeded = await seedOrg(ctx);
    await createDepartment(ctx, { actor: seeded.actors.admin, input: { code: "kanko", name: "観光部" } });
    const key = await loadSigningKey(ctx.config.auditKeyFile);
    assert.equal((await createCheckpoint(ctx, key.privateKey)).kind, "created");
    return seeded;
  });
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Ran = { code: number | null; stdout: string; stderr: string };

/** Runs `bin/snsgov` on the test folder with `env` added. */
function snsgov(args: string[], env: Record<string, string> = {}): Promise<Ran> {
  const {
    DATABASE_URL: _url,
    SNSGOV_AUDIT_KEY_FILE: _key,
    SNSGOV_PUBLIC_URL: _public,
    ...inherited
  } = process.env;
  const child = spawn(join(root, "bin", "snsgov"), args, {
    env: { ...inherited, SNSGOV_DATA_DIR: dataDir, ...env },
    cwd: dir,
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const ok = (ran: Ran) => assert.equal(ran.code, 0, `exit ${ran.code}: ${ran.stderr}`);

test("backup, then a new administrator, then restore: the administrator is gone, the replaced data kept", async () => {
  const backup = join(dir, "nightly.tar.gz");
  const saved = await snsgov(["db", "backup", backup]);
  ok(saved);
  assert.match(saved.stdout, /^backup written: .*\/nightly\.tar\.gz \(\d+\.\d MB\) in \d+\.\d s\n$/);
  // The record the setup checklist reads: beside the cluster, so a restore does not take it back.
  const recorded = await lastBackup(dataDir);
  assert.equal(recorded?.file, backup, "the backup is recorded in the data folder");

  const created = await snsgov([
    "user",
    "create-admin",
    "--employee-no",
    "R900",
    "--name",
    "復元 前子",
    "--email",
    "r900@city.example.lg.jp",
    "--department",
    "soumu",
    "--division",
    "soumuka",
    "--position",
    "shuji",
  ]);
  ok(created);
  assert.match(
    created.stdout,
    /one-time URL .*:\n {2}http:\/\/localhost:3000\/password\/[A-Za-z0-9_-]{43}\n$/,
  );

  const restored = await snsgov(["db", "restore", backup]);
  ok(restored);
  const [first = "", second = ""] = restored.stdout.split("\n");
  assert.match(
    first,
    /^restored .*nightly\.tar\.gz into .*\/data\/postgres in \d+\.\d s: 9 staff, 1 audit entries$/,
  );
  const kept =
    /^the database it replaced is kept in (.*\/data\/postgres\.before-restore-[0-9TZ-]+); delete/.exec(
      second,
    );
  assert.ok(kept, restored.stdout);
  // create-admin signed a checkpoint the restored database lacks: a new anchor file starts.
  assert.match(
    restored.stdout,
    /\nthe audit anchor file was moved to .*\/data\/audit-anchors\.jsonl\.before-restore-[0-9TZ-]+; keep it/,
  );

  const listed = await snsgov(["user", "list"]);
  ok(listed);
  assert.match(listed.stdout, new RegExp(`^${org.staff.admin.employeeNo} +管理 太郎 `, "m"));
  assert.doesNotMatch(listed.stdout, /R900/, "the administrator added after the backup is gone");
  assert.match(listed.stdout, /\n9 people, 9 active, 0 with a password\n$/);

  const previous = await startEmbeddedServer(dataDir, { cluster: kept[1] ?? "" });
  const client = new pg.Client({ connectionString: previous.url() });
  await client.connect();
  const there = await client.query<{ n: number }>(
    "select count(*)::int as n from staff where employee_no = 'R900'",
  );
  await client.end();
  await previous.stop();
  assert.equal(there.rows[0]?.n, 1, "the replaced database still holds the administrator");

  const lastEntry = await withEmbedded(async (ctx) => {
    const [row] = await ctx.db.select().from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
    return row;
  });
  assert.equal(lastEntry?.action, "system.restore", "the restore itself is on the record");
  assert.equal(lastEntry?.actorLabel, "cli");
  assert.deepEqual(Object.keys(lastEntry?.summary ?? {}).sort(), ["file", "sha256"]);
});

test("backup and restore refuse clearly while the server holds the folder", async () => {
  const backup = join(dir, "nightly.tar.gz");
  await writeFile(join(dataDir, "snsgov.lock"), `${process.pid}\n`);
  const inUse = `is in use by another snsgov process (pid ${process.pid}); stop the server first, then run this again\n`;
  try {
    const [backupWhileUp, restoreWhileUp] = await Promise.all([
      snsgov(["db", "backup", join(dir, "other.tar.gz")]),
      snsgov(["db", "restore", backup]),
    ]);
    assert.deepEqual(backupWhileUp, {
      code: 1,
      stdout: "",
      stderr: `snsgov db: cannot back up: the data folder ${dataDir} ${inUse}`,
    });
    assert.deepEqual(restoreWhileUp, {
      code: 1,
      stdout: "",
      stderr: `snsgov db: cannot restore: the data folder ${dataDir} ${inUse}`,
    });
  } finally {
    await rm(join(dataDir, "snsgov.lock"));
  }
  assert.deepEqual(
    (await readdir(dir)).filter((f) => f.endsWith(".tar.gz")),
    ["nightly.tar.gz"],
    "no backup was written while the server held the folder",
  );
});

test("a PGlite data folder of an earlier version is refused with the way to move it, untouched", async () => {
  const old = join(dir, "pglite-data");
  await mkdir(join(old, "pgdata"), { recursive: true });
  await writeFile(join(old, "pgdata", "PG_VERSION"), "17\n");
  const ran = await snsgov(["db", "migrate"], { SNSGOV_DATA_DIR: old });
  assert.equal(ran.code, 1);
  assert.equal(
    ran.stderr,
    `snsgov db: ${join(old, "pgdata")} is a database of an earlier snsgov version (PGlite), which this version cannot open; ` +
      "with that version, copy it into a PostgreSQL database (`snsgov db copy-to postgres://…`) and start this version " +
      "with DATABASE_URL set to that database (see docs/operations.md)\n",
  );
  assert.deepEqual(await readdir(old), ["pgdata"], "nothing was added or changed");
});

test("misuse and DATABASE_URL are refused with a reason (in-process)", async () => {
  let err = "";
  const io = {
    out: () => {},
    err: (text: string) => {
      err += text;
    },
  };
  assert.equal(await run([], io), 2);
  assert.match(err, /^snsgov db: missing db command\nusage: snsgov db migrate\n/);
  err = "";
  assert.equal(await run(["copy-to", "mysql://localhost/snsgov"], io), 2);
  assert.match(err, /^snsgov db: the target must be a postgres:\/\/ or postgresql:\/\/ URL\n/);
  assert.equal(parseDbArgs(["backup"]), "backup needs the backup FILE");
  assert.equal(parseDbArgs(["migrate", "now"]), 'unexpected argument "now"');
  assert.equal(parseDbArgs(["vacuum"]), 'unknown db command "vacuum"');

  const onServer = loadConfig({
    SNSGOV_DATA_DIR: dataDir,
    DATABASE_URL: "postgres://snsgov:secret@127.0.0.1:1/snsgov",
  });
  for (const [command, line] of [
    [
      { name: "restore", file: "x.tar.gz" },
      "restore works on the embedded database only; restore PostgreSQL with pg_restore or psql (see docs/operations.md)",
    ],
    [
      { name: "backup", file: "x.tar.gz" },
      "backup works on the embedded database only; back up PostgreSQL with pg_dump (see docs/operations.md)",
    ],
    [
      { name: "copy-to", url: "postgres://elsewhere/snsgov" },
      "copy-to works on the embedded database only; unset it to copy from the embedded database in SNSGOV_DATA_DIR",
    ],
  ] as const) {
    err = "";
    assert.equal(await execute(command, onServer, io), 1);
    assert.equal(err, `snsgov db: DATABASE_URL is set: ${line}\n`);
  }
  err = "";
  assert.equal(await execute({ name: "migrate" }, onServer, io), 1, "an unreachable server is a failure");
  assert.match(err, /^snsgov db: .*ECONNREFUSED|^snsgov db: connect /);
  assert.doesNotMatch(err, /secret/, "the password in the URL is never printed");
});

test("copy-to moves everything to PostgreSQL, where the audit log verifies and the users are the same", async () => {
  const empty = await emptyTestDatabase();
  const target = empty.url;
  try {
    const copied = await snsgov(["db", "copy-to", target]);
    ok(copied);
    assert.match(copied.stdout, /^ {2}table +rows\n/);
    assert.match(copied.stdout, /\n {2}staff +9\n/);
    assert.match(copied.stdout, /\n {2}departments +3\n/);
    assert.match(
      copied.stdout,
      /\ncopied \d+ rows in \d+ tables and set \d+ sequences in \d+\.\d s; the row count of every table matches\n/,
    );
    assert.match(copied.stdout, /\non the target: audit log OK: 2 entries, 1 checkpoints, last seq 2\n/);

    const onTarget = { DATABASE_URL: target };
    const [verified, listed, again] = await Promise.all([
      snsgov(["audit", "verify"], onTarget),
      snsgov(["user", "list"], onTarget),
      snsgov(["db", "copy-to", target]),
    ]);
    assert.deepEqual(
      [verified.code, verified.stdout],
      [0, "audit log OK: 2 entries, 1 checkpoints, last seq 2\n"],
    );
    ok(listed);
    assert.match(listed.stdout, /\n9 people, 9 active, 0 with a password\n$/);
    assert.match(
      listed.stdout,
      new RegExp(
        `\\n${org.staff.kouhouManager.employeeNo} +広報 課長 .* account_manager \\(division kouhou\\), from position\\n`,
      ),
    );
    let migrated = "";
    const io = {
      out: (text: string) => {
        migrated += text;
      },
      err: () => {},
    };
    assert.equal(await execute({ name: "migrate" }, loadConfig({ DATABASE_URL: target }), io), 0);
    assert.match(migrated, /^database is up to date: \d+ migrations \(PostgreSQL at postgres:\/\//);
    assert.equal(again.code, 1);
    assert.match(
      again.stderr,
      /\nsnsgov db: the target database is not empty \(rows in audit_checkpoints, audit_log, /,
    );
  } finally {
    await empty.drop();
  }
});
