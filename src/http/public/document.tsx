/**
 * Whole public documents: a page inside the public layout as a cacheable body, the Japanese 404
 * page and the page shown when the public side cannot answer (database unreachable).
 */
import type { Child } from "hono/jsx";
import type { HttpContext } from "../env.ts";
import { labelTableCells } from "../views/table-cards.ts";
import { PublicLayout, type PublicSection } from "./layout.tsx";
import { PUBLIC_CACHE_CONTROL, type PublicBody } from "./serve.ts";

/** Content type of public HTML pages and fragments. */
export const HTML = "text/html; charset=utf-8";

/** A whole public page as a body to cache. */
export function publicPage(
  c: HttpContext,
  props: { title: string; current: PublicSection; description?: string },
  body: Child,
  status: 200 | 404 = 200,
): PublicBody {
  const html = (
    <PublicLayout
      title={props.title}
      current={props.current}
      cityName={c.var.app.config.cityName}
      demo={c.var.app.config.demo}
      {...(props.description ? { description: props.description } : {})}
    >
      {body}
    </PublicLayout>
  );
  return { status, type: HTML, body: `<!doctype html>${labelTableCells(String(html))}` };
}

/** The body of the Japanese 404 page. */
export function notFoundBody(c: HttpContext): PublicBody {
  return publicPage(
    c,
    { title: "ページが見つかりません", current: null },
    <>
      <h1>ページが見つかりません</h1>
      <p>
        お探しのページは、移動したか削除された可能性があります。運用を終了したアカウントは「公式アカウントか確かめる」ページで確かめられます。
      </p>
      <ul>
        <li>
          <a href="/public/accounts">公式アカウント一覧</a>
        </li>
        <li>
          <a href="/public/verify">公式アカウントか確かめる</a>
        </li>
      </ul>
    </>,
    404,
  );
}

/**
 * The 404 response, rendered directly: it costs no query, and caching it would let anyone fill
 * the cache with made-up paths.
 */
export function notFoundPage(c: HttpContext): Response {
  c.header("Cache-Control", PUBLIC_CACHE_CONTROL);
  return c.html(String(notFoundBody(c).body), 404);
}

/** The page shown when the public side cannot answer (never cached). */
export function unavailablePage(c: HttpContext): Response {
  const body = publicPage(
    c,
    { title: "ただいま表示できません", current: null },
    <>
      <h1>ただいま表示できません</h1>
      <p>
        申し訳ありません。ページを表示できませんでした。しばらく時間をおいてから、もう一度お試しください。
      </p>
    </>,
  );
  c.header("Cache-Control", "no-store");
  c.header("Retry-After", "30");
  return c.html(String(body.body), 503);
}
