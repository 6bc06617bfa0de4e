/**
 * A photo added to a post is stored without its location and other metadata (5.2.2.1): the stored
 * bytes have no GPS, serial, owner or XMP, keep the orientation and the pixels; the image and the
 * audit entry say what was removed, and the audit entry's hash is of the stored bytes. A file whose
 * structure is broken is refused with a Japanese message on the file field.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, test } from "node:test";
import { seedAccount } from "../../../test/support/accounts.ts";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { contains, phoneJpeg, phonePng, phoneWebp, SECRETS } from "../../../test/support/images.ts";
import { decodeJpegPixels } from "../../../test/support/jpeg-codec.ts";
import { seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { entriesAfter } from "../../db/repos/audit.ts";
import { findImage, listImages } from "../../db/repos/posts.ts";
import { readExif } from "../../domain/image-metadata.ts";
import { AppError } from "../../errors.ts";
import { draftPost } from "./draft.ts";
import { addImage } from "./images.ts";

let app: TestApp;
let org: TestOrg;
let x: { id: number };

before(async () => {
  app = await testApp({ start: "2026-11-24T00:00:00Z" });
  org = await seedOrg(app.ctx);
  x = await seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    operatorIds: [org.staff.kouhouStaff.id],
    policy: true,
    platform: "x",
    name: "いわき市広報（X）",
  });
});
after(() => app.close());

const newPost = async () => {
  const [post] = await draftPost(app.ctx, {
    actor: org.actors.kouhouStaff,
    input: { accounts: [{ accountId: x.id, text: "【サンプル】市民まつりの会場の様子です。" }] },
  });
  assert.ok(post);
  return post;
};

const add = (postId: number, version: number, name: string, bytes: Uint8Array) =>
  addImage(app.ctx, {
    actor: org.actors.kouhouStaff,
    id: postId,
    version,
    file: { name, bytes },
    input: { alt: "市民まつりの会場（サンプル）", rights: "own" },
  });

const lastSeq = async () => (await entriesAfter(app.ctx.db, 0, 1_000_000)).at(-1)?.seq ?? 0;

test("a phone's JPEG is stored without its location, serial, owner and XMP, upright and with the same pixels", async () => {
  const post = await newPost();
  const { bytes } = await phoneJpeg();
  const seq = await lastSeq();
  const { image } = await add(post.id, 1, "IMG_0001.jpg", bytes);
  assert.deepEqual(image.metadataRemoved, ["gps", "exif", "xmp", "iptc", "comment"]);

  const stored = await findImage(app.ctx.db, image.id);
  assert.ok(stored);
  for (const secret of [SECRETS.serial, SECRETS.owner, SECRETS.place, "http://ns.adobe.com/xap"])
    assert.equal(contains(stored.bytes, secret), false, `${secret} is not stored`);
  assert.equal(stored.size, stored.bytes.length);
  assert.ok(stored.bytes.length < bytes.length);
  const exifAt = Buffer.from(stored.bytes).indexOf(Buffer.from("Exif\0\0", "latin1"));
  assert.deepEqual(readExif(stored.bytes.subarray(exifAt + 6)), { orientation: 6, gps: false });
  assert.deepEqual(await decodeJpegPixels(stored.bytes), await decodeJpegPixels(bytes));

  const [entry] = (await entriesAfter(app.ctx.db, seq, 10)).filter((e) => e.action === "post.image_add");
  assert.ok(entry);
  const summary = JSON.stringify(entry.summary);
  const hash = createHash("sha256").update(stored.bytes).digest("hex");
  assert.ok(summary.includes(`"sha256":"${hash}"`), "the audit entry's hash is of the stored bytes");
  assert.ok(summary.includes(`"metadataRemoved":["gps","exif","xmp","iptc","comment"]`));
  const listed = await listImages(app.ctx.db, post.id);
  assert.deepEqual(listed[0]?.metadataRemoved, ["gps", "exif", "xmp", "iptc", "comment"]);
});

test("a PNG and a WebP lose their metadata chunks; a file without metadata is stored as it came", async () => {
  const post = await newPost();
  const png = phonePng();
  const first = await add(post.id, 1, "map.png", png.bytes);
  assert.deepEqual(first.image.metadataRemoved, ["gps", "exif", "xmp", "text"]);
  assert.deepEqual((await findImage(app.ctx.db, first.image.id))?.bytes, png.plain);
  const webp = await phoneWebp();
  const second = await add(post.id, 2, "stage.webp", webp.bytes);
  assert.deepEqual(second.image.metadataRemoved, ["gps", "exif", "xmp"]);
  const storedWebp = (await findImage(app.ctx.db, second.image.id))?.bytes ?? new Uint8Array();
  assert.equal(contains(storedWebp, SECRETS.place), false);
  const third = await add(post.id, 3, "plain.png", png.plain);
  assert.deepEqual(third.image.metadataRemoved, []);
  assert.deepEqual((await findImage(app.ctx.db, third.image.id))?.bytes, png.plain);
});

test("a JPEG whose segment length runs past the file is refused (422, on the file field) and nothing is stored", async () => {
  const post = await newPost();
  const { bytes } = await phoneJpeg();
  const broken = new Uint8Array(bytes);
  broken[4] = 0xff;
  await assert.rejects(add(post.id, 1, "broken.jpg", broken), (e: unknown) => {
    assert.ok(e instanceof AppError);
    assert.equal(e.status, 422);
    assert.match(e.message, /JPEGファイルの構造が壊れています/);
    assert.equal(e.fields[0]?.field, "file");
    return true;
  });
  assert.equal((await listImages(app.ctx.db, post.id)).length, 0);
});
