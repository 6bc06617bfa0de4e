/**
 * Corrections (5.3.2 誤りは直ちに認め訂正, 5.3.3 訂正したことを明記). Anyone who can see a
 * published post and spots an error marks it, saying what is wrong: a correction is then due
 * within the guideline pack's `correctionDueHours`, and a task goes at once to the post's author
 * and to the account manager. An operator of the account starts the correction: a new post of
 * kind `correction` naming the original, pre-filled with 【訂正】 and the original text, checked
 * with the 5.3.3 rule, approved like any post — but not submitted or approved while its text is
 * still the original's (a correction must correct). When it is published the tasks close and the
 * original shows 「訂正あり」.
 */
import { z } from "zod";
import type { Db } from "../../db/client.ts";
import { findAccount } from "../../db/repos/accounts.ts";
import { findPost, lockPost, type Post, updatePost } from "../../db/repos/posts.ts";
import { isCorrectionPublished, openCorrectionOf, POST_CORRECTION } from "../../db/repos/publishing.ts";
import { openTask } from "../../db/repos/tasks.ts";
import { clauseRef } from "../../domain/clauses.ts";
import { correctionLead, correctsNothing } from "../../domain/corrections.ts";
import { formatDateTime, tokyoDate } from "../../domain/dates.ts";
import { conflict, notFound, validation } from "../../errors.ts";
import { guidelinePack } from "../../guideline/pack.ts";
import { change } from "../audit/record.ts";
import { type Actor, type AppContext, actorId } from "../context.ts";
import { optionalText, parse, text } from "../validate.ts";
import { authorizeOnPost, getPost } from "./access.ts";
import { postingAccount } from "./posting.ts";
import { checkDraft, insertDraft } from "./publishing-drafts.ts";
import { correctionTitle } from "./publishing-rules.ts";

export const erroneousInput = z.object({ note: text("誤りの内容", 1000) });

export const correctionInput = z.object({ text: optionalText("訂正の本文", 5000) });

const monthDay = new Intl.DateTimeFormat("ja-JP", { timeZone: "Asia/Tokyo", month: "long", day: "numeric" });

/**
 * The text a correction starts from (5.3.3): 【訂正】, which post it corrects (「11月24日に
 * お知らせした内容」), and the original text for the operator to put right.
 */
export function correctionTemplate(original: { text: string; publishedAt: Date | null }): string {
  const when = original.publishedAt ? `${monthDay.format(original.publishedAt)}に` : "先日";
  return `${correctionLead(when)}\n\n${original.text}`;
}

/** Why a correction that corrects nothing cannot go forward (5.3.2, 5.3.3). */
export function sameAsOriginalMessage(originalId: number): string {
  return `訂正の投稿の本文が、元の投稿（#${originalId}）と同じです（【訂正】などの表示を除き、全角・半角や空白の違いは区別しません）。訂正したことを明記するだけでなく、誤っていた箇所を正しい内容に直してください（${clauseRef("5.3.2")}、${clauseRef("5.3.3")}）。`;
}

/**
 * Refuses (422 on the text) a correction whose text, once its label is set aside, is the text of
 * the post it corrects: it would go out saying 【訂正】 and repeat the error (5.3.2, 5.3.3).
 */
export async function assertCorrects(
  db: Db,
  post: Pick<Post, "kind" | "text" | "correctsPostId">,
): Promise<void> {
  if (post.kind !== "correction" || post.correctsPostId === null) return;
  const original = await findPost(db, post.correctsPostId);
  if (!original || !correctsNothing(post.text, original.text)) return;
  const message = sameAsOriginalMessage(original.id);
  throw validation(message, [{ field: "text", message }]);
}

/** Result of marking a post erroneous: the post and the correction tasks opened. */
export type ErroneousMark = { post: Post; taskIds: number[] };

/**
 * Marks a published post as erroneous (5.3.2). Anyone who may see the post may do it. The
 * correction is due `correctionDueHours` later; a `post_correction` task goes to the author and
 * one to the account manager (one when they are the same person), due that day.
 * @param props.input `{ note }`: what is wrong
 */
export async function markErroneous(
  ctx: AppContext,
  props: { actor: Actor; postId: number; input: unknown },
): Promise<ErroneousMark> {
  const { actor } = props;
  // Seeing the post comes first (404 otherwise); marking is then open to everyone (5.3.2).
  const post = await getPost(ctx, { actor, id: props.postId });
  await authorizeOnPost(ctx, actor, "post.mark_erroneous", post);
  const { note } = parse(erroneousInput, props.input);
  const hours = guidelinePack().posts.correctionDueHours;
  return change(ctx, actor, "post.mark_erroneous", async (tx, at) => {
    const current = await lockPost(tx, post.id);
    if (!current) throw notFound("投稿");
    if (current.status !== "published" && current.status !== "deleted")
      throw conflict(
        "誤りとして報告できるのは、発信済みの投稿です。発信前の投稿は、作成者に修正を依頼してください。",
      );
    if (current.erroneousAt && current.correctionDueAt && !(await isCorrectionPublished(tx, current.id)))
      throw conflict(
        `この投稿は既に誤りとして報告され、訂正を待っています（訂正の期限: ${formatDateTime(current.correctionDueAt)}）。`,
      );
    const dueAt = new Date(at.getTime() + hours * 3_600_000);
    const updated = await updatePost(
      tx,
      current.id,
      { erroneousAt: at, erroneousBy: actorId(actor), erroneousNote: note, correctionDueAt: dueAt },
      at,
    );
    const account = await findAccount(tx, current.accountId);
    const name = account?.name ?? `アカウント#${current.accountId}`;
    // 5.3.2: the operator who wrote it and the account manager, at once.
    const assignees: Array<{ id: number; manager: boolean }> = [{ id: current.authorId, manager: false }];
    if (account?.managerId && account.managerId !== current.authorId)
      assignees.push({ id: account.managerId, manager: true });
    const taskIds: number[] = [];
    for (const a of assignees) {
      const task = await openTask(tx, {
        kind: POST_CORRECTION,
        accountId: current.accountId,
        assigneeId: a.id,
        title: correctionTitle(name, a.manager),
        clause: "5.3.2",
        dueDate: tokyoDate(dueAt),
        cause: { postId: current.id, dueAt: dueAt.toISOString(), reportedBy: actorId(actor) },
        openedAt: at,
      });
      taskIds.push(task.id);
    }
    return {
      result: { post: updated, taskIds },
      target: { type: "post", id: current.id },
      summary: {
        note,
        correctionDueAt: dueAt.toISOString(),
        taskIds,
        assigneeIds: assignees.map((a) => a.id),
        previousMark: current.erroneousAt?.toISOString() ?? null,
      },
    };
  });
}

/** What starting a correction gave: the correction post, and whether it was made just now. */
export type CorrectionStart = { post: Post; created: boolean };

/**
 * Starts the correction of a post marked erroneous (5.3.3): a draft of kind `correction` for the
 * same account, naming the original, by one of the account's operators (3). The text is the
 * given one, or 【訂正】 with the original text to put right; it is checked with the correction
 * rule. A correction already being written is returned instead of a second one.
 * @param props.input `{ text? }`
 */
export async function startCorrection(
  ctx: AppContext,
  props: { actor: Actor; postId: number; input?: unknown },
): Promise<CorrectionStart> {
  const { actor } = props;
  const original = await getPost(ctx, { actor, id: props.postId });
  // 3: only the account's operators draft for it, and only while it is official.
  const account = await postingAccount(ctx, actor, original.accountId);
  const input = parse(correctionInput, props.input ?? {});
  if (original.status !== "published" && original.status !== "deleted")
    throw conflict("訂正の投稿を作成できるのは、発信済みの投稿です。");
  if (!original.erroneousAt)
    throw conflict("先に「誤りを報告」から、この投稿の誤りの内容を記録してください（第5-3(2)）。");
  const existing = await openCorrectionOf(ctx.db, original.id);
  if (existing) return { post: existing, created: false };
  if (actor.kind !== "staff") throw conflict("訂正の投稿は職員が作成します。");
  const body = input.text || correctionTemplate(original);
  const findings = await checkDraft(account, "correction", body, ctx.clock.now());
  return change(ctx, actor, "post.start_correction", async (tx, at) => {
    const locked = await lockPost(tx, original.id);
    if (!locked) throw notFound("投稿");
    const again = await openCorrectionOf(tx, original.id);
    if (again) throw conflict("この投稿の訂正は、ほかの職員が作成したところです。");
    const post = await insertDraft(tx, {
      accountId: original.accountId,
      authorId: actor.staffId,
      kind: "correction",
      text: body,
      correctsPostId: original.id,
      findings,
      at,
    });
    return {
      result: { post, created: true },
      target: { type: "post", id: post.id },
      summary: { correctsPostId: original.id, errors: post.errorCount, warnings: post.warningCount },
    };
  });
}
