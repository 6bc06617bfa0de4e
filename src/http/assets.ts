/**
 * Static assets (stylesheets, the small browser script) read once at start and served with an
 * ETag. Tokens come from the Digital Agency design-token package. The favicon is served at
 * `/favicon.svg` with a year's cache: the layouts link it with its content hash in the query, so
 * a changed icon is a new URL.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Hono } from "hono";
import type { AppEnv } from "./env.ts";

type Asset = { body: string; type: string; etag: string };

const require = createRequire(import.meta.url);

function load(path: string, type: string): Asset | undefined {
  if (!existsSync(path)) return undefined;
  const body = readFileSync(path, "utf8");
  return { body, type, etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 16)}"` };
}

function assets(): Map<string, Asset> {
  const map = new Map<string, Asset>();
  const here = new URL("./assets/", import.meta.url).pathname;
  const entries: Array<[string, string, string]> = [
    [
      "tokens.css",
      require.resolve("@digital-go-jp/design-tokens/dist/tokens.css"),
      "text/css; charset=utf-8",
    ],
    ["app.css", `${here}app.css`, "text/css; charset=utf-8"],
    ["app.js", `${here}app.js`, "text/javascript; charset=utf-8"],
  ];
  for (const [name, path, type] of entries) {
    const asset = load(path, type);
    if (asset) map.set(name, asset);
  }
  return map;
}

const favicon = load(new URL("./assets/favicon.svg", import.meta.url).pathname, "image/svg+xml");

/** The favicon's URL for `<link rel="icon">`, versioned by its content. */
export const faviconHref = `/favicon.svg?v=${favicon?.etag.slice(1, 9) ?? "0"}`;

/** Mounts `/assets/:name`, `/favicon.svg`, and `/favicon.ico` (sent on to the SVG). */
export function mountAssets(app: Hono<AppEnv>): void {
  const files = assets();
  app.get("/favicon.svg", (c) => {
    if (!favicon) return c.text("見つかりません。", 404);
    c.header("ETag", favicon.etag);
    c.header("Cache-Control", "public, max-age=31536000, immutable");
    if (c.req.header("if-none-match") === favicon.etag) return c.body(null, 304);
    c.header("Content-Type", favicon.type);
    return c.body(favicon.body);
  });
  // Browsers and tools that ask for the old name without reading the page.
  app.get("/favicon.ico", (c) => c.redirect(faviconHref, 301));
  app.get("/assets/:name", (c) => {
    const asset = files.get(c.req.param("name"));
    if (!asset) return c.text("見つかりません。", 404);
    c.header("ETag", asset.etag);
    c.header("Cache-Control", "public, max-age=3600");
    if (c.req.header("if-none-match") === asset.etag) return c.body(null, 304);
    c.header("Content-Type", asset.type);
    return c.body(asset.body);
  });
}
