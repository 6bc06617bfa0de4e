/**
 * Signed checkpoints of the audit chain: every few minutes (and at shutdown) the server signs the
 * newest entry's seq and hash with the Ed25519 key kept outside the database, so a chain that is
 * later rewritten or cut short no longer matches a signature nobody else can make. A checkpoint
 * is only signed over entries that verify; checkpoints are not audit entries themselves.
 */
import { createPublicKey, type KeyObject } from "node:crypto";
import { allCheckpoints, entryAt, insertCheckpoint, lastCheckpoint, lastEntry } from "../db/repos/audit.ts";
import {
  type ChainProblem,
  type CheckpointRecord,
  checkpointSignatureValid,
  keyIdOf,
  signCheckpoint,
} from "../domain/audit-chain.ts";
import { chainProblemAfter } from "./audit-verify.ts";
import type { AppContext } from "./context.ts";

/** What `createCheckpoint` did. */
export type CheckpointOutcome =
  | { kind: "created"; checkpoint: CheckpointRecord }
  | { kind: "skipped"; reason: "empty" }
  | { kind: "skipped"; reason: "already-checkpointed"; seq: number }
  /** The entries since the last good checkpoint do not verify: nothing was signed. */
  | { kind: "refused"; problem: ChainProblem };

type CheckpointContext = Pick<AppContext, "db" | "clock">;

/**
 * The newest checkpoint signed by `publicKey` whose signature is valid: the point from which the
 * chain still needs checking before signing again. Usually the last one stored; all are read only
 * when that one is not (another key, or not genuine).
 */
async function lastTrustedCheckpoint(ctx: CheckpointContext, publicKey: KeyObject) {
  const keyId = keyIdOf(publicKey);
  const trusted = (c: CheckpointRecord | undefined | null) =>
    c && c.keyId === keyId && checkpointSignatureValid(c, publicKey) ? c : null;
  const last = trusted(await lastCheckpoint(ctx.db));
  if (last) return last;
  const checkpoints = await allCheckpoints(ctx.db);
  for (let i = checkpoints.length - 1; i >= 0; i--) {
    const c = trusted(checkpoints[i]);
    if (c) return c;
  }
  return null;
}

/**
 * Signs `{seq, hash, at}` of the newest entry (at = now) and stores it, unless the log is empty or
 * its newest entry is already checkpointed. Before signing it checks the entries added since the
 * last checkpoint this key signed (the whole chain the first time); when they do not verify it
 * signs nothing and returns the problem.
 * @param key the Ed25519 private key (see `loadSigningKey`)
 */
export async function createCheckpoint(ctx: CheckpointContext, key: KeyObject): Promise<CheckpointOutcome> {
  const head = await lastEntry(ctx.db);
  if (!head) return { kind: "skipped", reason: "empty" };
  const publicKey = createPublicKey(key);
  const trusted = await lastTrustedCheckpoint(ctx, publicKey);
  if (trusted && trusted.seq === head.seq && trusted.hash === head.hash) {
    return { kind: "skipped", reason: "already-checkpointed", seq: head.seq };
  }
  if (trusted) {
    const entry = trusted.seq <= head.seq ? await entryAt(ctx.db, trusted.seq) : null;
    if (!entry || entry.hash !== trusted.hash) {
      return {
        kind: "refused",
        problem: {
          seq: trusted.seq,
          reason: `entry ${trusted.seq} is missing or differs from the checkpoint signed at ${trusted.at}`,
        },
      };
    }
  }
  const problem = await chainProblemAfter(
    ctx.db,
    trusted ? { seq: trusted.seq, hash: trusted.hash } : null,
    head.seq,
  );
  if (problem) return { kind: "refused", problem };
  const checkpoint = signCheckpoint(
    { seq: head.seq, hash: head.hash, at: ctx.clock.now().toISOString() },
    key,
  );
  await insertCheckpoint(ctx.db, checkpoint);
  return { kind: "created", checkpoint };
}

/**
 * Signs a checkpoint every `minutes` (the timer does not keep the process alive). Failures and
 * refusals are logged, never thrown. Returns a stop function that resolves once a checkpoint in
 * progress has finished, so the caller can then sign a last one and close the database.
 */
export function startCheckpointTimer(
  ctx: Pick<AppContext, "db" | "clock" | "log">,
  key: KeyObject,
  minutes: number,
): () => Promise<void> {
  if (!(minutes > 0)) throw new RangeError(`checkpoint interval must be positive, got ${minutes}`);
  let running: Promise<void> | null = null;
  const tick = async () => {
    try {
      const outcome = await createCheckpoint(ctx, key);
      if (outcome.kind === "created") {
        ctx.log.info("audit checkpoint signed", {
          seq: outcome.checkpoint.seq,
          keyId: outcome.checkpoint.keyId,
        });
      } else if (outcome.kind === "refused") {
        ctx.log.error("audit chain does not verify; checkpoint not signed", { ...outcome.problem });
      }
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
