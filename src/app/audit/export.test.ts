import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { appendEntries, resetAudit } from "../../../test/support/audit.ts";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { entryAt } from "../../db/repos/audit.ts";
import { entryHash, keyIdOf, signCheckpoint } from "../../domain/audit-chain.ts";
import { tokyoDayStart } from "../../domain/dates.ts";
import { checkpointJson } from "./anchor.ts";
import { createCheckpoint } from "./checkpoint.ts";
import { exportAudit, exportChainedCheckpointSchema } from "./export.ts";
import { describeExportResult, verifyExportFile } from "./verify-export.ts";

let app: TestApp;
let dir: string;
const city = generateKeyPairSync("ed25519");
/** The export of 2026-11-24 (Tokyo), one JSON value per line. */
let lines: Record<string, unknown>[];

const day = { from: tokyoDayStart("2026-11-24"), to: tokyoDayStart("2026-11-25") };

async function exportDay(
  range = day,
): Promise<{ text: string; summary: Awaited<ReturnType<typeof exportAudit>> }> {
  let text = "";
  const summary = await exportAudit(
    app.ctx.db,
    { ...range, publicKey: city.publicKey, exportedAt: new Date("2026-12-01T00:00:00Z"), batchSize: 2 },
    (chunk) => {
      text += chunk;
    },
  );
  return { text, summary };
}

async function fileOf(name: string, values: unknown[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, values.map((v) => `${JSON.stringify(v)}\n`).join(""));
  return path;
}

async function signNow(): Promise<void> {
  assert.equal((await createCheckpoint(app.ctx, city.privateKey)).kind, "created");
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "snsgov-export-"));
  app = await testApp();
  await resetAudit(app);
  app.clock.set("2026-11-23T14:00:00Z"); // 23:00 on the 23rd in Tokyo
  await appendEntries(app, 2, 20 * 60_000); // seq 1-2 on the 23rd
  await signNow(); // covers 2
  app.clock.set("2026-11-24T00:00:00Z"); // 09:00 on the 24th
  await appendEntries(app, 2); // seq 3-4
  await signNow(); // covers 4
  await appendEntries(app, 1); // seq 5
  app.clock.set("2026-11-25T00:00:00Z");
  await appendEntries(app, 2); // seq 6-7 on the 25th
  await signNow(); // covers 7: the first checkpoint after the 24th
  await appendEntries(app, 1); // seq 8, not yet checkpointed
  const { text } = await exportDay();
  lines = text
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line));
});
after(async () => {
  await app.close();
  await rm(dir, { recursive: true, force: true });
});

test("an export holds the day's entries, the hash they link to, and the checkpoints that confirm them", async () => {
  const entry2 = await entryAt(app.ctx.db, 2);
  assert.deepEqual(lines[0], {
    type: "header",
    format: "snsgov-audit-export/2",
    from: "2026-11-23T15:00:00.000Z",
    to: "2026-11-24T15:00:00.000Z",
    exportedAt: "2026-12-01T00:00:00.000Z",
    publicKey: city.publicKey.export({ type: "spki", format: "pem" }).toString(),
    keyId: keyIdOf(city.publicKey),
    anchor: { seq: 2, hash: entry2?.hash },
    firstSeq: 3,
    lastSeq: 5,
    throughSeq: 7,
    checkpoints: 2,
  });
  assert.deepEqual(
    lines.slice(1).map((l) => `${l.type} ${l.seq}`),
    ["entry 3", "entry 4", "entry 5", "entry 6", "entry 7", "checkpoint 2", "checkpoint 3"],
  );
  const entry3 = await entryAt(app.ctx.db, 3);
  assert.deepEqual(lines[1], { type: "entry", ...entry3 });
});

test("an auditor verifies the export with nothing but the file", async () => {
  const result = await verifyExportFile(await fileOf("ok.jsonl", lines));
  assert.equal(result.ok, true);
  assert.deepEqual(describeExportResult(result), [
    `audit export OK: 5 entries (seq 3 to 7), 2 checkpoints, key ${keyIdOf(city.publicKey)}`,
    `note: the public key was taken from the file itself; check that key id ${keyIdOf(city.publicKey)} is the city's, or pass --public-key`,
  ]);
  const pinned = await verifyExportFile(await fileOf("ok.jsonl", lines), city.publicKey);
  assert.deepEqual(describeExportResult(pinned), [
    `audit export OK: 5 entries (seq 3 to 7), 2 checkpoints, key ${keyIdOf(city.publicKey)}`,
  ]);
});

test("a changed line in the export is named", async () => {
  const tampered = lines.map((l, i) => (i === 2 ? { ...l, actorLabel: "someone else" } : l));
  const result = await verifyExportFile(await fileOf("changed.jsonl", tampered));
  assert.deepEqual(describeExportResult(result), [
    "audit export BROKEN at line 3 (entry 4): entry 4 was changed: its content does not match its hash",
  ]);
});

test("a line removed from the export is named", async () => {
  const result = await verifyExportFile(await fileOf("removed.jsonl", lines.toSpliced(3, 1)));
  assert.deepEqual(describeExportResult(result), [
    "audit export BROKEN at line 4 (entry 5): entry 5 is missing (next present is 6)",
  ]);
});

test("an export rewritten with recomputed hashes is caught by its checkpoint", async () => {
  const rewritten: Record<string, unknown>[] = [];
  let prevHash = "";
  for (const line of lines) {
    if (line.type !== "entry" || Number(line.seq) < 4) {
      rewritten.push(line);
      if (line.type === "entry") prevHash = String(line.hash);
      continue;
    }
    const body = {
      seq: Number(line.seq),
      at: String(line.at),
      actorId: null,
      actorLabel: String(line.actorLabel),
      action: String(line.action),
      targetType: String(line.targetType),
      targetId: line.targetId === null ? null : String(line.targetId),
      summary:
        line.seq === 4 ? { n: 4, note: "rewritten" } : { n: Number(line.seq), note: `event ${line.seq}` },
    };
    const hash = entryHash(prevHash, body);
    rewritten.push({ type: "entry", ...body, prevHash, hash });
    prevHash = hash;
  }
  const result = await verifyExportFile(await fileOf("rewritten.jsonl", rewritten));
  assert.equal(result.firstProblem?.seq, 4);
  assert.equal(result.firstProblem?.line, 7);
  assert.match(
    result.firstProblem?.reason ?? "",
    /^entry 4 differs from checkpoint #2 \(signed at .*\): .* entries 3 to 4 may have been rewritten \(no earlier checkpoint matches\)$/,
  );

  // A forger who also replaces the key and re-signs is only caught by pinning the city's key.
  const forger = generateKeyPairSync("ed25519");
  let previous: string | null = null;
  const resigned = rewritten.map((l) => {
    if (l.type === "header") {
      return {
        ...l,
        publicKey: forger.publicKey.export({ type: "spki", format: "pem" }).toString(),
        keyId: keyIdOf(forger.publicKey),
      };
    }
    if (l.type !== "checkpoint") return l;
    const { type: _type, ...c } = exportChainedCheckpointSchema.parse(l);
    const entry = rewritten.find((e) => e.type === "entry" && e.seq === c.entry.seq);
    const checkpoint = signCheckpoint(
      {
        seq: c.seq,
        prevHash: previous ?? c.prevHash,
        entry: { ...c.entry, hash: String(entry?.hash) },
        at: c.at,
        final: c.final,
      },
      forger.privateKey,
    );
    previous = checkpoint.hash;
    return { type: "checkpoint", ...checkpointJson(checkpoint) };
  });
  const path = await fileOf("resigned.jsonl", resigned);
  const unpinned = await verifyExportFile(path);
  assert.equal(unpinned.ok, true);
  assert.match(
    describeExportResult(unpinned).join("\n"),
    new RegExp(`check that key id ${keyIdOf(forger.publicKey)}`),
  );
  const pinned = await verifyExportFile(path, city.publicKey);
  assert.equal(pinned.ok, false);
  assert.match(pinned.firstProblem?.reason ?? "", /exported under key .*, not the key given/);
});

test("a cut-off export is caught, and entries no checkpoint covers are flagged", async () => {
  const cut = await verifyExportFile(await fileOf("cut.jsonl", lines.slice(0, 4)));
  assert.equal(cut.ok, false);
  assert.match(
    describeExportResult(cut)[0] ?? "",
    /^audit export BROKEN at line 1: the header announces 2 checkpoints/,
  );

  const header = { ...lines[0], checkpoints: 1 };
  const lastCheckpointDropped = [header, ...lines.slice(1, 7)];
  const result = await verifyExportFile(
    await fileOf("unconfirmed.jsonl", lastCheckpointDropped),
    city.publicKey,
  );
  assert.equal(result.ok, true);
  assert.equal(result.confirmedThrough, 4);
  assert.deepEqual(describeExportResult(result).slice(1), [
    "warning: entries after 4 are not covered by a signed checkpoint; their integrity is not confirmed",
  ]);

  const noTail = [{ ...lines[0], checkpoints: 1 }, ...lines.slice(1, 4), lines[6]];
  const missing = await verifyExportFile(await fileOf("notail.jsonl", noTail));
  assert.match(describeExportResult(missing)[0] ?? "", /\(entry 6\): entries from 6 to 7 are missing/);
});

test("lines that are not part of the format are refused", async () => {
  const garbage = await fileOf("garbage.jsonl", [...lines.slice(0, 3), { type: "entry", seq: 5 }]);
  assert.match(
    describeExportResult(await verifyExportFile(garbage))[0] ?? "",
    /^audit export BROKEN at line 4: malformed entry/,
  );
  const extra = await fileOf(
    "extra.jsonl",
    lines.map((l, i) => (i === 1 ? { ...l, approvedBy: "監査" } : l)),
  );
  assert.match(describeExportResult(await verifyExportFile(extra))[0] ?? "", /line 2: malformed entry/);
  const other = await fileOf("other.jsonl", [{ hello: "world" }]);
  assert.match(
    describeExportResult(await verifyExportFile(other))[0] ?? "",
    /line 1: not an snsgov audit export/,
  );
});

test("an entry recorded late with an earlier time does not break the exported run", async () => {
  await resetAudit(app);
  app.clock.set("2026-11-24T14:59:00Z"); // 23:59 on the 24th in Tokyo
  await appendEntries(app, 1); // seq 1, the 24th
  app.clock.set("2026-11-24T15:00:01Z");
  await appendEntries(app, 1); // seq 2, the 25th
  app.clock.set("2026-11-24T14:59:59Z");
  await appendEntries(app, 1); // seq 3, committed later but timed on the 24th
  await signNow();
  const { text, summary } = await exportDay();
  assert.deepEqual(summary, { entries: 3, checkpoints: 1, firstSeq: 1, lastSeq: 3, throughSeq: 3 });
  const path = join(dir, "late.jsonl");
  await writeFile(path, text);
  const result = await verifyExportFile(path, city.publicKey);
  assert.equal(result.ok, true);
  assert.equal(result.confirmedThrough, 3);
  assert.equal((await readFile(path, "utf8")).split("\n").filter(Boolean).length, 5);
});

test("a range without entries exports a header alone, which verifies", async () => {
  const { text, summary } = await exportDay({
    from: tokyoDayStart("2027-01-01"),
    to: tokyoDayStart("2027-01-02"),
  });
  assert.deepEqual(summary, { entries: 0, checkpoints: 0, firstSeq: null, lastSeq: null, throughSeq: null });
  const path = join(dir, "empty.jsonl");
  await writeFile(path, text);
  assert.deepEqual(describeExportResult(await verifyExportFile(path, city.publicKey)), [
    "audit export OK: 0 entries, 0 checkpoints",
  ]);
});
