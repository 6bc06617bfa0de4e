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
} from "../../../test/support/audit.ts";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { entriesAfter, entryAt, insertCheckpoint } from "../../db/repos/audit.ts";
import { type Checkpoint, firstChainProblem, signCheckpoint } from "../../domain/audit-chain.ts";
import { createCheckpoint } from "./checkpoint.ts";
import { describeAuditResult, verifyAudit } from "./verify.ts";

let app: TestApp;
const city = generateKeyPairSync("ed25519");

before(async () => {
  app = await testApp();
});
after(() => app.close());
beforeEach(async () => {
  await resetAudit(app);
});

/** Verifies in batches of 3, so every scenario crosses batch boundaries; now is the test clock's. */
const verify = (keys: KeyObject | KeyObject[] = city.publicKey) =>
  verifyAudit(app.ctx.db, keys, { batchSize: 3, checkpointMinutes: 5, now: app.clock.now() });

async function checkpoint(): Promise<Checkpoint> {
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
    /^entry 8 differs from checkpoint #2 \(signed at .*\): the chain was rewritten .* entries 3 to 8 may have been rewritten \(checkpoint #1 still matches entry 2\)$/,
  );
  assert.deepEqual(result.rewritten, { from: 3, to: 8, lastGood: 1, firstBad: 2 });
  assert.equal(
    describeAuditResult(result).split("\n")[1],
    "entries 3 to 8 may have been rewritten (checkpoint #2 is the first that does not match; checkpoint #1 is the last that matches)",
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
    `audit log BROKEN at entry 8: entries from 8 to 10 were removed: checkpoint #1 (signed at ${signed.at}) covers entry 10, but the log ends at entry 7`,
  );
  assert.equal(result.lastSeq, 7);
});

test("a checkpoint signed by another key, or with a forged signature, is a problem", async () => {
  await appendEntries(app, 6);
  const first = await checkpoint();
  const entry5 = await entryAt(app.ctx.db, 5);
  assert.ok(entry5);
  const forger = generateKeyPairSync("ed25519");
  const body = (entry: { seq: number; hash: string; at: string }) => ({
    seq: 2,
    prevHash: first.hash,
    entry: { seq: entry.seq, hash: entry.hash, at: entry.at },
    at: "2026-11-24T00:10:00.000Z",
    final: false,
  });
  await insertCheckpoint(app.ctx.db, signCheckpoint(body(entry5), forger.privateKey));
  const unknown = await verify();
  assert.equal(unknown.firstProblem?.seq, 5);
  assert.match(
    unknown.firstProblem?.reason ?? "",
    /^checkpoint #2 \(signed at .*\) for entry 5 is signed by unknown key/,
  );

  await resetAudit(app);
  await appendEntries(app, 6);
  const again = await checkpoint();
  const entry3 = await entryAt(app.ctx.db, 3);
  assert.ok(entry3);
  const genuine = signCheckpoint({ ...body(entry3), prevHash: again.hash }, city.privateKey);
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
