/**
 * Which connector speaks for a platform (the configured API base URLs: the real platforms, or the
 * loopback fakes in tests and the demo), and the credentials of a connection: sealed with the
 * token keys when stored, opened only to call the platform. Platforms without a connector keep
 * the manual record (docs/posts.md).
 */
import type { Config } from "../../config.ts";
import type { ConnectionRow } from "../../db/repos/platform-publishing.ts";
import { conflict } from "../../errors.ts";
import type { Platform } from "../../guideline/pack.ts";
import { blueskyConnector } from "../../publishing/bluesky.ts";
import type { Connector, Credentials } from "../../publishing/connector.ts";
import { facebookConnector } from "../../publishing/facebook.ts";
import { instagramConnector } from "../../publishing/instagram.ts";
import { lineConnector } from "../../publishing/line.ts";
import { mastodonConnector } from "../../publishing/mastodon.ts";
import { threadsConnector } from "../../publishing/threads.ts";
import { xConnector } from "../../publishing/x.ts";
import { loadTokenKeys, openToken, type SealedToken, sealToken } from "./token-keys.ts";

/** Platforms snsgov can publish to (the others keep the manual record). */
export const connectablePlatforms: readonly Platform[] = [
  "line",
  "x",
  "facebook",
  "instagram",
  "mastodon",
  "bluesky",
  "threads",
];

/** The connector of a platform, or null when there is none (or X has no app configured). */
export function connectorFor(config: Config, platform: string): Connector | null {
  if (platform === "line") return lineConnector(config.platforms.lineApiUrl);
  if (platform === "mastodon") return mastodonConnector();
  if (platform === "bluesky") return blueskyConnector({ linkCards: config.platforms.linkCards });
  if (platform === "threads") return threadsConnector({ apiUrl: config.platforms.threadsApiUrl });
  if (platform === "x" && config.platforms.xClientId)
    return xConnector({
      apiUrl: config.platforms.xApiUrl,
      clientId: config.platforms.xClientId,
      clientSecret: config.platforms.xClientSecret,
    });
  if (platform === "facebook") return facebookConnector(config.platforms.facebookApiUrl);
  if (platform === "instagram" && config.platforms.mediaPublicUrl)
    return instagramConnector({ baseUrl: config.platforms.instagramApiUrl });
  return null;
}

/** Why a platform with a connector cannot be used with this configuration, in Japanese ("" when it can). */
export function missingSetting(config: Config, platform: string): string {
  if (platform === "x" && !config.platforms.xClientId)
    return "Xに接続するには、市のXアプリ（OAuth 2.0 クライアントID）をシステム管理者が設定する必要があります（SNSGOV_X_CLIENT_ID）。";
  if (platform === "instagram" && !config.platforms.mediaPublicUrl)
    return "Instagramは投稿の画像をインターネットから取りに来るため、画像を一時的に公開するURL（SNSGOV_MEDIA_PUBLIC_URL）をシステム管理者が設定する必要があります。設定されるまでは、発信後に発信の記録を入力してください。";
  return "";
}

/** The API base URL a platform's connector talks to ("" when none), e.g. to tell the fakes apart. */
export function platformApiUrl(config: Config, platform: string): string {
  if (platform === "line") return config.platforms.lineApiUrl;
  if (platform === "x") return config.platforms.xApiUrl;
  if (platform === "facebook") return config.platforms.facebookApiUrl;
  if (platform === "instagram") return config.platforms.instagramApiUrl;
  if (platform === "threads") return config.platforms.threadsApiUrl;
  if (platform === "bluesky") return config.platforms.blueskyPdsUrl;
  if (platform === "mastodon") return config.platforms.mastodonApiUrl ?? "";
  return "";
}

/** The Mastodon server of an account: the configured one (tests, demo), else its registered URL's. */
export function mastodonServer(config: Config, account: { url: string }): string {
  if (config.platforms.mastodonApiUrl) return config.platforms.mastodonApiUrl;
  try {
    const url = new URL(account.url);
    if (url.protocol === "https:") return url.origin;
  } catch {
    // falls through to the message below
  }
  throw conflict(
    "MastodonのサーバーがアカウントのURLから分かりません。アカウントの登録で、https:// から始まるプロフィールのURL（例: https://mstdn.jp/@iwaki_city）を記録してください。",
  );
}

/** What the token is bound to (a ciphertext moved to another account's row does not open). */
export const tokenContext = (accountId: number, platform: string) => `connection:${accountId}:${platform}`;

/** Seals credentials for storing on a connection of `accountId` to `platform`. */
export async function sealCredentials(
  config: Config,
  accountId: number,
  platform: string,
  credentials: Credentials,
): Promise<SealedToken> {
  const keys = await loadTokenKeys(config.tokenKeyFile);
  return sealToken(keys, JSON.stringify(credentials), tokenContext(accountId, platform));
}

/** Opens the credentials of a connection (only to call the platform; never logged). */
export async function openCredentials(config: Config, connection: ConnectionRow): Promise<Credentials> {
  const keys = await loadTokenKeys(config.tokenKeyFile);
  const text = openToken(
    keys,
    { ciphertext: connection.tokenCiphertext, keyId: connection.tokenKeyId },
    tokenContext(connection.accountId, connection.platform),
  );
  const value: unknown = JSON.parse(text);
  if (
    typeof value !== "object" ||
    value === null ||
    !("accessToken" in value) ||
    typeof value.accessToken !== "string"
  )
    throw new Error(`connection ${connection.id}: the stored credentials are not readable`);
  const refresh =
    "refreshToken" in value && typeof value.refreshToken === "string" ? value.refreshToken : undefined;
  const expires = "expiresAt" in value && typeof value.expiresAt === "string" ? value.expiresAt : undefined;
  const accountId = "accountId" in value && typeof value.accountId === "string" ? value.accountId : undefined;
  const server = "server" in value && typeof value.server === "string" ? value.server : undefined;
  const oauthClient = "oauthClient" in value ? clientOf(value.oauthClient) : undefined;
  return {
    accessToken: value.accessToken,
    ...(refresh ? { refreshToken: refresh } : {}),
    ...(expires ? { expiresAt: expires } : {}),
    ...(accountId ? { accountId } : {}),
    ...(server ? { server } : {}),
    ...(oauthClient ? { oauthClient } : {}),
  };
}

/** The sealed OAuth client of a token (Mastodon), when it is complete. */
function clientOf(value: unknown): Credentials["oauthClient"] {
  if (typeof value !== "object" || value === null) return undefined;
  if (!("clientId" in value) || !("clientSecret" in value)) return undefined;
  const { clientId, clientSecret } = value;
  if (typeof clientId !== "string" || typeof clientSecret !== "string") return undefined;
  return { clientId, clientSecret };
}
