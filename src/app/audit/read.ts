/**
 * Reading the audit log (auditor, security director, administrator) and exporting what a filter
 * finds as CSV (auditor, administrator). Entries about violation records (9) are left out for a
 * reader who may not know that such records exist.
 */
import { type AuditFilter, searchEntries } from "../../db/repos/audit.ts";
import {
  type AuditActionGroup,
  auditActionGroups,
  auditActionLabel,
  auditAreaOf,
} from "../../domain/audit-actions.ts";
import { auditTargetText, describeAuditEntry } from "../../domain/audit-summary.ts";
import { formatCsvDateTime, tokyoDate } from "../../domain/dates.ts";
import { validation } from "../../errors.ts";
import { allowed, authorize } from "../authorize.ts";
import type { Actor, AppContext } from "../context.ts";
import { toCsvBytes } from "../csv.ts";
import { VIOLATION_TARGET } from "../violations/access.ts";
import { loadVerificationKey } from "./keys.ts";
import { change } from "./record.ts";
import { type AuditVerifyResult, verifyAudit } from "./verify.ts";

/** The filter the reader may use: violation entries hidden from those who may not see them (9). */
function readersFilter(actor: Actor, filter: AuditFilter): AuditFilter {
  return allowed(actor, "violation.read") ? filter : { ...filter, hiddenTargetTypes: [VIOLATION_TARGET] };
}

/** One page of entries, newest first, continuing before `beforeSeq`. */
export async function searchAudit(
  ctx: AppContext,
  props: { actor: Actor; filter: AuditFilter; beforeSeq?: number; limit?: number },
) {
  await authorize(ctx, props.actor, "audit.read");
  const limit = Math.min(Math.max(props.limit ?? 50, 1), 500);
  return searchEntries(ctx.db, readersFilter(props.actor, props.filter), {
    beforeSeq: props.beforeSeq,
    limit,
  });
}

/**
 * The actions the reader's filter offers, grouped by area: the violation records' area only to
 * those who may know that such records exist (9).
 */
export function auditFilterGroups(actor: Actor): AuditActionGroup[] {
  const mayKnow = allowed(actor, "violation.read");
  return auditActionGroups().filter((g) => mayKnow || g.area !== VIOLATION_TARGET);
}

/** The most entries one CSV export holds (newest first); a narrower filter gets older ones. */
export const AUDIT_CSV_LIMIT = 10_000;

/** Header row of the audit CSV. */
export const auditCsvHeaders = [
  "番号",
  "日時",
  "操作した人",
  "分野",
  "操作",
  "操作（記録上の名前）",
  "対象",
  "内容",
  "記録（JSON）",
] as const;

/**
 * The entries a filter finds, newest first, as CSV for Excel (UTF-8 with BOM): the same labels and
 * sentences as the viewer, and the JSON as recorded. More than AUDIT_CSV_LIMIT entries are refused
 * with what to do (narrow the conditions, or `snsgov audit export` on the server), never cut off
 * silently: whoever opens the file must be able to trust it holds everything the filter found. The
 * export is itself recorded (`audit.export`, with the filter and the number of entries): the log
 * names people.
 * @param props.actor must be allowed `audit.export`
 * @param props.limit at most this many entries (default AUDIT_CSV_LIMIT)
 * @throws 422 when the filter finds more than `limit` entries
 */
export async function exportAuditCsv(
  ctx: AppContext,
  props: { actor: Actor; filter: AuditFilter; limit?: number },
): Promise<{ filename: string; body: Uint8Array; count: number }> {
  await authorize(ctx, props.actor, "audit.export");
  const limit = props.limit ?? AUDIT_CSV_LIMIT;
  const entries = await searchEntries(ctx.db, readersFilter(props.actor, props.filter), { limit: limit + 1 });
  if (entries.length > limit)
    throw validation(
      `監査ログのCSVには一度に${limit.toLocaleString("ja-JP")}件までの記録を含められます。期間などの条件を絞り込んで、分けて書き出してください（すべての記録は、サーバーで snsgov audit export を使って書き出せます）。`,
    );
  const rows = entries.map((e) => [
    String(e.seq),
    formatCsvDateTime(new Date(e.at)),
    e.actorLabel,
    auditAreaOf(e.action).label,
    auditActionLabel(e.action),
    e.action,
    auditTargetText(e.targetType, e.targetId),
    describeAuditEntry(e).join("。"),
    JSON.stringify(e.summary),
  ]);
  await change(ctx, props.actor, "audit.export", async () => ({
    result: undefined,
    target: { type: "audit" },
    summary: { filter: filterSummary(props.filter), count: entries.length },
  }));
  return {
    filename: `audit-${tokyoDate(ctx.clock.now()).replaceAll("-", "")}.csv`,
    body: toCsvBytes([auditCsvHeaders, ...rows]),
    count: entries.length,
  };
}

function filterSummary(filter: AuditFilter): Record<string, string | number> {
  return Object.fromEntries(
    Object.entries(filter).flatMap(([key, value]) => {
      if (value instanceof Date) return [[key, value.toISOString()]];
      if (typeof value === "string" || typeof value === "number") return [[key, value]];
      return [];
    }),
  );
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
