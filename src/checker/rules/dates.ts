/**
 * 5.1.5 正確な記述 — a weekday that does not match its date (「12月7日（土）」 when the 7th is a
 * Sunday), impossible dates, and dates without a year that fall in another year than the post.
 * A date without a year is the nearest such date to the post date (or today).
 */
import type { CheckContext } from "../context.ts";

const CLAUSE = "5.1.5";
const WEEKDAYS = "日月火水木金土";

const DATE =
  /(?:(令和|平成|昭和)\s*(\d{1,2}|元)\s*年|(?<![\d])(\d{4})\s*年)?\s*(?:(\d{1,2})\s*月)?\s*(\d{1,2})\s*日(?:\s*\(([^)]{1,12})\))?|(?<![\d/])(?:(\d{4})\/)?(\d{1,2})\/(\d{1,2})(?![\d/])(?:\s*\(([^)]{1,12})\))?/g;

interface Ymd {
  y: number;
  m: number;
  d: number;
}

interface Resolved {
  start: number;
  end: number;
  date: Ymd;
  yearWritten: boolean;
}

function eraYear(era: string, n: string): number {
  const k = n === "元" ? 1 : Number(n);
  if (era === "令和") return 2018 + k;
  if (era === "平成") return 1988 + k;
  return 1925 + k;
}

function exists({ y, m, d }: Ymd): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function dayNumber({ y, m, d }: Ymd): number {
  return Date.UTC(y, m - 1, d) / 86_400_000;
}

function weekday(date: Ymd): number {
  return new Date(Date.UTC(date.y, date.m - 1, date.d)).getUTCDay();
}

/** The post date (YYYY-MM-DD) or today in Asia/Tokyo. */
function baseDate(postDate: string | undefined, now: Date): Ymd {
  if (postDate) {
    const [y, m, d] = postDate.split("-").map(Number);
    return { y: y ?? 1970, m: m ?? 1, d: d ?? 1 };
  }
  const jst = new Date(now.getTime() + 9 * 3_600_000);
  return { y: jst.getUTCFullYear(), m: jst.getUTCMonth() + 1, d: jst.getUTCDate() };
}

/** Nearest existing date to `base` among the candidates. */
function nearest(base: Ymd, candidates: Ymd[]): Ymd | null {
  let best: Ymd | null = null;
  let bestDist = Number.POSITIVE_INFINITY;
  const b = dayNumber(base);
  for (const c of candidates) {
    if (!exists(c)) continue;
    const dist = Math.abs(dayNumber(c) - b);
    if (dist < bestDist) {
      best = c;
      bestDist = dist;
    }
  }
  return best;
}

/** Weekday characters written in the parentheses (土・日 → [6, 0]); holidays (祝) are ignored. */
function weekdaysIn(paren: string): number[] {
  const out: number[] = [];
  const cleaned = paren.replace(/曜日?/g, "").replace(/祝日?|休日|振休|祭日/g, "");
  if (!/^[日月火水木金土・,、\s]+$/.test(cleaned)) return out;
  for (const ch of cleaned) {
    const i = WEEKDAYS.indexOf(ch);
    if (i >= 0) out.push(i);
  }
  return out;
}

/** 5.1.5: weekdays that do not match their dates, impossible dates, dates across the new year. */
export function checkDates(ctx: CheckContext, now: Date): void {
  const text = ctx.text;
  if (!text.includes("日") && !text.includes("/")) return;
  const base = baseDate(ctx.input.postDate, now);
  let lastYear: number | null = null;
  let lastMonth: number | null = null;
  const resolved: Resolved[] = [];
  DATE.lastIndex = 0;
  for (let m = DATE.exec(text); m; m = DATE.exec(text)) {
    const slash = m[8] !== undefined;
    const era = m[1];
    const eraN = m[2];
    const yearText = slash ? m[7] : m[3];
    const monthText = slash ? m[8] : m[4];
    const dayText = slash ? m[9] : m[5];
    const paren = slash ? m[10] : m[6];
    const start = m.index + (m[0].length - m[0].trimStart().length);
    const end = m.index + m[0].length;
    const d = Number(dayText);
    let year: number | null = era && eraN ? eraYear(era, eraN) : yearText ? Number(yearText) : null;
    let month = monthText ? Number(monthText) : null;
    if (year !== null) lastYear = year;
    if (paren === undefined && (month === null || slash)) continue; // 「13日間」, fractions like 1/2
    if (month === null && lastMonth !== null) {
      month = lastMonth;
      year ??= lastYear;
    }
    if (month !== null) lastMonth = month;
    let date: Ymd | null;
    if (month === null) {
      date = nearest(
        base,
        [-1, 0, 1].map((k) => shiftMonth(base, k, d)),
      );
    } else if (year !== null) {
      date = { y: year, m: month, d };
    } else {
      date = nearest(
        base,
        [base.y - 1, base.y, base.y + 1].map((y) => ({ y, m: month ?? 1, d })),
      );
      if (date && date.y !== base.y && !paren) {
        ctx.report(
          "dates.year-boundary",
          CLAUSE,
          "info",
          start,
          end,
          `年をまたぐ日付です（${date.y}年${date.m}月${date.d}日と解釈しました）`,
          "年末年始をまたぐ告知では、年を明記すると誤解を防げます。",
        );
      }
    }
    if (!date || !exists(date)) {
      if (month !== null) {
        ctx.report(
          "dates.impossible",
          CLAUSE,
          "warning",
          start,
          end,
          `「${ctx.quote(start, end)}」は存在しない日付です`,
          "日付を確認してください。",
        );
      }
      continue;
    }
    resolved.push({ start, end, date, yearWritten: year !== null });
    if (paren === undefined) continue;
    const written = weekdaysIn(paren);
    if (written.length === 0) continue;
    // 「6日・7日（土・日）」: pair the weekdays with the dates listed right before them.
    const list =
      written.length > 1 ? listBefore(text, resolved, written.length) : [resolved[resolved.length - 1]];
    if (!list || list.length !== written.length) continue;
    for (let k = 0; k < written.length; k++) {
      const item = list[k];
      const w = written[k];
      if (!item || w === undefined) continue;
      const actual = weekday(item.date);
      if (actual === w) continue;
      const shown = ctx.quote(item.start, end);
      // Without a post date the year is a guess (today's nearest): if the weekday fits the year
      // before or after, say so as information instead of warning.
      const other = ctx.input.postDate || item.yearWritten ? undefined : otherYearFitting(item.date, w);
      if (other !== undefined) {
        ctx.report(
          "dates.weekday-other-year",
          CLAUSE,
          "info",
          item.start,
          end,
          `「${shown}」の曜日は${item.date.y}年の日付と合いませんが、${other}年なら合っています`,
          "年をまたぐ告知では、年を明記すると誤解を防げます。",
        );
        continue;
      }
      ctx.report(
        "dates.weekday-mismatch",
        CLAUSE,
        "warning",
        item.start,
        end,
        `「${shown}」の曜日が日付と合っていません。${item.date.y}年${item.date.m}月${item.date.d}日は${WEEKDAYS[actual]}曜日です`,
        "日付と曜日を確認し、正しい組み合わせに直してください。",
      );
    }
  }
}

/** The year next to `date`'s whose same month and day falls on `w`, if any. */
function otherYearFitting(date: Ymd, w: number): number | undefined {
  for (const y of [date.y - 1, date.y + 1]) {
    const d = { y, m: date.m, d: date.d };
    if (exists(d) && weekday(d) === w) return y;
  }
  return undefined;
}

function shiftMonth(base: Ymd, k: number, d: number): Ymd {
  const m0 = base.m - 1 + k;
  const y = base.y + Math.floor(m0 / 12);
  const m = ((m0 % 12) + 12) % 12;
  return { y, m: m + 1, d };
}

/** The last `count` resolved dates joined by ・、と～- right before the weekday parentheses. */
function listBefore(text: string, resolved: Resolved[], count: number): Resolved[] | null {
  const items = resolved.slice(-count);
  if (items.length !== count) return null;
  for (let k = 1; k < items.length; k++) {
    const prev = items[k - 1];
    const cur = items[k];
    if (!prev || !cur) return null;
    const gap = text.slice(prev.end, cur.start);
    if (!/^\s*[・,、と~〜\-～]\s*$|^\s*から\s*$/.test(gap)) return null;
  }
  return items;
}
