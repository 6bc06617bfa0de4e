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
