/**
 * Who may see and act on an incident (7). Besides roles, the policy needs facts only data can
 * tell: whether the person is named by the incident (reported it, is its manager, owns a step)
 * and whether they carry out its playbook. This module looks those up, so every incident use
 * case asks the same way. An incident the person may not see is "not found" (its existence is
 * not disclosed); a refused action is a 403 with an audit entry and a message citing the clause.
 *
 * 7 (職員は直ちにアカウント管理者に報告し、アカウント管理者が対応する): reporting does not make one a
 * responder. The reporter adds information — notes and files (`incident.note`), another fake
 * account or the false claim, and the steps the playbook gave them at the report — while
 * receiving the report, giving steps to people, the severity, the status and every public text
 * stay with the responders: the incident's manager, the account managers and directors the
 * policy names, and those a responder gave a step to.
 */
import {
  findIncidentView,
  type IncidentView,
  type IncidentVisibility,
  stepOwnership,
} from "../../db/repos/incidents.ts";
import { incidentRefusals } from "../../domain/incidents.ts";
import type { Action, Target } from "../../domain/policy.ts";
import { notFound } from "../../errors.ts";
import { allowed, authorize, refuse } from "../authorize.ts";
import type { Actor, AppContext } from "../context.ts";

/** The facts about the person and the incident the policy needs. */
export type IncidentFacts = {
  target: Target;
  isManager: boolean;
  /** Owns a step of the incident, however they came to own it (a responder gives one, 7). */
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
  const steps = await stepOwnership(ctx.db, incident.id, actor.staffId);
  const isManager = incident.managerId === actor.staffId;
  const isReporter = incident.reportedBy === actor.staffId;
  return {
    target: {
      ...home,
      involved: isReporter || isManager || steps.owns,
      // A step the playbook gave the reporter does not make them a responder; one given by a
      // responder does.
      responder: isManager || steps.assigned,
    },
    isManager,
    ownsAStep: steps.owns,
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

/** The refusal each guarded action gives when no message is named. */
const defaultRefusals: Partial<Record<Action, string>> = {
  "incident.respond": incidentRefusals.respond,
  "incident.close": incidentRefusals.close,
};

/**
 * A visible incident on which the actor may do `action` (403 with an audit entry otherwise).
 * @param refusal the refusal's message (with its clause); by default the one for the action
 */
export async function incidentFor(
  ctx: AppContext,
  actor: Actor,
  id: number,
  action: Action,
  refusal?: string,
): Promise<{ incident: IncidentView; facts: IncidentFacts }> {
  const seen = await visibleIncident(ctx, actor, id);
  await requireAction(ctx, actor, seen, action, refusal);
  return seen;
}

/**
 * Refuses (403 with an audit entry) unless the actor may do `action` on the incident they see.
 * @param refusal the refusal's message (with its clause); by default the one for the action
 */
export async function requireAction(
  ctx: AppContext,
  actor: Actor,
  seen: { incident: IncidentView; facts: IncidentFacts },
  action: Action,
  refusal?: string,
): Promise<void> {
  const target = action === "incident.close" ? closeTarget(seen.facts) : seen.facts.target;
  if (allowed(actor, action, target)) return;
  const message = refusal ?? defaultRefusals[action];
  if (message === undefined) return authorize(ctx, actor, action, target);
  throw await refuse(ctx, actor, action, { incidentId: seen.incident.id, ...target }, message);
}

/** Whether the actor responds to this incident (7): may act on it beyond adding information. */
export function isResponder(actor: Actor, facts: IncidentFacts): boolean {
  return allowed(actor, "incident.respond", facts.target);
}

/**
 * Whether the actor may add information to the incident (7): a responder, or the person who
 * reported it (not the read-only auditor, who may not write at all).
 */
export function mayInform(actor: Actor, facts: IncidentFacts): boolean {
  return isResponder(actor, facts) || (facts.isReporter && allowed(actor, "incident.note", facts.target));
}

/**
 * A visible incident to which the actor may add information (see `mayInform`); others get the
 * responders' refusal (403 with an audit entry). `responder` says whether they also respond.
 */
export async function incidentToInform(
  ctx: AppContext,
  actor: Actor,
  id: number,
  action: string,
): Promise<{ incident: IncidentView; facts: IncidentFacts; responder: boolean }> {
  const seen = await visibleIncident(ctx, actor, id);
  if (!mayInform(actor, seen.facts))
    throw await refuse(
      ctx,
      actor,
      action,
      { incidentId: id, ...seen.facts.target },
      incidentRefusals.respond,
    );
  return { ...seen, responder: isResponder(actor, seen.facts) };
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
