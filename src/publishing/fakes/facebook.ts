/**
 * A fake Facebook Graph API for one Page on loopback (テスト用の疑似サーバー): the endpoints the
 * Facebook connector uses — `GET /me` (the page, for a page token), `POST /{page-id}/feed` (with
 * `attached_media`; the same text again is refused with code 506 as Facebook does),
 * `POST /{page-id}/photos` (multipart `source`, `published`), `POST /{photo-id}`
 * (`alt_text_custom`), `GET /{page-id}/feed?since=`, `DELETE /{post-id}` — under `/v25.0`. With the
 * city's app (`options.app`), Facebook Login: `GET /dialog/oauth` (a consent page labelled as a test
 * server), `GET /oauth/access_token` (the code for a short-lived user token; `fb_exchange_token` for
 * a long-lived one), `GET /me/accounts` (the page with a fresh page access token).
 */
import { randomBytes } from "node:crypto";
import { GRAPH_VERSION } from "../graph.ts";
import { graphFault, graphFields, graphPath, graphToken, multipartOf, noSuchObject } from "./graph.ts";
import { type FakeServer, listingPage, type RecordedRequest, startFake } from "./server.ts";

export type FakeFacebookPost = {
  id: string;
  message: string;
  photoIds: string[];
  createdAt: string;
  deleted: boolean;
};
export type FakeFacebookPhoto = {
  id: string;
  bytes: number;
  contentType: string;
  caption: string;
  published: boolean;
  alt: string;
};

export type FakeFacebook = FakeServer & {
  /** The base URL the connector is configured with (version included). */
  apiUrl: string;
  posts: FakeFacebookPost[];
  photos: Map<string, FakeFacebookPhoto>;
  /** The page (change it to simulate a hijacked profile). */
  page: { id: string; name: string; username: string; about: string; website: string; link: string };
  /** Page access tokens that work (remove one to simulate an expired token). */
  tokens: Set<string>;
  /** Long-lived user tokens issued through Facebook Login (`fb_exchange_token`). */
  userTokens: Set<string>;
};

const loginToken = () => `EAA${randomBytes(18).toString("base64url")}`;

/** Starts the fake for the page `username` with page access token `token`. */
export async function startFakeFacebook(options: {
  token: string;
  username: string;
  name?: string;
  port?: number;
  now?: () => Date;
  /** The city's Meta app, for Facebook Login (`/dialog/oauth`, `/oauth/access_token`, `/me/accounts`). */
  app?: { id: string; secret: string };
}): Promise<FakeFacebook> {
  const posts: FakeFacebookPost[] = [];
  const photos = new Map<string, FakeFacebookPhoto>();
  const tokens = new Set([options.token]);
  const page = {
    id: "104000000000001",
    name: options.name ?? "テスト用Facebookページ",
    username: options.username,
    about: "",
    website: "",
    link: `https://www.facebook.com/${options.username}`,
  };
  let next = 1_000_000_000_000_000n;
  const newId = () => {
    next += 1n;
    return next.toString();
  };
  const now = () => (options.now?.() ?? new Date()).toISOString().replace(/\.\d{3}Z$/, "+0000");
  const publish = (message: string, photoIds: string[]) => {
    if (message !== "" && posts.some((p) => !p.deleted && p.message === message))
      return graphFault(400, { message: "Duplicate status message", code: 506, error_subcode: 1455006 });
    const post = { id: `${page.id}_${newId()}`, message, photoIds, createdAt: now(), deleted: false };
    posts.push(post);
    return { status: 200, body: { id: post.id } };
  };
  const codes = new Map<string, string>();
  const shortTokens = new Set<string>();
  const userTokens = new Set<string>();
  const esc = (t: string) => t.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  /** Facebook Login with the city's app: the consent page, the tokens, the pages; else null. */
  const login = (request: RecordedRequest, path: string | null) => {
    const app = options.app;
    if (!app || path === null) return null;
    const q = request.query;
    if (request.method === "GET" && path === "/dialog/oauth") {
      const redirectUri = q.get("redirect_uri") ?? "";
      if (q.get("client_id") !== app.id || redirectUri === "")
        return graphFault(400, { message: "Invalid App ID", code: 101 });
      const code = loginToken();
      codes.set(code, redirectUri);
      const back = new URL(redirectUri);
      back.searchParams.set("code", code);
      back.searchParams.set("state", q.get("state") ?? "");
      return {
        status: 200,
        html: `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>テスト用の疑似サーバー（Facebook）</title></head><body><main><h1>テスト用の疑似サーバー（Facebookの代わり）</h1><p>これは本物のFacebookではありません。デモとテストのための疑似サーバーです。</p><p>ページ「${esc(page.name)}」の権限（${esc(q.get("scope") ?? "")}）を snsgov に許可します。</p><p><a href="${esc(back.toString())}">許可する</a></p></main></body></html>`,
      };
    }
    if (request.method === "GET" && path === "/oauth/access_token") {
      if (q.get("client_id") !== app.id || q.get("client_secret") !== app.secret)
        return graphFault(400, {
          message: "Error validating client secret.",
          code: 1,
          type: "OAuthException",
        });
      if (q.get("grant_type") === "fb_exchange_token") {
        if (!shortTokens.delete(q.get("fb_exchange_token") ?? ""))
          return graphFault(400, { message: "Invalid OAuth access token.", code: 190 });
        const token = loginToken();
        userTokens.add(token);
        return { status: 200, body: { access_token: token, token_type: "bearer", expires_in: 5_183_944 } };
      }
      const code = q.get("code") ?? "";
      if (codes.get(code) !== q.get("redirect_uri"))
        return graphFault(400, { message: "Invalid verification code format.", code: 100 });
      codes.delete(code);
      const token = loginToken();
      shortTokens.add(token);
      return { status: 200, body: { access_token: token, token_type: "bearer", expires_in: 5_400 } };
    }
    if (request.method === "GET" && path === "/me/accounts" && userTokens.has(graphToken(request))) {
      const pageToken = loginToken();
      tokens.add(pageToken);
      return {
        status: 200,
        body: {
          data: [{ id: page.id, name: page.name, username: page.username, access_token: pageToken }],
          paging: { cursors: { before: "a", after: "b" } },
        },
      };
    }
    return null;
  };
  const server = await startFake(async (request) => {
    if (request.method === "GET" && request.path === "/")
      return listingPage(
        "Facebook",
        posts.map((p) => ({
          at: p.createdAt,
          text: `${p.deleted ? "（削除済み）" : ""}${p.message}${p.photoIds.length ? `（画像${p.photoIds.length}枚）` : ""}`,
          id: p.id,
        })),
      );
    const path = graphPath(request);
    const loginAnswer = login(request, path);
    if (loginAnswer) return loginAnswer;
    if (path === null)
      return graphFault(400, { message: "Unknown path components", code: 2500, type: "OAuthException" });
    if (!tokens.has(graphToken(request)))
      return graphFault(401, {
        message: "Invalid OAuth access token - Cannot parse access token",
        code: 190,
      });
    const feed = `/${page.id}/feed`;
    if (request.method === "GET" && (path === "/me" || path === `/${page.id}`))
      return { status: 200, body: page };
    if (request.method === "POST" && path === feed) {
      const fields = graphFields(request);
      const attached = Array.isArray(fields.attached_media) ? fields.attached_media : [];
      const photoIds = attached.map((m) =>
        typeof m === "object" && m !== null && "media_fbid" in m ? String(m.media_fbid) : "",
      );
      if (photoIds.some((id) => !photos.has(id)))
        return graphFault(400, { message: "(#100) Invalid media_fbid", code: 100 });
      const message = typeof fields.message === "string" ? fields.message : "";
      if (message === "" && photoIds.length === 0)
        return graphFault(400, { message: "(#100) The parameter message is required", code: 100 });
      return publish(message, photoIds);
    }
    if (request.method === "POST" && path === `/${page.id}/photos`) {
      const form = await multipartOf(request);
      const source = form?.get("source");
      if (!form || !(source instanceof Blob))
        return graphFault(400, { message: "(#324) Requires upload file", code: 324 });
      const photo = {
        id: newId(),
        bytes: source.size,
        contentType: source.type,
        caption: String(form.get("caption") ?? ""),
        published: form.get("published") !== "false",
        alt: "",
      };
      photos.set(photo.id, photo);
      if (!photo.published) return { status: 200, body: { id: photo.id } };
      const posted = publish(photo.caption, [photo.id]);
      if (posted.status !== 200) return posted;
      return { status: 200, body: { id: photo.id, post_id: posts.at(-1)?.id } };
    }
    if (request.method === "GET" && path === feed) {
      const since = Number(request.query.get("since") ?? "0") * 1000;
      const data = posts
        .filter((p) => !p.deleted && Date.parse(p.createdAt.replace("+0000", "Z")) >= since)
        .reverse()
        .map((p) => ({ id: p.id, message: p.message, created_time: p.createdAt }));
      return { status: 200, body: { data, paging: {} } };
    }
    const id = path.slice(1);
    const photo = photos.get(id);
    if (request.method === "POST" && photo) {
      const fields = graphFields(request);
      photo.alt = typeof fields.alt_text_custom === "string" ? fields.alt_text_custom : photo.alt;
      return { status: 200, body: { success: true } };
    }
    if (request.method === "DELETE") {
      const post = posts.find((p) => p.id === id && !p.deleted);
      if (!post) return noSuchObject(id, "DELETE");
      post.deleted = true;
      return { status: 200, body: { success: true } };
    }
    return noSuchObject(id, request.method);
  }, options.port);
  return Object.assign(server, {
    apiUrl: `${server.url}/${GRAPH_VERSION}`,
    posts,
    photos,
    page,
    tokens,
    userTokens,
  });
}
