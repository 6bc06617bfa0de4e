/**
 * Mastodon through its REST API (docs.joinmastodon.org/methods/), on the account's own server
 * (instance): the base URL is kept sealed with the token (`credentials.server`), taken from the
 * account's registered URL when connecting.
 *
 * - send: each image `POST /api/v2/media` (multipart `file`, `description` = the alt text) →
 *   200 with `url`, or 202 while the server still processes it: then `GET /api/v1/media/:id` until
 *   200 with `url` (206 while processing); then `POST /api/v1/statuses` (JSON `{ status,
 *   media_ids, visibility: "public", language: "ja" }`) with `Idempotency-Key: <outbox UUID>` →
 *   the Status `{ id, url, created_at }`. Mastodon answers a repeated key with the status it
 *   created the first time — but keeps keys for one hour only, so the connector does not claim to
 *   be idempotent: after a crash the sender first looks for the post (`findSent`), which covers
 *   retries after that hour, and the key covers the rest.
 * - findSent: `GET /api/v1/accounts/:id/statuses?limit=40&exclude_replies=true&exclude_reblogs=true`
 *   and a status since the first attempt whose text (HTML as text, links as links) is the same.
 * - delete: `DELETE /api/v1/statuses/:id` (404: already gone).
 * - profile: `GET /api/v1/accounts/verify_credentials` → `display_name`, `username`, `note`
 *   (HTML, read as text), the first link among `fields` (else in the note).
 * - revoke: `POST /oauth/revoke` (form `client_id`, `client_secret`, `token`) → 200 `{}`, for a
 *   token snsgov made through OAuth (the client is kept sealed with it); 403 `unauthorized_client`
 *   for a token of another client. A pasted token was made by the account manager's own app in the
 *   server's 設定 → 開発, whose secret snsgov never had: it is deleted there (`unsupported`).
 * - errors: 401 (token revoked), 403 (scope), 422 (`error`: refused content), 429 with
 *   `X-RateLimit-Reset`, 5xx.
 * Scopes: `read:accounts` (whose token; profile watch), `read:statuses` (find a post after a
 * crash), `write:statuses` (post, delete), `write:media` (images).
 */
import {
  type ConnectedAccount,
  type Connector,
  type Credentials,
  type OutgoingImage,
  PlatformError,
  type SentPost,
} from "./connector.ts";
import { type ApiResponse, callApi, errorFor, list, str, withResetAsRetryAfter } from "./http.ts";
import { withQuery } from "./oauth.ts";
import { comparableText, firstLink, htmlToText } from "./text.ts";

/** The scopes of the access token made in the server's 設定 → 開発 (why each: above). */
export const MASTODON_SCOPES = ["read:accounts", "read:statuses", "write:statuses", "write:media"] as const;

export type MastodonOptions = {
  /** Between two looks at an image the server is still processing (default 1 s). */
  pollIntervalMs?: number;
  /** How many looks before giving up (default 30). */
  pollAttempts?: number;
};

const serverOf = (credentials: Credentials): string => {
  if (!credentials.server)
    throw new PlatformError(
      "auth",
      "Mastodonのサーバーが接続に記録されていません。アカウント管理者が接続し直してください。",
    );
  return credentials.server.replace(/\/+$/, "");
};

const auth = (c: Credentials) => ({ Authorization: `Bearer ${c.accessToken}` });

function ok(response: ApiResponse, ...statuses: number[]): Record<string, unknown> {
  if (statuses.includes(response.status)) return response.body;
  throw errorFor("Mastodon", withResetAsRetryAfter(response, "x-ratelimit-reset"), null);
}

function sentFrom(status: Record<string, unknown>, duplicate: boolean): SentPost {
  const id = str(status, "id");
  if (id === "")
    throw new PlatformError(
      "transient",
      "Mastodonの応答に投稿のIDがありませんでした。自動で確かめ直します。",
    );
  const createdAt = str(status, "created_at");
  const url = str(status, "url") || null;
  return {
    platformPostId: id,
    url,
    requestId: null,
    at: createdAt ? new Date(createdAt) : new Date(),
    duplicate,
    raw: { id, url, ...(createdAt ? { createdAt } : {}) },
  };
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A Mastodon connector (the server comes with each connection's credentials). */
export function mastodonConnector(options: MastodonOptions = {}): Connector {
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const pollAttempts = options.pollAttempts ?? 30;

  async function upload(credentials: Credentials, image: OutgoingImage): Promise<string> {
    const base = serverOf(credentials);
    const form = new FormData();
    form.append("file", new Blob([Buffer.from(image.bytes)], { type: image.contentType }), image.filename);
    form.append("description", image.alt.slice(0, 1500));
    const media = ok(
      await callApi("Mastodon", {
        method: "POST",
        url: `${base}/api/v2/media`,
        headers: auth(credentials),
        multipart: form,
        timeoutMs: 60_000,
      }),
      200,
      202,
    );
    const id = str(media, "id");
    if (id === "")
      throw new PlatformError("transient", "Mastodonへの画像のアップロードで応答にIDがありませんでした。");
    if (str(media, "url") !== "") return id;
    for (let i = 0; i < pollAttempts; i++) {
      await wait(pollIntervalMs);
      const response = await callApi("Mastodon", {
        method: "GET",
        url: `${base}/api/v1/media/${encodeURIComponent(id)}`,
        headers: auth(credentials),
      });
      const body = ok(response, 200, 206);
      if (response.status === 200 && str(body, "url") !== "") return id;
    }
    throw new PlatformError(
      "transient",
      "Mastodonのサーバーが画像の処理を時間内に終えませんでした。自動で再送します。",
    );
  }

  return {
    platform: "mastodon",
    limits: { maxTextLength: 500, maxImages: 4, idempotent: false, canDelete: true, hasPublicUrl: true },
    async send(credentials, _account, post) {
      const mediaIds: string[] = [];
      for (const image of post.images) mediaIds.push(await upload(credentials, image));
      const status = ok(
        await callApi("Mastodon", {
          method: "POST",
          url: `${serverOf(credentials)}/api/v1/statuses`,
          headers: { ...auth(credentials), "Idempotency-Key": post.idempotencyKey },
          json: {
            status: post.text,
            ...(mediaIds.length > 0 ? { media_ids: mediaIds } : {}),
            visibility: "public",
            language: "ja",
          },
        }),
        200,
      );
      return sentFrom(status, false);
    },
    async findSent(credentials, account: ConnectedAccount, post) {
      const query = new URLSearchParams({ limit: "40", exclude_replies: "true", exclude_reblogs: "true" });
      const response = await callApi("Mastodon", {
        method: "GET",
        url: `${serverOf(credentials)}/api/v1/accounts/${encodeURIComponent(account.externalId)}/statuses?${query}`,
        headers: auth(credentials),
      });
      ok(response, 200);
      const statuses: unknown[] = Array.isArray(response.body.value) ? response.body.value : [];
      const since = post.since.getTime() - 60_000;
      const wanted = comparableText(post.text);
      const found = statuses.find(
        (s) =>
          Date.parse(str(s, "created_at")) >= since &&
          comparableText(htmlToText(str(s, "content"))) === wanted,
      );
      return typeof found === "object" && found !== null
        ? sentFrom(Object.fromEntries(Object.entries(found)), true)
        : null;
    },
    async delete(credentials, _account, platformPostId) {
      if (!platformPostId)
        throw new PlatformError("invalid", "Mastodonの投稿IDが記録されていないため、削除できません。");
      const response = await callApi("Mastodon", {
        method: "DELETE",
        url: `${serverOf(credentials)}/api/v1/statuses/${encodeURIComponent(platformPostId)}`,
        headers: auth(credentials),
      });
      if (response.status === 404)
        return {
          deleted: true,
          note: "Mastodonでは既に削除されていました。",
          raw: { id: platformPostId, status: 404 },
        };
      ok(response, 200);
      return {
        deleted: true,
        note: "Mastodonで投稿を削除しました。",
        raw: { id: platformPostId, deleted: true },
      };
    },
    async revoke(credentials) {
      const client = credentials.oauthClient;
      if (!client)
        throw new PlatformError(
          "unsupported",
          "貼り付けで接続したMastodonのトークンは、そのトークンを作ったアプリの秘密鍵がsnsgovにないため、snsgovからは無効にできません。Mastodonのサーバーの「設定 → 開発」で、snsgovのために作ったアプリを削除してください（トークンも無効になります）。",
        );
      const response = await callApi("Mastodon", {
        method: "POST",
        url: `${serverOf(credentials)}/oauth/revoke`,
        form: {
          client_id: client.clientId,
          client_secret: client.clientSecret,
          token: credentials.accessToken,
        },
      });
      ok(response, 200);
    },
    async readProfile(credentials) {
      const body = ok(
        await callApi("Mastodon", {
          method: "GET",
          url: `${serverOf(credentials)}/api/v1/accounts/verify_credentials`,
          headers: auth(credentials),
        }),
        200,
      );
      const bio = htmlToText(str(body, "note"));
      const fieldLink = list(body, "fields")
        .map((f) => /href="([^"]+)"/.exec(str(f, "value"))?.[1] ?? firstLink(htmlToText(str(f, "value"))))
        .find((link) => link !== "");
      return {
        externalId: str(body, "id"),
        name: str(body, "display_name") || str(body, "username"),
        handle: str(body, "username"),
        bio,
        link: fieldLink ?? firstLink(bio),
      };
    },
  };
}

// OAuth (beside the pasted token): the city's app is registered on each server on first use.

/** The city's app on one Mastodon server (the secret is kept sealed; never logged). */
export type MastodonApp = { clientId: string; clientSecret: string };

/**
 * Registers snsgov on a server: `POST /api/v1/apps` (form `client_name=snsgov`, `redirect_uris`,
 * `scopes`, `website`) → `client_id`, `client_secret`.
 */
export async function registerMastodonApp(
  server: string,
  props: { redirectUri: string; website: string },
): Promise<MastodonApp> {
  const response = await callApi("Mastodon", {
    method: "POST",
    url: `${server.replace(/\/+$/, "")}/api/v1/apps`,
    form: {
      client_name: "snsgov",
      redirect_uris: props.redirectUri,
      scopes: MASTODON_SCOPES.join(" "),
      website: props.website,
    },
  });
  const body = ok(response, 200);
  const app = { clientId: str(body, "client_id"), clientSecret: str(body, "client_secret") };
  if (app.clientId === "" || app.clientSecret === "")
    throw new PlatformError(
      "invalid",
      "Mastodonのサーバーがsnsgovのアプリを登録しませんでした（client_id がありません）。",
    );
  return app;
}

/** The consent page: `GET /oauth/authorize` with the scopes and the S256 challenge. */
export function mastodonAuthorizeUrl(
  server: string,
  props: { clientId: string; redirectUri: string; state: string; challenge: string },
): string {
  return withQuery(`${server.replace(/\/+$/, "")}/oauth/authorize`, {
    response_type: "code",
    client_id: props.clientId,
    redirect_uri: props.redirectUri,
    scope: MASTODON_SCOPES.join(" "),
    state: props.state,
    code_challenge: props.challenge,
    code_challenge_method: "S256",
  });
}

/**
 * Exchanges the code: `POST /oauth/token` (form `grant_type=authorization_code`, `code`,
 * `client_id`, `client_secret`, `redirect_uri`, `code_verifier`) → `access_token` (no expiry),
 * kept with the client it was issued to (to revoke it later).
 */
export async function exchangeMastodonCode(
  server: string,
  app: MastodonApp,
  props: { code: string; verifier: string; redirectUri: string },
): Promise<Credentials> {
  const base = server.replace(/\/+$/, "");
  const response = await callApi("Mastodon", {
    method: "POST",
    url: `${base}/oauth/token`,
    form: {
      grant_type: "authorization_code",
      code: props.code,
      client_id: app.clientId,
      client_secret: app.clientSecret,
      redirect_uri: props.redirectUri,
      code_verifier: props.verifier,
      scope: MASTODON_SCOPES.join(" "),
    },
  });
  const accessToken = str(ok(response, 200), "access_token");
  if (accessToken === "")
    throw new PlatformError(
      "invalid",
      "Mastodonからアクセストークンを受け取れませんでした。もう一度接続してください。",
    );
  return {
    accessToken,
    server: base,
    oauthClient: { clientId: app.clientId, clientSecret: app.clientSecret },
  };
}
