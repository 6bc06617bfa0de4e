/**
 * Assembles the application context from configuration: opens and migrates the database,
 * creates the event bus with every feature's reactions registered. Used by the server and by
 * every CLI command that needs the database.
 */
import type { Config } from "../config.ts";
import { type DatabaseHandle, openDatabase } from "../db/client.ts";
import { type AppContext, type Clock, systemClock } from "./context.ts";
import { createEventBus, type EventBus } from "./events.ts";
import { features } from "./features.ts";
import { createLogger, type Logger } from "./logger.ts";

/** Registers every feature's reactions to domain events. */
export function registerReactions(bus: EventBus): void {
  for (const feature of features()) feature.reactions?.(bus);
}

/** Builds a context around an open database handle. */
export function contextFor(
  handle: DatabaseHandle,
  config: Config,
  options: { clock?: Clock; log?: Logger } = {},
): AppContext {
  const events = createEventBus();
  registerReactions(events);
  return {
    db: handle.db,
    clock: options.clock ?? systemClock,
    config,
    events,
    log: options.log ?? createLogger(config.logLevel),
  };
}

/** Opens the configured database, applies migrations and returns the context and the handle. */
export async function openApp(config: Config): Promise<{ ctx: AppContext; handle: DatabaseHandle }> {
  const handle = await openDatabase(config);
  try {
    await handle.migrate();
  } catch (error) {
    await handle.close();
    throw error;
  }
  return { ctx: contextFor(handle, config), handle };
}
