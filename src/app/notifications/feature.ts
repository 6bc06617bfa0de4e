/**
 * The notifications feature's plug-in points (see app/feature.ts): the reminder job (hourly; the
 * incident timers every five minutes), e-mail delivery (every minute, and at once after a change
 * that wrote notifications commits), and the daily digest at 08:00 Tokyo.
 */
import type { Feature, PeriodicTask } from "../feature.ts";
import { deliverImmediate, sendDigests } from "./deliver.ts";
import { sendDueReminders } from "./reminders.ts";
import { kickIfWaiting } from "./signal.ts";

const MINUTE_MS = 60_000;

/** Sends the e-mail of new notifications; the job runner also starts it right after a commit. */
export const deliveryTask: PeriodicTask = {
  name: "deliver notification e-mail",
  everyMs: MINUTE_MS,
  run: async (ctx) => {
    await deliverImmediate(ctx);
  },
};

export const notificationsFeature: Feature = {
  name: "notifications",
  periodic: [
    {
      name: "send reminders",
      everyMs: 60 * MINUTE_MS,
      // Before the hour, so the 07:45 run is in the 08:00 digest.
      cron: "45 * * * *",
      run: async (ctx) => {
        const sent = await sendDueReminders(ctx);
        if (sent > 0) ctx.log.info("reminders sent", { sent });
      },
    },
    {
      name: "send incident reminders",
      everyMs: 5 * MINUTE_MS,
      run: async (ctx) => {
        const sent = await sendDueReminders(ctx, { rules: ["incidents"] });
        if (sent > 0) ctx.log.info("incident reminders sent", { sent });
      },
    },
    deliveryTask,
    {
      name: "send the daily digest",
      everyMs: 24 * 60 * MINUTE_MS,
      cron: "0 8 * * *",
      run: async (ctx) => {
        await sendDigests(ctx);
      },
    },
  ],
  afterCommit: () => kickIfWaiting(),
};
