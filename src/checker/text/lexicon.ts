/**
 * Multi-pattern literal matcher: finds every occurrence of every term in one pass over the text
 * by walking a trie of UTF-16 units from each position. The trie is built from the terms, then
 * frozen into flat typed arrays (a dense table for the first unit, sorted child lists below it),
 * so that a position costs one array read when no term starts there and a few when one does.
 */

export interface LexiconHit<T> {
  start: number;
  end: number;
  term: string;
  value: T;
}

interface BuildNode {
  next: Map<number, BuildNode> | null;
  /** Index into `terms` of the term ending here, or -1. */
  term: number;
}

/** The frozen trie: node 0 is the root. */
interface Frozen {
  /** First UTF-16 unit → node (0 = no term starts with it). */
  first: Int32Array;
  /** Children of node n: `childUnit/childNode[childStart[n] .. childStart[n + 1])`, units ascending. */
  childStart: Int32Array;
  childUnit: Uint16Array;
  childNode: Int32Array;
  /** Term index ending at node n, or -1. */
  termAt: Int32Array;
}

/** A compiled set of terms, each carrying one or more values (what the term means to the rules). */
export class Lexicon<T> {
  private readonly root: BuildNode = { next: null, term: -1 };
  private readonly terms: string[] = [];
  private readonly values: T[][] = [];
  private frozen: Frozen | null = null;

  /** Number of distinct terms. */
  get size(): number {
    return this.terms.length;
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
        child = { next: null, term: -1 };
        n.next.set(c, child);
      }
      n = child;
    }
    if (n.term < 0) {
      n.term = this.terms.length;
      this.terms.push(term);
      this.values.push([]);
    }
    this.values[n.term]?.push(value);
    this.frozen = null;
  }

  /** Numbers the nodes breadth-first and lays their children out in flat arrays. */
  private freeze(): Frozen {
    const order: BuildNode[] = [this.root];
    for (let i = 0; i < order.length; i++) {
      const next = order[i]?.next;
      if (!next) continue;
      for (const c of [...next.keys()].sort((a, b) => a - b)) {
        const child = next.get(c);
        if (child) order.push(child);
      }
    }
    const id = new Map(order.map((node, i) => [node, i]));
    const childStart = new Int32Array(order.length + 1);
    const childUnit = new Uint16Array(order.length);
    const childNode = new Int32Array(order.length);
    const termAt = new Int32Array(order.length);
    let k = 0;
    order.forEach((node, i) => {
      termAt[i] = node.term;
      childStart[i] = k;
      for (const c of [...(node.next?.keys() ?? [])].sort((a, b) => a - b)) {
        childUnit[k] = c;
        childNode[k] = id.get(node.next?.get(c) ?? node) ?? 0;
        k++;
      }
    });
    childStart[order.length] = k;
    const first = new Int32Array(0x10000);
    for (let j = childStart[0] ?? 0; j < (childStart[1] ?? 0); j++)
      first[childUnit[j] ?? 0] = childNode[j] ?? 0;
    return { first, childStart, childUnit, childNode, termAt };
  }

  /** Every (possibly overlapping) occurrence in `text`, ordered by start then longest first. */
  scan(text: string): LexiconHit<T>[] {
    const hits: LexiconHit<T>[] = [];
    if (!this.frozen) this.frozen = this.freeze();
    const { first, childStart, childUnit, childNode, termAt } = this.frozen;
    const n = text.length;
    // Terms ending at the current start, shortest first (reported longest first).
    const foundTerm: number[] = [];
    const foundEnd: number[] = [];
    for (let i = 0; i < n; i++) {
      let node = first[text.charCodeAt(i)] ?? 0;
      if (node === 0) continue;
      let j = i + 1;
      let found = 0;
      for (;;) {
        const t = termAt[node] ?? -1;
        if (t >= 0) {
          foundTerm[found] = t;
          foundEnd[found] = j;
          found++;
        }
        if (j >= n) break;
        const from = childStart[node] ?? 0;
        const to = childStart[node + 1] ?? 0;
        if (from === to) break;
        const unit = text.charCodeAt(j);
        let next = 0;
        for (let k = from; k < to; k++) {
          const u = childUnit[k] ?? 0;
          if (u === unit) {
            next = childNode[k] ?? 0;
            break;
          }
          if (u > unit) break;
        }
        if (next === 0) break;
        node = next;
        j++;
      }
      for (let f = found - 1; f >= 0; f--) {
        const t = foundTerm[f] ?? 0;
        const term = this.terms[t] ?? "";
        for (const value of this.values[t] ?? []) hits.push({ start: i, end: foundEnd[f] ?? i, term, value });
      }
    }
    return hits;
  }
}
