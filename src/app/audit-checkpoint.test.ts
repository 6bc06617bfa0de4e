import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { after, before, beforeEach, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "drizzle-orm";
import { appendEntries, resetAudit, withTriggersDisabled } from "../../test/support/audit.ts";
import { type TestApp, testApp } from "../../test/support/context.ts";
import { allCheckpoints, lastEntry } from "../db/repos/audit.ts";
import { checkpointSignatureValid, keyIdOf } from "../domain/audit-chain.ts";
import { createCheckpoint, startCheckpointTimer } from "./audit-checkpoint.ts";
import { createLogger } from "./logger.ts";

let app: TestApp;
const city = generateKeyPairSync("ed25519");

before(async () => {
  app = await testApp();
});
after(() => app.close());
beforeEach(async () => {
  await resetAudit(app.ctx.db);
});

test("a checkpoint signs the newest entry once, and again only after new entries", async () => {
  assert.deepEqual(await createCheckpoint(app.ctx, city.privateKey), { kind: "skipped", reason: "empty" });
  await appendEntries(app, 3);
  const first = await createCheckpoint(app.ctx, city.privateKey);
  assert.equal(first.kind, "created");
  const head = await lastEntry(app.ctx.db);
  assert.ok(head && first.kind === "created");
  assert.equal(first.checkpoint.seq, 3);
  assert.equal(first.checkpoint.hash, head.hash);
  assert.equal(first.checkpoint.at, app.clock.now().toISOString());
  assert.equal(first.checkpoint.keyId, keyIdOf(city.publicKey));
  assert.ok(checkpointSignatureValid(first.checkpoint, city.publicKey));

  assert.deepEqual(await createCheckpoint(app.ctx, city.privateKey), {
    kind: "skipped",
    reason: "already-checkpointed",
    seq: 3,
  });
  await appendEntries(app, 2);
  const second = await createCheckpoint(app.ctx, city.privateKey);
  assert.equal(second.kind === "created" && second.checkpoint.seq, 5);
  const stored = await allCheckpoints(app.ctx.db);
  assert.deepEqual(
    stored.map((c) => c.seq),
    [3, 5],
  );
  // Checkpoints are not audit entries.
  assert.equal((await lastEntry(app.ctx.db))?.seq, 5);
});

test("no checkpoint is signed over entries that do not verify", async () => {
  await appendEntries(app, 3);
  await createCheckpoint(app.ctx, city.privateKey);
  await appendEntries(app, 3);
  await withTriggersDisabled(app.ctx.db, async (tx) => {
    await tx.execute(sql`update audit_log set actor_label = 'someone else' where seq = 5`);
  });
  const outcome = await createCheckpoint(app.ctx, city.privateKey);
  assert.equal(outcome.kind, "refused");
  assert.equal(outcome.kind === "refused" && outcome.problem.seq, 5);
  assert.deepEqual(
    (await allCheckpoints(app.ctx.db)).map((c) => c.seq),
    [3],
  );
});

test("a checkpoint is refused when the chain no longer reaches the last one signed", async () => {
  await appendEntries(app, 4);
  await createCheckpoint(app.ctx, city.privateKey);
  await withTriggersDisabled(app.ctx.db, async (tx) => {
    await tx.execute(sql`delete from audit_log where seq >= 3`);
  });
  await appendEntries(app, 1);
  const outcome = await createCheckpoint(app.ctx, city.privateKey);
  assert.equal(outcome.kind, "refused");
  assert.match(outcome.kind === "refused" ? outcome.problem.reason : "", /entry 4 is missing or differs/);
});

test("the timer signs checkpoints in the background and stops when asked", async () => {
  const logged: string[] = [];
  const log = createLogger("info", (line) => logged.push(line));
  await appendEntries(app, 2);
  const stop = startCheckpointTimer({ ...app.ctx, log }, city.privateKey, 0.001); // every 60 ms
  for (let i = 0; i < 50 && (await allCheckpoints(app.ctx.db)).length === 0; i++) await sleep(20);
  await stop();
  const checkpoints = await allCheckpoints(app.ctx.db);
  assert.equal(checkpoints.at(-1)?.seq, 2);
  assert.ok(logged.some((line) => line.includes('"message":"audit checkpoint signed"')));
  assert.ok(logged.every((line) => !line.includes("PRIVATE KEY")));

  await appendEntries(app, 1);
  await sleep(200);
  assert.equal((await allCheckpoints(app.ctx.db)).length, checkpoints.length, "no checkpoint after stop");
});
