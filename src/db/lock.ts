/**
 * Exclusive lock on the data folder. The snsgov process holding it owns the embedded PostgreSQL
 * server of the folder (starts it, stops it on exit). PostgreSQL's own `postmaster.pid` keeps a
 * second server off the cluster; this lock file (created with O_EXCL, holding the owner's pid)
 * makes a second snsgov stop with a clear one-line message first, and tells a new snsgov that a
 * server still running on the folder was left by a process that died (src/db/embedded.ts stops it).
 */
import { mkdir, open, readFile, rm } from "node:fs/promises";
import { join } from "node:path";

export type DataDirLock = { path: string; release(): Promise<void> };

/** Thrown when another live process holds the data folder. */
export class DataDirLockedError extends Error {
  override name = "DataDirLockedError";
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error instanceof Error && "code" in error && error.code === "EPERM";
  }
}

async function tryCreate(path: string): Promise<boolean> {
  try {
    const handle = await open(path, "wx", 0o600);
    await handle.writeFile(`${process.pid}\n`);
    await handle.close();
    return true;
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "EEXIST") return false;
    throw error;
  }
}

/**
 * Takes the lock on `dataDir` (creating the folder if needed). A lock left by a process that no
 * longer exists (after a crash or SIGKILL) is taken over.
 * @throws DataDirLockedError when a live process holds it.
 */
export async function acquireDataDirLock(dataDir: string): Promise<DataDirLock> {
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, "snsgov.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    if (await tryCreate(path)) {
      return {
        path,
        release: async () => {
          await rm(path, { force: true });
        },
      };
    }
    const holder = Number.parseInt((await readFile(path, "utf8").catch(() => "")).trim(), 10);
    if (Number.isInteger(holder) && holder !== process.pid && processIsAlive(holder)) {
      throw new DataDirLockedError(
        `the data folder ${dataDir} is in use by another snsgov process (pid ${holder}); stop it first, or set SNSGOV_DATA_DIR to another folder（データフォルダは別の snsgov が使用中です）`,
      );
    }
    await rm(path, { force: true });
  }
  throw new DataDirLockedError(`could not lock the data folder ${dataDir}`);
}
