/**
 * CSV in and out the way city offices use it with Excel. In: UTF-8 (with or without BOM) or
 * Shift_JIS (CP932, what Japanese Excel writes for 「CSV（コンマ区切り）」), detected from the bytes
 * unless the caller says which; bytes that cannot be read, and control characters, are found per
 * cell so the importers refuse those rows. Out: UTF-8 with BOM and CRLF so Excel opens it without
 * garbling, quoted per RFC 4180, with cells that a spreadsheet would run as a formula neutralised.
 */
import { CsvError, parse } from "csv-parse/sync";
import iconv from "iconv-lite";
import { AppError } from "../errors.ts";

/** The encoding a file was read as. */
export type CsvEncoding = "utf-8" | "shift_jis";

/** What the caller asks for: detect, or force UTF-8 or Shift_JIS (CP932). */
export type EncodingOption = "auto" | "utf8" | "sjis";

/** One record of a file with the line it starts on (1-based, as a text editor counts). */
export type CsvRecord = { line: number; cells: string[] };

/** A decoded and parsed file. */
export type CsvDocument = { encoding: CsvEncoding; bom: boolean; records: CsvRecord[] };

const UTF8_BOM = [0xef, 0xbb, 0xbf];

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

/** Counts, in bytes read as UTF-8, the characters of three or more bytes and the invalid sequences. */
function utf8Evidence(text: string, bytes: Uint8Array): { wide: number; invalid: number } {
  let wide = 0;
  let replaced = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp === 0xfffd) replaced++;
    else if (cp >= 0x800) wide++;
  }
  // A U+FFFD that is really in the file (EF BF BD) is valid UTF-8, not a decoding error.
  let genuine = 0;
  for (let i = 0; i + 2 < bytes.length; i++) {
    if (bytes[i] === 0xef && bytes[i + 1] === 0xbf && bytes[i + 2] === 0xbd) genuine++;
  }
  return { wide: wide + genuine, invalid: replaced - genuine };
}

/** File signatures of what people pick by mistake instead of a CSV, with how to name them. */
const signatures: ReadonlyArray<[readonly number[], string]> = [
  [[0x89, 0x50, 0x4e, 0x47], "PNG画像"],
  [[0xff, 0xd8, 0xff], "JPEG画像"],
  [[0x47, 0x49, 0x46, 0x38], "GIF画像"],
  [[0x25, 0x50, 0x44, 0x46], "PDFファイル"],
  [[0x50, 0x4b, 0x03, 0x04], "Excelのブック（.xlsx）などの圧縮されたファイル"],
  [[0xd0, 0xcf, 0x11, 0xe0], "Excelのブック（.xls）などのOffice文書"],
];

/**
 * What a file that is plainly not text is (an image, a PDF, an Excel workbook, or other binary
 * data: more than one byte in ten of its start is a control character), or undefined for text.
 */
function binaryKind(bytes: Uint8Array): string | undefined {
  for (const [prefix, name] of signatures) if (startsWith(bytes, prefix)) return name;
  const head = bytes.subarray(0, 4096);
  let control = 0;
  for (const b of head) if (b < 0x09 || (b > 0x0d && b < 0x20)) control++;
  return head.length > 0 && control * 10 > head.length ? "画像などのテキストでないファイル" : undefined;
}

/** The character the decoders put where bytes cannot be read in the file's encoding. */
export const REPLACEMENT_CHARACTER = "\uFFFD";

/**
 * Decodes file bytes to text. Bytes that cannot be read in the chosen encoding become U+FFFD in
 * the text, in the cell and on the line where they are (neither decoder ever swallows a comma, a
 * quote or a line break after a broken sequence), so that the importers can refuse exactly those
 * rows (`characterProblems`) instead of storing garbled names.
 * @param data the file as uploaded (a string is taken as already decoded)
 * @param encoding "auto" (default): UTF-8 when the file has a UTF-8 BOM, is valid UTF-8, or has
 *   more three- or four-byte UTF-8 characters (Japanese text) than broken sequences (a UTF-8
 *   file damaged in places);
 *   anything else is CP932
 * @throws AppError("bad_request") for UTF-16 files, files that are not text (an image, a PDF,
 *   an Excel workbook renamed to .csv), and for a file forced to UTF-8 that is plainly not UTF-8
 */
export function decodeCsv(
  data: Uint8Array | string,
  encoding: EncodingOption = "auto",
): { text: string; encoding: CsvEncoding; bom: boolean } {
  if (typeof data === "string") {
    const bom = data.startsWith("\uFEFF");
    return { text: bom ? data.slice(1) : data, encoding: "utf-8", bom };
  }
  if (startsWith(data, [0xff, 0xfe]) || startsWith(data, [0xfe, 0xff])) {
    throw new AppError(
      "bad_request",
      "UTF-16形式（Excelの「Unicode テキスト」）のファイルには対応していません。Excelでは「CSV UTF-8（コンマ区切り）」または「CSV（コンマ区切り）」で保存してください。",
    );
  }
  const binary = binaryKind(data);
  if (binary) {
    throw new AppError(
      "bad_request",
      `このファイルはCSVではなく、${binary}のようです。ファイル名が「.csv」でも中身が違うと取り込めません。${binary.startsWith("Excel") ? "Excelでファイルを開き、「名前を付けて保存」で「CSV UTF-8（コンマ区切り）」または「CSV（コンマ区切り）」を選んで保存したものを選んでください。" : "人事・組織のデータを書き出したCSVファイルを選んでください。"}`,
    );
  }
  const bom = startsWith(data, UTF8_BOM);
  if (encoding === "sjis")
    return { text: iconv.decode(Buffer.from(data), "cp932"), encoding: "shift_jis", bom };
  // TextDecoder drops a leading BOM by default and turns each broken sequence into one U+FFFD.
  const utf8 = new TextDecoder("utf-8").decode(data);
  const evidence = utf8Evidence(utf8, data);
  if (bom || evidence.invalid === 0 || evidence.wide > evidence.invalid)
    return { text: utf8, encoding: "utf-8", bom };
  if (encoding === "utf8") {
    throw new AppError(
      "bad_request",
      "ファイルをUTF-8として読み取れませんでした。Shift_JIS（CP932）で保存されている場合は、文字コードの指定を外すか「Shift_JIS」を指定してください。",
    );
  }
  return { text: iconv.decode(Buffer.from(data), "cp932"), encoding: "shift_jis", bom: false };
}

const encodingNames: Record<CsvEncoding, string> = { "utf-8": "UTF-8", shift_jis: "Shift_JIS" };

/**
 * C0 and C1 control characters other than tab, line feed and carriage return. NUL cannot be
 * stored at all (PostgreSQL refuses it in text); the others are invisible and never part of a name.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/**
 * What is wrong with the characters of one record, as Japanese sentences naming the columns:
 * bytes that could not be read in the file's encoding (U+FFFD, also one that was in the file
 * itself: it stands for a character lost by an earlier conversion) and control characters such
 * as NUL. A row with either is refused rather than stored garbled.
 * @param cells the record's cells as parsed
 * @param columnName the name to show for a column index (the header, or 「3列目」)
 * @param encoding the encoding the file was read as
 */
export function characterProblems(
  cells: readonly string[],
  columnName: (index: number) => string,
  encoding: CsvEncoding,
): string[] {
  const unreadable: string[] = [];
  const control: string[] = [];
  cells.forEach((cell, i) => {
    if (cell.includes(REPLACEMENT_CHARACTER)) unreadable.push(columnName(i));
    if (CONTROL_CHARACTER.test(cell)) control.push(columnName(i));
  });
  const problems: string[] = [];
  if (unreadable.length > 0) {
    problems.push(
      `文字コード（${encodingNames[encoding]}）として読めない文字が含まれています（${unreadable.join("、")}）。元のファイルでその文字を入力し直して保存してください。`,
    );
  }
  if (control.length > 0) {
    problems.push(
      `NULなどの制御文字（画面に表示されない文字）が含まれています（${control.join("、")}）。その欄を入力し直して保存してください。`,
    );
  }
  return problems;
}

/**
 * Text from a file made safe to show: control characters (a NUL, an escape sequence, a line
 * break inside a cell) become the Unicode control pictures (␀, ␛, ␊) so that a person sees where
 * they are and a terminal never receives them; C1 controls become U+FFFD.
 */
export function visibleText(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  return text.replace(/[\u0000-\u001F\u007F-\u009F]/g, (ch) => {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 0x20) return String.fromCodePoint(0x2400 + cp);
    return cp === 0x7f ? "\u2421" : "\uFFFD";
  });
}

/**
 * Names a column for messages: its header as written, or its position (「5列目」) when the header
 * is empty or itself unreadable.
 */
export function columnNamer(header: readonly string[]): (index: number) => string {
  return (index) => {
    const text = (header[index] ?? "").trim();
    const readable = text !== "" && !text.includes(REPLACEMENT_CHARACTER) && !CONTROL_CHARACTER.test(text);
    return readable ? text : `${index + 1}列目`;
  };
}

/** Problems with the characters of the header row, for the file-level errors. */
export function headerProblems(header: CsvRecord, encoding: CsvEncoding): string[] {
  const byPosition = (index: number) => `${index + 1}列目`;
  return characterProblems(header.cells, byPosition, encoding).map(
    (problem) => `${header.line}行目（見出し）: ${problem}`,
  );
}

type RawRow = { record: string[]; raw: string };

function isRawRow(value: unknown): value is RawRow {
  return (
    typeof value === "object" &&
    value !== null &&
    "record" in value &&
    "raw" in value &&
    Array.isArray(value.record) &&
    value.record.every((cell: unknown) => typeof cell === "string") &&
    typeof value.raw === "string"
  );
}

function csvErrorMessage(error: CsvError): string {
  const near = typeof error.lines === "number" ? `（${error.lines}行目付近）` : "";
  switch (error.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return `CSVの形式が正しくありません${near}。引用符（"）で始まる項目が閉じられていません。`;
    case "CSV_INVALID_CLOSING_QUOTE":
    case "INVALID_OPENING_QUOTE":
      return `CSVの形式が正しくありません${near}。項目の中の引用符（"）は「""」と2つ重ねて書き、その項目全体を引用符で囲んでください。`;
    default:
      return `CSVの形式が正しくありません${near}。Excelなどで保存し直してから、もう一度お試しください。`;
  }
}

/**
 * Parses CSV text: quoted fields, doubled quotes, CRLF/LF/CR line ends, newlines inside quoted
 * fields. Rows whose cells are all blank (Excel leaves `,,,,` lines behind) are dropped; every
 * other row keeps the line number it starts on.
 * @throws AppError("bad_request") with a Japanese message for malformed CSV
 */
export function parseCsv(text: string): CsvRecord[] {
  const normalised = text.replace(/\r\n?/g, "\n");
  let rows: unknown[];
  try {
    rows = parse(normalised, {
      raw: true,
      relax_column_count: true,
      skip_empty_lines: false,
      record_delimiter: "\n",
    });
  } catch (error) {
    if (error instanceof CsvError)
      throw new AppError("bad_request", csvErrorMessage(error), { cause: error });
    throw error;
  }
  const records: CsvRecord[] = [];
  let line = 1;
  for (const row of rows) {
    if (!isRawRow(row)) throw new Error("csv-parse returned an unexpected record shape");
    if (row.record.some((cell) => cell.trim() !== "")) records.push({ line, cells: row.record });
    line += row.raw.split("\n").length - 1;
  }
  return records;
}

/** Decodes and parses a CSV file in one step. */
export function readCsv(data: Uint8Array | string, encoding: EncodingOption = "auto"): CsvDocument {
  const decoded = decodeCsv(data, encoding);
  return { encoding: decoded.encoding, bom: decoded.bom, records: parseCsv(decoded.text) };
}

/**
 * Leading characters that make a spreadsheet treat a cell as a formula (CWE-1236), possibly
 * behind apostrophes already: those get one more, so that restoring is exact. The full-width
 * ＝＋－＠ are included: Japanese Excel may turn them into the ASCII ones and run the cell.
 */
const FORMULA_START = /^'*[=+\-@\t\r＝＋－＠]/;

/** Prefixes a cell that a spreadsheet would run as a formula with `'`, so it shows as text. */
export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Undoes `neutraliseCell` on a cell read back from an exported file. */
export function restoreCell(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value) ? value.slice(1) : value;
}

function quote(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Formats rows as CSV text (CRLF line ends, RFC 4180 quoting, formula cells neutralised). */
export function formatCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => `${row.map((cell) => quote(neutraliseCell(cell))).join(",")}\r\n`).join("");
}

/** Encodes rows as a UTF-8 CSV file with BOM, ready to open in Excel. */
export function toCsvBytes(rows: readonly (readonly string[])[]): Uint8Array {
  const body = new TextEncoder().encode(formatCsv(rows));
  const out = new Uint8Array(UTF8_BOM.length + body.length);
  out.set(UTF8_BOM, 0);
  out.set(body, UTF8_BOM.length);
  return out;
}

/** Header text reduced for matching: width-folded, lower case, no spaces, marks or notes in brackets. */
export function headerKey(header: string): string {
  return header
    .normalize("NFKC")
    .replace(/\(.*?\)|\[.*?\]|【.*?】|[*※]/g, "")
    .replace(/[\s_\-.・]/g, "")
    .toLowerCase();
}

/** Codes, numbers and e-mail addresses: full-width letters and digits folded (NFKC), trimmed. */
export function foldCell(value: string): string {
  return value.normalize("NFKC").trim();
}

/** Kana as typed, trimmed, except that half-width katakana (ｶﾅ) become full-width. */
export function kanaCell(value: string): string {
  return value.trim().replace(/[\uFF61-\uFF9F]+/g, (run) => run.normalize("NFKC"));
}
