/**
 * Exporting the audit log for an auditor as JSON Lines that can be verified with nothing but the
 * file: a header (range, public key, the hash the first entry links to), the entries in seq
 * order, then the signed checkpoints that cover them (chained ones in the same JSON as the anchor
 * file). See docs/audit.md for the format.
 */
import type { KeyObject } from "node:crypto";
import { z } from "zod";
import type { Db } from "../../db/client.ts";
import { entriesAfter, entryAt, seqRangeBetween } from "../../db/repos/audit.ts";
import { type AuditEntryRecord, type Checkpoint, type JsonValue, keyIdOf } from "../../domain/audit-chain.ts";
import { checkpointJson, checkpointJsonSchema } from "./anchor.ts";
import { publicKeyPem } from "./keys.ts";
import { checkpointBatches } from "./verify.ts";

/** The `format` value of the header line (version 2 may hold chained checkpoints). */
export const EXPORT_FORMAT = "snsgov-audit-export/2";
/** Header formats the verifier accepts: files exported before checkpoints were chained, too. */
export const EXPORT_FORMATS = ["snsgov-audit-export/1", EXPORT_FORMAT] as const;

function isJsonValue(value: unknown): value is JsonValue {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonValue);
  if (typeof value === "object") return Object.values(value).every(isJsonValue);
  return false;
}

const seq = z.number().int().positive();
const hash = z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lowercase hex digits");
const seqOrNull = seq.nullable();

/** The first line of an export. */
export const exportHeaderSchema = z.strictObject({
  type: z.literal("header"),
  format: z.enum(EXPORT_FORMATS),
  /** Start of the requested range (inclusive). */
  from: z.string(),
  /** End of the requested range (exclusive). */
  to: z.string(),
  exportedAt: z.string(),
  /** SPKI PEM of the key that signs the checkpoints. */
  publicKey: z.string(),
  keyId: z.string(),
  /** The entry just before the first exported one: what the first entry's prevHash must be. */
  anchor: z.strictObject({ seq, hash }).nullable(),
  /** First and last seq of the entries whose time falls in the range. */
  firstSeq: seqOrNull,
  lastSeq: seqOrNull,
  /** Last exported seq: lastSeq, or further up to the first checkpoint at or after it. */
  throughSeq: seqOrNull,
  /** Number of checkpoint lines. */
  checkpoints: z.number().int().nonnegative(),
});

export const exportEntrySchema = z.strictObject({
  type: z.literal("entry"),
  seq,
  at: z.string(),
  actorId: z.number().int().nullable(),
  actorLabel: z.string(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  summary: z.custom<JsonValue>(isJsonValue, "must be JSON"),
  prevHash: z.string(),
  hash: z.string(),
});

/** A checkpoint line from before checkpoints were chained (format 1): the entry's seq and hash. */
export const exportCheckpointSchema = z.strictObject({
  type: z.literal("checkpoint"),
  seq,
  hash,
  at: z.string(),
  keyId: z.string(),
  signature: z.string(),
});

/** A chained checkpoint line: the anchor file's JSON with `type`. */
export const exportChainedCheckpointSchema = checkpointJsonSchema.extend({ type: z.literal("checkpoint") });

export type ExportHeader = z.infer<typeof exportHeaderSchema>;

function checkpointLine(c: Checkpoint): string {
  const value =
    c.version === 1
      ? {
          type: "checkpoint",
          seq: c.entry.seq,
          hash: c.entry.hash,
          at: c.at,
          keyId: c.keyId,
          signature: c.signature,
        }
      : { type: "checkpoint", ...checkpointJson(c) };
  return `${JSON.stringify(value)}\n`;
}

/**
 * The checkpoints an export carries: those covering an entry from `first` to `last`, and the first
 * one after (which confirms the end of the run).
 */
async function checkpointsFor(db: Db, first: number, last: number, batchSize: number): Promise<Checkpoint[]> {
  const chosen: Checkpoint[] = [];
  let closing: Checkpoint | undefined;
  for await (const batch of checkpointBatches(db, batchSize)) {
    for (const c of batch) {
      if (c.entry.seq >= first && c.entry.seq <= last) chosen.push(c);
      else if (c.entry.seq > last && (!closing || c.entry.seq < closing.entry.seq)) closing = c;
    }
  }
  if (!chosen.some((c) => c.entry.seq === last) && closing) chosen.push(closing);
  return chosen;
}

/** What an export wrote. */
export type ExportSummary = {
  entries: number;
  checkpoints: number;
  firstSeq: number | null;
  lastSeq: number | null;
  throughSeq: number | null;
};

/**
 * Writes the entries whose time is in `[from, to)` as JSON Lines to `write` (awaited, so a slow
 * file or pipe is not overrun), reading the log in batches so any size fits in memory.
 *
 * The exported run is bounded by seq (from the lowest to the highest seq in the range), and is
 * extended to the first checkpoint at or after its end so that checkpoint can be checked.
 * @param options.publicKey the checkpoint key, written into the header for offline verification
 * @param options.exportedAt the time written into the header (default now)
 */
export async function exportAudit(
  db: Db,
  options: { from: Date; to: Date; publicKey: KeyObject; exportedAt?: Date; batchSize?: number },
  write: (chunk: string) => void | Promise<void>,
): Promise<ExportSummary> {
  const batchSize = options.batchSize ?? 2000;
  const range = await seqRangeBetween(db, options.from, options.to);
  const checkpoints = range ? await checkpointsFor(db, range.first, range.last, batchSize) : [];
  const throughSeq = range ? checkpoints.reduce((max, c) => Math.max(max, c.entry.seq), range.last) : null;
  const previous = range && range.first > 1 ? await entryAt(db, range.first - 1) : null;

  const header: ExportHeader = {
    type: "header",
    format: EXPORT_FORMAT,
    from: options.from.toISOString(),
    to: options.to.toISOString(),
    exportedAt: (options.exportedAt ?? new Date()).toISOString(),
    publicKey: publicKeyPem(options.publicKey),
    keyId: keyIdOf(options.publicKey),
    anchor: previous ? { seq: previous.seq, hash: previous.hash } : null,
    firstSeq: range?.first ?? null,
    lastSeq: range?.last ?? null,
    throughSeq,
    checkpoints: checkpoints.length,
  };
  await write(`${JSON.stringify(header)}\n`);

  let entries = 0;
  if (range && throughSeq !== null) {
    let after = range.first - 1;
    while (after < throughSeq) {
      const batch: AuditEntryRecord[] = await entriesAfter(db, after, batchSize);
      const wanted = batch.filter((e) => e.seq <= throughSeq);
      if (wanted.length) {
        await write(wanted.map((e) => `${JSON.stringify({ type: "entry", ...e })}\n`).join(""));
        entries += wanted.length;
      }
      const last = batch.at(-1);
      if (!last || batch.length < batchSize || wanted.length < batch.length) break;
      after = last.seq;
    }
  }
  if (checkpoints.length) {
    await write(checkpoints.map(checkpointLine).join(""));
  }
  return {
    entries,
    checkpoints: checkpoints.length,
    firstSeq: header.firstSeq,
    lastSeq: header.lastSeq,
    throughSeq,
  };
}
