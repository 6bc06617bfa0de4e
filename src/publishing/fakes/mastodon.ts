/**
 * A fake Mastodon server on loopback (テスト用の疑似サーバー): the endpoints the Mastodon connector
 * uses — `POST /api/v2/media` (202 while "processing": the first `GET /api/v1/media/:id` answers
 * 206, the next 200 with `url`), `POST /api/v1/statuses` (a repeated `Idempotency-Key` gets the
 * status created the first time, as Mastodon does within an hour; 422 over 500 characters),
 * `DELETE /api/v1/statuses/:id`, `GET /api/v1/accounts/:id/statuses`,
 * `GET /api/v1/accounts/verify_credentials`; 401 for an unknown token, 403 for a token without
 * the scope an endpoint needs. OAuth: `POST /api/v1/apps` registers an app, `GET /oauth/authorize`
 * shows a consent page labelled as a test server, `POST /oauth/token` checks the client, the
 * redirect address and the PKCE verifier against the S256 challenge, and issues a token;
 * `POST /oauth/revoke` revokes a token for the client it was issued to (200 `{}`, also for an
 * unknown token), 403 `unauthorized_client` for a token of another client (the pasted token
 * belongs to the account's own app) or a wrong secret.
 */
import { createHash, randomBytes } from "node:crypto";
import { bearerOf, type FakeServer, listingPage, type RecordedRequest, startFake } from "./server.ts";

export type FakeStatus = {
  id: string;
  text: string;
  mediaIds: string[];
  idempotencyKey: string;
  createdAt: string;
  deleted: boolean;
};

export type FakeMastodon = FakeServer & {
  statuses: FakeStatus[];
  media: Map<string, { alt: string; bytes: number; type: string; polls: number }>;
  /** The account (change it to simulate a hijacked profile). */
  account: { id: string; username: string; display_name: string; note: string; fieldLink: string };
  /** Tokens and their scopes (remove one to simulate a revoked token). */
  tokens: Map<string, string[]>;
  /** Apps registered through `POST /api/v1/apps`, by client id. */
  apps: Map<string, { secret: string; redirectUri: string; scopes: string; name: string; website: string }>;
  /** The client each token was issued to through OAuth (the pasted token: its own app, not listed). */
  tokenClients: Map<string, string>;
};

const randomToken = () => randomBytes(18).toString("base64url");

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
const asHtml = (text: string) =>
  `<p>${escapeHtml(text)
    .replace(/\n/g, "<br />")
    .replace(
      /https?:\/\/[^\s<、。]+/g,
      (u) => `<a href="${u}" rel="nofollow noopener" target="_blank">${u}</a>`,
    )}</p>`;

/** Starts the fake Mastodon server for the account `username` with an access token `token`. */
export async function startFakeMastodon(options: {
  username: string;
  token: string;
  displayName?: string;
  /** The public address its statuses' URLs carry (the account's server; default the fake's own). */
  publicUrl?: string;
  port?: number;
  now?: () => Date;
}): Promise<FakeMastodon> {
  const statuses: FakeStatus[] = [];
  const media: FakeMastodon["media"] = new Map();
  const tokens = new Map([
    [options.token, ["read:accounts", "read:statuses", "write:statuses", "write:media"]],
  ]);
  const account = {
    id: "109000000000000001",
    username: options.username,
    display_name: options.displayName ?? "テスト用Mastodonアカウント",
    note: "",
    fieldLink: "",
  };
  let nextId = 111_000_000_000_000_000n;
  const newId = () => {
    nextId += 1n;
    return nextId.toString();
  };
  let base = "";
  const apps: FakeMastodon["apps"] = new Map();
  const tokenClients = new Map<string, string>();
  const codes = new Map<
    string,
    { clientId: string; challenge: string; redirectUri: string; scopes: string[] }
  >();
  const oauthError = (status: number, error: string, description: string) => ({
    status,
    body: { error, error_description: description },
  });
  const registerApp = (request: RecordedRequest) => {
    const form = new URLSearchParams(request.body);
    const name = form.get("client_name") ?? "";
    const redirectUri = form.get("redirect_uris") ?? "";
    if (name === "" || redirectUri === "")
      return { status: 422, body: { error: "Validation failed: Application name can't be blank" } };
    const clientId = randomToken();
    const app = {
      secret: randomToken(),
      redirectUri,
      scopes: form.get("scopes") ?? "read",
      name,
      website: form.get("website") ?? "",
    };
    apps.set(clientId, app);
    return {
      status: 200,
      body: {
        id: String(apps.size),
        name,
        website: app.website,
        scopes: app.scopes.split(" "),
        redirect_uri: redirectUri,
        redirect_uris: [redirectUri],
        client_id: clientId,
        client_secret: app.secret,
      },
    };
  };
  const authorizePage = (request: RecordedRequest) => {
    const q = request.query;
    const app = apps.get(q.get("client_id") ?? "");
    if (!app || app.redirectUri !== q.get("redirect_uri") || q.get("response_type") !== "code")
      return oauthError(400, "invalid_client", "Client authentication failed due to unknown client.");
    if (q.get("code_challenge_method") !== "S256" || !q.get("code_challenge"))
      return oauthError(400, "invalid_request", "The code challenge is missing.");
    const scopes = (q.get("scope") ?? "").split(" ").filter(Boolean);
    const code = randomToken();
    codes.set(code, {
      clientId: q.get("client_id") ?? "",
      challenge: q.get("code_challenge") ?? "",
      redirectUri: app.redirectUri,
      scopes,
    });
    const back = new URL(app.redirectUri);
    back.searchParams.set("code", code);
    back.searchParams.set("state", q.get("state") ?? "");
    return {
      status: 200,
      html: `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>テスト用の疑似サーバー（Mastodon）</title></head><body><main><h1>テスト用の疑似サーバー（Mastodonの代わり）</h1><p>これは本物のMastodonのサーバーではありません。デモとテストのための疑似サーバーです。</p><p>アプリ「${escapeHtml(app.name)}」に、アカウント @${escapeHtml(account.username)} の権限（${escapeHtml(scopes.join(" "))}）を許可します。</p><p><a href="${escapeHtml(back.toString())}">許可する</a></p></main></body></html>`,
    };
  };
  const oauthToken = (request: RecordedRequest) => {
    const form = new URLSearchParams(request.body);
    const app = apps.get(form.get("client_id") ?? "");
    if (!app || app.secret !== form.get("client_secret"))
      return oauthError(401, "invalid_client", "Client authentication failed due to unknown client.");
    if (form.get("grant_type") !== "authorization_code")
      return oauthError(400, "unsupported_grant_type", "The authorization grant type is not supported.");
    const code = codes.get(form.get("code") ?? "");
    const challenge = createHash("sha256")
      .update(form.get("code_verifier") ?? "")
      .digest("base64url");
    if (
      !code ||
      code.clientId !== form.get("client_id") ||
      code.redirectUri !== form.get("redirect_uri") ||
      code.challenge !== challenge
    )
      return oauthError(
        400,
        "invalid_grant",
        "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.",
      );
    codes.delete(form.get("code") ?? "");
    const accessToken = randomToken();
    tokens.set(accessToken, code.scopes);
    tokenClients.set(accessToken, code.clientId);
    return {
      status: 200,
      body: {
        access_token: accessToken,
        token_type: "Bearer",
        scope: code.scopes.join(" "),
        created_at: Math.floor(Date.now() / 1000),
      },
    };
  };
  const revokeToken = (request: RecordedRequest) => {
    const form = new URLSearchParams(request.body);
    const clientId = form.get("client_id") ?? "";
    const token = form.get("token") ?? "";
    const notYours = oauthError(403, "unauthorized_client", "You are not authorized to revoke this token");
    if (apps.get(clientId)?.secret !== form.get("client_secret") || token === "") return notYours;
    if (!tokens.has(token)) return { status: 200, body: {} };
    if (tokenClients.get(token) !== clientId) return notYours;
    tokens.delete(token);
    tokenClients.delete(token);
    return { status: 200, body: {} };
  };
  const statusJson = (s: FakeStatus) => ({
    id: s.id,
    created_at: s.createdAt,
    url: `${base}/@${account.username}/${s.id}`,
    uri: `${base}/users/${account.username}/statuses/${s.id}`,
    visibility: "public",
    language: "ja",
    content: asHtml(s.text),
    media_attachments: s.mediaIds.map((id) => ({ id, type: "image", description: media.get(id)?.alt ?? "" })),
    account: { id: account.id, username: account.username, acct: account.username },
  });
  const needs = (request: RecordedRequest, scope: string) => {
    const scopes = tokens.get(bearerOf(request));
    if (!scopes) return { status: 401, body: { error: "The access token is invalid" } };
    const [kind] = scope.split(":");
    if (!scopes.includes(scope) && !scopes.includes(kind ?? ""))
      return { status: 403, body: { error: "This action is outside the authorized scopes" } };
    return null;
  };
  const server = await startFake((request) => {
    if (request.method === "POST" && request.path === "/api/v1/apps") return registerApp(request);
    if (request.method === "GET" && request.path === "/oauth/authorize") return authorizePage(request);
    if (request.method === "POST" && request.path === "/oauth/token") return oauthToken(request);
    if (request.method === "POST" && request.path === "/oauth/revoke") return revokeToken(request);
    if (request.method === "GET" && request.path === "/")
      return listingPage(
        "Mastodon",
        statuses.map((s) => ({
          at: s.createdAt,
          text: `${s.deleted ? "（削除済み）" : ""}${s.text}`,
          id: s.id,
        })),
      );
    if (request.method === "POST" && request.path === "/api/v2/media") {
      const refused = needs(request, "write:media");
      if (refused) return refused;
      const alt = /name="description"\r\n\r\n([^\r]*)\r\n/.exec(request.body)?.[1] ?? "";
      const type = /name="file"[^\r]*\r\nContent-Type: ([^\r]+)\r\n/.exec(request.body)?.[1] ?? "";
      if (type === "") return { status: 422, body: { error: "Validation failed: File can't be blank" } };
      const id = newId();
      media.set(id, { alt, type, bytes: request.body.length, polls: 0 });
      return { status: 202, body: { id, type: "image", url: null, preview_url: null, description: alt } };
    }
    const mediaMatch = /^\/api\/v1\/media\/(\d+)$/.exec(request.path);
    if (request.method === "GET" && mediaMatch) {
      const refused = needs(request, "write:media");
      if (refused) return refused;
      const item = media.get(mediaMatch[1] ?? "");
      if (!item) return { status: 404, body: { error: "Record not found" } };
      item.polls++;
      const done = item.polls > 1;
      return {
        status: done ? 200 : 206,
        body: { id: mediaMatch[1], type: "image", url: done ? `${base}/media/${mediaMatch[1]}.png` : null },
      };
    }
    if (request.method === "POST" && request.path === "/api/v1/statuses") {
      const refused = needs(request, "write:statuses");
      if (refused) return refused;
      const key = request.headers["idempotency-key"] ?? "";
      const earlier = key ? statuses.find((s) => s.idempotencyKey === key) : undefined;
      if (earlier) return { status: 200, body: statusJson(earlier) };
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(request.body);
      } catch {
        return { status: 422, body: { error: "Validation failed: Text can't be blank" } };
      }
      const text = typeof body.status === "string" ? body.status : "";
      const mediaIds = Array.isArray(body.media_ids) ? body.media_ids.map(String) : [];
      if (text === "" && mediaIds.length === 0)
        return { status: 422, body: { error: "Validation failed: Text can't be blank" } };
      if ([...text].length > 500)
        return { status: 422, body: { error: "Validation failed: Text character limit of 500 exceeded" } };
      if (mediaIds.some((id) => !media.has(id)))
        return { status: 422, body: { error: "Validation failed: media" } };
      const status: FakeStatus = {
        id: newId(),
        text,
        mediaIds,
        idempotencyKey: key,
        createdAt: (options.now?.() ?? new Date()).toISOString(),
        deleted: false,
      };
      statuses.push(status);
      return { status: 200, body: statusJson(status) };
    }
    const statusMatch = /^\/api\/v1\/statuses\/(\d+)$/.exec(request.path);
    if (request.method === "DELETE" && statusMatch) {
      const refused = needs(request, "write:statuses");
      if (refused) return refused;
      const status = statuses.find((s) => s.id === statusMatch[1] && !s.deleted);
      if (!status) return { status: 404, body: { error: "Record not found" } };
      status.deleted = true;
      return { status: 200, body: { ...statusJson(status), text: status.text } };
    }
    if (request.method === "GET" && request.path === `/api/v1/accounts/${account.id}/statuses`) {
      const refused = needs(request, "read:statuses");
      if (refused) return refused;
      const limit = Number(request.query.get("limit") ?? "20");
      return {
        status: 200,
        body: statuses
          .filter((s) => !s.deleted)
          .reverse()
          .slice(0, limit)
          .map(statusJson),
      };
    }
    if (request.method === "GET" && request.path === "/api/v1/accounts/verify_credentials") {
      const refused = needs(request, "read:accounts");
      if (refused) return refused;
      return {
        status: 200,
        body: {
          id: account.id,
          username: account.username,
          acct: account.username,
          display_name: account.display_name,
          note: account.note ? asHtml(account.note) : "",
          url: `${base}/@${account.username}`,
          fields: account.fieldLink
            ? [
                {
                  name: "Web",
                  value: `<a href="${account.fieldLink}" rel="me nofollow noopener" target="_blank">${account.fieldLink}</a>`,
                },
              ]
            : [],
        },
      };
    }
    return { status: 404, body: { error: "Record not found" } };
  }, options.port);
  base = options.publicUrl ?? server.url;
  return Object.assign(server, { statuses, media, account, tokens, apps, tokenClients });
}
