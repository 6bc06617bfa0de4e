/**
 * Operational signals tell the truth: /healthz is 503 with a reason when the database cannot be
 * written to (a read-only database, as on a full disk) or the embedded database's data folder
 * cannot be written, not only when the database is gone; and a database outage during a request
 * is a 503 that says to try again later (a Japanese page, or the API's JSON with code
 * `unavailable`), not a 500.
 */
import assert from "node:assert/strict";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { sql } from "drizzle-orm";
import { contextFor } from "../../src/app/bootstrap.ts";
import type { AppContext } from "../../src/app/context.ts";
import { silentLogger } from "../../src/app/logger.ts";
import { type DatabaseHandle, openPostgres } from "../../src/db/client.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { apiTestApp, field, json } from "../support/api.ts";
import type { TestApp } from "../support/context.ts";

let app: TestApp;
let token: string;
let dir: string;
const opened: DatabaseHandle[] = [];

before(async () => {
  const setup = await apiTestApp(["admin"]);
  app = setup.app;
  token = setup.tokens.get("admin") ?? "";
  dir = await mkdtemp(join(tmpdir(), "snsgov-health-"));
});
after(async () => {
  for (const handle of opened) await handle.close().catch(() => undefined);
  await app.close();
  await rm(dir, { recursive: true, force: true });
});

function contextOn(handle: DatabaseHandle): AppContext {
  opened.push(handle);
  return contextFor(handle, app.ctx.config, { clock: app.clock, log: silentLogger });
}

async function health(ctx: AppContext, dataDir?: string) {
  const res = await createHttpApp(ctx, dataDir ? { dataDir } : {}).request("/healthz");
  return { status: res.status, body: await json(res), cacheControl: res.headers.get("cache-control") };
}

/** The test database with every transaction read-only (a full disk is refused the same way). */
async function readOnly(): Promise<{ ctx: AppContext; undo(): Promise<void> }> {
  const { pool } = app.handle;
  const url = new URL(pool.options.connectionString ?? "");
  url.searchParams.set("options", "-c default_transaction_read_only=on");
  return { ctx: contextOn(await openPostgres(url.toString(), { max: 1 })), undo: async () => {} };
}

test("/healthz is 200 when the database and the data folder take a write, and leaves nothing behind", async () => {
  const ok = await health(app.ctx, dir);
  assert.equal(ok.status, 200);
  assert.deepEqual(ok.body, { status: "ok", database: "ok" });
  assert.equal(ok.cacheControl, "no-store");
  assert.deepEqual(await readdir(dir), [], "the probe file is removed");
  const rows = await app.ctx.db.execute(
    sql`select count(*)::int as n from pg_class where relname = 'snsgov_health_probe'`,
  );
  assert.equal(rows.rows[0]?.n, 0, "the probe table is gone");
});

test("/healthz is 503 with the reason when the database cannot be written to", async () => {
  const ro = await readOnly();
  try {
    assert.equal((await ro.ctx.db.execute(sql`select 1 as one`)).rows[0]?.one, 1, "reads still work");
    const res = await health(ro.ctx);
    assert.equal(res.status, 503);
    assert.equal(res.body.status, "unavailable");
    assert.equal(res.body.reason, "database_unwritable");
    assert.match(String(res.body.message), /書き込めません/);
  } finally {
    await ro.undo();
  }
});

test("/healthz is 503 with the reason when the embedded database's data folder cannot be written to", async () => {
  const notAFolder = join(dir, "file");
  await writeFile(notAFolder, "x");
  for (const dataDir of [notAFolder, join(dir, "missing")]) {
    const res = await health(app.ctx, dataDir);
    assert.equal(res.status, 503, dataDir);
    assert.equal(res.body.reason, "data_dir_unwritable");
    assert.equal(res.body.database, "ok");
  }
});

test("a database outage during a request is a 503: a Japanese page, or JSON with code unavailable", async () => {
  const ctx = contextOn(await openPostgres("postgres://postgres@127.0.0.1:1/x", { max: 1 }));
  const http = createHttpApp(ctx);

  const probe = await health(ctx);
  assert.equal(probe.status, 503);
  assert.equal(probe.body.reason, "database_unreachable");

  const api = await http.request("/api/v1/me", { headers: { authorization: `Bearer ${token}` } });
  assert.equal(api.status, 503);
  const body = await json(api);
  assert.equal(field(body, "error", "code"), "unavailable");
  assert.match(String(field(body, "error", "message")), /データベースに接続できません/);

  const page = await http.request("/", { headers: { cookie: `snsgov_session=${"a".repeat(43)}` } });
  assert.equal(page.status, 503);
  const html = await page.text();
  assert.match(html, /<h1>ただいま利用できません<\/h1>/);
  assert.match(html, /しばらく時間をおいてから/);

  const login = await http.request("/login", {
    method: "POST",
    headers: { origin: "http://localhost:3000", "content-type": "application/x-www-form-urlencoded" },
    body: "login=admin&password=x",
  });
  assert.equal(login.status, 503);
});
