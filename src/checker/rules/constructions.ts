/**
 * Phrase rules of the guideline pack (`constructions.json`): the prohibited meaning is carried by
 * a combination, not by one listed word — a group of people × an exclusion from a service (5.2.7),
 * an unlawful act × encouragement or a promise of impunity (5.2.1), a named company or person × a
 * judgement of their honesty or competence (5.2.6), a candidate × a request for votes (5.1.1) …
 * Every slot of a rule must occur in one sentence (or two adjacent ones), in order when the rule
 * says so; a term list or context group named in `unless` anywhere in those sentences (a post
 * that protects the group, warns against the act, quotes a prejudice to reject it) silences it.
 */
import type { CompiledConstruction } from "../compile.ts";
import type { CheckContext, Hit } from "../context.ts";
import { isHiragana, isKanji, isKatakana } from "../text/chars.ts";

/** The chosen hit of each slot, in the rule's slot order. */
type Match = Hit[];

/** Sentence indexes [from, to] a match may span. */
function windows(rule: CompiledConstruction, si: number, last: number): [number, number][] {
  if (!rule.adjacent) return [[si, si]];
  const out: [number, number][] = [[si, si]];
  if (si + 1 <= last) out.push([si, si + 1]);
  if (si > 0) out.push([si - 1, si]);
  return out;
}

/** Hits inside a URL or inside a quotation the post only reports do not count. */
function ignored(ctx: CheckContext, h: Hit): boolean {
  return ctx.inUrl(h.start, h.end) || ctx.inReportedQuote(h.start, h.end);
}

function overlaps(h: Hit, chosen: readonly Hit[]): boolean {
  return chosen.some((c) => h.start < c.end && h.end > c.start);
}

/** The hits of the other slots that go with `anchor` (slot 0) inside sentences [from, to]. */
function complete(
  ctx: CheckContext,
  rule: CompiledConstruction,
  anchor: Hit,
  from: number,
  to: number,
): Match | null {
  const lo = ctx.sentences[from]?.start ?? 0;
  const hi = ctx.sentences[to]?.end ?? ctx.text.length;
  const chosen: Hit[] = [anchor];
  let prev = anchor;
  for (let k = 1; k < rule.slots.length; k++) {
    const slot = rule.slots[k] ?? 0;
    let best: Hit | null = null;
    for (const h of ctx.slotHits(slot)) {
      if (h.start < lo || h.end > hi || overlaps(h, chosen) || ignored(ctx, h)) continue;
      if (rule.ordered) {
        if (h.start < prev.end || h.start - prev.end > (rule.maxGaps[k] ?? Number.POSITIVE_INFINITY))
          continue;
        best = h; // the first one after the previous slot
        break;
      }
      if (!best || Math.abs(h.start - anchor.start) < Math.abs(best.start - anchor.start)) best = h;
    }
    if (!best) return null;
    chosen.push(best);
    prev = best;
  }
  return chosen;
}

/** True when an `unless` list or context occurs in sentences [from, to]. */
function silenced(ctx: CheckContext, rule: CompiledConstruction, from: number, to: number): boolean {
  const last = rule.unlessNext ? Math.min(to + 1, ctx.sentences.length - 1) : to;
  for (let si = from; si <= last; si++) {
    const s = ctx.sentences[si];
    if (!s) continue;
    if (ctx.sentenceHasContext(s.start, rule.unlessMask)) return true;
    for (const slot of rule.unlessSlots) {
      if (ctx.slotHits(slot).some((h) => h.start >= s.start && h.end <= s.end)) return true;
    }
  }
  return false;
}

function sentenceRange(ctx: CheckContext, match: Match): [number, number] {
  let from = Number.POSITIVE_INFINITY;
  let to = -1;
  for (const h of match) {
    const si = ctx.sentenceIndex(h.start);
    from = Math.min(from, si);
    to = Math.max(to, si);
  }
  return [from, to];
}

/**
 * The words around a slot's text as the message quotes them: a name before a suffix (山本 + 電器,
 * 佐々木 + 議員) and the rest of a verb after its stem (ご遠慮いただ + いております).
 */
function quoteWord(ctx: CheckContext, h: Hit): string {
  const text = ctx.text;
  const s = ctx.sentenceAt(h.start);
  const isName = (c: number): boolean => isKanji(c) || isKatakana(c) || c === 0x3007 || c === 0x25cb; // 〇, ○
  let start = h.start;
  if (isName(text.charCodeAt(start))) {
    while (start > s.start && h.start - start < 10 && isName(text.charCodeAt(start - 1))) start--;
  }
  let end = h.end;
  if (isHiragana(text.charCodeAt(end - 1))) {
    while (end < s.end && end - h.end < 8 && isHiragana(text.charCodeAt(end))) end++;
  }
  return ctx.quote(start, end);
}

function allPresent(ctx: CheckContext, slots: readonly number[]): boolean {
  for (const s of slots) if (!ctx.hasSlot(s)) return false;
  return true;
}

/** Runs every phrase rule of the pack. */
export function checkConstructions(ctx: CheckContext): void {
  const { names, rules, builtins } = ctx.compiled.constructions;
  const person = builtins.get("@person");
  if (person !== undefined) for (const p of ctx.personSpans) ctx.addSlotHit(person, p.start, p.end);
  const last = ctx.sentences.length - 1;
  for (const rule of rules) {
    if (!allPresent(ctx, rule.slots)) continue;
    const done = new Set<number>();
    for (const anchor of ctx.slotHits(rule.slots[0] ?? 0)) {
      if (ignored(ctx, anchor)) continue;
      const si = ctx.sentenceIndex(anchor.start);
      if (done.has(si)) continue;
      let match: Match | null = null;
      for (const [from, to] of windows(rule, si, last)) {
        const m = complete(ctx, rule, anchor, from, to);
        if (!m) continue;
        const [mf, mt] = sentenceRange(ctx, m);
        if (silenced(ctx, rule, mf, mt)) continue;
        match = m;
        break;
      }
      if (!match) continue;
      const [mf, mt] = sentenceRange(ctx, match);
      for (let k = mf; k <= mt; k++) done.add(k);
      const start = Math.min(...match.map((h) => h.start));
      const end = Math.max(...match.map((h) => h.end));
      const fill = (text: string): string =>
        text.replace(/\{([^{}]+)\}/g, (whole, name: string) => {
          const k = rule.slots.findIndex((slot) => names[slot] === name);
          const h = match?.[k];
          return h ? quoteWord(ctx, h) : whole;
        });
      ctx.report(rule.id, rule.clause, rule.severity, start, end, fill(rule.message), fill(rule.hint));
    }
  }
}
