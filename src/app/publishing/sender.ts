/**
 * The sender: approved posts of connected accounts go out by themselves, exactly once.
 *
 * 1. queue — an approved post whose time has come (its schedule time, or at once without one;
 *    never before its embargo, 5.2.2.2) gets one outbox row per connection, with the SHA-256 of
 *    the approved version's text and images and a UUID used as the platform's retry key;
 * 2. claim — a row is leased (FOR UPDATE SKIP LOCKED) and the attempt counted, committed;
 * 3. send — the post is read again and its hash compared: an edit after approval stops it
 *    (5.1.4). After an earlier attempt that may have reached the platform, a platform without a
 *    retry key is first searched for the post (`findSent`); LINE gets the same `X-Line-Retry-Key`
 *    and answers 409 for a message it has;
 * 4. accept — the platform's answer (id, URL, request id, time) is kept on the row, committed;
 * 5. record — the publication is recorded through the posts' own use case (recordPublishing), so
 *    the checks of the record hold (time after approval, URL of this account), and the row is
 *    marked recorded in the same transaction.
 * A LINE narrowcast (a post whose approved audience is not everyone) is accepted first and sent
 * later: step 4 puts the row in `delivering`, and later passes ask LINE for its progress (polling,
 * the row leased like any other) until it succeeded — then step 5 — or failed, which becomes a
 * task for the operators with LINE's reason. Still not done a day after LINE accepted it, the
 * operators get a task too, and the polling goes on.
 * A sender that stops anywhere leaves the row leased; when the lease runs out, the next run picks
 * it up where it stopped. Refusals: 429 waits for `Retry-After`; 5xx and timeouts retry with
 * back-off; an expired token is refreshed where the platform allows, otherwise the account manager
 * is asked to reconnect; anything else becomes a task for the operators with the reason in
 * Japanese.
 */
import { createHash, randomUUID } from "node:crypto";
import type { Db } from "../../db/client.ts";
import { findAccount, listOperators } from "../../db/repos/accounts.ts";
import {
  type ConnectionRow,
  claimNextOutbox,
  duePostsToQueue,
  findConnection,
  findOutbox,
  insertOutbox,
  type OutboxRow,
  updateConnection,
  updateOutbox,
} from "../../db/repos/platform-publishing.ts";
import { findImage, findPost, listImages, listVersions, lockPost, type Post } from "../../db/repos/posts.ts";
import { openTask } from "../../db/repos/tasks.ts";
import { tokyoDate } from "../../domain/dates.ts";
import {
  canonicalAudience,
  type LineAudience,
  sameAudience,
  storedAudience,
} from "../../domain/line-audience.ts";
import { platformLabel } from "../../guideline/pack.ts";
import {
  type Connector,
  type Credentials,
  type OutgoingImage,
  PlatformError,
  type SentPost,
} from "../../publishing/connector.ts";
import { change } from "../audit/record.ts";
import { type Actor, type AppContext, systemActor } from "../context.ts";
import { notify } from "../notifications/notify.ts";
import { recordPublishing } from "../posts/publishing.ts";
import { connectorFor } from "./connectors.ts";
import { pollDelayMs, pollDelivery } from "./delivery.ts";
import { freshCredentials } from "./fresh-credentials.ts";
import { openOutboxTask } from "./outbox-task.ts";
import { imagesForPlatform, type SentMedia } from "./platform-media.ts";

/** The actor the publisher records as. */
export const publisherActor: Actor = systemActor("snsgov publisher");

/** Task kinds the sender opens. */
export const PUBLISH_FAILED = "publish_failed";
export const PLATFORM_RECONNECT = "platform_reconnect";
export { DELIVERY_OVERDUE } from "./delivery.ts";

/** How long a claimed row is held before another sender may take it over. */
export const LEASE_MS = 5 * 60_000;
/** Transient failures are retried this many times (back-off 30 s, 1, 2, 4 … up to 30 minutes). */
export const MAX_ATTEMPTS = 8;

/** Points of the sequence where a test can stop the sender as if the process were killed. */
export type CrashPoint = "claimed" | "sent" | "accepted" | "polled" | "recorded";
export type SenderHooks = { at?(point: CrashPoint, row: OutboxRow): void };

/**
 * SHA-256 (hex) of what goes out: the text, each image's bytes, type and alt text, and for LINE
 * who receives it (a post to every friend hashes as before audiences existed).
 */
export function contentHash(
  text: string,
  images: readonly OutgoingImage[],
  audience: LineAudience | null = null,
): string {
  const parts = images.map((i) => ({
    sha256: createHash("sha256").update(i.bytes).digest("hex"),
    contentType: i.contentType,
    alt: i.alt,
  }));
  const content = audience
    ? { text, images: parts, audience: canonicalAudience(audience) }
    : { text, images: parts };
  return createHash("sha256").update(JSON.stringify(content)).digest("hex");
}

async function imagesOf(db: Db, postId: number): Promise<OutgoingImage[]> {
  const out: OutgoingImage[] = [];
  for (const info of await listImages(db, postId)) {
    const image = await findImage(db, info.id);
    if (image)
      out.push({
        bytes: image.bytes,
        contentType: image.contentType,
        filename: image.filename,
        alt: image.alt,
        imageId: image.id,
      });
  }
  return out;
}

/** The post as it is now, if it is still the approved version (else why not, in Japanese). */
async function approvedContent(
  db: Db,
  post: Post,
): Promise<
  { text: string; images: OutgoingImage[]; audience: LineAudience | null; hash: string } | { stop: string }
> {
  if (post.status !== "approved")
    return { stop: "投稿が承認済みの状態ではなくなったため、自動発信を取りやめました。" };
  if (post.approvedVersion === null || post.approvedVersion !== post.version)
    return {
      stop: "承認後に投稿が編集されたため、自動発信を止めました。もう一度承認を得てください（第5-1(4)）。",
    };
  const approved = (await listVersions(db, post.id)).find((v) => v.version === post.approvedVersion);
  if (approved && approved.text !== post.text)
    return { stop: "承認された版と本文が一致しないため、自動発信を止めました（第5-1(4)）。" };
  const audience = storedAudience(post.audience);
  // Never widen an audience: one that cannot be read is not taken as "every friend".
  if (post.audience !== null && audience === null)
    return { stop: "配信先の記録を読み取れないため、自動発信を止めました。投稿の配信先を確認してください。" };
  if (approved && !sameAudience(storedAudience(approved.audience), audience))
    return { stop: "承認された版と配信先が一致しないため、自動発信を止めました（第5-1(4)）。" };
  const images = await imagesOf(db, post.id);
  return { text: post.text, images, audience, hash: contentHash(post.text, images, audience) };
}

/**
 * Queues every approved post that is due on a connected account (one outbox row per post and
 * connection, written once even when several senders run). Returns how many were queued.
 */
export async function queueDuePosts(ctx: AppContext): Promise<number> {
  let queued = 0;
  for (const due of await duePostsToQueue(ctx.db, ctx.clock.now())) {
    const row = await change(ctx, publisherActor, "post.publish_queue", async (tx, at) => {
      const post = await lockPost(tx, due.postId);
      const connection = await findConnection(tx, due.connectionId);
      if (!post || !connection)
        return { result: undefined, target: { type: "post", id: due.postId }, summary: { skipped: true } };
      const content = await approvedContent(tx, post);
      if ("stop" in content)
        return {
          result: undefined,
          target: { type: "post", id: post.id },
          summary: { skipped: content.stop },
        };
      const inserted = await insertOutbox(tx, {
        postId: post.id,
        connectionId: connection.id,
        platform: connection.platform,
        version: post.version,
        contentHash: content.hash,
        idempotencyKey: randomUUID(),
        dueAt: post.scheduledAt ?? at,
        nextAttemptAt: at,
      });
      return {
        result: inserted,
        target: { type: "post", id: post.id },
        summary: {
          outboxId: inserted?.id ?? null,
          platform: connection.platform,
          version: post.version,
          contentHash: content.hash,
        },
      };
    });
    if (row) queued++;
  }
  return queued;
}

/** Back-off after the n-th failed attempt: 30 s doubling, at most 30 minutes. */
export function backoffMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 30 * 60_000);
}

type Loaded = {
  row: OutboxRow;
  post: Post;
  connection: ConnectionRow;
  connector: Connector;
  accountName: string;
};

async function load(ctx: AppContext, row: OutboxRow): Promise<Loaded | { stop: string }> {
  const [post, connection] = await Promise.all([
    findPost(ctx.db, row.postId),
    findConnection(ctx.db, row.connectionId),
  ]);
  if (!post || !connection) return { stop: "投稿か接続が見つかりません。" };
  const connector = connectorFor(ctx.config, connection.platform);
  if (!connector) return { stop: `${platformLabel(connection.platform)}への自動発信は設定されていません。` };
  const account = await findAccount(ctx.db, post.accountId);
  return { row, post, connection, connector, accountName: account?.name ?? `アカウント#${post.accountId}` };
}

/** Opens a task for the operators (the post's author, the account's operators notified). */
async function failRow(
  ctx: AppContext,
  loaded: Pick<Loaded, "row" | "post" | "accountName">,
  reason: string,
  kind: string,
  status: "failed" | "cancelled",
  /** The platform's last answer, kept on the row (a narrowcast's progress). */
  response?: Record<string, unknown>,
): Promise<void> {
  const { row, post } = loaded;
  await change(ctx, publisherActor, "post.publish_failed", async (tx, at) => {
    const task = await openOutboxTask(tx, {
      row,
      post,
      kind: PUBLISH_FAILED,
      title: `「${loaded.accountName}」への自動発信ができませんでした。理由を確認して対応してください`,
      reason,
      at,
    });
    await updateOutbox(
      tx,
      row.id,
      {
        status,
        lastError: reason,
        errorKind: kind,
        leaseUntil: null,
        taskId: task.id,
        ...(response ? { response } : {}),
      },
      at,
    );
    const operators = (await listOperators(tx, post.accountId)).map((m) => m.staffId);
    await notify(ctx, tx, {
      recipientIds: [post.authorId, ...operators],
      kind: "task",
      title: `自動発信ができませんでした（${loaded.accountName}）`,
      body: reason,
      href: `/posts/${post.id}`,
      dedupeKey: `outbox:${row.id}:failed`,
    });
    return {
      result: null,
      target: { type: "post", id: post.id },
      summary: { outboxId: row.id, status, errorKind: kind, reason, taskId: task.id },
    };
  });
}

/** The token expired or was revoked: the connection waits for the account manager to reconnect. */
async function needsReconnect(ctx: AppContext, loaded: Loaded, reason: string): Promise<void> {
  const { row, post, connection } = loaded;
  await change(ctx, publisherActor, "publishing.reconnect_needed", async (tx, at) => {
    await updateConnection(tx, connection.id, { status: "needs_reconnect", lastError: reason }, at);
    await updateOutbox(
      tx,
      row.id,
      { status: "pending", lastError: reason, errorKind: "auth", leaseUntil: null },
      at,
    );
    const account = await findAccount(tx, post.accountId);
    const task = await openTask(tx, {
      kind: PLATFORM_RECONNECT,
      accountId: post.accountId,
      assigneeId: account?.managerId ?? null,
      title: `「${loaded.accountName}」の${platformLabel(connection.platform)}への接続をやり直してください（予約した投稿が待っています）`,
      clause: "4.1.4",
      dueDate: tokyoDate(at),
      cause: { connectionId: connection.id, postId: post.id },
      openedAt: at,
    });
    await notify(ctx, tx, {
      recipientIds: [account?.managerId],
      kind: "task",
      title: `${platformLabel(connection.platform)}への接続をやり直してください（${loaded.accountName}）`,
      body: `${reason}\nアカウントのページの「プラットフォームへの接続」から接続し直すと、待っている投稿が送信されます。`,
      href: `/accounts/${post.accountId}`,
      dedupeKey: `connection:${connection.id}:reconnect:${connection.connectedAt.getTime()}`,
    });
    return {
      result: null,
      target: { type: "account", id: post.accountId },
      summary: { connectionId: connection.id, outboxId: row.id, reason, taskId: task.id },
    };
  });
}

/** Fresh credentials: refreshed first when the access token is about to expire. */
const credentialsFor = (ctx: AppContext, loaded: Loaded, force = false): Promise<Credentials> =>
  freshCredentials(ctx, loaded.connection, loaded.connector, force);

/** Sends (or, after an attempt that may have reached a platform without retry key, finds) the post. */
async function sendOrFind(
  ctx: AppContext,
  loaded: Loaded,
  content: { text: string; images: OutgoingImage[]; audience: LineAudience | null },
  mayHaveSent: boolean,
): Promise<SentPost> {
  const { connector, connection, row } = loaded;
  const account = { externalId: connection.externalId, handle: connection.externalHandle };
  const attempt = async (credentials: Credentials) => {
    if (mayHaveSent && !connector.limits.idempotent && connector.findSent) {
      const found = await connector.findSent(credentials, account, {
        text: content.text,
        since: row.firstSentAt ?? row.createdAt,
      });
      if (found) return found;
    }
    return connector.send(credentials, account, {
      ...content,
      idempotencyKey: row.idempotencyKey,
      firstAttemptAt: row.firstSentAt ?? ctx.clock.now(),
    });
  };
  const credentials = await credentialsFor(ctx, loaded);
  try {
    return await attempt(credentials);
  } catch (error) {
    // An access token refused before its time: refresh once and try again.
    if (
      !(error instanceof PlatformError) ||
      error.kind !== "auth" ||
      !connector.refresh ||
      !credentials.refreshToken
    )
      throw error;
    return attempt(await credentialsFor(ctx, loaded, true));
  }
}

/** Keeps the platform's answer on the row (committed before the record is written). */
async function accept(ctx: AppContext, loaded: Loaded, sent: SentPost): Promise<OutboxRow> {
  return change(ctx, publisherActor, "post.platform_accepted", async (tx, at) => {
    const latest = (await findOutbox(tx, loaded.row.id, true)) ?? loaded.row;
    // The platform's own time when it gave one within reason, else when its answer came; never
    // before the first attempt (Graph and Threads give whole seconds, a platform's clock may run behind).
    const first = (latest.firstSentAt ?? at).getTime();
    const platformAt =
      sent.at && sent.at.getTime() <= at.getTime() + 60_000 && sent.at.getTime() >= first - 120_000
        ? new Date(Math.max(sent.at.getTime(), first))
        : at;
    // A narrowcast is accepted, not yet sent: it waits for LINE's progress (first asked in a minute).
    const pending = sent.delivery === "pending";
    const row = await updateOutbox(
      tx,
      latest.id,
      {
        status: pending ? "delivering" : "accepted",
        ...(pending ? { leaseUntil: null, nextAttemptAt: new Date(at.getTime() + pollDelayMs(0)) } : {}),
        platformPostId: sent.platformPostId,
        platformUrl: sent.url,
        platformRequestId: sent.requestId,
        platformAt,
        response: { ...sent.raw, duplicate: sent.duplicate },
        lastError: "",
        errorKind: "",
      },
      at,
    );
    return {
      result: row,
      target: { type: "post", id: latest.postId },
      summary: {
        outboxId: row.id,
        platform: row.platform,
        platformPostId: sent.platformPostId,
        url: sent.url,
        requestId: sent.requestId,
        duplicate: sent.duplicate,
        // Which image went out in which variant (the approved one, or a JPEG made of it).
        ...(sent.raw.media ? { media: sent.raw.media } : {}),
        ...(pending ? { delivery: "pending" } : {}),
      },
    };
  });
}

/** Records the publication from the kept answer, through the posts' use case. */
async function recordFromRow(
  ctx: AppContext,
  row: OutboxRow,
  /** A narrowcast's outcome (LINE's counts and times), kept on the row and in the audit entry. */
  delivery?: { response: Record<string, unknown>; summary: Record<string, unknown> },
): Promise<void> {
  await recordPublishing(ctx, {
    actor: publisherActor,
    postId: row.postId,
    input: {
      ...(row.platformUrl ? { url: row.platformUrl } : {}),
      ...(row.platformAt ? { publishedAt: row.platformAt.toISOString() } : {}),
    },
    fromPlatform: async (tx, at) => {
      await updateOutbox(
        tx,
        row.id,
        { status: "recorded", leaseUntil: null, ...(delivery ? { response: delivery.response } : {}) },
        at,
      );
      return {
        outboxId: row.id,
        platform: row.platform,
        platformPostId: row.platformPostId,
        requestId: row.platformRequestId,
        sentBy: "snsgov publisher",
        ...(delivery?.summary ?? {}),
      };
    },
  });
}

/** What happened to one row. */
export type SendOutcome = "recorded" | "retry" | "failed" | "stopped" | "reconnect" | "delivering";

async function handleFailure(ctx: AppContext, loaded: Loaded, error: unknown): Promise<SendOutcome> {
  if (!(error instanceof PlatformError)) throw error;
  const { row } = loaded;
  if (error.kind === "auth") {
    await needsReconnect(ctx, loaded, error.message);
    return "reconnect";
  }
  if ((error.kind === "rate" || error.kind === "transient") && row.attempts < MAX_ATTEMPTS) {
    const wait = error.kind === "rate" ? (error.details.retryAfterMs ?? 60_000) : backoffMs(row.attempts);
    await ctx.db.transaction((tx) =>
      updateOutbox(
        tx,
        row.id,
        {
          status: "pending",
          nextAttemptAt: new Date(ctx.clock.now().getTime() + wait),
          lastError: error.message,
          errorKind: error.kind,
          leaseUntil: null,
        },
        ctx.clock.now(),
      ),
    );
    ctx.log.warn("publish retry", {
      outboxId: row.id,
      kind: error.kind,
      waitMs: wait,
      status: error.details.status,
    });
    return "retry";
  }
  await failRow(ctx, loaded, error.message, error.kind, "failed");
  return "failed";
}

/** Sends one claimed row through to its record. */
async function processRow(
  ctx: AppContext,
  claimed: { row: OutboxRow; previousStatus: string },
  hooks: SenderHooks,
): Promise<SendOutcome> {
  const loaded = await load(ctx, claimed.row);
  if ("stop" in loaded) {
    const post = await findPost(ctx.db, claimed.row.postId);
    if (post)
      await failRow(ctx, { row: claimed.row, post, accountName: "" }, loaded.stop, "invalid", "failed");
    return "failed";
  }
  let row = claimed.row;
  hooks.at?.("claimed", row);
  if (row.status === "delivering")
    return pollDelivery(ctx, loaded, {
      actor: publisherActor,
      credentials: () => credentialsFor(ctx, loaded),
      record: (delivery) => recordOrFail(ctx, loaded, hooks, delivery),
      fail: (reason, response) => failRow(ctx, loaded, reason, "delivery", "failed", response),
      polled: () => hooks.at?.("polled", row),
    });
  if (row.status !== "accepted") {
    const content = await approvedContent(ctx.db, loaded.post);
    if ("stop" in content || content.hash !== row.contentHash) {
      const reason =
        "stop" in content
          ? content.stop
          : "承認後に投稿の内容（本文・画像・代替テキスト）が変わったため、自動発信を止めました。もう一度承認を得てください（第5-1(4)）。";
      await failRow(ctx, loaded, reason, "changed", "cancelled");
      return "stopped";
    }
    const mayHaveSent = claimed.previousStatus === "sending" || row.attempts > 1;
    let sent: SentPost;
    let media: SentMedia[];
    try {
      const prepared = await imagesForPlatform(ctx, loaded.connector, content.images);
      media = prepared.media;
      sent = await sendOrFind(
        ctx,
        loaded,
        { text: content.text, images: prepared.images, audience: content.audience },
        mayHaveSent,
      );
    } catch (error) {
      return handleFailure(ctx, loaded, error);
    }
    hooks.at?.("sent", row);
    row = await accept(ctx, loaded, media.length > 0 ? { ...sent, raw: { ...sent.raw, media } } : sent);
    hooks.at?.("accepted", row);
    if (row.status === "delivering") return "delivering";
  }
  return recordOrFail(ctx, { ...loaded, row }, hooks);
}

/** Records the publication; when the record cannot be written, the operators get a task. */
async function recordOrFail(
  ctx: AppContext,
  loaded: Loaded,
  hooks: SenderHooks,
  delivery?: { response: Record<string, unknown>; summary: Record<string, unknown> },
): Promise<"recorded" | "failed"> {
  const { row } = loaded;
  try {
    await recordFromRow(ctx, row, delivery);
  } catch (error) {
    const reason = `${platformLabel(row.platform)}には発信されましたが、発信の記録を書けませんでした（${error instanceof Error ? error.message : "不明な理由"}）。投稿のページで発信の記録を入力してください。`;
    await failRow(ctx, loaded, reason, "record", "failed");
    return "failed";
  }
  hooks.at?.("recorded", row);
  return "recorded";
}

/**
 * One pass of the sender: queues due posts, then sends every row that is due (and takes over rows
 * a stopped sender left). Returns the outcomes. Safe to run from several processes at once.
 */
export async function runSender(ctx: AppContext, hooks: SenderHooks = {}): Promise<SendOutcome[]> {
  await queueDuePosts(ctx);
  const outcomes: SendOutcome[] = [];
  for (let i = 0; i < 500; i++) {
    const claimed = await ctx.db.transaction((tx) => claimNextOutbox(tx, ctx.clock.now(), LEASE_MS));
    if (!claimed) break;
    outcomes.push(await processRow(ctx, claimed, hooks));
  }
  return outcomes;
}
