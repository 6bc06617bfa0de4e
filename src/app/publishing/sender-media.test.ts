/**
 * Images a platform cannot take as approved, through the sender against the loopback fakes (which
 * fetch every URL as the platforms do): a 3 MB photo goes to LINE as itself with a preview of its
 * own (a JPEG of at most 1 MB at a different signed URL); a PNG goes to Instagram as a JPEG made of
 * it; the outbox row's answer names which image went out in which variant, with the SHA-256 the
 * platform fetched; an image that cannot be converted (too many pixels) stops the send with the
 * reason in Japanese.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, test } from "node:test";
import { PNG } from "pngjs";
import { seedKouhouAccount } from "../../../test/support/accounts.ts";
import type { TestApp } from "../../../test/support/context.ts";
import { seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { type PlatformsApp, testAppWithPlatforms } from "../../../test/support/platforms.ts";
import { seedPost } from "../../../test/support/posts.ts";
import { findDerivative } from "../../db/repos/image-derivatives.ts";
import { outboxOfPost } from "../../db/repos/platform-publishing.ts";
import { findPost, insertImage } from "../../db/repos/posts.ts";
import { imageSize } from "../../publishing/image-header.ts";
import { encodeJpegPixels } from "../../publishing/jpeg-codec.ts";
import { connectWithToken } from "./connections.ts";
import { runSender } from "./sender.ts";

let app: TestApp;
let org: TestOrg;
let platforms: PlatformsApp;
let lineAccountId: number;
let igAccountId: number;

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** A photo-like JPEG that does not compress (noise over a gradient), about `megabytes` MB. */
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

before(async () => {
  platforms = await testAppWithPlatforms({
    line: { token: "line-token", basicId: "@media_line" },
    x: { username: "media_x" },
    instagram: { token: "ig-token", username: "iwaki_kanko" },
    running: true,
    fakesKeepAppTime: true,
  });
  app = platforms.app;
  org = await seedOrg(app.ctx);
  const manager = org.actors.kouhouManager;
  lineAccountId = (
    await seedKouhouAccount(app.ctx, org, {
      platform: "line",
      handle: "@media_line",
      url: "https://lin.ee/media",
    })
  ).id;
  igAccountId = (
    await seedKouhouAccount(app.ctx, org, {
      platform: "instagram",
      handle: "iwaki_kanko",
      url: "https://www.instagram.com/iwaki_kanko/",
    })
  ).id;
  await connectWithToken(app.ctx, {
    actor: manager,
    accountId: lineAccountId,
    input: { token: "line-token" },
  });
  await connectWithToken(app.ctx, {
    actor: manager,
    accountId: igAccountId,
    input: { token: "ig-token", accountId: platforms.instagram?.user.id ?? "" },
  });
});
after(() => platforms.close());

let n = 0;
async function approvedWith(
  accountId: number,
  image: { bytes: Uint8Array; contentType: string; filename: string },
) {
  n++;
  const post = await seedPost(app.ctx, {
    accountId,
    authorId: org.staff.kouhouStaff.id,
    status: "approved",
    approvedBy: org.staff.kouhouManager.id,
    text: `【お知らせ】画像つきのテスト投稿 その${n}です。`,
    createdAt: app.clock.now(),
  });
  const inserted = await insertImage(app.ctx.db, {
    postId: post.id,
    position: 0,
    ...image,
    size: image.bytes.length,
    alt: "市役所の正面玄関の写真",
    rights: "own",
  });
  return { post, imageId: inserted.id };
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
  const { post, imageId } = await approvedWith(lineAccountId, {
    bytes: photo,
    contentType: "image/jpeg",
    filename: "genkan.jpg",
  });
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
  const instagram = platforms.instagram;
  assert.ok(instagram);
  const { post, imageId } = await approvedWith(igAccountId, {
    bytes: smallPng(),
    contentType: "image/png",
    filename: "chizu.png",
  });
  assert.deepEqual(await runSender(app.ctx), ["recorded"]);
  const jpeg = await findDerivative(app.ctx.db, imageId, "jpeg");
  assert.ok(jpeg);
  assert.deepEqual([jpeg.contentType, jpeg.width, jpeg.height], ["image/jpeg", 320, 240]);
  const fetched = instagram.fetches.at(-1);
  assert.match(fetched?.url ?? "", new RegExp(`/media/s/${imageId}\\.j\\.`), "the JPEG's URL");
  assert.equal(fetched?.status, 200);
  const container = [...instagram.containers.values()].at(-1);
  assert.equal(container?.imageSha256, jpeg.sha256, "Instagram got the JPEG, not the PNG");
  assert.equal(container?.alt, "市役所の正面玄関の写真");
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
  const instagram = platforms.instagram;
  assert.ok(instagram);
  // A PNG whose header claims 20000 × 20000 pixels: refused from the header, before decoding.
  const huge = smallPng();
  const view = new DataView(huge.buffer, huge.byteOffset);
  view.setUint32(16, 20_000);
  view.setUint32(20, 20_000);
  const { post } = await approvedWith(igAccountId, {
    bytes: huge,
    contentType: "image/png",
    filename: "big.png",
  });
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
