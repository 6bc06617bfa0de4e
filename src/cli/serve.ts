/**
 * `snsgov serve [--demo]`: opens (and migrates) the database, brings stored role grants in line
 * with the rules (roles follow posts; oversight roles need approval), creates the first administrator on
 * an empty database (or the demo municipality with --demo), starts the web server and the job
 * queue (scheduled work, e-mail), and shuts down cleanly on SIGINT/SIGTERM. The signal handlers
 * are installed before anything else, so a signal at any moment of start-up also leads to a clean
 * stop: the step in progress finishes, nothing further starts, and what was started is stopped in
 * reverse order (the web server, the job queue, the checkpoint timer), a final audit checkpoint
 * is signed when the database and the key are there, and the database is closed; exit code 0.
 */
import type { KeyObject } from "node:crypto";
import { resolve } from "node:path";
import { serve } from "@hono/node-server";
import { signCheckpointNow, startCheckpointTimer } from "../app/audit/checkpoint.ts";
import { loadSigningKey } from "../app/audit/keys.ts";
import { openApp } from "../app/bootstrap.ts";
import type { AppContext } from "../app/context.ts";
import { demoLogins, seedDemo } from "../app/demo.ts";
import { startDemoPlatforms } from "../app/publishing/demo.ts";
import { ensureFirstAdmin } from "../app/setup.ts";
import { reconcileRoleAssignments } from "../app/staff/roles.ts";
import { type Config, ConfigError, loadConfig } from "../config.ts";
import type { DatabaseHandle } from "../db/client.ts";
import { createHttpApp } from "../http/app.tsx";
import { type JobRunner, startJobs } from "../jobs/runner.ts";
import type { FakeServer } from "../publishing/fakes/server.ts";
import { webServerJobs } from "./publisher.ts";

/** What has been started so far, to be stopped in reverse order. */
type Running = {
  ctx?: AppContext;
  handle?: DatabaseHandle;
  auditKey?: KeyObject;
  stopCheckpoints?: () => Promise<void>;
  server?: ReturnType<typeof serve>;
  jobs?: JobRunner;
  /** The demo's loopback fakes of LINE, X, Mastodon, Bluesky and Threads. */
  fakes?: FakeServer[];
};

/** The first SIGINT/SIGTERM: `signal` once one came, `received` resolving with it. */
function watchSignals() {
  const state: { signal: string | undefined; received: Promise<string> } = {
    signal: undefined,
    received: Promise.resolve(""),
  };
  state.received = new Promise<string>((resolveSignal) => {
    const on = (signal: string) => {
      // A second signal while stopping: exit at once (the embedded server is asked to stop as
      // the process exits).
      if (state.signal) process.exit(130);
      state.signal = signal;
      resolveSignal(signal);
    };
    process.on("SIGINT", () => on("SIGINT"));
    process.on("SIGTERM", () => on("SIGTERM"));
  });
  return state;
}

const out = (line: string) => process.stdout.write(`${line}\n`);

/** Starts everything, step by step, stopping early once a signal has come. */
async function startUp(given: Config, demo: boolean, running: Running, stopped: () => boolean) {
  let config = given;
  if (demo) {
    // The demo publishes to loopback fakes of the platforms (サンプル), never to the real ones.
    const platforms = await startDemoPlatforms(config);
    running.fakes = platforms.fakes;
    config = platforms.config;
    out("snsgov: demo publishing goes to test servers on this machine (テスト用の疑似サーバー、サンプル):");
    for (const line of platforms.describe) out(`    ${line}`);
  }
  const opened = await openApp(config);
  running.ctx = opened.ctx;
  running.handle = opened.handle;
  const { ctx, handle } = opened;
  if (stopped()) return;

  // Audit checkpoints are signed with a key kept outside the database (created on first start).
  const auditKey = await loadSigningKey(config.auditKeyFile);
  running.auditKey = auditKey.privateKey;
  if (auditKey.created)
    out(`snsgov: created the audit signing key ${auditKey.file} (back it up apart from the database).`);
  if (stopped()) return;

  // Roles follow posts (4.1.2, 4.1.4) and oversight needs a director's approval (9): stored
  // grants from before are brought in line, each change with its audit entry.
  const roles = await reconcileRoleAssignments(ctx);
  if (roles.removedDerived > 0)
    out(`snsgov: removed ${roles.removedDerived} stored grant(s) of roles that now follow from posts.`);
  if (roles.removedFromAdmins > 0)
    out(`snsgov: removed ${roles.removedFromAdmins} auditor grant(s) held by administrators.`);
  if (roles.madeProposals > 0)
    out(
      `snsgov: ${roles.madeProposals} auditor grant(s) now wait for the policy or security director's approval.`,
    );

  if (demo) {
    const seeded = await seedDemo(ctx);
    out(seeded ? "snsgov: demo municipality created." : "snsgov: demo municipality already present.");
    out(`  Sign in with any of these login IDs and the password "demo-password":`);
    for (const d of demoLogins()) out(`    ${d.login}  ${d.name}  ${d.unit}  (${d.roles})`);
  } else {
    const first = await ensureFirstAdmin(ctx);
    if (first) {
      out("snsgov: first start. An administrator was created (login ID: admin).");
      out("  Set its password at this one-time URL (works once, valid 72 hours):");
      out(`    ${first.url}`);
    }
  }
  if (stopped()) return;

  // One checkpoint now (covering what was written before, even by a process that did not stop
  // cleanly), one every interval, and a closing one at shutdown.
  await signCheckpointNow(ctx, auditKey.privateKey, { renewAfterMs: 0 });
  running.stopCheckpoints = startCheckpointTimer(ctx, auditKey.privateKey, config.auditCheckpointMinutes);
  const app = createHttpApp(ctx, {
    ...(demo ? { demoLogins: demoLogins() } : {}),
    ...(config.databaseUrl ? {} : { dataDir: config.dataDir }),
  });
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host });
  running.server = server;
  await new Promise<void>((resolveListening, rejectListening) => {
    server.once("listening", () => resolveListening());
    server.once("error", (error: NodeJS.ErrnoException) =>
      rejectListening(
        error.code === "EADDRINUSE"
          ? new ConfigError(
              `port ${config.port} on ${config.host} is already in use; stop the other program or set PORT`,
            )
          : error,
      ),
    );
  });
  if (stopped()) return;

  // SNSGOV_PUBLISHER=separate: sending and the profile watch run in `snsgov publisher` instead.
  running.jobs = await startJobs(ctx, handle, config.publisher === "separate" ? webServerJobs() : {});
  if (stopped()) return;
  out(
    `snsgov: listening on ${config.publicUrl} (${config.databaseUrl ? "PostgreSQL" : `embedded database in ${resolve(config.dataDir)}`})`,
  );
  if (!config.smtp)
    out("snsgov: e-mail is off (no SNSGOV_SMTP_HOST); notifications are shown in the app only.");
}

/** Stops what was started, in reverse order; the final checkpoint when there is a database and key. */
async function shutDown(running: Running, config: Config): Promise<void> {
  const { ctx, handle, server, jobs, stopCheckpoints } = running;
  try {
    if (server?.listening) server.close();
    await jobs?.stop();
    await stopCheckpoints?.();
    if (ctx) {
      const key = running.auditKey ?? (await loadSigningKey(config.auditKeyFile)).privateKey;
      await signCheckpointNow(ctx, key, { final: true });
    }
  } catch (error) {
    ctx?.log.error("shutdown work failed", { error });
  } finally {
    await handle?.close();
    for (const fake of running.fakes ?? []) await fake.close().catch(() => undefined);
  }
}

export async function run(args: string[]): Promise<number> {
  const demo = args.includes("--demo");
  const env = { ...process.env };
  if (demo && !env.SNSGOV_DATA_DIR && !env.DATABASE_URL) env.SNSGOV_DATA_DIR = "./data-demo";
  const config = { ...loadConfig(env), demo };
  const signals = watchSignals();
  const running: Running = {};

  try {
    await startUp(config, demo, running, () => signals.signal !== undefined);
  } catch (error) {
    await shutDownQuietly(running);
    throw error;
  }
  const signal = await signals.received;
  running.ctx?.log.info("shutting down", { signal });
  await shutDown(running, config);
  process.exit(0);
}

/** After a failed start-up: closes what was opened, without a checkpoint, keeping the first error. */
async function shutDownQuietly(running: Running): Promise<void> {
  if (running.server?.listening) running.server.close();
  await running.jobs?.stop().catch(() => undefined);
  await running.stopCheckpoints?.().catch(() => undefined);
  await running.handle?.close().catch(() => undefined);
  for (const fake of running.fakes ?? []) await fake.close().catch(() => undefined);
}
