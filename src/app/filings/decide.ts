/**
 * What happens to a 届出 once sent (4.1.2, 4.5.1): the director it is addressed to confirms it
 * — for the policy director's 届出 of a change or closure that is what lets the announcement be
 * scheduled — or asks a question, which goes back to the account manager (課等の長) as a task
 * with the question; the manager answers by sending the next round. Each step is one
 * transaction with one audit entry naming who did it; the filing rows keep who sent and who
 * confirmed, when.
 */
import { z } from "zod";
import type { Db } from "../../db/client.ts";
import { findAccount, insertEvent, lockAccount, updateAccount } from "../../db/repos/accounts.ts";
import { type Filing, type FilingView, lockFiling, updateFiling } from "../../db/repos/filings.ts";
import { lockNotice, updateNotice } from "../../db/repos/notices.ts";
import { closeTask, listTasks, openTask } from "../../db/repos/tasks.ts";
import { clauseRef } from "../../domain/clauses.ts";
import { addDays, tokyoDate } from "../../domain/dates.ts";
import { filingKindInfo, filingStepProblem } from "../../domain/filings.ts";
import { nextNoticeStatus, noticeKindLabels } from "../../domain/notices.ts";
import { conflict, notFound } from "../../errors.ts";
import { accountTarget } from "../accounts/read.ts";
import { change } from "../audit/record.ts";
import { authorize } from "../authorize.ts";
import type { Actor, AppContext } from "../context.ts";
import { notify } from "../notifications/notify.ts";
import { parse, text } from "../validate.ts";
import { recipientAction, visibleFiling } from "./access.ts";
import {
  closeFilingTasks,
  FILING_ANSWER,
  FILING_CONFIRM,
  FILING_DUE_DAYS,
  LEGACY_SECURITY_CONFIRM,
} from "./send.ts";

const actorIdOf = (actor: Actor) => (actor.kind === "staff" ? actor.staffId : null);

/** The filing, visible and addressed to the actor's role; 404 or 403 otherwise. */
async function receivedFiling(ctx: AppContext, actor: Actor, id: number): Promise<FilingView> {
  const filing = await visibleFiling(ctx, actor, id);
  await authorize(ctx, actor, recipientAction(filing.kind), accountTarget(filing));
  return filing;
}

/** The filing locked and still waiting for the director's `step`; a conflict otherwise. */
async function lockWaiting(tx: Db, id: number, step: "confirm" | "question"): Promise<Filing> {
  const filing = await lockFiling(tx, id);
  if (!filing) throw notFound("届出");
  const problem = filingStepProblem(filing.status, step);
  if (problem) throw conflict(problem);
  return filing;
}

/** What the filing is about, for titles (「いわき市広報」の廃止). */
function subjectOf(view: FilingView, noticeKind: "change" | "closure" | null): string {
  if (view.kind === "acquisition" || !noticeKind) return `「${view.accountName}」の取得`;
  return `「${view.accountName}」の${noticeKindLabels[noticeKind]}`;
}

/** The kind-specific effect of a confirmation (the account's or the notice's record). */
async function applyConfirmation(
  tx: Db,
  filing: Filing,
  actorId: number | null,
  at: Date,
): Promise<{ noticeKind: "change" | "closure" | null; noticeStatus?: string }> {
  if (filing.kind === "acquisition") {
    const account = await lockAccount(tx, filing.accountId);
    if (!account) throw notFound("アカウント");
    await updateAccount(tx, account.id, { securityConfirmedAt: at, securityConfirmedBy: actorId }, at);
    await insertEvent(tx, {
      accountId: account.id,
      kind: "security_confirmed",
      actorId,
      snapshot: { filingId: filing.id, round: filing.round },
      at,
    });
    return { noticeKind: null };
  }
  const notice = filing.noticeId === null ? undefined : await lockNotice(tx, filing.noticeId);
  if (!notice) throw notFound("変更・廃止の届出");
  if (notice.status === "cancelled") throw conflict("この変更・廃止は取り消されています。");
  let noticeStatus: string = notice.status;
  if (filing.kind === "notice_policy") {
    const next = nextNoticeStatus(notice.status, "notify");
    if (next) {
      await updateNotice(tx, notice.id, { status: next });
      noticeStatus = next;
    }
  }
  await insertEvent(tx, {
    accountId: notice.accountId,
    kind: filing.kind === "notice_policy" ? "policy_director_confirmed" : "security_director_confirmed",
    actorId,
    comment: `${noticeKindLabels[notice.kind]}の届出を確認（${clauseRef("4.5.1")}）`,
    snapshot: { noticeId: notice.id, filingId: filing.id, round: filing.round },
    at,
  });
  return { noticeKind: notice.kind, noticeStatus };
}

/**
 * The director confirms a 届出 addressed to them. The acquisition 届出 clears 「届出未確認」; the
 * policy director's confirmation of a change or closure lets its announcement be scheduled.
 */
export async function confirmFiling(ctx: AppContext, props: { actor: Actor; filingId: number }) {
  const view = await receivedFiling(ctx, props.actor, props.filingId);
  const actorId = actorIdOf(props.actor);
  return change(ctx, props.actor, "filing.confirm", async (tx, at) => {
    const filing = await lockWaiting(tx, props.filingId, "confirm");
    const updated = await updateFiling(tx, filing.id, {
      status: "confirmed",
      confirmedAt: at,
      confirmedBy: actorId,
    });
    const effect = await applyConfirmation(tx, filing, actorId, at);
    const closed = await closeFilingTasks(tx, {
      kind: FILING_CONFIRM,
      accountId: filing.accountId,
      filingIds: [filing.id],
      doneBy: actorId,
      at,
      resolution: { confirmed: true },
    });
    if (filing.kind === "acquisition") {
      closed.push(...(await closeLegacyTask(tx, filing.accountId, actorId, at)));
    }
    const account = await findAccount(tx, filing.accountId);
    const info = filingKindInfo[filing.kind];
    await notify(ctx, tx, {
      recipientIds: [account?.managerId, filing.sentBy],
      kind: "filing",
      title: `${info.recipientLabel}が届出を確認しました: ${subjectOf(view, effect.noticeKind)}`,
      body:
        filing.kind === "notice_policy"
          ? `総合政策部長が届出を確認しました。周知日を設定できます（${clauseRef("4.5.2")}）。`
          : `${info.recipientLabel}が届出を確認しました（${clauseRef(info.clause)}）。`,
      href: `/filings/${filing.id}`,
      dedupeKey: `filing:${filing.id}:confirmed`,
    });
    return {
      result: updated,
      target: { type: "filing", id: filing.id },
      summary: {
        accountId: filing.accountId,
        noticeId: filing.noticeId,
        kind: filing.kind,
        round: filing.round,
        sentAt: filing.sentAt.toISOString(),
        sentBy: filing.sentBy,
        ...(effect.noticeStatus ? { noticeStatus: effect.noticeStatus } : {}),
        closedTasks: closed,
      },
    };
  });
}

/** Closes the confirmation task acquisition filings opened before rounds existed. */
async function closeLegacyTask(
  tx: Db,
  accountId: number,
  actorId: number | null,
  at: Date,
): Promise<number[]> {
  const open = await listTasks(tx, { accountId, kinds: [LEGACY_SECURITY_CONFIRM], status: "open" });
  for (const t of open) await closeTask(tx, t.id, { status: "done", doneBy: actorId, doneAt: at });
  return open.map((t) => t.id);
}

export const questionInput = z.object({ question: text("質問", 2000) });

/**
 * The director asks a question instead of confirming: the 届出 goes back to the account manager
 * (課等の長), whose task shows the question until they answer it by sending the 届出 again.
 */
export async function questionFiling(
  ctx: AppContext,
  props: { actor: Actor; filingId: number; input: unknown },
) {
  const view = await receivedFiling(ctx, props.actor, props.filingId);
  const { question } = parse(questionInput, props.input);
  const actorId = actorIdOf(props.actor);
  return change(ctx, props.actor, "filing.question", async (tx, at) => {
    const filing = await lockWaiting(tx, props.filingId, "question");
    const updated = await updateFiling(tx, filing.id, {
      status: "questioned",
      question,
      questionedAt: at,
      questionedBy: actorId,
    });
    await closeFilingTasks(tx, {
      kind: FILING_CONFIRM,
      accountId: filing.accountId,
      filingIds: [filing.id],
      doneBy: actorId,
      at,
      resolution: { question },
    });
    const account = await findAccount(tx, filing.accountId);
    if (!account) throw notFound("アカウント");
    const notice = filing.noticeId === null ? undefined : await lockNotice(tx, filing.noticeId);
    const subject = subjectOf(view, notice?.kind ?? null);
    const info = filingKindInfo[filing.kind];
    const task = await openTask(tx, {
      kind: FILING_ANSWER,
      accountId: filing.accountId,
      assigneeId: account.managerId,
      title: `${info.recipientLabel}からの質問に回答し、${subject}の届出を再送する`,
      clause: info.clause,
      dueDate: addDays(tokyoDate(at), FILING_DUE_DAYS),
      cause: { filingId: filing.id, noticeId: filing.noticeId, question },
      openedAt: at,
    });
    await insertEvent(tx, {
      accountId: filing.accountId,
      kind: "filing_questioned",
      actorId,
      comment: `${info.recipientLabel}からの質問: ${question}`,
      snapshot: { filingId: filing.id, noticeId: filing.noticeId, round: filing.round },
      at,
    });
    await notify(ctx, tx, {
      recipientIds: [account.managerId, filing.sentBy],
      kind: "filing",
      title: `${info.recipientLabel}から届出に質問があります: ${subject}`,
      body: `質問: ${question} 回答を入力し、届出を再送してください（${clauseRef(info.clause)}）。`,
      href: `/filings/${filing.id}`,
      dedupeKey: `filing:${filing.id}:questioned`,
    });
    return {
      result: updated,
      target: { type: "filing", id: filing.id },
      summary: {
        accountId: filing.accountId,
        noticeId: filing.noticeId,
        kind: filing.kind,
        question,
        taskId: task.id,
      },
    };
  });
}
