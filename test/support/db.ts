/**
 * Test databases. Creating a PGlite database costs seconds (initdb), so it is done once: the
 * migrated database is dumped to `.test-cache/` (keyed by the migrations' content) and every test
 * file loads its own copy from that dump (~0.5 s). With TEST_DATABASE_URL set, each test file
 * gets a fresh PostgreSQL database cloned from a migrated template instead.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import pg from "pg";
import {
  createPglite,
  type DatabaseHandle,
  migrationsFolder,
  openPostgres,
  wrapPglite,
} from "../../src/db/client.ts";

const cacheDir = join(import.meta.dirname, "..", "..", ".test-cache");

async function migrationsKey(): Promise<string> {
  const hash = createHash("sha256");
  const files = (await readdir(migrationsFolder, { recursive: true })).sort();
  for (const file of files) {
    if (!file.endsWith(".sql") && !file.endsWith(".json")) continue;
    hash.update(file);
    hash.update(await readFile(join(migrationsFolder, file)));
  }
  return hash.digest("hex").slice(0, 16);
}

async function pgliteDumpPath(): Promise<string> {
  return join(cacheDir, `pglite-${await migrationsKey()}.tar`);
}

/** Creates the migrated PGlite dump if it is not cached yet. */
export async function preparePgliteDump(): Promise<string> {
  const path = await pgliteDumpPath();
  const existing = await readFile(path).catch(() => null);
  if (existing) return path;
  await mkdir(cacheDir, { recursive: true });
  const client = await createPglite();
  const handle = wrapPglite(client);
  await handle.migrate();
  const dump = await client.dumpDataDir("none");
  await client.close();
  const temp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}`;
  await writeFile(temp, Buffer.from(await dump.arrayBuffer()));
  await rename(temp, path);
  return path;
}

function adminUrl(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Creates (once per migrations version) a migrated template database on the test server. */
export async function preparePostgresTemplate(url: string): Promise<string> {
  const template = `snsgov_tpl_${await migrationsKey()}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query("select pg_advisory_lock(7410003)");
    const found = await admin.query("select 1 from pg_database where datname = $1", [template]);
    if (found.rowCount === 0) {
      await admin.query(`create database ${template}`);
      const handle = await openPostgres(adminUrl(url, template), { max: 1 });
      try {
        await handle.migrate();
      } finally {
        await handle.close();
      }
    }
    await admin.query("select pg_advisory_unlock(7410003)");
  } finally {
    await admin.end();
  }
  return template;
}

/** The driver the test run uses: PostgreSQL when TEST_DATABASE_URL is set, PGlite otherwise. */
export const testDriver: "pglite" | "postgres" = process.env.TEST_DATABASE_URL ? "postgres" : "pglite";

/**
 * A migrated, empty database for one test file. Close it in `after()`.
 * @param options.driver force a driver (a test that needs PostgreSQL passes "postgres" and skips
 *   when TEST_DATABASE_URL is unset)
 */
export async function testDatabase(
  options: { driver?: "pglite" | "postgres" } = {},
): Promise<DatabaseHandle> {
  const driver = options.driver ?? testDriver;
  const url = process.env.TEST_DATABASE_URL;
  if (driver === "postgres") {
    if (!url) throw new Error("TEST_DATABASE_URL is not set");
    const template = await preparePostgresTemplate(url);
    const name = `snsgov_t_${process.pid}_${randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name} template ${template}`);
    await admin.end();
    // Test files of one process keep their databases open until the run ends (test/run.ts):
    // unused connections close at once so they do not add up to the server's limit.
    const handle = await openPostgres(adminUrl(url, name), { idleMs: 50 });
    return {
      ...handle,
      async close() {
        await handle.close();
        const cleanup = new pg.Client({ connectionString: url });
        await cleanup.connect();
        await cleanup.query(`drop database if exists ${name} with (force)`);
        await cleanup.end();
      },
    };
  }
  const dump = await readFile(await preparePgliteDump());
  const client = await createPglite({ loadDataDir: new Blob([dump]) });
  return wrapPglite(client);
}
