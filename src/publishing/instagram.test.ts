/**
 * Contract of the Instagram connector against the loopback fake (which fetches each image_url as
 * Instagram does, here from a small loopback image server): the limit check, the container with
 * image_url, caption and alt text, waiting for FINISHED, media_publish, the permalink; carousels;
 * a text-only post, a PNG, or an image without a public URL refused before anything is sent;
 * finding a post after a crash; deletion refused by Instagram said plainly; Graph errors.
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { PlatformError } from "./connector.ts";
import { graphFaults } from "./fakes/graph.ts";
import { type FakeInstagram, startFakeInstagram } from "./fakes/instagram.ts";
import { instagramConnector } from "./instagram.ts";

let fake: FakeInstagram;
let images: Server;
let imageBase: string;
const credentials = { accessToken: "ig-token", accountId: "" };
let account: { externalId: string; handle: string };
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70]);

before(async () => {
  fake = await startFakeInstagram({ token: "ig-token", username: "iwaki_kanko" });
  credentials.accountId = fake.user.id;
  account = { externalId: fake.user.id, handle: "iwaki_kanko" };
  images = createServer((req, res) => {
    if (req.url?.startsWith("/ok/")) res.writeHead(200, { "Content-Type": "image/jpeg" }).end(JPEG);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => images.listen(0, "127.0.0.1", resolve));
  const address: AddressInfo | string | null = images.address();
  imageBase = typeof address === "object" && address ? `http://127.0.0.1:${address.port}` : "";
});
after(async () => {
  await fake.close();
  images.closeAllConnections();
  await new Promise<void>((resolve) => images.close(() => resolve()));
});

const connector = () => instagramConnector({ baseUrl: fake.apiUrl, pollMs: 5, maxPolls: 5 });
const image = (
  name: string,
  alt = "観光地の写真",
  extra: { contentType?: string; publicUrl?: string } = {},
) => ({
  bytes: new Uint8Array(JPEG),
  contentType: extra.contentType ?? "image/jpeg",
  filename: name,
  alt,
  publicUrl: extra.publicUrl ?? `${imageBase}/ok/${name}`,
});
const post = (text: string, imgs: ReturnType<typeof image>[]) => ({
  text,
  images: imgs,
  idempotencyKey: crypto.randomUUID(),
});

test("one image: limit, container (image_url, caption, alt_text), status until FINISHED, publish, permalink", async () => {
  const ig = connector();
  fake.processingPolls = 2;
  fake.requests.length = 0;
  const sent = await ig.send(
    credentials,
    account,
    post("いわきの海です。", [image("sea.jpg", "青い海と灯台")]),
  );
  fake.processingPolls = 0;
  const id = fake.user.id;
  const lines = fake.requests.map((r) => `${r.method} ${r.path}`);
  const container = [...fake.containers.values()].at(-1);
  const media = fake.media.at(-1);
  assert.deepEqual(lines, [
    `GET /v25.0/${id}/content_publishing_limit`,
    `POST /v25.0/${id}/media`,
    `GET /v25.0/${container?.id}`,
    `GET /v25.0/${container?.id}`,
    `GET /v25.0/${container?.id}`,
    `POST /v25.0/${id}/media_publish`,
    `GET /v25.0/${media?.id}`,
  ]);
  assert.equal(fake.requests[0]?.query.get("fields"), "quota_usage,config");
  assert.equal(fake.requests[1]?.headers.authorization, "Bearer ig-token");
  assert.deepEqual(JSON.parse(fake.requests[1]?.body ?? ""), {
    image_url: `${imageBase}/ok/sea.jpg`,
    caption: "いわきの海です。",
    alt_text: "青い海と灯台",
  });
  assert.equal(fake.requests[2]?.query.get("fields"), "status_code,status");
  assert.deepEqual(JSON.parse(fake.requests[5]?.body ?? ""), { creation_id: container?.id });
  assert.equal(fake.requests[6]?.query.get("fields"), "permalink,timestamp");
  assert.deepEqual(
    fake.fetches.at(-1),
    { url: `${imageBase}/ok/sea.jpg`, status: 200 },
    "Instagram fetched it",
  );
  assert.equal(sent.platformPostId, media?.id);
  assert.equal(sent.url, media?.permalink);
  assert.match(sent.url ?? "", /^https:\/\/www\.instagram\.com\/p\/[A-Za-z0-9]+\/$/);
});

test("several images: item containers each with its alt text, then one CAROUSEL container with the caption", async () => {
  const ig = connector();
  fake.requests.length = 0;
  const sent = await ig.send(
    credentials,
    account,
    post("写真3枚", [image("1.jpg", "灯台"), image("2.jpg", "  "), image("3.jpg", "夕焼けの海岸")]),
  );
  const creates = fake.requests.filter((r) => r.method === "POST" && r.path.endsWith("/media"));
  assert.equal(creates.length, 4);
  assert.deepEqual(
    creates.slice(0, 3).map((r) => JSON.parse(r.body)),
    [
      { image_url: `${imageBase}/ok/1.jpg`, is_carousel_item: true, alt_text: "灯台" },
      { image_url: `${imageBase}/ok/2.jpg`, is_carousel_item: true },
      { image_url: `${imageBase}/ok/3.jpg`, is_carousel_item: true, alt_text: "夕焼けの海岸" },
    ],
    "alt text on each item that has one",
  );
  const items = [...fake.containers.values()].filter((c) => c.carouselItem).slice(-3);
  assert.deepEqual(
    items.map((c) => c.alt),
    ["灯台", "", "夕焼けの海岸"],
    "Instagram kept the alt texts",
  );
  assert.equal(sent.raw.altTextRefused, undefined);
  const carousel = JSON.parse(creates[3]?.body ?? "");
  assert.equal(carousel.media_type, "CAROUSEL");
  assert.equal(carousel.caption, "写真3枚");
  assert.equal(carousel.children.split(",").length, 3);
  assert.equal(fake.media.at(-1)?.caption, "写真3枚");
});

test("a carousel item refused for its alt text is made again without it; the answer says which", async () => {
  const ig = connector();
  fake.carouselAltText = "refused";
  fake.requests.length = 0;
  try {
    const sent = await ig.send(
      credentials,
      account,
      post("代替テキスト不可", [image("1.jpg", "灯台"), image("2.jpg", "海")]),
    );
    const creates = fake.requests.filter((r) => r.method === "POST" && r.path.endsWith("/media"));
    assert.deepEqual(
      creates.map((r) => JSON.parse(r.body)),
      [
        { image_url: `${imageBase}/ok/1.jpg`, is_carousel_item: true, alt_text: "灯台" },
        { image_url: `${imageBase}/ok/1.jpg`, is_carousel_item: true },
        { image_url: `${imageBase}/ok/2.jpg`, is_carousel_item: true, alt_text: "海" },
        { image_url: `${imageBase}/ok/2.jpg`, is_carousel_item: true },
        JSON.parse(creates[4]?.body ?? ""),
      ],
    );
    assert.equal(JSON.parse(creates[4]?.body ?? "").media_type, "CAROUSEL");
    assert.equal(fake.media.at(-1)?.caption, "代替テキスト不可", "the post went out once");
    assert.deepEqual(sent.raw.altTextRefused, [1, 2]);
  } finally {
    fake.carouselAltText = "accepted";
  }
});

test("refused before anything is sent: text only, a PNG, an image without a public URL", async () => {
  const ig = connector();
  const before = fake.requests.length;
  await assert.rejects(ig.send(credentials, account, post("文章だけ", [])), (e: unknown) => {
    assert.ok(e instanceof PlatformError);
    assert.equal(e.kind, "invalid");
    assert.match(e.message, /Instagramには文章だけの投稿ができません/);
    return true;
  });
  await assert.rejects(
    ig.send(credentials, account, post("PNG", [image("a.png", "図", { contentType: "image/png" })])),
    /JPEG形式の画像だけ/,
  );
  await assert.rejects(
    ig.send(credentials, account, post("URLなし", [image("a.jpg", "図", { publicUrl: "" })])),
    /SNSGOV_MEDIA_PUBLIC_URL/,
  );
  assert.equal(fake.requests.length, before);
});

test("an image Instagram cannot fetch is refused with Instagram's reason; nothing is published", async () => {
  const ig = connector();
  const count = fake.media.length;
  await assert.rejects(
    ig.send(
      credentials,
      account,
      post("取りに来られない画像", [image("x.jpg", "図", { publicUrl: `${imageBase}/gone.jpg` })]),
    ),
    (e: unknown) =>
      e instanceof PlatformError && e.kind === "invalid" && /Media download has failed/.test(e.message),
  );
  assert.equal(fake.media.length, count);
});

test("a full publishing quota waits instead of failing", async () => {
  const ig = connector();
  fake.quota.usage = fake.quota.total;
  await assert.rejects(ig.send(credentials, account, post("上限", [image("q.jpg")])), (e: unknown) => {
    assert.ok(e instanceof PlatformError);
    assert.equal(e.kind, "rate");
    assert.equal(e.details.retryAfterMs, 60 * 60_000);
    assert.match(e.message, /24時間あたりの投稿数の上限（100件）/);
    return true;
  });
  fake.quota.usage = 0;
});

test("after a crash the post is found among recent media by its caption", async () => {
  const ig = connector();
  const since = new Date();
  const sent = await ig.send(credentials, account, post("一度だけの投稿", [image("once.jpg")]));
  fake.requests.length = 0;
  const found = await ig.findSent?.(credentials, account, { text: "一度だけの投稿", since });
  assert.equal(found?.platformPostId, sent.platformPostId);
  assert.equal(found?.url, sent.url);
  assert.equal(found?.duplicate, true);
  assert.equal(fake.requests[0]?.path, `/v25.0/${fake.user.id}/media`);
  assert.equal(fake.requests[0]?.query.get("fields"), "id,caption,permalink,timestamp");
  assert.equal(await ig.findSent?.(credentials, account, { text: "出ていない投稿", since }), null);
});

test("delete: Instagram's refusal is said plainly (deleted: false); where it allows, the post is deleted", async () => {
  const ig = connector();
  const sent = await ig.send(credentials, account, post("削除を試す投稿", [image("del.jpg")]));
  const refused = await ig.delete(credentials, account, sent.platformPostId);
  assert.equal(refused.deleted, false);
  assert.match(refused.note, /Instagramのアプリで投稿を削除し/);
  assert.equal(fake.requests.at(-1)?.method, "DELETE");
  assert.equal(fake.media.at(-1)?.deleted, false);
  fake.deletable = true;
  const done = await ig.delete(credentials, account, sent.platformPostId);
  fake.deletable = false;
  assert.equal(done.deleted, true);
  assert.equal(fake.media.at(-1)?.deleted, true);
});

test("the profile: GET /{ig-user-id} with the fields; errors by Graph code", async () => {
  const ig = connector();
  fake.user.biography = "いわき市観光課の公式アカウントです。";
  const profile = await ig.readProfile(credentials);
  assert.deepEqual(profile, {
    externalId: fake.user.id,
    name: "テスト用Instagramアカウント",
    handle: "iwaki_kanko",
    bio: "いわき市観光課の公式アカウントです。",
    link: "",
  });
  assert.equal(fake.requests.at(-1)?.path, `/v25.0/${fake.user.id}`);
  assert.equal(fake.requests.at(-1)?.query.get("fields"), "id,username,name,biography,website");
  await assert.rejects(ig.readProfile({ accessToken: "ig-token" }), { kind: "invalid" });
  fake.fail(graphFaults.expired);
  await assert.rejects(ig.readProfile(credentials), { kind: "auth" });
  fake.fail(graphFaults.scope);
  await assert.rejects(ig.readProfile(credentials), { kind: "scope" });
  fake.fail(graphFaults.down);
  await assert.rejects(ig.readProfile(credentials), { kind: "transient" });
  fake.fail({ hang: true });
  const slow = instagramConnector({ baseUrl: fake.apiUrl });
  const { callApi } = await import("./http.ts");
  await assert.rejects(
    callApi("Instagram", { method: "GET", url: `${fake.apiUrl}/${fake.user.id}`, timeoutMs: 200 }),
    { kind: "transient" },
  );
  assert.equal(slow.limits.imagesByUrl, true);
});
