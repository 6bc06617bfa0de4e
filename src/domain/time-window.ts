/**
 * When a time someone gives for something that happened may lie: a verbal approval (口頭, 5.1.4),
 * a confirmation given on the spot (5.2), a publication or a removal on the platform. Each
 * follows an event the system knows (the submission, the save of the version, the approval) and
 * none lies in the future. The system checks the time it is told before it keeps it (a 公文書
 * says what happened): one rule for all of them, with one Japanese message that states the range.
 *
 * Forms give minutes: a time given to the minute (seconds zero) stands for any instant of that
 * minute, so it is accepted from the start of the minute of the earlier event; a small clock skew
 * is allowed past now. The instant kept is the given one brought inside the window — never
 * before the event, never after now — so the records keep their order (an approval at 10:00:37
 * and a publication given as 10:00 are kept as 10:00:37). Pure: no I/O.
 */
import { formatDateTime } from "./dates.ts";

/** How far past now a given time may lie (clocks of people's devices differ a little). */
export const CLOCK_SKEW_MS = 60_000;

/** An event a time must not precede (or pass): when it happened, and what it is in words (「承認」). */
export type Bound = { at: Date; what: string };

/** A time placed in its window, or why it does not fit (in Japanese). */
export type Placed = { ok: true; at: Date } | { ok: false; message: string };

const minuteStart = (at: Date) => new Date(Math.floor(at.getTime() / 60_000) * 60_000);

/** Whether a time was given to the minute only (as a form's `datetime-local` gives it). */
function givenToTheMinute(at: Date): boolean {
  return at.getUTCSeconds() === 0 && at.getUTCMilliseconds() === 0;
}

/**
 * The allowed range in words: 「承認（令和8年（2026年）12月5日（土）10時00分）から現在
 * （令和8年（2026年）12月5日（土）10時30分）までの日時」. Minutes suffice: a time given to the
 * minute is compared with the start of its minute.
 */
export function windowText(earliest: Bound | null, latest: Bound | null, now: Date): string {
  const from = earliest ? `${earliest.what}（${formatDateTime(earliest.at)}）から` : "";
  const to = latest ? `${latest.what}（${formatDateTime(latest.at)}）` : `現在（${formatDateTime(now)}）`;
  return `${from}${to}までの日時`;
}

/**
 * Places `value` between `earliest` (when there is one) and `latest` (default: now).
 * @param props.label what the time is, as the form calls it (「発信した日時」)
 * @param props.earliest the event it follows, or null when only the future is refused
 * @param props.latest an event it must precede instead of now (a removal after the publication)
 * @returns the instant to keep, or a message naming the range with its times
 */
export function placeInWindow(
  value: Date,
  props: { label: string; earliest: Bound | null; latest?: Bound | null; now: Date; skewMs?: number },
): Placed {
  const { label, earliest, now } = props;
  const latest = props.latest ?? null;
  const range = `${label}は、${windowText(earliest, latest, now)}で入力してください。`;
  if (latest && value.getTime() > latest.at.getTime()) {
    return {
      ok: false,
      message: `${label}（${formatDateTime(value)}）が、${latest.what}（${formatDateTime(latest.at)}）より後です。${range}`,
    };
  }
  if (value.getTime() > now.getTime() + (props.skewMs ?? CLOCK_SKEW_MS)) {
    return {
      ok: false,
      message: `${label}に未来の日時は指定できません（入力された日時: ${formatDateTime(value)}）。${range}`,
    };
  }
  if (earliest) {
    const from = givenToTheMinute(value) ? minuteStart(earliest.at) : earliest.at;
    if (value.getTime() < from.getTime()) {
      return {
        ok: false,
        message: `${label}（${formatDateTime(value)}）が、${earliest.what}（${formatDateTime(earliest.at)}）より前です。${range}`,
      };
    }
  }
  let at = value;
  if (earliest && at.getTime() < earliest.at.getTime()) at = earliest.at;
  if (at.getTime() > now.getTime()) at = now;
  return { ok: true, at };
}
