/**
 * Entry point of the `snsgov` command line. Dispatches to one module per command, loaded lazily
 * so that `snsgov check` never opens the database and `snsgov serve` never loads the CLI helpers.
 */
import { ConfigError } from "../config.ts";
import { EmbeddedServerError } from "../db/embedded.ts";
import { DataDirLockedError } from "../db/lock.ts";
import { databaseUnavailableReason } from "../errors.ts";
import { usage } from "./usage.ts";

type CommandModule = { run(args: string[]): Promise<number> };

const commands: Record<string, () => Promise<CommandModule>> = {
  serve: () => import("./serve.ts"),
  check: () => import("./check.ts"),
  db: () => import("./db.ts"),
  audit: () => import("./audit.ts"),
  import: () => import("./import.ts"),
  user: () => import("./user.ts"),
  publisher: () => import("./publisher.ts"),
};

// A reader that closes early (`snsgov check … | head`) is not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(usage);
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`snsgov: unknown command "${name}"\n\n${usage}`);
    return 2;
  }
  const mod = await load();
  return mod.run(rest);
}

/** Where DATABASE_URL points (host, port and database; never the user or password). */
function databaseTarget(): string {
  const url = process.env.DATABASE_URL;
  if (!url) return "the embedded database";
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || "5432"}${u.pathname}`;
  } catch {
    return "DATABASE_URL (not a valid URL)";
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (
      error instanceof ConfigError ||
      error instanceof DataDirLockedError ||
      error instanceof EmbeddedServerError
    ) {
      process.stderr.write(`snsgov: ${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    const unreachable = databaseUnavailableReason(error);
    if (unreachable) {
      process.stderr.write(
        `snsgov: cannot connect to the database at ${databaseTarget()} (${unreachable}); check DATABASE_URL and that the database server is running\n`,
      );
      process.exitCode = 2;
      return;
    }
    process.stderr.write(
      `snsgov: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 2;
  },
);
