/**
 * SQL for the audit log: appending under a transaction-scoped advisory lock (so sequence numbers
 * have no gaps and the chain has one head), reading in order, filtering for the viewer.
 */
import { and, asc, desc, eq, gt, gte, ilike, lt, lte, max, min, or, type SQL, sql } from "drizzle-orm";
import {
  type AuditEntryBody,
  type AuditEntryRecord,
  type Checkpoint,
  checkpointHash,
  entryHash,
  GENESIS_HASH,
  type JsonValue,
} from "../../domain/audit-chain.ts";
import type { Db } from "../client.ts";
import { auditCheckpoints, auditLog } from "../schema.ts";

/** Advisory lock key held while appending (released at commit or rollback). */
const AUDIT_APPEND_LOCK = 7_410_002;
/** Advisory lock key held while storing a checkpoint, so the checkpoint chain has one head. */
const AUDIT_CHECKPOINT_LOCK = 7_410_003;

type AuditRow = typeof auditLog.$inferSelect;

function isJsonValue(value: unknown): value is JsonValue {
  if (value === null) return true;
  if (["string", "number", "boolean"].includes(typeof value)) return true;
  if (Array.isArray(value)) return value.every(isJsonValue);
  if (typeof value === "object") return Object.values(value).every(isJsonValue);
  return false;
}

/** Converts a row to the record the chain functions use. */
export function toRecord(row: AuditRow): AuditEntryRecord {
  return {
    seq: row.seq,
    at: row.at.toISOString(),
    actorId: row.actorId,
    actorLabel: row.actorLabel,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    summary: isJsonValue(row.summary) ? row.summary : null,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

/**
 * Appends one entry in the caller's transaction. The lock serialises appenders; the sequence
 * number is the last one plus one, so a rolled-back transaction leaves no gap.
 */
export async function appendEntry(tx: Db, body: Omit<AuditEntryBody, "seq">): Promise<AuditEntryRecord> {
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_APPEND_LOCK})`);
  const [last] = await tx
    .select({ seq: auditLog.seq, hash: auditLog.hash })
    .from(auditLog)
    .orderBy(desc(auditLog.seq))
    .limit(1);
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS_HASH;
  const full: AuditEntryBody = { ...body, seq };
  const hash = entryHash(prevHash, full);
  await tx.insert(auditLog).values({
    seq,
    at: new Date(full.at),
    actorId: full.actorId,
    actorLabel: full.actorLabel,
    action: full.action,
    targetType: full.targetType,
    targetId: full.targetId,
    summary: full.summary,
    prevHash,
    hash,
  });
  return { ...full, prevHash, hash };
}

/** The newest entry, or null for an empty log. */
export async function lastEntry(db: Db): Promise<AuditEntryRecord | null> {
  const [row] = await db.select().from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
  return row ? toRecord(row) : null;
}

/** Entries with seq > `afterSeq`, in order, at most `limit`. */
export async function entriesAfter(db: Db, afterSeq: number, limit: number): Promise<AuditEntryRecord[]> {
  const rows = await db
    .select()
    .from(auditLog)
    .where(gt(auditLog.seq, afterSeq))
    .orderBy(asc(auditLog.seq))
    .limit(limit);
  return rows.map(toRecord);
}

export async function entryAt(db: Db, seq: number): Promise<AuditEntryRecord | null> {
  const [row] = await db.select().from(auditLog).where(eq(auditLog.seq, seq));
  return row ? toRecord(row) : null;
}

export type AuditFilter = {
  from?: Date;
  to?: Date;
  actorId?: number;
  /** An action (`post.approve`), or an area ending in a dot (`post.`) for all its actions. */
  action?: string;
  targetType?: string;
  targetId?: string;
  text?: string;
  /** Target types the reader may not see (violation records for those who may not read them, 9). */
  hiddenTargetTypes?: readonly string[];
};

function filterConditions(filter: AuditFilter): SQL | undefined {
  const conditions: SQL[] = [];
  if (filter.from) conditions.push(gte(auditLog.at, filter.from));
  if (filter.to) conditions.push(lt(auditLog.at, filter.to));
  if (filter.actorId !== undefined) conditions.push(eq(auditLog.actorId, filter.actorId));
  // "post." is an area (every action in it); "post.approve" is that action only.
  if (filter.action)
    conditions.push(
      filter.action.endsWith(".")
        ? ilike(auditLog.action, `${escapeLike(filter.action)}%`)
        : eq(auditLog.action, filter.action),
    );
  if (filter.targetType) conditions.push(eq(auditLog.targetType, filter.targetType));
  if (filter.targetId) conditions.push(eq(auditLog.targetId, filter.targetId));
  for (const type of filter.hiddenTargetTypes ?? []) conditions.push(sql`${auditLog.targetType} <> ${type}`);
  if (filter.text) {
    const pattern = `%${escapeLike(filter.text)}%`;
    const textMatch = or(
      ilike(auditLog.actorLabel, pattern),
      sql`${auditLog.summary}::text ilike ${pattern}`,
    );
    if (textMatch) conditions.push(textMatch);
  }
  return conditions.length ? and(...conditions) : undefined;
}

/** Escapes LIKE wildcards in user input. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** One page of entries, newest first, for the viewer. */
export async function searchEntries(
  db: Db,
  filter: AuditFilter,
  page: { beforeSeq?: number; limit: number },
): Promise<AuditEntryRecord[]> {
  const where = and(
    filterConditions(filter),
    page.beforeSeq !== undefined ? lt(auditLog.seq, page.beforeSeq) : undefined,
  );
  const rows = await db.select().from(auditLog).where(where).orderBy(desc(auditLog.seq)).limit(page.limit);
  return rows.map(toRecord);
}

/** Entries in a time range, oldest first (export). */
export async function entriesBetween(db: Db, from: Date, to: Date): Promise<AuditEntryRecord[]> {
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(gte(auditLog.at, from), lte(auditLog.at, to)))
    .orderBy(asc(auditLog.seq));
  return rows.map(toRecord);
}

type CheckpointRow = typeof auditCheckpoints.$inferSelect;

/**
 * Converts a row to a checkpoint. `position` is the row's place among all checkpoints in `id`
 * order (1-based): the number of a format 1 row, which stores none.
 */
function toCheckpoint(row: CheckpointRow, position: number): Checkpoint {
  const base =
    row.format === 1
      ? {
          version: 1 as const,
          seq: position,
          prevHash: null,
          entry: { seq: row.seq, hash: row.hash, at: null },
          at: row.at.toISOString(),
          final: false,
        }
      : {
          version: 2 as const,
          // A format 2 row missing its chain columns was not written by snsgov: its signature fails.
          seq: row.chainSeq ?? 0,
          prevHash: row.prevHash ?? "",
          entry: { seq: row.seq, hash: row.hash, at: row.entryAt?.toISOString() ?? "" },
          at: row.at.toISOString(),
          final: row.final,
        };
  return { ...base, hash: checkpointHash(base), keyId: row.keyId, signature: row.signature };
}

/** Stores a checkpoint (format 2 as the signer makes them; format 1 only to reproduce old data). */
export async function insertCheckpoint(db: Db, checkpoint: Checkpoint): Promise<void> {
  const common = {
    seq: checkpoint.entry.seq,
    hash: checkpoint.entry.hash,
    at: new Date(checkpoint.at),
    keyId: checkpoint.keyId,
    signature: checkpoint.signature,
  };
  if (checkpoint.version === 1) {
    await db.insert(auditCheckpoints).values({ ...common, format: 1 });
    return;
  }
  await db.insert(auditCheckpoints).values({
    ...common,
    format: 2,
    chainSeq: checkpoint.seq,
    prevHash: checkpoint.prevHash,
    entryAt: checkpoint.entry.at === null ? null : new Date(checkpoint.entry.at),
    final: checkpoint.final,
  });
}

/**
 * Stores `checkpoint` only if the newest stored checkpoint is still `expected` (compared by hash;
 * null: none stored), under a lock so that two signers never both extend the same head. Returns
 * false, storing nothing, when another signer got there first.
 */
export async function appendCheckpoint(
  db: Db,
  checkpoint: Checkpoint,
  expected: { hash: string } | null,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHECKPOINT_LOCK})`);
    const head = await lastCheckpoint(tx);
    if ((head?.hash ?? null) !== (expected?.hash ?? null)) return false;
    await insertCheckpoint(tx, checkpoint);
    return true;
  });
}

/**
 * Checkpoints after the row with id `afterId`, in `id` order, at most `limit`; `afterPosition` is
 * the number of rows up to `afterId` (0 from the start), which numbers format 1 rows.
 */
export async function checkpointsAfter(
  db: Db,
  cursor: { afterId: number; afterPosition: number },
  limit: number,
): Promise<{ id: number; checkpoint: Checkpoint }[]> {
  const rows = await db
    .select()
    .from(auditCheckpoints)
    .where(gt(auditCheckpoints.id, cursor.afterId))
    .orderBy(asc(auditCheckpoints.id))
    .limit(limit);
  return rows.map((row, i) => ({ id: row.id, checkpoint: toCheckpoint(row, cursor.afterPosition + i + 1) }));
}

/** Every checkpoint in chain order (tests and small logs; verification streams instead). */
export async function allCheckpoints(db: Db): Promise<Checkpoint[]> {
  const rows = await db.select().from(auditCheckpoints).orderBy(asc(auditCheckpoints.id));
  return rows.map((row, i) => toCheckpoint(row, i + 1));
}

/** The newest checkpoint stored (the head of the checkpoint chain), or null. */
export async function lastCheckpoint(db: Db): Promise<Checkpoint | null> {
  const [row] = await db.select().from(auditCheckpoints).orderBy(desc(auditCheckpoints.id)).limit(1);
  if (!row) return null;
  if (row.format !== 1) return toCheckpoint(row, 0);
  const [counted] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(auditCheckpoints)
    .where(lte(auditCheckpoints.id, row.id));
  return toCheckpoint(row, counted?.n ?? 0);
}

/** The format 2 checkpoint with chain number `seq`, or null. */
export async function checkpointAt(db: Db, seq: number): Promise<Checkpoint | null> {
  const [row] = await db.select().from(auditCheckpoints).where(eq(auditCheckpoints.chainSeq, seq));
  return row ? toCheckpoint(row, 0) : null;
}

/** The format 2 checkpoints numbered after `seq`, in chain order. */
export async function chainedCheckpointsAfter(db: Db, seq: number): Promise<Checkpoint[]> {
  const rows = await db
    .select()
    .from(auditCheckpoints)
    .where(and(eq(auditCheckpoints.format, 2), gt(auditCheckpoints.chainSeq, seq)))
    .orderBy(asc(auditCheckpoints.chainSeq));
  return rows.map((row) => toCheckpoint(row, 0));
}

/** The newest format 2 checkpoint (what the public endpoint shows), or null. */
export async function lastChainedCheckpoint(db: Db): Promise<Checkpoint | null> {
  const [row] = await db
    .select()
    .from(auditCheckpoints)
    .where(eq(auditCheckpoints.format, 2))
    .orderBy(desc(auditCheckpoints.id))
    .limit(1);
  return row ? toCheckpoint(row, 0) : null;
}

/**
 * The lowest and highest seq of entries with `from <= at < to` (export). Bounds by seq, not by
 * time, so an export is one unbroken run of the chain even where `at` is not monotonic.
 */
export async function seqRangeBetween(
  db: Db,
  from: Date,
  to: Date,
): Promise<{ first: number; last: number } | null> {
  const [row] = await db
    .select({ first: min(auditLog.seq), last: max(auditLog.seq) })
    .from(auditLog)
    .where(and(gte(auditLog.at, from), lt(auditLog.at, to)));
  if (!row || row.first === null || row.last === null) return null;
  return { first: row.first, last: row.last };
}
