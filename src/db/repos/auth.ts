/**
 * SQL for signing in: credentials, sessions, failed-login counters, one-time links and personal
 * API tokens. Secrets are stored only as hashes (sessions, links, tokens) or argon2id (passwords).
 */
import { and, desc, eq, gt, gte, inArray, isNotNull, isNull, lt, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { Placement } from "../../domain/roles.ts";
import type { Db } from "../client.ts";
import {
  actingAssignments,
  apiTokens,
  dataVersions,
  departments,
  divisions,
  loginThrottle,
  notifications,
  oneTimeTokens,
  positions,
  roleAssignments,
  sessions,
  settings,
  staff,
  staffCredentials,
} from "../schema.ts";
import { placementColumns, type RoleAssignment, type Staff, toPlacement } from "./staff.ts";

export type Credentials = typeof staffCredentials.$inferSelect;
export type Session = typeof sessions.$inferSelect;
export type ApiToken = typeof apiTokens.$inferSelect;

export async function findCredentials(db: Db, staffId: number): Promise<Credentials | undefined> {
  const [row] = await db.select().from(staffCredentials).where(eq(staffCredentials.staffId, staffId));
  return row;
}

/** Locks (creating if needed) a person's credential row for the rest of the transaction. */
export async function lockCredentials(db: Db, staffId: number): Promise<Credentials> {
  await db.insert(staffCredentials).values({ staffId }).onConflictDoNothing();
  const [row] = await db
    .select()
    .from(staffCredentials)
    .where(eq(staffCredentials.staffId, staffId))
    .for("update");
  if (!row) throw new Error("credentials row missing after insert");
  return row;
}

export async function updateCredentials(
  db: Db,
  staffId: number,
  values: Partial<Omit<Credentials, "staffId" | "updatedAt">>,
  at: Date,
): Promise<void> {
  await db.insert(staffCredentials).values({ staffId }).onConflictDoNothing();
  await db
    .update(staffCredentials)
    .set({ ...values, updatedAt: at })
    .where(eq(staffCredentials.staffId, staffId));
}

// Sessions

export async function insertSession(db: Db, values: typeof sessions.$inferInsert): Promise<void> {
  await db.insert(sessions).values(values);
}

export async function findSession(db: Db, idHash: string): Promise<Session | undefined> {
  const [row] = await db.select().from(sessions).where(eq(sessions.idHash, idHash));
  return row;
}

/** What a session lookup reads beside the session and its person, in the same statement. */
export type SessionExtras = {
  /** The person's role assignments, in id order (as `listAssignments`). */
  assignments: RoleAssignment[];
  /** Whether any acting assignment names them (not revoked): only then is it read. */
  hasActing: boolean;
  /** The stored setting `auth.require_2fa_roles` (raw JSON; null when unset). */
  requireTwoFactorRoles: unknown;
  /** Whether they have two-factor sign-in enabled. */
  totpEnabled: boolean;
  /** Their unread notifications, counted up to `unreadCap`. */
  unread: number;
  /** The staff list's data version (`data_versions`), or null when it has no row. */
  staffDirectoryVersion: string | null;
};

const assignmentJson = z.object({
  id: z.number(),
  staffId: z.number(),
  role: z.string(),
  scopeType: z.string(),
  scopeId: z.number().nullable(),
  assignedBy: z.number().nullable(),
  createdAt: z.number(),
  status: z.string(),
  validUntil: z.string().nullable(),
  approvedBy: z.number().nullable(),
  approvedAt: z.number().nullable(),
});

const assignmentsJson = z.array(assignmentJson);

function toAssignments(value: unknown): RoleAssignment[] {
  return assignmentsJson.parse(value ?? []).map((a) => ({
    ...a,
    createdAt: new Date(a.createdAt),
    approvedAt: a.approvedAt === null ? null : new Date(a.approvedAt),
  }));
}

const epochMs = (column: string) => sql.raw(`(extract(epoch from ra.${column}) * 1000)::float8`);

function sessionLookup(db: Db) {
  return db
    .select({
      session: sessions,
      person: staff,
      ...placementColumns,
      assignments: sql<unknown>`(select coalesce(json_agg(json_build_object(
        'id', ra.id, 'staffId', ra.staff_id, 'role', ra.role, 'scopeType', ra.scope_type,
        'scopeId', ra.scope_id, 'assignedBy', ra.assigned_by, 'createdAt', ${epochMs("created_at")},
        'status', ra.status, 'validUntil', ra.valid_until, 'approvedBy', ra.approved_by,
        'approvedAt', ${epochMs("approved_at")}) order by ra.id), '[]'::json)
        from ${roleAssignments} ra where ra.staff_id = ${sessions.staffId})`,
      hasActing: sql<boolean>`exists (select 1 from ${actingAssignments} aa
        where aa.staff_id = ${sessions.staffId} and aa.revoked_at is null)`,
      requireTwoFactorRoles: sql<unknown>`(select st.value from ${settings} st
        where st.key = 'auth.require_2fa_roles')`,
      totpEnabled: sql<boolean>`exists (select 1 from ${staffCredentials} sc
        where sc.staff_id = ${sessions.staffId} and sc.totp_enabled_at is not null)`,
      unread: sql<number>`(select count(*)::int from (select 1 from ${notifications} n
        where n.recipient_id = ${sessions.staffId} and n.read_at is null
        limit ${sql.placeholder("unreadCap")}) u)`,
      staffDirectoryVersion: sql<string | null>`(select dv.version::text from ${dataVersions} dv
        where dv.name = 'staff_directory')`,
    })
    .from(sessions)
    .innerJoin(staff, eq(staff.id, sessions.staffId))
    .leftJoin(positions, eq(positions.id, staff.positionId))
    .leftJoin(departments, eq(departments.id, staff.departmentId))
    .leftJoin(divisions, eq(divisions.id, staff.divisionId))
    .where(eq(sessions.idHash, sql.placeholder("idHash")))
    .prepare("snsgov_session_lookup");
}

/** The lookup built once per database (every signed-in request runs it; PostgreSQL keeps its plan). */
const sessionLookups = new WeakMap<Db, ReturnType<typeof sessionLookup>>();

/**
 * A session with its person, their placement, and what every signed-in request needs (their role
 * assignments, whether they stand in for anyone, the two-factor rule and their own two-factor
 * state, their unread notification count) in one statement: each request costs one round trip
 * before its page's own queries, and nothing is cached between requests (a role change or a
 * two-factor requirement applies on the very next request, on every instance).
 */
export async function findSessionWithPerson(
  db: Db,
  idHash: string,
  unreadCap = 100,
): Promise<({ session: Session; person: Staff; placement: Placement } & SessionExtras) | undefined> {
  let lookup = sessionLookups.get(db);
  if (!lookup) {
    lookup = sessionLookup(db);
    sessionLookups.set(db, lookup);
  }
  const [row] = await lookup.execute({ idHash, unreadCap });
  if (!row) return undefined;
  // placementOf joins the post and department strictly: without them, the person heads nothing.
  const placed = row.headOf !== null && row.departmentName !== null;
  return {
    session: row.session,
    person: row.person,
    placement: toPlacement(
      row.person,
      placed
        ? {
            headOf: row.headOf ?? "none",
            departmentName: row.departmentName ?? "",
            divisionName: row.divisionName,
          }
        : undefined,
    ),
    assignments: toAssignments(row.assignments),
    hasActing: row.hasActing === true,
    requireTwoFactorRoles: row.requireTwoFactorRoles,
    totpEnabled: row.totpEnabled === true,
    unread: Number(row.unread),
    staffDirectoryVersion: row.staffDirectoryVersion,
  };
}

export async function touchSession(db: Db, idHash: string, at: Date): Promise<void> {
  await db.update(sessions).set({ lastSeenAt: at }).where(eq(sessions.idHash, idHash));
}

export async function deleteSession(db: Db, idHash: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.idHash, idHash));
}

/** Ends every session of a person (logout everywhere, deactivation, password reset). */
export async function deleteSessionsOf(db: Db, staffId: number, exceptIdHash?: string): Promise<number> {
  const where = exceptIdHash
    ? and(eq(sessions.staffId, staffId), sql`${sessions.idHash} <> ${exceptIdHash}`)
    : eq(sessions.staffId, staffId);
  const rows = await db.delete(sessions).where(where).returning({ idHash: sessions.idHash });
  return rows.length;
}

/**
 * A person's live sessions (not past their absolute expiry, not idle since before `idleBefore`),
 * newest first: the list of their signed-in devices (ASVS 7.5.2).
 */
export async function listLiveSessionsOf(
  db: Db,
  staffId: number,
  now: Date,
  idleBefore: Date,
): Promise<Session[]> {
  return db
    .select()
    .from(sessions)
    .where(
      and(eq(sessions.staffId, staffId), gt(sessions.expiresAt, now), gte(sessions.lastSeenAt, idleBefore)),
    )
    .orderBy(desc(sessions.lastSeenAt), desc(sessions.createdAt));
}

/** Ends one session, only when it belongs to `staffId`; says whether one ended. */
export async function deleteSessionOf(db: Db, staffId: number, idHash: string): Promise<boolean> {
  const rows = await db
    .delete(sessions)
    .where(and(eq(sessions.staffId, staffId), eq(sessions.idHash, idHash)))
    .returning({ idHash: sessions.idHash });
  return rows.length > 0;
}

/** Ends every session of everyone but `exceptIdHash` (the administrator's own); returns how many. */
export async function deleteAllSessions(db: Db, exceptIdHash: string): Promise<number> {
  const rows = await db
    .delete(sessions)
    .where(sql`${sessions.idHash} <> ${exceptIdHash}`)
    .returning({ idHash: sessions.idHash });
  return rows.length;
}

/** Removes sessions idle since before `idleBefore` or past their absolute expiry. */
export async function deleteExpiredSessions(db: Db, now: Date, idleBefore: Date): Promise<number> {
  const rows = await db
    .delete(sessions)
    .where(or(lt(sessions.expiresAt, now), lt(sessions.lastSeenAt, idleBefore)))
    .returning({ idHash: sessions.idHash });
  return rows.length;
}

export async function countSessionsOf(db: Db, staffId: number): Promise<number> {
  const rows = await db
    .select({ idHash: sessions.idHash })
    .from(sessions)
    .where(eq(sessions.staffId, staffId));
  return rows.length;
}

// Throttling
//
// One row per key. For a login ID (`login:…`) or a second factor (`totp:…`), `failures` counts the
// attempts taken in the window that began at `window_start`; an attempt is counted when it is
// reserved, before its password or code is checked, so parallel guesses cannot overtake the count.
// `locked_until` ends a lock. For an address (`ip:…`), `failures` counts failed sign-ins in the
// window and no lock is ever set.

export type Throttle = typeof loginThrottle.$inferSelect;

const at = (d: Date) => sql`${d.toISOString()}::timestamptz`;

export async function findThrottle(db: Db, key: string): Promise<Throttle | undefined> {
  const [row] = await db.select().from(loginThrottle).where(eq(loginThrottle.key, key));
  return row;
}

/** The answer to a request for one more attempt: granted, or refused until an instant. */
export type Reservation = { granted: true } | { granted: false; until: Date };

/**
 * Takes one of the `max` attempts a key has per window, in one statement (the row is locked while
 * it is decided, so concurrent requests are counted one after another). Refused while the key is
 * locked or when the window's attempts are all taken. The window starts over when it has passed
 * or a lock has ended.
 */
export async function reserveAttempt(
  db: Db,
  props: { key: string; now: Date; max: number; windowMs: number },
): Promise<Reservation> {
  const { key, now, max, windowMs } = props;
  const windowFloor = new Date(now.getTime() - windowMs);
  const startsOver = sql`(${loginThrottle.lockedUntil} is not null or ${loginThrottle.windowStart} <= ${at(windowFloor)})`;
  const rows = await db
    .insert(loginThrottle)
    .values({ key, failures: 1, windowStart: now, lockedUntil: null })
    .onConflictDoUpdate({
      target: loginThrottle.key,
      set: {
        failures: sql`case when ${startsOver} then 1 else ${loginThrottle.failures} + 1 end`,
        windowStart: sql`case when ${startsOver} then ${at(now)} else ${loginThrottle.windowStart} end`,
        lockedUntil: null,
      },
      setWhere: sql`(${loginThrottle.lockedUntil} is null or ${loginThrottle.lockedUntil} <= ${at(now)})
        and (${startsOver} or ${loginThrottle.failures} < ${max})`,
    })
    .returning({ key: loginThrottle.key });
  if (rows.length > 0) return { granted: true };
  const row = await findThrottle(db, key);
  if (row?.lockedUntil && row.lockedUntil > now) return { granted: false, until: row.lockedUntil };
  return { granted: false, until: new Date((row?.windowStart ?? now).getTime() + windowMs) };
}

/**
 * After a checked attempt failed: locks the key until `until` when its window's `max` attempts are
 * all taken. An existing lock is never shortened, extended or lifted here.
 * @returns whether this call set the lock
 */
export async function lockWhenSpent(
  db: Db,
  props: { key: string; max: number; until: Date },
): Promise<boolean> {
  const rows = await db
    .update(loginThrottle)
    .set({ lockedUntil: props.until })
    .where(
      and(
        eq(loginThrottle.key, props.key),
        gte(loginThrottle.failures, props.max),
        isNull(loginThrottle.lockedUntil),
      ),
    )
    .returning({ key: loginThrottle.key });
  return rows.length > 0;
}

/**
 * Counts one failure for a key in one statement (a window that has passed starts over).
 * @returns the failures in the current window, this one included
 */
export async function countFailure(
  db: Db,
  props: { key: string; now: Date; windowMs: number },
): Promise<number> {
  const { key, now } = props;
  const startsOver = sql`${loginThrottle.windowStart} <= ${at(new Date(now.getTime() - props.windowMs))}`;
  const [row] = await db
    .insert(loginThrottle)
    .values({ key, failures: 1, windowStart: now, lockedUntil: null })
    .onConflictDoUpdate({
      target: loginThrottle.key,
      set: {
        failures: sql`case when ${startsOver} then 1 else ${loginThrottle.failures} + 1 end`,
        windowStart: sql`case when ${startsOver} then ${at(now)} else ${loginThrottle.windowStart} end`,
      },
    })
    .returning({ failures: loginThrottle.failures });
  return row?.failures ?? 1;
}

/** Failures counted for a key in the window that has not yet passed at `now` (0 when none). */
export async function recentFailures(
  db: Db,
  props: { key: string; now: Date; windowMs: number },
): Promise<number> {
  const row = await findThrottle(db, props.key);
  if (!row || props.now.getTime() - row.windowStart.getTime() >= props.windowMs) return 0;
  return row.failures;
}

/** Forgets a key's attempts and lock (after a successful sign-in). */
export async function clearThrottle(db: Db, key: string): Promise<void> {
  await db.delete(loginThrottle).where(eq(loginThrottle.key, key));
}

// One-time links

export async function insertOneTimeToken(db: Db, values: typeof oneTimeTokens.$inferInsert): Promise<void> {
  await db.insert(oneTimeTokens).values(values);
}

/** Finds an unused, unexpired link by hash and locks it. */
export async function lockUsableToken(db: Db, tokenHash: string, now: Date) {
  const [row] = await db
    .select()
    .from(oneTimeTokens)
    .where(
      and(
        eq(oneTimeTokens.tokenHash, tokenHash),
        isNull(oneTimeTokens.usedAt),
        gt(oneTimeTokens.expiresAt, now),
      ),
    )
    .for("update");
  return row;
}

export async function findUsableToken(db: Db, tokenHash: string, now: Date) {
  const [row] = await db
    .select()
    .from(oneTimeTokens)
    .where(
      and(
        eq(oneTimeTokens.tokenHash, tokenHash),
        isNull(oneTimeTokens.usedAt),
        gt(oneTimeTokens.expiresAt, now),
      ),
    );
  return row;
}

/**
 * Of `staffIds`, those who can sign in (a password is set) and those who have been sent a link
 * they can still use (unused, unexpired) to set one.
 */
export async function signInReadiness(
  db: Db,
  staffIds: readonly number[],
  now: Date,
): Promise<{ withPassword: Set<number>; withLink: Set<number> }> {
  if (staffIds.length === 0) return { withPassword: new Set(), withLink: new Set() };
  const ids = [...staffIds];
  const [passwords, links] = await Promise.all([
    db
      .select({ staffId: staffCredentials.staffId })
      .from(staffCredentials)
      .where(and(inArray(staffCredentials.staffId, ids), isNotNull(staffCredentials.passwordHash))),
    db
      .selectDistinct({ staffId: oneTimeTokens.staffId })
      .from(oneTimeTokens)
      .where(
        and(
          inArray(oneTimeTokens.staffId, ids),
          isNull(oneTimeTokens.usedAt),
          gt(oneTimeTokens.expiresAt, now),
        ),
      ),
  ]);
  return {
    withPassword: new Set(passwords.map((r) => r.staffId)),
    withLink: new Set(links.map((r) => r.staffId)),
  };
}

export async function markTokenUsed(db: Db, id: number, at: Date): Promise<void> {
  await db.update(oneTimeTokens).set({ usedAt: at }).where(eq(oneTimeTokens.id, id));
}

/** Voids a person's earlier unused links when a new one is issued. */
export async function voidTokensOf(db: Db, staffId: number, at: Date): Promise<void> {
  await db
    .update(oneTimeTokens)
    .set({ usedAt: at })
    .where(and(eq(oneTimeTokens.staffId, staffId), isNull(oneTimeTokens.usedAt)));
}

// API tokens

export async function insertApiToken(db: Db, values: typeof apiTokens.$inferInsert): Promise<ApiToken> {
  const [row] = await db.insert(apiTokens).values(values).returning();
  if (!row) throw new Error("insert api token returned nothing");
  return row;
}

export async function listApiTokens(db: Db, staffId: number): Promise<ApiToken[]> {
  return db.select().from(apiTokens).where(eq(apiTokens.staffId, staffId)).orderBy(desc(apiTokens.id));
}

export async function findApiTokenByHash(db: Db, tokenHash: string): Promise<ApiToken | undefined> {
  const [row] = await db.select().from(apiTokens).where(eq(apiTokens.tokenHash, tokenHash));
  return row;
}

export async function findApiToken(db: Db, id: number): Promise<ApiToken | undefined> {
  const [row] = await db.select().from(apiTokens).where(eq(apiTokens.id, id));
  return row;
}

export async function revokeApiToken(db: Db, id: number, at: Date): Promise<void> {
  await db.update(apiTokens).set({ revokedAt: at }).where(eq(apiTokens.id, id));
}

/** A person's tokens that still work at `at`: not revoked, not expired. */
const activeTokensOf = (staffId: number, at: Date) =>
  and(
    eq(apiTokens.staffId, staffId),
    isNull(apiTokens.revokedAt),
    or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, at)),
  );

/** Revokes every token of a person that still works at `at`; returns how many (ASVS 7.4.3). */
export async function revokeActiveApiTokensOf(db: Db, staffId: number, at: Date): Promise<number> {
  const rows = await db
    .update(apiTokens)
    .set({ revokedAt: at })
    .where(activeTokensOf(staffId, at))
    .returning({ id: apiTokens.id });
  return rows.length;
}

export async function touchApiToken(db: Db, id: number, at: Date): Promise<void> {
  await db.update(apiTokens).set({ lastUsedAt: at }).where(eq(apiTokens.id, id));
}

// Settings

export async function getSetting(db: Db, key: string): Promise<unknown> {
  const [row] = await db.select().from(settings).where(eq(settings.key, key));
  return row?.value;
}

export async function putSetting(
  db: Db,
  key: string,
  value: unknown,
  by: number | null,
  at: Date,
): Promise<void> {
  await db
    .insert(settings)
    .values({ key, value, updatedBy: by, updatedAt: at })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedBy: by, updatedAt: at } });
}
