/**
 * Assembles the application context from configuration: opens and migrates the database,
 * creates the event bus with every feature's reactions registered. Used by the server and by
 * every CLI command that needs the database; a command that wrote audit entries signs a closing
 * checkpoint when it closes the database.
 */
import type { Config } from "../config.ts";
import { type DatabaseHandle, openDatabase } from "../db/client.ts";
import { lastEntry } from "../db/repos/audit.ts";
import { signBeforeClosing } from "./audit/checkpoint.ts";
import { type AppContext, type Clock, systemClock } from "./context.ts";
import { createEventBus, type EventBus } from "./events.ts";
import { features } from "./features.ts";
import { createLogger, type Logger } from "./logger.ts";

/** Registers every feature's reactions to domain events and to committed changes. */
export function registerReactions(bus: EventBus): void {
  for (const feature of features()) {
    feature.reactions?.(bus);
    const afterCommit = feature.afterCommit;
    if (afterCommit) bus.onCommitted((change) => afterCommit(change));
  }
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

/**
 * Opens the configured database, applies migrations and returns the context and the handle.
 * Closing the handle first signs a closing audit checkpoint when audit entries were written
 * since it was opened (see `signBeforeClosing`), so they never wait, unsigned, for the server.
 */
export async function openApp(config: Config): Promise<{ ctx: AppContext; handle: DatabaseHandle }> {
  const handle = await openDatabase(config);
  let openedAtSeq: number;
  try {
    await handle.migrate();
    openedAtSeq = (await lastEntry(handle.db))?.seq ?? 0;
  } catch (error) {
    await handle.close();
    throw error;
  }
  const ctx = contextFor(handle, config);
  const close = handle.close.bind(handle);
  handle.close = async () => {
    await signBeforeClosing(ctx, openedAtSeq);
    await close();
  };
  return { ctx, handle };
}
