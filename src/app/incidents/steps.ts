/**
 * The playbook checklist of an incident: completing a step with what was done (7), reopening one
 * done by mistake (a responder, or the step's own owner), and giving a step another owner or due
 * time (a responder). Completing the 7.1 containment
 * step on an incident about a published post records that post as deleted, with the reason,
 * through the posts' own deletion use case; completing the 炎上 statement step records the
 * incident's first public statement (7.2.3) and closes its reminder.
 */
import type { Db } from "../../db/client.ts";
import {
  findStep,
  type Incident,
  type IncidentStep,
  type IncidentView,
  listSteps,
  updateIncident,
  updateStep,
} from "../../db/repos/incidents.ts";
import { findPostView } from "../../db/repos/posts.ts";
import { findStaff } from "../../db/repos/staff.ts";
import { formatDateTime } from "../../domain/dates.ts";
import { nextStepState, stepSpec } from "../../domain/incidents.ts";
import { conflict, notFound, validation } from "../../errors.ts";
import { allowed } from "../authorize.ts";
import { type Actor, type AppContext, actorId } from "../context.ts";
import { authorizeOnPost } from "../posts/access.ts";
import { recordDeletion } from "../posts/publishing.ts";
import { takeDownOnPlatform } from "../publishing/takedown.ts";
import { parse } from "../validate.ts";
import { incidentFor, requireAction, visibleIncident } from "./access.ts";
import { stepAssignInput, stepCompleteInput } from "./input.ts";
import { addEvent, changeIncident, closeIncidentTasks, INCIDENT_STATEMENT_TASK } from "./record.ts";

async function stepOf(ctx: AppContext, incidentId: number, stepId: number): Promise<IncidentStep> {
  const step = await findStep(ctx.db, incidentId, stepId);
  if (!step) throw notFound("手順");
  return step;
}

/**
 * A step the actor may complete or reopen: any step for a responder; for anyone else who may
 * add to the incident (the reporter, 7), only a step they own — the playbook gives the reporter
 * the steps that record what they found.
 */
async function actionableStep(
  ctx: AppContext,
  actor: Actor,
  incidentId: number,
  stepId: number,
): Promise<{ incident: IncidentView; step: IncidentStep }> {
  const seen = await visibleIncident(ctx, actor, incidentId);
  const step = await stepOf(ctx, seen.incident.id, stepId);
  const ownStep =
    actor.kind === "staff" &&
    step.ownerId === actor.staffId &&
    allowed(actor, "incident.note", seen.facts.target);
  if (!ownStep) await requireAction(ctx, actor, seen, "incident.respond");
  return { incident: seen.incident, step };
}

/**
 * Records the incident's first public statement (7.2.3) in the caller's transaction, unless one
 * is recorded already: sets `public_statement_at` and closes the statement reminder task.
 */
export async function markStatement(
  tx: Db,
  props: { incident: Incident; madeAt: Date; actor: Actor; at: Date; note: string; data?: unknown },
): Promise<boolean> {
  if (props.incident.publicStatementAt !== null) return false;
  await updateIncident(tx, props.incident.id, { publicStatementAt: props.madeAt }, props.at);
  await addEvent(tx, {
    incidentId: props.incident.id,
    kind: "statement_recorded",
    note: props.note,
    data: { madeAt: props.madeAt.toISOString(), ...(typeof props.data === "object" ? props.data : {}) },
    actor: props.actor,
    at: props.at,
  });
  await closeIncidentTasks(tx, {
    incidentId: props.incident.id,
    kinds: [INCIDENT_STATEMENT_TASK],
    status: "done",
    actor: props.actor,
    at: props.at,
    note: "公式な説明を発信したことが記録されました（第7-2(3)）。",
  });
  return true;
}

/**
 * Completes a step in the caller's transaction (used by the step form and by the records that
 * stand for a step: a takedown request, a contact, a published notice…). Does nothing when the
 * step is done already or the incident has no such step.
 */
export async function finishStep(
  tx: Db,
  props: { incident: Incident; stepKey: string; note: string; actor: Actor; at: Date },
): Promise<boolean> {
  const steps = await listSteps(tx, props.incident.id);
  const step = steps.find((s) => s.stepKey === props.stepKey);
  if (!step || step.doneAt !== null) return false;
  await updateStep(tx, step.id, { doneAt: props.at, doneBy: actorId(props.actor), note: props.note });
  await addEvent(tx, {
    incidentId: props.incident.id,
    kind: "step_done",
    note: props.note,
    data: { stepKey: step.stepKey, title: step.title, auto: true },
    actor: props.actor,
    at: props.at,
  });
  return true;
}

/**
 * Completes a step of the playbook with a note of what was done.
 * @param props.actor a responder (the incident's manager, the account manager, a director, or
 *   someone a responder gave a step to), or the owner of this step
 * @param props.input `{ note, deletionReason? }` — for 7.1 containment on a published post, the
 *   reason recorded on the post (required then)
 */
export async function completeStep(
  ctx: AppContext,
  props: { actor: Actor; incidentId: number; stepId: number; input: unknown },
): Promise<IncidentStep> {
  const { actor } = props;
  const { incident, step } = await actionableStep(ctx, actor, props.incidentId, props.stepId);
  const input = parse(stepCompleteInput, props.input);
  const spec = stepSpec(incident.type, step.stepKey);
  const post =
    spec?.deletesPost && incident.postId !== null ? await findPostView(ctx.db, incident.postId) : undefined;
  const deletesPost = post !== undefined && post.status === "published";
  if (deletesPost) {
    if (!input.deletionReason) {
      const message = "投稿を削除した理由を入力してください。投稿の記録に残ります。";
      throw validation(message, [{ field: "deletionReason", message }]);
    }
    // The posts' own rule decides who records a removal (the operators and the account manager).
    await authorizeOnPost(ctx, actor, "post.publish_record", post);
  }
  // 7.1: a post that went out through a connection is deleted on the platform first; its answer is recorded.
  const takedown = deletesPost && post ? await takeDownOnPlatform(ctx, post.id, input.deletedManually) : null;
  return changeIncident(ctx, actor, "incident.step_complete", incident.id, async (tx, at, locked) => {
    const current = await findStep(tx, locked.id, step.id);
    if (!current) throw notFound("手順");
    if (!nextStepState(current.doneAt ? "done" : "open", "complete", locked.status))
      throw conflict(
        `「${current.title}」は、${current.doneAt ? formatDateTime(current.doneAt) : ""}に完了しています。`,
      );
    const done = await updateStep(tx, current.id, { doneAt: at, doneBy: actorId(actor), note: input.note });
    await addEvent(tx, {
      incidentId: locked.id,
      kind: "step_done",
      note: input.note,
      data: { stepKey: current.stepKey, title: current.title },
      actor,
      at,
    });
    let deletedPostId: number | null = null;
    if (deletesPost && post) {
      // 7.1 containment: the post is recorded as removed from the platform, through the posts' use case.
      await recordDeletion(
        { ...ctx, db: tx },
        {
          actor,
          postId: post.id,
          input: { reason: input.deletionReason, deletedManually: input.deletedManually },
          takedown,
        },
      );
      deletedPostId = post.id;
      await addEvent(tx, {
        incidentId: locked.id,
        kind: "post_deleted",
        note: takedown ? `${input.deletionReason}\n${takedown.answer.note}` : input.deletionReason,
        data: {
          postId: post.id,
          ...(takedown ? { platform: takedown.platform, platformNote: takedown.answer.note } : {}),
        },
        actor,
        at,
      });
    }
    const statement = spec?.statement
      ? await markStatement(tx, {
          incident: locked,
          madeAt: at,
          actor,
          at,
          note: input.note || current.title,
        })
      : false;
    return {
      result: done,
      summary: {
        step: current.stepKey,
        title: current.title,
        note: input.note,
        ...(deletedPostId !== null ? { deletedPostId, deletionReason: input.deletionReason } : {}),
        ...(statement ? { publicStatement: true } : {}),
      },
    };
  });
}

/** Reopens a step completed by mistake (the timeline keeps both entries). */
export async function reopenStep(
  ctx: AppContext,
  props: { actor: Actor; incidentId: number; stepId: number },
): Promise<IncidentStep> {
  const { actor } = props;
  const { incident, step } = await actionableStep(ctx, actor, props.incidentId, props.stepId);
  return changeIncident(ctx, actor, "incident.step_reopen", incident.id, async (tx, at, locked) => {
    const current = await findStep(tx, locked.id, step.id);
    if (!current) throw notFound("手順");
    if (!nextStepState(current.doneAt ? "done" : "open", "reopen", locked.status))
      throw conflict(`「${current.title}」は完了していません。`);
    const reopened = await updateStep(tx, current.id, { doneAt: null, doneBy: null, note: "" });
    await addEvent(tx, {
      incidentId: locked.id,
      kind: "step_reopened",
      note: current.note,
      data: { stepKey: current.stepKey, title: current.title },
      actor,
      at,
    });
    return { result: reopened, summary: { step: current.stepKey, previousNote: current.note } };
  });
}

/**
 * Gives a step another owner and/or due time (responders only, 7). The owner must be an active
 * member of staff; they then see the incident and, given the step by a responder, respond to it
 * (the people the account manager or the policy director assign).
 * @param props.input `{ ownerId?, dueAt? }` — leaving one out keeps it
 */
export async function assignStep(
  ctx: AppContext,
  props: { actor: Actor; incidentId: number; stepId: number; input: unknown },
): Promise<IncidentStep> {
  const { actor } = props;
  const { incident } = await incidentFor(ctx, actor, props.incidentId, "incident.respond");
  const input = parse(stepAssignInput, props.input);
  const step = await stepOf(ctx, incident.id, props.stepId);
  const owner = input.ownerId === null ? undefined : await findStaff(ctx.db, input.ownerId);
  if (input.ownerId !== null && !owner?.active) {
    const message = "担当者には、在職している職員を選んでください。";
    throw validation(message, [{ field: "ownerId", message }]);
  }
  if (input.ownerId === null && input.dueAt === undefined) {
    const message = "担当者か期限を指定してください。";
    throw validation(message, [{ field: "ownerId", message }]);
  }
  return changeIncident(ctx, actor, "incident.step_assign", incident.id, async (tx, at, locked) => {
    const current = await findStep(tx, locked.id, step.id);
    if (!current) throw notFound("手順");
    // 7: an owner given by a responder carries out the playbook with them (the people they assign).
    const values = {
      ...(owner ? { ownerId: owner.id, assignedBy: actorId(actor), assignedAt: at } : {}),
      ...(input.dueAt ? { dueAt: input.dueAt } : {}),
    };
    const updated = await updateStep(tx, current.id, values);
    const note = [
      owner ? `担当: ${owner.name}さん` : "",
      input.dueAt ? `期限: ${formatDateTime(input.dueAt)}` : "",
    ]
      .filter(Boolean)
      .join("、");
    await addEvent(tx, {
      incidentId: locked.id,
      kind: "step_assigned",
      note,
      data: {
        stepKey: current.stepKey,
        title: current.title,
        ownerId: updated.ownerId,
        dueAt: updated.dueAt,
      },
      actor,
      at,
    });
    return {
      result: updated,
      summary: {
        step: current.stepKey,
        owner: { before: current.ownerId, after: updated.ownerId },
        dueAt: { before: current.dueAt, after: updated.dueAt },
      },
    };
  });
}
