/**
 * Everything one check needs, computed once and shared by the rules: the normalised text with
 * its offset map, sentences, lexicon hits grouped by family, per-sentence context cues, cached
 * morphological analysis of small windows, and the list the findings go to.
 */
import type { CompiledPack, Family, LexValue, ResolvedVocab } from "./compile.ts";
import type { Morphology, Token } from "./morph/types.ts";
import { asciiLower } from "./text/chars.ts";
import type { LexiconHit } from "./text/lexicon.ts";
import { type NormalizedText, normalizeWithMap, toOriginalSpan } from "./text/normalize.ts";
import { type Span, sentenceIndexAt, splitSentences } from "./text/sentences.ts";
import type { CheckInput, Finding, LengthInfo, LinkInfo, Severity } from "./types.ts";

export interface Hit {
  start: number;
  end: number;
  term: string;
}

export interface VocabHit extends Hit {
  entry: ResolvedVocab;
}

/** Sentences up to this length are analysed whole; longer ones in blocks. */
const MAX_WINDOW = 160;
/** Block length and the overlap on each side for long sentences. */
const CHUNK = 128;
const MARGIN = 24;

/** The state of one check, shared by all rules (built by the engine for each input). */
export class CheckContext {
  readonly original: string;
  readonly norm: NormalizedText;
  /** NFKC-normalised text; all rule offsets are into this string. */
  readonly text: string;
  /** `text` with ASCII letters lower-cased (same length). */
  readonly lower: string;
  readonly sentences: readonly Span[];
  readonly vocabHits: VocabHit[] = [];
  readonly findings: Finding[] = [];
  /** Spans (normalised offsets) of private persons' names found by the name rule. */
  readonly personSpans: Span[] = [];
  length: LengthInfo | undefined;
  readonly links: LinkInfo[] = [];
  /** Spans (normalised offsets) of the URLs in the text, filled by the link rule (which runs first). */
  readonly urlSpans: Span[] = [];
  /** True when the text names one of the pack's groups of people (group patterns run only then). */
  hasGroup = false;
  private readonly byFamily = new Map<Family, Hit[]>();
  /** Construction slot → its hits (exceptions still in, marked); filtered on first use. */
  private readonly rawSlots = new Map<number, { start: number; end: number; negative: boolean }[]>();
  private readonly slotCache = new Map<number, Hit[]>();
  private readonly contextMask: Uint32Array;
  private readonly tokenCache = new Map<number, Token[]>();
  private quoteDepth: Int16Array | null = null;
  private reportedQuotes: Span[] | null = null;

  constructor(
    readonly compiled: CompiledPack,
    readonly morph: Morphology,
    readonly input: CheckInput,
    readonly now: Date,
  ) {
    this.original = input.text;
    this.norm = normalizeWithMap(input.text);
    this.text = this.norm.text;
    this.lower = asciiLower(this.text);
    this.sentences = splitSentences(this.text);
    this.contextMask = new Uint32Array(this.sentences.length);
    for (const hit of compiled.lexicon.scan(this.lower)) this.index(hit);
  }

  private index(hit: LexiconHit<LexValue>): void {
    const v = hit.value;
    if (v.family === "vocab") {
      this.vocabHits.push({ start: hit.start, end: hit.end, term: hit.term, entry: v.entry });
      return;
    }
    if (v.family === "context") {
      const si = sentenceIndexAt(this.sentences, hit.start);
      this.contextMask[si] = (this.contextMask[si] ?? 0) | v.bit;
      return;
    }
    if (v.family === "group") {
      this.hasGroup = true;
      return;
    }
    if (v.family === "slot") {
      let list = this.rawSlots.get(v.slot);
      if (!list) {
        list = [];
        this.rawSlots.set(v.slot, list);
      }
      list.push({ start: hit.start, end: hit.end, negative: v.negative });
      return;
    }
    let list = this.byFamily.get(v.family);
    if (!list) {
      list = [];
      this.byFamily.set(v.family, list);
    }
    list.push({ start: hit.start, end: hit.end, term: hit.term });
  }

  /** Lexicon hits of one word-list family, in text order. */
  hits(family: Family): readonly Hit[] {
    return this.byFamily.get(family) ?? [];
  }

  /**
   * Hits of a construction term list, in text order, without those inside one of the list's
   * exceptions (`!最低気温` removes `最低` there) and without shorter hits inside a longer one.
   */
  slotHits(slot: number): readonly Hit[] {
    const cached = this.slotCache.get(slot);
    if (cached) return cached;
    const raw = this.rawSlots.get(slot) ?? [];
    const out: Hit[] = [];
    for (const h of raw) {
      if (h.negative) continue;
      if (raw.some((x) => x.negative && x.start <= h.start && x.end >= h.end)) continue;
      const last = out[out.length - 1];
      if (last && h.start >= last.start && h.end <= last.end) continue;
      out.push({ start: h.start, end: h.end, term: this.text.slice(h.start, h.end) });
    }
    this.slotCache.set(slot, out);
    return out;
  }

  /** Adds a hit to a construction slot (for the built-in slots that rules fill, such as `@person`). */
  addSlotHit(slot: number, start: number, end: number): void {
    let list = this.rawSlots.get(slot);
    if (!list) {
      list = [];
      this.rawSlots.set(slot, list);
    }
    list.push({ start, end, negative: false });
    list.sort((a, b) => a.start - b.start || b.end - a.end);
    this.slotCache.delete(slot);
  }

  /** True when a construction term list has a hit anywhere in the text. */
  hasSlot(slot: number): boolean {
    return this.rawSlots.has(slot) && this.slotHits(slot).length > 0;
  }

  /** Hits of `family` with overlapping ones merged (まだ公表 + 公表前 → まだ公表前); `term` is the text. */
  distinctHits(family: Family): Hit[] {
    const out: Hit[] = [];
    for (const h of this.hits(family)) {
      const last = out[out.length - 1];
      if (last && h.start < last.end) {
        if (h.end > last.end) {
          last.end = h.end;
          last.term = this.text.slice(last.start, last.end);
        }
        continue;
      }
      out.push({ start: h.start, end: h.end, term: this.text.slice(h.start, h.end) });
    }
    return out;
  }

  /** End of the word at `end`: takes in up to 3 following okurigana (悪 → 悪い, 聞 → 聞きま). */
  wordEnd(end: number): number {
    let e = end;
    const last = this.text.charCodeAt(end - 1);
    if (!(last >= 0x4e00 && last <= 0x9fff)) return end;
    while (e < this.text.length && e - end < 4) {
      const ch = this.text.charAt(e);
      const c = ch.charCodeAt(0);
      if (c < 0x3041 || c > 0x3096 || "かがのはをにでともへやよね".includes(ch)) break;
      e++;
    }
    return e;
  }

  /** Hits of `family` inside [start, end). */
  hitsIn(family: Family, start: number, end: number): Hit[] {
    return this.hits(family).filter((h) => h.start >= start && h.end <= end);
  }

  sentenceIndex(pos: number): number {
    return sentenceIndexAt(this.sentences, pos);
  }

  /** The sentence containing `pos`. */
  sentenceAt(pos: number): Span {
    return this.sentences[this.sentenceIndex(pos)] ?? { start: 0, end: this.text.length };
  }

  /** True when the sentence containing `pos` has a cue of any context group in `mask`. */
  sentenceHasContext(pos: number, mask: number): boolean {
    if (mask === 0) return false;
    return ((this.contextMask[this.sentenceIndex(pos)] ?? 0) & mask) !== 0;
  }

  /** Bit mask of a named context group (0 when the pack has no such group). */
  contextBit(name: string): number {
    return this.compiled.contextBits.get(name) ?? 0;
  }

  /** True when `pos` is inside 「…」, 『…』 or “…” within its sentence. */
  insideQuotes(pos: number): boolean {
    if (!this.quoteDepth) {
      const depth = new Int16Array(this.text.length + 1);
      let d = 0;
      let si = 0;
      for (let i = 0; i < this.text.length; i++) {
        while (si < this.sentences.length && (this.sentences[si]?.end ?? 0) <= i) {
          si++;
          d = 0;
        }
        depth[i] = d;
        const c = this.text.charCodeAt(i);
        if (c === 0x300c || c === 0x300e || c === 0x201c) d++;
        else if ((c === 0x300d || c === 0x300f || c === 0x201d) && d > 0) d--;
      }
      this.quoteDepth = depth;
    }
    return (this.quoteDepth[pos] ?? 0) > 0;
  }

  /**
   * True when [start, end) lies inside a quotation that the post reports rather than says
   * (「みんなやっているから大丈夫」と…, 「最低の対応だ」とのご意見): the closing mark is followed by
   * と, という, との, といった, など or って.
   */
  inReportedQuote(start: number, end: number): boolean {
    if (!this.reportedQuotes) {
      const spans: Span[] = [];
      const open: number[] = [];
      const text = this.text;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 0x300c || c === 0x300e || c === 0x201c) open.push(i);
        else if ((c === 0x300d || c === 0x300f || c === 0x201d) && open.length > 0) {
          const from = open.pop() ?? 0;
          if (/^(?:と|という|との|といった|など|って)/.test(text.slice(i + 1, i + 6)))
            spans.push({ start: from, end: i + 1 });
        }
      }
      this.reportedQuotes = spans;
    }
    return this.reportedQuotes.some((q) => start > q.start && end < q.end);
  }

  /** True when [start, end) overlaps a URL (numbers and words inside URLs are not reported). */
  inUrl(start: number, end: number): boolean {
    return this.urlSpans.some((u) => start < u.end && end > u.start);
  }

  /** True when a private person's name was found in the sentence containing `pos`. */
  sentenceHasPerson(pos: number): boolean {
    const s = this.sentenceAt(pos);
    return this.personSpans.some((p) => p.start >= s.start && p.end <= s.end);
  }

  /**
   * Tokens (with offsets into `text`) around [start, end): the whole sentence when it is short,
   * otherwise the fixed block of the sentence the hit falls in (blocks of CHUNK units that overlap
   * by MARGIN on each side, so that every long sentence is analysed a few times at most). Cached.
   */
  tokensAround(start: number, end: number): Token[] {
    const s = this.sentenceAt(start);
    const sentenceEnd = Math.max(s.end, end);
    if (sentenceEnd - s.start <= MAX_WINDOW) return this.tokensOf(s.start, sentenceEnd);
    const k = Math.floor((start - s.start) / CHUNK);
    const ws = Math.max(s.start, s.start + k * CHUNK - MARGIN);
    const we = Math.min(sentenceEnd, s.start + (k + 1) * CHUNK + MARGIN);
    if (end <= we) return this.tokensOf(ws, we);
    return this.tokensOf(Math.max(s.start, start - MARGIN), Math.min(sentenceEnd, end + MARGIN));
  }

  private tokensOf(ws: number, we: number): Token[] {
    const key = ws * 100003 + we;
    const cached = this.tokenCache.get(key);
    if (cached) return cached;
    const tokens = this.morph
      .tokenize(this.text.slice(ws, we))
      .map((t) => ({ ...t, start: t.start + ws, end: t.end + ws }));
    this.tokenCache.set(key, tokens);
    return tokens;
  }

  /** The text the operator typed under a normalised span (for quoting in messages). */
  quote(start: number, end: number): string {
    const [os, oe] = toOriginalSpan(this.norm, start, end);
    return this.original.slice(os, oe);
  }

  /** Reports a finding whose span is in normalised offsets. */
  report(
    rule: string,
    clause: string,
    severity: Severity,
    start: number,
    end: number,
    message: string,
    hint: string,
  ): void {
    const [os, oe] = toOriginalSpan(this.norm, start, end);
    this.reportOriginal(rule, clause, severity, os, oe, message, hint);
  }

  /** Reports a finding whose span is already in original offsets. */
  reportOriginal(
    rule: string,
    clause: string,
    severity: Severity,
    start: number,
    end: number,
    message: string,
    hint: string,
  ): void {
    const label = this.compiled.pack.clauses[clause] ?? `第${clause}`;
    this.findings.push({ rule, clause, severity, start, end, message: `${message}（${label}）。`, hint });
  }
}
