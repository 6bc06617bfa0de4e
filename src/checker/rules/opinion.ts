/**
 * 5.2.5 職員の個人的な考え・主張・状況 — 個人的には, 私見, 私的には, 私事ですが, and 私/僕 は…
 * と思う/反対/賛成 within one sentence. 私たち/私ども (the city speaking) is not personal.
 */
import type { CheckContext } from "../context.ts";

const CLAUSE = "5.2.5";
const HINT =
  "公式アカウントでは職員個人の意見や状況は発信できません。市としての方針や事実を、「市では〜しています」のように書いてください。";

/** 5.2.5: personal views, first-person opinions and personal matters of staff. */
export function checkOpinions(ctx: CheckContext): void {
  const covered: [number, number][] = [];
  for (const h of ctx.distinctHits("opinion")) {
    covered.push([h.start, h.end]);
    ctx.report(
      "opinion.personal-view",
      CLAUSE,
      "warning",
      h.start,
      h.end,
      `「${ctx.quote(h.start, h.end)}」と個人的な考えを述べています`,
      HINT,
    );
  }
  for (const h of ctx.distinctHits("personalMatters")) {
    ctx.report(
      "opinion.personal-matter",
      CLAUSE,
      "warning",
      h.start,
      h.end,
      "職員個人の状況についての記述があります",
      "業務上必要な場合を除き、職員個人の状況は発信しないでください。",
    );
  }
  const text = ctx.text;
  for (const a of ctx.distinctHits("stanceAdverb")) {
    if (covered.some(([s, e]) => a.start < e && a.end > s)) continue;
    const s = ctx.sentenceAt(a.start);
    const predicate = ctx.hits("opinionPredicate").find((q) => q.start > a.end && q.end <= s.end);
    if (!predicate) continue;
    covered.push([a.start, predicate.end]);
    ctx.report(
      "opinion.first-person",
      CLAUSE,
      "warning",
      a.start,
      predicate.end,
      "職員個人の意見として述べている文があります",
      HINT,
    );
  }
  for (const p of ctx.distinctHits("selfPronoun")) {
    if (covered.some(([s, e]) => p.start < e && p.end > s)) continue;
    const rest = text.slice(p.end, p.end + 6);
    if (/^(?:たち|達|ども|共|ら)/.test(rest)) continue;
    if (!/^(?:は|も|的には|としては|自身|個人)/.test(rest)) continue;
    const s = ctx.sentenceAt(p.start);
    const predicate = ctx.hits("opinionPredicate").find((q) => q.start > p.end && q.end <= s.end);
    if (!predicate) continue;
    covered.push([p.start, predicate.end]);
    ctx.report(
      "opinion.first-person",
      CLAUSE,
      "warning",
      p.start,
      predicate.end,
      "職員個人の意見として述べている文があります",
      HINT,
    );
  }
}
