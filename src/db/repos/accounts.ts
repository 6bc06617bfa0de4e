/**
 * SQL for official accounts: the registry row, its history, approval steps, operators and
 * credential holders.
 */
import { and, asc, eq, inArray, or, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { type AccountStatus, isAccountStatus } from "../../domain/accounts.ts";
import type { Db } from "../client.ts";
import {
  accountApprovals,
  accountEvents,
  accountOperators,
  accounts,
  credentialHolders,
  departments,
  divisions,
  existingAccounts,
  staff,
} from "../schema.ts";

type AccountRow = typeof accounts.$inferSelect;
export type Account = Omit<AccountRow, "status"> & { status: AccountStatus };

/** An account with the names of its division and department (for lists and pages). */
export type AccountView = Account & {
  divisionName: string;
  departmentId: number;
  departmentName: string;
  managerName: string | null;
};

function toAccount(row: AccountRow): Account {
  return { ...row, status: isAccountStatus(row.status) ? row.status : "draft" };
}

const viewColumns = {
  account: accounts,
  divisionName: divisions.name,
  departmentId: divisions.departmentId,
  departmentName: departments.name,
  managerName: staff.name,
};

function viewQuery(db: Db) {
  return db
    .select(viewColumns)
    .from(accounts)
    .innerJoin(divisions, eq(divisions.id, accounts.divisionId))
    .innerJoin(departments, eq(departments.id, divisions.departmentId))
    .leftJoin(staff, eq(staff.id, accounts.managerId));
}

type ViewRow = {
  account: AccountRow;
  divisionName: string;
  departmentId: number;
  departmentName: string;
  managerName: string | null;
};
const toView = (r: ViewRow): AccountView => ({
  ...toAccount(r.account),
  divisionName: r.divisionName,
  departmentId: r.departmentId,
  departmentName: r.departmentName,
  managerName: r.managerName,
});

export type AccountValues = Partial<Omit<AccountRow, "id" | "createdAt" | "updatedAt" | "version">>;

export async function insertAccount(
  db: Db,
  values: AccountValues & { divisionId: number; platform: string; name: string },
): Promise<Account> {
  const [row] = await db.insert(accounts).values(values).returning();
  if (!row) throw new Error("insert account returned nothing");
  return toAccount(row);
}

export async function findAccount(db: Db, id: number): Promise<Account | undefined> {
  const [row] = await db.select().from(accounts).where(eq(accounts.id, id));
  return row ? toAccount(row) : undefined;
}

export async function findAccountView(db: Db, id: number): Promise<AccountView | undefined> {
  const [row] = await viewQuery(db).where(eq(accounts.id, id));
  return row ? toView(row) : undefined;
}

/** Locks the account row for the rest of the transaction (approvals, edits serialise here). */
export async function lockAccount(db: Db, id: number): Promise<Account | undefined> {
  const [row] = await db.select().from(accounts).where(eq(accounts.id, id)).for("update");
  return row ? toAccount(row) : undefined;
}

/** Updates and bumps the version. */
export async function updateAccount(db: Db, id: number, values: AccountValues, at: Date): Promise<Account> {
  const [row] = await db
    .update(accounts)
    .set({ ...values, updatedAt: at, version: sql`${accounts.version} + 1` })
    .where(eq(accounts.id, id))
    .returning();
  if (!row) throw new Error(`account ${id} vanished`);
  return toAccount(row);
}

export type AccountFilter = {
  departmentId?: number;
  divisionId?: number;
  platform?: string;
  statuses?: readonly AccountStatus[];
  text?: string;
  /**
   * Visibility: applications before approval (draft, returned, rejected, pending) are seen only
   * by their division and the overseers; `visibleDivisionIds` null means "all".
   */
  visibleDivisionIds: number[] | null;
};

const privateStatuses: AccountStatus[] = [
  "draft",
  "returned",
  "rejected",
  "pending_department_head",
  "pending_policy_director",
  "existing_pending",
];

function accountConditions(filter: AccountFilter): SQL | undefined {
  const conditions: SQL[] = [];
  if (filter.departmentId !== undefined) conditions.push(eq(divisions.departmentId, filter.departmentId));
  if (filter.divisionId !== undefined) conditions.push(eq(accounts.divisionId, filter.divisionId));
  if (filter.platform) conditions.push(eq(accounts.platform, filter.platform));
  if (filter.statuses && filter.statuses.length > 0)
    conditions.push(inArray(accounts.status, [...filter.statuses]));
  if (filter.text) {
    const pattern = `%${filter.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const match = or(
      sql`${accounts.name} ilike ${pattern}`,
      sql`${accounts.alias} ilike ${pattern}`,
      sql`${accounts.handle} ilike ${pattern}`,
    );
    if (match) conditions.push(match);
  }
  if (filter.visibleDivisionIds !== null) {
    const visible = or(
      sql`${accounts.status} not in (${sql.join(
        privateStatuses.map((s) => sql`${s}`),
        sql`, `,
      )})`,
      filter.visibleDivisionIds.length > 0
        ? inArray(accounts.divisionId, filter.visibleDivisionIds)
        : sql`false`,
    );
    if (visible) conditions.push(visible);
  }
  return conditions.length ? and(...conditions) : undefined;
}

/** The registry, ordered by department, division, platform and name. */
export async function listAccounts(db: Db, filter: AccountFilter): Promise<AccountView[]> {
  const rows = await viewQuery(db)
    .where(accountConditions(filter))
    .orderBy(
      asc(departments.code),
      asc(divisions.code),
      asc(accounts.platform),
      asc(accounts.name),
      asc(accounts.id),
    );
  return rows.map(toView);
}

// History

export type AccountEvent = typeof accountEvents.$inferSelect & { actorName: string | null };

export async function insertEvent(
  db: Db,
  values: {
    accountId: number;
    kind: string;
    actorId: number | null;
    comment?: string;
    snapshot?: unknown;
    at: Date;
  },
): Promise<void> {
  await db
    .insert(accountEvents)
    .values({ ...values, comment: values.comment ?? "", snapshot: values.snapshot ?? null });
}

export async function listEvents(db: Db, accountId: number): Promise<AccountEvent[]> {
  const rows = await db
    .select({ event: accountEvents, actorName: staff.name })
    .from(accountEvents)
    .leftJoin(staff, eq(staff.id, accountEvents.actorId))
    .where(eq(accountEvents.accountId, accountId))
    .orderBy(asc(accountEvents.at), asc(accountEvents.id));
  return rows.map((r) => ({ ...r.event, actorName: r.actorName }));
}

// Approvals

export async function insertApproval(
  db: Db,
  values: {
    accountId: number;
    round: number;
    step: "department_head" | "policy_director";
    approverId: number;
    at: Date;
  },
): Promise<void> {
  await db.insert(accountApprovals).values(values);
}

export async function listApprovals(db: Db, accountId: number) {
  return db
    .select()
    .from(accountApprovals)
    .where(eq(accountApprovals.accountId, accountId))
    .orderBy(asc(accountApprovals.id));
}

/** The current submission round (number of submissions so far). */
export async function submissionRound(db: Db, accountId: number): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(accountEvents)
    .where(and(eq(accountEvents.accountId, accountId), eq(accountEvents.kind, "submitted")));
  return row?.n ?? 0;
}

// Operators and credential holders

export type Member = {
  staffId: number;
  name: string;
  employeeNo: string;
  divisionId: number | null;
  active: boolean;
  addedAt: Date;
};

function membersOf(
  db: Db,
  table: typeof accountOperators | typeof credentialHolders,
  accountId: number,
): Promise<Member[]> {
  return db
    .select({
      staffId: staff.id,
      name: staff.name,
      employeeNo: staff.employeeNo,
      divisionId: staff.divisionId,
      active: staff.active,
      addedAt: table.addedAt,
    })
    .from(table)
    .innerJoin(staff, eq(staff.id, table.staffId))
    .where(eq(table.accountId, accountId))
    .orderBy(asc(staff.employeeNo));
}

/** 運用に携わる職員 of an account (3, 4.1.3). */
export function listOperators(db: Db, accountId: number): Promise<Member[]> {
  return membersOf(db, accountOperators, accountId);
}

/** Those who hold the account's login (4.3.1). */
export function listHolders(db: Db, accountId: number): Promise<Member[]> {
  return membersOf(db, credentialHolders, accountId);
}

/**
 * Replaces a member list with `staffIds`: removes only those no longer on it and adds only the
 * new ones, so a row that stays is never deleted and re-inserted (a submission holding it keeps
 * it, 3). Returns who was removed and who was added.
 */
async function replaceMembers(
  db: Db,
  table: typeof accountOperators | typeof credentialHolders,
  accountId: number,
  staffIds: readonly number[],
  at: Date,
): Promise<{ removed: number[]; added: number[] }> {
  const wanted = [...new Set(staffIds)];
  const current = (
    await db.select({ staffId: table.staffId }).from(table).where(eq(table.accountId, accountId))
  ).map((r) => r.staffId);
  const removed = current.filter((id) => !wanted.includes(id));
  const added = wanted.filter((id) => !current.includes(id));
  if (removed.length > 0)
    await db.delete(table).where(and(eq(table.accountId, accountId), inArray(table.staffId, removed)));
  if (added.length > 0)
    await db.insert(table).values(added.map((staffId) => ({ accountId, staffId, addedAt: at })));
  return { removed, added };
}

/** Replaces the operator list (see replaceMembers). */
export function setOperators(
  db: Db,
  accountId: number,
  staffIds: readonly number[],
  at: Date,
): Promise<{ removed: number[]; added: number[] }> {
  return replaceMembers(db, accountOperators, accountId, staffIds, at);
}

/** Replaces the credential-holder list (see replaceMembers). */
export function setHolders(
  db: Db,
  accountId: number,
  staffIds: readonly number[],
  at: Date,
): Promise<{ removed: number[]; added: number[] }> {
  return replaceMembers(db, credentialHolders, accountId, staffIds, at);
}

/**
 * Takes a person off an account's operator and credential-holder lists (a transfer, 4.3.2).
 * Returns which lists they were on.
 */
export async function removeMember(
  db: Db,
  accountId: number,
  staffId: number,
): Promise<{ operator: boolean; holder: boolean }> {
  const operator = await db
    .delete(accountOperators)
    .where(and(eq(accountOperators.accountId, accountId), eq(accountOperators.staffId, staffId)))
    .returning({ staffId: accountOperators.staffId });
  const holder = await db
    .delete(credentialHolders)
    .where(and(eq(credentialHolders.accountId, accountId), eq(credentialHolders.staffId, staffId)))
    .returning({ staffId: credentialHolders.staffId });
  return { operator: operator.length > 0, holder: holder.length > 0 };
}

/**
 * Holds the person's place on the account's operator list for the rest of the transaction (a
 * shared row lock): a transfer or a list change that removes them waits for the transaction, and
 * one that removed them first makes this answer false (3: posting rights come only from the list).
 */
export async function holdOperatorRow(db: Db, accountId: number, staffId: number): Promise<boolean> {
  const rows = await db
    .select({ staffId: accountOperators.staffId })
    .from(accountOperators)
    .where(and(eq(accountOperators.accountId, accountId), eq(accountOperators.staffId, staffId)))
    .for("share");
  return rows.length > 0;
}

/** Accounts (not closed) on which a person is an operator or a credential holder (4.3.2). */
export async function accountsTouching(
  db: Db,
  staffId: number,
): Promise<Array<{ account: Account; operator: boolean; holder: boolean }>> {
  const ops = await db
    .select({ accountId: accountOperators.accountId })
    .from(accountOperators)
    .where(eq(accountOperators.staffId, staffId));
  const holds = await db
    .select({ accountId: credentialHolders.accountId })
    .from(credentialHolders)
    .where(eq(credentialHolders.staffId, staffId));
  const ids = [...new Set([...ops, ...holds].map((r) => r.accountId))];
  if (ids.length === 0) return [];
  const rows = await db
    .select()
    .from(accounts)
    .where(and(inArray(accounts.id, ids), sql`${accounts.status} not in ('closed', 'rejected')`))
    .orderBy(asc(accounts.id));
  return rows.map((row) => ({
    account: toAccount(row),
    operator: ops.some((o) => o.accountId === row.id),
    holder: holds.some((h) => h.accountId === row.id),
  }));
}

/** Accounts of a division that are not closed (for a manager change, 4.1.4). */
export async function accountsOfDivision(db: Db, divisionId: number): Promise<Account[]> {
  const rows = await db
    .select()
    .from(accounts)
    .where(and(eq(accounts.divisionId, divisionId), sql`${accounts.status} not in ('closed', 'rejected')`))
    .orderBy(asc(accounts.id));
  return rows.map(toAccount);
}

/** Is `staffId` an operator of the account (3: posting rights come only from this list)? */
export async function isOperator(db: Db, accountId: number, staffId: number): Promise<boolean> {
  const [row] = await db
    .select({ staffId: accountOperators.staffId })
    .from(accountOperators)
    .where(and(eq(accountOperators.accountId, accountId), eq(accountOperators.staffId, staffId)));
  return row !== undefined;
}

// Accounts approved on paper before this system (既存アカウントとして登録)

export type ExistingRecord = typeof existingAccounts.$inferSelect & {
  recordedByName: string | null;
  confirmedByName: string | null;
};

export async function insertExisting(db: Db, values: typeof existingAccounts.$inferInsert): Promise<void> {
  await db.insert(existingAccounts).values(values);
}

export async function confirmExisting(
  db: Db,
  accountId: number,
  values: { confirmedBy: number | null; confirmedAt: Date },
): Promise<void> {
  await db.update(existingAccounts).set(values).where(eq(existingAccounts.accountId, accountId));
}

const recorder = alias(staff, "recorder");
const existingConfirmer = alias(staff, "existing_confirmer");

/** The paper record of an existing account, with who recorded and who confirmed it. */
export async function findExisting(db: Db, accountId: number): Promise<ExistingRecord | undefined> {
  const [row] = await db
    .select({
      record: existingAccounts,
      recordedByName: recorder.name,
      confirmedByName: existingConfirmer.name,
    })
    .from(existingAccounts)
    .leftJoin(recorder, eq(recorder.id, existingAccounts.recordedBy))
    .leftJoin(existingConfirmer, eq(existingConfirmer.id, existingAccounts.confirmedBy))
    .where(eq(existingAccounts.accountId, accountId));
  return row
    ? { ...row.record, recordedByName: row.recordedByName, confirmedByName: row.confirmedByName }
    : undefined;
}
