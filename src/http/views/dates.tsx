/**
 * Dates on pages as <time> elements: the text in the pages' convention from src/domain/dates.ts
 * (令和8年（2026年）11月24日（火）9時05分), the datetime attribute in ISO 8601 for machines and
 * assistive technology. In a narrow column a date wraps only between its year, its day and its
 * time (「令和8年（2026年）／11月24日（火）／9時05分」), never inside one of them.
 */
import type { FC } from "hono/jsx";
import { formatDate, formatDateTime, formatWarekiDate, isoTokyo, warekiOf } from "../../domain/dates.ts";

/** The year, day and time of a date in the convention, each kept on one line. */
const Parts: FC<{ text: string }> = ({ text }) => {
  const parts = /^(.+?年（\d{4}年）)(.+?日（.）)(.*)$/.exec(text);
  if (!parts) return <>{text}</>;
  const [, year = "", day = "", time = ""] = parts;
  return (
    <>
      <span class="nowrap">{year}</span>
      <span class="nowrap">{day}</span>
      {time ? <span class="nowrap">{time}</span> : null}
    </>
  );
};

/** A plain date YYYY-MM-DD: <time datetime="2026-11-24">令和8年（2026年）11月24日（火）</time>. */
export const DateText: FC<{ date: string }> = ({ date }) => (
  <time datetime={date}>
    <Parts text={formatDate(date)} />
  </time>
);

/**
 * An instant: <time datetime="2026-11-24T09:05:03+09:00">令和8年（2026年）11月24日（火）9時05分</time>;
 * `seconds` only where a precise time is evidence (the audit log).
 */
export const DateTime: FC<{ at: Date; seconds?: boolean }> = ({ at, seconds }) => (
  <time datetime={isoTokyo(at)}>
    <Parts text={formatDateTime(at, { seconds })} />
  </time>
);

/** A date in a printed document (起案・届出): <time datetime="2026-11-24">令和8年11月24日</time>. */
export const DocumentDate: FC<{ value: Date | string }> = ({ value }) =>
  typeof value === "string" ? (
    <time datetime={value}>{formatWarekiDate(value)}</time>
  ) : (
    <time datetime={isoTokyo(value)}>{warekiOf(value)}</time>
  );
