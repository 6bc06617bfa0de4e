/**
 * SQL for change and closure notices of official accounts (4.5): insert and update a notice,
 * list them with their account's names, find the ones whose day has come (and claim one with
 * FOR UPDATE SKIP LOCKED, so several app instances never process the same notice twice), and
 * the public window the citizen pages read.
 */
import { and, asc, desc, eq, inArray, lte, or, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import {
  isNoticeKind,
  isNoticeStatus,
  type NoticeDetails,
  type NoticeKind,
  type NoticeStatus,
  toNoticeDetails,
} from "../../domain/notices.ts";
import type { Db } from "../client.ts";
import { accountNotices, accounts, departments, divisions, staff, tasks } from "../schema.ts";

type NoticeRow = typeof accountNotices.$inferSelect;

/** A notice with its kind, status and details typed. */
export type Notice = Omit<NoticeRow, "kind" | "status" | "details"> & {
  kind: NoticeKind;
  status: NoticeStatus;
  details: NoticeDetails;
};

/** A notice with what lists and pages show about its account and the people involved. */
export type NoticeView = Notice & {
  accountName: string;
  accountAlias: string;
  accountPlatform: string;
  accountUrl: string;
  accountStatus: string;
  divisionId: number;
  divisionName: string;
  departmentId: number;
  departmentName: string;
  homepageUrl: string;
  accountIsCharacter: boolean;
  requestedByName: string | null;
  policyDirectorNotifiedByName: string | null;
};

function toNotice(row: NoticeRow): Notice {
  return {
    ...row,
    kind: isNoticeKind(row.kind) ? row.kind : "change",
    status: isNoticeStatus(row.status) ? row.status : "requested",
    details: toNoticeDetails(row.details),
  };
}

export async function insertNotice(
  db: Db,
  values: {
    accountId: number;
    kind: NoticeKind;
    details: NoticeDetails;
    reason: string;
    effectiveDate: string;
    requestedBy: number | null;
    requestedAt: Date;
  },
): Promise<Notice> {
  const [row] = await db
    .insert(accountNotices)
    .values({ ...values, status: "requested" })
    .returning();
  if (!row) throw new Error("insert notice returned nothing");
  return toNotice(row);
}

export async function findNotice(db: Db, id: number): Promise<Notice | undefined> {
  const [row] = await db.select().from(accountNotices).where(eq(accountNotices.id, id));
  return row ? toNotice(row) : undefined;
}

/** Locks the notice row for the rest of the transaction (steps on one notice serialise here). */
export async function lockNotice(db: Db, id: number): Promise<Notice | undefined> {
  const [row] = await db.select().from(accountNotices).where(eq(accountNotices.id, id)).for("update");
  return row ? toNotice(row) : undefined;
}

export type NoticeValues = Partial<
  Pick<
    NoticeRow,
    | "status"
    | "effectiveDate"
    | "announcementDate"
    | "displayUntil"
    | "policyDirectorNotifiedAt"
    | "policyDirectorNotifiedBy"
    | "announcementText"
    | "announcedAt"
    | "effectiveAt"
    | "cancelledAt"
    | "announcementPostId"
    | "snsPublishedAt"
    | "snsPublishedUrl"
  >
>;

export async function updateNotice(db: Db, id: number, values: NoticeValues): Promise<Notice> {
  const [row] = await db.update(accountNotices).set(values).where(eq(accountNotices.id, id)).returning();
  if (!row) throw new Error(`notice ${id} vanished`);
  return toNotice(row);
}

const openStatuses = ["requested", "notified", "scheduled", "announced"];

/** The account's notices still in progress (the caller holds the account's lock). */
export async function openNoticesOfAccount(db: Db, accountId: number): Promise<Notice[]> {
  const rows = await db
    .select()
    .from(accountNotices)
    .where(and(eq(accountNotices.accountId, accountId), inArray(accountNotices.status, openStatuses)))
    .orderBy(asc(accountNotices.id));
  return rows.map(toNotice);
}

const requester = alias(staff, "requester");
const notifier = alias(staff, "notifier");

function viewQuery(db: Db) {
  return db
    .select({
      notice: accountNotices,
      accountName: accounts.name,
      accountAlias: accounts.alias,
      accountPlatform: accounts.platform,
      accountUrl: accounts.url,
      accountStatus: accounts.status,
      homepageUrl: accounts.homepageUrl,
      accountIsCharacter: accounts.isCharacter,
      divisionId: accounts.divisionId,
      divisionName: divisions.name,
      departmentId: divisions.departmentId,
      departmentName: departments.name,
      requestedByName: requester.name,
      policyDirectorNotifiedByName: notifier.name,
    })
    .from(accountNotices)
    .innerJoin(accounts, eq(accounts.id, accountNotices.accountId))
    .innerJoin(divisions, eq(divisions.id, accounts.divisionId))
    .innerJoin(departments, eq(departments.id, divisions.departmentId))
    .leftJoin(requester, eq(requester.id, accountNotices.requestedBy))
    .leftJoin(notifier, eq(notifier.id, accountNotices.policyDirectorNotifiedBy));
}

type ViewRow = Awaited<ReturnType<ReturnType<typeof viewQuery>["execute"]>>[number];

function toView(row: ViewRow): NoticeView {
  const { notice, ...rest } = row;
  return { ...toNotice(notice), ...rest };
}

export async function findNoticeView(db: Db, id: number): Promise<NoticeView | undefined> {
  const [row] = await viewQuery(db).where(eq(accountNotices.id, id));
  return row ? toView(row) : undefined;
}

export type NoticeFilter = {
  accountId?: number;
  statuses?: readonly NoticeStatus[];
  /**
   * Visibility: null means everything; otherwise notices of accounts in these divisions or
   * departments, plus notices that are public anyway (announced or effective).
   */
  visible: { divisionIds: readonly number[]; departmentIds: readonly number[] } | null;
};

function conditions(filter: NoticeFilter): SQL | undefined {
  const out: SQL[] = [];
  if (filter.accountId !== undefined) out.push(eq(accountNotices.accountId, filter.accountId));
  if (filter.statuses && filter.statuses.length > 0)
    out.push(inArray(accountNotices.status, [...filter.statuses]));
  if (filter.visible) {
    const { divisionIds, departmentIds } = filter.visible;
    const seen = or(
      inArray(accountNotices.status, ["announced", "effective"]),
      divisionIds.length ? inArray(accounts.divisionId, [...divisionIds]) : undefined,
      departmentIds.length ? inArray(divisions.departmentId, [...departmentIds]) : undefined,
    );
    if (seen) out.push(seen);
  }
  return out.length ? and(...out) : undefined;
}

/** Notices, newest request first. */
export async function listNotices(db: Db, filter: NoticeFilter): Promise<NoticeView[]> {
  const rows = await viewQuery(db)
    .where(conditions(filter))
    .orderBy(desc(accountNotices.requestedAt), desc(accountNotices.id));
  return rows.map(toView);
}

// The scheduled work (4.5.2: on the announcement date, on the effective date)

/** A notice whose next automatic step has come: announce it, or make it effective. */
export type DueNotice = { id: number; status: "scheduled" | "announced" };

function dueCondition(today: string): SQL | undefined {
  return or(
    and(eq(accountNotices.status, "scheduled"), lte(accountNotices.announcementDate, today)),
    and(eq(accountNotices.status, "announced"), lte(accountNotices.effectiveDate, today)),
  );
}

/** Up to `limit` notices due on `today` (not locked: `claimDueNotice` takes each one). */
export async function dueNotices(db: Db, today: string, limit = 50): Promise<DueNotice[]> {
  const rows = await db
    .select({ id: accountNotices.id, status: accountNotices.status })
    .from(accountNotices)
    .where(dueCondition(today))
    .orderBy(asc(accountNotices.id))
    .limit(limit);
  return rows.flatMap((r) =>
    r.status === "scheduled" || r.status === "announced" ? [{ id: r.id, status: r.status }] : [],
  );
}

/**
 * Locks notice `id` if it is still in `status` and due on `today`, skipping it when another
 * instance holds it (FOR UPDATE SKIP LOCKED); undefined when there is nothing to do.
 */
export async function claimDueNotice(
  db: Db,
  id: number,
  status: DueNotice["status"],
  today: string,
): Promise<Notice | undefined> {
  const [row] = await db
    .select()
    .from(accountNotices)
    .where(and(eq(accountNotices.id, id), eq(accountNotices.status, status), dueCondition(today)))
    .for("update", { skipLocked: true });
  return row ? toNotice(row) : undefined;
}

/**
 * Notices on the public pages on `today` (4.5.2): announced or effective, from the announcement
 * date to the display-until date, both included; soonest effective date first.
 */
export async function listPublicNotices(db: Db, today: string): Promise<NoticeView[]> {
  const rows = await viewQuery(db)
    .where(
      and(
        inArray(accountNotices.status, ["announced", "effective"]),
        lte(accountNotices.announcementDate, today),
        sql`${accountNotices.displayUntil} >= ${today}`,
      ),
    )
    .orderBy(desc(accountNotices.effectiveDate), desc(accountNotices.id));
  return rows.map(toView);
}

// The task to notify the security director (4.5.1), linked to its notice by `cause.noticeId`

export const securityTaskKind = "notify_security_director";

/** The notice a task was opened for. */
const taskNoticeId = sql<number>`(${tasks.cause} ->> 'noticeId')::int`;

export type SecurityTask = typeof tasks.$inferSelect & { doneByName: string | null };

/** The security-director task of each of these notices (the newest per notice). */
export async function securityTasksOf(
  db: Db,
  noticeIds: readonly number[],
): Promise<Map<number, SecurityTask>> {
  const out = new Map<number, SecurityTask>();
  if (noticeIds.length === 0) return out;
  const rows = await db
    .select({ task: tasks, doneByName: staff.name, noticeId: taskNoticeId })
    .from(tasks)
    .leftJoin(staff, eq(staff.id, tasks.doneBy))
    .where(and(eq(tasks.kind, securityTaskKind), inArray(taskNoticeId, [...noticeIds])))
    .orderBy(asc(tasks.id));
  for (const r of rows) out.set(r.noticeId, { ...r.task, doneByName: r.doneByName });
  return out;
}

/** The open security-director task of one notice, locked. */
export async function lockOpenSecurityTask(db: Db, noticeId: number) {
  const [row] = await db
    .select()
    .from(tasks)
    .where(and(eq(tasks.kind, securityTaskKind), eq(tasks.status, "open"), eq(taskNoticeId, noticeId)))
    .for("update");
  return row;
}

// The announcement post on the account (4.5.2 当該ソーシャルメディアに掲載)

/** The notice whose announcement post this is, locked (undefined when the post announces nothing). */
export async function lockNoticeOfPost(db: Db, postId: number): Promise<Notice | undefined> {
  const [row] = await db
    .select()
    .from(accountNotices)
    .where(eq(accountNotices.announcementPostId, postId))
    .orderBy(desc(accountNotices.id))
    .limit(1)
    .for("update");
  return row ? toNotice(row) : undefined;
}

/** The notice whose announcement post this is (not locked). */
export async function findNoticeOfPost(db: Db, postId: number): Promise<Notice | undefined> {
  const [row] = await db
    .select()
    .from(accountNotices)
    .where(eq(accountNotices.announcementPostId, postId))
    .orderBy(desc(accountNotices.id))
    .limit(1);
  return row ? toNotice(row) : undefined;
}

/** The task to keep a change notice on the account for about a year (4.5.2), per notice. */
export const keepTaskKind = "notice_keep_posted";

/** The keep-posted task of each of these notices (the newest per notice). */
export async function keepTasksOf(db: Db, noticeIds: readonly number[]): Promise<Map<number, SecurityTask>> {
  const out = new Map<number, SecurityTask>();
  if (noticeIds.length === 0) return out;
  const rows = await db
    .select({ task: tasks, doneByName: staff.name, noticeId: taskNoticeId })
    .from(tasks)
    .leftJoin(staff, eq(staff.id, tasks.doneBy))
    .where(and(eq(tasks.kind, keepTaskKind), inArray(taskNoticeId, [...noticeIds])))
    .orderBy(asc(tasks.id));
  for (const r of rows) out.set(r.noticeId, { ...r.task, doneByName: r.doneByName });
  return out;
}

/** The open keep-posted task of one notice, locked. */
export async function lockOpenKeepTask(db: Db, noticeId: number) {
  const [row] = await db
    .select()
    .from(tasks)
    .where(and(eq(tasks.kind, keepTaskKind), eq(tasks.status, "open"), eq(taskNoticeId, noticeId)))
    .for("update");
  return row;
}
