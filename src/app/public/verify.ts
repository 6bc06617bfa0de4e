/**
 * "Is this an official account of the city?" (4.4, 7.3) — the public verification page and its
 * JSON twin. The U.S. Digital Registry's verify API answers official / not official; this one
 * also answers *formerly official* (closed accounts stay here forever, with the date), *announced*
 * (the new account a running change notice names), warns when the handle looks like an official
 * one (lookalike.ts) or is an official name on another service, and reads post URLs, bare
 * handles and URLs without https://.
 *
 * Extension point: `knownImpersonationChecks` (7.3.1). The impersonation-incident feature adds a
 * check that says a URL is a known impersonation (since when, which public warning); the answer
 * is then "not official — known impersonation" (app/incidents/public.ts registers it).
 */
import {
  canonicalHandle,
  type LookalikeReason,
  lookalikeMatch,
  prepareHandle,
} from "../../domain/lookalike.ts";
import { parseAnyAccountUrl } from "../../domain/platforms.ts";
import { fillTemplate, guidelinePack, type Platform, platforms } from "../../guideline/pack.ts";
import type { AppContext } from "../context.ts";
import { handleKey, type PublicAccount, type PublicRegistry, publicRegistry } from "./registry.ts";

/** What a citizen typed: a URL or a handle, and optionally the service of a bare handle. */
export type VerifyInput = { url?: string | undefined; platform?: string | undefined };

/** The input, read. */
export type VerifyQuery =
  | { kind: "empty" }
  | { kind: "invalid"; input: string; message: string }
  /** A URL of a known platform (or a Mastodon-shaped URL on any host). */
  | { kind: "account_url"; input: string; platform: Platform; handle: string; key: string; url: string }
  /**
   * Some other https URL: official only if an account is registered with exactly this URL. Its
   * first path segment, when it could be a name, is still compared for lookalikes.
   */
  | { kind: "other_url"; input: string; url: string; looseHandle: string | null }
  /** A bare handle, on one platform or (platform null) on any. */
  | { kind: "handle"; input: string; handle: string; platform: Platform | null };

/** 7.3.1: a URL known to impersonate the city, and the public warning about it. */
export type KnownImpersonation = { since: string; noticeId: number | null };

/** A check the verification consults for known impersonations (see the module comment). */
export type KnownImpersonationCheck = (
  ctx: AppContext,
  target: { platform: Platform | null; handle: string | null; url: string | null },
) => Promise<KnownImpersonation | null>;

/** Known-impersonation checks, consulted in order; the incidents feature adds one (7.3.1). */
export const knownImpersonationChecks: KnownImpersonationCheck[] = [];

/** The answer: official, announced (a change names it), formerly official, or not official. */
export type Verdict = "official" | "announced" | "formerly_official" | "not_official";

/** Why a handle deserves a warning: it looks like an official one, or is one on another service or server. */
export type WarningReason = LookalikeReason | "other_platform";

/** A verification answer with everything the page and the JSON show. */
export type VerifyResult = {
  kind: "answer";
  query: Exclude<VerifyQuery, { kind: "empty" } | { kind: "invalid" }>;
  verdict: Verdict;
  /** Official accounts it is (several only for a bare handle on several services). */
  official: PublicAccount[];
  /** Closed accounts it was. */
  formerly: PublicAccount[];
  /** Accounts that used this address before a change took effect (now at another URL). */
  renamed: Array<{ account: PublicAccount; oldUrl: string; changedOn: string }>;
  /** Accounts whose running change notice names it as the new account. */
  announced: Array<{ account: PublicAccount; effectiveDate: string; noticeId: number }>;
  knownImpersonation: KnownImpersonation | null;
  /** Official or formerly official accounts it resembles without being them (none when official). */
  lookalikes: Array<{ account: PublicAccount; reason: WarningReason }>;
  today: string;
};

/** Nothing asked, input that cannot be read, or an answer. */
export type VerifyOutcome =
  | { kind: "empty" }
  | { kind: "invalid"; input: string; message: string }
  | VerifyResult;

/** First path segments that are not accounts (posts, videos, pages of the service itself). */
const reservedSegments = new Set([
  "p",
  "reel",
  "reels",
  "tv",
  "explore",
  "stories",
  "watch",
  "shorts",
  "i",
  "intent",
  "home",
  "search",
  "hashtag",
  "share",
  "settings",
  "login",
  "messages",
  "notifications",
]);

const MAX_INPUT = 500;

function isPlatform(value: string): value is Platform {
  return (platforms as readonly string[]).includes(value);
}

/** A URL normalised for exact comparison: https, lower-case host, no query, fragment or trailing slash. */
export function comparableUrl(raw: string): string | null {
  try {
    const u = new URL(raw.trim());
    if (u.protocol !== "https:" && u.protocol !== "http:") return null;
    return `${u.hostname.toLowerCase()}${u.pathname.replace(/\/+$/, "")}`.toLowerCase();
  } catch {
    return null;
  }
}

function looksLikeUrl(s: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(s) || /^[a-z0-9-]+(\.[a-z0-9-]+)+\//i.test(s);
}

/** Reads an account URL, also from a post URL (…/iwaki_city/status/123 → iwaki_city). */
function readAccountUrl(url: URL): ReturnType<typeof parseAnyAccountUrl> {
  const pack = guidelinePack();
  const segments = url.pathname.split("/").filter(Boolean);
  for (let keep = segments.length; keep >= 1 && keep >= segments.length - 4; keep--) {
    const first = segments[0] ?? "";
    if (keep < segments.length && reservedSegments.has(first.toLowerCase())) return null;
    const candidate = new URL(url.toString());
    candidate.pathname = `/${segments.slice(0, keep).join("/")}`;
    candidate.search = "";
    candidate.hash = "";
    const parsed = parseAnyAccountUrl(pack, candidate.toString());
    if (parsed && !reservedSegments.has(canonicalHandle(parsed.handle))) return parsed;
  }
  return null;
}

/** The platform's own URL for a handle (x.com, not twitter.com), when the pack knows its shape. */
function canonicalUrl(platform: Platform, handle: string): string | null {
  if (platform === "youtube" && handle.startsWith("UC")) return `https://www.youtube.com/channel/${handle}`;
  const template = guidelinePack().platforms[platform].canonical;
  return template ? fillTemplate(template, { handle }) : null;
}

/** The first path segment of a URL when it could be an account name (for lookalike warnings). */
function looseHandle(url: URL): string | null {
  const first = (url.pathname.split("/").find(Boolean) ?? "").replace(/^@/, "");
  if (!/^[A-Za-z0-9_.-]{3,60}$/.test(first) || reservedSegments.has(first.toLowerCase())) return null;
  return first;
}

/**
 * Reads what was typed (pure): a URL (with or without https://, http upgraded), a post URL, or a
 * bare handle (`@iwaki_city`) with an optional platform.
 */
export function readVerifyInput(input: VerifyInput): VerifyQuery {
  const typed = (input.url ?? "").trim();
  const raw = typed.normalize("NFKC");
  if (raw === "") return { kind: "empty" };
  if (raw.length > MAX_INPUT)
    return {
      kind: "invalid",
      input: typed.slice(0, 100),
      message: "入力が長すぎます。アカウントのURLかユーザー名を入力してください。",
    };
  if (looksLikeUrl(raw)) {
    let text = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
    text = text.replace(/^http:\/\//i, "https://");
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return {
        kind: "invalid",
        input: typed,
        message: "URLとして読み取れませんでした。アドレスをそのまま貼り付けてください。",
      };
    }
    if (url.protocol !== "https:")
      return {
        kind: "invalid",
        input: typed,
        message: "https:// から始まるアカウントのURLを入力してください。",
      };
    const parsed = readAccountUrl(url);
    if (parsed)
      return {
        kind: "account_url",
        input: raw,
        platform: parsed.platform,
        handle: parsed.handle,
        key: `${parsed.platform}:${handleKey(parsed.platform, parsed.handle)}`,
        url: canonicalUrl(parsed.platform, parsed.handle) ?? parsed.url,
      };
    url.hash = "";
    return { kind: "other_url", input: raw, url: url.toString(), looseHandle: looseHandle(url) };
  }
  const handle = raw.replace(/^[@＠]+/, "");
  if (!/^[A-Za-z0-9_.-]{1,100}(@[A-Za-z0-9.-]{1,200})?$/.test(handle))
    return {
      kind: "invalid",
      input: typed,
      message:
        "アカウントのURL（例: https://x.com/iwaki_city）か、@ から始まるユーザー名（例: @iwaki_city）を入力してください。",
    };
  const platform = input.platform && isPlatform(input.platform) ? input.platform : null;
  return { kind: "handle", input: raw, handle, platform };
}

/**
 * The question as read, written one way (the canonical URL, `@handle`), so every input with the
 * same cache key shows the same text: `x.com/Iwaki_City/status/1` reads as `https://x.com/iwaki_city`.
 */
export function readAs(query: VerifyQuery): string {
  switch (query.kind) {
    case "empty":
      return "";
    case "invalid":
      return query.input;
    case "account_url":
      return query.url;
    case "other_url":
      return query.url;
    case "handle":
      return `@${query.handle}`;
  }
}

/** A short string identifying the question, for caching answers (same key, same answer). */
export function verifyCacheKey(query: VerifyQuery): string {
  switch (query.kind) {
    case "empty":
      return "empty";
    case "invalid":
      return `invalid:${query.input}`;
    case "account_url":
      return `url:${query.key}`;
    case "other_url":
      return `other:${query.url}`;
    case "handle":
      return `handle:${query.platform ?? "*"}:${canonicalHandle(query.handle)}`;
  }
}

type Answerable = VerifyResult["query"];

/** Whether the query names this address (platform:handle key and URL). */
function isSameAddress(query: Answerable, address: { key: string; url: string }): boolean {
  switch (query.kind) {
    case "account_url":
      return address.key === query.key || comparableUrl(address.url) === comparableUrl(query.url);
    case "other_url":
      return comparableUrl(address.url) === comparableUrl(query.url);
    case "handle": {
      const colon = address.key.indexOf(":");
      const platform = address.key.slice(0, colon);
      return (
        (query.platform === null || query.platform === platform) &&
        canonicalHandle(address.key.slice(colon + 1)) === canonicalHandle(query.handle)
      );
    }
  }
}

function isSame(query: Answerable, account: PublicAccount): boolean {
  return isSameAddress(query, account);
}

function queryHandle(query: Answerable): string | null {
  if (query.kind === "other_url") return query.looseHandle;
  return query.handle;
}

function queryPlatform(query: Answerable): Platform | null {
  if (query.kind === "account_url") return query.platform;
  if (query.kind === "handle") return query.platform;
  return null;
}

/** The answer for a read query against a registry snapshot (pure apart from the snapshot). */
export function answer(
  registry: PublicRegistry,
  query: Answerable,
  knownImpersonation: KnownImpersonation | null,
): VerifyResult {
  const official = registry.accounts.filter((a) => isSame(query, a));
  const formerly = registry.closed.filter((a) => isSame(query, a));
  const renamed: VerifyResult["renamed"] = [];
  for (const p of registry.previous) {
    const account = registry.byId.get(p.accountId);
    if (account && isSameAddress(query, p)) renamed.push({ account, oldUrl: p.url, changedOn: p.changedOn });
  }
  const announced: VerifyResult["announced"] = [];
  if (query.kind === "account_url") {
    for (const n of registry.announced) {
      const account = registry.byId.get(n.accountId);
      if (account && n.key === query.key)
        announced.push({ account, effectiveDate: n.effectiveDate, noticeId: n.noticeId });
    }
  }
  const lookalikes: VerifyResult["lookalikes"] = [];
  const handle = queryHandle(query);
  const platform = queryPlatform(query);
  if (handle) {
    const candidate = prepareHandle(handle);
    const exact = new Set([...official, ...formerly, ...renamed.map((r) => r.account)].map((a) => a.id));
    for (const account of [...registry.accounts, ...registry.closed]) {
      if (exact.has(account.id)) continue;
      if (candidate.canonical === account.prepared.canonical) {
        // The same name on another service (or another Mastodon server), where it is not the city's.
        lookalikes.push({ account, reason: "other_platform" });
        continue;
      }
      const match = lookalikeMatch(candidate, account.prepared);
      if (match) lookalikes.push({ account, reason: match.reason });
    }
    const rank: Record<WarningReason, number> = { other_platform: 0, homoglyph: 1, affix: 2, typo: 3 };
    lookalikes.sort(
      (x, y) =>
        Number(y.account.platform === platform) - Number(x.account.platform === platform) ||
        rank[x.reason] - rank[y.reason],
    );
  }
  const verdict: Verdict = knownImpersonation
    ? "not_official"
    : official.length > 0
      ? "official"
      : announced.length > 0
        ? "announced"
        : formerly.length > 0 || renamed.length > 0
          ? "formerly_official"
          : "not_official";
  return {
    kind: "answer",
    query,
    verdict,
    official: knownImpersonation ? [] : official,
    formerly,
    renamed,
    announced,
    knownImpersonation,
    // The city's own accounts resemble each other; an official answer needs no warning.
    lookalikes: verdict === "official" ? [] : lookalikes.slice(0, 10),
    today: registry.today,
  };
}

/**
 * Answers "is this official?" for what a citizen typed. Reads the registry from memory; the
 * database is reached only when the public cache is cold or a known-impersonation check needs it.
 */
export async function verifyAccount(ctx: AppContext, input: VerifyInput): Promise<VerifyOutcome> {
  const query = readVerifyInput(input);
  if (query.kind === "empty" || query.kind === "invalid") return query;
  const registry = await publicRegistry(ctx);
  let known: KnownImpersonation | null = null;
  for (const check of knownImpersonationChecks) {
    known = await check(ctx, {
      platform: queryPlatform(query),
      handle: queryHandle(query),
      url: query.kind === "handle" ? null : query.url,
    });
    if (known) break;
  }
  return answer(registry, query, known);
}
