/**
 * Removes privacy-relevant metadata from an image's bytes, losslessly, before the image is stored
 * (5.2.2.1 個人情報, 5.1.3 プライバシー): a phone's photo carries EXIF with the place it was taken
 * (GPS), the camera's serial number and the owner's name, XMP and IPTC with the location, comments.
 * Only container segments/chunks are dropped; the image data is copied byte for byte.
 * - JPEG: APP1 (Exif, XMP), APP13 (Photoshop/IPTC) and COM are dropped; when the Exif said the
 *   photo is rotated (Orientation ≠ 1), a minimal Exif with that one tag takes its place so the
 *   photo still displays upright. The scans (SOS to EOI) are copied verbatim; data appended after
 *   EOI (a motion photo's video, vendor trailers, further pictures with their own Exif) is dropped.
 * - PNG: eXIf, tEXt, zTXt and iTXt chunks are dropped (CRCs of the others untouched); a rotated
 *   image keeps an eXIf with only its Orientation, as a JPEG does.
 * - WebP: EXIF and XMP chunks are dropped, the VP8X flags and the RIFF size follow.
 * - GIF: comment extensions and XMP application extensions are dropped.
 * A file whose structure does not hold (a length past its end) is refused, never stored half-read.
 */
import { crc32 } from "node:zlib";

/** What was removed, for the record and for the operator's note. */
export type MetadataKind = "gps" | "exif" | "xmp" | "iptc" | "comment" | "text" | "trailer";

/** The kinds in the order they are recorded and shown. */
export const metadataKinds: readonly MetadataKind[] = [
  "gps",
  "exif",
  "xmp",
  "iptc",
  "comment",
  "text",
  "trailer",
];

/** The stripped bytes and what was removed (empty when the file had nothing to remove). */
export type Stripped =
  | { ok: true; bytes: Uint8Array; removed: MetadataKind[] }
  | { ok: false; problem: string };

/** The image types this module knows (told by their bytes elsewhere). */
export type StrippableType = "image/jpeg" | "image/png" | "image/gif" | "image/webp";

const ascii = (text: string) => Uint8Array.from(text, (ch) => ch.charCodeAt(0));

const hasPrefix = (bytes: Uint8Array, prefix: Uint8Array, offset = 0) =>
  bytes.length >= offset + prefix.length && prefix.every((b, i) => bytes[offset + i] === b);

const concat = (parts: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};

const sorted = (kinds: Set<MetadataKind>): MetadataKind[] => metadataKinds.filter((k) => kinds.has(k));

/** Removes the metadata of an image of the given type (see the module comment). */
export function stripImageMetadata(type: StrippableType, bytes: Uint8Array): Stripped {
  if (type === "image/jpeg") return stripJpeg(bytes);
  if (type === "image/png") return stripPng(bytes);
  if (type === "image/webp") return stripWebp(bytes);
  return stripGif(bytes);
}

/** The short Japanese note shown with an image from which something was removed, or null. */
export function metadataNote(removed: readonly string[]): string | null {
  if (removed.length === 0) return null;
  if (removed.includes("gps")) return "撮影場所などの情報（位置情報を含む）を取り除いて保存しました。";
  return "撮影機器やコメントなどの情報（メタデータ）を取り除いて保存しました。";
}

// --- TIFF/Exif -------------------------------------------------------------------------------

const EXIF_HEADER = ascii("Exif\0\0");
const TAG_ORIENTATION = 0x0112;
const TAG_GPS_IFD = 0x8825;

/** What an Exif (TIFF) block says that matters here; nothing when it cannot be read. */
export function readExif(tiff: Uint8Array): { orientation: number | null; gps: boolean } {
  const none = { orientation: null, gps: false };
  if (tiff.length < 8) return none;
  const little = tiff[0] === 0x49 && tiff[1] === 0x49;
  const big = tiff[0] === 0x4d && tiff[1] === 0x4d;
  if (!little && !big) return none;
  const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
  if (view.getUint16(2, little) !== 42) return none;
  const ifd = view.getUint32(4, little);
  if (ifd + 2 > tiff.length) return none;
  const count = view.getUint16(ifd, little);
  let orientation: number | null = null;
  let gps = false;
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > tiff.length) break;
    const tag = view.getUint16(entry, little);
    if (tag === TAG_GPS_IFD) gps = true;
    if (tag === TAG_ORIENTATION && view.getUint16(entry + 2, little) === 3) {
      const value = view.getUint16(entry + 8, little);
      if (value >= 1 && value <= 8) orientation = value;
    }
  }
  return { orientation, gps };
}

/** A minimal big-endian TIFF (Exif) block holding only the Orientation tag. */
export function orientationTiff(orientation: number): Uint8Array {
  const tiff = new Uint8Array(26);
  const view = new DataView(tiff.buffer);
  tiff.set(ascii("MM"), 0);
  view.setUint16(2, 42);
  view.setUint32(4, 8); // IFD0 right after the header
  view.setUint16(8, 1); // one entry
  view.setUint16(10, TAG_ORIENTATION);
  view.setUint16(12, 3); // SHORT
  view.setUint32(14, 1); // count
  view.setUint16(18, orientation); // value, left-justified in the 4-byte field
  view.setUint32(22, 0); // no next IFD
  return tiff;
}

// --- JPEG ------------------------------------------------------------------------------------

const XMP_HEADERS = [ascii("http://ns.adobe.com/xap/1.0/\0"), ascii("http://ns.adobe.com/xmp/extension/\0")];
const APP1 = 0xe1;
const APP13 = 0xed;
const COM = 0xfe;
const SOS = 0xda;
const EOI = 0xd9;

const standalone = (marker: number) => marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8);

function jpegSegment(marker: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + payload.length);
  out[0] = 0xff;
  out[1] = marker;
  new DataView(out.buffer).setUint16(2, payload.length + 2);
  out.set(payload, 4);
  return out;
}

/**
 * Where the picture ends (just after its EOI), walking the entropy-coded data from `from`: a 0xFF
 * there is followed by 0x00 (stuffing), a restart marker or a fill byte; any other marker between
 * progressive scans is skipped by its length. Null when no EOI is found (the file is kept as is).
 */
function jpegEnd(bytes: Uint8Array, from: number): number | null {
  let p = from;
  while (p + 1 < bytes.length) {
    const next = bytes[p + 1] ?? 0;
    if (bytes[p] !== 0xff || next === 0xff) p += 1;
    else if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) p += 2;
    else if (next === EOI) return p + 2;
    else {
      const length = ((bytes[p + 2] ?? 0) << 8) | (bytes[p + 3] ?? 0);
      if (length < 2) return null;
      p += 2 + length;
    }
  }
  return null;
}

function stripJpeg(bytes: Uint8Array): Stripped {
  const malformed = (what: string): Stripped => ({
    ok: false,
    problem: `JPEGファイルの構造が壊れています（${what}）。`,
  });
  if (!(bytes[0] === 0xff && bytes[1] === 0xd8)) return malformed("先頭のマーカーがありません");
  const parts: Uint8Array[] = [bytes.subarray(0, 2)];
  const removed = new Set<MetadataKind>();
  let exifAt: number | null = null;
  let orientation: number | null = null;
  let pos = 2;
  while (pos < bytes.length) {
    if (bytes[pos] !== 0xff) return malformed(`${pos}バイト目にマーカーがありません`);
    let markerAt = pos + 1;
    while (bytes[markerAt] === 0xff) markerAt++; // fill bytes
    const marker = bytes[markerAt];
    if (marker === undefined) return malformed("画像データの前でファイルが終わっています");
    if (standalone(marker)) {
      parts.push(bytes.subarray(pos, markerAt + 1));
      pos = markerAt + 1;
      continue;
    }
    if (marker === EOI) return malformed("画像データがありません");
    if (markerAt + 3 > bytes.length) return malformed("セグメントの長さがありません");
    const length = ((bytes[markerAt + 1] ?? 0) << 8) | (bytes[markerAt + 2] ?? 0);
    const end = markerAt + 1 + length;
    if (length < 2 || end > bytes.length)
      return malformed(`セグメントの長さ ${length} がファイルの大きさと合いません`);
    if (marker === SOS) {
      // The scans up to EOI, verbatim; what a phone appends after EOI (a motion photo's video, a
      // vendor trailer, further pictures with their own Exif) is not part of the picture.
      const eoi = jpegEnd(bytes, end);
      if (eoi !== null && eoi < bytes.length) removed.add("trailer");
      parts.push(bytes.subarray(pos, eoi ?? bytes.length));
      const orient = orientation !== null && orientation !== 1 ? orientation : null;
      if (orient !== null)
        parts.splice(exifAt ?? 1, 0, jpegSegment(APP1, concat([EXIF_HEADER, orientationTiff(orient)])));
      return { ok: true, bytes: concat(parts), removed: sorted(removed) };
    }
    const payload = bytes.subarray(markerAt + 3, end);
    if (marker === APP1) {
      if (hasPrefix(payload, EXIF_HEADER)) {
        const exif = readExif(payload.subarray(EXIF_HEADER.length));
        if (exif.gps) removed.add("gps");
        if (orientation === null) orientation = exif.orientation;
        exifAt ??= parts.length;
        removed.add("exif");
      } else if (XMP_HEADERS.some((h) => hasPrefix(payload, h))) removed.add("xmp");
      else removed.add("exif"); // any other APP1 is vendor metadata too
    } else if (marker === APP13) removed.add("iptc");
    else if (marker === COM) removed.add("comment");
    else parts.push(bytes.subarray(pos, end));
    pos = end;
  }
  return malformed("画像データ（SOS）がありません");
}

// --- PNG -------------------------------------------------------------------------------------

const PNG_DROPPED = new Set(["eXIf", "tEXt", "zTXt", "iTXt"]);

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const typeBytes = ascii(type);
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(typeBytes, 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(concat([typeBytes, data])));
  return out;
}

function stripPng(bytes: Uint8Array): Stripped {
  const malformed = (what: string): Stripped => ({
    ok: false,
    problem: `PNGファイルの構造が壊れています（${what}）。`,
  });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: Uint8Array[] = [bytes.subarray(0, 8)];
  const removed = new Set<MetadataKind>();
  let pos = 8;
  while (pos < bytes.length) {
    if (pos + 12 > bytes.length) return malformed("チャンクの途中でファイルが終わっています");
    const length = view.getUint32(pos);
    const end = pos + 12 + length;
    if (end > bytes.length) return malformed(`チャンクの長さ ${length} がファイルの大きさと合いません`);
    const type = String.fromCharCode(...bytes.subarray(pos + 4, pos + 8));
    if (type === "eXIf") {
      const exif = readExif(bytes.subarray(pos + 8, pos + 8 + length));
      if (exif.gps) removed.add("gps");
      removed.add("exif");
      if (exif.orientation !== null && exif.orientation !== 1)
        parts.push(pngChunk("eXIf", orientationTiff(exif.orientation)));
    } else if (PNG_DROPPED.has(type)) {
      const xmp = hasPrefix(bytes.subarray(pos + 8, end), ascii("XML:com.adobe.xmp\0"));
      removed.add(xmp ? "xmp" : "text");
    } else parts.push(bytes.subarray(pos, end));
    pos = end;
    if (type === "IEND") {
      parts.push(bytes.subarray(pos));
      return { ok: true, bytes: concat(parts), removed: sorted(removed) };
    }
  }
  return malformed("終わりのチャンク（IEND）がありません");
}

// --- WebP ------------------------------------------------------------------------------------

const VP8X_EXIF = 0x08;
const VP8X_XMP = 0x04;

function stripWebp(bytes: Uint8Array): Stripped {
  const malformed = (what: string): Stripped => ({
    ok: false,
    problem: `WebPファイルの構造が壊れています（${what}）。`,
  });
  if (bytes.length < 12) return malformed("ヘッダーが短すぎます");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const riffEnd = 8 + view.getUint32(4, true);
  if (riffEnd > bytes.length) return malformed("RIFFの大きさがファイルの大きさと合いません");
  const chunks: Uint8Array[] = [];
  const removed = new Set<MetadataKind>();
  let pos = 12;
  while (pos < riffEnd) {
    if (pos + 8 > riffEnd) return malformed("チャンクの途中でファイルが終わっています");
    const size = view.getUint32(pos + 4, true);
    const end = pos + 8 + size + (size % 2);
    if (pos + 8 + size > riffEnd) return malformed(`チャンクの長さ ${size} がファイルの大きさと合いません`);
    const fourcc = String.fromCharCode(...bytes.subarray(pos, pos + 4));
    if (fourcc === "EXIF") {
      const data = bytes.subarray(pos + 8, pos + 8 + size);
      const tiff = hasPrefix(data, EXIF_HEADER) ? data.subarray(EXIF_HEADER.length) : data;
      if (readExif(tiff).gps) removed.add("gps");
      removed.add("exif");
    } else if (fourcc === "XMP ") removed.add("xmp");
    else chunks.push(bytes.slice(pos, Math.min(end, riffEnd)));
    pos = end;
  }
  const vp8x = chunks.find((c) => hasPrefix(c, ascii("VP8X")));
  if (vp8x && vp8x.length > 8) {
    const flags = vp8x[8] ?? 0;
    vp8x[8] = flags & ~(removed.has("exif") ? VP8X_EXIF : 0) & ~(removed.has("xmp") ? VP8X_XMP : 0);
  }
  const body = concat([ascii("WEBP"), ...chunks]);
  const header = new Uint8Array(8);
  header.set(ascii("RIFF"), 0);
  new DataView(header.buffer).setUint32(4, body.length, true);
  return { ok: true, bytes: concat([header, body, bytes.subarray(riffEnd)]), removed: sorted(removed) };
}

// --- GIF -------------------------------------------------------------------------------------

/** An application extension holding XMP: block size 11, "XMP Data" + "XMP". */
const GIF_XMP = Uint8Array.of(11, ...ascii("XMP DataXMP"));

function stripGif(bytes: Uint8Array): Stripped {
  const malformed = (what: string): Stripped => ({
    ok: false,
    problem: `GIFファイルの構造が壊れています（${what}）。`,
  });
  if (bytes.length < 13) return malformed("ヘッダーが短すぎます");
  const tableSize = (packed: number) => ((packed & 0x80) !== 0 ? 3 * 2 ** ((packed & 0x07) + 1) : 0);
  const removed = new Set<MetadataKind>();
  let pos = 13 + tableSize(bytes[10] ?? 0);
  const parts: Uint8Array[] = [bytes.subarray(0, pos)];
  /** The end of the sub-blocks starting at `at`, or null when they run past the file. */
  const subBlocksEnd = (at: number): number | null => {
    let p = at;
    while (p < bytes.length) {
      const size = bytes[p] ?? 0;
      if (size === 0) return p + 1;
      p += size + 1;
    }
    return null;
  };
  while (pos < bytes.length) {
    const introducer = bytes[pos];
    if (introducer === 0x3b) {
      parts.push(bytes.subarray(pos));
      return { ok: true, bytes: concat(parts), removed: sorted(removed) };
    }
    let end: number | null;
    if (introducer === 0x21) end = subBlocksEnd(pos + 2);
    else if (introducer === 0x2c) {
      const dataAt = pos + 10 + tableSize(bytes[pos + 9] ?? 0) + 1; // + LZW minimum code size
      end = dataAt <= bytes.length ? subBlocksEnd(dataAt) : null;
    } else return malformed(`${pos}バイト目のブロックが読めません`);
    if (end === null) return malformed("ブロックの途中でファイルが終わっています");
    if (introducer === 0x21 && bytes[pos + 1] === COM) removed.add("comment");
    else if (introducer === 0x21 && bytes[pos + 1] === 0xff && hasPrefix(bytes, GIF_XMP, pos + 2))
      removed.add("xmp");
    else parts.push(bytes.subarray(pos, end));
    pos = end;
  }
  return malformed("終わりのブロックがありません");
}
