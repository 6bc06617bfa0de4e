/**
 * Context-specific words refused in passwords (OWASP ASVS 5.0 6.1.2 documents the list, 6.2.11
 * uses it; NIST SP 800-63B 3.1.1.2 "context-specific words, such as the name of the service, the
 * username"). Pure: the words of the person come from the caller.
 *
 * The list: data/context-words.txt (the city's name in the forms people type, the system's name,
 * the names of the platforms whose accounts it runs), plus, for each check, the configured city
 * name (SNSGOV_CITY_NAME) with and without 市/町/村/区, the person's login IDs (employee number,
 * e-mail address and its local part), name and kana (whole, each part, either order, and the kana
 * in Hepburn and Kunrei romaji with and without long vowels), and the names, kana and codes of
 * their department and division.
 *
 * The rule: both the password and each word are normalised (NFKC, so full-width letters and
 * half-width katakana become ordinary ones; lower case; katakana as hiragana; spaces and the
 * joiners "・-_." removed). The password is refused when it is a word with at most
 * MAX_AFFIX characters before and after it together, all of them digits, symbols or spaces (a
 * year, "1234", "!"). So "Iwaki2026!", "ＩＷＡＫＩ２０２６", "いわき市1234" and "yamada1985" are
 * refused; a password that has any other letter besides the word ("いわきの海で見た夏の花火は忘れない",
 * "iwakiharbor") is accepted. No composition rule follows from this (NIST SP 800-63B): only
 * passwords built on a guessable word are refused.
 *
 * Words too short to carry meaning are not used: fewer than 3 characters of Latin script (2 of
 * kana or kanji, so 林誠 or 総務 count), or fewer than 5 when they have no letter at all (an
 * all-digit employee number).
 */
import { readFileSync } from "node:fs";

/** What a refused word was, named in the message so that the person can choose better. */
export type WordKind = "login" | "email" | "name" | "unit" | "city" | "system" | "platform";

/** Everything known about the person and the installation when a password is set. */
export type PasswordContext = {
  /** A login ID the person signs in with (employee number or e-mail address). */
  login?: string;
  employeeNo?: string;
  email?: string;
  /** 氏名, family and given name separated by a space as stored (「四倉 由美」). */
  name?: string;
  /** The reading of the name (「よつくら ゆみ」 or katakana). */
  kana?: string;
  /** The person's department and division. */
  units?: ReadonlyArray<{ name: string; kana?: string; code?: string }>;
  /** The configured city name (SNSGOV_CITY_NAME). */
  cityName?: string;
};

/** The most digits, symbols and spaces around a word that still count as "a word plus a suffix". */
export const MAX_AFFIX = 10;

const fileKinds = new Set<WordKind>(["city", "system", "platform"]);

let listed: Array<{ kind: WordKind; word: string }> | undefined;

/** The shipped list (data/context-words.txt), normalised. */
export function listedWords(): ReadonlyArray<{ kind: WordKind; word: string }> {
  if (listed) return listed;
  const text = readFileSync(new URL("./data/context-words.txt", import.meta.url), "utf8");
  const words: Array<{ kind: WordKind; word: string }> = [];
  let kind: WordKind | undefined;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const header = /^\[(\w+)\]$/.exec(line)?.[1];
    if (header !== undefined) {
      kind = [...fileKinds].find((k) => k === header);
      continue;
    }
    if (kind) words.push({ kind, word: normaliseForWords(line) });
  }
  listed = words;
  return listed;
}

/**
 * The form passwords and words are compared in: NFKC, lower case, katakana as hiragana, no
 * spaces and no "・-_." inside.
 */
export function normaliseForWords(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60))
    .replace(/[\s・\-_.]/gu, "");
}

const LETTER = /\p{L}/u;
const LATIN_ONLY = /^[\p{Script=Latin}\d\p{P}\p{S}]*$/u;

function usable(word: string): boolean {
  const length = [...word].length;
  if (!LETTER.test(word)) return length >= 5;
  return length >= (LATIN_ONLY.test(word) ? 3 : 2);
}

// Kana → romaji (Hepburn), for names and readings: people type 「yamada」 for やまだ.
// biome-ignore format: a kana table reads best in rows
const romajiTable: Record<string, string> = {
  あ: "a", い: "i", う: "u", え: "e", お: "o",
  か: "ka", き: "ki", く: "ku", け: "ke", こ: "ko",
  さ: "sa", し: "shi", す: "su", せ: "se", そ: "so",
  た: "ta", ち: "chi", つ: "tsu", て: "te", と: "to",
  な: "na", に: "ni", ぬ: "nu", ね: "ne", の: "no",
  は: "ha", ひ: "hi", ふ: "fu", へ: "he", ほ: "ho",
  ま: "ma", み: "mi", む: "mu", め: "me", も: "mo",
  や: "ya", ゆ: "yu", よ: "yo",
  ら: "ra", り: "ri", る: "ru", れ: "re", ろ: "ro",
  わ: "wa", ゐ: "i", ゑ: "e", を: "o", ん: "n",
  が: "ga", ぎ: "gi", ぐ: "gu", げ: "ge", ご: "go",
  ざ: "za", じ: "ji", ず: "zu", ぜ: "ze", ぞ: "zo",
  だ: "da", ぢ: "ji", づ: "zu", で: "de", ど: "do",
  ば: "ba", び: "bi", ぶ: "bu", べ: "be", ぼ: "bo",
  ぱ: "pa", ぴ: "pi", ぷ: "pu", ぺ: "pe", ぽ: "po",
  ぁ: "a", ぃ: "i", ぅ: "u", ぇ: "e", ぉ: "o", ゔ: "vu",
};
const smallY: Record<string, string> = { ゃ: "a", ゅ: "u", ょ: "o" };

/** Hepburn romaji of a hiragana string, or undefined when it holds anything else. */
export function hepburn(kana: string): string | undefined {
  const chars = [...kana];
  let out = "";
  let doubleNext = false;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] ?? "";
    if (c === "っ") {
      doubleNext = true;
      continue;
    }
    if (c === "ー") {
      out += out.at(-1) ?? "";
      continue;
    }
    let syllable = romajiTable[c];
    if (syllable === undefined) return undefined;
    const y = smallY[chars[i + 1] ?? ""];
    if (y !== undefined && syllable.endsWith("i") && syllable.length > 1) {
      const stem = syllable.slice(0, -1);
      syllable = /^(sh|ch|j)$/.test(stem) ? stem + y : `${stem}y${y}`;
      i++;
    }
    if (doubleNext) {
      out += syllable.startsWith("ch") ? "t" : (syllable[0] ?? "");
      doubleNext = false;
    }
    out += syllable;
  }
  return out;
}

/** The ways a name in romaji is commonly typed: as read, without long vowels, with "oh", Kunrei. */
function romajiVariants(kana: string): string[] {
  const h = hepburn(kana);
  if (!h) return [];
  const short = h.replace(/o[ou]/g, "o").replace(/uu/g, "u");
  const oh = h.replace(/o[ou]/g, "oh");
  const kunrei = h
    .replace(/sh/g, "sy")
    .replace(/syi/g, "si")
    .replace(/ch/g, "ty")
    .replace(/tyi/g, "ti")
    .replace(/tsu/g, "tu")
    .replace(/fu/g, "hu")
    .replace(/j/g, "zy")
    .replace(/zyi/g, "zi");
  return [h, short, oh, kunrei, kunrei.replace(/o[ou]/g, "o").replace(/uu/g, "u")];
}

/** A name or reading: whole, each part, both orders, and (for kana) in romaji. */
function nameForms(text: string): string[] {
  const parts = text
    .normalize("NFKC")
    .split(/[\s・]+/u)
    .map(normaliseForWords)
    .filter((p) => p !== "");
  const forms = [parts.join(""), ...parts];
  if (parts.length > 1) forms.push([...parts].reverse().join(""));
  return forms.flatMap((form) => [form, ...romajiVariants(form)]);
}

/** A unit's or city's name with and without its trailing 部/課/市/町/村/区. */
function withoutSuffix(name: string, suffixes: RegExp): string[] {
  const plain = normaliseForWords(name);
  const stripped = plain.replace(suffixes, "");
  return stripped === plain ? [plain] : [plain, stripped];
}

/** Every word that applies to this person and installation, normalised, each with its kind. */
export function contextWords(context: PasswordContext): Array<{ kind: WordKind; word: string }> {
  const words: Array<{ kind: WordKind; word: string }> = [];
  const add = (kind: WordKind, forms: readonly string[]) => {
    for (const form of forms) words.push({ kind, word: normaliseForWords(form) });
  };
  if (context.login) add("login", [context.login]);
  if (context.employeeNo) add("login", [context.employeeNo]);
  if (context.email) {
    add("email", [context.email]);
    const local = context.email.split("@")[0];
    if (local) add("email", [local]);
  }
  if (context.name) add("name", nameForms(context.name));
  if (context.kana) add("name", nameForms(context.kana));
  for (const unit of context.units ?? []) {
    add("unit", withoutSuffix(unit.name, /[部課室局係]$/u));
    if (unit.kana) add("unit", [unit.kana, ...romajiVariants(normaliseForWords(unit.kana))]);
    if (unit.code) add("unit", [unit.code]);
  }
  if (context.cityName) {
    const forms = withoutSuffix(context.cityName, /[市町村区]$/u);
    add("city", [...forms, ...forms.flatMap(romajiVariants)]);
  }
  words.push(...listedWords());
  return words.filter((w) => usable(w.word));
}

/**
 * The kind of the word `password` is built on (the word alone, or with at most MAX_AFFIX digits,
 * symbols or spaces around it), or null when it is built on none.
 */
export function contextWordIn(password: string, context: PasswordContext): WordKind | null {
  const typed = normaliseForWords(password);
  for (const { kind, word } of contextWords(context)) {
    for (let at = typed.indexOf(word); at !== -1; at = typed.indexOf(word, at + 1)) {
      const rest = typed.slice(0, at) + typed.slice(at + word.length);
      if (!LETTER.test(rest) && [...rest].length <= MAX_AFFIX) return kind;
    }
  }
  return null;
}
