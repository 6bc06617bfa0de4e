/**
 * The tabs at the top of every page about one official account: overview, media policy,
 * profile, credentials, change/closure. Each feature's pages render them so people can move
 * between them.
 */
import type { FC } from "hono/jsx";
import { platformLabel } from "../../guideline/pack.ts";

export type AccountHeading = {
  id: number;
  name: string;
  platform: string;
  divisionName: string;
  statusLabel: string;
};

const tabs = [
  { suffix: "", label: "概要" },
  { suffix: "/policy", label: "メディアポリシー" },
  { suffix: "/profile", label: "プロフィール" },
  { suffix: "/credentials", label: "ID・パスワード管理" },
  { suffix: "/notices", label: "変更・廃止" },
  { suffix: "/connection", label: "自動発信の接続" },
];

/** The account's name as the page heading, its status, and the tabs. */
export const AccountHeader: FC<{
  account: AccountHeading;
  current: "" | "/policy" | "/profile" | "/credentials" | "/notices" | "/connection";
  title?: string;
}> = ({ account, current, title }) => (
  <>
    <p class="breadcrumb">
      <a href="/accounts">公式アカウント</a> › {account.divisionName}
    </p>
    <h1>
      {title ? `${title}: ` : ""}
      {account.name}（{platformLabel(account.platform)}）
    </h1>
    <p>状態: {account.statusLabel}</p>
    <p>
      <a href={`/incidents/new?accountId=${account.id}`}>このアカウントについてインシデントを報告する</a>
      （第7）
    </p>
    <nav aria-label="アカウントの情報">
      <ul class="tabs">
        {tabs.map((t) => (
          <li>
            <a
              href={`/accounts/${account.id}${t.suffix}`}
              aria-current={t.suffix === current ? "page" : undefined}
            >
              {t.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  </>
);
