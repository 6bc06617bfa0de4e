/**
 * The data-folder probe of /healthz for the embedded database: a small file is written, flushed
 * to the disk and removed, which fails on a full disk or a folder that cannot be written, while
 * reads (and so the database's own answers) may still work for a while.
 */
import { randomBytes } from "node:crypto";
import { open, rm } from "node:fs/promises";
import { join } from "node:path";

/** Writes, flushes and removes a small file in `dir`; the error when that failed. */
export async function probeDataDir(dir: string): Promise<{ error: unknown } | undefined> {
  const file = join(dir, `.health-probe-${process.pid}-${randomBytes(4).toString("hex")}`);
  try {
    const handle = await open(file, "wx");
    try {
      await handle.writeFile("ok\n");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rm(file);
    return undefined;
  } catch (error) {
    await rm(file, { force: true }).catch(() => undefined);
    return { error };
  }
}
