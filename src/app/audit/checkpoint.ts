/**
 * Signed checkpoints of the audit chain. The server signs one when it starts, every
 * SNSGOV_AUDIT_CHECKPOINT_MINUTES while it runs (also when nothing is new, so the newest
 * checkpoint is never older than the interval), and a closing (`final`) one when it stops; a CLI
 * command that wrote entries signs a closing one too. Each checkpoint carries its number, the
 * previous checkpoint's hash and the newest entry's seq, hash and time, signed with the Ed25519
 * key kept outside the database, and is appended to the anchor file outside the database as well.
 *
 * Nothing is signed over entries that do not verify, nor over a checkpoint chain that no longer
 * contains the last checkpoint in the anchor file: a chain rewritten (or cut short) in the database
 * is never signed again, so the rewrite stays visible. Checkpoints are not audit entries.
 */
import { createPublicKey, type KeyObject } from "node:crypto";
import {
  allCheckpoints,
  appendCheckpoint,
  chainedCheckpointsAfter,
  checkpointAt,
  entryAt,
  lastCheckpoint,
  lastEntry,
} from "../../db/repos/audit.ts";
import {
  type ChainProblem,
  type Checkpoint,
  checkpointSignatureValid,
  GENESIS_HASH,
  keyIdOf,
  signCheckpoint,
} from "../../domain/audit-chain.ts";
import type { AppContext } from "../context.ts";
import { AnchorFileError, appendAnchors, readLastAnchor } from "./anchor.ts";
import { loadSigningKey, loadSigningKeyIfPresent } from "./keys.ts";
import { chainProblemAfter } from "./verify.ts";

/** What `createCheckpoint` did. */
export type CheckpointOutcome =
  | { kind: "created"; checkpoint: Checkpoint }
  | { kind: "skipped"; reason: "empty" }
  /** The newest checkpoint already covers the newest entry (`seq`). */
  | { kind: "skipped"; reason: "already-checkpointed"; seq: number }
  /** The entries, or the checkpoints, no longer verify: nothing was signed. */
  | { kind: "refused"; problem: ChainProblem };

/** When to sign although the newest checkpoint already covers the newest entry. */
export type CheckpointOptions = {
  /** Sign anyway when the newest checkpoint is at least this old (the server's regular signing). */
  renewAfterMs?: number;
  /** Sign a closing checkpoint: the signing process is about to close the database. */
  final?: boolean;
};

type CheckpointContext = Pick<AppContext, "db" | "clock" | "config" | "log">;

const label = (c: Checkpoint) => `checkpoint #${c.seq} (signed at ${c.at})`;

/**
 * The newest checkpoint signed by `publicKey` whose signature is valid: the point from which the
 * entries still need checking before signing again. Usually the newest stored; all are read only
 * when that one is not (another key, or not genuine).
 */
async function lastTrustedCheckpoint(
  ctx: CheckpointContext,
  newest: Checkpoint | null,
  publicKey: KeyObject,
): Promise<Checkpoint | null> {
  const keyId = keyIdOf(publicKey);
  const trusted = (c: Checkpoint | undefined | null) =>
    c && c.keyId === keyId && checkpointSignatureValid(c, publicKey) ? c : null;
  if (trusted(newest)) return newest;
  const checkpoints = await allCheckpoints(ctx.db);
  for (let i = checkpoints.length - 1; i >= 0; i--) {
    const c = trusted(checkpoints[i]);
    if (c) return c;
  }
  return null;
}

type AnchorState = { pending: Checkpoint[] } | { problem: ChainProblem };

/**
 * Compares the database's checkpoints with the anchor file: its last checkpoint must still be
 * stored unchanged. Returns the stored checkpoints the file lacks (signed by another instance, or
 * whose line was not written), after checking that they are genuine and linked; with no anchor
 * file yet, every chained checkpoint stored so far (the file starts with them).
 */
async function anchorState(ctx: CheckpointContext, publicKey: KeyObject): Promise<AnchorState> {
  const file = ctx.config.auditAnchorFile;
  let last: Checkpoint | null;
  try {
    last = await readLastAnchor(file);
  } catch (error) {
    if (!(error instanceof AnchorFileError)) throw error;
    return { problem: { seq: 0, reason: error.message } };
  }
  if (!last) {
    const stored = await chainedCheckpointsAfter(ctx.db, 0);
    if (stored.length) {
      ctx.log.warn("audit anchor file not found; starting it from the checkpoints in the database", {
        file,
        checkpoints: stored.length,
      });
    }
    return { pending: stored };
  }
  const stored = await checkpointAt(ctx.db, last.seq);
  if (!stored) {
    return {
      problem: {
        seq: last.entry.seq,
        reason:
          `${label(last)}, kept in the anchor file ${file}, is not in the database: checkpoints were ` +
          "removed, or the database was restored from an older backup (see docs/audit.md)",
      },
    };
  }
  if (stored.hash !== last.hash) {
    return {
      problem: {
        seq: last.entry.seq,
        reason: `checkpoint #${last.seq} in the database differs from the one kept in the anchor file ${file}: the checkpoint chain was rewritten`,
      },
    };
  }
  const pending = await chainedCheckpointsAfter(ctx.db, last.seq);
  let previous = stored;
  for (const c of pending) {
    const genuine = c.keyId === keyIdOf(publicKey) && checkpointSignatureValid(c, publicKey);
    if (!genuine || c.seq !== previous.seq + 1 || c.prevHash !== previous.hash) {
      return {
        problem: {
          seq: c.entry.seq,
          reason: `${label(c)} is not validly signed by this server's key, or does not follow checkpoint #${previous.seq}`,
        },
      };
    }
    previous = c;
  }
  return { pending };
}

function alreadyCovered(
  newest: Checkpoint,
  head: { seq: number; hash: string },
  options: CheckpointOptions,
  now: Date,
) {
  if (newest.entry.seq !== head.seq || newest.entry.hash !== head.hash) return false;
  if (options.final && !newest.final) return false;
  const age = now.getTime() - new Date(newest.at).getTime();
  return options.renewAfterMs === undefined || age < options.renewAfterMs;
}

type Attempt = CheckpointOutcome | { kind: "raced" };

async function attemptCheckpoint(
  ctx: CheckpointContext,
  key: KeyObject,
  options: CheckpointOptions,
): Promise<Attempt> {
  const head = await lastEntry(ctx.db);
  if (!head) return { kind: "skipped", reason: "empty" };
  const publicKey = createPublicKey(key);
  const newest = await lastCheckpoint(ctx.db);
  const anchors = await anchorState(ctx, publicKey);
  if ("problem" in anchors) return { kind: "refused", problem: anchors.problem };
  const now = ctx.clock.now();
  if (newest && alreadyCovered(newest, head, options, now)) {
    await appendAnchors(ctx.config.auditAnchorFile, anchors.pending);
    return { kind: "skipped", reason: "already-checkpointed", seq: head.seq };
  }
  if (newest && newest.keyId === keyIdOf(publicKey) && !checkpointSignatureValid(newest, publicKey)) {
    return {
      kind: "refused",
      problem: {
        seq: newest.entry.seq,
        reason: `${label(newest)} has an invalid signature (forged or altered)`,
      },
    };
  }

  const trusted = await lastTrustedCheckpoint(ctx, newest, publicKey);
  if (trusted) {
    const entry = trusted.entry.seq <= head.seq ? await entryAt(ctx.db, trusted.entry.seq) : null;
    if (!entry || entry.hash !== trusted.entry.hash) {
      return {
        kind: "refused",
        problem: {
          seq: trusted.entry.seq,
          reason: `entry ${trusted.entry.seq} is missing or differs from ${label(trusted)}`,
        },
      };
    }
  }
  const problem = await chainProblemAfter(
    ctx.db,
    trusted ? { seq: trusted.entry.seq, hash: trusted.entry.hash } : null,
    head.seq,
  );
  if (problem) return { kind: "refused", problem };

  const checkpoint = signCheckpoint(
    {
      seq: (newest?.seq ?? 0) + 1,
      prevHash: newest?.hash ?? GENESIS_HASH,
      entry: { seq: head.seq, hash: head.hash, at: head.at },
      at: now.toISOString(),
      final: options.final ?? false,
    },
    key,
  );
  if (!(await appendCheckpoint(ctx.db, checkpoint, newest))) return { kind: "raced" };
  await appendAnchors(ctx.config.auditAnchorFile, [...anchors.pending, checkpoint]);
  return { kind: "created", checkpoint };
}

/**
 * Signs a checkpoint of the newest entry (at = now), links it to the newest checkpoint, stores it
 * and appends it to the anchor file; unless the log is empty, or the newest checkpoint already
 * covers the newest entry (see `options` for when to sign all the same). Before signing it checks
 * the anchor file against the stored checkpoints and the entries added since the last checkpoint
 * this key signed (the whole chain the first time); when either does not verify it signs nothing
 * and returns the problem.
 * @param key the Ed25519 private key (see `loadSigningKey`)
 * @throws when the anchor file cannot be written (the checkpoint is stored; the next one retries)
 */
export async function createCheckpoint(
  ctx: CheckpointContext,
  key: KeyObject,
  options: CheckpointOptions = {},
): Promise<CheckpointOutcome> {
  // Another instance may extend the chain between reading its head and storing: read again.
  for (let attempt = 0; attempt < 5; attempt++) {
    const outcome = await attemptCheckpoint(ctx, key, options);
    if (outcome.kind !== "raced") return outcome;
  }
  throw new Error("audit checkpoints kept being stored by another instance at the same time");
}

function logOutcome(ctx: Pick<AppContext, "log">, outcome: CheckpointOutcome): void {
  if (outcome.kind === "created") {
    ctx.log.info("audit checkpoint signed", {
      checkpoint: outcome.checkpoint.seq,
      seq: outcome.checkpoint.entry.seq,
      final: outcome.checkpoint.final,
      keyId: outcome.checkpoint.keyId,
    });
  } else if (outcome.kind === "refused") {
    ctx.log.error("audit chain does not verify; checkpoint not signed", { ...outcome.problem });
  }
}

/**
 * Signs a checkpoint every `minutes`, also when nothing is new (the timer does not keep the
 * process alive). Failures and refusals are logged, never thrown. Returns a stop function that
 * resolves once a checkpoint in progress has finished, so the caller can then sign a closing one
 * and close the database.
 */
export function startCheckpointTimer(
  ctx: CheckpointContext,
  key: KeyObject,
  minutes: number,
): () => Promise<void> {
  if (!(minutes > 0)) throw new RangeError(`checkpoint interval must be positive, got ${minutes}`);
  // Half the interval: with several instances, one checkpoint per interval is enough.
  const options = { renewAfterMs: (minutes * 60_000) / 2 };
  let running: Promise<void> | null = null;
  const tick = async () => {
    try {
      logOutcome(ctx, await createCheckpoint(ctx, key, options));
    } catch (error) {
      ctx.log.error("audit checkpoint failed", { error });
    }
  };
  const timer = setInterval(() => {
    if (running) return;
    running = tick().finally(() => {
      running = null;
    });
  }, minutes * 60_000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}

/**
 * Signs a checkpoint now and logs the outcome instead of throwing: what the server does when it
 * starts (`final` false) and when it stops (`final` true).
 */
export async function signCheckpointNow(
  ctx: CheckpointContext,
  key: KeyObject,
  options: CheckpointOptions,
): Promise<CheckpointOutcome | null> {
  try {
    const outcome = await createCheckpoint(ctx, key, options);
    logOutcome(ctx, outcome);
    return outcome;
  } catch (error) {
    ctx.log.error("audit checkpoint failed", { error });
    return null;
  }
}

/**
 * For a command that opened the database and wrote audit entries (its newest entry is past
 * `openedAtSeq`): signs a closing checkpoint before it closes, so entries written while no server
 * runs are covered too. The key is created when missing only for the embedded database (it belongs
 * to the data folder); on PostgreSQL a machine without the server's key leaves the signing to the
 * server. Never throws.
 */
export async function signBeforeClosing(ctx: CheckpointContext, openedAtSeq: number): Promise<void> {
  try {
    const head = await lastEntry(ctx.db);
    if (!head || head.seq <= openedAtSeq) return;
    const key = ctx.config.databaseUrl
      ? await loadSigningKeyIfPresent(ctx.config.auditKeyFile)
      : await loadSigningKey(ctx.config.auditKeyFile);
    if (!key) return;
    if (key.created) {
      ctx.log.warn("audit signing key created; back it up apart from the database", {
        file: key.file,
        keyId: key.keyId,
      });
    }
    await signCheckpointNow(ctx, key.privateKey, { final: true });
  } catch (error) {
    ctx.log.error("audit checkpoint failed", { error });
  }
}
