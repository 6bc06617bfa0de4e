/**
 * SQL for staff, their role assignments, acting assignments (職務代理・事務取扱) and transfers.
 */
import {
  and,
  asc,
  count,
  desc,
  eq,
  getTableColumns,
  gte,
  ilike,
  inArray,
  isNull,
  lte,
  ne,
  or,
  type SQL,
  sql,
} from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { HeadOf, Placement } from "../../domain/roles.ts";
import type { Db } from "../client.ts";
import {
  actingAssignments,
  departments,
  divisions,
  positions,
  roleAssignments,
  staff,
  transfers,
} from "../schema.ts";
import { escapeLike } from "./audit.ts";
import { toHeadOf } from "./org.ts";
import { preparedStatements } from "./prepared.ts";

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

/** Which filters a search uses: one prepared statement per combination (its values are parameters). */
type FilterShape = { text: boolean; departmentId: boolean; divisionId: boolean; active: boolean };

function shapeOf(filter: StaffFilter): FilterShape {
  return {
    text: Boolean(filter.text),
    departmentId: filter.departmentId !== undefined,
    divisionId: filter.divisionId !== undefined,
    active: filter.active !== undefined,
  };
}

/** The conditions of a filter shape, on placeholders named after the filter's fields. */
function staffConditions(shape: FilterShape): SQL | undefined {
  const conditions: SQL[] = [];
  if (shape.text) {
    const pattern = sql.placeholder("pattern");
    const match = or(
      ilike(staff.name, pattern),
      ilike(staff.kana, pattern),
      ilike(staff.employeeNo, pattern),
      ilike(staff.email, pattern),
    );
    if (match) conditions.push(match);
  }
  if (shape.departmentId) conditions.push(eq(staff.departmentId, sql.placeholder("departmentId")));
  if (shape.divisionId) conditions.push(eq(staff.divisionId, sql.placeholder("divisionId")));
  if (shape.active) conditions.push(eq(staff.active, sql.placeholder("active")));
  return conditions.length ? and(...conditions) : undefined;
}

/** The values of a filter's placeholders. */
function filterValues(filter: StaffFilter) {
  return {
    pattern: filter.text ? `%${escapeLike(filter.text)}%` : undefined,
    departmentId: filter.departmentId,
    divisionId: filter.divisionId,
    active: filter.active,
  };
}

/** A page's columns and the total of the filter in the same row (counted on `staff` alone). */
function withTotal<T extends Record<string, unknown>>(columns: T, where: SQL | undefined) {
  const total = where
    ? sql<number>`(select count(*) from ${staff} where ${where})`
    : sql<number>`(select count(*) from ${staff})`;
  return { ...columns, total: total.mapWith(Number) };
}

/**
 * One page of a filter shape with the names of each person's units, and the total in the same
 * statement: the page is read in employee-number order (its unique index) and the total is counted
 * on `staff` alone (every person has a department and a position: the inner joins drop no one).
 */
function namedPageQuery(db: Db, shape: FilterShape, name: string) {
  const where = staffConditions(shape);
  return db
    .select(withTotal(viewColumns, where))
    .from(staff)
    .innerJoin(departments, eq(departments.id, staff.departmentId))
    .leftJoin(divisions, eq(divisions.id, staff.divisionId))
    .innerJoin(positions, eq(positions.id, staff.positionId))
    .where(where)
    .orderBy(asc(staff.employeeNo))
    .limit(sql.placeholder("limit"))
    .offset(sql.placeholder("offset"))
    .prepare(name);
}

/** One page of a filter shape, staff rows only, and the total in the same statement. */
function plainPageQuery(db: Db, shape: FilterShape, name: string) {
  const where = staffConditions(shape);
  return db
    .select(withTotal(getTableColumns(staff), where))
    .from(staff)
    .where(where)
    .orderBy(asc(staff.employeeNo))
    .limit(sql.placeholder("limit"))
    .offset(sql.placeholder("offset"))
    .prepare(name);
}

/** The total of a filter shape alone (a page past the end). */
function countQuery(db: Db, shape: FilterShape, name: string) {
  return db.select({ n: count() }).from(staff).where(staffConditions(shape)).prepare(name);
}

/** A shape's statement name: the prefix and four digits saying which filters it uses. */
const shapeName = (prefix: string) => (shape: FilterShape) =>
  `${prefix}_${Number(shape.text)}${Number(shape.departmentId)}${Number(shape.divisionId)}${Number(shape.active)}`;

const namedPages = preparedStatements(shapeName("snsgov_staff_named_page"), namedPageQuery);
const plainPages = preparedStatements(shapeName("snsgov_staff_page"), plainPageQuery);
const counts = preparedStatements(shapeName("snsgov_staff_count"), countQuery);

/** The total of a filter when its page came back empty: 0 on the first page, else counted. */
async function totalPastEnd(db: Db, filter: StaffFilter, offset: number): Promise<number> {
  if (offset === 0) return 0;
  const [row] = await counts(db, shapeOf(filter)).execute(filterValues(filter));
  return row?.n ?? 0;
}

/** One page of staff with their units' names, ordered by employee number. */
export async function searchStaff(
  db: Db,
  filter: StaffFilter,
  page: { offset: number; limit: number },
): Promise<{ rows: StaffView[]; total: number }> {
  // The page and the total in one statement; only a page past the end counts on its own.
  const rows = await namedPages(db, shapeOf(filter)).execute({ ...filterValues(filter), ...page });
  const first = rows[0];
  if (first) return { rows: rows.map(({ total: _, ...row }) => toView(row)), total: first.total };
  return { rows: [], total: await totalPastEnd(db, filter, page.offset) };
}

/**
 * One page of staff rows (without their units' names: the staff list names them from the
 * organisation in memory, app/org/cache.ts), ordered by employee number, and the total, in one
 * statement on `staff` alone.
 */
export async function staffPage(
  db: Db,
  filter: StaffFilter,
  page: { offset: number; limit: number },
): Promise<{ rows: Staff[]; total: number }> {
  const rows = await plainPages(db, shapeOf(filter)).execute({ ...filterValues(filter), ...page });
  const first = rows[0];
  if (first) return { rows: rows.map(({ total: _, ...row }) => row), total: first.total };
  return { rows: [], total: await totalPastEnd(db, filter, page.offset) };
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

/**
 * What a password must not be built on (ASVS 6.2.11): the person's login IDs, name, kana and
 * their department's and division's names, kana and codes, in one statement.
 */
export async function findPasswordWords(db: Db, id: number) {
  const [row] = await db
    .select({
      employeeNo: staff.employeeNo,
      email: staff.email,
      name: staff.name,
      kana: staff.kana,
      departmentName: departments.name,
      departmentKana: departments.kana,
      departmentCode: departments.code,
      divisionName: divisions.name,
      divisionKana: divisions.kana,
      divisionCode: divisions.code,
    })
    .from(staff)
    .innerJoin(departments, eq(departments.id, staff.departmentId))
    .leftJoin(divisions, eq(divisions.id, staff.divisionId))
    .where(eq(staff.id, id));
  if (!row) return undefined;
  const units = [{ name: row.departmentName, kana: row.departmentKana, code: row.departmentCode }];
  if (row.divisionName !== null) {
    units.push({ name: row.divisionName, kana: row.divisionKana ?? "", code: row.divisionCode ?? "" });
  }
  return { employeeNo: row.employeeNo, email: row.email, name: row.name, kana: row.kana, units };
}

/**
 * Locks the staff row for the rest of the transaction (concurrent edits serialise). `no key
 * update`: rows that merely reference the person (a list entry, a task) can still be written.
 */
export async function lockStaff(db: Db, id: number): Promise<Staff | undefined> {
  const [row] = await db.select().from(staff).where(eq(staff.id, id)).for("no key update");
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

/** Active staff placed in a department other than the one with `exceptDepartmentCode`. */
export async function countActiveStaffOutside(db: Db, exceptDepartmentCode: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(staff)
    .innerJoin(departments, eq(departments.id, staff.departmentId))
    .where(and(eq(staff.active, true), ne(departments.code, exceptDepartmentCode)));
  return row?.n ?? 0;
}

// Role assignments and acting assignments

export type RoleAssignment = typeof roleAssignments.$inferSelect;

/** A person's placement with the unit names the guideline's named posts are matched on. */
export async function placementOf(db: Db, person: Staff): Promise<Placement> {
  const [row] = await db
    .select(placementColumns)
    .from(staff)
    .innerJoin(positions, eq(positions.id, staff.positionId))
    .innerJoin(departments, eq(departments.id, staff.departmentId))
    .leftJoin(divisions, eq(divisions.id, staff.divisionId))
    .where(eq(staff.id, person.id));
  return toPlacement(person, row);
}

/** The columns `placementOf` reads, for a query that joins the same tables (repos/auth.ts). */
export const placementColumns = {
  headOf: positions.headOf,
  departmentName: departments.name,
  divisionName: divisions.name,
};

/** A person's placement from the `placementColumns` of their row (none found: no post). */
export function toPlacement(
  person: Staff,
  row: { headOf: string; departmentName: string; divisionName: string | null } | undefined,
): Placement {
  return {
    departmentId: person.departmentId,
    divisionId: person.divisionId,
    headOf: toHeadOf(row?.headOf ?? "none"),
    departmentName: row?.departmentName ?? "",
    divisionName: row?.divisionName ?? null,
  };
}

/** Active people whose position heads a unit (部長, 課長), with their placement. */
export async function activeHeads(db: Db): Promise<Array<{ person: Staff; placement: Placement }>> {
  const rows = await db
    .select({
      s: staff,
      headOf: positions.headOf,
      departmentName: departments.name,
      divisionName: divisions.name,
    })
    .from(staff)
    .innerJoin(positions, eq(positions.id, staff.positionId))
    .innerJoin(departments, eq(departments.id, staff.departmentId))
    .leftJoin(divisions, eq(divisions.id, staff.divisionId))
    .where(and(eq(staff.active, true), sql`${positions.headOf} <> 'none'`))
    .orderBy(asc(positions.rank), asc(staff.employeeNo));
  return rows.map((r) => ({
    person: r.s,
    placement: {
      departmentId: r.s.departmentId,
      divisionId: r.s.divisionId,
      headOf: toHeadOf(r.headOf),
      departmentName: r.departmentName,
      divisionName: r.divisionName,
    },
  }));
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

/** Locks an assignment for the rest of the transaction (approval and revocation serialise). */
export async function lockAssignment(db: Db, id: number): Promise<RoleAssignment | undefined> {
  const [row] = await db.select().from(roleAssignments).where(eq(roleAssignments.id, id)).for("update");
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
    status?: "proposed" | "active";
    validUntil?: string | null;
    approvedBy?: number | null;
    approvedAt?: Date | null;
  },
): Promise<RoleAssignment> {
  const [row] = await db.insert(roleAssignments).values(values).returning();
  if (!row) throw new Error("insert role assignment returned nothing");
  return row;
}

export async function updateAssignment(
  db: Db,
  id: number,
  values: Partial<{
    status: "proposed" | "active";
    validUntil: string | null;
    approvedBy: number | null;
    approvedAt: Date | null;
  }>,
): Promise<RoleAssignment | undefined> {
  const [row] = await db.update(roleAssignments).set(values).where(eq(roleAssignments.id, id)).returning();
  return row;
}

export async function deleteAssignment(db: Db, id: number): Promise<void> {
  await db.delete(roleAssignments).where(eq(roleAssignments.id, id));
}

/** Stored assignments of a role (any status) with the active staff holding them. */
export async function assignmentsOfRole(
  db: Db,
  role: string,
): Promise<Array<{ person: Staff; assignment: RoleAssignment }>> {
  return assignmentsOfRoles(db, [role]);
}

/** `assignmentsOfRole` for several roles in one statement (by employee number; filter by `assignment.role`). */
export async function assignmentsOfRoles(
  db: Db,
  roles: readonly string[],
): Promise<Array<{ person: Staff; assignment: RoleAssignment }>> {
  if (roles.length === 0) return [];
  const rows = await db
    .select({ s: staff, a: roleAssignments })
    .from(roleAssignments)
    .innerJoin(staff, eq(staff.id, roleAssignments.staffId))
    .where(and(inArray(roleAssignments.role, [...roles]), eq(staff.active, true)))
    .orderBy(asc(staff.employeeNo));
  return rows.map((r) => ({ person: r.s, assignment: r.a }));
}

export type ActingRow = typeof actingAssignments.$inferSelect;

/** An acting assignment with the post it stands in for (as placement) and the names involved. */
export type ActingView = ActingRow & {
  post: Placement;
  actingName: string;
  absentName: string;
  positionName: string;
};

const absent = alias(staff, "absent");

function actingQuery(db: Db) {
  return db
    .select({
      a: actingAssignments,
      actingName: staff.name,
      absentName: absent.name,
      positionName: positions.name,
      departmentName: departments.name,
      divisionName: divisions.name,
    })
    .from(actingAssignments)
    .innerJoin(staff, eq(staff.id, actingAssignments.staffId))
    .innerJoin(absent, eq(absent.id, actingAssignments.absentStaffId))
    .innerJoin(positions, eq(positions.id, actingAssignments.positionId))
    .innerJoin(departments, eq(departments.id, actingAssignments.departmentId))
    .leftJoin(divisions, eq(divisions.id, actingAssignments.divisionId));
}

type ActingQueryRow = {
  a: ActingRow;
  actingName: string;
  absentName: string;
  positionName: string;
  departmentName: string;
  divisionName: string | null;
};

function toActingView(r: ActingQueryRow): ActingView {
  return {
    ...r.a,
    actingName: r.actingName,
    absentName: r.absentName,
    positionName: r.positionName,
    post: {
      departmentId: r.a.departmentId,
      divisionId: r.a.divisionId,
      headOf: toHeadOf(r.a.headOf),
      departmentName: r.departmentName,
      divisionName: r.divisionName,
    },
  };
}

/**
 * Acting assignments (not revoked) where `staffId` stands in, or stands in for them (`side`),
 * newest period first.
 */
export async function actingOf(
  db: Db,
  staffId: number,
  side: "acting" | "absent" = "acting",
): Promise<ActingView[]> {
  const column = side === "acting" ? actingAssignments.staffId : actingAssignments.absentStaffId;
  const rows = await actingQuery(db)
    .where(and(eq(column, staffId), isNull(actingAssignments.revokedAt)))
    .orderBy(desc(actingAssignments.fromDate), desc(actingAssignments.id));
  return rows.map(toActingView);
}

/** Acting assignments (not revoked) covering `today`, by active people. */
export async function actingOn(db: Db, today: string): Promise<ActingView[]> {
  const rows = await actingQuery(db)
    .where(
      and(
        isNull(actingAssignments.revokedAt),
        lte(actingAssignments.fromDate, today),
        gte(actingAssignments.untilDate, today),
        eq(staff.active, true),
      ),
    )
    .orderBy(asc(actingAssignments.fromDate), asc(actingAssignments.id));
  return rows.map(toActingView);
}

/** Acting assignments (not revoked) ending on or after `today`, everyone's (for the oversight page). */
export async function actingFrom(db: Db, today: string): Promise<ActingView[]> {
  const rows = await actingQuery(db)
    .where(and(isNull(actingAssignments.revokedAt), gte(actingAssignments.untilDate, today)))
    .orderBy(asc(actingAssignments.fromDate), asc(actingAssignments.id));
  return rows.map(toActingView);
}

export async function findActing(db: Db, id: number): Promise<ActingView | undefined> {
  const [row] = await actingQuery(db).where(eq(actingAssignments.id, id));
  return row ? toActingView(row) : undefined;
}

export async function lockActing(db: Db, id: number): Promise<ActingRow | undefined> {
  const [row] = await db.select().from(actingAssignments).where(eq(actingAssignments.id, id)).for("update");
  return row;
}

export async function insertActing(
  db: Db,
  values: typeof actingAssignments.$inferInsert,
): Promise<ActingRow> {
  const [row] = await db.insert(actingAssignments).values(values).returning();
  if (!row) throw new Error("insert acting assignment returned nothing");
  return row;
}

export async function revokeActingRow(db: Db, id: number, by: number | null, at: Date): Promise<void> {
  await db
    .update(actingAssignments)
    .set({ revokedAt: at, revokedBy: by })
    .where(eq(actingAssignments.id, id));
}

/** The day a person took up their current placement: the last applied transfer, if any. */
export async function placedSince(db: Db, staffIds: readonly number[]): Promise<Map<number, string>> {
  if (staffIds.length === 0) return new Map();
  const rows = await db
    .select({ staffId: transfers.staffId, since: sql<string>`max(${transfers.effectiveDate})` })
    .from(transfers)
    .where(and(inArray(transfers.staffId, [...staffIds]), eq(transfers.status, "applied")))
    .groupBy(transfers.staffId);
  return new Map(rows.map((r) => [r.staffId, String(r.since)]));
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
