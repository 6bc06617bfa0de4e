/**
 * The in-memory cache in front of the public pages, so a surge of citizens (a disaster, an
 * impersonation scare) never reaches the database.
 *
 * An entry is valid while all of these hold:
 * - no change touching public data has committed since it was made (a global generation number,
 *   bumped by the public feature's `afterCommit`; see feature.ts);
 * - it is still the Tokyo calendar day it was made on (notices appear and disappear by date);
 * - its TTL has not run out on the context's clock (default 60 s): the backstop for changes
 *   committed by another instance sharing the same PostgreSQL, which this process never hears of.
 *
 * Entries made just after an invalidation live only a few seconds: `change()` nested in an outer
 * transaction reports before the outer commit, and a request in that gap may read the old data.
 * Misses for the same key share one computation (a cold cache under load runs one query, not one
 * per request). Least recently used entries go first when the cache is full.
 */
import { tokyoDate } from "../../domain/dates.ts";
import type { AppContext } from "../context.ts";
import { lastingOf } from "../read-once.ts";

const DAY_MS = 86_400_000;
/** Tokyo is UTC+9 all year (no summer time). */
const TOKYO_OFFSET_MS = 9 * 3_600_000;
let memoDay = Number.NaN;
let memoDate = "";

/** tokyoDate(now), memoised per day: every cached request asks, so it must cost nothing. */
function today(now: Date): string {
  const day = Math.floor((now.getTime() + TOKYO_OFFSET_MS) / DAY_MS);
  if (day !== memoDay) {
    memoDay = day;
    memoDate = tokyoDate(now);
  }
  return memoDate;
}

/** How long a public page is served from memory at most (and what `Cache-Control` says). */
export const PUBLIC_CACHE_TTL_MS = 60_000;

/**
 * Entries made within this long after a cache first sees an invalidation expire this long after
 * they were made (both on the context's clock).
 */
const SETTLE_MS = 2_000;

let generation = 0;

/** Drops every public cache entry in this process (all contexts). */
export function invalidatePublicCaches(): void {
  generation++;
}

/** The current generation; an entry made under another generation is stale. */
export function publicCacheGeneration(): number {
  return generation;
}

/** Times are milliseconds on the context's clock. */
type Entry<V> = { value: V; generation: number; date: string; expiresAt: number; settleUntil: number };
type Pending<V> = { generation: number; date: string; promise: Promise<V> };

/** Size bound and TTL of one cache. */
export type CacheOptions = { maxEntries: number; ttlMs?: number };

/** A bounded (LRU) cache whose entries expire by generation, Tokyo date and TTL. */
export class PublicCache<V> {
  readonly #entries = new Map<string, Entry<V>>();
  readonly #pending = new Map<string, Pending<V>>();
  readonly #max: number;
  readonly #ttl: number;
  #seenGeneration = generation;
  #seenAt = Number.NEGATIVE_INFINITY;

  constructor(options: CacheOptions) {
    this.#max = Math.max(1, options.maxEntries);
    this.#ttl = options.ttlMs ?? PUBLIC_CACHE_TTL_MS;
  }

  /** Entries held now (valid or not yet evicted). */
  get size(): number {
    return this.#entries.size;
  }

  /** The valid entry for `key` at `now`, or undefined. */
  get(key: string, now: Date): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (
      entry.generation !== generation ||
      entry.date !== today(now) ||
      now.getTime() >= entry.expiresAt ||
      now.getTime() >= entry.settleUntil
    ) {
      this.#entries.delete(key);
      return undefined;
    }
    // Most recently used last, so eviction takes the first key.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  /**
   * The cached value, or the result of `create` (stored for next time). Concurrent misses for one
   * key share one `create`. A failed `create` is not cached.
   */
  async getOrCreate(key: string, now: Date, create: () => Promise<V>): Promise<V> {
    const hit = this.get(key, now);
    if (hit !== undefined) return hit;
    const date = today(now);
    const pending = this.#pending.get(key);
    if (pending && pending.generation === generation && pending.date === date) return pending.promise;
    const startedGeneration = generation;
    if (generation !== this.#seenGeneration) {
      this.#seenGeneration = generation;
      this.#seenAt = now.getTime();
    }
    const settling = now.getTime() - this.#seenAt < SETTLE_MS;
    const promise = create().then((value) => {
      this.#set(key, {
        value,
        generation: startedGeneration,
        date,
        expiresAt: now.getTime() + this.#ttl,
        settleUntil: settling ? now.getTime() + SETTLE_MS : Number.POSITIVE_INFINITY,
      });
      return value;
    });
    this.#pending.set(key, { generation: startedGeneration, date, promise });
    try {
      return await promise;
    } finally {
      if (this.#pending.get(key)?.promise === promise) this.#pending.delete(key);
    }
  }

  /** Forgets everything (tests, and the feature when asked to). */
  clear(): void {
    this.#entries.clear();
    this.#pending.clear();
  }

  #set(key: string, entry: Entry<V>): void {
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    while (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
  }
}

/**
 * A cache per application context (each server, each test app has its own), created on first
 * use: `const pages = cachePerContext<Page>({ maxEntries: 2000 }); pages(ctx).getOrCreate(…)`.
 */
export function cachePerContext<V>(options: CacheOptions): (ctx: AppContext) => PublicCache<V> {
  const caches = new WeakMap<AppContext, PublicCache<V>>();
  return (ctx) => {
    const key = lastingOf(ctx);
    let cache = caches.get(key);
    if (!cache) {
      cache = new PublicCache<V>(options);
      caches.set(key, cache);
    }
    return cache;
  };
}
