/**
 * Account URLs per platform: validate the URL a division registers (4.4.2③ is shown in full, so
 * it must be the real one), and read the handle out of any URL (the verification page compares
 * handles). Pure: the platform shapes come from the guideline pack passed in.
 */
import type { GuidelinePack, Platform } from "../guideline/pack.ts";
import { platforms } from "../guideline/pack.ts";

export type ParsedAccountUrl = { platform: Platform; handle: string; host: string; url: string };

function normaliseHandle(platform: Platform, handle: string): string {
  const h = handle.trim();
  if (platform === "youtube" && h.startsWith("UC")) return h;
  return h.toLowerCase();
}

/**
 * Reads a URL as an account URL of `platform`; null when it is not one (wrong host or path).
 * Mastodon (any instance) and "other" accept any https host.
 */
export function parseAccountUrl(
  pack: GuidelinePack,
  platform: Platform,
  raw: string,
): ParsedAccountUrl | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.protocol !== "https:" || url.username || url.password) return null;
  const spec = pack.platforms[platform];
  const host = url.hostname.toLowerCase();
  if (spec.hosts.length > 0 && !spec.hosts.includes(host)) return null;
  const match = new RegExp(spec.path).exec(url.pathname);
  if (!match) return null;
  const handle = match.groups?.handle ?? match.groups?.channel ?? url.pathname.replace(/^\/+|\/+$/g, "");
  if (!handle) return null;
  const prefix = platform === "mastodon" ? `${host}/` : "";
  return { platform, handle: prefix + normaliseHandle(platform, handle), host, url: url.toString() };
}

/** Reads a URL as an account URL of whichever known platform it belongs to. */
export function parseAnyAccountUrl(pack: GuidelinePack, raw: string): ParsedAccountUrl | null {
  for (const platform of platforms) {
    if (platform === "other" || platform === "mastodon") continue;
    const parsed = parseAccountUrl(pack, platform, raw);
    if (parsed) return parsed;
  }
  return parseAccountUrl(pack, "mastodon", raw);
}

/** A Japanese reason the URL is not an account URL of `platform`, or null when it is. */
export function accountUrlProblem(pack: GuidelinePack, platform: Platform, raw: string): string | null {
  if (parseAccountUrl(pack, platform, raw)) return null;
  const spec = pack.platforms[platform];
  return `${spec.label}のアカウントURLを、https:// から始まる正式な形で入力してください（例: ${spec.example}）。短縮URLは使えません。`;
}

// ─── Post URLs: a published post belongs to the account (5.1.4 発信の記録) ───────────────────

/**
 * What the system can confirm about a post URL of a platform: `account` — the URL names the
 * account (its handle or page), so the system checks it is this account's; `host` — post URLs of
 * the platform carry no account name (Instagram's `/p/…`, YouTube's `watch?v=`, LINE VOOM), so
 * only the host and the form of a post are checked, and the page says so.
 */
export type PostUrlScope = "account" | "host";

/** A post URL that fits the account, or why not (in Japanese). */
export type PostUrlCheck = { ok: true; url: string; scope: PostUrlScope } | { ok: false; message: string };

/** The account a post URL must belong to. */
export type PostUrlAccount = { platform: Platform; url: string; handle: string };

type PostShape = {
  /** The forms of a post URL, in words with the account's handle, for hints and messages. */
  forms: (handle: string) => string[];
  scope: PostUrlScope;
  /** The handle (or page) the path names, "" when the form names none; null when it is no post. */
  read: (url: URL) => string | null;
  /** How to compare the handle from the URL with the account's. */
  normalise?: (handle: string) => string;
};

const lower = (h: string) => h.toLowerCase();
const at = (h: string) => (h.startsWith("@") ? h : `@${h}`);
const bare = (h: string) => h.replace(/^@/, "");

function matchPath(url: URL, pattern: RegExp): RegExpExecArray | null {
  return pattern.exec(url.pathname.replace(/\/+$/, "") || "/");
}

const postShapes: Record<Platform, PostShape> = {
  x: {
    forms: (h) => [`https://x.com/${bare(h)}/status/（数字）`],
    scope: "account",
    read: (url) =>
      matchPath(url, /^\/([A-Za-z0-9_]{1,15})\/status\/\d{1,25}(?:\/(?:photo|video)\/\d)?$/)?.[1] ?? null,
    normalise: (h) => lower(bare(h)),
  },
  instagram: {
    forms: () => [
      "https://www.instagram.com/p/（投稿のID）/",
      "https://www.instagram.com/reel/（投稿のID）/",
    ],
    scope: "host",
    read: (url) => {
      const m = matchPath(url, /^(?:\/([A-Za-z0-9._]{1,30}))?\/(?:p|reel)\/[A-Za-z0-9_-]{5,40}$/);
      return m ? (m[1] ?? "") : null;
    },
    normalise: lower,
  },
  facebook: {
    forms: (h) => [
      `https://www.facebook.com/${bare(h)}/posts/（投稿のID）`,
      "https://www.facebook.com/permalink.php?story_fbid=（投稿のID）&id=（ページのID）",
    ],
    scope: "account",
    read: (url) => {
      if (url.pathname === "/permalink.php" || url.pathname === "/story.php") {
        const id = url.searchParams.get("id") ?? "";
        return url.searchParams.get("story_fbid") && /^\d{5,30}$/.test(id) ? id : null;
      }
      return matchPath(url, /^\/([A-Za-z0-9.]{5,50})\/posts\/[A-Za-z0-9_-]{5,80}$/)?.[1] ?? null;
    },
    normalise: lower,
  },
  youtube: {
    forms: () => [
      "https://www.youtube.com/watch?v=（動画のID）",
      "https://www.youtube.com/shorts/（動画のID）",
    ],
    scope: "host",
    read: (url) => {
      if (url.pathname === "/watch")
        return /^[A-Za-z0-9_-]{11}$/.test(url.searchParams.get("v") ?? "") ? "" : null;
      return matchPath(url, /^\/shorts\/[A-Za-z0-9_-]{11}$/) ? "" : null;
    },
  },
  line: {
    forms: () => ["https://linevoom.line.me/post/（投稿のID）"],
    scope: "host",
    read: (url) => (matchPath(url, /^\/post\/[A-Za-z0-9_-]{5,60}$/) ? "" : null),
  },
  threads: {
    forms: (h) => [`https://www.threads.net/${at(h)}/post/（投稿のID）`],
    scope: "account",
    read: (url) => matchPath(url, /^\/(@[A-Za-z0-9._]{1,30})\/post\/[A-Za-z0-9_-]{5,40}$/)?.[1] ?? null,
    normalise: (h) => lower(at(h)),
  },
  bluesky: {
    forms: (h) => [`https://bsky.app/profile/${bare(h)}/post/（投稿のID）`],
    scope: "account",
    read: (url) => matchPath(url, /^\/profile\/([A-Za-z0-9.:-]{3,253})\/post\/[a-z0-9]{5,20}$/)?.[1] ?? null,
    normalise: lower,
  },
  tiktok: {
    forms: (h) => [`https://www.tiktok.com/${at(h)}/video/（数字）`],
    scope: "account",
    read: (url) => matchPath(url, /^\/(@[A-Za-z0-9._]{2,24})\/(?:video|photo)\/\d{5,30}$/)?.[1] ?? null,
    normalise: (h) => lower(at(h)),
  },
  note: {
    forms: (h) => [`https://note.com/${bare(h)}/n/（記事のID）`],
    scope: "account",
    read: (url) => matchPath(url, /^\/([A-Za-z0-9_]{3,16})\/n\/[A-Za-z0-9]{5,30}$/)?.[1] ?? null,
    normalise: lower,
  },
  mastodon: {
    forms: (h) => [`https://（アカウントのサーバー）/${at(h)}/（数字）`],
    scope: "account",
    read: (url) => matchPath(url, /^\/(@[A-Za-z0-9_]{1,30})\/\d{1,25}$/)?.[1] ?? null,
    normalise: (h) => lower(at(h)),
  },
  other: {
    forms: () => ["アカウントと同じサイトの、投稿そのもののURL"],
    scope: "host",
    read: (url) => (url.pathname.replace(/\/+$/, "") === "" ? null : ""),
  },
};

/** The hosts of LINE VOOM, where a LINE official account's public posts are (the chat messages have no URL). */
const lineVoomHosts = ["linevoom.line.me"];

/** The account's handle as its post URLs name it (from its registered URL, else the handle field). */
function accountHandle(pack: GuidelinePack, account: PostUrlAccount): string {
  if (account.platform === "mastodon") {
    const m = /\/(@[A-Za-z0-9_]{1,30})\/?$/.exec(account.url);
    return m?.[1] ?? account.handle;
  }
  if (account.platform === "other") return account.handle;
  const parsed = parseAccountUrl(pack, account.platform, account.url);
  return parsed?.handle ?? account.handle;
}

/** The hosts a post URL of the account may have. */
function postHosts(pack: GuidelinePack, account: PostUrlAccount): string[] {
  if (account.platform === "line") return lineVoomHosts;
  const hosts = pack.platforms[account.platform].hosts;
  if (hosts.length > 0) return hosts;
  try {
    return [new URL(account.url).hostname.toLowerCase()];
  } catch {
    return [];
  }
}

/** Whether a post of the platform has a public URL to record (a LINE official account's messages have none). */
export function postUrlRequired(platform: Platform): boolean {
  return platform !== "line";
}

/** What the system confirms about a post URL of the platform (see PostUrlScope). */
export function postUrlScope(platform: Platform): PostUrlScope {
  return postShapes[platform].scope;
}

/**
 * In Japanese, what the system checks about a post URL of the account and what it cannot — shown
 * beside the URL field and with the record.
 */
export function postUrlNote(pack: GuidelinePack, account: PostUrlAccount): string {
  const label = pack.platforms[account.platform].label;
  const forms = postShapes[account.platform].forms(accountHandle(pack, account)).join("、");
  switch (account.platform) {
    case "instagram":
      return `形式: ${forms}。Instagramの投稿のURLにはアカウント名が含まれないため、システムではinstagram.comの投稿のURLであることだけを確認し、このアカウントの投稿であることは確認できません。`;
    case "youtube":
      return `形式: ${forms}。YouTubeの動画のURLにはチャンネル名が含まれないため、システムではyoutube.comの動画のURLであることだけを確認し、このチャンネルの動画であることは確認できません。`;
    case "line":
      return `LINE公式アカウントのメッセージには公開されたURLがないため、URLは空欄のままで記録できます。LINE VOOMに投稿した場合は、そのURL（${forms}）を入力してください。LINE VOOMの投稿のURLにはアカウントが含まれないため、このアカウントの投稿であることはシステムでは確認できません。`;
    case "other":
      return `${account.url} と同じサイトの、投稿そのもののURLを入力してください。このアカウントの投稿であることはシステムでは確認できません。`;
    default:
      return `形式: ${forms}。${label}の投稿のURLに含まれるアカウント名が、このアカウントのものであることを確認します。`;
  }
}

/**
 * Checks that `raw` is the URL of a post of this account: https, the platform's host (for
 * Mastodon and その他, the host of the account's own URL), the form of a post on that platform,
 * and — where the form names the account — this account's handle or page (5.1.4: the record says
 * what went out, where). No shortener, no profile page, no other account.
 */
export function checkPostUrl(pack: GuidelinePack, account: PostUrlAccount, raw: string): PostUrlCheck {
  const label = pack.platforms[account.platform].label;
  const shape = postShapes[account.platform];
  const handle = accountHandle(pack, account);
  const forms = shape.forms(handle).join("、");
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, message: "発信した投稿のURLを、https:// から始まる形で入力してください。" };
  }
  if (url.protocol !== "https:")
    return { ok: false, message: "発信した投稿のURLは https:// から始まるものを入力してください。" };
  if (url.username || url.password)
    return { ok: false, message: "発信した投稿のURLに、ユーザー名やパスワードを含めないでください。" };
  const host = url.hostname.toLowerCase();
  const hosts = postHosts(pack, account);
  if (hosts.length > 0 && !hosts.includes(host)) {
    return {
      ok: false,
      message: `このアカウントは${label}のアカウントです。${hosts[0]} の投稿のURLを入力してください（入力されたURLのホストは ${host} です）。形式: ${forms}`,
    };
  }
  const named = shape.read(url);
  if (named === null) {
    const profile = account.platform !== "other" && parseAccountUrl(pack, account.platform, url.toString());
    return {
      ok: false,
      message: profile
        ? `アカウントのページではなく、発信した投稿そのもののURLを入力してください（形式: ${forms}）。`
        : `${label}の投稿のURLの形ではありません。発信した投稿を開き、アドレス欄のURLを入力してください（形式: ${forms}）。`,
    };
  }
  if (named === "") return { ok: true, url: url.toString(), scope: "host" };
  const normalise = shape.normalise ?? ((h: string) => h);
  if (normalise(named) !== normalise(handle)) {
    const facebookId = account.platform === "facebook" && /^\d+$/.test(named) && !/^\d+$/.test(handle);
    return {
      ok: false,
      message: facebookId
        ? `このURLはページのID（${named}）で投稿を示していますが、このアカウントはページのIDが登録されていないため、このアカウントの投稿であることを確認できません。${forms.split("、")[0]} の形のURLを入力してください。`
        : `このURLは別のアカウント（${named}）の投稿です。このアカウント（${handle}）で発信した投稿のURLを入力してください（形式: ${forms}）。`,
    };
  }
  return { ok: true, url: url.toString(), scope: "account" };
}
