/**
 * The Ed25519 key that signs audit checkpoints. It lives in a file outside the database (so a
 * person who can rewrite the database cannot also re-sign it); it is created on first use with
 * mode 0600, and its public half is written beside it as `<file>.pub` for verifiers and auditors.
 * Key material is never logged or printed; only the key id is.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { mkdir, open, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { keyIdOf } from "../../domain/audit-chain.ts";

/** The signing key as the server and `snsgov audit checkpoint` use it. */
export type AuditSigningKey = {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Short public identifier (see `keyIdOf`), safe to print. */
  keyId: string;
  /** Path of the private key file. */
  file: string;
  /** True when this call generated the key (the file did not exist). */
  created: boolean;
};

/** Thrown when a key file exists but is not a usable Ed25519 key. */
export class AuditKeyError extends Error {
  override name = "AuditKeyError";
}

function errorCode(error: unknown): unknown {
  return error instanceof Error && "code" in error ? error.code : undefined;
}

/** Path of the public key written beside a private key file. */
export function publicKeyFileFor(privateKeyFile: string): string {
  return `${privateKeyFile}.pub`;
}

/** SPKI PEM text of a public key (what export headers and `.pub` files carry). */
export function publicKeyPem(publicKey: KeyObject): string {
  return publicKey.export({ type: "spki", format: "pem" }).toString();
}

function requireEd25519(key: KeyObject, file: string): KeyObject {
  if (key.asymmetricKeyType !== "ed25519") {
    throw new AuditKeyError(`${file} is not an Ed25519 key (found ${key.asymmetricKeyType ?? "unknown"})`);
  }
  return key;
}

function parsePrivateKey(pem: string, file: string): KeyObject {
  try {
    return requireEd25519(createPrivateKey({ key: pem, format: "pem" }), file);
  } catch (error) {
    if (error instanceof AuditKeyError) throw error;
    throw new AuditKeyError(`${file} does not hold a PEM private key`);
  }
}

/**
 * A public key from PEM text: an SPKI public key, or a private key whose public half is taken.
 * @throws AuditKeyError when the text is neither, or not Ed25519.
 */
export function parsePublicKey(pem: string, source = "public key"): KeyObject {
  try {
    return requireEd25519(createPublicKey({ key: pem, format: "pem" }), source);
  } catch (error) {
    if (error instanceof AuditKeyError) throw error;
    throw new AuditKeyError(`${source} does not hold a PEM public or private key`);
  }
}

/** Reads a public key file (SPKI PEM, or a private key PEM whose public half is used). */
export async function readPublicKeyFile(file: string): Promise<KeyObject> {
  return parsePublicKey(await readFile(file, "utf8"), file);
}

async function writeNewKey(file: string): Promise<boolean> {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, "wx", 0o600);
  } catch (error) {
    if (errorCode(error) === "EEXIST") return false; // another process created it first
    throw error;
  }
  try {
    await handle.writeFile(pem);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await writeFile(publicKeyFileFor(file), publicKeyPem(publicKey), { mode: 0o644 });
  return true;
}

/**
 * Loads the checkpoint signing key from `file` (PKCS#8 PEM). When the file does not exist, a new
 * key is generated and written with mode 0600 (creating the folder), and its public key is
 * written to `<file>.pub`.
 * @throws AuditKeyError when the file exists but is not an Ed25519 private key.
 */
export async function loadSigningKey(file: string): Promise<AuditSigningKey> {
  let created = false;
  let pem: string;
  try {
    pem = await readFile(file, "utf8");
  } catch (error) {
    if (errorCode(error) !== "ENOENT") throw error;
    created = await writeNewKey(file);
    pem = await readFile(file, "utf8");
  }
  const privateKey = parsePrivateKey(pem, file);
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey), file, created };
}

/**
 * Loads the signing key from `file` when it exists, without creating one (null when missing).
 * @throws AuditKeyError when the file exists but is not an Ed25519 private key.
 */
export async function loadSigningKeyIfPresent(file: string): Promise<AuditSigningKey | null> {
  let pem: string;
  try {
    pem = await readFile(file, "utf8");
  } catch (error) {
    if (errorCode(error) === "ENOENT") return null;
    throw error;
  }
  const privateKey = parsePrivateKey(pem, file);
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey), file, created: false };
}

/**
 * The public key to verify checkpoints with, without creating anything: the public half of the
 * private key at `privateKeyFile` if it exists, else `<privateKeyFile>.pub`, else null.
 */
export async function loadVerificationKey(privateKeyFile: string): Promise<KeyObject | null> {
  for (const file of [privateKeyFile, publicKeyFileFor(privateKeyFile)]) {
    let pem: string;
    try {
      pem = await readFile(file, "utf8");
    } catch (error) {
      if (errorCode(error) === "ENOENT") continue;
      throw error;
    }
    return parsePublicKey(pem, file);
  }
  return null;
}
