/**
 * Text helpers the connectors share: links in a text (where they start and end), a platform's
 * HTML (Mastodon's `content` and `note`) as plain text, and a text compared as a platform shows it
 * when looking for a post already sent.
 */

/**
 * A link in running Japanese text: `http(s)://` up to white space (also the ideographic space),
 * Japanese punctuation or brackets; a trailing `.`, `,`, `)` etc. is not part of it.
 */
const LINK = /https?:\/\/[^\s\u3000、。，．「」『』（）【】<>"]+/g;

/** The links of a text with their UTF-16 positions (start inclusive, end exclusive). */
export function linksOf(text: string): { url: string; start: number; end: number }[] {
  const out: { url: string; start: number; end: number }[] = [];
  for (const match of text.matchAll(LINK)) {
    const url = match[0].replace(/[.,;:!?)\]'’]+$/, "");
    const start = match.index;
    out.push({ url, start, end: start + url.length });
  }
  return out;
}

/** The first link of a text ("" when none). */
export const firstLink = (text: string): string => linksOf(text)[0]?.url ?? "";

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/** HTML as plain text: paragraphs and line breaks as new lines, tags dropped, entities decoded. */
export function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/p>\s*<p[^>]*>/gi, "\n\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name.startsWith("#x") || name.startsWith("#X"))
        return String.fromCodePoint(parseInt(name.slice(2), 16));
      if (name.startsWith("#")) return String.fromCodePoint(Number(name.slice(1)));
      return ENTITIES[name.toLowerCase()] ?? whole;
    })
    .trim();
}

/** Text compared as a platform shows it: every link stands for any link, white space ignored. */
export function comparableText(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/https?:\/\/\S+/g, "<link>")
    .replace(/\s+/g, "");
}
