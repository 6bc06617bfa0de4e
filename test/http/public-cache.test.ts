/**
 * The public pages under a surge: a repeated request is served from memory without touching the
 * database, a conditional request is answered 304 until a change gives the page a new ETag, a
 * public request never looks up a session (it answers when the database is down, and sets no
 * cookie), a cold cache under concurrent requests loads the registry once, a change committed
 * through `change()` makes the next request fresh, unrelated changes keep the cache, and a change
 * made behind the application's back (another instance) shows after the TTL.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, test } from "node:test";
import { eq } from "drizzle-orm";
import { change } from "../../src/app/audit/record.ts";
import { type AppContext, systemActor } from "../../src/app/context.ts";
import { invalidatePublicCaches } from "../../src/app/public/cache.ts";
import type { Db } from "../../src/db/client.ts";
import { updateAccount } from "../../src/db/repos/accounts.ts";
import { accounts } from "../../src/db/schema.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { seedAccount } from "../support/accounts.ts";
import { type TestApp, testApp } from "../support/context.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";

let app: TestApp;
let org: TestOrg;
let http: ReturnType<typeof createHttpApp>;
let queries = 0;
/** When set, every query the application starts fails (the database is down). */
let databaseDown = false;
let cityId = 0;

/** The database, counting every query the public pages start through it. */
function countingDb(db: Db): Db {
  const starts = new Set([
    "select",
    "selectDistinct",
    "execute",
    "insert",
    "update",
    "delete",
    "transaction",
    "with",
  ]);
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (typeof prop === "string" && starts.has(prop)) {
        queries++;
        if (databaseDown) throw new Error("the database is down");
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}

async function get(path: string) {
  const res = await http.request(path);
  return { status: res.status, html: await res.text() };
}

before(async () => {
  app = await testApp({ start: "2026-11-24T03:00:00Z" });
  org = await seedOrg(app.ctx);
  for (let i = 0; i < 20; i++) {
    const a = await seedAccount(app.ctx, {
      divisionId: i % 2 ? org.divisions.kouhou.id : org.divisions.soumuka.id,
      managerId: org.staff.kouhouManager.id,
      handle: i === 0 ? "iwaki_city" : `iwaki_div${i}`,
      name: i === 0 ? "いわき市" : `いわき市アカウント${i}`,
      policy: true,
    });
    if (i === 0) cityId = a.id;
  }
  const ctx: AppContext = { ...app.ctx, db: countingDb(app.ctx.db) };
  http = createHttpApp(ctx);
});
beforeEach(() => {
  queries = 0;
  databaseDown = false;
});
after(async () => {
  await app.close();
});

test("a repeated request is answered from memory, without a database query", async () => {
  const first = await get("/public/accounts");
  assert.equal(first.status, 200);
  assert.ok(queries > 0, "the first request reads the database");
  // The known impersonations (7.3.1) are read once too, by the first verification.
  await get("/public/verify?url=@iwaki_first");
  queries = 0;
  const second = await get("/public/accounts");
  assert.equal(queries, 0, "the second request does not");
  assert.equal(second.html, first.html);

  // The other views of the same registry need no query either once it is in memory.
  for (const path of [
    "/public/accounts.json",
    "/public/accounts.csv",
    "/public/embed/accounts",
    "/public/verify?url=@iwaki_clty",
  ])
    assert.equal((await get(path)).status, 200, path);
  assert.equal(queries, 0, "feeds and verification answers come from the registry in memory");

  await get(`/public/accounts/${cityId}`);
  assert.equal(queries, 1, "an account page reads its policy versions once");
  await get(`/public/accounts/${cityId}`);
  assert.equal(queries, 1, "and then no more");
  await get("/public/accounts/999999");
  assert.equal(queries, 1, "an unknown id is a 404 without a query");
});

/** The public views of one registry, and of the city's account. */
function publicViews(): string[] {
  return [
    "/public/accounts",
    "/public/accounts.json",
    "/public/accounts.csv",
    "/public/embed/accounts",
    `/public/accounts/${cityId}`,
    "/public/notices",
  ];
}

test("a conditional request is answered 304 from memory until a change, visible at once", async () => {
  const tags = new Map<string, string>();
  for (const path of publicViews()) {
    const res = await http.request(path);
    assert.equal(res.status, 200, path);
    const etag = res.headers.get("etag") ?? "";
    assert.match(etag, /^"[\w-]{22}"$/, `${path}: a strong ETag`);
    tags.set(path, etag);
  }
  queries = 0;
  for (const [path, etag] of tags) {
    for (const asked of [etag, `"older", W/${etag}`, "*"]) {
      const res = await http.request(path, { headers: { "if-none-match": asked } });
      assert.equal(res.status, 304, `${path} with If-None-Match: ${asked}`);
      assert.equal(await res.text(), "");
      assert.equal(res.headers.get("etag"), etag);
      assert.equal(res.headers.get("cache-control"), "public, max-age=60");
    }
    const other = await http.request(path, { headers: { "if-none-match": '"someone-elses"' } });
    assert.equal(other.status, 200, `${path}: another ETag gets the page`);
    const head = await http.request(path, { method: "HEAD" });
    assert.equal(head.status, 200, `${path}: HEAD`);
    assert.equal(head.headers.get("etag"), etag);
    assert.equal(await head.text(), "", `${path}: HEAD has no body`);
  }
  assert.equal(queries, 0, "conditional requests are answered from memory");

  await change(app.ctx, systemActor("test"), "account.update", async (tx, at) => {
    await updateAccount(tx, cityId, { name: "いわき市（ETag確認）" }, at);
    return { result: null, target: { type: "account", id: cityId }, summary: {} };
  });
  for (const [path, etag] of tags) {
    const res = await http.request(path, { headers: { "if-none-match": etag } });
    if (path === "/public/notices") {
      // The notices page does not show account names: same bytes, same ETag, still 304.
      assert.equal(res.status, 304, path);
      continue;
    }
    assert.equal(res.status, 200, `${path}: the very next request after the change`);
    assert.notEqual(res.headers.get("etag"), etag, `${path}: a new ETag`);
    assert.ok((await res.text()).includes("いわき市（ETag確認）"), `${path} shows the change`);
  }
});

test("a public request does no session or database work: it answers with the database down", async () => {
  for (const path of publicViews()) assert.equal((await http.request(path)).status, 200, path);
  databaseDown = true;
  queries = 0;
  // A session cookie as a signed-in member of staff would send (unknown here, so a staff page
  // would look it up and clear it).
  const cookie = `snsgov_session=${"A".repeat(43)}`;
  for (const path of publicViews()) {
    const res = await http.request(path, { headers: { cookie, "accept-encoding": "gzip" } });
    assert.equal(res.status, 200, `${path} answers while the database is down`);
    assert.equal(res.headers.get("set-cookie"), null, `${path} sets no cookie`);
    assert.equal(res.headers.get("x-content-type-options"), "nosniff", `${path}: security headers`);
    assert.match(res.headers.get("content-security-policy") ?? "", /frame-ancestors/, path);
  }
  assert.equal(queries, 0, "not one query, not even a session lookup");
  // A staff page with the same cookie does look the session up (and so fails here).
  await http.request("/", { headers: { cookie } });
  assert.ok(queries > 0, "the staff side reads the session store");
});

test("concurrent requests on a cold cache load the registry once", async () => {
  invalidatePublicCaches();
  await get("/public/accounts.json");
  const oneLoad = queries;
  assert.ok(oneLoad > 0);
  invalidatePublicCaches();
  queries = 0;
  const pages = await Promise.all(Array.from({ length: 30 }, () => get("/public/accounts")));
  assert.ok(pages.every((p) => p.status === 200));
  // One load for all thirty, not thirty. (In a shared test process another file's commit may drop
  // the cache once more while they run, which costs a second load, never thirty.)
  assert.ok(
    queries >= oneLoad && queries <= 2 * oneLoad,
    `one registry load for thirty requests (${queries} queries, ${oneLoad} per load)`,
  );
});

test("a change committed through change() makes the next request fresh", async () => {
  assert.ok(!(await get("/public/accounts")).html.includes("いわき市公式（改称）"));
  await change(app.ctx, systemActor("test"), "account.update", async (tx, at) => {
    await updateAccount(tx, cityId, { name: "いわき市公式（改称）" }, at);
    return { result: null, target: { type: "account", id: cityId }, summary: {} };
  });
  queries = 0;
  const fresh = await get("/public/accounts");
  assert.ok(queries > 0, "the cache was dropped");
  assert.ok(fresh.html.includes("いわき市公式（改称）"));
  const page = await get(`/public/accounts/${cityId}`);
  assert.ok(page.html.includes("いわき市公式（改称）"));
  const verify = await get("/public/verify.json?url=https%3A%2F%2Fx.com%2Fiwaki_city");
  assert.ok(verify.html.includes("いわき市公式（改称）"), "verification answers are dropped too");
});

test("a change to something citizens do not see keeps the cache", async () => {
  await get("/public/accounts");
  await change(app.ctx, systemActor("test"), "settings.update", async () => ({
    result: null,
    target: { type: "settings", id: "two_factor_roles" },
    summary: {},
  }));
  queries = 0;
  await get("/public/accounts");
  assert.equal(queries, 0);
});

test("a change made elsewhere (another instance) shows once the TTL has run out", async () => {
  app.clock.advance(60_000);
  await get("/public/accounts");
  await app.ctx.db.update(accounts).set({ name: "別のサーバーで改称" }).where(eq(accounts.id, cityId));
  assert.ok(!(await get("/public/accounts")).html.includes("別のサーバーで改称"), "still the cached page");
  app.clock.advance(59_000);
  assert.ok(!(await get("/public/accounts")).html.includes("別のサーバーで改称"), "within the TTL");
  app.clock.advance(1_000);
  assert.ok((await get("/public/accounts")).html.includes("別のサーバーで改称"), "after 60 seconds");
});
