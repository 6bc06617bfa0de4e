/**
 * The official account list for citizens (4.4.1, 4.4.2): exactly the items the guideline asks
 * for — ① service name, ② account name with its 通称, ③ the account URL written out in full
 * (4.4.4: never shortened) — plus the owning division, the status, and a link to the account's
 * media policy. A plain GET form filters by service and department without JavaScript.
 */
import type { FC } from "hono/jsx";
import type { PublicAccount, PublicFilter, PublicRegistry } from "../../app/public/registry.ts";
import { HIJACK_MARKING } from "../../domain/hijack.ts";
import { platformLabel } from "../../guideline/pack.ts";
import { DateText } from "../views/dates.tsx";
import { Url } from "../views/tokens.tsx";
import { accountName } from "./format.tsx";

/**
 * 乗っ取り (7.3(1)): 「現在、不正アクセスを受けています」 and since which hour its posts are not the
 * city's, with a link to the notice. Nothing when the account is not marked.
 */
export const CompromiseMark: FC<{ account: PublicAccount }> = ({ account }) => {
  if (!account.compromise) return null;
  return (
    <p class="public-compromised">
      <span class="badge badge-error">{HIJACK_MARKING}</span>
      <br />
      {account.compromise.notice}。<a href={`/public/notices#hijack-${account.id}`}>お知らせを見る</a>
    </p>
  );
};

/** The status cell: 運用中, or the running notice with a link to it (and a hijack's marking first). */
export const AccountStatus: FC<{ account: PublicAccount }> = ({ account }) => (
  <>
    <CompromiseMark account={account} />
    <StatusLabel account={account} />
  </>
);

const StatusLabel: FC<{ account: PublicAccount }> = ({ account }) => {
  if (!account.notice) {
    if (account.status === "active") return <span class="badge badge-ok">{account.statusLabel}</span>;
    return (
      <>
        <span class="badge badge-warn">{account.statusLabel}</span>
        <br />
        <a href="/public/notices">お知らせを見る</a>
      </>
    );
  }
  const closure = account.notice.kind === "closure";
  return (
    <>
      <span class="badge badge-warn">{account.statusLabel}</span>
      <br />
      <DateText date={account.notice.effectiveDate} />
      {closure ? "に運用を終了します。" : "に変更します。"}
      <a href={`/public/notices#notice-${account.notice.id}`}>お知らせを見る</a>
    </>
  );
};

const Filters: FC<{ registry: PublicRegistry; filter: PublicFilter }> = ({ registry, filter }) => (
  <form method="get" action="/public/accounts" class="filters" aria-label="絞り込み">
    <div class="field">
      <label for="f-platform">サービス</label>
      <select id="f-platform" name="platform">
        <option value="">すべてのサービス</option>
        {registry.platforms.map((p) => (
          <option value={p} selected={filter.platform === p}>
            {platformLabel(p)}
          </option>
        ))}
      </select>
    </div>
    <div class="field">
      <label for="f-department">担当部</label>
      <select id="f-department" name="department">
        <option value="">すべての部</option>
        {registry.departments.map((d) => (
          <option value={String(d.id)} selected={filter.departmentId === d.id}>
            {d.name}
          </option>
        ))}
      </select>
    </div>
    <div class="actions">
      <button type="submit">絞り込む</button>
      {filter.platform || filter.departmentId ? <a href="/public/accounts">条件を解除する</a> : null}
    </div>
  </form>
);

/**
 * The table of accounts (the embeddable fragment has its own, with absolute links and class
 * names). The account name links to its page, which carries its media policy.
 */
const AccountTable: FC<{ accounts: PublicAccount[]; caption: string }> = ({ accounts, caption }) => (
  <div class="table-wrap">
    <table class="public-accounts">
      <caption>
        {caption}
        <span class="public-caption-note">
          アカウント名を選ぶと、運用方針（メディアポリシー）をご覧いただけます。
        </span>
      </caption>
      <thead>
        <tr>
          <th scope="col">サービス名</th>
          <th scope="col">アカウント名</th>
          <th scope="col">アカウントURL</th>
          <th scope="col">担当課</th>
          <th scope="col">状態</th>
        </tr>
      </thead>
      <tbody>
        {accounts.map((a) => (
          <tr>
            <td>{a.service}</td>
            <th scope="row">
              <a href={`/public/accounts/${a.id}`}>{accountName(a)}</a>
            </th>
            <td class="public-url">
              <a href={a.url}>
                <Url value={a.url} />
              </a>
            </td>
            <td>
              <span class="nowrap">{a.departmentName}</span> <span class="nowrap">{a.divisionName}</span>
            </td>
            <td>
              <AccountStatus account={a} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  </div>
);

/** What the list page shows. */
export type AccountsPageProps = {
  cityName: string;
  registry: PublicRegistry;
  filter: PublicFilter;
  accounts: PublicAccount[];
  /** Notices other than changes and closures running today (なりすまし, corrections): one line each. */
  warnings?: ReadonlyArray<{ key: string; title: string; count: number }>;
};

/** The body of /public/accounts. */
export const AccountsPage: FC<AccountsPageProps> = ({
  cityName,
  registry,
  filter,
  accounts,
  warnings = [],
}) => {
  const running = registry.accounts.filter((a) => a.notice !== null).length;
  const filtered = filter.platform !== undefined || filter.departmentId !== undefined;
  return (
    <>
      <h1>{cityName}の公式アカウント一覧</h1>
      <p>
        {cityName}が運用しているソーシャルメディアの公式アカウントです（
        <DateText date={registry.today} />
        現在、{registry.accounts.length}
        件）。サービス名・アカウント名・アカウントのURLを掲載しています（ガイドライン第4-4(2)）。
        ここに載っていないアカウントは、市の公式アカウントではありません。
      </p>
      {registry.accounts.some((a) => a.compromise !== null) ? (
        <div class="notice notice-error" role="alert">
          <p>
            {HIJACK_MARKING}：
            {registry.accounts
              .filter((a) => a.compromise !== null)
              .map((a) => `${a.service}「${accountName(a)}」`)
              .join("、")}
            。不正アクセスが始まった後の投稿は、市によるものではありません。
            <a href="/public/notices">お知らせを見る</a>
          </p>
        </div>
      ) : null}
      {running > 0 || warnings.length > 0 ? (
        <div class="notice notice-warning">
          {running > 0 ? (
            <p>
              名前やURLの変更、運用の終了を予定しているアカウントが{running}件あります。
              <a href="/public/notices">変更・運用終了のお知らせを見る</a>
            </p>
          ) : null}
          {warnings.map((w) => (
            <p>
              <a href={`/public/notices#section-${w.key}`}>{w.title}</a>（{w.count}件）
            </p>
          ))}
        </div>
      ) : null}
      <Filters registry={registry} filter={filter} />
      {accounts.length === 0 ? (
        <p role="status">
          {filtered
            ? "条件に合う公式アカウントはありません。条件を変えてお試しください。"
            : "現在、公開している公式アカウントはありません。"}
        </p>
      ) : (
        <AccountTable
          accounts={accounts}
          caption={
            filtered
              ? `条件に合う公式アカウント（${accounts.length}件）`
              : `公式アカウント（${accounts.length}件）`
          }
        />
      )}
    </>
  );
};
