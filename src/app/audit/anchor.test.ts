import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { appendFile, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type Checkpoint, GENESIS_HASH, signCheckpoint } from "../../domain/audit-chain.ts";
import { appendAnchors, archiveAnchorFile, readAnchors, readLastAnchor } from "./anchor.ts";

let dir: string;
const city = generateKeyPairSync("ed25519");

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "snsgov-anchor-file-"));
});
after(() => rm(dir, { recursive: true, force: true }));

function checkpoint(seq: number, prevHash: string): Checkpoint {
  const at = new Date(Date.UTC(2026, 10, 24, 0, seq * 5)).toISOString();
  return signCheckpoint(
    { seq, prevHash, entry: { seq: seq * 10, hash: "a".repeat(64), at }, at, final: false },
    city.privateKey,
  );
}

async function lines(path: string) {
  const read = [];
  for await (const line of readAnchors(path)) read.push(line);
  return read;
}

test("checkpoints are appended one JSON line each; a line cut short by a crash is ended first", async () => {
  const file = join(dir, "keys", "audit-anchors.jsonl");
  assert.equal(await readLastAnchor(file), null, "no file yet");
  const first = checkpoint(1, GENESIS_HASH);
  await appendAnchors(file, [first]);
  assert.deepEqual(await readLastAnchor(file), first);
  await appendFile(file, '{"format":"snsgov-audit-checkpoint/2","seq":2,'); // the crash
  const second = checkpoint(2, first.hash);
  await appendAnchors(file, [second]);
  assert.deepEqual(await readLastAnchor(file), second);
  const read = await lines(file);
  assert.deepEqual(
    read.map((l) => ("anchor" in l ? `${l.line}: #${l.anchor.seq}` : `${l.line}: ${l.problem}`)),
    ["1: #1", "2: not JSON", "3: #2"],
  );
  assert.equal((await readFile(file, "utf8")).split("\n").at(-1), "", "every line ends");

  const moved = await archiveAnchorFile(file, new Date("2026-11-24T09:00:00Z"));
  assert.equal(moved, `${file}.before-restore-2026-11-24T09-00-00-000Z`);
  assert.equal(await readLastAnchor(file), null);
  assert.equal(await archiveAnchorFile(file, new Date()), null, "nothing to move");
});
