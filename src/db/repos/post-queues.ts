/**
 * SQL for the drafting and approval pages of posts (5.1.4): a person's own posts, the posts
 * waiting for a manager's (or deputy's) approval, the post-hoc reports not yet acknowledged, the
 * recent published posts of the city an operator may re-send (①), who wrote the versions of a
 * set of posts, the divisions a person deputises for today and the deputies of a day by
 * division, deputies with their names, and
 * discarding a draft that was never decided on.
 */
import { and, desc, eq, gte, inArray, isNotNull, isNull, lte, ne, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { PostStatus } from "../../domain/posts.ts";
import type { Db } from "../client.ts";
import {
  approvalDeputies,
  divisions,
  postDecisions,
  postImages,
  posts,
  postVersions,
  staff,
} from "../schema.ts";
import { type PostView, postViewQuery, toPostView } from "./posts.ts";

/** A person's own posts (newest change first), optionally of some statuses only. */
export async function postsByAuthor(
  db: Db,
  authorId: number,
  options: { statuses?: readonly PostStatus[]; limit?: number } = {},
): Promise<PostView[]> {
  const conditions: SQL[] = [eq(posts.authorId, authorId)];
  if (options.statuses && options.statuses.length > 0)
    conditions.push(inArray(posts.status, [...options.statuses]));
  const rows = await postViewQuery(db)
    .where(and(...conditions))
    .orderBy(desc(posts.updatedAt), desc(posts.id))
    .limit(options.limit ?? 200);
  return rows.map(toPostView);
}

/** Posts waiting for approval (承認待ち) on accounts of the given divisions, oldest first. */
export async function pendingInDivisions(db: Db, divisionIds: readonly number[]): Promise<PostView[]> {
  if (divisionIds.length === 0) return [];
  const rows = await postViewQuery(db)
    .where(and(eq(posts.status, "pending"), inArray(divisions.id, [...divisionIds])))
    .orderBy(posts.submittedAt, posts.id)
    .limit(500);
  return rows.map(toPostView);
}

/**
 * Post-hoc reports (事後報告, 5.1.4 ①–④) of the given divisions that nobody has acknowledged yet,
 * the earliest due first.
 */
export async function unacknowledgedReports(db: Db, divisionIds: readonly number[]): Promise<PostView[]> {
  if (divisionIds.length === 0) return [];
  const rows = await postViewQuery(db)
    .where(
      and(
        inArray(divisions.id, [...divisionIds]),
        ne(posts.category, "normal"),
        eq(posts.approvalRule, "post_hoc"),
        isNotNull(posts.reportDueAt),
        isNull(posts.acknowledgedAt),
        inArray(posts.status, ["published", "deleted"]),
      ),
    )
    .orderBy(posts.reportDueAt, posts.id)
    .limit(500);
  return rows.map(toPostView);
}

/**
 * Published posts of any of the city's accounts, newest first, leaving out those marked
 * erroneous (5.3.2): what ① 既発信内容の再発信 may repeat.
 */
export async function recentPublishedOfCity(db: Db, limit = 50): Promise<PostView[]> {
  const rows = await postViewQuery(db)
    .where(and(eq(posts.status, "published"), isNull(posts.erroneousAt)))
    .orderBy(desc(posts.publishedAt), desc(posts.id))
    .limit(limit);
  return rows.map(toPostView);
}

/** The authors of every version of these posts, by post (5.1.4: who wrote part of a post). */
export async function versionAuthorsOf(db: Db, postIds: readonly number[]): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>();
  if (postIds.length === 0) return out;
  const rows = await db
    .selectDistinct({ postId: postVersions.postId, authorId: postVersions.authorId })
    .from(postVersions)
    .where(inArray(postVersions.postId, [...postIds]));
  for (const r of rows) {
    if (r.authorId === null) continue;
    out.set(r.postId, [...(out.get(r.postId) ?? []), r.authorId]);
  }
  return out;
}

/** Divisions whose manager named `staffId` as deputy for `date` (YYYY-MM-DD, Tokyo). */
export async function deputyDivisionsOn(db: Db, staffId: number, date: string): Promise<number[]> {
  const rows = await db
    .selectDistinct({ divisionId: approvalDeputies.divisionId })
    .from(approvalDeputies)
    .where(
      and(
        eq(approvalDeputies.deputyId, staffId),
        lte(approvalDeputies.fromDate, date),
        gte(approvalDeputies.toDate, date),
        isNull(approvalDeputies.revokedAt),
      ),
    );
  return rows.map((r) => r.divisionId);
}

/** The deputies named for `date` (YYYY-MM-DD, Tokyo) in each of these divisions. */
export async function deputiesOnByDivision(
  db: Db,
  divisionIds: readonly number[],
  date: string,
): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>();
  if (divisionIds.length === 0) return out;
  const rows = await db
    .selectDistinct({ divisionId: approvalDeputies.divisionId, deputyId: approvalDeputies.deputyId })
    .from(approvalDeputies)
    .where(
      and(
        inArray(approvalDeputies.divisionId, [...new Set(divisionIds)]),
        lte(approvalDeputies.fromDate, date),
        gte(approvalDeputies.toDate, date),
        isNull(approvalDeputies.revokedAt),
      ),
    );
  for (const r of rows) out.set(r.divisionId, [...(out.get(r.divisionId) ?? []), r.deputyId]);
  return out;
}

/** A named deputy with the names of the manager, the deputy and the division. */
export type DeputyView = typeof approvalDeputies.$inferSelect & {
  managerName: string;
  deputyName: string;
  divisionName: string;
};

/** Deputies named for the given divisions, the latest period first. */
export async function deputiesOf(db: Db, divisionIds: readonly number[]): Promise<DeputyView[]> {
  if (divisionIds.length === 0) return [];
  const manager = alias(staff, "manager");
  const deputy = alias(staff, "deputy");
  const rows = await db
    .select({
      row: approvalDeputies,
      managerName: manager.name,
      deputyName: deputy.name,
      divisionName: divisions.name,
    })
    .from(approvalDeputies)
    .innerJoin(manager, eq(manager.id, approvalDeputies.managerId))
    .innerJoin(deputy, eq(deputy.id, approvalDeputies.deputyId))
    .innerJoin(divisions, eq(divisions.id, approvalDeputies.divisionId))
    .where(inArray(approvalDeputies.divisionId, [...divisionIds]))
    .orderBy(desc(approvalDeputies.fromDate), desc(approvalDeputies.id))
    .limit(500);
  return rows.map((r) => ({
    ...r.row,
    managerName: r.managerName,
    deputyName: r.deputyName,
    divisionName: r.divisionName,
  }));
}

/** One deputy row, locked for the rest of the transaction. */
export async function lockDeputy(db: Db, id: number) {
  const [row] = await db.select().from(approvalDeputies).where(eq(approvalDeputies.id, id)).for("update");
  return row;
}

/** Whether any decision (approval, return, …) was ever taken on the post. */
export async function hasDecisions(db: Db, postId: number): Promise<boolean> {
  const [row] = await db
    .select({ id: postDecisions.id })
    .from(postDecisions)
    .where(eq(postDecisions.postId, postId))
    .limit(1);
  return row !== undefined;
}

/** Removes a draft and its versions and images (only for drafts nobody has decided on). */
export async function deleteDraftPost(db: Db, postId: number): Promise<void> {
  await db.delete(postImages).where(eq(postImages.postId, postId));
  await db.delete(postVersions).where(eq(postVersions.postId, postId));
  await db.delete(posts).where(eq(posts.id, postId));
}
