/**
 * Images of a post: JPEG, PNG, GIF or WebP (told by their first bytes, not by the name), at most
 * the pack's size and count, each with alt text (accessibility) and a rights confirmation — own
 * photo, consent obtained, or licensed, with a note (5.1.3, 5.2.3). Adding or removing an image
 * changes the post: a new version, re-checked, and an approved post goes back for approval (5.1.4).
 * Privacy-relevant metadata (GPS location, camera serial, XMP, IPTC, comments) is removed
 * losslessly before the file is stored (5.2.2.1; `src/domain/image-metadata.ts`); what was removed
 * is kept with the image and in the audit entry, with the SHA-256 of the stored bytes.
 */

import { createHash } from "node:crypto";
import type { Db } from "../../db/client.ts";
import type { AccountView } from "../../db/repos/accounts.ts";
import {
  deleteImage,
  findImage,
  insertImage,
  insertVersion,
  listImages,
  lockPost,
  type Post,
  type PostImageInfo,
  updatePost,
} from "../../db/repos/posts.ts";
import { stripImageMetadata } from "../../domain/image-metadata.ts";
import { nextPostStatus, postStatusLabels } from "../../domain/posts.ts";
import { conflict, notFound, validation } from "../../errors.ts";
import { guidelinePack } from "../../guideline/pack.ts";
import { change } from "../audit/record.ts";
import { type Actor, type AppContext, actorId } from "../context.ts";
import { parse } from "../validate.ts";
import { getPost } from "./access.ts";
import { checkPost, findingCounts, findingSummary } from "./checking.ts";
import { imageRecord } from "./draft.ts";
import { imageInput } from "./input.ts";
import { assertUnchanged, postFor } from "./posting.ts";

/** The image types accepted, by their signature. */
export type ImageType = "image/jpeg" | "image/png" | "image/gif" | "image/webp";

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0) =>
  bytes.length >= offset + signature.length && signature.every((b, i) => bytes[offset + i] === b);

/** The image type from the file's first bytes (magic numbers), or null when it is none of them. */
export function sniffImageType(bytes: Uint8Array): ImageType | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (
    startsWith(bytes, [0x47, 0x49, 0x46, 0x38, 0x37, 0x61]) ||
    startsWith(bytes, [0x47, 0x49, 0x46, 0x38, 0x39, 0x61])
  )
    return "image/gif";
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8))
    return "image/webp";
  return null;
}

/** A safe file name to keep (no path, no control characters, at most 200 characters). */
function cleanName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const printable = [...base].filter((ch) => (ch.codePointAt(0) ?? 0) >= 0x20 && ch !== "\u007f").join("");
  return printable.trim().slice(0, 200) || "image";
}

/** Applies an image change to the post inside the transaction: new version, re-check, status. */
async function saveImageChange(
  tx: Db,
  props: { post: Post; account: AccountView; actor: Actor; at: Date },
): Promise<{ post: Post; images: PostImageInfo[]; findings: ReturnType<typeof findingSummary> }> {
  const { post, account, at } = props;
  const status = nextPostStatus(post.status, "edit");
  if (!status) throw conflict(`「${postStatusLabels[post.status]}」の投稿の画像は変更できません。`);
  const images = await listImages(tx, post.id);
  const result = await checkPost(account, { ...post, imageCount: images.length }, at);
  const version = post.version + 1;
  const reapproval = post.status === "approved";
  const updated = await updatePost(
    tx,
    post.id,
    {
      status,
      version,
      findings: result.findings,
      ...findingCounts(result.findings),
      ...(reapproval
        ? { approvedAt: null, approvedBy: null, approvalRule: null, approvedVersion: null, submittedAt: at }
        : {}),
    },
    at,
  );
  await insertVersion(tx, {
    postId: post.id,
    version,
    text: post.text,
    findings: result.findings,
    images: images.map(imageRecord),
    audience: post.audience,
    authorId: actorId(props.actor),
    at,
  });
  return { post: updated, images, findings: findingSummary(result.findings) };
}

/**
 * Adds an image to a post.
 * @param props.version the version the operator saw
 * @param props.file the uploaded file (type told by its bytes)
 * @param props.input `alt` (required), `rights` (own | consent | licensed), `rightsNote`
 *   (required unless own)
 */
export async function addImage(
  ctx: AppContext,
  props: {
    actor: Actor;
    id: number;
    version: number;
    file: { name: string; bytes: Uint8Array } | null;
    input: unknown;
  },
): Promise<{ post: Post; image: PostImageInfo }> {
  const { account } = await postFor(ctx, props.actor, props.id, "post.draft");
  const pack = guidelinePack().posts;
  const info = parse(imageInput, props.input);
  const file = props.file;
  if (!file || file.bytes.length === 0) {
    throw validation("画像ファイルを選んでください。", [
      { field: "file", message: "画像ファイルを選んでください。" },
    ]);
  }
  const mb = Math.floor(pack.maxImageBytes / (1024 * 1024));
  if (file.bytes.length > pack.maxImageBytes) {
    const message = `画像は1枚${mb}MBまでです。縮小してから追加してください。`;
    throw validation(message, [{ field: "file", message }]);
  }
  const type = sniffImageType(file.bytes);
  if (!type) {
    const message = "JPEG・PNG・GIF・WebP形式の画像を選んでください（ファイルの中身で判定しています）。";
    throw validation(message, [{ field: "file", message }]);
  }
  // Location, camera serial, owner name, XMP/IPTC and comments go before the file is stored and
  // hashed; the image data itself is kept byte for byte (5.2.2.1, 5.1.3).
  const stripped = stripImageMetadata(type, file.bytes);
  if (!stripped.ok) {
    const message = `${stripped.problem}別のファイルを選ぶか、画像を保存し直してから追加してください。`;
    throw validation(message, [{ field: "file", message }]);
  }
  const bytes = stripped.bytes;
  return change(ctx, props.actor, "post.image_add", async (tx, at) => {
    const post = await lockPost(tx, props.id);
    if (!post) throw notFound("投稿");
    assertUnchanged(post, { version: props.version });
    const existing = await listImages(tx, post.id);
    if (existing.length >= pack.maxImages) {
      throw conflict(`画像は1つの投稿に${pack.maxImages}枚までです。`);
    }
    const image = await insertImage(tx, {
      postId: post.id,
      position: (existing.at(-1)?.position ?? -1) + 1,
      filename: cleanName(file.name),
      contentType: type,
      bytes,
      size: bytes.length,
      metadataRemoved: stripped.removed,
      alt: info.alt,
      rights: info.rights,
      rightsNote: info.rightsNote,
      createdAt: at,
    });
    const saved = await saveImageChange(tx, { post, account, actor: props.actor, at });
    return {
      result: { post: saved.post, image },
      target: { type: "post", id: post.id },
      summary: {
        version: saved.post.version,
        imageId: image.id,
        filename: image.filename,
        contentType: type,
        size: image.size,
        sha256: createHash("sha256").update(bytes).digest("hex"),
        metadataRemoved: stripped.removed,
        alt: image.alt,
        rights: image.rights,
        rightsNote: image.rightsNote,
        status: { before: post.status, after: saved.post.status },
        findings: saved.findings,
      },
    };
  });
}

/** Removes an image from a post (a new version; the earlier versions still list it). */
export async function removeImage(
  ctx: AppContext,
  props: { actor: Actor; id: number; imageId: number; version: number },
): Promise<Post> {
  const { account } = await postFor(ctx, props.actor, props.id, "post.draft");
  return change(ctx, props.actor, "post.image_remove", async (tx, at) => {
    const post = await lockPost(tx, props.id);
    if (!post) throw notFound("投稿");
    assertUnchanged(post, { version: props.version });
    const image = (await listImages(tx, post.id)).find((i) => i.id === props.imageId);
    if (!image) throw notFound("画像");
    if (!nextPostStatus(post.status, "edit"))
      throw conflict(`「${postStatusLabels[post.status]}」の投稿の画像は変更できません。`);
    await deleteImage(tx, image.id);
    const saved = await saveImageChange(tx, { post, account, actor: props.actor, at });
    return {
      result: saved.post,
      target: { type: "post", id: post.id },
      summary: {
        version: saved.post.version,
        imageId: image.id,
        filename: image.filename,
        alt: image.alt,
        status: { before: post.status, after: saved.post.status },
        findings: saved.findings,
      },
    };
  });
}

/** An image's bytes, for those who may see its post. */
export async function imageOf(
  ctx: AppContext,
  props: { actor: Actor; postId: number; imageId: number },
): Promise<{ contentType: string; bytes: Uint8Array; filename: string }> {
  await getPost(ctx, { actor: props.actor, id: props.postId });
  const image = await findImage(ctx.db, props.imageId);
  if (!image || image.postId !== props.postId) throw notFound("画像");
  return { contentType: image.contentType, bytes: image.bytes, filename: image.filename };
}
