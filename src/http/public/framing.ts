/**
 * Who may frame what: the embeddable public routes (`/public/embed/…`) may be framed by the
 * origins configured in SNSGOV_EMBED_ORIGINS (the city CMS), and by no one when none is
 * configured; every other page keeps the application's `frame-ancestors 'none'` and
 * `X-Frame-Options` (security-headers.ts sends the one or the other).
 */

/** Path prefix of the routes that may be framed. */
export const EMBED_PREFIX = "/public/embed/";

/** The CSP of an embed response: nothing to load, framed only by `origins`. */
export function embedCsp(origins: readonly string[]): string {
  const ancestors = origins.length > 0 ? origins.join(" ") : "'none'";
  return `default-src 'none'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors ${ancestors}`;
}
