/**
 * Who may see and act on an incident (7). Besides roles, the policy needs facts only data can
 * tell: whether the person is named by the incident (reported it, is its manager, owns a step)
 * and whether they carry out its playbook. This module looks those up, so every incident use
 * case asks the same way. An incident the person may not see is "not found" (its existence is
 * not disclosed); a refused action is a 403 with an audit entry.
 */
import {
  findIncidentView,
  type IncidentView,
  type IncidentVisibility,
  ownsStep,
} from "../../db/repos/incidents.ts";
import type { Action, Target } from "../../domain/policy.ts";
import { notFound } from "../../errors.ts";
import { allowed, authorize } from "../authorize.ts";
import type { Actor, AppContext } from "../context.ts";

/** The facts about the person and the incident the policy needs. */
export type IncidentFacts = {
  target: Target;
  isManager: boolean;
  ownsAStep: boolean;
  isReporter: boolean;
};

/** The policy target of an incident for this actor. */
export async function incidentFacts(
  ctx: AppContext,
  actor: Actor,
  incident: IncidentView,
): Promise<IncidentFacts> {
  const home: Target =
    incident.accountDivisionId === null
      ? {}
      : { divisionId: incident.accountDivisionId, departmentId: incident.accountDepartmentId };
  if (actor.kind === "system") return { target: home, isManager: false, ownsAStep: false, isReporter: false };
  const ownsAStep = await ownsStep(ctx.db, incident.id, actor.staffId);
  const isManager = incident.managerId === actor.staffId;
  const isReporter = incident.reportedBy === actor.staffId;
  return {
    target: { ...home, involved: isReporter || isManager || ownsAStep, responder: isManager || ownsAStep },
    isManager,
    ownsAStep,
    isReporter,
  };
}

/** The target for closing: only the incident's own manager counts as its responder. */
export function closeTarget(facts: IncidentFacts): Target {
  return { ...facts.target, responder: facts.isManager };
}

/** An incident the actor may see, with the facts (404 otherwise). */
export async function visibleIncident(
  ctx: AppContext,
  actor: Actor,
  id: number,
): Promise<{ incident: IncidentView; facts: IncidentFacts }> {
  const incident = await findIncidentView(ctx.db, id);
  if (!incident) throw notFound("インシデント");
  const facts = await incidentFacts(ctx, actor, incident);
  if (!allowed(actor, "incident.read", facts.target)) throw notFound("インシデント");
  return { incident, facts };
}

/** A visible incident on which the actor may do `action` (403 with an audit entry otherwise). */
export async function incidentFor(
  ctx: AppContext,
  actor: Actor,
  id: number,
  action: Action,
): Promise<{ incident: IncidentView; facts: IncidentFacts }> {
  const seen = await visibleIncident(ctx, actor, id);
  await authorize(
    ctx,
    actor,
    action,
    action === "incident.close" ? closeTarget(seen.facts) : seen.facts.target,
  );
  return seen;
}

/**
 * Which incidents the actor sees in lists: all for the directors and the auditor (null); else
 * those that name them, of their own division's accounts, of the divisions they manage and of
 * the departments they head.
 */
export function visibilityOf(actor: Actor): IncidentVisibility | null {
  if (actor.kind === "system" || allowed(actor, "incident.read_all")) return null;
  const divisionIds = new Set<number>();
  const departmentIds = new Set<number>();
  if (actor.divisionId !== null) divisionIds.add(actor.divisionId);
  for (const g of actor.grants) {
    if (g.role === "account_manager" && g.scope.type === "division") divisionIds.add(g.scope.id);
    if (g.role === "department_head" && g.scope.type === "department") departmentIds.add(g.scope.id);
  }
  return { staffId: actor.staffId, divisionIds: [...divisionIds], departmentIds: [...departmentIds] };
}
