/**
 * Screenshots and files of an incident: PNG, JPEG or PDF (told by their first bytes, not by the
 * name or the declared type), at most 5 MB each, added by anyone who may add notes, and read
 * back by anyone who may see the incident.
 */
import { findAttachment, insertAttachment } from "../../db/repos/incidents.ts";
import { cleanFilename, sniffAttachmentType } from "../../domain/incidents.ts";
import { notFound } from "../../errors.ts";
import { type Actor, type AppContext, actorId } from "../context.ts";
import { parse } from "../validate.ts";
import { incidentFor, visibleIncident } from "./access.ts";
import { attachmentMeta } from "./input.ts";
import { addEvent, changeIncident } from "./record.ts";
import { assertAttachable, type UploadedFile } from "./report.ts";

/**
 * Attaches a file to the incident.
 * @param props.file the uploaded file (its type is told by its bytes)
 * @param props.input `{ description? }`
 * @returns the attachment's id
 */
export async function addAttachment(
  ctx: AppContext,
  props: { actor: Actor; incidentId: number; file: UploadedFile; input: unknown },
): Promise<number> {
  const { actor } = props;
  const { incident } = await incidentFor(ctx, actor, props.incidentId, "incident.note");
  const input = parse(attachmentMeta, props.input);
  assertAttachable([props.file]);
  const contentType = sniffAttachmentType(props.file.bytes);
  if (!contentType) throw new Error("unreachable: checked above");
  const filename = cleanFilename(props.file.filename, "attachment");
  return changeIncident(
    ctx,
    actor,
    "incident.attach",
    incident.id,
    async (tx, at, locked) => {
      const row = await insertAttachment(tx, {
        incidentId: locked.id,
        filename,
        contentType,
        bytes: props.file.bytes,
        size: props.file.bytes.length,
        description: input.description,
        uploadedBy: actorId(actor),
        createdAt: at,
      });
      await addEvent(tx, {
        incidentId: locked.id,
        kind: "attachment_added",
        note: input.description ? `${filename}（${input.description}）` : filename,
        data: { attachmentId: row.id },
        actor,
        at,
      });
      return {
        result: row.id,
        summary: { attachmentId: row.id, filename, contentType, size: props.file.bytes.length },
      };
    },
    { allowClosed: true },
  );
}

/** A file of the incident with its bytes, for download. */
export async function attachmentFile(
  ctx: AppContext,
  props: { actor: Actor; incidentId: number; attachmentId: number },
): Promise<{ filename: string; contentType: string; bytes: Uint8Array }> {
  const { incident } = await visibleIncident(ctx, props.actor, props.incidentId);
  const row = await findAttachment(ctx.db, incident.id, props.attachmentId);
  if (!row) throw notFound("添付ファイル");
  return { filename: row.filename, contentType: row.contentType, bytes: row.bytes };
}
