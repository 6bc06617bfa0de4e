/**
 * Signed, expiring image URLs (for Instagram, which fetches the image itself): a valid token
 * serves exactly its image with its type and no caching, without a session; a tampered token,
 * another image's id under the same signature, a key not in the key file, or a deleted post give
 * 404; an expired one 410; nothing lists images.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { seedKouhouAccount } from "../../../test/support/accounts.ts";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { seedOrg } from "../../../test/support/org.ts";
import { seedPost } from "../../../test/support/posts.ts";
import { insertDerivative } from "../../db/repos/image-derivatives.ts";
import { insertImage, updatePost } from "../../db/repos/posts.ts";
import { createHttpApp } from "../../http/app.tsx";
import { MEDIA_URL_TTL_MS, signedMediaUrl, signMediaToken, verifyMediaToken } from "./media-urls.ts";
import { loadTokenKeys } from "./token-keys.ts";

let app: TestApp;
let http: ReturnType<typeof createHttpApp>;
const keyFile = join(tmpdir(), `snsgov-media-keys-${randomUUID()}.json`);
let imageId: number;
let otherImageId: number;
let postId: number;
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70, 0, 1]);

before(async () => {
  app = await testApp({ env: { SNSGOV_TOKEN_KEY_FILE: keyFile } });
  http = createHttpApp(app.ctx);
  const org = await seedOrg(app.ctx);
  const account = await seedKouhouAccount(app.ctx, org, { platform: "instagram", handle: "iwaki_kanko" });
  const post = await seedPost(app.ctx, {
    accountId: account.id,
    authorId: org.staff.kouhouStaff.id,
    status: "approved",
  });
  postId = post.id;
  const image = (position: number, contentType: string) =>
    insertImage(app.ctx.db, {
      postId: post.id,
      position,
      filename: `p${position}.jpg`,
      contentType,
      bytes: JPEG,
      size: JPEG.length,
      alt: "写真",
      rights: "own",
    });
  imageId = (await image(0, "image/jpeg")).id;
  otherImageId = (await image(1, "image/png")).id;
});
after(async () => {
  await app.close();
  await rm(keyFile, { force: true });
});

const get = (path: string) => http.request(path);

test("a valid URL serves exactly its image, with its type, no caching and no session", async () => {
  const keys = await loadTokenKeys(keyFile);
  const url = signedMediaUrl(keys, "https://media.city.example.lg.jp", imageId, "original", app.clock.now());
  assert.match(
    url,
    /^https:\/\/media\.city\.example\.lg\.jp\/media\/s\/\d+\.o\.\d+\.k[a-z0-9]+\.[A-Za-z0-9_-]{43}$/,
  );
  const res = await get(new URL(url).pathname);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "image/jpeg");
  assert.equal(res.headers.get("cache-control"), "private, no-store");
  assert.equal(res.headers.get("set-cookie"), null);
  assert.deepEqual(new Uint8Array(await res.arrayBuffer()), JPEG);
  const head = await http.request(new URL(url).pathname, { method: "HEAD" });
  assert.equal(head.status, 200, "a HEAD before the download is answered too");
  assert.equal(head.headers.get("content-type"), "image/jpeg");
});

test("a tampered token, another image's id under the signature, or an unknown key is 404", async () => {
  const keys = await loadTokenKeys(keyFile);
  const token = signMediaToken(
    keys,
    imageId,
    "original",
    new Date(app.clock.now().getTime() + MEDIA_URL_TTL_MS),
  );
  const [id, variant, exp, keyId, mac = ""] = token.split(".");
  const flipped = `${mac.slice(0, -1)}${mac.endsWith("A") ? "B" : "A"}`;
  for (const bad of [
    `${id}.${variant}.${exp}.${keyId}.${flipped}`,
    `${otherImageId}.${variant}.${exp}.${keyId}.${mac}`,
    `${id}.${variant}.${Number(exp) + 3600}.${keyId}.${mac}`,
    `${id}.${variant}.${exp}.kunknown.${mac}`,
    `${id}.${exp}.${keyId}.${mac}`,
    "1",
    "..%2F..%2Fetc%2Fpasswd",
  ]) {
    const res = await get(`/media/s/${bad}`);
    assert.equal(res.status, 404, bad);
    assert.notEqual(res.headers.get("content-type"), "image/jpeg");
  }
  for (const listing of ["/media/s/", "/media/", "/media/s"]) {
    const res = await get(listing);
    assert.notEqual(res.status, 200, `${listing}: no listing`);
    assert.doesNotMatch(await res.text(), new RegExp(String(imageId)));
  }
  assert.deepEqual(verifyMediaToken(keys, token, app.clock.now()), {
    ok: true,
    imageId,
    variant: "original",
  });
});

test("a variant's URL serves that variant only: the signature covers it, a changed variant is 404", async () => {
  const keys = await loadTokenKeys(keyFile);
  const preview = new Uint8Array([0xff, 0xd8, 0xff, 0xdb, 1, 2, 3]);
  await insertDerivative(app.ctx.db, {
    imageId,
    variant: "preview",
    contentType: "image/jpeg",
    bytes: preview,
    size: preview.length,
    width: 10,
    height: 10,
    quality: 85,
    sourceSha256: "s",
    sha256: "d",
  });
  const token = signMediaToken(
    keys,
    imageId,
    "preview",
    new Date(app.clock.now().getTime() + MEDIA_URL_TTL_MS),
  );
  const res = await get(`/media/s/${token}`);
  assert.equal(res.status, 200);
  assert.deepEqual(
    new Uint8Array(await res.arrayBuffer()),
    preview,
    "the preview's bytes, not the original's",
  );
  const [id, , exp, keyId, mac] = token.split(".");
  for (const forged of ["o", "j", "x"]) {
    const answer = await get(`/media/s/${id}.${forged}.${exp}.${keyId}.${mac}`);
    assert.equal(answer.status, 404, `variant ${forged} under the preview's signature`);
  }
  const notMade = signMediaToken(
    keys,
    imageId,
    "jpeg",
    new Date(app.clock.now().getTime() + MEDIA_URL_TTL_MS),
  );
  assert.equal((await get(`/media/s/${notMade}`)).status, 404, "a variant never made is not there");
});

test("an expired URL answers 410; an image of a deleted post is no longer served", async () => {
  const keys = await loadTokenKeys(keyFile);
  const url = new URL(signedMediaUrl(keys, "http://127.0.0.1", otherImageId, "original", app.clock.now()));
  const fresh = await get(url.pathname);
  assert.equal(fresh.status, 200);
  assert.equal(fresh.headers.get("content-type"), "image/png");
  app.clock.advance(MEDIA_URL_TTL_MS + 1000);
  const expired = await get(url.pathname);
  assert.equal(expired.status, 410);
  assert.match(await expired.text(), /有効期限は切れています/);
  const again = new URL(signedMediaUrl(keys, "http://127.0.0.1", imageId, "original", app.clock.now()));
  await updatePost(app.ctx.db, postId, { status: "deleted" }, app.clock.now());
  assert.equal((await get(again.pathname)).status, 404);
});
