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
  return `${spec.label}のアカウントURLを、https:// から始まる正式な形で入力してください（例: ${spec.example}）。短縮URLは使えません（第4-4(4)）。`;
}
