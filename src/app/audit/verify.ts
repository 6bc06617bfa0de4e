/**
 * Verifying the audit log in the database: recompute the hash chain (streamed in batches, so a
 * log of millions of entries never sits in memory), check the chain of signed checkpoints (every
 * signature, every link, no number missing) and every entry a checkpoint covers, and check that
 * checkpoints are where the server's signing schedule puts them: a log whose newest entries, or
 * whose newest checkpoint, are older than the interval allows had its checkpoints removed.
 * Optionally the database is also compared with checkpoints kept outside it (anchors).
 * Problems name the first bad entry; a rewritten chain caught by a checkpoint names the range.
 */
import type { KeyObject } from "node:crypto";
import type { Db } from "../../db/client.ts";
import { checkpointsAfter, entriesAfter } from "../../db/repos/audit.ts";
import {
  type AuditEntryRecord,
  type ChainProblem,
  type Checkpoint,
  checkpointHash,
  checkpointSignatureValid,
  firstChainProblem,
  GENESIS_HASH,
  keyIdOf,
} from "../../domain/audit-chain.ts";
import { readAnchors } from "./anchor.ts";

const DEFAULT_BATCH = 2000;

/** The server's checkpoint interval when none is given (SNSGOV_AUDIT_CHECKPOINT_MINUTES). */
export const DEFAULT_CHECKPOINT_MINUTES = 5;

/**
 * How much later than the interval a checkpoint may come before its absence is a problem: a tick
 * of the timer that runs late or waits for a slow database, a transaction that commits after the
 * time it recorded, clocks of several servers a little apart.
 */
export const CHECKPOINT_MARGIN_MINUTES = 2;

/** Entries that may have been rewritten: between the last checkpoint that still matches and the first that does not. */
export type RewrittenRange = {
  /** First and last seq of the entries that may have been rewritten. */
  from: number;
  to: number;
  /** The last checkpoint that still matches (covering entry `from` − 1), or null. */
  lastGood: number | null;
  /** The first checkpoint that no longer matches (covering entry `to`). */
  firstBad: number;
};

/** Outcome of verifying the log in the database. */
export type AuditVerifyResult = {
  ok: boolean;
  /** Entries read. */
  entries: number;
  /** Checkpoints stored in the database. */
  checkpoints: number;
  /** Highest seq present (0 for an empty log). */
  lastSeq: number;
  /** Highest seq a valid checkpoint (or anchor) confirms, or null. */
  confirmedThrough: number | null;
  /** The first problem, naming the first bad entry. */
  firstProblem?: ChainProblem;
  /** When a rewritten chain was caught by a checkpoint: the entries that may have been rewritten. */
  rewritten?: RewrittenRange;
  /** Anchors read from the anchor files, when any were given. */
  anchors?: number;
};

/** What `verifyAudit` checks besides the chain. */
export type AuditVerifyOptions = {
  batchSize?: number;
  /** The server's checkpoint interval in minutes (default 5). */
  checkpointMinutes?: number;
  /** The time to judge the newest checkpoint's age against (default: the system clock). */
  now?: Date;
  /** Files of kept checkpoints (the anchor file, saved copies of /public/audit-checkpoint.json). */
  anchorFiles?: readonly string[];
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

/** Every stored checkpoint in chain (id) order, `batchSize` at a time. */
export async function* checkpointBatches(db: Db, batchSize: number): AsyncGenerator<Checkpoint[]> {
  let cursor = { afterId: 0, afterPosition: 0 };
  for (;;) {
    const batch = await checkpointsAfter(db, cursor, batchSize);
    if (batch.length) yield batch.map((row) => row.checkpoint);
    const last = batch.at(-1);
    if (!last || batch.length < batchSize) return;
    cursor = { afterId: last.id, afterPosition: cursor.afterPosition + batch.length };
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

/** The keys by key id. */
export function keyMap(keys: KeyObject | readonly KeyObject[]): Map<string, KeyObject> {
  const list: readonly KeyObject[] = Array.isArray(keys) ? keys : [keys];
  return new Map(list.map((k) => [keyIdOf(k), k]));
}

/** How a checkpoint is named in messages (format 1 checkpoints were not numbered when signed). */
export function checkpointLabel(c: Pick<Checkpoint, "version" | "seq" | "at">): string {
  return c.version === 1 ? `the checkpoint signed at ${c.at}` : `checkpoint #${c.seq} (signed at ${c.at})`;
}

/** Why a checkpoint's signature cannot be trusted, or null when it is valid. */
export function checkpointSignatureProblem(c: Checkpoint, keys: Map<string, KeyObject>): string | null {
  const key = keys.get(c.keyId);
  if (!key) {
    const known = [...keys.keys()].join(", ") || "none available";
    return `${checkpointLabel(c)} for entry ${c.entry.seq} is signed by unknown key ${c.keyId} (known: ${known})`;
  }
  if (!checkpointSignatureValid(c, key)) {
    return `${checkpointLabel(c)} for entry ${c.entry.seq} has an invalid signature (forged or altered checkpoint)`;
  }
  return null;
}

/** Why a checkpoint does not follow `previous` in the chain, or null. */
export function checkpointLinkProblem(c: Checkpoint, previous: Checkpoint | null): string | null {
  const expected = (previous?.seq ?? 0) + 1;
  if (c.version === 1 && previous?.version === 2) {
    return `${checkpointLabel(c)} is in the old format but follows chained checkpoints (it was not written by snsgov)`;
  }
  if (c.seq > expected) {
    const missing =
      c.seq - 1 === expected ? `checkpoint #${expected} is` : `checkpoints #${expected} to #${c.seq - 1} are`;
    return `${missing} missing: the checkpoint chain goes from #${previous?.seq ?? 0} to #${c.seq} (checkpoints were removed)`;
  }
  if (c.seq < expected) return `checkpoint #${c.seq} is out of order (expected #${expected})`;
  if (c.version === 2 && c.prevHash !== (previous?.hash ?? GENESIS_HASH)) {
    return `${checkpointLabel(c)} does not link to checkpoint #${previous?.seq ?? 0}: the checkpoint chain was rewritten`;
  }
  if (previous && c.entry.seq < previous.entry.seq) {
    return `${checkpointLabel(c)} covers entry ${c.entry.seq}, before entry ${previous.entry.seq} that checkpoint #${previous.seq} covers`;
  }
  return null;
}

/**
 * A checkpoint (stored or kept outside) that confirms the hash of one entry: only what messages
 * need, so that a year of checkpoints stays small in memory.
 */
type Cover = {
  checkpoint: Pick<Checkpoint, "version" | "seq" | "at"> & { entry: { seq: number; hash: string } };
  kept: boolean;
  where: string;
};

/**
 * The entries checkpoints confirm, by seq: the first checkpoint per distinct hash, stored or kept
 * (so the many checkpoints that cover the same entry through quiet hours take no memory).
 */
class Covers {
  private bySeq = new Map<number, Cover[]>();

  add(checkpoint: Checkpoint, where: string): void {
    const kept = where !== "";
    const list = this.bySeq.get(checkpoint.entry.seq) ?? [];
    if (list.some((c) => c.kept === kept && c.checkpoint.entry.hash === checkpoint.entry.hash)) return;
    const { version, seq, at, entry } = checkpoint;
    list.push({ checkpoint: { version, seq, at, entry: { seq: entry.seq, hash: entry.hash } }, kept, where });
    this.bySeq.set(checkpoint.entry.seq, list);
  }

  /** The covered seqs in ascending order, each with its covers. */
  sorted(): [number, Cover[]][] {
    return [...this.bySeq.entries()].sort(([a], [b]) => a - b);
  }
}

function rewrittenReason(cover: Cover, range: RewrittenRange): string {
  const c = cover.checkpoint;
  const good =
    range.lastGood === null
      ? "no earlier checkpoint matches"
      : `checkpoint #${range.lastGood} still matches entry ${range.from - 1}`;
  return (
    `entry ${c.entry.seq} differs from ${checkpointLabel(c)}${cover.where}: the chain was rewritten and the hashes ` +
    `after the change recomputed; entries ${range.from} to ${range.to} may have been rewritten (${good})`
  );
}

function tailReason(cover: Cover, lastSeq: number): string {
  const c = cover.checkpoint;
  const end = lastSeq === 0 ? "the log is empty" : `the log ends at entry ${lastSeq}`;
  return `entries from ${lastSeq + 1} to ${c.entry.seq} were removed: ${checkpointLabel(c)}${cover.where} covers entry ${c.entry.seq}, but ${end}`;
}

/** The problem with the lowest seq; the first given wins a tie (it is the more precise). */
export function earliest<P extends { seq: number }>(chain: P | null, others: readonly P[]): P | null {
  let best = chain;
  for (const p of others) if (!best || p.seq < best.seq) best = p;
  return best;
}

type StoredCheck = {
  count: number;
  problems: ChainProblem[];
  /** The valid checkpoint with the highest number, and the highest entry seq a valid one covers. */
  newest: Checkpoint | null;
  coveredThrough: number;
};

/** First pass: the stored checkpoints' signatures and chain; their covers are added to `covers`. */
async function checkStoredCheckpoints(
  db: Db,
  keys: Map<string, KeyObject>,
  batchSize: number,
  covers: Covers,
): Promise<StoredCheck> {
  const check: StoredCheck = { count: 0, problems: [], newest: null, coveredThrough: 0 };
  let previous: Checkpoint | null = null;
  for await (const batch of checkpointBatches(db, batchSize)) {
    for (const c of batch) {
      check.count++;
      const link = checkpointLinkProblem(c, previous);
      if (link) check.problems.push({ seq: (previous?.entry.seq ?? 0) + 1, reason: link });
      const signature = checkpointSignatureProblem(c, keys);
      if (signature) {
        check.problems.push({ seq: c.entry.seq, reason: signature });
      } else {
        covers.add(c, "");
        check.newest = c;
        check.coveredThrough = Math.max(check.coveredThrough, c.entry.seq);
      }
      previous = c;
    }
  }
  return check;
}

/** Walks the stored checkpoints in number order, for comparing with anchors. */
class StoredCursor {
  private iterator: AsyncGenerator<Checkpoint[]>;
  private buffer: Checkpoint[] = [];
  private done = false;

  constructor(db: Db, batchSize: number) {
    this.iterator = checkpointBatches(db, batchSize);
  }

  /** The stored checkpoint numbered `seq`, or null (numbers are expected in ascending order). */
  async find(seq: number): Promise<Checkpoint | null> {
    for (;;) {
      while (this.buffer.length && (this.buffer[0]?.seq ?? 0) < seq) this.buffer.shift();
      const head = this.buffer[0];
      if (head) return head.seq === seq ? head : null;
      if (this.done) return null;
      const next = await this.iterator.next();
      if (next.done) this.done = true;
      else this.buffer = next.value;
    }
  }
}

/**
 * Second pass (with an anchor file): every kept checkpoint must be genuine and stored unchanged in
 * the database; genuine ones are added to `covers`, so the entries they cover are checked too.
 */
async function checkAnchors(
  db: Db,
  file: string,
  keys: Map<string, KeyObject>,
  batchSize: number,
  covers: Covers,
): Promise<{ count: number; problems: ChainProblem[] }> {
  const problems: ChainProblem[] = [];
  const stored = new StoredCursor(db, batchSize);
  let count = 0;
  let previous: { seq: number; hash: string; line: number } | null = null;
  for await (const read of readAnchors(file)) {
    if ("problem" in read) {
      problems.push({ seq: 0, reason: `line ${read.line} of the anchor file is ${read.problem}` });
      continue;
    }
    count++;
    const { anchor, line } = read;
    const where = ` (kept in the anchor file, line ${line})`;
    if (previous && anchor.seq <= previous.seq) {
      if (anchor.seq === previous.seq && anchor.hash === previous.hash) continue;
      problems.push({
        seq: anchor.entry.seq,
        reason:
          anchor.seq === previous.seq
            ? `the anchor file holds two different checkpoints #${anchor.seq} (lines ${previous.line} and ${line})`
            : `line ${line} of the anchor file, checkpoint #${anchor.seq}, comes after #${previous.seq}: anchors must be in ascending order`,
      });
      continue;
    }
    previous = { seq: anchor.seq, hash: anchor.hash, line };
    if (checkpointHash(anchor) !== anchor.hash) {
      problems.push({
        seq: anchor.entry.seq,
        reason: `${checkpointLabel(anchor)}${where} does not match its own hash: the kept copy was altered`,
      });
      continue;
    }
    const signature = checkpointSignatureProblem(anchor, keys);
    if (signature) {
      problems.push({ seq: anchor.entry.seq, reason: `${signature}${where}` });
      continue;
    }
    covers.add(anchor, where);
    const inDatabase = await stored.find(anchor.seq);
    if (!inDatabase) {
      problems.push({
        seq: anchor.entry.seq,
        reason: `${checkpointLabel(anchor)}, covering entry ${anchor.entry.seq}${where}, is not in the database: checkpoints were removed`,
      });
    } else if (inDatabase.hash !== anchor.hash) {
      problems.push({
        seq: anchor.entry.seq,
        reason: `checkpoint #${anchor.seq} in the database differs from the one${where}: the checkpoint chain was rewritten`,
      });
    }
  }
  return { count, problems };
}

/** Minutes, rounded to one decimal, for messages. */
function minutesText(ms: number): string {
  return `${Math.round(ms / 6_000) / 10} minutes`;
}

type Coverage = {
  /** First entry no valid stored checkpoint covers, with its time; and the latest time after it. */
  firstUncovered: { seq: number; at: number } | null;
  latestUncoveredAt: number;
  firstAt: number | null;
};

/**
 * The schedule checks: the server signs a checkpoint when it starts, at least every interval while
 * it runs (also when nothing is new) and a closing one when it stops, and a command that writes
 * entries signs a closing one. So entries written more than interval + margin apart without a
 * checkpoint, or a newest checkpoint older than that which is not a closing one, mean that
 * checkpoints were removed.
 */
function scheduleProblems(
  stored: StoredCheck,
  coverage: Coverage,
  lastSeq: number,
  options: { minutes: number; now: Date },
): ChainProblem[] {
  const allowedMs = (options.minutes + CHECKPOINT_MARGIN_MINUTES) * 60_000;
  const every = `at least every ${options.minutes} minutes`;
  const problems: ChainProblem[] = [];
  const newest = stored.newest;
  const first = coverage.firstUncovered;
  if (first) {
    const since = Math.max(first.at, newest ? new Date(newest.at).getTime() : first.at);
    const span = coverage.latestUncoveredAt - since;
    if (span > allowedMs) {
      const after = newest ? `, after ${checkpointLabel(newest)}` : "";
      problems.push({
        seq: first.seq,
        reason:
          `entries ${first.seq} to ${lastSeq} are not covered by a signed checkpoint, yet were written over ` +
          `${minutesText(span)}${after}: the server signs one ${every}, so the checkpoints that covered them ` +
          "were removed (and the newest entries may have been replaced)",
      });
    }
  }
  const nowMs = options.now.getTime();
  if (newest && !newest.final && nowMs - new Date(newest.at).getTime() > allowedMs) {
    problems.push({
      seq: newest.entry.seq + 1,
      reason:
        `the newest checkpoint, ${checkpointLabel(newest)}, is ${minutesText(nowMs - new Date(newest.at).getTime())} ` +
        `old and not a closing one: the server signs one ${every} while it runs and a closing one when it stops, ` +
        `so the checkpoints after it were removed (entries after ${newest.entry.seq} may have been too), or the ` +
        "server stopped without signing (after a crash: start it again, or run `snsgov audit checkpoint`)",
    });
  }
  if (!newest && coverage.firstAt !== null && nowMs - coverage.firstAt > allowedMs) {
    problems.push({
      seq: 1,
      reason:
        `no signed checkpoint covers the log, which began ${minutesText(nowMs - coverage.firstAt)} ago: the ` +
        `server signs one when it starts and ${every}, so the checkpoints were removed`,
    });
  }
  return problems;
}

/**
 * Verifies the whole audit log in the database: every entry's hash and link (in batches, across
 * batch boundaries); the checkpoint chain (signed by a known key, numbered without gaps, each
 * linked to the one before); each checkpoint's entry exists with the hash it signed (a checkpoint
 * beyond the last entry means the tail was removed; one whose entry differs means the chain was
 * rewritten, and the range is named); the signing schedule (see `scheduleProblems`); and, with
 * `options.anchorFiles`, every kept checkpoint against the database.
 * @param publicKeys the key(s) checkpoints may be signed with
 */
export async function verifyAudit(
  db: Db,
  publicKeys: KeyObject | readonly KeyObject[],
  options: AuditVerifyOptions = {},
): Promise<AuditVerifyResult> {
  const keys = keyMap(publicKeys);
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const covers = new Covers();
  const stored = await checkStoredCheckpoints(db, keys, batchSize, covers);
  const checkpointProblems = [...stored.problems];
  let anchorCount = 0;
  for (const file of options.anchorFiles ?? []) {
    const checked = await checkAnchors(db, file, keys, batchSize, covers);
    anchorCount += checked.count;
    checkpointProblems.push(...checked.problems);
  }

  const sorted = covers.sorted();
  let chainProblem: ChainProblem | null = null;
  let previous: { seq: number; hash: string } | null = null;
  let entries = 0;
  let next = 0; // index into `sorted`
  let confirmedThrough = 0;
  let lastGood: Cover | null = null;
  let rewritten: RewrittenRange | undefined;
  const coverage: Coverage = { firstUncovered: null, latestUncoveredAt: 0, firstAt: null };
  for await (const batch of entryBatches(db, 0, batchSize)) {
    chainProblem ??= firstChainProblem(batch, previous);
    for (const entry of batch) {
      const at = new Date(entry.at).getTime();
      coverage.firstAt ??= at;
      if (entry.seq > stored.coveredThrough) {
        coverage.firstUncovered ??= { seq: entry.seq, at };
        coverage.latestUncoveredAt = Math.max(coverage.latestUncoveredAt, at);
      }
      for (let item = sorted[next]; item && item[0] <= entry.seq; item = sorted[++next]) {
        const [seq, list] = item;
        const goodBefore = lastGood; // the range ends before this entry, whatever matches it
        for (const cover of list) {
          const c = cover.checkpoint;
          if (seq < entry.seq) {
            checkpointProblems.push({
              seq,
              reason: `entry ${seq}, which ${checkpointLabel(c)}${cover.where} covers, is missing`,
            });
          } else if (c.entry.hash === entry.hash) {
            confirmedThrough = Math.max(confirmedThrough, seq);
            lastGood = cover;
          } else {
            const range: RewrittenRange = {
              from: (goodBefore?.checkpoint.entry.seq ?? 0) + 1,
              to: seq,
              lastGood: goodBefore?.checkpoint.seq ?? null,
              firstBad: c.seq,
            };
            rewritten ??= range;
            checkpointProblems.push({ seq, reason: rewrittenReason(cover, range) });
          }
        }
      }
    }
    entries += batch.length;
    const last = batch.at(-1);
    if (last) previous = { seq: last.seq, hash: last.hash };
  }
  const lastSeq = previous?.seq ?? 0;
  const beyond = sorted[next]?.[1][0];
  if (beyond) checkpointProblems.push({ seq: lastSeq + 1, reason: tailReason(beyond, lastSeq) });

  const schedule = scheduleProblems(stored, coverage, lastSeq, {
    minutes: options.checkpointMinutes ?? DEFAULT_CHECKPOINT_MINUTES,
    now: options.now ?? new Date(),
  });
  // A concrete problem (an entry, a checkpoint, an anchor) is named before a schedule problem.
  const firstProblem = earliest(chainProblem, checkpointProblems) ?? earliest(null, schedule);
  const result: AuditVerifyResult = {
    ok: firstProblem === null,
    entries,
    checkpoints: stored.count,
    lastSeq,
    confirmedThrough: confirmedThrough || null,
  };
  if (firstProblem) result.firstProblem = firstProblem;
  if (firstProblem && rewritten) result.rewritten = rewritten;
  if (options.anchorFiles?.length) result.anchors = anchorCount;
  return result;
}

/**
 * Lines for the command line: `audit log OK: …` or `audit log BROKEN at entry N: …`, and for a
 * rewritten chain the range of entries that may have been rewritten.
 */
export function describeAuditResult(result: AuditVerifyResult): string {
  const p = result.firstProblem;
  if (p) {
    const where = p.seq > 0 ? ` at entry ${p.seq}` : "";
    const lines = [`audit log BROKEN${where}: ${p.reason}`];
    const r = result.rewritten;
    if (r) {
      const good =
        r.lastGood === null
          ? "no checkpoint before it matches"
          : `checkpoint #${r.lastGood} is the last that matches`;
      lines.push(
        `entries ${r.from} to ${r.to} may have been rewritten (checkpoint #${r.firstBad} is the first that does not match; ${good})`,
      );
    }
    return lines.join("\n");
  }
  const anchors = result.anchors === undefined ? "" : `; ${result.anchors} anchors match`;
  return `audit log OK: ${result.entries} entries, ${result.checkpoints} checkpoints, last seq ${result.lastSeq}${anchors}`;
}
