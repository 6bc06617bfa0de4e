/**
 * Backup, restore and copy-to as an operator relies on them: a restore brings back exactly the
 * state of the backup and keeps what it replaced; neither runs while the server holds the folder;
 * a copy to PostgreSQL carries every row and sequence over and the audit chain verifies there.
 */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { eq, sql } from "drizzle-orm";
import pg from "pg";
import { preparePgliteDump, preparePostgresTemplate } from "../../test/support/db.ts";
import { seedOrg } from "../../test/support/org.ts";
import { createApiToken } from "../app/api-tokens.ts";
import { createCheckpoint } from "../app/audit-checkpoint.ts";
import { loadSigningKey, loadVerificationKey } from "../app/audit-keys.ts";
import { verifyAudit } from "../app/audit-verify.ts";
import { issuePasswordLink, login, setPasswordDirectly } from "../app/auth.ts";
import { contextFor } from "../app/bootstrap.ts";
import { type AppContext, systemActor } from "../app/context.ts";
import { silentLogger } from "../app/logger.ts";
import { createDepartment } from "../app/org.ts";
import { assignRole, revokeRole } from "../app/roles.ts";
import { createStaff } from "../app/staff.ts";
import { recordTransfer } from "../app/transfers.ts";
import { setRequiredTwoFactorRoles } from "../app/two-factor.ts";
import { loadConfig } from "../config.ts";
import { createPglite, type DatabaseHandle, openPglite, openPostgres, wrapPglite } from "./client.ts";
import {
  backupPglite,
  copyToPostgres,
  foreignKeyOrder,
  MaintenanceError,
  restorePglite,
  schemaTableNames,
} from "./maintenance.ts";
import { departments, roleAssignments } from "./schema.ts";

let dir: string;
let dump: Blob;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "snsgov-maintenance-"));
  dump = new Blob([await readFile(await preparePgliteDump())]);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A data folder holding a migrated embedded database (loaded from the cached test dump). */
async function dataFolder(name: string): Promise<string> {
  const dataDir = join(dir, name);
  await mkdir(dataDir, { recursive: true });
  const client = await createPglite({ dataDir: join(dataDir, "pgdata"), loadDataDir: dump });
  await wrapPglite(client).close();
  return dataDir;
}

function contextOn(handle: DatabaseHandle, env: Record<string, string> = {}): AppContext {
  return contextFor(handle, loadConfig({ SNSGOV_DATA_DIR: dir, ...env }), { log: silentLogger });
}

/** Opens the folder, runs `work`, closes (as a CLI command would). */
async function withFolder<T>(dataDir: string, work: (ctx: AppContext) => Promise<T>): Promise<T> {
  const handle = await openPglite(dataDir);
  try {
    return await work(contextOn(handle));
  } finally {
    await handle.close();
  }
}

const departmentCodes = async (ctx: AppContext) =>
  (await ctx.db.select({ code: departments.code }).from(departments).orderBy(departments.code)).map(
    (d) => d.code,
  );

test("tables are ordered after the tables their foreign keys point to; a cycle is refused", () => {
  const keys = [
    { child: "staff", parent: "departments" },
    { child: "staff", parent: "positions" },
    { child: "transfers", parent: "staff" },
    { child: "departments", parent: "departments" },
  ];
  assert.deepEqual(foreignKeyOrder(["transfers", "staff", "positions", "departments"], keys), [
    "departments",
    "positions",
    "staff",
    "transfers",
  ]);
  assert.throws(
    () =>
      foreignKeyOrder(
        ["a", "b", "c"],
        [
          { child: "a", parent: "b" },
          { child: "b", parent: "a" },
        ],
      ),
    /cycle between tables: a, b/,
  );
});

describe("backup and restore of the embedded database", () => {
  let dataDir: string;
  const file = () => join(dir, "backups", "snsgov.tar.gz");

  before(async () => {
    dataDir = await dataFolder("data");
    await mkdir(join(dir, "backups"));
  });

  test("restore brings back the state of the backup and keeps the database it replaced", async () => {
    const actor = systemActor("test");
    await withFolder(dataDir, async (ctx) => {
      await createDepartment(ctx, { actor, input: { code: "kanko", name: "観光部" } });
    });
    const backup = await backupPglite(dataDir, file());
    assert.equal(backup.file, file());
    assert.ok(backup.bytes > 100_000, `a real database dump (${backup.bytes} bytes)`);
    assert.equal((await stat(file())).mode & 0o777, 0o600, "the backup holds password hashes: owner only");

    await withFolder(dataDir, async (ctx) => {
      await createDepartment(ctx, { actor, input: { code: "kenko", name: "保健福祉部" } });
      assert.deepEqual(await departmentCodes(ctx), ["kanko", "kenko"]);
    });

    const restored = await restorePglite(dataDir, file(), { now: new Date("2026-11-24T09:00:00Z") });
    assert.equal(restored.previous, join(dataDir, "pgdata.before-restore-2026-11-24T09-00-00-000Z"));
    assert.equal(restored.auditEntries, 1);
    assert.equal(restored.pending, 0);
    await withFolder(dataDir, async (ctx) => {
      assert.deepEqual(
        await departmentCodes(ctx),
        ["kanko"],
        "the department added after the backup is gone",
      );
      const audit = await verifyAudit(ctx.db, []);
      assert.deepEqual([audit.ok, audit.entries], [true, 1]);
    });
    assert.ok(restored.previous);
    const previous = await createPglite({ dataDir: restored.previous });
    const kept = await previous.query<{ code: string }>("select code from departments order by code");
    await previous.close();
    assert.deepEqual(
      kept.rows.map((r) => r.code),
      ["kanko", "kenko"],
      "nothing is lost: the replaced database is kept",
    );
    const leftovers = (await readdir(dataDir)).filter((f) => f.includes("restoring"));
    assert.deepEqual(leftovers, []);
  });

  test("a second backup replaces the file whole and leaves no temporary file", async () => {
    const before = await readFile(file());
    await backupPglite(dataDir, file());
    const after = await readFile(file());
    assert.notDeepEqual(after, before);
    assert.deepEqual(await readdir(join(dir, "backups")), ["snsgov.tar.gz"]);
  });

  test("backup and restore refuse while another process (the server) holds the folder", async () => {
    const other = process.ppid;
    await writeFile(join(dataDir, "snsgov.lock"), `${other}\n`);
    try {
      const message = new RegExp(
        `in use by another snsgov process \\(pid ${other}\\); stop the server first, then run this again$`,
      );
      await assert.rejects(restorePglite(dataDir, file()), (error: Error) => {
        assert.ok(error instanceof MaintenanceError);
        assert.match(error.message, /^cannot restore: the data folder /);
        assert.match(error.message, message);
        return true;
      });
      await assert.rejects(backupPglite(dataDir, join(dir, "backups", "other.tar.gz")), message);
      assert.deepEqual(await readdir(join(dir, "backups")), ["snsgov.tar.gz"], "no backup was written");
      assert.equal((await readdir(dataDir)).filter((f) => f.startsWith("pgdata.before-restore")).length, 1);
    } finally {
      await rm(join(dataDir, "snsgov.lock"));
    }
  });

  test("restore refuses a file that is not a backup and leaves the database as it was", async () => {
    const junk = join(dir, "backups", "junk.tar.gz");
    await writeFile(junk, "this is not a backup\n".repeat(100));
    await assert.rejects(restorePglite(dataDir, junk), /the file is not a backup of the embedded database/);
    const whole = await readFile(file());
    await writeFile(junk, whole.subarray(0, whole.length >> 1));
    await assert.rejects(
      restorePglite(dataDir, junk),
      /the file is not a usable backup \(damaged: unexpected end of file\)/,
    );
    await assert.rejects(
      restorePglite(dataDir, join(dir, "missing.tar.gz")),
      /^MaintenanceError: cannot read/,
    );
    await withFolder(dataDir, async (ctx) => {
      assert.deepEqual(await departmentCodes(ctx), ["kanko"]);
    });
    assert.deepEqual(
      (await readdir(dataDir)).filter((f) => f.includes("restoring")),
      [],
      "the half-loaded copy is removed",
    );
  });

  test("a backup restores onto a new machine's empty data folder", async () => {
    const fresh = join(dir, "new-machine");
    const restored = await restorePglite(fresh, file());
    assert.equal(restored.previous, null, "there was nothing to replace");
    await withFolder(fresh, async (ctx) => {
      assert.deepEqual(await departmentCodes(ctx), ["kanko"]);
    });
    assert.deepEqual((await readdir(fresh)).sort(), ["pgdata"], "the lock is released, nothing else left");
  });

  test("an open embedded database can be backed up through its handle", async () => {
    const handle = wrapPglite(await createPglite({ loadDataDir: dump }));
    const f = join(dir, "backups", "from-handle.tar.gz");
    try {
      const ctx = contextOn(handle);
      await createDepartment(ctx, {
        actor: systemActor("test"),
        input: { code: "live", name: "稼働中の部" },
      });
      await backupPglite(handle, f);
      await createDepartment(ctx, { actor: systemActor("test"), input: { code: "later", name: "後の部" } });
    } finally {
      await handle.close();
    }
    const elsewhere = join(dir, "from-handle");
    await restorePglite(elsewhere, f);
    await withFolder(elsewhere, async (ctx) => {
      assert.deepEqual(await departmentCodes(ctx), ["live"]);
    });
    await rm(f);
  });

  test("backup of a folder without a database says so", async () => {
    await assert.rejects(
      backupPglite(join(dir, "empty"), join(dir, "x.tar.gz")),
      /^MaintenanceError: there is no embedded database in .*empty\/pgdata$/,
    );
  });
});

/** Fills the source through the use cases, so most tables have rows and the audit log is signed. */
async function populate(ctx: AppContext, keyFile: string) {
  const org = await seedOrg(ctx);
  const admin = org.actors.admin;
  await createDepartment(ctx, { actor: admin, input: { code: "kanko", name: "観光部" } });
  const person = await createStaff(ctx, {
    actor: admin,
    input: {
      employeeNo: "C0001",
      name: "複写 花子",
      email: "copy@city.example.lg.jp",
      departmentId: String(org.departments.seisaku.id),
      divisionId: String(org.divisions.kouhou.id),
      positionId: String(org.positions.shuji.id),
    },
  });
  const granted = await assignRole(ctx, {
    actor: admin,
    input: {
      staffId: String(person.id),
      role: "operator",
      scopeType: "division",
      scopeId: String(org.divisions.kouhou.id),
    },
  });
  await assignRole(ctx, {
    actor: admin,
    input: { staffId: String(person.id), role: "auditor", validUntil: "2027-03-31" },
  });
  const last = await assignRole(ctx, {
    actor: admin,
    input: { staffId: String(person.id), role: "consultation_desk" },
  });
  await revokeRole(ctx, { actor: admin, assignmentId: last.id });
  await recordTransfer(ctx, {
    actor: admin,
    input: {
      staffId: String(person.id),
      effectiveDate: "2026-04-01",
      toDepartmentId: String(org.departments.soumu.id),
      toDivisionId: String(org.divisions.soumuka.id),
      toPositionId: String(org.positions.shuji.id),
    },
  });
  await setPasswordDirectly(ctx, {
    actor: admin,
    staffId: org.staff.admin.id,
    password: "a long test passphrase",
  });
  await issuePasswordLink(ctx, { actor: admin, staffId: person.id });
  await login(ctx, {
    login: org.staff.admin.email,
    password: "a long test passphrase",
    ip: "192.0.2.1",
    userAgent: "t",
  });
  await login(ctx, {
    login: org.staff.admin.email,
    password: "wrong",
    ip: "192.0.2.1",
    userAgent: "t",
  }).catch(() => undefined);
  await createApiToken(ctx, { actor: admin, input: { name: "copy test" } });
  await setRequiredTwoFactorRoles(ctx, { actor: admin, input: { roles: ["admin"] } });
  const key = await loadSigningKey(keyFile);
  assert.equal((await createCheckpoint(ctx, key.privateKey)).kind, "created");
  return { granted, revoked: last };
}

const testUrl = process.env.TEST_DATABASE_URL;

describe("copy-to PostgreSQL", { skip: testUrl ? false : "needs TEST_DATABASE_URL" }, () => {
  const name = `snsgov_copy_${process.pid}_${Date.now().toString(36)}`;
  let targetUrl = "";
  let source: DatabaseHandle;
  let ctx: AppContext;
  let keyFile: string;
  let seeded: Awaited<ReturnType<typeof populate>>;

  async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: testUrl });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }

  before(async () => {
    if (!testUrl) return;
    await preparePostgresTemplate(testUrl);
    await admin((c) => c.query(`create database ${name}`));
    const u = new URL(testUrl);
    u.pathname = `/${name}`;
    targetUrl = u.toString();
    const client = await createPglite({ loadDataDir: dump });
    source = wrapPglite(client);
    keyFile = join(dir, "keys", "audit.pem");
    ctx = contextOn(source, { SNSGOV_AUDIT_KEY_FILE: keyFile });
    seeded = await populate(ctx, keyFile);
  });
  after(async () => {
    if (!testUrl) return;
    await source?.close();
    await admin((c) => c.query(`drop database if exists ${name} with (force)`));
  });

  const counts = async (query: (text: string) => Promise<{ rows: Record<string, unknown>[] }>) => {
    const out: Record<string, number> = {};
    for (const table of schemaTableNames()) {
      const { rows } = await query(`select count(*)::int as n from "${table}"`);
      out[table] = Number(rows[0]?.n);
    }
    return out;
  };

  test("every table arrives with the same rows, sequences continue, the audit chain verifies", async () => {
    const progress: string[] = [];
    const result = await copyToPostgres(source, targetUrl, {
      batchRows: 4,
      onTable: (t) => progress.push(t.table),
    });
    const expected = await counts((text) => source.db.execute(sql.raw(text)));
    const nonEmpty = Object.entries(expected).filter(([, n]) => n > 0);
    assert.ok(nonEmpty.length >= 12, `most tables have rows (${nonEmpty.map(([t]) => t).join(", ")})`);
    const target = await openPostgres(targetUrl);
    try {
      assert.deepEqual(await counts((text) => target.db.execute(sql.raw(text))), expected);
      for (const table of schemaTableNames()) {
        assert.equal(result.tables.find((t) => t.table === table)?.rows, expected[table], table);
      }
      assert.ok(progress.indexOf("departments") < progress.indexOf("staff"), "parents before children");
      assert.ok(progress.indexOf("staff") < progress.indexOf("role_assignments"));

      const stamps = "select code, created_at::text as t from departments order by id";
      assert.deepEqual(
        (await target.db.execute(sql.raw(stamps))).rows,
        (await source.db.execute(sql.raw(stamps))).rows,
        "timestamps keep their microseconds",
      );

      const [maxDept] = await target.db.select({ id: sql<number>`max(${departments.id})` }).from(departments);
      const [created] = await target.db
        .insert(departments)
        .values({ code: "after-copy", name: "複写後の部" })
        .returning();
      assert.equal(created?.id, Number(maxDept?.id) + 1, "a new row continues after the copied ids");
      const [assignment] = await target.db
        .insert(roleAssignments)
        .values({ staffId: seeded.granted.staffId, role: "admin", scopeType: "global", scopeId: null })
        .returning();
      assert.equal(assignment?.id, seeded.revoked.id + 1, "the id of a deleted row is not handed out again");
      await target.db.delete(roleAssignments).where(eq(roleAssignments.id, assignment?.id ?? 0));
      await target.db.delete(departments).where(eq(departments.code, "after-copy"));

      const publicKey = await loadVerificationKey(keyFile);
      assert.ok(publicKey);
      const audit = await verifyAudit(target.db, publicKey);
      assert.equal(audit.ok, true, JSON.stringify(audit.firstProblem));
      assert.equal(audit.entries, expected.audit_log);
      assert.equal(audit.checkpoints, 1);
      assert.equal(
        audit.confirmedThrough,
        expected.audit_log,
        "the signed checkpoint covers the copied chain",
      );
    } finally {
      await target.close();
    }
  });

  test("a target that already has rows is refused and left as it was", async () => {
    const target = await openPostgres(targetUrl);
    const read = (text: string) => target.db.execute(sql.raw(text));
    try {
      const before = await counts(read);
      await assert.rejects(copyToPostgres(source, targetUrl), (error: Error) => {
        assert.ok(error instanceof MaintenanceError);
        assert.match(
          error.message,
          /^the target database is not empty \(rows in audit_checkpoints, audit_log, /,
        );
        return true;
      });
      assert.deepEqual(await counts(read), before);
    } finally {
      await target.close();
    }
  });
});
