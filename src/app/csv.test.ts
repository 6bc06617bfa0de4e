import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import iconv from "iconv-lite";
import { AppError } from "../errors.ts";
import {
  characterProblems,
  columnNamer,
  decodeCsv,
  formatCsv,
  neutraliseCell,
  parseCsv,
  readCsv,
  restoreCell,
  toCsvBytes,
  visibleText,
} from "./csv.ts";

const text = "職員番号,氏名\r\n1,髙橋 ①郎\r\n";

test("UTF-8 without BOM is read as UTF-8", () => {
  const decoded = decodeCsv(new TextEncoder().encode(text));
  assert.equal(decoded.encoding, "utf-8");
  assert.equal(decoded.bom, false);
  assert.equal(decoded.text, text);
});

test("UTF-8 with BOM is read as UTF-8 and the BOM does not stick to the first header", () => {
  const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]);
  const doc = readCsv(bytes);
  assert.equal(doc.encoding, "utf-8");
  assert.equal(doc.bom, true);
  assert.equal(doc.records[0]?.cells[0], "職員番号");
});

test("Shift_JIS (CP932) is detected, including the CP932-only 髙 and ①", () => {
  const bytes = iconv.encode(text, "cp932");
  // The sample really uses the vendor extensions JIS X 0208 lacks: 髙 = FB FC (IBM), ① = 87 40 (NEC).
  const hex = Buffer.from(bytes).toString("hex");
  assert.ok(hex.includes("fbfc") && hex.includes("8740"));
  const doc = readCsv(bytes);
  assert.equal(doc.encoding, "shift_jis");
  assert.deepEqual(doc.records[1]?.cells, ["1", "髙橋 ①郎"]);
});

test("an explicit encoding overrides detection", () => {
  // "ｱ" in CP932 is the single byte 0xB1, which is not UTF-8; forced sjis reads it, forced utf8 refuses.
  const bytes = iconv.encode("ｱ,ｲ\r\n", "cp932");
  assert.equal(decodeCsv(bytes, "sjis").text, "ｱ,ｲ\r\n");
  assert.throws(
    () => decodeCsv(bytes, "utf8"),
    (e: unknown) => e instanceof AppError && e.status === 400 && e.message.includes("UTF-8"),
  );
  // ASCII is valid in both; forcing sjis still labels the file as Shift_JIS.
  assert.equal(decodeCsv(new TextEncoder().encode("a,b"), "sjis").encoding, "shift_jis");
});

test("a UTF-16 file (Excel's Unicode text) is refused with advice on how to save it", () => {
  const bytes = new Uint8Array([0xff, 0xfe, 0x41, 0x00]);
  assert.throws(
    () => decodeCsv(bytes),
    (e: unknown) => e instanceof AppError && e.message.includes("CSV UTF-8"),
  );
});

test("an image, a PDF or an Excel workbook renamed to .csv is refused naming what it is; a stray NUL is not", () => {
  const cases: [number[], string][] = [
    [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "PNG画像"],
    [[0xff, 0xd8, 0xff, 0xe0], "JPEG画像"],
    [[0x25, 0x50, 0x44, 0x46, 0x2d], "PDFファイル"],
    [[0x50, 0x4b, 0x03, 0x04], "Excelのブック（.xlsx）"],
    [[0x00, 0x01, 0x02, 0x03, 0x41, 0x00, 0x05, 0x06], "画像などのテキストでないファイル"],
  ];
  for (const [bytes, name] of cases) {
    assert.throws(
      () => decodeCsv(new Uint8Array(bytes)),
      (e: unknown) => e instanceof AppError && e.status === 400 && e.message.includes(`CSVではなく、${name}`),
      name,
    );
  }
  const nul = new TextEncoder().encode("職員番号,氏名\n1,ヌル\u0000文字\n");
  assert.ok(decodeCsv(nul).text.includes("\u0000"), "one NUL in a cell is left to the row checks");
});

test("quoted fields, doubled quotes, CRLF and newlines inside a cell; blank rows dropped, lines kept", () => {
  const records = parseCsv('a,b\r\n"x, y","say ""hi"""\r\n\r\n,,\r\n"two\r\nlines",z\r\nlast,1');
  assert.deepEqual(records, [
    { line: 1, cells: ["a", "b"] },
    { line: 2, cells: ["x, y", 'say "hi"'] },
    { line: 5, cells: ["two\nlines", "z"] },
    { line: 7, cells: ["last", "1"] },
  ]);
});

test("malformed CSV is refused with a Japanese message naming the line", () => {
  assert.throws(
    () => parseCsv('a,b\n1,"open\n2,3\n'),
    (e: unknown) =>
      e instanceof AppError && e.status === 400 && /\d+行目/.test(e.message) && e.message.includes("引用符"),
  );
});

test("output is UTF-8 with BOM and CRLF, quoted per RFC 4180", () => {
  const bytes = toCsvBytes([
    ["氏名", "備考"],
    ["髙橋", 'a,b "c"\nd'],
  ]);
  assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
  const body = new TextDecoder().decode(bytes.slice(3));
  assert.equal(body, '氏名,備考\r\n髙橋,"a,b ""c""\nd"\r\n');
});

test("cells a spreadsheet would run as formulas are neutralised, and restored on import", () => {
  for (const bad of ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]) {
    assert.equal(neutraliseCell(bad), `'${bad}`);
    assert.equal(restoreCell(neutraliseCell(bad)), bad);
  }
  assert.equal(neutraliseCell("山田"), "山田");
  assert.equal(neutraliseCell("田中＝"), "田中＝");
  assert.equal(restoreCell("'quoted"), "'quoted");
  assert.equal(formatCsv([["=1+1", "ok"]]), "'=1+1,ok\r\n");
});

test("any table survives a write and a read unchanged (property)", () => {
  const cell = fc.string({ unit: fc.constantFrom("a", "髙", "①", ",", '"', "\n", " ", "=", "-", "'", "x") });
  fc.assert(
    fc.property(
      fc.array(fc.array(cell, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 5 }),
      (rows) => {
        // Rows whose cells are all blank are dropped on read by design; keep one visible cell.
        const table = rows.map((r) => ["k", ...r]);
        const doc = readCsv(toCsvBytes(table));
        assert.deepEqual(
          doc.records.map((r) => r.cells.map(restoreCell)),
          table,
        );
      },
    ),
  );
});

test("full-width ＝＋－＠ at the start of a cell are neutralised too, and restored on import", () => {
  for (const bad of ['＝HYPERLINK("http://x")', "＋1", "－2＋3", "＠SUM(A1)", "'＝1"]) {
    assert.equal(neutraliseCell(bad), `'${bad}`);
    assert.equal(restoreCell(neutraliseCell(bad)), bad);
  }
  assert.equal(formatCsv([["＝1＋1", "ok"]]), "'＝1＋1,ok\r\n");
  const doc = readCsv(toCsvBytes([["＠田中", "－"]]));
  assert.deepEqual(doc.records[0]?.cells, ["'＠田中", "'－"]);
  assert.deepEqual(doc.records[0]?.cells.map(restoreCell), ["＠田中", "－"]);
});

/** Shift_JIS bytes of `lines` joined by CRLF, with raw bytes spliced in where `{}` stands. */
function sjis(lines: string[], raw: number[]): Uint8Array {
  const [before = "", after = ""] = lines.join("\r\n").split("{}");
  return Buffer.concat([
    iconv.encode(before, "cp932"),
    Buffer.from(raw),
    iconv.encode(`${after}\r\n`, "cp932"),
  ]);
}

test("broken Shift_JIS stays in its own cell and line, whatever byte follows it", () => {
  // 0x81 starts a two-byte character; a space, a line break, a comma or a quote cannot end it.
  for (const follow of [[0x20], [0x0a], [0x0d, 0x0a], [0x2c]]) {
    const doc = readCsv(
      sjis(["職員番号,氏名,備考", "1,山田 太郎,", "2,佐藤{}花子,", "3,鈴木 一郎,"], [0x81, ...follow]),
    );
    assert.equal(doc.encoding, "shift_jis");
    const broken = doc.records.find((r) => r.cells.some((c) => c.includes("\uFFFD")));
    assert.equal(broken?.line, 3, `after 0x81 ${follow}`);
    assert.ok(broken?.cells[1]?.startsWith("佐藤\uFFFD"), `after 0x81 ${follow}: ${broken?.cells}`);
    assert.deepEqual(doc.records.at(-1)?.cells, ["3", "鈴木 一郎", ""]);
  }
  // A quote is not swallowed either: it stays a stray quote, refused as malformed CSV on its line.
  assert.throws(
    () => readCsv(sjis(["職員番号,氏名", "1,山田", "2,佐藤{}", "3,鈴木"], [0x81, 0x22])),
    (e: unknown) => e instanceof AppError && e.message.includes("3行目付近"),
  );
});

test("a UTF-8 file with a broken byte sequence is still read as UTF-8, not as garbled Shift_JIS", () => {
  const good = new TextEncoder().encode("職員番号,氏名\n1,山田 太郎\n2,佐藤");
  // A lone continuation byte and a truncated three-byte character (E8 8A of 花).
  const bytes = Buffer.concat([
    good,
    Buffer.from([0x80, 0xe8, 0x8a]),
    new TextEncoder().encode(",x\n3,鈴木\n"),
  ]);
  const doc = readCsv(bytes);
  assert.equal(doc.encoding, "utf-8");
  assert.deepEqual(doc.records[1]?.cells, ["1", "山田 太郎"]);
  assert.equal(doc.records[2]?.line, 3);
  assert.match(doc.records[2]?.cells[1] ?? "", /^佐藤\uFFFD+$/);
  assert.deepEqual(doc.records[3]?.cells, ["3", "鈴木"]);
  // Forcing UTF-8 reads it the same way; a file that is plainly Shift_JIS is still refused as a whole.
  assert.equal(decodeCsv(bytes, "utf8").encoding, "utf-8");
});

test("unreadable characters and control characters are named by column", () => {
  const name = columnNamer(["職員番号", "氏名", "", "備\uFFFD考"]);
  assert.deepEqual(characterProblems(["1", "山田 太郎", "x"], name, "utf-8"), []);
  assert.deepEqual(characterProblems(["1", "佐藤\uFFFD", "x", "\uFFFD"], name, "shift_jis"), [
    "文字コード（Shift_JIS）として読めない文字が含まれています（氏名、4列目）。元のファイルでその文字を入力し直して保存してください。",
  ]);
  const problems = characterProblems(["1\u0000", "a", "b\u0080"], name, "utf-8");
  assert.equal(problems.length, 1);
  assert.match(problems[0] ?? "", /NULなどの制御文字.*（職員番号、3列目）/);
  // Tabs and line breaks inside a quoted cell are text, not control characters to refuse.
  assert.deepEqual(characterProblems(["a\tb", "two\nlines\r"], name, "utf-8"), []);
});

test("control characters are shown as control pictures, never passed on", () => {
  assert.equal(visibleText("ヌル\u0000文字\u001b[2J\u007f\u0085"), "ヌル␀文字␛[2J␡\uFFFD");
  assert.equal(visibleText("髙橋 誠"), "髙橋 誠");
});
