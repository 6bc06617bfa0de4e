/**
 * What an image file says about itself before it is decoded: its pixel size (JPEG SOF, PNG IHDR,
 * GIF logical screen, WebP VP8/VP8L/VP8X). Read from the first bytes only, so an absurd pixel
 * count is refused before any memory is spent on it.
 */

/** The pixel size stored in the file (before any EXIF rotation). */
export type ImageSize = { width: number; height: number };

const u16be = (b: Uint8Array, i: number) => ((b[i] ?? 0) << 8) | (b[i + 1] ?? 0);
const u16le = (b: Uint8Array, i: number) => (b[i] ?? 0) | ((b[i + 1] ?? 0) << 8);
const u24le = (b: Uint8Array, i: number) => u16le(b, i) | ((b[i + 2] ?? 0) << 16);
const u32be = (b: Uint8Array, i: number) => u16be(b, i) * 65536 + u16be(b, i + 2);
const u32le = (b: Uint8Array, i: number) => u16le(b, i) + u16le(b, i + 2) * 65536;

/** JPEG: the first start-of-frame marker (baseline, progressive, lossless …) gives the size. */
function jpegSize(b: Uint8Array): ImageSize | null {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1] ?? 0;
    if (marker === 0xff) {
      i++;
      continue;
    }
    const length = u16be(b, i + 2);
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) return { height: u16be(b, i + 5), width: u16be(b, i + 7) };
    i += 2 + length;
  }
  return null;
}

function webpSize(b: Uint8Array): ImageSize | null {
  const chunk = String.fromCharCode(b[12] ?? 0, b[13] ?? 0, b[14] ?? 0, b[15] ?? 0);
  if (chunk === "VP8X") return { width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 };
  if (chunk === "VP8 ") return { width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
  if (chunk === "VP8L") {
    const bits = u32le(b, 21);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  return null;
}

/** The pixel size of a JPEG, PNG, GIF or WebP file, or null when its header cannot be read. */
export function imageSize(bytes: Uint8Array, contentType: string): ImageSize | null {
  if (contentType === "image/jpeg") return jpegSize(bytes);
  if (contentType === "image/png" && bytes.length >= 24)
    return { width: u32be(bytes, 16), height: u32be(bytes, 20) };
  if (contentType === "image/gif" && bytes.length >= 10)
    return { width: u16le(bytes, 6), height: u16le(bytes, 8) };
  if (contentType === "image/webp" && bytes.length >= 30) return webpSize(bytes);
  return null;
}
