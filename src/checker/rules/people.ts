/**
 * 5.2.2.1 個人情報 — private persons: names with honorifics (found with kuromoji: a 人名 token
 * before さん/様/氏/くん/ちゃん/殿), ages and dates of birth tied to a person, and street
 * addresses tied to a person (not a public facility's address).
 */
import type { CheckContext, Hit } from "../context.ts";
import type { Token } from "../morph/types.ts";
import { isAsciiAlnum, isHiragana, isKanji, isKatakana } from "../text/chars.ts";
import type { Span } from "../text/sentences.ts";

const CLAUSE = "5.2.2.1";

/** Characters after 様/氏/殿 that make it part of an ordinary word (様々, 様子, 氏名, 殿堂 …). */
const NOT_AFTER: Record<string, string> = { 様: "々子式相態", 氏: "名子族神", 殿: "堂下様", 君: "主臨" };
/** Characters before 様/氏/殿/君 that make an ordinary word (同様, 多様, 彼氏, 宮殿, 諸君 …). */
const NOT_BEFORE: Record<string, string> = {
  様: "同多異模仕皆王神仏各文",
  氏: "同両諸某彼各",
  殿: "宮神御湯",
  君: "諸貴主暴",
};

function isLetter(c: number): boolean {
  return isKanji(c) || isKatakana(c) || isHiragana(c) || isAsciiAlnum(c);
}

/** True for a token that can be part of a personal name chain before an honorific. */
function nameish(t: Token): boolean {
  if (t.pos === "接頭詞") return /^[\p{sc=Han}]+$/u.test(t.surface);
  if (t.pos !== "名詞") return false;
  if (t.pos1 === "数" || t.pos1 === "代名詞" || t.pos1 === "非自立" || t.pos1 === "副詞可能") return false;
  if (t.pos1 === "接尾" && t.pos2 !== "人名") return false;
  return /^[\p{sc=Han}\p{sc=Katakana}ーA-Za-z]+$/u.test(t.surface);
}

function isPersonalName(t: Token): boolean {
  if (t.pos2 === "人名") return true;
  // Names the dictionary does not know: katakana or latin words (ミシェル, Tom), not single letters (Aさん).
  if (!t.known && /^[\p{sc=Katakana}ー]{2,}$|^[A-Za-z]{2,}$/u.test(t.surface)) return true;
  return t.pos1 === "固有名詞" && t.pos2 === "一般" && /^[A-Za-z]{2,}$/.test(t.surface);
}

/** Names of private persons followed by an honorific. Fills `ctx.personSpans`. */
export function checkPersonNames(ctx: CheckContext): void {
  const c = ctx.compiled;
  const text = ctx.text;
  let lastPublic: Span | null = null;
  for (const h of ctx.hits("honorific")) {
    const prev = text.charCodeAt(h.start - 1);
    if (h.start === 0 || !isLetter(prev)) continue;
    const notAfter = NOT_AFTER[h.term];
    if (notAfter?.includes(text.charAt(h.end))) continue;
    const notBefore = NOT_BEFORE[h.term];
    if (notBefore?.includes(text.charAt(h.start - 1))) continue;
    if (cheapNotName(ctx, h)) continue;

    const tokens = ctx.tokensAround(h.start, h.end);
    const idx = tokens.findIndex((t) => t.start === h.start && t.end === h.end);
    const hon = tokens[idx];
    if (hon?.pos !== "名詞" || hon.pos1 !== "接尾") continue;
    const chain: Token[] = [];
    for (let j = idx - 1; j >= 0 && chain.length < 4; j--) {
      const t = tokens[j];
      if (!t || !nameish(t)) break;
      chain.unshift(t);
    }
    const last = chain[chain.length - 1];
    if (!last || last.end !== h.start) continue;
    if (c.officialTitles.has(last.surface) || c.notNames.has(last.surface)) continue;
    if (c.facilitySuffixes.some((s) => last.surface.endsWith(s))) continue;
    if (c.pack.people.notNameSuffixes.some((s) => last.surface.endsWith(s))) continue;
    let first = chain.findIndex(isPersonalName);
    if (first < 0) continue;
    // Take in short kanji tokens glued before the first name token (陽 + 翔 → 陽翔).
    while (first > 0) {
      const t = chain[first - 1];
      if (
        !t ||
        t.surface.length > 2 ||
        !/^[\p{sc=Han}]+$/u.test(t.surface) ||
        c.officialTitles.has(t.surface)
      )
        break;
      first--;
    }
    const nameStart = chain[first]?.start ?? last.start;
    if (chain.slice(first).some((t) => c.officialTitles.has(t.surface))) continue;
    const name = text.slice(nameStart, h.end);
    if (c.characterNames.some((n) => n.includes(name) || name.includes(n))) continue;
    const written = ctx.quote(nameStart, h.end);
    if (titleBefore(ctx, nameStart)) continue;

    const span: Span = { start: nameStart, end: h.end };
    ctx.personSpans.push(span);
    if (publicRoleBefore(ctx, nameStart, lastPublic)) {
      lastPublic = span;
      ctx.report(
        "pii.person-name-public-role",
        CLAUSE,
        "info",
        nameStart,
        h.end,
        `「${written}」は講師・出演者など公的な立場の方のお名前と思われます`,
        "ご本人から掲載の了承を得ていることを確認してください。",
      );
      continue;
    }
    ctx.report(
      "pii.person-name",
      CLAUSE,
      "error",
      nameStart,
      h.end,
      `個人の氏名（${written}）が含まれています`,
      "本人の同意がない限り氏名は掲載せず、「受賞者の方」「市民の方」など個人を特定しない表現にしてください。",
    );
  }
}

/** 皆さん, お客様, 農家さん …: decided without the analyser. */
function cheapNotName(ctx: CheckContext, h: Hit): boolean {
  const before = ctx.text.slice(Math.max(0, h.start - 5), h.start);
  for (const n of ctx.compiled.notNames) {
    if ((n.length >= 2 || n === "皆") && before.endsWith(n)) return true;
  }
  return false;
}

/** 市長の内田…, 議員・山田…: an official named with the title right before the name. */
function titleBefore(ctx: CheckContext, nameStart: number): boolean {
  const before = ctx.text.slice(Math.max(0, nameStart - 8), nameStart).replace(/[のは・:\s、]+$/u, "");
  for (const t of ctx.compiled.officialTitles) if (before.endsWith(t)) return true;
  return false;
}

/**
 * 講師の山田さん, 写真提供：佐藤さん, 出演：山田さん、佐藤さん: the name comes right after a public
 * role (or right after another name in the same list that does).
 */
function publicRoleBefore(ctx: CheckContext, nameStart: number, previousPublic: Span | null): boolean {
  const text = ctx.text;
  if (previousPublic && /^[、,・と\s]*$/u.test(text.slice(previousPublic.end, nameStart))) return true;
  const before = text.slice(Math.max(0, nameStart - 12), nameStart).replace(/[のは:・\s]+$/u, "");
  return ctx.hits("publicRole").some((r) => r.end <= nameStart && before.endsWith(r.term));
}

function personTieInSentence(ctx: CheckContext, pos: number): "strong" | "weak" | null {
  if (ctx.sentenceHasPerson(pos)) return "strong";
  const s = ctx.sentenceAt(pos);
  if (ctx.hitsIn("personTie", s.start, s.end).length > 0) return "strong";
  if (ctx.hitsIn("weakPersonTie", s.start, s.end).length > 0) return "weak";
  return null;
}

const AGE = /(\d{1,3})歳/g;
const AGE_AFTER_NAME = /^\(\s*(\d{1,3})\s*(?:歳)?\s*\)/;

/** Ages of a named person (佐藤さん(45), 45歳の山田さん) and of an identifiable one (80歳の女性). */
export function checkAges(ctx: CheckContext): void {
  const text = ctx.text;
  for (const p of ctx.personSpans) {
    const m = AGE_AFTER_NAME.exec(text.slice(p.end, p.end + 10));
    if (m) {
      ctx.report(
        "pii.age",
        CLAUSE,
        "error",
        p.end,
        p.end + m[0].length,
        "個人の年齢が氏名と一緒に書かれています",
        AGE_HINT,
      );
    }
  }
  if (!text.includes("歳")) return;
  AGE.lastIndex = 0;
  for (let m = AGE.exec(text); m; m = AGE.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    const after = text.slice(end, end + 4);
    if (ctx.compiled.genericAgeFollowers.some((f) => after.startsWith(f))) continue;
    if (/[満約概]$|おおむね$|対象$/.test(text.slice(Math.max(0, start - 4), start))) continue;
    const tie = personTieInSentence(ctx, start);
    if (tie === "strong") {
      ctx.report("pii.age", CLAUSE, "error", start, end, "個人の年齢が含まれています", AGE_HINT);
    } else if (tie === "weak" && /^の?(?:男性|女性|男児|女児|男の子|女の子|方)/.test(after)) {
      ctx.report(
        "pii.age",
        CLAUSE,
        "warning",
        start,
        end,
        "個人を特定できるおそれのある年齢の記載があります",
        AGE_HINT,
      );
    }
  }
}
const AGE_HINT =
  "年齢は個人を特定する手がかりになります。必要がなければ削除し、「60代の方」など幅を持たせた表現にしてください。";

const BIRTH =
  /(?:(?:令和|平成|昭和|大正)(?:\d{1,2}|元)年|\d{4}年)\s*\d{1,2}月\s*\d{1,2}日\s*(?:生まれ|生|誕生)|生年月日\s*[:は]?\s*(?:(?:令和|平成|昭和|大正)(?:\d{1,2}|元)年|\d{4}年)?\s*\d{1,2}月\s*\d{1,2}日|(?<![A-Za-z])[SHRT]\s?\d{1,2}\.\d{1,2}\.\d{1,2}\s*生/gi;

/** Dates of birth (昭和55年3月2日生まれ, 生年月日:…), not age brackets (…以降生まれの方). */
export function checkBirthDates(ctx: CheckContext): void {
  const text = ctx.text;
  if (!text.includes("生") && !text.includes("誕")) return;
  BIRTH.lastIndex = 0;
  for (let m = BIRTH.exec(text); m; m = BIRTH.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    const before = text.slice(Math.max(0, start - 6), start);
    const after = text.slice(end, end + 6);
    const generic = ctx.compiled.genericBirthContexts;
    if (generic.some((g) => before.includes(g) || after.startsWith(g))) continue;
    const strong = personTieInSentence(ctx, start) === "strong";
    ctx.report(
      "pii.birth-date",
      CLAUSE,
      strong ? "error" : "warning",
      start,
      end,
      strong ? "個人の生年月日が含まれています" : "生年月日と思われる記載があります",
      "生年月日は個人情報です。削除してください。対象者を示す場合は「昭和55年4月1日以前生まれの方」のように範囲で書いてください。",
    );
  }
}

const ADDRESS =
  /\d{1,4}(?:丁目\s?\d{1,4}\s?(?:番地?|-)\s?\d{1,4}(?:号|-\d{1,4})?|丁目\s?\d{1,4}\s?番地?|番地(?:の?\d{1,4})?(?:-\d{1,4})?|番\s?\d{1,4}\s?号|-\d{1,4}(?:-\d{1,4})?)/g;
const PLACE_MARK = /[町字村]|丁目/;

/** Street addresses (番地/番/号, 1-2-3 after a 町/字 name) of a person, not of a public facility. */
export function checkAddresses(ctx: CheckContext): void {
  const text = ctx.text;
  ADDRESS.lastIndex = 0;
  for (let m = ADDRESS.exec(text); m; m = ADDRESS.exec(text)) {
    const numStart = m.index;
    const end = numStart + m[0].length;
    if (/\d/.test(text.charAt(end)) || ctx.inUrl(numStart, end)) continue;
    const placeStart = placeNameStart(text, numStart);
    if (placeStart === numStart) continue;
    const place = text.slice(placeStart, numStart);
    if (m[0].includes("-") && !m[0].includes("丁目") && !m[0].includes("番") && !PLACE_MARK.test(place))
      continue;
    if (facilityBefore(ctx, placeStart)) continue;
    const tie = personTieInSentence(ctx, numStart);
    if (!tie) continue;
    let start = placeStart;
    const postal = /〒?\s?\d{3}-\d{4}\s*$/.exec(text.slice(Math.max(0, start - 12), start));
    if (postal) start -= postal[0].length;
    ctx.report(
      "pii.address",
      CLAUSE,
      tie === "strong" ? "error" : "warning",
      start,
      end,
      postal ? "個人の住所（郵便番号・番地まで）が含まれています" : "個人の住所（番地まで）が含まれています",
      "個人の住所は掲載しないでください。場所を示す必要がある場合は「平地区」など町名までにとどめてください。",
    );
  }
}

/** Start of the place name written right before an address number (いわき市平字大町 …). */
function placeNameStart(text: string, numStart: number): number {
  let i = numStart;
  const min = Math.max(0, numStart - 24);
  while (i > min) {
    const c = text.charCodeAt(i - 1);
    if (isKanji(c) || isKatakana(c) || c === 0x30f6 || c === 0x30b1 || c === 0x30ce) {
      i--;
      continue;
    }
    if (isHiragana(c)) {
      // Take a hiragana run only when it is part of a place name (いわき市, ひたちなか市).
      let j = i - 1;
      while (j > min && isHiragana(text.charCodeAt(j - 1))) j--;
      if (/^[市町村区郡]/.test(text.slice(i))) {
        i = j;
        continue;
      }
    }
    break;
  }
  return i;
}

/** True when a public facility (listed, or named by a facility suffix) is written just before. */
function facilityBefore(ctx: CheckContext, placeStart: number): boolean {
  const s = ctx.sentenceAt(placeStart);
  const from = Math.max(s.start, placeStart - 30);
  if (ctx.hits("facility").some((f) => f.start >= from && f.end <= placeStart)) return true;
  const before = ctx.text
    .slice(from, placeStart)
    .replace(/[\s(:\-、〒\d]+$/u, "")
    .replace(/(?:所在地|住所|場所)$/u, "")
    .replace(/[\s(:、]+$/u, "");
  return ctx.compiled.facilitySuffixes.some((suffix) => before.endsWith(suffix));
}
