/**
 * Periods counted the way the Civil Code counts them (民法 140条・143条), for the notice periods
 * of 4.5.2 and the media-policy review period (the city's setting in the pack; 4.2.3 asks for
 * reviews but sets no period). Pure functions over plain dates (YYYY-MM-DD).
 *
 * 140条: the first day is not counted (the period starts the next day). 143条: a period of months
 * ends on the day before the day in the last month that corresponds to the starting day; when
 * there is no such day, at the end of that month.
 */

type Ymd = { y: number; m: number; d: number };

function parse(date: string): Ymd {
  const [y, m, d] = date.split("-").map(Number);
  if (!y || !m || !d) throw new Error(`not a date: ${date}`);
  return { y, m, d };
}

function format({ y, m, d }: Ymd): string {
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function addDays(date: string, days: number): string {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + days);
  return t.toISOString().slice(0, 10);
}

/**
 * The last day of a period of `months` months that starts the day after `from` (140条, 143条).
 * 2026-01-15 + 1 month → 2026-02-15; 2026-01-31 + 1 month → 2026-02-28 (2028: 02-29).
 */
export function periodEnd(from: string, months: number): string {
  const start = parse(addDays(from, 1));
  const total = start.m - 1 + months;
  const y = start.y + Math.floor(total / 12);
  const m = (total % 12) + 1;
  if (start.d <= daysInMonth(y, m)) return addDays(format({ y, m, d: start.d }), -1);
  return format({ y, m, d: daysInMonth(y, m) });
}

/**
 * The earliest effective date for a change announced on `announcement` (4.5.2: 一月以上前):
 * the day after a full period of `months` months has run.
 * Announced 2026-01-15 → 2026-02-16; announced 2026-01-31 → 2026-03-01.
 */
export function earliestEffectiveDate(announcement: string, months: number): string {
  return addDays(periodEnd(announcement, months), 1);
}

/** The latest announcement date that still leaves `months` full months before `effective`. */
export function latestAnnouncementDate(effective: string, months: number): string {
  // Start from the same day `months` earlier and walk back until the period fits (≤ 4 steps).
  const e = parse(effective);
  const total = e.m - 1 - months;
  const y = e.y + Math.floor(total / 12);
  const m = (((total % 12) + 12) % 12) + 1;
  let candidate = format({ y, m, d: Math.min(e.d, daysInMonth(y, m)) });
  while (earliestEffectiveDate(candidate, months) > effective) candidate = addDays(candidate, -1);
  while (earliestEffectiveDate(addDays(candidate, 1), months) <= effective) candidate = addDays(candidate, 1);
  return candidate;
}

/** The last day a notice stays up: `months` months counted from the effective date. */
export function displayUntil(effective: string, months: number): string {
  return periodEnd(effective, months);
}

/** A date `months` months after `from` (e.g. review due dates): the period's last day. */
export function monthsAfter(from: string, months: number): string {
  return periodEnd(from, months);
}
