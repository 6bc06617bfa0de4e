/**
 * Multi-pattern literal matcher: finds every occurrence of every term in one pass over the text
 * by walking a trie of UTF-16 units from each position. The cost per position is the length of
 * the longest term that matches there (usually zero or one step), however many terms there are.
 */

export interface LexiconHit<T> {
  start: number;
  end: number;
  term: string;
  value: T;
}

interface Node<T> {
  next: Map<number, Node<T>> | null;
  /** The term ending at this node and its values (null when no term ends here). */
  term: string | null;
  values: T[];
}

function node<T>(): Node<T> {
  return { next: null, term: null, values: [] };
}

/** A compiled set of terms, each carrying one or more values (what the term means to the rules). */
export class Lexicon<T> {
  private readonly root: Node<T> = node();
  private count = 0;

  /** Number of distinct terms. */
  get size(): number {
    return this.count;
  }

  /** Adds `term` with `value` (terms are matched exactly; lower-case ASCII before adding). */
  add(term: string, value: T): void {
    if (term.length === 0) return;
    let n = this.root;
    for (let i = 0; i < term.length; i++) {
      const c = term.charCodeAt(i);
      if (!n.next) n.next = new Map();
      let child = n.next.get(c);
      if (!child) {
        child = node();
        n.next.set(c, child);
      }
      n = child;
    }
    if (n.term === null) {
      n.term = term;
      this.count++;
    }
    n.values.push(value);
  }

  /** Every (possibly overlapping) occurrence in `text`, ordered by start then longest first. */
  scan(text: string): LexiconHit<T>[] {
    const hits: LexiconHit<T>[] = [];
    const rootNext = this.root.next;
    if (!rootNext) return hits;
    const found: Node<T>[] = [];
    const ends: number[] = [];
    const n = text.length;
    for (let i = 0; i < n; i++) {
      let cur = rootNext.get(text.charCodeAt(i));
      if (!cur) continue;
      let j = i + 1;
      found.length = 0;
      ends.length = 0;
      for (;;) {
        if (cur.term !== null) {
          found.push(cur);
          ends.push(j);
        }
        if (!cur.next || j >= n) break;
        const step: Node<T> | undefined = cur.next.get(text.charCodeAt(j));
        if (!step) break;
        cur = step;
        j++;
      }
      for (let k = found.length - 1; k >= 0; k--) {
        const f = found[k];
        const end = ends[k];
        if (!f || end === undefined || f.term === null) continue;
        for (const value of f.values) hits.push({ start: i, end, term: f.term, value });
      }
    }
    return hits;
  }
}
