/**
 * Council meetings (6): date, title, agenda and minutes, with attachments (PDF, Office documents
 * and images up to 10 MB, checked by their first bytes). Everyone reads them; the policy director
 * (who owns the guideline) and the council's members record them; the members are notified of a
 * newly recorded meeting.
 */
import { z } from "zod";
import * as repo from "../../db/repos/council.ts";
import { checkAttachment } from "../../domain/attachments.ts";
import { councilRoster } from "../../domain/council.ts";
import type { Target } from "../../domain/policy.ts";
import { notFound, validation } from "../../errors.ts";
import { change } from "../audit/record.ts";
import { allowed, authorize } from "../authorize.ts";
import { type Actor, type AppContext, actorId } from "../context.ts";
import { notify } from "../notifications/notify.ts";
import { optionalText, parse, plainDate, text } from "../validate.ts";

/** The policy target of recording: whether the person is a designated member (6.2). */
async function recordTarget(ctx: AppContext, actor: Actor): Promise<Target> {
  return {
    councilMemberOf: actor.kind === "staff" && (await repo.isDesignatedMember(ctx.db, actor.staffId)),
  };
}

/** Whether the actor may record meetings (for showing the forms). */
export async function mayRecordMeetings(ctx: AppContext, actor: Actor): Promise<boolean> {
  return allowed(actor, "council.record", await recordTarget(ctx, actor));
}

export const meetingInput = z.object({
  heldOn: plainDate("開催日"),
  title: text("会議の名称", 200),
  agenda: optionalText("議題", 5000),
  minutes: optionalText("議事録", 50_000),
});

export async function listMeetings(ctx: AppContext, props: { actor: Actor }) {
  await authorize(ctx, props.actor, "council.read");
  return repo.listMeetings(ctx.db);
}

/** One meeting with its attachments (without their bytes). */
export async function getMeeting(ctx: AppContext, props: { actor: Actor; id: number }) {
  await authorize(ctx, props.actor, "council.read");
  const meeting = await repo.findMeeting(ctx.db, props.id);
  if (!meeting) throw notFound("協議会の会議");
  return { meeting, attachments: await repo.listAttachments(ctx.db, meeting.id) };
}

export async function createMeeting(ctx: AppContext, props: { actor: Actor; input: unknown }) {
  await authorize(ctx, props.actor, "council.record", await recordTarget(ctx, props.actor));
  const input = parse(meetingInput, props.input);
  return change(ctx, props.actor, "council.meeting_create", async (tx, at) => {
    const meeting = await repo.insertMeeting(tx, { ...input, createdBy: actorId(props.actor), at });
    // 6.2: everyone who sits — each division's 課等の長 or the person it named.
    const members = councilRoster(await repo.rosterInputs(tx)).flatMap((r) =>
      r.required && r.seated?.active ? [r.seated.staffId] : [],
    );
    await notify(ctx, tx, {
      recipientIds: members.filter((id) => id !== actorId(props.actor)),
      kind: "council",
      title: `協議会の会議が記録されました: ${meeting.title}`,
      body: "議題・議事録・資料は協議会のページで確認できます（第6）。",
      href: `/council/meetings/${meeting.id}`,
      dedupeKey: `council:meeting:${meeting.id}`,
    });
    return {
      result: meeting,
      target: { type: "council_meeting", id: meeting.id },
      summary: { heldOn: meeting.heldOn, title: meeting.title },
    };
  });
}

/** Edits a meeting: its date, name, agenda and minutes (議事録). */
export async function updateMeeting(ctx: AppContext, props: { actor: Actor; id: number; input: unknown }) {
  await authorize(ctx, props.actor, "council.record", await recordTarget(ctx, props.actor));
  const input = parse(meetingInput, props.input);
  return change(ctx, props.actor, "council.meeting_update", async (tx, at) => {
    const before = await repo.lockMeeting(tx, props.id);
    if (!before) throw notFound("協議会の会議");
    const after = await repo.updateMeeting(tx, before.id, input, at);
    const changed = (["heldOn", "title", "agenda", "minutes"] as const).filter((k) => before[k] !== input[k]);
    return {
      result: after ?? before,
      target: { type: "council_meeting", id: before.id },
      summary: { changed, minutesLength: input.minutes.length },
    };
  });
}

/** Attaches a file to a meeting after checking its type, size and first bytes. */
export async function attachToMeeting(
  ctx: AppContext,
  props: { actor: Actor; meetingId: number; filename: string; bytes: Uint8Array },
) {
  await authorize(ctx, props.actor, "council.record", await recordTarget(ctx, props.actor));
  const checked = checkAttachment(props.filename, props.bytes);
  if (!checked.ok) throw validation(checked.message, [{ field: "file", message: checked.message }]);
  return change(ctx, props.actor, "council.attach", async (tx, at) => {
    const meeting = await repo.findMeeting(tx, props.meetingId);
    if (!meeting) throw notFound("協議会の会議");
    const info = await repo.insertAttachment(tx, {
      meetingId: meeting.id,
      filename: checked.filename,
      contentType: checked.contentType,
      bytes: props.bytes,
      uploadedBy: actorId(props.actor),
      at,
    });
    return {
      result: info,
      target: { type: "council_meeting", id: meeting.id },
      summary: {
        attachmentId: info.id,
        filename: info.filename,
        size: info.size,
        contentType: info.contentType,
      },
    };
  });
}

export async function removeAttachment(
  ctx: AppContext,
  props: { actor: Actor; meetingId: number; attachmentId: number },
) {
  await authorize(ctx, props.actor, "council.record", await recordTarget(ctx, props.actor));
  return change(ctx, props.actor, "council.detach", async (tx) => {
    const found = await repo.findAttachment(tx, props.meetingId, props.attachmentId);
    if (!found) throw notFound("添付ファイル");
    await repo.deleteAttachment(tx, props.meetingId, props.attachmentId);
    return {
      result: null,
      target: { type: "council_meeting", id: props.meetingId },
      summary: { attachmentId: found.id, filename: found.filename },
    };
  });
}

/** An attachment with its bytes, for download. */
export async function downloadAttachment(
  ctx: AppContext,
  props: { actor: Actor; meetingId: number; attachmentId: number },
) {
  await authorize(ctx, props.actor, "council.read");
  const found = await repo.findAttachment(ctx.db, props.meetingId, props.attachmentId);
  if (!found) throw notFound("添付ファイル");
  return found;
}
