/**
 * SQL for signing in: credentials, sessions, failed-login counters, one-time links and personal
 * API tokens. Secrets are stored only as hashes (sessions, links, tokens) or argon2id (passwords).
 */
import { and, desc, eq, gt, isNull, lt, or, sql } from "drizzle-orm";
import type { Db } from "../client.ts";
import { apiTokens, loginThrottle, oneTimeTokens, sessions, settings, staffCredentials } from "../schema.ts";

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

export type Throttle = typeof loginThrottle.$inferSelect;

export async function findThrottle(db: Db, key: string): Promise<Throttle | undefined> {
  const [row] = await db.select().from(loginThrottle).where(eq(loginThrottle.key, key));
  return row;
}

export async function saveThrottle(db: Db, row: Throttle): Promise<void> {
  await db
    .insert(loginThrottle)
    .values(row)
    .onConflictDoUpdate({
      target: loginThrottle.key,
      set: { failures: row.failures, windowStart: row.windowStart, lockedUntil: row.lockedUntil },
    });
}

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
