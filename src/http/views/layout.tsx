/**
 * Page layout for staff pages: skip link, site header with the signed-in person, navigation by
 * role, one <main>, footer. Server-rendered; works without JavaScript.
 */

import type { Child, FC } from "hono/jsx";
import type { StaffActor } from "../../app/context.ts";
import { can } from "../../domain/policy.ts";
import { faviconHref } from "../assets.ts";
import { Flash, type FlashMessage } from "./components.tsx";
import { DemoBanner } from "./demo-banner.tsx";
import { ErrorSummaryBox, type SummaryEntry } from "./error-summary.tsx";
import { NavMenu } from "./nav-menu.tsx";

export type NavItem = { href: string; label: string; show: (actor: StaffActor) => boolean };

const always = () => true;

/** Navigation; each item shows only to people who may use it. Later features add items here. */
export const navItems: NavItem[] = [
  { href: "/", label: "ダッシュボード", show: always },
  { href: "/posts", label: "投稿", show: always },
  { href: "/accounts", label: "公式アカウント", show: (a) => can(a, "account.read") },
  { href: "/notices", label: "変更・廃止", show: (a) => can(a, "notice.read") },
  // 4.1.2, 4.5.1: the directors (and auditors) work from the list of 届出.
  { href: "/filings", label: "届出", show: (a) => can(a, "account.read_all") },
  { href: "/incidents", label: "インシデント", show: (a) => can(a, "incident.report") },
  { href: "/tasks", label: "タスク", show: always },
  { href: "/guideline", label: "ガイドライン", show: (a) => can(a, "guideline.read") },
  { href: "/council", label: "協議会", show: (a) => can(a, "council.read") },
  { href: "/consultations", label: "協議", show: (a) => can(a, "consultation.read") },
  // 9: shown only to those who may know that violation records exist.
  { href: "/violations", label: "違反の記録", show: (a) => can(a, "violation.read") },
  { href: "/staff", label: "職員", show: (a) => can(a, "staff.read") },
  { href: "/org/departments", label: "組織", show: (a) => can(a, "org.read") },
  { href: "/transfers", label: "人事異動", show: (a) => can(a, "transfer.read") },
  // 9: who holds the privileged roles, for those who oversee them.
  { href: "/roles", label: "特権の保有者", show: (a) => can(a, "role.oversee") },
  { href: "/audit", label: "監査ログ", show: (a) => can(a, "audit.read") },
  { href: "/admin/settings", label: "システム設定", show: (a) => can(a, "settings.manage") },
  { href: "/account", label: "アカウント設定", show: always },
];

export type PageProps = {
  title: string;
  actor?: StaffActor | undefined;
  csrf?: string | undefined;
  cityName: string;
  currentPath?: string;
  flash?: FlashMessage | undefined;
  /** Unread notifications (capped at 100, shown as 99+); undefined: not counted. */
  unreadNotifications?: number | undefined;
  /** The problems of the refused form, shown first in <main> and focused. */
  errors?: readonly SummaryEntry[] | undefined;
  /** The demo (`npm run demo`): every page says its texts are samples. */
  demo?: boolean | undefined;
  children?: Child;
};

function isCurrent(href: string, path: string | undefined): boolean {
  if (!path) return false;
  if (href === "/") return path === "/";
  return (
    path === href || path.startsWith(`${href}/`) || (href === "/org/departments" && path.startsWith("/org/"))
  );
}

const Nav: FC<{ actor: StaffActor; currentPath?: string | undefined }> = ({ actor, currentPath }) => (
  <NavMenu
    label="メインメニュー"
    links={navItems
      .filter((item) => item.show(actor))
      .map((item) => ({ href: item.href, label: item.label, current: isCurrent(item.href, currentPath) }))}
  />
);

/** The header's link to the notifications, with the unread count. */
const NotificationLink: FC<{ unread: number | undefined; current: boolean }> = ({ unread, current }) => (
  <a href="/notifications" aria-current={current ? "page" : undefined}>
    通知
    {unread ? (
      <>
        {" "}
        <span class="badge badge-error">{unread > 99 ? "99+" : unread}</span>
        <span class="visually-hidden">件の未読</span>
      </>
    ) : null}
  </a>
);

/** The whole HTML document of a staff page. */
export const Page: FC<PageProps> = (props) => (
  <html lang="ja">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{`${props.title} | snsgov ${props.cityName}`}</title>
      <link rel="stylesheet" href="/assets/tokens.css" />
      <link rel="stylesheet" href="/assets/app.css" />
      <link rel="icon" type="image/svg+xml" href={faviconHref} />
    </head>
    <body>
      <a class="skip-link" href="#main">
        本文へ移動
      </a>
      <header class="site-header staff-header">
        <p class="site-title">
          <a href="/">snsgov</a>
          <small>{props.cityName} ソーシャルメディア運用管理</small>
        </p>
        {props.actor ? (
          <div class="user-box">
            <span class="user-name">
              <span class="visually-hidden">ログイン中: </span>
              {props.actor.name} さん
            </span>
            <NotificationLink
              unread={props.unreadNotifications}
              current={props.currentPath === "/notifications"}
            />
            <form method="post" action="/logout">
              <input type="hidden" name="_csrf" value={props.csrf ?? ""} />
              <button type="submit" class="secondary">
                ログアウト
              </button>
            </form>
          </div>
        ) : null}
      </header>
      {props.actor ? <Nav actor={props.actor} currentPath={props.currentPath} /> : null}
      <main id="main" tabindex={-1}>
        <DemoBanner demo={props.demo} />
        <ErrorSummaryBox summaries={props.errors ?? []} />
        <Flash message={props.flash} />
        {props.children}
      </main>
      <footer class="site-footer">
        <p>
          {props.cityName}ソーシャルメディア運用ガイドラインに基づく公式アカウント運用管理システム（snsgov）
        </p>
        <p>
          <a href="/public/accounts">{props.cityName}の公式アカウント一覧（公開ページ）</a>
        </p>
      </footer>
    </body>
  </html>
);
