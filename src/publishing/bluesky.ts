/**
 * Bluesky through the AT Protocol's XRPC API on the account's PDS (docs.bsky.app; default
 * https://bsky.social, kept sealed with the tokens as `credentials.server`):
 *
 * - connect: `POST /xrpc/com.atproto.server.createSession` with the handle and an **app password**
 *   (設定 → プライバシーとセキュリティ → アプリパスワード) → `{ accessJwt, refreshJwt, did, handle,
 *   didDoc }`. Only the two tokens are kept (sealed), with the account's own PDS from the DID
 *   document (bsky.social is an entryway); the app password is used once and never stored.
 * - refresh: `POST /xrpc/com.atproto.server.refreshSession` with the refresh token (the access
 *   token lives about two hours; the refresh token is replaced each time).
 * - revoke: `POST /xrpc/com.atproto.server.deleteSession` with the refresh token, when the
 *   connection is revoked (the session ends; the app password is revoked in Bluesky's settings).
 * - send: each image `POST /xrpc/com.atproto.repo.uploadBlob` (the bytes, their type; at most
 *   1,000,000 bytes) → `blob`; then `POST /xrpc/com.atproto.repo.createRecord` `{ repo: did,
 *   collection: "app.bsky.feed.post", rkey, record: { $type, text, createdAt, langs: ["ja"],
 *   facets (links, UTF-8 byte offsets), embed: app.bsky.embed.images with alt } }` → `{ uri, cid }`.
 *   The record key is a TID derived from the outbox row (the time of its first attempt and its
 *   UUID), so every attempt asks for the same key: a resend of a post that went out is refused by
 *   the PDS (today a 500, in newer PDS versions an explicit error) and the connector then finds the
 *   record with `getRecord` and takes it as the earlier send. The PDS accepts a chosen post key only
 *   near the present (about ten minutes), so a later attempt lets the PDS choose; the sender looks
 *   for the post first anyway (`findSent`, `com.atproto.repo.listRecords`, the exact text).
 *   The URL is `https://bsky.app/profile/<handle>/post/<rkey>`.
 * - delete: `POST /xrpc/com.atproto.repo.deleteRecord` `{ repo, collection, rkey }`.
 * - profile: `GET /xrpc/com.atproto.server.getSession` (whose tokens), then
 *   `GET /xrpc/app.bsky.actor.getProfile?actor=<did>` → `displayName`, `handle`, `description`
 *   (Bluesky has no link field: the first link of the description).
 * - errors: `{ error, message }`; `ExpiredToken`/`InvalidToken` (400) and 401 ask for a refresh or
 *   a reconnection; 429 with `ratelimit-reset` (Unix seconds).
 */
import { createHash } from "node:crypto";
import {
  type ConnectedAccount,
  type Connector,
  type Credentials,
  type OutgoingPost,
  PlatformError,
  type SentPost,
} from "./connector.ts";
import { type ApiResponse, callApi, errorFor, list, obj, str, withResetAsRetryAfter } from "./http.ts";
import { linksOf } from "./text.ts";

export const BLUESKY_DEFAULT_PDS = "https://bsky.social";
const POST = "app.bsky.feed.post";
const MAX_GRAPHEMES = 300;
const MAX_IMAGE_BYTES = 1_000_000;
/** A chosen post key is used only this long after the first attempt (the PDS's window is ~10 min). */
const RKEY_WINDOW_MS = 8 * 60_000;

const S32 = "234567abcdefghijklmnopqrstuvwxyz";
const s32 = (value: bigint, width: number) => {
  let out = "";
  let v = value;
  while (v > 0n) {
    out = S32[Number(v % 32n)] + out;
    v /= 32n;
  }
  return out.padStart(width, "2");
};

/**
 * The record key of an outbox row: a TID (13 characters, base32-sortable) whose time is the first
 * attempt (in microseconds, the sub-millisecond part and the clock id taken from the UUID).
 */
export function recordKeyFor(idempotencyKey: string, firstAttemptAt: Date): string {
  const digest = createHash("sha256").update(idempotencyKey).digest();
  const micros = BigInt(firstAttemptAt.getTime()) * 1000n + BigInt(digest.readUInt16BE(0) % 1000);
  return s32(micros, 11) + s32(BigInt(digest.readUInt16BE(2) & 0x3ff), 2);
}

/** Grapheme clusters, as Bluesky counts its 300-character limit. */
export const graphemeCount = (text: string): number =>
  [...new Intl.Segmenter("ja", { granularity: "grapheme" }).segment(text)].length;

/** Link facets of a text: byte offsets in its UTF-8 encoding (start inclusive, end exclusive). */
export function linkFacets(text: string) {
  const bytes = (s: string) => Buffer.byteLength(s, "utf8");
  return linksOf(text).map((link) => ({
    index: { byteStart: bytes(text.slice(0, link.start)), byteEnd: bytes(text.slice(0, link.end)) },
    features: [{ $type: "app.bsky.richtext.facet#link", uri: link.url }],
  }));
}

const postUrl = (handle: string, rkey: string) => `https://bsky.app/profile/${handle}/post/${rkey}`;
const rkeyOf = (uri: string) => uri.split("/").at(-1) ?? "";
const AUTH_ERRORS = new Set(["ExpiredToken", "InvalidToken", "AuthenticationRequired", "AuthMissing"]);

/** The PlatformError for a Bluesky answer (an expired token comes as 400 `ExpiredToken`). */
function blueskyError(response: ApiResponse): PlatformError {
  const code = str(response.body, "error");
  if (AUTH_ERRORS.has(code) && response.status !== 401)
    return errorFor("Bluesky", { ...response, status: 401 }, null);
  return errorFor("Bluesky", withResetAsRetryAfter(response, "ratelimit-reset"), null);
}

function ok(response: ApiResponse): Record<string, unknown> {
  if (response.status === 200) return response.body;
  throw blueskyError(response);
}

const serverOf = (c: Credentials) => (c.server ?? BLUESKY_DEFAULT_PDS).replace(/\/+$/, "");
const auth = (c: Credentials) => ({ Authorization: `Bearer ${c.accessToken}` });

/** When a JWT expires (its `exp`), when readable. */
function expiryOf(jwt: string): string | undefined {
  try {
    const payload: unknown = JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8"));
    const exp =
      typeof payload === "object" && payload !== null && "exp" in payload ? Number(payload.exp) : NaN;
    return Number.isFinite(exp) ? new Date(exp * 1000).toISOString() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The account's own PDS from the session's DID document (`service` of type
 * AtprotoPersonalDataServer): bsky.social is an entryway in front of many PDS hosts, and clients
 * talk to the account's PDS itself. Only an https endpoint (or the server signed in to) is taken.
 */
export function pdsEndpoint(body: Record<string, unknown>, signedInTo: string): string {
  const service = list(obj(body, "didDoc"), "service").find(
    (s) => str(s, "type") === "AtprotoPersonalDataServer" || str(s, "id").endsWith("#atproto_pds"),
  );
  const endpoint = str(service, "serviceEndpoint").replace(/\/+$/, "");
  if (endpoint === "") return signedInTo;
  try {
    const url = new URL(endpoint);
    return url.protocol === "https:" || endpoint === signedInTo ? endpoint : signedInTo;
  } catch {
    return signedInTo;
  }
}

function sessionCredentials(signedInTo: string, body: Record<string, unknown>): Credentials {
  const server = pdsEndpoint(body, signedInTo);
  const accessToken = str(body, "accessJwt");
  const refreshToken = str(body, "refreshJwt");
  if (accessToken === "" || refreshToken === "")
    throw new PlatformError(
      "invalid",
      "Blueskyからトークンを受け取れませんでした。もう一度接続してください。",
    );
  const expiresAt = expiryOf(accessToken);
  return { accessToken, refreshToken, server, ...(expiresAt ? { expiresAt } : {}) };
}

/**
 * Signs in with the handle and an app password (used once, never kept): the session's tokens,
 * and whose they are.
 */
export async function createBlueskySession(
  server: string,
  login: { identifier: string; password: string },
): Promise<{ credentials: Credentials; did: string; handle: string }> {
  const base = server.replace(/\/+$/, "");
  const response = await callApi("Bluesky", {
    method: "POST",
    url: `${base}/xrpc/com.atproto.server.createSession`,
    json: { identifier: login.identifier, password: login.password },
  });
  const code = str(response.body, "error");
  if (response.status === 401 && code === "AuthFactorTokenRequired")
    throw new PlatformError(
      "invalid",
      "Blueskyがメールでの確認コードを求めました。アカウントのパスワードではなく、アプリパスワードを入力してください。",
    );
  if (response.status === 401)
    throw new PlatformError(
      "invalid",
      "Blueskyがハンドルとアプリパスワードの組み合わせを受け付けませんでした。入力を確認してください。",
      { status: 401, platformMessage: str(response.body, "message") },
    );
  const body = ok(response);
  return { credentials: sessionCredentials(base, body), did: str(body, "did"), handle: str(body, "handle") };
}

/** A Bluesky connector (the PDS comes with each connection's credentials). */
export function blueskyConnector(): Connector {
  const xrpc = (c: Credentials, nsid: string, query?: Record<string, string>) =>
    `${serverOf(c)}/xrpc/${nsid}${query ? `?${new URLSearchParams(query)}` : ""}`;

  const sent = (
    account: ConnectedAccount,
    uri: string,
    cid: string,
    createdAt: string,
    duplicate: boolean,
  ) => {
    const rkey = rkeyOf(uri);
    return {
      platformPostId: uri,
      url: postUrl(account.handle, rkey),
      requestId: null,
      at: createdAt ? new Date(createdAt) : new Date(),
      duplicate,
      raw: { uri, cid, rkey },
    } satisfies SentPost;
  };

  async function getRecord(
    c: Credentials,
    did: string,
    rkey: string,
  ): Promise<Record<string, unknown> | null> {
    const response = await callApi("Bluesky", {
      method: "GET",
      url: xrpc(c, "com.atproto.repo.getRecord", { repo: did, collection: POST, rkey }),
      headers: auth(c),
    });
    return response.status === 200 ? response.body : null;
  }

  async function record(c: Credentials, post: OutgoingPost) {
    if (graphemeCount(post.text) > MAX_GRAPHEMES)
      throw new PlatformError(
        "invalid",
        `Blueskyに投稿できるのは${MAX_GRAPHEMES}文字までです（この本文は${graphemeCount(post.text)}文字）。本文を短くしてください。`,
      );
    if (post.images.length > 4) throw new PlatformError("invalid", "Blueskyに添付できる画像は4枚までです。");
    const images: { alt: string; image: Record<string, unknown> }[] = [];
    for (const image of post.images) {
      if (image.bytes.length > MAX_IMAGE_BYTES)
        throw new PlatformError(
          "invalid",
          `Blueskyに添付できる画像は1枚1MBまでです（「${image.filename}」は${Math.ceil(image.bytes.length / 1024)}KB）。画像を小さくしてください。`,
        );
      const body = ok(
        await callApi("Bluesky", {
          method: "POST",
          url: xrpc(c, "com.atproto.repo.uploadBlob"),
          headers: auth(c),
          bytes: { data: image.bytes, contentType: image.contentType },
          timeoutMs: 60_000,
        }),
      );
      images.push({ alt: image.alt, image: obj(body, "blob") });
    }
    const facets = linkFacets(post.text);
    return {
      $type: POST,
      text: post.text,
      createdAt: new Date().toISOString(),
      langs: ["ja"],
      ...(facets.length > 0 ? { facets } : {}),
      ...(images.length > 0 ? { embed: { $type: "app.bsky.embed.images", images } } : {}),
    };
  }

  return {
    platform: "bluesky",
    limits: {
      maxTextLength: MAX_GRAPHEMES,
      maxImages: 4,
      idempotent: false,
      canDelete: true,
      hasPublicUrl: true,
    },
    async send(credentials, account, post) {
      const value = await record(credentials, post);
      const first = post.firstAttemptAt;
      const rkey =
        first && Date.now() - first.getTime() < RKEY_WINDOW_MS
          ? recordKeyFor(post.idempotencyKey, first)
          : undefined;
      const response = await callApi("Bluesky", {
        method: "POST",
        url: xrpc(credentials, "com.atproto.repo.createRecord"),
        headers: auth(credentials),
        json: { repo: account.externalId, collection: POST, ...(rkey ? { rkey } : {}), record: value },
      });
      if (response.status === 200)
        return sent(account, str(response.body, "uri"), str(response.body, "cid"), value.createdAt, false);
      const error = blueskyError(response);
      // The same key again: the record is there from an earlier attempt.
      if (rkey && (error.kind === "invalid" || error.kind === "transient")) {
        const existing = await getRecord(credentials, account.externalId, rkey);
        if (existing)
          return sent(
            account,
            str(existing, "uri"),
            str(existing, "cid"),
            str(obj(existing, "value"), "createdAt"),
            true,
          );
      }
      throw error;
    },
    async findSent(credentials, account, post) {
      const body = ok(
        await callApi("Bluesky", {
          method: "GET",
          url: xrpc(credentials, "com.atproto.repo.listRecords", {
            repo: account.externalId,
            collection: POST,
            limit: "50",
          }),
          headers: auth(credentials),
        }),
      );
      const since = post.since.getTime() - 60_000;
      const found = list(body, "records").find((r) => {
        const value = obj(r, "value");
        return str(value, "text") === post.text && Date.parse(str(value, "createdAt")) >= since;
      });
      return found
        ? sent(account, str(found, "uri"), str(found, "cid"), str(obj(found, "value"), "createdAt"), true)
        : null;
    },
    async delete(credentials, account, platformPostId) {
      const rkey = platformPostId ? rkeyOf(platformPostId) : "";
      if (rkey === "")
        throw new PlatformError("invalid", "Blueskyの投稿IDが記録されていないため、削除できません。");
      ok(
        await callApi("Bluesky", {
          method: "POST",
          url: xrpc(credentials, "com.atproto.repo.deleteRecord"),
          headers: auth(credentials),
          json: { repo: account.externalId, collection: POST, rkey },
        }),
      );
      return { deleted: true, note: "Blueskyで投稿を削除しました。", raw: { uri: platformPostId, rkey } };
    },
    async readProfile(credentials) {
      const session = ok(
        await callApi("Bluesky", {
          method: "GET",
          url: xrpc(credentials, "com.atproto.server.getSession"),
          headers: auth(credentials),
        }),
      );
      const did = str(session, "did");
      const body = ok(
        await callApi("Bluesky", {
          method: "GET",
          url: xrpc(credentials, "app.bsky.actor.getProfile", { actor: did }),
          headers: auth(credentials),
        }),
      );
      const bio = str(body, "description");
      return {
        externalId: str(body, "did") || did,
        name: str(body, "displayName"),
        handle: str(body, "handle") || str(session, "handle"),
        bio,
        link: linksOf(bio)[0]?.url ?? "",
      };
    },
    async revoke(credentials) {
      // Ends the app-password session: its refresh token stops working at once, its access
      // token (about two hours) runs out. The app password itself is revoked in Bluesky's settings.
      if (!credentials.refreshToken) return;
      const response = await callApi("Bluesky", {
        method: "POST",
        url: xrpc(credentials, "com.atproto.server.deleteSession"),
        headers: { Authorization: `Bearer ${credentials.refreshToken}` },
      });
      if (response.status !== 200) throw blueskyError(response);
    },
    async refresh(credentials) {
      if (!credentials.refreshToken)
        throw new PlatformError(
          "auth",
          "Blueskyの接続の期限が切れました。アカウント管理者が接続し直してください。",
        );
      const response = await callApi("Bluesky", {
        method: "POST",
        url: xrpc(credentials, "com.atproto.server.refreshSession"),
        headers: { Authorization: `Bearer ${credentials.refreshToken}` },
      });
      if (response.status === 400 || response.status === 401)
        throw new PlatformError(
          "auth",
          "Blueskyの接続の期限が切れたか、取り消されています。アカウント管理者が接続し直してください。",
          { status: response.status, platformMessage: str(response.body, "message") },
        );
      return sessionCredentials(serverOf(credentials), ok(response));
    },
  };
}
