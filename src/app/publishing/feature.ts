/**
 * The platform publishing feature's plug-in points (see app/feature.ts): the sender every minute
 * (approved posts of connected accounts go out at their time, sender.ts) and the profile watch
 * once a day at 07:00 (4.4.3, 7.3; profile-watch.ts). Both are "publisher tasks": with
 * SNSGOV_PUBLISHER=separate the web server leaves them to `snsgov publisher`, a process on a
 * machine that can reach the platforms, sharing only the database (LGWAN deployments).
 */
import type { Feature, PeriodicTask } from "../feature.ts";
import { demoPublishing } from "./demo.ts";
import { watchProfiles } from "./profile-watch.ts";
import { publisherActor, runSender } from "./sender.ts";

export const SENDER_TASK = "send approved posts to platforms";
export const PROFILE_WATCH_TASK = "watch platform profiles";

/** The tasks `snsgov publisher` runs (and `serve` leaves out with SNSGOV_PUBLISHER=separate). */
export const publisherTasks: readonly PeriodicTask[] = [
  {
    name: SENDER_TASK,
    everyMs: 60_000,
    run: async (ctx) => {
      const outcomes = await runSender(ctx);
      if (outcomes.length > 0) ctx.log.info("publisher pass", { outcomes });
    },
  },
  {
    name: PROFILE_WATCH_TASK,
    everyMs: 24 * 60 * 60_000,
    cron: "0 7 * * *",
    run: async (ctx) => {
      const result = await watchProfiles(ctx, { actor: publisherActor });
      ctx.log.info("profile watch", { checked: result.checked, changed: result.changed.length });
    },
  },
];

/** Whether a task is one of the publisher's. */
export const isPublisherTask = (name: string) => publisherTasks.some((t) => t.name === name);

export const platformPublishingFeature: Feature = {
  name: "platform-publishing",
  periodic: [...publisherTasks],
  demo: demoPublishing,
};
