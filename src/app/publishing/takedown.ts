/**
 * Taking a post down on its platform through the connection it went out by (7.1 containment, and
 * any deletion with a reason): the connector deletes it and the platform's answer is what the
 * record keeps. Runs before the deletion's transaction (a network call never holds a database
 * transaction open); `noteTakedown` then writes the answer on the outbox row inside it. A post
 * that did not go out through a connection (the manual record) has nothing to take down here.
 */
import type { Db } from "../../db/client.ts";
import {
  findConnection,
  type OutboxRow,
  outboxOfPost,
  updateOutbox,
} from "../../db/repos/platform-publishing.ts";
import { conflict } from "../../errors.ts";
import { platformLabel } from "../../guideline/pack.ts";
import { type DeletedPost, PlatformError } from "../../publishing/connector.ts";
import type { AppContext } from "../context.ts";
import { connectorFor } from "./connectors.ts";
import { freshCredentials } from "./fresh-credentials.ts";

/** The platform's answer to a takedown, for the deletion's record. */
export type Takedown = { outboxId: number; platform: string; answer: DeletedPost };

const manualHint =
  "プラットフォームの画面で削除した場合は、「接続を使わずにプラットフォームの画面で削除した」を選んで記録してください。";

/**
 * Deletes the post on its platform when it went out through a connection; null when it did not
 * (or the person says it was deleted on the platform's own screen, `manually`).
 * @throws AppError 409 with the platform's reason when the platform did not delete it
 */
export async function takeDownOnPlatform(
  ctx: AppContext,
  postId: number,
  manually: boolean,
): Promise<Takedown | null> {
  if (manually) return null;
  const row: OutboxRow | undefined = (await outboxOfPost(ctx.db, postId)).find(
    (r) => r.status === "recorded" && r.deletedOnPlatformAt === null,
  );
  if (!row) return null;
  const connection = await findConnection(ctx.db, row.connectionId);
  const connector = connectorFor(ctx.config, row.platform);
  const label = platformLabel(row.platform);
  if (connection?.status !== "active" || !connector)
    throw conflict(`${label}への接続が有効でないため、システムから削除できません。${manualHint}`);
  let answer: DeletedPost;
  try {
    answer = await connector.delete(
      await freshCredentials(ctx, connection, connector),
      { externalId: connection.externalId, handle: connection.externalHandle },
      row.platformPostId,
    );
  } catch (error) {
    if (!(error instanceof PlatformError)) throw error;
    throw conflict(`${label}で削除できませんでした。${error.message}${manualHint}`);
  }
  if (!answer.deleted) throw conflict(`${answer.note}${manualHint}`);
  return { outboxId: row.id, platform: row.platform, answer };
}

/** Keeps the platform's answer on the outbox row (in the deletion's transaction). */
export async function noteTakedown(tx: Db, takedown: Takedown, at: Date): Promise<Record<string, unknown>> {
  await updateOutbox(
    tx,
    takedown.outboxId,
    {
      deletedOnPlatformAt: at,
      response: { deletion: takedown.answer.raw, deletionNote: takedown.answer.note },
    },
    at,
  );
  return {
    outboxId: takedown.outboxId,
    platform: takedown.platform,
    note: takedown.answer.note,
    ...takedown.answer.raw,
  };
}
