/**
 * The IPADIC dictionary that ships inside the kuromoji npm package (`dict/*.dat.gz`), read into
 * compact typed arrays: the double-array trie as it is, each word's context ids and cost, a
 * surface → words map as two flat arrays, parts of speech interned into a few thousand classes
 * and base forms in one string. No object per word: about 35 MB instead of the ~226 MB that
 * kuromoji's own loader keeps (its words map is a JS object of 325,871 arrays, its feature
 * strings 36 MB of UTF-8 padded to 40 MB). Readings and pronunciations are not kept: no rule
 * uses them. The large files are decompressed as streams and parsed as they come, so that the
 * process never holds (and the allocator never keeps) the 96 MB the files expand to.
 *
 * The data is IPADIC (mecab-ipadic-2.7.0-20070801, NAIST licence) as converted by kuromoji
 * (Apache-2.0); see `node_modules/kuromoji/NOTICE.md`. Nothing is downloaded.
 */
import { closeSync, createReadStream, fstatSync, openSync, readFileSync, readSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createGunzip, gunzipSync } from "node:zlib";

/** One character class of the unknown-word model (char.def). */
export interface CharClass {
  name: string;
  alwaysInvoke: boolean;
  grouping: boolean;
}

/** A part of speech with its details and conjugated form, as kuromoji reports them. */
export interface PosClass {
  pos: string;
  pos1: string;
  pos2: string;
  pos3: string;
  conj: string;
}

/** Words of one dictionary (known words, or the unknown-word templates) in flat arrays. */
export interface WordTable {
  left: Int16Array;
  right: Int16Array;
  cost: Int16Array;
  /** Index into `IpadicData.classes`. */
  pos: Uint16Array;
  /** Start of the base form in `IpadicData.basicForms`, or -1 when it is the surface itself. */
  basicStart: Int32Array;
  basicEnd: Int32Array;
}

/** The compact dictionary the tokenizer runs on. */
export interface IpadicData {
  base: Int32Array;
  check: Int32Array;
  /** Trie value v → its words `mapWords[mapStart[v] .. mapStart[v + 1])` (indexes into `words`). */
  mapStart: Int32Array;
  mapWords: Int32Array;
  words: WordTable;
  /** Connection costs: `cc[2 + right * cc[1] + left]`. */
  cc: Int16Array;
  /** Unknown words: class id → templates `unkWords[unkStart[id] .. unkStart[id + 1])` (indexes into `unk`). */
  unkStart: Int32Array;
  unkWords: Int32Array;
  unk: WordTable;
  /** BMP code point → character class id. */
  charClass: Uint8Array;
  classesOfChars: readonly CharClass[];
  defaultClass: number;
  classes: readonly PosClass[];
  basicForms: string;
}

/** Bytes of the used part of a buffer (kuromoji's files are padded with zeros). */
function usedLength(bytes: Uint8Array): number {
  let n = bytes.length;
  while (n > 0 && bytes[n - 1] === 0) n--;
  return n;
}

function int32(bytes: Uint8Array, at: number): number {
  return (
    (bytes[at] ?? 0) |
    ((bytes[at + 1] ?? 0) << 8) |
    ((bytes[at + 2] ?? 0) << 16) |
    ((bytes[at + 3] ?? 0) << 24)
  );
}

function int16(bytes: Uint8Array, at: number): number {
  const v = (bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8);
  return v & 0x8000 ? v - 0x10000 : v;
}

const decoder = new TextDecoder();

/**
 * Interns parts of speech and collects base forms while words are read, straight from the UTF-8
 * feature lines (surface,pos,pos1,pos2,pos3,ctype,cform,basic,reading,pronunciation): a class is
 * found by hashing its bytes, and a base form is decoded only when it differs from the surface,
 * so that reading 392,126 lines allocates almost nothing.
 */
class FeatureTable {
  readonly classes: PosClass[] = [];
  private readonly classBytes: Uint8Array[] = [];
  private readonly byHash = new Map<number, number[]>();
  private readonly basics: string[] = [];
  private basicLength = 0;

  /** Reads the feature line `bytes[from, to)` into `table` at `i`. */
  add(bytes: Uint8Array, from: number, to: number, table: WordTable, i: number): void {
    // Commas as kuromoji's split(",") sees them: c[k] ends field k.
    const c = [to, to, to, to, to, to, to, to];
    for (let at = from, k = 0; at < to && k < 8; at++) if (bytes[at] === 0x2c) c[k++] = at;
    const [c0 = to, , , , , , c6 = to, c7 = to] = c;
    table.pos[i] = this.classOf(bytes, c0 + 1, c6);
    if (same(bytes, from, c0, bytes, c6 + 1, c7)) {
      table.basicStart[i] = -1;
      table.basicEnd[i] = -1;
      return;
    }
    const basic = decoder.decode(bytes.subarray(c6 + 1, c7));
    table.basicStart[i] = this.basicLength;
    this.basics.push(basic);
    this.basicLength += basic.length;
    table.basicEnd[i] = this.basicLength;
  }

  /** The class of fields 1–6 (`bytes[from, to)`), added when new. */
  private classOf(bytes: Uint8Array, from: number, to: number): number {
    let h = 0x811c9dc5;
    for (let at = from; at < to; at++) h = Math.imul(h ^ (bytes[at] ?? 0), 0x01000193);
    const list = this.byHash.get(h);
    for (const id of list ?? []) {
      const known = this.classBytes[id];
      if (known && known.length === to - from && same(known, 0, known.length, bytes, from)) return id;
    }
    const f = decoder.decode(bytes.subarray(from, to)).split(",");
    const id = this.classes.length;
    this.classes.push({
      pos: f[0] ?? "",
      pos1: f[1] ?? "",
      pos2: f[2] ?? "",
      pos3: f[3] ?? "",
      conj: f[5] ?? "",
    });
    this.classBytes.push(bytes.slice(from, to));
    this.byHash.set(h, [...(list ?? []), id]);
    return id;
  }

  basicForms(): string {
    return this.basics.join("");
  }
}

/** True when `a[aFrom, aTo)` equals `b` from `bFrom` (same length as far as `b` goes). */
function same(
  a: Uint8Array,
  aFrom: number,
  aTo: number,
  b: Uint8Array,
  bFrom: number,
  bTo?: number,
): boolean {
  const n = aTo - aFrom;
  if (bTo !== undefined && bTo - bFrom !== n) return false;
  for (let k = 0; k < n; k++) if (a[aFrom + k] !== b[bFrom + k]) return false;
  return true;
}

function wordTable(n: number): WordTable {
  return {
    left: new Int16Array(n),
    right: new Int16Array(n),
    cost: new Int16Array(n),
    pos: new Uint16Array(n),
    basicStart: new Int32Array(n),
    basicEnd: new Int32Array(n),
  };
}

/** Reads words from a small token-info file (10 bytes each) and their feature lines. */
function readWords(info: Uint8Array, posBytes: Uint8Array, count: number, features: FeatureTable): WordTable {
  const table = wordTable(count);
  for (let i = 0; i < count; i++) {
    const at = i * 10;
    table.left[i] = int16(info, at);
    table.right[i] = int16(info, at + 2);
    table.cost[i] = int16(info, at + 4);
    const p = int32(info, at + 6);
    let e = p;
    while (e < posBytes.length && posBytes[e] !== 0) e++;
    features.add(posBytes, p, e, table, i);
  }
  return table;
}

/** Decompressed size of a .gz file (its ISIZE trailer). */
function inflatedSize(path: string): number {
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    const trailer = new Uint8Array(4);
    readSync(fd, trailer, 0, 4, size - 4);
    return int32(trailer, 0) >>> 0;
  } finally {
    closeSync(fd);
  }
}

/**
 * Decompresses `path` as a stream and hands each chunk to `take` with the offset of its first
 * byte; stops (and closes the file) when `take` returns false.
 */
async function eachChunk(path: string, take: (chunk: Uint8Array, offset: number) => boolean): Promise<void> {
  const gunzip = createReadStream(path).pipe(createGunzip({ chunkSize: 1 << 16 }));
  let offset = 0;
  try {
    for await (const chunk of gunzip) {
      if (!(chunk instanceof Uint8Array)) continue;
      if (!take(chunk, offset)) break;
      offset += chunk.length;
    }
  } finally {
    gunzip.destroy();
  }
}

/** The first `bytes` bytes of a .gz file, decompressed into `target` (a typed array's bytes). */
async function inflateInto(path: string, target: Uint8Array): Promise<void> {
  await eachChunk(path, (chunk, offset) => {
    if (offset >= target.length) return false;
    target.set(chunk.subarray(0, target.length - offset), offset);
    return offset + chunk.length < target.length;
  });
}

/** Calls `take` for consecutive `size`-byte records (until it returns false). */
async function eachRecord(
  path: string,
  size: number,
  take: (bytes: Uint8Array, at: number) => boolean,
): Promise<void> {
  let carry = new Uint8Array(0);
  await eachChunk(path, (chunk) => {
    const bytes = carry.length === 0 ? chunk : concat(carry, chunk);
    let at = 0;
    for (; at + size <= bytes.length; at += size) if (!take(bytes, at)) return false;
    carry = bytes.slice(at);
    return true;
  });
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * Reads kuromoji's words map (count, then key, n and n values …) into flat arrays; a value is a
 * byte offset into tid.dat, a tenth of it the word's index.
 */
async function readTargetMap(path: string): Promise<{ start: Int32Array; words: Int32Array }> {
  const ints = new Int32Array(inflatedSize(path) >> 2);
  await inflateInto(path, new Uint8Array(ints.buffer));
  // First pass: how many words each key has; second pass: the words.
  let maxKey = -1;
  let total = 0;
  const end = (): number => {
    let at = 1;
    while (at + 1 < ints.length) {
      const key = ints[at] ?? 0;
      const n = ints[at + 1] ?? 0;
      if (n === 0) break; // the padding
      maxKey = Math.max(maxKey, key);
      total += n;
      at += 2 + n;
    }
    return at;
  };
  const stop = end();
  const start = new Int32Array(maxKey + 2);
  for (let at = 1; at < stop; at += 2 + (ints[at + 1] ?? 0)) {
    const k = ints[at] ?? 0;
    start[k + 1] = (start[k + 1] ?? 0) + (ints[at + 1] ?? 0);
  }
  for (let k = 0; k <= maxKey; k++) start[k + 1] = (start[k + 1] ?? 0) + (start[k] ?? 0);
  const words = new Int32Array(total);
  const fill = start.slice(0, maxKey + 1);
  for (let at = 1; at < stop; at += 2 + (ints[at + 1] ?? 0)) {
    const k = ints[at] ?? 0;
    for (let c = 0; c < (ints[at + 1] ?? 0); c++) {
      const w = fill[k] ?? 0;
      words[w] = (ints[at + 2 + c] ?? 0) / 10;
      fill[k] = w + 1;
    }
  }
  return { start, words };
}

/** Reads the known words: context ids and costs from tid.dat, features from tid_pos.dat (in order). */
async function readKnownWords(dir: string, count: number, features: FeatureTable): Promise<WordTable> {
  const table = wordTable(count);
  const featureAt = new Int32Array(count);
  let i = 0;
  await eachRecord(join(dir, "tid.dat.gz"), 10, (b, at) => {
    table.left[i] = int16(b, at);
    table.right[i] = int16(b, at + 2);
    table.cost[i] = int16(b, at + 4);
    featureAt[i] = int32(b, at + 6);
    return ++i < count;
  });
  // Feature lines come in the order of the words; carry a line cut by a chunk boundary over.
  let next = 0;
  let carry = new Uint8Array(0);
  let carryStart = 0;
  await eachChunk(join(dir, "tid_pos.dat.gz"), (chunk, offset) => {
    const bytes = carry.length === 0 ? chunk : concat(carry, chunk);
    const from = carry.length === 0 ? offset : carryStart;
    let keep = bytes.length;
    while (next < count) {
      const p = (featureAt[next] ?? 0) - from;
      if (p >= bytes.length) break;
      const e = bytes.indexOf(0, p);
      if (e < 0) {
        keep = p;
        break;
      }
      features.add(bytes, p, e, table, next);
      next++;
    }
    carry = keep < bytes.length ? bytes.slice(keep) : new Uint8Array(0);
    carryStart = from + keep;
    return next < count;
  });
  return table;
}

/** Where kuromoji's dictionary files are (inside the installed npm package). */
export function kuromojiDictDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("kuromoji/package.json")), "dict");
}

/** Builds the compact dictionary from kuromoji's `dict/*.dat.gz` files in `dir`. */
export async function loadIpadic(dir: string = kuromojiDictDir()): Promise<IpadicData> {
  const path = (name: string): string => join(dir, `${name}.dat.gz`);
  const small = (name: string): Uint8Array => gunzipSync(readFileSync(path(name)));
  const features = new FeatureTable();

  // The trie: beyond the last node in use (check >= 0) kuromoji's getters answer "no node".
  const checkAll = new Int32Array(inflatedSize(path("check")) >> 2);
  await inflateInto(path("check"), new Uint8Array(checkAll.buffer));
  let n = checkAll.length;
  while (n > 0 && (checkAll[n - 1] ?? -1) < 0) n--;
  const check = checkAll.slice(0, n);
  const base = new Int32Array(n);
  await inflateInto(path("base"), new Uint8Array(base.buffer));

  const map = await readTargetMap(path("tid_map"));
  let count = 0;
  for (const w of map.words) count = Math.max(count, w + 1);
  const words = await readKnownWords(dir, count, features);

  const cc = new Int16Array(inflatedSize(path("cc")) >> 1);
  await inflateInto(path("cc"), new Uint8Array(cc.buffer));

  const unkMapBytes = small("unk_map");
  const unkMap = parseSmallTargetMap(unkMapBytes);
  let unkCount = 0;
  for (const w of unkMap.words) unkCount = Math.max(unkCount, w + 1);
  const unk = readWords(small("unk"), small("unk_pos"), unkCount, features);
  const charClass = new Uint8Array(65536);
  charClass.set(small("unk_char").subarray(0, 65536));
  const classesOfChars = readCharClasses(small("unk_invoke"));
  const defaultClass = Math.max(
    0,
    classesOfChars.findIndex((c) => c.name === "DEFAULT"),
  );

  return {
    base,
    check,
    mapStart: map.start,
    mapWords: map.words,
    words,
    cc,
    unkStart: unkMap.start,
    unkWords: unkMap.words,
    unk,
    charClass,
    classesOfChars,
    defaultClass,
    classes: features.classes,
    basicForms: features.basicForms(),
  };
}

/** The unknown-word map (a few hundred bytes) read at once. */
function parseSmallTargetMap(bytes: Uint8Array): { start: Int32Array; words: Int32Array } {
  const used = usedLength(bytes);
  const lists = new Map<number, number[]>();
  let maxKey = -1;
  for (let at = 4; at + 8 <= bytes.length; ) {
    const key = int32(bytes, at);
    const n = int32(bytes, at + 4);
    if (n === 0 && at >= used) break;
    at += 8;
    const list = lists.get(key) ?? [];
    for (let k = 0; k < n; k++, at += 4) list.push(int32(bytes, at) / 10);
    if (n > 0) lists.set(key, list);
    maxKey = Math.max(maxKey, key);
  }
  const start = new Int32Array(maxKey + 2);
  const all: number[] = [];
  for (let k = 0; k <= maxKey; k++) {
    all.push(...(lists.get(k) ?? []));
    start[k + 1] = all.length;
  }
  return { start, words: Int32Array.from(all) };
}

/** Reads char.def's classes (invoke, group, length, name) until the padding. */
function readCharClasses(bytes: Uint8Array): CharClass[] {
  const out: CharClass[] = [];
  const used = usedLength(bytes);
  let at = 0;
  while (at + 6 <= used) {
    const alwaysInvoke = bytes[at] === 1;
    const grouping = bytes[at + 1] === 1;
    at += 6; // invoke, group, max length (unused by kuromoji's lattice)
    let e = at;
    while (e < bytes.length && bytes[e] !== 0) e++;
    out.push({ name: decoder.decode(bytes.subarray(at, e)), alwaysInvoke, grouping });
    at = e + 1;
  }
  return out;
}
