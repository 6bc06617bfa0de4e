/**
 * `snsgov serve [--demo]`: opens (and migrates) the database, creates the first administrator on
 * an empty database (or the demo municipality with --demo), starts the web server and the job
 * queue (scheduled work, e-mail), and shuts down cleanly on SIGINT/SIGTERM: the queue is stopped
 * before the database is closed (which stops the embedded PostgreSQL server). A signal that
 * arrives while it is still starting is kept and acted on once it has started (a second one
 * exits at once; the embedded server is then asked to stop as the process exits).
 */
import { resolve } from "node:path";
import { serve } from "@hono/node-server";
import { signCheckpointNow, startCheckpointTimer } from "../app/audit-checkpoint.ts";
import { loadSigningKey } from "../app/audit-keys.ts";
import { openApp } from "../app/bootstrap.ts";
import type { AppContext } from "../app/context.ts";
import { demoLogins, seedDemo } from "../app/demo.ts";
import { ensureFirstAdmin } from "../app/setup.ts";
import { type Config, ConfigError, loadConfig } from "../config.ts";
import type { DatabaseHandle } from "../db/client.ts";
import { createHttpApp } from "../http/app.tsx";
import { startJobs } from "../jobs/runner.ts";

export async function run(args: string[]): Promise<number> {
  let shutdown: ((signal: string) => Promise<void>) | undefined;
  let early: string | undefined;
  const onSignal = (signal: string) => {
    if (shutdown) return void shutdown(signal);
    if (early) process.exit(130);
    early = signal;
  };
  process.on("SIGINT", () => onSignal("SIGINT"));
  process.on("SIGTERM", () => onSignal("SIGTERM"));
  const demo = args.includes("--demo");
  const env = { ...process.env };
  if (demo && !env.SNSGOV_DATA_DIR && !env.DATABASE_URL) env.SNSGOV_DATA_DIR = "./data-demo";
  const config = loadConfig(env);
  const { ctx, handle } = await openApp(config);
  const { server, jobs, auditKey, stopCheckpoints } = await startServing(config, ctx, handle, demo).catch(
    async (error: unknown) => {
      // Nothing may keep running (the embedded server included) when the start fails.
      await handle.close().catch(() => undefined);
      throw error;
    },
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    ctx.log.info("shutting down", { signal });
    server.close();
    try {
      await jobs.stop();
      await stopCheckpoints();
      await signCheckpointNow(ctx, auditKey.privateKey, { final: true });
    } catch (error) {
      ctx.log.error("shutdown work failed", { error });
    } finally {
      await handle.close();
    }
    process.exit(0);
  };
  shutdown = stop;
  if (early) void stop(early);
  await new Promise<void>((resolveForever) => {
    server.on("close", () => resolveForever());
  });
  return 0;
}

/** Everything after the database is open: first-start work, the web server, the job queue. */
async function startServing(config: Config, ctx: AppContext, handle: DatabaseHandle, demo: boolean) {
  const out = (line: string) => process.stdout.write(`${line}\n`);

  if (demo) {
    const seeded = await seedDemo(ctx);
    out(seeded ? "snsgov: demo municipality created." : "snsgov: demo municipality already present.");
    out(`  Sign in with any of these login IDs and the password "demo-password":`);
    for (const d of demoLogins()) out(`    ${d.login}  ${d.name}  (${d.roles})`);
  } else {
    const first = await ensureFirstAdmin(ctx);
    if (first) {
      out("snsgov: first start. An administrator was created (login ID: admin).");
      out("  Set its password at this one-time URL (works once, valid 72 hours):");
      out(`    ${first.url}`);
    }
  }

  // Audit checkpoints are signed with a key kept outside the database (created on first start):
  // one now (covering what was written before, even by a process that did not stop cleanly), one
  // every interval, and a closing one at shutdown.
  const auditKey = await loadSigningKey(config.auditKeyFile);
  if (auditKey.created)
    out(`snsgov: created the audit signing key ${auditKey.file} (back it up apart from the database).`);
  await signCheckpointNow(ctx, auditKey.privateKey, { renewAfterMs: 0 });
  const stopCheckpoints = startCheckpointTimer(ctx, auditKey.privateKey, config.auditCheckpointMinutes);

  const app = createHttpApp(ctx, demo ? { demoLogins: demoLogins() } : {});
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host });
  let jobs: Awaited<ReturnType<typeof startJobs>>;
  try {
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
    jobs = await startJobs(ctx, handle);
  } catch (error) {
    server.close();
    await stopCheckpoints();
    throw error;
  }
  out(
    `snsgov: listening on ${config.publicUrl} (${config.databaseUrl ? "PostgreSQL" : `embedded database in ${resolve(config.dataDir)}`})`,
  );
  if (!config.smtp)
    out("snsgov: e-mail is off (no SNSGOV_SMTP_HOST); notifications are shown in the app only.");
  return { server, jobs, auditKey, stopCheckpoints };
}
