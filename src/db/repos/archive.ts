/**
 * SQL for the archive of posts (情報公開請求): search by account, division, text, date range,
 * status, category, finding clause, kind and erroneous marking, newest first with keyset
 * pagination on (created_at, id); a capped count; and, for the export and the printable report,
 * every version, decision, image, correction and name that belongs to a set of posts.
 */
import { and, asc, desc, eq, gte, inArray, isNotNull, lt, or, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { PostCategory, PostStatus } from "../../domain/posts.ts";
import type { Db } from "../client.ts";
import {
  accountOperators,
  accounts,
  approvalDeputies,
  divisions,
  postDecisions,
  postImages,
  postScopes,
  posts,
  postVersions,
  staff,
} from "../schema.ts";
import {
  imageInfoColumns,
  type PostDecision,
  type PostImageInfo,
  type PostVersion,
  type PostView,
  toPostView,
} from "./posts.ts";

/** What to look for. Instants are bounds already converted from Tokyo calendar days. */
export type ArchiveQuery = {
  accountId?: number | undefined;
  divisionId?: number | undefined;
  /** Substring of the current text (case-insensitive for Latin letters). */
  text?: string | undefined;
  /** Which date the range applies to. */
  dateField?: "created" | "published" | undefined;
  /** Inclusive lower bound. */
  fromAt?: Date | undefined;
  /** Exclusive upper bound. */
  toAt?: Date | undefined;
  status?: PostStatus | undefined;
  category?: PostCategory | undefined;
  kind?: "post" | "correction" | undefined;
  /**
   * Only these posts: those whose findings cite a clause, looked up once with `postIdsCiting` so
   * the page and the count do not each scan every version.
   */
  postIds?: readonly number[] | undefined;
  /** Only posts marked erroneous (5.3.2). */
  erroneous?: boolean | undefined;
};

/**
 * Which posts the person may see: everything, or the posts of the listed accounts plus those
 * they wrote themselves.
 */
export type ArchiveScope =
  | { all: true }
  | { all: false; accountIds: readonly number[]; authorId: number | null };

/** A position in the newest-first order: the exact created_at (microseconds, UTC) and the id. */
export type ArchiveCursor = { createdAt: string; id: number };

/** A found post with its account, division and author, and its place in the order. */
export type ArchiveRow = PostView & { cursor: ArchiveCursor };

/** Escapes LIKE wildcards so that the text is searched for literally. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function conditionsOf(query: ArchiveQuery, scope: ArchiveScope): SQL[] {
  const where: SQL[] = [];
  if (!scope.all) {
    const own = scope.accountIds.length > 0 ? inArray(posts.accountId, [...scope.accountIds]) : undefined;
    const mine = scope.authorId !== null ? eq(posts.authorId, scope.authorId) : undefined;
    where.push(or(own, mine) ?? sql`false`);
  }
  if (query.accountId !== undefined) where.push(eq(posts.accountId, query.accountId));
  if (query.divisionId !== undefined) {
    const ofDivision = sql`select ${accounts.id} from ${accounts} where ${accounts.divisionId} = ${query.divisionId}`;
    where.push(sql`${posts.accountId} in (${ofDivision})`);
  }
  if (query.text) {
    // Japanese has no letter case: LIKE is 2–3 times faster than ILIKE on multibyte text, so
    // ILIKE only for words with cased letters. From three characters on LIKE, which a pg_trgm
    // index can serve (migration 0005); under three no trigram can help, and strpos scans
    // fastest (bench/archive.ts).
    const cased = query.text.toLowerCase() !== query.text.toUpperCase();
    if (cased) where.push(sql`${posts.text} ilike ${likePattern(query.text)}`);
    else if ([...query.text].length < 3) where.push(sql`strpos(${posts.text}, ${query.text}) > 0`);
    else where.push(sql`${posts.text} like ${likePattern(query.text)}`);
  }
  const dated = query.dateField === "published" ? posts.publishedAt : posts.createdAt;
  if (query.fromAt) where.push(gte(dated, query.fromAt));
  if (query.toAt) where.push(lt(dated, query.toAt));
  if (query.status) where.push(eq(posts.status, query.status));
  if (query.category) where.push(eq(posts.category, query.category));
  if (query.kind) where.push(eq(posts.kind, query.kind));
  if (query.erroneous) where.push(isNotNull(posts.erroneousAt));
  if (query.postIds) {
    const list = `{${query.postIds.map((id) => String(Math.trunc(id))).join(",")}}`;
    where.push(query.postIds.length > 0 ? sql`${posts.id} = any(${list}::integer[])` : sql`false`);
  }
  return where;
}

const cursorText = sql<string>`to_char(${posts.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const rowColumns = {
  post: posts,
  accountName: accounts.name,
  platform: accounts.platform,
  divisionId: accounts.divisionId,
  divisionName: divisions.name,
  departmentId: divisions.departmentId,
  managerId: accounts.managerId,
  authorName: staff.name,
  cursor: cursorText,
};

function toRow(r: {
  post: typeof posts.$inferSelect;
  accountName: string;
  platform: string;
  divisionId: number;
  divisionName: string;
  departmentId: number;
  managerId: number | null;
  authorName: string;
  cursor: string;
}): ArchiveRow {
  return { ...toPostView(r), cursor: { createdAt: r.cursor, id: r.post.id } };
}

/**
 * One page of results, newest first.
 * @param props.after the page after this position (older posts)
 * @param props.before the page before this position (newer posts), returned newest first
 * @param props.limit rows wanted; one more is read to tell whether there are more
 * @returns the rows and whether more exist beyond them in the direction read
 */
export async function searchArchive(
  db: Db,
  props: {
    query: ArchiveQuery;
    scope: ArchiveScope;
    after?: ArchiveCursor | undefined;
    before?: ArchiveCursor | undefined;
    limit: number;
  },
): Promise<{ rows: ArchiveRow[]; more: boolean }> {
  const where = conditionsOf(props.query, props.scope);
  const backwards = props.before !== undefined && props.after === undefined;
  const at = props.after ?? props.before;
  if (at) {
    const position = sql`(${posts.createdAt}, ${posts.id})`;
    const bound = sql`(${at.createdAt}::timestamptz, ${at.id}::integer)`;
    where.push(backwards ? sql`${position} > ${bound}` : sql`${position} < ${bound}`);
  }
  const rows = await db
    .select(rowColumns)
    .from(posts)
    .innerJoin(accounts, eq(accounts.id, posts.accountId))
    .innerJoin(divisions, eq(divisions.id, accounts.divisionId))
    .innerJoin(staff, eq(staff.id, posts.authorId))
    .where(and(...where))
    .orderBy(...(backwards ? [asc(posts.createdAt), asc(posts.id)] : [desc(posts.createdAt), desc(posts.id)]))
    .limit(props.limit + 1);
  const more = rows.length > props.limit;
  const page = rows.slice(0, props.limit).map(toRow);
  if (backwards) page.reverse();
  return { rows: page, more };
}

/** Whether the text test is the costly kind (LIKE or ILIKE on every row it passes). */
function costlyText(text: string | undefined): boolean {
  if (!text) return false;
  return text.toLowerCase() !== text.toUpperCase() || [...text].length >= 3;
}

/**
 * The first page with the number of matches (at most `cap`). When the text test is costly (LIKE,
 * ILIKE), one pass collects the positions of up to `cap + 1` matches newest first (their number
 * is the count) and then reads the first `limit` rows in full: two queries would each test the
 * text on every row they pass (bench/archive.ts: a rare word 81 → 45 ms of CPU on the embedded
 * database). Otherwise the page is read first, and counted only when it is full.
 */
export async function firstArchivePage(
  db: Db,
  props: { query: ArchiveQuery; scope: ArchiveScope; limit: number; cap: number },
): Promise<{ rows: ArchiveRow[]; more: boolean; count: number; capped: boolean }> {
  if (!costlyText(props.query.text)) {
    const page = await searchArchive(db, { ...props });
    if (!page.more) return { ...page, count: page.rows.length, capped: false };
    return { ...page, ...(await countArchive(db, props)) };
  }
  const found = await db
    .select({ id: posts.id })
    .from(posts)
    .where(and(...conditionsOf(props.query, props.scope)))
    .orderBy(desc(posts.createdAt), desc(posts.id))
    .limit(props.cap + 1);
  const capped = found.length > props.cap;
  const count = capped ? props.cap : found.length;
  const ids = found.slice(0, props.limit).map((r) => r.id);
  if (ids.length === 0) return { rows: [], more: false, count, capped };
  const rows = await db
    .select(rowColumns)
    .from(posts)
    .innerJoin(accounts, eq(accounts.id, posts.accountId))
    .innerJoin(divisions, eq(divisions.id, accounts.divisionId))
    .innerJoin(staff, eq(staff.id, posts.authorId))
    .where(inArray(posts.id, ids))
    .orderBy(desc(posts.createdAt), desc(posts.id));
  return { rows: rows.map(toRow), more: found.length > props.limit, count, capped };
}

/**
 * The posts whose findings cite `clause` (e.g. `5.2.2.1`): in the current text or in any saved
 * version, so a finding that was fixed before approval is still found (jsonb containment).
 */
export async function postIdsCiting(db: Db, clause: string): Promise<number[]> {
  const needle = JSON.stringify([{ clause }]);
  const rows = await db.execute<{ id: number }>(
    sql`select ${postVersions.postId} as id from ${postVersions} where ${postVersions.findings} @> ${needle}::jsonb union select ${posts.id} from ${posts} where ${posts.findings} @> ${needle}::jsonb`,
  );
  return rows.rows.map((r) => Number(r.id));
}

/**
 * How many posts match, counting at most `cap` (a count over everything costs a full scan when
 * the filter is broad; past the cap the page says 「N件以上」).
 */
export async function countArchive(
  db: Db,
  props: { query: ArchiveQuery; scope: ArchiveScope; cap: number },
): Promise<{ count: number; capped: boolean }> {
  const where = conditionsOf(props.query, props.scope);
  const matching = db
    .select({ one: sql`1`.as("one") })
    .from(posts)
    .where(and(...where))
    .limit(props.cap + 1)
    .as("matching");
  const [row] = await db.select({ n: sql<number>`count(*)::integer` }).from(matching);
  const n = Number(row?.n ?? 0);
  return n > props.cap ? { count: props.cap, capped: true } : { count: n, capped: false };
}

/**
 * Accounts whose posts a person sees besides their own: those of the listed divisions and
 * departments, those they operate (3), and those of divisions where they are the manager's named
 * deputy on `today` (5.1.4).
 */
export async function visibleAccountIds(
  db: Db,
  props: { staffId: number; divisionIds: readonly number[]; departmentIds: readonly number[]; today: string },
): Promise<number[]> {
  const whose: SQL[] = [
    sql`${accounts.id} in (select ${accountOperators.accountId} from ${accountOperators} where ${accountOperators.staffId} = ${props.staffId})`,
    sql`${accounts.divisionId} in (select ${approvalDeputies.divisionId} from ${approvalDeputies} where ${approvalDeputies.deputyId} = ${props.staffId} and ${approvalDeputies.fromDate} <= ${props.today} and ${approvalDeputies.toDate} >= ${props.today} and ${approvalDeputies.revokedAt} is null)`,
  ];
  if (props.divisionIds.length > 0) whose.push(inArray(accounts.divisionId, [...props.divisionIds]));
  if (props.departmentIds.length > 0) {
    const ofDepartments = sql`select ${divisions.id} from ${divisions} where ${inArray(divisions.departmentId, [...props.departmentIds])}`;
    whose.push(sql`${accounts.divisionId} in (${ofDepartments})`);
  }
  const rows = await db
    .select({ id: accounts.id })
    .from(accounts)
    .where(or(...whose));
  return rows.map((r) => r.id);
}

/** Accounts in the given divisions (the divisions a manager may export, 情報公開請求). */
export async function accountIdsOfDivisions(db: Db, divisionIds: readonly number[]): Promise<number[]> {
  if (divisionIds.length === 0) return [];
  const rows = await db
    .select({ id: accounts.id })
    .from(accounts)
    .where(inArray(accounts.divisionId, [...divisionIds]));
  return rows.map((r) => r.id);
}

// The records of a set of posts, read in one query each (export and report).

/** Every saved version of the posts, oldest first per post. */
export async function versionsOf(db: Db, postIds: readonly number[]): Promise<PostVersion[]> {
  if (postIds.length === 0) return [];
  return db
    .select()
    .from(postVersions)
    .where(inArray(postVersions.postId, [...postIds]))
    .orderBy(asc(postVersions.postId), asc(postVersions.version));
}

/** Every decision on the posts with the name of who took it, in the order taken. */
export async function decisionsOf(db: Db, postIds: readonly number[]): Promise<PostDecision[]> {
  if (postIds.length === 0) return [];
  const recorder = alias(staff, "recorder");
  const rows = await db
    .select({ decision: postDecisions, actorName: staff.name, recordedByName: recorder.name })
    .from(postDecisions)
    .leftJoin(staff, eq(staff.id, postDecisions.actorId))
    .leftJoin(recorder, eq(recorder.id, postDecisions.recordedBy))
    .where(inArray(postDecisions.postId, [...postIds]))
    .orderBy(asc(postDecisions.postId), asc(postDecisions.at), asc(postDecisions.id));
  return rows.map((r) => ({ ...r.decision, actorName: r.actorName, recordedByName: r.recordedByName }));
}

/** The images of the posts without their bytes (alt text and rights are what a record needs). */
export async function imagesOf(db: Db, postIds: readonly number[]): Promise<PostImageInfo[]> {
  if (postIds.length === 0) return [];
  return db
    .select(imageInfoColumns)
    .from(postImages)
    .where(inArray(postImages.postId, [...postIds]))
    .orderBy(asc(postImages.postId), asc(postImages.position), asc(postImages.id));
}

/** A correction (5.3.3) of one of the posts. */
export type CorrectionRef = {
  id: number;
  correctsPostId: number;
  status: string;
  createdAt: Date;
  publishedAt: Date | null;
  publishedUrl: string | null;
};

/** The corrections that name any of the posts. */
export async function correctionsOfPosts(db: Db, postIds: readonly number[]): Promise<CorrectionRef[]> {
  if (postIds.length === 0) return [];
  const rows = await db
    .select({
      id: posts.id,
      correctsPostId: posts.correctsPostId,
      status: posts.status,
      createdAt: posts.createdAt,
      publishedAt: posts.publishedAt,
      publishedUrl: posts.publishedUrl,
    })
    .from(posts)
    .where(inArray(posts.correctsPostId, [...postIds]))
    .orderBy(asc(posts.id));
  const out: CorrectionRef[] = [];
  for (const r of rows) if (r.correctsPostId !== null) out.push({ ...r, correctsPostId: r.correctsPostId });
  return out;
}

/** Names of staff by id (approvers, publishers, those who marked an error). */
export async function staffNames(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db
    .select({ id: staff.id, name: staff.name })
    .from(staff)
    .where(inArray(staff.id, unique));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Names of pre-approved scopes by id (予め範囲を決めた許可, 5.1.4). */
export async function scopeNames(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db
    .select({ id: postScopes.id, name: postScopes.name })
    .from(postScopes)
    .where(inArray(postScopes.id, unique));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** An account offered as a search condition, with its division. */
export type AccountChoice = {
  id: number;
  name: string;
  platform: string;
  divisionId: number;
  divisionName: string;
};

/** Accounts to offer in the search form: all, or the listed ones. */
export async function accountChoices(db: Db, ids: readonly number[] | null): Promise<AccountChoice[]> {
  if (ids !== null && ids.length === 0) return [];
  const rows = await db
    .select({
      id: accounts.id,
      name: accounts.name,
      platform: accounts.platform,
      divisionId: accounts.divisionId,
      divisionName: divisions.name,
      divisionCode: divisions.code,
    })
    .from(accounts)
    .innerJoin(divisions, eq(divisions.id, accounts.divisionId))
    .where(ids === null ? undefined : inArray(accounts.id, [...ids]))
    .orderBy(asc(divisions.code), asc(accounts.name), asc(accounts.id));
  return rows.map(({ divisionCode: _, ...r }) => r);
}

/**
 * Refreshes the planner's statistics of the tables the archive searches. The embedded database
 * runs no autovacuum, so without this its planner never learns how the posts are distributed
 * (bench/archive.ts: searches took up to twice the CPU time as seeded than after ANALYZE); on PostgreSQL
 * autovacuum does it as well and this costs little.
 */
export async function refreshArchiveStatistics(db: Db): Promise<void> {
  await db.execute(sql`analyze ${posts}, ${postVersions}, ${postDecisions}, ${accounts}`);
}
