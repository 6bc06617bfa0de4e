/**
 * The incidents' timers, run periodically and safe with several instances (each incident is
 * locked with SKIP LOCKED and re-checked): a post drafted from an incident that has been
 * published becomes the incident's first public statement (7.2.3); and an open 炎上 without a
 * public statement `publicStatementReminderHours` after its report opens a task for its manager
 * with an urgent notification, once (7.2.3: 時間を要する場合はその旨説明).
 */
import {
  awaitingStatement,
  hasIncidentTask,
  lockIncidentSkipLocked,
  statementsPublished,
} from "../../db/repos/incidents.ts";
import { formatDateTime, tokyoDate } from "../../domain/dates.ts";
import { incidentTypeLabels, isOpenIncident, statementReminderDue } from "../../domain/incidents.ts";
import { guidelinePack } from "../../guideline/pack.ts";
import { change } from "../audit/record.ts";
import { type Actor, type AppContext, systemActor } from "../context.ts";
import { alertIncident } from "./alert.ts";
import { addEvent, INCIDENT_STATEMENT_TASK, INCIDENT_TARGET, openIncidentTask } from "./record.ts";
import { finishStep, markStatement } from "./steps.ts";

/** Thrown inside a change to roll it back when another instance got there first. */
class NothingToDo extends Error {}

async function unlessDone(work: () => Promise<void>): Promise<number> {
  try {
    await work();
    return 1;
  } catch (error) {
    if (error instanceof NothingToDo) return 0;
    throw error;
  }
}

/** Records published incident posts as the incidents' first public statements; returns how many. */
export async function recordPublishedStatements(
  ctx: AppContext,
  actor: Actor = systemActor("scheduler"),
): Promise<number> {
  let count = 0;
  for (const found of await statementsPublished(ctx.db)) {
    count += await unlessDone(() =>
      change(ctx, actor, "incident.statement_published", async (tx, at) => {
        const incident = await lockIncidentSkipLocked(tx, found.incidentId);
        if (!incident || incident.publicStatementAt !== null || !isOpenIncident(incident.status))
          throw new NothingToDo();
        const note = `インシデントから作成した投稿（#${found.postId}）が${formatDateTime(found.publishedAt)}に発信されました。`;
        await markStatement(tx, {
          incident,
          madeAt: found.publishedAt,
          actor,
          at,
          note,
          data: { postId: found.postId },
        });
        await finishStep(tx, { incident, stepKey: "holding_statement", note, actor, at });
        return {
          result: undefined,
          target: { type: INCIDENT_TARGET, id: incident.id },
          summary: { postId: found.postId, publicStatementAt: found.publishedAt },
        };
      }),
    );
  }
  return count;
}

/**
 * Opens the statement reminder for every open 炎上 whose time has passed without a public
 * statement (once per incident); returns how many were opened.
 */
export async function remindMissingStatements(
  ctx: AppContext,
  actor: Actor = systemActor("scheduler"),
): Promise<number> {
  const hours = guidelinePack().incidents.publicStatementReminderHours;
  const now = ctx.clock.now();
  const before = new Date(now.getTime() - hours * 3_600_000);
  let count = 0;
  for (const candidate of await awaitingStatement(ctx.db, ["flaming"], before)) {
    if (await hasIncidentTask(ctx.db, candidate.id, INCIDENT_STATEMENT_TASK)) continue;
    count += await unlessDone(() =>
      change(ctx, actor, "incident.statement_reminder", async (tx, at) => {
        const incident = await lockIncidentSkipLocked(tx, candidate.id);
        if (
          !incident ||
          !statementReminderDue({ ...incident, reportedAt: incident.createdAt }, at, hours) ||
          (await hasIncidentTask(tx, incident.id, INCIDENT_STATEMENT_TASK))
        )
          throw new NothingToDo();
        const label = incidentTypeLabels[incident.type];
        const taskId = await openIncidentTask(tx, {
          kind: INCIDENT_STATEMENT_TASK,
          incident,
          assigneeId: incident.managerId,
          title: `公式な説明がまだ発信されていません: ${label}「${incident.title}」`,
          clause: "7.2.3",
          dueDate: tokyoDate(at),
          at,
        });
        await addEvent(tx, {
          incidentId: incident.id,
          kind: "statement_reminder",
          note: `報告から${hours}時間が過ぎても、公式な説明が発信されていません。対応に時間を要する場合は、その旨を説明してください（第7-2(3)）。`,
          data: { taskId, hours },
          actor,
          at,
        });
        await alertIncident(ctx, tx, {
          incidentId: incident.id,
          recipientIds: [incident.managerId],
          title: `【${label}】公式な説明がまだ発信されていません: ${incident.title}`,
          body: `報告（${formatDateTime(incident.createdAt)}）から${hours}時間が過ぎましたが、公式な説明が記録されていません。無視や放置をしているなどの誤解を招かないよう、対応に時間を要する旨を説明してください（第7-2(3)）。`,
          dedupeKey: `incident:${incident.id}:statement`,
        });
        return {
          result: undefined,
          target: { type: INCIDENT_TARGET, id: incident.id },
          summary: { taskId, hours, reportedAt: incident.createdAt },
        };
      }),
    );
  }
  return count;
}

/** Both timers, in order (a statement published just now prevents its reminder). */
export async function runIncidentTimers(ctx: AppContext): Promise<{ statements: number; reminders: number }> {
  const statements = await recordPublishedStatements(ctx);
  const reminders = await remindMissingStatements(ctx);
  return { statements, reminders };
}
