/**
 * `snsgov audit`: verify the tamper-evident audit log (in the database, also against kept
 * checkpoints, or an export file offline), export a date range for an auditor, and sign a
 * checkpoint now. See docs/audit.md.
 */
import type { KeyObject } from "node:crypto";
import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import { finished } from "node:stream/promises";
import { parseArgs } from "node:util";
import { AnchorFileError } from "../app/audit/anchor.ts";
import { createCheckpoint } from "../app/audit/checkpoint.ts";
import { exportAudit } from "../app/audit/export.ts";
import {
  AuditKeyError,
  loadSigningKey,
  loadVerificationKey,
  publicKeyFileFor,
  readPublicKeyFile,
} from "../app/audit/keys.ts";
import { describeAuditResult, verifyAudit } from "../app/audit/verify.ts";
import { describeExportResult, verifyExportFile } from "../app/audit/verify-export.ts";
import { openApp } from "../app/bootstrap.ts";
import type { AppContext } from "../app/context.ts";
import { type Config, loadConfig } from "../config.ts";
import { addDays, tokyoDayStart } from "../domain/dates.ts";

export const auditUsage = `usage: snsgov audit verify [--public-key FILE]... [--anchor FILE]...
       snsgov audit verify --file EXPORT [--public-key FILE]
       snsgov audit export --from YYYY-MM-DD --to YYYY-MM-DD [--out FILE] [--public-key FILE]
       snsgov audit checkpoint
`;

/** A parsed `snsgov audit` command line. */
export type AuditCommand =
  | { name: "verify"; publicKeyFiles: string[]; anchorFiles: string[] }
  | { name: "verify-file"; file: string; publicKeyFile: string | undefined }
  | { name: "export"; from: string; to: string; out: string | undefined; publicKeyFile: string | undefined }
  | { name: "checkpoint" };

/** Where the command writes: stdout for results, stderr for notes and errors. */
export type AuditIo = {
  out(text: string): void | Promise<void>;
  err(text: string): void;
};

const processIo: AuditIo = {
  out: (text) =>
    new Promise<void>((resolve, reject) => {
      process.stdout.write(text, (error) => (error ? reject(error) : resolve()));
    }),
  err: (text) => {
    process.stderr.write(text);
  },
};

function isPlainDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** Parses the arguments after `audit`; a string is the reason they are not usable. */
export function parseAuditArgs(args: string[]): AuditCommand | string {
  let parsed: ReturnType<typeof parseCli>;
  try {
    parsed = parseCli(args);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  const { positionals, values } = parsed;
  const [name, ...extra] = positionals;
  if (extra.length) return `unexpected argument "${extra[0]}"`;
  const keys = values["public-key"] ?? [];
  const only = (allowed: string[]): string | null => {
    const wrong = Object.keys(values).find((k) => !allowed.includes(k));
    return wrong ? `--${wrong} does not apply to "audit ${name}"` : null;
  };
  if (name === "verify") {
    const file = values.file;
    const wrong = only(["file", "public-key", "anchor"]);
    if (wrong) return wrong;
    if (file === undefined) return { name: "verify", publicKeyFiles: keys, anchorFiles: values.anchor ?? [] };
    if (values.anchor) return "--anchor checks the database; it does not apply to --file";
    if (keys.length > 1) return "--file takes at most one --public-key";
    return { name: "verify-file", file, publicKeyFile: keys[0] };
  }
  if (name === "export") {
    const wrong = only(["from", "to", "out", "public-key"]);
    if (wrong) return wrong;
    const { from, to, out } = values;
    if (!from || !to) return "export needs --from and --to";
    if (!isPlainDate(from) || !isPlainDate(to)) return "dates must be YYYY-MM-DD";
    if (from > to) return "--from is after --to";
    if (keys.length > 1) return "export takes at most one --public-key";
    return { name: "export", from, to, out, publicKeyFile: keys[0] };
  }
  if (name === "checkpoint") {
    const wrong = only([]);
    if (wrong) return wrong;
    return { name: "checkpoint" };
  }
  return name ? `unknown audit command "${name}"` : "missing audit command";
}

function parseCli(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      file: { type: "string" },
      "public-key": { type: "string", multiple: true },
      anchor: { type: "string", multiple: true },
      from: { type: "string" },
      to: { type: "string" },
      out: { type: "string" },
    },
  });
}

/** What `execute` needs besides the command: configuration, output, and a way to open the app. */
export type AuditDeps = {
  config: Config;
  io: AuditIo;
  open(): Promise<{ ctx: AppContext; close(): Promise<void> }>;
};

async function verificationKeys(files: string[], config: Config, io: AuditIo): Promise<KeyObject[]> {
  if (files.length) return Promise.all(files.map(readPublicKeyFile));
  const key = await loadVerificationKey(config.auditKeyFile);
  if (key) return [key];
  io.err(
    `note: no audit key at ${config.auditKeyFile} or ${publicKeyFileFor(config.auditKeyFile)}; ` +
      "checkpoints cannot be checked (pass --public-key)\n",
  );
  return [];
}

async function withApp(deps: AuditDeps, work: (ctx: AppContext) => Promise<number>): Promise<number> {
  const app = await deps.open();
  try {
    return await work(app.ctx);
  } finally {
    await app.close();
  }
}

async function exportCommand(
  command: Extract<AuditCommand, { name: "export" }>,
  deps: AuditDeps,
): Promise<number> {
  const { config, io } = deps;
  const publicKey = command.publicKeyFile
    ? await readPublicKeyFile(command.publicKeyFile)
    : await loadVerificationKey(config.auditKeyFile);
  if (!publicKey) {
    io.err(
      `snsgov audit: no audit key at ${config.auditKeyFile} or ${publicKeyFileFor(config.auditKeyFile)}; ` +
        "set SNSGOV_AUDIT_KEY_FILE to the server's key or pass --public-key FILE\n",
    );
    return 1;
  }
  const range = { from: tokyoDayStart(command.from), to: tokyoDayStart(addDays(command.to, 1)) };
  return withApp(deps, async (ctx) => {
    const options = { ...range, publicKey, exportedAt: ctx.clock.now() };
    if (!command.out) {
      await exportAudit(ctx.db, options, (chunk) => io.out(chunk));
      return 0;
    }
    const file = createWriteStream(command.out, { flags: "w" });
    const write = (chunk: string) =>
      new Promise<void>((resolve, reject) => {
        file.write(chunk, (error) => (error ? reject(error) : resolve()));
      });
    try {
      const summary = await exportAudit(ctx.db, options, write);
      file.end();
      await finished(file);
      const seqs = summary.entries ? ` (seq ${summary.firstSeq} to ${summary.throughSeq})` : "";
      io.err(
        `exported ${summary.entries} entries${seqs} and ${summary.checkpoints} checkpoints to ${command.out}\n`,
      );
      return 0;
    } catch (error) {
      file.destroy();
      await rm(command.out, { force: true });
      throw error;
    }
  });
}

async function checkpointCommand(deps: AuditDeps): Promise<number> {
  const { config, io } = deps;
  const key = await loadSigningKey(config.auditKeyFile);
  if (key.created) {
    io.err(
      `created a new audit signing key ${key.file} (public key ${publicKeyFileFor(key.file)}, ` +
        `key id ${key.keyId}); back it up apart from the database\n`,
    );
  }
  return withApp(deps, async (ctx) => {
    // A closing checkpoint: nothing follows it unless a server is running (which signs its own).
    const outcome = await createCheckpoint(ctx, key.privateKey, { final: true });
    if (outcome.kind === "created") {
      const c = outcome.checkpoint;
      await io.out(`checkpoint #${c.seq} signed: entry ${c.entry.seq} (key ${c.keyId})\n`);
      return 0;
    }
    if (outcome.kind === "skipped") {
      await io.out(
        outcome.reason === "empty"
          ? "nothing to sign: the audit log is empty\n"
          : `nothing to sign: entry ${outcome.seq} is already checkpointed\n`,
      );
      return 0;
    }
    const { seq, reason } = outcome.problem;
    await io.out(`checkpoint refused: ${seq > 0 ? `audit log BROKEN at entry ${seq}: ` : ""}${reason}\n`);
    return 1;
  });
}

/** Verifies an export file; needs neither the database nor the configuration. */
async function verifyFileCommand(
  command: Extract<AuditCommand, { name: "verify-file" }>,
  io: AuditIo,
): Promise<number> {
  const key = command.publicKeyFile ? await readPublicKeyFile(command.publicKeyFile) : undefined;
  const result = await verifyExportFile(command.file, key);
  await io.out(`${describeExportResult(result).join("\n")}\n`);
  return result.ok ? 0 : 1;
}

/** Runs a parsed command; returns the exit code (0 ok, 1 the log, a file or an anchor has a problem). */
export async function execute(command: AuditCommand, deps: AuditDeps): Promise<number> {
  const { io } = deps;
  switch (command.name) {
    case "verify": {
      const keys = await verificationKeys(command.publicKeyFiles, deps.config, io);
      return withApp(deps, async (ctx) => {
        const result = await verifyAudit(ctx.db, keys, {
          checkpointMinutes: deps.config.auditCheckpointMinutes,
          now: ctx.clock.now(),
          anchorFiles: command.anchorFiles,
        });
        await io.out(`${describeAuditResult(result)}\n`);
        return result.ok ? 0 : 1;
      });
    }
    case "verify-file":
      return verifyFileCommand(command, io);
    case "export":
      return exportCommand(command, deps);
    case "checkpoint":
      return checkpointCommand(deps);
  }
}

/** `snsgov audit …`: exit 0 ok, 1 a problem found (or no key to export with), 2 bad usage. */
export async function run(args: string[], io: AuditIo = processIo): Promise<number> {
  const command = parseAuditArgs(args);
  if (typeof command === "string") {
    io.err(`snsgov audit: ${command}\n${auditUsage}`);
    return 2;
  }
  try {
    if (command.name === "verify-file") return await verifyFileCommand(command, io);
    const config = loadConfig();
    return await execute(command, {
      config,
      io,
      open: async () => {
        const { ctx, handle } = await openApp(config);
        return { ctx, close: () => handle.close() };
      },
    });
  } catch (error) {
    if (error instanceof AuditKeyError || error instanceof AnchorFileError || isMissingFile(error)) {
      io.err(`snsgov audit: ${error instanceof Error ? error.message : String(error)}\n`);
      return 2;
    }
    throw error;
  }
}

function isMissingFile(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === "ENOENT";
}
