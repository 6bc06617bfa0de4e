/**
 * SQL for staff, their role assignments and their transfers.
 */
import { and, asc, count, desc, eq, ilike, lte, or, type SQL, sql } from "drizzle-orm";
import type { HeadOf, RoleGrant, Scope } from "../../domain/roles.ts";
import { derivedGrants, isRole } from "../../domain/roles.ts";
import type { Db } from "../client.ts";
import { departments, divisions, positions, roleAssignments, staff, transfers } from "../schema.ts";
import { escapeLike } from "./audit.ts";
import { toHeadOf } from "./org.ts";

export type Staff = typeof staff.$inferSelect;

/** A staff row with the names of their department, division and position (for lists). */
export type StaffView = Staff & {
  departmentName: string;
  divisionName: string | null;
  positionName: string;
  headOf: HeadOf;
};

const viewColumns = {
  id: staff.id,
  employeeNo: staff.employeeNo,
  name: staff.name,
  kana: staff.kana,
  email: staff.email,
  departmentId: staff.departmentId,
  divisionId: staff.divisionId,
  positionId: staff.positionId,
  active: staff.active,
  createdAt: staff.createdAt,
  updatedAt: staff.updatedAt,
  departmentName: departments.name,
  divisionName: divisions.name,
  positionName: positions.name,
  headOf: positions.headOf,
};

function viewQuery(db: Db) {
  return db
    .select(viewColumns)
    .from(staff)
    .innerJoin(departments, eq(departments.id, staff.departmentId))
    .leftJoin(divisions, eq(divisions.id, staff.divisionId))
    .innerJoin(positions, eq(positions.id, staff.positionId));
}

type ViewRow = Omit<StaffView, "headOf"> & { headOf: string };
const toView = (row: ViewRow): StaffView => ({ ...row, headOf: toHeadOf(row.headOf) });

export type StaffFilter = {
  text?: string;
  departmentId?: number;
  divisionId?: number;
  active?: boolean;
};

function staffConditions(filter: StaffFilter): SQL | undefined {
  const conditions: SQL[] = [];
  if (filter.text) {
    const pattern = `%${escapeLike(filter.text)}%`;
    const match = or(
      ilike(staff.name, pattern),
      ilike(staff.kana, pattern),
      ilike(staff.employeeNo, pattern),
      ilike(staff.email, pattern),
    );
    if (match) conditions.push(match);
  }
  if (filter.departmentId !== undefined) conditions.push(eq(staff.departmentId, filter.departmentId));
  if (filter.divisionId !== undefined) conditions.push(eq(staff.divisionId, filter.divisionId));
  if (filter.active !== undefined) conditions.push(eq(staff.active, filter.active));
  return conditions.length ? and(...conditions) : undefined;
}

/** One page of staff, ordered by employee number. */
export async function searchStaff(
  db: Db,
  filter: StaffFilter,
  page: { offset: number; limit: number },
): Promise<{ rows: StaffView[]; total: number }> {
  const where = staffConditions(filter);
  const rows = await viewQuery(db)
    .where(where)
    .orderBy(asc(staff.employeeNo))
    .limit(page.limit)
    .offset(page.offset);
  const [total] = await db.select({ n: count() }).from(staff).where(where);
  return { rows: rows.map(toView), total: total?.n ?? 0 };
}

export async function allStaff(db: Db): Promise<StaffView[]> {
  const rows = await viewQuery(db).orderBy(asc(staff.employeeNo));
  return rows.map(toView);
}

export async function findStaffView(db: Db, id: number): Promise<StaffView | undefined> {
  const [row] = await viewQuery(db).where(eq(staff.id, id));
  return row ? toView(row) : undefined;
}

export async function findStaff(db: Db, id: number): Promise<Staff | undefined> {
  const [row] = await db.select().from(staff).where(eq(staff.id, id));
  return row;
}

/** Locks the staff row for the rest of the transaction (concurrent edits serialise). */
export async function lockStaff(db: Db, id: number): Promise<Staff | undefined> {
  const [row] = await db.select().from(staff).where(eq(staff.id, id)).for("update");
  return row;
}

export async function findStaffByEmployeeNo(db: Db, employeeNo: string): Promise<Staff | undefined> {
  const [row] = await db.select().from(staff).where(eq(staff.employeeNo, employeeNo));
  return row;
}

/** Finds a person by login name: e-mail (case-insensitive) or employee number. */
export async function findStaffByLogin(db: Db, login: string): Promise<Staff | undefined> {
  const [row] = await db
    .select()
    .from(staff)
    .where(or(sql`lower(${staff.email}) = lower(${login})`, eq(staff.employeeNo, login)))
    .limit(1);
  return row;
}

export async function findStaffByEmail(db: Db, email: string): Promise<Staff | undefined> {
  const [row] = await db.select().from(staff).where(sql`lower(${staff.email}) = lower(${email})`);
  return row;
}

export type StaffValues = {
  employeeNo: string;
  name: string;
  kana: string;
  email: string;
  departmentId: number;
  divisionId: number | null;
  positionId: number;
  active: boolean;
};

export async function insertStaff(db: Db, values: StaffValues): Promise<Staff> {
  const [row] = await db.insert(staff).values(values).returning();
  if (!row) throw new Error("insert staff returned nothing");
  return row;
}

export async function updateStaff(
  db: Db,
  id: number,
  values: Partial<StaffValues>,
  at: Date,
): Promise<Staff | undefined> {
  const [row] = await db
    .update(staff)
    .set({ ...values, updatedAt: at })
    .where(eq(staff.id, id))
    .returning();
  return row;
}

export async function countStaff(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(staff);
  return row?.n ?? 0;
}

// Role assignments

export type RoleAssignment = typeof roleAssignments.$inferSelect;

function scopeOf(row: { scopeType: string; scopeId: number | null }): Scope {
  if (row.scopeType === "department" && row.scopeId !== null) return { type: "department", id: row.scopeId };
  if (row.scopeType === "division" && row.scopeId !== null) return { type: "division", id: row.scopeId };
  return { type: "global" };
}

/** Every role a person holds: derived from the position plus the assigned ones. */
export async function grantsOf(db: Db, person: Staff): Promise<RoleGrant[]> {
  const [position] = await db
    .select({ headOf: positions.headOf })
    .from(positions)
    .where(eq(positions.id, person.positionId));
  const derived = derivedGrants({
    departmentId: person.departmentId,
    divisionId: person.divisionId,
    headOf: toHeadOf(position?.headOf ?? "none"),
  });
  const assigned = await db.select().from(roleAssignments).where(eq(roleAssignments.staffId, person.id));
  const explicit: RoleGrant[] = [];
  for (const row of assigned) {
    if (isRole(row.role)) explicit.push({ role: row.role, scope: scopeOf(row), derived: false });
  }
  return [...derived, ...explicit];
}

export async function listAssignments(db: Db, staffId?: number): Promise<RoleAssignment[]> {
  const query = db.select().from(roleAssignments);
  const rows = staffId === undefined ? await query : await query.where(eq(roleAssignments.staffId, staffId));
  return rows.sort((a, b) => a.id - b.id);
}

export async function findAssignment(db: Db, id: number): Promise<RoleAssignment | undefined> {
  const [row] = await db.select().from(roleAssignments).where(eq(roleAssignments.id, id));
  return row;
}

export async function insertAssignment(
  db: Db,
  values: {
    staffId: number;
    role: string;
    scopeType: string;
    scopeId: number | null;
    assignedBy: number | null;
  },
): Promise<RoleAssignment> {
  const [row] = await db.insert(roleAssignments).values(values).returning();
  if (!row) throw new Error("insert role assignment returned nothing");
  return row;
}

export async function deleteAssignment(db: Db, id: number): Promise<void> {
  await db.delete(roleAssignments).where(eq(roleAssignments.id, id));
}

/** Holders of a role (assigned), with their staff rows, for "who is the policy director". */
export async function holdersOf(db: Db, role: string): Promise<Staff[]> {
  const rows = await db
    .select({ s: staff })
    .from(roleAssignments)
    .innerJoin(staff, eq(staff.id, roleAssignments.staffId))
    .where(and(eq(roleAssignments.role, role), eq(staff.active, true)));
  return rows.map((r) => r.s);
}

// Transfers

export type Transfer = typeof transfers.$inferSelect;

export async function insertTransfer(db: Db, values: typeof transfers.$inferInsert): Promise<Transfer> {
  const [row] = await db.insert(transfers).values(values).returning();
  if (!row) throw new Error("insert transfer returned nothing");
  return row;
}

export async function findTransfer(db: Db, id: number): Promise<Transfer | undefined> {
  const [row] = await db.select().from(transfers).where(eq(transfers.id, id));
  return row;
}

/** Scheduled transfers due on or before `today`, locked so that only one instance applies each. */
export async function lockDueTransfers(db: Db, today: string): Promise<Transfer[]> {
  return db
    .select()
    .from(transfers)
    .where(and(eq(transfers.status, "scheduled"), lte(transfers.effectiveDate, today)))
    .orderBy(asc(transfers.effectiveDate), asc(transfers.id))
    .for("update", { skipLocked: true });
}

export async function markTransfer(
  db: Db,
  id: number,
  status: "applied" | "cancelled",
  at: Date,
): Promise<void> {
  await db
    .update(transfers)
    .set({ status, appliedAt: status === "applied" ? at : null })
    .where(eq(transfers.id, id));
}

export async function listTransfers(
  db: Db,
  filter: { staffId?: number; status?: string },
  limit = 200,
): Promise<Transfer[]> {
  const conditions: SQL[] = [];
  if (filter.staffId !== undefined) conditions.push(eq(transfers.staffId, filter.staffId));
  if (filter.status) conditions.push(eq(transfers.status, filter.status));
  return db
    .select()
    .from(transfers)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(transfers.effectiveDate), desc(transfers.id))
    .limit(limit);
}

/** The active head (課長) of a division, the account manager of its accounts (4.1.4). */
export async function findDivisionHead(db: Db, divisionId: number): Promise<Staff | undefined> {
  const [row] = await db
    .select({ s: staff })
    .from(staff)
    .innerJoin(positions, eq(positions.id, staff.positionId))
    .where(and(eq(staff.divisionId, divisionId), eq(staff.active, true), eq(positions.headOf, "division")))
    .orderBy(asc(positions.rank), asc(staff.id))
    .limit(1);
  return row?.s;
}
