import assert from "node:assert/strict";
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { after, before, beforeEach, test } from "node:test";
import { sql } from "drizzle-orm";
import {
  appendEntries,
  asSuperuser,
  resetAudit,
  rewriteChainFrom,
  withTriggersDisabled,
} from "../../test/support/audit.ts";
import { type TestApp, testApp } from "../../test/support/context.ts";
import { entriesAfter, entryAt, insertCheckpoint } from "../db/repos/audit.ts";
import { type CheckpointRecord, firstChainProblem, signCheckpoint } from "../domain/audit-chain.ts";
import { createCheckpoint } from "./audit-checkpoint.ts";
import { describeAuditResult, verifyAudit } from "./audit-verify.ts";

let app: TestApp;
const city = generateKeyPairSync("ed25519");

before(async () => {
  app = await testApp();
});
after(() => app.close());
beforeEach(async () => {
  await resetAudit(app.ctx.db);
});

/** Verifies in batches of 3, so every scenario crosses batch boundaries. */
const verify = (keys: KeyObject | KeyObject[] = city.publicKey) =>
  verifyAudit(app.ctx.db, keys, { batchSize: 3 });

async function checkpoint(): Promise<CheckpointRecord> {
  const outcome = await createCheckpoint(app.ctx, city.privateKey);
  assert.equal(outcome.kind, "created");
  return outcome.checkpoint;
}

/** The error a refused statement raised (drizzle wraps the driver's error as `cause`). */
function refusal(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message} ${error.cause.message}` : error.message;
}

test("the database refuses UPDATE, DELETE and TRUNCATE on the audit log and its checkpoints", async () => {
  await appendEntries(app, 3);
  await checkpoint();
  const statements = [
    sql`update audit_log set summary = '{}'::jsonb where seq = 2`,
    sql`delete from audit_log where seq = 3`,
    sql`truncate audit_log`,
    sql`update audit_checkpoints set seq = 2`,
    sql`delete from audit_checkpoints`,
    sql`truncate audit_checkpoints`,
  ];
  for (const statement of statements) {
    await assert.rejects(app.ctx.db.execute(statement), (error: unknown) => {
      assert.match(
        refusal(error),
        /audit log is append-only: (UPDATE|DELETE|TRUNCATE) on audit_(log|checkpoints) refused/,
      );
      return true;
    });
  }
  const result = await verify();
  assert.equal(describeAuditResult(result), "audit log OK: 3 entries, 1 checkpoints, last seq 3");
});

test("an intact log verifies, across batches, with every checkpoint", async () => {
  await appendEntries(app, 4);
  await checkpoint();
  await appendEntries(app, 6);
  await checkpoint();
  const result = await verify();
  assert.deepEqual(result, { ok: true, entries: 10, checkpoints: 2, lastSeq: 10, confirmedThrough: 10 });
});

test("an entry whose summary was changed is named", async () => {
  await appendEntries(app, 10);
  await checkpoint();
  await withTriggersDisabled(app.ctx.db, async (tx) => {
    await tx.execute(
      sql`update audit_log set summary = '{"n": 4, "note": "nothing happened"}'::jsonb where seq = 4`,
    );
  });
  const result = await verify();
  assert.equal(result.ok, false);
  assert.equal(
    describeAuditResult(result),
    "audit log BROKEN at entry 4: entry 4 was changed: its content does not match its hash",
  );
});

test("an entry deleted from the middle is named as missing", async () => {
  await appendEntries(app, 10);
  await asSuperuser(app.ctx.db, async (tx) => {
    await tx.execute(sql`delete from audit_log where seq = 5`);
  });
  const result = await verify();
  assert.equal(result.firstProblem?.seq, 5);
  assert.match(result.firstProblem?.reason ?? "", /^entry 5 is missing/);
  assert.equal(result.entries, 9);
});

test("two entries swapped in order: the first of them is named", async () => {
  await appendEntries(app, 10);
  await asSuperuser(app.ctx.db, async (tx) => {
    await tx.execute(sql`update audit_log set seq = -3 where seq = 3`);
    await tx.execute(sql`update audit_log set seq = 3 where seq = 6`);
    await tx.execute(sql`update audit_log set seq = 6 where seq = -3`);
  });
  const result = await verify();
  assert.equal(result.firstProblem?.seq, 3);
  assert.equal(result.ok, false);
});

test("a changed entry with every later hash recomputed is caught by the signed checkpoint", async () => {
  await appendEntries(app, 2);
  await checkpoint();
  await appendEntries(app, 6);
  await checkpoint();
  await appendEntries(app, 2);
  await rewriteChainFrom(app.ctx.db, 4, { n: "4", note: "rewritten" });
  // The chain alone no longer shows anything: only the checkpoint can.
  assert.equal(firstChainProblem(await entriesAfter(app.ctx.db, 0, 100), null), null);
  const result = await verify();
  assert.equal(result.firstProblem?.seq, 8);
  assert.match(
    result.firstProblem?.reason ?? "",
    /^entry 8 differs from the checkpoint signed at .*: an entry from 3 to 8 was changed/,
  );
});

test("removing the tail after a checkpoint covered it is caught", async () => {
  await appendEntries(app, 10);
  const signed = await checkpoint();
  await asSuperuser(app.ctx.db, async (tx) => {
    await tx.execute(sql`delete from audit_log where seq >= 8`);
  });
  const result = await verify();
  assert.equal(
    describeAuditResult(result),
    `audit log BROKEN at entry 8: entries from 8 to 10 were removed: the checkpoint signed at ${signed.at} covers entry 10, but the log ends at entry 7`,
  );
  assert.equal(result.lastSeq, 7);
});

test("a checkpoint signed by another key, or with a forged signature, is a problem", async () => {
  await appendEntries(app, 6);
  await checkpoint();
  const entry5 = await entryAt(app.ctx.db, 5);
  assert.ok(entry5);
  const forger = generateKeyPairSync("ed25519");
  await insertCheckpoint(
    app.ctx.db,
    signCheckpoint({ seq: 5, hash: entry5.hash, at: "2026-11-24T00:10:00.000Z" }, forger.privateKey),
  );
  const unknown = await verify();
  assert.equal(unknown.firstProblem?.seq, 5);
  assert.match(unknown.firstProblem?.reason ?? "", /is signed by unknown key/);

  await resetAudit(app.ctx.db);
  await appendEntries(app, 6);
  await checkpoint();
  const entry3 = await entryAt(app.ctx.db, 3);
  assert.ok(entry3);
  const genuine = signCheckpoint(
    { seq: 3, hash: entry3.hash, at: "2026-11-24T00:10:00.000Z" },
    city.privateKey,
  );
  await insertCheckpoint(app.ctx.db, { ...genuine, at: "2026-11-24T00:20:00.000Z" });
  const forged = await verify();
  assert.equal(forged.firstProblem?.seq, 3);
  assert.match(forged.firstProblem?.reason ?? "", /has an invalid signature/);
});

test("without the public key, checkpoints cannot be trusted", async () => {
  await appendEntries(app, 2);
  await checkpoint();
  const result = await verify([]);
  assert.equal(result.ok, false);
  assert.match(result.firstProblem?.reason ?? "", /unknown key .* \(known: none available\)/);
});
