/**
 * 5.3.6 第三者のURL, 5.3.7 短縮URL, 4.4.4 自由記述欄の短縮URL禁止, 5.2 禁止ドメイン — every URL
 * is classified by its domain: trusted (*.lg.jp, *.go.jp, the city's own), a shortener from
 * the shipped list, a platform's own short link kept for review (lin.ee, forms.gle, youtu.be),
 * denied, or a third party (a warning naming the domain). A URL whose host or path is made of
 * adult-site words (…-adult.net, ero-douga…) is reported under 5.2.9 as well.
 */
import type { CheckContext } from "../context.ts";
import { toOriginalSpan } from "../text/normalize.ts";
import { extractUrls } from "../text/urls.ts";
import type { LinkInfo } from "../types.ts";

function inSet(host: string, set: ReadonlySet<string>): boolean {
  return set.has(host) || (host.startsWith("www.") && set.has(host.slice(4)));
}

/** Classifies one host with the pack's lists. */
export function classifyHost(ctx: CheckContext, host: string, url: string): LinkInfo["category"] {
  const c = ctx.compiled;
  if (c.trustedDomains.has(host)) return "trusted";
  const bare = url.replace(/^https?:\/\//i, "").toLowerCase();
  if (
    c.pack.links.trustedUrlPrefixes.some((p) => bare.startsWith(p.replace(/^https?:\/\//i, "").toLowerCase()))
  ) {
    return "trusted";
  }
  if (c.deniedDomains.has(host)) return "denied";
  if (inSet(host, c.reviewShortLinks)) return "platform-short-link";
  if (inSet(host, c.shorteners)) return "shortener";
  return "third-party";
}

/** 5.2.9: a URL whose host or path has a word of `links.adultWords` as one of its parts. */
function reportAdult(ctx: CheckContext, url: string, start: number, end: number): void {
  const words = ctx.compiled.adultWords;
  if (words.size === 0) return;
  const parts = url
    .replace(/^https?:\/\//i, "")
    .toLowerCase()
    .split(/[^a-z0-9]+/);
  const word = parts.find((p) => words.has(p));
  if (!word) return;
  ctx.report(
    "links.adult-site",
    "5.2.9",
    "error",
    start,
    end,
    `成人向けサイトと思われるURL（「${word}」を含む）です`,
    "わいせつな内容を含むページのURLは掲載できません（第5-2 禁止事項）。リンク先を確認し、削除してください。",
  );
}

/** 5.3.6, 5.3.7, 4.4.4, 5.2: classifies every URL (fills `ctx.links`, `ctx.urlSpans`) and reports quote-posts. */
export function checkLinks(ctx: CheckContext): void {
  const bio = ctx.input.kind === "bio";
  for (const u of extractUrls(ctx.text)) {
    const category = classifyHost(ctx, u.host, u.url);
    const [start, end] = [u.start, u.end];
    const [os, oe] = toOriginalSpan(ctx.norm, start, end);
    ctx.urlSpans.push({ start, end });
    ctx.links.push({ url: u.url, domain: u.host, start: os, end: oe, category });
    if (category !== "trusted") reportAdult(ctx, u.url, start, end);
    switch (category) {
      case "trusted":
        break;
      case "denied":
        ctx.report(
          "links.denied-domain",
          "5.2",
          "error",
          start,
          end,
          `掲載が禁止されているドメイン（${u.host}）のURLです`,
          "禁止事項に当たる情報を含むページのURLは掲載できません。リンクを削除してください。",
        );
        break;
      case "shortener":
        if (bio) {
          ctx.report(
            "links.shortener-in-bio",
            "4.4.4",
            "error",
            start,
            end,
            `自由記述欄に短縮URL（${u.host}）が使われています`,
            "所管サイトのURLは短縮せず、本来のURLを全て表示してください（例：https://www.city.iwaki.lg.jp/…）。",
          );
        } else {
          ctx.report(
            "links.shortener",
            "5.3.7",
            "warning",
            start,
            end,
            `短縮URL（${u.host}）が使われています。リンク先が分からず、不安を与えるおそれがあります`,
            "短縮URLは使わず、リンク先の本来のURLを記載してください。",
          );
        }
        break;
      case "platform-short-link":
        ctx.report(
          "links.platform-short-link",
          "5.3.7",
          "warning",
          start,
          end,
          `サービス公式の短縮URL（${u.host}）です。リンク先の確認が必要です`,
          "リンク先が市の公式アカウントやフォームであることを確認してください。可能であれば本来のURLを記載してください。",
        );
        break;
      case "third-party":
        ctx.report(
          "links.third-party",
          "5.3.6",
          "warning",
          start,
          end,
          `市以外のサイト（${u.host}）へのリンクです。市がその内容の信頼性を認めたと受け取られます`,
          "リンク先の運営者と内容を確認し、掲載が必要な場合は「外部サイト」であることを明記してください。禁止事項に当たる内容を含むページは掲載できません。",
        );
        break;
    }
  }
  const quote = /(?:^|\s)(?:RT|QT)\s?@\w+|引用(?:RT|リポスト)/.exec(ctx.text);
  if (quote) {
    ctx.report(
      "links.quote-post",
      "5.3.6",
      "warning",
      quote.index,
      quote.index + quote[0].length,
      "第三者のアカウントの投稿を引用しています。市がその内容の信頼性を認めたと受け取られます",
      "引用する投稿の内容と投稿者を確認してください。",
    );
  }
}
