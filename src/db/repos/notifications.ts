/**
 * SQL for notifications: writing them (once per recipient and dedupe key), a person's inbox and
 * unread count, their e-mail preferences, claiming rows for e-mail (immediate and the daily
 * digest) so that several instances never send one twice, personal calendar-feed tokens, and the
 * read-only queries behind the reminder job and the calendar feed, which look at the tables of
 * every feature: tasks, posts, notices, guideline acknowledgements and incidents.
 */
import { and, asc, count, desc, eq, gt, inArray, isNull, lte, type SQL, sql } from "drizzle-orm";
import type { Db } from "../client.ts";
import {
  accountNotices,
  accounts,
  calendarTokens,
  divisions,
  incidentSteps,
  incidents,
  notificationPreferences,
  notifications,
  posts,
  staff,
  tasks,
} from "../schema.ts";

export type NotificationRow = typeof notifications.$inferSelect;

/** Rows to insert; a row whose (recipient, dedupe key) exists already is skipped. */
export type NewNotification = {
  recipientId: number;
  kind: string;
  title: string;
  body: string;
  href: string;
  urgent: boolean;
  dedupeKey: string | null;
  createdAt: Date;
};

/** Inserts notifications, skipping duplicates by (recipient, dedupe key); returns what was written. */
export async function insertNotifications(
  db: Db,
  rows: readonly NewNotification[],
): Promise<Array<{ id: number; recipientId: number }>> {
  if (rows.length === 0) return [];
  return db
    .insert(notifications)
    .values([...rows])
    .onConflictDoNothing({ target: [notifications.recipientId, notifications.dedupeKey] })
    .returning({ id: notifications.id, recipientId: notifications.recipientId });
}

/** The active people among `ids`. */
export async function activeStaffIds(db: Db, ids: readonly number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ id: staff.id })
    .from(staff)
    .where(and(inArray(staff.id, [...ids]), eq(staff.active, true)));
  return rows.map((r) => r.id);
}

/** Which of these dedupe keys already have a notification (as `recipientId:key`). */
export async function existingDedupeKeys(db: Db, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db
    .select({ recipientId: notifications.recipientId, key: notifications.dedupeKey })
    .from(notifications)
    .where(inArray(notifications.dedupeKey, [...new Set(keys)]));
  return new Set(rows.map((r) => `${r.recipientId}:${r.key}`));
}

// ─── Inbox ────────────────────────────────────────────────────────────────────────────────

/**
 * Unread notifications of a person, counted up to `cap` (the header shows "99+"): one query on
 * the recipient index.
 */
export async function countUnread(db: Db, staffId: number, cap = 100): Promise<number> {
  const limited = db
    .select({ one: sql`1`.as("one") })
    .from(notifications)
    .where(and(eq(notifications.recipientId, staffId), isNull(notifications.readAt)))
    .limit(cap)
    .as("limited");
  const [row] = await db.select({ n: count() }).from(limited);
  return row?.n ?? 0;
}

/**
 * Unread among a person's newest `window` notifications: the header's count, one scan of at most
 * `window` entries of the recipient index whatever the person's history (the list page counts all).
 */
export async function countRecentUnread(db: Db, staffId: number, window = 200): Promise<number> {
  const recent = db
    .select({ readAt: notifications.readAt })
    .from(notifications)
    .where(eq(notifications.recipientId, staffId))
    .orderBy(desc(notifications.createdAt))
    .limit(window)
    .as("recent");
  const [row] = await db.select({ n: count() }).from(recent).where(isNull(recent.readAt));
  return row?.n ?? 0;
}

/** A page of a person's notifications, newest first, with the total. */
export async function listNotifications(
  db: Db,
  staffId: number,
  options: { unreadOnly: boolean; limit: number; offset: number },
): Promise<{ items: NotificationRow[]; total: number }> {
  const where = and(
    eq(notifications.recipientId, staffId),
    options.unreadOnly ? isNull(notifications.readAt) : undefined,
  );
  const [items, totals] = await Promise.all([
    db
      .select()
      .from(notifications)
      .where(where)
      .orderBy(desc(notifications.createdAt), desc(notifications.id))
      .limit(options.limit)
      .offset(options.offset),
    db.select({ n: count() }).from(notifications).where(where),
  ]);
  return { items, total: totals[0]?.n ?? 0 };
}

export async function findNotification(db: Db, id: number): Promise<NotificationRow | undefined> {
  const [row] = await db.select().from(notifications).where(eq(notifications.id, id));
  return row;
}

/** Marks one notification of a person read; false when it was read already (or is not theirs). */
export async function markRead(db: Db, staffId: number, id: number, at: Date): Promise<boolean> {
  const rows = await db
    .update(notifications)
    .set({ readAt: at })
    .where(
      and(eq(notifications.id, id), eq(notifications.recipientId, staffId), isNull(notifications.readAt)),
    )
    .returning({ id: notifications.id });
  return rows.length > 0;
}

/** Marks every unread notification of a person read; returns how many. */
export async function markAllRead(db: Db, staffId: number, at: Date): Promise<number> {
  const rows = await db
    .update(notifications)
    .set({ readAt: at })
    .where(and(eq(notifications.recipientId, staffId), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  return rows.length;
}

// ─── Preferences ──────────────────────────────────────────────────────────────────────────

/** A person's chosen mode per kind (kinds not listed use the kind's default). */
export async function preferencesOf(db: Db, staffId: number): Promise<Map<string, string>> {
  const rows = await db
    .select({ kind: notificationPreferences.kind, mode: notificationPreferences.mode })
    .from(notificationPreferences)
    .where(eq(notificationPreferences.staffId, staffId));
  return new Map(rows.map((r) => [r.kind, r.mode]));
}

/** Sets a person's mode for one kind. */
export async function putPreference(db: Db, staffId: number, kind: string, mode: string): Promise<void> {
  await db
    .insert(notificationPreferences)
    .values({ staffId, kind, mode })
    .onConflictDoUpdate({
      target: [notificationPreferences.staffId, notificationPreferences.kind],
      set: { mode },
    });
}

// ─── E-mail delivery ──────────────────────────────────────────────────────────────────────

/** A notification waiting to be e-mailed, with its recipient and their preference for its kind. */
export type PendingEmail = {
  id: number;
  recipientId: number;
  kind: string;
  title: string;
  body: string;
  href: string;
  urgent: boolean;
  createdAt: Date;
  readAt: Date | null;
  name: string;
  email: string;
  active: boolean;
  preference: string | null;
};

function pendingQuery(db: Db) {
  return db
    .select({
      id: notifications.id,
      recipientId: notifications.recipientId,
      kind: notifications.kind,
      title: notifications.title,
      body: notifications.body,
      href: notifications.href,
      urgent: notifications.urgent,
      createdAt: notifications.createdAt,
      readAt: notifications.readAt,
      name: staff.name,
      email: staff.email,
      active: staff.active,
      preference: notificationPreferences.mode,
    })
    .from(notifications)
    .innerJoin(staff, eq(staff.id, notifications.recipientId))
    .leftJoin(
      notificationPreferences,
      and(
        eq(notificationPreferences.staffId, notifications.recipientId),
        eq(notificationPreferences.kind, notifications.kind),
      ),
    );
}

/** Which e-mail a person wants for each kind when they have not chosen (see app/notifications/kinds.ts). */
export type ModeDefaults = {
  byKind: ReadonlyMap<string, string>;
  otherwise: string;
  alwaysUrgent: readonly string[];
};

/** The delivery mode of a row in SQL: urgent rows are immediate, else the preference or the kind's default. */
function modeSql(defaults: ModeDefaults): SQL {
  const cases = [...defaults.byKind].map(([kind, mode]) => sql`when ${kind} then ${mode}`);
  const fallback =
    cases.length > 0
      ? sql`case ${notifications.kind} ${sql.join(cases, sql` `)} else ${defaults.otherwise} end`
      : sql`${defaults.otherwise}`;
  const urgentKinds =
    defaults.alwaysUrgent.length > 0 ? inArray(notifications.kind, [...defaults.alwaysUrgent]) : sql`false`;
  return sql`(case when ${notifications.urgent} or ${urgentKinds} then 'immediate' else coalesce(${notificationPreferences.mode}, ${fallback}) end)`;
}

/**
 * Notifications created since `since`, neither e-mailed nor put in a digest, to active people,
 * whose delivery mode is `mode`; unread ones only, except urgent ones for an immediate e-mail.
 * Oldest first.
 */
export async function pendingEmail(
  db: Db,
  options: { since: Date; limit: number; mode: "immediate" | "digest"; defaults: ModeDefaults },
): Promise<PendingEmail[]> {
  const unread =
    options.mode === "immediate"
      ? sql`(${notifications.urgent} or ${notifications.readAt} is null)`
      : isNull(notifications.readAt);
  return pendingQuery(db)
    .where(
      and(
        isNull(notifications.emailedAt),
        isNull(notifications.digestedAt),
        gt(notifications.createdAt, options.since),
        eq(staff.active, true),
        unread,
        sql`${modeSql(options.defaults)} = ${options.mode}`,
      ),
    )
    .orderBy(asc(notifications.id))
    .limit(options.limit);
}

/**
 * Claims notifications for e-mail by stamping `emailed_at`; only rows nobody has claimed are
 * returned, so two instances never send the same one.
 */
export async function claimForEmail(db: Db, ids: readonly number[], at: Date): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .update(notifications)
    .set({ emailedAt: at })
    .where(and(inArray(notifications.id, [...ids]), isNull(notifications.emailedAt)))
    .returning({ id: notifications.id });
  return rows.map((r) => r.id);
}

/** Gives a claim back after the mail server refused (the next run tries again). */
export async function releaseEmailClaim(db: Db, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(notifications)
    .set({ emailedAt: null })
    .where(inArray(notifications.id, [...ids]));
}

/** Claims notifications for a digest by stamping `digested_at` (as claimForEmail). */
export async function claimForDigest(db: Db, ids: readonly number[], at: Date): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .update(notifications)
    .set({ digestedAt: at })
    .where(
      and(
        inArray(notifications.id, [...ids]),
        isNull(notifications.digestedAt),
        isNull(notifications.emailedAt),
      ),
    )
    .returning({ id: notifications.id });
  return rows.map((r) => r.id);
}

export async function releaseDigestClaim(db: Db, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(notifications)
    .set({ digestedAt: null })
    .where(inArray(notifications.id, [...ids]));
}

// ─── Calendar feed tokens ─────────────────────────────────────────────────────────────────

export async function findCalendarToken(db: Db, staffId: number): Promise<{ createdAt: Date } | undefined> {
  const [row] = await db
    .select({ createdAt: calendarTokens.createdAt })
    .from(calendarTokens)
    .where(eq(calendarTokens.staffId, staffId));
  return row;
}

/** Stores a person's (only) token hash, replacing the previous one. */
export async function putCalendarToken(db: Db, staffId: number, tokenHash: string, at: Date): Promise<void> {
  await db
    .insert(calendarTokens)
    .values({ staffId, tokenHash, createdAt: at })
    .onConflictDoUpdate({ target: calendarTokens.staffId, set: { tokenHash, createdAt: at } });
}

export async function deleteCalendarToken(db: Db, staffId: number): Promise<boolean> {
  const rows = await db
    .delete(calendarTokens)
    .where(eq(calendarTokens.staffId, staffId))
    .returning({ staffId: calendarTokens.staffId });
  return rows.length > 0;
}

/** The active person a token hash belongs to. */
export async function staffByCalendarToken(
  db: Db,
  tokenHash: string,
): Promise<{ id: number; name: string } | undefined> {
  const [row] = await db
    .select({ id: staff.id, name: staff.name })
    .from(calendarTokens)
    .innerJoin(staff, eq(staff.id, calendarTokens.staffId))
    .where(and(eq(calendarTokens.tokenHash, tokenHash), eq(staff.active, true)));
  return row;
}

// ─── What reminders and the calendar read ─────────────────────────────────────────────────

/** An open task with a due date, with the account it belongs to and that account's manager. */
export type DueTask = {
  id: number;
  kind: string;
  title: string;
  clause: string;
  dueDate: string;
  assigneeId: number | null;
  accountId: number | null;
  accountName: string | null;
  managerId: number | null;
};

/** Open tasks due on or before `upTo` (YYYY-MM-DD), optionally only one person's. */
export async function openTasksDue(
  db: Db,
  options: { upTo?: string; assigneeId?: number },
): Promise<DueTask[]> {
  const conditions: SQL[] = [eq(tasks.status, "open"), sql`${tasks.dueDate} is not null`];
  if (options.upTo) conditions.push(lte(tasks.dueDate, options.upTo));
  if (options.assigneeId !== undefined) conditions.push(eq(tasks.assigneeId, options.assigneeId));
  const rows = await db
    .select({
      id: tasks.id,
      kind: tasks.kind,
      title: tasks.title,
      clause: tasks.clause,
      dueDate: tasks.dueDate,
      assigneeId: tasks.assigneeId,
      accountId: tasks.accountId,
      accountName: accounts.name,
      managerId: accounts.managerId,
    })
    .from(tasks)
    .leftJoin(accounts, eq(accounts.id, tasks.accountId))
    .where(and(...conditions))
    .orderBy(asc(tasks.dueDate), asc(tasks.id))
    .limit(5000);
  return rows.flatMap((r) => (r.dueDate === null ? [] : [{ ...r, dueDate: r.dueDate }]));
}

/** A post waiting for approval (承認待ち), with its account's manager and division. */
export type PendingPost = {
  id: number;
  version: number;
  accountId: number;
  accountName: string;
  divisionId: number;
  managerId: number | null;
  authorId: number;
  authorName: string;
  submittedAt: Date | null;
  scheduledAt: Date | null;
};

/** Posts waiting for approval, optionally only on accounts one person manages. */
export async function pendingPosts(db: Db, options: { managerId?: number } = {}): Promise<PendingPost[]> {
  const conditions: SQL[] = [eq(posts.status, "pending")];
  if (options.managerId !== undefined) conditions.push(eq(accounts.managerId, options.managerId));
  return db
    .select({
      id: posts.id,
      version: posts.version,
      accountId: posts.accountId,
      accountName: accounts.name,
      divisionId: accounts.divisionId,
      managerId: accounts.managerId,
      authorId: posts.authorId,
      authorName: staff.name,
      submittedAt: posts.submittedAt,
      scheduledAt: posts.scheduledAt,
    })
    .from(posts)
    .innerJoin(accounts, eq(accounts.id, posts.accountId))
    .innerJoin(staff, eq(staff.id, posts.authorId))
    .where(and(...conditions))
    .orderBy(asc(posts.id))
    .limit(5000);
}

/** A post-hoc report (事後報告, 5.1.4) nobody has acknowledged yet. */
export type OpenReport = {
  id: number;
  category: string;
  accountId: number;
  accountName: string;
  divisionId: number;
  managerId: number | null;
  authorId: number;
  /** Who published it (and so made the report). */
  publishedBy: number | null;
  approvalRule: string | null;
  reportDueAt: Date;
};

/** Post-hoc reports not acknowledged, optionally only on accounts one person manages. */
export async function unacknowledgedReports(
  db: Db,
  options: { managerId?: number } = {},
): Promise<OpenReport[]> {
  // As the posts feature lists them: post-hoc posts (5.1.4 ①–④) that went out, not acknowledged.
  const conditions: SQL[] = [
    sql`${posts.category} <> 'normal'`,
    eq(posts.approvalRule, "post_hoc"),
    sql`${posts.reportDueAt} is not null`,
    isNull(posts.acknowledgedAt),
    inArray(posts.status, ["published", "deleted"]),
  ];
  if (options.managerId !== undefined) conditions.push(eq(accounts.managerId, options.managerId));
  const rows = await db
    .select({
      id: posts.id,
      category: posts.category,
      accountId: posts.accountId,
      accountName: accounts.name,
      divisionId: accounts.divisionId,
      managerId: accounts.managerId,
      authorId: posts.authorId,
      publishedBy: posts.publishedBy,
      approvalRule: posts.approvalRule,
      reportDueAt: posts.reportDueAt,
    })
    .from(posts)
    .innerJoin(accounts, eq(accounts.id, posts.accountId))
    .where(and(...conditions))
    .orderBy(asc(posts.reportDueAt))
    .limit(5000);
  return rows.flatMap((r) => (r.reportDueAt ? [{ ...r, reportDueAt: r.reportDueAt }] : []));
}

/** Approved or waiting posts with a schedule time, written by one person. */
export async function scheduledPostsBy(
  db: Db,
  authorId: number,
): Promise<Array<{ id: number; status: string; accountName: string; scheduledAt: Date }>> {
  const rows = await db
    .select({
      id: posts.id,
      status: posts.status,
      accountName: accounts.name,
      scheduledAt: posts.scheduledAt,
    })
    .from(posts)
    .innerJoin(accounts, eq(accounts.id, posts.accountId))
    .where(
      and(
        eq(posts.authorId, authorId),
        inArray(posts.status, ["pending", "approved"]),
        sql`${posts.scheduledAt} is not null`,
      ),
    )
    .orderBy(asc(posts.scheduledAt))
    .limit(1000);
  return rows.flatMap((r) => (r.scheduledAt ? [{ ...r, scheduledAt: r.scheduledAt }] : []));
}

/** A change or closure notice in progress (4.5), with its account's manager. */
export type OpenNotice = {
  id: number;
  kind: string;
  status: string;
  accountId: number;
  accountName: string;
  managerId: number | null;
  effectiveDate: string;
  announcementDate: string | null;
  displayUntil: string | null;
  /** When the announcement post went out on the account (4.5.2), if recorded. */
  snsPublishedAt: Date | null;
};

/**
 * Notices not cancelled whose public window has not ended by `today`, optionally only on accounts
 * one person manages.
 */
export async function openNotices(
  db: Db,
  options: { today: string; managerId?: number },
): Promise<OpenNotice[]> {
  const conditions: SQL[] = [
    sql`${accountNotices.status} <> 'cancelled'`,
    sql`(${accountNotices.displayUntil} is null or ${accountNotices.displayUntil} >= ${options.today})`,
  ];
  if (options.managerId !== undefined) conditions.push(eq(accounts.managerId, options.managerId));
  return db
    .select({
      id: accountNotices.id,
      kind: accountNotices.kind,
      status: accountNotices.status,
      accountId: accountNotices.accountId,
      accountName: accounts.name,
      managerId: accounts.managerId,
      effectiveDate: accountNotices.effectiveDate,
      announcementDate: accountNotices.announcementDate,
      displayUntil: accountNotices.displayUntil,
      snsPublishedAt: accountNotices.snsPublishedAt,
    })
    .from(accountNotices)
    .innerJoin(accounts, eq(accounts.id, accountNotices.accountId))
    .where(and(...conditions))
    .orderBy(asc(accountNotices.effectiveDate), asc(accountNotices.id))
    .limit(5000);
}

/** A playbook step of an open incident that is not done, with a due time. */
export type DueIncidentStep = {
  id: number;
  stepKey: string;
  incidentId: number;
  incidentTitle: string;
  title: string;
  clause: string;
  ownerId: number | null;
  managerId: number | null;
  dueAt: Date;
};

/** Steps of open incidents due at or before `upTo`, optionally only one person's. */
export async function dueIncidentSteps(
  db: Db,
  options: { upTo?: Date; ownerId?: number },
): Promise<DueIncidentStep[]> {
  const conditions: SQL[] = [
    isNull(incidentSteps.doneAt),
    sql`${incidentSteps.dueAt} is not null`,
    sql`${incidents.status} <> 'closed'`,
  ];
  if (options.upTo) conditions.push(lte(incidentSteps.dueAt, options.upTo));
  if (options.ownerId !== undefined) conditions.push(eq(incidentSteps.ownerId, options.ownerId));
  const rows = await db
    .select({
      id: incidentSteps.id,
      stepKey: incidentSteps.stepKey,
      incidentId: incidentSteps.incidentId,
      incidentTitle: incidents.title,
      title: incidentSteps.title,
      clause: incidentSteps.clause,
      ownerId: incidentSteps.ownerId,
      managerId: incidents.managerId,
      dueAt: incidentSteps.dueAt,
    })
    .from(incidentSteps)
    .innerJoin(incidents, eq(incidents.id, incidentSteps.incidentId))
    .where(and(...conditions))
    .orderBy(asc(incidentSteps.dueAt))
    .limit(5000);
  return rows.flatMap((r) => (r.dueAt ? [{ ...r, dueAt: r.dueAt }] : []));
}

/** Approved media policies of accounts one person manages, with their review-due dates (4.2.3). */
export async function policyReviewsOf(
  db: Db,
  managerId: number,
): Promise<Array<{ accountId: number; accountName: string; reviewDue: string }>> {
  const { rows } = await db.execute(sql`
    select a.id as account_id, a.name as account_name, m.review_due::text as review_due
    from media_policies m join accounts a on a.id = m.account_id
    where m.status = 'approved' and m.review_due is not null and a.manager_id = ${managerId}
      and a.status not in ('closed', 'rejected')
    order by m.review_due
    limit 1000`);
  return rows.map((r) => ({
    accountId: Number(r.account_id),
    accountName: String(r.account_name),
    reviewDue: String(r.review_due),
  }));
}

/** An account application waiting at one of the two approval steps (4.1.2). */
export type WaitingApplication = {
  id: number;
  name: string;
  status: "pending_department_head" | "pending_policy_director";
  submittedAt: Date | null;
  departmentId: number;
};

export async function waitingApplications(db: Db): Promise<WaitingApplication[]> {
  const rows = await db
    .select({
      id: accounts.id,
      name: accounts.name,
      status: accounts.status,
      submittedAt: accounts.submittedAt,
      departmentId: divisions.departmentId,
    })
    .from(accounts)
    .innerJoin(divisions, eq(divisions.id, accounts.divisionId))
    .where(inArray(accounts.status, ["pending_department_head", "pending_policy_director"]))
    .orderBy(asc(accounts.id))
    .limit(5000);
  return rows.map((r) => ({
    ...r,
    status: r.status === "pending_policy_director" ? "pending_policy_director" : "pending_department_head",
  }));
}

/**
 * Active holders of a role on `today`, by department: the 部長 by position (department_head,
 * 4.1.2) and whoever stands in for one (職務代理・事務取扱), and for a role that does not follow
 * from a post, those assigned it for the department or everywhere. Key `0`: assigned everywhere.
 */
export async function roleHoldersByDepartment(
  db: Db,
  role: string,
  today: string,
): Promise<Map<number, number[]>> {
  const { rows } = await db.execute(sql`
    select s.id, s.department_id as department_id
    from staff s join positions p on p.id = s.position_id
    where s.active and ${role} = 'department_head' and p.head_of = 'department'
    union
    select s.id, a.department_id as department_id
    from acting_assignments a join staff s on s.id = a.staff_id
    where s.active and ${role} = 'department_head' and a.head_of = 'department'
      and a.revoked_at is null and a.from_date <= ${today}::date and a.until_date >= ${today}::date
    union
    select s.id, case when r.scope_type = 'department' then r.scope_id else 0 end as department_id
    from role_assignments r join staff s on s.id = r.staff_id
    where s.active and r.role = ${role} and r.scope_type in ('global', 'department')
      and ${role} not in ('department_head', 'account_manager', 'policy_director', 'security_director')
      and r.status = 'active' and (r.valid_until is null or r.valid_until >= ${today}::date)`);
  const out = new Map<number, number[]>();
  for (const r of rows) {
    const department = Number(r.department_id);
    const list = out.get(department) ?? [];
    list.push(Number(r.id));
    out.set(department, list);
  }
  return out;
}
