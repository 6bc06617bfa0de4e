/**
 * Dates as the city uses them: instants are stored in UTC, calendar dates are plain
 * `YYYY-MM-DD`, and both are shown in Asia/Tokyo, with 和暦 where documents use it.
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

const dateTimeJa = new Intl.DateTimeFormat("ja-JP", {
  timeZone: "Asia/Tokyo",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hour12: false,
});

/** 2026/11/24 09:05:03 (Tokyo). */
export function formatDateTime(at: Date): string {
  return dateTimeJa.format(at);
}

const warekiFormat = new Intl.DateTimeFormat("ja-JP-u-ca-japanese", {
  timeZone: "UTC",
  era: "long",
  year: "numeric",
  month: "long",
  day: "numeric",
  weekday: "short",
});

/** 令和8年11月24日(火) for a plain date YYYY-MM-DD. */
export function formatWareki(date: string): string {
  return warekiFormat.format(new Date(`${date}T00:00:00Z`));
}

const warekiDateFormat = new Intl.DateTimeFormat("ja-JP-u-ca-japanese", {
  timeZone: "UTC",
  era: "long",
  year: "numeric",
  month: "long",
  day: "numeric",
});

/** 令和8年11月24日 for a plain date YYYY-MM-DD, as the city's documents write dates. */
export function formatWarekiDate(date: string): string {
  return warekiDateFormat.format(new Date(`${date}T00:00:00Z`));
}

/** The Tokyo calendar date of an instant in 和暦 (令和8年11月24日). */
export function warekiOf(at: Date): string {
  return formatWarekiDate(tokyoDate(at));
}

const warekiTimeFormat = new Intl.DateTimeFormat("ja-JP-u-ca-japanese", {
  timeZone: "Asia/Tokyo",
  hour: "2-digit",
  minute: "2-digit",
  hour12: false,
});

/**
 * 令和8年11月24日(火) 09:05 (Tokyo): an instant in the 和暦 convention, for pages whose dates are
 * in 和暦 (the guideline, the council), so that one page keeps one convention.
 */
export function formatWarekiDateTime(at: Date): string {
  return `${formatWareki(tokyoDate(at))} ${warekiTimeFormat.format(at)}`;
}

const westernFormat = new Intl.DateTimeFormat("ja-JP", {
  timeZone: "UTC",
  year: "numeric",
  month: "long",
  day: "numeric",
  weekday: "short",
});

/** 2026年11月24日(火) for a plain date YYYY-MM-DD. */
export function formatDate(date: string): string {
  return westernFormat.format(new Date(`${date}T00:00:00Z`));
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
