/**
 * Contract of the Threads connector against the loopback fake: a text post as container →
 * publish → permalink (exact form fields), images only with a public URL (refused before sending
 * otherwise), a carousel, the post found after a crash, deletion, the profile, and Meta's error
 * codes as Japanese reasons.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { PlatformError } from "./connector.ts";
import { type FakeThreads, startFakeThreads } from "./fakes/threads.ts";
import { threadsConnector } from "./threads.ts";

let fake: FakeThreads;
const token = "threads-long-lived-token";

before(async () => {
  fake = await startFakeThreads({ username: "iwaki_city", token });
});
after(() => fake.close());

const credentials = { accessToken: token };
const account = () => ({ externalId: fake.user.id, handle: "iwaki_city" });
const connector = () => threadsConnector({ apiUrl: fake.apiUrl, pollIntervalMs: 5 });
const post = (text: string) => ({ text, images: [], idempotencyKey: crypto.randomUUID() });
const image = (alt: string, publicUrl?: string) => ({
  bytes: new Uint8Array([137, 80, 78, 71]),
  contentType: "image/png",
  filename: "a.png",
  alt,
  ...(publicUrl ? { publicUrl } : {}),
});

test("a text post: container, publish, then the permalink", async () => {
  fake.requests.length = 0;
  const sent = await connector().send(credentials, account(), post("いわき市からのお知らせです。"));
  assert.deepEqual(
    fake.requests.map((r) => `${r.method} ${r.path}`),
    [
      `POST /v1.0/${fake.user.id}/threads`,
      `POST /v1.0/${fake.user.id}/threads_publish`,
      `GET /v1.0/${sent.platformPostId}`,
    ],
  );
  for (const r of fake.requests) assert.equal(r.headers.authorization, `Bearer ${token}`);
  const [create, publish, permalink] = fake.requests;
  assert.equal(create?.headers["content-type"], "application/x-www-form-urlencoded");
  assert.deepEqual(Object.fromEntries(new URLSearchParams(create?.body)), {
    media_type: "TEXT",
    text: "いわき市からのお知らせです。",
  });
  const containerId = [...fake.containers.keys()].at(-1);
  assert.deepEqual(Object.fromEntries(new URLSearchParams(publish?.body)), { creation_id: containerId });
  assert.equal(permalink?.query.get("fields"), "permalink,timestamp");
  const published = fake.posts.at(-1);
  assert.equal(sent.platformPostId, published?.id);
  assert.equal(sent.url, `https://www.threads.net/@iwaki_city/post/${published?.shortcode}`);
  assert.ok(Math.abs(sent.at.getTime() - Date.now()) < 5000, "Threads' timestamp (+0000) read as a time");
});

test("images: refused before sending without a public URL; with one, IMAGE or a CAROUSEL with alt texts", async () => {
  const before = fake.requests.length;
  await assert.rejects(
    connector().send(credentials, account(), { ...post("画像つき"), images: [image("写真")] }),
    (e: unknown) => {
      assert.ok(e instanceof PlatformError);
      assert.equal(e.kind, "invalid");
      assert.match(e.message, /画像の公開URLが必要です/);
      return true;
    },
  );
  assert.equal(fake.requests.length, before, "nothing sent");

  fake.requests.length = 0;
  await connector().send(credentials, account(), {
    ...post("市役所の写真です。"),
    images: [image("市役所の外観", "https://snsgov.example.lg.jp/i/abc?sig=1")],
  });
  assert.deepEqual(Object.fromEntries(new URLSearchParams(fake.requests[0]?.body)), {
    media_type: "IMAGE",
    image_url: "https://snsgov.example.lg.jp/i/abc?sig=1",
    alt_text: "市役所の外観",
    text: "市役所の写真です。",
  });
  assert.equal(fake.requests[1]?.query.get("fields"), "status,error_message", "waits for FINISHED");
  assert.deepEqual(fake.posts.at(-1)?.altTexts, ["市役所の外観"]);

  await connector().send(credentials, account(), {
    ...post("2枚の写真です。"),
    images: [
      image("一枚目", "https://snsgov.example.lg.jp/i/1"),
      image("二枚目", "https://snsgov.example.lg.jp/i/2"),
    ],
  });
  const last = fake.posts.at(-1);
  assert.equal(last?.mediaType, "CAROUSEL");
  assert.deepEqual(last?.imageUrls, ["https://snsgov.example.lg.jp/i/1", "https://snsgov.example.lg.jp/i/2"]);
  assert.deepEqual(last?.altTexts, ["一枚目", "二枚目"]);
});

test("after a crash the post is found by its text; deletion; the profile", async () => {
  const c = connector();
  const text = "【お知らせ】窓口 https://www.city.iwaki.lg.jp/";
  const sent = await c.send(credentials, account(), post(text));
  const found = await c.findSent?.(credentials, account(), { text, since: new Date(Date.now() - 5000) });
  assert.equal(found?.platformPostId, sent.platformPostId);
  assert.equal(found?.url, sent.url);
  assert.equal(fake.requests.at(-1)?.path, `/v1.0/${fake.user.id}/threads`);
  assert.ok(fake.requests.at(-1)?.query.get("since"));
  assert.equal(await c.findSent?.(credentials, account(), { text: "別の文", since: new Date(0) }), null);

  const deleted = await c.delete(credentials, account(), sent.platformPostId);
  assert.equal(deleted.deleted, true);
  assert.equal(fake.requests.at(-1)?.method, "DELETE");
  assert.equal(fake.requests.at(-1)?.path, `/v1.0/${sent.platformPostId}`);
  const again = await c.delete(credentials, account(), sent.platformPostId);
  assert.match(again.note, /既に削除されていました/);

  fake.user.threads_biography = "いわき市の公式アカウントです。運用方針：https://www.city.iwaki.lg.jp/sns";
  assert.deepEqual(await c.readProfile(credentials), {
    externalId: fake.user.id,
    name: "テスト用Threadsアカウント",
    handle: "iwaki_city",
    bio: fake.user.threads_biography,
    link: "https://www.city.iwaki.lg.jp/sns",
  });
  assert.equal(fake.requests.at(-1)?.query.get("fields"), "id,username,name,threads_biography");
});

test("Meta's error codes: 190 reconnect, 10 permission, 4 rate, 2 temporary, 500 characters", async () => {
  const c = connector();
  await assert.rejects(c.send({ accessToken: "revoked" }, account(), post("a")), (e: unknown) => {
    assert.ok(e instanceof PlatformError);
    assert.equal(e.kind, "auth");
    assert.match(e.message, /Threadsの接続が無効になっています.*Invalid OAuth access token.*code 190/);
    return true;
  });
  fake.tokens.set("basic-only", ["threads_basic"]);
  await assert.rejects(c.send({ accessToken: "basic-only" }, account(), post("b")), { kind: "scope" });
  fake.fail({ status: 400, body: { error: { message: "Application request limit reached", code: 4 } } });
  await assert.rejects(c.send(credentials, account(), post("c")), { kind: "rate" });
  fake.fail({ status: 500, body: { error: { message: "An unexpected error has occurred", code: 2 } } });
  await assert.rejects(c.send(credentials, account(), post("d")), { kind: "transient" });
  const before = fake.requests.length;
  await assert.rejects(c.send(credentials, account(), post("あ".repeat(501))), (e: unknown) => {
    assert.ok(e instanceof PlatformError);
    assert.match(e.message, /500文字まで/);
    return true;
  });
  assert.equal(fake.requests.length, before);
});

const DAY = 86_400_000;

test("refresh: GET /refresh_access_token outside the versioned path, th_refresh_token; the new token lives 60 days", async () => {
  const aged = "threads-aged-token";
  fake.tokens.set(aged, ["threads_basic"]);
  fake.issued.set(aged, new Date(Date.now() - 30 * DAY));
  fake.requests.length = 0;
  const now = new Date();
  const fresh = await connector().refresh?.({ accessToken: aged, accountId: "keep" }, now);
  assert.equal(fake.requests.length, 1);
  const [request] = fake.requests;
  assert.equal(request?.method, "GET");
  assert.equal(request?.path, "/refresh_access_token");
  assert.deepEqual(Object.fromEntries(request?.query ?? []), {
    grant_type: "th_refresh_token",
    access_token: aged,
  });
  assert.ok(fresh);
  assert.notEqual(fresh.accessToken, aged);
  assert.ok(fake.tokens.has(fresh.accessToken), "a token Threads issued");
  assert.equal(fresh.expiresAt, new Date(now.getTime() + 60 * DAY).toISOString());
  assert.equal(fresh.accountId, "keep", "the rest of the credentials is kept");
});

test("refresh refused: a token younger than 24 hours, or expired (a reconnection)", async () => {
  const young = "threads-young-token";
  fake.tokens.set(young, ["threads_basic"]);
  fake.issued.set(young, new Date(Date.now() - 60_000));
  await assert.rejects(connector().refresh?.({ accessToken: young }) ?? Promise.resolve(), {
    kind: "invalid",
  });
  const expired = "threads-expired-token";
  fake.tokens.set(expired, ["threads_basic"]);
  fake.issued.set(expired, new Date(Date.now() - 61 * DAY));
  await assert.rejects(connector().refresh?.({ accessToken: expired }) ?? Promise.resolve(), (e: unknown) => {
    assert.ok(e instanceof PlatformError);
    assert.equal(e.kind, "auth");
    assert.match(e.message, /接続し直してください/);
    return true;
  });
});

test("inspect at connecting: the expiry from debug_token; else from a refresh; else 59 days for a young token", async () => {
  const issuedAt = new Date(Date.now() - 10 * DAY);
  const pasted = "threads-pasted-token";
  fake.tokens.set(pasted, ["threads_basic"]);
  fake.issued.set(pasted, issuedAt);
  const now = new Date();
  fake.requests.length = 0;
  const debugged = await connector().inspect?.({ accessToken: pasted }, now);
  const [debug] = fake.requests;
  assert.equal(debug?.path, "/v1.0/debug_token");
  assert.equal(debug?.query.get("input_token"), pasted);
  assert.equal(debug?.headers.authorization, `Bearer ${pasted}`);
  assert.deepEqual(debugged, {
    accessToken: pasted,
    expiresAt: new Date(Math.floor((issuedAt.getTime() + 60 * DAY) / 1000) * 1000).toISOString(),
  });

  fake.settings.debugTokenAllowed = false;
  try {
    const refreshed = await connector().inspect?.({ accessToken: pasted }, now);
    assert.notEqual(refreshed?.accessToken, pasted, "refreshed at once: the new token is kept");
    assert.equal(refreshed?.expiresAt, new Date(now.getTime() + 60 * DAY).toISOString());

    const young = "threads-new-token";
    fake.tokens.set(young, ["threads_basic"]);
    fake.issued.set(young, new Date());
    assert.deepEqual(await connector().inspect?.({ accessToken: young }, now), {
      accessToken: young,
      expiresAt: new Date(now.getTime() + 59 * DAY).toISOString(),
    });
  } finally {
    fake.settings.debugTokenAllowed = true;
  }
});
