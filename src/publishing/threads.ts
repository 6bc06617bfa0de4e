/**
 * Threads through the Threads API (developers.facebook.com/docs/threads; graph.threads.net/v1.0),
 * with a long-lived user access token (Bearer):
 *
 * - send: a media container `POST /{user-id}/threads` (form: `media_type=TEXT` and `text`; one
 *   image: `media_type=IMAGE`, `image_url`, `alt_text`, `text`; several: one container per image
 *   with `is_carousel_item=true`, then `media_type=CAROUSEL`, `children`, `text`) → `{ id }`; an
 *   image container is published when `GET /{container-id}?fields=status,error_message` says
 *   `FINISHED`; then `POST /{user-id}/threads_publish` (`creation_id`) → `{ id }` and the URL from
 *   `GET /{id}?fields=permalink,timestamp`. Threads fetches images from a public URL: an image
 *   goes only when it comes with one (`OutgoingImage.publicUrl`, a signed URL that expires);
 *   otherwise the post is refused before anything is sent. Threads has no retry key: after a
 *   crash the sender first looks for the post (`findSent`).
 * - findSent: `GET /{user-id}/threads?fields=id,text,timestamp,permalink&since=…&limit=25` and a
 *   post whose text is the same (links compared as links).
 * - delete: `DELETE /{id}` → `{ success: true, deleted_id }` (scope `threads_delete`; Threads
 *   allows 100 deletions a day per account).
 * - profile: `GET /me?fields=id,username,name,threads_biography` (Threads has no link field: the
 *   first link of the biography).
 * - errors: Meta's `{ error: { message, type, code, error_subcode } }`, mostly with HTTP 400:
 *   code 190 (token expired or revoked), 10 and 200–299 (permission), 4/17/32/613 (rate), 1/2
 *   (temporary), 100 with subcode 33 (no such object); 5xx transient.
 * - refresh: a long-lived token lives 60 days and is refreshed, when at least 24 hours old and
 *   not expired, with `GET https://graph.threads.net/refresh_access_token?grant_type=
 *   th_refresh_token&access_token=…` (outside the versioned path; the token in the query, as
 *   documented) → `{ access_token, token_type, expires_in }`; the new token lives 60 days from the
 *   refresh. Done seven days ahead of the expiry (`refreshAheadMs`).
 * - inspect (when connecting, to know the pasted token's expiry): `GET /debug_token?input_token=…`
 *   → `data.expires_at` (answered when the token's user is a tester of the city's app); else a
 *   refresh at once (its `expires_in`); else (a token younger than 24 hours cannot be refreshed)
 *   59 days from now, the earliest such a token can expire.
 * - revoke: the Threads API documents no endpoint that revokes a user token (only the deauthorize
 *   callback Meta calls when the person removes the app on Threads): `unsupported`, with where the
 *   app is removed on Threads.
 * Scopes: threads_basic (every call; profile, refresh), threads_content_publish (post),
 * threads_delete (delete).
 */
import {
  type ConnectedAccount,
  type Connector,
  type Credentials,
  type OutgoingPost,
  PlatformError,
  type SentPost,
} from "./connector.ts";
import { type ApiResponse, callApi, errorFor, list, obj, str } from "./http.ts";
import { withQuery } from "./oauth.ts";
import { comparableText, firstLink } from "./text.ts";

export const THREADS_SCOPES = ["threads_basic", "threads_content_publish", "threads_delete"] as const;
const MAX_TEXT = 500;

export type ThreadsOptions = {
  /** The API base, with its version (https://graph.threads.net/v1.0, or the loopback fake). */
  apiUrl: string;
  /** Between two looks at an image container Threads is still processing (default 5 s). */
  pollIntervalMs?: number;
  /** How many looks before giving up (default 24: two minutes). */
  pollAttempts?: number;
};

const DAY_MS = 86_400_000;
/** A token is refreshed this long before it expires (the profile watch looks daily). */
export const THREADS_REFRESH_AHEAD_MS = 7 * DAY_MS;
/** The earliest a long-lived token younger than 24 hours (not yet refreshable) can expire. */
const YOUNG_TOKEN_LIFE_MS = 59 * DAY_MS;

/** Meta's error codes as what to do: an HTTP status `errorFor` understands. */
function statusForMetaCode(status: number, code: number, subcode: number): number {
  if (code === 100 && subcode === 33) return 404;
  if (code === 190 || code === 102) return 401;
  if (code === 10 || (code >= 200 && code <= 299)) return 403;
  if ([4, 17, 32, 613].includes(code)) return 429;
  if (code === 1 || code === 2) return 503;
  return status;
}

/** The PlatformError for a Threads answer (Meta's error object). */
export function threadsError(response: ApiResponse): PlatformError {
  const error = obj(response.body, "error");
  const code = Number(str(error, "code"));
  const message = str(error, "error_user_msg") || str(error, "message");
  const said = message ? `${message}${Number.isFinite(code) && code > 0 ? ` (code ${code})` : ""}` : "";
  return errorFor(
    "Threads",
    {
      ...response,
      status: Number.isFinite(code)
        ? statusForMetaCode(response.status, code, Number(str(error, "error_subcode")))
        : response.status,
      body: said ? { message: said } : {},
    },
    str(error, "fbtrace_id") || null,
  );
}

function ok(response: ApiResponse): Record<string, unknown> {
  if (response.status === 200) return response.body;
  throw threadsError(response);
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A Threads connector against `options.apiUrl`. */
export function threadsConnector(options: ThreadsOptions): Connector {
  const base = options.apiUrl.replace(/\/+$/, "");
  const pollIntervalMs = options.pollIntervalMs ?? 5000;
  const pollAttempts = options.pollAttempts ?? 24;
  const auth = (c: Credentials) => ({ Authorization: `Bearer ${c.accessToken}` });
  const get = async (c: Credentials, path: string, query: Record<string, string>) =>
    ok(
      await callApi("Threads", {
        method: "GET",
        url: `${base}/${path}?${new URLSearchParams(query)}`,
        headers: auth(c),
      }),
    );
  const container = async (c: Credentials, userId: string, form: Record<string, string>) => {
    const body = ok(
      await callApi("Threads", {
        method: "POST",
        url: `${base}/${encodeURIComponent(userId)}/threads`,
        headers: auth(c),
        form,
      }),
    );
    const id = str(body, "id");
    if (id === "") throw new PlatformError("transient", "Threadsの応答にコンテナのIDがありませんでした。");
    return id;
  };
  const ready = async (c: Credentials, id: string) => {
    for (let i = 0; i < pollAttempts; i++) {
      const body = await get(c, encodeURIComponent(id), { fields: "status,error_message" });
      const status = str(body, "status");
      if (status === "FINISHED") return;
      if (status === "ERROR" || status === "EXPIRED")
        throw new PlatformError(
          "invalid",
          `Threadsが画像を取り込めませんでした（Threadsの応答: ${status} ${str(body, "error_message")}）。画像の公開URLを確認してください。`,
        );
      await wait(pollIntervalMs);
    }
    throw new PlatformError("transient", "Threadsが画像の処理を時間内に終えませんでした。自動で再送します。");
  };

  /** The container of the whole post (waiting for image processing). */
  async function containerFor(c: Credentials, userId: string, post: OutgoingPost): Promise<string> {
    const [only, ...more] = post.images;
    if (!only) return container(c, userId, { media_type: "TEXT", text: post.text });
    const image = (i: { publicUrl?: string | undefined; alt: string }) => ({
      media_type: "IMAGE",
      image_url: i.publicUrl ?? "",
      alt_text: i.alt.slice(0, 1000),
    });
    if (more.length === 0) {
      const id = await container(c, userId, { ...image(only), text: post.text });
      await ready(c, id);
      return id;
    }
    const children: string[] = [];
    for (const item of post.images)
      children.push(await container(c, userId, { ...image(item), is_carousel_item: "true" }));
    for (const child of children) await ready(c, child);
    const id = await container(c, userId, {
      media_type: "CAROUSEL",
      children: children.join(","),
      text: post.text,
    });
    await ready(c, id);
    return id;
  }

  const sentFrom = (item: Record<string, unknown>, duplicate: boolean): SentPost => {
    const id = str(item, "id");
    const timestamp = str(item, "timestamp");
    const url = str(item, "permalink") || null;
    return {
      platformPostId: id,
      url,
      requestId: null,
      at: timestamp ? new Date(timestamp) : new Date(),
      duplicate,
      raw: { id, url, ...(timestamp ? { timestamp } : {}) },
    };
  };

  /** `GET /refresh_access_token` → the new token and its expiry from `now`. */
  async function refresh(credentials: Credentials, now = new Date()): Promise<Credentials> {
    const host = base.replace(/\/v\d+(\.\d+)?$/, "");
    const body = ok(
      await callApi("Threads", {
        method: "GET",
        url: `${host}/refresh_access_token?${new URLSearchParams({
          grant_type: "th_refresh_token",
          access_token: credentials.accessToken,
        })}`,
      }),
    );
    const accessToken = str(body, "access_token");
    const expiresIn = Number(str(body, "expires_in"));
    if (accessToken === "" || !Number.isFinite(expiresIn) || expiresIn <= 0)
      throw new PlatformError("transient", "Threadsのトークン更新の応答に新しいトークンがありませんでした。");
    return {
      ...credentials,
      accessToken,
      expiresAt: new Date(now.getTime() + expiresIn * 1000).toISOString(),
    };
  }

  return {
    platform: "threads",
    refresh,
    refreshesAccessToken: true,
    refreshAheadMs: THREADS_REFRESH_AHEAD_MS,
    async inspect(credentials, now) {
      const debug = await get(credentials, "debug_token", { input_token: credentials.accessToken }).catch(
        (error: unknown) => {
          if (error instanceof PlatformError) return null;
          throw error;
        },
      );
      const expiresAt = Number(str(obj(debug ?? {}, "data"), "expires_at"));
      if (Number.isFinite(expiresAt) && expiresAt > 0)
        return { ...credentials, expiresAt: new Date(expiresAt * 1000).toISOString() };
      try {
        return await refresh(credentials, now);
      } catch (error) {
        if (!(error instanceof PlatformError)) throw error;
        return { ...credentials, expiresAt: new Date(now.getTime() + YOUNG_TOKEN_LIFE_MS).toISOString() };
      }
    },
    limits: {
      maxTextLength: MAX_TEXT,
      maxImages: 20,
      idempotent: false,
      canDelete: true,
      hasPublicUrl: true,
      // Threads fetches each image itself: the sender gives it a signed URL that expires.
      imagesByUrl: true,
    },
    async send(credentials, account: ConnectedAccount, post) {
      if ([...post.text].length > MAX_TEXT)
        throw new PlatformError(
          "invalid",
          `Threadsに投稿できるのは${MAX_TEXT}文字までです（この本文は${[...post.text].length}文字）。本文を短くしてください。`,
        );
      if (post.images.some((i) => !i.publicUrl))
        throw new PlatformError(
          "invalid",
          "Threadsへの画像の自動発信には、画像の公開URLが必要です（Threadsは画像をURLから取り込みます）。画像を外すか、Threadsのアプリから投稿してください。",
        );
      const creationId = await containerFor(credentials, account.externalId, post);
      const published = ok(
        await callApi("Threads", {
          method: "POST",
          url: `${base}/${encodeURIComponent(account.externalId)}/threads_publish`,
          headers: auth(credentials),
          form: { creation_id: creationId },
        }),
      );
      const id = str(published, "id");
      if (id === "")
        throw new PlatformError(
          "transient",
          "Threadsの応答に投稿のIDがありませんでした。自動で確かめ直します。",
        );
      const details = await get(credentials, encodeURIComponent(id), { fields: "permalink,timestamp" }).catch(
        () => ({}),
      );
      return sentFrom({ ...details, id }, false);
    },
    async findSent(credentials, account, post) {
      const body = await get(credentials, `${encodeURIComponent(account.externalId)}/threads`, {
        fields: "id,text,timestamp,permalink",
        since: String(Math.floor((post.since.getTime() - 60_000) / 1000)),
        limit: "25",
      });
      const wanted = comparableText(post.text);
      const found = list(body, "data").find((t) => comparableText(str(t, "text")) === wanted);
      return typeof found === "object" && found !== null
        ? sentFrom(Object.fromEntries(Object.entries(found)), true)
        : null;
    },
    async delete(credentials, _account, platformPostId) {
      if (!platformPostId)
        throw new PlatformError("invalid", "Threadsの投稿IDが記録されていないため、削除できません。");
      const response = await callApi("Threads", {
        method: "DELETE",
        url: `${base}/${encodeURIComponent(platformPostId)}`,
        headers: auth(credentials),
      });
      const error = response.status === 200 ? null : threadsError(response);
      if (error?.kind === "not_found")
        return {
          deleted: true,
          note: "Threadsでは既に削除されていました。",
          raw: { id: platformPostId, status: 404 },
        };
      if (error) throw error;
      const deleted = response.body.success === true;
      return {
        deleted,
        note: deleted
          ? "Threadsで投稿を削除しました。"
          : "Threadsは削除を完了したと答えませんでした。Threadsの画面で確認してください。",
        raw: { id: platformPostId, deleted, deletedId: str(response.body, "deleted_id") },
      };
    },
    async revoke() {
      throw new PlatformError(
        "unsupported",
        "Threads APIには、アクセストークンを無効にする手段がありません（Metaが定めているのは、利用者がThreadsでアプリを外したときにアプリへ届く通知だけです）。Threadsの「設定 → アカウント → ウェブサイトのアクセス許可」で、snsgovに使った市のアプリを削除してください（トークンも無効になります）。",
      );
    },
    async readProfile(credentials) {
      const body = await get(credentials, "me", { fields: "id,username,name,threads_biography" });
      const bio = str(body, "threads_biography");
      return {
        externalId: str(body, "id"),
        name: str(body, "name"),
        handle: str(body, "username"),
        bio,
        link: firstLink(bio),
      };
    },
  };
}

// OAuth (beside the pasted token), with the city's Threads app.

/** The city's Threads app (Meta app id and secret; the secret never logged). */
export type ThreadsApp = { apiUrl: string; appId: string; appSecret: string };

/** The Graph host without the version: the token endpoints are not versioned. */
const threadsOrigin = (apiUrl: string) => apiUrl.replace(/\/+$/, "").replace(/\/v\d+(\.\d+)?$/, "");

/**
 * The consent page: `https://threads.net/oauth/authorize?client_id&redirect_uri&scope&response_type=code&state`
 * (scopes comma-separated; Threads has no PKCE, the sealed `state` is the check).
 */
export function threadsAuthorizeUrl(
  authorizeUrl: string,
  props: { appId: string; redirectUri: string; state: string },
): string {
  return withQuery(authorizeUrl, {
    client_id: props.appId,
    redirect_uri: props.redirectUri,
    scope: THREADS_SCOPES.join(","),
    response_type: "code",
    state: props.state,
  });
}

/**
 * The code for a long-lived token: `POST /oauth/access_token` (form `client_id`, `client_secret`,
 * `grant_type=authorization_code`, `redirect_uri`, `code`) → a short-lived token (one hour), then
 * `GET /access_token?grant_type=th_exchange_token&client_secret&access_token` → the long-lived
 * token (60 days, `expires_in`), which is kept with its expiry.
 */
export async function exchangeThreadsCode(
  app: ThreadsApp,
  props: { code: string; redirectUri: string },
): Promise<Credentials> {
  const origin = threadsOrigin(app.apiUrl);
  const short = await callApi("Threads", {
    method: "POST",
    url: `${origin}/oauth/access_token`,
    form: {
      client_id: app.appId,
      client_secret: app.appSecret,
      grant_type: "authorization_code",
      redirect_uri: props.redirectUri,
      code: props.code,
    },
  });
  if (short.status !== 200) throw threadsError(short);
  const shortToken = str(short.body, "access_token");
  const missing = () =>
    new PlatformError(
      "invalid",
      "Threadsからアクセストークンを受け取れませんでした。もう一度接続してください。",
    );
  if (shortToken === "") throw missing();
  const query = new URLSearchParams({
    grant_type: "th_exchange_token",
    client_secret: app.appSecret,
    access_token: shortToken,
  });
  const long = await callApi("Threads", { method: "GET", url: `${origin}/access_token?${query}` });
  if (long.status !== 200) throw threadsError(long);
  const accessToken = str(long.body, "access_token");
  if (accessToken === "") throw missing();
  const expiresIn = Number(str(long.body, "expires_in"));
  return {
    accessToken,
    ...(Number.isFinite(expiresIn) && expiresIn > 0
      ? { expiresAt: new Date(Date.now() + expiresIn * 1000).toISOString() }
      : {}),
  };
}
