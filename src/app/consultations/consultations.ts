/**
 * Consultations (10 ガイドラインに定めのない事項は、ふるさと発信課長に協議する): any member of
 * staff asks; the consultation desk answers; the person who asked (or the desk) closes it.
 * Answered questions are a knowledge base every member of staff can search (words in the title,
 * question or answer; tags). An unanswered question is seen by the person who asked, the desk
 * and the policy director only. The desk is notified of a new question, the person who asked of
 * the first answer.
 */
import { z } from "zod";
import * as repo from "../../db/repos/consultations.ts";
import { MAX_TAG_LENGTH, MAX_TAGS, parseTags } from "../../domain/consultations.ts";
import { conflict, notFound } from "../../errors.ts";
import { change } from "../audit.ts";
import { allowed, authorize } from "../authorize.ts";
import { type Actor, type AppContext, actorId } from "../context.ts";
import { notify } from "../notifications/notify.ts";
import { holdersOf } from "../role-grants.ts";
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
  question: text("相談の内容", 10_000),
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
  if (!row || !canSee(props.actor, row)) throw notFound("相談");
  return {
    consultation: row,
    can: {
      answer: allowed(props.actor, "consultation.answer") && row.status !== "closed",
      close:
        row.status !== "closed" && (isAsker(props.actor, row) || allowed(props.actor, "consultation.answer")),
      reopen:
        row.status === "closed" && (isAsker(props.actor, row) || allowed(props.actor, "consultation.answer")),
    },
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
      title: `ガイドラインに定めのない事項の相談が届きました: ${row.title}`,
      body: "相談の内容を確認し、回答してください（第10）。",
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
    if (!row) throw notFound("相談");
    if (row.status === "closed")
      throw conflict("解決済みの相談です。回答を直すには、まず相談を再開してください。");
    const updated = await repo.updateConsultation(tx, row.id, {
      answer: input.answer.replace(/\r\n/g, "\n"),
      answeredBy: actorId(props.actor),
      answeredAt: at,
      status: "answered",
      tags: input.tags.length > 0 ? input.tags : row.tags,
    });
    if (row.answer === "") {
      await notify(ctx, tx, {
        recipientIds: [row.askedBy],
        kind: "consultation",
        title: `相談に回答がありました: ${row.title}`,
        body: "ふるさと発信課長（相談窓口）から回答がありました。内容を確認し、解決したら「解決済みにする」を押してください（第10）。",
        href: `/consultations/${row.id}`,
        dedupeKey: `consultation:${row.id}:answered`,
      });
    }
    return {
      result: updated ?? row,
      target: { type: "consultation", id: row.id },
      summary: { corrected: row.answer !== "", tags: updated?.tags ?? row.tags },
    };
  });
}

/** Closes (解決済み) or reopens a consultation: the person who asked, or the desk. */
export async function setConsultationOpen(
  ctx: AppContext,
  props: { actor: Actor; id: number; closed: boolean },
) {
  await authorize(ctx, props.actor, "consultation.read");
  const found = await repo.findConsultation(ctx.db, props.id);
  if (!found || !canSee(props.actor, found)) throw notFound("相談");
  // The person who asked closes their own; otherwise it is the desk's to do.
  if (!isAsker(props.actor, found)) await authorize(ctx, props.actor, "consultation.answer");
  return change(
    ctx,
    props.actor,
    props.closed ? "consultation.close" : "consultation.reopen",
    async (tx, at) => {
      const row = await repo.lockConsultation(tx, props.id);
      if (!row) throw notFound("相談");
      if (props.closed && row.status === "closed") throw conflict("この相談はすでに解決済みです。");
      if (!props.closed && row.status !== "closed") throw conflict("この相談は解決済みではありません。");
      const status = props.closed ? "closed" : row.answer ? "answered" : "open";
      const updated = await repo.updateConsultation(tx, row.id, {
        status,
        closedAt: props.closed ? at : null,
      });
      return {
        result: updated ?? row,
        target: { type: "consultation", id: row.id },
        summary: { status: { before: row.status, after: status } },
      };
    },
  );
}
