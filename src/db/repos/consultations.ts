/**
 * SQL for consultations (10): asking, answering, closing, and searching the knowledge base by
 * words in the title, question or answer and by tag.
 */
import { aliasedTable, and, desc, eq, ilike, ne, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "../client.ts";
import { consultations, staff } from "../schema.ts";
import { escapeLike } from "./audit.ts";

export type ConsultationRow = typeof consultations.$inferSelect;
export type ConsultationView = ConsultationRow & {
  askedByName: string | null;
  answeredByName: string | null;
};

const asker = aliasedTable(staff, "asker");
const answerer = aliasedTable(staff, "answerer");

function viewQuery(db: Db) {
  return db
    .select({ c: consultations, askedByName: asker.name, answeredByName: answerer.name })
    .from(consultations)
    .leftJoin(asker, eq(asker.id, consultations.askedBy))
    .leftJoin(answerer, eq(answerer.id, consultations.answeredBy));
}

const toView = (r: { c: ConsultationRow; askedByName: string | null; answeredByName: string | null }) => ({
  ...r.c,
  askedByName: r.askedByName,
  answeredByName: r.answeredByName,
});

export type ConsultationFilter = {
  /** Words in the title, question, answer or tags. */
  text?: string;
  tag?: string;
  status?: string;
  /** Only what this person may see: answered ones, and their own; null: everything. */
  visibleTo: number | null;
};

/** Matching consultations, open ones first, then the most recently answered; at most `limit`. */
export async function searchConsultations(
  db: Db,
  filter: ConsultationFilter,
  limit = 200,
): Promise<{ rows: ConsultationView[]; total: number }> {
  const conditions: SQL[] = [];
  if (filter.visibleTo !== null) {
    const visible = or(ne(consultations.answer, ""), eq(consultations.askedBy, filter.visibleTo));
    if (visible) conditions.push(visible);
  }
  if (filter.status) conditions.push(eq(consultations.status, filter.status));
  if (filter.tag) conditions.push(sql`${consultations.tags} @> ${JSON.stringify([filter.tag])}::jsonb`);
  for (const word of (filter.text ?? "").split(/\s+/u).filter(Boolean)) {
    const pattern = `%${escapeLike(word)}%`;
    const match = or(
      ilike(consultations.title, pattern),
      ilike(consultations.question, pattern),
      ilike(consultations.answer, pattern),
      sql`${consultations.tags}::text ilike ${pattern}`,
    );
    if (match) conditions.push(match);
  }
  const where = conditions.length ? and(...conditions) : undefined;
  const rows = await viewQuery(db)
    .where(where)
    .orderBy(
      sql`case when ${consultations.status} = 'open' then 0 else 1 end`,
      desc(sql`coalesce(${consultations.answeredAt}, ${consultations.askedAt})`),
      desc(consultations.id),
    )
    .limit(limit);
  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(consultations).where(where);
  return { rows: rows.map(toView), total: count?.n ?? 0 };
}

export async function findConsultation(db: Db, id: number): Promise<ConsultationView | undefined> {
  const [row] = await viewQuery(db).where(eq(consultations.id, id));
  return row ? toView(row) : undefined;
}

export async function lockConsultation(db: Db, id: number): Promise<ConsultationRow | undefined> {
  const [row] = await db.select().from(consultations).where(eq(consultations.id, id)).for("update");
  return row;
}

export async function insertConsultation(
  db: Db,
  values: { title: string; question: string; tags: string[]; askedBy: number | null; askedAt: Date },
): Promise<ConsultationRow> {
  const [row] = await db
    .insert(consultations)
    .values({ ...values, status: "open" })
    .returning();
  if (!row) throw new Error("insert consultation returned nothing");
  return row;
}

export async function updateConsultation(
  db: Db,
  id: number,
  values: Partial<typeof consultations.$inferInsert>,
): Promise<ConsultationRow | undefined> {
  const [row] = await db.update(consultations).set(values).where(eq(consultations.id, id)).returning();
  return row;
}

/** Open questions (for the consultation desk), oldest first. */
export async function openConsultations(db: Db): Promise<ConsultationRow[]> {
  return db
    .select()
    .from(consultations)
    .where(eq(consultations.status, "open"))
    .orderBy(consultations.askedAt, consultations.id);
}

/** A person's answered questions not yet closed (they read the answer and close it). */
export async function answeredFor(db: Db, staffId: number): Promise<ConsultationRow[]> {
  return db
    .select()
    .from(consultations)
    .where(and(eq(consultations.askedBy, staffId), eq(consultations.status, "answered")))
    .orderBy(consultations.answeredAt);
}

/** Every tag in use with how many answered consultations carry it, most used first. */
export async function tagCounts(db: Db): Promise<Array<{ tag: string; n: number }>> {
  const rows = await db.execute(
    sql`select t.tag as tag, count(*)::int as n
        from consultations c, jsonb_array_elements_text(c.tags) as t(tag)
        where c.answer <> ''
        group by t.tag order by n desc, t.tag limit 50`,
  );
  return rows.rows.flatMap((r) =>
    typeof r.tag === "string" && typeof r.n === "number" ? [{ tag: r.tag, n: r.n }] : [],
  );
}
