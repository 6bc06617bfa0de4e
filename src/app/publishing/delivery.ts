/**
 * Following a LINE narrowcast after LINE accepted it (the outbox row in `delivering`): LINE sends
 * it later and reports `waiting` / `sending` / `succeeded` / `failed` through
 * `GET /v2/bot/message/progress/narrowcast`. Each sender pass asks for the rows whose next check is
 * due (claimed and leased like any other row, so several publishers never ask at once; the message
 * is never sent again): succeeded → recorded with LINE's counts; failed → a task for the operators
 * with LINE's reason in Japanese; still not sent a day after acceptance → a task too (once), and
 * the polling goes on. The sender gives the steps it shares (credentials, record, failure).
 */
import { listOperators } from "../../db/repos/accounts.ts";
import { type OutboxRow, updateOutbox } from "../../db/repos/platform-publishing.ts";
import type { Post } from "../../db/repos/posts.ts";
import { audienceLabel, narrowcastFailureReason, storedAudience } from "../../domain/line-audience.ts";
import { platformLabel } from "../../guideline/pack.ts";
import {
  type Connector,
  type Credentials,
  type DeliveryProgress,
  PlatformError,
} from "../../publishing/connector.ts";
import { change } from "../audit/record.ts";
import type { Actor, AppContext } from "../context.ts";
import { notify } from "../notifications/notify.ts";
import { openOutboxTask } from "./outbox-task.ts";

/** The outbox row being followed, with its post and the platform's connector. */
export type DeliveryRow = { row: OutboxRow; post: Post; connector: Connector; accountName: string };

/** What the sender does for the polling, shared with its other steps. */
export type DeliverySteps = {
  /** The actor the entries are recorded as (the publisher). */
  actor: Actor;
  /** Fresh credentials of the row's connection. */
  credentials(): Promise<Credentials>;
  /** Records the publication (LINE's outcome kept on the row and in the audit entry). */
  record(delivery: {
    response: Record<string, unknown>;
    summary: Record<string, unknown>;
  }): Promise<"recorded" | "failed">;
  /** Fails the row with a task for the operators, keeping LINE's last answer. */
  fail(reason: string, response: Record<string, unknown>): Promise<void>;
  /** Called once LINE's progress has been read (a point where a test stops the sender). */
  polled(): void;
};

/** Task kind of a narrowcast still not sent a day after LINE accepted it. */
export const DELIVERY_OVERDUE = "publish_delivery_overdue";

/** A narrowcast still not sent this long after LINE accepted it is surfaced to the operators. */
export const DELIVERY_OVERDUE_MS = 24 * 60 * 60_000;

/** How long to wait before asking LINE again how a narrowcast is getting on. */
export function pollDelayMs(sinceAcceptedMs: number): number {
  if (sinceAcceptedMs < 10 * 60_000) return 60_000;
  if (sinceAcceptedMs < 60 * 60_000) return 5 * 60_000;
  return 15 * 60_000;
}

/** The kept answer of a row as an object (empty when none). */
const responseOf = (row: OutboxRow): Record<string, unknown> =>
  typeof row.response === "object" && row.response !== null && !Array.isArray(row.response)
    ? Object.fromEntries(Object.entries(row.response))
    : {};

/** LINE's progress as kept on the row and in the audit entry. */
const progressRecord = (p: DeliveryProgress) => ({
  phase: p.phase,
  successCount: p.successCount,
  failureCount: p.failureCount,
  targetCount: p.targetCount,
  acceptedTime: p.acceptedTime,
  completedTime: p.completedTime,
  ...(p.phase === "failed" ? { failedDescription: p.failedDescription, errorCode: p.errorCode } : {}),
});

/**
 * A narrowcast LINE accepted: asks how it is getting on. Succeeded → recorded (with LINE's counts);
 * failed → a task for the operators with LINE's reason; still waiting or sending → asked again
 * later, and a day after LINE accepted it the operators get a task (once).
 */
export async function pollDelivery(
  ctx: AppContext,
  loaded: DeliveryRow,
  steps: DeliverySteps,
): Promise<"recorded" | "failed" | "delivering"> {
  const { row, connector } = loaded;
  const now = ctx.clock.now();
  const since = now.getTime() - (row.platformAt ?? row.firstSentAt ?? row.createdAt).getTime();
  const previous = responseOf(row);
  const later = (values: Partial<OutboxRow>) =>
    ctx.db.transaction((tx) =>
      updateOutbox(
        tx,
        row.id,
        { ...values, leaseUntil: null, nextAttemptAt: new Date(now.getTime() + pollDelayMs(since)) },
        now,
      ),
    );
  let progress: DeliveryProgress;
  try {
    if (!connector.progress || !row.platformRequestId)
      throw new PlatformError("invalid", "配信状況を問い合わせる手段がありません。");
    progress = await connector.progress(await steps.credentials(), row.platformRequestId);
  } catch (error) {
    if (!(error instanceof PlatformError)) throw error;
    // The message is with LINE already: never resend; ask again later.
    await later({
      lastError: `${platformLabel(row.platform)}に配信状況を問い合わせられませんでした（${error.message}）。あとで問い合わせ直します。`,
      errorKind: error.kind,
    });
    ctx.log.warn("delivery progress unavailable", { outboxId: row.id, kind: error.kind });
    return "delivering";
  }
  steps.polled();
  const record = progressRecord(progress);
  const response = { ...previous, progress: record };
  if (progress.phase === "succeeded") return steps.record({ response, summary: { delivery: record } });
  if (progress.phase === "failed") {
    const reason = `LINEの絞り込み配信（${audienceLabel(storedAudience(loaded.post.audience))}）が配信されませんでした。${narrowcastFailureReason(progress.errorCode, progress.failedDescription)}`;
    await steps.fail(reason, response);
    return "failed";
  }
  if (since >= DELIVERY_OVERDUE_MS && previous.overdueTaskId === undefined) {
    await deliveryOverdue(ctx, loaded, steps.actor, response, new Date(now.getTime() + pollDelayMs(since)));
    return "delivering";
  }
  // The overdue note stays on the row (and the post's page) until LINE reports an outcome.
  await later({
    response,
    ...(previous.overdueTaskId === undefined ? { lastError: "", errorKind: "" } : {}),
  });
  return "delivering";
}

/** A narrowcast still not sent a day after LINE accepted it: a task for the post's author (once). */
async function deliveryOverdue(
  ctx: AppContext,
  loaded: DeliveryRow,
  actor: Actor,
  response: Record<string, unknown>,
  nextAttemptAt: Date,
): Promise<void> {
  const { row, post } = loaded;
  const reason =
    "LINEが絞り込み配信を受け付けてから24時間たちましたが、まだ配信が終わっていません（LINEの状況: 配信待ち）。LINE公式アカウントの管理画面で配信の状況を確認してください。snsgovは引き続き状況を問い合わせます。";
  await change(ctx, actor, "post.delivery_overdue", async (tx, at) => {
    const task = await openOutboxTask(tx, {
      row,
      post,
      kind: DELIVERY_OVERDUE,
      title: `「${loaded.accountName}」へのLINEの絞り込み配信が終わっていません。配信の状況を確認してください`,
      reason,
      at,
    });
    await updateOutbox(
      tx,
      row.id,
      {
        response: { ...response, overdueTaskId: task.id },
        lastError: reason,
        errorKind: "overdue",
        leaseUntil: null,
        nextAttemptAt,
      },
      at,
    );
    const operators = (await listOperators(tx, post.accountId)).map((m) => m.staffId);
    await notify(ctx, tx, {
      recipientIds: [post.authorId, ...operators],
      kind: "task",
      title: `LINEの絞り込み配信が終わっていません（${loaded.accountName}）`,
      body: reason,
      href: `/posts/${post.id}`,
      dedupeKey: `outbox:${row.id}:overdue`,
    });
    return {
      result: null,
      target: { type: "post", id: post.id },
      summary: { outboxId: row.id, requestId: row.platformRequestId, reason, taskId: task.id },
    };
  });
}
