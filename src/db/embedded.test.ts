/**
 * The embedded PostgreSQL server as snsgov runs it: created on first start with the settings
 * that matter (UTF-8, Japanese-aware character classes for the archive search, durable commits),
 * reachable only with its password through a socket in its own folder, kept across restarts,
 * and recovering from a server left behind or a stale postmaster.pid.
 */
import assert from "node:assert/strict";
import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";
import pg from "pg";
import { serverTempDir } from "../../test/support/db.ts";
import { clusterOf, EmbeddedServerError, startEmbeddedServer } from "./embedded.ts";

let dir: string;

before(async () => {
  dir = await serverTempDir("snsgov-embedded-");
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function query<T extends Record<string, unknown>>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test("the first start creates a durable UTF-8 cluster that searches Japanese text", async () => {
  const dataDir = join(dir, "first");
  const server = await startEmbeddedServer(dataDir);
  try {
    const [settings] = await query(
      server.url(),
      `select current_setting('fsync') as fsync, current_setting('synchronous_commit') as sync,
              current_setting('full_page_writes') as fpw, current_setting('listen_addresses') as listen,
              pg_encoding_to_char(encoding) as encoding, datlocprovider::text as provider, datlocale as locale,
              datctype as ctype
         from pg_database where datname = current_database()`,
    );
    assert.deepEqual(
      { ...settings, ctype: undefined },
      {
        fsync: "on",
        sync: "on",
        fpw: "on",
        listen: "",
        encoding: "UTF8",
        provider: "b",
        locale: "C.UTF-8",
        ctype: undefined,
      },
    );
    await query(server.url(), "create extension if not exists pg_trgm");
    const [trgm] = await query<{ n: number }>(
      server.url(),
      "select array_length(show_trgm('広報課のお知らせ'), 1) as n",
    );
    assert.ok(Number(trgm?.n) > 0, "Japanese text has trigrams (the archive search depends on it)");
    const [sorted] = await query<{ names: string[] }>(
      server.url(),
      "select array_agg(n order by n) as names from unnest(array['さとう', 'あべ', 'いとう']) n",
    );
    assert.deepEqual(sorted?.names, ["あべ", "いとう", "さとう"], "kana sort in gojūon order");
  } finally {
    await server.stop();
  }
  assert.equal(alive(server.pid), false, "stop() waits for the server to exit");
  assert.deepEqual(
    (await readdir(dataDir)).filter((f) => !f.startsWith(".")).sort(),
    ["postgres", "postgres.log"],
    "the cluster and its log, nothing else (a copy of the binaries when root cannot share them)",
  );
});

test("only the password opens it, through a socket in its own folder", async () => {
  const dataDir = join(dir, "first");
  const server = await startEmbeddedServer(dataDir);
  try {
    const url = new URL(server.url());
    assert.equal(url.searchParams.get("host"), clusterOf(dataDir), "the socket is in the cluster folder");
    assert.equal(
      (await stat(clusterOf(dataDir))).mode & 0o777,
      0o700,
      "the folder is the server user's only",
    );
    const wrong = new URL(url);
    wrong.password = "guessed";
    await assert.rejects(query(wrong.toString(), "select 1"), /password authentication failed/);
    wrong.password = "";
    await assert.rejects(query(wrong.toString(), "select 1"), /password/);
  } finally {
    await server.stop();
  }
});

test("data survives a restart; a server left running is stopped by the next start", async () => {
  const dataDir = join(dir, "restart");
  const first = await startEmbeddedServer(dataDir);
  await query(first.url(), "create table kept (v text); insert into kept values ('残る')");
  // Not stopped: as if the snsgov that started it had been killed.
  const second = await startEmbeddedServer(dataDir);
  try {
    assert.equal(alive(first.pid), false, "the server left behind was stopped");
    assert.notEqual(second.pid, first.pid);
    assert.deepEqual(await query(second.url(), "select v from kept"), [{ v: "残る" }]);
  } finally {
    await second.stop();
    await first.stop();
  }
});

test("a stale postmaster.pid naming another process is cleared, and that process left alone", async () => {
  const dataDir = join(dir, "restart");
  const pidFile = join(clusterOf(dataDir), "postmaster.pid");
  await writeFile(pidFile, `${process.pid}\n${clusterOf(dataDir)}\n0\n5432\n\n\n0 0\nready\n`);
  const server = await startEmbeddedServer(dataDir);
  try {
    assert.deepEqual(await query(server.url(), "select v from kept"), [{ v: "残る" }]);
    const [line] = (await readFile(pidFile, "utf8")).split("\n");
    assert.equal(Number(line), server.pid);
  } finally {
    await server.stop();
  }
});

test("a folder path too long for a socket is served on a loopback port, with the password", async () => {
  const dataDir = join(dir, "a-folder-name-long-enough".repeat(4));
  const server = await startEmbeddedServer(dataDir);
  try {
    const url = new URL(server.url());
    assert.equal(url.hostname, "127.0.0.1");
    assert.equal(url.searchParams.get("host"), null);
    assert.deepEqual(await query(server.url(), "select 1 as one"), [{ one: 1 }]);
    url.password = "";
    await assert.rejects(query(url.toString(), "select 1"), /password/);
  } finally {
    await server.stop();
  }
});

test("a PGlite folder of an earlier version is refused and left as it was", async () => {
  const dataDir = join(dir, "pglite");
  await mkdir(join(dataDir, "pgdata"), { recursive: true });
  await writeFile(join(dataDir, "pgdata", "PG_VERSION"), "17\n");
  await assert.rejects(startEmbeddedServer(dataDir), (error: Error) => {
    assert.ok(error instanceof EmbeddedServerError);
    assert.match(error.message, /is a database of an earlier snsgov version \(PGlite\)/);
    assert.match(error.message, /snsgov db copy-to postgres:\/\//);
    return true;
  });
  assert.deepEqual(await readdir(dataDir), ["pgdata"]);
});
