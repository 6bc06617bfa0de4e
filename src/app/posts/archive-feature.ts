/**
 * The archive part of posts: its plug-in points (see app/feature.ts). Once a night it refreshes
 * the planner's statistics of the posts tables, which the embedded database would otherwise never
 * have (it runs no autovacuum), so archive searches keep their plans as the archive grows.
 */
import { refreshArchiveStatistics } from "../../db/repos/archive.ts";
import type { Feature } from "../feature.ts";

export const archiveFeature: Feature = {
  name: "archive",
  periodic: [
    {
      name: "refresh archive statistics",
      everyMs: 24 * 60 * 60_000,
      cron: "30 3 * * *",
      run: async (ctx) => {
        const started = Date.now();
        await refreshArchiveStatistics(ctx.db);
        ctx.log.info("archive statistics refreshed", { ms: Date.now() - started });
      },
    },
  ],
};
