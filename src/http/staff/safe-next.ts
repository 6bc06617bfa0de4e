/**
 * Where to go after signing in (`next`): only a path of this site, so that a crafted link cannot
 * send a person elsewhere (open redirect) or put characters into the Location header that break
 * the response.
 */

/** Any origin will do for resolving: only whether the result stays on it matters. */
const BASE = "http://snsgov.invalid";

/** Control characters (C0 such as tab, CR, LF; DEL; C1), and the backslash browsers read as a slash. */
const FORBIDDEN = /[\p{Cc}\\]/u;

function decoded(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/**
 * `value` when it is a plain path of this site, else `/`. A path starts with a single `/`, holds
 * no control character, backslash or `//` (also not once percent-decoded), and resolves to the
 * same origin and the same path (no `..` or `.` segments). The result is in the form `URL`
 * serialises (percent-encoded), so it is always a valid header value.
 */
export function safeNext(value: string | undefined): string {
  if (!value?.startsWith("/") || value.includes("//") || FORBIDDEN.test(value)) return "/";
  const end = value.search(/[?#]/);
  const path = end === -1 ? value : value.slice(0, end);
  const plain = decoded(path);
  if (plain === undefined || plain.includes("//") || FORBIDDEN.test(plain)) return "/";
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return "/";
  }
  if (url.origin !== BASE) return "/";
  if (url.pathname !== path && decoded(url.pathname) !== plain) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}
