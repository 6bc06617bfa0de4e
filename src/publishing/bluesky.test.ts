/**
 * Contract of the Bluesky connector against the loopback fake PDS: signing in with the app
 * password (only the tokens kept), the refresh, the exact createRecord (link facets in UTF-8 byte
 * offsets after Japanese text, langs, the TID record key), images with alt text, a resend with the
 * same key taken as the earlier post, the post found after a crash, deletion, the profile, the
 * 300-grapheme limit and refusals as Japanese reasons; mention facets (handles resolved to DIDs,
 * byte offsets after Japanese text, unknown handles left as text) and link cards (the page's
 * Open Graph tags and image as app.bsky.embed.external, left out when they cannot be had).
 */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import {
  blueskyConnector,
  createBlueskySession,
  graphemeCount,
  linkFacets,
  pdsEndpoint,
  recordKeyFor,
} from "./bluesky.ts";
import { type Credentials, PlatformError } from "./connector.ts";
import { type FakeBluesky, startFakeBluesky } from "./fakes/bluesky.ts";

let fake: FakeBluesky;

before(async () => {
  fake = await startFakeBluesky({ handle: "iwaki.bsky.social", appPassword: "abcd-efgh-ijkl-mnop" });
});
after(() => fake.close());

const account = () => ({ externalId: fake.profile.did, handle: "iwaki.bsky.social" });
const session = (): Credentials => {
  const s = fake.issueSession();
  return { accessToken: s.accessJwt, refreshToken: s.refreshJwt, server: fake.url };
};
const post = (text: string, key = crypto.randomUUID()) => ({
  text,
  images: [],
  idempotencyKey: key,
  firstAttemptAt: new Date(),
});

test("link facets count UTF-8 bytes: Japanese text before a URL", () => {
  const text = "市のお知らせ：https://www.city.iwaki.lg.jp/ をご覧ください。";
  // "市のお知らせ：" is 7 characters of 3 bytes each in UTF-8 = 21 bytes (7 in UTF-16).
  assert.deepEqual(linkFacets(text), [
    {
      index: { byteStart: 21, byteEnd: 21 + "https://www.city.iwaki.lg.jp/".length },
      features: [{ $type: "app.bsky.richtext.facet#link", uri: "https://www.city.iwaki.lg.jp/" }],
    },
  ]);
  const bytes = Buffer.from(text, "utf8");
  assert.equal(bytes.subarray(21, 50).toString("utf8"), "https://www.city.iwaki.lg.jp/");
  assert.equal(graphemeCount("👨‍👩‍👧あ"), 2, "a family emoji is one grapheme");
});

test("the account's own PDS is taken from the session's DID document (https only)", () => {
  const doc = (serviceEndpoint: string) => ({
    didDoc: { service: [{ id: "#atproto_pds", type: "AtprotoPersonalDataServer", serviceEndpoint }] },
  });
  assert.equal(
    pdsEndpoint(doc("https://morel.us-east.host.bsky.network"), "https://bsky.social"),
    "https://morel.us-east.host.bsky.network",
  );
  assert.equal(pdsEndpoint(doc("http://10.0.0.5"), "https://bsky.social"), "https://bsky.social");
  assert.equal(pdsEndpoint({}, "https://bsky.social"), "https://bsky.social");
});

test("signing in keeps the tokens (never the app password); the refresh replaces them", async () => {
  fake.requests.length = 0;
  const signed = await createBlueskySession(fake.url, {
    identifier: "iwaki.bsky.social",
    password: "abcd-efgh-ijkl-mnop",
  });
  const [request] = fake.requests;
  assert.equal(request?.path, "/xrpc/com.atproto.server.createSession");
  assert.deepEqual(JSON.parse(request?.body ?? ""), {
    identifier: "iwaki.bsky.social",
    password: "abcd-efgh-ijkl-mnop",
  });
  assert.equal(signed.did, fake.profile.did);
  assert.ok(fake.accessTokens.has(signed.credentials.accessToken));
  assert.ok(signed.credentials.refreshToken);
  assert.ok(signed.credentials.expiresAt, "from the access token's exp");
  assert.equal(signed.credentials.server, fake.url);
  assert.doesNotMatch(JSON.stringify(signed.credentials), /abcd-efgh-ijkl-mnop/);

  await assert.rejects(
    createBlueskySession(fake.url, { identifier: "iwaki.bsky.social", password: "wrong" }),
    (e: unknown) => e instanceof PlatformError && /アプリパスワード/.test(e.message),
  );

  const connector = blueskyConnector();
  const refreshed = await connector.refresh?.(signed.credentials);
  assert.equal(fake.requests.at(-1)?.path, "/xrpc/com.atproto.server.refreshSession");
  assert.equal(fake.requests.at(-1)?.headers.authorization, `Bearer ${signed.credentials.refreshToken}`);
  assert.ok(refreshed && fake.accessTokens.has(refreshed.accessToken));
  assert.notEqual(refreshed?.refreshToken, signed.credentials.refreshToken);
  await assert.rejects(connector.refresh?.(signed.credentials) ?? Promise.resolve(), { kind: "auth" });
});

test("revoking ends the session on the PDS: its refresh token no longer works", async () => {
  const connector = blueskyConnector();
  const credentials = session();
  await connector.revoke?.(credentials);
  const call = fake.requests.at(-1);
  assert.equal(call?.method, "POST");
  assert.equal(call?.path, "/xrpc/com.atproto.server.deleteSession");
  assert.equal(call?.headers.authorization, `Bearer ${credentials.refreshToken}`);
  assert.equal(fake.refreshTokens.has(credentials.refreshToken ?? ""), false);
  await assert.rejects(connector.refresh?.(credentials) ?? Promise.resolve(), { kind: "auth" });
  await assert.rejects(connector.revoke?.(credentials) ?? Promise.resolve(), { kind: "auth" });
});

test("a post with a link and an image: uploadBlob, then createRecord with facets, langs, alt text and the TID key", async () => {
  const credentials = session();
  fake.requests.length = 0;
  const key = "5f0c6a1e-2b7d-4c1a-8f3e-9d2b1a0c7e64";
  const firstAttemptAt = new Date();
  const text = "いわき市からのお知らせ https://www.city.iwaki.lg.jp/";
  const sent = await blueskyConnector().send(credentials, account(), {
    text,
    images: [
      {
        bytes: new Uint8Array([137, 80, 78, 71]),
        contentType: "image/png",
        filename: "a.png",
        alt: "市役所の外観",
      },
    ],
    idempotencyKey: key,
    firstAttemptAt,
  });
  assert.deepEqual(
    fake.requests.map((r) => `${r.method} ${r.path}`),
    ["POST /xrpc/com.atproto.repo.uploadBlob", "POST /xrpc/com.atproto.repo.createRecord"],
  );
  const [upload, create] = fake.requests;
  assert.equal(upload?.headers["content-type"], "image/png");
  assert.equal(upload?.headers.authorization, `Bearer ${credentials.accessToken}`);
  const body = JSON.parse(create?.body ?? "");
  const rkey = recordKeyFor(key, firstAttemptAt);
  assert.match(rkey, /^[234567abcdefghij][234567a-z]{12}$/);
  const [blob] = fake.blobs.keys();
  assert.deepEqual(body, {
    repo: fake.profile.did,
    collection: "app.bsky.feed.post",
    rkey,
    record: {
      $type: "app.bsky.feed.post",
      text,
      createdAt: body.record.createdAt,
      langs: ["ja"],
      facets: [
        {
          index: { byteStart: 34, byteEnd: 63 },
          features: [{ $type: "app.bsky.richtext.facet#link", uri: "https://www.city.iwaki.lg.jp/" }],
        },
      ],
      embed: {
        $type: "app.bsky.embed.images",
        images: [
          {
            alt: "市役所の外観",
            image: { $type: "blob", ref: { $link: blob }, mimeType: "image/png", size: 4 },
          },
        ],
      },
    },
  });
  assert.equal(sent.platformPostId, `at://${fake.profile.did}/app.bsky.feed.post/${rkey}`);
  assert.equal(sent.url, `https://bsky.app/profile/iwaki.bsky.social/post/${rkey}`);
  assert.equal(recordKeyFor(key, firstAttemptAt), rkey, "the same row: the same key");
  assert.notEqual(recordKeyFor(crypto.randomUUID(), firstAttemptAt), rkey);

  const again = await blueskyConnector().send(credentials, account(), {
    text,
    images: [],
    idempotencyKey: key,
    firstAttemptAt,
  });
  assert.equal(again.duplicate, true, "the PDS refused the key it has: the earlier post");
  assert.equal(again.platformPostId, sent.platformPostId);
  assert.equal(fake.requests.at(-1)?.path, "/xrpc/com.atproto.repo.getRecord");
  assert.equal(fake.posts.filter((p) => p.text === text).length, 1);
});

test("after a crash the post is found by its text; deletion; the profile with its first link", async () => {
  const credentials = session();
  const connector = blueskyConnector();
  const text = "【お知らせ】窓口の受付時間が変わります。";
  const sent = await connector.send(credentials, account(), post(text));
  const found = await connector.findSent?.(credentials, account(), {
    text,
    since: new Date(Date.now() - 5000),
  });
  assert.equal(found?.platformPostId, sent.platformPostId);
  assert.equal(found?.duplicate, true);
  assert.equal(fake.requests.at(-1)?.path, "/xrpc/com.atproto.repo.listRecords");
  assert.equal(fake.requests.at(-1)?.query.get("repo"), fake.profile.did);
  assert.equal(
    await connector.findSent?.(credentials, account(), { text: "別の文", since: new Date(0) }),
    null,
  );

  const deleted = await connector.delete(credentials, account(), sent.platformPostId);
  assert.equal(deleted.deleted, true);
  assert.deepEqual(JSON.parse(fake.requests.at(-1)?.body ?? ""), {
    repo: fake.profile.did,
    collection: "app.bsky.feed.post",
    rkey: sent.platformPostId?.split("/").at(-1),
  });
  assert.equal(fake.posts.find((p) => p.uri === sent.platformPostId)?.deleted, true);

  fake.profile.description =
    "いわき市の公式アカウントです。運用方針：https://www.city.iwaki.lg.jp/sns（市のサイト）";
  assert.deepEqual(await connector.readProfile(credentials), {
    externalId: fake.profile.did,
    name: "テスト用Blueskyアカウント",
    handle: "iwaki.bsky.social",
    bio: fake.profile.description,
    link: "https://www.city.iwaki.lg.jp/sns",
  });
});

test("refusals: over 300 graphemes before sending, expired token, 429 with ratelimit-reset, 5xx", async () => {
  const credentials = session();
  const connector = blueskyConnector();
  const before = fake.requests.length;
  await assert.rejects(connector.send(credentials, account(), post("あ".repeat(301))), (e: unknown) => {
    assert.ok(e instanceof PlatformError);
    assert.equal(e.kind, "invalid");
    assert.match(e.message, /300文字まで/);
    return true;
  });
  assert.equal(fake.requests.length, before, "nothing sent");
  const reset = String(Math.floor(Date.now() / 1000) + 90);
  fake.fail({
    status: 429,
    headers: { "ratelimit-reset": reset },
    body: { error: "RateLimitExceeded", message: "Rate Limit Exceeded" },
  });
  await assert.rejects(connector.send(credentials, account(), post("a")), (e: unknown) => {
    assert.ok(e instanceof PlatformError);
    assert.equal(e.kind, "rate");
    assert.ok((e.details.retryAfterMs ?? 0) >= 85_000 && (e.details.retryAfterMs ?? 0) <= 91_000);
    return true;
  });
  fake.fail({ status: 502, body: { error: "UpstreamFailure", message: "Upstream Failure" } });
  await assert.rejects(connector.send(credentials, account(), post("b")), { kind: "transient" });
  fake.expireAccessTokens();
  await assert.rejects(connector.send(credentials, account(), post("c")), (e: unknown) => {
    assert.ok(e instanceof PlatformError);
    assert.equal(e.kind, "auth", "ExpiredToken (400) asks for a refresh");
    assert.match(e.message, /Token has expired/);
    return true;
  });
  const refreshed = await connector.refresh?.(credentials);
  assert.ok(refreshed);
  const sent = await connector.send(refreshed, account(), post("更新したトークンで送ります。"));
  assert.ok(sent.url);
});

test("mentions: the handle resolved to its DID, byte offsets after Japanese text; an unknown handle and an e-mail address stay plain text", async () => {
  fake.handles.set("soumu.iwaki.example.jp", "did:plc:soumuiwaki000000000000");
  const text =
    "防災訓練のお知らせ@iwaki.bsky.social と @Soumu.Iwaki.example.jp、@nobody.example.com へ。問い合わせ bousai@city.iwaki.lg.jp https://www.city.iwaki.lg.jp/bousai/";
  fake.requests.length = 0;
  await blueskyConnector().send(session(), account(), post(text));
  assert.deepEqual(
    fake.requests.map((r) => `${r.method} ${r.path}?${r.query}`),
    [
      "GET /xrpc/com.atproto.identity.resolveHandle?handle=iwaki.bsky.social",
      "GET /xrpc/com.atproto.identity.resolveHandle?handle=soumu.iwaki.example.jp",
      "GET /xrpc/com.atproto.identity.resolveHandle?handle=nobody.example.com",
      "POST /xrpc/com.atproto.repo.createRecord?",
    ],
  );
  const bytes = (s: string) => Buffer.byteLength(s, "utf8");
  const at = (s: string) => bytes(text.slice(0, text.indexOf(s)));
  const link = "https://www.city.iwaki.lg.jp/bousai/";
  const { record } = JSON.parse(fake.requests.at(-1)?.body ?? "");
  assert.deepEqual(record.facets, [
    {
      // "防災訓練のお知らせ" is 9 characters, 27 bytes in UTF-8.
      index: { byteStart: 27, byteEnd: 27 + bytes("@iwaki.bsky.social") },
      features: [{ $type: "app.bsky.richtext.facet#mention", did: fake.profile.did }],
    },
    {
      index: { byteStart: at("@Soumu"), byteEnd: at("@Soumu") + bytes("@Soumu.Iwaki.example.jp") },
      features: [{ $type: "app.bsky.richtext.facet#mention", did: "did:plc:soumuiwaki000000000000" }],
    },
    {
      index: { byteStart: at(link), byteEnd: at(link) + bytes(link) },
      features: [{ $type: "app.bsky.richtext.facet#link", uri: link }],
    },
  ]);
  assert.equal(
    Buffer.from(text, "utf8")
      .subarray(27, 27 + bytes("@iwaki.bsky.social"))
      .toString("utf8"),
    "@iwaki.bsky.social",
  );
  assert.equal(record.embed, undefined, "link cards are off unless configured");
});

test("hashtags: #tag and ＃tag after a space become tag facets without the # and without trailing punctuation; a number, a # inside a word or a link is not a tag", async () => {
  const link = "https://www.city.iwaki.lg.jp/bousai/#top";
  const text = `#いわき市 の防災訓練。\u3000＃防災の日。 #2026 は数字だけ、市役所#内 は語の途中、${link} #iwaki_city`;
  fake.requests.length = 0;
  await blueskyConnector().send(session(), account(), post(text));
  const { record } = JSON.parse(fake.requests.at(-1)?.body ?? "");
  const bytes = Buffer.from(text, "utf8");
  const shown = record.facets.map(
    (f: { index: { byteStart: number; byteEnd: number }; features: unknown[] }) => [
      bytes.subarray(f.index.byteStart, f.index.byteEnd).toString("utf8"),
      f.features[0],
    ],
  );
  assert.deepEqual(shown, [
    ["#いわき市", { $type: "app.bsky.richtext.facet#tag", tag: "いわき市" }],
    ["＃防災の日", { $type: "app.bsky.richtext.facet#tag", tag: "防災の日" }],
    [link, { $type: "app.bsky.richtext.facet#link", uri: link }],
    ["#iwaki_city", { $type: "app.bsky.richtext.facet#tag", tag: "iwaki_city" }],
  ]);
});

test("mentions: a handle that cannot be looked up (the PDS fails) is plain text and the post still goes", async () => {
  fake.fail({ status: 500, when: (r) => r.path.endsWith("resolveHandle") });
  const sent = await blueskyConnector().send(session(), account(), post("こんにちは @iwaki.bsky.social"));
  assert.ok(sent.platformPostId);
  const { record } = JSON.parse(
    fake.requests.filter((r) => r.path.endsWith("createRecord")).at(-1)?.body ?? "",
  );
  assert.equal(record.facets, undefined);
});

/** A loopback web page for link cards (`/news`) and its image (`/pool.png`), as a city's site serves them. */
async function startPage(page: string) {
  const png = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 7, 7]);
  const requests: { path: string }[] = [];
  const server = createServer((req, res) => {
    requests.push({ path: req.url ?? "" });
    if (req.url === "/news") res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(page);
    else if (req.url === "/pool.png") res.writeHead(200, { "Content-Type": "image/png" }).end(png);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address: AddressInfo | string | null = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`,
    requests,
    png,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test("a link card: the first link's page read (title, description, image uploaded as a blob) into app.bsky.embed.external", async () => {
  const web = await startPage(
    '<html><head><title>いわき市</title><meta property="og:title" content="市民プール開場"><meta property="og:description" content="7月1日から開場します。"><meta property="og:image" content="/pool.png"></head></html>',
  );
  try {
    const link = `${web.url}/news`;
    const text = `夏のお知らせ ${link} ほかに https://www.city.iwaki.lg.jp/`;
    fake.requests.length = 0;
    const credentials = session();
    await blueskyConnector({ linkCards: "loopback" }).send(credentials, account(), post(text));
    assert.deepEqual(
      web.requests.map((r) => r.path),
      ["/news", "/pool.png"],
      "only the first link is read; the other one is not looked up",
    );
    assert.deepEqual(
      fake.requests.map((r) => `${r.method} ${r.path}`),
      ["POST /xrpc/com.atproto.repo.uploadBlob", "POST /xrpc/com.atproto.repo.createRecord"],
    );
    const [upload, create] = fake.requests;
    assert.equal(upload?.headers["content-type"], "image/png");
    assert.deepEqual(new Uint8Array(upload?.bytes ?? []), web.png);
    const { record } = JSON.parse(create?.body ?? "");
    const blob = [...fake.blobs.keys()].at(-1);
    assert.deepEqual(record.embed, {
      $type: "app.bsky.embed.external",
      external: {
        uri: link,
        title: "市民プール開場",
        description: "7月1日から開場します。",
        thumb: { $type: "blob", ref: { $link: blob }, mimeType: "image/png", size: web.png.length },
      },
    });
  } finally {
    await web.close();
  }
});

test("no link card, the post all the same: production settings refuse a loopback page; a post with images keeps its images; the thumbnail refused", async () => {
  const web = await startPage(
    '<html><head><title>お知らせ</title><meta property="og:image" content="/pool.png"></head></html>',
  );
  try {
    const text = `お知らせ ${web.url}/news`;
    await blueskyConnector({ linkCards: "public" }).send(session(), account(), post(text));
    assert.equal(web.requests.length, 0, "a loopback address is refused before connecting");
    let record = JSON.parse(fake.requests.at(-1)?.body ?? "").record;
    assert.equal(record.embed, undefined);
    assert.equal(record.text, text);

    await blueskyConnector({ linkCards: "loopback" }).send(session(), account(), {
      ...post(`${text} 写真付き`),
      images: [{ bytes: new Uint8Array([1, 2]), contentType: "image/png", filename: "a.png", alt: "写真" }],
    });
    assert.equal(web.requests.length, 0, "images come first: no card is read");
    record = JSON.parse(fake.requests.at(-1)?.body ?? "").record;
    assert.equal(record.embed.$type, "app.bsky.embed.images");

    fake.fail({ status: 400, body: { error: "BlobTooLarge" }, when: (r) => r.path.endsWith("uploadBlob") });
    await blueskyConnector({ linkCards: "loopback" }).send(session(), account(), post(`${text} 再掲`));
    record = JSON.parse(fake.requests.at(-1)?.body ?? "").record;
    assert.deepEqual(record.embed, {
      $type: "app.bsky.embed.external",
      external: { uri: `${web.url}/news`, title: "お知らせ", description: "" },
    });
  } finally {
    await web.close();
  }
});
