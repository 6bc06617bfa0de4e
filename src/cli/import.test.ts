import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import iconv from "iconv-lite";
import { type TestApp, testApp } from "../../test/support/context.ts";
import { countStaff } from "../db/repos/staff.ts";
import { displayWidth, type ImportIo, run } from "./import.ts";

const fixtures = join(import.meta.dirname, "../../test/fixtures");
const file = (name: string) => join(fixtures, name);

let app: TestApp;
let scratch: string;
before(async () => {
  app = await testApp();
  scratch = await mkdtemp(join(tmpdir(), "snsgov-import-"));
});
after(async () => {
  await app.close();
  await rm(scratch, { recursive: true, force: true });
});

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

test("broken Shift_JIS and a NUL byte: the lines are refused with their reasons, exit 1, nothing changed", async () => {
  const before = await countStaff(app.ctx.db);
  const path = join(scratch, "broken-staff.csv");
  await writeFile(
    path,
    Buffer.concat([
      iconv.encode(
        "職員番号,氏名,メールアドレス,部,課,職\r\nC9001,正常 一郎,c9001@city.example.lg.jp,総務部,総務課,主事\r\nC9002,破損",
        "cp932",
      ),
      Buffer.from([0x81, 0x20]),
      iconv.encode("花子,c9002@city.example.lg.jp,総務部,総務課,主事\r\nC9003,ヌル", "cp932"),
      Buffer.from([0x00]),
      iconv.encode("文字,c9003@city.example.lg.jp,総務部,総務課,主事\r\n", "cp932"),
    ]),
  );
  for (const args of [["--dry-run"], []]) {
    const result = await cli("staff", path, ...args);
    assert.equal(result.code, 1, result.err);
    assert.match(
      result.out,
      /^3\s+取込不可\s+C9002\s+.*文字コード（Shift_JIS）として読めない文字が含まれています（氏名）。/m,
    );
    assert.match(
      result.out,
      /^4\s+取込不可\s+C9003\s+.*NULなどの制御文字（画面に表示されない文字）が含まれています（氏名）。/m,
    );
    assert.match(result.out, /新規登録 1件、.*取込不可 2件/);
    assert.ok(
      result.out.includes("ヌル␀文字") && !result.out.includes("\u0000"),
      "the NUL is shown, not printed",
    );
  }
  assert.equal(await countStaff(app.ctx.db), before);

  const orgPath = join(scratch, "broken-org.csv");
  await writeFile(
    orgPath,
    Buffer.concat([
      iconv.encode("部コード,部名,課コード,課名\r\nc90,正常部,c91,正常課\r\nc90,正常部,c92,破", "cp932"),
      Buffer.from([0x81, 0x20]),
      iconv.encode("課\r\n", "cp932"),
    ]),
  );
  const org = await cli("org", orgPath);
  assert.equal(org.code, 1, org.err);
  assert.match(
    org.out,
    /^3\s+取込不可\s+課\s+c92\s+.*文字コード（Shift_JIS）として読めない文字が含まれています（課名）。/m,
  );
});
