/**
 * What the OAuth connections of every platform share (X, Mastodon, Threads, Facebook Login): the PKCE pair
 * (RFC 7636) and the authorize URL with its query.
 */
import { createHash, randomBytes } from "node:crypto";

/** A PKCE verifier and its S256 challenge (RFC 7636). */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

/** `authorizeUrl` with `params` as its query (any query it had is replaced). */
export function withQuery(authorizeUrl: string, params: Record<string, string>): string {
  const url = new URL(authorizeUrl);
  url.search = new URLSearchParams(params).toString();
  return url.toString();
}
