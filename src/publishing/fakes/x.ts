/**
 * A fake X API v2 on loopback (テスト用の疑似サーバー): the endpoints the X connector uses —
 * OAuth 2.0 with PKCE (`GET /i/oauth2/authorize` shows a consent page labelled as a test server,
 * `POST /2/oauth2/token` checks the code verifier against the challenge, and refreshes),
 * `POST /2/media/upload`, `POST /2/media/metadata`, `POST /2/tweets` (X's duplicate-content
 * refusal: 403 "You are not allowed to create a Tweet with duplicate content."),
 * `DELETE /2/tweets/{id}`, `GET /2/users/{id}/tweets`, `GET /2/users/me`.
 */
import { createHash, randomBytes } from "node:crypto";
import { bearerOf, type FakeServer, jsonOf, listingPage, type RecordedRequest, startFake } from "./server.ts";

export type FakeTweet = { id: string; text: string; mediaIds: string[]; createdAt: string; deleted: boolean };

export type FakeX = FakeServer & {
  tweets: FakeTweet[];
  media: Map<string, { type: string; bytes: number; alt: string }>;
  /** The user of the connected account (change it to simulate a hijacked profile). */
  user: { id: string; username: string; name: string; description: string; url: string };
  /** Access tokens that work (expire one by deleting it). */
  tokens: Set<string>;
  /** Refresh tokens that work. */
  refreshTokens: Set<string>;
  /** Issues an access token directly (for tests that skip the OAuth dance). */
  issueToken(): { accessToken: string; refreshToken: string };
};

const token = () => randomBytes(18).toString("base64url");

/** Starts the fake X API for the account `username`; `clientId` is the city's app. */
export async function startFakeX(options: {
  username: string;
  name?: string;
  clientId: string;
  port?: number;
  now?: () => Date;
  /** An access token that works from the start (the demo's stored connection). */
  presetToken?: string;
}): Promise<FakeX> {
  const tweets: FakeTweet[] = [];
  const media = new Map<string, { type: string; bytes: number; alt: string }>();
  const tokens = new Set<string>(options.presetToken ? [options.presetToken] : []);
  const refreshTokens = new Set<string>();
  const codes = new Map<string, { challenge: string; redirectUri: string }>();
  let nextId = 1_866_000_000_000_000_000n;
  const newId = () => {
    nextId += 1n;
    return nextId.toString();
  };
  const user = {
    id: "1500000000000000001",
    username: options.username,
    name: options.name ?? "テスト用Xアカウント",
    description: "",
    url: "",
  };
  const issueToken = () => {
    const pair = { accessToken: token(), refreshToken: token() };
    tokens.add(pair.accessToken);
    refreshTokens.add(pair.refreshToken);
    return pair;
  };
  const tokenAnswer = () => {
    const pair = issueToken();
    return {
      status: 200,
      body: {
        token_type: "bearer",
        expires_in: 7200,
        access_token: pair.accessToken,
        refresh_token: pair.refreshToken,
        scope: "tweet.read tweet.write users.read media.write offline.access",
      },
    };
  };
  const oauthToken = (request: RecordedRequest) => {
    const form = new URLSearchParams(request.body);
    if (form.get("client_id") !== options.clientId)
      return {
        status: 401,
        body: { error: "invalid_client", error_description: "Missing valid authorization header" },
      };
    if (form.get("grant_type") === "authorization_code") {
      const code = codes.get(form.get("code") ?? "");
      const verifier = form.get("code_verifier") ?? "";
      const challenge = createHash("sha256").update(verifier).digest("base64url");
      if (!code || code.challenge !== challenge || code.redirectUri !== form.get("redirect_uri"))
        return {
          status: 400,
          body: {
            error: "invalid_request",
            error_description: "Value passed for the authorization code was invalid.",
          },
        };
      codes.delete(form.get("code") ?? "");
      return tokenAnswer();
    }
    if (form.get("grant_type") === "refresh_token") {
      const refresh = form.get("refresh_token") ?? "";
      if (!refreshTokens.delete(refresh))
        return {
          status: 400,
          body: { error: "invalid_request", error_description: "Value passed for the token was invalid." },
        };
      return tokenAnswer();
    }
    return { status: 400, body: { error: "unsupported_grant_type" } };
  };
  const authorizePage = (request: RecordedRequest) => {
    const q = request.query;
    const code = token();
    codes.set(code, { challenge: q.get("code_challenge") ?? "", redirectUri: q.get("redirect_uri") ?? "" });
    const back = new URL(q.get("redirect_uri") ?? "http://127.0.0.1/");
    back.searchParams.set("code", code);
    back.searchParams.set("state", q.get("state") ?? "");
    const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
    return {
      status: 200,
      html: `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>テスト用の疑似サーバー（X）</title></head><body><main><h1>テスト用の疑似サーバー（Xの代わり）</h1><p>これは本物のXではありません。デモとテストのための疑似サーバーです。</p><p>アカウント @${esc(user.username)} への投稿の権限（${esc(q.get("scope") ?? "")}）を snsgov に許可します。</p><p><a href="${esc(back.toString())}">許可する</a></p></main></body></html>`,
    };
  };
  const server = await startFake((request) => {
    if (request.method === "GET" && request.path === "/i/oauth2/authorize") return authorizePage(request);
    if (request.method === "GET" && request.path === "/")
      return listingPage(
        "X",
        tweets.map((t) => ({
          at: t.createdAt,
          text: `${t.deleted ? "（削除済み）" : ""}${t.text}`,
          id: t.id,
        })),
      );
    if (request.method === "POST" && request.path === "/2/oauth2/token") return oauthToken(request);
    if (request.method === "POST" && request.path === "/2/oauth2/revoke") {
      // RFC 7009: the client identifies itself; an unknown token is answered like a known one.
      const form = new URLSearchParams(request.body);
      if (form.get("client_id") !== options.clientId)
        return {
          status: 401,
          body: { error: "invalid_client", error_description: "Missing valid authorization header" },
        };
      const token = form.get("token") ?? "";
      tokens.delete(token);
      refreshTokens.delete(token);
      return { status: 200, body: { revoked: true } };
    }
    if (!tokens.has(bearerOf(request)))
      return {
        status: 401,
        body: { title: "Unauthorized", type: "about:blank", status: 401, detail: "Unauthorized" },
      };
    const body = jsonOf(request);
    if (request.method === "POST" && request.path === "/2/media/upload") {
      const id = newId();
      const raw = typeof body.media === "string" ? body.media : "";
      media.set(id, {
        type: String(body.media_type ?? ""),
        bytes: Buffer.from(raw, "base64").length,
        alt: "",
      });
      return { status: 200, body: { data: { id, media_key: `3_${id}`, expires_after_secs: 86400 } } };
    }
    if (request.method === "POST" && request.path === "/2/media/metadata") {
      const item = media.get(String(body.id ?? ""));
      if (!item) return { status: 400, body: { title: "Invalid Request", detail: "media not found" } };
      const meta = body.metadata;
      const alt = typeof meta === "object" && meta !== null && "alt_text" in meta ? meta.alt_text : undefined;
      item.alt = typeof alt === "object" && alt !== null && "text" in alt ? String(alt.text) : "";
      return { status: 200, body: { data: { id: body.id, associated_metadata: true } } };
    }
    if (request.method === "POST" && request.path === "/2/tweets") {
      const text = typeof body.text === "string" ? body.text : "";
      if (tweets.some((t) => !t.deleted && t.text === text))
        return {
          status: 403,
          body: {
            detail: "You are not allowed to create a Tweet with duplicate content.",
            type: "about:blank",
            title: "Forbidden",
            status: 403,
          },
        };
      const m = body.media;
      const mediaIds =
        typeof m === "object" && m !== null && "media_ids" in m && Array.isArray(m.media_ids)
          ? m.media_ids.map(String)
          : [];
      const tweet = {
        id: newId(),
        text,
        mediaIds,
        createdAt: (options.now?.() ?? new Date()).toISOString(),
        deleted: false,
      };
      tweets.push(tweet);
      return {
        status: 201,
        body: { data: { id: tweet.id, text: tweet.text, edit_history_tweet_ids: [tweet.id] } },
      };
    }
    const deleteMatch = /^\/2\/tweets\/(\d+)$/.exec(request.path);
    if (request.method === "DELETE" && deleteMatch) {
      const tweet = tweets.find((t) => t.id === deleteMatch[1] && !t.deleted);
      if (!tweet) return { status: 404, body: { title: "Not Found Error", detail: "Could not find tweet" } };
      tweet.deleted = true;
      return { status: 200, body: { data: { deleted: true } } };
    }
    if (request.method === "GET" && request.path === `/2/users/${user.id}/tweets`) {
      const since = Date.parse(request.query.get("start_time") ?? "1970-01-01T00:00:00Z");
      const data = tweets
        .filter((t) => !t.deleted && Date.parse(t.createdAt) >= since)
        .reverse()
        .map((t) => ({ id: t.id, text: t.text, created_at: t.createdAt, edit_history_tweet_ids: [t.id] }));
      return {
        status: 200,
        body: data.length > 0 ? { data, meta: { result_count: data.length } } : { meta: { result_count: 0 } },
      };
    }
    if (request.method === "GET" && request.path === "/2/users/me") {
      const entities = user.url
        ? { url: { urls: [{ url: "https://t.co/abc", expanded_url: user.url }] } }
        : undefined;
      return {
        status: 200,
        body: {
          data: { ...user, url: user.url ? "https://t.co/abc" : "", ...(entities ? { entities } : {}) },
        },
      };
    }
    return { status: 404, body: { title: "Not Found" } };
  }, options.port);
  return Object.assign(server, { tweets, media, user, tokens, refreshTokens, issueToken });
}
