/**
 * Backup, restore and copy-to as an operator relies on them: a restore brings back exactly the
 * state of the backup and keeps what it replaced; neither runs while the server holds the folder;
 * a copy to PostgreSQL carries every row and sequence over and the audit chain verifies there.
 */
import assert from "node:assert/strict";
import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { eq, sql } from "drizzle-orm";
import { emptyTestDatabase, serverTempDir, testDatabase } from "../../test/support/db.ts";
import { seedOrg } from "../../test/support/org.ts";
import { createCheckpoint } from "../app/audit/checkpoint.ts";
import { loadSigningKey, loadVerificationKey } from "../app/audit/keys.ts";
import { verifyAudit } from "../app/audit/verify.ts";
import { createApiToken } from "../app/auth/api-tokens.ts";
import { issuePasswordLink, login, setPasswordDirectly } from "../app/auth/sessions.ts";
import { setRequiredTwoFactorRoles } from "../app/auth/two-factor.ts";
import { contextFor } from "../app/bootstrap.ts";
import { type AppContext, systemActor } from "../app/context.ts";
import { silentLogger } from "../app/logger.ts";
import { createDepartment } from "../app/org/units.ts";
import { createStaff } from "../app/staff/people.ts";
import { assignRole, revokeRole } from "../app/staff/roles.ts";
import { recordTransfer } from "../app/staff/transfers.ts";
import { loadConfig } from "../config.ts";
import { type DatabaseHandle, openEmbedded, openPostgres } from "./client.ts";
import { startEmbeddedServer } from "./embedded.ts";
import {
  backupEmbedded,
  copyToPostgres,
  DERIVED_TABLES,
  foreignKeyOrder,
  MaintenanceError,
  restoreEmbedded,
  schemaTableNames,
} from "./maintenance.ts";
import { departments, roleAssignments } from "./schema.ts";

let dir: string;

before(async () => {
  dir = await serverTempDir("snsgov-maintenance-");
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A data folder holding a migrated embedded database (its own server, as `snsgov serve` makes). */
async function dataFolder(name: string): Promise<string> {
  const dataDir = join(dir, name);
  await mkdir(dataDir, { recursive: true });
  const handle = await openEmbedded(dataDir);
  await handle.migrate();
  await handle.close();
  return dataDir;
}

/** The department codes in a cluster folder other than the live one (what a restore kept aside). */
async function codesIn(dataDir: string, cluster: string): Promise<string[]> {
  const server = await startEmbeddedServer(dataDir, { cluster });
  const handle = await openPostgres(server.url(), { max: 1 });
  try {
    return (await handle.pool.query<{ code: string }>("select code from departments order by code")).rows.map(
      (r) => r.code,
    );
  } finally {
    await handle.close();
    await server.stop();
  }
}

function contextOn(handle: DatabaseHandle, env: Record<string, string> = {}): AppContext {
  return contextFor(handle, loadConfig({ SNSGOV_DATA_DIR: dir, ...env }), { log: silentLogger });
}

/** Opens the folder, runs `work`, closes (as a CLI command would). */
async function withFolder<T>(dataDir: string, work: (ctx: AppContext) => Promise<T>): Promise<T> {
  const handle = await openEmbedded(dataDir);
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
    const backup = await backupEmbedded(dataDir, file());
    assert.equal(backup.file, file());
    assert.ok(backup.bytes > 100_000, `a real database dump (${backup.bytes} bytes)`);
    assert.equal((await stat(file())).mode & 0o777, 0o600, "the backup holds password hashes: owner only");

    await withFolder(dataDir, async (ctx) => {
      await createDepartment(ctx, { actor, input: { code: "kenko", name: "保健福祉部" } });
      assert.deepEqual(await departmentCodes(ctx), ["kanko", "kenko"]);
    });

    const restored = await restoreEmbedded(dataDir, file(), { now: new Date("2026-11-24T09:00:00Z") });
    assert.equal(restored.previous, join(dataDir, "postgres.before-restore-2026-11-24T09-00-00-000Z"));
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
    assert.deepEqual(
      await codesIn(dataDir, restored.previous),
      ["kanko", "kenko"],
      "nothing is lost: the replaced database is kept",
    );
    const leftovers = (await readdir(dataDir)).filter((f) => f.includes("restoring"));
    assert.deepEqual(leftovers, []);
  });

  test("a second backup replaces the file whole and leaves no temporary file", async () => {
    const before = await readFile(file());
    await backupEmbedded(dataDir, file());
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
      await assert.rejects(restoreEmbedded(dataDir, file()), (error: Error) => {
        assert.ok(error instanceof MaintenanceError);
        assert.match(error.message, /^cannot restore: the data folder /);
        assert.match(error.message, message);
        return true;
      });
      await assert.rejects(backupEmbedded(dataDir, join(dir, "backups", "other.tar.gz")), message);
      assert.deepEqual(await readdir(join(dir, "backups")), ["snsgov.tar.gz"], "no backup was written");
      assert.equal((await readdir(dataDir)).filter((f) => f.startsWith("postgres.before-restore")).length, 1);
    } finally {
      await rm(join(dataDir, "snsgov.lock"));
    }
  });

  test("restore refuses a file that is not a backup and leaves the database as it was", async () => {
    const junk = join(dir, "backups", "junk.tar.gz");
    await writeFile(junk, "this is not a backup\n".repeat(100));
    await assert.rejects(
      restoreEmbedded(dataDir, junk),
      /^MaintenanceError: the file is not a backup of the embedded database \(not a gzipped tar archive\)$/,
    );
    const whole = await readFile(file());
    await writeFile(junk, whole.subarray(0, whole.length >> 1));
    await assert.rejects(
      restoreEmbedded(dataDir, junk),
      /^MaintenanceError: the file is not a usable backup \(damaged: .*\)$/,
    );
    await assert.rejects(
      restoreEmbedded(dataDir, join(dir, "missing.tar.gz")),
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
    const restored = await restoreEmbedded(fresh, file());
    assert.equal(restored.previous, null, "there was nothing to replace");
    await withFolder(fresh, async (ctx) => {
      assert.deepEqual(await departmentCodes(ctx), ["kanko"]);
    });
    assert.deepEqual(
      (await readdir(fresh)).filter((f) => !f.startsWith(".")).sort(),
      ["postgres", "postgres.log"],
      "the lock is released, nothing else left",
    );
  });

  test("backup of a folder without a database says so", async () => {
    await assert.rejects(
      backupEmbedded(join(dir, "empty"), join(dir, "x.tar.gz")),
      /^MaintenanceError: there is no embedded database in .*empty\/postgres$/,
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

describe("copy-to PostgreSQL", () => {
  let target: { url: string; drop(): Promise<void> };
  let targetUrl = "";
  let source: DatabaseHandle;
  let ctx: AppContext;
  let keyFile: string;
  let seeded: Awaited<ReturnType<typeof populate>>;

  before(async () => {
    target = await emptyTestDatabase();
    targetUrl = target.url;
    source = await testDatabase();
    keyFile = join(dir, "keys", "audit.pem");
    ctx = contextOn(source, { SNSGOV_AUDIT_KEY_FILE: keyFile });
    seeded = await populate(ctx, keyFile);
  });
  after(async () => {
    await source?.close();
    await target?.drop();
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
        // Derived state (the data versions) is the target's own, set by its migration and triggers.
        if (DERIVED_TABLES.has(table)) continue;
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
