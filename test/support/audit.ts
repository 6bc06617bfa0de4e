/**
 * Audit-log helpers for tests: append entries the way use cases do, and tamper with the log the
 * way a database superuser could, going around the append-only triggers.
 */
import { createPublicKey, type KeyObject, sign } from "node:crypto";
import { rm } from "node:fs/promises";
import canonicalize from "canonicalize";
import { type SQL, sql } from "drizzle-orm";
import { record } from "../../src/app/audit/record.ts";
import { systemActor } from "../../src/app/context.ts";
import type { Db } from "../../src/db/client.ts";
import { entriesAfter } from "../../src/db/repos/audit.ts";
import { entryHash, keyIdOf } from "../../src/domain/audit-chain.ts";
import type { TestApp } from "./context.ts";

/** Appends `count` entries (`settings.update` by a test job, summary `{ n }`), one per `stepMs` of test-clock time. */
export async function appendEntries(app: TestApp, count: number, stepMs = 60_000): Promise<void> {
  for (let i = 0; i < count; i++) {
    await app.ctx.db.transaction(async (tx) => {
      await record(tx, {
        actor: systemActor("test"),
        at: app.clock.now(),
        action: "settings.update",
        target: { type: "test", id: i + 1 },
        summary: { n: i + 1, note: `event ${i + 1}` },
      });
    });
    app.clock.advance(stepMs);
  }
}

/** Runs `work` with triggers off for this transaction only (`session_replication_role = replica`). */
export async function asSuperuser(db: Db, work: (tx: Db) => Promise<void>): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await work(tx);
  });
}

/** Runs `work` with the audit tables' user triggers disabled (DDL, undone at the end). */
export async function withTriggersDisabled(db: Db, work: (tx: Db) => Promise<void>): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`alter table audit_log disable trigger user`);
    await tx.execute(sql`alter table audit_checkpoints disable trigger user`);
    await work(tx);
    await tx.execute(sql`alter table audit_log enable trigger user`);
    await tx.execute(sql`alter table audit_checkpoints enable trigger user`);
  });
}

/** Empties the audit log and its checkpoints, and removes the anchor file (between scenarios). */
export async function resetAudit(app: Pick<TestApp, "ctx">): Promise<void> {
  await withTriggersDisabled(app.ctx.db, async (tx) => {
    await tx.execute(sql`truncate audit_log, audit_checkpoints restart identity`);
  });
  await rm(app.ctx.config.auditAnchorFile, { force: true });
}

/**
 * Deletes rows as a superuser would after dropping the append-only triggers (the raw SQL goes
 * through the database handle).
 */
export async function deleteAsSuperuser(db: Db, statement: SQL): Promise<void> {
  await withTriggersDisabled(db, async (tx) => {
    await tx.execute(statement);
  });
}

/**
 * Stores a checkpoint in the format written before checkpoints were chained (format 1): a
 * signature over JCS({seq, hash, at}) of the entry only.
 */
export async function insertLegacyCheckpoint(
  db: Db,
  entry: { seq: number; hash: string },
  at: string,
  privateKey: KeyObject,
): Promise<void> {
  const text = canonicalize({ seq: entry.seq, hash: entry.hash, at });
  if (text === undefined) throw new Error("cannot canonicalise");
  const signature = sign(null, Buffer.from(text, "utf8"), privateKey).toString("base64");
  const keyId = keyIdOf(createPublicKey(privateKey));
  await db.execute(
    sql`insert into audit_checkpoints (seq, hash, at, key_id, signature) values (${entry.seq}, ${entry.hash}, ${at}, ${keyId}, ${signature})`,
  );
}

/**
 * Changes entry `seq`'s summary and recomputes the hash of it and every entry after it, so the
 * chain is consistent again: what a careful forger would do.
 */
export async function rewriteChainFrom(db: Db, seq: number, summary: Record<string, string>): Promise<void> {
  const entries = await entriesAfter(db, 0, 100_000);
  await withTriggersDisabled(db, async (tx) => {
    let prevHash: string | null = null;
    for (const entry of entries) {
      if (entry.seq < seq) continue;
      const body = { ...entry, summary: entry.seq === seq ? summary : entry.summary };
      const prev: string = prevHash ?? entry.prevHash;
      const hash = entryHash(prev, body);
      await tx.execute(
        sql`update audit_log set summary = ${JSON.stringify(body.summary)}::jsonb, prev_hash = ${prev}, hash = ${hash} where seq = ${entry.seq}`,
      );
      prevHash = hash;
    }
  });
}
