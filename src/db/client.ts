/**
 * Opens the database: by default the embedded PostgreSQL server that snsgov runs itself in the
 * data folder (src/db/embedded.ts), a PostgreSQL server of its own when DATABASE_URL is set.
 * Both are reached through `pg` and one drizzle type (`Db`), so the same queries, constraints and
 * triggers run everywhere. Migrations are applied here.
 */
import { fileURLToPath } from "node:url";
import { type ExtractTablesWithRelations, sql, TransactionRollbackError } from "drizzle-orm";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import type { Assume } from "drizzle-orm/utils";
import pg from "pg";
import { isDatabaseUnavailable } from "../errors.ts";
import { type EmbeddedServer, type ServerSettings, startEmbeddedServer } from "./embedded.ts";
import { acquireDataDirLock, type DataDirLock } from "./lock.ts";
import * as schema from "./schema.ts";

/** Query-result shape of the node-postgres driver as the repositories use it: `{ rows }`. */
export interface AppQueryResultHKT extends PgQueryResultHKT {
  type: RowsOf<Assume<this["row"], Record<string, unknown>>>;
}
type RowsOf<T> = { rows: T[] };

export type Schema = typeof schema;
/** A database or a transaction: repositories accept either. */
export type Db = PgDatabase<AppQueryResultHKT, Schema>;
export type Tx = PgTransaction<AppQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

export const migrationsFolder = fileURLToPath(new URL("./migrations", import.meta.url));

export type DatabaseHandle = {
  db: Db;
  /** "embedded": the server snsgov runs in its data folder; "postgres": DATABASE_URL's. */
  kind: "embedded" | "postgres";
  /** Applies pending migrations (safe to call on every start; serialised across instances). */
  migrate(): Promise<void>;
  /** Closes the pool; for the embedded server also stops it and releases the data-folder lock. */
  close(): Promise<void>;
  /** The connection pool (its connection string reaches the same database, e.g. for pg-boss). */
  pool: pg.Pool;
};

/** An advisory lock key that serialises migrations across app instances on one server. */
const MIGRATION_LOCK = 7_410_001;

/**
 * Opens PostgreSQL at `url`.
 * @param options.max connections at most (10)
 * @param options.idleMs how long an unused connection stays open (pg's default, 10 s)
 * @param options.connectMs how long a query waits for a connection before it fails as an outage
 *   (30 s; pg's own default waits forever, so a server that accepts but never answers would hang
 *   every request)
 */
export async function openPostgres(
  url: string,
  options: { max?: number; idleMs?: number; connectMs?: number } = {},
): Promise<DatabaseHandle> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectMs ?? 30_000,
    ...(options.idleMs !== undefined ? { idleTimeoutMillis: options.idleMs } : {}),
  });
  pool.on("error", (error) => {
    process.stderr.write(`postgres pool error: ${error.message}\n`);
  });
  const db = drizzlePg(pool, { schema });
  return {
    db,
    kind: "postgres",
    pool,
    async migrate() {
      const client = await pool.connect();
      try {
        await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK]);
        await migratePg(drizzlePg(client, { schema }), { migrationsFolder });
      } finally {
        await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => undefined);
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}

/**
 * Opens the embedded database of `dataDir`: takes the folder's lock (a second snsgov on the
 * same folder stops with a clear message), starts the embedded PostgreSQL server (src/db/
 * embedded.ts) and connects to it like to any PostgreSQL. `close()` ends the pool, stops the
 * server and releases the lock.
 * @param options.settings server settings over the small-machine defaults
 */
export async function openEmbedded(
  dataDir: string,
  options: { settings?: ServerSettings } = {},
): Promise<DatabaseHandle> {
  const lock: DataDirLock = await acquireDataDirLock(dataDir);
  let server: EmbeddedServer | undefined;
  try {
    server = await startEmbeddedServer(dataDir, options);
    const running = server;
    const handle = await openPostgres(running.url());
    return {
      ...handle,
      kind: "embedded",
      async close() {
        try {
          await handle.close();
        } finally {
          try {
            await running.stop();
          } finally {
            await lock.release();
          }
        }
      },
    };
  } catch (error) {
    await server?.stop().catch(() => undefined);
    await lock.release();
    throw error;
  }
}

/** Opens the database the configuration names. */
export function openDatabase(config: {
  databaseUrl: string | undefined;
  dataDir: string;
}): Promise<DatabaseHandle> {
  if (config.databaseUrl) return openPostgres(config.databaseUrl);
  return openEmbedded(config.dataDir);
}

/**
 * Whether the database answers and can write (used by /healthz): a row goes into a temporary
 * table inside a transaction that is rolled back, so nothing is kept. A full disk or a read-only
 * database fails this where a plain `select 1` would pass.
 */
export async function databaseIsHealthy(db: Db): Promise<"ok" | "unreachable" | "unwritable"> {
  try {
    await db.transaction(async (tx) => {
      await tx.execute(sql`create temporary table snsgov_health_probe (n integer) on commit drop`);
      await tx.execute(sql`insert into snsgov_health_probe (n) values (1)`);
      tx.rollback();
    });
    return "ok";
  } catch (error) {
    if (error instanceof TransactionRollbackError) return "ok";
    return isDatabaseUnavailable(error) ? "unreachable" : "unwritable";
  }
}
