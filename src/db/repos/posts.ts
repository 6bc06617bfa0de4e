/**
 * SQL for posts: the post row, its versions (with the checker's findings at each), its images,
 * the decisions taken on it, pre-approved scopes and approval deputies.
 */
import { and, asc, desc, eq, gte, isNull, lte } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { isPostCategory, isPostStatus, type PostCategory, type PostStatus } from "../../domain/posts.ts";
import type { Db } from "../client.ts";
import {
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

type PostRow = typeof posts.$inferSelect;
export type Post = Omit<PostRow, "status" | "category"> & { status: PostStatus; category: PostCategory };

/** A post with its account's facts and its author's name. */
export type PostView = Post & {
  accountName: string;
  platform: string;
  divisionId: number;
  divisionName: string;
  departmentId: number;
  managerId: number | null;
  authorName: string;
};

export function toPost(row: PostRow): Post {
  return {
    ...row,
    status: isPostStatus(row.status) ? row.status : "draft",
    category: isPostCategory(row.category) ? row.category : "normal",
  };
}

const viewColumns = {
  post: posts,
  accountName: accounts.name,
  platform: accounts.platform,
  divisionId: accounts.divisionId,
  divisionName: divisions.name,
  departmentId: divisions.departmentId,
  managerId: accounts.managerId,
  authorName: staff.name,
};

type ViewRow = {
  post: PostRow;
  accountName: string;
  platform: string;
  divisionId: number;
  divisionName: string;
  departmentId: number;
  managerId: number | null;
  authorName: string;
};

export function postViewQuery(db: Db) {
  return db
    .select(viewColumns)
    .from(posts)
    .innerJoin(accounts, eq(accounts.id, posts.accountId))
    .innerJoin(divisions, eq(divisions.id, accounts.divisionId))
    .innerJoin(staff, eq(staff.id, posts.authorId));
}

export function toPostView(r: ViewRow): PostView {
  return {
    ...toPost(r.post),
    accountName: r.accountName,
    platform: r.platform,
    divisionId: r.divisionId,
    divisionName: r.divisionName,
    departmentId: r.departmentId,
    managerId: r.managerId,
    authorName: r.authorName,
  };
}

export type PostValues = Partial<Omit<PostRow, "id">>;

export async function insertPost(
  db: Db,
  values: PostValues & { accountId: number; authorId: number },
): Promise<Post> {
  const [row] = await db.insert(posts).values(values).returning();
  if (!row) throw new Error("insert post returned nothing");
  return toPost(row);
}

export async function findPost(db: Db, id: number): Promise<Post | undefined> {
  const [row] = await db.select().from(posts).where(eq(posts.id, id));
  return row ? toPost(row) : undefined;
}

export async function findPostView(db: Db, id: number): Promise<PostView | undefined> {
  const [row] = await postViewQuery(db).where(eq(posts.id, id));
  return row ? toPostView(row) : undefined;
}

/** Locks the post row for the rest of the transaction (decisions and edits serialise here). */
export async function lockPost(db: Db, id: number): Promise<Post | undefined> {
  const [row] = await db.select().from(posts).where(eq(posts.id, id)).for("update");
  return row ? toPost(row) : undefined;
}

export async function updatePost(db: Db, id: number, values: PostValues, at: Date): Promise<Post> {
  const [row] = await db
    .update(posts)
    .set({ ...values, updatedAt: at })
    .where(eq(posts.id, id))
    .returning();
  if (!row) throw new Error(`post ${id} vanished`);
  return toPost(row);
}

/** The posts drafted together (one per account). */
export async function postsOfGroup(db: Db, groupId: number): Promise<PostView[]> {
  const rows = await postViewQuery(db).where(eq(posts.groupId, groupId)).orderBy(asc(posts.id));
  return rows.map(toPostView);
}

/** Corrections that name this post (5.3.3). */
export async function correctionsOf(db: Db, postId: number): Promise<Post[]> {
  const rows = await db.select().from(posts).where(eq(posts.correctsPostId, postId)).orderBy(asc(posts.id));
  return rows.map(toPost);
}

// Versions

export type PostVersion = typeof postVersions.$inferSelect;

export async function insertVersion(
  db: Db,
  values: {
    postId: number;
    version: number;
    text: string;
    findings: unknown;
    images: unknown;
    /** LINE: the version's audience (null or left out: every friend). */
    audience?: unknown;
    authorId: number | null;
    at: Date;
  },
): Promise<void> {
  await db.insert(postVersions).values(values);
}

export async function listVersions(db: Db, postId: number): Promise<PostVersion[]> {
  return db
    .select()
    .from(postVersions)
    .where(eq(postVersions.postId, postId))
    .orderBy(asc(postVersions.version));
}

// Images

export type PostImageInfo = Omit<typeof postImages.$inferSelect, "bytes">;

/** Every image column but the bytes (lists never load the files). */
export const imageInfoColumns = {
  id: postImages.id,
  postId: postImages.postId,
  position: postImages.position,
  filename: postImages.filename,
  contentType: postImages.contentType,
  size: postImages.size,
  alt: postImages.alt,
  rights: postImages.rights,
  rightsNote: postImages.rightsNote,
  metadataRemoved: postImages.metadataRemoved,
  createdAt: postImages.createdAt,
};

export async function insertImage(db: Db, values: typeof postImages.$inferInsert): Promise<PostImageInfo> {
  const [row] = await db.insert(postImages).values(values).returning(imageInfoColumns);
  if (!row) throw new Error("insert image returned nothing");
  return row;
}

export async function listImages(db: Db, postId: number): Promise<PostImageInfo[]> {
  return db
    .select(imageInfoColumns)
    .from(postImages)
    .where(eq(postImages.postId, postId))
    .orderBy(asc(postImages.position), asc(postImages.id));
}

/** One image with its bytes (to serve it). */
export async function findImage(db: Db, id: number) {
  const [row] = await db.select().from(postImages).where(eq(postImages.id, id));
  return row;
}

export async function deleteImage(db: Db, id: number): Promise<void> {
  await db.delete(postImages).where(eq(postImages.id, id));
}

// Decisions

export type PostDecision = typeof postDecisions.$inferSelect & {
  actorName: string | null;
  recordedByName: string | null;
};

export async function insertDecision(
  db: Db,
  values: {
    postId: number;
    version: number;
    decision: "approve" | "return" | "reject" | "acknowledge";
    rule?: string;
    actorId: number | null;
    comment?: string;
    givenAt?: Date | null;
    /** Who entered it, when not the person who decided (a confirmation given on the spot). */
    recordedBy?: number | null;
    at: Date;
  },
): Promise<void> {
  await db.insert(postDecisions).values({
    ...values,
    rule: values.rule ?? "",
    comment: values.comment ?? "",
    givenAt: values.givenAt ?? null,
    recordedBy: values.recordedBy ?? null,
  });
}

export async function listDecisions(db: Db, postId: number): Promise<PostDecision[]> {
  const recorder = alias(staff, "recorder");
  const rows = await db
    .select({ decision: postDecisions, actorName: staff.name, recordedByName: recorder.name })
    .from(postDecisions)
    .leftJoin(staff, eq(staff.id, postDecisions.actorId))
    .leftJoin(recorder, eq(recorder.id, postDecisions.recordedBy))
    .where(eq(postDecisions.postId, postId))
    .orderBy(asc(postDecisions.at), asc(postDecisions.id));
  return rows.map((r) => ({ ...r.decision, actorName: r.actorName, recordedByName: r.recordedByName }));
}

// Pre-approved scopes (5.1.4)

export type PostScope = typeof postScopes.$inferSelect;

export async function insertScope(db: Db, values: typeof postScopes.$inferInsert): Promise<PostScope> {
  const [row] = await db.insert(postScopes).values(values).returning();
  if (!row) throw new Error("insert scope returned nothing");
  return row;
}

export async function updateScope(
  db: Db,
  id: number,
  values: Partial<typeof postScopes.$inferInsert>,
  at: Date,
): Promise<PostScope | undefined> {
  const [row] = await db
    .update(postScopes)
    .set({ ...values, updatedAt: at })
    .where(eq(postScopes.id, id))
    .returning();
  return row;
}

export async function findScope(db: Db, id: number): Promise<PostScope | undefined> {
  const [row] = await db.select().from(postScopes).where(eq(postScopes.id, id));
  return row;
}

export async function listScopes(db: Db, accountId: number): Promise<PostScope[]> {
  return db
    .select()
    .from(postScopes)
    .where(eq(postScopes.accountId, accountId))
    .orderBy(desc(postScopes.active), asc(postScopes.name));
}

// Deputies (5.1.4: the deputy a manager names for an absence)

export type Deputy = typeof approvalDeputies.$inferSelect;

export async function insertDeputy(db: Db, values: typeof approvalDeputies.$inferInsert): Promise<Deputy> {
  const [row] = await db.insert(approvalDeputies).values(values).returning();
  if (!row) throw new Error("insert deputy returned nothing");
  return row;
}

export async function revokeDeputy(db: Db, id: number, at: Date): Promise<void> {
  await db.update(approvalDeputies).set({ revokedAt: at }).where(eq(approvalDeputies.id, id));
}

export async function listDeputies(db: Db, divisionId: number): Promise<Deputy[]> {
  return db
    .select()
    .from(approvalDeputies)
    .where(eq(approvalDeputies.divisionId, divisionId))
    .orderBy(desc(approvalDeputies.fromDate));
}

/** Whether `staffId` is a deputy of the division's manager on `date` (YYYY-MM-DD, Tokyo). */
export async function isDeputyOn(
  db: Db,
  divisionId: number,
  staffId: number,
  date: string,
): Promise<boolean> {
  const [row] = await db
    .select({ id: approvalDeputies.id })
    .from(approvalDeputies)
    .where(
      and(
        eq(approvalDeputies.divisionId, divisionId),
        eq(approvalDeputies.deputyId, staffId),
        lte(approvalDeputies.fromDate, date),
        gte(approvalDeputies.toDate, date),
        isNull(approvalDeputies.revokedAt),
      ),
    )
    .limit(1);
  return row !== undefined;
}
