/**
 * SQL for the public pages (4.4, 4.5.2, 7.3): the accounts citizens may see (in a public status
 * or closed), their published media-policy versions, and the change/closure notices in their
 * display window. Read-only; the public side never writes.
 */
import { and, asc, desc, eq, gte, inArray, lte } from "drizzle-orm";
import type { Db } from "../client.ts";
import { accountEvents, accountNotices, accounts, departments, divisions, mediaPolicies } from "../schema.ts";

/** One account row as the public pages need it (no staff, credentials or application data). */
export type PublicAccountRow = {
  id: number;
  platform: string;
  name: string;
  alias: string;
  handle: string;
  url: string;
  homepageUrl: string;
  isCharacter: boolean;
  status: string;
  closedOn: string | null;
  divisionId: number;
  divisionName: string;
  departmentId: number;
  departmentName: string;
};

const publicColumns = {
  id: accounts.id,
  platform: accounts.platform,
  name: accounts.name,
  alias: accounts.alias,
  handle: accounts.handle,
  url: accounts.url,
  homepageUrl: accounts.homepageUrl,
  isCharacter: accounts.isCharacter,
  status: accounts.status,
  closedOn: accounts.closedOn,
  divisionId: accounts.divisionId,
  divisionName: divisions.name,
  departmentId: divisions.departmentId,
  departmentName: departments.name,
};

/**
 * Accounts whose status is one of `statuses` (the public ones and `closed`), ordered by
 * department, division, platform and name as the city's organisation chart lists them.
 */
export async function listAccountsByStatus(db: Db, statuses: readonly string[]): Promise<PublicAccountRow[]> {
  if (statuses.length === 0) return [];
  return db
    .select(publicColumns)
    .from(accounts)
    .innerJoin(divisions, eq(divisions.id, accounts.divisionId))
    .innerJoin(departments, eq(departments.id, divisions.departmentId))
    .where(inArray(accounts.status, [...statuses]))
    .orderBy(
      asc(departments.code),
      asc(divisions.code),
      asc(accounts.platform),
      asc(accounts.name),
      asc(accounts.id),
    );
}

/** A media_policies row. */
export type PolicyVersionRow = typeof mediaPolicies.$inferSelect;

/** The published versions of an account's media policy (approved and superseded), oldest first. */
export async function listPublishedPolicies(db: Db, accountId: number): Promise<PolicyVersionRow[]> {
  return db
    .select()
    .from(mediaPolicies)
    .where(
      and(eq(mediaPolicies.accountId, accountId), inArray(mediaPolicies.status, ["approved", "superseded"])),
    )
    .orderBy(asc(mediaPolicies.version));
}

/** Which accounts have an approved (current) media policy, and its version. */
export async function currentPolicyVersions(db: Db): Promise<Map<number, number>> {
  const rows = await db
    .select({ accountId: mediaPolicies.accountId, version: mediaPolicies.version })
    .from(mediaPolicies)
    .where(eq(mediaPolicies.status, "approved"))
    .orderBy(asc(mediaPolicies.accountId), asc(mediaPolicies.version));
  // Later versions overwrite earlier ones: the highest approved version is the one in force.
  return new Map(rows.map((r) => [r.accountId, r.version]));
}

/** A change/closure notice as the public pages read it. */
export type PublicNoticeRow = {
  id: number;
  accountId: number;
  kind: string;
  status: string;
  details: unknown;
  reason: string;
  effectiveDate: string;
  announcementDate: string | null;
  displayUntil: string | null;
};

/**
 * Change and closure notices in their display window on `today` (4.5.2): announced or already
 * effective, announced on or before today, shown until `display_until` inclusive. Newest first.
 */
export async function listNoticesShownOn(db: Db, today: string): Promise<PublicNoticeRow[]> {
  return db
    .select({
      id: accountNotices.id,
      accountId: accountNotices.accountId,
      kind: accountNotices.kind,
      status: accountNotices.status,
      details: accountNotices.details,
      reason: accountNotices.reason,
      effectiveDate: accountNotices.effectiveDate,
      announcementDate: accountNotices.announcementDate,
      displayUntil: accountNotices.displayUntil,
    })
    .from(accountNotices)
    .where(
      and(
        inArray(accountNotices.status, ["announced", "effective"]),
        lte(accountNotices.announcementDate, today),
        gte(accountNotices.displayUntil, today),
      ),
    )
    .orderBy(desc(accountNotices.announcementDate), desc(accountNotices.id));
}

/**
 * Changes that took effect (account_events of kind `changed`, whose snapshot holds the account
 * `before` and `after`), oldest first: the old names and URLs stay "formerly official".
 */
export async function listAppliedChanges(
  db: Db,
): Promise<Array<{ accountId: number; snapshot: unknown; at: Date }>> {
  return db
    .select({ accountId: accountEvents.accountId, snapshot: accountEvents.snapshot, at: accountEvents.at })
    .from(accountEvents)
    .where(eq(accountEvents.kind, "changed"))
    .orderBy(asc(accountEvents.at), asc(accountEvents.id));
}
