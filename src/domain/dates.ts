/**
 * Dates as the city uses them: instants are stored in UTC, calendar dates are plain
 * `YYYY-MM-DD`, and both are shown in Japan time (Asia/Tokyo). This module is the one place that
 * writes a date for people; pages wrap its text in <time datetime="…"> (src/http/views/dates.tsx).
 *
 * One convention (docs/pages.md, "Dates and times"):
 * - Pages, notifications and messages: 和暦 with the 西暦 in brackets and the weekday, times as
 *   hours and minutes: 「令和8年（2026年）11月24日（火）」, 「令和8年（2026年）11月24日（火）9時05分」.
 * - Seconds only where a precise time is evidence (the audit log):
 *   「令和8年（2026年）11月24日（火）9時05分03秒」.
 * - Printed documents (起案・届出): 和暦 without weekday or 西暦, as the city's documents write
 *   dates: 「令和8年11月24日」, with a time 「令和8年11月24日 9時05分」.
 * - CSV files and the API keep machine formats (ISO 8601; the CSV exports' 「2026/11/24 09:05:03」).
 * The first year of an era is 元年 (令和元年5月1日).
 */

const tokyoDay = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Asia/Tokyo",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** The calendar date in Tokyo at instant `at`, as YYYY-MM-DD. */
export function tokyoDate(at: Date): string {
  return tokyoDay.format(at);
}

const tokyoParts = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Asia/Tokyo",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

/** The Tokyo wall-clock parts of an instant, zero-padded. */
function tokyoClock(at: Date): { date: string; hour: string; minute: string; second: string } {
  const parts = tokyoParts.formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return {
    date: `${part("year")}-${part("month")}-${part("day")}`,
    hour: part("hour"),
    minute: part("minute"),
    second: part("second"),
  };
}

/** An instant as ISO 8601 in Japan time for machines (2026-11-24T09:05:03+09:00), e.g. <time datetime>. */
export function isoTokyo(at: Date): string {
  const c = tokyoClock(at);
  return `${c.date}T${c.hour}:${c.minute}:${c.second}+09:00`;
}

const japanese = new Intl.DateTimeFormat("ja-JP-u-ca-japanese", {
  timeZone: "UTC",
  era: "long",
  year: "numeric",
  month: "numeric",
  day: "numeric",
  weekday: "short",
});

/** The 和暦 parts of a plain date: era, year (元 for the first), month, day, weekday. */
function warekiParts(date: string): {
  era: string;
  year: string;
  month: string;
  day: string;
  weekday: string;
} {
  const parts = japanese.formatToParts(new Date(`${date}T00:00:00Z`));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return {
    era: part("era"),
    year: part("year") === "1" ? "元" : part("year"),
    month: part("month"),
    day: part("day"),
    weekday: part("weekday"),
  };
}

/** 令和8年（2026年）11月24日（火） for a plain date YYYY-MM-DD: the pages' convention. */
export function formatDate(date: string): string {
  const w = warekiParts(date);
  return `${w.era}${w.year}年（${date.slice(0, 4)}年）${w.month}月${w.day}日（${w.weekday}）`;
}

/** 9時05分 (Tokyo); with seconds 9時05分03秒. */
export function formatTime(at: Date, options: { seconds?: boolean } = {}): string {
  const c = tokyoClock(at);
  const time = `${Number(c.hour)}時${c.minute}分`;
  return options.seconds ? `${time}${c.second}秒` : time;
}

/**
 * 令和8年（2026年）11月24日（火）9時05分 (Tokyo): an instant on a page or in a message. With
 * `seconds` (only where a precise time is evidence, the audit log) 9時05分03秒.
 */
export function formatDateTime(at: Date, options: { seconds?: boolean } = {}): string {
  return `${formatDate(tokyoDate(at))}${formatTime(at, options)}`;
}

/** 令和8年11月24日 for a plain date YYYY-MM-DD, as the city's printed documents write dates. */
export function formatWarekiDate(date: string): string {
  const w = warekiParts(date);
  return `${w.era}${w.year}年${w.month}月${w.day}日`;
}

/** The Tokyo calendar date of an instant in 和暦 for documents (令和8年11月24日). */
export function warekiOf(at: Date): string {
  return formatWarekiDate(tokyoDate(at));
}

/** 令和8年11月24日 9時05分 (Tokyo): an instant in a printed document. */
export function formatWarekiDateTime(at: Date): string {
  return `${warekiOf(at)} ${formatTime(at)}`;
}

/**
 * 2026/11/24 09:05:03 (Tokyo): the date-time columns of the CSV exports, a format spreadsheets read
 * as a date. Not for pages.
 */
export function formatCsvDateTime(at: Date): string {
  const c = tokyoClock(at);
  return `${c.date.replaceAll("-", "/")} ${c.hour}:${c.minute}:${c.second}`;
}

/** True for a plain date YYYY-MM-DD that exists on the calendar (not 2026-13-45). */
export function isPlainDate(value: string | undefined): value is string {
  if (value === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const at = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(at.getTime()) && at.toISOString().startsWith(value);
}

/** The start of a Tokyo calendar day as a UTC instant. */
export function tokyoDayStart(date: string): Date {
  return new Date(`${date}T00:00:00+09:00`);
}

/** Adds whole days to a plain date. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A length of time given in minutes, as people say it: 「30分」, 「12時間」, 「1時間30分」. */
export function formatMinutes(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest}分`;
  return rest === 0 ? `${hours}時間` : `${hours}時間${rest}分`;
}
