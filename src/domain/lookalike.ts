/**
 * Does a handle *look like* one of the city's official handles (7.3 成りすまし, the public
 * verification page)? Pure string work, no I/O:
 *
 * - `canonicalHandle`: NFKC, lower case, no `@`, no Mastodon host — how platforms compare handles.
 * - `handleSkeleton`: the canonical handle with separators (`_` `-` `.`) removed and homoglyphs
 *   folded (l/1/I/i/|, 0/o, rn/m, vv/w, Cyrillic and Greek look-alikes) — two handles with the
 *   same skeleton are indistinguishable at a glance.
 * - `handleCore`: the skeleton without the affixes impersonators add or drop (official,
 *   koushiki, jp, city, lg, appended digits…).
 * - `lookalikeMatch`: equal skeletons, equal cores, or a small Damerau–Levenshtein distance
 *   (optimal string alignment) between skeletons or cores, the allowed distance growing with the
 *   length so that short, different names (iwaki / iwate) are not confused.
 */

/** Cyrillic and Greek letters that render like Latin ones (lower case, after NFKC). */
const confusableLetters: Record<string, string> = {
  а: "a",
  в: "b",
  е: "e",
  ё: "e",
  і: "i",
  ї: "i",
  ј: "j",
  к: "k",
  м: "m",
  н: "h",
  о: "o",
  р: "p",
  с: "c",
  т: "t",
  у: "y",
  х: "x",
  ѕ: "s",
  ԁ: "d",
  ɡ: "g",
  α: "a",
  β: "b",
  ε: "e",
  ι: "i",
  κ: "k",
  ν: "v",
  ο: "o",
  ρ: "p",
  τ: "t",
  υ: "u",
  χ: "x",
};

/**
 * The handle as platforms compare it: NFKC (full-width ＠ and letters become ASCII), lower case,
 * without leading `@`, without a Mastodon host (`host/@user`, `@user@host`).
 */
export function canonicalHandle(raw: string): string {
  let h = raw.normalize("NFKC").trim().toLowerCase();
  const slash = h.lastIndexOf("/");
  if (slash >= 0) h = h.slice(slash + 1);
  h = h.replace(/^@+/, "");
  const at = h.indexOf("@");
  if (at > 0) h = h.slice(0, at);
  return h;
}

const separators = /[_\-.\s・]/g;

/** Folds characters that look alike into one representative (input: lower case, no separators). */
function fold(s: string): string {
  let latin = "";
  for (const ch of s) latin += confusableLetters[ch] ?? ch;
  return (
    latin
      // Expand rather than merge: "vvv" is both v+w and w+v, and must fold one way.
      .replace(/m/g, "rn")
      .replace(/w/g, "vv")
      .replace(/[1i|!]/g, "l")
      .replace(/0/g, "o")
  );
}

/**
 * What a reader sees at a glance: canonical handle without separators, homoglyphs folded.
 * `iwaki_city`, `lwaki-city`, `iwaki__c1ty` and `IWAKI.CITY` all give `lvvaklclty`.
 */
export function handleSkeleton(raw: string): string {
  return fold(canonicalHandle(raw).replace(separators, ""));
}

/**
 * Words impersonators add to (or official handles carry around) the distinctive part of a
 * handle. Stripped from both ends of the handle, repeatedly.
 */
export const handleAffixes: readonly string[] = [
  "official",
  "offical",
  "officiel",
  "koushiki",
  "kousiki",
  "koshiki",
  "kohshiki",
  "japan",
  "jp",
  "city",
  "shi",
  "lg",
  "info",
  "news",
  "real",
  "the",
  "bskysocial",
];

const foldedAffixes = handleAffixes
  .map((a) => ({ plain: a, folded: fold(a) }))
  .sort((x, y) => y.plain.length - x.plain.length);

/** Removes one affix or a run of digits from either end of `s` (separators already removed). */
function stripOnce(s: string): string {
  const digits = /^(\d+)(.{3,})$|^(.{3,}?)(\d+)$/.exec(s);
  if (digits) return digits[2] ?? digits[3] ?? s;
  for (const { plain, folded } of foldedAffixes) {
    // The typed affix and its folded form may differ in length (m → rn), so try a few lengths.
    for (let k = plain.length; k <= plain.length + 2 && k < s.length - 1; k++) {
      if (fold(s.slice(-k)) === folded) return s.slice(0, -k);
      if (fold(s.slice(0, k)) === folded) return s.slice(k);
    }
  }
  return s;
}

/**
 * The distinctive part of a handle: the skeleton without affixes such as official, koushiki,
 * jp, city, lg and appended digits. `iwaki_city`, `iwakicity_jp`, `iwaki_city_official`,
 * `official_iwaki` and `iwaki2024` all give `lvvakl`. Never shorter than two characters.
 */
export function handleCore(raw: string): string {
  return fold(unfoldedCore(raw));
}

/** The core before folding (its length is what a reader sees). */
function unfoldedCore(raw: string): string {
  let s = canonicalHandle(raw).replace(separators, "");
  for (let i = 0; i < 8; i++) {
    const next = stripOnce(s);
    if (next === s || next.length < 2) break;
    s = next;
  }
  return s;
}

/**
 * Damerau–Levenshtein distance in its optimal-string-alignment form: insertions, deletions,
 * substitutions and transpositions of adjacent characters each cost 1. Stops early (returns
 * `limit + 1`) once the distance is sure to exceed `limit`.
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const n = a.length;
  const m = b.length;
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  let cur = new Array<number>(m + 1).fill(0);
  let prevRowMin = 0;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, (prev2[j - 2] ?? 0) + 1);
      }
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    // A transposition can jump over a row, so the bound is the smaller of this row and the last + 1.
    if (Math.min(rowMin, prevRowMin + 1) > limit) return limit + 1;
    prevRowMin = rowMin;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m] ?? 0;
}

/**
 * How many edits still count as "looks like" for a name of `length` characters: none below 5
 * (too many real, different short names), 1 from 5, 2 from 10 (never more than 2).
 */
export function allowedDistance(length: number): number {
  if (length >= 10) return 2;
  if (length >= 5) return 1;
  return 0;
}

/** Why a handle looks like an official one. */
export type LookalikeReason =
  /** Same skeleton: differs only by homoglyphs (l/1/I), separators (_ - .) or case. */
  | "homoglyph"
  /** Same distinctive part: an affix such as _official, _jp, city or digits added or dropped. */
  | "affix"
  /** A character or two typed differently (added, dropped, swapped, replaced). */
  | "typo";

/** A lookalike: why, and how many edits apart (0 for homoglyph and affix matches). */
export type LookalikeMatch = { reason: LookalikeReason; distance: number };

/**
 * Precomputed forms of an official handle, so a registry is prepared once and compared often.
 * The lengths are those a reader sees (separators removed, before folding), which set how many
 * edits still count as a lookalike.
 */
export type PreparedHandle = {
  canonical: string;
  skeleton: string;
  core: string;
  visibleLength: number;
  coreLength: number;
};

/** Computes the forms `lookalikeMatch` compares. */
export function prepareHandle(raw: string): PreparedHandle {
  const canonical = canonicalHandle(raw);
  const core = unfoldedCore(raw);
  return {
    canonical,
    skeleton: handleSkeleton(raw),
    core: fold(core),
    visibleLength: canonical.replace(separators, "").length,
    coreLength: core.length,
  };
}

/**
 * Whether `candidate` looks like `official` without being it; null when it is the same handle
 * or clearly different.
 */
export function lookalikeMatch(
  candidate: PreparedHandle | string,
  official: PreparedHandle | string,
): LookalikeMatch | null {
  const c = typeof candidate === "string" ? prepareHandle(candidate) : candidate;
  const o = typeof official === "string" ? prepareHandle(official) : official;
  if (!c.canonical || !o.canonical || c.canonical === o.canonical) return null;
  if (c.skeleton === o.skeleton) return { reason: "homoglyph", distance: 0 };
  if (o.coreLength >= 3 && c.core === o.core) return { reason: "affix", distance: 0 };
  const skeletonLimit = allowedDistance(o.visibleLength);
  const skeletonDistance = editDistance(c.skeleton, o.skeleton, skeletonLimit);
  if (skeletonDistance <= skeletonLimit) return { reason: "typo", distance: skeletonDistance };
  const coreLimit = allowedDistance(o.coreLength);
  if (coreLimit > 0) {
    const coreDistance = editDistance(c.core, o.core, coreLimit);
    if (coreDistance <= coreLimit) return { reason: "typo", distance: coreDistance };
  }
  return null;
}

/** Japanese explanation of a reason, for the verification page. */
export const lookalikeReasonLabels: Record<LookalikeReason, string> = {
  homoglyph: "見た目の似た文字（l と 1 と I、0 と O、_ と - など）だけが違います",
  affix: "「official」「jp」「city」や数字などを付け足したり省いたりした形です",
  typo: "1〜2文字だけが違います（追加・欠落・入れ替え・置き換え）",
};

/**
 * Every official handle `candidate` looks like, closest first.
 * @param officials prepared official handles with whatever the caller needs to show them
 */
export function findLookalikes<T extends { prepared: PreparedHandle }>(
  candidate: string,
  officials: readonly T[],
): Array<T & { match: LookalikeMatch }> {
  const c = prepareHandle(candidate);
  const found: Array<T & { match: LookalikeMatch }> = [];
  for (const official of officials) {
    const match = lookalikeMatch(c, official.prepared);
    if (match) found.push({ ...official, match });
  }
  const rank: Record<LookalikeReason, number> = { homoglyph: 0, affix: 1, typo: 2 };
  return found.sort(
    (x, y) => rank[x.match.reason] - rank[y.match.reason] || x.match.distance - y.match.distance,
  );
}
