/**
 * SQL for what happens around and after approval: the publishing queue (approved posts by
 * schedule time, post-hoc posts without a URL, posts waiting for a correction), the scheduled
 * reminders and correction tasks of a post (rows of `tasks` whose cause names the post), the
 * corrections that have gone out (「訂正あり」), the corrections of publishing records (訂正履歴,
 * append-only), and announced notices that have no post yet.
 */
import { and, asc, eq, inArray, isNotNull, isNull, max, ne, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "../client.ts";
import {
  accountNotices,
  accountOperators,
  accounts,
  approvalDeputies,
  divisions,
  postPublishingCorrections,
  posts,
  postVersions,
  staff,
  tasks,
} from "../schema.ts";
import { type Post, type PostView, postViewQuery, toPost, toPostView } from "./posts.ts";
import type { TaskRow } from "./tasks.ts";

/** Task kind: the author is reminded to publish an approved post at its schedule time. */
export const PUBLISH_REMINDER = "publish_reminder";
/** Task kind: a post marked erroneous must be corrected (5.3.2), one for the author, one for the manager. */
export const POST_CORRECTION = "post_correction";

/**
 * Which posts a person sees in lists: null means all; otherwise posts of accounts in these
 * divisions or departments, of accounts they operate, and of divisions whose manager they
 * stand in for today.
 */
export type PostVisibility = {
  staffId: number;
  divisionIds: readonly number[];
  departmentIds: readonly number[];
  /** Tokyo date (YYYY-MM-DD) for the deputy's period. */
  today: string;
} | null;

function visibleCondition(v: PostVisibility): SQL | undefined {
  if (v === null) return undefined;
  return or(
    v.divisionIds.length ? inArray(accounts.divisionId, [...v.divisionIds]) : undefined,
    v.departmentIds.length ? inArray(divisions.departmentId, [...v.departmentIds]) : undefined,
    sql`exists (select 1 from ${accountOperators} where ${accountOperators.accountId} = ${posts.accountId} and ${accountOperators.staffId} = ${v.staffId})`,
    sql`exists (select 1 from ${approvalDeputies} where ${approvalDeputies.divisionId} = ${accounts.divisionId} and ${approvalDeputies.deputyId} = ${v.staffId} and ${approvalDeputies.fromDate} <= ${v.today} and ${approvalDeputies.toDate} >= ${v.today} and ${approvalDeputies.revokedAt} is null)`,
  );
}

const QUEUE_LIMIT = 500;

/** Approved posts waiting to go out: scheduled ones by schedule time (overdue first), then the rest. */
export async function approvedQueue(db: Db, visibility: PostVisibility): Promise<PostView[]> {
  const rows = await postViewQuery(db)
    .where(and(eq(posts.status, "approved"), visibleCondition(visibility)))
    .orderBy(sql`${posts.scheduledAt} asc nulls last`, asc(posts.approvedAt), asc(posts.id))
    .limit(QUEUE_LIMIT);
  return rows.map(toPostView);
}

/**
 * Posts published first under 5.1.4 ①–④ whose published URL has not been recorded yet (a LINE
 * official account's messages have no public URL, so its posts never wait for one).
 */
export async function publishedWithoutUrl(db: Db, visibility: PostVisibility): Promise<PostView[]> {
  const rows = await postViewQuery(db)
    .where(
      and(
        eq(posts.status, "published"),
        isNull(posts.publishedUrl),
        ne(accounts.platform, "line"),
        visibleCondition(visibility),
      ),
    )
    .orderBy(asc(posts.publishedAt), asc(posts.id))
    .limit(QUEUE_LIMIT);
  return rows.map(toPostView);
}

/** A correction published since the post was marked erroneous (the mark is answered). */
const answeredCorrection = sql`exists (select 1 from ${posts} as c where c.corrects_post_id = ${posts.id} and c.status = 'published' and c.created_at >= ${posts.erroneousAt})`;

/** Posts marked erroneous whose correction has not been published yet (5.3.2), soonest due first. */
export async function awaitingCorrection(db: Db, visibility: PostVisibility): Promise<PostView[]> {
  const rows = await postViewQuery(db)
    .where(
      and(
        isNotNull(posts.erroneousAt),
        inArray(posts.status, ["published", "deleted"]),
        sql`not ${answeredCorrection}`,
        visibleCondition(visibility),
      ),
    )
    .orderBy(asc(posts.correctionDueAt), asc(posts.id))
    .limit(QUEUE_LIMIT);
  return rows.map(toPostView);
}

/** Whether the post's current erroneous mark has been answered by a published correction. */
export async function isCorrectionPublished(db: Db, postId: number): Promise<boolean> {
  const [row] = await db
    .select({ id: posts.id })
    .from(posts)
    .where(and(eq(posts.id, postId), answeredCorrection));
  return row !== undefined;
}

/** A published correction of a post (「訂正あり」). */
export type PublishedCorrection = {
  id: number;
  correctsPostId: number;
  publishedAt: Date | null;
  publishedUrl: string | null;
};

/** The published corrections of these posts, keyed by the post they correct (oldest first). */
export async function publishedCorrectionsOf(
  db: Db,
  postIds: readonly number[],
): Promise<Map<number, PublishedCorrection[]>> {
  const out = new Map<number, PublishedCorrection[]>();
  if (postIds.length === 0) return out;
  const rows = await db
    .select({
      id: posts.id,
      correctsPostId: posts.correctsPostId,
      publishedAt: posts.publishedAt,
      publishedUrl: posts.publishedUrl,
    })
    .from(posts)
    .where(and(inArray(posts.correctsPostId, [...new Set(postIds)]), eq(posts.status, "published")))
    .orderBy(asc(posts.publishedAt), asc(posts.id));
  for (const r of rows) {
    if (r.correctsPostId === null) continue;
    const list = out.get(r.correctsPostId) ?? [];
    list.push({ ...r, correctsPostId: r.correctsPostId });
    out.set(r.correctsPostId, list);
  }
  return out;
}

/** A correction of the post still being written or approved (so a second one is not started). */
export async function openCorrectionOf(db: Db, postId: number): Promise<Post | undefined> {
  const [row] = await db
    .select()
    .from(posts)
    .where(
      and(
        eq(posts.correctsPostId, postId),
        inArray(posts.status, ["draft", "pending", "returned", "approved"]),
      ),
    )
    .orderBy(asc(posts.id))
    .limit(1);
  return row ? toPost(row) : undefined;
}

// Corrections of the publishing record (訂正履歴)

/** One correction of a post's publishing record, with the name of who made it. */
export type PublishingCorrection = typeof postPublishingCorrections.$inferSelect & {
  correctedByName: string | null;
};

/** Records a correction (the next `seq` of the post); call with the post row locked. */
export async function insertPublishingCorrection(
  db: Db,
  values: Omit<typeof postPublishingCorrections.$inferInsert, "id" | "seq">,
): Promise<typeof postPublishingCorrections.$inferSelect> {
  const [last] = await db
    .select({ seq: max(postPublishingCorrections.seq) })
    .from(postPublishingCorrections)
    .where(eq(postPublishingCorrections.postId, values.postId));
  const [row] = await db
    .insert(postPublishingCorrections)
    .values({ ...values, seq: (last?.seq ?? 0) + 1 })
    .returning();
  if (!row) throw new Error("insert publishing correction returned nothing");
  return row;
}

/** The corrections of these posts' publishing records, keyed by post, oldest first. */
export async function publishingCorrectionsOf(
  db: Db,
  postIds: readonly number[],
): Promise<Map<number, PublishingCorrection[]>> {
  const out = new Map<number, PublishingCorrection[]>();
  if (postIds.length === 0) return out;
  const rows = await db
    .select({ row: postPublishingCorrections, correctedByName: staff.name })
    .from(postPublishingCorrections)
    .leftJoin(staff, eq(staff.id, postPublishingCorrections.correctedBy))
    .where(inArray(postPublishingCorrections.postId, [...new Set(postIds)]))
    .orderBy(asc(postPublishingCorrections.postId), asc(postPublishingCorrections.seq));
  for (const r of rows) {
    const list = out.get(r.row.postId) ?? [];
    list.push({ ...r.row, correctedByName: r.correctedByName });
    out.set(r.row.postId, list);
  }
  return out;
}

// Tasks of a post (the cause names it: {"postId": 12, …})

const causePostId = sql<string>`${tasks.cause} ->> 'postId'`;
/** The same as an integer (null when it is not one), so joins use the posts' primary key. */
const causePostIdInt = sql<number>`(case when ${tasks.cause} ->> 'postId' ~ '^[0-9]{1,9}$' then (${tasks.cause} ->> 'postId')::int end)`;

/** Open tasks of `kind` opened for the post, locked for the rest of the transaction. */
export async function lockOpenPostTasks(db: Db, kind: string, postId: number): Promise<TaskRow[]> {
  return db
    .select()
    .from(tasks)
    .where(and(eq(tasks.kind, kind), eq(tasks.status, "open"), eq(causePostId, String(postId))))
    .orderBy(asc(tasks.id))
    .for("update");
}

/** Tasks of `kind` opened for the post, any status, oldest first. */
export async function postTasks(db: Db, kind: string, postId: number): Promise<TaskRow[]> {
  return db
    .select()
    .from(tasks)
    .where(and(eq(tasks.kind, kind), eq(causePostId, String(postId))))
    .orderBy(asc(tasks.id));
}

/** The reminder of this post for this schedule time, if one was opened (in any status). */
const reminderFor = (accountId: SQL | number, postId: SQL | number, scheduledAt: SQL) =>
  sql`exists (select 1 from ${tasks} where ${tasks.accountId} = ${accountId} and ${tasks.kind} = ${PUBLISH_REMINDER} and ${tasks.cause} ->> 'postId' = (${postId})::text and (${tasks.cause} ->> 'scheduledAt')::timestamptz = ${scheduledAt})`;

/** Approved posts whose schedule time has come and whose reminder has not been opened. */
export async function postsDueForReminder(db: Db, now: Date, limit = 100): Promise<number[]> {
  const rows = await db
    .select({ id: posts.id })
    .from(posts)
    .where(
      and(
        eq(posts.status, "approved"),
        isNotNull(posts.scheduledAt),
        sql`${posts.scheduledAt} <= ${now.toISOString()}::timestamptz`,
        sql`not ${reminderFor(sql`${posts.accountId}`, sql`${posts.id}`, sql`${posts.scheduledAt}`)}`,
      ),
    )
    .orderBy(asc(posts.scheduledAt), asc(posts.id))
    .limit(limit);
  return rows.map((r) => r.id);
}

/**
 * Locks post `id` if it is still approved and due at `now` with no reminder yet, skipping it
 * when another instance holds it (FOR UPDATE SKIP LOCKED); undefined when there is nothing to do.
 */
export async function claimPostForReminder(db: Db, id: number, now: Date): Promise<Post | undefined> {
  const [row] = await db
    .select()
    .from(posts)
    .where(
      and(
        eq(posts.id, id),
        eq(posts.status, "approved"),
        isNotNull(posts.scheduledAt),
        sql`${posts.scheduledAt} <= ${now.toISOString()}::timestamptz`,
      ),
    )
    .for("update", { skipLocked: true });
  if (!row?.scheduledAt) return undefined;
  const [exists] = await db
    .select({ one: sql<number>`1` })
    .from(posts)
    .where(
      and(
        eq(posts.id, id),
        reminderFor(row.accountId, id, sql`${row.scheduledAt.toISOString()}::timestamptz`),
      ),
    );
  return exists ? undefined : toPost(row);
}

/**
 * Open tasks the publishing record has made moot: reminders whose post went out, is no longer
 * approved, or was rescheduled; correction tasks whose correction has been published.
 */
export async function settledPostTasks(
  db: Db,
  limit = 200,
): Promise<Array<{ taskId: number; kind: string; postId: number; postStatus: string }>> {
  const reminders = await db
    .select({ taskId: tasks.id, kind: tasks.kind, postId: posts.id, postStatus: posts.status })
    .from(tasks)
    .innerJoin(posts, sql`${posts.id} = ${causePostIdInt}`)
    .where(
      and(
        eq(tasks.kind, PUBLISH_REMINDER),
        eq(tasks.status, "open"),
        sql`(${posts.status} <> 'approved' or ${posts.scheduledAt} is distinct from (${tasks.cause} ->> 'scheduledAt')::timestamptz)`,
      ),
    )
    .orderBy(asc(tasks.id))
    .limit(limit);
  const corrections = await db
    .select({ taskId: tasks.id, kind: tasks.kind, postId: posts.id, postStatus: posts.status })
    .from(tasks)
    .innerJoin(posts, sql`${posts.id} = ${causePostIdInt}`)
    .where(and(eq(tasks.kind, POST_CORRECTION), eq(tasks.status, "open"), answeredCorrection))
    .orderBy(asc(tasks.id))
    .limit(limit);
  return [...reminders, ...corrections];
}

/** An open task, locked, if it is still open. */
export async function lockOpenTask(db: Db, id: number): Promise<TaskRow | undefined> {
  const [row] = await db
    .select()
    .from(tasks)
    .where(and(eq(tasks.id, id), eq(tasks.status, "open")))
    .for("update");
  return row;
}

// Announcement posts of changes and closures (4.5.2)

/** The notice's linked announcement post, or (drafted before posts were linked) a post of its account whose first version is the announcement text. */
const announcementPost = sql`coalesce(${accountNotices.announcementPostId}, (select p.id from ${posts} as p join ${postVersions} as v on v.post_id = p.id and v.version = 1 where p.account_id = ${accountNotices.accountId} and v.text = ${accountNotices.announcementText} order by p.id limit 1))`;

export type AnnouncedNotice = {
  noticeId: number;
  accountId: number;
  accountName: string;
  platform: string;
  kind: string;
  effectiveDate: string;
  announcementDate: string | null;
  announcementText: string;
  /** The post drafted from it, if there is one. */
  postId: number | null;
};

const announcedColumns = {
  noticeId: accountNotices.id,
  accountId: accountNotices.accountId,
  accountName: accounts.name,
  platform: accounts.platform,
  kind: accountNotices.kind,
  effectiveDate: accountNotices.effectiveDate,
  announcementDate: accountNotices.announcementDate,
  announcementText: accountNotices.announcementText,
  postId: sql<number | null>`${announcementPost}`,
};

/**
 * Scheduled or announced notices with a checked announcement text and no post drafted from it yet, of
 * accounts in these divisions or operated by `staffId` (null: all).
 */
export async function announcedWithoutPost(
  db: Db,
  scope: { divisionIds: readonly number[]; staffId: number } | null,
): Promise<AnnouncedNotice[]> {
  const seen =
    scope === null
      ? undefined
      : or(
          scope.divisionIds.length ? inArray(accounts.divisionId, [...scope.divisionIds]) : undefined,
          sql`exists (select 1 from ${accountOperators} where ${accountOperators.accountId} = ${accounts.id} and ${accountOperators.staffId} = ${scope.staffId})`,
        );
  const rows = await db
    .select(announcedColumns)
    .from(accountNotices)
    .innerJoin(accounts, eq(accounts.id, accountNotices.accountId))
    .where(
      and(
        inArray(accountNotices.status, ["scheduled", "announced"]),
        sql`${accountNotices.announcementText} <> ''`,
        sql`${announcementPost} is null`,
        seen,
      ),
    )
    .orderBy(asc(accountNotices.effectiveDate), asc(accountNotices.id));
  return rows.map((r) => ({ ...r, postId: r.postId === null ? null : Number(r.postId) }));
}

/** One notice with its announcement text and the post drafted from it. */
export async function findAnnouncedNotice(db: Db, noticeId: number): Promise<AnnouncedNotice | undefined> {
  const [row] = await db
    .select(announcedColumns)
    .from(accountNotices)
    .innerJoin(accounts, eq(accounts.id, accountNotices.accountId))
    .where(eq(accountNotices.id, noticeId));
  return row ? { ...row, postId: row.postId === null ? null : Number(row.postId) } : undefined;
}

/** The same, with the notice row locked for the rest of the transaction. */
export async function lockAnnouncedNotice(db: Db, noticeId: number): Promise<AnnouncedNotice | undefined> {
  const [locked] = await db
    .select({ id: accountNotices.id })
    .from(accountNotices)
    .where(eq(accountNotices.id, noticeId))
    .for("update");
  return locked ? findAnnouncedNotice(db, noticeId) : undefined;
}
