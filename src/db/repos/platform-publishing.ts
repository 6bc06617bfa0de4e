/**
 * SQL for publishing through the platforms: the connections of accounts (never returning the
 * sealed token to a list), the outbox rows of posts (claimed with FOR UPDATE SKIP LOCKED and a
 * lease, so several senders never take the same row), and the approved posts that are due.
 */
import { and, asc, desc, eq, inArray, ne, sql } from "drizzle-orm";
import type { Db } from "../client.ts";
import { accounts, platformConnections, posts, publishingOutbox } from "../schema.ts";

export type ConnectionRow = typeof platformConnections.$inferSelect;
export type OutboxRow = typeof publishingOutbox.$inferSelect;
/** A connection as pages show it: everything but the sealed token. */
export type ConnectionInfo = Omit<ConnectionRow, "tokenCiphertext">;

/** The live (active or needing reconnection) connection of an account to a platform. */
export async function liveConnection(
  db: Db,
  accountId: number,
  platform: string,
  lock = false,
): Promise<ConnectionRow | undefined> {
  const query = db
    .select()
    .from(platformConnections)
    .where(
      and(
        eq(platformConnections.accountId, accountId),
        eq(platformConnections.platform, platform),
        ne(platformConnections.status, "revoked"),
      ),
    );
  const [row] = lock ? await query.for("update") : await query;
  return row;
}

export async function findConnection(db: Db, id: number, lock = false): Promise<ConnectionRow | undefined> {
  const query = db.select().from(platformConnections).where(eq(platformConnections.id, id));
  const [row] = lock ? await query.for("update") : await query;
  return row;
}

/** Every connection of an account, newest first (revoked ones too, for the history). */
export async function connectionsOf(db: Db, accountId: number): Promise<ConnectionRow[]> {
  return db
    .select()
    .from(platformConnections)
    .where(eq(platformConnections.accountId, accountId))
    .orderBy(desc(platformConnections.connectedAt), desc(platformConnections.id));
}

/** Active connections (for the profile watch). */
export async function activeConnections(db: Db): Promise<ConnectionRow[]> {
  return db
    .select()
    .from(platformConnections)
    .where(eq(platformConnections.status, "active"))
    .orderBy(asc(platformConnections.id));
}

/** Every connection's sealed token (for re-encryption under a new key). */
export async function allSealedTokens(db: Db): Promise<ConnectionRow[]> {
  return db.select().from(platformConnections).orderBy(asc(platformConnections.id)).for("update");
}

export async function insertConnection(
  db: Db,
  values: typeof platformConnections.$inferInsert,
): Promise<ConnectionRow> {
  const [row] = await db.insert(platformConnections).values(values).returning();
  if (!row) throw new Error("insert connection returned nothing");
  return row;
}

export async function updateConnection(
  db: Db,
  id: number,
  values: Partial<typeof platformConnections.$inferInsert>,
  at: Date,
): Promise<ConnectionRow> {
  const [row] = await db
    .update(platformConnections)
    .set({ ...values, updatedAt: at })
    .where(eq(platformConnections.id, id))
    .returning();
  if (!row) throw new Error(`connection ${id} not found`);
  return row;
}

/**
 * Approved posts due at `now` (schedule time passed or none, embargo passed, the approved version
 * is the current one, approved after the connection was first made) on accounts with an active
 * connection to their platform, without an outbox row for that connection yet.
 */
export async function duePostsToQueue(
  db: Db,
  now: Date,
  limit = 100,
): Promise<{ postId: number; connectionId: number }[]> {
  const at = now.toISOString();
  return db
    .select({ postId: posts.id, connectionId: platformConnections.id })
    .from(posts)
    .innerJoin(accounts, eq(accounts.id, posts.accountId))
    .innerJoin(
      platformConnections,
      and(
        eq(platformConnections.accountId, posts.accountId),
        eq(platformConnections.platform, accounts.platform),
        eq(platformConnections.status, "active"),
      ),
    )
    .where(
      and(
        eq(posts.status, "approved"),
        sql`${posts.approvedVersion} = ${posts.version}`,
        // Only posts approved since the account was first connected: older approved posts may
        // have been posted by hand without a record, and keep the manual record.
        sql`coalesce(${posts.approvedAt}, ${posts.submittedAt}, ${posts.createdAt}) >= ${platformConnections.createdAt}`,
        sql`(${posts.scheduledAt} is null or ${posts.scheduledAt} <= ${at}::timestamptz)`,
        sql`(${posts.embargoUntil} is null or ${posts.embargoUntil} <= ${at}::timestamptz)`,
        sql`not exists (select 1 from ${publishingOutbox} o where o.post_id = ${posts.id} and o.connection_id = ${platformConnections.id})`,
      ),
    )
    .orderBy(asc(posts.scheduledAt), asc(posts.id))
    .limit(limit);
}

/** Inserts an outbox row unless one exists for the post and connection; the row or undefined. */
export async function insertOutbox(
  db: Db,
  values: typeof publishingOutbox.$inferInsert,
): Promise<OutboxRow | undefined> {
  const [row] = await db.insert(publishingOutbox).values(values).onConflictDoNothing().returning();
  return row;
}

/**
 * Claims the next outbox row that is due: pending and due, or sending/accepted with an expired
 * lease (a sender that stopped half-way), or a narrowcast `delivering` whose next progress check is
 * due and that no one holds. Sets the lease and counts the attempt (not for accepted or
 * delivering rows: nothing is sent again); returns the row as it was before the claim
 * (`previousStatus`) and after.
 */
export async function claimNextOutbox(
  db: Db,
  now: Date,
  leaseMs: number,
): Promise<{ row: OutboxRow; previousStatus: string } | undefined> {
  const at = now.toISOString();
  const lease = new Date(now.getTime() + leaseMs).toISOString();
  const result = await db.execute<{ id: number; previous_status: string }>(sql`
    with next as (
      select o.id, o.status from ${publishingOutbox} o
      join ${platformConnections} c on c.id = o.connection_id and c.status = 'active'
      where (o.status = 'pending' and o.next_attempt_at <= ${at}::timestamptz)
         or (o.status in ('sending', 'accepted') and o.lease_until < ${at}::timestamptz)
         or (o.status = 'delivering' and o.next_attempt_at <= ${at}::timestamptz
             and (o.lease_until is null or o.lease_until < ${at}::timestamptz))
      order by o.next_attempt_at, o.id
      limit 1
      for update of o skip locked
    )
    update ${publishingOutbox} o set
      status = case when next.status in ('accepted', 'delivering') then next.status else 'sending' end,
      lease_until = ${lease}::timestamptz,
      attempts = o.attempts + case when next.status in ('accepted', 'delivering') then 0 else 1 end,
      first_sent_at = coalesce(o.first_sent_at, ${at}::timestamptz),
      updated_at = ${at}::timestamptz
    from next where o.id = next.id
    returning o.id, next.status as previous_status`);
  const claimed = result.rows[0];
  if (!claimed) return undefined;
  const row = await findOutbox(db, Number(claimed.id));
  return row ? { row, previousStatus: String(claimed.previous_status) } : undefined;
}

export async function findOutbox(db: Db, id: number, lock = false): Promise<OutboxRow | undefined> {
  const query = db.select().from(publishingOutbox).where(eq(publishingOutbox.id, id));
  const [row] = lock ? await query.for("update") : await query;
  return row;
}

export async function updateOutbox(
  db: Db,
  id: number,
  values: Partial<typeof publishingOutbox.$inferInsert>,
  at: Date,
): Promise<OutboxRow> {
  const [row] = await db
    .update(publishingOutbox)
    .set({ ...values, updatedAt: at })
    .where(eq(publishingOutbox.id, id))
    .returning();
  if (!row) throw new Error(`outbox row ${id} not found`);
  return row;
}

/** The outbox rows of a post (newest first). */
export async function outboxOfPost(db: Db, postId: number): Promise<OutboxRow[]> {
  return db
    .select()
    .from(publishingOutbox)
    .where(eq(publishingOutbox.postId, postId))
    .orderBy(desc(publishingOutbox.id));
}

/** Makes the waiting rows of a connection due now (after a reconnection). */
export async function wakeOutboxOf(db: Db, connectionId: number, at: Date): Promise<number> {
  const rows = await db
    .update(publishingOutbox)
    .set({ nextAttemptAt: at, updatedAt: at })
    .where(and(eq(publishingOutbox.connectionId, connectionId), eq(publishingOutbox.status, "pending")))
    .returning({ id: publishingOutbox.id });
  return rows.length;
}

/** Cancels the rows of a connection that have not gone out (the connection was revoked). */
export async function cancelOutboxOf(
  db: Db,
  connectionId: number,
  at: Date,
  reason: string,
): Promise<number[]> {
  const rows = await db
    .update(publishingOutbox)
    .set({ status: "cancelled", lastError: reason, updatedAt: at })
    .where(
      and(eq(publishingOutbox.connectionId, connectionId), inArray(publishingOutbox.status, ["pending"])),
    )
    .returning({ id: publishingOutbox.id });
  return rows.map((r) => r.id);
}
