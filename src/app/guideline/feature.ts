/**
 * The guideline feature's plug-in points (see app/feature.ts): at start and then hourly, the
 * shipped version is recorded if none is and those who have not acknowledged the newest version
 * are reminded once its day has come (8.2); "my tasks" lists the acknowledgement a person still
 * owes; a published version drops the cached "version in force"; demo versions and
 * acknowledgements.
 */
import { systemActor } from "../context.ts";
import type { Feature } from "../feature.ts";
import { acknowledgementTasks, sendAcknowledgementReminders } from "./acknowledgement.ts";
import { demoGuideline } from "./demo.ts";
import { forgetVersionsInForce } from "./in-force.ts";

const HOUR_MS = 60 * 60_000;

export const guidelineFeature: Feature = {
  name: "guideline",
  tasks: acknowledgementTasks,
  periodic: [
    {
      name: "guideline acknowledgement reminders",
      everyMs: HOUR_MS,
      run: async (ctx) => {
        const reminded = await sendAcknowledgementReminders(ctx, systemActor("scheduler"));
        if (reminded > 0) ctx.log.info("guideline acknowledgement reminders", { reminded });
      },
    },
  ],
  afterCommit(committed) {
    if (committed.target.type === "guideline_version" || committed.action === "system.restore")
      forgetVersionsInForce();
  },
  demo: demoGuideline,
};
