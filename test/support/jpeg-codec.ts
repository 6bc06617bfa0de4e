/**
 * JPEG decoding and encoding with MozJPEG, and WebP decoding with libwebp, compiled to WebAssembly
 * (`@jsquash/jpeg`, `@jsquash/webp`; the `.wasm` files ship inside the npm packages and are read
 * from them, nothing is fetched), for the tests: they make the images a test sends and read back the
 * pixels of what the server made (libvips, `sharp`), with a decoder of its own. Each codec is
 * instantiated once per thread, on first use.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import decodeJpeg, { init as initDecoder } from "@jsquash/jpeg/decode.js";
import encodeJpeg, { init as initEncoder } from "@jsquash/jpeg/encode.js";
import decodeWebp, { init as initWebpDecoder } from "@jsquash/webp/decode.js";

const require = createRequire(import.meta.url);

async function wasmBinary(path: string): Promise<ArrayBuffer> {
  const bytes = await readFile(require.resolve(path));
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
}

let decoderReady: Promise<void> | undefined;
let encoderReady: Promise<void> | undefined;
let webpReady: Promise<void> | undefined;

/** The bytes as an ArrayBuffer of their own, without a copy when they are one already. */
function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  const whole =
    bytes.buffer instanceof ArrayBuffer &&
    bytes.byteOffset === 0 &&
    bytes.byteLength === bytes.buffer.byteLength;
  return whole && bytes.buffer instanceof ArrayBuffer ? bytes.buffer : new Uint8Array(bytes).buffer;
}

/** RGBA pixels. */
export type Pixels<B extends ArrayBufferLike = ArrayBufferLike> = {
  data: Uint8ClampedArray<B>;
  width: number;
  height: number;
};

/** Decodes a JPEG to RGBA, turned as its EXIF orientation says. */
export async function decodeJpegPixels(bytes: Uint8Array): Promise<Pixels> {
  decoderReady ??= wasmBinary("@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm").then((binary) =>
    initDecoder({ wasmBinary: binary }),
  );
  await decoderReady;
  // The decoder copies the file into its own memory: hand it the bytes without another copy.
  const image = await decodeJpeg(ownBuffer(bytes), { preserveOrientation: true });
  return { data: image.data, width: image.width, height: image.height };
}

/** Decodes a WebP (a still image; an animated one is refused by the decoder) to RGBA. */
export async function decodeWebpPixels(bytes: Uint8Array): Promise<Pixels> {
  webpReady ??= wasmBinary("@jsquash/webp/codec/dec/webp_dec.wasm").then((binary) =>
    initWebpDecoder({ wasmBinary: binary }),
  );
  await webpReady;
  const image = await decodeWebp(ownBuffer(bytes));
  return { data: image.data, width: image.width, height: image.height };
}

/** Encodes RGBA pixels as a baseline JPEG of `quality` (0–100). */
export async function encodeJpegPixels(pixels: Pixels<ArrayBuffer>, quality: number): Promise<Uint8Array> {
  encoderReady ??= wasmBinary("@jsquash/jpeg/codec/enc/mozjpeg_enc.wasm").then((binary) =>
    initEncoder({ wasmBinary: binary }),
  );
  await encoderReady;
  const encoded = await encodeJpeg(
    { data: pixels.data, width: pixels.width, height: pixels.height, colorSpace: "srgb" },
    { quality, progressive: false, baseline: true },
  );
  return new Uint8Array(encoded);
}
