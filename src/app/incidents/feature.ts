/**
 * The incidents feature's plug-in points (see app/feature.ts): its public side (なりすまし warnings
 * and 7.4 notices on /public/notices, known impersonations on /public/verify, the `incident`
 * audit target dropping the public cache; registered when this module loads), its timers (a
 * published incident post is the public statement; the 炎上 statement reminder, 7.2.3), and
 * its demo (one open incident of each type). Its tasks (`incident_report`,
 * `incident_statement`) are rows of the shared `tasks` table, listed with every other task.
 */
import type { Feature } from "../feature.ts";
import { demoIncidents } from "./demo.ts";
import { registerPublicIncidents } from "./public.ts";
import { runIncidentTimers } from "./reminders.ts";

registerPublicIncidents();

export const incidentsFeature: Feature = {
  name: "incidents",
  periodic: [
    {
      name: "incident timers",
      everyMs: 60_000,
      run: async (ctx) => {
        const done = await runIncidentTimers(ctx);
        if (done.statements > 0 || done.reminders > 0) ctx.log.info("incident timers", done);
      },
    },
  ],
  demo: demoIncidents,
};
