/**
 * 5.2.1 違法行為, 5.2.6 誹謗中傷, 5.2.7 差別, 5.2.9 わいせつ, 5.2.10 公序良俗 — the pack's
 * vocabularies, matched as whole words by morphological analysis (so ボケ防止, 土方歳三 and SMサイズ are not
 * reported), plus phrase patterns about groups of people. A phrase the post quotes in order to
 * reject it (「…」という声もありますが…) is reported as a warning, not an error.
 */
import type { CheckContext, VocabHit } from "../context.ts";
import { isPunctuation, posPath } from "../morph/types.ts";
import { isAsciiAlnum, isKatakana } from "../text/chars.ts";
import type { Severity } from "../types.ts";

/** Nouns that may follow an insult without making it a harmless compound (バカ扱い, 豚野郎). */
const INSULT_SUFFIXES = new Set(["野郎", "扱い", "呼ばわり", "共", "ども", "連中", "風情"]);

const TEXTS: Record<string, { message: (t: string) => string; hint: string }> = {
  "5.2.1": {
    message: (t) => `違法行為を助長するおそれのある表現「${t}」が含まれています`,
    hint: "違法行為の方法や入手先を紹介する内容は発信できません。注意喚起であれば「〜は犯罪です」「〜に注意してください」と趣旨が伝わるように書いてください。",
  },
  "5.2.6": {
    message: (t) => `相手を侮辱する表現「${t}」が含まれています`,
    hint: "人を馬鹿にする言葉や誹謗中傷は使わず、事実と市の対応を冷静に伝えてください。",
  },
  "5.2.7": {
    message: (t) => `差別的な表現「${t}」が含まれています`,
    hint: "差別的な言葉は使わないでください。人を指すときは「外国人の方」「障がいのある方」など中立的な表現にしてください。",
  },
  "5.2.9": {
    message: (t) => `わいせつな表現「${t}」が含まれています`,
    hint: "性的な表現は削除してください。",
  },
  "5.2.10": {
    message: (t) => `公序良俗に反するおそれのある表現「${t}」が含まれています`,
    hint: "暴力・賭博・自殺などをあおると受け取られる表現は使わないでください。",
  },
};

const QUOTED_HINT =
  "差別や中傷を否定する趣旨の引用でも、言葉そのものが広まります。「心ない言葉」などに言い換えられないか検討してください。";

/** Whether the hit is a whole word in the right part of speech (cheap character checks first). */
function wordMatches(ctx: CheckContext, hit: VocabHit): boolean {
  const text = ctx.text;
  const first = text.charCodeAt(hit.start);
  const last = text.charCodeAt(hit.end - 1);
  const before = text.charCodeAt(hit.start - 1);
  const after = text.charCodeAt(hit.end);
  if (isKatakana(first) && isKatakana(before)) return false;
  if (isKatakana(last) && isKatakana(after)) return false;
  if (isAsciiAlnum(first) && isAsciiAlnum(before)) return false;
  if (isAsciiAlnum(last) && isAsciiAlnum(after)) return false;
  const tokens = ctx.tokensAround(hit.start, hit.end);
  const i = tokens.findIndex((t) => t.start === hit.start);
  const j = tokens.findIndex((t) => t.end === hit.end);
  if (i < 0 || j < i) return false;
  const head = tokens[i];
  if (!head) return false;
  const entry = hit.entry;
  if (head.pos2 === "人名" || (head.pos1 === "固有名詞" && head.pos2 === "地域")) return false;
  if (entry.pos && !entry.pos.some((p) => posPath(head).startsWith(p))) return false;
  if (entry.conj && !entry.conj.includes(head.conj)) return false;
  const next = tokens[j + 1];
  if (entry.final && next && !isPunctuation(next) && !(next.pos === "助詞" && next.pos1 === "終助詞"))
    return false;
  if (!entry.compound) {
    if (
      next &&
      next.pos === "名詞" &&
      next.pos1 !== "接尾" &&
      !isPunctuation(next) &&
      !INSULT_SUFFIXES.has(next.surface)
    )
      return false;
  }
  return true;
}

/** Vocabulary hits (longest first where they overlap) and group phrase patterns. */
export function checkVocabulary(ctx: CheckContext): void {
  const reportedBit = ctx.contextBit("reportedSpeech");
  const groupSpans: [number, number, string][] = [];
  for (const gp of ctx.compiled.groupPatterns) {
    if (gp.needsGroup && !ctx.hasGroup) continue;
    gp.regex.lastIndex = 0;
    for (let m = gp.regex.exec(ctx.text); m; m = gp.regex.exec(ctx.text)) {
      if (m[0].length === 0) {
        gp.regex.lastIndex++;
        continue;
      }
      const start = m.index;
      const end = ctx.wordEnd(start + m[0].length);
      const softened = ctx.sentenceHasContext(start, reportedBit) || ctx.insideQuotes(start);
      groupSpans.push([start, end, gp.clause]);
      ctx.report(
        gp.rule,
        gp.clause,
        softened && gp.severity === "error" ? "warning" : gp.severity,
        start,
        end,
        softened ? `否定する趣旨で引用された表現「${ctx.quote(start, end)}」があります` : gp.message,
        softened ? QUOTED_HINT : gp.hint,
      );
    }
  }

  const hits = [...ctx.vocabHits].sort((a, b) => a.start - b.start || b.end - a.end);
  // Hits come sorted by start (longest first), so the end of the last accepted hit is enough.
  let acceptedEnd = -1;
  for (const hit of hits) {
    if (hit.start < acceptedEnd || ctx.inUrl(hit.start, hit.end)) continue;
    const entry = hit.entry;
    if (ctx.sentenceHasContext(hit.start, entry.unlessMask)) continue;
    if (entry.notFollowedBy.some((w) => ctx.lower.startsWith(w, hit.end))) continue;
    if (groupSpans.some(([s, e, c]) => c === entry.clause && hit.start >= s && hit.end <= e)) continue;
    if (entry.match === "word" && !wordMatches(ctx, hit)) continue;
    acceptedEnd = Math.max(acceptedEnd, hit.end);
    const shown = ctx.quote(hit.start, hit.end);
    const texts = TEXTS[entry.clause] ?? {
      message: (t: string) => `ガイドラインで禁止されている表現「${t}」が含まれています`,
      hint: "表現を見直してください。",
    };
    const quotable = entry.clause === "5.2.6" || entry.clause === "5.2.7";
    const softened =
      quotable &&
      entry.severity === "error" &&
      (ctx.sentenceHasContext(hit.start, reportedBit) || ctx.insideQuotes(hit.start));
    const severity: Severity = softened ? "warning" : entry.severity;
    ctx.report(
      `vocab.${ruleName(entry.clause)}`,
      entry.clause,
      severity,
      hit.start,
      hit.end,
      softened ? `否定する趣旨で引用された表現「${shown}」があります` : texts.message(shown),
      softened ? QUOTED_HINT : texts.hint,
    );
  }
}

function ruleName(clause: string): string {
  switch (clause) {
    case "5.2.1":
      return "illegal";
    case "5.2.6":
      return "insult";
    case "5.2.7":
      return "discrimination";
    case "5.2.9":
      return "obscene";
    case "5.2.10":
      return "public-order";
    default:
      return "word";
  }
}
