/**
 * Domain events. A change that others react to (a transfer taking effect: 4.1.4, 4.3.2) is
 * recorded in `domain_events` and handed to every registered handler inside the same
 * transaction, so the reaction (a rotation task, a manager change) commits or fails with it.
 */
import type { Db } from "../db/client.ts";
import { domainEvents } from "../db/schema.ts";
import type { Actor } from "./context.ts";

export type StaffTransferred = {
  type: "staff.transferred";
  transferId: number;
  staffId: number;
  effectiveDate: string;
  from: { departmentId: number | null; divisionId: number | null; positionId: number | null };
  to: { departmentId: number; divisionId: number | null; positionId: number };
};

export type StaffDeactivated = { type: "staff.deactivated"; staffId: number };

export type DomainEvent = StaffTransferred | StaffDeactivated;

export type EventHandler<E extends DomainEvent = DomainEvent> = (
  tx: Db,
  event: E,
  meta: { actor: Actor; at: Date },
) => Promise<void>;

/** A committed change, as `change()` (audit.ts) reports it after the transaction. */
export type Committed = { action: string; target: { type: string; id?: string | number | null } };

/** Told of every committed change (features drop caches, e.g. the public pages). */
export type CommitListener = (change: Committed) => void;

export type EventBus = {
  on<T extends DomainEvent["type"]>(type: T, handler: EventHandler<Extract<DomainEvent, { type: T }>>): void;
  /** Records the event and runs its handlers in the caller's transaction. */
  emit(tx: Db, event: DomainEvent, meta: { actor: Actor; at: Date }): Promise<void>;
  /** Registers a listener for committed changes. */
  onCommitted(listener: CommitListener): void;
  /** Tells every commit listener that `change` has committed. */
  committed(change: Committed): void;
};

function isOfType<T extends DomainEvent["type"]>(
  event: DomainEvent,
  type: T,
): event is Extract<DomainEvent, { type: T }> {
  return event.type === type;
}

export function createEventBus(): EventBus {
  const handlers = new Map<string, EventHandler[]>();
  const commitListeners: CommitListener[] = [];
  return {
    on(type, handler) {
      const list = handlers.get(type) ?? [];
      list.push((tx, event, meta) => (isOfType(event, type) ? handler(tx, event, meta) : Promise.resolve()));
      handlers.set(type, list);
    },
    async emit(tx, event, meta) {
      await tx.insert(domainEvents).values({ type: event.type, payload: event, occurredAt: meta.at });
      for (const handler of handlers.get(event.type) ?? []) await handler(tx, event, meta);
    },
    onCommitted(listener) {
      commitListeners.push(listener);
    },
    committed(change) {
      for (const listener of commitListeners) listener(change);
    },
  };
}
