/**
 * Multi-pattern literal matcher: finds every occurrence of every term in one pass, bucketed by
 * the first UTF-16 unit. Fast for the ~1,000 short Japanese terms of a guideline pack.
 */

export interface LexiconHit<T> {
  start: number;
  end: number;
  term: string;
  value: T;
}

interface Item<T> {
  term: string;
  values: T[];
}

/** A compiled set of terms, each carrying one or more values (what the term means to the rules). */
export class Lexicon<T> {
  private readonly buckets = new Map<number, Item<T>[]>();

  /** Adds `term` with `value` (terms are matched exactly; lower-case ASCII before adding). */
  add(term: string, value: T): void {
    if (term.length === 0) return;
    const key = term.charCodeAt(0);
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = [];
      this.buckets.set(key, bucket);
    }
    const existing = bucket.find((item) => item.term === term);
    if (existing) {
      existing.values.push(value);
      return;
    }
    bucket.push({ term, values: [value] });
    bucket.sort((a, b) => b.term.length - a.term.length);
  }

  /** Every (possibly overlapping) occurrence in `text`, ordered by start then longest first. */
  scan(text: string): LexiconHit<T>[] {
    const hits: LexiconHit<T>[] = [];
    const buckets = this.buckets;
    for (let i = 0; i < text.length; i++) {
      const bucket = buckets.get(text.charCodeAt(i));
      if (!bucket) continue;
      for (const item of bucket) {
        if (text.startsWith(item.term, i)) {
          for (const value of item.values)
            hits.push({ start: i, end: i + item.term.length, term: item.term, value });
        }
      }
    }
    return hits;
  }
}
