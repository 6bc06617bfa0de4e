/**
 * A Japanese tokenizer over the compact IPADIC arrays (ipadic.ts): the same word lattice and
 * Viterbi search as kuromoji 0.1.2 (Apache-2.0, © Takuya Asano and Atilika Inc.), node for node
 * and in the same order, so that ties are broken the same way and the tokens are identical —
 * including kuromoji's habits: the text is analysed in pieces ending at 、 and 。, an unknown
 * word groups every following character of its class, and a word that cannot be reached keeps
 * an infinite cost. The lattice lives in reused typed arrays instead of one object per node.
 */
import type { IpadicData, WordTable } from "./ipadic.ts";
import type { Morphology, Token } from "./types.ts";

const BOS = 0;
const KNOWN = 1;
const UNKNOWN = 2;
const EOS = 3;

/** Growable parallel arrays of lattice nodes, reused from one call to the next. */
class Nodes {
  kind = new Uint8Array(1024);
  word = new Int32Array(1024);
  start = new Int32Array(1024); // 1-based position of the first character, as in kuromoji
  length = new Int32Array(1024);
  left = new Int16Array(1024);
  right = new Int16Array(1024);
  cost = new Int16Array(1024);
  prev = new Int32Array(1024);
  nextSameEnd = new Int32Array(1024);
  shortest = new Float64Array(1024);
  /** UTF-16 length of the surface (kuromoji's unknown words may differ from `length`). */
  units = new Int32Array(1024);
  count = 0;

  add(
    kind: number,
    word: number,
    start: number,
    length: number,
    units: number,
    table: WordTable | null,
  ): number {
    if (this.count === this.kind.length) this.grow();
    const i = this.count++;
    this.kind[i] = kind;
    this.word[i] = word;
    this.start[i] = start;
    this.length[i] = length;
    this.units[i] = units;
    this.left[i] = table ? (table.left[word] ?? 0) : 0;
    this.right[i] = table ? (table.right[word] ?? 0) : 0;
    this.cost[i] = table ? (table.cost[word] ?? 0) : 0;
    this.prev[i] = -1;
    this.nextSameEnd[i] = -1;
    this.shortest[i] = kind === BOS ? 0 : Number.MAX_VALUE;
    return i;
  }

  private grow(): void {
    const n = this.kind.length * 2;
    const up = <T extends Uint8Array | Int32Array | Int16Array | Float64Array>(
      a: T,
      make: (n: number) => T,
    ): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.kind = up(this.kind, (k) => new Uint8Array(k));
    this.word = up(this.word, (k) => new Int32Array(k));
    this.start = up(this.start, (k) => new Int32Array(k));
    this.length = up(this.length, (k) => new Int32Array(k));
    this.units = up(this.units, (k) => new Int32Array(k));
    this.left = up(this.left, (k) => new Int16Array(k));
    this.right = up(this.right, (k) => new Int16Array(k));
    this.cost = up(this.cost, (k) => new Int16Array(k));
    this.prev = up(this.prev, (k) => new Int32Array(k));
    this.nextSameEnd = up(this.nextSameEnd, (k) => new Int32Array(k));
    this.shortest = up(this.shortest, (k) => new Float64Array(k));
  }
}

/** A tokenizer with kuromoji's output over `data`. */
export function createLatticeTokenizer(data: IpadicData): Morphology {
  const { base, check, mapStart, mapWords, words, cc, unkStart, unkWords, unk, charClass } = data;
  const classes = data.classesOfChars;
  const backward = cc[1] ?? 0;
  const nodes = new Nodes();
  let endFirst = new Int32Array(256);
  let endLast = new Int32Array(256);
  /** Highest end-list index set by the previous piece (cleared before the next one). */
  let touched = 0;
  const cps: number[] = [];
  const offsets: number[] = [];
  const bytes = new Uint8Array(4);

  const getBase = (i: number): number => (i < base.length ? (base[i] ?? 0) : -i + 1);
  const getCheck = (i: number): number => (i < check.length ? (check[i] ?? 0) : -i - 1);
  const traverse = (parent: number, code: number): number => {
    const child = getBase(parent) + code;
    return child >= 0 && getCheck(child) === parent ? child : -1;
  };

  const append = (node: number): void => {
    const last = (nodes.start[node] ?? 0) + (nodes.length[node] ?? 0) - 1;
    while (last + 2 > endFirst.length) {
      const f = new Int32Array(endFirst.length * 2).fill(-1);
      f.set(endFirst);
      const l = new Int32Array(endLast.length * 2).fill(-1);
      l.set(endLast);
      endFirst = f;
      endLast = l;
    }
    if (last > touched) touched = last;
    const tail = endLast[last] ?? -1;
    if (tail < 0) endFirst[last] = node;
    else nodes.nextSameEnd[tail] = node;
    endLast[last] = node;
  };

  /** kuromoji's eos_pos and the last end position of the current piece. */
  let eosPos = 1;
  let maxEnd = 0;
  const note = (node: number): void => {
    append(node);
    const last = (nodes.start[node] ?? 0) + (nodes.length[node] ?? 0) - 1;
    if (last > eosPos) eosPos = last;
    if (last > maxEnd) maxEnd = last;
  };

  const classOf = (cp: number): number =>
    cp > 0xffff ? data.defaultClass : (charClass[cp] ?? data.defaultClass);

  /** Tokens of one piece (kuromoji's "sentence"), with offsets shifted by `shift`. */
  const piece = (text: string, shift: number, out: Token[]): void => {
    cps.length = 0;
    offsets.length = 0;
    for (let i = 0; i < text.length; ) {
      const cp = text.codePointAt(i) ?? 0;
      cps.push(cp);
      offsets.push(i);
      i += cp > 0xffff ? 2 : 1;
    }
    offsets.push(text.length);
    const n = cps.length;
    nodes.count = 0;
    const clear = Math.min(endFirst.length, Math.max(touched, n) + 4);
    endFirst.fill(-1, 0, clear);
    endLast.fill(-1, 0, clear);
    const bos = nodes.add(BOS, -1, 0, 0, 0, null); // ends "at 0", before the first character
    endFirst[0] = bos;
    endLast[0] = bos;
    eosPos = 1;
    maxEnd = 0;

    for (let pos = 0; pos < n; pos++) {
      // Known words: every dictionary word that starts here (kuromoji's commonPrefixSearch).
      let found = false;
      let parent = 0;
      walk: for (let k = pos; k < n; k++) {
        const cp = cps[k] ?? 0;
        let len: number;
        if (cp < 0x80) {
          bytes[0] = cp;
          len = 1;
        } else if (cp < 0x800) {
          bytes[0] = (cp >>> 6) | 0xc0;
          bytes[1] = (cp & 0x3f) | 0x80;
          len = 2;
        } else if (cp < 0x10000) {
          bytes[0] = (cp >>> 12) | 0xe0;
          bytes[1] = ((cp >> 6) & 0x3f) | 0x80;
          bytes[2] = (cp & 0x3f) | 0x80;
          len = 3;
        } else {
          bytes[0] = (cp >>> 18) | 0xf0;
          bytes[1] = ((cp >> 12) & 0x3f) | 0x80;
          bytes[2] = ((cp >> 6) & 0x3f) | 0x80;
          bytes[3] = (cp & 0x3f) | 0x80;
          len = 4;
        }
        for (let b = 0; b < len; b++) {
          const child = traverse(parent, bytes[b] ?? 0);
          if (child < 0) break walk;
          parent = child;
          if (b < len - 1) continue; // dictionary words end on whole characters
          const term = traverse(child, 0);
          if (term < 0) continue;
          const v = -getBase(term) - 1;
          const units = (offsets[k + 1] ?? 0) - (offsets[pos] ?? 0);
          const from = mapStart[v] ?? 0;
          const to = mapStart[v + 1] ?? 0;
          for (let w = from; w < to; w++) {
            note(nodes.add(KNOWN, mapWords[w] ?? 0, pos + 1, units, units, words));
            found = true;
          }
        }
      }
      // Unknown words: when nothing is known here, or the character class always tries.
      const head = classOf(cps[pos] ?? 0);
      const cls = classes[head];
      if (!found || cls?.alwaysInvoke) {
        let length = 1;
        let units = (offsets[pos + 1] ?? 0) - (offsets[pos] ?? 0);
        if (cls?.grouping && pos + 1 < n) {
          let k = pos + 1;
          while (k < n && classes[classOf(cps[k] ?? 0)]?.name === cls.name) k++;
          if (k > pos + 1) {
            units = (offsets[k] ?? 0) - (offsets[pos] ?? 0);
            length = units; // kuromoji counts a grouped unknown word in UTF-16 units
          }
        }
        const from = unkStart[head] ?? 0;
        const to = unkStart[head + 1] ?? 0;
        for (let u = from; u < to; u++)
          note(nodes.add(UNKNOWN, unkWords[u] ?? 0, pos + 1, length, units, unk));
      }
    }
    // EOS goes one past the last end; its predecessors end at the last character.
    eosPos++;
    const eos = nodes.add(EOS, -1, eosPos, 0, 0, null);
    const eosAt = maxEnd + 1;
    if (eosAt + 2 > endFirst.length) {
      const f = new Int32Array(eosAt * 2 + 4).fill(-1);
      f.set(endFirst);
      const l = new Int32Array(eosAt * 2 + 4).fill(-1);
      l.set(endLast);
      endFirst = f;
      endLast = l;
    }
    endFirst[eosAt] = eos;
    endLast[eosAt] = eos;
    if (eosAt > touched) touched = eosAt;

    // Forward: the cheapest predecessor of every node (first one wins a tie, as in kuromoji).
    for (let i = 1; i <= eosPos; i++) {
      for (let node = endFirst[i] ?? -1; node >= 0; node = nodes.nextSameEnd[node] ?? -1) {
        const start = nodes.start[node] ?? 0;
        const firstPrev = start - 1 >= 0 ? (endFirst[start - 1] ?? -1) : -1;
        if (firstPrev < 0) continue;
        const left = nodes.left[node] ?? 0;
        const own = nodes.cost[node] ?? 0;
        let best = Number.MAX_VALUE;
        let bestPrev = -1;
        for (let p = firstPrev; p >= 0; p = nodes.nextSameEnd[p] ?? -1) {
          const c = (nodes.shortest[p] ?? 0) + (cc[2 + (nodes.right[p] ?? 0) * backward + left] ?? 0) + own;
          if (c < best) {
            best = c;
            bestPrev = p;
          }
        }
        nodes.prev[node] = bestPrev;
        nodes.shortest[node] = best;
      }
    }

    // Backward from EOS; a path that breaks off yields no tokens, as in kuromoji.
    const path: number[] = [];
    let back = nodes.prev[eos] ?? -1;
    if (back < 0) return;
    while (nodes.kind[back] !== BOS) {
      path.push(back);
      const p = nodes.prev[back] ?? -1;
      if (p < 0) return;
      back = p;
    }
    for (let k = path.length - 1; k >= 0; k--) out.push(token(text, shift, path[k] ?? 0));
  };

  const token = (text: string, shift: number, node: number): Token => {
    const known = nodes.kind[node] === KNOWN;
    const table = known ? words : unk;
    const w = nodes.word[node] ?? 0;
    const startCp = (nodes.start[node] ?? 1) - 1;
    const start = offsets[startCp] ?? 0;
    const surface = text.slice(start, start + (nodes.units[node] ?? 0));
    const c = data.classes[table.pos[w] ?? 0];
    const bs = table.basicStart[w] ?? -1;
    return {
      start: start + shift,
      end: start + shift + surface.length,
      surface,
      pos: c?.pos ?? "",
      pos1: c?.pos1 ?? "",
      pos2: c?.pos2 ?? "",
      pos3: c?.pos3 ?? "",
      conj: c?.conj ?? "",
      basic: bs < 0 ? surface : data.basicForms.slice(bs, table.basicEnd[w] ?? bs),
      known,
    };
  };

  return {
    tokenize(text: string): Token[] {
      const out: Token[] = [];
      // kuromoji analyses the text in pieces that end at 、 or 。
      let from = 0;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 0x3001 || c === 0x3002) {
          piece(text.slice(from, i + 1), from, out);
          from = i + 1;
        }
      }
      if (from < text.length) piece(text.slice(from), from, out);
      return out;
    },
  };
}
