/**
 * SQL for guideline versions (8.1) and their acknowledgement (8.2): versions and the one in force
 * on a day, who has acknowledged which version, who must acknowledge (everyone holding a
 * guideline role), and the reminder tasks sent to those who have not.
 */
import { aliasedTable, and, asc, desc, eq, lte, ne, or, sql } from "drizzle-orm";
import type { AckScope, RequiredPerson } from "../../domain/guideline-ack.ts";
import { SETUP_DEPARTMENT_CODE } from "../../domain/org.ts";
import type { Db } from "../client.ts";
import {
  departments,
  divisions,
  guidelineAcknowledgements,
  guidelineVersions,
  positions,
  staff,
  tasks,
} from "../schema.ts";

export type GuidelineVersionRow = typeof guidelineVersions.$inferSelect;

/** A version without its (large) pack and clauses, with the names of who made and published it. */
export type GuidelineVersionSummary = Omit<GuidelineVersionRow, "pack" | "clauses"> & {
  createdByName: string | null;
  publishedByName: string | null;
};

/** Advisory lock held while the shipped version is seeded or reminders are sent (one instance at a time). */
const GUIDELINE_LOCK = 7_410_008;

/** Serialises guideline bookkeeping across instances until the transaction ends. */
export async function lockGuideline(tx: Db): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${GUIDELINE_LOCK})`);
}

const creator = aliasedTable(staff, "creator");
const publisher = aliasedTable(staff, "publisher");

const summaryColumns = {
  id: guidelineVersions.id,
  label: guidelineVersions.label,
  effectiveDate: guidelineVersions.effectiveDate,
  summary: guidelineVersions.summary,
  status: guidelineVersions.status,
  createdBy: guidelineVersions.createdBy,
  publishedBy: guidelineVersions.publishedBy,
  publishedAt: guidelineVersions.publishedAt,
  createdAt: guidelineVersions.createdAt,
  createdByName: creator.name,
  publishedByName: publisher.name,
};

function summaryQuery(db: Db) {
  return db
    .select(summaryColumns)
    .from(guidelineVersions)
    .leftJoin(creator, eq(creator.id, guidelineVersions.createdBy))
    .leftJoin(publisher, eq(publisher.id, guidelineVersions.publishedBy));
}

/** Every version, newest effective date first (drafts only when asked for). */
export async function listVersions(db: Db, options: { drafts: boolean }): Promise<GuidelineVersionSummary[]> {
  return summaryQuery(db)
    .where(options.drafts ? undefined : eq(guidelineVersions.status, "published"))
    .orderBy(
      sql`case when ${guidelineVersions.status} = 'draft' then 0 else 1 end`,
      desc(guidelineVersions.effectiveDate),
      desc(guidelineVersions.id),
    );
}

export async function findVersion(db: Db, id: number): Promise<GuidelineVersionRow | undefined> {
  const [row] = await db.select().from(guidelineVersions).where(eq(guidelineVersions.id, id));
  return row;
}

export async function findVersionSummary(db: Db, id: number): Promise<GuidelineVersionSummary | undefined> {
  const [row] = await summaryQuery(db).where(eq(guidelineVersions.id, id));
  return row;
}

/** Locks a version row for the rest of the transaction. */
export async function lockVersion(db: Db, id: number): Promise<GuidelineVersionRow | undefined> {
  const [row] = await db.select().from(guidelineVersions).where(eq(guidelineVersions.id, id)).for("update");
  return row;
}

export async function countVersions(db: Db): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(guidelineVersions);
  return row?.n ?? 0;
}

export async function insertVersion(
  db: Db,
  values: typeof guidelineVersions.$inferInsert,
): Promise<GuidelineVersionRow> {
  const [row] = await db.insert(guidelineVersions).values(values).returning();
  if (!row) throw new Error("insert guideline version returned nothing");
  return row;
}

export async function updateVersion(
  db: Db,
  id: number,
  values: Partial<typeof guidelineVersions.$inferInsert>,
): Promise<GuidelineVersionRow | undefined> {
  const [row] = await db
    .update(guidelineVersions)
    .set(values)
    .where(eq(guidelineVersions.id, id))
    .returning();
  return row;
}

export async function deleteDraftVersion(db: Db, id: number): Promise<void> {
  await db
    .delete(guidelineVersions)
    .where(and(eq(guidelineVersions.id, id), eq(guidelineVersions.status, "draft")));
}

/** What identifies the version in force on a day, without reading its pack: `digest` changes with the pack. */
export type VersionRef = {
  id: number;
  label: string;
  effectiveDate: string;
  source: string | null;
  digest: string;
};

/** The published version in force on `date` (latest effective on or before it), or undefined. */
export async function versionInForce(db: Db, date: string): Promise<VersionRef | undefined> {
  const [row] = await db
    .select({
      id: guidelineVersions.id,
      label: guidelineVersions.label,
      effectiveDate: guidelineVersions.effectiveDate,
      source: sql<string | null>`${guidelineVersions.pack}->>'source'`,
      digest: sql<string>`md5(${guidelineVersions.pack}::text)`,
    })
    .from(guidelineVersions)
    .where(and(eq(guidelineVersions.status, "published"), lte(guidelineVersions.effectiveDate, date)))
    .orderBy(desc(guidelineVersions.effectiveDate), desc(guidelineVersions.id))
    .limit(1);
  return row;
}

/** The newest published version (the one staff must acknowledge, even before it takes effect). */
export async function newestPublished(db: Db): Promise<GuidelineVersionSummary | undefined> {
  const [row] = await summaryQuery(db)
    .where(eq(guidelineVersions.status, "published"))
    .orderBy(desc(guidelineVersions.effectiveDate), desc(guidelineVersions.id))
    .limit(1);
  return row;
}

/**
 * The published version before `version` (by effective date, then id): the base of what it
 * changed. For a draft, the newest published version.
 */
export async function publishedBefore(
  db: Db,
  version: { id: number; status: string },
): Promise<GuidelineVersionRow | undefined> {
  const rows = await db
    .select({ id: guidelineVersions.id })
    .from(guidelineVersions)
    .where(eq(guidelineVersions.status, "published"))
    .orderBy(desc(guidelineVersions.effectiveDate), desc(guidelineVersions.id));
  const index = version.status === "published" ? rows.findIndex((r) => r.id === version.id) + 1 : 0;
  const previous = index > 0 || version.status !== "published" ? rows[index] : undefined;
  return previous ? findVersion(db, previous.id) : undefined;
}

/**
 * A version's reminder setting read straight from its stored pack (no need to load the whole
 * pack for a dashboard): where its rules come from and `acknowledgementReminderDays` if set.
 */
export async function reminderSetting(
  db: Db,
  versionId: number,
): Promise<{ source: string | null; days: number | null } | undefined> {
  const [row] = await db
    .select({
      source: sql<string | null>`${guidelineVersions.pack}->>'source'`,
      days: sql<
        number | null
      >`(${guidelineVersions.pack}->'guideline'->'deadlines'->>'acknowledgementReminderDays')::int`,
    })
    .from(guidelineVersions)
    .where(eq(guidelineVersions.id, versionId));
  return row;
}

/** Whether the person has acknowledged any published version before. */
export async function hasAcknowledgedAny(db: Db, staffId: number): Promise<boolean> {
  const rows = await db
    .select({ id: guidelineAcknowledgements.versionId })
    .from(guidelineAcknowledgements)
    .where(eq(guidelineAcknowledgements.staffId, staffId))
    .limit(1);
  return rows.length > 0;
}

// Acknowledgements (8.2)

/** Records an acknowledgement; false when the person had already acknowledged the version. */
export async function insertAcknowledgement(
  db: Db,
  values: { versionId: number; staffId: number; at: Date },
): Promise<boolean> {
  const rows = await db
    .insert(guidelineAcknowledgements)
    .values(values)
    .onConflictDoNothing()
    .returning({ staffId: guidelineAcknowledgements.staffId });
  return rows.length > 0;
}

export async function acknowledgementOf(
  db: Db,
  versionId: number,
  staffId: number,
): Promise<{ at: Date } | undefined> {
  const [row] = await db
    .select({ at: guidelineAcknowledgements.at })
    .from(guidelineAcknowledgements)
    .where(
      and(eq(guidelineAcknowledgements.versionId, versionId), eq(guidelineAcknowledgements.staffId, staffId)),
    );
  return row;
}

/** Who has acknowledged a version. */
export async function acknowledgedStaffIds(db: Db, versionId: number): Promise<Set<number>> {
  const rows = await db
    .select({ staffId: guidelineAcknowledgements.staffId })
    .from(guidelineAcknowledgements)
    .where(eq(guidelineAcknowledgements.versionId, versionId));
  return new Set(rows.map((r) => r.staffId));
}

/** The newest published version a person has acknowledged (the base of "what changed since"). */
export async function lastAcknowledgedVersion(
  db: Db,
  staffId: number,
  options: { exceptVersionId?: number } = {},
): Promise<(GuidelineVersionRow & { acknowledgedAt: Date }) | undefined> {
  const [row] = await db
    .select({ version: guidelineVersions, at: guidelineAcknowledgements.at })
    .from(guidelineAcknowledgements)
    .innerJoin(guidelineVersions, eq(guidelineVersions.id, guidelineAcknowledgements.versionId))
    .where(
      and(
        eq(guidelineAcknowledgements.staffId, staffId),
        eq(guidelineVersions.status, "published"),
        options.exceptVersionId === undefined ? undefined : ne(guidelineVersions.id, options.exceptVersionId),
      ),
    )
    .orderBy(desc(guidelineVersions.effectiveDate), desc(guidelineVersions.id))
    .limit(1);
  return row ? { ...row.version, acknowledgedAt: row.at } : undefined;
}

/**
 * Everyone who must acknowledge the guideline (8.2) in `scope`: `all_staff`, every active member
 * of staff; `account_divisions`, the staff of divisions that hold or apply for an account (any
 * status but rejected or closed) and everyone holding a guideline role — a department or division
 * head by position (4.1.2, 4.1.4), any assigned role, or named on the operator list of such an
 * account (3, 4.1.3). The setup department 「（初期設定用の部）」 is never counted. Ordered by
 * department code, then employee number. With `staffId`, only that person (empty when not required).
 */
export async function requiredPeople(
  db: Db,
  options: { staffId?: number; scope: AckScope },
): Promise<RequiredPerson[]> {
  const inAccountDivision = sql`exists (
    select 1 from accounts a where a.division_id = ${staff.divisionId} and a.status not in ('rejected', 'closed')
  )`;
  const holdsRole = sql`(
    ${positions.headOf} = 'department'
    or (${positions.headOf} = 'division' and ${staff.divisionId} is not null)
    or exists (select 1 from role_assignments ra where ra.staff_id = ${staff.id} and ra.status = 'active')
    or exists (
      select 1 from account_operators ao join accounts a on a.id = ao.account_id
      where ao.staff_id = ${staff.id} and a.status not in ('rejected', 'closed')
    )
  )`;
  return db
    .select({
      staffId: staff.id,
      name: staff.name,
      employeeNo: staff.employeeNo,
      departmentId: staff.departmentId,
      departmentName: departments.name,
      divisionName: divisions.name,
      positionName: positions.name,
    })
    .from(staff)
    .innerJoin(departments, eq(departments.id, staff.departmentId))
    .leftJoin(divisions, eq(divisions.id, staff.divisionId))
    .innerJoin(positions, eq(positions.id, staff.positionId))
    .where(
      and(
        eq(staff.active, true),
        ne(departments.code, SETUP_DEPARTMENT_CODE),
        options.scope === "all_staff" ? undefined : or(inAccountDivision, holdsRole),
        options.staffId === undefined ? undefined : eq(staff.id, options.staffId),
      ),
    )
    .orderBy(asc(departments.code), asc(staff.employeeNo));
}

// Reminder tasks (kind guideline_ack)

export const ACK_TASK_KIND = "guideline_ack";

/** People who already have a reminder task (open or closed) for this version. */
export async function remindedStaffIds(db: Db, versionId: number): Promise<Set<number>> {
  const rows = await db
    .select({ staffId: tasks.assigneeId })
    .from(tasks)
    .where(and(eq(tasks.kind, ACK_TASK_KIND), sql`(${tasks.cause}->>'versionId')::int = ${versionId}`));
  return new Set(rows.flatMap((r) => (r.staffId === null ? [] : [r.staffId])));
}

/** Whether the person has an open reminder task (the tasks board lists it; the feature does not repeat it). */
export async function hasOpenAckTask(db: Db, staffId: number): Promise<boolean> {
  const rows = await db
    .select({ id: tasks.id })
    .from(tasks)
    .where(and(eq(tasks.kind, ACK_TASK_KIND), eq(tasks.assigneeId, staffId), eq(tasks.status, "open")))
    .limit(1);
  return rows.length > 0;
}

/** Closes a person's open reminder tasks (they have acknowledged); returns their ids. */
export async function closeAckTasks(db: Db, staffId: number, at: Date): Promise<number[]> {
  const rows = await db
    .update(tasks)
    .set({ status: "done", doneAt: at, doneBy: staffId, resolution: { acknowledged: true } })
    .where(and(eq(tasks.kind, ACK_TASK_KIND), eq(tasks.assigneeId, staffId), eq(tasks.status, "open")))
    .returning({ id: tasks.id });
  return rows.map((r) => r.id);
}

/** Opens one reminder task per person. */
export async function openAckTasks(
  db: Db,
  values: { staffIds: readonly number[]; versionId: number; title: string; dueDate: string; at: Date },
): Promise<number> {
  if (values.staffIds.length === 0) return 0;
  const rows = await db
    .insert(tasks)
    .values(
      values.staffIds.map((staffId) => ({
        kind: ACK_TASK_KIND,
        accountId: null,
        assigneeId: staffId,
        title: values.title,
        clause: "8.2",
        dueDate: values.dueDate,
        cause: { versionId: values.versionId },
        openedAt: values.at,
      })),
    )
    .returning({ id: tasks.id });
  return rows.length;
}
