/**
 * Profiles (kind `bio`): 4.4.3 the free-text field must carry ① the media policy and ② the URL
 * of the account's page on the city site; 5.3.1 it must disclose the affiliation (the division)
 * unless the account is a registered character. Shorteners in a bio are 4.4.4 errors (links.ts).
 */
import type { CheckContext } from "../context.ts";

/** host + path without scheme, www., trailing slash or index.html, lower-cased. */
export function canonicalUrl(url: string): string {
  return url
    .normalize("NFKC")
    .trim()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, "")
    .replace(/^www\./i, "")
    .replace(/#.*$/, "")
    .replace(/\/index\.html?$/i, "")
    .replace(/\/+$/, "")
    .toLowerCase();
}

const DIVISION = /[\p{sc=Han}\p{sc=Katakana}ー]{1,12}(?:課|室|部|局|事務所|センター|支所|館|本部)/u;

/** 4.4.3 and 5.3.1 for kind `bio`: media policy, the account's page on the city site, the division. */
export function checkProfile(ctx: CheckContext): void {
  if (ctx.input.kind !== "bio") return;
  const account = ctx.input.account ?? {};
  const text = ctx.text;

  const policyUrl = account.policyUrl ? canonicalUrl(account.policyUrl) : null;
  const hasPolicy =
    ctx.hits("bioPolicy").length > 0 ||
    (policyUrl !== null && ctx.links.some((l) => canonicalUrl(l.url) === policyUrl));
  if (!hasPolicy) {
    ctx.reportOriginal(
      "profile.no-media-policy",
      "4.4.3",
      "error",
      0,
      0,
      "自由記述欄にメディアポリシー（運用方針）の記載がありません",
      "「運用方針（メディアポリシー）：」に続けて、運用方針を掲載した市ホームページのURLを記載してください。",
    );
  }

  const home = account.homepageUrl ? canonicalUrl(account.homepageUrl) : null;
  const hasShortener = ctx.links.some(
    (l) => l.category === "shortener" || l.category === "platform-short-link",
  );
  const trusted = ctx.links.filter((l) => l.category === "trusted");
  const homeFound = home !== null ? ctx.links.some((l) => canonicalUrl(l.url) === home) : trusted.length > 0;
  if (!homeFound) {
    if (hasShortener) {
      ctx.reportOriginal(
        "profile.homepage-unverified",
        "4.4.3",
        "info",
        0,
        0,
        "短縮URLのため、所管サイトのURLが記載されているか確認できません",
        home
          ? `短縮URLを本来のURL（${account.homepageUrl}）に置き換えてください。`
          : "短縮URLを本来のURLに置き換えてください。",
      );
    } else if (home !== null && trusted.length > 0) {
      ctx.reportOriginal(
        "profile.homepage-mismatch",
        "4.4.3",
        "warning",
        0,
        0,
        "自由記述欄のURLが、アカウントを掲載している所管サイトのURLと一致しません",
        `アカウントの運用を掲載している所管サイトのURL（${account.homepageUrl}）を記載してください。`,
      );
    } else {
      ctx.reportOriginal(
        "profile.no-homepage",
        "4.4.3",
        "error",
        0,
        0,
        "自由記述欄に、アカウントの運用を掲載している市公式ホームページ（所管サイト）のURLがありません",
        home
          ? `所管サイトのURL（${account.homepageUrl}）を省略せずに記載してください。`
          : "アカウントの運用を掲載している所管サイトのURLを省略せずに記載してください。",
      );
    }
  }

  if (account.character) return;
  const division = account.division?.normalize("NFKC").trim();
  const hasDivision = division ? text.includes(division) : DIVISION.test(text);
  if (hasDivision) return;
  const namesCity = ctx.hits("municipality").length > 0;
  ctx.reportOriginal(
    "profile.no-affiliation",
    "5.3.1",
    namesCity ? "info" : "warning",
    0,
    0,
    namesCity
      ? `自由記述欄に運用している所属（${division ?? "課等の名称"}）の記載がありません`
      : "自由記述欄に、市の公式アカウントであることと運用している所属の記載がありません",
    `「${ctx.compiled.pack.municipality.name}${division ?? "○○課"}の公式アカウントです」のように、所属を明記してください（業務として認められたキャラクターのアカウントを除きます）。`,
  );
}
