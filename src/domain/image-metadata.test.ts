/**
 * Metadata removal on real files made in the test: the location, serial number, owner, XMP and
 * comments go; the pixels stay the same (decoded before and after), a rotated JPEG keeps its
 * Orientation; a broken structure is refused.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { crc32 } from "node:zlib";
import { PNG } from "pngjs";
import { contains, phoneJpeg, phonePng, phoneWebp, SECRETS, withTrailer } from "../../test/support/images.ts";
import { decodeJpegPixels, decodeWebpPixels } from "../../test/support/jpeg-codec.ts";
import { metadataNote, readExif, stripImageMetadata } from "./image-metadata.ts";

const ok = (result: ReturnType<typeof stripImageMetadata>) => {
  assert.ok(result.ok, result.ok ? "" : result.problem);
  return result;
};

const noSecrets = (bytes: Uint8Array) => {
  for (const secret of [
    SECRETS.serial,
    SECRETS.owner,
    SECRETS.place,
    "http://ns.adobe.com/xap",
    "Photoshop 3.0",
  ])
    assert.equal(contains(bytes, secret), false, `${secret} is gone`);
};

/** The Exif APP1 payload's TIFF block of a JPEG, or null. */
function jpegExif(bytes: Uint8Array): Uint8Array | null {
  let pos = 2;
  while (pos + 4 <= bytes.length && bytes[pos] === 0xff && bytes[pos + 1] !== 0xda) {
    const length = ((bytes[pos + 2] ?? 0) << 8) | (bytes[pos + 3] ?? 0);
    const payload = bytes.subarray(pos + 4, pos + 2 + length);
    if (bytes[pos + 1] === 0xe1 && Buffer.from(payload.subarray(0, 6)).toString("latin1") === "Exif\0\0")
      return payload.subarray(6);
    pos += 2 + length;
  }
  return null;
}

test("a phone's JPEG loses its GPS, serial, owner, XMP, IPTC and comment; keeps Orientation 6 and its pixels", async () => {
  const { plain, bytes } = await phoneJpeg();
  assert.equal(readExif(jpegExif(bytes) ?? new Uint8Array()).gps, true, "the fixture has a GPS IFD");
  const result = ok(stripImageMetadata("image/jpeg", bytes));
  assert.deepEqual(result.removed, ["gps", "exif", "xmp", "iptc", "comment"]);
  noSecrets(result.bytes);
  const exif = jpegExif(result.bytes);
  assert.ok(exif, "a minimal Exif is kept");
  assert.deepEqual(readExif(exif), { orientation: 6, gps: false });
  assert.ok(result.bytes.length < plain.length + 60, "only the minimal Exif is added to the plain file");
  const scanAt = (b: Uint8Array) => Buffer.from(b).indexOf(Buffer.from([0xff, 0xda]));
  assert.deepEqual(
    result.bytes.subarray(scanAt(result.bytes)),
    bytes.subarray(scanAt(bytes)),
    "the entropy-coded data is the same, byte for byte",
  );
  const before = await decodeJpegPixels(bytes);
  const after = await decodeJpegPixels(result.bytes);
  assert.equal(after.width, 16, "still turned by Orientation 6 (32×16 shows as 16×32)");
  assert.deepEqual(after, before);
});

test("a progressive JPEG with a trailer after EOI (a second picture with GPS, vendor data) keeps only the picture", async () => {
  const { bytes } = await phoneJpeg(48, 24, 6, true);
  assert.ok(Buffer.from(bytes).includes(Buffer.from([0xff, 0xc2])), "the fixture is progressive (SOF2)");
  const trailed = withTrailer(bytes);
  const result = ok(stripImageMetadata("image/jpeg", trailed));
  assert.deepEqual(result.removed, ["gps", "exif", "xmp", "iptc", "comment", "trailer"]);
  noSecrets(result.bytes);
  assert.equal(contains(result.bytes, "SEFH"), false);
  assert.deepEqual(result.bytes.subarray(-2), Uint8Array.of(0xff, 0xd9), "ends with the picture's EOI");
  assert.deepEqual(ok(stripImageMetadata("image/jpeg", bytes)).bytes, result.bytes, "as without the trailer");
  assert.deepEqual(await decodeJpegPixels(result.bytes), await decodeJpegPixels(bytes));
});

test("a JPEG with Orientation 1 keeps no Exif at all; a JPEG without metadata is unchanged", async () => {
  const { plain, bytes } = await phoneJpeg(16, 16, 1);
  const result = ok(stripImageMetadata("image/jpeg", bytes));
  assert.equal(jpegExif(result.bytes), null);
  assert.deepEqual(result.bytes, plain, "the file is the encoder's own again");
  const untouched = ok(stripImageMetadata("image/jpeg", plain));
  assert.deepEqual(untouched.removed, []);
  assert.deepEqual(untouched.bytes, plain);
});

test("a JPEG whose segment length runs past the file, or that has no image data, is refused in Japanese", async () => {
  const { bytes } = await phoneJpeg();
  const broken = new Uint8Array(bytes);
  broken[4] = 0xff; // APP0's length becomes 65 000+
  const refused = stripImageMetadata("image/jpeg", broken);
  assert.equal(refused.ok, false);
  assert.match(refused.ok ? "" : refused.problem, /JPEGファイルの構造が壊れています（セグメントの長さ/);
  const truncated = stripImageMetadata("image/jpeg", bytes.subarray(0, 300));
  assert.equal(truncated.ok, false);
  const tooShort = stripImageMetadata("image/jpeg", new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00]));
  assert.equal(tooShort.ok, false);
});

test("a PNG loses eXIf, tEXt and iTXt (XMP); its other chunks and pixels are the same", () => {
  const { plain, bytes } = phonePng();
  const result = ok(stripImageMetadata("image/png", bytes));
  assert.deepEqual(result.removed, ["gps", "exif", "xmp", "text"]);
  assert.deepEqual(result.bytes, plain, "exactly the file without those chunks (CRCs as written)");
  noSecrets(result.bytes);
  assert.deepEqual(PNG.sync.read(Buffer.from(result.bytes)).data, PNG.sync.read(Buffer.from(bytes)).data);
  const broken = new Uint8Array(bytes);
  broken[33] = 0x7f; // the eXIf chunk's length
  assert.equal(stripImageMetadata("image/png", broken).ok, false);
});

test("a rotated PNG keeps an eXIf with only its Orientation (valid CRC)", () => {
  const { plain, bytes } = phonePng(8, 4, 6);
  const result = ok(stripImageMetadata("image/png", bytes));
  noSecrets(result.bytes);
  const at = Buffer.from(result.bytes).indexOf(Buffer.from("eXIf", "latin1"));
  assert.ok(at > 0, "an eXIf chunk is kept");
  const length = Buffer.from(result.bytes).readUInt32BE(at - 4);
  assert.deepEqual(readExif(result.bytes.subarray(at + 4, at + 4 + length)), { orientation: 6, gps: false });
  assert.equal(result.bytes.length, plain.length + 12 + length, "the plain file and that one chunk");
  const crc = Buffer.from(result.bytes).readUInt32BE(at + 4 + length);
  assert.equal(crc, crc32(result.bytes.subarray(at, at + 4 + length)), "the chunk's CRC");
  assert.deepEqual(PNG.sync.read(Buffer.from(result.bytes)).data, PNG.sync.read(Buffer.from(plain)).data);
});

test("a WebP loses its EXIF and XMP chunks; the VP8X flags and RIFF size follow; the pixels are the same", async () => {
  const { image, bytes } = await phoneWebp();
  const result = ok(stripImageMetadata("image/webp", bytes));
  assert.deepEqual(result.removed, ["gps", "exif", "xmp"]);
  noSecrets(result.bytes);
  const view = Buffer.from(result.bytes);
  assert.equal(view.readUInt32LE(4), result.bytes.length - 8, "RIFF size");
  assert.equal(view.toString("latin1", 12, 16), "VP8X");
  assert.equal((view[20] ?? 0) & 0x0c, 0, "EXIF and XMP flags cleared");
  assert.ok(view.includes(Buffer.from(image)), "the VP8 chunk is the same");
  assert.deepEqual(await decodeWebpPixels(result.bytes), await decodeWebpPixels(bytes));
});

test("a GIF loses its comment and XMP extensions", () => {
  const gif = Buffer.concat([
    Buffer.from("GIF89a", "latin1"),
    Buffer.from([1, 0, 1, 0, 0x80, 0, 0]), // 1×1, global table of 2 colours
    Buffer.from([0, 0, 0, 255, 255, 255]),
    Buffer.from([0x21, 0xfe, 5, ...Buffer.from("owner", "latin1"), 0]), // comment
    Buffer.from([
      0x21,
      0xff,
      11,
      ...Buffer.from("XMP DataXMP", "latin1"),
      4,
      ...Buffer.from("<x:>", "latin1"),
      0,
    ]),
    Buffer.from([0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x4c, 0x01, 0]), // image
    Buffer.from([0x3b]),
  ]);
  const result = ok(stripImageMetadata("image/gif", new Uint8Array(gif)));
  assert.deepEqual(result.removed, ["xmp", "comment"]);
  assert.equal(contains(result.bytes, "owner"), false);
  assert.equal(contains(result.bytes, "XMP Data"), false);
  assert.equal(result.bytes.length, gif.length - 9 - 20);
  assert.equal(stripImageMetadata("image/gif", new Uint8Array(gif.subarray(0, 30))).ok, false);
});

test("the note says the location was removed only when it was", () => {
  assert.equal(metadataNote([]), null);
  assert.match(metadataNote(["gps", "exif"]) ?? "", /位置情報を含む/);
  assert.doesNotMatch(metadataNote(["comment"]) ?? "", /位置情報/);
});
