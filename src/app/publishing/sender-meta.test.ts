/**
 * The sender against the loopback fakes of Facebook and Instagram, with both accounts connected
 * through the one token path (Instagram with its IG user id): an approved post goes out exactly
 * once on each and its record fills itself from the platform's answer; killed at each point of
 * the sequence, the next run (which looks for the post first: neither has a retry key) leaves one
 * post on the platform and one record. Instagram fetches the image from the application's signed
 * URL over loopback, as it would over the internet; a text-only post is refused for Instagram
 * with a task; deletion goes through Facebook, and Instagram's refusal is said. Images a platform
 * cannot take as approved: a 3 MB photo goes to LINE as itself with a preview of its own (a JPEG of
 * at most 1 MB at a different signed URL); a PNG goes to Instagram as a JPEG made of it; the outbox
 * row's answer names which image went out in which variant, with the SHA-256 the platform fetched;
 * an image that cannot be converted stops the send with the reason in Japanese.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, test } from "node:test";
import { PNG } from "pngjs";
import { seedKouhouAccount } from "../../../test/support/accounts.ts";
import type { TestApp } from "../../../test/support/context.ts";
import { encodeJpegPixels } from "../../../test/support/jpeg-codec.ts";
import { seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { type PlatformsApp, testAppWithPlatforms } from "../../../test/support/platforms.ts";
import { seedPost } from "../../../test/support/posts.ts";
import { entriesAfter } from "../../db/repos/audit.ts";
import { findDerivative } from "../../db/repos/image-derivatives.ts";
import { outboxOfPost } from "../../db/repos/platform-publishing.ts";
import { findPost, insertImage } from "../../db/repos/posts.ts";
import type { FakeFacebook } from "../../publishing/fakes/facebook.ts";
import type { FakeInstagram } from "../../publishing/fakes/instagram.ts";
import { imageSize } from "../../publishing/image-header.ts";
import { connectWithToken } from "./connections.ts";
import { type CrashPoint, LEASE_MS, runSender } from "./sender.ts";

let app: TestApp;
let org: TestOrg;
let platforms: PlatformsApp;
let facebook: FakeFacebook;
let instagram: FakeInstagram;
let fbAccountId: number;
let igAccountId: number;
let lineAccountId: number;
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70, 0, 1, 1, 0]);

before(async () => {
  platforms = await testAppWithPlatforms({
    line: { token: "line-token", basicId: "@meta_line" },
    x: { username: "meta_x" },
    facebook: { token: "fb-page-token", username: "iwakicity" },
    instagram: { token: "ig-token", username: "iwaki_kanko" },
    running: true,
    fakesKeepAppTime: true,
  });
  app = platforms.app;
  assert.ok(platforms.facebook && platforms.instagram);
  facebook = platforms.facebook;
  instagram = platforms.instagram;
  org = await seedOrg(app.ctx);
  fbAccountId = (
    await seedKouhouAccount(app.ctx, org, {
      platform: "facebook",
      handle: "iwakicity",
      url: "https://www.facebook.com/iwakicity",
    })
  ).id;
  igAccountId = (
    await seedKouhouAccount(app.ctx, org, {
      platform: "instagram",
      handle: "iwaki_kanko",
      url: "https://www.instagram.com/iwaki_kanko/",
    })
  ).id;
  const manager = org.actors.kouhouManager;
  await connectWithToken(app.ctx, {
    actor: manager,
    accountId: fbAccountId,
    input: { token: "fb-page-token" },
  });
  await connectWithToken(app.ctx, {
    actor: manager,
    accountId: igAccountId,
    input: { token: "ig-token", accountId: instagram.user.id },
  });
  lineAccountId = (
    await seedKouhouAccount(app.ctx, org, {
      platform: "line",
      handle: "@meta_line",
      url: "https://lin.ee/meta",
    })
  ).id;
  await connectWithToken(app.ctx, {
    actor: manager,
    accountId: lineAccountId,
    input: { token: "line-token" },
  });
});
after(() => platforms.close());

type ImageFile = { bytes: Uint8Array; contentType: string; filename: string };

let n = 0;
/** An approved post with these image files; their ids. */
async function approvedWith(accountId: number, images: readonly ImageFile[]) {
  n++;
  const post = await seedPost(app.ctx, {
    accountId,
    authorId: org.staff.kouhouStaff.id,
    status: "approved",
    approvedBy: org.staff.kouhouManager.id,
    text: `【お知らせ】テスト用の投稿 その${n}です。市役所の窓口は17時15分まで開いています。`,
    createdAt: app.clock.now(),
  });
  const imageIds: number[] = [];
  for (const [i, image] of images.entries())
    imageIds.push(
      (
        await insertImage(app.ctx.db, {
          postId: post.id,
          position: i,
          ...image,
          size: image.bytes.length,
          alt: `写真${i + 1}の説明`,
          rights: "own",
        })
      ).id,
    );
  return { post, imageIds };
}

/** An approved post with `images` small JPEGs. */
async function approved(accountId: number, images = 0) {
  const jpegs = Array.from({ length: images }, (_, i) => ({
    bytes: JPEG,
    contentType: "image/jpeg",
    filename: `photo${i}.jpg`,
  }));
  return (await approvedWith(accountId, jpegs)).post;
}

async function runKilledAt(point: CrashPoint): Promise<void> {
  class Killed extends Error {}
  await assert.rejects(
    runSender(app.ctx, {
      at: (p) => {
        if (p === point) throw new Killed(point);
      },
    }),
    Killed,
  );
}

test("connecting through the one token path: the platform was asked whose the token is", async () => {
  assert.ok(facebook.requests.some((r) => r.path === "/v25.0/me"));
  assert.ok(instagram.requests.some((r) => r.path === `/v25.0/${instagram.user.id}`));
  await assert.rejects(
    connectWithToken(app.ctx, {
      actor: org.actors.kouhouManager,
      accountId: igAccountId,
      input: { token: "ig-token" },
    }),
    /InstagramビジネスアカウントのIDを入力してください/,
  );
});

test("Facebook: a post goes out once and its record fills itself (URL of the page's post)", async () => {
  const post = await approved(fbAccountId, 1);
  assert.deepEqual(await runSender(app.ctx), ["recorded"]);
  const onPage = facebook.posts.filter((p) => p.message === post.text);
  assert.equal(onPage.length, 1);
  const photo = facebook.photos.get(onPage[0]?.photoIds[0] ?? "");
  assert.equal(photo?.alt, "写真1の説明", "the alt text went with the photo");
  const done = await findPost(app.ctx.db, post.id);
  assert.equal(done?.status, "published");
  const storyId = onPage[0]?.id.split("_")[1];
  assert.equal(done?.publishedUrl, `https://www.facebook.com/iwakicity/posts/${storyId}`);
});

test("Instagram: the image is fetched from the application's signed URL, published once, recorded with its permalink", async () => {
  const post = await approved(igAccountId, 1);
  assert.deepEqual(await runSender(app.ctx), ["recorded"]);
  const fetched = instagram.fetches.at(-1);
  assert.ok(fetched);
  assert.equal(fetched.status, 200);
  assert.match(
    fetched.url,
    new RegExp(`^${app.ctx.config.platforms.mediaPublicUrl}/media/s/\\d+\\.o\\.\\d+\\.`),
  );
  const container = [...instagram.containers.values()].at(-1);
  assert.equal(container?.imageSha256, createHash("sha256").update(JPEG).digest("hex"), "the approved image");
  assert.equal(container?.alt, "写真1の説明");
  const media = instagram.media.filter((m) => m.caption === post.text);
  assert.equal(media.length, 1);
  const done = await findPost(app.ctx.db, post.id);
  assert.equal(done?.status, "published");
  assert.equal(done?.publishedUrl, media[0]?.permalink);
});

test("LINE: a post with an image goes out once, the image as an image message fetched from the signed URL", async () => {
  const line = platforms.line;
  const post = await approved(lineAccountId, 1);
  assert.deepEqual(await runSender(app.ctx), ["recorded"]);
  assert.deepEqual(await runSender(app.ctx), [], "nothing left to send");
  const sent = line.messages.filter((m) => m.text === post.text);
  assert.equal(sent.length, 1, "one broadcast");
  const [image] = sent[0]?.images ?? [];
  assert.equal(sent[0]?.images.length, 1);
  assert.match(
    image?.url ?? "",
    new RegExp(`^${app.ctx.config.platforms.mediaPublicUrl}/media/s/\\d+\\.o\\.\\d+\\.`),
  );
  assert.equal(image?.sha256, createHash("sha256").update(JPEG).digest("hex"), "the approved image");
  const done = await findPost(app.ctx.db, post.id);
  assert.equal(done?.status, "published");
  const [row] = await outboxOfPost(app.ctx.db, post.id);
  assert.equal(row?.platformRequestId, sent[0]?.requestId);
});

test("Instagram: a text-only post is refused before sending; the operators get the reason in Japanese", async () => {
  const post = await approved(igAccountId, 0);
  const before = instagram.requests.length;
  assert.deepEqual(await runSender(app.ctx), ["failed"]);
  assert.equal(instagram.requests.length, before, "nothing was sent");
  const [row] = await outboxOfPost(app.ctx.db, post.id);
  assert.match(row?.lastError ?? "", /Instagramには文章だけの投稿ができません/);
  assert.equal((await findPost(app.ctx.db, post.id))?.status, "approved", "the manual record stays possible");
});

for (const point of ["claimed", "sent", "accepted", "recorded"] as const) {
  for (const platform of ["facebook", "instagram"] as const) {
    test(`killed after "${point}" (${platform}): after restart, one post on the platform and one complete record`, async () => {
      const post = await approved(platform === "facebook" ? fbAccountId : igAccountId, 1);
      await runKilledAt(point);
      app.clock.advance(LEASE_MS + 1000);
      await runSender(app.ctx);
      const onPlatform =
        platform === "facebook"
          ? facebook.posts.filter((p) => p.message === post.text)
          : instagram.media.filter((m) => m.caption === post.text);
      assert.equal(onPlatform.length, 1, "exactly one post on the platform");
      const done = await findPost(app.ctx.db, post.id);
      const [seen] = await outboxOfPost(app.ctx.db, post.id);
      assert.equal(done?.status, "published", seen?.lastError);
      assert.ok(done?.publishedUrl);
      const [row] = await outboxOfPost(app.ctx.db, post.id);
      assert.equal(row?.status, "recorded");
      assert.equal(row?.platformPostId, onPlatform[0]?.id);
      const publishes = (await entriesAfter(app.ctx.db, 0, 100000)).filter(
        (e) => e.action === "post.publish" && e.targetId === String(post.id),
      );
      assert.equal(publishes.length, 1, "one publication in the audit log");
    });
  }
}

test("an expired page token asks the account manager to reconnect; a Graph rate limit waits", async () => {
  const post = await approved(fbAccountId);
  facebook.fail({
    status: 400,
    body: { error: { message: "(#4) Application request limit reached", code: 4, fbtrace_id: "x" } },
    when: (r) => r.path.endsWith("/feed") && r.method === "POST",
  });
  assert.deepEqual(await runSender(app.ctx), ["retry"]);
  let [row] = await outboxOfPost(app.ctx.db, post.id);
  assert.equal(row?.errorKind, "rate");
  app.clock.advance(5 * 60_000 + 1000);
  facebook.tokens.delete("fb-page-token");
  assert.deepEqual(await runSender(app.ctx), ["reconnect"]);
  [row] = await outboxOfPost(app.ctx.db, post.id);
  assert.match(row?.lastError ?? "", /Facebookの接続が無効になっています/);
  facebook.tokens.add("fb-page-token-2");
  await connectWithToken(app.ctx, {
    actor: org.actors.kouhouManager,
    accountId: fbAccountId,
    input: { token: "fb-page-token-2" },
  });
  assert.deepEqual(await runSender(app.ctx), ["recorded"]);
  assert.equal(facebook.posts.filter((p) => p.message === post.text).length, 1);
});

test("deleting with a reason deletes on Facebook; Instagram's refusal is said and the manual deletion is recorded", async () => {
  const { recordDeletion } = await import("../posts/publishing.ts");
  const fbPost = await approved(fbAccountId);
  const igPost = await approved(igAccountId, 1);
  assert.deepEqual((await runSender(app.ctx)).sort(), ["recorded", "recorded"]);
  const fbDone = await recordDeletion(app.ctx, {
    actor: org.actors.kouhouStaff,
    postId: fbPost.id,
    input: { reason: "誤りがあったため" },
  });
  assert.equal(fbDone.status, "deleted");
  assert.equal(facebook.posts.find((p) => p.message === fbPost.text)?.deleted, true);
  const remove = (input: Record<string, string>) =>
    recordDeletion(app.ctx, { actor: org.actors.kouhouStaff, postId: igPost.id, input });
  await assert.rejects(remove({ reason: "誤りがあったため" }), /Instagramのアプリで投稿を削除し/);
  const igDone = await remove({ reason: "誤りがあったため", deletedManually: "on" });
  assert.equal(igDone.status, "deleted");
});

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** A photo-like JPEG that does not compress (noise over a gradient): 1600×1200, about 3 MB. */
async function bigJpeg(): Promise<Uint8Array> {
  const width = 1600;
  const height = 1200;
  const data = new Uint8ClampedArray(width * height * 4);
  let seed = 11;
  for (let i = 0; i < width * height; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    data.set([(i % width) / 7 + (seed & 63), (seed >> 8) & 255, (seed >> 16) & 255, 255], i * 4);
  }
  return encodeJpegPixels({ data, width, height }, 92);
}

function smallPng(): Uint8Array {
  const image = new PNG({ width: 320, height: 240 });
  for (let i = 0; i < 320 * 240; i++) image.data.set([30, 120, 200, i % 320 < 160 ? 255 : 0], i * 4);
  return new Uint8Array(PNG.sync.write(image));
}

/** The outbox row's record of what went out (`media` of its answer). */
async function mediaRecord(postId: number): Promise<unknown[]> {
  const [row] = await outboxOfPost(app.ctx.db, postId);
  const response: unknown = row?.response;
  const media = response && typeof response === "object" && "media" in response ? response.media : undefined;
  return Array.isArray(media) ? media : [];
}

test("LINE: a 3 MB photo goes as itself, with a JPEG preview of at most 1 MB at its own signed URL", async () => {
  const photo = await bigJpeg();
  assert.ok(photo.length > 1_000_000 && photo.length < 10_000_000, `${photo.length} bytes`);
  const { post, imageIds } = await approvedWith(lineAccountId, [
    { bytes: photo, contentType: "image/jpeg", filename: "genkan.jpg" },
  ]);
  const imageId = imageIds[0] ?? 0;
  assert.deepEqual(await runSender(app.ctx), ["recorded"]);
  const sent = platforms.line.messages.filter((m) => m.text === post.text);
  assert.equal(sent.length, 1, "one broadcast");
  const [image] = sent[0]?.images ?? [];
  assert.ok(image);
  const base = app.ctx.config.platforms.mediaPublicUrl;
  assert.match(image.url, new RegExp(`^${base}/media/s/${imageId}\\.o\\.`), "the original's URL");
  assert.equal(image.sha256, sha256(photo), "LINE fetched the approved photo itself");
  assert.match(image.preview.url, new RegExp(`^${base}/media/s/${imageId}\\.p\\.`), "the preview's own URL");
  assert.notEqual(image.preview.url, image.url);
  assert.equal(image.preview.contentType, "image/jpeg");
  assert.ok(image.preview.size <= 1_000_000, `preview of ${image.preview.size} bytes`);
  const preview = await findDerivative(app.ctx.db, imageId, "preview");
  assert.ok(preview);
  assert.equal(preview.sha256, image.preview.sha256, "the kept preview is what LINE fetched");
  const size = imageSize(preview.bytes, "image/jpeg");
  assert.equal(Math.max(size?.width ?? 0, size?.height ?? 0), 1024, "longest side 1024 px");
  assert.deepEqual(await mediaRecord(post.id), [
    {
      imageId,
      variant: "original",
      derivativeId: null,
      contentType: "image/jpeg",
      size: photo.length,
      sha256: sha256(photo),
      preview: { variant: "preview", derivativeId: preview.id, size: preview.size, sha256: preview.sha256 },
    },
  ]);
  assert.equal((await findPost(app.ctx.db, post.id))?.status, "published");
});

test("Instagram: a PNG goes out as a JPEG made of it; the record names the JPEG", async () => {
  const { post, imageIds } = await approvedWith(igAccountId, [
    { bytes: smallPng(), contentType: "image/png", filename: "chizu.png" },
  ]);
  const imageId = imageIds[0] ?? 0;
  assert.deepEqual(await runSender(app.ctx), ["recorded"]);
  const jpeg = await findDerivative(app.ctx.db, imageId, "jpeg");
  assert.ok(jpeg);
  assert.deepEqual([jpeg.contentType, jpeg.width, jpeg.height], ["image/jpeg", 320, 240]);
  const fetched = instagram.fetches.at(-1);
  assert.match(fetched?.url ?? "", new RegExp(`/media/s/${imageId}\\.j\\.`), "the JPEG's URL");
  assert.equal(fetched?.status, 200);
  const container = [...instagram.containers.values()].at(-1);
  assert.equal(container?.imageSha256, jpeg.sha256, "Instagram got the JPEG, not the PNG");
  assert.equal(container?.alt, "写真1の説明");
  assert.equal(instagram.media.filter((m) => m.caption === post.text).length, 1);
  assert.deepEqual(await mediaRecord(post.id), [
    {
      imageId,
      variant: "jpeg",
      derivativeId: jpeg.id,
      contentType: "image/jpeg",
      size: jpeg.size,
      sha256: jpeg.sha256,
    },
  ]);
});

test("Instagram: an image too large to convert stops the send; nothing is sent and the reason is in Japanese", async () => {
  // A PNG whose header claims 20000 × 20000 pixels: refused from the header, before decoding.
  const huge = smallPng();
  const view = new DataView(huge.buffer, huge.byteOffset);
  view.setUint32(16, 20_000);
  view.setUint32(20, 20_000);
  const { post } = await approvedWith(igAccountId, [
    { bytes: huge, contentType: "image/png", filename: "big.png" },
  ]);
  const before = instagram.requests.length;
  assert.deepEqual(await runSender(app.ctx), ["failed"]);
  assert.equal(instagram.requests.length, before, "nothing reached Instagram");
  const [row] = await outboxOfPost(app.ctx.db, post.id);
  assert.match(
    row?.lastError ?? "",
    /1枚目の画像（big\.png）をInstagramに送れる形にできませんでした。画像が大きすぎて変換できません（20000×20000ピクセル。変換できるのは1300万画素まで）/,
  );
  assert.equal((await findPost(app.ctx.db, post.id))?.status, "approved", "the manual record stays possible");
});
