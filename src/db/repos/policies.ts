/**
 * SQL for media policies (4.2): the versions of an account's policy, the one in force, the
 * draft being written, and the policies whose review is coming due (4.2.3).
 */
import { and, asc, desc, eq, inArray, lte, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { type AccountStatus, missingPolicyItems, type PolicyContent } from "../../domain/accounts.ts";
import type { Db } from "../client.ts";
import { accounts, mediaPolicies, staff } from "../schema.ts";

export const policyStatuses = ["draft", "approved", "superseded"] as const;
export type PolicyStatus = (typeof policyStatuses)[number];

type PolicyRow = typeof mediaPolicies.$inferSelect;

/** One version of an account's media policy. */
export type MediaPolicy = Omit<PolicyRow, "status"> & { status: PolicyStatus };

/** A version with the names of who wrote and who approved it (for pages). */
export type MediaPolicyView = MediaPolicy & { authorName: string | null; approverName: string | null };

function isPolicyStatus(value: string): value is PolicyStatus {
  return (policyStatuses as readonly string[]).includes(value);
}

function toPolicy(row: PolicyRow): MediaPolicy {
  return { ...row, status: isPolicyStatus(row.status) ? row.status : "draft" };
}

const author = alias(staff, "policy_author");
const approver = alias(staff, "policy_approver");

function viewQuery(db: Db) {
  return db
    .select({ policy: mediaPolicies, authorName: author.name, approverName: approver.name })
    .from(mediaPolicies)
    .leftJoin(author, eq(author.id, mediaPolicies.authorId))
    .leftJoin(approver, eq(approver.id, mediaPolicies.approvedBy));
}

const toView = (r: { policy: PolicyRow; authorName: string | null; approverName: string | null }) => ({
  ...toPolicy(r.policy),
  authorName: r.authorName,
  approverName: r.approverName,
});

/** The content fields a draft is written with. */
export type PolicyValues = Partial<PolicyContent> & { changeSummary?: string };

export async function insertPolicy(
  db: Db,
  values: PolicyValues & { accountId: number; version: number; authorId: number | null; at: Date },
): Promise<MediaPolicy> {
  const { at, ...rest } = values;
  const [row] = await db
    .insert(mediaPolicies)
    .values({ ...rest, status: "draft", createdAt: at, updatedAt: at })
    .returning();
  if (!row) throw new Error("insert media policy returned nothing");
  return toPolicy(row);
}

export async function findPolicy(db: Db, id: number): Promise<MediaPolicy | undefined> {
  const [row] = await db.select().from(mediaPolicies).where(eq(mediaPolicies.id, id));
  return row ? toPolicy(row) : undefined;
}

/** Locks one version for the rest of the transaction. */
export async function lockPolicy(db: Db, id: number): Promise<MediaPolicy | undefined> {
  const [row] = await db.select().from(mediaPolicies).where(eq(mediaPolicies.id, id)).for("update");
  return row ? toPolicy(row) : undefined;
}

/** Changes a version's content or state. */
export async function updatePolicy(
  db: Db,
  id: number,
  values: PolicyValues & {
    status?: PolicyStatus;
    approvedBy?: number | null;
    approvedAt?: Date | null;
    reviewDue?: string | null;
  },
  at: Date,
): Promise<MediaPolicy> {
  const [row] = await db
    .update(mediaPolicies)
    .set({ ...values, updatedAt: at })
    .where(eq(mediaPolicies.id, id))
    .returning();
  if (!row) throw new Error(`media policy ${id} vanished`);
  return toPolicy(row);
}

/** Removes a draft (only drafts are ever removed: published versions stay as records). */
export async function deleteDraft(db: Db, id: number): Promise<void> {
  await db.delete(mediaPolicies).where(and(eq(mediaPolicies.id, id), eq(mediaPolicies.status, "draft")));
}

/** The approved version in force, or undefined when the account has none yet. */
export async function currentPolicy(db: Db, accountId: number): Promise<MediaPolicy | undefined> {
  const [row] = await db
    .select()
    .from(mediaPolicies)
    .where(and(eq(mediaPolicies.accountId, accountId), eq(mediaPolicies.status, "approved")))
    .orderBy(desc(mediaPolicies.version))
    .limit(1);
  return row ? toPolicy(row) : undefined;
}

/**
 * Whether the account has an approved policy with every required item filled (4.2.1, 4.2.2):
 * an account may not become 運用中 without one.
 */
export async function hasCompleteApprovedPolicy(db: Db, accountId: number): Promise<boolean> {
  const policy = await currentPolicy(db, accountId);
  return policy !== undefined && missingPolicyItems(policy).length === 0;
}

/** The draft being written, if any (an account has at most one). */
export async function findDraft(db: Db, accountId: number): Promise<MediaPolicy | undefined> {
  const [row] = await db
    .select()
    .from(mediaPolicies)
    .where(and(eq(mediaPolicies.accountId, accountId), eq(mediaPolicies.status, "draft")))
    .orderBy(desc(mediaPolicies.version))
    .limit(1);
  return row ? toPolicy(row) : undefined;
}

/** The highest version number the account has used (0 when none). */
export async function latestVersionNumber(db: Db, accountId: number): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`coalesce(max(${mediaPolicies.version}), 0)::int` })
    .from(mediaPolicies)
    .where(eq(mediaPolicies.accountId, accountId));
  return row?.n ?? 0;
}

/** Every version of an account's policy, newest first, with author and approver names. */
export async function policyVersions(db: Db, accountId: number): Promise<MediaPolicyView[]> {
  const rows = await viewQuery(db)
    .where(eq(mediaPolicies.accountId, accountId))
    .orderBy(desc(mediaPolicies.version));
  return rows.map(toView);
}

/** One version by its number, with names. */
export async function findPolicyVersion(
  db: Db,
  accountId: number,
  version: number,
): Promise<MediaPolicyView | undefined> {
  const [row] = await viewQuery(db).where(
    and(eq(mediaPolicies.accountId, accountId), eq(mediaPolicies.version, version)),
  );
  return row ? toView(row) : undefined;
}

/** The published version just before `version` (approved or superseded), for "what changed". */
export async function previousPublished(
  db: Db,
  accountId: number,
  version: number,
): Promise<MediaPolicy | undefined> {
  const [row] = await db
    .select()
    .from(mediaPolicies)
    .where(
      and(
        eq(mediaPolicies.accountId, accountId),
        inArray(mediaPolicies.status, ["approved", "superseded"]),
        sql`${mediaPolicies.version} < ${version}`,
      ),
    )
    .orderBy(desc(mediaPolicies.version))
    .limit(1);
  return row ? toPolicy(row) : undefined;
}

/** Marks every approved version of the account except `keepId` as superseded. */
export async function supersedeOthers(db: Db, accountId: number, keepId: number, at: Date): Promise<void> {
  await db
    .update(mediaPolicies)
    .set({ status: "superseded", updatedAt: at })
    .where(
      and(
        eq(mediaPolicies.accountId, accountId),
        eq(mediaPolicies.status, "approved"),
        sql`${mediaPolicies.id} <> ${keepId}`,
      ),
    );
}

/** An account whose policy in force is due for review on or before a date (4.2.3). */
export type ReviewDue = {
  accountId: number;
  accountName: string;
  managerId: number | null;
  policyId: number;
  version: number;
  reviewDue: string;
};

/** Accounts in `statuses` whose approved policy's review date is on or before `until`. */
export async function reviewsDueBy(
  db: Db,
  until: string,
  statuses: readonly AccountStatus[],
): Promise<ReviewDue[]> {
  if (statuses.length === 0) return [];
  const rows = await db
    .select({
      accountId: accounts.id,
      accountName: accounts.name,
      managerId: accounts.managerId,
      policyId: mediaPolicies.id,
      version: mediaPolicies.version,
      reviewDue: mediaPolicies.reviewDue,
    })
    .from(mediaPolicies)
    .innerJoin(accounts, eq(accounts.id, mediaPolicies.accountId))
    .where(
      and(
        eq(mediaPolicies.status, "approved"),
        lte(mediaPolicies.reviewDue, until),
        inArray(accounts.status, [...statuses]),
      ),
    )
    .orderBy(asc(mediaPolicies.reviewDue), asc(accounts.id));
  return rows.flatMap((r) => (r.reviewDue === null ? [] : [{ ...r, reviewDue: r.reviewDue }]));
}

/** Drafts waiting for approval on accounts of these divisions (a manager's to-do list). */
export async function draftsInDivisions(
  db: Db,
  divisionIds: readonly number[],
): Promise<Array<{ accountId: number; accountName: string; version: number; updatedAt: Date }>> {
  if (divisionIds.length === 0) return [];
  return db
    .select({
      accountId: accounts.id,
      accountName: accounts.name,
      version: mediaPolicies.version,
      updatedAt: mediaPolicies.updatedAt,
    })
    .from(mediaPolicies)
    .innerJoin(accounts, eq(accounts.id, mediaPolicies.accountId))
    .where(
      and(
        eq(mediaPolicies.status, "draft"),
        inArray(accounts.divisionId, [...divisionIds]),
        sql`${accounts.status} not in ('closed', 'rejected')`,
      ),
    )
    .orderBy(asc(mediaPolicies.updatedAt));
}
