/**
 * The keys that encrypt platform tokens at rest (AES-256-GCM). They live in a JSON file outside
 * the database, beside the audit signing key (SNSGOV_TOKEN_KEY_FILE), created on first use with
 * mode 0600, so a copy of the database alone does not give anyone the city's tokens. Each
 * ciphertext names the id of the key it was made with, so a new key can be added, every token
 * re-encrypted under it (`snsgov publisher rotate-key`), and the old key dropped. Key material and
 * tokens are never logged or printed; only key ids are.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename } from "node:fs/promises";
import { dirname } from "node:path";

/** The keys by id and the one new ciphertexts are made with. */
export type TokenKeys = { currentId: string; keys: ReadonlyMap<string, Buffer>; file: string };

/** A token as stored: the ciphertext (`v1.<iv>.<tag>.<data>`, base64url) and its key id. */
export type SealedToken = { ciphertext: string; keyId: string };

/** Thrown when the key file is unreadable or lacks a key a ciphertext names. */
export class TokenKeyError extends Error {
  override name = "TokenKeyError";
}

type KeyFile = { current: string; keys: Record<string, string> };

function errorCode(error: unknown): unknown {
  return error instanceof Error && "code" in error ? error.code : undefined;
}

function newKeyId(): string {
  return `k${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
}

function parseKeyFile(text: string, file: string): TokenKeys {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new TokenKeyError(`${file} is not a token key file (JSON expected)`);
  }
  if (typeof data !== "object" || data === null || !("current" in data) || !("keys" in data))
    throw new TokenKeyError(`${file} is not a token key file (current and keys expected)`);
  const { current, keys } = data;
  if (typeof current !== "string" || typeof keys !== "object" || keys === null)
    throw new TokenKeyError(`${file} is not a token key file`);
  const map = new Map<string, Buffer>();
  for (const [id, value] of Object.entries(keys)) {
    const key = typeof value === "string" ? Buffer.from(value, "base64") : Buffer.alloc(0);
    if (key.length !== 32) throw new TokenKeyError(`${file}: key ${id} is not 32 bytes`);
    map.set(id, key);
  }
  if (!map.has(current)) throw new TokenKeyError(`${file}: the current key ${current} is missing`);
  return { currentId: current, keys: map, file };
}

/** Writes the key file atomically (a temporary file, fsync, rename), mode 0600. */
async function writeKeyFile(file: string, content: KeyFile): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  const handle = await open(temporary, "w", 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(content, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, file);
}

function toFile(keys: ReadonlyMap<string, Buffer>, current: string): KeyFile {
  return { current, keys: Object.fromEntries([...keys].map(([id, key]) => [id, key.toString("base64")])) };
}

/**
 * Loads the token keys from `file`; when it does not exist, a first key is generated and written
 * (mode 0600).
 * @throws TokenKeyError when the file exists but is not a token key file
 */
export async function loadTokenKeys(file: string): Promise<TokenKeys> {
  try {
    return parseKeyFile(await readFile(file, "utf8"), file);
  } catch (error) {
    if (errorCode(error) !== "ENOENT") throw error;
  }
  const id = newKeyId();
  const handle = await open(file, "wx", 0o600).catch(async (error: unknown) => {
    if (errorCode(error) === "ENOENT") {
      await mkdir(dirname(file), { recursive: true, mode: 0o700 });
      return open(file, "wx", 0o600);
    }
    throw error;
  });
  try {
    await handle.writeFile(`${JSON.stringify(toFile(new Map([[id, randomBytes(32)]]), id), null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return parseKeyFile(await readFile(file, "utf8"), file);
}

/** Adds a new key and makes it current (the old ones stay until `dropOtherKeys`). */
export async function addTokenKey(keys: TokenKeys): Promise<TokenKeys> {
  const id = newKeyId();
  const next = new Map(keys.keys);
  next.set(id, randomBytes(32));
  await writeKeyFile(keys.file, toFile(next, id));
  return { currentId: id, keys: next, file: keys.file };
}

/** Removes every key but the current one (after every token was re-encrypted). */
export async function dropOtherKeys(keys: TokenKeys): Promise<TokenKeys> {
  const current = keys.keys.get(keys.currentId);
  if (!current) throw new TokenKeyError(`the current key ${keys.currentId} is missing`);
  const next = new Map([[keys.currentId, current]]);
  await writeKeyFile(keys.file, toFile(next, keys.currentId));
  return { currentId: keys.currentId, keys: next, file: keys.file };
}

const b64 = (b: Buffer) => b.toString("base64url");

/**
 * Encrypts a token under the current key; `context` (e.g. `connection:12:x`) is bound as
 * additional data, so a ciphertext copied to another row does not decrypt.
 */
export function sealToken(keys: TokenKeys, plaintext: string, context: string): SealedToken {
  const key = keys.keys.get(keys.currentId);
  if (!key) throw new TokenKeyError(`the current key ${keys.currentId} is missing`);
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return { ciphertext: `v1.${b64(iv)}.${b64(cipher.getAuthTag())}.${b64(data)}`, keyId: keys.currentId };
}

/**
 * Decrypts a stored token.
 * @throws TokenKeyError when its key is not in the file, or it was altered or moved to another row
 */
export function openToken(keys: TokenKeys, sealed: SealedToken, context: string): string {
  const key = keys.keys.get(sealed.keyId);
  if (!key) throw new TokenKeyError(`the token key ${sealed.keyId} is not in ${keys.file}`);
  const [version, iv, tag, data] = sealed.ciphertext.split(".");
  if (version !== "v1" || !iv || !tag || data === undefined)
    throw new TokenKeyError("a stored token has an unknown format");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString(
      "utf8",
    );
  } catch {
    throw new TokenKeyError("a stored token does not decrypt (altered, or moved from another connection)");
  }
}
