/**
 * Fault tests of the embedded database (its real PostgreSQL server, default settings: fsync
 * and synchronous_commit on):
 * - snsgov and every PostgreSQL process are killed (SIGKILL) while people are editing and adding
 *   staff over HTTP. After a restart (which takes over the dead process's lock; PostgreSQL
 *   recovers from its WAL) every change the server acknowledged (303) is there, each with its
 *   audit entry, the session survived, and `snsgov audit verify` passes, also against the
 *   anchor file.
 * - only snsgov is killed: its PostgreSQL server lives on, orphaned. The next start finds it
 *   through postmaster.pid, stops it and starts its own; a second snsgov on the folder is refused.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { eq } from "drizzle-orm";
import { setPasswordDirectly } from "../src/app/auth/sessions.ts";
import { contextFor } from "../src/app/bootstrap.ts";
import { type AppContext, systemActor } from "../src/app/context.ts";
import { silentLogger } from "../src/app/logger.ts";
import { loadConfig } from "../src/config.ts";
import { openEmbedded } from "../src/db/client.ts";
import { auditLog } from "../src/db/schema.ts";
import { serverTempDir } from "./support/db.ts";
import { seedOrg, type TestOrg } from "./support/org.ts";

const root = join(import.meta.dirname, "..");
const PASSWORD = "a long enough fault-test passphrase";
let dir: string;
let dataDir: string;
let org: TestOrg;
let port: number;
const servers: ChildProcess[] = [];

async function withEmbedded<T>(work: (ctx: AppContext) => Promise<T>): Promise<T> {
  const handle = await openEmbedded(dataDir);
  try {
    await handle.migrate();
    return await work(contextFor(handle, loadConfig({ SNSGOV_DATA_DIR: dataDir }), { log: silentLogger }));
  } finally {
    await handle.close();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const found = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(found));
    });
  });
}

before(async () => {
  dir = await serverTempDir("snsgov-fault-");
  dataDir = join(dir, "data");
  await mkdir(dataDir);
  port = await freePort();
  org = await withEmbedded(async (ctx) => {
    const seeded = await seedOrg(ctx);
    await setPasswordDirectly(ctx, {
      actor: systemActor("test"),
      staffId: seeded.staff.admin.id,
      password: PASSWORD,
    });
    return seeded;
  });
});
after(async () => {
  for (const server of servers)
    if (server.exitCode === null && server.signalCode === null) server.kill("SIGKILL");
  const left = await postmaster();
  if (left && alive(left)) process.kill(left, "SIGQUIT");
  await rm(dir, { recursive: true, force: true });
});

/** The pid of the embedded PostgreSQL server in postmaster.pid, if the file is there. */
async function postmaster(): Promise<number | undefined> {
  const text = await readFile(join(dataDir, "postgres", "postmaster.pid"), "utf8").catch(() => "");
  const pid = Number.parseInt(text.split("\n")[0] ?? "", 10);
  return Number.isInteger(pid) ? pid : undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The postmaster and every process it started (its backends and background workers). */
async function serverProcesses(pid: number): Promise<number[]> {
  const found = [pid];
  for (const entry of await readdir("/proc")) {
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    if (ppid === pid) found.push(Number(entry));
  }
  return found;
}

const env = () => {
  const {
    DATABASE_URL: _url,
    SNSGOV_AUDIT_KEY_FILE: _key,
    SNSGOV_AUDIT_ANCHOR_FILE: _anchors,
    ...inherited
  } = process.env;
  return {
    ...inherited,
    SNSGOV_DATA_DIR: dataDir,
    PORT: String(port),
    HOST: "127.0.0.1",
    SNSGOV_PUBLIC_URL: `http://127.0.0.1:${port}`,
    SNSGOV_COOKIE_SECURE: "false",
    SNSGOV_LOG_LEVEL: "warn",
    // The launcher leaves tsx to find tsconfig.json from the working folder; outside the project
    // the pages' JSX would not compile, so point tsx at it.
    TSX_TSCONFIG_PATH: join(root, "tsconfig.json"),
  };
};

/** Starts `bin/snsgov serve`; resolves once it listens, with its output so far. */
function startServer(): Promise<{ server: ChildProcess; output: () => string }> {
  const server = spawn(join(root, "bin", "snsgov"), ["serve"], { env: env(), cwd: dir });
  servers.push(server);
  let output = "";
  return new Promise((resolve, reject) => {
    // Generous: a fresh start compiles the sources and migrates; a busy 2-core machine is slow.
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("snsgov: listening on")) {
        clearTimeout(timer);
        healthy().then(() => resolve({ server, output: () => output }), reject);
      }
    };
    server.stdout?.on("data", onData);
    server.stderr?.on("data", onData);
    server.on("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) before listening:\n${output}`));
    });
  });
}

/** Waits until /healthz answers (the socket may bind a moment after the log line). */
async function healthy(): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
    if (res?.ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the server does not answer /healthz");
}

async function waitGone(pid: number): Promise<void> {
  for (let attempt = 0; attempt < 200 && alive(pid); attempt++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(alive(pid), false, `process ${pid} is gone`);
}

function exited(server: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (server.exitCode !== null || server.signalCode !== null) {
    return Promise.resolve({ code: server.exitCode, signal: server.signalCode });
  }
  return new Promise((resolve) => server.on("exit", (code, signal) => resolve({ code, signal })));
}

/** A browser: keeps cookies, sends the Origin header, posts forms with the CSRF token. */
function browser() {
  const base = `http://127.0.0.1:${port}`;
  const cookies = new Map<string, string>();
  let csrf = "";
  const remember = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const at = pair.indexOf("=");
      const value = pair.slice(at + 1);
      if (value === "" || /max-age=0/i.test(line)) cookies.delete(pair.slice(0, at));
      else cookies.set(pair.slice(0, at), value);
    }
    return res;
  };
  const headers = () => ({ cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join("; "), origin: base });
  const self = {
    async get(path: string) {
      return remember(await fetch(`${base}${path}`, { headers: headers(), redirect: "manual" }));
    },
    async post(path: string, form: Record<string, string>) {
      const body = new URLSearchParams({ ...form, ...(csrf ? { _csrf: csrf } : {}) });
      return remember(
        await fetch(`${base}${path}`, {
          method: "POST",
          body,
          headers: { ...headers(), "content-type": "application/x-www-form-urlencoded" },
          redirect: "manual",
        }),
      );
    },
    async signIn(login: string) {
      const res = await self.post("/login", { login, password: PASSWORD });
      assert.equal(res.status, 303, await res.text());
      await self.refreshCsrf();
    },
    async refreshCsrf() {
      const html = await (await self.get("/account")).text();
      const match = /name="_csrf" value="([^"]+)"/.exec(html);
      assert.ok(match?.[1], "signed in: the account page has a form token");
      csrf = match[1];
    },
  };
  return self;
}

/** `value[key]` when value is an object (audit summaries are JSON). */
function field(value: unknown, key: string): unknown {
  return value && typeof value === "object" && key in value
    ? Object.entries(value).find(([k]) => k === key)?.[1]
    : undefined;
}

type Placement = { departmentId: number; divisionId: number | null; positionId: number };
const form = (p: { employeeNo: string; name: string; email: string } & Placement) => ({
  employeeNo: p.employeeNo,
  name: p.name,
  kana: "",
  email: p.email,
  departmentId: String(p.departmentId),
  divisionId: p.divisionId === null ? "" : String(p.divisionId),
  positionId: String(p.positionId),
  active: "on",
});

/** SIGKILL to a process listed a moment ago: a PostgreSQL backend may have ended since (ESRCH). */
function killIfThere(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch (error) {
    if (!(error instanceof Error && "code" in error && error.code === "ESRCH")) throw error;
  }
}

test("SIGKILL of snsgov and PostgreSQL during a stream of staff edits loses nothing acknowledged", async () => {
  const first = await startServer();
  const admin = browser();
  await admin.signIn(org.staff.admin.email);

  // Three people edit one staff member each, a fourth adds new staff, until the server dies.
  const edited = [org.staff.kouhouStaff, org.staff.soumuStaff, org.staff.auditor];
  const acknowledged = new Map<number, string[]>(edited.map((p) => [p.id, []]));
  const inFlight = new Map<number, string>();
  const added: Array<{ id: number; employeeNo: string; name: string }> = [];
  let acks = 0;
  let refused = 0;
  let killed = false;

  const editor = async (person: (typeof edited)[number]) => {
    for (let n = 1; !killed; n++) {
      const name = `${person.name} 第${n}版`;
      inFlight.set(person.id, name);
      const res = await admin.post(`/staff/${person.id}`, form({ ...person, name })).catch(() => undefined);
      if (!res) return;
      if (res.status !== 303) {
        refused++;
        continue;
      }
      acknowledged.get(person.id)?.push(name);
      acks++;
    }
  };
  const adder = async () => {
    for (let n = 1; !killed; n++) {
      const employeeNo = `F${String(n).padStart(4, "0")}`;
      const res = await admin
        .post(
          "/staff",
          form({
            employeeNo,
            name: `追加 ${n}号`,
            email: `f${n}@city.example.lg.jp`,
            departmentId: org.departments.seisaku.id,
            divisionId: org.divisions.kouhou.id,
            positionId: org.positions.shuji.id,
          }),
        )
        .catch(() => undefined);
      if (!res) return;
      const id = /^\/staff\/(\d+)$/.exec(res.headers.get("location") ?? "")?.[1];
      if (res.status !== 303 || !id) {
        refused++;
        continue;
      }
      added.push({ id: Number(id), employeeNo, name: `追加 ${n}号` });
      acks++;
    }
  };
  const writers = Promise.all([...edited.map(editor), adder()]);
  const deadline = Date.now() + 20_000;
  while (acks < 150 && refused === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  // The whole database server dies with snsgov, as in a crash of the machine's processes.
  const pg = await postmaster();
  assert.ok(pg, "the embedded server runs");
  const victims = await serverProcesses(pg);
  first.server.kill("SIGKILL");
  for (const pid of victims) killIfThere(pid);
  killed = true;
  const death = await exited(first.server);
  await writers;
  assert.equal(death.signal, "SIGKILL");
  assert.equal(refused, 0, "no edit was refused before the kill");
  assert.ok(acks >= 150, `${acks} acknowledged changes`);
  assert.ok(added.length > 0 && [...acknowledged.values()].every((names) => names.length > 0));

  // The lock of the killed process is stale: the restart takes it over; PostgreSQL recovers.
  await waitGone(pg);
  const second = await startServer();
  assert.doesNotMatch(second.output(), /in use by another snsgov process/);

  // What the administrator sees after the restart, still signed in with the same session.
  for (const person of edited) {
    const html = await (await admin.get(`/staff/${person.id}`)).text();
    const shown = /<h1>([^<]*) さん<\/h1>/.exec(html)?.[1];
    const names = acknowledged.get(person.id) ?? [];
    const last = names.at(-1);
    const allowed = [last, inFlight.get(person.id)];
    assert.ok(allowed.includes(shown), `staff ${person.id} shows "${shown}", last acknowledged "${last}"`);
  }
  for (const person of added) {
    const res = await admin.get(`/staff/${person.id}`);
    assert.equal(res.status, 200, `added staff ${person.employeeNo} is there`);
    assert.match(await res.text(), new RegExp(`<h1>${person.name} さん</h1>`));
  }

  // Stop cleanly (this signs a checkpoint), then check the record of every acknowledged change.
  second.server.kill("SIGTERM");
  assert.deepEqual(await exited(second.server), { code: 0, signal: null });
  const entries = await withEmbedded((ctx) =>
    ctx.db.select().from(auditLog).where(eq(auditLog.actorId, org.staff.admin.id)).orderBy(auditLog.seq),
  );
  const renamedTo = new Set(
    entries
      .filter((e) => e.action === "staff.update")
      .map((e) => `${e.targetId}:${String(field(field(field(e.summary, "changes"), "name"), "after"))}`),
  );
  for (const [id, names] of acknowledged) {
    for (const name of names) assert.ok(renamedTo.has(`${id}:${name}`), `audit entry for ${id} → ${name}`);
  }
  const createdIds = new Set(entries.filter((e) => e.action === "staff.create").map((e) => e.targetId));
  for (const person of added)
    assert.ok(createdIds.has(String(person.id)), `audit entry for ${person.employeeNo}`);

  const verify = spawn(
    join(root, "bin", "snsgov"),
    ["audit", "verify", "--anchor", join(dataDir, "audit-anchors.jsonl")],
    { env: env(), cwd: dir },
  );
  let stdout = "";
  verify.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  const result = await exited(verify);
  assert.equal(result.code, 0, stdout);
  // Signed at each start, on the timer and at the clean stop; the anchor file holds them all.
  const counted = /^audit log OK: (\d+) entries, (\d+) checkpoints, last seq (\d+); \2 anchors match\n$/.exec(
    stdout,
  );
  assert.ok(counted, stdout);
  assert.ok(Number(counted[1]) >= acks, `${counted[1]} audit entries for ${acks} acknowledged changes`);
  process.stdout.write(
    `# fault test: ${acks} acknowledged changes (${added.length} added, ${acks - added.length} edits) before SIGKILL; all present after restart; ${counted[1]} audit entries verify\n`,
  );
});

test("a PostgreSQL server orphaned by a killed snsgov is stopped by the next start", async () => {
  const first = await startServer();
  const orphan = await postmaster();
  assert.ok(orphan);
  first.server.kill("SIGKILL");
  await exited(first.server);
  await new Promise((r) => setTimeout(r, 200));
  assert.ok(alive(orphan), "the server outlives the snsgov that started it");

  const second = await startServer();
  const now = await postmaster();
  assert.ok(now && now !== orphan, "a new server runs");
  await waitGone(orphan);
  const admin = browser();
  await admin.signIn(org.staff.admin.email);
  assert.equal((await admin.get(`/staff/${org.staff.auditor.id}`)).status, 200, "the data is there");

  // A second snsgov on the same folder stops at once with one line, and leaves the first alone.
  const other = spawn(join(root, "bin", "snsgov"), ["db", "backup", join(dir, "x.tar.gz")], {
    env: env(),
    cwd: dir,
  });
  let stderr = "";
  other.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  assert.equal((await exited(other)).code, 1);
  assert.match(
    stderr,
    /^snsgov db: cannot back up: the data folder .* is in use by another snsgov process \(pid \d+\); stop the server first, then run this again\n$/,
  );
  const again = spawn(join(root, "bin", "snsgov"), ["serve"], { env: env(), cwd: dir });
  let refused = "";
  again.stderr.on("data", (chunk) => {
    refused += chunk;
  });
  assert.equal((await exited(again)).code, 2);
  assert.match(
    refused,
    /^snsgov: the data folder .* is in use by another snsgov process \(pid \d+\); stop it first, or set SNSGOV_DATA_DIR to another folder（データフォルダは別の snsgov が使用中です）\n$/,
  );
  assert.ok(alive(now), "the running server was not touched");

  second.server.kill("SIGTERM");
  assert.deepEqual(await exited(second.server), { code: 0, signal: null });
  await waitGone(now);
});
