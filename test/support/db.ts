/**
 * Test databases: every test file gets a fresh PostgreSQL database cloned (CREATE DATABASE …
 * TEMPLATE) from a migrated template, on ONE server for the whole run: TEST_DATABASE_URL's when
 * it is set, otherwise an embedded server that test/run.ts (or the global setup, for a bare
 * `node --test`) starts in a temporary folder and names in TEST_DATABASE_URL for the test
 * processes (SNSGOV_TEST_EMBEDDED=1 tells that it is the embedded one).
 */
import { createHash, randomBytes } from "node:crypto";
import { chmod, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { type DatabaseHandle, migrationsFolder, openPostgres } from "../../src/db/client.ts";
import { type EmbeddedServer, startEmbeddedServer } from "../../src/db/embedded.ts";

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

function adminUrl(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * A temporary folder the embedded server can use: when the tests run as root, the server runs
 * as the system user postgres, which must be able to pass through it (mode 0711).
 */
export async function serverTempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await chmod(dir, 0o711);
  return dir;
}

/**
 * Settings of the run's shared test server: many databases and connections at once; fsync off,
 * since its files are thrown away after the run (durability is tested on a server with the
 * default settings, test/fault-kill.test.ts).
 */
const testServerSettings = {
  max_connections: "300",
  shared_buffers: "128MB",
  fsync: "off",
  synchronous_commit: "off",
  full_page_writes: "off",
};

/** The run's embedded test server (test/run.ts and the global setup start it). */
export type TestServer = { url: string; stop(): Promise<void> };

/**
 * Starts an embedded server for a test run in a temporary folder, removed again by `stop()`.
 * @param options.durable keep the default (durable, small-machine) settings, as benchmarks do
 */
export async function startTestServer(options: { durable?: boolean } = {}): Promise<TestServer> {
  const dir = await serverTempDir("snsgov-test-server-");
  let server: EmbeddedServer;
  try {
    server = await startEmbeddedServer(
      join(dir, "data"),
      options.durable ? {} : { settings: testServerSettings },
    );
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: server.url("postgres"),
    async stop() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
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

/** The server the test databases are made on (set by test/run.ts or the global setup). */
export function testServerUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error("TEST_DATABASE_URL is not set: run the tests with `npm test` (test/run.ts)");
  return url;
}

/** True when the run's test server is the embedded one (not the machine's PostgreSQL). */
export const onEmbeddedServer = process.env.SNSGOV_TEST_EMBEDDED === "1";

/**
 * A new, empty database on the test server (not migrated); `drop()` removes it. For tests that
 * need a target of their own (copy-to).
 */
export async function emptyTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const url = testServerUrl();
  const name = `snsgov_e_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  return {
    url: adminUrl(url, name),
    async drop() {
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

/**
 * A migrated, empty database for one test file. Close it in `after()`.
 * @param options.idleMs how long an unused connection stays open: 50 ms for tests; benchmarks
 *   pass the server's default (10 s) so that they do not measure reconnecting
 * @param options.max connections at most: 5 for tests; benchmarks pass the server's 10
 */
export async function testDatabase(options: { idleMs?: number; max?: number } = {}): Promise<DatabaseHandle> {
  // The files of an in-process group start together: at most a few create their database at the
  // same moment, so that their connections do not add up to the server's limit of 100.
  await creating.acquire();
  try {
    return await createTestDatabase(options);
  } finally {
    creating.release();
  }
}

/** A counting semaphore (this process). */
function semaphore(slots: number) {
  let free = slots;
  const waiting: Array<() => void> = [];
  return {
    async acquire(): Promise<void> {
      if (free > 0) {
        free--;
        return;
      }
      await new Promise<void>((resolve) => waiting.push(resolve));
    },
    release(): void {
      const next = waiting.shift();
      if (next) next();
      else free++;
    },
  };
}

const creating = semaphore(3);

async function createTestDatabase(options: { idleMs?: number; max?: number }): Promise<DatabaseHandle> {
  const url = testServerUrl();
  const template = await preparePostgresTemplate(url);
  const name = `snsgov_t_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name} template ${template}`);
  await admin.end();
  // Test files of one process keep their databases open until the run ends (test/run.ts):
  // unused connections close at once, and a file holds at most 5 at a time (seeding runs queries
  // in parallel), so that two groups of files do not add up to the server's limit of 100.
  const handle = await openPostgres(adminUrl(url, name), {
    idleMs: options.idleMs ?? 50,
    max: options.max ?? 5,
  });
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
