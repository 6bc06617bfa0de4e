import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { checkpointSignatureValid, keyIdOf, signCheckpoint } from "../../domain/audit-chain.ts";
import {
  AuditKeyError,
  loadSigningKey,
  loadVerificationKey,
  publicKeyFileFor,
  readPublicKeyFile,
} from "./keys.ts";

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "snsgov-keys-"));
});
after(() => rm(dir, { recursive: true, force: true }));

test("the first use creates a private key only its owner can read, and its public key beside it", async () => {
  const file = join(dir, "secrets", "nested", "audit-signing-key.pem");
  const key = await loadSigningKey(file);
  assert.equal(key.created, true);
  assert.equal((await stat(file)).mode & 0o777, 0o600);
  assert.match(await readFile(file, "utf8"), /^-----BEGIN PRIVATE KEY-----/);
  const pub = await readFile(publicKeyFileFor(file), "utf8");
  assert.match(pub, /^-----BEGIN PUBLIC KEY-----/);
  assert.doesNotMatch(pub, /PRIVATE/);
  assert.equal(keyIdOf(await readPublicKeyFile(publicKeyFileFor(file))), key.keyId);

  const again = await loadSigningKey(file);
  assert.equal(again.created, false);
  assert.equal(again.keyId, key.keyId, "the same key is used on every start");
});

test("verifiers get the public key from the private key, or from the .pub file alone", async () => {
  const file = join(dir, "verify", "key.pem");
  assert.equal(await loadVerificationKey(file), null, "nothing is created when verifying");
  const key = await loadSigningKey(file);
  const fromPrivate = await loadVerificationKey(file);
  assert.equal(fromPrivate && keyIdOf(fromPrivate), key.keyId);
  assert.equal(fromPrivate?.type, "public");

  await rm(file);
  const fromPub = await loadVerificationKey(file);
  assert.equal(fromPub && keyIdOf(fromPub), key.keyId);
  const signed = signCheckpoint(
    {
      seq: 1,
      prevHash: "0".repeat(64),
      entry: { seq: 1, hash: "0".repeat(64), at: "2026-11-24T00:00:00.000Z" },
      at: "2026-11-24T00:00:00.000Z",
      final: false,
    },
    key.privateKey,
  );
  assert.equal(signed.keyId, key.keyId);
  assert.ok(fromPub && checkpointSignatureValid(signed, fromPub));
});

test("a key file that is not an Ed25519 private key is refused with a message naming the file", async () => {
  const rsa = join(dir, "rsa.pem");
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 1024 });
  await writeFile(rsa, privateKey.export({ type: "pkcs8", format: "pem" }));
  await assert.rejects(loadSigningKey(rsa), (error: unknown) => {
    assert.ok(error instanceof AuditKeyError);
    assert.equal(error.message, `${rsa} is not an Ed25519 key (found rsa)`);
    return true;
  });
  const garbage = join(dir, "garbage.pem");
  await writeFile(garbage, "not a key\n");
  await assert.rejects(loadSigningKey(garbage), /garbage\.pem does not hold a PEM private key/);
});
