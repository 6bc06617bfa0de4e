/**
 * 5.3.5 簡潔な発信 — platform length limits (error when over the hard limit; X counts with
 * twitter-text's weights, CJK = 2, URL = 23), plus very long sentences and many hashtags (info).
 */
import twitter from "twitter-text";
import type { CheckContext } from "../context.ts";
import type { LengthInfo } from "../types.ts";

const CLAUSE = "5.3.5";
const segmenter = new Intl.Segmenter("ja", { granularity: "grapheme" });
/** twitter-text v3 ranges that weigh 1 (everything else weighs 2). */
const LIGHT: readonly [number, number][] = [
  [0, 4351],
  [8192, 8205],
  [8208, 8223],
  [8242, 8247],
];
const URL_WEIGHT = 23;
/**
 * What twitter-text counts differently from one weight per code point: emoji (astral characters,
 * joiners, variation selectors, keycaps). It also counts the NFC form; see `plainForX`.
 */
function hasEmojiParts(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0xd800 && c <= 0xdfff) || c === 0x200d || c === 0xfe0e || c === 0xfe0f || c === 0x20e3)
      return true;
  }
  return false;
}

/**
 * True when twitter-text's weighted length is one weight per code point (the usual post). A text
 * that NFKC leaves unchanged is also in NFC.
 */
function plainForX(ctx: CheckContext): boolean {
  const text = ctx.original;
  return !hasEmojiParts(text) && (ctx.text === text || text.normalize("NFC") === text);
}

function weight(cp: number): number {
  if (cp <= 4351) return 1; // LIGHT[0], the usual case
  for (const [a, b] of LIGHT) if (cp >= a && cp <= b) return 1;
  return 2;
}

/** URLs (original offsets) that the platform itself would recognise, i.e. typed in ASCII. */
function asciiUrls(ctx: CheckContext): [number, number][] {
  return ctx.links
    .filter((l) => ctx.original.slice(l.start, l.end) === l.url)
    .map((l): [number, number] => [l.start, l.end]);
}

/** Used length and the original offset where the text first goes over `limit`. */
function measure(
  ctx: CheckContext,
  counter: LengthInfo["unit"],
  limit: number,
): { used: number; over: number } {
  const text = ctx.original;
  const urls = counter === "x-weighted" || counter === "mastodon" ? asciiUrls(ctx) : [];
  let used = 0;
  let over = -1;
  if (counter === "graphemes") {
    for (const g of segmenter.segment(text)) {
      used++;
      if (used > limit && over < 0) over = g.index;
    }
    return { used, over };
  }
  let u = 0;
  const weighted = counter === "x-weighted";
  for (let i = 0; i < text.length; ) {
    const url = urls[u];
    if (url && i === url[0]) {
      used += URL_WEIGHT;
      if (used > limit && over < 0) over = i;
      i = url[1];
      u++;
      continue;
    }
    const cp = text.codePointAt(i) ?? 0;
    used += weighted ? weight(cp) : 1;
    if (used > limit && over < 0) over = i;
    i += cp > 0xffff ? 2 : 1;
  }
  if (counter === "x-weighted" && !plainForX(ctx)) {
    // twitter-text is the authority for X (emoji sequences, NFC); URLs are cut out first because
    // its URL patterns are slow on long CJK text, and added back at 23 each. Without emoji
    // sequences and combining marks its count is the one above, so it is only asked then.
    let stripped = "";
    let from = 0;
    for (const [s, e] of urls) {
      stripped += text.slice(from, s);
      from = e;
    }
    stripped += text.slice(from);
    used = twitter.parseTweet(stripped).weightedLength + URL_WEIGHT * urls.length;
    if (used <= limit) over = -1;
  }
  return { used, over };
}

/** 5.3.5: the platform limit for the kind of text, hashtags and long sentences; sets `ctx.length`. */
export function checkLength(ctx: CheckContext): void {
  const platform = ctx.input.platform;
  const limits = ctx.compiled.pack.platforms[platform];
  const rule = ctx.input.kind === "bio" ? limits?.bio : limits?.post;
  if (rule) {
    const { used, over } = measure(ctx, rule.counter, rule.limit);
    ctx.length = { platform, unit: rule.counter, used, limit: rule.limit };
    if (used > rule.limit) {
      const start = Math.max(over, 0);
      ctx.reportOriginal(
        "length.platform-limit",
        CLAUSE,
        "error",
        start,
        ctx.original.length,
        `文字数が上限を超えています（${used}／${rule.limit}${unitLabel(rule.counter)}）`,
        over >= 0
          ? "下線の部分が上限を超えています。要点を絞って短くするか、詳しい内容は市ホームページに掲載してリンクしてください。"
          : "要点を絞って短くしてください。",
      );
    }
    checkHashtags(ctx, rule.hashtagLimit);
  } else {
    checkHashtags(ctx, undefined);
  }
  checkSentences(ctx);
}

function unitLabel(unit: LengthInfo["unit"]): string {
  switch (unit) {
    case "x-weighted":
      return "、全角文字は2、URLは23として計算";
    case "mastodon":
      return "文字、URLは23文字として計算";
    default:
      return "文字";
  }
}

const HASHTAG = /(?<![\p{L}\p{N}_&/])#[\p{L}\p{N}_\p{M}]+/gu;

function checkHashtags(ctx: CheckContext, hardLimit: number | undefined): void {
  if (!ctx.text.includes("#")) return;
  const tags: [number, number][] = [];
  HASHTAG.lastIndex = 0;
  for (let m = HASHTAG.exec(ctx.text); m; m = HASHTAG.exec(ctx.text))
    tags.push([m.index, m.index + m[0].length]);
  const soft = ctx.compiled.pack.thresholds.hashtags;
  const lastTag = tags[tags.length - 1];
  if (!lastTag) return;
  if (hardLimit !== undefined && tags.length > hardLimit) {
    const first = tags[hardLimit];
    if (first) {
      ctx.report(
        "length.hashtag-limit",
        CLAUSE,
        "error",
        first[0],
        lastTag[1],
        `ハッシュタグが上限（${hardLimit}個）を超えています（${tags.length}個）`,
        "ハッシュタグを減らしてください。",
      );
    }
    return;
  }
  const firstExtra = tags[soft];
  if (firstExtra) {
    ctx.report(
      "length.many-hashtags",
      CLAUSE,
      "info",
      firstExtra[0],
      lastTag[1],
      `ハッシュタグが多めです（${tags.length}個）`,
      `ハッシュタグは${soft}個程度までにすると読みやすくなります。`,
    );
  }
}

function checkSentences(ctx: CheckContext): void {
  const limit = ctx.compiled.pack.thresholds.sentenceLength;
  for (const s of ctx.sentences) {
    if (s.end - s.start <= limit) continue;
    const body = ctx.text.slice(s.start, s.end);
    const withoutUrls = body.replace(/https?:\/\/\S+/g, "");
    if (withoutUrls.trim().length <= limit) continue;
    ctx.report(
      "length.long-sentence",
      CLAUSE,
      "info",
      s.start,
      s.end,
      `一文が長くなっています（${withoutUrls.trim().length}文字）`,
      `一文は${limit}文字程度までを目安に、句点で区切って簡潔にしてください。`,
    );
  }
}
