/**
 * The audit log's hash chain and checkpoint signatures, as pure functions so that the server, the
 * CLI verifier and an auditor's copy of an export compute exactly the same thing.
 *
 * hash(entry) = SHA-256( prevHash ‖ "\n" ‖ JCS(entry) ), JCS = RFC 8785 canonical JSON of
 * { seq, at, actorId, actorLabel, action, targetType, targetId, summary }.
 * A checkpoint signs JCS({ seq, hash, at }) with Ed25519.
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

export type CheckpointBody = { seq: number; hash: string; at: string };
export type CheckpointRecord = CheckpointBody & { keyId: string; signature: string };

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

/** Signs a checkpoint with an Ed25519 private key. */
export function signCheckpoint(body: CheckpointBody, privateKey: KeyObject): CheckpointRecord {
  const signature = sign(null, Buffer.from(jcs(body), "utf8"), privateKey).toString("base64");
  return { ...body, keyId: keyIdOf(createPublicKey(privateKey)), signature };
}

/** True when the checkpoint's signature is valid for `publicKey`. */
export function checkpointSignatureValid(record: CheckpointRecord, publicKey: KeyObject): boolean {
  const body: CheckpointBody = { seq: record.seq, hash: record.hash, at: record.at };
  try {
    return verify(null, Buffer.from(jcs(body), "utf8"), publicKey, Buffer.from(record.signature, "base64"));
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
