/**
 * 5.2.2.1 職務上知り得た秘密 — confidentiality markers (秘, ㊙, 部外秘, 取扱注意, 内部資料,
 * 関係者限り …) and "between us" phrases; 5.2.2.2 公表前の情報 — 未公表, 公表前, 内示, 検討中の…,
 * bracketed （案）/【案】 (never 案内, 提案, 法案), internal discussion, and the post's embargo time.
 */
import { formatDateTime } from "../../domain/dates.ts";
import type { CheckContext } from "../context.ts";

const BRACKETED = /[([【〔〈<《「『]\s*([^()[\]【】〔〕〈〉<>《》「」『』\s]{1,8})\s*[)\]】〕〉>》」』]/gu;

/** 5.2.2.1: confidentiality markers and ㊙. */
export function checkConfidential(ctx: CheckContext): void {
  const text = ctx.text;
  const c = ctx.compiled;
  const reported: [number, number][] = [];
  const report = (start: number, end: number, marker: string): void => {
    if (reported.some(([s, e]) => start < e && end > s)) return;
    reported.push([start, end]);
    ctx.report(
      "secret.confidential-marker",
      "5.2.2.1",
      "error",
      start,
      end,
      `秘密区分を示す表示「${marker}」があります。職務上知り得た秘密は発信できません`,
      "内部向けの資料や情報は投稿しないでください。公開してよい内容だけを、公開用の文章として書き直してください。",
    );
  };
  BRACKETED.lastIndex = 0;
  for (let m = BRACKETED.exec(text); m; m = BRACKETED.exec(text)) {
    const inner = m[1] ?? "";
    if (c.confidentialBracketed.has(inner))
      report(m.index, m.index + m[0].length, ctx.quote(m.index, m.index + m[0].length));
  }
  // ㊙ becomes 秘 under NFKC; look for it in the original text.
  for (let i = ctx.original.indexOf("㊙"); i >= 0; i = ctx.original.indexOf("㊙", i + 1)) {
    if (!reported.some(([s, e]) => i >= s && i < e)) {
      ctx.reportOriginal(
        "secret.confidential-marker",
        "5.2.2.1",
        "error",
        i,
        i + 1,
        "秘密区分を示す表示「㊙」があります。職務上知り得た秘密は発信できません",
        "内部向けの資料や情報は投稿しないでください。公開してよい内容だけを、公開用の文章として書き直してください。",
      );
    }
  }
  for (const h of ctx.distinctHits("confidential")) {
    const bracketed = /[([【〔〈<《「『]$/u.test(text.slice(0, h.start));
    if (!bracketed && c.confidentialNotBefore.some((w) => text.startsWith(w, h.end))) continue;
    report(h.start, h.end, ctx.quote(h.start, h.end));
  }
  for (const h of ctx.distinctHits("secretSharing")) {
    ctx.report(
      "secret.off-the-record",
      "5.2.2.1",
      "warning",
      h.start,
      h.end,
      `「${ctx.quote(h.start, h.end)}」という表現は、職務上知り得た情報を漏らしていると受け取られます`,
      "公表されている情報だけを書き、「ここだけの話」のような前置きは使わないでください。",
    );
  }
}

/** 5.2.2.2: information whose publication has not been decided, and the embargo time. */
export function checkUnpublished(ctx: CheckContext, now: Date): void {
  const text = ctx.text;
  const c = ctx.compiled;
  const draftBit = ctx.contextBit("publicDraft");
  const hint =
    "公表が決定していない施策や検討中の内容は発信できません。公表後に、公表された内容だけを発信してください。";
  const weather = ctx.contextBit("weather");
  for (const h of ctx.distinctHits("unpublished")) {
    // 大雨警報の発表前でも避難を: a forecast, not a policy.
    if (ctx.sentenceHasContext(h.start, weather)) continue;
    ctx.report(
      "unpublished.marker",
      "5.2.2.2",
      "error",
      h.start,
      h.end,
      `「${ctx.quote(h.start, h.end)}」とあり、公表が決定していない情報が含まれています`,
      hint,
    );
  }
  BRACKETED.lastIndex = 0;
  for (let m = BRACKETED.exec(text); m; m = BRACKETED.exec(text)) {
    const inner = m[1] ?? "";
    if (!c.unpublishedBracketed.has(inner)) continue;
    if (ctx.sentenceHasContext(m.index, draftBit)) continue; // パブリックコメント等で公表済みの案
    ctx.report(
      "unpublished.draft",
      "5.2.2.2",
      "error",
      m.index,
      m.index + m[0].length,
      `「${ctx.quote(m.index, m.index + m[0].length)}」と表示された、公表前の案が含まれています`,
      "案の段階の内容は発信できません。パブリックコメント等で公表済みの案であれば、その旨（意見募集中など）を明記してください。",
    );
  }
  for (const h of ctx.hits("pendingPrefix")) {
    const noun = c.pendingNouns.find((n) => text.startsWith(n, h.end));
    if (!noun || ctx.sentenceHasContext(h.start, draftBit)) continue;
    ctx.report(
      "unpublished.pending",
      "5.2.2.2",
      "error",
      h.start,
      h.end + noun.length,
      `「${ctx.quote(h.start, h.end + noun.length)}」は公表が決定していない情報です`,
      hint,
    );
  }
  for (const h of ctx.distinctHits("internalDiscussion")) {
    ctx.report(
      "unpublished.internal",
      "5.2.2.2",
      "error",
      h.start,
      h.end,
      `「${ctx.quote(h.start, h.end)}」という内部の検討状況が含まれています`,
      hint,
    );
  }
  const until = ctx.input.embargoUntil;
  if (until) {
    const at = new Date(until);
    if (!Number.isNaN(at.getTime()) && now.getTime() < at.getTime()) {
      const shown = formatDateTime(at);
      ctx.reportOriginal(
        "unpublished.embargo",
        "5.2.2.2",
        "error",
        0,
        ctx.original.length,
        `この投稿は${shown}まで公表できません`,
        `公表日時（${shown}）を過ぎてから投稿してください。予約投稿にする場合は、この日時以降に設定してください。`,
      );
    }
  }
}
