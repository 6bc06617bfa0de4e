/**
 * Who may frame what: the embeddable public routes (`/public/embed/…`) may be framed by the
 * origins configured in SNSGOV_EMBED_ORIGINS (the city CMS), and by no one when none is
 * configured; every other page keeps the application's `frame-ancestors 'none'`.
 *
 * The application-wide secure-headers middleware writes its CSP (and X-Frame-Options) after the
 * route has run, so this middleware is mounted *before* it (app.tsx) and rewrites the two headers
 * of embed responses on the way out.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env.ts";

/** Path prefix of the routes that may be framed. */
export const EMBED_PREFIX = "/public/embed/";

/** The CSP of an embed response: nothing to load, framed only by `origins`. */
export function embedCsp(origins: readonly string[]): string {
  const ancestors = origins.length > 0 ? origins.join(" ") : "'none'";
  return `default-src 'none'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors ${ancestors}`;
}

/** Middleware for app.tsx: embed routes get `frame-ancestors <configured origins>` and no X-Frame-Options. */
export function embedFraming(origins: readonly string[]): MiddlewareHandler<AppEnv> {
  const csp = embedCsp(origins);
  return async (c, next) => {
    await next();
    if (!c.req.path.startsWith(EMBED_PREFIX)) return;
    c.res.headers.set("Content-Security-Policy", csp);
    c.res.headers.delete("X-Frame-Options");
  };
}
