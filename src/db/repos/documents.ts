/**
 * SQL for 文書番号・決裁日 records (the city's document-management numbers of an application,
 * a 届出 or a change/closure request): every version, newest first, with who recorded it.
 */
import { and, desc, eq } from "drizzle-orm";
import type { DocumentSubject } from "../../domain/documents.ts";
import type { Db } from "../client.ts";
import { documentRecords, staff } from "../schema.ts";

export type DocumentRecord = typeof documentRecords.$inferSelect & { recordedByName: string | null };

/** Every version for one subject, newest first. */
export async function documentVersions(
  db: Db,
  subject: { type: DocumentSubject; id: number },
): Promise<DocumentRecord[]> {
  const rows = await db
    .select({ record: documentRecords, recordedByName: staff.name })
    .from(documentRecords)
    .leftJoin(staff, eq(staff.id, documentRecords.recordedBy))
    .where(and(eq(documentRecords.subjectType, subject.type), eq(documentRecords.subjectId, subject.id)))
    .orderBy(desc(documentRecords.version));
  return rows.map((r) => ({ ...r.record, recordedByName: r.recordedByName }));
}

/** Appends a version (the unique index refuses two writers of the same version). */
export async function insertDocumentVersion(
  db: Db,
  values: {
    subjectType: DocumentSubject;
    subjectId: number;
    version: number;
    documentNumber: string;
    decidedOn: string | null;
    reason: string;
    recordedBy: number | null;
    recordedAt: Date;
  },
): Promise<DocumentRecord> {
  const [row] = await db.insert(documentRecords).values(values).returning();
  if (!row) throw new Error("insert document record returned nothing");
  return { ...row, recordedByName: null };
}
