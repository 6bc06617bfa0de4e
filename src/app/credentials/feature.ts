/**
 * The credentials feature's plug-in points (see app/feature.ts): it reacts to personnel
 * transfers and deactivations (the manager role follows the 課長, 4.1.4; password rotation on
 * every affected account, 4.3.2), and lists every open task assigned to a person for the
 * dashboard's 「あなたのタスク」; its demo leaves one rotation overdue after a transfer.
 */
import type { Feature } from "../feature.ts";
import { demoCredentials } from "./demo.ts";
import { onDeactivated, onTransferred } from "./reactions.ts";
import { openTasksOf } from "./tasks.ts";

export const credentialsFeature: Feature = {
  name: "credentials",
  reactions(bus) {
    bus.on("staff.transferred", onTransferred);
    bus.on("staff.deactivated", onDeactivated);
  },
  tasks: openTasksOf,
  demo: demoCredentials,
};
