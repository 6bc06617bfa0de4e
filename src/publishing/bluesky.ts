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
 *   facets, embed } }` → `{ uri, cid }`. Facets (docs.bsky.app, "Links, mentions, and rich
 *   text"), ranges in UTF-8 bytes: `#link` for each link; `#mention` with the DID for each
 *   `@handle` (the handle syntax of atproto.com/specs/handle, after the start of the text or a
 *   character that is not a letter, digit or `_`, so an e-mail address is not one), resolved with
 *   `GET /xrpc/com.atproto.identity.resolveHandle?handle=` — a handle that does not resolve stays
 *   plain text. The embed: the images (`app.bsky.embed.images` with alt texts); else, for the
 *   first link, a link card (`app.bsky.embed.external` `{ uri, title, description, thumb? }`,
 *   read from the page's Open Graph tags by link-card.ts, with its safeguards; the image uploaded
 *   as a blob); a card that cannot be made is left out, the post goes all the same.
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
import { fetchLinkCard, type LinkCardSource } from "./link-card.ts";
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

/** A rich text facet: a range of the text in UTF-8 bytes (start inclusive, end exclusive). */
export type Facet = {
  index: { byteStart: number; byteEnd: number };
  features: (
    | { $type: "app.bsky.richtext.facet#link"; uri: string }
    | { $type: "app.bsky.richtext.facet#mention"; did: string }
    | { $type: "app.bsky.richtext.facet#tag"; tag: string }
  )[];
};

/** The UTF-8 byte range of the UTF-16 range `start`–`end` of `text`. */
const byteRange = (text: string, start: number, end: number) => ({
  byteStart: Buffer.byteLength(text.slice(0, start), "utf8"),
  byteEnd: Buffer.byteLength(text.slice(0, end), "utf8"),
});

/** Link facets of a text: byte offsets in its UTF-8 encoding (start inclusive, end exclusive). */
export function linkFacets(text: string): Facet[] {
  return linksOf(text).map((link) => ({
    index: byteRange(text, link.start, link.end),
    features: [{ $type: "app.bsky.richtext.facet#link", uri: link.url }],
  }));
}

/**
 * `@handle` in a text: the handle syntax of atproto.com/specs/handle (labels of letters, digits
 * and hyphens, dot-separated, the last one starting with a letter), after the start of the text or
 * a character that is not an ASCII letter, digit or `_` (Japanese text may run right up to it; an
 * e-mail address does not count), as in docs.bsky.app's example parser.
 */
const MENTION =
  /(?<![A-Za-z0-9_])@((?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)/g;
/** At most this many handles of one post are looked up. */
const MAX_MENTIONS = 20;

/** The `@handle`s of a text with their UTF-16 ranges (the `@` included), outside its links. */
export function mentionsOf(text: string): { handle: string; start: number; end: number }[] {
  const links = linksOf(text);
  const out: { handle: string; start: number; end: number }[] = [];
  for (const match of text.matchAll(MENTION)) {
    const handle = match[1] ?? "";
    const start = match.index;
    const end = start + 1 + handle.length;
    if (handle.length > 253 || links.some((l) => start < l.end && l.start < end)) continue;
    out.push({ handle: handle.toLowerCase(), start, end });
  }
  return out;
}

/**
 * `#tag` in a text, as Bluesky's own apps detect it (docs.bsky.app "Links, mentions, and rich
 * text"; the hashtag rules of the social-app): after the start of the text or a space (a full-width
 * space included), `#` or `＃`, then no spaces, at least one character that is not a digit or
 * punctuation; trailing punctuation is not part of the tag (「#いわき市。」 tags いわき市); at most
 * 64 characters. The feature names the tag without its `#`.
 */
const TAG =
  // biome-ignore lint/suspicious/noMisleadingCharacterClass: the classes list single characters that end a tag (the zero-width joiner among them), as Bluesky's detection does
  /(^|\s)[#＃]((?!\ufe0f)[^\s\u00AD\u2060\u200A\u200B\u200C\u200D\u20e2]*[^\d\s\p{P}\u00AD\u2060\u200A\u200B\u200C\u200D\u20e2]+[^\s\u00AD\u2060\u200A\u200B\u200C\u200D\u20e2]*)?/gu;
const TRAILING_PUNCTUATION = /\p{P}+$/u;
const MAX_TAG_GRAPHEMES = 64;

/** Tag facets of a text (outside its links): byte offsets of `#tag`, the feature without `#`. */
export function tagFacets(text: string): Facet[] {
  const links = linksOf(text);
  const out: Facet[] = [];
  for (const match of text.matchAll(TAG)) {
    const tag = (match[2] ?? "").trim().replace(TRAILING_PUNCTUATION, "");
    if (tag.length === 0 || graphemeCount(tag) > MAX_TAG_GRAPHEMES) continue;
    const start = match.index + (match[1] ?? "").length;
    const end = start + 1 + tag.length;
    if (links.some((l) => start < l.end && l.start < end)) continue;
    out.push({
      index: byteRange(text, start, end),
      features: [{ $type: "app.bsky.richtext.facet#tag", tag }],
    });
  }
  return out;
}

/**
 * The facets of a text: its links, its hashtags, and its mentions whose handle `resolve` turns
 * into a DID (a handle it does not resolve stays plain text), in the order of the text.
 */
export async function richTextFacets(
  text: string,
  resolve: (handle: string) => Promise<string | null>,
): Promise<Facet[]> {
  const mentions = mentionsOf(text);
  const dids = new Map<string, string | null>();
  for (const { handle } of mentions)
    if (!dids.has(handle) && dids.size < MAX_MENTIONS) dids.set(handle, await resolve(handle));
  const mentionFacets: Facet[] = mentions.flatMap(({ handle, start, end }) => {
    const did = dids.get(handle);
    return did
      ? [
          {
            index: byteRange(text, start, end),
            features: [{ $type: "app.bsky.richtext.facet#mention", did }],
          },
        ]
      : [];
  });
  return [...linkFacets(text), ...tagFacets(text), ...mentionFacets].sort(
    (a, b) => a.index.byteStart - b.index.byteStart,
  );
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

export type BlueskyOptions = {
  /**
   * Where link cards are read from (link-card.ts): `public` in production
   * (`SNSGOV_LINK_CARDS`), `loopback` in the tests and the demo; default `off`.
   */
  linkCards?: LinkCardSource;
  /** The time allowed for reading a link card's page and image (default 5 s). */
  linkCardTimeoutMs?: number;
};

/** A Bluesky connector (the PDS comes with each connection's credentials). */
export function blueskyConnector(options: BlueskyOptions = {}): Connector {
  const linkCards = options.linkCards ?? "off";
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
    const facets = await richTextFacets(post.text, (handle) => resolveHandle(c, handle));
    const embed =
      images.length > 0 ? { $type: "app.bsky.embed.images", images } : await linkCardEmbed(c, post.text);
    return {
      $type: POST,
      text: post.text,
      createdAt: new Date().toISOString(),
      langs: ["ja"],
      ...(facets.length > 0 ? { facets } : {}),
      ...(embed ? { embed } : {}),
    };
  }

  /** The DID of a handle, or null when it does not resolve (then the mention stays plain text). */
  async function resolveHandle(c: Credentials, handle: string): Promise<string | null> {
    try {
      const response = await callApi("Bluesky", {
        method: "GET",
        url: xrpc(c, "com.atproto.identity.resolveHandle", { handle }),
      });
      const did = response.status === 200 ? str(response.body, "did") : "";
      return did.startsWith("did:") ? did : null;
    } catch {
      return null;
    }
  }

  /** A link card for the text's first link (with its image as a blob when it can be had), or null. */
  async function linkCardEmbed(c: Credentials, text: string) {
    const first = linksOf(text)[0];
    if (!first || linkCards === "off") return null;
    const card = await fetchLinkCard(first.url, {
      from: linkCards,
      ...(options.linkCardTimeoutMs ? { timeoutMs: options.linkCardTimeoutMs } : {}),
    });
    if (!card) return null;
    let thumb: Record<string, unknown> | null = null;
    if (card.image)
      try {
        const response = await callApi("Bluesky", {
          method: "POST",
          url: xrpc(c, "com.atproto.repo.uploadBlob"),
          headers: auth(c),
          bytes: { data: card.image.bytes, contentType: card.image.contentType },
          timeoutMs: 30_000,
        });
        thumb = response.status === 200 ? obj(response.body, "blob") : null;
      } catch {
        thumb = null; // the card goes without its image
      }
    return {
      $type: "app.bsky.embed.external",
      external: {
        uri: card.uri,
        title: card.title,
        description: card.description,
        ...(thumb ? { thumb } : {}),
      },
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
