/**
 * NFKC normalisation that remembers where each normalised character came from, so that rules
 * can work on normalised text (full-width digits, half-width katakana, ㊙ …) and still report
 * UTF-16 offsets into the text the operator typed.
 */

/** Normalised text plus, for each of its UTF-16 units, the span of the original it came from. */
export interface NormalizedText {
  readonly original: string;
  readonly text: string;
  /** Original start of the segment each normalised unit came from; null when text === original. */
  readonly from: Int32Array | null;
  /** Original end (exclusive) of that segment; null when text === original. */
  readonly to: Int32Array | null;
}

/** True for code points that attach to the previous one for composition (kept in one segment). */
function attaches(cp: number): boolean {
  if (cp < 0x0300) return false;
  if (cp <= 0x036f) return true; // combining diacritical marks
  if (cp === 0x3099 || cp === 0x309a || cp === 0xff9e || cp === 0xff9f) return true; // (half-width) dakuten
  if (cp >= 0x1160 && cp <= 0x11ff) return true; // Hangul medial vowels and final consonants
  if (cp >= 0xfe00 && cp <= 0xfe0f) return true; // variation selectors
  if ((cp >= 0x3041 && cp <= 0x3096) || (cp >= 0x30a1 && cp <= 0x30fa) || (cp >= 0x4e00 && cp <= 0x9fff)) {
    return false;
  }
  if (cp > 0xffff) return MARK.test(String.fromCodePoint(cp));
  let known = markCache[cp] ?? 0;
  if (known === 0) {
    known = MARK.test(String.fromCharCode(cp)) ? 1 : 2;
    markCache[cp] = known;
  }
  return known === 1;
}
const MARK = /^\p{M}$/u;
/** BMP code point → 0 unknown, 1 combining mark, 2 not a mark (filled as characters are seen). */
const markCache = new Uint8Array(0x10000);

/** True for code points NFKC leaves alone and that never compose with what follows. */
function stable(cp: number): boolean {
  if (cp < 0x7f) return true;
  if (cp >= 0x3041 && cp <= 0x3096) return true; // hiragana
  if (cp >= 0x30a1 && cp <= 0x30fa) return true; // katakana
  if (cp === 0x30fb || cp === 0x30fc) return true; // ・ ー
  if (cp >= 0x4e00 && cp <= 0x9fff) return true; // CJK unified ideographs
  if (cp === 0x3001 || cp === 0x3002 || (cp >= 0x3008 && cp <= 0x3011) || cp === 0x3005) return true; // 、。〈〉《》「」『』【】々
  return false;
}

/**
 * Normalises `original` to NFKC segment by segment (a base character with the marks that attach
 * to it) and records, for every output unit, the original segment's [from, to).
 */
export function normalizeWithMap(original: string): NormalizedText {
  const whole = original.normalize("NFKC");
  if (whole === original || oneToOne(original, whole)) return { original, text: whole, from: null, to: null };
  const out: string[] = [];
  const from: number[] = [];
  const to: number[] = [];
  const n = original.length;
  let i = 0;
  while (i < n) {
    const start = i;
    const cp = original.codePointAt(i) ?? 0;
    i += cp > 0xffff ? 2 : 1;
    while (i < n) {
      const next = original.codePointAt(i) ?? 0;
      if (!attaches(next)) break;
      i += next > 0xffff ? 2 : 1;
    }
    const segment = original.slice(start, i);
    const normalized = i - start === 1 && stable(cp) ? segment : segment.normalize("NFKC");
    out.push(normalized);
    for (let k = 0; k < normalized.length; k++) {
      from.push(start);
      to.push(i);
    }
  }
  return { original, text: out.join(""), from: Int32Array.from(from), to: Int32Array.from(to) };
}

/**
 * True when every unit of `original` normalises on its own to the unit at the same index of
 * `whole` (（ → (, ０ → 0, 　 → space …, the usual case in Japanese posts): offsets then stay
 * the same and no map is needed.
 */
function oneToOne(original: string, whole: string): boolean {
  if (whole.length !== original.length) return false;
  for (let i = 0; i < original.length; i++) {
    const a = original.charCodeAt(i);
    if (a === whole.charCodeAt(i)) {
      if (a >= 0x0300 && attaches(a)) return false;
      continue;
    }
    if (a >= 0xd800 && a <= 0xdfff) return false;
    if (original.charAt(i).normalize("NFKC") !== whole.charAt(i)) return false;
    const next = original.charCodeAt(i + 1);
    if (next >= 0x0300 && attaches(next)) return false;
  }
  return true;
}

/** Maps a [start, end) span of the normalised text to the smallest original span covering it. */
export function toOriginalSpan(norm: NormalizedText, start: number, end: number): [number, number] {
  const { from, to } = norm;
  if (!from || !to) return [start, end];
  const len = norm.text.length;
  if (len === 0) return [0, 0];
  const s = Math.max(0, Math.min(start, len));
  const e = Math.max(s, Math.min(end, len));
  const os = s < len ? (from[s] ?? 0) : norm.original.length;
  if (e === s) return [os, os];
  const oe = to[e - 1] ?? norm.original.length;
  return [os, oe];
}
