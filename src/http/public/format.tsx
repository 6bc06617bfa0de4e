/**
 * How the public pages write account names. Dates follow the pages' one convention from
 * src/domain/dates.ts (令和8年（2026年）11月24日（火）), as <time> elements from src/http/views/dates.tsx.
 */
/** 「アカウント名（通称）」 as 4.4.2② asks (the 通称 only when there is one). */
export function accountName(account: { name: string; alias: string }): string {
  return account.alias && account.alias !== account.name
    ? `${account.name}（通称：${account.alias}）`
    : account.name;
}
