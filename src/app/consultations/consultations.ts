/**
 * Consultations (10 ガイドラインに定めのない事項は、ふるさと発信課長に協議する): any member of
 * staff asks; the consultation desk answers; the person who asked closes it as resolved, or
 * reopens it to send it back to the desk. The desk closes it only when the asker has not replied
 * for DESK_CLOSE_AFTER_DAYS days after the answer; anyone else is refused (403, audited).
 * Answered questions are a knowledge base every member of staff can search (words in the title,
 * question or answer; tags). An unanswered question is seen by the person who asked, the desk
 * and the policy director only. The desk is notified of a new question, the person who asked of
 * the first answer.
 */
import { z } from "zod";
import * as repo from "../../db/repos/consultations.ts";
import {
  type CloserRole,
  DESK_CLOSE_AFTER_DAYS,
  deskMayCloseFrom,
  MAX_TAG_LENGTH,
  MAX_TAGS,
  mayClose,
  parseTags,
  reopenedStatus,
} from "../../domain/consultations.ts";
import { formatDateTime } from "../../domain/dates.ts";
import { conflict, notFound } from "../../errors.ts";
import { change } from "../audit/record.ts";
import { allowed, authorize, refuse } from "../authorize.ts";
import { type Actor, type AppContext, actorId } from "../context.ts";
import { notify } from "../notifications/notify.ts";
import { holdersOf } from "../staff/role-grants.ts";
import { parse, text } from "../validate.ts";

const tags = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => parseTags(v ?? ""))
  .refine((t) => t.length <= MAX_TAGS, { error: `タグは${MAX_TAGS}個までにしてください。` })
  .refine((t) => t.every((tag) => tag.length <= MAX_TAG_LENGTH), {
    error: `タグは1つ${MAX_TAG_LENGTH}文字以内にしてください。`,
  });

export const askInput = z.object({
  title: text("件名", 200),
  question: text("協議の内容", 10_000),
  tags,
});

export const answerInput = z.object({
  answer: text("回答", 20_000),
  tags,
});

/** Whether the actor may see this consultation (an unanswered one is private to its asker and the desk). */
function canSee(actor: Actor, row: repo.ConsultationRow): boolean {
  if (row.answer !== "") return true;
  if (actor.kind === "staff" && row.askedBy === actor.staffId) return true;
  return allowed(actor, "consultation.read_all");
}

function isAsker(actor: Actor, row: repo.ConsultationRow): boolean {
  return actor.kind === "staff" && row.askedBy === actor.staffId;
}

/** How the actor stands to the consultation when closing or reopening it. */
function closerRole(actor: Actor, row: repo.ConsultationRow): CloserRole {
  if (isAsker(actor, row)) return "asker";
  return allowed(actor, "consultation.answer") ? "desk" : "other";
}

/**
 * Whether the actor may reopen the consultation (10): the person who asked, when it is answered
 * (their reply: the answer does not settle it) or closed; the desk, when it is closed.
 */
function mayReopen(row: repo.ConsultationRow, role: CloserRole): boolean {
  if (role === "asker") return row.status === "answered" || row.status === "closed";
  return role === "desk" && row.status === "closed";
}

/**
 * Why the actor may not close the consultation now (10), in Japanese, or null when they may.
 * The page shows the same words where the button would be.
 */
export function closeRefusal(actor: Actor, row: repo.ConsultationRow, now: Date): string | null {
  const role = closerRole(actor, row);
  if (role !== "other" && (row.status === "closed" || mayClose(row, role, now))) return null;
  if (role === "other")
    return `この協議を解決済みにする権限がありません。解決済みにするのは協議を申し出た職員です。協議先は、回答から${DESK_CLOSE_AFTER_DAYS}日たっても協議を申し出た職員から返事がない場合に限り、解決済みにできます。`;
  if (row.status === "open" || row.answeredAt === null)
    return "回答していない協議を、協議先が解決済みにすることはできません。回答を登録してください。解決済みにするのは協議を申し出た職員です。";
  return `協議先がこの協議を解決済みにできるのは、${formatDateTime(deskMayCloseFrom(row.answeredAt))}以降です。回答から${DESK_CLOSE_AFTER_DAYS}日間は、協議を申し出た職員が回答を確認して解決済みにします。その間に返事がない場合に限り、協議先が解決済みにできます。`;
}

export type ConsultationSearch = { text?: string; tag?: string; status?: string };

/** The knowledge base as the actor may see it. */
export async function searchConsultations(
  ctx: AppContext,
  props: { actor: Actor; filter: ConsultationSearch },
) {
  await authorize(ctx, props.actor, "consultation.read");
  const all = props.actor.kind === "system" || allowed(props.actor, "consultation.read_all");
  return repo.searchConsultations(ctx.db, {
    ...props.filter,
    visibleTo: all ? null : actorId(props.actor),
  });
}

/** Tags in use on answered consultations, most used first. */
export async function consultationTags(ctx: AppContext, props: { actor: Actor }) {
  await authorize(ctx, props.actor, "consultation.read");
  return repo.tagCounts(ctx.db);
}

export async function getConsultation(ctx: AppContext, props: { actor: Actor; id: number }) {
  await authorize(ctx, props.actor, "consultation.read");
  const row = await repo.findConsultation(ctx.db, props.id);
  if (!row || !canSee(props.actor, row)) throw notFound("協議");
  const now = ctx.clock.now();
  const role = closerRole(props.actor, row);
  return {
    consultation: row,
    can: {
      answer: allowed(props.actor, "consultation.answer") && row.status !== "closed",
      close: mayClose(row, role, now),
      reopen: mayReopen(row, role),
    },
    /** Why closing is refused to this person now (null when they may, or it is closed). */
    closeRefusal: role === "other" ? null : closeRefusal(props.actor, row, now),
    /** 10: from when the desk may close it, when it is answered and open. */
    deskMayCloseFrom: row.status === "answered" && row.answeredAt ? deskMayCloseFrom(row.answeredAt) : null,
  };
}

/** Asks the consultation desk (10). */
export async function askConsultation(ctx: AppContext, props: { actor: Actor; input: unknown }) {
  await authorize(ctx, props.actor, "consultation.ask");
  const input = parse(askInput, props.input);
  return change(ctx, props.actor, "consultation.ask", async (tx, at) => {
    const row = await repo.insertConsultation(tx, {
      title: input.title,
      question: input.question.replace(/\r\n/g, "\n"),
      tags: input.tags,
      askedBy: actorId(props.actor),
      askedAt: at,
    });
    const desk = (await holdersOf(tx, "consultation_desk", at)).map((s) => s.id);
    await notify(ctx, tx, {
      recipientIds: desk.filter((id) => id !== actorId(props.actor)),
      kind: "consultation",
      title: `ガイドラインに定めのない事項の協議が届きました: ${row.title}`,
      body: "協議の内容を確認し、回答してください（第10）。",
      href: `/consultations/${row.id}`,
      dedupeKey: `consultation:${row.id}:asked`,
    });
    return {
      result: row,
      target: { type: "consultation", id: row.id },
      summary: { title: row.title, tags: row.tags },
    };
  });
}

/** The desk answers (or corrects its answer); the question becomes part of the knowledge base. */
export async function answerConsultation(
  ctx: AppContext,
  props: { actor: Actor; id: number; input: unknown },
) {
  await authorize(ctx, props.actor, "consultation.answer");
  const input = parse(answerInput, props.input);
  return change(ctx, props.actor, "consultation.answer", async (tx, at) => {
    const row = await repo.lockConsultation(tx, props.id);
    if (!row) throw notFound("協議");
    if (row.status === "closed")
      throw conflict("解決済みの協議です。回答を直すには、まず協議を再開してください。");
    const updated = await repo.updateConsultation(tx, row.id, {
      answer: input.answer.replace(/\r\n/g, "\n"),
      answeredBy: actorId(props.actor),
      answeredAt: at,
      status: "answered",
      tags: input.tags.length > 0 ? input.tags : row.tags,
    });
    // The asker hears of the first answer, and of the answer to a consultation they reopened.
    if (row.status === "open") {
      await notify(ctx, tx, {
        recipientIds: [row.askedBy],
        kind: "consultation",
        title: `協議に回答がありました: ${row.title}`,
        body: `ふるさと発信課長（協議先）から回答がありました。内容を確認し、解決したら「解決済みにする」を、まだ解決しない場合は「協議を再開する」を押してください。回答から${DESK_CLOSE_AFTER_DAYS}日たっても返事がない場合は、協議先が解決済みにします。`,
        href: `/consultations/${row.id}`,
        dedupeKey:
          row.answer === ""
            ? `consultation:${row.id}:answered`
            : `consultation:${row.id}:answered:${at.toISOString()}`,
      });
    }
    return {
      result: updated ?? row,
      target: { type: "consultation", id: row.id },
      summary: { corrected: row.answer !== "", tags: updated?.tags ?? row.tags },
    };
  });
}

/**
 * Closes (解決済み) or reopens a consultation (10). Closing: the person who asked; the desk only
 * when the asker has not replied for DESK_CLOSE_AFTER_DAYS days after the answer. Reopening: the
 * person who asked, once it is answered (their reply; it goes back to the desk, 回答待ち), or the
 * desk, once it is closed. Anyone else,
 * and the desk before its time, is refused with the reason (403 and an `auth.denied` entry).
 */
export async function setConsultationOpen(
  ctx: AppContext,
  props: { actor: Actor; id: number; closed: boolean },
) {
  await authorize(ctx, props.actor, "consultation.read");
  const found = await repo.findConsultation(ctx.db, props.id);
  if (!found || !canSee(props.actor, found)) throw notFound("協議");
  const role = closerRole(props.actor, found);
  const action = props.closed ? "consultation.close" : "consultation.reopen";
  const target = { consultationId: found.id, status: found.status };
  if (props.closed) {
    const refusal = closeRefusal(props.actor, found, ctx.clock.now());
    if (refusal) throw await refuse(ctx, props.actor, action, target, refusal);
  } else if (role === "other") {
    throw await refuse(
      ctx,
      props.actor,
      action,
      target,
      "この協議を再開する権限がありません。再開できるのは、協議を申し出た職員と協議先です。",
    );
  }
  return change(ctx, props.actor, action, async (tx, at) => {
    const row = await repo.lockConsultation(tx, props.id);
    if (!row) throw notFound("協議");
    if (props.closed && row.status === "closed") throw conflict("この協議はすでに解決済みです。");
    if (!props.closed && !mayReopen(row, role))
      throw conflict(
        row.status === "open" ? "この協議は回答待ちです。" : "この協議は解決済みではありません。",
      );
    if (props.closed && !mayClose(row, role, at))
      throw conflict("協議の状態が変わったため、解決済みにできませんでした。ページを開き直してください。");
    const status = props.closed ? "closed" : reopenedStatus(row, role);
    const updated = await repo.updateConsultation(tx, row.id, {
      status,
      closedAt: props.closed ? at : null,
    });
    return {
      result: updated ?? row,
      target: { type: "consultation", id: row.id },
      summary: {
        status: { before: row.status, after: status },
        by: role,
        ...(props.closed && role === "desk" ? { afterDays: DESK_CLOSE_AFTER_DAYS } : {}),
      },
    };
  });
}
