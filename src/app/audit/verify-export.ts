/**
 * Verifying an export file offline, with nothing but the file (and optionally the city's public
 * key): the header, the chain from the header's anchor through every entry, and every checkpoint
 * line (signature, its own hash and link for chained ones, and the hash of the entry it covers).
 * Names the first bad line and entry.
 */
import type { KeyObject } from "node:crypto";
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import type { z } from "zod";
import { type Checkpoint, checkpointHash, firstChainProblem, keyIdOf } from "../../domain/audit-chain.ts";
import { fromCheckpointJson } from "./anchor.ts";
import {
  type ExportHeader,
  exportChainedCheckpointSchema,
  exportCheckpointSchema,
  exportEntrySchema,
  exportHeaderSchema,
} from "./export.ts";
import { AuditKeyError, parsePublicKey } from "./keys.ts";
import { checkpointLabel, checkpointSignatureProblem, earliest } from "./verify.ts";

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
type CheckpointLine = { checkpoint: Checkpoint; line: number };

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

function hasFormat(value: unknown): boolean {
  return typeof value === "object" && value !== null && "format" in value;
}

/**
 * A checkpoint line: chained (format 2, as in the anchor file) or from before the chain (format 1,
 * `{seq, hash}` of the entry); a string says what is wrong with it.
 */
function parseCheckpointLine(value: unknown, position: number): Checkpoint | string {
  if (hasFormat(value)) {
    const parsed = exportChainedCheckpointSchema.safeParse(value);
    if (!parsed.success) return issuesText(parsed.error);
    const { type: _type, ...json } = parsed.data;
    return fromCheckpointJson(json);
  }
  const parsed = exportCheckpointSchema.safeParse(value);
  if (!parsed.success) return issuesText(parsed.error);
  const { seq, hash, at, keyId, signature } = parsed.data;
  const base = {
    version: 1 as const,
    seq: position,
    prevHash: null,
    entry: { seq, hash, at: null },
    at,
    final: false,
  };
  return { ...base, hash: checkpointHash(base), keyId, signature };
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
      const checkpoint = parseCheckpointLine(value, checkpoints.length + 1);
      if (typeof checkpoint === "string") {
        return { problem: { line, seq: null, reason: `malformed checkpoint (${checkpoint})` } };
      }
      checkpoints.push({ checkpoint, line });
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
 * entry (in order, none missing), and every checkpoint line (signature, its own hash and its link
 * to the checkpoint before it when that one is in the file too, and the hash of the entry it
 * covers). Reads the file twice, line by line, so its size does not matter.
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
  const wantedHashes = new Set(checkpoints.map((c) => c.checkpoint.entry.seq));
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
  let lastGood: Checkpoint | null = null;
  let before: Checkpoint | null = null;
  const ordered = [...checkpoints].sort(
    (a, b) => a.checkpoint.entry.seq - b.checkpoint.entry.seq || a.checkpoint.seq - b.checkpoint.seq,
  );
  for (const { checkpoint: c, line } of ordered) {
    const seq = c.entry.seq;
    const linked = before;
    before = c;
    if (c.version === 2 && checkpointHash(c) !== c.hash) {
      checkpointProblems.push({ line, seq, reason: `${checkpointLabel(c)} does not match its own hash` });
      continue;
    }
    const signatureProblem = checkpointSignatureProblem(c, keys);
    if (signatureProblem) {
      checkpointProblems.push({ line, seq, reason: signatureProblem });
      continue;
    }
    if (c.version === 2 && linked?.version === 2 && linked.seq + 1 === c.seq && c.prevHash !== linked.hash) {
      checkpointProblems.push({
        line,
        seq,
        reason: `${checkpointLabel(c)} does not link to checkpoint #${linked.seq}: the checkpoint chain was rewritten`,
      });
      continue;
    }
    const entry = hashes.get(seq);
    if (!entry) {
      checkpointProblems.push({
        line,
        seq,
        reason: `${checkpointLabel(c)} covers entry ${seq}, which is not in the file`,
      });
    } else if (entry.hash !== c.entry.hash) {
      const good = lastGood
        ? `${checkpointLabel(lastGood)} still matches entry ${confirmed}`
        : "no earlier checkpoint matches";
      checkpointProblems.push({
        line,
        seq,
        reason:
          `entry ${seq} differs from ${checkpointLabel(c)}: the chain was rewritten and the hashes after the ` +
          `change recomputed; entries ${confirmed + 1} to ${seq} may have been rewritten (${good})`,
      });
    } else {
      confirmed = Math.max(confirmed, seq);
      lastGood = c;
      result.confirmedThrough = Math.max(result.confirmedThrough ?? 0, seq);
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
