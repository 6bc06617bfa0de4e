/**
 * What every use case receives: the database, a clock, the configuration, the event bus and a
 * logger. Use cases take this plus one props object; nothing reaches for globals.
 */
import { setTimeout as delay } from "node:timers/promises";
import type { Config } from "../config.ts";
import type { Db } from "../db/client.ts";
import type { RoleGrant } from "../domain/roles.ts";
import type { EventBus } from "./events.ts";
import type { Logger } from "./logger.ts";

export type Clock = {
  now(): Date;
  /** Waits `ms` milliseconds (sign-in slowdown); absent: a real timer. Tests record it instead. */
  sleep?(ms: number): Promise<void>;
};
export const systemClock: Clock = { now: () => new Date(), sleep: (ms) => delay(ms) };

export type AppContext = {
  db: Db;
  clock: Clock;
  config: Config;
  events: EventBus;
  log: Logger;
  /**
   * Present while one page request is answered (`read-once.ts`): the token its repeated pure
   * reads are kept under (a fresh object per request, never shared between requests or people),
   * and the lasting context the request's copy was made from (what process-wide caches key on).
   */
  request?: { readonly lasting: AppContext };
};

/** Who is acting: a signed-in person (by page or API token), or the system itself. */
export type Actor =
  | {
      kind: "staff";
      staffId: number;
      name: string;
      departmentId: number;
      divisionId: number | null;
      grants: RoleGrant[];
      via: "session" | "api" | "cli";
    }
  | { kind: "system"; label: string };

export type StaffActor = Extract<Actor, { kind: "staff" }>;

export const systemActor = (label = "system"): Actor => ({ kind: "system", label });

/** Label written to the audit log for an actor. */
export function actorLabel(actor: Actor): string {
  if (actor.kind === "system") return actor.label;
  return `${actor.name} (#${actor.staffId}, ${actor.via})`;
}

export function actorId(actor: Actor): number | null {
  return actor.kind === "staff" ? actor.staffId : null;
}
