/** Splits normalised text into sentences (。！？!? and line breaks end a sentence). */

export interface Span {
  start: number;
  end: number;
}

/** Sentence spans over `text`; each includes its closing punctuation. Never empty for non-empty text. */
export function splitSentences(text: string): Span[] {
  const out: Span[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // 。 ! ? \n (NFKC has already turned ！？ into !?)
    if (c === 0x3002 || c === 0x21 || c === 0x3f || c === 0x0a) {
      let end = i + 1;
      while (end < text.length) {
        const d = text.charCodeAt(end);
        if (d === 0x21 || d === 0x3f || d === 0x300d || d === 0x300f || d === 0x29) end++;
        else break;
      }
      if (end > start) out.push({ start, end });
      start = end;
      i = end - 1;
    }
  }
  if (start < text.length || out.length === 0) out.push({ start, end: text.length });
  return out;
}

/** Index of the sentence containing position `pos` (binary search). */
export function sentenceIndexAt(sentences: readonly Span[], pos: number): number {
  let lo = 0;
  let hi = sentences.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    const s = sentences[mid];
    if (s && s.start <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
