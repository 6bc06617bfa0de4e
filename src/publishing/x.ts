/**
 * X through API v2 with an OAuth 2.0 user token (Authorization Code with PKCE; docs.x.com):
 *
 * - send: each image `POST /2/media/upload` (JSON `{ media: base64, media_category: "tweet_image",
 *   media_type }` → `{ data: { id } }`), its alt text `POST /2/media/metadata`
 *   (`{ id, metadata: { alt_text: { text } } }`), then `POST /2/tweets` (`{ text, media?:
 *   { media_ids } }` → 201 `{ data: { id, text } }`). The URL is
 *   `https://x.com/{handle}/status/{id}`. X has no retry key, so after a crash the sender first
 *   looks for the post (`findSent`).
 * - findSent: `GET /2/users/{id}/tweets?start_time=…&max_results=20` and a post whose text is
 *   the same (links compared as links: X shortens them to t.co).
 * - delete: `DELETE /2/tweets/{id}` → `{ data: { deleted: true } }`.
 * - profile: `GET /2/users/me?user.fields=description,url,entities`.
 * - tokens: `POST /2/oauth2/token` (authorization_code with `code_verifier`; refresh_token), with
 *   HTTP Basic client authentication for a confidential client; `POST /2/oauth2/revoke` (RFC 7009:
 *   `token`, `token_type_hint`, `client_id`) when the connection is revoked.
 * Scopes asked: tweet.read tweet.write users.read media.write offline.access (docs/publishing.md).
 */
import { createHash, randomBytes } from "node:crypto";
import {
  type ConnectedAccount,
  type Connector,
  type Credentials,
  type OutgoingPost,
  PlatformError,
  type SentPost,
} from "./connector.ts";
import { type ApiResponse, callApi, comparableText, errorFor, list, obj, str } from "./http.ts";

/** The scopes asked for when connecting (why each: docs/publishing.md). */
export const X_SCOPES = ["tweet.read", "tweet.write", "users.read", "media.write", "offline.access"] as const;

export type XApp = { apiUrl: string; clientId: string; clientSecret?: string | undefined };

const postUrl = (handle: string, id: string) => `https://x.com/${handle}/status/${id}`;

/** A PKCE verifier and its S256 challenge (RFC 7636). */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

/** The authorize URL the account manager is sent to. */
export function xAuthorizeUrl(
  authorizeUrl: string,
  props: { clientId: string; redirectUri: string; state: string; challenge: string },
): string {
  const url = new URL(authorizeUrl);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: props.clientId,
    redirect_uri: props.redirectUri,
    scope: X_SCOPES.join(" "),
    state: props.state,
    code_challenge: props.challenge,
    code_challenge_method: "S256",
  }).toString();
  return url.toString();
}

function clientAuth(app: XApp): Record<string, string> {
  if (!app.clientSecret) return {};
  const basic = Buffer.from(`${encodeURIComponent(app.clientId)}:${encodeURIComponent(app.clientSecret)}`);
  return { Authorization: `Basic ${basic.toString("base64")}` };
}

function credentialsFrom(response: ApiResponse, previous?: Credentials): Credentials {
  const accessToken = str(response.body, "access_token");
  if (accessToken === "")
    throw new PlatformError(
      "invalid",
      "Xからアクセストークンを受け取れませんでした。もう一度接続してください。",
    );
  const refreshToken = str(response.body, "refresh_token") || previous?.refreshToken;
  const expiresIn = Number(str(response.body, "expires_in"));
  return {
    accessToken,
    ...(refreshToken ? { refreshToken } : {}),
    ...(Number.isFinite(expiresIn) && expiresIn > 0
      ? { expiresAt: new Date(Date.now() + expiresIn * 1000).toISOString() }
      : {}),
  };
}

/** Exchanges the authorization code (with the PKCE verifier) for tokens. */
export async function exchangeXCode(
  app: XApp,
  props: { code: string; verifier: string; redirectUri: string },
): Promise<Credentials> {
  const response = await callApi("X", {
    method: "POST",
    url: `${app.apiUrl}/2/oauth2/token`,
    headers: clientAuth(app),
    form: {
      grant_type: "authorization_code",
      code: props.code,
      redirect_uri: props.redirectUri,
      code_verifier: props.verifier,
      client_id: app.clientId,
    },
  });
  if (response.status !== 200) throw errorFor("X", response, null);
  return credentialsFrom(response);
}

/** An X connector for the city's app. */
export function xConnector(app: XApp): Connector {
  const base = app.apiUrl;
  const auth = (c: Credentials) => ({ Authorization: `Bearer ${c.accessToken}` });
  const ok = (response: ApiResponse, ...statuses: number[]) => {
    if (statuses.includes(response.status)) return response.body;
    const error = errorFor("X", response, null);
    // X refuses a text the account posted already with 403: the content, not the permission.
    if (response.status === 403 && /duplicate content/i.test(error.details.platformMessage ?? ""))
      throw new PlatformError(
        "invalid",
        `同じ内容の投稿が既にXにあるため、Xが受け付けませんでした（Xの応答: ${error.details.platformMessage}）。`,
        error.details,
      );
    throw error;
  };
  const sent = (account: ConnectedAccount, data: Record<string, unknown>, duplicate: boolean): SentPost => {
    const id = str(data, "id");
    if (id === "")
      throw new PlatformError("transient", "Xの応答に投稿のIDがありませんでした。自動で確かめ直します。");
    const createdAt = str(data, "created_at");
    return {
      platformPostId: id,
      url: postUrl(account.handle, id),
      requestId: null,
      at: createdAt ? new Date(createdAt) : new Date(),
      duplicate,
      raw: { id, ...(createdAt ? { createdAt } : {}) },
    };
  };
  return {
    platform: "x",
    limits: { maxTextLength: 280, maxImages: 4, idempotent: false, canDelete: true, hasPublicUrl: true },
    async send(credentials, account, post: OutgoingPost) {
      const mediaIds: string[] = [];
      for (const image of post.images) {
        const uploaded = ok(
          await callApi("X", {
            method: "POST",
            url: `${base}/2/media/upload`,
            headers: auth(credentials),
            json: {
              media: Buffer.from(image.bytes).toString("base64"),
              media_category: "tweet_image",
              media_type: image.contentType,
            },
            timeoutMs: 60_000,
          }),
          200,
          201,
        );
        const mediaId = str(obj(uploaded, "data"), "id");
        if (mediaId === "")
          throw new PlatformError("transient", "Xへの画像のアップロードで応答にIDがありませんでした。");
        ok(
          await callApi("X", {
            method: "POST",
            url: `${base}/2/media/metadata`,
            headers: auth(credentials),
            json: { id: mediaId, metadata: { alt_text: { text: image.alt.slice(0, 1000) } } },
          }),
          200,
          201,
        );
        mediaIds.push(mediaId);
      }
      const body = ok(
        await callApi("X", {
          method: "POST",
          url: `${base}/2/tweets`,
          headers: auth(credentials),
          json: { text: post.text, ...(mediaIds.length > 0 ? { media: { media_ids: mediaIds } } : {}) },
        }),
        201,
        200,
      );
      return sent(account, obj(body, "data"), false);
    },
    async findSent(credentials, account, post) {
      const query = new URLSearchParams({
        start_time: new Date(post.since.getTime() - 60_000).toISOString().replace(/\.\d{3}Z$/, "Z"),
        max_results: "20",
        "tweet.fields": "created_at",
      });
      const body = ok(
        await callApi("X", {
          method: "GET",
          url: `${base}/2/users/${encodeURIComponent(account.externalId)}/tweets?${query}`,
          headers: auth(credentials),
        }),
        200,
      );
      const wanted = comparableText(post.text);
      const found = list(body, "data").find((t) => comparableText(str(t, "text")) === wanted);
      return found ? sent(account, obj({ found }, "found"), true) : null;
    },
    async delete(credentials, _account, platformPostId) {
      if (!platformPostId)
        throw new PlatformError("invalid", "Xの投稿IDが記録されていないため、削除できません。");
      const response = await callApi("X", {
        method: "DELETE",
        url: `${base}/2/tweets/${encodeURIComponent(platformPostId)}`,
        headers: auth(credentials),
      });
      if (response.status === 404)
        return {
          deleted: true,
          note: "Xでは既に削除されていました。",
          raw: { id: platformPostId, status: 404 },
        };
      const body = ok(response, 200);
      const deleted = obj(body, "data").deleted === true;
      return {
        deleted,
        note: deleted
          ? "Xで投稿を削除しました。"
          : "Xは削除を完了したと答えませんでした。Xの画面で確認してください。",
        raw: { id: platformPostId, deleted },
      };
    },
    async readProfile(credentials) {
      const body = ok(
        await callApi("X", {
          method: "GET",
          url: `${base}/2/users/me?user.fields=description,url,entities`,
          headers: auth(credentials),
        }),
        200,
      );
      const data = obj(body, "data");
      const expanded = str(list(obj(obj(data, "entities"), "url"), "urls")[0], "expanded_url");
      return {
        externalId: str(data, "id"),
        name: str(data, "name"),
        handle: str(data, "username"),
        bio: str(data, "description"),
        link: expanded || str(data, "url"),
      };
    },
    async revoke(credentials) {
      // The refresh token first: revoking it ends the grant, so no new access token can be had.
      const tokens: { token: string; hint: string }[] = [];
      if (credentials.refreshToken) tokens.push({ token: credentials.refreshToken, hint: "refresh_token" });
      tokens.push({ token: credentials.accessToken, hint: "access_token" });
      for (const { token, hint } of tokens) {
        const response = await callApi("X", {
          method: "POST",
          url: `${base}/2/oauth2/revoke`,
          headers: clientAuth(app),
          form: { token, token_type_hint: hint, client_id: app.clientId },
        });
        if (response.status !== 200) throw errorFor("X", response, null);
      }
    },
    async refresh(credentials) {
      if (!credentials.refreshToken)
        throw new PlatformError(
          "auth",
          "Xの接続の期限が切れました。アカウント管理者が接続し直してください。",
        );
      const response = await callApi("X", {
        method: "POST",
        url: `${base}/2/oauth2/token`,
        headers: clientAuth(app),
        form: {
          grant_type: "refresh_token",
          refresh_token: credentials.refreshToken,
          client_id: app.clientId,
        },
      });
      if (response.status === 400 || response.status === 401)
        throw new PlatformError(
          "auth",
          "Xの接続の期限が切れたか、取り消されています。アカウント管理者が接続し直してください。",
          {
            status: response.status,
          },
        );
      if (response.status !== 200) throw errorFor("X", response, null);
      return credentialsFrom(response, credentials);
    },
  };
}
