/**
 * Real image files with the metadata a phone's photo carries, made in the test: a JPEG (MozJPEG)
 * with an Exif block (camera make, serial number, Orientation, a GPS IFD with a latitude), XMP with
 * a location, IPTC and a comment; a PNG (pngjs) with eXIf and tEXt/iTXt chunks; a WebP (libwebp)
 * in a VP8X container with EXIF and XMP chunks.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { crc32 } from "node:zlib";
import encodeJpeg from "@jsquash/jpeg/encode.js";
import encodeWebp, { init as initWebpEncoder } from "@jsquash/webp/encode.js";
import { PNG } from "pngjs";
import { encodeJpegPixels } from "./jpeg-codec.ts";

const ascii = (text: string) => Uint8Array.from(Buffer.from(text, "latin1"));
const utf8 = (text: string) => new Uint8Array(Buffer.from(text, "utf8"));
const concat = (parts: readonly Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

/** Text that must not survive: the serial number, the owner and the place. */
export const SECRETS = { serial: "SN-4417-0091", owner: "Taro Sample", place: "37.0505N140.8877E" };

/** An XMP packet naming a place (the Photoshop/IPTC fields phones and editors write). */
export const XMP_PACKET = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description exif:GPSLatitude="${SECRETS.place}" photoshop:City="Iwaki"/></rdf:RDF></x:xmpmeta>`;

/** Pixels with a pattern (so that a change of the image data would show). */
export function pattern(width: number, height: number) {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const at = (y * width + x) * 4;
      data.set([(x * 16) % 256, (y * 32) % 256, x < width / 2 ? 200 : 40, 255], at);
    }
  return { data, width, height };
}

/**
 * A little-endian TIFF (Exif) block: IFD0 with Make, Orientation, BodySerialNumber-like Artist
 * (owner) and a GPS IFD with GPSLatitudeRef and GPSLatitude.
 */
export function exifTiff(orientation: number): Uint8Array {
  const buf = Buffer.alloc(200);
  buf.write("II", 0, "latin1");
  buf.writeUInt16LE(42, 2);
  buf.writeUInt32LE(8, 4);
  const entries: [number, number, number, number][] = [
    [0x010f, 2, SECRETS.serial.length + 1, 120], // Make → the serial text at 120
    [0x0112, 3, 1, orientation],
    [0x013b, 2, SECRETS.owner.length + 1, 140], // Artist (owner name)
    [0x8825, 4, 1, 70], // GPS IFD at 70
  ];
  buf.writeUInt16LE(entries.length, 8);
  entries.forEach(([tag, type, count, value], i) => {
    const at = 10 + i * 12;
    buf.writeUInt16LE(tag, at);
    buf.writeUInt16LE(type, at + 2);
    buf.writeUInt32LE(count, at + 4);
    if (type === 3) buf.writeUInt16LE(value, at + 8);
    else buf.writeUInt32LE(value, at + 8);
  });
  buf.writeUInt32LE(0, 10 + entries.length * 12);
  // GPS IFD: GPSLatitudeRef "N", GPSLatitude 37/1 3/1 2/1 (rationals at 160).
  buf.writeUInt16LE(2, 70);
  buf.writeUInt16LE(0x0001, 72);
  buf.writeUInt16LE(2, 74);
  buf.writeUInt32LE(2, 76);
  buf.write("N\0", 80, "latin1");
  buf.writeUInt16LE(0x0002, 84);
  buf.writeUInt16LE(5, 86);
  buf.writeUInt32LE(3, 88);
  buf.writeUInt32LE(160, 92);
  buf.writeUInt32LE(0, 96);
  buf.write(`${SECRETS.serial}\0`, 120, "latin1");
  buf.write(`${SECRETS.owner}\0`, 140, "latin1");
  [37, 1, 3, 1, 2, 1].forEach((n, i) => {
    buf.writeUInt32LE(n, 160 + i * 4);
  });
  return new Uint8Array(buf);
}

function segment(marker: number, payload: Uint8Array): Uint8Array {
  const head = Buffer.alloc(4);
  head.writeUInt8(0xff, 0);
  head.writeUInt8(marker, 1);
  head.writeUInt16BE(payload.length + 2, 2);
  return concat([head, payload]);
}

/**
 * A JPEG of `pattern(w, h)` as MozJPEG writes it (JFIF APP0 first), with Exif (Orientation 6, GPS),
 * XMP, IPTC (APP13) and a comment put after the APP0, as a phone and an editor would leave them;
 * `progressive` for a progressive JPEG (tables and scans interleaved).
 */
export async function phoneJpeg(width = 32, height = 16, orientation = 6, progressive = false) {
  const baseline = await encodeJpegPixels(pattern(width, height), 90); // also readies the encoder
  const plain = progressive
    ? new Uint8Array(
        await encodeJpeg({ ...pattern(width, height), colorSpace: "srgb" }, { quality: 90, progressive }),
      )
    : baseline;
  const app0End = 4 + ((plain[4] ?? 0) << 8) + (plain[5] ?? 0);
  const metadata = [
    segment(0xe1, concat([ascii("Exif\0\0"), exifTiff(orientation)])),
    segment(0xe1, concat([ascii("http://ns.adobe.com/xap/1.0/\0"), utf8(XMP_PACKET)])),
    segment(0xed, concat([ascii("Photoshop 3.0\0"), ascii(`8BIM\x04\x04\0\0\0\0\0\x14${SECRETS.owner}`)])),
    segment(0xfe, ascii(`owner ${SECRETS.owner}`)),
  ];
  return { plain, bytes: concat([plain.subarray(0, app0End), ...metadata, plain.subarray(app0End)]) };
}

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(concat([ascii(type), data])), 0);
  return concat([head, data, crc]);
}

/** A phone's trailer after EOI: a second picture with its own Exif (GPS) and vendor data. */
export function withTrailer(jpeg: Uint8Array): Uint8Array {
  const second = segment(0xe1, concat([ascii("Exif\0\0"), exifTiff(1)]));
  return concat([jpeg, Uint8Array.of(0xff, 0xd8), second, ascii(`SEFH ${SECRETS.owner}`)]);
}

/**
 * A PNG of `pattern(w, h)` (pngjs) with eXIf (GPS, the orientation given), tEXt (a comment) and
 * iTXt (XMP) before IDAT.
 */
export function phonePng(width = 8, height = 8, orientation = 1) {
  const image = new PNG({ width, height });
  image.data = Buffer.from(pattern(width, height).data);
  const plain = new Uint8Array(PNG.sync.write(image));
  const ihdrEnd = 8 + 25;
  const metadata = [
    pngChunk("eXIf", exifTiff(orientation)),
    pngChunk("tEXt", ascii(`Comment\0${SECRETS.owner}`)),
    pngChunk("iTXt", concat([ascii("XML:com.adobe.xmp\0\0\0\0\0"), utf8(XMP_PACKET)])),
  ];
  return { plain, bytes: concat([plain.subarray(0, ihdrEnd), ...metadata, plain.subarray(ihdrEnd)]) };
}

function riffChunk(fourcc: string, data: Uint8Array): Uint8Array {
  const head = Buffer.alloc(8);
  head.write(fourcc, 0, "latin1");
  head.writeUInt32LE(data.length, 4);
  return concat([head, data, data.length % 2 === 1 ? new Uint8Array(1) : new Uint8Array(0)]);
}

let webpReady: Promise<void> | undefined;

/** A lossy WebP of `pattern(w, h)` (libwebp) in a VP8X container with EXIF (GPS) and XMP chunks. */
export async function phoneWebp(width = 16, height = 8) {
  webpReady ??= readFile(
    createRequire(import.meta.url).resolve("@jsquash/webp/codec/enc/webp_enc_simd.wasm"),
  ).then(async (file) => {
    await initWebpEncoder({
      wasmBinary: file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength),
    });
  });
  await webpReady;
  const plain = new Uint8Array(
    await encodeWebp({ ...pattern(width, height), colorSpace: "srgb" }, { quality: 90 }),
  );
  const image = plain.subarray(12); // the VP8 chunk
  const vp8x = Buffer.alloc(10);
  vp8x.writeUInt8(0x08 | 0x04, 0); // EXIF and XMP present
  vp8x.writeUIntLE(width - 1, 4, 3);
  vp8x.writeUIntLE(height - 1, 7, 3);
  const body = concat([
    ascii("WEBP"),
    riffChunk("VP8X", new Uint8Array(vp8x)),
    image,
    riffChunk("EXIF", exifTiff(1)),
    riffChunk("XMP ", utf8(XMP_PACKET)),
  ]);
  const head = Buffer.alloc(8);
  head.write("RIFF", 0, "latin1");
  head.writeUInt32LE(body.length, 4);
  return { plain, image, bytes: concat([head, body]) };
}

/** Whether `text` appears anywhere in the bytes (latin1 or UTF-8). */
export function contains(bytes: Uint8Array, text: string): boolean {
  const hay = Buffer.from(bytes);
  return hay.includes(Buffer.from(text, "latin1")) || hay.includes(Buffer.from(text, "utf8"));
}
