/**
 * A time someone gives for what happened (a verbal approval, a publication, a removal), checked
 * against its window (domain/time-window.ts) before it is kept; outside it, the 422 names the
 * allowed range with its times, on the field it is about.
 */
import { type Bound, placeInWindow } from "../../domain/time-window.ts";
import { validation } from "../../errors.ts";

/**
 * The instant to keep for `value`, or a 422 on `field` naming the range.
 * @param window.earliest the event it follows (null: only the future is refused)
 * @param window.latest an event it must precede instead of now
 */
export function placed(
  field: string,
  label: string,
  value: Date,
  window: { earliest: Bound | null; latest?: Bound | null; now: Date },
): Date {
  const result = placeInWindow(value, { label, ...window });
  if (result.ok) return result.at;
  throw validation(result.message, [{ field, message: result.message }]);
}
