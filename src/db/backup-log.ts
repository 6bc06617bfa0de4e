/**
 * The record of the backups `snsgov db backup` wrote of the embedded database: one JSON line per
 * backup in `<data folder>/backups.log`, beside the database cluster rather than inside it, so that
 * restoring an older backup does not take the record back with it. The setup checklist reads the
 * last line to know whether a first backup was taken; a backup made some other way (copying the
 * folder, pg_dump of an external server) is not in it.
 */
import { appendFile, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { z } from "zod";

/** One backup as the command wrote it. */
export type BackupLogEntry = { at: string; file: string; bytes: number };

const entrySchema = z.object({
  at: z.iso.datetime(),
  file: z.string(),
  bytes: z.number().int().nonnegative(),
});

/** Where the record is kept. */
export function backupLogFile(dataDir: string): string {
  return join(resolve(dataDir), "backups.log");
}

/** Appends one backup to the record (creating the file, readable by the owner only). */
export async function appendBackupLog(
  dataDir: string,
  entry: { at: Date; file: string; bytes: number },
): Promise<void> {
  const line = JSON.stringify({ at: entry.at.toISOString(), file: entry.file, bytes: entry.bytes });
  await appendFile(backupLogFile(dataDir), `${line}\n`, { mode: 0o600 });
}

/** The last backup recorded, or undefined when none was (or the record cannot be read). */
export async function lastBackup(dataDir: string): Promise<BackupLogEntry | undefined> {
  const text = await readFile(backupLogFile(dataDir), "utf8").catch(() => "");
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  for (const line of lines.reverse()) {
    try {
      const parsed = entrySchema.safeParse(JSON.parse(line));
      if (parsed.success) return parsed.data;
    } catch {
      // A line cut short (a full disk) is skipped; the one before it still counts.
    }
  }
  return undefined;
}
