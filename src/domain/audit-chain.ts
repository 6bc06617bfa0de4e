/**
 * The audit log's hash chain and checkpoint signatures, as pure functions so that the server, the
 * CLI verifier and an auditor's copy of an export compute exactly the same thing.
 *
 * hash(entry) = SHA-256( prevHash ‖ "\n" ‖ JCS(entry) ), JCS = RFC 8785 canonical JSON of
 * { seq, at, actorId, actorLabel, action, targetType, targetId, summary }.
 *
 * Checkpoints form a chain of their own. A checkpoint (format 2) signs, with Ed25519,
 * JCS({ format, seq, prevHash, entry: { seq, hash, at }, at, final }): its own number in a gapless
 * sequence, the previous checkpoint's hash, the entry it covers and when it was signed; its hash
 * is SHA-256 of the same bytes. Checkpoints written before the chain existed (format 1) signed
 * JCS({ seq, hash, at }) of the entry only; they keep verifying, their hash is SHA-256 of those
 * bytes, and the first format 2 checkpoint links to the last of them.
 */
import { createHash, createPublicKey, type KeyObject, sign, verify } from "node:crypto";
import canonicalize from "canonicalize";

/** prev_hash of the first entry. */
export const GENESIS_HASH = "0".repeat(64);

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The fields of an entry that its hash covers. */
export type AuditEntryBody = {
  seq: number;
  at: string;
  actorId: number | null;
  actorLabel: string;
  action: string;
  targetType: string;
  targetId: string | null;
  summary: JsonValue;
};

export type AuditEntryRecord = AuditEntryBody & { prevHash: string; hash: string };

function jcs(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error("value cannot be canonicalised");
  return text;
}

/** The hash of an entry chained to `prevHash`. */
export function entryHash(prevHash: string, body: AuditEntryBody): string {
  const canonical = jcs({
    seq: body.seq,
    at: body.at,
    actorId: body.actorId,
    actorLabel: body.actorLabel,
    action: body.action,
    targetType: body.targetType,
    targetId: body.targetId,
    summary: body.summary,
  });
  return createHash("sha256").update(`${prevHash}\n${canonical}`, "utf8").digest("hex");
}

/** The `format` of a chained checkpoint. */
export const CHECKPOINT_FORMAT = "snsgov-audit-checkpoint/2";

/** What a chained checkpoint signs (and its hash covers), besides the format. */
export type CheckpointBody = {
  /** Position in the checkpoint chain: 1, 2, 3, … with no gaps. */
  seq: number;
  /** Hash of the previous checkpoint (GENESIS_HASH for the first). */
  prevHash: string;
  /** The entry covered: the newest when the checkpoint was signed. */
  entry: { seq: number; hash: string; at: string };
  /** When it was signed. */
  at: string;
  /** True when signed by a process that is closing the database (nothing follows until it opens again). */
  final: boolean;
};

/**
 * A signed checkpoint as stored and verified. `version` 1 checkpoints (before the chain) signed
 * only `{seq: entry.seq, hash: entry.hash, at}`: their `prevHash` and `entry.at` are null, `final`
 * is false and `seq` is their position among the stored checkpoints.
 */
export type Checkpoint = {
  version: 1 | 2;
  seq: number;
  prevHash: string | null;
  entry: { seq: number; hash: string; at: string | null };
  at: string;
  final: boolean;
  /** The checkpoint's own hash (what the next checkpoint's prevHash must be). */
  hash: string;
  keyId: string;
  signature: string;
};

/** The exact bytes a checkpoint's signature and hash cover. */
export function checkpointBytes(c: Omit<Checkpoint, "hash" | "keyId" | "signature">): Buffer {
  if (c.version === 1) {
    return Buffer.from(jcs({ seq: c.entry.seq, hash: c.entry.hash, at: c.at }), "utf8");
  }
  return Buffer.from(
    jcs({
      format: CHECKPOINT_FORMAT,
      seq: c.seq,
      prevHash: c.prevHash,
      entry: { seq: c.entry.seq, hash: c.entry.hash, at: c.entry.at },
      at: c.at,
      final: c.final,
    }),
    "utf8",
  );
}

/** SHA-256 (hex) of a checkpoint's signed bytes. */
export function checkpointHash(c: Omit<Checkpoint, "hash" | "keyId" | "signature">): string {
  return createHash("sha256").update(checkpointBytes(c)).digest("hex");
}

/** Signs a chained (format 2) checkpoint with an Ed25519 private key. */
export function signCheckpoint(body: CheckpointBody, privateKey: KeyObject): Checkpoint {
  const unsigned = { version: 2 as const, ...body, entry: { ...body.entry } };
  const bytes = checkpointBytes(unsigned);
  return {
    ...unsigned,
    hash: createHash("sha256").update(bytes).digest("hex"),
    keyId: keyIdOf(createPublicKey(privateKey)),
    signature: sign(null, bytes, privateKey).toString("base64"),
  };
}

/** True when the checkpoint's signature is valid for `publicKey` (whichever its format). */
export function checkpointSignatureValid(record: Checkpoint, publicKey: KeyObject): boolean {
  try {
    return verify(null, checkpointBytes(record), publicKey, Buffer.from(record.signature, "base64"));
  } catch {
    return false;
  }
}

/** A short, stable identifier of a public key (first 16 hex digits of SHA-256 of its DER). */
export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: "spki", format: "der" });
  return createHash("sha256").update(der).digest("hex").slice(0, 16);
}

/** Keys whose values never belong in an audit summary. */
const secretKey = /pass(word)?|secret|token|hash|totp|session|cookie|credential/i;

/**
 * Makes a summary safe and stable for the chain: drops secrets by key name, turns dates into ISO
 * strings and removes undefined, so what is hashed is exactly what the jsonb column returns.
 */
export function toAuditJson(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(toAuditJson);
  if (typeof value === "object") {
    const out: { [key: string]: JsonValue } = {};
    for (const [key, inner] of Object.entries(value)) {
      if (inner === undefined) continue;
      out[key] = secretKey.test(key) ? "[秘匿]" : toAuditJson(inner);
    }
    return out;
  }
  return String(value);
}

export type ChainProblem = { seq: number; reason: string };

/**
 * Checks a run of consecutive entries. `previous` is the entry before the first one (or null when
 * the run starts at seq 1). Returns the first problem, naming the first bad entry.
 */
export function firstChainProblem(
  entries: Iterable<AuditEntryRecord>,
  previous: { seq: number; hash: string } | null,
): ChainProblem | null {
  let expectedSeq = previous ? previous.seq + 1 : 1;
  let prevHash = previous ? previous.hash : GENESIS_HASH;
  for (const entry of entries) {
    if (entry.seq !== expectedSeq) {
      return entry.seq > expectedSeq
        ? { seq: expectedSeq, reason: `entry ${expectedSeq} is missing (next present is ${entry.seq})` }
        : { seq: entry.seq, reason: `entry ${entry.seq} is out of order (expected ${expectedSeq})` };
    }
    if (entry.prevHash !== prevHash) {
      return { seq: entry.seq, reason: `entry ${entry.seq} does not link to the previous entry's hash` };
    }
    if (entryHash(prevHash, entry) !== entry.hash) {
      return {
        seq: entry.seq,
        reason: `entry ${entry.seq} was changed: its content does not match its hash`,
      };
    }
    prevHash = entry.hash;
    expectedSeq++;
  }
  return null;
}
