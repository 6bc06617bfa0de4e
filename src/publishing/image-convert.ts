/**
 * JPEG derivatives of a post image, for a platform that takes less than snsgov accepts: LINE's
 * preview image (at most 1 MB) and Instagram, which takes JPEG only. Nothing is kept after it
 * returns:
 *
 * - the pixel size is read from the file's header first; more than MAX_SOURCE_PIXELS is refused
 *   (in Japanese) before anything is decoded, so a 10 MB file cannot take the server's memory;
 * - JPEG (MozJPEG in WebAssembly, turned as its EXIF orientation says), WebP (libwebp in
 *   WebAssembly; a still image), PNG (`pngjs`: any bit depth, palette, interlace) and GIF
 *   (`omggif`: its first frame) are decoded; anything else is refused, and says so;
 * - the image is scaled down by area averaging (each output pixel the exact average of the source
 *   area it covers, in linear light, transparent parts over white);
 * - encoded as a baseline JPEG (MozJPEG) without metadata (no orientation to misread, no location);
 *   when it is larger than allowed, the quality and then the size are lowered until it fits.
 */
import { GifReader } from "omggif";
import { PNG } from "pngjs";
import { imageSize } from "./image-header.ts";
import { decodeJpegPixels, decodeWebpPixels, encodeJpegPixels, type Pixels } from "./jpeg-codec.ts";

/**
 * At most this many pixels are decoded: a 12-megapixel photo (4032×3024, 4000×3000) fits. Decoding
 * costs about 11 bytes a pixel for a moment (`npm run bench:media`: +135 MB for the preview of a
 * 4000×3000 photo), which keeps the server under 400 MB; a larger photo is refused with what to do.
 */
export const MAX_SOURCE_PIXELS = 13_000_000;

/** A derivative could not be made: the message says why, in Japanese. */
export class ImageConversionError extends Error {
  override name = "ImageConversionError";
}

/** What to make: the longest side at most `maxSide` pixels, at most `maxBytes`, JPEG `quality`. */
export type JpegTarget = { maxSide: number; maxBytes: number; quality: number };

/** A JPEG made from an image. */
export type JpegDerivative = { bytes: Uint8Array; width: number; height: number; quality: number };

const typeLabel = (contentType: string) => contentType.replace(/^image\//, "").toUpperCase();

/** The types this module decodes. */
export const CONVERTIBLE_TYPES: readonly string[] = ["image/jpeg", "image/png", "image/gif", "image/webp"];

const unsupported = (contentType: string) =>
  new ImageConversionError(
    `${typeLabel(contentType)}形式の画像はJPEGに変換できません（変換できるのはJPEG・PNG・GIF・WebPです）。`,
  );

async function decode(bytes: Uint8Array, contentType: string): Promise<Pixels> {
  if (contentType === "image/jpeg") return decodeJpegPixels(bytes);
  if (contentType === "image/webp") return decodeWebpPixels(bytes);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (contentType === "image/png") {
    const png = PNG.sync.read(buffer);
    return {
      data: new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length),
      width: png.width,
      height: png.height,
    };
  }
  if (contentType === "image/gif") {
    const reader = new GifReader(buffer);
    const data = new Uint8ClampedArray(reader.width * reader.height * 4);
    reader.decodeAndBlitFrameRGBA(0, data);
    return { data, width: reader.width, height: reader.height };
  }
  throw unsupported(contentType);
}

/** sRGB byte → linear light. */
const toLinear = Float32Array.from({ length: 256 }, (_, v) => {
  const c = v / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
});
const LINEAR_STEPS = 4095;
/** Linear light (0–1, in 4096 steps) → sRGB byte. */
const toSrgb = Uint8Array.from({ length: LINEAR_STEPS + 1 }, (_, i) => {
  const c = i / LINEAR_STEPS;
  return Math.round(255 * (c <= 0.0031308 ? c * 12.92 : 1.055 * c ** (1 / 2.4) - 0.055));
});

/**
 * For each source pixel along one axis of n pixels scaled to m (m ≤ n): the output pixel it falls
 * in first and the share of its width there and in the next one, each divided by n/m (so the
 * shares that reach one output pixel add up to 1).
 */
function axisWeights(n: number, m: number) {
  const ratio = n / m;
  const index = new Int32Array(n);
  const first = new Float32Array(n);
  const next = new Float32Array(n);
  for (let s = 0; s < n; s++) {
    const i = Math.min(m - 1, Math.floor(s / ratio));
    const inFirst = Math.min(1, (i + 1) * ratio - s);
    index[s] = i;
    first[s] = inFirst / ratio;
    next[s] = i + 1 < m ? (1 - inFirst) / ratio : 0;
  }
  return { index, first, next };
}

/**
 * Area-averaging downscale to width × height (RGBA out, opaque, transparency over white). Source
 * rows are read one after the other into two output rows of sums (the one being filled and the
 * next), so no full-size buffer of sums is held.
 */
function downscale(src: Pixels, width: number, height: number): Pixels<ArrayBuffer> {
  const { data } = src;
  const h = axisWeights(src.width, width);
  const v = axisWeights(src.height, height);
  const out = new Uint8ClampedArray(width * height * 4);
  const row = new Float32Array(width * 3 + 3);
  let current = new Float32Array(width * 3);
  let following = new Float32Array(width * 3);
  let currentRow = 0;
  const flush = (sums: Float32Array, outRow: number) => {
    for (let q = 0, o = outRow * width * 4; q < sums.length; q += 3, o += 4) {
      for (let c = 0; c < 3; c++) {
        const linear = Math.min(1, Math.max(0, sums[q + c] ?? 0));
        out[o + c] = toSrgb[Math.round(linear * LINEAR_STEPS)] ?? 0;
      }
      out[o + 3] = 255;
    }
  };
  for (let y = 0; y < src.height; y++) {
    row.fill(0);
    let p = y * src.width * 4;
    for (let x = 0; x < src.width; x++, p += 4) {
      const a = (data[p + 3] ?? 255) / 255;
      const r = (toLinear[data[p] ?? 0] ?? 0) * a + 1 - a;
      const g = (toLinear[data[p + 1] ?? 0] ?? 0) * a + 1 - a;
      const b = (toLinear[data[p + 2] ?? 0] ?? 0) * a + 1 - a;
      const i = (h.index[x] ?? 0) * 3;
      const w0 = h.first[x] ?? 0;
      const w1 = h.next[x] ?? 0;
      row[i] = (row[i] ?? 0) + r * w0;
      row[i + 1] = (row[i + 1] ?? 0) + g * w0;
      row[i + 2] = (row[i + 2] ?? 0) + b * w0;
      row[i + 3] = (row[i + 3] ?? 0) + r * w1;
      row[i + 4] = (row[i + 4] ?? 0) + g * w1;
      row[i + 5] = (row[i + 5] ?? 0) + b * w1;
    }
    const j = v.index[y] ?? 0;
    while (j > currentRow) {
      flush(current, currentRow);
      [current, following] = [following, current];
      following.fill(0);
      currentRow++;
    }
    const v0 = v.first[y] ?? 0;
    const v1 = v.next[y] ?? 0;
    for (let k = 0; k < width * 3; k++) {
      current[k] = (current[k] ?? 0) + (row[k] ?? 0) * v0;
      following[k] = (following[k] ?? 0) + (row[k] ?? 0) * v1;
    }
  }
  flush(current, currentRow);
  if (currentRow + 1 < height) flush(following, currentRow + 1);
  return { data: out, width, height };
}

/** The output size for a longest side of at most `maxSide` (never larger than the source). */
function fit(width: number, height: number, maxSide: number) {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/**
 * Makes a JPEG of the image (JPEG, PNG or GIF) within `target`. Throws ImageConversionError with
 * the reason in Japanese when the image cannot be read, is too large to decode, or cannot be made
 * small enough.
 */
export async function makeJpeg(
  source: { bytes: Uint8Array; contentType: string },
  target: JpegTarget,
): Promise<JpegDerivative> {
  if (!CONVERTIBLE_TYPES.includes(source.contentType)) throw unsupported(source.contentType);
  const size = imageSize(source.bytes, source.contentType);
  if (!size || size.width === 0 || size.height === 0)
    throw new ImageConversionError(
      "画像の大きさを読み取れませんでした。画像ファイルが壊れていないか確認してください。",
    );
  if (size.width * size.height > MAX_SOURCE_PIXELS)
    throw new ImageConversionError(
      `画像が大きすぎて変換できません（${size.width}×${size.height}ピクセル。変換できるのは${MAX_SOURCE_PIXELS / 10_000}万画素まで）。画像を縮小してから差し替えてください。`,
    );
  let decoded: Pixels;
  try {
    decoded = await decode(source.bytes, source.contentType);
  } catch (error) {
    if (error instanceof ImageConversionError) throw error;
    throw new ImageConversionError(
      `画像を読み取れませんでした（${error instanceof Error ? error.message : "不明な理由"}）。画像ファイルが壊れていないか確認してください。`,
    );
  }
  let maxSide = target.maxSide;
  for (let round = 0; round < 6; round++) {
    const { width, height } = fit(decoded.width, decoded.height, maxSide);
    const pixels = downscale(decoded, width, height);
    for (let quality = target.quality; quality >= 50; quality -= 10) {
      const bytes = await encodeJpegPixels(pixels, quality);
      if (bytes.length <= target.maxBytes)
        return { bytes, width: pixels.width, height: pixels.height, quality };
    }
    maxSide = Math.floor(Math.max(width, height) * 0.75);
  }
  throw new ImageConversionError(
    `画像を${Math.floor(target.maxBytes / 1000)}KB以下にできませんでした。画像を縮小してから差し替えてください。`,
  );
}
