/**
 * 5.2.2.1 個人情報 — private persons: names with honorifics (found by morphological analysis: a 人名 token
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

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x3000;
}

/** Hiragana before くん/ちゃん that are not given names (おばあちゃん, わんちゃん, ねこちゃん …). */
const KANA_NOT_NAMES = new Set([
  "おばあ",
  "おじい",
  "おにい",
  "おねえ",
  "おかあ",
  "おとう",
  "ばあ",
  "じい",
  "ねえ",
  "にい",
  "かあ",
  "とう",
  "あか",
  "わん",
  "にゃん",
  "ねこ",
  "うさ",
  "みな",
  "みんな",
  "おひめ",
  "おうじ",
  "おこさ",
  "おぼっ",
  "おじょう",
]);

/** Names of private persons followed by an honorific. Fills `ctx.personSpans`. */
export function checkPersonNames(ctx: CheckContext): void {
  const c = ctx.compiled;
  const text = ctx.text;
  let lastPublic: Span | null = null;
  for (const h of ctx.hits("honorific")) {
    if (h.start === 0) continue;
    // 中村 陽菜 さん: one space between the name and the honorific.
    const spaced = isSpace(text.charCodeAt(h.start - 1)) && isLetter(text.charCodeAt(h.start - 2));
    const nameEnd = spaced ? h.start - 1 : h.start;
    const prev = text.charCodeAt(nameEnd - 1);
    if (nameEnd === 0 || !isLetter(prev)) continue;
    const notAfter = NOT_AFTER[h.term];
    if (notAfter?.includes(text.charAt(h.end))) continue;
    const notBefore = NOT_BEFORE[h.term];
    if (notBefore?.includes(text.charAt(nameEnd - 1))) continue;
    if (cheapNotName(ctx, nameEnd)) continue;

    const tokens = ctx.tokensAround(h.start, h.end);
    const idx = tokens.findIndex((t) => t.start === h.start && t.end === h.end);
    const hon = tokens[idx];
    const kana = isHiragana(prev) ? kanaName(ctx, h, nameEnd, tokens) : null;
    if (kana) {
      report(ctx, kana.start, h.end, false);
      continue;
    }
    if (hon?.pos !== "名詞" || hon.pos1 !== "接尾") continue;
    const chain: Token[] = [];
    let spaces = 0;
    for (let j = idx - 1; j >= 0 && chain.length < 4; j--) {
      const t = tokens[j];
      if (t && /^\s+$/u.test(t.surface) && spaces < 2 && chain.length + spaces < 4) {
        spaces++;
        continue;
      }
      if (!t || !nameish(t)) break;
      chain.unshift(t);
    }
    const last = chain[chain.length - 1];
    if (!last || last.end !== nameEnd) continue;
    if (c.officialTitles.has(last.surface) || c.notNames.has(last.surface)) continue;
    if (c.facilitySuffixes.some((s) => last.surface.endsWith(s))) continue;
    // 渡部さん, 阿部さん, 服部さん: surnames that end like a department (部); the dictionary knows them.
    const surname = last.pos2 === "人名" && last.surface.length >= 2 && last.surface.endsWith("部");
    if (!surname && c.pack.people.notNameSuffixes.some((s) => last.surface.endsWith(s))) continue;
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
    if (titleBefore(ctx, nameStart)) continue;

    if (publicRoleBefore(ctx, nameStart, lastPublic)) {
      lastPublic = { start: nameStart, end: h.end };
      report(ctx, nameStart, h.end, true);
      continue;
    }
    report(ctx, nameStart, h.end, false);
  }
}

function report(ctx: CheckContext, start: number, end: number, publicRole: boolean): void {
  ctx.personSpans.push({ start, end });
  const written = ctx.quote(start, end);
  if (publicRole) {
    ctx.report(
      "pii.person-name-public-role",
      CLAUSE,
      "info",
      start,
      end,
      `「${written}」は講師・出演者など公的な立場の方のお名前と思われます`,
      "ご本人から掲載の了承を得ていることを確認してください。",
    );
    return;
  }
  ctx.report(
    "pii.person-name",
    CLAUSE,
    "error",
    start,
    end,
    `個人の氏名（${written}）が含まれています`,
    "本人の同意がない限り氏名は掲載せず、「受賞者の方」「市民の方」など個人を特定しない表現にしてください。",
  );
}

/**
 * A given name in hiragana before くん/ちゃん (佐藤ゆいちゃん（8）, 高橋そうたくん, ゆうくん（5さい）):
 * taken as a name when a surname comes right before it, or an age or a school year goes with it.
 */
function kanaName(ctx: CheckContext, h: Hit, nameEnd: number, tokens: readonly Token[]): Span | null {
  if (h.term !== "くん" && h.term !== "ちゃん") return null;
  const text = ctx.text;
  let start = nameEnd;
  while (start > 0 && nameEnd - start < 5 && isHiragana(text.charCodeAt(start - 1))) start--;
  const kana = text.slice(start, nameEnd);
  if (kana.length < 2 || kana.length > 4 || KANA_NOT_NAMES.has(kana)) return null;
  if (start > 0 && isHiragana(text.charCodeAt(start - 1))) return null;
  const surname = tokens.find((t) => t.end === start && t.pos2 === "人名" && t.pos3 === "姓");
  const from = surname ? surname.start : start;
  const aged = AGE_AFTER_NAME.test(text.slice(h.end, h.end + 10));
  const grade = /\d年生?の?$|年長|年中|年少/u.test(text.slice(Math.max(0, from - 8), from));
  if (!surname && !aged && !grade) return null;
  if (surname && titleBefore(ctx, surname.start)) return null;
  return { start: from, end: h.end };
}

const AGE_PAREN = /\(\s*\d{1,3}\s*(?:歳|才|さい)?\s*\)/;

/** True when a staff member is named as the contact (担当：広報広聴課 佐藤, 問い合わせ：市民課 鈴木). */
function staffContactBefore(ctx: CheckContext, nameStart: number): boolean {
  const s = ctx.sentenceAt(nameStart);
  const before = ctx.text.slice(Math.max(s.start, nameStart - 24), nameStart);
  const trimmed = before.replace(/[\s:・、]+$/u, "");
  const c = ctx.compiled;
  if (c.staffContacts.some((w) => trimmed.endsWith(w))) return true;
  return /(?:担当(?:者)?|問い?合わ?せ先?|文責|連絡先)\s*(?::|は)/u.test(before);
}

/** One-character kanji token that may be part of a given name (陽 + 菜). */
function kanjiPiece(t: Token | undefined): t is Token {
  return !!t && t.pos === "名詞" && t.pos1 !== "接尾" && t.pos1 !== "数" && /^[\p{sc=Han}]$/u.test(t.surface);
}

/**
 * A private person named without an honorific, with what identifies them: 会社員の木村正人（45）,
 * 斉藤和夫容疑者（68）, 内郷の森田という人, 佐久間 美咲（平第一高校2年）. Runs only on sentences
 * that have such a detail. A surname alone (担当：広報広聴課 佐藤), a name after an official title
 * (市長の内田広之) or a public role (講師：…) is not reported. Fills `ctx.personSpans`.
 */
export function checkBareNames(ctx: CheckContext): void {
  const c = ctx.compiled;
  const text = ctx.text;
  const details = ctx.hits("personDetail");
  const seen = new Set<Token[]>();
  const anchors: Hit[] = [...details];
  if (text.includes("(")) {
    const ages = new RegExp(AGE_PAREN.source, "g");
    for (let m = ages.exec(text); m; m = ages.exec(text))
      anchors.push({ start: m.index, end: m.index + m[0].length, term: m[0] });
  }
  for (const a of anchors) {
    const tokens = ctx.tokensAround(a.start, a.end);
    if (seen.has(tokens)) continue;
    seen.add(tokens);
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      if (!t) continue;
      let j = i + 1;
      if (tokens[j] && /^\s$/u.test(tokens[j]?.surface ?? "")) j++;
      const u = tokens[j];
      // The analyser sometimes reads a surname as a place (佐久間 美咲, 常磐の山口という男性): a
      // given name after it, or という人 / という男性, decides.
      const named = t.pos1 === "固有名詞" && c.nameReferences.some((w) => text.startsWith(w, t.end));
      const surname =
        t.pos2 === "人名" ? t.pos3 === "姓" : t.pos2 === "地域" && (u?.pos2 === "人名" || named);
      if (!surname) continue;
      if (ctx.personSpans.some((p) => t.start < p.end && t.end > p.start)) continue;
      let end = t.end;
      let full = false;
      if (u && u.pos2 === "人名") {
        end = u.end;
        full = true;
      } else if (kanjiPiece(u)) {
        // 陽 + 菜: one or two single kanji that end the word.
        let k = j;
        while (k < j + 2 && kanjiPiece(tokens[k])) k++;
        const next = text.charCodeAt(tokens[k - 1]?.end ?? 0);
        if (!isKanji(next) && !isKatakana(next)) {
          end = tokens[k - 1]?.end ?? end;
          full = true;
        }
      }
      const rest = text.slice(end).replace(/^\s/u, "");
      const suspect = c.suspectSuffixes.find((w) => rest.startsWith(w));
      const reference = full ? undefined : c.nameReferences.find((w) => text.startsWith(w, t.end));
      if (!suspect && !reference && !full) continue;
      const s = ctx.sentenceAt(t.start);
      const detailed =
        AGE_PAREN.test(rest.slice(0, 12)) ||
        details.some((d) => d.start >= s.start && d.end <= s.end && (d.end <= t.start || d.start >= end));
      if (!suspect && !reference && !detailed) continue;
      if (
        titleBefore(ctx, t.start) ||
        publicRoleBefore(ctx, t.start, null) ||
        staffContactBefore(ctx, t.start)
      )
        continue;
      const name = text.slice(t.start, end);
      if (c.characterNames.some((n) => n.includes(name) || name.includes(n))) continue;
      const spanEnd = suspect ? end + (text.slice(end).length - rest.length) + suspect.length : end;
      ctx.personSpans.push({ start: t.start, end: spanEnd });
      const written = ctx.quote(t.start, spanEnd);
      ctx.report(
        "pii.person-name",
        CLAUSE,
        "error",
        t.start,
        spanEnd,
        suspect
          ? `事件の当事者として個人の氏名（${written}）が書かれています`
          : reference
            ? `個人を名前で特定しています（${written}${reference}）`
            : `個人の氏名（${written}）が、年齢・学校・職業などと一緒に書かれています`,
        "報道や通報の内容を紹介する場合も、個人の氏名は掲載しないでください。「市内の男性」など個人を特定しない表現にしてください。",
      );
    }
  }
}

/** 皆さん, お客様, 農家さん …: decided without the analyser. */
function cheapNotName(ctx: CheckContext, nameEnd: number): boolean {
  const before = ctx.text.slice(Math.max(0, nameEnd - 5), nameEnd);
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
const AGE_AFTER_NAME = /^\(\s*(\d{1,3})\s*(?:歳|才|さい)?\s*\)/;

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
