/**
 * The converter's own process: a photo comes back as the JPEG asked for, a refusal keeps its
 * Japanese reason and kind, and conversions asked for at once each get their own answer.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { encodeJpegPixels } from "../../test/support/jpeg-codec.ts";
import { childEnvironment, makeJpegInChild } from "./image-child.ts";
import { ImageConversionError } from "./image-convert.ts";
import { imageSize } from "./image-header.ts";

async function photo(width: number, height: number): Promise<Uint8Array> {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++)
    data.set([(i * 7) & 255, (i * 13) & 255, (i * 3) & 255, 255], i * 4);
  return encodeJpegPixels({ data, width, height }, 90);
}

test("a photo made smaller in the converter's process comes back as a JPEG of the asked size", async () => {
  const made = await makeJpegInChild(
    { bytes: await photo(800, 600), contentType: "image/jpeg" },
    { maxSide: 400, maxBytes: 200_000, quality: 85 },
  );
  assert.deepEqual([made.width, made.height, made.quality], [400, 300, 85]);
  assert.deepEqual(imageSize(made.bytes, "image/jpeg"), { width: 400, height: 300 });
});

test("a refusal comes back as a conversion error with its reason in Japanese", async () => {
  await assert.rejects(
    makeJpegInChild(
      { bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2, 3]), contentType: "image/jpeg" },
      { maxSide: 100, maxBytes: 100_000, quality: 90 },
    ),
    (e: unknown) => e instanceof ImageConversionError && /画像/.test(e.message),
  );
});

test("conversions asked for at once each get their own answer", async () => {
  const sizes = [
    [300, 200],
    [200, 300],
    [500, 100],
  ] as const;
  const made = await Promise.all(
    sizes.map(async ([w, h]) =>
      makeJpegInChild(
        { bytes: await photo(w, h), contentType: "image/jpeg" },
        { maxSide: 100, maxBytes: 100_000, quality: 80 },
      ),
    ),
  );
  assert.deepEqual(
    made.map((m) => [m.width, m.height]),
    [
      [100, 67],
      [67, 100],
      [100, 20],
    ],
  );
});

test("the converter's process gets none of the server's environment (no database URL, no keys)", () => {
  const env = childEnvironment({
    PATH: "/usr/bin",
    DATABASE_URL: "postgres://snsgov:secret@db/snsgov",
    SNSGOV_TOKEN_KEY: "k",
  });
  assert.deepEqual(env, { PATH: "/usr/bin", MALLOC_ARENA_MAX: "2" });
});
