/**
 * `snsgov publisher`: the sending and profile-watch worker as a process of its own, for a city
 * that keeps the web server on LGWAN and runs this on a machine that can reach the platforms.
 * The two share only the database (DATABASE_URL) — and the token key file, which this process
 * needs to open the tokens the web server sealed. `snsgov publisher rotate-key` re-encrypts the
 * tokens under a new key; `send-now` and `watch-profiles` run one pass at once. See
 * docs/publishing.md.
 */
import { parseArgs } from "node:util";
import { periodicTasks } from "../app/background.ts";
import { openApp } from "../app/bootstrap.ts";
import { publisherTasks } from "../app/publishing/feature.ts";
import { watchProfiles } from "../app/publishing/profile-watch.ts";
import { rotateTokenKey } from "../app/publishing/rotate.ts";
import { publisherActor, runSender } from "../app/publishing/sender.ts";
import { loadConfig } from "../config.ts";
import { type JobOptions, startJobs } from "../jobs/runner.ts";
import { queueName } from "../jobs/schedule.ts";

export const publisherUsage = `usage: snsgov publisher              run the sender and the profile watch (until SIGINT/SIGTERM)
       snsgov publisher send-now     send what is due once, and exit
       snsgov publisher watch-profiles
                                     read every connected account's profile once, and exit
       snsgov publisher rotate-key   re-encrypt the stored platform tokens under a new key
`;

const publisherQueues = () => publisherTasks.map((t) => queueName(t.name));

/** The web server's jobs when the publisher runs apart (SNSGOV_PUBLISHER=separate). */
export function webServerJobs(): JobOptions {
  const queues = publisherQueues();
  return {
    tasks: periodicTasks().filter((t) => !queues.includes(queueName(t.name))),
    othersQueues: queues,
  };
}

const out = (line: string) => process.stdout.write(`${line}\n`);

export async function run(args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  const [sub] = positionals;
  if (sub !== undefined && !["send-now", "watch-profiles", "rotate-key"].includes(sub)) {
    process.stderr.write(publisherUsage);
    return 2;
  }
  const config = loadConfig();
  const { ctx, handle } = await openApp(config);
  try {
    if (sub === "send-now") {
      const outcomes = await runSender(ctx);
      out(`snsgov: publisher pass done (${outcomes.length} post(s): ${outcomes.join(", ") || "none due"}).`);
      return 0;
    }
    if (sub === "watch-profiles") {
      const r = await watchProfiles(ctx, { actor: publisherActor });
      out(
        `snsgov: ${r.checked} profile(s) read, ${r.changed.length} change(s), ${r.failed.length} failure(s).`,
      );
      return r.failed.length > 0 ? 1 : 0;
    }
    if (sub === "rotate-key") {
      const r = await rotateTokenKey(ctx, { actor: publisherActor });
      out(
        `snsgov: token key rotated (${r.from.join(", ")} → ${r.to}); ${r.reencrypted} token(s) re-encrypted.`,
      );
      return 0;
    }
    const others = periodicTasks()
      .map((t) => queueName(t.name))
      .filter((q) => !publisherQueues().includes(q));
    const jobs = await startJobs(ctx, handle, { tasks: publisherTasks, othersQueues: others });
    out(
      `snsgov: publisher running (${jobs.jobs.map((j) => j.queue).join(", ")}); the web server should run with SNSGOV_PUBLISHER=separate.`,
    );
    await new Promise<void>((resolve) => {
      process.once("SIGINT", () => resolve());
      process.once("SIGTERM", () => resolve());
    });
    await jobs.stop();
    return 0;
  } finally {
    await handle.close();
  }
}
