/**
 * SQL for the credentials part of official accounts (4.3) and for the task pages: one credential
 * holder at a time, the heads of a division (4.1.4), staff to choose from, handing open tasks to
 * a new manager, and tasks with the names of their account and assignee.
 */
import { and, asc, desc, eq, gte, inArray, isNull, ne, or, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "../client.ts";
import {
  accounts,
  approvalDeputies,
  credentialHolders,
  divisions,
  positions,
  staff,
  tasks,
} from "../schema.ts";

/** Adds one credential holder; false when the person already holds the login. */
export async function insertHolder(db: Db, accountId: number, staffId: number, at: Date): Promise<boolean> {
  const rows = await db
    .insert(credentialHolders)
    .values({ accountId, staffId, addedAt: at })
    .onConflictDoNothing()
    .returning({ staffId: credentialHolders.staffId });
  return rows.length > 0;
}

/** Removes one credential holder; false when the person was not one. */
export async function deleteHolder(db: Db, accountId: number, staffId: number): Promise<boolean> {
  const rows = await db
    .delete(credentialHolders)
    .where(and(eq(credentialHolders.accountId, accountId), eq(credentialHolders.staffId, staffId)))
    .returning({ staffId: credentialHolders.staffId });
  return rows.length > 0;
}

export type Person = {
  id: number;
  name: string;
  employeeNo: string;
  divisionId: number | null;
  positionId: number;
  active: boolean;
};

const personColumns = {
  id: staff.id,
  name: staff.name,
  employeeNo: staff.employeeNo,
  divisionId: staff.divisionId,
  positionId: staff.positionId,
  active: staff.active,
};

/**
 * Active people whose position heads this division (課長: the account manager, 4.1.4), senior
 * positions first.
 */
export async function divisionHeads(db: Db, divisionId: number): Promise<Person[]> {
  return db
    .select(personColumns)
    .from(staff)
    .innerJoin(positions, eq(positions.id, staff.positionId))
    .where(and(eq(staff.divisionId, divisionId), eq(staff.active, true), eq(positions.headOf, "division")))
    .orderBy(asc(positions.rank), asc(staff.id));
}

/** Active staff of a division, by employee number (the people a manager usually picks from). */
export async function activeStaffOf(db: Db, divisionId: number): Promise<Person[]> {
  return db
    .select(personColumns)
    .from(staff)
    .where(and(eq(staff.divisionId, divisionId), eq(staff.active, true)))
    .orderBy(asc(staff.employeeNo));
}

export async function findPerson(db: Db, id: number): Promise<Person | undefined> {
  const [row] = await db.select(personColumns).from(staff).where(eq(staff.id, id));
  return row;
}

export async function findPersonByEmployeeNo(db: Db, employeeNo: string): Promise<Person | undefined> {
  const [row] = await db.select(personColumns).from(staff).where(eq(staff.employeeNo, employeeNo));
  return row;
}

/** Names of people by id (for resolutions and causes shown on pages). */
export async function namesOf(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db
    .select({ id: staff.id, name: staff.name })
    .from(staff)
    .where(inArray(staff.id, unique));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * Hands the open tasks of an account to its new manager: those assigned to the previous manager,
 * and, of the given kinds, those assigned to nobody. Returns the ids moved.
 */
export async function reassignOpenTasks(
  db: Db,
  props: { accountId: number; from: number | null; to: number; unassignedKinds: readonly string[] },
): Promise<number[]> {
  const who: SQL[] = [];
  if (props.from !== null) who.push(eq(tasks.assigneeId, props.from));
  if (props.unassignedKinds.length > 0)
    who.push(and(isNull(tasks.assigneeId), inArray(tasks.kind, [...props.unassignedKinds])) ?? sql`false`);
  if (who.length === 0) return [];
  const rows = await db
    .update(tasks)
    .set({ assigneeId: props.to })
    .where(and(eq(tasks.accountId, props.accountId), eq(tasks.status, "open"), or(...who)))
    .returning({ id: tasks.id });
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

/** A task with the names a page shows next to it. */
export type TaskView = typeof tasks.$inferSelect & {
  accountName: string | null;
  accountPlatform: string | null;
  accountStatus: string | null;
  accountDivisionId: number | null;
  accountDepartmentId: number | null;
  accountDivisionName: string | null;
  accountManagerId: number | null;
  assigneeName: string | null;
  doneByName: string | null;
};

const assignee = alias(staff, "assignee");
const doer = alias(staff, "doer");

function taskViewQuery(db: Db) {
  return db
    .select({
      task: tasks,
      accountName: accounts.name,
      accountPlatform: accounts.platform,
      accountStatus: accounts.status,
      accountDivisionId: accounts.divisionId,
      accountDepartmentId: divisions.departmentId,
      accountDivisionName: divisions.name,
      accountManagerId: accounts.managerId,
      assigneeName: assignee.name,
      doneByName: doer.name,
    })
    .from(tasks)
    .leftJoin(accounts, eq(accounts.id, tasks.accountId))
    .leftJoin(divisions, eq(divisions.id, accounts.divisionId))
    .leftJoin(assignee, eq(assignee.id, tasks.assigneeId))
    .leftJoin(doer, eq(doer.id, tasks.doneBy));
}

type TaskViewRow = Awaited<ReturnType<ReturnType<typeof taskViewQuery>["where"]>>[number];

const toTaskView = (r: TaskViewRow): TaskView => ({
  ...r.task,
  accountName: r.accountName,
  accountPlatform: r.accountPlatform,
  accountStatus: r.accountStatus,
  accountDivisionId: r.accountDivisionId,
  accountDepartmentId: r.accountDepartmentId,
  accountDivisionName: r.accountDivisionName,
  accountManagerId: r.accountManagerId,
  assigneeName: r.assigneeName,
  doneByName: r.doneByName,
});

export async function findTaskView(db: Db, id: number): Promise<TaskView | undefined> {
  const [row] = await taskViewQuery(db).where(eq(tasks.id, id));
  return row ? toTaskView(row) : undefined;
}

export type TaskViewFilter = {
  status: "open" | "done";
  /** Tasks assigned to this person, or (with divisionIds) of accounts in these divisions. */
  assigneeId?: number;
  divisionIds?: readonly number[];
  /** Done tasks only: finished at or after this instant. */
  doneSince?: Date;
  accountId?: number;
  kinds?: readonly string[];
};

/**
 * Tasks for the task pages. With both `assigneeId` and `divisionIds`, a task matches either.
 * Open tasks come by due date (no date last); done ones newest first.
 */
export async function listTaskViews(db: Db, filter: TaskViewFilter): Promise<TaskView[]> {
  const conditions: SQL[] = [eq(tasks.status, filter.status)];
  const whose: SQL[] = [];
  if (filter.assigneeId !== undefined) whose.push(eq(tasks.assigneeId, filter.assigneeId));
  if (filter.divisionIds && filter.divisionIds.length > 0)
    whose.push(inArray(accounts.divisionId, [...filter.divisionIds]));
  if (filter.assigneeId !== undefined || filter.divisionIds !== undefined) {
    if (whose.length === 0) return [];
    conditions.push(or(...whose) ?? sql`false`);
  }
  if (filter.doneSince) conditions.push(gte(tasks.doneAt, filter.doneSince));
  if (filter.accountId !== undefined) conditions.push(eq(tasks.accountId, filter.accountId));
  if (filter.kinds && filter.kinds.length > 0) conditions.push(inArray(tasks.kind, [...filter.kinds]));
  const order =
    filter.status === "open"
      ? [sql`${tasks.dueDate} asc nulls last`, asc(tasks.id)]
      : [desc(tasks.doneAt), desc(tasks.id)];
  const rows = await taskViewQuery(db)
    .where(and(...conditions))
    .orderBy(...order)
    .limit(500);
  return rows.map(toTaskView);
}

/**
 * Ends the person's deputy namings (5.1.4) for divisions other than `keepDivisionId` that have not
 * ended before `today` (a transfer, 4.3.2). Returns the namings ended.
 */
export async function revokeDeputiesOutside(
  db: Db,
  props: { staffId: number; keepDivisionId: number | null; today: string; at: Date },
): Promise<Array<{ id: number; divisionId: number; fromDate: string; toDate: string }>> {
  const conditions: SQL[] = [
    eq(approvalDeputies.deputyId, props.staffId),
    isNull(approvalDeputies.revokedAt),
    gte(approvalDeputies.toDate, props.today),
  ];
  if (props.keepDivisionId !== null) conditions.push(ne(approvalDeputies.divisionId, props.keepDivisionId));
  return db
    .update(approvalDeputies)
    .set({ revokedAt: props.at })
    .where(and(...conditions))
    .returning({
      id: approvalDeputies.id,
      divisionId: approvalDeputies.divisionId,
      fromDate: approvalDeputies.fromDate,
      toDate: approvalDeputies.toDate,
    });
}
