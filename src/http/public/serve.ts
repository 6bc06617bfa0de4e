/**
 * Serving public responses from memory: each body is rendered once per cache generation and
 * Tokyo day (see app/public/cache.ts), stored as bytes with a gzip copy and an ETag, and sent
 * with `Cache-Control: public, max-age=60`. A hit costs no rendering and no database query.
 *
 * Two caches per application: pages (keyed by path and normalised query; the key space is small
 * because unknown or unusable query values are dropped before keying) and verification answers
 * (keyed by the normalised URL or handle, bounded to 10,000 entries, least recently used first).
 */
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { cachePerContext, PUBLIC_CACHE_TTL_MS } from "../../app/public/cache.ts";
import type { HttpContext } from "../env.ts";

/** What a public route produces on a miss. */
export type PublicBody = {
  status: 200 | 404 | 422;
  type: string;
  body: string | Uint8Array;
  /** Extra headers (Content-Disposition, Access-Control-Allow-Origin…). */
  headers?: Record<string, string>;
};

type Stored = {
  status: 200 | 404 | 422;
  headers: Record<string, string>;
  body: Uint8Array<ArrayBuffer>;
  gzip: Uint8Array<ArrayBuffer> | null;
  etag: string;
};

/** Bodies under this size are not worth compressing. */
const GZIP_MIN_BYTES = 1024;

const pages = cachePerContext<Stored>({ maxEntries: 2_000 });
const answers = cachePerContext<Stored>({ maxEntries: 10_000 });

/** `Cache-Control` of every public response. */
export const PUBLIC_CACHE_CONTROL = `public, max-age=${PUBLIC_CACHE_TTL_MS / 1000}`;

function store(produced: PublicBody): Stored {
  const body =
    typeof produced.body === "string"
      ? new TextEncoder().encode(produced.body)
      : new Uint8Array(produced.body);
  const gzip = body.byteLength >= GZIP_MIN_BYTES ? new Uint8Array(gzipSync(body, { level: 6 })) : null;
  const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"`;
  return {
    status: produced.status,
    headers: {
      "Content-Type": produced.type,
      "Cache-Control": PUBLIC_CACHE_CONTROL,
      Vary: "Accept-Encoding",
      ETag: etag,
      ...produced.headers,
    },
    body,
    gzip,
    etag,
  };
}

function acceptsGzip(header: string | undefined): boolean {
  return header !== undefined && /\bgzip\b/i.test(header) && !/\bgzip\s*;\s*q=0(\.0*)?\b/i.test(header);
}

/**
 * Answers from the cache, producing (and storing) the body on a miss.
 * @param scope "pages" for pages and feeds, "answers" for verification answers
 * @param key what identifies the body besides the day and generation (path + normalised query)
 */
export async function servePublic(
  c: HttpContext,
  scope: "pages" | "answers",
  key: string,
  produce: () => Promise<PublicBody>,
): Promise<Response> {
  const ctx = c.var.app;
  const cache = scope === "pages" ? pages(ctx) : answers(ctx);
  const stored = await cache.getOrCreate(key, ctx.clock.now(), async () => store(await produce()));
  if (c.req.header("if-none-match") === stored.etag) {
    return c.body(null, 304, {
      ETag: stored.etag,
      "Cache-Control": PUBLIC_CACHE_CONTROL,
      Vary: "Accept-Encoding",
    });
  }
  if (stored.gzip && acceptsGzip(c.req.header("accept-encoding"))) {
    return c.body(stored.gzip, stored.status, { ...stored.headers, "Content-Encoding": "gzip" });
  }
  return c.body(stored.body, stored.status, stored.headers);
}

/** The cache key of a request: its path and the query values a route accepted, sorted. */
export function pageKey(path: string, query: Record<string, string | number | undefined> = {}): string {
  const params = Object.entries(query)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== "")
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`);
  return params.length ? `${path}?${params.join("&")}` : path;
}
