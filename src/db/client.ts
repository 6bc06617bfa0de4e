/**
 * Opens the database: the embedded PGlite in the data folder by default, a PostgreSQL server
 * when DATABASE_URL is set. Both are used through one drizzle type (`Db`), so the same queries,
 * constraints and triggers run everywhere. Migrations are applied here.
 */
import { fileURLToPath } from "node:url";
import { PGlite, type PGliteOptions } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { type ExtractTablesWithRelations, sql, TransactionRollbackError } from "drizzle-orm";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import type { Assume } from "drizzle-orm/utils";
import pg from "pg";
import { isDatabaseUnavailable } from "../errors.ts";
import { acquireDataDirLock, type DataDirLock } from "./lock.ts";
import * as schema from "./schema.ts";

/** Query-result shape shared by the PGlite and node-postgres drivers: `{ rows }`. */
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
  kind: "pglite" | "postgres";
  /** Applies pending migrations (safe to call on every start; serialised across instances). */
  migrate(): Promise<void>;
  /** Flushes and closes; for PGlite also releases the data-folder lock. */
  close(): Promise<void>;
  /** The embedded client, when embedded (backup, restore, copy-to need it). */
  pglite: PGlite | undefined;
  /** The PostgreSQL pool, when on a server. */
  pool: pg.Pool | undefined;
};

/** An advisory lock key that serialises migrations across app instances on one server. */
const MIGRATION_LOCK = 7_410_001;

/**
 * Opens PostgreSQL at `url`.
 * @param options.max connections at most (10)
 * @param options.idleMs how long an unused connection stays open (pg's default, 10 s)
 */
export async function openPostgres(
  url: string,
  options: { max?: number; idleMs?: number } = {},
): Promise<DatabaseHandle> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    ...(options.idleMs !== undefined ? { idleTimeoutMillis: options.idleMs } : {}),
  });
  pool.on("error", (error) => {
    process.stderr.write(`postgres pool error: ${error.message}\n`);
  });
  const db = drizzlePg(pool, { schema });
  return {
    db,
    kind: "postgres",
    pglite: undefined,
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
 * Creates an embedded database with the extensions the migrations use (pg_trgm for the archive
 * search, 0005). Every PGlite in the project is made here: a data folder where the extension is
 * installed cannot be used by an instance that does not load it.
 */
export function createPglite(options: PGliteOptions = {}): Promise<PGlite> {
  return PGlite.create({ ...options, extensions: { ...options.extensions, pg_trgm } });
}

/** Wraps an already-open PGlite (tests load one from a dump). */
export function wrapPglite(client: PGlite, onClose: () => Promise<void> = async () => {}): DatabaseHandle {
  const db = drizzlePglite(client, { schema });
  return {
    db,
    kind: "pglite",
    pglite: client,
    pool: undefined,
    async migrate() {
      await migratePglite(db, { migrationsFolder });
    },
    async close() {
      if (!client.closed) {
        await client.exec("CHECKPOINT");
        await client.close();
      }
      await onClose();
    },
  };
}

/**
 * Opens the embedded database in `dataDir/pgdata`, holding an exclusive lock on the folder so a
 * second process fails with a clear message instead of corrupting the files.
 */
export async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  const lock: DataDirLock = await acquireDataDirLock(dataDir);
  try {
    const client = await createPglite({ dataDir: `${dataDir}/pgdata` });
    return wrapPglite(client, () => lock.release());
  } catch (error) {
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
  return openPglite(config.dataDir);
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
