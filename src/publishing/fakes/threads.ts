/**
 * A fake Threads API on loopback (テスト用の疑似サーバー), under `/v1.0`: the endpoints the Threads
 * connector uses — `POST /{user-id}/threads` (TEXT, IMAGE with `image_url`, carousel items and
 * CAROUSEL), `GET /{container-id}?fields=status` (an image container is IN_PROGRESS at the first
 * look, then FINISHED), `POST /{user-id}/threads_publish` (a container published already is
 * refused), `GET /{id}?fields=permalink,timestamp`, `GET /{user-id}/threads`, `DELETE /{id}`,
 * `GET /me`; Meta's error object with code 190 for an unknown token, 10 for a missing permission,
 * 100/33 for an unknown object. Long-lived tokens expire 60 days after they were issued:
 * `GET /refresh_access_token?grant_type=th_refresh_token&access_token=…` (outside `/v1.0`, as
 * Threads documents it) gives a new one for a token at least 24 hours old and not expired, and
 * `GET /v1.0/debug_token?input_token=…` tells a token's `issued_at` and `expires_at` when the
 * caller is a tester of the app (`debugTokenAllowed`).
 * With the city's app (`options.app`), OAuth at the host's root:
 * `GET /oauth/authorize` (a consent page labelled as a test server), `POST /oauth/access_token`
 * (the code for a short-lived token) and `GET /access_token?grant_type=th_exchange_token` (for a
 * long-lived one, 60 days).
 */
import { randomBytes } from "node:crypto";
import { bearerOf, type FakeServer, listingPage, type RecordedRequest, startFake } from "./server.ts";

export type FakeThreadsPost = {
  id: string;
  text: string;
  mediaType: string;
  imageUrls: string[];
  altTexts: string[];
  timestamp: string;
  shortcode: string;
  deleted: boolean;
};

type Container = {
  id: string;
  form: URLSearchParams;
  looks: number;
  published: boolean;
};

export type FakeThreads = FakeServer & {
  /** The API base the connector is given (`<url>/v1.0`). */
  apiUrl: string;
  posts: FakeThreadsPost[];
  containers: Map<string, Container>;
  user: { id: string; username: string; name: string; threads_biography: string };
  /** Tokens and their permissions (remove one to simulate a revoked token). */
  tokens: Map<string, string[]>;
  /** Long-lived tokens issued through OAuth (`th_exchange_token`). */
  longLivedTokens: Set<string>;
  /** When each token was issued (it lives 60 days; set an earlier time to age it). */
  issued: Map<string, Date>;
  /** `debugTokenAllowed`: whether `GET /debug_token` answers (the caller is a tester of the app). */
  settings: { debugTokenAllowed: boolean };
};

const oauthToken = () => `TH${randomBytes(18).toString("base64url")}`;

const DAY_MS = 86_400_000;
/** How long a long-lived token lives, as Threads documents it. */
export const THREADS_TOKEN_LIFE_MS = 60 * DAY_MS;

const metaError = (message: string, code: number, subcode?: number) => ({
  status: 400,
  body: {
    error: {
      message,
      type: code === 190 ? "OAuthException" : "THApiException",
      code,
      ...(subcode ? { error_subcode: subcode } : {}),
      fbtrace_id: "AfakeTraceId",
    },
  },
});

/** Starts the fake Threads API for the user `username` with the access token `token`. */
export async function startFakeThreads(options: {
  username: string;
  token: string;
  name?: string;
  port?: number;
  now?: () => Date;
  /** The city's Meta app, for OAuth (`/oauth/authorize`, `/oauth/access_token`, `/access_token`). */
  app?: { id: string; secret: string };
  /** When `token` was issued (default: at the start). */
  tokenIssuedAt?: Date;
}): Promise<FakeThreads> {
  const posts: FakeThreadsPost[] = [];
  const containers = new Map<string, Container>();
  const now = () => options.now?.() ?? new Date();
  const tokens = new Map([[options.token, ["threads_basic", "threads_content_publish", "threads_delete"]]]);
  const started = now();
  const issued = new Map([[options.token, options.tokenIssuedAt ?? started]]);
  /** When a token expires (one added to `tokens` without an issue time: issued at the start). */
  const expiresAt = (token: string) => (issued.get(token) ?? started).getTime() + THREADS_TOKEN_LIFE_MS;
  let refreshes = 0;
  const user = {
    id: "26000000000000001",
    username: options.username,
    name: options.name ?? "テスト用Threadsアカウント",
    threads_biography: "",
  };
  const settings = { debugTokenAllowed: true };
  let next = 17_900_000_000_000_000n;
  const newId = () => {
    next += 1n;
    return next.toString();
  };
  const needs = (request: RecordedRequest, permission: string) => {
    const token = bearerOf(request);
    const granted = tokens.get(token);
    if (!granted) return metaError("Invalid OAuth access token - Cannot parse access token", 190);
    if (expiresAt(token) <= now().getTime())
      return metaError("Error validating access token: Session has expired", 190, 463);
    if (!granted.includes(permission))
      return metaError("Application does not have permission for this action", 10);
    return null;
  };
  const postJson = (p: FakeThreadsPost) => ({
    id: p.id,
    text: p.text,
    media_type:
      p.mediaType === "CAROUSEL" ? "CAROUSEL_ALBUM" : p.mediaType === "TEXT" ? "TEXT_POST" : "IMAGE",
    timestamp: p.timestamp,
    permalink: `https://www.threads.net/@${user.username}/post/${p.shortcode}`,
  });
  const codes = new Map<string, string>();
  const shortTokens = new Set<string>();
  const longLivedTokens = new Set<string>();
  const scopes = ["threads_basic", "threads_content_publish", "threads_delete"];
  const esc = (t: string) => t.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  /** OAuth with the city's app: the consent page, the code, the long-lived token; else null. */
  const oauth = (request: RecordedRequest) => {
    const app = options.app;
    if (!app) return null;
    if (request.method === "GET" && request.path === "/oauth/authorize") {
      const q = request.query;
      const redirectUri = q.get("redirect_uri") ?? "";
      if (q.get("client_id") !== app.id || q.get("response_type") !== "code" || redirectUri === "")
        return metaError("Invalid platform app", 100);
      const code = oauthToken();
      codes.set(code, redirectUri);
      const back = new URL(redirectUri);
      back.searchParams.set("code", code);
      back.searchParams.set("state", q.get("state") ?? "");
      return {
        status: 200,
        html: `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>テスト用の疑似サーバー（Threads）</title></head><body><main><h1>テスト用の疑似サーバー（Threadsの代わり）</h1><p>これは本物のThreadsではありません。デモとテストのための疑似サーバーです。</p><p>アカウント @${esc(user.username)} の権限（${esc(q.get("scope") ?? "")}）を snsgov に許可します。</p><p><a href="${esc(back.toString())}">許可する</a></p></main></body></html>`,
      };
    }
    if (request.method === "POST" && request.path === "/oauth/access_token") {
      const form = new URLSearchParams(request.body);
      if (form.get("client_id") !== app.id || form.get("client_secret") !== app.secret)
        return metaError("Error validating client secret.", 1);
      const redirectUri = codes.get(form.get("code") ?? "");
      if (form.get("grant_type") !== "authorization_code" || redirectUri !== form.get("redirect_uri"))
        return metaError("Invalid verification code format.", 100);
      codes.delete(form.get("code") ?? "");
      const token = oauthToken();
      shortTokens.add(token);
      tokens.set(token, scopes);
      return { status: 200, body: { access_token: token, user_id: Number(user.id) } };
    }
    if (request.method === "GET" && request.path === "/access_token") {
      const q = request.query;
      if (q.get("client_secret") !== app.secret) return metaError("Error validating client secret.", 1);
      if (q.get("grant_type") !== "th_exchange_token" || !shortTokens.delete(q.get("access_token") ?? ""))
        return metaError("Invalid OAuth access token - Cannot parse access token", 190);
      const token = oauthToken();
      longLivedTokens.add(token);
      tokens.set(token, scopes);
      issued.set(token, now());
      return { status: 200, body: { access_token: token, token_type: "bearer", expires_in: 5_184_000 } };
    }
    return null;
  };
  const server = await startFake((request) => {
    const oauthAnswer = oauth(request);
    if (oauthAnswer) return oauthAnswer;
    if (request.method === "GET" && request.path === "/")
      return listingPage(
        "Threads",
        posts.map((p) => ({
          at: p.timestamp,
          text: `${p.deleted ? "（削除済み）" : ""}${p.text}`,
          id: p.id,
        })),
      );
    if (request.method === "GET" && request.path === "/refresh_access_token") {
      const old = request.query.get("access_token") ?? "";
      if (request.query.get("grant_type") !== "th_refresh_token")
        return metaError("Unsupported grant_type", 100);
      const permissions = tokens.get(old);
      if (!permissions || expiresAt(old) <= now().getTime())
        return metaError("Error validating access token: Session has expired", 190, 463);
      if (now().getTime() - (issued.get(old) ?? started).getTime() < DAY_MS)
        return metaError("The access token must be at least 24 hours old to be refreshed", 100);
      refreshes++;
      const fresh = `${old.replace(/~r\d+$/, "")}~r${refreshes}`;
      tokens.set(fresh, permissions);
      issued.set(fresh, now());
      return {
        status: 200,
        body: { access_token: fresh, token_type: "bearer", expires_in: THREADS_TOKEN_LIFE_MS / 1000 },
      };
    }
    const path = request.path.replace(/^\/v1\.0/, "");
    const basic = needs(request, "threads_basic");
    if (basic) return basic;
    if (request.method === "GET" && path === "/debug_token") {
      if (!settings.debugTokenAllowed)
        return metaError("(#10) The access token must belong to a tester of the app", 10);
      const input = request.query.get("input_token") ?? "";
      const at = issued.get(input) ?? started;
      if (!tokens.has(input)) return metaError("Invalid OAuth access token", 190);
      return {
        status: 200,
        body: {
          data: {
            type: "USER",
            application: "テスト用のアプリ",
            issued_at: Math.floor(at.getTime() / 1000),
            expires_at: Math.floor(expiresAt(input) / 1000),
            is_valid: expiresAt(input) > now().getTime(),
            scopes: tokens.get(input),
            user_id: user.id,
          },
        },
      };
    }
    if (request.method === "GET" && path === "/me") return { status: 200, body: { ...user } };
    if (request.method === "POST" && path === `/${user.id}/threads`) {
      const refused = needs(request, "threads_content_publish");
      if (refused) return refused;
      const form = new URLSearchParams(request.body);
      const type = form.get("media_type") ?? "";
      const text = form.get("text") ?? "";
      if ([...text].length > 500) return metaError("Param text must be at most 500 characters long.", 100);
      if (type === "TEXT" && text === "") return metaError("Param text is required for TEXT posts", 100);
      if (type === "IMAGE" && !/^https?:\/\//.test(form.get("image_url") ?? ""))
        return metaError("Param image_url must be a valid URL", 100);
      if (type === "CAROUSEL" && (form.get("children") ?? "").split(",").some((c) => !containers.has(c)))
        return metaError("Param children is invalid", 100);
      if (!["TEXT", "IMAGE", "CAROUSEL"].includes(type)) return metaError("Param media_type is invalid", 100);
      const id = newId();
      containers.set(id, { id, form, looks: 0, published: false });
      return { status: 200, body: { id } };
    }
    if (request.method === "POST" && path === `/${user.id}/threads_publish`) {
      const refused = needs(request, "threads_content_publish");
      if (refused) return refused;
      const container = containers.get(new URLSearchParams(request.body).get("creation_id") ?? "");
      if (!container) return metaError("Unsupported post request. Object does not exist", 100, 33);
      if (container.published) return metaError("The media has already been published", 100);
      container.published = true;
      const f = container.form;
      const children = (f.get("children") ?? "")
        .split(",")
        .map((c) => containers.get(c)?.form)
        .filter((x): x is URLSearchParams => x !== undefined);
      const items =
        f.get("media_type") === "CAROUSEL" ? children : f.get("media_type") === "IMAGE" ? [f] : [];
      const post: FakeThreadsPost = {
        id: newId(),
        text: f.get("text") ?? "",
        mediaType: f.get("media_type") ?? "",
        imageUrls: items.map((i) => i.get("image_url") ?? ""),
        altTexts: items.map((i) => i.get("alt_text") ?? ""),
        timestamp: now()
          .toISOString()
          .replace(/\.\d{3}Z$/, "+0000"),
        shortcode: `C${(posts.length + 1).toString(36).padStart(10, "x")}`,
        deleted: false,
      };
      posts.push(post);
      return { status: 200, body: { id: post.id } };
    }
    if (request.method === "GET" && path === `/${user.id}/threads`) {
      const since = Number(request.query.get("since") ?? "0") * 1000;
      const data = posts
        .filter((p) => !p.deleted && Date.parse(p.timestamp) >= since)
        .reverse()
        .slice(0, Number(request.query.get("limit") ?? "25"))
        .map(postJson);
      return { status: 200, body: { data, paging: {} } };
    }
    const one = /^\/(\d+)$/.exec(path)?.[1] ?? "";
    const container = containers.get(one);
    if (request.method === "GET" && container) {
      container.looks++;
      const imaging = container.form.get("media_type") !== "TEXT";
      return {
        status: 200,
        body: { id: one, status: imaging && container.looks < 2 ? "IN_PROGRESS" : "FINISHED" },
      };
    }
    const post = posts.find((p) => p.id === one && !p.deleted);
    if (request.method === "GET" && post) return { status: 200, body: postJson(post) };
    if (request.method === "DELETE" && one !== "") {
      const refused = needs(request, "threads_delete");
      if (refused) return refused;
      if (!post)
        return metaError(`Unsupported delete request. Object with ID '${one}' does not exist`, 100, 33);
      post.deleted = true;
      return { status: 200, body: { success: true, deleted_id: post.id } };
    }
    return metaError("Unsupported request", 100, 33);
  }, options.port);
  return Object.assign(server, {
    settings,
    apiUrl: `${server.url}/v1.0`,
    posts,
    containers,
    user,
    tokens,
    longLivedTokens,
    issued,
  });
}
