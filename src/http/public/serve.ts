/**
 * Serving public responses from memory: each body is rendered once per cache generation and
 * Tokyo day (see app/public/cache.ts), stored as bytes with a gzip copy, a strong ETag and its
 * complete response headers (security headers included, security-headers.ts), and sent with
 * `Cache-Control: public, max-age=60`; a request whose If-None-Match names the ETag gets a 304.
 * A hit costs no rendering, no database query and no header built at request time: the stored
 * header object goes to the server adapter as it is.
 *
 * Two caches per application: pages (keyed by path and normalised query; the key space is small
 * because unknown or unusable query values are dropped before keying) and verification answers
 * (keyed by the normalised URL or handle, bounded to 10,000 entries, least recently used first).
 */
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { cachePerContext, PUBLIC_CACHE_TTL_MS } from "../../app/public/cache.ts";
import type { HttpContext } from "../env.ts";
import { type HeaderList, securityHeadersFor } from "../security-headers.ts";

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
  /** Complete headers of the plain answer, of the gzip answer and of a 304. */
  headers: Record<string, string>;
  gzipHeaders: Record<string, string>;
  notModified: Record<string, string>;
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

/** Responses whose headers are complete (the security headers need not be added). */
const complete = new WeakSet<Response>();

/** True when `res` came from the public cache with its headers complete. */
export function hasCompleteHeaders(res: Response): boolean {
  return complete.has(res);
}

function store(produced: PublicBody, security: HeaderList): Stored {
  const body =
    typeof produced.body === "string"
      ? new TextEncoder().encode(produced.body)
      : new Uint8Array(produced.body);
  const gzip = body.byteLength >= GZIP_MIN_BYTES ? new Uint8Array(gzipSync(body, { level: 6 })) : null;
  const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"`;
  const common: Record<string, string> = {
    ...Object.fromEntries(security),
    "Cache-Control": PUBLIC_CACHE_CONTROL,
    Vary: "Accept-Encoding",
    ETag: etag,
  };
  const headers = { ...common, "Content-Type": produced.type, ...produced.headers };
  return {
    status: produced.status,
    headers: { ...headers, "Content-Length": String(body.byteLength) },
    gzipHeaders: gzip
      ? { ...headers, "Content-Encoding": "gzip", "Content-Length": String(gzip.byteLength) }
      : {},
    notModified: common,
    body,
    gzip,
    etag,
  };
}

function acceptsGzip(header: string | undefined): boolean {
  return header !== undefined && /\bgzip\b/i.test(header) && !/\bgzip\s*;\s*q=0(\.0*)?\b/i.test(header);
}

/**
 * Whether an If-None-Match header names `etag` (RFC 9110 13.1.2: a list, weak comparison, `*`).
 */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header === etag) return true;
  return header.split(",").some((tag) => {
    const t = tag.trim();
    return t === "*" || t === etag || t === `W/${etag}`;
  });
}

function answer(body: Uint8Array<ArrayBuffer> | null, status: number, headers: Record<string, string>) {
  const res = new Response(body, { status, headers });
  complete.add(res);
  return res;
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
  const ctx = c.get("app");
  const cache = scope === "pages" ? pages(ctx) : answers(ctx);
  const stored = await cache.getOrCreate(key, ctx.clock.now(), async () =>
    store(await produce(), securityHeadersFor(ctx.config, c.req.path)),
  );
  if (stored.status === 200 && matchesEtag(c.req.header("if-none-match"), stored.etag))
    return answer(null, 304, stored.notModified);
  if (stored.gzip && acceptsGzip(c.req.header("accept-encoding")))
    return answer(stored.gzip, stored.status, stored.gzipHeaders);
  return answer(stored.body, stored.status, stored.headers);
}

/** The cache key of a request: its path and the query values a route accepted, sorted. */
export function pageKey(path: string, query: Record<string, string | number | undefined> = {}): string {
  const params = Object.entries(query)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== "")
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`);
  return params.length ? `${path}?${params.join("&")}` : path;
}
