/**
 * `snsgov check`: runs the compliance checker on one post/profile (text or JSON output, the span
 * of each finding marked under its line) or on a JSON Lines corpus (`--jsonl`, one result line
 * per input line, as ../shared/checker-corpus/README.md specifies).
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import {
  type CheckInput,
  type CheckResult,
  checkInputSchema,
  type Finding,
  loadChecker,
  platformSchema,
  postKindSchema,
} from "../checker/index.ts";
import { displayWidth } from "../checker/text/chars.ts";

const USAGE = `usage: snsgov check [--platform P] [--kind post|bio|correction] [--format text|json]
                    [--post-date YYYY-MM-DD] [--division NAME] [--homepage-url URL]
                    [--policy-url URL] [--character] [--has-images] [--images-confirmed]
                    [--embargo-until ISO-DATETIME] [FILE|-]
       snsgov check --jsonl FILE|-

platforms: ${platformSchema.options.join(", ")}
exit status: 0 no errors, 1 errors found, 2 bad input or usage
`;

class UsageError extends Error {}

/** Where the command reads and writes (the process's streams unless a caller passes others). */
export interface CliIO {
  stdin: AsyncIterable<unknown>;
  out: { write(chunk: string): unknown };
  err: { write(chunk: string): unknown };
}

const processIO: CliIO = { stdin: process.stdin, out: process.stdout, err: process.stderr };

/** Entry point called by src/cli/main.ts; returns the exit status. */
export async function run(args: string[], io: CliIO = processIO): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    io.err.write(`snsgov check: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    io.out.write(USAGE);
    return 0;
  }
  try {
    if (parsed.values.jsonl !== undefined) return await runJsonl(parsed.values.jsonl, io);
    return await runSingle(parsed, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err.write(`snsgov check: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      platform: { type: "string" },
      kind: { type: "string" },
      format: { type: "string" },
      "post-date": { type: "string" },
      division: { type: "string" },
      "homepage-url": { type: "string" },
      "policy-url": { type: "string" },
      character: { type: "boolean" },
      "has-images": { type: "boolean" },
      "images-confirmed": { type: "boolean" },
      "embargo-until": { type: "string" },
      jsonl: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}

async function readInput(file: string, io: CliIO): Promise<string> {
  try {
    if (file === "-") {
      const chunks: Buffer[] = [];
      for await (const chunk of io.stdin)
        chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
      return Buffer.concat(chunks).toString("utf8");
    }
    return await readFile(file, "utf8");
  } catch (error) {
    throw new UsageError(
      `cannot read ${file === "-" ? "standard input" : file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

async function runJsonl(file: string, io: CliIO): Promise<number> {
  const lines = (await readInput(file, io)).replace(/^\uFEFF/, "").split(/\r?\n/);
  const inputs: { id: unknown; input: CheckInput }[] = [];
  for (const [i, line] of lines.entries()) {
    if (line.trim() === "") continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (error) {
      throw new UsageError(
        `line ${i + 1}: not valid JSON (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    const result = checkInputSchema.safeParse(raw);
    if (!result.success) {
      const issue = result.error.issues[0];
      const where = issue && issue.path.length > 0 ? ` at ${issue.path.join(".")}` : "";
      throw new UsageError(`line ${i + 1}: invalid input${where}: ${issue?.message ?? "unknown error"}`);
    }
    const id = typeof raw === "object" && raw !== null && "id" in raw ? raw.id : undefined;
    inputs.push({ id, input: result.data });
  }
  const checker = await loadChecker();
  let errors = false;
  const out: string[] = [];
  for (const { id, input } of inputs) {
    const { findings } = checker.check(input);
    if (findings.some((f) => f.severity === "error")) errors = true;
    out.push(JSON.stringify(id === undefined ? { findings } : { id, findings }));
  }
  io.out.write(out.length > 0 ? `${out.join("\n")}\n` : "");
  return errors ? 1 : 0;
}

async function runSingle(parsed: ReturnType<typeof parse>, io: CliIO): Promise<number> {
  const v = parsed.values;
  const format = v.format ?? "text";
  if (format !== "text" && format !== "json")
    throw new UsageError(`--format must be text or json, not "${format}"`);
  if (parsed.positionals.length > 1) throw new UsageError("give at most one FILE (or - for standard input)");
  const file = parsed.positionals[0] ?? "-";
  const text = (await readInput(file, io)).replace(/^\uFEFF/, "").replace(/\r?\n$/, "");
  const account = {
    ...(v.division !== undefined ? { division: v.division } : {}),
    ...(v["homepage-url"] !== undefined ? { homepageUrl: v["homepage-url"] } : {}),
    ...(v["policy-url"] !== undefined ? { policyUrl: v["policy-url"] } : {}),
    ...(v.character ? { character: true } : {}),
  };
  const candidate = {
    text,
    platform: v.platform ?? "other",
    kind: v.kind ?? "post",
    ...(Object.keys(account).length > 0 ? { account } : {}),
    ...(v["post-date"] !== undefined ? { postDate: v["post-date"] } : {}),
    ...(v["has-images"] ? { hasImages: true } : {}),
    ...(v["images-confirmed"] ? { imagesRightsConfirmed: true } : {}),
    ...(v["embargo-until"] !== undefined ? { embargoUntil: v["embargo-until"] } : {}),
  };
  if (!platformSchema.safeParse(candidate.platform).success) {
    throw new UsageError(
      `unknown --platform "${candidate.platform}" (one of ${platformSchema.options.join(", ")})`,
    );
  }
  if (!postKindSchema.safeParse(candidate.kind).success)
    throw new UsageError(`--kind must be post, bio or correction`);
  const input = checkInputSchema.safeParse(candidate);
  if (!input.success) {
    const issue = input.error.issues[0];
    throw new UsageError(`invalid input${issue ? ` at ${issue.path.join(".")}: ${issue.message}` : ""}`);
  }
  const checker = await loadChecker();
  const result = checker.check(input.data);
  if (format === "json") io.out.write(`${JSON.stringify(result, null, 2)}\n`);
  else io.out.write(formatText(file === "-" ? "(標準入力)" : file, text, result));
  return result.findings.some((f) => f.severity === "error") ? 1 : 0;
}

const LABEL: Record<Finding["severity"], string> = { error: "エラー", warning: "警告", info: "情報" };
const MAX_COLUMNS = 72;

/** Human-readable report: each finding with its line, the span marked with ^, message and hint. */
export function formatText(name: string, text: string, result: CheckResult): string {
  const { findings } = result;
  const count = (s: Finding["severity"]): number => findings.filter((f) => f.severity === s).length;
  const out: string[] = [];
  const lengthNote = result.length ? `、文字数 ${result.length.used}／${result.length.limit}` : "";
  out.push(
    `${name}: ${findings.length}件（エラー ${count("error")}・警告 ${count("warning")}・情報 ${count("info")}${lengthNote}）`,
  );
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 0x0a) lineStarts.push(i + 1);
  for (const f of findings) {
    out.push("");
    const where = position(lineStarts, f.start);
    out.push(`${where.line}:${where.column} ${LABEL[f.severity]} [${f.clause}] ${f.rule}`);
    if (f.end > f.start) {
      const lineStart = lineStarts[where.line - 1] ?? 0;
      const nextStart = lineStarts[where.line];
      const lineEnd = nextStart === undefined ? text.length : nextStart - 1;
      const spanEnd = Math.min(f.end, lineEnd);
      let from = lineStart;
      let to = lineEnd;
      // Keep long lines readable: show a window around the span.
      if (displayWidth(text.slice(lineStart, lineEnd)) > MAX_COLUMNS) {
        from = Math.max(lineStart, f.start - 16);
        to = Math.min(lineEnd, Math.max(spanEnd, f.start) + 24);
      }
      const prefix = `${from > lineStart ? "…" : ""}`;
      const suffix = `${to < lineEnd ? "…" : ""}`;
      out.push(`  ${prefix}${text.slice(from, to)}${suffix}`);
      const pad = displayWidth(prefix) + displayWidth(text.slice(from, f.start));
      const marks = Math.max(1, displayWidth(text.slice(f.start, spanEnd)));
      out.push(`  ${" ".repeat(pad)}${"^".repeat(marks)}`);
    } else {
      out.push("  （投稿全体）");
    }
    out.push(`  ${f.message}`);
    out.push(`  → ${f.hint}`);
  }
  return `${out.join("\n")}\n`;
}

function position(lineStarts: number[], offset: number): { line: number; column: number } {
  let line = 0;
  while (line + 1 < lineStarts.length && (lineStarts[line + 1] ?? 0) <= offset) line++;
  return { line: line + 1, column: offset - (lineStarts[line] ?? 0) + 1 };
}
