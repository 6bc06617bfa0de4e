/**
 * Which files may be attached to council meetings (6): PDF, Office documents and images up to
 * 10 MB. The type is decided from the file name's extension and confirmed by the file's first
 * bytes (its "magic number"), so a renamed executable or HTML page is refused; the content type
 * sent back when the file is downloaded is ours, never the uploader's. Pure.
 */

/** 10 MB. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

type Kind = {
  contentType: string;
  label: string;
  /** The first bytes the format starts with; null when the format has none to check (plain CSV/text). */
  magic: ReadonlyArray<ReadonlyArray<number | null>> | null;
};

const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const ZIP = [0x50, 0x4b, 0x03, 0x04]; // OOXML (docx, xlsx, pptx) are ZIP files
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]; // legacy Office (doc, xls, ppt)
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const GIF = [0x47, 0x49, 0x46, 0x38]; // GIF8
// RIFF....WEBP
const WEBP = [0x52, 0x49, 0x46, 0x46, null, null, null, null, 0x57, 0x45, 0x42, 0x50];

const kinds: Record<string, Kind> = {
  pdf: { contentType: "application/pdf", label: "PDF", magic: [PDF] },
  docx: {
    contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    label: "Word",
    magic: [ZIP],
  },
  xlsx: {
    contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    label: "Excel",
    magic: [ZIP],
  },
  pptx: {
    contentType: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    label: "PowerPoint",
    magic: [ZIP],
  },
  doc: { contentType: "application/msword", label: "Word", magic: [OLE] },
  xls: { contentType: "application/vnd.ms-excel", label: "Excel", magic: [OLE] },
  ppt: { contentType: "application/vnd.ms-powerpoint", label: "PowerPoint", magic: [OLE] },
  png: { contentType: "image/png", label: "画像（PNG）", magic: [PNG] },
  jpg: { contentType: "image/jpeg", label: "画像（JPEG）", magic: [JPEG] },
  jpeg: { contentType: "image/jpeg", label: "画像（JPEG）", magic: [JPEG] },
  gif: { contentType: "image/gif", label: "画像（GIF）", magic: [GIF] },
  webp: { contentType: "image/webp", label: "画像（WebP）", magic: [WEBP] },
};

/** Extensions accepted, for the form's hint and the file input's `accept`. */
export const attachmentExtensions = Object.keys(kinds);

function startsWith(bytes: Uint8Array, magic: ReadonlyArray<number | null>): boolean {
  if (bytes.length < magic.length) return false;
  return magic.every((b, i) => b === null || bytes[i] === b);
}

/** The extension of a file name, lower case, without the dot ("" when none). */
export function extensionOf(filename: string): string {
  const dot = filename.lastIndexOf(".");
  return dot < 0 ? "" : filename.slice(dot + 1).toLowerCase();
}

/** A name safe to store and to send back: no folders, no control characters, at most 200 characters. */
export function cleanFilename(filename: string): string {
  const base = filename.split(/[\\/]/).pop() ?? "";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const cleaned = base.replace(/[\u0000-\u001f\u007f"]/g, "").trim();
  return cleaned.slice(-200) || "file";
}

export type AttachmentCheck =
  | { ok: true; contentType: string; filename: string }
  | { ok: false; message: string };

/**
 * Decides whether a file may be attached: an accepted extension, at most 10 MB, not empty,
 * and its first bytes match the format its extension claims.
 */
export function checkAttachment(filename: string, bytes: Uint8Array): AttachmentCheck {
  const name = cleanFilename(filename);
  const kind = kinds[extensionOf(name)];
  if (!kind)
    return {
      ok: false,
      message: `添付できるのはPDF、Word・Excel・PowerPoint、画像（PNG・JPEG・GIF・WebP）のファイルです（「${name}」は添付できません）。`,
    };
  if (bytes.length === 0) return { ok: false, message: `「${name}」は空のファイルです。` };
  if (bytes.length > MAX_ATTACHMENT_BYTES)
    return { ok: false, message: `「${name}」は10MBを超えています。10MB以下のファイルを添付してください。` };
  if (kind.magic && !kind.magic.some((m) => startsWith(bytes, m)))
    return {
      ok: false,
      message: `「${name}」の中身が${kind.label}のファイルではありません。ファイルの種類と拡張子を確認してください。`,
    };
  return { ok: true, contentType: kind.contentType, filename: name };
}

/** `Content-Disposition` for a download: ASCII fallback plus the UTF-8 name (RFC 6266, 5987). */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
