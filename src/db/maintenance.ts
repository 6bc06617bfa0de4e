/**
 * Maintenance of the database: a consistent backup of the embedded database (`snsgov db backup`),
 * restoring one (`snsgov db restore`), and copying every table into an empty PostgreSQL database
 * (`snsgov db copy-to`), the way out of the embedded database when a city outgrows it. The table
 * list, column list, foreign-key order and sequences come from the catalogue, so tables added by
 * later migrations are included without editing this file. See docs/operations.md.
 *
 * A backup is the embedded server's cluster folder, shut down cleanly, as a gzipped tar (a
 * physical copy: PostgreSQL's own files, restored as they were, then brought up to date by the
 * migrations). The package ships no pg_dump, and a physical copy restores exactly, sequences and
 * all; PostgreSQL servers of your own are backed up with their own tools.
 */
import { execFile } from "node:child_process";
import { createWriteStream } from "node:fs";
import { chown, mkdir, open, readFile, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { pipeline } from "node:stream/promises";
import { is, sql } from "drizzle-orm";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import * as tar from "tar";
import { type DatabaseHandle, migrationsFolder, openPostgres } from "./client.ts";
import { clusterOf, EmbeddedServerError, startEmbeddedServer, stopOrphanedServer } from "./embedded.ts";
import { acquireDataDirLock, type DataDirLock, DataDirLockedError } from "./lock.ts";
import * as schema from "./schema.ts";

/** A maintenance step that cannot go ahead; the message is one line for the operator. */
export class MaintenanceError extends Error {
  override name = "MaintenanceError";
}

/** The schema whose tables belong to the application (pg-boss and drizzle keep their own). */
const APP_SCHEMA = "public";

// Files

/** Flushes a file's contents to disk. */
async function syncFile(file: string): Promise<void> {
  const handle = await open(file, "r+");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes a folder's entries (a rename is durable only once its folder is synced). */
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, "r");
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a directory; the rename itself has happened.
  } finally {
    await handle.close();
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** True when `dataDir` holds an embedded database (initdb writes PG_VERSION). */
export async function hasEmbeddedDatabase(dataDir: string): Promise<boolean> {
  return exists(join(clusterOf(dataDir), "PG_VERSION"));
}

/** A file-system-safe timestamp for folder names: 2026-11-24T05-30-00-000Z. */
function stamp(at: Date): string {
  return at.toISOString().replace(/[:.]/g, "-");
}

/** The pid in the data folder's lock file, when there is one. */
async function lockHolder(dataDir: string): Promise<number | undefined> {
  const text = await readFile(join(dataDir, "snsgov.lock"), "utf8").catch(() => "");
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isInteger(pid) ? pid : undefined;
}

/** Turns "folder in use" into a message that says what to do for this command. */
async function inUse(dataDir: string, what: string, error: unknown): Promise<never> {
  if (!(error instanceof DataDirLockedError)) throw error;
  const pid = await lockHolder(dataDir);
  throw new MaintenanceError(
    `cannot ${what}: the data folder ${dataDir} is in use by another snsgov process` +
      `${pid ? ` (pid ${pid})` : ""}; stop the server first, then run this again`,
  );
}

/** Files of a cluster that belong to a running server, not to the database. */
const RUNTIME_FILES = /^(\.\/)?(postmaster\.pid|postmaster\.opts|\.s\.PGSQL\.\d+(\.lock)?)$/;

// Backup

export type BackupResult = { file: string; bytes: number; ms: number };

/**
 * Writes a consistent backup of the embedded database in `dataDir` to `file` (a gzipped tar of
 * the cluster folder, mode 0600: it holds password hashes). The server is started and stopped
 * first, so a folder left by a crash is recovered and the copy is of a cleanly shut-down
 * cluster. The file is replaced atomically (a temporary file beside it, fsync, rename), so an
 * interrupted backup never leaves a half-written file under that name.
 *
 * It takes the folder's lock for the duration, so it refuses (with a MaintenanceError) while
 * the server runs on that folder: stop the server first.
 */
export async function backupEmbedded(dataDir: string, file: string): Promise<BackupResult> {
  const started = performance.now();
  const folder = resolve(dataDir);
  const cluster = clusterOf(folder);
  if (!(await hasEmbeddedDatabase(folder))) {
    throw new MaintenanceError(`there is no embedded database in ${cluster}`);
  }
  const lock: DataDirLock = await acquireDataDirLock(folder).catch((error: unknown) =>
    inUse(folder, "back up", error),
  );
  try {
    const server = await startEmbeddedServer(folder);
    await server.stop();
    const target = resolve(file);
    const temp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
    try {
      await pipeline(
        tar.create(
          { gzip: true, cwd: cluster, portable: true, filter: (path) => !RUNTIME_FILES.test(path) },
          ["."],
        ),
        createWriteStream(temp, { flags: "wx", mode: 0o600 }),
      );
      await syncFile(temp);
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    await syncFolder(dirname(target));
    const bytes = (await stat(target)).size;
    return { file: target, bytes, ms: performance.now() - started };
  } finally {
    await lock.release();
  }
}

// Inspection (restore)

/** Names of the tables the schema module declares (what a current database must have). */
export function schemaTableNames(): string[] {
  const names: string[] = [];
  for (const value of Object.values(schema)) {
    if (is(value, PgTable)) names.push(getTableConfig(value).name);
  }
  return names.sort();
}

type Rows = Record<string, unknown>[];

/** Runs one statement and returns its rows; both sides of a copy are reached through this. */
type Query = (text: string, params?: Array<string | null>) => Promise<Rows>;

/** Applied migrations of a database (folder timestamps, oldest first); undefined without the table. */
async function appliedMigrations(query: Query): Promise<number[] | undefined> {
  const found = await query("select to_regclass('drizzle.__drizzle_migrations')::text as t");
  if (!found[0]?.t) return undefined;
  const rows = await query(
    "select created_at::text as at from drizzle.__drizzle_migrations order by created_at",
  );
  return rows.map((r) => Number(r.at));
}

async function tablesIn(query: Query): Promise<Set<string>> {
  const rows = await query(
    `select c.relname::text as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = '${APP_SCHEMA}' and c.relkind in ('r', 'p')`,
  );
  return new Set(rows.map((r) => String(r.name)));
}

async function countOf(query: Query, table: string): Promise<number> {
  const [row] = await query(`select count(*)::text as n from ${APP_SCHEMA}.${quoteIdent(table)}`);
  return Number(row?.n ?? 0);
}

/** What a backup holds, checked against this version of snsgov. */
export type BackupContents = {
  /** Migrations the backup had applied; `pending` were applied during the restore. */
  migrations: number;
  pending: number;
  tables: number;
  staff: number;
  auditEntries: number;
};

/**
 * Checks that a restored database is an snsgov database this version can run, and brings it up
 * to date: its migrations must be ones this version knows (a backup from a newer version is
 * refused), pending ones are applied, and then every table of the schema must exist.
 */
async function checkAndMigrate(handle: DatabaseHandle): Promise<BackupContents> {
  const query: Query = async (text) => (await handle.pool.query(text)).rows;
  const applied = await appliedMigrations(query);
  if (!applied?.length)
    throw new MaintenanceError("the file is not an snsgov backup (no migrations recorded)");
  const known = readMigrationFiles({ migrationsFolder }).map((m) => m.folderMillis);
  const unknown = applied.find((at) => !known.includes(at));
  if (unknown !== undefined) {
    throw new MaintenanceError(
      "the backup was made by a newer version of snsgov (it has migrations this version does not know); upgrade snsgov first",
    );
  }
  const pending = known.filter((at) => at > Math.max(...applied)).length;
  await handle.migrate();
  const present = await tablesIn(query);
  const missing = schemaTableNames().filter((name) => !present.has(name));
  if (missing.length) {
    throw new MaintenanceError(`the backup is missing tables after migration: ${missing.join(", ")}`);
  }
  return {
    migrations: applied.length,
    pending,
    tables: present.size,
    staff: await countOf(query, "staff"),
    auditEntries: await countOf(query, "audit_log"),
  };
}

// Restore

/**
 * Checks a backup file before anything is unpacked: a gzipped tar holding a PostgreSQL cluster
 * made by snsgov. A damaged or foreign file is refused here with a clear message.
 */
async function checkArchive(file: string): Promise<void> {
  const head = await readFile(file).then(
    (bytes) => bytes.subarray(0, 2),
    (error: unknown) => {
      throw new MaintenanceError(
        `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`,
      );
    },
  );
  if (head[0] !== 0x1f || head[1] !== 0x8b) {
    throw new MaintenanceError(
      "the file is not a backup of the embedded database (not a gzipped tar archive)",
    );
  }
  const names: string[] = [];
  try {
    await tar.list({ file, strict: true, onReadEntry: (entry) => names.push(entry.path) });
  } catch (error) {
    throw new MaintenanceError(
      `the file is not a usable backup (damaged: ${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const has = (name: string) => names.some((n) => n === name || n === `./${name}`);
  if (!has("PG_VERSION") || !has("snsgov.secret")) {
    throw new MaintenanceError(
      "the file is not a backup of the embedded database (no snsgov PostgreSQL cluster in it)",
    );
  }
}

export type RestoreResult = BackupContents & {
  cluster: string;
  /** Where the database that was replaced now is; null when there was none. */
  previous: string | null;
  ms: number;
};

/**
 * Replaces the embedded database in `dataDir` with the backup in `file`. The backup is unpacked
 * into a new folder beside the cluster, started and checked (an snsgov database, migrations this
 * version knows, every table present after applying pending migrations) and only then swapped
 * in; the database it replaces is kept as `postgres.before-restore-<time>`. Holds the folder's
 * lock throughout, so it refuses while the server runs.
 * @param options.beforeSwap work on the restored database before it goes live (the CLI records
 *   the restore in the audit log); a failure there leaves the current database in place
 */
export async function restoreEmbedded(
  dataDir: string,
  file: string,
  options: { now?: Date; beforeSwap?: (handle: DatabaseHandle) => Promise<void> } = {},
): Promise<RestoreResult> {
  const started = performance.now();
  const folder = resolve(dataDir);
  await checkArchive(file);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const lock: DataDirLock = await acquireDataDirLock(folder).catch((error: unknown) =>
    inUse(folder, "restore", error),
  );
  const at = stamp(options.now ?? new Date());
  const cluster = clusterOf(folder);
  const incoming = join(folder, `postgres.restoring-${at}`);
  try {
    let contents: BackupContents;
    try {
      contents = await loadAndCheck(folder, incoming, file, options.beforeSwap);
    } catch (error) {
      await rm(incoming, { recursive: true, force: true });
      throw error;
    }
    // A server left running by a killed snsgov must not see its folder move away.
    await stopOrphanedServer(cluster);
    const previous = (await exists(cluster)) ? join(folder, `postgres.before-restore-${at}`) : null;
    if (previous) await rename(cluster, previous);
    try {
      await rename(incoming, cluster);
    } catch (error) {
      if (previous) await rename(previous, cluster);
      throw error;
    }
    await syncFolder(folder);
    return { ...contents, cluster, previous, ms: performance.now() - started };
  } finally {
    await lock.release();
  }
}

/** The owner the server runs as, when snsgov runs as root (see embedded.ts). */
async function serverOwner(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) =>
    new Promise<number>((done, fail) =>
      execFile("id", [flag, "postgres"], (error, stdout) =>
        error ? fail(error) : done(Number(stdout.trim())),
      ),
    );
  try {
    return { uid: await id("-u"), gid: await id("-g") };
  } catch {
    return undefined;
  }
}

async function loadAndCheck(
  folder: string,
  incoming: string,
  file: string,
  beforeSwap: ((handle: DatabaseHandle) => Promise<void>) | undefined,
): Promise<BackupContents> {
  await rm(incoming, { recursive: true, force: true });
  await mkdir(incoming, { mode: 0o700 });
  const owner = await serverOwner();
  if (owner) await chown(incoming, owner.uid, owner.gid);
  await tar.extract({
    file,
    cwd: incoming,
    strict: true,
    ...(owner ? { uid: owner.uid, gid: owner.gid } : { preserveOwner: false }),
  });
  let server: Awaited<ReturnType<typeof startEmbeddedServer>>;
  try {
    server = await startEmbeddedServer(folder, { cluster: incoming });
  } catch (error) {
    if (!(error instanceof EmbeddedServerError)) throw error;
    throw new MaintenanceError(`the backup does not start as a database (${error.message})`);
  }
  try {
    const handle = await openPostgres(server.url(), { max: 2 });
    try {
      const contents = await checkAndMigrate(handle);
      if (beforeSwap) await beforeSwap(handle);
      return contents;
    } finally {
      await handle.close();
    }
  } finally {
    await server.stop();
  }
}

// Copy to PostgreSQL

/** Quotes an SQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The URL with its password replaced by `***`, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable URL)";
  }
}

type Column = { name: string; type: string; identity: boolean };
type TableInfo = { name: string; columns: Column[]; primaryKey: string[] };
type SequenceInfo = { name: string; table: string | null; column: string | null };

const str = (value: unknown): string => (typeof value === "string" ? value : String(value));
const qualified = (name: string) => `${APP_SCHEMA}.${quoteIdent(name)}`;

async function readTables(query: Query): Promise<TableInfo[]> {
  const rows = await query(
    `select c.relname::text as table_name, a.attname::text as column_name,
            format_type(a.atttypid, a.atttypmod) as column_type, a.attidentity::text as identity,
            coalesce(a.attnum = any(i.indkey), false)::text as in_pk
       from pg_class c
       join pg_namespace n on n.oid = c.relnamespace
       join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
       left join pg_index i on i.indrelid = c.oid and i.indisprimary
      where n.nspname = '${APP_SCHEMA}' and c.relkind in ('r', 'p') and not c.relispartition
        and a.attgenerated = ''
      order by c.relname, a.attnum`,
  );
  const tables = new Map<string, TableInfo>();
  for (const row of rows) {
    const name = str(row.table_name);
    const table = tables.get(name) ?? { name, columns: [], primaryKey: [] };
    tables.set(name, table);
    const column = str(row.column_name);
    table.columns.push({ name: column, type: str(row.column_type), identity: str(row.identity) !== "" });
    if (row.in_pk === "true") table.primaryKey.push(column);
  }
  return [...tables.values()];
}

async function readForeignKeys(query: Query): Promise<Array<{ child: string; parent: string }>> {
  const rows = await query(
    `select child.relname::text as child, parent.relname::text as parent
       from pg_constraint k
       join pg_class child on child.oid = k.conrelid
       join pg_namespace cn on cn.oid = child.relnamespace
       join pg_class parent on parent.oid = k.confrelid
       join pg_namespace pn on pn.oid = parent.relnamespace
      where k.contype = 'f' and cn.nspname = '${APP_SCHEMA}' and pn.nspname = '${APP_SCHEMA}'`,
  );
  return rows.map((r) => ({ child: str(r.child), parent: str(r.parent) }));
}

/** Every sequence of the application schema, with the column it feeds when it has one. */
async function readSequences(query: Query): Promise<SequenceInfo[]> {
  const rows = await query(
    `select s.relname::text as name, t.relname::text as table_name, a.attname::text as column_name
       from pg_class s
       join pg_namespace n on n.oid = s.relnamespace
       left join pg_depend d on d.objid = s.oid and d.classid = 'pg_class'::regclass
            and d.refclassid = 'pg_class'::regclass and d.deptype in ('a', 'i')
       left join pg_class t on t.oid = d.refobjid
       left join pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid
      where s.relkind = 'S' and n.nspname = '${APP_SCHEMA}'
      order by s.relname`,
  );
  return rows.map((r) => ({
    name: str(r.name),
    table: r.table_name === null ? null : str(r.table_name),
    column: r.column_name === null ? null : str(r.column_name),
  }));
}

/**
 * Orders tables so that every table comes after the tables its foreign keys point to (ties by
 * name). A self-reference does not constrain the order (rows are copied in primary-key order).
 * @throws MaintenanceError on a cycle between tables
 */
export function foreignKeyOrder(tables: string[], keys: Array<{ child: string; parent: string }>): string[] {
  const parents = new Map<string, Set<string>>(tables.map((t) => [t, new Set<string>()]));
  for (const { child, parent } of keys) {
    if (child !== parent && parents.has(parent)) parents.get(child)?.add(parent);
  }
  const ordered: string[] = [];
  const done = new Set<string>();
  while (ordered.length < tables.length) {
    const ready = tables
      .filter((t) => !done.has(t) && [...(parents.get(t) ?? [])].every((p) => done.has(p)))
      .sort();
    if (!ready.length) {
      const stuck = tables.filter((t) => !done.has(t)).join(", ");
      throw new MaintenanceError(`foreign keys form a cycle between tables: ${stuck}`);
    }
    for (const t of ready) {
      ordered.push(t);
      done.add(t);
    }
  }
  return ordered;
}

const columnNames = (t: TableInfo) => t.columns.map((c) => c.name).join(",");

export type CopyTableResult = { table: string; rows: number };
export type CopyResult = { tables: CopyTableResult[]; sequences: number; rows: number; ms: number };

/** Values read as text: every PostgreSQL type reads back from its text form unchanged. */
function textValues(row: Record<string, unknown>, count: number): Array<string | null> {
  const values: Array<string | null> = [];
  for (let i = 0; i < count; i++) {
    const value = row[`c${i}`];
    if (value !== null && typeof value !== "string") {
      throw new MaintenanceError(`unexpected non-text value in column ${i}`);
    }
    values.push(value);
  }
  return values;
}

/** Session settings that make the text form of every value unambiguous on both sides. */
const TEXT_SETTINGS = [
  "set local timezone = 'UTC'",
  "set local datestyle = 'ISO, YMD'",
  "set local intervalstyle = 'postgres'",
  "set local extra_float_digits = 3",
  "set local bytea_output = 'hex'",
];

/** Rows per INSERT: at most 1,000, and well under PostgreSQL's 65,535 parameters. */
const batchSize = (columns: number, wanted?: number) =>
  Math.max(1, Math.min(wanted ?? 1000, Math.floor(30_000 / Math.max(1, columns))));

/** Copies one table through a cursor on the source, in batches; returns the rows copied. */
async function copyTable(
  read: Query,
  write: Query,
  source: TableInfo,
  target: TableInfo,
  wanted?: number,
): Promise<number> {
  const columns = source.columns;
  const list = columns.map((c) => quoteIdent(c.name)).join(", ");
  const casts = target.columns.map((c) => c.type);
  const order = source.primaryKey.length ? ` order by ${source.primaryKey.map(quoteIdent).join(", ")}` : "";
  const select = columns.map((c, i) => `${quoteIdent(c.name)}::text as c${i}`).join(", ");
  const overriding = target.columns.some((c) => c.identity) ? " overriding system value" : "";
  const per = batchSize(columns.length, wanted);
  await read(
    `declare snsgov_copy no scroll cursor for select ${select} from ${qualified(source.name)}${order}`,
  );
  let total = 0;
  for (;;) {
    const rows = await read(`fetch ${per} from snsgov_copy`);
    if (!rows.length) break;
    const params: Array<string | null> = [];
    const tuples = rows.map((row) => {
      const placeholders = textValues(row, columns.length).map((value, i) => {
        params.push(value);
        return `$${params.length}::${casts[i]}`;
      });
      return `(${placeholders.join(", ")})`;
    });
    await write(
      `insert into ${qualified(target.name)} (${list})${overriding} values ${tuples.join(", ")}`,
      params,
    );
    total += rows.length;
    if (rows.length < per) break;
  }
  await read("close snsgov_copy");
  return total;
}

/**
 * Tables of derived state that the target's own migrations fill and that are not copied: the
 * data versions (migration 0019) are transaction ids of the database they were written in; the
 * target's row is set by its own triggers as the copy writes the staff and units.
 */
export const DERIVED_TABLES: ReadonlySet<string> = new Set(["data_versions"]);

async function refuseNonEmpty(write: Query, tables: string[]): Promise<void> {
  const filled: string[] = [];
  for (const table of tables) {
    const [row] = await write(`select exists (select 1 from ${qualified(table)})::text as filled`);
    if (row?.filled === "true") filled.push(table);
  }
  if (filled.length) {
    throw new MaintenanceError(
      `the target database is not empty (rows in ${filled.join(", ")}); copy-to only fills an empty database`,
    );
  }
}

/**
 * Carries every sequence over: the source's position, raised to the column's max where the
 * sequence feeds a column, so the next insert gets max+1 (or later, if the source had already
 * handed out higher numbers whose rows were deleted: numbers are never reused).
 */
async function copySequences(read: Query, write: Query, sequences: SequenceInfo[]): Promise<void> {
  for (const seq of sequences) {
    const [state] = await read(
      `select last_value::text as v, is_called::text as c from ${qualified(seq.name)}`,
    );
    let value = BigInt(str(state?.v ?? "1"));
    let called = state?.c === "true";
    if (seq.table && seq.column) {
      const [top] = await write(
        `select max(${quoteIdent(seq.column)})::text as m from ${qualified(seq.table)}`,
      );
      if (typeof top?.m === "string") {
        const max = BigInt(top.m);
        if (max > value || (max === value && !called)) {
          value = max;
          called = true;
        }
      }
    }
    await write("select setval($1::regclass, $2::bigint, $3::boolean)", [
      qualified(seq.name),
      value.toString(),
      String(called),
    ]);
  }
}

async function countRows(query: Query, table: string): Promise<number> {
  const [row] = await query(`select count(*)::text as n from ${qualified(table)}`);
  return Number(row?.n ?? Number.NaN);
}

async function compareCounts(read: Query, write: Query, tables: string[]): Promise<CopyTableResult[]> {
  const counted: CopyTableResult[] = [];
  for (const table of tables) {
    const expected = await countRows(read, table);
    const rows = await countRows(write, table);
    if (rows !== expected) {
      throw new MaintenanceError(`row counts differ for ${table}: ${expected} in the source, ${rows} copied`);
    }
    counted.push({ table, rows });
  }
  return counted;
}

/**
 * Copies every application table of `source` into the empty PostgreSQL database at `targetUrl`:
 * applies the migrations there, refuses when any application table there has rows, then copies
 * table by table in foreign-key order inside one transaction (batched, parameterised INSERTs;
 * the append-only audit tables only ever receive INSERTs), carries every sequence over (at least
 * max(id), so the next insert continues after the copied rows), compares the row count of every
 * table and commits only if they all match. Tables, columns, order and sequences are read from
 * the catalogue, so tables added by later migrations are copied too.
 *
 * The source is read in one read-only repeatable-read transaction (one consistent snapshot);
 * the CLI also holds the embedded folder's lock, so nothing writes meanwhile.
 * @param options.onTable called after each table is copied (progress)
 * @param options.batchRows rows per INSERT (default up to 1,000)
 */
export async function copyToPostgres(
  source: DatabaseHandle,
  targetUrl: string,
  options: { onTable?: (result: CopyTableResult) => void; batchRows?: number } = {},
): Promise<CopyResult> {
  const started = performance.now();
  const target = await openPostgres(targetUrl, { max: 1 });
  try {
    await target.migrate().catch((error: unknown) => {
      throw new MaintenanceError(
        `cannot prepare ${redactUrl(targetUrl)}: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
    if (!target.pool) throw new MaintenanceError("the target has no connection pool");
    const client = await target.pool.connect();
    try {
      const write: Query = async (text, params = []) => (await client.query(text, params)).rows;
      const result = await source.db.transaction(
        async (tx) => {
          const read: Query = async (text) => (await tx.execute(sql.raw(text))).rows;
          return copyAll(read, write, options);
        },
        { isolationLevel: "repeatable read", accessMode: "read only" },
      );
      return { ...result, ms: performance.now() - started };
    } finally {
      client.release();
    }
  } finally {
    await target.close();
  }
}

async function copyAll(
  read: Query,
  write: Query,
  options: { onTable?: (result: CopyTableResult) => void; batchRows?: number },
): Promise<Omit<CopyResult, "ms">> {
  for (const setting of TEXT_SETTINGS) await read(setting);
  const sourceTables = await readTables(read);
  const targetTables = new Map((await readTables(write)).map((t) => [t.name, t]));
  for (const table of sourceTables) {
    const other = targetTables.get(table.name);
    if (!other || columnNames(other) !== columnNames(table)) {
      throw new MaintenanceError(
        `table ${table.name} differs between the two databases; both must be at the same snsgov version`,
      );
    }
  }
  const order = foreignKeyOrder(
    sourceTables.map((t) => t.name).filter((name) => !DERIVED_TABLES.has(name)),
    await readForeignKeys(read),
  );
  const byName = new Map(sourceTables.map((t) => [t.name, t]));
  const sequences = await readSequences(read);

  await write("begin");
  try {
    for (const setting of TEXT_SETTINGS) await write(setting);
    await refuseNonEmpty(write, order);
    for (const name of order) {
      const table = byName.get(name);
      const other = targetTables.get(name);
      if (!table || !other) continue;
      const rows = await copyTable(read, write, table, other, options.batchRows);
      options.onTable?.({ table: name, rows });
    }
    await copySequences(read, write, sequences);
    const tables = await compareCounts(read, write, order);
    await write("commit");
    return { tables, sequences: sequences.length, rows: tables.reduce((sum, t) => sum + t.rows, 0) };
  } catch (error) {
    await write("rollback").catch(() => undefined);
    throw error;
  }
}
