/**
 * The shape of every change to an incident: one transaction that locks the incident, refuses a
 * closed one, does the work, writes its timeline entries and exactly one audit entry (target
 * `incident`, which the public pages listen to: a なりすまし warning or a 7.4 notice is visible
 * on the next request). Also the tasks an incident opens in the shared `tasks` table.
 */
import type { Db } from "../../db/client.ts";
import {
  type Incident,
  insertIncidentEvent,
  lockIncident,
  openIncidentTasks,
  updateIncident,
} from "../../db/repos/incidents.ts";
import { closeTask, openTask } from "../../db/repos/tasks.ts";
import type { AuditAction } from "../../domain/audit-actions.ts";
import { isOpenIncident } from "../../domain/incidents.ts";
import { conflict, notFound } from "../../errors.ts";
import { change } from "../audit/record.ts";
import { type Actor, type AppContext, actorId } from "../context.ts";

/** The audit target type of every incident change (listed in the public pages' target types). */
export const INCIDENT_TARGET = "incident";

/** 7: the account manager is told at once — a task on their dashboard. */
export const INCIDENT_REPORT_TASK = "incident_report";
/** 7.2.3: no public statement within the pack's hours — a task for the manager. */
export const INCIDENT_STATEMENT_TASK = "incident_statement";

/** What a piece of incident work gives back: its result and the audit summary. */
export type IncidentWorkResult<T> = { result: T; summary: Record<string, unknown> };

/**
 * Runs `work` on the locked incident in one audited change. A closed incident refuses changes
 * unless `allowClosed`.
 */
export async function changeIncident<T>(
  ctx: AppContext,
  actor: Actor,
  action: AuditAction,
  incidentId: number,
  work: (tx: Db, at: Date, incident: Incident) => Promise<IncidentWorkResult<T>>,
  options: { allowClosed?: boolean } = {},
): Promise<T> {
  return change(ctx, actor, action, async (tx, at) => {
    const incident = await lockIncident(tx, incidentId);
    if (!incident) throw notFound("インシデント");
    if (!options.allowClosed && !isOpenIncident(incident.status))
      throw conflict(
        "このインシデントは終結しています。新たな問題が起きた場合は、新しいインシデントとして報告してください。",
      );
    const { result, summary } = await work(tx, at, incident);
    await updateIncident(tx, incident.id, {}, at);
    return { result, target: { type: INCIDENT_TARGET, id: incident.id }, summary };
  });
}

/** Runs the creation of an incident (a report) in one audited change targeting the new incident. */
export async function changeIncidentCreation<T>(
  ctx: AppContext,
  actor: Actor,
  action: AuditAction,
  work: (tx: Db, at: Date) => Promise<IncidentWorkResult<T> & { incidentId: number }>,
): Promise<T> {
  return change(ctx, actor, action, async (tx, at) => {
    const { result, incidentId, summary } = await work(tx, at);
    return { result, target: { type: INCIDENT_TARGET, id: incidentId }, summary };
  });
}

/** Writes one timeline entry. */
export async function addEvent(
  tx: Db,
  props: { incidentId: number; kind: string; note?: string; data?: unknown; actor: Actor; at: Date },
): Promise<void> {
  await insertIncidentEvent(tx, {
    incidentId: props.incidentId,
    kind: props.kind,
    note: props.note ?? "",
    data: props.data ?? null,
    actorId: actorId(props.actor),
    at: props.at,
  });
}

/** Opens a task for the incident (its `cause` names the incident). */
export async function openIncidentTask(
  tx: Db,
  props: {
    kind: string;
    incident: Pick<Incident, "id" | "accountId">;
    assigneeId: number | null;
    title: string;
    clause: string;
    dueDate: string;
    at: Date;
  },
): Promise<number> {
  const row = await openTask(tx, {
    kind: props.kind,
    accountId: props.incident.accountId,
    assigneeId: props.assigneeId,
    title: props.title,
    clause: props.clause,
    dueDate: props.dueDate,
    cause: { incidentId: props.incident.id },
    openedAt: props.at,
  });
  return row.id;
}

/** Closes the incident's open tasks of these kinds; returns their ids. */
export async function closeIncidentTasks(
  tx: Db,
  props: {
    incidentId: number;
    kinds: readonly string[];
    status: "done" | "cancelled";
    actor: Actor;
    at: Date;
    note: string;
  },
): Promise<number[]> {
  const open = await openIncidentTasks(tx, props.incidentId, props.kinds);
  for (const task of open) {
    await closeTask(tx, task.id, {
      status: props.status,
      doneBy: actorId(props.actor),
      doneAt: props.at,
      resolution: { note: props.note },
    });
  }
  return open.map((t) => t.id);
}
