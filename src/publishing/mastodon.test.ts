/**
 * Contract of the Mastodon connector against the loopback fake: the image upload (multipart with
 * the alt text as `description`, polled while the server processes it), the status with the
 * `Idempotency-Key` (a repeat gets the first status back), the post found after a crash, deletion,
 * the profile (HTML note as text, link from the fields), and refusals as Japanese reasons; OAuth:
 * the app registered on the server, the consent page with the S256 challenge, and the code
 * exchanged with the verifier (exact form fields).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { PlatformError } from "./connector.ts";
import { type FakeMastodon, startFakeMastodon } from "./fakes/mastodon.ts";
import {
  exchangeMastodonCode,
  MASTODON_SCOPES,
  mastodonAuthorizeUrl,
  mastodonConnector,
  registerMastodonApp,
} from "./mastodon.ts";
import { pkcePair } from "./oauth.ts";

let fake: FakeMastodon;
const token = "mastodon-token";

before(async () => {
  fake = await startFakeMastodon({ username: "iwaki_city", token });
});
after(() => fake.close());

const credentials = () => ({ accessToken: token, server: fake.url });
const account = () => ({ externalId: fake.account.id, handle: "iwaki_city" });
const connector = () => mastodonConnector({ pollIntervalMs: 5 });
const post = (text: string, key = crypto.randomUUID()) => ({ text, images: [], idempotencyKey: key });

test("a post with an image: media upload, polling until processed, then the status with its Idempotency-Key", async () => {
  fake.requests.length = 0;
  const key = "0b7e3f3c-5a0c-4c1e-9f59-3c1a2e7d9a10";
  const sent = await connector().send(credentials(), account(), {
    text: "いわき市からのお知らせです。 https://www.city.iwaki.lg.jp/",
    images: [
      {
        bytes: new Uint8Array([137, 80, 78, 71]),
        contentType: "image/png",
        filename: "a.png",
        alt: "市役所の外観",
      },
    ],
    idempotencyKey: key,
  });
  assert.deepEqual(
    fake.requests.map((r) => `${r.method} ${r.path}`),
    [
      "POST /api/v2/media",
      `GET /api/v1/media/${[...fake.media.keys()].at(-1)}`,
      `GET /api/v1/media/${[...fake.media.keys()].at(-1)}`,
      "POST /api/v1/statuses",
    ],
  );
  for (const r of fake.requests) assert.equal(r.headers.authorization, `Bearer ${token}`);
  const [upload] = fake.requests;
  assert.match(upload?.headers["content-type"] ?? "", /^multipart\/form-data; boundary=/);
  assert.match(upload?.body ?? "", /name="description"\r\n\r\n市役所の外観\r\n/);
  assert.match(upload?.body ?? "", /name="file"; filename="a.png"\r\nContent-Type: image\/png/);
  const status = fake.requests.at(-1);
  assert.equal(status?.headers["idempotency-key"], key);
  assert.equal(status?.headers["content-type"], "application/json");
  const mediaId = [...fake.media.keys()].at(-1);
  assert.deepEqual(JSON.parse(status?.body ?? ""), {
    status: "いわき市からのお知らせです。 https://www.city.iwaki.lg.jp/",
    media_ids: [mediaId],
    visibility: "public",
    language: "ja",
  });
  const created = fake.statuses.at(-1);
  assert.equal(sent.platformPostId, created?.id);
  assert.equal(sent.url, `${fake.url}/@iwaki_city/${created?.id}`, "the URL Mastodon returned");

  const again = await connector().send(credentials(), account(), { ...post(created?.text ?? "", key) });
  assert.equal(again.platformPostId, sent.platformPostId, "the same key: the same status");
  assert.equal(fake.statuses.length, 1, "one status on the server");
});

test("after a crash the post is found among the account's statuses (links compared as links)", async () => {
  const c = connector();
  const text = "【お知らせ】窓口の受付時間 https://www.city.iwaki.lg.jp/madoguchi";
  const sent = await c.send(credentials(), account(), post(text));
  const found = await c.findSent?.(credentials(), account(), { text, since: new Date(Date.now() - 5000) });
  assert.equal(found?.platformPostId, sent.platformPostId);
  assert.equal(found?.duplicate, true);
  const lookup = fake.requests.at(-1);
  assert.equal(lookup?.path, `/api/v1/accounts/${fake.account.id}/statuses`);
  assert.equal(lookup?.query.get("exclude_replies"), "true");
  assert.equal(await c.findSent?.(credentials(), account(), { text: "別の文", since: new Date(0) }), null);
  assert.equal(
    await c.findSent?.(credentials(), account(), { text, since: new Date(Date.now() + 3_600_000) }),
    null,
    "not a status from before the first attempt",
  );

  const deleted = await c.delete(credentials(), account(), sent.platformPostId);
  assert.equal(deleted.deleted, true);
  assert.equal(fake.requests.at(-1)?.method, "DELETE");
  assert.equal(fake.requests.at(-1)?.path, `/api/v1/statuses/${sent.platformPostId}`);
  const gone = await c.delete(credentials(), account(), sent.platformPostId);
  assert.match(gone.note, /既に削除されていました/);
});

test("the profile: display name, username, the note as text and the link from the fields", async () => {
  fake.account.note = "いわき市の公式アカウントです。\n運用方針：https://www.city.iwaki.lg.jp/sns";
  fake.account.fieldLink = "https://www.city.iwaki.lg.jp/";
  const profile = await connector().readProfile(credentials());
  assert.deepEqual(profile, {
    externalId: fake.account.id,
    name: "テスト用Mastodonアカウント",
    handle: "iwaki_city",
    bio: "いわき市の公式アカウントです。\n運用方針：https://www.city.iwaki.lg.jp/sns",
    link: "https://www.city.iwaki.lg.jp/",
  });
  assert.equal(fake.requests.at(-1)?.path, "/api/v1/accounts/verify_credentials");
});

test("refusals: revoked token, missing scope, 422 with Mastodon's words, 429 with X-RateLimit-Reset, 5xx, no answer", async () => {
  const c = connector();
  await assert.rejects(
    c.send({ accessToken: "revoked", server: fake.url }, account(), post("a")),
    (e: unknown) => {
      assert.ok(e instanceof PlatformError);
      assert.equal(e.kind, "auth");
      assert.match(e.message, /Mastodonの接続が無効になっています.*The access token is invalid/);
      return true;
    },
  );
  fake.tokens.set("read-only", ["read:accounts"]);
  await assert.rejects(c.send({ accessToken: "read-only", server: fake.url }, account(), post("b")), {
    kind: "scope",
  });
  await assert.rejects(c.send(credentials(), account(), post("あ".repeat(501))), (e: unknown) => {
    assert.ok(e instanceof PlatformError);
    assert.equal(e.kind, "invalid");
    assert.match(e.message, /HTTP 422.*Text character limit of 500 exceeded/);
    return true;
  });
  const reset = new Date(Date.now() + 120_000).toISOString();
  fake.fail({ status: 429, headers: { "X-RateLimit-Reset": reset }, body: { error: "Too many requests" } });
  await assert.rejects(c.send(credentials(), account(), post("c")), (e: unknown) => {
    assert.ok(e instanceof PlatformError);
    assert.equal(e.kind, "rate");
    assert.ok((e.details.retryAfterMs ?? 0) > 100_000 && (e.details.retryAfterMs ?? 0) <= 121_000);
    return true;
  });
  fake.fail({ status: 503, body: { error: "Service Unavailable" } });
  await assert.rejects(c.send(credentials(), account(), post("d")), { kind: "transient" });
  await assert.rejects(c.send({ accessToken: token }, account(), post("e")), { kind: "auth" });
  const { callApi } = await import("./http.ts");
  fake.fail({ hang: true });
  await assert.rejects(
    callApi("Mastodon", {
      method: "GET",
      url: `${fake.url}/api/v1/accounts/verify_credentials`,
      timeoutMs: 200,
    }),
    { kind: "transient" },
  );
});

test("OAuth: snsgov's app registered on the server, the consent page with S256, the code and verifier exchanged", async () => {
  fake.requests.length = 0;
  const redirectUri = "http://localhost:3000/connection/mastodon/callback";
  const app = await registerMastodonApp(`${fake.url}/`, { redirectUri, website: "http://localhost:3000" });
  const register = fake.requests.at(-1);
  assert.equal(register?.method, "POST");
  assert.equal(register?.path, "/api/v1/apps");
  assert.equal(register?.headers["content-type"], "application/x-www-form-urlencoded");
  assert.deepEqual(Object.fromEntries(new URLSearchParams(register?.body)), {
    client_name: "snsgov",
    redirect_uris: redirectUri,
    scopes: "read:accounts read:statuses write:statuses write:media",
    website: "http://localhost:3000",
  });
  assert.equal(fake.apps.get(app.clientId)?.secret, app.clientSecret);

  const { verifier, challenge } = pkcePair();
  const url = new URL(
    mastodonAuthorizeUrl(fake.url, { clientId: app.clientId, redirectUri, state: "s1", challenge }),
  );
  assert.equal(url.pathname, "/oauth/authorize");
  assert.deepEqual(Object.fromEntries(url.searchParams), {
    response_type: "code",
    client_id: app.clientId,
    redirect_uri: redirectUri,
    scope: MASTODON_SCOPES.join(" "),
    state: "s1",
    code_challenge: challenge,
    code_challenge_method: "S256",
  });
  const consent = async () => {
    const page = await (await fetch(url)).text();
    assert.match(page, /テスト用の疑似サーバー/);
    const back = new URL(/href="([^"]+)"/.exec(page)?.[1]?.replaceAll("&#38;", "&") ?? "");
    assert.equal(back.searchParams.get("state"), "s1");
    return back.searchParams.get("code") ?? "";
  };
  const code = await consent();
  await assert.rejects(
    exchangeMastodonCode(fake.url, app, { code, verifier: "wrong-verifier", redirectUri }),
    (e: unknown) => e instanceof PlatformError && e.kind !== "transient",
  );
  const code2 = await consent();
  const credentials = await exchangeMastodonCode(fake.url, app, { code: code2, verifier, redirectUri });
  const exchange = fake.requests.at(-1);
  assert.equal(exchange?.path, "/oauth/token");
  assert.deepEqual(Object.fromEntries(new URLSearchParams(exchange?.body)), {
    grant_type: "authorization_code",
    code: code2,
    client_id: app.clientId,
    client_secret: app.clientSecret,
    redirect_uri: redirectUri,
    code_verifier: verifier,
    scope: MASTODON_SCOPES.join(" "),
  });
  assert.equal(credentials.server, fake.url);
  assert.deepEqual(fake.tokens.get(credentials.accessToken), [...MASTODON_SCOPES]);
  const profile = await connector().readProfile(credentials);
  assert.equal(profile.handle, "iwaki_city");
});

test("revoke: an OAuth-made token is revoked with its client (exact form); a pasted token is not, and says where", async () => {
  const redirectUri = "http://localhost:3000/connection/mastodon/callback";
  const app = await registerMastodonApp(fake.url, { redirectUri, website: "http://localhost:3000" });
  const { verifier, challenge } = pkcePair();
  const url = mastodonAuthorizeUrl(fake.url, { clientId: app.clientId, redirectUri, state: "r", challenge });
  const page = await (await fetch(url)).text();
  const code =
    new URL(/href="([^"]+)"/.exec(page)?.[1]?.replaceAll("&#38;", "&") ?? "").searchParams.get("code") ?? "";
  const made = await exchangeMastodonCode(fake.url, app, { code, verifier, redirectUri });
  assert.deepEqual(made.oauthClient, app, "the client is kept with the token");

  fake.requests.length = 0;
  await connector().revoke?.(made);
  assert.deepEqual(
    fake.requests.map((r) => `${r.method} ${r.path}`),
    ["POST /oauth/revoke"],
  );
  const [call] = fake.requests;
  assert.deepEqual(Object.fromEntries(new URLSearchParams(call?.body)), {
    client_id: app.clientId,
    client_secret: app.clientSecret,
    token: made.accessToken,
  });
  assert.equal(call?.headers.authorization, undefined, "the token travels only in the form");
  assert.equal(fake.tokens.has(made.accessToken), false, "the server no longer accepts it");
  await assert.rejects(connector().readProfile(made), { kind: "auth" });

  // A token of another client (the pasted token, made in the server's 設定 → 開発): 403.
  await assert.rejects(connector().revoke?.({ ...credentials(), oauthClient: app }) ?? Promise.resolve(), {
    kind: "scope",
  });
  assert.ok(fake.tokens.has(token), "still valid");
  fake.requests.length = 0;
  await assert.rejects(connector().revoke?.(credentials()) ?? Promise.resolve(), (e: unknown) => {
    assert.ok(e instanceof PlatformError);
    assert.equal(e.kind, "unsupported");
    assert.match(e.message, /「設定 → 開発」で、snsgovのために作ったアプリを削除してください/);
    return true;
  });
  assert.equal(fake.requests.length, 0, "nothing is asked of the server for a pasted token");
});
