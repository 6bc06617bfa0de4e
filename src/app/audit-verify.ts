/**
 * Verifying the audit log: recompute the hash chain (streamed in batches, so a log of millions of
 * entries never sits in memory) and check every signed checkpoint against it; and the same for an
 * export file, offline, with nothing but the file (and optionally the city's public key).
 * Both name the first bad entry.
 */
import type { KeyObject } from "node:crypto";
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import type { z } from "zod";
import type { Db } from "../db/client.ts";
import { allCheckpoints, entriesAfter } from "../db/repos/audit.ts";
import {
  type AuditEntryRecord,
  type ChainProblem,
  type CheckpointRecord,
  checkpointSignatureValid,
  firstChainProblem,
  keyIdOf,
} from "../domain/audit-chain.ts";
import {
  type ExportHeader,
  exportCheckpointSchema,
  exportEntrySchema,
  exportHeaderSchema,
} from "./audit-export.ts";
import { AuditKeyError, parsePublicKey } from "./audit-keys.ts";

const DEFAULT_BATCH = 2000;

/** Outcome of verifying the log in the database. */
export type AuditVerifyResult = {
  ok: boolean;
  /** Entries read. */
  entries: number;
  /** Checkpoints checked. */
  checkpoints: number;
  /** Highest seq present (0 for an empty log). */
  lastSeq: number;
  /** Highest seq a valid checkpoint confirms, or null. */
  confirmedThrough: number | null;
  /** The first problem, naming the first bad entry. */
  firstProblem?: ChainProblem;
};

/**
 * Reads the entries after `afterSeq` in seq order, `batchSize` at a time (keyset pagination), up
 * to `throughSeq` when given.
 */
export async function* entryBatches(
  db: Db,
  afterSeq: number,
  batchSize: number,
  throughSeq = Number.POSITIVE_INFINITY,
): AsyncGenerator<AuditEntryRecord[]> {
  let after = afterSeq;
  while (after < throughSeq) {
    const batch = await entriesAfter(db, after, batchSize);
    const wanted = batch.filter((e) => e.seq <= throughSeq);
    if (wanted.length) yield wanted;
    const last = batch.at(-1);
    if (!last || batch.length < batchSize || wanted.length < batch.length) return;
    after = last.seq;
  }
}

/**
 * The first chain problem among the entries after `previous` (null: from the first entry) up to
 * `throughSeq`, streamed in batches.
 */
export async function chainProblemAfter(
  db: Db,
  previous: { seq: number; hash: string } | null,
  throughSeq: number,
  batchSize = DEFAULT_BATCH,
): Promise<ChainProblem | null> {
  let anchor = previous;
  for await (const batch of entryBatches(db, previous?.seq ?? 0, batchSize, throughSeq)) {
    const problem = firstChainProblem(batch, anchor);
    if (problem) return problem;
    const last = batch.at(-1);
    if (last) anchor = { seq: last.seq, hash: last.hash };
  }
  if ((anchor?.seq ?? 0) < throughSeq) {
    const next = (anchor?.seq ?? 0) + 1;
    return { seq: next, reason: `entry ${next} is missing (the log ends at entry ${anchor?.seq ?? 0})` };
  }
  return null;
}

function keyMap(keys: KeyObject | readonly KeyObject[]): Map<string, KeyObject> {
  const list: readonly KeyObject[] = Array.isArray(keys) ? keys : [keys];
  return new Map(list.map((k) => [keyIdOf(k), k]));
}

/** How a checkpoint is named in messages. */
function checkpointLabel(c: CheckpointRecord): string {
  return `the checkpoint signed at ${c.at}`;
}

/** Why a checkpoint's signature cannot be trusted, or null when it is valid. */
export function checkpointSignatureProblem(c: CheckpointRecord, keys: Map<string, KeyObject>): string | null {
  const key = keys.get(c.keyId);
  if (!key) {
    const known = [...keys.keys()].join(", ") || "none available";
    return `${checkpointLabel(c)} for entry ${c.seq} is signed by unknown key ${c.keyId} (known: ${known})`;
  }
  if (!checkpointSignatureValid(c, key)) {
    return `${checkpointLabel(c)} for entry ${c.seq} has an invalid signature (forged or altered checkpoint)`;
  }
  return null;
}

function rewrittenReason(c: CheckpointRecord, confirmedThrough: number): string {
  return (
    `entry ${c.seq} differs from ${checkpointLabel(c)}: an entry from ${confirmedThrough + 1} to ${c.seq} ` +
    "was changed and the hashes after it recomputed"
  );
}

function tailReason(c: CheckpointRecord, lastSeq: number): string {
  const end = lastSeq === 0 ? "the log is empty" : `the log ends at entry ${lastSeq}`;
  return `entries from ${lastSeq + 1} to ${c.seq} were removed: ${checkpointLabel(c)} covers entry ${c.seq}, but ${end}`;
}

/** The problem with the lowest seq; a chain problem wins a tie (it is the more precise). */
function earliest<P extends { seq: number }>(chain: P | null, others: readonly P[]): P | null {
  let best = chain;
  for (const p of others) if (!best || p.seq < best.seq) best = p;
  return best;
}

/**
 * Verifies the whole audit log in the database: every entry's hash and link (in batches, across
 * batch boundaries), then every checkpoint: signed by a known key with a valid signature, and the
 * entry at its seq exists with that hash. A checkpoint beyond the last entry means the tail was
 * removed; a checkpoint whose entry differs means the chain was rewritten.
 * @param publicKeys the key(s) checkpoints may be signed with
 */
export async function verifyAudit(
  db: Db,
  publicKeys: KeyObject | readonly KeyObject[],
  options: { batchSize?: number } = {},
): Promise<AuditVerifyResult> {
  const keys = keyMap(publicKeys);
  const checkpoints = await allCheckpoints(db);
  const checkpointProblems: ChainProblem[] = [];
  const trusted: CheckpointRecord[] = [];
  for (const c of checkpoints) {
    const problem = checkpointSignatureProblem(c, keys);
    if (problem) checkpointProblems.push({ seq: c.seq, reason: problem });
    else trusted.push(c);
  }

  let chainProblem: ChainProblem | null = null;
  let previous: { seq: number; hash: string } | null = null;
  let entries = 0;
  let next = 0; // index into `trusted`, which is in seq order
  let confirmedThrough = 0;
  for await (const batch of entryBatches(db, 0, options.batchSize ?? DEFAULT_BATCH)) {
    chainProblem ??= firstChainProblem(batch, previous);
    for (const entry of batch) {
      for (let c = trusted[next]; c && c.seq <= entry.seq; c = trusted[++next]) {
        if (c.seq < entry.seq) {
          checkpointProblems.push({
            seq: c.seq,
            reason: `entry ${c.seq}, which ${checkpointLabel(c)} covers, is missing`,
          });
        } else if (c.hash !== entry.hash) {
          checkpointProblems.push({ seq: c.seq, reason: rewrittenReason(c, confirmedThrough) });
        } else {
          confirmedThrough = Math.max(confirmedThrough, c.seq);
        }
      }
    }
    entries += batch.length;
    const last = batch.at(-1);
    if (last) previous = { seq: last.seq, hash: last.hash };
  }
  const lastSeq = previous?.seq ?? 0;
  const beyond = trusted[next];
  if (beyond) checkpointProblems.push({ seq: lastSeq + 1, reason: tailReason(beyond, lastSeq) });

  const firstProblem = earliest(chainProblem, checkpointProblems);
  const result: AuditVerifyResult = {
    ok: firstProblem === null,
    entries,
    checkpoints: checkpoints.length,
    lastSeq,
    confirmedThrough: confirmedThrough || null,
  };
  if (firstProblem) result.firstProblem = firstProblem;
  return result;
}

/** One line for the command line: `audit log OK: …` or `audit log BROKEN at entry N: …`. */
export function describeAuditResult(result: AuditVerifyResult): string {
  if (result.firstProblem) {
    return `audit log BROKEN at entry ${result.firstProblem.seq}: ${result.firstProblem.reason}`;
  }
  return `audit log OK: ${result.entries} entries, ${result.checkpoints} checkpoints, last seq ${result.lastSeq}`;
}

/** Outcome of verifying an export file. */
export type ExportVerifyResult = {
  ok: boolean;
  entries: number;
  checkpoints: number;
  /** First and last seq of the entries in the file (null when it has none). */
  firstSeq: number | null;
  lastSeq: number | null;
  /** Highest seq a valid checkpoint in the file confirms, or null. */
  confirmedThrough: number | null;
  /** Key id the checkpoints were checked with. */
  keyId: string | null;
  /** True when the key was given by the verifier rather than taken from the file. */
  keyPinned: boolean;
  /** The first problem: the line, and the entry it concerns when there is one. */
  firstProblem?: { line: number; seq: number | null; reason: string };
};

type FileProblem = { line: number; seq: number | null; reason: string };
type EntryProblem = { line: number; seq: number; reason: string };
type CheckpointLine = CheckpointRecord & { line: number };

async function* fileLines(path: string): AsyncGenerator<{ line: number; text: string }> {
  const lines = createInterface({
    input: createReadStream(path, "utf8"),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let line = 0;
  for await (const text of lines) yield { line: ++line, text };
}

function parseLine(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function lineType(value: unknown): unknown {
  return typeof value === "object" && value !== null && "type" in value ? value.type : undefined;
}

function issuesText(error: z.ZodError): string {
  return error.issues
    .map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message))
    .join("; ");
}

type FileScan =
  | { problem: FileProblem }
  | { problem: null; header: ExportHeader; checkpoints: CheckpointLine[]; entryLines: number };

/** First pass: every line is well formed; collects the header and the checkpoints. */
async function scanExport(path: string): Promise<FileScan> {
  let header: ExportHeader | null = null;
  const checkpoints: CheckpointLine[] = [];
  let entryLines = 0;
  for await (const { line, text } of fileLines(path)) {
    const value = parseLine(text);
    if (value === undefined) return { problem: { line, seq: null, reason: `line ${line} is not JSON` } };
    if (line === 1) {
      const parsed = exportHeaderSchema.safeParse(value);
      if (!parsed.success) {
        return {
          problem: {
            line,
            seq: null,
            reason: `not an snsgov audit export header (${issuesText(parsed.error)})`,
          },
        };
      }
      header = parsed.data;
      continue;
    }
    const type = lineType(value);
    if (type === "entry") {
      const parsed = exportEntrySchema.safeParse(value);
      if (!parsed.success) {
        return { problem: { line, seq: null, reason: `malformed entry (${issuesText(parsed.error)})` } };
      }
      if (checkpoints.length) {
        return { problem: { line, seq: parsed.data.seq, reason: "entry after the checkpoints" } };
      }
      entryLines++;
      continue;
    }
    if (type === "checkpoint") {
      const parsed = exportCheckpointSchema.safeParse(value);
      if (!parsed.success) {
        return { problem: { line, seq: null, reason: `malformed checkpoint (${issuesText(parsed.error)})` } };
      }
      const { type: _type, ...record } = parsed.data;
      checkpoints.push({ ...record, line });
      continue;
    }
    return { problem: { line, seq: null, reason: `unknown line type ${JSON.stringify(type ?? null)}` } };
  }
  if (!header) return { problem: { line: 1, seq: null, reason: "the file is empty" } };
  return { problem: null, header, checkpoints, entryLines };
}

function headerKey(header: ExportHeader, pinned: KeyObject | undefined): KeyObject | FileProblem {
  let fromFile: KeyObject;
  try {
    fromFile = parsePublicKey(header.publicKey, "the header's publicKey");
  } catch (error) {
    if (!(error instanceof AuditKeyError)) throw error;
    return { line: 1, seq: null, reason: error.message };
  }
  if (keyIdOf(fromFile) !== header.keyId) {
    return { line: 1, seq: null, reason: `the header's keyId ${header.keyId} does not match its publicKey` };
  }
  if (pinned && keyIdOf(pinned) !== header.keyId) {
    return {
      line: 1,
      seq: null,
      reason: `the file was exported under key ${header.keyId}, not the key given (${keyIdOf(pinned)})`,
    };
  }
  return pinned ?? fromFile;
}

/**
 * Verifies an export file offline: the header, the chain from the header's anchor through every
 * entry (in order, none missing), and every checkpoint line (signature, and the hash of the entry
 * it covers). Reads the file twice, line by line, so its size does not matter.
 * @param publicKey the city's public key; without it the key in the file's header is used (then
 *   compare the reported key id with the one the city publishes)
 */
export async function verifyExportFile(path: string, publicKey?: KeyObject): Promise<ExportVerifyResult> {
  const result: ExportVerifyResult = {
    ok: false,
    entries: 0,
    checkpoints: 0,
    firstSeq: null,
    lastSeq: null,
    confirmedThrough: null,
    keyId: publicKey ? keyIdOf(publicKey) : null,
    keyPinned: publicKey !== undefined,
  };
  const fail = (problem: FileProblem): ExportVerifyResult => ({ ...result, firstProblem: problem });

  const scan = await scanExport(path);
  if (scan.problem) return fail(scan.problem);
  const { header, checkpoints } = scan;
  result.checkpoints = checkpoints.length;
  const key = headerKey(header, publicKey);
  if ("line" in key) return fail(key);
  result.keyId = keyIdOf(key);
  if (checkpoints.length !== header.checkpoints) {
    return fail({
      line: 1,
      seq: null,
      reason: `the header announces ${header.checkpoints} checkpoints but the file has ${checkpoints.length}`,
    });
  }
  const expectedFirst = (header.anchor?.seq ?? 0) + 1;
  if (header.firstSeq !== null && header.firstSeq !== expectedFirst) {
    return fail({
      line: 1,
      seq: null,
      reason: `the header's anchor (entry ${expectedFirst - 1}) is not just before its first entry ${header.firstSeq}`,
    });
  }

  // Second pass: the chain, remembering only the hashes checkpoints refer to.
  const wantedHashes = new Set(checkpoints.map((c) => c.seq));
  const hashes = new Map<number, { hash: string; line: number }>();
  let previous = header.anchor;
  let chainProblem: EntryProblem | null = null;
  for await (const { line, text } of fileLines(path)) {
    if (line === 1) continue;
    const parsed = exportEntrySchema.safeParse(parseLine(text));
    if (!parsed.success) continue; // checkpoint lines (the first pass checked every line)
    const { type: _type, ...entry } = parsed.data;
    if (!chainProblem) {
      const problem = firstChainProblem([entry], previous);
      if (problem) chainProblem = { line, seq: problem.seq, reason: problem.reason };
    }
    if (wantedHashes.has(entry.seq)) hashes.set(entry.seq, { hash: entry.hash, line });
    result.entries++;
    result.firstSeq ??= entry.seq;
    result.lastSeq = entry.seq;
    previous = { seq: entry.seq, hash: entry.hash };
  }
  const lastLine = 1 + scan.entryLines;
  if (!chainProblem && header.throughSeq !== null && (result.lastSeq ?? 0) < header.throughSeq) {
    const missing = (result.lastSeq ?? expectedFirst - 1) + 1;
    chainProblem = {
      line: lastLine + 1,
      seq: missing,
      reason: `entries from ${missing} to ${header.throughSeq} are missing: the header says the export runs through entry ${header.throughSeq}`,
    };
  }

  const keys = new Map([[keyIdOf(key), key]]);
  const checkpointProblems: EntryProblem[] = [];
  let confirmed = header.anchor?.seq ?? 0;
  for (const c of [...checkpoints].sort((a, b) => a.seq - b.seq)) {
    const signatureProblem = checkpointSignatureProblem(c, keys);
    if (signatureProblem) {
      checkpointProblems.push({ line: c.line, seq: c.seq, reason: signatureProblem });
      continue;
    }
    const entry = hashes.get(c.seq);
    if (!entry) {
      checkpointProblems.push({
        line: c.line,
        seq: c.seq,
        reason: `${checkpointLabel(c)} covers entry ${c.seq}, which is not in the file`,
      });
    } else if (entry.hash !== c.hash) {
      checkpointProblems.push({ line: c.line, seq: c.seq, reason: rewrittenReason(c, confirmed) });
    } else {
      confirmed = Math.max(confirmed, c.seq);
      result.confirmedThrough = Math.max(result.confirmedThrough ?? 0, c.seq);
    }
  }
  const first = earliest(chainProblem, checkpointProblems);
  if (first) return fail(first);
  return { ...result, ok: true };
}

/** Lines for the command line describing an export verification. */
export function describeExportResult(result: ExportVerifyResult): string[] {
  const p = result.firstProblem;
  if (p) {
    const where = p.seq === null ? `line ${p.line}` : `line ${p.line} (entry ${p.seq})`;
    return [`audit export BROKEN at ${where}: ${p.reason}`];
  }
  const lines: string[] = [];
  if (result.firstSeq === null || result.lastSeq === null) {
    lines.push(`audit export OK: 0 entries, ${result.checkpoints} checkpoints`);
    return lines;
  }
  lines.push(
    `audit export OK: ${result.entries} entries (seq ${result.firstSeq} to ${result.lastSeq}), ` +
      `${result.checkpoints} checkpoints, key ${result.keyId}`,
  );
  if (result.confirmedThrough === null) {
    lines.push("warning: no signed checkpoint covers these entries; their integrity is not confirmed");
  } else if (result.confirmedThrough < result.lastSeq) {
    lines.push(
      `warning: entries after ${result.confirmedThrough} are not covered by a signed checkpoint; ` +
        "their integrity is not confirmed",
    );
  }
  if (!result.keyPinned) {
    lines.push(
      `note: the public key was taken from the file itself; check that key id ${result.keyId} is the city's, ` +
        "or pass --public-key",
    );
  }
  return lines;
}
