/**
 * SQL for tasks (rotation after a transfer, manager-change confirmation, notifications, reviews):
 * open one, close it with what was done, list them for a person or an account.
 */
import { and, asc, eq, inArray, isNull, lte, type SQL } from "drizzle-orm";
import type { Db } from "../client.ts";
import { accounts, tasks } from "../schema.ts";

export type TaskRow = typeof tasks.$inferSelect;

export async function openTask(
  db: Db,
  values: {
    kind: string;
    accountId: number | null;
    assigneeId: number | null;
    title: string;
    clause: string;
    dueDate: string | null;
    cause?: unknown;
    openedAt: Date;
  },
): Promise<TaskRow> {
  const [row] = await db
    .insert(tasks)
    .values({ ...values, cause: values.cause ?? null })
    .returning();
  if (!row) throw new Error("insert task returned nothing");
  return row;
}

export async function findTask(db: Db, id: number): Promise<TaskRow | undefined> {
  const [row] = await db.select().from(tasks).where(eq(tasks.id, id));
  return row;
}

export async function lockTask(db: Db, id: number): Promise<TaskRow | undefined> {
  const [row] = await db.select().from(tasks).where(eq(tasks.id, id)).for("update");
  return row;
}

export async function closeTask(
  db: Db,
  id: number,
  values: { status: "done" | "cancelled"; doneBy: number | null; doneAt: Date; resolution?: unknown },
): Promise<void> {
  await db
    .update(tasks)
    .set({
      status: values.status,
      doneBy: values.doneBy,
      doneAt: values.doneAt,
      resolution: values.resolution ?? null,
    })
    .where(eq(tasks.id, id));
}

export type TaskFilter = {
  assigneeId?: number;
  accountId?: number;
  kinds?: readonly string[];
  status?: "open" | "done" | "cancelled";
  dueOnOrBefore?: string;
  /** Tasks of accounts in these divisions (a manager's view). */
  divisionIds?: readonly number[];
  unassigned?: boolean;
};

export async function listTasks(db: Db, filter: TaskFilter): Promise<TaskRow[]> {
  const conditions: SQL[] = [];
  if (filter.assigneeId !== undefined) conditions.push(eq(tasks.assigneeId, filter.assigneeId));
  if (filter.accountId !== undefined) conditions.push(eq(tasks.accountId, filter.accountId));
  if (filter.kinds && filter.kinds.length > 0) conditions.push(inArray(tasks.kind, [...filter.kinds]));
  if (filter.status) conditions.push(eq(tasks.status, filter.status));
  if (filter.dueOnOrBefore) conditions.push(lte(tasks.dueDate, filter.dueOnOrBefore));
  if (filter.unassigned) conditions.push(isNull(tasks.assigneeId));
  if (filter.divisionIds) {
    if (filter.divisionIds.length === 0) return [];
    const rows = await db
      .select({ task: tasks })
      .from(tasks)
      .innerJoin(accounts, eq(accounts.id, tasks.accountId))
      .where(and(inArray(accounts.divisionId, [...filter.divisionIds]), ...conditions))
      .orderBy(asc(tasks.dueDate), asc(tasks.id));
    return rows.map((r) => r.task);
  }
  return db
    .select()
    .from(tasks)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(asc(tasks.dueDate), asc(tasks.id));
}

/** An open task of this kind for this account (so the same cause does not open it twice). */
export async function findOpenTask(db: Db, kind: string, accountId: number): Promise<TaskRow | undefined> {
  const [row] = await db
    .select()
    .from(tasks)
    .where(and(eq(tasks.kind, kind), eq(tasks.accountId, accountId), eq(tasks.status, "open")));
  return row;
}
