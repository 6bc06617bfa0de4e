import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "drizzle-orm";
import { appendEntries, resetAudit, withTriggersDisabled } from "../../../test/support/audit.ts";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { allCheckpoints, insertCheckpoint, lastEntry } from "../../db/repos/audit.ts";
import { checkpointSignatureValid, GENESIS_HASH, keyIdOf, signCheckpoint } from "../../domain/audit-chain.ts";
import { createLogger } from "../logger.ts";
import { createCheckpoint, startCheckpointTimer } from "./checkpoint.ts";

let app: TestApp;
const city = generateKeyPairSync("ed25519");

before(async () => {
  app = await testApp();
});
after(() => app.close());
beforeEach(async () => {
  await resetAudit(app);
});

test("a checkpoint signs the newest entry once, and again only after new entries", async () => {
  assert.deepEqual(await createCheckpoint(app.ctx, city.privateKey), { kind: "skipped", reason: "empty" });
  await appendEntries(app, 3);
  const first = await createCheckpoint(app.ctx, city.privateKey);
  assert.equal(first.kind, "created");
  const head = await lastEntry(app.ctx.db);
  assert.ok(head && first.kind === "created");
  assert.equal(first.checkpoint.seq, 1);
  assert.equal(first.checkpoint.prevHash, GENESIS_HASH);
  assert.deepEqual(first.checkpoint.entry, { seq: 3, hash: head.hash, at: head.at });
  assert.equal(first.checkpoint.final, false);
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
  assert.ok(second.kind === "created");
  assert.equal(second.checkpoint.entry.seq, 5);
  assert.equal(second.checkpoint.seq, 2);
  assert.equal(second.checkpoint.prevHash, first.checkpoint.hash, "each checkpoint links to the one before");
  const stored = await allCheckpoints(app.ctx.db);
  assert.deepEqual(
    stored.map((c) => [c.seq, c.entry.seq]),
    [
      [1, 3],
      [2, 5],
    ],
  );
  assert.deepEqual(stored, [first.checkpoint, second.checkpoint], "stored as signed");
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
    (await allCheckpoints(app.ctx.db)).map((c) => c.entry.seq),
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
  assert.equal(checkpoints.at(-1)?.entry.seq, 2);
  assert.ok(logged.some((line) => line.includes('"message":"audit checkpoint signed"')));
  assert.ok(logged.every((line) => !line.includes("PRIVATE KEY")));

  await appendEntries(app, 1);
  await sleep(200);
  assert.equal((await allCheckpoints(app.ctx.db)).length, checkpoints.length, "no checkpoint after stop");
});

test("while nothing is new the timer still signs (renewing after half the interval), and a closing one at shutdown", async () => {
  await appendEntries(app, 2);
  const renew = { renewAfterMs: 150_000 };
  assert.equal((await createCheckpoint(app.ctx, city.privateKey, renew)).kind, "created");
  app.clock.advance(60_000);
  assert.equal((await createCheckpoint(app.ctx, city.privateKey, renew)).kind, "skipped");
  app.clock.advance(120_000);
  const renewed = await createCheckpoint(app.ctx, city.privateKey, renew);
  assert.ok(renewed.kind === "created");
  assert.deepEqual([renewed.checkpoint.seq, renewed.checkpoint.entry.seq], [2, 2]);
  const closing = await createCheckpoint(app.ctx, city.privateKey, { final: true });
  assert.ok(closing.kind === "created" && closing.checkpoint.final);
  assert.equal((await createCheckpoint(app.ctx, city.privateKey, { final: true })).kind, "skipped");
});

test("checkpoints another instance signed are added to this instance's anchor file", async () => {
  const dir = await mkdtemp(join(tmpdir(), "snsgov-anchor-"));
  try {
    const other = { ...app.ctx, config: { ...app.ctx.config, auditAnchorFile: join(dir, "other.jsonl") } };
    await appendEntries(app, 1);
    await createCheckpoint(app.ctx, city.privateKey); // #1
    await appendEntries(app, 1);
    await createCheckpoint(other, city.privateKey); // #2: its file starts with #1
    await appendEntries(app, 1);
    await createCheckpoint(app.ctx, city.privateKey); // #3, after catching up with #2
    const seqs = async (file: string) =>
      (await readFile(file, "utf8"))
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line).seq);
    assert.deepEqual(await seqs(app.ctx.config.auditAnchorFile), [1, 2, 3]);
    assert.deepEqual(await seqs(other.config.auditAnchorFile), [1, 2]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("a checkpoint stored after the last anchor by someone without the key stops the signer", async () => {
  await appendEntries(app, 2);
  const first = await createCheckpoint(app.ctx, city.privateKey);
  assert.ok(first.kind === "created");
  const head = await lastEntry(app.ctx.db);
  assert.ok(head);
  const forger = generateKeyPairSync("ed25519");
  await insertCheckpoint(
    app.ctx.db,
    signCheckpoint(
      {
        seq: 2,
        prevHash: first.checkpoint.hash,
        entry: { seq: head.seq, hash: head.hash, at: head.at },
        at: app.clock.now().toISOString(),
        final: true,
      },
      forger.privateKey,
    ),
  );
  await appendEntries(app, 1);
  const outcome = await createCheckpoint(app.ctx, city.privateKey);
  assert.equal(outcome.kind, "refused");
  assert.match(
    outcome.kind === "refused" ? outcome.problem.reason : "",
    /^checkpoint #2 \(signed at .*\) is not validly signed by this server's key, or does not follow checkpoint #1$/,
  );
});
