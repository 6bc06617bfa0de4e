/**
 * Pure rules of the publishing record: whether a URL is a post of the account's platform (https,
 * the platform's own host, a path that is not the account's profile page), and the wording of
 * the tasks this part opens. No I/O.
 */

import { parseAccountUrl } from "../../domain/platforms.ts";
import type { GuidelinePack, Platform } from "../../guideline/pack.ts";
import { platforms } from "../../guideline/pack.ts";

/** The platform of an account, or "other" for an unknown value. */
export function platformOf(value: string): Platform {
  return platforms.find((p) => p === value) ?? "other";
}

function hostOf(raw: string): string | null {
  try {
    return new URL(raw).hostname.toLowerCase();
  } catch {
    return null;
  }
}

/**
 * A Japanese reason `raw` is not the URL of a post on the account's platform, or null when it
 * is. Loose on purpose: the host must be the platform's (for Mastodon and その他, the host of
 * the account's own URL), and the path may be any path that is not the profile page itself.
 */
export function publishedUrlProblem(
  pack: GuidelinePack,
  account: { platform: string; url: string },
  raw: string,
): string | null {
  const platform = platformOf(account.platform);
  const spec = pack.platforms[platform];
  const value = raw.trim();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "発信した投稿のURLを、https:// から始まる形で入力してください。";
  }
  if (url.protocol !== "https:") return "発信した投稿のURLは https:// から始まるものを入力してください。";
  if (url.username || url.password)
    return "発信した投稿のURLに、ユーザー名やパスワードを含めないでください。";
  const host = url.hostname.toLowerCase();
  const allowed = spec.hosts.length > 0 ? spec.hosts : [hostOf(account.url)].filter((h) => h !== null);
  if (allowed.length > 0 && !allowed.includes(host)) {
    return `このアカウントは${spec.label}のアカウントです。${allowed[0]} の投稿のURLを入力してください（入力されたURLのホストは ${host} です）。`;
  }
  if (url.pathname.replace(/\/+$/, "") === "")
    return "サイトのトップページではなく、発信した投稿そのもののURLを入力してください。";
  if (platform !== "other" && parseAccountUrl(pack, platform, value))
    return "アカウントのページではなく、発信した投稿そのもののURLを入力してください。";
  return null;
}

/** The title of the reminder opened at a post's schedule time. */
export function reminderTitle(accountName: string): string {
  return `予定時刻になりました。「${accountName}」の承認済みの投稿を発信し、発信を記録してください`;
}

/** The title of a correction task (5.3.2). */
export function correctionTitle(accountName: string, forManager: boolean): string {
  return forManager
    ? `「${accountName}」の誤りのある投稿の訂正を確認してください（第5-3(2)）`
    : `「${accountName}」の誤りのある投稿を訂正してください（第5-3(2)）`;
}
