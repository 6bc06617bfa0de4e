/**
 * Reading the audit log (auditor, security director, administrator). Entries about violation
 * records (9) are left out for a reader who may not know that such records exist.
 */
import { type AuditFilter, searchEntries } from "../db/repos/audit.ts";
import { loadVerificationKey } from "./audit-keys.ts";
import { type AuditVerifyResult, verifyAudit } from "./audit-verify.ts";
import { allowed, authorize } from "./authorize.ts";
import type { Actor, AppContext } from "./context.ts";
import { VIOLATION_TARGET } from "./violations/access.ts";

/** One page of entries, newest first, continuing before `beforeSeq`. */
export async function searchAudit(
  ctx: AppContext,
  props: { actor: Actor; filter: AuditFilter; beforeSeq?: number; limit?: number },
) {
  await authorize(ctx, props.actor, "audit.read");
  const limit = Math.min(Math.max(props.limit ?? 50, 1), 500);
  const filter = allowed(props.actor, "violation.read")
    ? props.filter
    : { ...props.filter, hiddenTargetTypes: [VIOLATION_TARGET] };
  return searchEntries(ctx.db, filter, { beforeSeq: props.beforeSeq, limit });
}

/**
 * Recomputes the whole chain and checks the signed checkpoints (their chain and schedule) with the
 * server's key (the security director's and auditor's "is the record intact?"). Reading only; no
 * entry is written.
 */
export async function verifyAuditNow(
  ctx: AppContext,
  props: { actor: Actor },
): Promise<AuditVerifyResult | null> {
  await authorize(ctx, props.actor, "audit.read");
  const key = await loadVerificationKey(ctx.config.auditKeyFile);
  if (!key) return null;
  return verifyAudit(ctx.db, key, {
    checkpointMinutes: ctx.config.auditCheckpointMinutes,
    now: ctx.clock.now(),
  });
}
