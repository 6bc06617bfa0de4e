/**
 * Checkpoints kept outside the database. Every checkpoint the server signs is appended, as one
 * JSON line, to the anchor file (SNSGOV_AUDIT_ANCHOR_FILE): opened with O_APPEND, fsync'd, never
 * rewritten. The same JSON is published at /public/audit-checkpoint.json, so the council, a
 * citizen or an archive can keep copies; `snsgov audit verify --anchor FILE` checks the database
 * against any such copy (a file of lines, or one saved JSON document).
 */
import type { KeyObject } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, open, readFile, rename, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { createInterface } from "node:readline";
import { z } from "zod";
import { CHECKPOINT_FORMAT, type Checkpoint } from "../../domain/audit-chain.ts";
import { publicKeyPem } from "./keys.ts";

const seq = z.number().int().positive();
const hash = z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lowercase hex digits");
const instant = z.iso.datetime({ precision: 3 });

/** A chained checkpoint as JSON: anchor file lines, the public endpoint, export lines. */
export const checkpointJsonSchema = z.strictObject({
  format: z.literal(CHECKPOINT_FORMAT),
  /** The checkpoint's number in the chain. */
  seq,
  /** Its own hash: SHA-256 of the bytes signed. */
  hash,
  /** The previous checkpoint's hash (64 zeros for the first). */
  prevHash: hash,
  /** The entry covered. */
  entry: z.strictObject({ seq, hash, at: instant }),
  /** When it was signed. */
  at: instant,
  /** Signed by a process closing the database. */
  final: z.boolean(),
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  signature: z.string().min(1),
  /** SPKI PEM of the signing key (in the public document; anchor file lines leave it out). */
  publicKey: z.string().optional(),
});

export type CheckpointJson = z.infer<typeof checkpointJsonSchema>;

/** Thrown when the anchor file cannot be read or written as it should. */
export class AnchorFileError extends Error {
  override name = "AnchorFileError";
}

/** The JSON form of a chained checkpoint, with the public key when given. */
export function checkpointJson(c: Checkpoint, publicKey?: KeyObject): CheckpointJson {
  if (c.version !== 2 || c.prevHash === null || c.entry.at === null) {
    throw new TypeError(`checkpoint #${c.seq} is not a chained checkpoint`);
  }
  const json: CheckpointJson = {
    format: CHECKPOINT_FORMAT,
    seq: c.seq,
    hash: c.hash,
    prevHash: c.prevHash,
    entry: { seq: c.entry.seq, hash: c.entry.hash, at: c.entry.at },
    at: c.at,
    final: c.final,
    keyId: c.keyId,
    signature: c.signature,
  };
  if (publicKey) json.publicKey = publicKeyPem(publicKey);
  return json;
}

/** The checkpoint a JSON form describes (its `hash` as written: compare with `checkpointHash`). */
export function fromCheckpointJson(json: CheckpointJson): Checkpoint {
  return {
    version: 2,
    seq: json.seq,
    prevHash: json.prevHash,
    entry: { ...json.entry },
    at: json.at,
    final: json.final,
    hash: json.hash,
    keyId: json.keyId,
    signature: json.signature,
  };
}

function errorCode(error: unknown): unknown {
  return error instanceof Error && "code" in error ? error.code : undefined;
}

function issuesText(error: z.ZodError): string {
  return error.issues
    .map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message))
    .join("; ");
}

/** Parses one anchor; a string says why it is not one. */
export function parseAnchor(text: string): Checkpoint | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return "not JSON";
  }
  const parsed = checkpointJsonSchema.safeParse(value);
  return parsed.success
    ? fromCheckpointJson(parsed.data)
    : `not a signed checkpoint (${issuesText(parsed.error)})`;
}

/**
 * Appends checkpoints to the anchor file, one JSON line each, in one write with O_APPEND, then
 * fsyncs it (and its folder when the file is new). A line cut short by a crash is ended first.
 */
export async function appendAnchors(file: string, checkpoints: readonly Checkpoint[]): Promise<void> {
  if (!checkpoints.length) return;
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const existed = await stat(file).then(
    (s) => s.size,
    (error: unknown) => {
      if (errorCode(error) === "ENOENT") return null;
      throw error;
    },
  );
  const handle = await open(file, "a", 0o644);
  try {
    let prefix = "";
    if (existed) {
      const last = Buffer.alloc(1);
      const reader = await open(file, "r");
      try {
        await reader.read(last, 0, 1, existed - 1);
      } finally {
        await reader.close();
      }
      if (last.toString() !== "\n") prefix = "\n";
    }
    const lines = checkpoints.map((c) => `${JSON.stringify(checkpointJson(c))}\n`).join("");
    await handle.writeFile(prefix + lines);
    await handle.sync();
  } finally {
    await handle.close();
  }
  if (existed === null) {
    const folder = await open(dirname(file), "r");
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
  }
}

/** How much of the file's end is read to find its last line. */
const TAIL_BYTES = 64 * 1024;

/**
 * The last checkpoint in the anchor file, or null when the file does not exist or is empty.
 * @throws AnchorFileError when its last line is not a signed checkpoint.
 */
export async function readLastAnchor(file: string): Promise<Checkpoint | null> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, "r");
  } catch (error) {
    if (errorCode(error) === "ENOENT") return null;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const lines = buffer.toString("utf8").split("\n");
    const last = lines.reverse().find((line) => line.trim() !== "");
    if (last === undefined) return null;
    const anchor = parseAnchor(last);
    if (typeof anchor === "string") throw new AnchorFileError(`the last line of ${file} is ${anchor}`);
    return anchor;
  } finally {
    await handle.close();
  }
}

/** One anchor read from a file, or why a line is not one. */
export type AnchorLine = { line: number; anchor: Checkpoint } | { line: number; problem: string };

/** Files up to this size are first tried as one JSON document (a saved copy of the public JSON). */
const SINGLE_DOCUMENT_BYTES = 1024 * 1024;

/**
 * Reads kept anchors: a file of JSON lines (the anchor file, or copies of the public JSON appended
 * one per line), or one saved JSON document (possibly pretty-printed). Streams large files.
 */
export async function* readAnchors(path: string): AsyncGenerator<AnchorLine> {
  const { size } = await stat(path);
  if (size <= SINGLE_DOCUMENT_BYTES) {
    const text = await readFile(path, "utf8");
    const nonEmpty = text.split("\n").filter((l) => l.trim() !== "");
    if (nonEmpty.length > 1) {
      const whole = parseAnchor(text);
      if (typeof whole !== "string") {
        yield { line: 1, anchor: whole };
        return;
      }
    }
  }
  const lines = createInterface({
    input: createReadStream(path, "utf8"),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === "") continue;
    const anchor = parseAnchor(text);
    yield typeof anchor === "string" ? { line, problem: anchor } : { line, anchor };
  }
}

/**
 * Moves the anchor file aside as `<file>.before-restore-<time>` after the database was restored
 * from a backup: the restored database lacks the checkpoints signed since the backup, so the old
 * file (kept: it shows what the restore took back) would stop the server from signing again.
 * Returns the new name, or null when there was no anchor file.
 */
export async function archiveAnchorFile(file: string, at: Date): Promise<string | null> {
  const target = `${file}.before-restore-${at.toISOString().replace(/[:.]/g, "-")}`;
  try {
    await rename(file, target);
  } catch (error) {
    if (errorCode(error) === "ENOENT") return null;
    throw error;
  }
  return target;
}
