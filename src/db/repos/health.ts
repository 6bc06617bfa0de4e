/**
 * SQL for the dashboard's per-account health table: which accounts a person looks after, and
 * the facts each badge is computed from (media policy, holders, rotation tasks, notices, the
 * manager's placement). Reads only; the judgement is in app/accounts/health.ts.
 */
import { and, asc, count, desc, eq, exists, inArray, notInArray, or, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "../client.ts";
import {
  accountNotices,
  accountOperators,
  accounts,
  credentialHolders,
  departments,
  divisions,
  mediaPolicies,
  positions,
  staff,
  tasks,
} from "../schema.ts";

/** Account statuses the health table covers: approved and not closed. */
export const healthStatuses = ["approved", "active", "change_announced", "closure_announced"] as const;

export type HealthAccount = {
  id: number;
  name: string;
  platform: string;
  status: string;
  divisionId: number;
  divisionName: string;
  departmentName: string;
  mfaEnabled: boolean;
  bioCheckedAt: Date | null;
  bioHasErrors: boolean;
  passwordChangedAt: Date | null;
  managerId: number | null;
  managerName: string | null;
  /** Whether the recorded manager is an active head of the account's division (4.1.4). */
  managerHeadsDivision: boolean;
};

const manager = alias(staff, "manager");
const managerPosition = alias(positions, "manager_position");

/**
 * The accounts a person looks after: all of them (`all`), or those they manage (recorded manager
 * or head of the division) or operate.
 */
export async function healthAccounts(
  db: Db,
  scope: { all: true } | { all: false; staffId: number; divisionIds: readonly number[] },
): Promise<HealthAccount[]> {
  const conditions: SQL[] = [inArray(accounts.status, [...healthStatuses])];
  if (!scope.all) {
    const mine: SQL[] = [
      eq(accounts.managerId, scope.staffId),
      exists(
        db
          .select({ one: sql`1` })
          .from(accountOperators)
          .where(
            and(eq(accountOperators.accountId, accounts.id), eq(accountOperators.staffId, scope.staffId)),
          ),
      ),
    ];
    if (scope.divisionIds.length > 0) mine.push(inArray(accounts.divisionId, [...scope.divisionIds]));
    conditions.push(or(...mine) ?? sql`false`);
  }
  const rows = await db
    .select({
      id: accounts.id,
      name: accounts.name,
      platform: accounts.platform,
      status: accounts.status,
      divisionId: accounts.divisionId,
      divisionName: divisions.name,
      departmentName: departments.name,
      mfaEnabled: accounts.mfaEnabled,
      bioCheckedAt: accounts.bioCheckedAt,
      bioHasErrors: accounts.bioHasErrors,
      passwordChangedAt: accounts.passwordChangedAt,
      managerId: accounts.managerId,
      managerName: manager.name,
      managerActive: manager.active,
      managerDivisionId: manager.divisionId,
      managerHeadOf: managerPosition.headOf,
    })
    .from(accounts)
    .innerJoin(divisions, eq(divisions.id, accounts.divisionId))
    .innerJoin(departments, eq(departments.id, divisions.departmentId))
    .leftJoin(manager, eq(manager.id, accounts.managerId))
    .leftJoin(managerPosition, eq(managerPosition.id, manager.positionId))
    .where(and(...conditions))
    .orderBy(asc(departments.code), asc(divisions.code), asc(accounts.platform), asc(accounts.name));
  return rows.map(({ managerActive, managerDivisionId, managerHeadOf, ...row }) => ({
    ...row,
    managerHeadsDivision:
      managerActive === true && managerDivisionId === row.divisionId && managerHeadOf === "division",
  }));
}

/** The newest approved media policy and whether a draft is waiting, per account. */
export type PolicyFacts = {
  approved: typeof mediaPolicies.$inferSelect | null;
  draftWaiting: boolean;
};

export type HealthFacts = {
  policy: PolicyFacts;
  holders: number;
  /** Due dates of open password-rotation tasks (4.3.2). */
  rotationDue: Array<string | null>;
  /** Notices not yet effective nor cancelled (4.5). */
  notices: Array<{ kind: string; status: string }>;
};

/** Everything the badges need for these accounts, in four queries. */
export async function healthFacts(db: Db, accountIds: readonly number[]): Promise<Map<number, HealthFacts>> {
  const out = new Map<number, HealthFacts>();
  if (accountIds.length === 0) return out;
  const ids = [...accountIds];
  for (const id of ids) {
    out.set(id, {
      policy: { approved: null, draftWaiting: false },
      holders: 0,
      rotationDue: [],
      notices: [],
    });
  }
  const [policies, holders, rotations, notices] = await Promise.all([
    db
      .select()
      .from(mediaPolicies)
      .where(and(inArray(mediaPolicies.accountId, ids), inArray(mediaPolicies.status, ["approved", "draft"])))
      .orderBy(desc(mediaPolicies.version)),
    db
      .select({ accountId: credentialHolders.accountId, n: count() })
      .from(credentialHolders)
      .where(inArray(credentialHolders.accountId, ids))
      .groupBy(credentialHolders.accountId),
    db
      .select({ accountId: tasks.accountId, dueDate: tasks.dueDate })
      .from(tasks)
      .where(
        and(inArray(tasks.accountId, ids), eq(tasks.kind, "password_rotation"), eq(tasks.status, "open")),
      ),
    db
      .select({
        accountId: accountNotices.accountId,
        kind: accountNotices.kind,
        status: accountNotices.status,
      })
      .from(accountNotices)
      .where(
        and(
          inArray(accountNotices.accountId, ids),
          notInArray(accountNotices.status, ["effective", "cancelled"]),
        ),
      )
      .orderBy(asc(accountNotices.id)),
  ]);
  for (const p of policies) {
    const facts = out.get(p.accountId);
    if (!facts) continue;
    if (p.status === "approved" && facts.policy.approved === null) facts.policy.approved = p;
    if (p.status === "draft") facts.policy.draftWaiting = true;
  }
  for (const h of holders) {
    const facts = out.get(h.accountId);
    if (facts) facts.holders = h.n;
  }
  for (const t of rotations) {
    const facts = t.accountId === null ? undefined : out.get(t.accountId);
    if (facts) facts.rotationDue.push(t.dueDate);
  }
  for (const n of notices) {
    out.get(n.accountId)?.notices.push({ kind: n.kind, status: n.status });
  }
  return out;
}
