import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type TestApp, testApp } from "../../test/support/context.ts";
import { countStaff } from "../db/repos/staff.ts";
import { displayWidth, type ImportIo, run } from "./import.ts";

const fixtures = join(import.meta.dirname, "../../test/fixtures");
const file = (name: string) => join(fixtures, name);

let app: TestApp;
before(async () => {
  app = await testApp();
});
after(() => app.close());

/** Runs the command against the test database, capturing what it prints. */
async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io: ImportIo = {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    open: async () => ({ ctx: app.ctx, close: async () => {} }),
  };
  const code = await run(args, io);
  return { code, out, err };
}

test("org dry run prints the plan as a table and exits 0; the real run applies it", async () => {
  const dry = await cli("org", file("org.csv"), "--dry-run");
  assert.equal(dry.code, 0, dry.err);
  assert.match(dry.out, /^2\s+新規登録\s+部\s+100\s+総合政策部/m);
  assert.match(dry.out, /確認のみ（--dry-run）: 何も変更していません。/);
  const real = await cli("org", file("org.csv"));
  assert.equal(real.code, 0, real.err);
  assert.match(real.out, /新規登録 28件/);
  assert.match(real.out, /取り込みました。/);
});

test("a staff file with mistakes exits 1, lists each rejected line with its reason, and changes nothing", async () => {
  const result = await cli("staff", file("staff-errors.csv"));
  assert.equal(result.code, 1);
  assert.match(result.out, /^3\s+取込不可\s+400002\s+部違 花子\s+部「観光部」が見つかりません/m);
  assert.match(result.out, /^7\s+取込不可\s+400006\s+課無 課長\s+課長は課の長のため/m);
  assert.match(result.out, /取込不可 13件/);
  assert.match(result.out, /何も変更していません/);
  assert.equal(await countStaff(app.ctx.db), 0);
});

test("the Shift_JIS staff file imports 41 people and exits 0", async () => {
  const result = await cli("staff", file("staff-sjis.csv"), "--effective-date", "2026-04-01");
  assert.equal(result.code, 0, result.err);
  assert.match(result.out, /文字コード: Shift_JIS \(CP932\)/);
  assert.match(result.out, /^2\s+新規登録\s+200101\s+髙橋 誠\s+総合政策部 部長$/m);
  assert.equal(await countStaff(app.ctx.db), 41);
});

test("--skip-rejected imports the good rows and still exits 0", async () => {
  const result = await cli("staff", file("staff-errors.csv"), "--skip-rejected");
  assert.equal(result.code, 0, result.err);
  assert.match(result.out, /取り込みました（取込不可の13件は除きました）。/);
  assert.equal(await countStaff(app.ctx.db), 42);
});

test("usage errors exit 2 without touching the database", async () => {
  for (const args of [
    [],
    ["people", file("org.csv")],
    ["staff"],
    ["staff", file("staff-sjis.csv"), "--encoding", "latin1"],
    ["staff", file("staff-sjis.csv"), "--effective-date", "2026-13-01"],
    ["staff", file("staff-sjis.csv"), "--unknown"],
    ["org", file("org.csv"), "--effective-date", "2026-04-01"],
    ["staff", file("no-such-file.csv")],
  ]) {
    const result = await cli(...args);
    assert.equal(result.code, 2, `snsgov import ${args.join(" ")}`);
    assert.match(result.err, /snsgov import:/);
  }
});

test("the table lines up wide (Japanese) and narrow characters", () => {
  assert.equal(displayWidth("髙橋 誠"), 7);
  assert.equal(displayWidth("ｱｲ"), 2);
  assert.equal(displayWidth("abc"), 3);
});

test("the installed command answers a usage error with exit status 2", () => {
  const root = join(import.meta.dirname, "../..");
  const result = spawnSync(join(root, "bin/snsgov"), ["import", "staff"], { encoding: "utf8", cwd: root });
  assert.equal(result.status, 2, result.stderr);
  assert.match(result.stderr, /usage:/);
});
