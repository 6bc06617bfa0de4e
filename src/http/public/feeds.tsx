/**
 * The official account list for machines and for the city's own website (4.4.1: HP掲載):
 *
 * - `/public/accounts.json` — documented in /api/v1/openapi.json (openapi.ts), open to any origin.
 * - `/public/accounts.csv` — UTF-8 with BOM and CRLF, opens in Excel.
 * - `/public/embed/accounts` — an HTML fragment for the city CMS to include (no <html>, no
 *   <head>, no style or script of its own; links are absolute). It is styled by the city's own
 *   CSS through these class names:
 *
 *   | class                      | element                                           |
 *   |----------------------------|---------------------------------------------------|
 *   | `snsgov-accounts`          | <section> around everything                       |
 *   | `snsgov-accounts-table`    | the <table> (caption, thead, tbody)               |
 *   | `snsgov-account`           | one <tr>; also `snsgov-platform-{x,instagram,…}` and `snsgov-status-{active,change_announced,closure_announced}` |
 *   | `snsgov-service`           | <td> service name (4.4.2①)                        |
 *   | `snsgov-name`              | <th> account name with 通称 (4.4.2②)               |
 *   | `snsgov-url`               | <td> the account URL, in full (4.4.2③, 4.4.4)     |
 *   | `snsgov-division`          | <td> department and division                      |
 *   | `snsgov-policy`            | <td> link to the media policy                     |
 *   | `snsgov-notice`            | <p> in a row: a change or closure is announced    |
 *   | `snsgov-source`            | <p> after the table: date and link to the full list |
 *
 *   All three accept the list's filters: `?platform=x&department=3`.
 */
import type { FC } from "hono/jsx";
import { formatCsv } from "../../app/csv.ts";
import type { PublicAccount } from "../../app/public/registry.ts";
import { HIJACK_MARKING } from "../../domain/hijack.ts";
import { DateText } from "../views/dates.tsx";
import { accountName } from "./format.tsx";

/** One account in the JSON feed. */
export type PublicAccountJson = {
  id: number;
  service: string;
  platform: string;
  name: string;
  alias: string;
  handle: string;
  url: string;
  department: string;
  division: string;
  status: string;
  statusLabel: string;
  page: string;
  policyVersion: number | null;
  notice: { kind: "change" | "closure"; effectiveDate: string; page: string } | null;
  /** 乗っ取り (7.3(1)): 「現在、不正アクセスを受けています」 since when, with the notice's sentence. */
  compromised: { since: string; message: string; notice: string; page: string } | null;
};

/** An account as the JSON feed gives it (absolute links from the public URL). */
export function accountJson(a: PublicAccount, base: string): PublicAccountJson {
  return {
    id: a.id,
    service: a.service,
    platform: a.platform,
    name: a.name,
    alias: a.alias,
    handle: a.handle,
    url: a.url,
    department: a.departmentName,
    division: a.divisionName,
    status: a.status,
    statusLabel: a.statusLabel,
    page: `${base}/public/accounts/${a.id}`,
    policyVersion: a.policyVersion,
    notice: a.notice
      ? {
          kind: a.notice.kind,
          effectiveDate: a.notice.effectiveDate,
          page: `${base}/public/notices#notice-${a.notice.id}`,
        }
      : null,
    compromised: a.compromise
      ? {
          since: a.compromise.since.toISOString(),
          message: HIJACK_MARKING,
          notice: a.compromise.notice,
          page: `${base}/public/notices#hijack-${a.id}`,
        }
      : null,
  };
}

/** The JSON feed's body. */
export function accountsJson(props: {
  cityName: string;
  base: string;
  today: string;
  generatedAt: Date;
  accounts: PublicAccount[];
}): string {
  return JSON.stringify({
    municipality: props.cityName,
    date: props.today,
    generatedAt: props.generatedAt.toISOString(),
    count: props.accounts.length,
    accounts: props.accounts.map((a) => accountJson(a, props.base)),
  });
}

/** The CSV's header row. */
export const csvHeader = [
  "サービス名",
  "アカウント名",
  "通称",
  "アカウントURL",
  "担当部",
  "担当課",
  "状態",
  "メディアポリシー",
  "変更・運用終了の予定日",
];

/** The CSV's rows, header first (formatCsv/toCsvBytes add quoting and the BOM). */
export function accountsCsvRows(accounts: PublicAccount[], base: string): string[][] {
  return [
    csvHeader,
    ...accounts.map((a) => [
      a.service,
      a.name,
      a.alias,
      a.url,
      a.departmentName,
      a.divisionName,
      a.statusLabel,
      `${base}/public/accounts/${a.id}`,
      a.notice?.effectiveDate ?? "",
    ]),
  ];
}

/** The CSV as text (without BOM), for tests and the route. */
export function accountsCsv(accounts: PublicAccount[], base: string): string {
  return formatCsv(accountsCsvRows(accounts, base));
}

/** The embeddable fragment (see the class table above). */
export const EmbedAccounts: FC<{
  cityName: string;
  base: string;
  today: string;
  accounts: PublicAccount[];
}> = ({ cityName, base, today, accounts }) => (
  <section class="snsgov-accounts" lang="ja">
    <table class="snsgov-accounts-table">
      <caption>
        {cityName}の公式ソーシャルメディアアカウント（{accounts.length}件）
      </caption>
      <thead>
        <tr>
          <th scope="col">サービス名</th>
          <th scope="col">アカウント名</th>
          <th scope="col">アカウントURL</th>
          <th scope="col">担当課</th>
          <th scope="col">運用方針</th>
        </tr>
      </thead>
      <tbody>
        {accounts.map((a) => (
          <tr class={`snsgov-account snsgov-platform-${a.platform} snsgov-status-${a.status}`}>
            <td class="snsgov-service">{a.service}</td>
            <th scope="row" class="snsgov-name">
              {accountName(a)}
            </th>
            <td class="snsgov-url">
              <a href={a.url}>{a.url}</a>
            </td>
            <td class="snsgov-division">
              {a.departmentName} {a.divisionName}
            </td>
            <td class="snsgov-policy">
              <a
                href={`${base}/public/accounts/${a.id}`}
                aria-label={`メディアポリシー（${accountName(a)}）`}
              >
                メディアポリシー
              </a>
              {a.compromise ? (
                <p class="snsgov-compromised">
                  <a href={`${base}/public/notices#hijack-${a.id}`}>
                    <strong>{HIJACK_MARKING}。</strong>
                    {a.compromise.notice}。
                  </a>
                </p>
              ) : null}
              {a.notice ? (
                <p class="snsgov-notice">
                  <a href={`${base}/public/notices#notice-${a.notice.id}`}>
                    <DateText date={a.notice.effectiveDate} />
                    {a.notice.kind === "closure" ? "に運用を終了します" : "に変更します"}
                  </a>
                </p>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
    <p class="snsgov-source">
      <DateText date={today} />
      現在。一覧にないアカウントは{cityName}の公式アカウントではありません。
      <a href={`${base}/public/accounts`}>公式アカウント一覧（{cityName}）</a>・
      <a href={`${base}/public/verify`}>公式アカウントか確かめる</a>
    </p>
  </section>
);
