/**
 * One official account for citizens (4.4.1): the account (4.4.2 items, division, status), its
 * media policy in force with every item of 4.2.1 ①–④ and the reply policy of 4.2.2, and every
 * published version with what changed (4.2.3 周知). A closed account says until when it was official.
 */
import type { FC } from "hono/jsx";
import type { PublicAccountPage, PublishedPolicy } from "../../app/public/policies.ts";
import { readablePolicyValue } from "../../app/public/policies.ts";
import type { PublicAccount } from "../../app/public/registry.ts";
import { policyFieldLabels, policyFields } from "../../domain/accounts.ts";
import { HIJACK_MARKING } from "../../domain/hijack.ts";
import { DateText } from "../views/dates.tsx";
import { Url } from "../views/tokens.tsx";
import { AccountStatus } from "./accounts-view.tsx";
import { accountName } from "./format.tsx";

const Breadcrumb: FC<{ account?: PublicAccount }> = ({ account }) => (
  <nav aria-label="現在地">
    <p class="breadcrumb">
      <a href="/public/accounts">公式アカウント一覧</a>
      {account ? (
        <>
          {" › "}
          <a href={`/public/accounts/${account.id}`}>{accountName(account)}</a>
        </>
      ) : null}
    </p>
  </nav>
);

const AccountFacts: FC<{ account: PublicAccount }> = ({ account }) => (
  <dl class="facts">
    <dt>サービス名</dt>
    <dd>{account.service}</dd>
    <dt>アカウント名</dt>
    <dd>{account.name}</dd>
    {account.alias ? (
      <>
        <dt>通称</dt>
        <dd>{account.alias}</dd>
      </>
    ) : null}
    <dt>アカウントURL</dt>
    <dd class="public-url">
      {account.status === "closed" ? (
        <Url value={account.url} />
      ) : (
        <a href={account.url}>
          <Url value={account.url} />
        </a>
      )}
    </dd>
    <dt>担当課</dt>
    <dd>
      {account.departmentName} {account.divisionName}
    </dd>
    <dt>状態</dt>
    <dd>
      {account.status === "closed" ? (
        <span class="badge badge-muted">{account.statusLabel}</span>
      ) : (
        <AccountStatus account={account} />
      )}
    </dd>
    {account.homepageUrl && account.status !== "closed" ? (
      <>
        <dt>市ホームページ</dt>
        <dd class="public-url">
          <a href={account.homepageUrl}>
            <Url value={account.homepageUrl} />
          </a>
        </dd>
      </>
    ) : null}
  </dl>
);

/** Every item of a policy version, with the guideline's labels. */
export const PolicyItems: FC<{ policy: PublishedPolicy }> = ({ policy }) => (
  <dl class="public-policy">
    {policyFields.map((field) => (
      <>
        <dt>{policyFieldLabels[field]}</dt>
        <dd class="public-text">{readablePolicyValue(policy.content, field) || "（記載なし）"}</dd>
      </>
    ))}
  </dl>
);

const VersionLine: FC<{ policy: PublishedPolicy }> = ({ policy }) => (
  <p>
    第{policy.version}版
    {policy.approvedOn ? (
      <>
        （<DateText date={policy.approvedOn} />
        から適用）
      </>
    ) : null}
    {policy.current && policy.reviewDue ? (
      <>
        。次回の見直しは <DateText date={policy.reviewDue} />{" "}
        までに行います（見直しはガイドライン第4-2(3)に基づき、時期は本市が定めています）
      </>
    ) : null}
    。
  </p>
);

const History: FC<{ account: PublicAccount; policies: PublishedPolicy[] }> = ({ account, policies }) => (
  <section aria-labelledby="history-title">
    <h2 id="history-title">メディアポリシーの改定履歴</h2>
    <div class="table-wrap">
      <table>
        <caption>公開したすべての版（新しい順）</caption>
        <thead>
          <tr>
            <th scope="col">版</th>
            <th scope="col">適用日</th>
            <th scope="col">主な変更点</th>
          </tr>
        </thead>
        <tbody>
          {[...policies].reverse().map((p) => (
            <tr>
              <th scope="row">
                <a href={`/public/accounts/${account.id}/policy/${p.version}`}>第{p.version}版</a>
                {p.current ? (
                  <>
                    {" "}
                    <span class="badge badge-ok">現在の版</span>
                  </>
                ) : null}
              </th>
              <td>{p.approvedOn ? <DateText date={p.approvedOn} /> : "—"}</td>
              <td class="public-text">
                {p.changeSummary ||
                  (p.changes.length > 0
                    ? `${p.changes.map((c) => c.label).join("、")}を変更`
                    : p.version === policies[0]?.version
                      ? "最初の版"
                      : "—")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  </section>
);

/** The body of /public/accounts/{id}. */
export const AccountPage: FC<{ page: PublicAccountPage; cityName: string }> = ({ page, cityName }) => {
  const { account, policies } = page;
  const current = policies.find((p) => p.current);
  if (account.status === "closed") {
    return (
      <>
        <Breadcrumb />
        <h1>{accountName(account)}</h1>
        <p>{account.service}のアカウントです。</p>
        <div class="notice notice-warning">
          <p>
            このアカウントは
            {account.closedOn ? (
              <>
                <DateText date={account.closedOn} />
                まで
              </>
            ) : (
              "以前は"
            )}
            {cityName}の公式アカウントでした。現在は運用を終了しています。
          </p>
          <p>
            いまこのURLで発信しているアカウントがあっても、{cityName}
            の公式アカウントではありません。ご注意ください。
          </p>
        </div>
        <AccountFacts account={account} />
        {policies.length > 0 ? <History account={account} policies={policies} /> : null}
      </>
    );
  }
  return (
    <>
      <Breadcrumb />
      <h1>{accountName(account)}</h1>
      <p>
        {account.service}にある{cityName}の公式アカウントです。
      </p>
      {account.compromise ? (
        <div class="notice notice-error" role="alert">
          <h2>{HIJACK_MARKING}</h2>
          <p>
            {account.compromise.notice}
            。このアカウントからのメッセージに返信したり、リンクを開いたりしないでください。回復しましたら、この表示を終えます（ガイドライン第7-3(1)）。
            <a href={`/public/notices#hijack-${account.id}`}>お知らせを見る</a>
          </p>
        </div>
      ) : null}
      <AccountFacts account={account} />
      <section aria-labelledby="policy">
        <h2 id="policy" tabindex={-1}>
          メディアポリシー（運用方針）
        </h2>
        {current ? (
          <>
            <VersionLine policy={current} />
            <PolicyItems policy={current} />
          </>
        ) : (
          <p>このアカウントのメディアポリシーは準備中です。</p>
        )}
      </section>
      {policies.length > 0 ? <History account={account} policies={policies} /> : null}
    </>
  );
};

/** The body of /public/accounts/{id}/policy/{version}: one version and what changed in it. */
export const PolicyVersionPage: FC<{ page: PublicAccountPage; policy: PublishedPolicy }> = ({
  page,
  policy,
}) => {
  const { account, policies } = page;
  const index = policies.indexOf(policy);
  const previous = index > 0 ? policies[index - 1] : undefined;
  const current = policies.find((p) => p.current);
  return (
    <>
      <Breadcrumb account={account} />
      <h1>
        {accountName(account)}のメディアポリシー 第{policy.version}版
      </h1>
      {policy.current ? (
        <p>
          <span class="badge badge-ok">現在の版</span> この版が現在の運用方針です。
        </p>
      ) : (
        <div class="notice notice-info">
          <p>
            この版は過去の運用方針です。
            {current ? (
              <>
                現在の運用方針は<a href={`/public/accounts/${account.id}#policy`}>第{current.version}版</a>
                です。
              </>
            ) : null}
          </p>
        </div>
      )}
      <VersionLine policy={policy} />
      <section aria-labelledby="changes-title">
        <h2 id="changes-title">この版で変わったこと</h2>
        {policy.changeSummary ? <p class="public-text">{policy.changeSummary}</p> : null}
        {previous ? (
          policy.changes.length > 0 ? (
            <div class="table-wrap">
              <table class="public-diff">
                <caption>第{previous.version}版からの変更（項目ごと）</caption>
                <thead>
                  <tr>
                    <th scope="col">項目</th>
                    <th scope="col">変更前（第{previous.version}版）</th>
                    <th scope="col">変更後（第{policy.version}版）</th>
                  </tr>
                </thead>
                <tbody>
                  {policy.changes.map((c) => (
                    <tr>
                      <th scope="row">{c.label}</th>
                      <td class="public-text">
                        <del>{c.before || "（記載なし）"}</del>
                      </td>
                      <td class="public-text">
                        <ins>{c.after || "（記載なし）"}</ins>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p>第{previous.version}版から内容の変更はありません。</p>
          )
        ) : (
          <p>最初に公開した版です。</p>
        )}
      </section>
      <section aria-labelledby="content-title">
        <h2 id="content-title">第{policy.version}版の内容</h2>
        <PolicyItems policy={policy} />
      </section>
      <History account={account} policies={policies} />
    </>
  );
};
