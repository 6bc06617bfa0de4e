/**
 * Contract of the X connector against the loopback fake: the OAuth 2.0 PKCE exchange and the
 * refresh (exact form fields), the media upload with alt text before the post, the post's URL
 * from the returned id and the handle, the look-up of a post already sent, deletion, the
 * profile, and refusals as Japanese reasons.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { PlatformError } from "./connector.ts";
import { type FakeX, startFakeX } from "./fakes/x.ts";
import { exchangeXCode, pkcePair, X_SCOPES, xAuthorizeUrl, xConnector } from "./x.ts";

let fake: FakeX;
const clientId = "city-app-client-id";

before(async () => {
  fake = await startFakeX({ username: "iwaki_test", clientId });
});
after(() => fake.close());

const app = () => ({ apiUrl: fake.url, clientId });
const account = () => ({ externalId: fake.user.id, handle: fake.user.username });

test("connecting: authorize URL with S256 challenge, then the code and verifier exchanged for tokens", async () => {
  const { verifier, challenge } = pkcePair();
  const redirectUri = "http://localhost:3000/accounts/1/connections/x/callback";
  const url = new URL(
    xAuthorizeUrl(`${fake.url}/i/oauth2/authorize`, { clientId, redirectUri, state: "s1", challenge }),
  );
  assert.equal(url.searchParams.get("code_challenge_method"), "S256");
  assert.equal(url.searchParams.get("scope"), X_SCOPES.join(" "));
  const page = await (await fetch(url)).text();
  assert.match(page, /テスト用の疑似サーバー/);
  const back = new URL(/href="([^"]+)"/.exec(page)?.[1]?.replaceAll("&#38;", "&") ?? "");
  assert.equal(back.searchParams.get("state"), "s1");
  const code = back.searchParams.get("code") ?? "";

  await assert.rejects(
    exchangeXCode(app(), { code, verifier: "wrong-verifier", redirectUri }),
    (e: unknown) => e instanceof PlatformError && e.kind === "invalid",
  );
  const token = fake.requests.at(-1);
  assert.equal(token?.path, "/2/oauth2/token");
  assert.equal(token?.headers["content-type"], "application/x-www-form-urlencoded");
  assert.deepEqual(Object.fromEntries(new URLSearchParams(token?.body)), {
    grant_type: "authorization_code",
    code,
    redirect_uri: redirectUri,
    code_verifier: "wrong-verifier",
    client_id: clientId,
  });
  // The code was used up by the failed try in real X too; ask again.
  const page2 = await (await fetch(url)).text();
  const code2 =
    new URL(/href="([^"]+)"/.exec(page2)?.[1]?.replaceAll("&#38;", "&") ?? "").searchParams.get("code") ?? "";
  const credentials = await exchangeXCode(app(), { code: code2, verifier, redirectUri });
  assert.ok(fake.tokens.has(credentials.accessToken));
  assert.ok(credentials.refreshToken);
  assert.ok(credentials.expiresAt);

  const refreshed = await xConnector(app()).refresh?.(credentials);
  assert.ok(refreshed && fake.tokens.has(refreshed.accessToken));
  assert.deepEqual(Object.fromEntries(new URLSearchParams(fake.requests.at(-1)?.body)), {
    grant_type: "refresh_token",
    refresh_token: credentials.refreshToken,
    client_id: clientId,
  });
  await assert.rejects(xConnector(app()).refresh?.(credentials) ?? Promise.resolve(), { kind: "auth" });
});

test("a post with an image: upload, alt text, then POST /2/tweets with the media id; URL from id and handle", async () => {
  const { accessToken } = fake.issueToken();
  const x = xConnector(app());
  fake.requests.length = 0;
  const sent = await x.send({ accessToken }, account(), {
    text: "いわき市からのお知らせです。",
    images: [
      {
        bytes: new Uint8Array([137, 80, 78, 71]),
        contentType: "image/png",
        filename: "a.png",
        alt: "市役所の外観",
      },
    ],
    idempotencyKey: crypto.randomUUID(),
  });
  assert.deepEqual(
    fake.requests.map((r) => `${r.method} ${r.path}`),
    ["POST /2/media/upload", "POST /2/media/metadata", "POST /2/tweets"],
  );
  for (const r of fake.requests) assert.equal(r.headers.authorization, `Bearer ${accessToken}`);
  const [upload, metadata, tweet] = fake.requests.map((r) => JSON.parse(r.body));
  assert.deepEqual(upload, {
    media: Buffer.from([137, 80, 78, 71]).toString("base64"),
    media_category: "tweet_image",
    media_type: "image/png",
  });
  const mediaId = [...fake.media.keys()].at(-1);
  assert.deepEqual(metadata, { id: mediaId, metadata: { alt_text: { text: "市役所の外観" } } });
  assert.deepEqual(tweet, { text: "いわき市からのお知らせです。", media: { media_ids: [mediaId] } });
  assert.equal(sent.url, `https://x.com/iwaki_test/status/${sent.platformPostId}`);
  assert.equal(fake.media.get(mediaId ?? "")?.alt, "市役所の外観");

  const found = await x.findSent?.({ accessToken }, account(), {
    text: "いわき市からのお知らせです。",
    since: new Date(Date.now() - 5000),
  });
  assert.equal(found?.platformPostId, sent.platformPostId);
  assert.equal(found?.duplicate, true);
  const lookup = fake.requests.at(-1);
  assert.equal(lookup?.path, `/2/users/${fake.user.id}/tweets`);
  assert.ok(lookup?.query.get("start_time"));
  assert.equal(await x.findSent?.({ accessToken }, account(), { text: "別の文", since: new Date(0) }), null);

  const deleted = await x.delete({ accessToken }, account(), sent.platformPostId);
  assert.equal(deleted.deleted, true);
  assert.equal(fake.requests.at(-1)?.method, "DELETE");
  assert.equal(fake.requests.at(-1)?.path, `/2/tweets/${sent.platformPostId}`);
});

test("refusals: expired token, duplicate content, 429 with Retry-After, 503", async () => {
  const { accessToken } = fake.issueToken();
  const x = xConnector(app());
  const post = (text: string) => ({ text, images: [], idempotencyKey: crypto.randomUUID() });
  await assert.rejects(x.send({ accessToken: "expired" }, account(), post("a")), { kind: "auth" });
  await x.send({ accessToken }, account(), post("同じ文"));
  await assert.rejects(x.send({ accessToken }, account(), post("同じ文")), (e: unknown) => {
    assert.ok(e instanceof PlatformError);
    assert.equal(e.kind, "invalid", "the content, not a permission: no reconnection asked");
    assert.match(e.message, /同じ内容の投稿が既にXにある/);
    return true;
  });
  fake.fail({ status: 429, headers: { "Retry-After": "120" }, body: { title: "Too Many Requests" } });
  await assert.rejects(x.send({ accessToken }, account(), post("b")), { kind: "rate" });
  fake.fail({ status: 503, body: { title: "Service Unavailable" } });
  await assert.rejects(x.send({ accessToken }, account(), post("c")), { kind: "transient" });
});

test("the profile: name, handle, bio and the expanded link", async () => {
  const { accessToken } = fake.issueToken();
  fake.user.description = "いわき市の公式アカウントです。";
  fake.user.url = "https://www.city.iwaki.lg.jp/";
  const profile = await xConnector(app()).readProfile({ accessToken });
  assert.deepEqual(profile, {
    externalId: fake.user.id,
    name: "テスト用Xアカウント",
    handle: "iwaki_test",
    bio: "いわき市の公式アカウントです。",
    link: "https://www.city.iwaki.lg.jp/",
  });
});
