/**
 * Text that an approver or a citizen must read token by token: a phone number, a handle or a URL
 * broken across two lines ("0246-2 / 2-1111", "https://ww / w.city") is easy to misread. Phone
 * numbers and handles are kept whole (`white-space: nowrap`, short enough to always fit); a URL
 * may break only where a reader expects it — after "/" and before ". ? & = #" — through <wbr>, so
 * no stylesheet needs `word-break: break-all` on running text (app.css `.url`, `.nowrap`).
 */
import type { FC } from "hono/jsx";

/** A piece of text: plain, or a token to be kept whole (`keep`) or broken at its seams (`url`). */
export type TextToken = { kind: "text" | "keep" | "url"; text: string };

const URL = String.raw`https?://[^\s<>"'「」『』（）()、。，！？]+`;
// 0246-22-1111, 0120-123-456, (0246)22-1111, +81-246-22-1111, in ASCII or full-width hyphens.
const PHONE = String.raw`(?:\+81[-‐－ ]?|\(?0)\d{1,4}\)?[-‐－]?\d{1,4}[-‐－]\d{3,4}`;
const HANDLE = "@[A-Za-z0-9_.]{1,30}";
const TOKEN = new RegExp(`(${URL})|(${PHONE})|(${HANDLE})`, "g");

/**
 * Splits text into plain pieces and tokens (URLs, phone numbers, handles), in order; joining the
 * pieces' texts gives the input back.
 * @param text any text as typed
 */
export function splitTokens(text: string): TextToken[] {
  const out: TextToken[] = [];
  let last = 0;
  for (const match of text.matchAll(TOKEN)) {
    const start = match.index;
    if (start > last) out.push({ kind: "text", text: text.slice(last, start) });
    out.push({ kind: match[1] ? "url" : "keep", text: match[0] });
    last = start + match[0].length;
  }
  if (last < text.length) out.push({ kind: "text", text: text.slice(last) });
  return out;
}

/**
 * The places in a URL where a line may break: after each "/" (after "://" as a whole) and before
 * each ". ? & = #". Returns the URL cut into the pieces between them.
 * @param url a URL as written
 */
export function urlSegments(url: string): string[] {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0] ?? "";
  const rest = url.slice(scheme.length);
  const pieces = rest.split(/(?<=\/)|(?=[.?&=#])/).filter((p) => p !== "");
  if (pieces.length === 0) return scheme ? [scheme] : [];
  return scheme ? [scheme + (pieces[0] ?? ""), ...pieces.slice(1)] : pieces;
}

/** A URL written out, breakable only at its seams. */
export const Url: FC<{ value: string }> = ({ value }) => (
  <span class="url">{urlSegments(value).map((piece, i) => (i === 0 ? piece : [<wbr />, piece]))}</span>
);

/** Running text with its URLs, phone numbers and handles kept readable (see the module comment). */
export const Tokens: FC<{ text: string }> = ({ text }) => (
  <>
    {splitTokens(text).map((token) =>
      token.kind === "text" ? (
        token.text
      ) : token.kind === "url" ? (
        <Url value={token.text} />
      ) : (
        <span class="nowrap">{token.text}</span>
      ),
    )}
  </>
);
