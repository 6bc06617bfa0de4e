/**
 * Signed, expiring URLs of post images, for a platform that fetches the image itself (Instagram
 * takes an `image_url` and downloads it): `<SNSGOV_MEDIA_PUBLIC_URL>/media/s/<token>`, where the
 * token is `<image id>.<variant>.<expiry, unix seconds>.<key id>.<HMAC-SHA256>` and the variant is
 * `o` (the image as approved), `p` (its preview for LINE) or `j` (its JPEG for a platform taking
 * JPEG only); the HMAC covers the variant, so a URL of one cannot fetch another. The HMAC key is derived
 * (HKDF-SHA256) from the token encryption key of that id, which is kept outside the database
 * (`SNSGOV_TOKEN_KEY_FILE`): the web server that serves the image and the publisher that signs
 * the URL share that file already, and rotating it ends every URL signed before. A URL names
 * exactly one image (in one variant) and nothing else; it lasts one hour (Instagram fetches the image while the
 * container is made, within seconds).
 */
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { findDerivative } from "../../db/repos/image-derivatives.ts";
import { findImage, findPost } from "../../db/repos/posts.ts";
import type { AppContext } from "../context.ts";
import { loadTokenKeys, type TokenKeys } from "./token-keys.ts";

/** How long a signed URL works. */
export const MEDIA_URL_TTL_MS = 60 * 60_000;

const macKey = (key: Buffer) =>
  Buffer.from(hkdfSync("sha256", key, Buffer.alloc(0), "snsgov signed media url v1", 32));

/** Which bytes of an image a URL serves: as approved, LINE's preview, or a JPEG of it. */
export type MediaVariant = "original" | "preview" | "jpeg";

const variantCodes = { original: "o", preview: "p", jpeg: "j" } as const satisfies Record<
  MediaVariant,
  string
>;
const variantOf = (code: string): MediaVariant | null =>
  code === "o" ? "original" : code === "p" ? "preview" : code === "j" ? "jpeg" : null;

function mac(key: Buffer, imageId: number, variant: MediaVariant, expires: number): string {
  return createHmac("sha256", macKey(key))
    .update(`media:${imageId}:${variantCodes[variant]}:${expires}`)
    .digest("base64url");
}

/** The token for `variant` of image `imageId`, valid until `expiresAt`. */
export function signMediaToken(
  keys: TokenKeys,
  imageId: number,
  variant: MediaVariant,
  expiresAt: Date,
): string {
  const key = keys.keys.get(keys.currentId);
  if (!key) throw new Error(`the current token key ${keys.currentId} is missing`);
  const expires = Math.floor(expiresAt.getTime() / 1000);
  return `${imageId}.${variantCodes[variant]}.${expires}.${keys.currentId}.${mac(key, imageId, variant, expires)}`;
}

/** The public URL of `variant` of image `imageId` under `baseUrl`, valid for MEDIA_URL_TTL_MS from `now`. */
export function signedMediaUrl(
  keys: TokenKeys,
  baseUrl: string,
  imageId: number,
  variant: MediaVariant,
  now: Date,
): string {
  const expires = new Date(now.getTime() + MEDIA_URL_TTL_MS);
  return `${baseUrl}/media/s/${signMediaToken(keys, imageId, variant, expires)}`;
}

export type MediaTokenCheck =
  | { ok: true; imageId: number; variant: MediaVariant }
  | { ok: false; reason: "invalid" | "expired" };

/** Checks a token: its signature first (a forged or altered token is "invalid"), then its expiry. */
export function verifyMediaToken(keys: TokenKeys, token: string, now: Date): MediaTokenCheck {
  const match = /^(\d{1,15})\.([a-z])\.(\d{1,12})\.([A-Za-z0-9]{1,40})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return { ok: false, reason: "invalid" };
  const [, id = "", code = "", exp = "", keyId = "", given = ""] = match;
  const key = keys.keys.get(keyId);
  const variant = variantOf(code);
  if (!key || !variant) return { ok: false, reason: "invalid" };
  const imageId = Number(id);
  const expires = Number(exp);
  const expected = Buffer.from(mac(key, imageId, variant, expires));
  const actual = Buffer.from(given);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual))
    return { ok: false, reason: "invalid" };
  if (expires * 1000 <= now.getTime()) return { ok: false, reason: "expired" };
  return { ok: true, imageId, variant };
}

/**
 * The image (in the variant) a signed token names, for the public route: `gone` when the token
 * expired (410), `none` when it is not a valid token, or the image, its derivative or its post is
 * gone (404).
 */
export async function imageForToken(
  ctx: AppContext,
  token: string,
): Promise<{ kind: "image"; bytes: Uint8Array; contentType: string } | { kind: "gone" } | { kind: "none" }> {
  const keys = await loadTokenKeys(ctx.config.tokenKeyFile);
  const check = verifyMediaToken(keys, token, ctx.clock.now());
  if (!check.ok) return { kind: check.reason === "expired" ? "gone" : "none" };
  const image = await findImage(ctx.db, check.imageId);
  if (!image) return { kind: "none" };
  const post = await findPost(ctx.db, image.postId);
  if (!post || post.status === "deleted") return { kind: "none" };
  if (check.variant === "original")
    return { kind: "image", bytes: image.bytes, contentType: image.contentType };
  const derivative = await findDerivative(ctx.db, image.id, check.variant);
  if (!derivative) return { kind: "none" };
  return { kind: "image", bytes: derivative.bytes, contentType: derivative.contentType };
}
