/**
 * The steps the account manager takes on a change or closure notice (4.5): schedule the
 * announcement with its checked text (4.5.2, at least one month before the effective date) once
 * the policy director has confirmed the 届出 (4.5.1; the 届出 themselves are in filings.ts), or
 * cancel before the effective date. Each is one transaction with one audit entry.
 */
import { z } from "zod";
import { insertEvent, lockAccount, updateAccount } from "../../db/repos/accounts.ts";
import { withdrawNoticeFilings } from "../../db/repos/filings.ts";
import { lockNotice, lockOpenSecurityTask, type Notice, updateNotice } from "../../db/repos/notices.ts";
import { closeTask } from "../../db/repos/tasks.ts";
import { nextStatus } from "../../domain/accounts.ts";
import { clauseRef } from "../../domain/clauses.ts";
import { formatDate, tokyoDate } from "../../domain/dates.ts";
import {
  announcementDateProblem,
  cancelProblem,
  type NoticeStatus,
  nextNoticeStatus,
  noticeDisplayUntil,
  noticeKindLabels,
  noticeStatusLabel,
  toPlatform,
} from "../../domain/notices.ts";
import { conflict, type FieldIssue, notFound, validation } from "../../errors.ts";
import { guidelinePack } from "../../guideline/pack.ts";
import { change } from "../audit/record.ts";
import type { Actor, AppContext } from "../context.ts";
import { closeFilingTasks, FILING_ANSWER, FILING_CONFIRM } from "../filings/send.ts";
import { optionalText, parse, plainDate } from "../validate.ts";
import { manageableNotice } from "./access.ts";
import { announcementText, checkAnnouncement } from "./announcement.ts";

const actorIdOf = (actor: Actor) => (actor.kind === "staff" ? actor.staffId : null);

/** The notice, locked, still in a status that allows `step`; a conflict otherwise. */
async function lockFor(
  tx: Parameters<typeof lockNotice>[0],
  id: number,
  step: "schedule" | "cancel",
): Promise<{ notice: Notice; next: NoticeStatus }> {
  const notice = await lockNotice(tx, id);
  if (!notice) throw notFound("変更・廃止の届出");
  const next = nextNoticeStatus(notice.status, step);
  if (next) return { notice, next };
  if (step === "schedule" && notice.status === "requested") {
    throw conflict(
      `周知日を設定する前に、総合政策部長へ届け出て、確認を受けてください（${clauseRef("4.5.1")} 周知する前に総合政策部長へ届出）。`,
    );
  }
  const now = noticeStatusLabel(notice.kind, notice.status);
  if (step === "schedule")
    throw conflict(`この届出は周知日を変更できる段階を過ぎています（現在の状態: ${now}）。`);
  throw conflict(`この届出は取り消せません（現在の状態: ${now}）。`);
}

export const scheduleInput = z.object({
  announcementDate: plainDate("周知日"),
  /** The announcement post; empty means the text generated from the template. */
  announcementText: optionalText("告知投稿の文案", 5000),
  /** Moves the effective date at the same time (empty: unchanged). */
  effectiveDate: z.preprocess(
    (v) => (v === "" || v === null ? undefined : v),
    plainDate("変更日・廃止日").optional(),
  ),
});

/**
 * Schedules the announcement (4.5.2): the announcement date is today or later (Tokyo), and the
 * effective date is at least the notice period after it, counted as the Civil Code does;
 * otherwise refused with the latest announcement date for the effective date and the earliest
 * effective date for the announcement date. The announcement text must pass the checker
 * without errors. Also fixes how long the public notice stays up (display_until).
 */
export async function scheduleAnnouncement(
  ctx: AppContext,
  props: { actor: Actor; noticeId: number; input: unknown },
) {
  const view = await manageableNotice(ctx, props.actor, props.noticeId);
  const input = parse(scheduleInput, props.input);
  const pack = guidelinePack();
  const account = {
    name: view.accountName,
    platform: toPlatform(view.accountPlatform),
    divisionName: view.divisionName,
    homepageUrl: view.homepageUrl,
    isCharacter: view.accountIsCharacter,
  };
  const effectiveDate = input.effectiveDate ?? view.effectiveDate;
  const postText =
    input.announcementText ||
    announcementText(pack, { kind: view.kind, details: view.details, effectiveDate, account });
  const findings = await checkAnnouncement(postText, account, ctx.clock.now());
  return change(ctx, props.actor, "notice.schedule", async (tx, at) => {
    const { notice, next } = await lockFor(tx, props.noticeId, "schedule");
    const problem = announcementDateProblem({
      kind: notice.kind,
      announcementDate: input.announcementDate,
      effectiveDate,
      today: tokyoDate(at),
      months: pack.deadlines.noticeMinMonths,
    });
    const issues: FieldIssue[] = problem ? [{ field: "announcementDate", message: problem }] : [];
    const errors = findings.filter((f) => f.severity === "error");
    for (const f of errors) {
      issues.push({
        field: "announcementText",
        message: `告知投稿の文案: ${f.message}（${clauseRef(f.clause)}）${f.hint ? ` ${f.hint}` : ""}`,
      });
    }
    if (issues.length > 0) {
      throw validation(
        problem && errors.length === 0
          ? problem
          : errors.length > 0 && !problem
            ? `告知投稿の文案に、直す必要がある問題が${errors.length}件あります。文案を修正してください。`
            : "周知日と告知投稿の文案を確認してください。",
        issues,
      );
    }
    const displayUntil = noticeDisplayUntil(notice.kind, effectiveDate, pack.deadlines);
    const updated = await updateNotice(tx, notice.id, {
      status: next,
      announcementDate: input.announcementDate,
      effectiveDate,
      displayUntil,
      announcementText: postText,
    });
    await insertEvent(tx, {
      accountId: notice.accountId,
      kind: "announcement_scheduled",
      actorId: actorIdOf(props.actor),
      comment: `周知日 ${formatDate(input.announcementDate)}、${noticeKindLabels[notice.kind]}日 ${formatDate(effectiveDate)}`,
      snapshot: {
        noticeId: notice.id,
        announcementDate: input.announcementDate,
        effectiveDate,
        displayUntil,
      },
      at,
    });
    return {
      result: updated,
      target: { type: "account", id: notice.accountId },
      summary: {
        noticeId: notice.id,
        status: { before: notice.status, after: next },
        announcementDate: input.announcementDate,
        effectiveDate: { before: notice.effectiveDate, after: effectiveDate },
        displayUntil,
        warnings: findings.filter((f) => f.severity !== "error").map((f) => f.rule),
      },
    };
  });
}

/**
 * Cancels a notice before its effective date. If it was already announced, the account goes
 * back to 運用中 and the public notice disappears; an open task to notify the security
 * director is cancelled with it.
 */
export async function cancelNotice(ctx: AppContext, props: { actor: Actor; noticeId: number }) {
  await manageableNotice(ctx, props.actor, props.noticeId);
  return change(ctx, props.actor, "notice.cancel", async (tx, at) => {
    const { notice, next } = await lockFor(tx, props.noticeId, "cancel");
    const problem = cancelProblem(notice, tokyoDate(at));
    if (problem) throw conflict(problem);
    const account = await lockAccount(tx, notice.accountId);
    if (!account) throw notFound("アカウント");
    let accountStatus = account.status;
    const announcedAs = notice.kind === "change" ? "change_announced" : "closure_announced";
    if (notice.status === "announced" && account.status === announcedAs) {
      accountStatus = nextStatus(account.status, "cancel_notice") ?? account.status;
      await updateAccount(tx, account.id, { status: accountStatus }, at);
    }
    const task = await lockOpenSecurityTask(tx, notice.id);
    if (task) {
      await closeTask(tx, task.id, {
        status: "cancelled",
        doneBy: actorIdOf(props.actor),
        doneAt: at,
        resolution: { reason: "notice cancelled" },
      });
    }
    // The 届出 waiting for a director or an answer are withdrawn with their tasks.
    const withdrawn = await withdrawNoticeFilings(tx, notice.id, at);
    for (const kind of [FILING_CONFIRM, FILING_ANSWER]) {
      await closeFilingTasks(tx, {
        kind,
        accountId: notice.accountId,
        filingIds: withdrawn,
        doneBy: actorIdOf(props.actor),
        at,
        resolution: { reason: "notice cancelled" },
        status: "cancelled",
      });
    }
    const updated = await updateNotice(tx, notice.id, { status: next, cancelledAt: at });
    await insertEvent(tx, {
      accountId: notice.accountId,
      kind: `${notice.kind}_cancelled`,
      actorId: actorIdOf(props.actor),
      comment: `${noticeKindLabels[notice.kind]}の届出を取り消しました。`,
      snapshot: { noticeId: notice.id, status: notice.status },
      at,
    });
    return {
      result: updated,
      target: { type: "account", id: notice.accountId },
      summary: {
        noticeId: notice.id,
        status: { before: notice.status, after: next },
        accountStatus: { before: account.status, after: accountStatus },
        taskCancelled: task?.id ?? null,
        filingsWithdrawn: withdrawn,
      },
    };
  });
}
