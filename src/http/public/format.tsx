/**
 * How the public pages write dates and account names: 和暦 with 西暦 in brackets, the way city
 * documents do (令和8年（2026年）11月24日（火）), inside a <time> element machines can read.
 */
import type { FC } from "hono/jsx";

const japanese = new Intl.DateTimeFormat("ja-JP-u-ca-japanese", {
  timeZone: "UTC",
  era: "long",
  year: "numeric",
  month: "numeric",
  day: "numeric",
  weekday: "short",
});

/** 令和8年（2026年）11月24日（火） for a plain date YYYY-MM-DD; 元年 for an era's first year. */
export function warekiDate(date: string): string {
  const parts = japanese.formatToParts(new Date(`${date}T00:00:00Z`));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  const year = part("year") === "1" ? "元" : part("year");
  return `${part("era")}${year}年（${date.slice(0, 4)}年）${part("month")}月${part("day")}日（${part("weekday")}）`;
}

/** A plain date as <time datetime="YYYY-MM-DD">令和…（西暦）…</time>. */
export const JaDate: FC<{ date: string }> = ({ date }) => <time datetime={date}>{warekiDate(date)}</time>;

/** 「アカウント名（通称）」 as 4.4.2② asks (the 通称 only when there is one). */
export function accountName(account: { name: string; alias: string }): string {
  return account.alias && account.alias !== account.name
    ? `${account.name}（通称：${account.alias}）`
    : account.name;
}
