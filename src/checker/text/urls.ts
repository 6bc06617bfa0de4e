/**
 * URL extraction the way twitter-text does it (also when glued to Japanese text), but fast:
 * twitter-text's patterns are slow on long CJK strings, so they run only on the short runs of
 * ASCII around a cheap candidate ("://", "www.", "name.tld").
 */
import twitter from "twitter-text";

export interface FoundUrl {
  url: string;
  /** Lower-case host name without a trailing dot. */
  host: string;
  start: number;
  end: number;
}

const CANDIDATE = /:\/\/|www\.|[a-z0-9-]\.[a-z]{2,}/gi;

function urlChar(c: number): boolean {
  return c > 0x20 && c < 0x7f;
}

/** Host of a URL as twitter-text returned it (with or without a scheme). */
export function hostOf(url: string): string {
  const noScheme = url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "");
  const host = noScheme.split(/[/?#]/, 1)[0] ?? "";
  return host
    .replace(/^[^@]*@/, "")
    .replace(/:\d+$/, "")
    .replace(/\.$/, "")
    .toLowerCase();
}

/** Every URL in `text` (NFKC-normalised), with UTF-16 offsets into `text`. */
export function extractUrls(text: string): FoundUrl[] {
  const out: FoundUrl[] = [];
  let doneUntil = 0;
  CANDIDATE.lastIndex = 0;
  for (let m = CANDIDATE.exec(text); m; m = CANDIDATE.exec(text)) {
    if (m.index < doneUntil) continue;
    let s = m.index;
    let e = m.index + m[0].length;
    while (s > 0 && urlChar(text.charCodeAt(s - 1))) s--;
    while (e < text.length && urlChar(text.charCodeAt(e))) e++;
    doneUntil = e;
    CANDIDATE.lastIndex = e;
    // One character of context before the run lets twitter-text apply its preceding-character rules.
    const from = s > 0 ? s - 1 : s;
    for (const u of twitter.extractUrlsWithIndices(text.slice(from, e))) {
      const start = from + u.indices[0];
      const end = from + u.indices[1];
      out.push({ url: u.url, host: hostOf(u.url), start, end });
    }
  }
  return out;
}
