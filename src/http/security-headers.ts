/**
 * The security headers of every response (CSP, framing, referrer, HSTS…), computed once per
 * application as a plain list. Responses get them from the `securityHeaders` middleware after
 * the route ran, except the public pages served from memory (http/public/serve.ts), which store
 * them with each body, so a cached answer is sent without a header being set at request time. Embeddable
 * routes (`/public/embed/…`) get their own CSP, framed only by SNSGOV_EMBED_ORIGINS, and no
 * X-Frame-Options (framing.ts).
 */
import type { Context, MiddlewareHandler } from "hono";
import type { Config } from "../config.ts";
import { EMBED_PREFIX, embedCsp } from "./public/framing.ts";

/** Header name and value, in the order they are sent. */
export type HeaderList = ReadonlyArray<readonly [string, string]>;

const csp = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** The headers of every page and API answer (`Strict-Transport-Security` with Secure cookies). */
export function pageSecurityHeaders(config: Pick<Config, "cookieSecure">): HeaderList {
  return [
    ["Cross-Origin-Resource-Policy", "same-origin"],
    ["Cross-Origin-Opener-Policy", "same-origin"],
    ["Origin-Agent-Cluster", "?1"],
    ["Referrer-Policy", "same-origin"],
    ...(config.cookieSecure
      ? [["Strict-Transport-Security", "max-age=31536000; includeSubDomains"] as const]
      : []),
    ["X-Content-Type-Options", "nosniff"],
    ["X-DNS-Prefetch-Control", "off"],
    ["X-Download-Options", "noopen"],
    ["X-Frame-Options", "SAMEORIGIN"],
    ["X-Permitted-Cross-Domain-Policies", "none"],
    ["X-XSS-Protection", "0"],
    ["Content-Security-Policy", csp],
  ];
}

/** The headers of an embeddable fragment: its own CSP and no X-Frame-Options. */
export function embedSecurityHeaders(config: Pick<Config, "cookieSecure" | "embedOrigins">): HeaderList {
  const embed = embedCsp(config.embedOrigins);
  return pageSecurityHeaders(config)
    .filter(([name]) => name !== "X-Frame-Options")
    .map(([name, value]) => [name, name === "Content-Security-Policy" ? embed : value] as const);
}

/** The security headers of a path (the embed variant under `/public/embed/`). */
export function securityHeadersFor(
  config: Pick<Config, "cookieSecure" | "embedOrigins">,
  path: string,
): HeaderList {
  return path.startsWith(EMBED_PREFIX) ? embedSecurityHeaders(config) : pageSecurityHeaders(config);
}

/** Sets `headers` on the response a route produced (overwriting) and drops `X-Powered-By`. */
export function applySecurityHeaders(c: Context, headers: HeaderList): void {
  for (const [name, value] of headers) c.res.headers.set(name, value);
  c.res.headers.delete("X-Powered-By");
}

/**
 * Middleware for app.tsx: every response gets the headers of its path, except an answer from the
 * public cache, which carries them already (`complete`, so nothing is set at request time).
 */
export function securityHeaders(
  config: Pick<Config, "cookieSecure" | "embedOrigins">,
  complete: (res: Response) => boolean,
): MiddlewareHandler {
  const page = pageSecurityHeaders(config);
  const embed = embedSecurityHeaders(config);
  return async (c, next) => {
    await next();
    if (complete(c.res)) return;
    applySecurityHeaders(c, c.req.path.startsWith(EMBED_PREFIX) ? embed : page);
  };
}
