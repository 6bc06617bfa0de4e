/**
 * 5.2.4 市のセキュリティを脅かす情報 — passwords, PINs and door codes with their value (also
 * written apart, in words or as a dial combination), where keys and cash are kept, where the server room is, security-camera blind spots, gaps in guarding.
 * Telling citizens how to reset their own password has no value in it and is not reported.
 */
import type { CheckContext, Hit } from "../context.ts";
import { toOriginalSpan } from "../text/normalize.ts";

const CLAUSE = "5.2.4";
const VALUE = /^[A-Za-z0-9!#$%&*+\-_.@?^~]{3,}/;
/** Digits written apart: 4 8 2 1, 0・5・1・7, 1-9-7-5. */
const SPACED_DIGITS = /^\d(?:[\s・,、.\-ー]{1,2}\d){2,}/;
const NUMBER_WORD =
  "(?:ゼロ|ぜろ|れい|レイ|まる|マル|いち|イチ|に|ニ|さん|サン|よん|ヨン|し|シ|ご|ゴ|ろく|ロク|なな|ナナ|しち|シチ|はち|ハチ|きゅう|キュウ|く|ク|零|〇|一|二|三|四|五|六|七|八|九)";
/** A code read out in words: いち、きゅう、なな、ご / ゼロ・ゴ・イチ・ナナ. */
const NUMBER_WORDS = new RegExp(`^${NUMBER_WORD}(?:[・、,\\s]+${NUMBER_WORD}){2,}(?![ぁ-ゖァ-ヺ一-龯])`);
/** A dial combination: 右に3、左に8、右に1. */
const DIAL = /^(?:(?:右|左)(?:に|へ|回り(?:に)?)?\s?\d{1,2}(?:回)?[、,・\s]*){2,}/;

/** Where a secret's value is, relative to the text right after the secret word. */
interface ValueAt {
  start: number;
  end: number;
}

/**
 * The value written after a password or code word: right after it (パスワードは iwaki2026!,
 * 暗証番号4821, テンキーは「1109」), or further on in the same clause when it is spelled out
 * (番号は4ケタで、いち、きゅう、なな、ご / 右に3、左に8、右に1で開きます).
 */
function findValue(ctx: CheckContext, rest: string): ValueAt | null {
  const lead = /^(?:\s*(?:は|:|=|を|が|、|「|『|"|'|こちら|次の通り|以下の通り))*\s*/.exec(rest);
  const offset = lead ? lead[0].length : 0;
  const tail = rest.slice(offset);
  const bracketed = /[「『"']\s*$/.test(rest.slice(0, offset));
  const spelled = SPACED_DIGITS.exec(tail) ?? NUMBER_WORDS.exec(tail) ?? DIAL.exec(tail);
  const v = spelled ?? VALUE.exec(tail);
  if (v) {
    const value = v[0].replace(/[、,・\s]+$/u, "");
    const plain = !/[0-9]/.test(value) && !(/[A-Za-z]/.test(value) && /[^A-Za-z]/.test(value));
    const after = rest.slice(offset + value.length).replace(/^\s+/, "");
    const stopped = !spelled && ctx.compiled.secretValueStop.some((w) => after.startsWith(w));
    if (!stopped && (spelled || bracketed || !plain || value.length >= 6))
      return { start: offset, end: offset + value.length };
  }
  // Spelled out or quoted later in the clause (not across a sentence end): 全員「iwaki」で統一.
  const clause = tail.split(/[。!?\n]/u)[0] ?? "";
  const quoted = /[「『]\s*([A-Za-z0-9!#$%&*+\-_.@?^~]{3,})\s*[」』]/.exec(clause);
  if (quoted?.[1]) {
    const at = offset + quoted.index + quoted[0].indexOf(quoted[1]);
    return { start: at, end: at + quoted[1].length };
  }
  for (let i = 1; i < clause.length; i++) {
    const prev = clause.charAt(i - 1);
    if (!/[\s、,・:「『(=はがでを]/u.test(prev)) continue;
    const m =
      NUMBER_WORDS.exec(clause.slice(i)) ?? DIAL.exec(clause.slice(i)) ?? SPACED_DIGITS.exec(clause.slice(i));
    if (!m) continue;
    const value = m[0].replace(/[、,・\s]+$/u, "");
    if (
      /^\d/.test(value) &&
      ctx.compiled.secretValueStop.some((w) => clause.slice(i + m[0].length).startsWith(w))
    )
      continue;
    return { start: offset + i, end: offset + i + value.length };
  }
  return null;
}

/** Passwords, PINs and door codes followed by their value (パスワードは iwaki2026!, 暗証番号4821). */
export function checkSecrets(ctx: CheckContext): void {
  const text = ctx.text;
  const help = ctx.contextBit("passwordHelp");
  for (const h of ctx.distinctHits("secretWord")) {
    if ((/^[a-z]/.test(h.term) && !asciiWord(ctx.lower, h)) || ctx.inUrl(h.start, h.end)) continue;
    const s = ctx.sentenceAt(h.start);
    const rest = text.slice(h.end, Math.min(s.end, h.end + 40));
    const at = findValue(ctx, rest);
    if (!at) continue;
    if (at.start > 0 && ctx.sentenceHasContext(h.start, help)) continue;
    const start = h.start;
    const end = h.end + at.end;
    const wifi = ctx.hitsIn("publicWifi", s.start, s.end).length > 0;
    const name = ctx.quote(h.start, h.end).replace(/[はの]$/u, "");
    ctx.report(
      "security.secret-value",
      CLAUSE,
      wifi ? "warning" : "error",
      start,
      end,
      wifi
        ? `${name}の値が書かれています。公開用の無線LANのものか確認が必要です`
        : `${name}の値が書かれています。市のセキュリティを脅かす情報です`,
      wifi
        ? "来館者向けに公開しているパスワードであることを確認してください。職員用のものであれば削除し、直ちに変更してください。"
        : "パスワードや暗証番号は、数字を分けて書いたり読み方で書いたりしても投稿できません。削除したうえで、すでに知られた可能性があるため直ちに変更してください。",
    );
  }
}

const CODE_OPENS = new RegExp(
  `(?:\\d(?:[\\s・,、.\\-]{0,2}\\d){2,}|${NUMBER_WORD}(?:[・、,\\s]+${NUMBER_WORD}){2,})\\s*(?:で|を押すと|を押せば|を入力すると|を入力すれば|と押すと|と入力すると)\\s*(?:解除|解錠|開錠|開き|開く|開け|開い|入れ|入室|入館|ロックが外れ)`,
  "gu",
);

/**
 * A code given by what it opens, without a password word before it: 0・3・1・5で解除できます,
 * 1109を押すと開きます. Times and prices are not codes (10時で開きます has no run of 3 digits).
 */
export function checkCodesThatOpen(ctx: CheckContext): void {
  const text = ctx.text;
  if (!/解除|解錠|開錠|開|入れ|入室|入館|外れ/u.test(text)) return;
  CODE_OPENS.lastIndex = 0;
  for (let m = CODE_OPENS.exec(text); m; m = CODE_OPENS.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    if (ctx.inUrl(start, end)) continue;
    const [os, oe] = toOriginalSpan(ctx.norm, start, end);
    if (ctx.findings.some((f) => f.rule === "security.secret-value" && f.start < oe && f.end > os)) continue;
    ctx.report(
      "security.code-value",
      CLAUSE,
      "error",
      start,
      end,
      "扉や錠を開ける番号が書かれています。市のセキュリティを脅かす情報です",
      "暗証番号や錠の番号は、どのような書き方でも投稿しないでください。削除したうえで、番号を変更してください。",
    );
  }
}

function asciiWord(lower: string, h: Hit): boolean {
  const before = lower.charCodeAt(h.start - 1);
  const after = lower.charCodeAt(h.end);
  const alnum = (x: number): boolean => (x >= 0x30 && x <= 0x39) || (x >= 0x61 && x <= 0x7a);
  return !alnum(before) && !alnum(after);
}

/** Where keys are kept (鍵は…に保管しています), server-room locations, camera blind spots, guarding gaps. */
export function checkPhysicalSecurity(ctx: CheckContext): void {
  let lastKeySentence = -1;
  const help = ctx.contextBit("passwordHelp") | ctx.contextBit("prevention");
  const things = [...ctx.distinctHits("keyWord"), ...ctx.distinctHits("secretWord")].sort(
    (a, b) => a.start - b.start,
  );
  for (const k of things) {
    if (ctx.sentenceHasContext(k.start, help)) continue;
    const si = ctx.sentenceIndex(k.start);
    if (si === lastKeySentence) continue;
    const s = ctx.sentenceAt(k.start);
    const verb = ctx
      .hits("storageVerb")
      .find((v) => v.start >= k.end && v.end <= s.end && v.start - k.end <= 40);
    if (!verb) continue;
    // 保管場所は… names the place itself; otherwise a place must be given with に (…キーボックスに保管).
    const namesPlace = /[:は]$/.test(verb.term) || verb.term.startsWith("に");
    if (!namesPlace && !ctx.text.slice(k.end, verb.start).includes("に")) continue;
    lastKeySentence = si;
    ctx.report(
      "security.key-storage",
      CLAUSE,
      "error",
      k.start,
      verb.end,
      `${ctx.quote(k.start, k.end)}の保管場所が書かれています`,
      "鍵・合鍵、パスワード、現金や金庫の保管場所は投稿しないでください。施設の利用方法は、窓口での受け渡しなど保管場所が分からない書き方にしてください。",
    );
  }
  for (const r of ctx.distinctHits("serverRoom")) {
    const s = ctx.sentenceAt(r.start);
    const detail = ctx
      .hitsIn("serverRoomDetail", s.start, s.end)
      .find((d) => Math.abs(d.start - r.start) <= 20);
    if (!detail) continue;
    ctx.report(
      "security.server-room",
      CLAUSE,
      "error",
      Math.min(r.start, detail.start),
      Math.max(r.end, detail.end),
      "サーバー室などの場所や入り方が書かれています",
      "情報システムの設置場所や入室方法は投稿しないでください。",
    );
  }
  for (const cam of ctx.distinctHits("camera")) {
    const s = ctx.sentenceAt(cam.start);
    const spot = ctx.hitsIn("blindSpot", s.start, s.end)[0];
    if (!spot) continue;
    ctx.report(
      "security.camera-blind-spot",
      CLAUSE,
      "error",
      Math.min(cam.start, spot.start),
      Math.max(cam.end, spot.end),
      "防犯カメラの死角や撮影範囲が書かれています",
      "防犯カメラの死角や設置状況の弱点は投稿しないでください。",
    );
  }
  for (const g of ctx.distinctHits("guardGap")) {
    if (ctx.sentenceHasContext(g.start, ctx.contextBit("prevention"))) continue; // 開けっ放しにご注意ください
    ctx.report(
      "security.guard-gap",
      CLAUSE,
      "warning",
      g.start,
      g.end,
      `「${ctx.quote(g.start, g.end)}」は施設の警備の弱点を知らせる情報です`,
      "警備体制や施錠の状況は投稿しないでください。利用者への案内が必要な場合は、開館時間など一般的な内容にとどめてください。",
    );
  }
}
