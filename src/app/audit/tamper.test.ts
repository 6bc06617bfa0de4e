/**
 * The audit log against a database superuser: the append-only triggers dropped, entries rewritten
 * with every later hash recomputed, checkpoints deleted or forged. Verification must fail, from the
 * database alone where the checkpoint chain and the signing schedule show it, and against the
 * anchor file kept outside the database in every case; while normal operation (entries,
 * checkpoints on schedule, quiet hours, a clean shutdown) always verifies.
 */
import assert from "node:assert/strict";
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import { after, before, beforeEach, test } from "node:test";
import { sql } from "drizzle-orm";
import {
  appendEntries,
  deleteAsSuperuser,
  insertLegacyCheckpoint,
  resetAudit,
  rewriteChainFrom,
} from "../../../test/support/audit.ts";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { allCheckpoints, entryAt, insertCheckpoint } from "../../db/repos/audit.ts";
import { type Checkpoint, GENESIS_HASH, signCheckpoint } from "../../domain/audit-chain.ts";
import { parseAnchor } from "./anchor.ts";
import { createCheckpoint } from "./checkpoint.ts";
import { describeAuditResult, verifyAudit } from "./verify.ts";

let app: TestApp;
const city = generateKeyPairSync("ed25519");
const MINUTE = 60_000;

before(async () => {
  app = await testApp();
});
after(() => app.close());
beforeEach(async () => {
  await resetAudit(app);
  app.clock.set("2026-11-24T00:00:00Z");
});

/** `snsgov audit verify` now (test clock), optionally with the anchor file. */
function verify(options: { anchor?: boolean; keys?: KeyObject[] } = {}) {
  return verifyAudit(app.ctx.db, options.keys ?? [city.publicKey], {
    batchSize: 7,
    checkpointMinutes: 5,
    now: app.clock.now(),
    anchorFiles: options.anchor ? [app.ctx.config.auditAnchorFile] : [],
  });
}

/** What the server's timer does at each tick (every 5 minutes, renewing after half of that). */
async function tick(): Promise<void> {
  const outcome = await createCheckpoint(app.ctx, city.privateKey, { renewAfterMs: 2.5 * MINUTE });
  assert.notEqual(outcome.kind, "refused", JSON.stringify(outcome));
}

/**
 * Runs the server for `minutes` of test time: an entry every `every` minutes (none when 0), a
 * timer tick every 5 minutes; starts with the start-up checkpoint.
 */
async function run(minutes: number, every = 1): Promise<void> {
  const start = app.clock.now().getTime();
  await createCheckpoint(app.ctx, city.privateKey, { renewAfterMs: 0 });
  for (let m = 1; m <= minutes; m++) {
    if (every > 0 && m % every === 0) await appendEntries(app, 1, 0);
    app.clock.set(new Date(start + m * MINUTE));
    if (m % 5 === 0) await tick();
  }
}

/** A clean shutdown: the closing checkpoint. */
async function shutdown(): Promise<void> {
  const outcome = await createCheckpoint(app.ctx, city.privateKey, { final: true });
  assert.notEqual(outcome.kind, "refused", JSON.stringify(outcome));
}

async function anchorLines(): Promise<Checkpoint[]> {
  const text = await readFile(app.ctx.config.auditAnchorFile, "utf8");
  return text
    .trimEnd()
    .split("\n")
    .map((line) => {
      const anchor = parseAnchor(line);
      if (typeof anchor === "string") throw new Error(anchor);
      return anchor;
    });
}

test("(e) normal operation verifies at every moment: entries, quiet hours, checkpoints on schedule, shutdown", async () => {
  await appendEntries(app, 2, 0); // written before the server first starts (setup)
  await run(12);
  const checks: string[] = [];
  const check = async (when: string) => {
    const result = await verify();
    if (!result.ok) checks.push(`${when}: ${describeAuditResult(result)}`);
    const anchored = await verify({ anchor: true });
    if (!anchored.ok) checks.push(`${when} (anchor): ${describeAuditResult(anchored)}`);
  };
  await check("after 12 busy minutes");
  await run(180, 0); // three quiet hours: the timer keeps signing
  await check("after three quiet hours");
  app.clock.advance(4 * MINUTE);
  await appendEntries(app, 1, 0); // the first entry after the quiet hours, before the next tick
  await check("first entry after the quiet hours");
  app.clock.advance(MINUTE);
  await tick();
  await run(7, 2);
  await shutdown();
  await check("right after a clean shutdown");
  app.clock.advance(3 * 24 * 60 * MINUTE);
  await check("three days after a clean shutdown");
  // A command run while the server is stopped writes an entry and signs a closing checkpoint.
  await appendEntries(app, 1, 0);
  await createCheckpoint(app.ctx, city.privateKey, { final: true });
  app.clock.advance(24 * 60 * MINUTE);
  await check("a day after a command wrote an entry");
  assert.deepEqual(checks, []);

  const stored = await allCheckpoints(app.ctx.db);
  assert.ok(stored.length > 40, `${stored.length} checkpoints`);
  assert.deepEqual(await anchorLines(), stored, "every checkpoint is in the anchor file, as signed");
  const result = await verify({ anchor: true });
  assert.equal(
    describeAuditResult(result),
    `audit log OK: ${result.entries} entries, ${stored.length} checkpoints, last seq ${result.lastSeq}; ${stored.length} anchors match`,
  );
});

test("(e) a fresh system verifies before its first checkpoint; a crash is reported until the server starts again", async () => {
  await appendEntries(app, 3, MINUTE);
  assert.equal((await verify()).ok, true, "a log younger than the interval needs no checkpoint yet");
  await run(20);
  // The process is killed: no closing checkpoint. An hour later the newest one is stale.
  app.clock.advance(60 * MINUTE);
  const crashed = await verify();
  assert.equal(crashed.ok, false);
  assert.match(crashed.firstProblem?.reason ?? "", /is 60 minutes old and not a closing one/);
  await run(1); // the start-up checkpoint
  assert.equal((await verify()).ok, true);
});

test("(a) a rewritten entry, every later hash recomputed and every checkpoint deleted: verify fails", async () => {
  await run(30);
  await rewriteChainFrom(app.ctx.db, 4, { n: "4", note: "rewritten" });
  await deleteAsSuperuser(app.ctx.db, sql`delete from audit_checkpoints`);

  const result = await verify();
  assert.equal(result.ok, false);
  assert.equal(
    describeAuditResult(result),
    "audit log BROKEN at entry 1: entries 1 to 30 are not covered by a signed checkpoint, yet were written over 29 minutes: " +
      "the server signs one at least every 5 minutes, so the checkpoints that covered them were removed (and the newest entries may have been replaced)",
  );

  // The server does not sign the rewritten chain: the anchor file still holds its last checkpoint.
  const outcome = await createCheckpoint(app.ctx, city.privateKey, { renewAfterMs: 0 });
  assert.equal(outcome.kind, "refused");
  assert.match(
    outcome.kind === "refused" ? outcome.problem.reason : "",
    /^checkpoint #6 \(signed at .*\), kept in the anchor file .*, is not in the database: checkpoints were removed/,
  );
  assert.deepEqual(await allCheckpoints(app.ctx.db), []);
  app.clock.advance(60 * MINUTE);
  assert.equal((await verify()).ok, false, "and verify keeps failing");
});

test("(b) the tail deleted with its checkpoints: the newest checkpoint left is stale", async () => {
  await run(30);
  const stored = await allCheckpoints(app.ctx.db);
  const kept = stored.find((c) => c.entry.seq === 20);
  assert.ok(kept);
  await deleteAsSuperuser(app.ctx.db, sql`delete from audit_log where seq > 20`);
  await deleteAsSuperuser(app.ctx.db, sql`delete from audit_checkpoints where chain_seq > ${kept.seq}`);

  const result = await verify();
  assert.equal(result.ok, false);
  assert.equal(result.firstProblem?.seq, 21);
  assert.match(
    result.firstProblem?.reason ?? "",
    /^the newest checkpoint, checkpoint #4 \(signed at .*\), is 10 minutes old and not a closing one: .* so the checkpoints after it were removed \(entries after 20 may have been too\)/,
  );
});

test("(b) a tail cut right after the cut was made is caught by the anchor file", async () => {
  await run(30);
  await deleteAsSuperuser(app.ctx.db, sql`delete from audit_log where seq > 27`);
  await deleteAsSuperuser(app.ctx.db, sql`delete from audit_checkpoints where seq > 27`);
  app.clock.set(new Date((await allCheckpoints(app.ctx.db)).at(-1)?.at ?? 0));
  assert.equal((await verify()).ok, true, "from the database alone this looks like a moment in the past");

  const result = await verify({ anchor: true });
  assert.equal(result.ok, false);
  assert.equal(
    describeAuditResult(result),
    "audit log BROKEN at entry 28: entries from 28 to 30 were removed: checkpoint #6 (signed at 2026-11-24T00:30:00.000Z) " +
      "(kept in the anchor file, line 6) covers entry 30, but the log ends at entry 27",
  );
});

test("(c) a checkpoint table rewritten with a forged chain: the signatures fail, and the anchors differ", async () => {
  await run(30);
  await rewriteChainFrom(app.ctx.db, 12, { n: "12", note: "rewritten" });
  // The forger rebuilds a consistent chain over the rewritten entries, with a key of their own.
  const forger = generateKeyPairSync("ed25519");
  const genuine = await allCheckpoints(app.ctx.db);
  await deleteAsSuperuser(app.ctx.db, sql`delete from audit_checkpoints`);
  let prevHash = GENESIS_HASH;
  for (const c of genuine) {
    const entry = await entryAt(app.ctx.db, c.entry.seq);
    assert.ok(entry);
    const forged = signCheckpoint(
      {
        seq: c.seq,
        prevHash,
        entry: { seq: entry.seq, hash: entry.hash, at: entry.at },
        at: c.at,
        final: c.final,
      },
      forger.privateKey,
    );
    await insertCheckpoint(app.ctx.db, forged);
    prevHash = forged.hash;
  }

  const alone = await verify();
  assert.equal(alone.ok, false);
  assert.match(
    alone.firstProblem?.reason ?? "",
    /^checkpoint #1 \(signed at .*\) for entry 5 is signed by unknown key/,
  );

  const anchored = await verify({ anchor: true });
  assert.equal(anchored.ok, false);
  assert.deepEqual(anchored.rewritten, { from: 11, to: 15, lastGood: 2, firstBad: 3 });
  const [first, second] = describeAuditResult(anchored).split("\n");
  assert.match(
    first ?? "",
    /^audit log BROKEN at entry 5: checkpoint #1 \(signed at .*\) for entry 5 is signed by unknown key/,
  );
  assert.equal(
    second,
    "entries 11 to 15 may have been rewritten (checkpoint #3 is the first that does not match; checkpoint #2 is the last that matches)",
  );

  // With the forger's key trusted (say it was planted as the server's), only the anchors tell.
  const planted = await verify({ anchor: true, keys: [city.publicKey, forger.publicKey] });
  assert.equal(planted.ok, false);
  assert.equal(planted.firstProblem?.seq, 15);
  assert.match(
    planted.firstProblem?.reason ?? "",
    /^checkpoint #3 in the database differs from the one \(kept in the anchor file, line 3\): the checkpoint chain was rewritten$/,
  );
  assert.deepEqual(planted.rewritten, { from: 11, to: 15, lastGood: 2, firstBad: 3 });
  const plantedAlone = await verify({ keys: [forger.publicKey] });
  assert.equal(plantedAlone.ok, true, "from the database alone a planted key cannot be told");
});

test("(c) checkpoints deleted from the middle of the chain, and forged anchors", async () => {
  await run(30);
  await deleteAsSuperuser(app.ctx.db, sql`delete from audit_checkpoints where chain_seq in (3, 4)`);
  const gap = await verify();
  assert.equal(gap.ok, false);
  assert.match(
    gap.firstProblem?.reason ?? "",
    /^checkpoints #3 to #4 are missing: the checkpoint chain goes from #2 to #5 \(checkpoints were removed\)$/,
  );

  // A kept copy altered by hand is refused: its hash, or its signature, no longer fits.
  await resetAudit(app);
  await run(10);
  const file = app.ctx.config.auditAnchorFile;
  const lines = (await readFile(file, "utf8")).trimEnd().split("\n");
  const altered = JSON.parse(lines[1] ?? "{}");
  altered.entry.hash = "f".repeat(64);
  const { writeFile } = await import("node:fs/promises");
  await writeFile(file, `${[lines[0], JSON.stringify(altered), ...lines.slice(2)].join("\n")}\n`);
  const result = await verify({ anchor: true });
  assert.match(
    result.firstProblem?.reason ?? "",
    /^checkpoint #2 \(signed at .*\) \(kept in the anchor file, line 2\) does not match its own hash/,
  );
});

test("(c) a validly signed checkpoint that does not link to the one before breaks the chain", async () => {
  await run(10);
  const [first, second] = await allCheckpoints(app.ctx.db);
  assert.ok(first && second);
  const head = await entryAt(app.ctx.db, second.entry.seq);
  assert.ok(head);
  // Signed with the city's key, but linked to #1 instead of #2 (a fork of the chain).
  const fork = signCheckpoint(
    {
      seq: 3,
      prevHash: first.hash,
      entry: { seq: head.seq, hash: head.hash, at: head.at },
      at: second.at,
      final: true,
    },
    city.privateKey,
  );
  await insertCheckpoint(app.ctx.db, fork);
  const result = await verify();
  assert.equal(result.ok, false);
  assert.match(
    result.firstProblem?.reason ?? "",
    /^checkpoint #3 \(signed at .*\) does not link to checkpoint #2: the checkpoint chain was rewritten$/,
  );
});

test("(d) a rewrite between two checkpoints is named by the range they bracket", async () => {
  await run(30);
  await rewriteChainFrom(app.ctx.db, 17, { n: "17", note: "rewritten" });
  const result = await verify();
  assert.deepEqual(result.rewritten, { from: 16, to: 20, lastGood: 3, firstBad: 4 });
  assert.equal(
    describeAuditResult(result).split("\n")[1],
    "entries 16 to 20 may have been rewritten (checkpoint #4 is the first that does not match; checkpoint #3 is the last that matches)",
  );
});

test("checkpoints from before the chain still verify, and the first chained one links to the last of them", async () => {
  await appendEntries(app, 3, MINUTE);
  const entry3 = await entryAt(app.ctx.db, 3);
  assert.ok(entry3);
  await insertLegacyCheckpoint(app.ctx.db, entry3, app.clock.now().toISOString(), city.privateKey);
  const [legacy] = await allCheckpoints(app.ctx.db);
  assert.equal(legacy?.version, 1);
  await run(10);
  const stored = await allCheckpoints(app.ctx.db);
  assert.equal(stored[1]?.seq, 2);
  assert.equal(stored[1]?.prevHash, legacy?.hash);
  assert.equal((await verify({ anchor: true })).ok, true);
  assert.equal((await anchorLines())[0]?.seq, 2, "the anchor file holds the chained checkpoints");

  await deleteAsSuperuser(app.ctx.db, sql`delete from audit_checkpoints where format = 1`);
  const result = await verify();
  assert.match(
    result.firstProblem?.reason ?? "",
    /^checkpoint #1 is missing: the checkpoint chain goes from #0 to #2/,
  );
});
