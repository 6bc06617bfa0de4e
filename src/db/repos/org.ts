/**
 * SQL for the organisation: departments (部), divisions (課) and positions (職).
 */
import { asc, eq } from "drizzle-orm";
import type { HeadOf } from "../../domain/roles.ts";
import type { Db } from "../client.ts";
import { departments, divisions, positions } from "../schema.ts";

export type Department = typeof departments.$inferSelect;
export type Division = typeof divisions.$inferSelect;
export type Position = Omit<typeof positions.$inferSelect, "headOf"> & { headOf: HeadOf };

export function toHeadOf(value: string): HeadOf {
  return value === "department" || value === "division" ? value : "none";
}

export async function listDepartments(db: Db): Promise<Department[]> {
  return db.select().from(departments).orderBy(asc(departments.code));
}

export async function findDepartment(db: Db, id: number): Promise<Department | undefined> {
  const [row] = await db.select().from(departments).where(eq(departments.id, id));
  return row;
}

export async function findDepartmentByCode(db: Db, code: string): Promise<Department | undefined> {
  const [row] = await db.select().from(departments).where(eq(departments.code, code));
  return row;
}

export async function insertDepartment(
  db: Db,
  values: { code: string; name: string; kana: string; active?: boolean },
): Promise<Department> {
  const [row] = await db.insert(departments).values(values).returning();
  if (!row) throw new Error("insert department returned nothing");
  return row;
}

export async function updateDepartment(
  db: Db,
  id: number,
  values: Partial<{ code: string; name: string; kana: string; active: boolean }>,
  at: Date,
): Promise<Department | undefined> {
  const [row] = await db
    .update(departments)
    .set({ ...values, updatedAt: at })
    .where(eq(departments.id, id))
    .returning();
  return row;
}

export async function listDivisions(db: Db): Promise<Division[]> {
  return db.select().from(divisions).orderBy(asc(divisions.code));
}

export async function findDivision(db: Db, id: number): Promise<Division | undefined> {
  const [row] = await db.select().from(divisions).where(eq(divisions.id, id));
  return row;
}

export async function findDivisionByCode(db: Db, code: string): Promise<Division | undefined> {
  const [row] = await db.select().from(divisions).where(eq(divisions.code, code));
  return row;
}

export async function insertDivision(
  db: Db,
  values: { departmentId: number; code: string; name: string; kana: string; active?: boolean },
): Promise<Division> {
  const [row] = await db.insert(divisions).values(values).returning();
  if (!row) throw new Error("insert division returned nothing");
  return row;
}

export async function updateDivision(
  db: Db,
  id: number,
  values: Partial<{ departmentId: number; code: string; name: string; kana: string; active: boolean }>,
  at: Date,
): Promise<Division | undefined> {
  const [row] = await db
    .update(divisions)
    .set({ ...values, updatedAt: at })
    .where(eq(divisions.id, id))
    .returning();
  return row;
}

function toPosition(row: typeof positions.$inferSelect): Position {
  return { ...row, headOf: toHeadOf(row.headOf) };
}

export async function listPositions(db: Db): Promise<Position[]> {
  const rows = await db.select().from(positions).orderBy(asc(positions.rank), asc(positions.code));
  return rows.map(toPosition);
}

export async function findPosition(db: Db, id: number): Promise<Position | undefined> {
  const [row] = await db.select().from(positions).where(eq(positions.id, id));
  return row ? toPosition(row) : undefined;
}

export async function findPositionByCode(db: Db, code: string): Promise<Position | undefined> {
  const [row] = await db.select().from(positions).where(eq(positions.code, code));
  return row ? toPosition(row) : undefined;
}

export async function insertPosition(
  db: Db,
  values: { code: string; name: string; rank: number; headOf: HeadOf },
): Promise<Position> {
  const [row] = await db.insert(positions).values(values).returning();
  if (!row) throw new Error("insert position returned nothing");
  return toPosition(row);
}

export async function updatePosition(
  db: Db,
  id: number,
  values: Partial<{ code: string; name: string; rank: number; headOf: HeadOf }>,
  at: Date,
): Promise<Position | undefined> {
  const [row] = await db
    .update(positions)
    .set({ ...values, updatedAt: at })
    .where(eq(positions.id, id))
    .returning();
  return row ? toPosition(row) : undefined;
}
