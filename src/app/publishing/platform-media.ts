/**
 * The images of a post as a platform that fetches them by URL gets them (`limits.imagesByUrl`):
 * each at its signed, expiring URL, and, where the platform cannot take the approved image as it is
 * (`limits.fetchedImages`: LINE takes JPEG and PNG up to 10 MB with a preview of at most 1 MB;
 * Instagram JPEG only), a JPEG made of it instead (`jpeg`), and LINE's preview (`preview`). A
 * derivative is made once, when the post is first sent, and kept (`post_image_derivatives`), so a
 * retry sends the same bytes and the record names them (`media` on the outbox row's answer: which
 * image, which variant, its SHA-256). An image that cannot be converted stops the send with the
 * reason in Japanese (which image, and why).
 *
 * Making a derivative is not a change of the post (it is derived from the approved image, by a fixed
 * recipe): it has no audit entry of its own; the send that used it has.
 */
import { createHash } from "node:crypto";
import { findDerivative, type ImageDerivative, insertDerivative } from "../../db/repos/image-derivatives.ts";
import { platformLabel } from "../../guideline/pack.ts";
import { type Connector, type OutgoingImage, PlatformError } from "../../publishing/connector.ts";
import { makeJpegInChild } from "../../publishing/image-child.ts";
import { ImageConversionError, type JpegTarget } from "../../publishing/image-convert.ts";
import type { AppContext } from "../context.ts";
import { type MediaVariant, signedMediaUrl } from "./media-urls.ts";
import { loadTokenKeys } from "./token-keys.ts";

/** How each derivative is made (fixed, so the same image always gives the same derivative). */
export const DERIVATIVE_RECIPES = {
  /** LINE's preview: at most 1 MB; 1024 px on the longest side is sharp in a chat bubble. */
  preview: { maxSide: 1024, maxBytes: 1_000_000, quality: 85 },
  /** A JPEG for a platform taking JPEG only (Instagram keeps at most 1440 px wide, at most 8 MB). */
  jpeg: { maxSide: 2048, maxBytes: 8_000_000, quality: 90 },
} as const satisfies Record<Exclude<MediaVariant, "original">, JpegTarget>;

/** One image as it went out, for the record. */
export type SentMedia = {
  imageId: number;
  variant: MediaVariant;
  derivativeId: number | null;
  contentType: string;
  size: number;
  sha256: string;
  preview?: { variant: MediaVariant; derivativeId: number | null; size: number; sha256: string };
};

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** The derivative `variant` of an image: the one kept, or made now and kept. */
async function derivativeOf(
  ctx: AppContext,
  image: { imageId: number; bytes: Uint8Array; contentType: string },
  variant: Exclude<MediaVariant, "original">,
): Promise<ImageDerivative> {
  const kept = await findDerivative(ctx.db, image.imageId, variant);
  if (kept) return kept;
  const made = await makeJpegInChild(image, DERIVATIVE_RECIPES[variant]);
  return insertDerivative(ctx.db, {
    imageId: image.imageId,
    variant,
    contentType: "image/jpeg",
    bytes: made.bytes,
    size: made.bytes.length,
    width: made.width,
    height: made.height,
    quality: made.quality,
    sourceSha256: sha256(image.bytes),
    sha256: sha256(made.bytes),
    createdAt: ctx.clock.now(),
  });
}

/**
 * The images as `connector`'s platform gets them, and what went out (for the record). Unchanged
 * (and nothing recorded) for a platform that takes uploads, or when no public media URL is set (the
 * connector then refuses images with its own message).
 */
export async function imagesForPlatform(
  ctx: AppContext,
  connector: Connector,
  images: readonly OutgoingImage[],
): Promise<{ images: OutgoingImage[]; media: SentMedia[] }> {
  const base = ctx.config.platforms.mediaPublicUrl;
  if (!connector.limits.imagesByUrl || !base) return { images: [...images], media: [] };
  const keys = await loadTokenKeys(ctx.config.tokenKeyFile);
  const now = ctx.clock.now();
  const spec = connector.limits.fetchedImages;
  const out: OutgoingImage[] = [];
  const media: SentMedia[] = [];
  for (const [i, image] of images.entries()) {
    const imageId = image.imageId;
    if (imageId === undefined) {
      out.push(image);
      continue;
    }
    const url = (variant: MediaVariant) => signedMediaUrl(keys, base, imageId, variant, now);
    const derived = async (variant: Exclude<MediaVariant, "original">) => {
      try {
        return await derivativeOf(ctx, { ...image, imageId }, variant);
      } catch (error) {
        if (!(error instanceof ImageConversionError)) throw error;
        throw new PlatformError(
          "invalid",
          `${i + 1}枚目の画像（${image.filename}）を${platformLabel(connector.platform)}に送れる形にできませんでした。${error.message}`,
        );
      }
    };
    const fits = !spec || (spec.types.includes(image.contentType) && image.bytes.length <= spec.maxBytes);
    const main = fits ? null : await derived("jpeg");
    const sent: SentMedia = main
      ? {
          imageId,
          variant: "jpeg",
          derivativeId: main.id,
          contentType: main.contentType,
          size: main.size,
          sha256: main.sha256,
        }
      : {
          imageId,
          variant: "original",
          derivativeId: null,
          contentType: image.contentType,
          size: image.bytes.length,
          sha256: sha256(image.bytes),
        };
    let previewUrl: string | undefined;
    if (spec?.preview) {
      const ownPreview = sent.size > spec.preview.maxBytes;
      const preview = ownPreview ? await derived("preview") : null;
      previewUrl = preview ? url("preview") : url(sent.variant);
      sent.preview = preview
        ? { variant: "preview", derivativeId: preview.id, size: preview.size, sha256: preview.sha256 }
        : { variant: sent.variant, derivativeId: sent.derivativeId, size: sent.size, sha256: sent.sha256 };
    }
    media.push(sent);
    out.push({
      ...image,
      ...(main ? { bytes: main.bytes, contentType: main.contentType } : {}),
      publicUrl: url(sent.variant),
      ...(previewUrl ? { previewUrl } : {}),
    });
  }
  return { images: out, media };
}
