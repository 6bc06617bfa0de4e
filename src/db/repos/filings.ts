/**
 * SQL for 届出 to the directors (4.1.2, 4.5.1): send a round, lock the latest round of one
 * filing (an account's acquisition, or one notice's filing to one director), record the
 * director's confirmation or question, and list filings with the names of the people involved.
 */
import { and, desc, eq, inArray, isNull, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { type FilingKind, type FilingStatus, isFilingKind, isFilingStatus } from "../../domain/filings.ts";
import type { Db } from "../client.ts";
import { accountFilings, accounts, divisions, staff } from "../schema.ts";

type FilingRow = typeof accountFilings.$inferSelect;

/** A filing round with its kind and status typed. */
export type Filing = Omit<FilingRow, "kind" | "status"> & { kind: FilingKind; status: FilingStatus };

/** A filing with its account and the names of who sent, confirmed and asked. */
export type FilingView = Filing & {
  accountName: string;
  accountPlatform: string;
  divisionId: number;
  departmentId: number;
  divisionName: string;
  sentByName: string | null;
  confirmedByName: string | null;
  questionedByName: string | null;
};

function toFiling(row: FilingRow): Filing {
  return {
    ...row,
    kind: isFilingKind(row.kind) ? row.kind : "acquisition",
    status: isFilingStatus(row.status) ? row.status : "sent",
  };
}

/** Which filing: an account's acquisition filing, or one notice's filing of one kind. */
export type FilingKey = { accountId: number; kind: FilingKind; noticeId: number | null };

function keyCondition(key: FilingKey): SQL | undefined {
  return and(
    eq(accountFilings.accountId, key.accountId),
    eq(accountFilings.kind, key.kind),
    key.noticeId === null ? isNull(accountFilings.noticeId) : eq(accountFilings.noticeId, key.noticeId),
  );
}

/** The latest round of a filing, locked for the rest of the transaction. */
export async function lockLatestFiling(db: Db, key: FilingKey): Promise<Filing | undefined> {
  const [row] = await db
    .select()
    .from(accountFilings)
    .where(keyCondition(key))
    .orderBy(desc(accountFilings.round))
    .limit(1)
    .for("update");
  return row ? toFiling(row) : undefined;
}

/** The latest round of a filing (not locked). */
export async function latestFiling(db: Db, key: FilingKey): Promise<Filing | undefined> {
  const [row] = await db
    .select()
    .from(accountFilings)
    .where(keyCondition(key))
    .orderBy(desc(accountFilings.round))
    .limit(1);
  return row ? toFiling(row) : undefined;
}

/** Locks one filing round by id. */
export async function lockFiling(db: Db, id: number): Promise<Filing | undefined> {
  const [row] = await db.select().from(accountFilings).where(eq(accountFilings.id, id)).for("update");
  return row ? toFiling(row) : undefined;
}

export async function insertFiling(
  db: Db,
  values: FilingKey & {
    round: number;
    content: unknown;
    message: string;
    sentAt: Date;
    sentBy: number | null;
  },
): Promise<Filing> {
  const [row] = await db
    .insert(accountFilings)
    .values({ ...values, status: "sent" })
    .returning();
  if (!row) throw new Error("insert filing returned nothing");
  return toFiling(row);
}

export type FilingValues = Partial<
  Pick<
    FilingRow,
    | "status"
    | "confirmedAt"
    | "confirmedBy"
    | "question"
    | "questionedAt"
    | "questionedBy"
    | "closedAt"
    | "content"
  >
>;

export async function updateFiling(db: Db, id: number, values: FilingValues): Promise<Filing> {
  const [row] = await db.update(accountFilings).set(values).where(eq(accountFilings.id, id)).returning();
  if (!row) throw new Error(`filing ${id} vanished`);
  return toFiling(row);
}

const sender = alias(staff, "sender");
const confirmer = alias(staff, "confirmer");
const asker = alias(staff, "asker");

function viewQuery(db: Db) {
  return db
    .select({
      filing: accountFilings,
      accountName: accounts.name,
      accountPlatform: accounts.platform,
      divisionId: accounts.divisionId,
      departmentId: divisions.departmentId,
      divisionName: divisions.name,
      sentByName: sender.name,
      confirmedByName: confirmer.name,
      questionedByName: asker.name,
    })
    .from(accountFilings)
    .innerJoin(accounts, eq(accounts.id, accountFilings.accountId))
    .innerJoin(divisions, eq(divisions.id, accounts.divisionId))
    .leftJoin(sender, eq(sender.id, accountFilings.sentBy))
    .leftJoin(confirmer, eq(confirmer.id, accountFilings.confirmedBy))
    .leftJoin(asker, eq(asker.id, accountFilings.questionedBy));
}

type ViewRow = Awaited<ReturnType<ReturnType<typeof viewQuery>["execute"]>>[number];

function toView(row: ViewRow): FilingView {
  const { filing, ...rest } = row;
  return { ...toFiling(filing), ...rest };
}

export async function findFilingView(db: Db, id: number): Promise<FilingView | undefined> {
  const [row] = await viewQuery(db).where(eq(accountFilings.id, id));
  return row ? toView(row) : undefined;
}

export type FilingFilter = {
  accountId?: number;
  noticeIds?: readonly number[];
  kinds?: readonly FilingKind[];
  statuses?: readonly FilingStatus[];
};

/** Filing rounds, newest first (all rounds: the history of each filing). */
export async function listFilings(db: Db, filter: FilingFilter): Promise<FilingView[]> {
  const conditions: SQL[] = [];
  if (filter.accountId !== undefined) conditions.push(eq(accountFilings.accountId, filter.accountId));
  if (filter.noticeIds) {
    if (filter.noticeIds.length === 0) return [];
    conditions.push(inArray(accountFilings.noticeId, [...filter.noticeIds]));
  }
  if (filter.kinds && filter.kinds.length > 0)
    conditions.push(inArray(accountFilings.kind, [...filter.kinds]));
  if (filter.statuses && filter.statuses.length > 0)
    conditions.push(inArray(accountFilings.status, [...filter.statuses]));
  const rows = await viewQuery(db)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(accountFilings.sentAt), desc(accountFilings.id));
  return rows.map(toView);
}

/** Closes every still-open round of a notice's filings (the notice was cancelled). */
export async function withdrawNoticeFilings(db: Db, noticeId: number, at: Date): Promise<number[]> {
  const rows = await db
    .update(accountFilings)
    .set({ status: "withdrawn", closedAt: at })
    .where(and(eq(accountFilings.noticeId, noticeId), inArray(accountFilings.status, ["sent", "questioned"])))
    .returning({ id: accountFilings.id });
  return rows.map((r) => r.id);
}

/** How many rounds of filings wait for the director in each kind (the dashboard's count). */
export async function waitingCount(db: Db, kinds: readonly FilingKind[]): Promise<number> {
  if (kinds.length === 0) return 0;
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(accountFilings)
    .where(and(eq(accountFilings.status, "sent"), inArray(accountFilings.kind, [...kinds])));
  return row?.n ?? 0;
}
