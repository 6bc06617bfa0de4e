/**
 * The site navigation of the staff and public layouts: one <nav> whose links sit in a
 * <details>. On a phone (below 40rem) it is a 「メニュー」 button that opens the list, without
 * script; from 40rem the stylesheet shows the list inline and hides the button (app.css, where the
 * browser can show a closed <details>' content; elsewhere the button stays and works).
 */
import type { FC } from "hono/jsx";

/** One link of the menu; `current` marks the page the person is on. */
export type MenuLink = { href: string; label: string; current: boolean };

/** The navigation landmark named `label`, with its links behind a 「メニュー」 button on a phone. */
export const NavMenu: FC<{ label: string; links: readonly MenuLink[] }> = ({ label, links }) => (
  <nav class="site-nav" aria-label={label}>
    <details class="nav-menu">
      <summary>メニュー</summary>
      <ul>
        {links.map((link) => (
          <li>
            <a href={link.href} aria-current={link.current ? "page" : undefined}>
              {link.label}
            </a>
          </li>
        ))}
      </ul>
    </details>
  </nav>
);
