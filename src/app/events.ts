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

export type EventBus = {
  on<T extends DomainEvent["type"]>(type: T, handler: EventHandler<Extract<DomainEvent, { type: T }>>): void;
  /** Records the event and runs its handlers in the caller's transaction. */
  emit(tx: Db, event: DomainEvent, meta: { actor: Actor; at: Date }): Promise<void>;
};

function isOfType<T extends DomainEvent["type"]>(
  event: DomainEvent,
  type: T,
): event is Extract<DomainEvent, { type: T }> {
  return event.type === type;
}

export function createEventBus(): EventBus {
  const handlers = new Map<string, EventHandler[]>();
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
  };
}
