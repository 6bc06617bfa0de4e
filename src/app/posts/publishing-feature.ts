/**
 * The publishing part of posts: its plug-in points (see app/feature.ts). A periodic job reminds
 * the author when an approved post's schedule time comes (a `publish_reminder` task, once per
 * schedule time, safe with several instances) and closes tasks the publishing record has made
 * moot. Its tasks are rows of `tasks`, which the credentials feature lists for each person.
 * There is no publishing connector yet: people post on the platform and record it here; when a
 * connector exists, it will post at the schedule time instead of only reminding.
 */
import { systemActor } from "../context.ts";
import type { Feature } from "../feature.ts";
import { remindScheduledPosts, settlePostTasks } from "./publishing-tasks.ts";

/** How often the job looks for posts whose schedule time has come. */
const everyMs = 60_000;

export const publishingFeature: Feature = {
  name: "publishing",
  periodic: [
    {
      name: "remind scheduled posts and settle publishing tasks",
      everyMs,
      run: async (ctx) => {
        const actor = systemActor("scheduler");
        const reminded = await remindScheduledPosts(ctx, actor);
        const settled = await settlePostTasks(ctx, actor);
        if (reminded > 0 || settled > 0) ctx.log.info("publishing tasks", { reminded, settled });
      },
    },
  ],
};
