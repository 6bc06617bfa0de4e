/**
 * 5.2.2.1 個人情報 — numbers and addresses that identify a person: mobile and personal phone
 * numbers, e-mail addresses outside trusted domains, My Number (12 digits, valid check digit,
 * next to a keyword), corporate numbers (public: info), bank accounts, car number plates.
 */
import parsePhoneNumber from "libphonenumber-js/max";
import type { CheckContext } from "../context.ts";

const CLAUSE = "5.2.2.1";

/** Separators people put between phone digits, including full-width and katakana look-alikes. */
const SEP = "[\\s\\-‐‑‒–—―−ー.()・]";
const PHONE = new RegExp(`(?<![\\d+])(?:\\+81${SEP}{0,3}(?:\\(0\\))?|0)(?:${SEP}{0,2}\\d){9,10}(?!\\d)`, "g");

/** The checker's view of a Japanese number, from its leading digits. */
function phoneKind(digits: string): "mobile" | "ip" | "fixed" | "service" {
  if (/^0[789]0\d{8}$/.test(digits)) return "mobile";
  if (/^050\d{8}$/.test(digits)) return "ip";
  if (/^0(?:120|800|570|990|180)|^020/.test(digits)) return "service";
  return "fixed";
}

/** Mobile numbers always; landlines and IP numbers when the sentence is about a person. */
export function checkPhones(ctx: CheckContext): void {
  const text = ctx.text;
  PHONE.lastIndex = 0;
  for (let m = PHONE.exec(text); m; m = PHONE.exec(text)) {
    const raw = m[0];
    let digits = raw.replace(/\D/g, "");
    if (raw.startsWith("+81")) digits = `0${digits.slice(2).replace(/^0/, "")}`;
    if (digits.length < 10 || digits.length > 11) continue;
    if (ctx.compiled.phoneAllow.has(digits)) continue;
    const kind = phoneKind(digits);
    if (kind === "service") continue;
    const start = m.index;
    const end = start + raw.length;
    if (ctx.inUrl(start, end)) continue;
    if (kind === "mobile") {
      ctx.report(
        "pii.mobile-phone",
        CLAUSE,
        "error",
        start,
        end,
        "個人の携帯電話番号が含まれています",
        "掲載する場合は本人の同意を確認し、原則として削除してください。問い合わせ先は担当課の代表番号を記載してください。団体の公開済みの番号であれば、ガイドラインパックの許可リストに登録してください。",
      );
      continue;
    }
    if (!personal(ctx, start)) continue;
    const parsed = parsePhoneNumber(digits, "JP");
    if (!parsed?.isValid()) continue;
    ctx.report(
      "pii.personal-phone",
      CLAUSE,
      kind === "ip" ? "warning" : "error",
      start,
      end,
      "個人の電話番号と思われる番号が含まれています",
      "個人の電話番号は掲載しないでください。問い合わせ先は担当課の番号にしてください。",
    );
  }
}

function personal(ctx: CheckContext, pos: number): boolean {
  if (ctx.sentenceHasPerson(pos)) return true;
  const s = ctx.sentenceAt(pos);
  return ctx.hitsIn("personTie", s.start, s.end).length > 0;
}

const EMAIL = /[a-z0-9][a-z0-9._%+-]*(?:@|\s?[[(]at[\])]\s?)([a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,})/gi;

/** E-mail addresses outside the trusted domains: free mail = error, others = warning, role addresses = info. */
export function checkEmails(ctx: CheckContext): void {
  const text = ctx.text;
  if (!text.includes("@") && !/[[(]at[\])]/i.test(text)) return;
  EMAIL.lastIndex = 0;
  for (let m = EMAIL.exec(text); m; m = EMAIL.exec(text)) {
    const domain = (m[1] ?? "").toLowerCase();
    if (ctx.compiled.trustedDomains.has(domain)) continue;
    const local = (m[0].split(/@|\s?[[(]at[\])]/i)[0] ?? "").toLowerCase();
    const start = m.index;
    const end = start + m[0].length;
    if (ctx.compiled.freeMail.has(domain)) {
      ctx.report(
        "pii.email",
        CLAUSE,
        "error",
        start,
        end,
        `個人のメールアドレス（${domain}）が含まれています`,
        "個人のメールアドレスは掲載しないでください。問い合わせ先は市の担当課のアドレス（市のドメイン）にしてください。",
      );
      continue;
    }
    const role = local.replace(/[-_.]?\d+$/, "");
    if (ctx.compiled.roleLocalParts.has(role)) {
      ctx.report(
        "pii.email-organisation",
        CLAUSE,
        "info",
        start,
        end,
        `市のドメイン以外のメールアドレス（${domain}）が含まれています`,
        "団体の公開用アドレスであることを確認してください。",
      );
      continue;
    }
    ctx.report(
      "pii.email",
      CLAUSE,
      "warning",
      start,
      end,
      `個人のものと思われるメールアドレス（${domain}）が含まれています`,
      "個人のアドレスであれば削除してください。団体の公開用アドレスであることを確認してから掲載してください。",
    );
  }
}

/** My Number check digit (番号法施行令 第8条): 11 digits + 1 check digit. */
export function isValidMyNumber(digits: string): boolean {
  if (!/^\d{12}$/.test(digits)) return false;
  let sum = 0;
  for (let n = 1; n <= 11; n++) {
    const p = Number(digits.charAt(11 - n));
    const q = n <= 6 ? n + 1 : n - 5;
    sum += p * q;
  }
  const r = sum % 11;
  const check = r <= 1 ? 0 : 11 - r;
  return check === Number(digits.charAt(11));
}

/** Corporate number check digit (法人番号, 13 digits, the first is the check digit). */
export function isValidCorporateNumber(digits: string): boolean {
  if (!/^\d{13}$/.test(digits)) return false;
  let sum = 0;
  for (let n = 1; n <= 12; n++) {
    const p = Number(digits.charAt(13 - n));
    sum += p * (n % 2 === 1 ? 1 : 2);
  }
  return 9 - (sum % 9) === Number(digits.charAt(0));
}

const TWELVE = /(?<![\d-])\d{4}[\s\-‐]?\d{4}[\s\-‐]?\d{4}(?![\d-])/g;
const MY_NUMBER_KEYWORD = /マイナンバー|個人番号|通知カード|my ?number/i;
const THIRTEEN = /(?<![\d])T?\d{13}(?!\d)/g;

/** My Number: 12 digits with a valid check digit next to マイナンバー/個人番号/通知カード. */
export function checkMyNumbers(ctx: CheckContext): void {
  const text = ctx.text;
  const w = ctx.compiled.pack.thresholds.myNumberKeywordWindow;
  TWELVE.lastIndex = 0;
  for (let m = TWELVE.exec(text); m; m = TWELVE.exec(text)) {
    const digits = m[0].replace(/\D/g, "");
    const start = m.index;
    const end = start + m[0].length;
    if (ctx.inUrl(start, end)) continue;
    const around = text.slice(Math.max(0, start - w), Math.min(text.length, end + w));
    if (!MY_NUMBER_KEYWORD.test(around)) continue;
    if (isValidMyNumber(digits)) {
      ctx.report(
        "pii.my-number",
        CLAUSE,
        "error",
        start,
        end,
        "マイナンバー（個人番号）が含まれています",
        "マイナンバーは法律で厳格に管理が求められる個人情報です。直ちに削除してください。",
      );
    } else {
      ctx.report(
        "pii.number-near-my-number",
        CLAUSE,
        "info",
        start,
        end,
        "マイナンバーの近くに12桁の番号があります（チェックディジットはマイナンバーと一致しません）",
        "個人の番号であれば削除してください。",
      );
    }
  }
  THIRTEEN.lastIndex = 0;
  for (let m = THIRTEEN.exec(text); m; m = THIRTEEN.exec(text)) {
    const digits = m[0].replace(/^T/, "");
    if (!isValidCorporateNumber(digits) || ctx.inUrl(m.index, m.index + m[0].length)) continue;
    ctx.report(
      "pii.corporate-number",
      CLAUSE,
      "info",
      m.index,
      m.index + m[0].length,
      "法人番号（または適格請求書発行事業者の登録番号）と思われる番号があります",
      "法人番号は公表されている情報です。個人事業主の番号でないことを確認してください。",
    );
  }
}

const SEVEN = /(?<![\d-])\d{7}(?![\d-])/g;
const BANK_KEYWORD = /口座|普通|当座|貯蓄|預金|口番/;
const YUCHO = /記号\s*[:]?\s*1\d{4}\s*[-・、\s]?\s*番号\s*[:]?\s*\d{5,8}|(?<!\d)1\d{4}-\d{5,8}(?!\d)/g;

/** Bank account numbers: 7 digits after 口座/普通/当座, and ゆうちょ 記号・番号. */
export function checkBankAccounts(ctx: CheckContext): void {
  const text = ctx.text;
  const w = ctx.compiled.pack.thresholds.bankKeywordWindow;
  const report = (start: number, end: number): void => {
    if (ctx.inUrl(start, end)) return;
    const s = ctx.sentenceAt(start);
    const sentence = ctx.text.slice(s.start, s.end);
    if (/名義/.test(sentence) && ctx.compiled.orgAccountHolders.some((h) => sentence.includes(h))) return;
    ctx.report(
      "pii.bank-account",
      CLAUSE,
      "error",
      start,
      end,
      "口座番号が含まれています",
      "個人の口座番号は掲載しないでください。市の振込先を案内する場合は、口座名義が市であることを確認してください。",
    );
  };
  SEVEN.lastIndex = 0;
  for (let m = SEVEN.exec(text); m; m = SEVEN.exec(text)) {
    const before = text.slice(Math.max(0, m.index - w), m.index);
    if (BANK_KEYWORD.test(before)) report(m.index, m.index + m[0].length);
  }
  if (!/ゆうちょ|振替|記号/.test(text)) return;
  YUCHO.lastIndex = 0;
  for (let m = YUCHO.exec(text); m; m = YUCHO.exec(text)) {
    if (!/ゆうちょ|振替|記号|口座/.test(text.slice(Math.max(0, m.index - 20), m.index + m[0].length)))
      continue;
    report(m.index, m.index + m[0].length);
  }
}

/** Number plates: 地名 + 分類番号 + ひらがな + 一連番号 (いわき500さ12-34). */
const PLATE =
  /[\p{sc=Han}\p{sc=Hiragana}]{1,4}\s?\d{2,3}\s?[あいうえかきくけこさすせそたちつてとなにぬねのはひふほまみむめもやゆよらりるれろわを]\s?(?:\d{1,2}-\d{2}|[・.]{1,3}\s?\d{1,3}|\d{4})(?!\d)/gu;

/** 5.2.2.1: car number plates. */
export function checkCarPlates(ctx: CheckContext): void {
  const text = ctx.text;
  PLATE.lastIndex = 0;
  for (let m = PLATE.exec(text); m; m = PLATE.exec(text)) {
    const lead = /^[はのがをにでとも]+/.exec(m[0]);
    const start = m.index + (lead ? lead[0].length : 0);
    if (ctx.inUrl(start, m.index + m[0].length)) continue;
    ctx.report(
      "pii.car-plate",
      CLAUSE,
      "error",
      start,
      m.index + m[0].length,
      "自動車のナンバーが含まれています",
      "ナンバープレートは車の持ち主を特定できる情報です。削除するか、一部を伏せてください。",
    );
  }
}
