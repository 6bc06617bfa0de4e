/**
 * Responding to an incident (7): the manager receives the report (its task closes), notes and
 * contacts go on the timeline (7.3.2: trusted bodies and media contacted, with dates), the
 * severity and the status change (対応中 ⇄ 監視中), a public statement made outside the system is
 * recorded (7.2.3), and the incident is closed with its review — what happened and what to change.
 */
import {
  type Incident,
  insertContact,
  listImpersonations,
  listSteps,
  updateImpersonation,
  updateIncident,
} from "../../db/repos/incidents.ts";
import {
  incidentRefusals,
  incidentSeverityLabels,
  incidentStatusLabels,
  nextIncidentStatus,
  reviewProblems,
} from "../../domain/incidents.ts";
import { conflict, validation } from "../../errors.ts";
import { type Actor, type AppContext, actorId } from "../context.ts";
import { parse } from "../validate.ts";
import { incidentFor } from "./access.ts";
import { assertHijackClosable } from "./hijack.ts";
import { closeInput, contactInput, noteInput, severityInput, statementInput, statusInput } from "./input.ts";
import {
  addEvent,
  changeIncident,
  closeIncidentTasks,
  INCIDENT_REPORT_TASK,
  INCIDENT_STATEMENT_TASK,
} from "./record.ts";
import { finishStep, markStatement } from "./steps.ts";

/** Not later than now (a record of something done is not in the future). */
function notFuture(field: string, label: string, value: Date, now: Date): void {
  if (value.getTime() > now.getTime() + 60_000) {
    const message = `${label}に、未来の日時は入力できません。`;
    throw validation(message, [{ field, message }]);
  }
}

/**
 * The manager records that they have received the report (7): the report task on their
 * dashboard closes. A responder may do it for them; the reporter may not (第7).
 */
export async function acknowledgeIncident(
  ctx: AppContext,
  props: { actor: Actor; incidentId: number },
): Promise<Incident> {
  const { actor } = props;
  // 7: the report is received by the manager (or a responder), never by the reporter for them.
  const { incident } = await incidentFor(
    ctx,
    actor,
    props.incidentId,
    "incident.respond",
    incidentRefusals.acknowledge,
  );
  return changeIncident(ctx, actor, "incident.acknowledge", incident.id, async (tx, at, locked) => {
    const closed = await closeIncidentTasks(tx, {
      incidentId: locked.id,
      kinds: [INCIDENT_REPORT_TASK],
      status: "done",
      actor,
      at,
      note: "インシデントの報告を受け、対応を始めました（第7）。",
    });
    if (closed.length === 0) throw conflict("この報告は、すでに受け付けられています。");
    await addEvent(tx, { incidentId: locked.id, kind: "acknowledged", actor, at });
    return { result: locked, summary: { closedTaskIds: closed } };
  });
}

/** Adds a note to the timeline (anyone who may see the incident, except the read-only auditor). */
export async function addNote(
  ctx: AppContext,
  props: { actor: Actor; incidentId: number; input: unknown },
): Promise<void> {
  const { actor } = props;
  const { incident } = await incidentFor(ctx, actor, props.incidentId, "incident.note");
  const input = parse(noteInput, props.input);
  await changeIncident(ctx, actor, "incident.note", incident.id, async (tx, at, locked) => {
    await addEvent(tx, { incidentId: locked.id, kind: "note", note: input.note, actor, at });
    return { result: undefined, summary: { note: input.note } };
  });
}

/** Changes the severity, with an optional reason (responders only, 第7). */
export async function changeSeverity(
  ctx: AppContext,
  props: { actor: Actor; incidentId: number; input: unknown },
): Promise<Incident> {
  const { actor } = props;
  const { incident } = await incidentFor(ctx, actor, props.incidentId, "incident.respond");
  const input = parse(severityInput, props.input);
  return changeIncident(ctx, actor, "incident.severity", incident.id, async (tx, at, locked) => {
    if (locked.severity === input.severity)
      throw conflict(`深刻度はすでに「${incidentSeverityLabels[input.severity]}」です。`);
    const updated = await updateIncident(tx, locked.id, { severity: input.severity }, at);
    await addEvent(tx, {
      incidentId: locked.id,
      kind: "severity_changed",
      note: `${incidentSeverityLabels[locked.severity]} → ${incidentSeverityLabels[input.severity]}${input.note ? `（${input.note}）` : ""}`,
      data: { before: locked.severity, after: input.severity },
      actor,
      at,
    });
    return {
      result: updated,
      summary: { severity: { before: locked.severity, after: input.severity }, note: input.note },
    };
  });
}

/**
 * Moves the incident between 対応中 and 監視中 (closing has its own use case, with the review);
 * responders only (第7).
 * @param props.input `{ status: "responding" | "monitoring", note? }`
 */
export async function changeStatus(
  ctx: AppContext,
  props: { actor: Actor; incidentId: number; input: unknown },
): Promise<Incident> {
  const { actor } = props;
  const { incident } = await incidentFor(ctx, actor, props.incidentId, "incident.respond");
  const input = parse(statusInput, props.input);
  if (input.status === "closed")
    throw validation("終結するには、振り返りを入力して「終結する」を使ってください。", [
      { field: "status", message: "終結は振り返りの入力とあわせて行います。" },
    ]);
  return changeIncident(ctx, actor, "incident.status", incident.id, async (tx, at, locked) => {
    const step = input.status === "monitoring" ? "monitor" : "resume";
    const next = nextIncidentStatus(locked.status, step);
    if (next !== input.status) throw conflict(`状態はすでに「${incidentStatusLabels[locked.status]}」です。`);
    const updated = await updateIncident(tx, locked.id, { status: next }, at);
    await addEvent(tx, {
      incidentId: locked.id,
      kind: "status_changed",
      note: `${incidentStatusLabels[locked.status]} → ${incidentStatusLabels[next]}${input.note ? `（${input.note}）` : ""}`,
      data: { before: locked.status, after: next },
      actor,
      at,
    });
    return { result: updated, summary: { status: { before: locked.status, after: next }, note: input.note } };
  });
}

/**
 * Records a contact with a trusted body or the media (7.3.2), which also completes the
 * playbook's step for it.
 */
export async function recordContact(
  ctx: AppContext,
  props: { actor: Actor; incidentId: number; input: unknown },
): Promise<void> {
  const { actor } = props;
  const { incident } = await incidentFor(ctx, actor, props.incidentId, "incident.respond");
  const input = parse(contactInput, props.input);
  const now = ctx.clock.now();
  const contactedAt = input.contactedAt ?? now;
  notFuture("contactedAt", "連絡した日時", contactedAt, now);
  await changeIncident(ctx, actor, "incident.contact", incident.id, async (tx, at, locked) => {
    await insertContact(tx, {
      incidentId: locked.id,
      organisation: input.organisation,
      contactedAt,
      person: input.person,
      note: input.note,
      recordedBy: actorId(actor),
    });
    await addEvent(tx, {
      incidentId: locked.id,
      kind: "contact_recorded",
      note: `${input.organisation}${input.person ? `（${input.person}）` : ""}${input.note ? `: ${input.note}` : ""}`,
      data: {
        organisation: input.organisation,
        contactedAt: contactedAt.toISOString(),
        person: input.person,
      },
      actor,
      at,
    });
    await finishStep(tx, {
      incident: locked,
      stepKey: "trusted_bodies",
      note: `${input.organisation}に連絡しました。`,
      actor,
      at,
    });
    return {
      result: undefined,
      summary: { organisation: input.organisation, contactedAt, person: input.person },
    };
  });
}

/**
 * Records a public statement made outside the system (7.2.3: 時間を要する場合はその旨説明), e.g.
 * posted from the platform's app or on the city site: sets the incident's first statement,
 * completes the statement step and closes the reminder.
 */
export async function recordStatement(
  ctx: AppContext,
  props: { actor: Actor; incidentId: number; input: unknown },
): Promise<void> {
  const { actor } = props;
  const { incident } = await incidentFor(ctx, actor, props.incidentId, "incident.respond");
  const input = parse(statementInput, props.input);
  const now = ctx.clock.now();
  const madeAt = input.madeAt ?? now;
  notFuture("madeAt", "発信した日時", madeAt, now);
  await changeIncident(ctx, actor, "incident.statement", incident.id, async (tx, at, locked) => {
    if (locked.publicStatementAt !== null) {
      await addEvent(tx, {
        incidentId: locked.id,
        kind: "note",
        note: `公式な説明: ${input.note}`,
        actor,
        at,
      });
    } else {
      await markStatement(tx, { incident: locked, madeAt, actor, at, note: input.note });
    }
    await finishStep(tx, { incident: locked, stepKey: "holding_statement", note: input.note, actor, at });
    return { result: undefined, summary: { madeAt, note: input.note } };
  });
}

/**
 * Closes the incident (終結) with its review: what happened and what to change, both required.
 * Its open tasks are cancelled; with `endWarnings`, the public warnings of its fake accounts end
 * now (the verification page keeps answering "known impersonation").
 */
export async function closeIncident(
  ctx: AppContext,
  props: { actor: Actor; incidentId: number; input: unknown },
): Promise<Incident> {
  const { actor } = props;
  const { incident } = await incidentFor(ctx, actor, props.incidentId, "incident.close");
  const input = parse(closeInput, props.input);
  const problems = reviewProblems(input);
  if (problems.length > 0)
    throw validation(
      problems.length > 1
        ? "終結するには、振り返りの「何が起きたか」と「今後どう改めるか」を入力してください。"
        : (problems[0]?.message ?? ""),
      problems,
    );
  return changeIncident(ctx, actor, "incident.close", incident.id, async (tx, at, locked) => {
    if (!nextIncidentStatus(locked.status, "close")) throw conflict("このインシデントは終結しています。");
    await assertHijackClosable(tx, locked);
    const openSteps = (await listSteps(tx, locked.id)).filter((s) => s.doneAt === null).map((s) => s.title);
    const updated = await updateIncident(
      tx,
      locked.id,
      {
        status: "closed",
        reviewWhatHappened: input.whatHappened,
        reviewWhatToChange: input.whatToChange,
        closedAt: at,
        closedBy: actorId(actor),
      },
      at,
    );
    const cancelled = await closeIncidentTasks(tx, {
      incidentId: locked.id,
      kinds: [INCIDENT_REPORT_TASK, INCIDENT_STATEMENT_TASK],
      status: "cancelled",
      actor,
      at,
      note: "インシデントが終結しました。",
    });
    const ended: number[] = [];
    if (input.endWarnings) {
      for (const imp of await listImpersonations(tx, locked.id)) {
        if (imp.warningPublishedAt && (imp.warningEndsAt === null || imp.warningEndsAt > at)) {
          await updateImpersonation(tx, imp.id, { warningEndsAt: at });
          ended.push(imp.id);
          await addEvent(tx, {
            incidentId: locked.id,
            kind: "warning_withdrawn",
            note: imp.url,
            data: { impersonationId: imp.id },
            actor,
            at,
          });
        }
      }
    }
    await addEvent(tx, {
      incidentId: locked.id,
      kind: "closed",
      note: `何が起きたか: ${input.whatHappened}\n今後どう改めるか: ${input.whatToChange}`,
      data: { openSteps, endedWarnings: ended },
      actor,
      at,
    });
    return {
      result: updated,
      summary: {
        status: { before: locked.status, after: "closed" },
        review: { whatHappened: input.whatHappened, whatToChange: input.whatToChange },
        openSteps,
        cancelledTaskIds: cancelled,
        endedWarnings: ended,
      },
    };
  });
}
