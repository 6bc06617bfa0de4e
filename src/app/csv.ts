/**
 * CSV in and out the way city offices use it with Excel. In: UTF-8 (with or without BOM) or
 * Shift_JIS (CP932, what Japanese Excel writes for 「CSV（コンマ区切り）」), detected from the bytes
 * unless the caller says which. Out: UTF-8 with BOM and CRLF so Excel opens it without garbling,
 * quoted per RFC 4180, with cells that a spreadsheet would run as a formula neutralised.
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

function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    // TextDecoder drops a leading BOM by default.
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * Decodes file bytes to text.
 * @param data the file as uploaded (a string is taken as already decoded)
 * @param encoding "auto" (default): valid UTF-8 is UTF-8, anything else is CP932
 * @throws AppError("bad_request") for UTF-16 files and for bytes that are not the forced encoding
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
  const bom = startsWith(data, UTF8_BOM);
  if (encoding === "sjis")
    return { text: iconv.decode(Buffer.from(data), "cp932"), encoding: "shift_jis", bom };
  const utf8 = decodeUtf8(data);
  if (utf8 !== null) return { text: utf8, encoding: "utf-8", bom };
  if (encoding === "utf8") {
    throw new AppError(
      "bad_request",
      "ファイルをUTF-8として読み取れませんでした。Shift_JIS（CP932）で保存されている場合は、文字コードの指定を外すか「Shift_JIS」を指定してください。",
    );
  }
  return { text: iconv.decode(Buffer.from(data), "cp932"), encoding: "shift_jis", bom: false };
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
 * behind apostrophes already: those get one more, so that restoring is exact.
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;

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
