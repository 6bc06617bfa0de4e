/** `snsgov check` (src/cli/check.ts): text and JSON output, the corpus mode and exit codes. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { run } from "../cli/check.ts";

const dir = mkdtempSync(join(tmpdir(), "snsgov-check-"));
const root = fileURLToPath(new URL("../../", import.meta.url));

async function capture(args: string[], stdin = ""): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, {
    stdin: (async function* () {
      yield Buffer.from(stdin);
    })(),
    out: { write: (chunk: string) => out.push(chunk) },
    err: { write: (chunk: string) => err.push(chunk) },
  });
  return { code, out: out.join(""), err: err.join("") };
}

test("text output marks the span under the line, CJK-aware, and exits 1 on errors", async () => {
  const file = join(dir, "post.txt");
  writeFileSync(file, "本日、市民の山田花子さん（090-1234-5678）から\n");
  const { code, out } = await capture(["--platform", "x", file]);
  assert.equal(code, 1);
  const lines = out.split("\n");
  const i = lines.findIndex((l) => l.includes("pii.mobile-phone"));
  assert.ok(i > 0, out);
  assert.equal(lines[i + 1], "  本日、市民の山田花子さん（090-1234-5678）から");
  // 本日、市民の山田花子さん（ is 13 wide characters = 26 columns.
  assert.equal(lines[i + 2], `  ${" ".repeat(26)}${"^".repeat(13)}`);
  assert.match(out, /個人の携帯電話番号が含まれています（第5-2\(2\)① 個人情報）。/);
  assert.match(out, /→ 掲載する場合は本人の同意を確認し/);
});

test("JSON output from standard input and exit 0 for a clean post", async () => {
  const { code, out } = await capture(
    ["--format", "json", "--platform", "instagram", "-"],
    "小名浜港の夕焼けです。#いわき",
  );
  assert.equal(code, 0);
  const result = JSON.parse(out);
  assert.deepEqual(result.findings, []);
  assert.equal(result.length.limit, 2200);
});

test("--jsonl writes one line per input line in order, with ids", async () => {
  const file = join(dir, "corpus.jsonl");
  writeFileSync(
    file,
    [
      JSON.stringify({ id: "a", platform: "x", kind: "post", text: "詳しくは https://bit.ly/x", expect: [] }),
      "",
      JSON.stringify({ id: "b", platform: "x", kind: "post", text: "連絡先 090-1234-5678" }),
      JSON.stringify({ id: 3, platform: "line", text: "明日は収集日です。" }),
    ].join("\n"),
  );
  const { code, out } = await capture(["--jsonl", file]);
  assert.equal(code, 1);
  const rows = out
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    rows.map((r) => r.id),
    ["a", "b", 3],
  );
  assert.equal(rows[0].findings[0].clause, "5.3.7");
  assert.equal(rows[1].findings[0].rule, "pii.mobile-phone");
  assert.deepEqual(rows[2].findings, []);
});

test("bad input exits 2 naming the line; unknown options exit 2", async () => {
  const file = join(dir, "bad.jsonl");
  writeFileSync(file, `${JSON.stringify({ platform: "x", text: "ok" })}\n{"platform":"x","text":1}\n`);
  const bad = await capture(["--jsonl", file]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /line 2/);
  assert.equal(bad.out, "");
  assert.equal((await capture(["--no-such-option"])).code, 2);
  assert.equal((await capture(["--platform", "myspace", file])).code, 2);
  assert.equal((await capture(["--jsonl", join(dir, "missing.jsonl")])).code, 2);
});

test("bin/snsgov check reads standard input and sets the exit status", () => {
  const result = spawnSync(join(root, "bin", "snsgov"), ["check", "--platform", "x", "-"], {
    input: "会議室の鍵は、総務課カウンター裏の白いキーボックスに保管しています。",
    encoding: "utf8",
  });
  assert.equal(result.status, 1, result.stderr);
  assert.match(result.stdout, /security\.key-storage/);
});
