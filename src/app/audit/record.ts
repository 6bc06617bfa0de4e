/**
 * Recording state changes. Every use case that changes something calls `record` exactly once,
 * inside its transaction, so the change and its audit entry commit together or not at all.
 */
import type { Db } from "../../db/client.ts";
import { appendEntry } from "../../db/repos/audit.ts";
import type { AuditAction } from "../../domain/audit-actions.ts";
import { toAuditJson } from "../../domain/audit-chain.ts";
import { type Actor, actorId, actorLabel } from "../context.ts";
import type { EventBus } from "../events.ts";

export type AuditTarget = { type: string; id?: string | number | null };

/**
 * Appends one audit entry in `tx`.
 * @param props.action dotted verb, e.g. `staff.update`, `auth.denied`
 * @param props.summary what changed (before/after); secrets are stripped by key name
 */
export async function record(
  tx: Db,
  props: {
    actor: Actor;
    at: Date;
    action: AuditAction;
    target: AuditTarget;
    summary?: Record<string, unknown>;
  },
): Promise<void> {
  await appendEntry(tx, {
    at: props.at.toISOString(),
    actorId: actorId(props.actor),
    actorLabel: actorLabel(props.actor),
    action: props.action,
    targetType: props.target.type,
    targetId: props.target.id === undefined || props.target.id === null ? null : String(props.target.id),
    summary: toAuditJson(props.summary ?? {}),
  });
}

/** Field-by-field before/after of what changed between two objects (only changed keys). */
export function diff<T extends Record<string, unknown>>(
  before: T,
  after: Partial<T>,
): Record<string, unknown> {
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  for (const [key, value] of Object.entries(after)) {
    if (value === undefined) continue;
    const old = before[key];
    const same =
      old instanceof Date && value instanceof Date ? old.getTime() === value.getTime() : old === value;
    if (!same) changes[key] = { before: old, after: value };
  }
  return { changes };
}

/** What a change returns to `change`: its result and what to write in the audit entry. */
export type Changed<T> = { result: T; target: AuditTarget; summary: Record<string, unknown> };

/**
 * Runs `work` in one transaction and appends its one audit entry there: the shape of every
 * state-changing use case.
 */
export async function change<T>(
  ctx: { db: Db; clock: { now(): Date }; events: Pick<EventBus, "committed"> },
  actor: Actor,
  action: AuditAction,
  work: (tx: Db, at: Date) => Promise<Changed<T>>,
): Promise<T> {
  let committed: AuditTarget | undefined;
  const result = await ctx.db.transaction(async (tx) => {
    const at = ctx.clock.now();
    const changed = await work(tx, at);
    await record(tx, { actor, at, action, target: changed.target, summary: changed.summary });
    committed = changed.target;
    return changed.result;
  });
  // Nested in an outer transaction this runs before the outer commit; listeners only drop caches.
  if (committed) ctx.events.committed({ action, target: committed });
  return result;
}
