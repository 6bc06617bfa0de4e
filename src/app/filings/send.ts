/**
 * Sending a 届出 to a director (4.1.2, 4.5.1), inside the caller's transaction: a new round of
 * the filing with what it says, a task for the director to confirm it, and a notification (in the
 * app and by e-mail) to everyone who holds the director's role. A round still waiting is replaced
 * (差し替え) by the new one; a question asked of the last round is answered by `message`.
 */

import type { Db } from "../../db/client.ts";
import {
  type Filing,
  type FilingKey,
  insertFiling,
  lockLatestFiling,
  updateFiling,
} from "../../db/repos/filings.ts";
import { closeTask, listTasks, openTask } from "../../db/repos/tasks.ts";
import { clauseRef } from "../../domain/clauses.ts";
import { addDays, tokyoDate } from "../../domain/dates.ts";
import { filingKindInfo } from "../../domain/filings.ts";
import { conflict, validation } from "../../errors.ts";
import { notify } from "../notifications/notify.ts";
import { holdersOf } from "../staff/role-grants.ts";

/** The director's task to confirm a filing round (cause: `{ filingId, noticeId }`). */
export const FILING_CONFIRM = "filing_confirm";
/** The manager's task to answer the director's question and send the filing again. */
export const FILING_ANSWER = "filing_answer";
/** Acquisition filings sent before rounds existed opened this task kind for the director. */
export const LEGACY_SECURITY_CONFIRM = "security_notice_confirm";

/** Days the director has to confirm a filing, and the manager to answer a question. */
export const FILING_DUE_DAYS = 7;

/** The filing a task was opened for (`{"filingId": 3}` in its cause), or 0. */
export function filingIdOf(cause: unknown): number {
  const id = typeof cause === "object" && cause !== null ? Reflect.get(cause, "filingId") : undefined;
  return typeof id === "number" ? id : 0;
}

/** Closes the open tasks of `kind` opened for any round of this filing's account/notice. */
export async function closeFilingTasks(
  tx: Db,
  props: {
    kind: string;
    accountId: number;
    filingIds: readonly number[];
    doneBy: number | null;
    at: Date;
    resolution: Record<string, unknown>;
    status?: "done" | "cancelled";
  },
): Promise<number[]> {
  const open = await listTasks(tx, { accountId: props.accountId, kinds: [props.kind], status: "open" });
  const closed: number[] = [];
  for (const task of open) {
    if (!props.filingIds.includes(filingIdOf(task.cause))) continue;
    await closeTask(tx, task.id, {
      status: props.status ?? "done",
      doneBy: props.doneBy,
      doneAt: props.at,
      resolution: props.resolution,
    });
    closed.push(task.id);
  }
  return closed;
}

export type SendProps = {
  key: FilingKey;
  content: unknown;
  /** The sender's note, or the answer to the director's question. */
  message: string;
  senderId: number | null;
  at: Date;
  /** For the director's task and notification: what the filing is about. */
  subject: string;
};

/** What sending did: the new round, the round it replaced and the tasks it opened or closed. */
export type Sent = { filing: Filing; replaced: Filing | null; taskId: number; notified: number[] };

/**
 * Sends the next round of a filing. A question on the last round must be answered (`message`);
 * a round the director already confirmed is followed by a new round only when `allowAfterConfirm`.
 * @throws AppError conflict/validation in Japanese when the filing cannot be sent now
 */
export async function sendFilingRound(
  ctx: { clock: { now(): Date } },
  tx: Db,
  props: SendProps & { allowAfterConfirm?: boolean },
): Promise<Sent> {
  const info = filingKindInfo[props.key.kind];
  const latest = await lockLatestFiling(tx, props.key);
  if (latest?.status === "confirmed" && !props.allowAfterConfirm)
    throw conflict(`この届出は${info.recipientLabel}が確認済みです。`);
  if (latest?.status === "questioned" && !props.message.trim()) {
    const message = `${info.recipientLabel}からの質問への回答を入力してから再送してください。`;
    throw validation(message, [{ field: "message", message }]);
  }
  let replaced: Filing | null = null;
  if (latest?.status === "sent")
    replaced = await updateFiling(tx, latest.id, { status: "superseded", closedAt: props.at });
  const filing = await insertFiling(tx, {
    ...props.key,
    round: (latest?.round ?? 0) + 1,
    content: props.content,
    message: props.message.trim(),
    sentAt: props.at,
    sentBy: props.senderId,
  });
  const previousIds = latest ? [latest.id] : [];
  // The director's task of the replaced round goes; the manager's answer task is done.
  await closeFilingTasks(tx, {
    kind: FILING_CONFIRM,
    accountId: props.key.accountId,
    filingIds: previousIds,
    doneBy: props.senderId,
    at: props.at,
    resolution: { replacedBy: filing.id },
    status: "cancelled",
  });
  await closeFilingTasks(tx, {
    kind: FILING_ANSWER,
    accountId: props.key.accountId,
    filingIds: previousIds,
    doneBy: props.senderId,
    at: props.at,
    resolution: { answeredBy: filing.id },
  });
  const directors = await holdersOf(tx, info.recipient, props.at);
  const round = filing.round > 1 ? `（第${filing.round}回）` : "";
  const task = await openTask(tx, {
    kind: FILING_CONFIRM,
    accountId: props.key.accountId,
    assigneeId: directors[0]?.id ?? null,
    title: `${props.subject}の届出${round}を確認する`,
    clause: info.clause,
    dueDate: addDays(tokyoDate(props.at), FILING_DUE_DAYS),
    cause: { filingId: filing.id, noticeId: props.key.noticeId },
    openedAt: props.at,
  });
  const notified = await notify(ctx, tx, {
    recipientIds: directors.map((d) => d.id),
    kind: "filing",
    title: `${info.recipientLabel}への届出が届きました: ${props.subject}${round}`,
    body: [
      `${props.subject}について、${info.recipientLabel}あての届出が送られました（${clauseRef(info.clause)}）。`,
      "内容を確認し、「確認しました」を押すか、質問を送ってください。",
      filing.message ? `送付者のコメント: ${filing.message}` : "",
    ]
      .filter(Boolean)
      .join(""),
    href: `/filings/${filing.id}`,
    dedupeKey: `filing:${filing.id}:sent`,
  });
  return { filing, replaced, taskId: task.id, notified };
}
