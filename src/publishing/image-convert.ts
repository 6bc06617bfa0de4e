/**
 * JPEG derivatives of a post image, for a platform that takes less than snsgov accepts: LINE's
 * preview image (at most 1 MB) and Instagram, which takes JPEG only. Nothing is kept after it
 * returns:
 *
 * - the pixel size is read from the file's header first; more than MAX_SOURCE_PIXELS is refused
 *   (in Japanese) before anything is decoded, so a 10 MB file cannot take the server's memory;
 * - JPEG (turned as its EXIF orientation says; CMYK converted), PNG (any bit depth, palette,
 *   interlace), GIF (its first frame) and WebP (a still image) are read by libvips (`sharp`, whose
 *   npm packages ship the built library); anything else is refused, and says so;
 * - a JPEG is decoded already reduced by its DCT scaling when it is at least twice the size asked
 *   (libvips' shrink-on-load), then scaled down with gamma 2.2 taken off first (close to averaging
 *   in linear light: a fine black and white pattern is light grey, not the too-dark mean of the
 *   bytes), transparent parts over white;
 * - encoded as a baseline JPEG without metadata (no orientation to misread, no location); when it
 *   is larger than allowed, the quality and then the size are lowered until it fits.
 *
 * Runs where it is called: the server calls it in a child process of its own (`image-child.ts`).
 */
import type { Sharp } from "sharp";
import { imageSize } from "./image-header.ts";

/**
 * At most this many pixels are decoded: a 12-megapixel photo (4032×3024, 4000×3000) fits; a larger
 * one is refused with what to do.
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

const unreadable = (reason: string) =>
  new ImageConversionError(
    `画像を読み取れませんでした（${reason}）。画像ファイルが壊れていないか確認してください。`,
  );

let library: Promise<typeof import("sharp")> | undefined;

/**
 * The image as libvips reads it: its first frame, at most MAX_SOURCE_PIXELS, errors (not warnings)
 * fatal. libvips is loaded on first use only (a process that only imports this module's types and
 * errors, such as the web server, never loads it), with one thread and no operation cache.
 */
async function input(bytes: Uint8Array): Promise<Sharp> {
  library ??= import("sharp").then((loaded) => {
    loaded.default.concurrency(1);
    loaded.default.cache(false);
    return loaded;
  });
  const { default: sharp } = await library;
  return sharp(bytes, { limitInputPixels: MAX_SOURCE_PIXELS, failOn: "error", pages: 1 });
}

/** The output size for a longest side of at most `maxSide` (never larger than the source). */
function fit(width: number, height: number, maxSide: number) {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** Checks what the header says before any pixel is decoded; the upright size (EXIF applied). */
async function upright(source: { bytes: Uint8Array; contentType: string }) {
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
  const meta = await (await input(source.bytes)).metadata().catch((error: unknown) => {
    throw unreadable(error instanceof Error ? error.message : "不明な理由");
  });
  if (source.contentType === "image/webp" && (meta.pages ?? 1) > 1)
    throw new ImageConversionError(
      "動きのあるWebP画像はJPEGに変換できません。静止画のJPEGかPNGにしてから差し替えてください。",
    );
  const turned = (meta.orientation ?? 1) >= 5;
  return turned ? { width: size.height, height: size.width } : size;
}

/** One attempt: the image fitted in `width` × `height`, encoded at `quality`. */
async function encode(bytes: Uint8Array, width: number, height: number, quality: number) {
  try {
    const { data, info } = await (await input(bytes))
      .autoOrient()
      .flatten({ background: "#ffffff" })
      .gamma()
      .resize(width, height, { fit: "fill" })
      .toColourspace("srgb")
      .jpeg({ quality, progressive: false, chromaSubsampling: "4:2:0" })
      .toBuffer({ resolveWithObject: true });
    return { bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), info };
  } catch (error) {
    throw unreadable(error instanceof Error ? error.message : "不明な理由");
  }
}

/**
 * Makes a JPEG of the image (JPEG, PNG, GIF or WebP) within `target`. Throws ImageConversionError
 * with the reason in Japanese when the image cannot be read, is too large to decode, or cannot be
 * made small enough.
 */
export async function makeJpeg(
  source: { bytes: Uint8Array; contentType: string },
  target: JpegTarget,
): Promise<JpegDerivative> {
  const size = await upright(source);
  let maxSide = target.maxSide;
  for (let round = 0; round < 6; round++) {
    const { width, height } = fit(size.width, size.height, maxSide);
    for (let quality = target.quality; quality >= 50; quality -= 10) {
      const made = await encode(source.bytes, width, height, quality);
      if (made.bytes.length <= target.maxBytes)
        return { bytes: made.bytes, width: made.info.width, height: made.info.height, quality };
    }
    maxSide = Math.floor(Math.max(width, height) * 0.75);
  }
  throw new ImageConversionError(
    `画像を${Math.floor(target.maxBytes / 1000)}KB以下にできませんでした。画像を縮小してから差し替えてください。`,
  );
}
