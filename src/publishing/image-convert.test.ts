/**
 * JPEG derivatives from real images made here (PNG with transparency, GIF, JPEG with an EXIF
 * orientation, noise that does not compress): the size fits, the average is taken over the area
 * close to linear light (gamma 2.2 taken off first), transparency becomes white, a turned photo
 * comes out upright, the byte limit is met, and what cannot be converted (another type, an absurd
 * pixel count, a broken file) is refused in Japanese before any decoding; a WebP (made here with
 * libwebp's encoder) is converted too.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { test } from "node:test";
import encodeWebp, { init as initWebpEncoder } from "@jsquash/webp/encode.js";
import { GifWriter } from "omggif";
import { PNG } from "pngjs";
import { decodeJpegPixels, encodeJpegPixels } from "../../test/support/jpeg-codec.ts";
import { ImageConversionError, makeJpeg } from "./image-convert.ts";
import { imageSize } from "./image-header.ts";

/** A WebP of the pixels, made with libwebp's encoder (the WebAssembly build with SIMD). */
async function webpOf(image: { data: Uint8ClampedArray<ArrayBuffer>; width: number; height: number }) {
  const file = await readFile(
    createRequire(import.meta.url).resolve("@jsquash/webp/codec/enc/webp_enc_simd.wasm"),
  );
  await initWebpEncoder({
    wasmBinary: file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength),
  });
  return new Uint8Array(await encodeWebp({ ...image, colorSpace: "srgb" }, { quality: 95 }));
}

/** A PNG of width × height whose pixel (x, y) is `color(x, y)` = [r, g, b, a]. */
function png(width: number, height: number, color: (x: number, y: number) => number[]): Uint8Array {
  const image = new PNG({ width, height });
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) image.data.set(color(x, y), (y * width + x) * 4);
  return new Uint8Array(PNG.sync.write(image));
}

/** RGBA pixels of width × height from `color(x, y)` = [r, g, b]. */
function pixels(width: number, height: number, color: (x: number, y: number) => number[]) {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) data.set([...color(x, y), 255], (y * width + x) * 4);
  return { data, width, height };
}

/** The pixel (x, y) of a decoded JPEG as [r, g, b]. */
async function pixelAt(jpeg: Uint8Array, x: number, y: number): Promise<number[]> {
  const image = await decodeJpegPixels(jpeg);
  const at = (y * image.width + x) * 4;
  return [...image.data.subarray(at, at + 3)];
}

const near = (actual: number[], expected: number[], tolerance: number, what: string) =>
  assert.ok(
    actual.every((v, i) => Math.abs(v - (expected[i] ?? 0)) <= tolerance),
    `${what}: ${actual} is not within ${tolerance} of ${expected}`,
  );

const isJpeg = (bytes: Uint8Array) => bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;

test("a PNG with transparency becomes a JPEG of the asked size; transparent parts are white", async () => {
  // Left half opaque red, right half fully transparent.
  const source = png(300, 200, (x) => (x < 150 ? [255, 0, 0, 255] : [0, 0, 0, 0]));
  const out = await makeJpeg(
    { bytes: source, contentType: "image/png" },
    { maxSide: 100, maxBytes: 100_000, quality: 90 },
  );
  assert.ok(isJpeg(out.bytes));
  assert.deepEqual([out.width, out.height], [100, 67]);
  assert.deepEqual(imageSize(out.bytes, "image/jpeg"), { width: 100, height: 67 });
  near(await pixelAt(out.bytes, 10, 30), [255, 0, 0], 12, "red stays red");
  near(await pixelAt(out.bytes, 90, 30), [255, 255, 255], 8, "transparent becomes white");
});

test("downscaling averages the area close to linear light (a fine black and white pattern is light grey)", async () => {
  const checker = png(64, 64, (x, y) => ((x + y) % 2 === 0 ? [0, 0, 0, 255] : [255, 255, 255, 255]));
  const out = await makeJpeg(
    { bytes: checker, contentType: "image/png" },
    { maxSide: 8, maxBytes: 100_000, quality: 95 },
  );
  // Half the light of white is sRGB 188; averaging the bytes would give 128 (too dark).
  near(await pixelAt(out.bytes, 4, 4), [188, 188, 188], 6, "linear-light average");
});

test("a GIF's first frame becomes a JPEG", async () => {
  const width = 40;
  const height = 20;
  const buffer = Buffer.alloc(4096);
  const gif = new GifWriter(buffer, width, height, { palette: [0x00ff00, 0x0000ff] });
  gif.addFrame(
    0,
    0,
    width,
    height,
    Array.from({ length: width * height }, (_, i) => (i % width < 20 ? 0 : 1)),
  );
  const bytes = new Uint8Array(buffer.subarray(0, gif.end()));
  const out = await makeJpeg(
    { bytes, contentType: "image/gif" },
    { maxSide: 2048, maxBytes: 100_000, quality: 90 },
  );
  assert.deepEqual([out.width, out.height], [40, 20], "never enlarged");
  near(await pixelAt(out.bytes, 5, 10), [0, 255, 0], 20, "green half");
  near(await pixelAt(out.bytes, 35, 10), [0, 0, 255], 20, "blue half");
});

test("a JPEG with EXIF orientation 6 (turned 90° clockwise) comes out upright, without EXIF", async () => {
  // Stored 80×40: left half red, right half blue. Shown turned 90° clockwise: 40×80, red on top.
  const stored = await encodeJpegPixels(
    pixels(80, 40, (x) => (x < 40 ? [255, 0, 0] : [0, 0, 255])),
    95,
  );
  const tiff = [
    0x4d,
    0x4d,
    0x00,
    0x2a,
    0x00,
    0x00,
    0x00,
    0x08, // big-endian TIFF, IFD0 at 8
    0x00,
    0x01, // one entry
    0x01,
    0x12,
    0x00,
    0x03,
    0x00,
    0x00,
    0x00,
    0x01,
    0x00,
    0x06,
    0x00,
    0x00, // Orientation = 6
    0x00,
    0x00,
    0x00,
    0x00, // no next IFD
  ];
  const exif = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00, ...tiff];
  const app1 = [0xff, 0xe1, (exif.length + 2) >> 8, (exif.length + 2) & 0xff, ...exif];
  const bytes = new Uint8Array([...stored.subarray(0, 2), ...app1, ...stored.subarray(2)]);
  const out = await makeJpeg(
    { bytes, contentType: "image/jpeg" },
    { maxSide: 1024, maxBytes: 100_000, quality: 90 },
  );
  assert.deepEqual([out.width, out.height], [40, 80]);
  near(await pixelAt(out.bytes, 20, 10), [255, 0, 0], 25, "red on top");
  near(await pixelAt(out.bytes, 20, 70), [0, 0, 255], 25, "blue below");
  assert.ok(!Buffer.from(out.bytes).includes(Buffer.from("Exif")), "no EXIF in the derivative");
});

test("the byte limit is met by lowering the quality, then the size", async () => {
  let seed = 7;
  const noise = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed & 255;
  };
  const source = png(400, 300, () => [noise(), noise(), noise(), 255]);
  const out = await makeJpeg(
    { bytes: source, contentType: "image/png" },
    { maxSide: 400, maxBytes: 30_000, quality: 95 },
  );
  assert.ok(out.bytes.length <= 30_000, `${out.bytes.length} bytes`);
  assert.ok(out.quality < 95 || out.width < 400, "something was given up to fit");
});

test("a WebP becomes a JPEG", async () => {
  const webp = await webpOf(pixels(60, 30, (x) => (x < 30 ? [255, 255, 0] : [0, 128, 255])));
  assert.equal(Buffer.from(webp.subarray(8, 12)).toString("latin1"), "WEBP");
  const out = await makeJpeg(
    { bytes: webp, contentType: "image/webp" },
    { maxSide: 30, maxBytes: 100_000, quality: 90 },
  );
  assert.ok(isJpeg(out.bytes));
  assert.deepEqual([out.width, out.height], [30, 15]);
  near(await pixelAt(out.bytes, 3, 7), [255, 255, 0], 25, "yellow half");
  near(await pixelAt(out.bytes, 27, 7), [0, 128, 255], 25, "blue half");
});

test("what cannot be converted is refused in Japanese before decoding: another type, too many pixels, a broken file", async () => {
  const bmp = new Uint8Array([0x42, 0x4d, 0, 0, 0, 0]);
  await assert.rejects(
    makeJpeg({ bytes: bmp, contentType: "image/bmp" }, { maxSide: 100, maxBytes: 100_000, quality: 90 }),
    (e: unknown) =>
      e instanceof ImageConversionError && /BMP形式の画像はJPEGに変換できません/.test(e.message),
  );
  // A PNG header claiming 20000 × 20000 pixels (400 megapixels): refused from the header alone.
  const huge = png(1, 1, () => [0, 0, 0, 255]);
  const view = new DataView(huge.buffer, huge.byteOffset);
  view.setUint32(16, 20_000);
  view.setUint32(20, 20_000);
  await assert.rejects(
    makeJpeg({ bytes: huge, contentType: "image/png" }, { maxSide: 100, maxBytes: 100_000, quality: 90 }),
    (e: unknown) =>
      e instanceof ImageConversionError && /大きすぎて変換できません（20000×20000ピクセル/.test(e.message),
  );
  const broken = png(10, 10, () => [0, 0, 0, 255]).subarray(0, 60);
  await assert.rejects(
    makeJpeg({ bytes: broken, contentType: "image/png" }, { maxSide: 100, maxBytes: 100_000, quality: 90 }),
    (e: unknown) => e instanceof ImageConversionError && /画像を読み取れませんでした/.test(e.message),
  );
});

test("a CMYK JPEG (as made for print) becomes an RGB JPEG of the same colour", async () => {
  const { default: sharp } = await import("sharp");
  const cmyk = await sharp({
    create: { width: 200, height: 100, channels: 3, background: { r: 220, g: 30, b: 30 } },
  })
    .toColourspace("cmyk")
    .jpeg({ quality: 95 })
    .toBuffer();
  assert.equal((await sharp(cmyk).metadata()).space, "cmyk");
  const out = await makeJpeg(
    { bytes: new Uint8Array(cmyk), contentType: "image/jpeg" },
    { maxSide: 50, maxBytes: 100_000, quality: 90 },
  );
  assert.deepEqual([out.width, out.height], [50, 25]);
  near(await pixelAt(out.bytes, 25, 12), [220, 30, 30], 16, "the same red");
});
