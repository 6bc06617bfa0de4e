/**
 * The layout of the public pages for citizens: the city's name as the site name, a skip link,
 * links between the public pages, one <main>, a short explanation of what an official account
 * is, how to check one and where to report a suspicious one, and a footer. No login, no script,
 * no cookie; the same design tokens and stylesheet as the staff pages.
 */

import type { Child, FC } from "hono/jsx";
import { faviconHref } from "../assets.ts";
import { DemoBanner } from "../views/demo-banner.tsx";
import { NavMenu } from "../views/nav-menu.tsx";

/** Which public page is current (marked in the navigation). */
export type PublicSection = "accounts" | "notices" | "verify" | null;

const nav: Array<{ key: Exclude<PublicSection, null>; href: string; label: string }> = [
  { key: "accounts", href: "/public/accounts", label: "公式アカウント一覧" },
  { key: "notices", href: "/public/notices", label: "お知らせ（変更・運用終了など）" },
  { key: "verify", href: "/public/verify", label: "公式アカウントか確かめる" },
];

/** What an official account is, how to check one, where to report a suspicious one (plain Japanese). */
const About: FC<{ cityName: string }> = ({ cityName }) => (
  <section class="public-about" aria-labelledby="about-title">
    <h2 id="about-title">公式アカウントについて</h2>
    <dl class="public-about-list">
      <dt>公式アカウントとは</dt>
      <dd>
        {cityName}
        がソーシャルメディア運用ガイドラインに沿って開設を認め、担当課が運用しているアカウントです。
        <a href="/public/accounts">公式アカウント一覧</a>に載っているものだけが{cityName}
        の公式アカウントです。
      </dd>
      <dt>確かめ方</dt>
      <dd>
        名前やアイコンが似ていても、URLが一覧と1文字でも違えば公式ではありません。URLを
        <a href="/public/verify">公式アカウントか確かめるページ</a>に貼り付けると、すぐに確かめられます。
      </dd>
      <dt>怪しいアカウントを見つけたら</dt>
      <dd>
        市を名乗る怪しいアカウント（なりすまし）を見つけたときは、フォローや返信、リンクを開くことは控え、
        {cityName}役所の代表窓口または各アカウントの担当課へお知らせください。
      </dd>
    </dl>
  </section>
);

/** Props of the public layout. */
export type PublicLayoutProps = {
  title: string;
  cityName: string;
  current: PublicSection;
  /** Short description for search engines and link previews. */
  description?: string;
  /** The demo (`npm run demo`): every page says its texts are samples. */
  demo?: boolean | undefined;
  children?: Child;
};

/** The whole HTML document of a public page. */
export const PublicLayout: FC<PublicLayoutProps> = (props) => (
  <html lang="ja">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{`${props.title} | ${props.cityName} 公式ソーシャルメディアアカウント`}</title>
      {props.description ? <meta name="description" content={props.description} /> : null}
      <link rel="stylesheet" href="/assets/tokens.css" />
      <link rel="stylesheet" href="/assets/app.css" />
      <link rel="icon" type="image/svg+xml" href={faviconHref} />
      <link
        rel="alternate"
        type="application/json"
        href="/public/accounts.json"
        title="公式アカウント一覧（JSON）"
      />
    </head>
    <body>
      <a class="skip-link" href="#main">
        本文へ移動
      </a>
      <header class="site-header public-header">
        <p class="site-title">
          <a href="/public/accounts">{props.cityName}</a>
          <small>公式ソーシャルメディアアカウント</small>
        </p>
      </header>
      <NavMenu
        label="公開ページ"
        links={nav.map((item) => ({
          href: item.href,
          label: item.label,
          current: props.current === item.key,
        }))}
      />
      <main id="main" tabindex={-1}>
        <DemoBanner demo={props.demo} />
        {props.children}
        <About cityName={props.cityName} />
      </main>
      <footer class="site-footer public-footer">
        <p>
          このページは、{props.cityName}
          ソーシャルメディア運用ガイドライン第4-4に基づき、市の公式アカウントとその運用方針（メディアポリシー）を公開しています。
        </p>
        <p>
          オープンデータ: <a href="/public/accounts.json">公式アカウント一覧（JSON）</a>・
          <a href="/public/accounts.csv">公式アカウント一覧（CSV）</a>
        </p>
      </footer>
    </body>
  </html>
);
