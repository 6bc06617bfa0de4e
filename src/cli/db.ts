/**
 * `snsgov db`: apply migrations (either database), back up and restore the embedded database,
 * and copy the embedded database into an empty PostgreSQL database. Exit status: 0 done,
 * 1 could not be done (one line says why), 2 usage error. See docs/operations.md.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { type Config, ConfigError, loadConfig } from "../config.ts";
import { appendBackupLog } from "../db/backup-log.ts";
import { type DatabaseHandle, openDatabase, openEmbedded, openPostgres } from "../db/client.ts";
import { clusterOf, EmbeddedServerError } from "../db/embedded.ts";
import { DataDirLockedError } from "../db/lock.ts";
import {
  backupEmbedded,
  copyToPostgres,
  hasEmbeddedDatabase,
  MaintenanceError,
  redactUrl,
  restoreEmbedded,
} from "../db/maintenance.ts";

export const dbUsage = `usage: snsgov db migrate
       snsgov db backup FILE
       snsgov db restore FILE
       snsgov db copy-to postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE
backup, restore and copy-to work on the embedded database (SNSGOV_DATA_DIR) while the server is stopped.
exit status: 0 done, 1 could not be done, 2 usage error
`;

/** A parsed `snsgov db` command line. */
export type DbCommand =
  | { name: "migrate" }
  | { name: "backup"; file: string }
  | { name: "restore"; file: string }
  | { name: "copy-to"; url: string };

/** Where the command writes: stdout for results, stderr for progress and errors. */
export type DbIo = { out(text: string): void; err(text: string): void };

const processIo: DbIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** Parses the arguments after `db`; a string is the reason they are not usable. */
export function parseDbArgs(args: string[]): DbCommand | string {
  let positionals: string[];
  try {
    ({ positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: {} }));
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  const [name, operand, ...extra] = positionals;
  if (!name) return "missing db command";
  if (extra.length) return `unexpected argument "${extra[0]}"`;
  if (name === "migrate") return operand === undefined ? { name } : `unexpected argument "${operand}"`;
  if (name === "backup" || name === "restore") {
    return operand ? { name, file: operand } : `${name} needs the backup FILE`;
  }
  if (name === "copy-to") {
    if (!operand) return "copy-to needs the target database URL (postgres://…)";
    if (!/^postgres(ql)?:\/\//.test(operand)) return "the target must be a postgres:// or postgresql:// URL";
    return { name, url: operand };
  }
  return `unknown db command "${name}"`;
}

const megabytes = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function where(config: Config): string {
  return config.databaseUrl
    ? `PostgreSQL at ${redactUrl(config.databaseUrl)}`
    : `embedded database in ${clusterOf(config.dataDir)}`;
}

/** Refuses a command that only makes sense for the embedded database when DATABASE_URL is set. */
function embeddedOnly(config: Config, what: string, instead: string): void {
  if (config.databaseUrl) {
    throw new MaintenanceError(
      `DATABASE_URL is set: ${what} works on the embedded database only; ${instead}`,
    );
  }
}

async function appliedMigrations(handle: DatabaseHandle): Promise<number> {
  const found = await handle.db.execute(sql`select to_regclass('drizzle.__drizzle_migrations')::text as t`);
  if (!found.rows[0]?.t) return 0;
  const counted = await handle.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  return Number(counted.rows[0]?.n ?? 0);
}

async function migrateCommand(config: Config, io: DbIo): Promise<number> {
  const handle = await openDatabase(config);
  try {
    const before = await appliedMigrations(handle);
    await handle.migrate();
    const after = await appliedMigrations(handle);
    io.out(
      after === before
        ? `database is up to date: ${after} migrations (${where(config)})\n`
        : `applied ${after - before} migrations, ${after} in total (${where(config)})\n`,
    );
    return 0;
  } finally {
    await handle.close();
  }
}

async function backupCommand(config: Config, io: DbIo, file: string): Promise<number> {
  embeddedOnly(config, "backup", "back up PostgreSQL with pg_dump (see docs/operations.md)");
  const result = await backupEmbedded(config.dataDir, file);
  // The setup checklist reads this record to know that a first backup was taken.
  await appendBackupLog(config.dataDir, { at: new Date(), file: result.file, bytes: result.bytes });
  io.out(`backup written: ${result.file} (${megabytes(result.bytes)}) in ${seconds(result.ms)}\n`);
  return 0;
}

async function restoreCommand(config: Config, io: DbIo, file: string): Promise<number> {
  embeddedOnly(config, "restore", "restore PostgreSQL with pg_restore or psql (see docs/operations.md)");
  const bytes = await readFile(file).catch(() => undefined);
  const sha256 = bytes ? createHash("sha256").update(bytes).digest("hex") : "";
  // Loaded here: backup and migrate need nothing from the application layer.
  const { record } = await import("../app/audit/record.ts");
  const result = await restoreEmbedded(config.dataDir, file, {
    // The restore itself goes on the record of the restored database.
    beforeSwap: async (handle) => {
      await handle.db.transaction((tx) =>
        record(tx, {
          actor: { kind: "system", label: "cli" },
          at: new Date(),
          action: "system.restore",
          target: { type: "database", id: null },
          summary: { file: resolve(file), sha256 },
        }),
      );
    },
  });
  io.out(
    `restored ${resolve(file)} into ${result.cluster} in ${seconds(result.ms)}: ` +
      `${result.staff} staff, ${result.auditEntries} audit entries` +
      `${result.pending ? `; applied ${result.pending} migrations made since the backup` : ""}\n`,
  );
  io.out(
    result.previous
      ? `the database it replaced is kept in ${result.previous}; delete that folder once you have checked the restored data\n`
      : "there was no database before; nothing was replaced\n",
  );
  // The audit checkpoints signed since the backup are gone with it: start a new anchor file.
  const { archiveAnchorFile } = await import("../app/audit/anchor.ts");
  const anchors = await archiveAnchorFile(config.auditAnchorFile, new Date());
  if (anchors) io.out(`the audit anchor file was moved to ${anchors}; keep it with the replaced database\n`);
  return 0;
}

async function copyCommand(config: Config, io: DbIo, url: string): Promise<number> {
  embeddedOnly(config, "copy-to", "unset it to copy from the embedded database in SNSGOV_DATA_DIR");
  if (!(await hasEmbeddedDatabase(config.dataDir))) {
    throw new MaintenanceError(`there is no embedded database in ${clusterOf(config.dataDir)}`);
  }
  const source = await openEmbedded(config.dataDir);
  try {
    await source.migrate();
    io.err(`copying the embedded database in ${clusterOf(config.dataDir)} to ${redactUrl(url)}\n`);
    const result = await copyToPostgres(source, url);
    const width = Math.max(5, ...result.tables.map((t) => t.table.length));
    const rowsWidth = Math.max(4, ...result.tables.map((t) => String(t.rows).length));
    const line = (a: string, b: string) => `  ${a.padEnd(width)}  ${b.padStart(rowsWidth)}\n`;
    io.out(line("table", "rows"));
    for (const t of result.tables) io.out(line(t.table, String(t.rows)));
    io.out(
      `copied ${result.rows} rows in ${result.tables.length} tables and set ${result.sequences} sequences ` +
        `in ${seconds(result.ms)}; the row count of every table matches\n`,
    );
  } finally {
    await source.close();
  }
  return verifyTarget(config, io, url);
}

/** Checks the audit chain on the target, as `snsgov audit verify` would there. */
async function verifyTarget(config: Config, io: DbIo, url: string): Promise<number> {
  const { loadVerificationKey } = await import("../app/audit/keys.ts");
  const { describeAuditResult, verifyAudit } = await import("../app/audit/verify.ts");
  const key = await loadVerificationKey(config.auditKeyFile);
  const target = await openPostgres(url, { max: 1 });
  try {
    const result = await verifyAudit(target.db, key ? [key] : []);
    io.out(
      `on the target: ${describeAuditResult(result)}${key ? "" : " (no audit key found: signatures not checked)"}\n`,
    );
    if (!result.ok) return 1;
  } finally {
    await target.close();
  }
  io.out(`next: stop using the embedded database, set DATABASE_URL=${redactUrl(url)} and start snsgov\n`);
  return 0;
}

/** The one line an operator sees when a command cannot be done. */
export function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (
    error instanceof MaintenanceError ||
    error instanceof DataDirLockedError ||
    error instanceof EmbeddedServerError
  )
    return error.message;
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  const message = error.message.startsWith("Failed query") ? "a database query failed" : error.message;
  return `${message}${cause}`.split("\n")[0] ?? "";
}

/** Runs a parsed command; returns the exit code. */
export async function execute(command: DbCommand, config: Config, io: DbIo): Promise<number> {
  try {
    switch (command.name) {
      case "migrate":
        return await migrateCommand(config, io);
      case "backup":
        return await backupCommand(config, io, command.file);
      case "restore":
        return await restoreCommand(config, io, command.file);
      case "copy-to":
        return await copyCommand(config, io, command.url);
    }
  } catch (error) {
    io.err(`snsgov db: ${reasonOf(error)}\n`);
    return 1;
  }
}

/** `snsgov db …`: see dbUsage. */
export async function run(args: string[], io: DbIo = processIo): Promise<number> {
  const command = parseDbArgs(args);
  if (typeof command === "string") {
    io.err(`snsgov db: ${command}\n${dbUsage}`);
    return 2;
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.err(`snsgov db: ${error.message}\n`);
    return 2;
  }
  return execute(command, config, io);
}
