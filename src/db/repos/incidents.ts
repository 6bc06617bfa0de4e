/**
 * SQL for incidents (7): the incident with its account and the people it names, its playbook
 * steps, its timeline, attachments, fake accounts (7.3), a hijacked account (乗っ取り, 7.3(1)) and
 * contacts (7.3.2); the lists the
 * pages, the dashboard, the public pages (warnings and notices) and the reminders read.
 */
import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, or, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import {
  type IncidentSeverity,
  type IncidentStatus,
  type IncidentType,
  isIncidentSeverity,
  isIncidentStatus,
  isIncidentType,
} from "../../domain/incidents.ts";
import type { Db } from "../client.ts";
import {
  accountHijacks,
  accounts,
  divisions,
  impersonations,
  incidentAttachments,
  incidentContacts,
  incidentEvents,
  incidentSteps,
  incidents,
  posts,
  staff,
  tasks,
} from "../schema.ts";

type IncidentRow = typeof incidents.$inferSelect;

/** An incident with its type, severity and status as their domain types. */
export type Incident = Omit<IncidentRow, "type" | "severity" | "status"> & {
  type: IncidentType;
  severity: IncidentSeverity;
  status: IncidentStatus;
};

/** An incident with the names its pages show. */
export type IncidentView = Incident & {
  accountName: string | null;
  accountPlatform: string | null;
  accountHandle: string | null;
  accountUrl: string | null;
  accountHomepageUrl: string | null;
  accountStatus: string | null;
  accountDivisionId: number | null;
  accountDivisionName: string | null;
  accountDepartmentId: number | null;
  accountManagerId: number | null;
  reporterName: string | null;
  managerName: string | null;
  closedByName: string | null;
};

function toIncident(row: IncidentRow): Incident {
  return {
    ...row,
    type: isIncidentType(row.type) ? row.type : "complaint",
    severity: isIncidentSeverity(row.severity) ? row.severity : "medium",
    status: isIncidentStatus(row.status) ? row.status : "responding",
  };
}

const reporter = alias(staff, "reporter");
const manager = alias(staff, "manager");
const closer = alias(staff, "closer");

function viewQuery(db: Db) {
  return db
    .select({
      incident: incidents,
      accountName: accounts.name,
      accountPlatform: accounts.platform,
      accountHandle: accounts.handle,
      accountUrl: accounts.url,
      accountHomepageUrl: accounts.homepageUrl,
      accountStatus: accounts.status,
      accountDivisionId: accounts.divisionId,
      accountDivisionName: divisions.name,
      accountDepartmentId: divisions.departmentId,
      accountManagerId: accounts.managerId,
      reporterName: reporter.name,
      managerName: manager.name,
      closedByName: closer.name,
    })
    .from(incidents)
    .leftJoin(accounts, eq(accounts.id, incidents.accountId))
    .leftJoin(divisions, eq(divisions.id, accounts.divisionId))
    .leftJoin(reporter, eq(reporter.id, incidents.reportedBy))
    .leftJoin(manager, eq(manager.id, incidents.managerId))
    .leftJoin(closer, eq(closer.id, incidents.closedBy));
}

type ViewRow = Awaited<ReturnType<ReturnType<typeof viewQuery>["where"]>>[number];

function toView(r: ViewRow): IncidentView {
  return {
    ...toIncident(r.incident),
    accountName: r.accountName,
    accountPlatform: r.accountPlatform,
    accountHandle: r.accountHandle,
    accountUrl: r.accountUrl,
    accountHomepageUrl: r.accountHomepageUrl,
    accountStatus: r.accountStatus,
    accountDivisionId: r.accountDivisionId,
    accountDivisionName: r.accountDivisionName,
    accountDepartmentId: r.accountDepartmentId,
    accountManagerId: r.accountManagerId,
    reporterName: r.reporterName,
    managerName: r.managerName,
    closedByName: r.closedByName,
  };
}

export type IncidentValues = Partial<Omit<IncidentRow, "id">>;

export async function insertIncident(
  db: Db,
  values: IncidentValues & { type: IncidentType; title: string; noticedAt: Date },
): Promise<Incident> {
  const [row] = await db.insert(incidents).values(values).returning();
  if (!row) throw new Error("insert incident returned nothing");
  return toIncident(row);
}

export async function findIncidentView(db: Db, id: number): Promise<IncidentView | undefined> {
  const [row] = await viewQuery(db).where(eq(incidents.id, id));
  return row ? toView(row) : undefined;
}

/** Locks the incident row for the rest of the transaction (every action serialises here). */
export async function lockIncident(db: Db, id: number): Promise<Incident | undefined> {
  const [row] = await db.select().from(incidents).where(eq(incidents.id, id)).for("update");
  return row ? toIncident(row) : undefined;
}

export async function updateIncident(
  db: Db,
  id: number,
  values: IncidentValues,
  at: Date,
): Promise<Incident> {
  const [row] = await db
    .update(incidents)
    .set({ ...values, updatedAt: at })
    .where(eq(incidents.id, id))
    .returning();
  if (!row) throw new Error(`incident ${id} vanished`);
  return toIncident(row);
}

/** Who may see which incidents when not all: people it names, and these divisions and departments. */
export type IncidentVisibility = { staffId: number; divisionIds: number[]; departmentIds: number[] };

export type IncidentFilter = {
  statuses?: readonly IncidentStatus[];
  types?: readonly IncidentType[];
  severities?: readonly IncidentSeverity[];
  accountId?: number;
  postId?: number;
  /** null: every incident (the directors, the auditor). */
  visibleTo: IncidentVisibility | null;
  limit?: number;
  offset?: number;
};

function visibility(v: IncidentVisibility): SQL {
  const conditions: SQL[] = [
    eq(incidents.reportedBy, v.staffId),
    eq(incidents.managerId, v.staffId),
    sql`exists (select 1 from ${incidentSteps} where ${incidentSteps.incidentId} = ${incidents.id} and ${incidentSteps.ownerId} = ${v.staffId})`,
  ];
  if (v.divisionIds.length > 0) conditions.push(inArray(accounts.divisionId, v.divisionIds));
  if (v.departmentIds.length > 0) conditions.push(inArray(divisions.departmentId, v.departmentIds));
  return or(...conditions) ?? sql`false`;
}

function filterConditions(filter: IncidentFilter): SQL | undefined {
  const conditions: SQL[] = [];
  if (filter.statuses && filter.statuses.length > 0)
    conditions.push(inArray(incidents.status, [...filter.statuses]));
  if (filter.types && filter.types.length > 0) conditions.push(inArray(incidents.type, [...filter.types]));
  if (filter.severities && filter.severities.length > 0)
    conditions.push(inArray(incidents.severity, [...filter.severities]));
  if (filter.accountId !== undefined) conditions.push(eq(incidents.accountId, filter.accountId));
  if (filter.postId !== undefined) conditions.push(eq(incidents.postId, filter.postId));
  if (filter.visibleTo) conditions.push(visibility(filter.visibleTo));
  return conditions.length > 0 ? and(...conditions) : undefined;
}

/** Open before closed (対応中, 監視中, 終結), then the most severe, then the newest. */
const listOrder = [
  sql`case ${incidents.status} when 'responding' then 0 when 'monitoring' then 1 else 2 end`,
  sql`case ${incidents.severity} when 'critical' then 0 when 'high' then 1 when 'medium' then 2 else 3 end`,
  desc(incidents.createdAt),
  desc(incidents.id),
];

/** Incidents matching the filter, open ones first, with the total count. */
export async function listIncidentViews(
  db: Db,
  filter: IncidentFilter,
): Promise<{ rows: IncidentView[]; total: number }> {
  const where = filterConditions(filter);
  const query = viewQuery(db)
    .where(where)
    .orderBy(...listOrder)
    .limit(filter.limit ?? 50)
    .offset(filter.offset ?? 0);
  const [rows, [count]] = await Promise.all([
    query,
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(incidents)
      .leftJoin(accounts, eq(accounts.id, incidents.accountId))
      .leftJoin(divisions, eq(divisions.id, accounts.divisionId))
      .where(where),
  ]);
  return { rows: rows.map(toView), total: count?.n ?? 0 };
}

// Steps

export type IncidentStep = typeof incidentSteps.$inferSelect;
export type IncidentStepView = IncidentStep & { ownerName: string | null; doneByName: string | null };

const owner = alias(staff, "owner");
const doer = alias(staff, "doer");

export async function insertSteps(db: Db, rows: Array<typeof incidentSteps.$inferInsert>): Promise<void> {
  if (rows.length > 0) await db.insert(incidentSteps).values(rows);
}

export async function listSteps(db: Db, incidentId: number): Promise<IncidentStepView[]> {
  const rows = await db
    .select({ step: incidentSteps, ownerName: owner.name, doneByName: doer.name })
    .from(incidentSteps)
    .leftJoin(owner, eq(owner.id, incidentSteps.ownerId))
    .leftJoin(doer, eq(doer.id, incidentSteps.doneBy))
    .where(eq(incidentSteps.incidentId, incidentId))
    .orderBy(asc(incidentSteps.position), asc(incidentSteps.id));
  return rows.map((r) => ({ ...r.step, ownerName: r.ownerName, doneByName: r.doneByName }));
}

export async function findStep(
  db: Db,
  incidentId: number,
  stepId: number,
): Promise<IncidentStep | undefined> {
  const [row] = await db
    .select()
    .from(incidentSteps)
    .where(and(eq(incidentSteps.incidentId, incidentId), eq(incidentSteps.id, stepId)));
  return row;
}

export async function findStepByKey(
  db: Db,
  incidentId: number,
  key: string,
): Promise<IncidentStep | undefined> {
  const [row] = await db
    .select()
    .from(incidentSteps)
    .where(and(eq(incidentSteps.incidentId, incidentId), eq(incidentSteps.stepKey, key)));
  return row;
}

export async function updateStep(
  db: Db,
  id: number,
  values: Partial<Omit<IncidentStep, "id" | "incidentId" | "stepKey">>,
): Promise<IncidentStep> {
  const [row] = await db.update(incidentSteps).set(values).where(eq(incidentSteps.id, id)).returning();
  if (!row) throw new Error(`incident step ${id} vanished`);
  return row;
}

/**
 * The steps of the incident the person owns: any at all (the incident names them), and any a
 * responder gave them (7: the people the account manager or the policy director assign), as
 * opposed to a step the playbook gave the reporter at the report.
 */
export async function stepOwnership(
  db: Db,
  incidentId: number,
  staffId: number,
): Promise<{ owns: boolean; assigned: boolean }> {
  const [row] = await db
    .select({
      owns: sql<number>`count(*)::int`,
      assigned: sql<number>`count(${incidentSteps.assignedAt})::int`,
    })
    .from(incidentSteps)
    .where(and(eq(incidentSteps.incidentId, incidentId), eq(incidentSteps.ownerId, staffId)));
  return { owns: (row?.owns ?? 0) > 0, assigned: (row?.assigned ?? 0) > 0 };
}

// Timeline

export type IncidentEvent = typeof incidentEvents.$inferSelect & { actorName: string | null };

export async function insertIncidentEvent(
  db: Db,
  values: {
    incidentId: number;
    kind: string;
    note?: string;
    data?: unknown;
    actorId: number | null;
    at: Date;
  },
): Promise<void> {
  await db.insert(incidentEvents).values({
    incidentId: values.incidentId,
    kind: values.kind,
    note: values.note ?? "",
    data: values.data ?? null,
    actorId: values.actorId,
    at: values.at,
  });
}

export async function listIncidentEvents(db: Db, incidentId: number): Promise<IncidentEvent[]> {
  const rows = await db
    .select({ event: incidentEvents, actorName: staff.name })
    .from(incidentEvents)
    .leftJoin(staff, eq(staff.id, incidentEvents.actorId))
    .where(eq(incidentEvents.incidentId, incidentId))
    .orderBy(asc(incidentEvents.at), asc(incidentEvents.id));
  return rows.map((r) => ({ ...r.event, actorName: r.actorName }));
}

/** The latest event of one of these kinds, when there is one. */
export async function latestEvent(
  db: Db,
  incidentId: number,
  kinds: readonly string[],
): Promise<IncidentEvent | undefined> {
  const [row] = await db
    .select({ event: incidentEvents, actorName: staff.name })
    .from(incidentEvents)
    .leftJoin(staff, eq(staff.id, incidentEvents.actorId))
    .where(and(eq(incidentEvents.incidentId, incidentId), inArray(incidentEvents.kind, [...kinds])))
    .orderBy(desc(incidentEvents.at), desc(incidentEvents.id))
    .limit(1);
  return row ? { ...row.event, actorName: row.actorName } : undefined;
}

// Attachments

export type AttachmentInfo = Omit<typeof incidentAttachments.$inferSelect, "bytes"> & {
  uploadedByName: string | null;
};

const attachmentInfo = {
  id: incidentAttachments.id,
  incidentId: incidentAttachments.incidentId,
  filename: incidentAttachments.filename,
  contentType: incidentAttachments.contentType,
  size: incidentAttachments.size,
  description: incidentAttachments.description,
  uploadedBy: incidentAttachments.uploadedBy,
  createdAt: incidentAttachments.createdAt,
  uploadedByName: staff.name,
};

export async function insertAttachment(
  db: Db,
  values: typeof incidentAttachments.$inferInsert,
): Promise<{ id: number }> {
  const [row] = await db.insert(incidentAttachments).values(values).returning({ id: incidentAttachments.id });
  if (!row) throw new Error("insert attachment returned nothing");
  return row;
}

export async function listAttachments(db: Db, incidentId: number): Promise<AttachmentInfo[]> {
  return db
    .select(attachmentInfo)
    .from(incidentAttachments)
    .leftJoin(staff, eq(staff.id, incidentAttachments.uploadedBy))
    .where(eq(incidentAttachments.incidentId, incidentId))
    .orderBy(asc(incidentAttachments.id));
}

/** One attachment with its bytes. */
export async function findAttachment(db: Db, incidentId: number, id: number) {
  const [row] = await db
    .select()
    .from(incidentAttachments)
    .where(and(eq(incidentAttachments.incidentId, incidentId), eq(incidentAttachments.id, id)));
  return row;
}

// Impersonations (7.3)

export type Impersonation = typeof impersonations.$inferSelect;

export async function insertImpersonation(
  db: Db,
  values: typeof impersonations.$inferInsert,
): Promise<Impersonation> {
  const [row] = await db.insert(impersonations).values(values).returning();
  if (!row) throw new Error("insert impersonation returned nothing");
  return row;
}

export async function listImpersonations(db: Db, incidentId: number): Promise<Impersonation[]> {
  return db
    .select()
    .from(impersonations)
    .where(eq(impersonations.incidentId, incidentId))
    .orderBy(asc(impersonations.id));
}

export async function lockImpersonation(
  db: Db,
  incidentId: number,
  id: number,
): Promise<Impersonation | undefined> {
  const [row] = await db
    .select()
    .from(impersonations)
    .where(and(eq(impersonations.incidentId, incidentId), eq(impersonations.id, id)))
    .for("update");
  return row;
}

export async function updateImpersonation(
  db: Db,
  id: number,
  values: Partial<Omit<Impersonation, "id" | "incidentId">>,
): Promise<Impersonation> {
  const [row] = await db.update(impersonations).set(values).where(eq(impersonations.id, id)).returning();
  if (!row) throw new Error(`impersonation ${id} vanished`);
  return row;
}

/** Fake accounts whose warning has been published (7.3.1): the verification page knows them. */
export async function listKnownImpersonations(db: Db): Promise<Impersonation[]> {
  return db
    .select()
    .from(impersonations)
    .where(isNotNull(impersonations.warningPublishedAt))
    .orderBy(asc(impersonations.id));
}

/** Warnings on the public notices page at `now`: published and not yet ended. */
export async function listShownWarnings(db: Db, now: Date): Promise<Impersonation[]> {
  return db
    .select()
    .from(impersonations)
    .where(
      and(
        isNotNull(impersonations.warningPublishedAt),
        sql`${impersonations.warningPublishedAt} <= ${now}`,
        or(isNull(impersonations.warningEndsAt), sql`${impersonations.warningEndsAt} > ${now}`),
      ),
    )
    .orderBy(desc(impersonations.warningPublishedAt), desc(impersonations.id));
}

// Contacts (7.3.2)

export type IncidentContact = typeof incidentContacts.$inferSelect & { recordedByName: string | null };

export async function insertContact(db: Db, values: typeof incidentContacts.$inferInsert): Promise<void> {
  await db.insert(incidentContacts).values(values);
}

export async function listContacts(db: Db, incidentId: number): Promise<IncidentContact[]> {
  const rows = await db
    .select({ contact: incidentContacts, recordedByName: staff.name })
    .from(incidentContacts)
    .leftJoin(staff, eq(staff.id, incidentContacts.recordedBy))
    .where(eq(incidentContacts.incidentId, incidentId))
    .orderBy(asc(incidentContacts.contactedAt), asc(incidentContacts.id));
  return rows.map((r) => ({ ...r.contact, recordedByName: r.recordedByName }));
}

// Posts drafted from an incident (linked through the timeline's `post_drafted` entries)

const draftedPostId = sql<number>`(${incidentEvents.data}->>'postId')::int`;

export type LinkedPost = {
  postId: number;
  draftKind: string;
  status: string;
  accountId: number;
  accountName: string;
  text: string;
  publishedAt: Date | null;
  publishedUrl: string | null;
};

/** Posts drafted from the incident, oldest first, with their current state. */
export async function listLinkedPosts(db: Db, incidentId: number): Promise<LinkedPost[]> {
  return db
    .select({
      postId: posts.id,
      draftKind: sql<string>`coalesce(${incidentEvents.data}->>'draftKind', '')`,
      status: posts.status,
      accountId: posts.accountId,
      accountName: accounts.name,
      text: posts.text,
      publishedAt: posts.publishedAt,
      publishedUrl: posts.publishedUrl,
    })
    .from(incidentEvents)
    .innerJoin(posts, eq(posts.id, draftedPostId))
    .innerJoin(accounts, eq(accounts.id, posts.accountId))
    .where(and(eq(incidentEvents.incidentId, incidentId), eq(incidentEvents.kind, "post_drafted")))
    .orderBy(asc(incidentEvents.id));
}

/**
 * Open incidents with no public statement recorded whose drafted post has been published, with
 * the first publication (7.2.3: that post is the statement).
 */
export async function statementsPublished(
  db: Db,
): Promise<Array<{ incidentId: number; postId: number; publishedAt: Date }>> {
  const rows = await db
    .select({ incidentId: incidents.id, postId: posts.id, publishedAt: posts.publishedAt })
    .from(incidents)
    .innerJoin(
      incidentEvents,
      and(eq(incidentEvents.incidentId, incidents.id), eq(incidentEvents.kind, "post_drafted")),
    )
    .innerJoin(posts, eq(posts.id, draftedPostId))
    .where(
      and(
        isNull(incidents.publicStatementAt),
        inArray(incidents.status, ["responding", "monitoring"]),
        isNotNull(posts.publishedAt),
      ),
    )
    .orderBy(asc(incidents.id), asc(posts.publishedAt));
  const first = new Map<number, { incidentId: number; postId: number; publishedAt: Date }>();
  for (const r of rows) {
    if (r.publishedAt && !first.has(r.incidentId))
      first.set(r.incidentId, { incidentId: r.incidentId, postId: r.postId, publishedAt: r.publishedAt });
  }
  return [...first.values()];
}

/** Open incidents of these types without a public statement, reported at or before `before`. */
export async function awaitingStatement(
  db: Db,
  types: readonly IncidentType[],
  before: Date,
): Promise<Incident[]> {
  const rows = await db
    .select()
    .from(incidents)
    .where(
      and(
        inArray(incidents.type, [...types]),
        inArray(incidents.status, ["responding", "monitoring"]),
        isNull(incidents.publicStatementAt),
        sql`${incidents.createdAt} <= ${before}`,
      ),
    )
    .orderBy(asc(incidents.id));
  return rows.map(toIncident);
}

/** Locks an incident for a background job, skipping it when another instance holds it. */
export async function lockIncidentSkipLocked(db: Db, id: number): Promise<Incident | undefined> {
  const [row] = await db
    .select()
    .from(incidents)
    .where(eq(incidents.id, id))
    .for("update", { skipLocked: true });
  return row ? toIncident(row) : undefined;
}

// Public notices of 7.4 (正しい情報を市公式ホームページで周知)

export type PublishedNotice = {
  incidentId: number;
  title: string;
  text: string;
  publishedAt: Date;
  until: string | null;
  accountId: number | null;
};

/**
 * Incidents whose latest notice entry is a publication (not withdrawn): the notice's title, text,
 * when it was published and its last day.
 */
export async function listPublishedNotices(db: Db): Promise<PublishedNotice[]> {
  const latest = await db
    .selectDistinctOn([incidentEvents.incidentId], {
      incidentId: incidentEvents.incidentId,
      kind: incidentEvents.kind,
      data: incidentEvents.data,
      at: incidentEvents.at,
      accountId: incidents.accountId,
    })
    .from(incidentEvents)
    .innerJoin(incidents, eq(incidents.id, incidentEvents.incidentId))
    .where(inArray(incidentEvents.kind, ["notice_published", "notice_withdrawn"]))
    .orderBy(incidentEvents.incidentId, desc(incidentEvents.at), desc(incidentEvents.id));
  const out: PublishedNotice[] = [];
  for (const row of latest) {
    if (row.kind !== "notice_published") continue;
    const data = row.data;
    if (typeof data !== "object" || data === null) continue;
    const title = "title" in data && typeof data.title === "string" ? data.title : "";
    const text = "text" in data && typeof data.text === "string" ? data.text : "";
    const until = "until" in data && typeof data.until === "string" ? data.until : null;
    out.push({
      incidentId: row.incidentId,
      title,
      text,
      publishedAt: row.at,
      until,
      accountId: row.accountId,
    });
  }
  return out.sort((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime());
}

// Tasks opened for an incident (the `tasks` table; `cause.incidentId` names the incident)

const taskIncidentId = sql<number>`(${tasks.cause}->>'incidentId')::int`;

/** Open tasks of these kinds opened for the incident. */
export async function openIncidentTasks(
  db: Db,
  incidentId: number,
  kinds: readonly string[],
): Promise<Array<{ id: number; kind: string; assigneeId: number | null }>> {
  return db
    .select({ id: tasks.id, kind: tasks.kind, assigneeId: tasks.assigneeId })
    .from(tasks)
    .where(
      and(inArray(tasks.kind, [...kinds]), eq(tasks.status, "open"), sql`${taskIncidentId} = ${incidentId}`),
    )
    .orderBy(asc(tasks.id));
}

/** Whether a task of this kind was ever opened for the incident (open, done or cancelled). */
export async function hasIncidentTask(db: Db, incidentId: number, kind: string): Promise<boolean> {
  const [row] = await db
    .select({ id: tasks.id })
    .from(tasks)
    .where(and(eq(tasks.kind, kind), sql`${taskIncidentId} = ${incidentId}`))
    .limit(1);
  return row !== undefined;
}

// ─── 乗っ取り (7.3(1)) ─────────────────────────────────────────────────────────────────────

export type AccountHijack = typeof accountHijacks.$inferSelect;

export async function insertHijack(
  db: Db,
  values: typeof accountHijacks.$inferInsert,
): Promise<AccountHijack> {
  const [row] = await db.insert(accountHijacks).values(values).returning();
  if (!row) throw new Error("insert account hijack returned nothing");
  return row;
}

/** The hijack record of an incident. */
export async function findHijack(db: Db, incidentId: number): Promise<AccountHijack | undefined> {
  const [row] = await db.select().from(accountHijacks).where(eq(accountHijacks.incidentId, incidentId));
  return row;
}

/** The hijack record of an incident, locked for update. */
export async function lockHijack(db: Db, incidentId: number): Promise<AccountHijack | undefined> {
  const [row] = await db
    .select()
    .from(accountHijacks)
    .where(eq(accountHijacks.incidentId, incidentId))
    .for("update");
  return row;
}

export async function updateHijack(
  db: Db,
  id: number,
  values: Partial<Omit<AccountHijack, "id" | "incidentId" | "accountId">>,
): Promise<AccountHijack> {
  const [row] = await db.update(accountHijacks).set(values).where(eq(accountHijacks.id, id)).returning();
  if (!row) throw new Error(`account hijack ${id} vanished`);
  return row;
}

/** Accounts whose marking is on the public pages: published and not recovered. */
export async function listMarkedHijacks(db: Db): Promise<AccountHijack[]> {
  return db
    .select()
    .from(accountHijacks)
    .where(and(isNotNull(accountHijacks.markingPublishedAt), isNull(accountHijacks.recoveredAt)))
    .orderBy(desc(accountHijacks.markingPublishedAt), desc(accountHijacks.id));
}

/** Hijacks whose marking was public and whose recovery was recorded since `after`, newest first. */
export async function listRecoveredHijacks(db: Db, after: Date): Promise<AccountHijack[]> {
  return db
    .select()
    .from(accountHijacks)
    .where(and(isNotNull(accountHijacks.markingPublishedAt), gte(accountHijacks.recoveredAt, after)))
    .orderBy(desc(accountHijacks.recoveredAt), desc(accountHijacks.id));
}

/** The account's hijack record that is not recovered, on an incident not closed, if any. */
export async function findOpenHijackOf(db: Db, accountId: number): Promise<AccountHijack | undefined> {
  const [row] = await db
    .select({ hijack: accountHijacks })
    .from(accountHijacks)
    .innerJoin(incidents, eq(incidents.id, accountHijacks.incidentId))
    .where(
      and(
        eq(accountHijacks.accountId, accountId),
        isNull(accountHijacks.recoveredAt),
        sql`${incidents.status} <> 'closed'`,
      ),
    )
    .limit(1);
  return row?.hijack;
}
