/**
 * `snsgov serve [--demo]`: opens (and migrates) the database, brings stored role grants in line
 * with the rules (roles follow posts; oversight roles need approval), creates the first administrator on
 * an empty database (or the demo municipality with --demo), starts the web server and the job
 * queue (scheduled work, e-mail), and shuts down cleanly on SIGINT/SIGTERM: the queue is stopped
 * before the database is closed, and the embedded database is checkpointed so nothing
 * acknowledged is lost.
 */
import { resolve } from "node:path";
import { serve } from "@hono/node-server";
import { createCheckpoint, startCheckpointTimer } from "../app/audit-checkpoint.ts";
import { loadSigningKey } from "../app/audit-keys.ts";
import { openApp } from "../app/bootstrap.ts";
import { demoLogins, seedDemo } from "../app/demo.ts";
import { reconcileRoleAssignments } from "../app/roles.ts";
import { ensureFirstAdmin } from "../app/setup.ts";
import { ConfigError, loadConfig } from "../config.ts";
import { createHttpApp } from "../http/app.tsx";
import { startJobs } from "../jobs/runner.ts";

export async function run(args: string[]): Promise<number> {
  const demo = args.includes("--demo");
  const env = { ...process.env };
  if (demo && !env.SNSGOV_DATA_DIR && !env.DATABASE_URL) env.SNSGOV_DATA_DIR = "./data-demo";
  const config = loadConfig(env);
  const { ctx, handle } = await openApp(config);
  const out = (line: string) => process.stdout.write(`${line}\n`);

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
    for (const d of demoLogins()) out(`    ${d.login}  ${d.name}  (${d.roles})`);
  } else {
    const first = await ensureFirstAdmin(ctx);
    if (first) {
      out("snsgov: first start. An administrator was created (login ID: admin).");
      out("  Set its password at this one-time URL (works once, valid 72 hours):");
      out(`    ${first.url}`);
    }
  }

  // Audit checkpoints are signed with a key kept outside the database (created on first start).
  const auditKey = await loadSigningKey(config.auditKeyFile);
  if (auditKey.created)
    out(`snsgov: created the audit signing key ${auditKey.file} (back it up apart from the database).`);
  const stopCheckpoints = startCheckpointTimer(ctx, auditKey.privateKey, config.auditCheckpointMinutes);

  const app = createHttpApp(ctx, demo ? { demoLogins: demoLogins() } : {});
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host });
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
  const jobs = await startJobs(ctx, handle);
  out(
    `snsgov: listening on ${config.publicUrl} (${config.databaseUrl ? "PostgreSQL" : `embedded database in ${resolve(config.dataDir)}`})`,
  );
  if (!config.smtp)
    out("snsgov: e-mail is off (no SNSGOV_SMTP_HOST); notifications are shown in the app only.");

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    ctx.log.info("shutting down", { signal });
    server.close();
    try {
      await jobs.stop();
      await stopCheckpoints();
      await createCheckpoint(ctx, auditKey.privateKey);
    } catch (error) {
      ctx.log.error("shutdown work failed", { error });
    } finally {
      await handle.close();
    }
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  await new Promise<void>((resolveForever) => {
    server.on("close", () => resolveForever());
  });
  return 0;
}
