/**
 * `snsgov audit` as an operator and an auditor use it: in-process against the test database
 * and once end to end through `bin/snsgov` on an embedded database folder.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { sql } from "drizzle-orm";
import { createCheckpoint } from "../src/app/audit/checkpoint.ts";
import { loadSigningKey } from "../src/app/audit/keys.ts";
import { contextFor } from "../src/app/bootstrap.ts";
import type { AppContext } from "../src/app/context.ts";
import { silentLogger } from "../src/app/logger.ts";
import { createDepartment, createDivision } from "../src/app/org/units.ts";
import {
  type AuditCommand,
  type AuditDeps,
  type AuditIo,
  execute,
  parseAuditArgs,
  run,
} from "../src/cli/audit.ts";
import { loadConfig } from "../src/config.ts";
import { openEmbedded } from "../src/db/client.ts";
import { appendEntries, rewriteChainFrom, withTriggersDisabled } from "./support/audit.ts";
import { type TestApp, testApp } from "./support/context.ts";
import { serverTempDir } from "./support/db.ts";
import { seedOrg } from "./support/org.ts";

const root = join(import.meta.dirname, "..");
let dir: string;
let app: TestApp;

before(async () => {
  dir = await serverTempDir("snsgov-audit-cli-");
  app = await testApp({ env: { SNSGOV_AUDIT_KEY_FILE: join(dir, "keys", "audit.pem") } });
});
after(async () => {
  await app.close();
  await rm(dir, { recursive: true, force: true });
});

/** An AuditIo that keeps what was written. */
function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const io: AuditIo = {
    out: (text) => {
      out.push(text);
    },
    err: (text) => {
      err.push(text);
    },
  };
  return { io, out: () => out.join(""), err: () => err.join("") };
}

/** Runs an `audit` command line in-process against the test database; returns code and output. */
async function audit(...args: string[]) {
  const command = parseAuditArgs(args);
  if (typeof command === "string") throw new Error(command);
  const captured = capture();
  const deps: AuditDeps = {
    config: app.ctx.config,
    io: captured.io,
    open: async () => ({ ctx: app.ctx, close: async () => {} }),
  };
  const code = await execute(command, deps);
  return { code, out: captured.out(), err: captured.err() };
}

test("bad arguments are named, so the command can print its usage", () => {
  assert.equal(parseAuditArgs([]), "missing audit command");
  assert.equal(parseAuditArgs(["erase"]), 'unknown audit command "erase"');
  assert.match(String(parseAuditArgs(["verify", "--force"])), /Unknown option '--force'/);
  assert.equal(parseAuditArgs(["export", "--from", "2026-04-01"]), "export needs --from and --to");
  assert.equal(
    parseAuditArgs(["export", "--from", "2026-02-30", "--to", "2026-03-01"]),
    "dates must be YYYY-MM-DD",
  );
  assert.equal(
    parseAuditArgs(["export", "--from", "2026-04-02", "--to", "2026-04-01"]),
    "--from is after --to",
  );
  assert.equal(parseAuditArgs(["checkpoint", "--out", "x"]), '--out does not apply to "audit checkpoint"');
  const expected: AuditCommand = {
    name: "export",
    from: "2026-04-01",
    to: "2026-04-30",
    out: "a.jsonl",
    publicKeyFile: undefined,
  };
  assert.deepEqual(
    parseAuditArgs(["export", "--from", "2026-04-01", "--to", "2026-04-30", "--out", "a.jsonl"]),
    expected,
  );
  assert.deepEqual(parseAuditArgs(["verify", "--file", "a.jsonl", "--public-key", "k.pub"]), {
    name: "verify-file",
    file: "a.jsonl",
    publicKeyFile: "k.pub",
  });
  assert.deepEqual(parseAuditArgs(["verify", "--anchor", "anchors.jsonl", "--anchor", "public.json"]), {
    name: "verify",
    publicKeyFiles: [],
    anchorFiles: ["anchors.jsonl", "public.json"],
  });
  assert.equal(
    parseAuditArgs(["verify", "--file", "a.jsonl", "--anchor", "anchors.jsonl"]),
    "--anchor checks the database; it does not apply to --file",
  );
});

test("checkpoint, verify, export and offline verify, then a tampered log is reported", async () => {
  const keyFile = app.ctx.config.auditKeyFile;
  const empty = await audit("verify");
  assert.deepEqual(empty, {
    code: 0,
    out: "audit log OK: 0 entries, 0 checkpoints, last seq 0\n",
    err: `note: no audit key at ${keyFile} or ${keyFile}.pub; checkpoints cannot be checked (pass --public-key)\n`,
  });
  const nothing = await audit("checkpoint");
  assert.equal(nothing.out, "nothing to sign: the audit log is empty\n");
  assert.match(
    nothing.err,
    /^created a new audit signing key .*audit\.pem \(public key .*audit\.pem\.pub, key id [0-9a-f]{16}\); back it up apart from the database\n$/,
  );

  const org = await seedOrg(app.ctx);
  const dept = await createDepartment(app.ctx, {
    actor: org.actors.admin,
    input: { code: "kanko", name: "観光部" },
  });
  await createDivision(app.ctx, {
    actor: org.actors.admin,
    input: { departmentId: String(dept.id), code: "kk", name: "観光課" },
  });
  const signed = await audit("checkpoint");
  assert.match(signed.out, /^checkpoint #1 signed: entry 2 \(key [0-9a-f]{16}\)\n$/);
  assert.equal((await audit("checkpoint")).out, "nothing to sign: entry 2 is already checkpointed\n");
  assert.deepEqual(await audit("verify"), {
    code: 0,
    out: "audit log OK: 2 entries, 1 checkpoints, last seq 2\n",
    err: "",
  });

  const file = join(dir, "2026-11.jsonl");
  const exported = await audit("export", "--from", "2026-11-01", "--to", "2026-11-24", "--out", file);
  assert.deepEqual(exported, {
    code: 0,
    out: "",
    err: `exported 2 entries (seq 1 to 2) and 1 checkpoints to ${file}\n`,
  });
  const offline = await audit("verify", "--file", file, "--public-key", `${keyFile}.pub`);
  assert.equal(offline.code, 0);
  assert.match(offline.out, /^audit export OK: 2 entries \(seq 1 to 2\), 1 checkpoints, key [0-9a-f]{16}\n$/);
  const stdout = await audit("export", "--from", "2026-11-01", "--to", "2026-11-24");
  assert.equal(stdout.out, await readFile(file, "utf8"));
  const lastMonth = await audit("export", "--from", "2026-10-01", "--to", "2026-10-31");
  assert.equal(lastMonth.out.trim().split("\n").length, 1, "only the header: nothing happened in October");

  await withTriggersDisabled(app.ctx.db, async (tx) => {
    await tx.execute(sql`update audit_log set action = 'department.view' where seq = 1`);
  });
  const broken = await audit("verify");
  assert.deepEqual(broken, {
    code: 1,
    out: "audit log BROKEN at entry 1: entry 1 was changed: its content does not match its hash\n",
    err: "",
  });
  await appendEntries(app, 1);
  await withTriggersDisabled(app.ctx.db, async (tx) => {
    await tx.execute(sql`update audit_log set summary = '{}'::jsonb where seq = 3`);
  });
  const refused = await audit("checkpoint");
  assert.deepEqual(refused, {
    code: 1,
    out: "checkpoint refused: audit log BROKEN at entry 3: entry 3 was changed: its content does not match its hash\n",
    err: "",
  });
});

/** Runs `bin/snsgov` with `env` added; resolves with exit code, stdout and stderr. */
function snsgov(args: string[], env: Record<string, string>) {
  const {
    DATABASE_URL: _url,
    SNSGOV_AUDIT_KEY_FILE: _key,
    SNSGOV_AUDIT_ANCHOR_FILE: _anchors,
    ...inherited
  } = process.env;
  const child = spawn(join(root, "bin", "snsgov"), args, { env: { ...inherited, ...env }, cwd: dir });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Opens (migrating it) the embedded database in `dataDir` in this process, while no CLI runs on it. */
async function withEmbedded(dataDir: string, work: (ctx: AppContext) => Promise<void>) {
  const handle = await openEmbedded(dataDir);
  const config = loadConfig({ SNSGOV_DATA_DIR: dataDir });
  try {
    await handle.migrate();
    await work(contextFor(handle, config, { clock: app.clock, log: silentLogger }));
  } finally {
    await handle.close();
  }
}

test("a bad command line exits with 2 and the usage", async () => {
  const captured = capture();
  const code = await run(["export", "--from", "2026-11-01"], captured.io);
  assert.equal(code, 2);
  assert.match(captured.err(), /^snsgov audit: export needs --from and --to\nusage: snsgov audit verify/);
});

test("bin/snsgov audit verify on an embedded database, intact then rewritten: exit codes, with and without --anchor", async () => {
  const dataDir = join(dir, "data");
  await mkdir(dataDir);
  await withEmbedded(dataDir, async (ctx) => {
    await appendEntries({ ...app, ctx }, 3);
    const key = await loadSigningKey(ctx.config.auditKeyFile);
    // As the server does when it stops: a closing checkpoint.
    assert.equal((await createCheckpoint(ctx, key.privateKey, { final: true })).kind, "created");
  });
  const anchors = join(dataDir, "audit-anchors.jsonl");

  const env = { SNSGOV_DATA_DIR: dataDir };
  const anchored = await snsgov(["audit", "verify", "--anchor", anchors], env);
  assert.deepEqual(
    [anchored.code, anchored.stdout],
    [0, "audit log OK: 3 entries, 1 checkpoints, last seq 3; 1 anchors match\n"],
  );

  // A superuser rewrites entry 2, recomputes every hash after it and deletes every checkpoint.
  await withEmbedded(dataDir, async (ctx) => {
    await rewriteChainFrom(ctx.db, 2, { n: "2", note: "rewritten" });
    await withTriggersDisabled(ctx.db, async (tx) => {
      await tx.execute(sql`delete from audit_checkpoints`);
    });
  });
  const broken = await snsgov(["audit", "verify"], env);
  assert.equal(broken.code, 1);
  assert.match(
    broken.stdout,
    /^audit log BROKEN at entry 1: no signed checkpoint covers the log, which began .* ago/,
  );
  const caught = await snsgov(["audit", "verify", "--anchor", anchors], env);
  assert.equal(caught.code, 1);
  assert.match(
    caught.stdout,
    /^audit log BROKEN at entry 3: checkpoint #1 \(signed at .*\), covering entry 3 \(kept in the anchor file, line 1\), is not in the database: checkpoints were removed\nentries 1 to 3 may have been rewritten \(checkpoint #1 is the first that does not match; no checkpoint before it matches\)\n$/,
  );
});
