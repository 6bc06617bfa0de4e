/**
 * Writes an iCalendar document (RFC 5545) that Outlook, Google Calendar and Apple Calendar
 * subscribe to: CRLF line ends, lines folded at 75 octets without splitting a UTF-8 character,
 * TEXT values escaped, all-day events for dates and events in Asia/Tokyo (with its VTIMEZONE) for
 * instants, each marked free time so a due date never blocks a meeting. Pure: no I/O.
 */

/** An event: an all-day date, or an instant shown for `minutes` (default 30). */
export type CalendarEvent = {
  uid: string;
  summary: string;
  description?: string;
  /** Absolute URL of the page. */
  url?: string;
  when: { date: string } | { at: Date; minutes?: number };
  categories?: string[];
};

const TZID = "Asia/Tokyo";

/** RFC 5545 3.3.11: backslash, semicolon, comma and newlines escaped in TEXT values. */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n|\r|\n/g, "\\n");
}

const encoder = new TextEncoder();

/**
 * RFC 5545 3.1: a content line longer than 75 octets is split, each continuation starting with one
 * space; a multi-byte character is never split.
 */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = "";
  let octets = 0;
  for (const char of line) {
    const size = encoder.encode(char).length;
    const limit = out.length === 0 ? 75 : 74; // continuation lines carry the leading space
    if (octets + size > limit) {
      out.push(current);
      current = "";
      octets = 0;
    }
    current += char;
    octets += size;
  }
  out.push(current);
  return out.join("\r\n ");
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** 20261124T000000Z */
export function utcStamp(at: Date): string {
  return `${at.getUTCFullYear()}${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())}T${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}${pad(at.getUTCSeconds())}Z`;
}

/** Tokyo wall-clock time (UTC+9 all year, no daylight saving): 20261124T090000. */
export function tokyoStamp(at: Date): string {
  return utcStamp(new Date(at.getTime() + 9 * 60 * 60_000)).slice(0, -1);
}

/** 2026-11-24 → 20261124 */
function dateValue(date: string): string {
  return date.replaceAll("-", "");
}

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

const vtimezone = [
  "BEGIN:VTIMEZONE",
  `TZID:${TZID}`,
  "BEGIN:STANDARD",
  "DTSTART:19700101T000000",
  "TZOFFSETFROM:+0900",
  "TZOFFSETTO:+0900",
  "TZNAME:JST",
  "END:STANDARD",
  "END:VTIMEZONE",
];

function eventLines(event: CalendarEvent, stamp: string): string[] {
  const lines = ["BEGIN:VEVENT", `UID:${event.uid}`, `DTSTAMP:${stamp}`];
  if ("date" in event.when) {
    lines.push(
      `DTSTART;VALUE=DATE:${dateValue(event.when.date)}`,
      `DTEND;VALUE=DATE:${dateValue(nextDay(event.when.date))}`,
    );
  } else {
    const end = new Date(event.when.at.getTime() + (event.when.minutes ?? 30) * 60_000);
    lines.push(`DTSTART;TZID=${TZID}:${tokyoStamp(event.when.at)}`, `DTEND;TZID=${TZID}:${tokyoStamp(end)}`);
  }
  lines.push(`SUMMARY:${escapeText(event.summary)}`);
  if (event.description) lines.push(`DESCRIPTION:${escapeText(event.description)}`);
  if (event.url) lines.push(`URL:${event.url}`);
  if (event.categories && event.categories.length > 0)
    lines.push(`CATEGORIES:${event.categories.map(escapeText).join(",")}`);
  lines.push("TRANSP:TRANSPARENT", "X-MICROSOFT-CDO-BUSYSTATUS:FREE", "END:VEVENT");
  return lines;
}

/** The whole calendar as text (UTF-8, CRLF, folded). */
export function renderCalendar(props: { name: string; events: readonly CalendarEvent[]; now: Date }): string {
  const stamp = utcStamp(props.now);
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//snsgov//due dates//JA",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `X-WR-CALNAME:${escapeText(props.name)}`,
    `X-WR-TIMEZONE:${TZID}`,
    "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
    "X-PUBLISHED-TTL:PT1H",
    ...vtimezone,
    ...props.events.flatMap((e) => eventLines(e, stamp)),
    "END:VCALENDAR",
  ];
  return `${lines.map(foldLine).join("\r\n")}\r\n`;
}
