/**
 * The public cache on its own: TTL on the given clock, the Tokyo day, invalidation by
 * generation, the LRU bound, shared misses and uncached failures.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { invalidatePublicCaches, PublicCache } from "./cache.ts";

const at = (iso: string) => new Date(iso);

test("an entry lives for its TTL on the given clock", async () => {
  const cache = new PublicCache<string>({ maxEntries: 10, ttlMs: 60_000 });
  let made = 0;
  const make = async () => `v${++made}`;
  assert.equal(await cache.getOrCreate("k", at("2026-11-24T03:00:00Z"), make), "v1");
  assert.equal(await cache.getOrCreate("k", at("2026-11-24T03:00:59Z"), make), "v1");
  assert.equal(await cache.getOrCreate("k", at("2026-11-24T03:01:00Z"), make), "v2");
});

test("an entry does not outlive its Tokyo day", async () => {
  const cache = new PublicCache<string>({ maxEntries: 10, ttlMs: 3_600_000 });
  let made = 0;
  const make = async () => `v${++made}`;
  await cache.getOrCreate("k", at("2026-11-24T14:59:00Z"), make); // 23:59 in Tokyo
  assert.equal(await cache.getOrCreate("k", at("2026-11-24T15:00:00Z"), make), "v2", "00:00 the next day");
});

test("invalidation drops every entry, including one being made when it happened", async () => {
  const cache = new PublicCache<string>({ maxEntries: 10 });
  const now = at("2026-11-24T03:00:00Z");
  await cache.getOrCreate("a", now, async () => "old");
  invalidatePublicCaches();
  assert.equal(cache.get("a", now), undefined);
  const racing = cache.getOrCreate("b", now, async () => {
    invalidatePublicCaches(); // a change commits while the page is being read
    return "read before the change";
  });
  assert.equal(await racing, "read before the change");
  assert.equal(cache.get("b", now), undefined, "not served after the change");
});

test("right after an invalidation entries live only a couple of seconds", async () => {
  const cache = new PublicCache<string>({ maxEntries: 10, ttlMs: 60_000 });
  invalidatePublicCaches();
  await cache.getOrCreate("k", at("2026-11-24T03:00:00Z"), async () => "v");
  assert.equal(cache.get("k", at("2026-11-24T03:00:01Z")), "v");
  assert.equal(cache.get("k", at("2026-11-24T03:00:02Z")), undefined);
});

test("the least recently used entry goes first when the cache is full", async () => {
  const cache = new PublicCache<string>({ maxEntries: 3 });
  const now = at("2026-11-24T03:00:00Z");
  for (const k of ["a", "b", "c"]) await cache.getOrCreate(k, now, async () => k);
  assert.equal(cache.get("a", now), "a"); // a is now the most recent
  await cache.getOrCreate("d", now, async () => "d");
  assert.equal(cache.size, 3);
  assert.equal(cache.get("b", now), undefined, "b was the least recently used");
  assert.equal(cache.get("a", now), "a");
  assert.equal(cache.get("c", now), "c");
});

test("concurrent misses share one computation; a failure is not cached", async () => {
  const cache = new PublicCache<number>({ maxEntries: 10 });
  const now = at("2026-11-24T03:00:00Z");
  let runs = 0;
  const slow = async () => {
    runs++;
    await new Promise((resolve) => setImmediate(resolve));
    return runs;
  };
  const results = await Promise.all(Array.from({ length: 10 }, () => cache.getOrCreate("k", now, slow)));
  assert.deepEqual(new Set(results), new Set([1]));
  assert.equal(runs, 1);
  await assert.rejects(cache.getOrCreate("bad", now, async () => Promise.reject(new Error("database down"))));
  assert.equal(await cache.getOrCreate("bad", now, async () => 42), 42, "the next request tries again");
});
