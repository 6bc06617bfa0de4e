/**
 * The newest signed checkpoint for everyone (GET /public/audit-checkpoint.json): with its number,
 * the previous checkpoint's hash, the entry it covers, the signature, the key id and the public
 * key, anyone can keep a copy and later check the city's audit log against it, offline
 * (`snsgov audit verify --anchor`). Read briefly from memory so that polling costs no query.
 */
import { lastChainedCheckpoint } from "../../db/repos/audit.ts";
import type { AppContext } from "../context.ts";
import { lastingOf } from "../read-once.ts";
import { type CheckpointJson, checkpointJson } from "./anchor.ts";
import { loadVerificationKey } from "./keys.ts";

/** How long an answer is reused (the HTTP response may be cached for a minute as well). */
const MEMO_MS = 10_000;

const memo = new WeakMap<AppContext, { at: number; value: CheckpointJson | null }>();

/**
 * The newest chained checkpoint as JSON with the public key, or null when none has been signed
 * yet (or the public key is not available to publish with it).
 */
export async function publicCheckpoint(ctx: AppContext): Promise<CheckpointJson | null> {
  const now = ctx.clock.now().getTime();
  const kept = memo.get(lastingOf(ctx));
  if (kept && now - kept.at >= 0 && now - kept.at < MEMO_MS) return kept.value;
  const [checkpoint, publicKey] = await Promise.all([
    lastChainedCheckpoint(ctx.db),
    loadVerificationKey(ctx.config.auditKeyFile),
  ]);
  const value = checkpoint && publicKey ? checkpointJson(checkpoint, publicKey) : null;
  memo.set(lastingOf(ctx), { at: now, value });
  return value;
}
