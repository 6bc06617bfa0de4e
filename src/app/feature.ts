/**
 * What a feature plugs into the application: reactions to domain events (in the same
 * transaction), tasks it contributes to "my tasks", periodic work, demo records, and what to do
 * after a change commits (e.g. refresh the public pages). Features are listed in features.ts.
 */
import type { AppContext, StaffActor } from "./context.ts";
import type { Committed, EventBus } from "./events.ts";

export type Task = {
  kind: string;
  title: string;
  /** Where the person goes to do it. */
  href: string;
  /** Plain date YYYY-MM-DD, when it has one. */
  due: string | null;
  overdue: boolean;
  /** Clause of the guideline the task comes from, when it does. */
  clause?: string;
};

export type TaskProvider = (ctx: AppContext, actor: StaffActor) => Promise<Task[]>;

export type PeriodicTask = {
  name: string;
  everyMs: number;
  /** A cron expression in Tokyo time when the work is due at set times (e.g. `0 8 * * *`); else every `everyMs`. */
  cron?: string;
  run(ctx: AppContext): Promise<void>;
};

export type Feature = {
  name: string;
  reactions?(bus: EventBus): void;
  tasks?: TaskProvider;
  periodic?: PeriodicTask[];
  /** Adds demo records after the demo organisation exists (`npm run demo`). */
  demo?(ctx: AppContext): Promise<void>;
  afterCommit?(change: Committed): void;
};
