/**
 * SQL for violation records (9) and the people in them. Only the violations use cases call
 * these, after checking that the person may know the records exist.
 */
import { and, asc, desc, eq, ilike, inArray, or, type SQL } from "drizzle-orm";
import type { ViolationRole } from "../../domain/violations.ts";
import type { Db } from "../client.ts";
import { incidents, posts, staff, violationPeople, violations } from "../schema.ts";
import { escapeLike } from "./audit.ts";

export type ViolationRow = typeof violations.$inferSelect;
export type ViolationPerson = {
  staffId: number;
  role: string;
  name: string;
  employeeNo: string;
};
export type ViolationView = ViolationRow & { people: ViolationPerson[]; createdByName: string | null };

export type ViolationFilter = { status?: string; text?: string; clause?: string };

async function peopleOf(db: Db, ids: readonly number[]): Promise<Map<number, ViolationPerson[]>> {
  const out = new Map<number, ViolationPerson[]>();
  if (ids.length === 0) return out;
  const rows = await db
    .select({
      violationId: violationPeople.violationId,
      staffId: violationPeople.staffId,
      role: violationPeople.role,
      name: staff.name,
      employeeNo: staff.employeeNo,
    })
    .from(violationPeople)
    .innerJoin(staff, eq(staff.id, violationPeople.staffId))
    .where(inArray(violationPeople.violationId, [...ids]))
    .orderBy(asc(staff.employeeNo));
  for (const { violationId, ...person } of rows) {
    const list = out.get(violationId) ?? [];
    list.push(person);
    out.set(violationId, list);
  }
  return out;
}

/** Records, newest first. */
export async function listViolations(db: Db, filter: ViolationFilter): Promise<ViolationView[]> {
  const conditions: SQL[] = [];
  if (filter.status) conditions.push(eq(violations.status, filter.status));
  if (filter.clause) conditions.push(eq(violations.clause, filter.clause));
  if (filter.text) {
    const pattern = `%${escapeLike(filter.text)}%`;
    const match = or(ilike(violations.circumstances, pattern), ilike(violations.outcome, pattern));
    if (match) conditions.push(match);
  }
  const rows = await db
    .select({ v: violations, createdByName: staff.name })
    .from(violations)
    .leftJoin(staff, eq(staff.id, violations.createdBy))
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(violations.createdAt), desc(violations.id))
    .limit(500);
  const people = await peopleOf(
    db,
    rows.map((r) => r.v.id),
  );
  return rows.map((r) => ({ ...r.v, createdByName: r.createdByName, people: people.get(r.v.id) ?? [] }));
}

export async function findViolation(db: Db, id: number): Promise<ViolationView | undefined> {
  const [row] = await db
    .select({ v: violations, createdByName: staff.name })
    .from(violations)
    .leftJoin(staff, eq(staff.id, violations.createdBy))
    .where(eq(violations.id, id));
  if (!row) return undefined;
  const people = await peopleOf(db, [id]);
  return { ...row.v, createdByName: row.createdByName, people: people.get(id) ?? [] };
}

export async function lockViolation(db: Db, id: number): Promise<ViolationRow | undefined> {
  const [row] = await db.select().from(violations).where(eq(violations.id, id)).for("update");
  return row;
}

export type ViolationValues = {
  clause: string;
  severity: string;
  circumstances: string;
  properProcedure: boolean;
  outcome: string;
  postId: number | null;
  incidentId: number | null;
};

export async function insertViolation(
  db: Db,
  values: ViolationValues & { createdBy: number | null; at: Date },
): Promise<ViolationRow> {
  const { at, ...rest } = values;
  const [row] = await db
    .insert(violations)
    .values({ ...rest, status: "open", createdAt: at, updatedAt: at })
    .returning();
  if (!row) throw new Error("insert violation returned nothing");
  return row;
}

export async function updateViolation(
  db: Db,
  id: number,
  values: Partial<ViolationValues & { status: string }>,
  at: Date,
): Promise<ViolationRow | undefined> {
  const [row] = await db
    .update(violations)
    .set({ ...values, updatedAt: at })
    .where(eq(violations.id, id))
    .returning();
  return row;
}

/** Replaces the people of a record. */
export async function setPeople(
  db: Db,
  violationId: number,
  people: ReadonlyArray<{ staffId: number; role: ViolationRole }>,
): Promise<void> {
  await db.delete(violationPeople).where(eq(violationPeople.violationId, violationId));
  if (people.length === 0) return;
  await db.insert(violationPeople).values(people.map((p) => ({ violationId, ...p })));
}

/** Staff ids by employee number (active or not: a record may concern someone who has left). */
export async function staffByEmployeeNo(
  db: Db,
  numbers: readonly string[],
): Promise<Map<string, { id: number; name: string }>> {
  if (numbers.length === 0) return new Map();
  const rows = await db
    .select({ id: staff.id, name: staff.name, employeeNo: staff.employeeNo })
    .from(staff)
    .where(inArray(staff.employeeNo, [...numbers]));
  return new Map(rows.map((r) => [r.employeeNo, { id: r.id, name: r.name }]));
}

/** The status of a post (null when there is none), to link a record to it. */
export async function postStatus(db: Db, id: number): Promise<string | null> {
  const [row] = await db.select({ status: posts.status }).from(posts).where(eq(posts.id, id));
  return row?.status ?? null;
}

export async function incidentExists(db: Db, id: number): Promise<boolean> {
  const [row] = await db.select({ id: incidents.id }).from(incidents).where(eq(incidents.id, id));
  return row !== undefined;
}
