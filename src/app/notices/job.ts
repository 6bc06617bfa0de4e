/**
 * The scheduled side of changes and closures (4.5): on the announcement date the notice goes
 * public, the account becomes 変更予告中 / 廃止予告中 and the account manager gets a task to send
 * the 届出 to the security director (4.5.1 周知後速やかに); on the effective date a change is
 * applied to the account — and the manager gets a task to keep the notice on the account for
 * about a year (4.5.2) — or the account is closed, and kept forever as formerly official. Safe with several app
 * instances: each notice is claimed with FOR UPDATE SKIP LOCKED and handled in its own
 * transaction with its own audit entry.
 */

import type { Db } from "../../db/client.ts";
import { insertEvent, lockAccount, updateAccount } from "../../db/repos/accounts.ts";
import { withdrawNoticeFilings } from "../../db/repos/filings.ts";
import {
  claimDueNotice,
  dueNotices,
  lockNotice,
  lockOpenSecurityTask,
  type Notice,
  openNoticesOfAccount,
  securityTaskKind,
  updateNotice,
} from "../../db/repos/notices.ts";
import { closeTask, openTask } from "../../db/repos/tasks.ts";
import { nextStatus } from "../../domain/accounts.ts";
import { formatDate, tokyoDate } from "../../domain/dates.ts";
import {
  applyDetails,
  effectiveDateLabel,
  isOpenNotice,
  nextNoticeStatus,
  noticeKindLabels,
  toPlatform,
} from "../../domain/notices.ts";
import { addBusinessDays } from "../../domain/posts.ts";
import { guidelinePack } from "../../guideline/pack.ts";
import { change } from "../audit/record.ts";
import type { Actor, AppContext } from "../context.ts";
import { closeFilingTasks, FILING_ANSWER, FILING_CONFIRM } from "../filings/send.ts";
import { openKeepTask } from "./sns.ts";

/** Thrown inside a transaction when another instance took the notice, or it is no longer due. */
class NotClaimed extends Error {}

/** Thrown when the account is not in a state the step can start from (the notice is withdrawn). */
class Unworkable extends Error {
  constructor(
    readonly noticeId: number,
    readonly accountId: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** Cancels other open notices the closure supersedes (an announced change of the same account). */
async function supersede(tx: Db, closure: Notice, at: Date): Promise<number[]> {
  const others = (await openNoticesOfAccount(tx, closure.accountId)).filter((n) => n.id !== closure.id);
  for (const other of others) {
    await updateNotice(tx, other.id, { status: "cancelled", cancelledAt: at });
    const withdrawn = await withdrawNoticeFilings(tx, other.id, at);
    for (const kind of [FILING_CONFIRM, FILING_ANSWER]) {
      await closeFilingTasks(tx, {
        kind,
        accountId: other.accountId,
        filingIds: withdrawn,
        doneBy: null,
        at,
        resolution: { reason: "superseded by closure", noticeId: closure.id },
        status: "cancelled",
      });
    }
    const task = await lockOpenSecurityTask(tx, other.id);
    if (task) {
      await closeTask(tx, task.id, {
        status: "cancelled",
        doneBy: null,
        doneAt: at,
        resolution: { reason: "superseded by closure", noticeId: closure.id },
      });
    }
  }
  return others.map((n) => n.id);
}

/** On the announcement date: public notice, account status, the security-director task. */
async function announce(ctx: AppContext, actor: Actor, id: number): Promise<void> {
  const pack = guidelinePack();
  await change(ctx, actor, "notice.announce", async (tx, at) => {
    const today = tokyoDate(at);
    const notice = await claimDueNotice(tx, id, "scheduled", today);
    if (!notice) throw new NotClaimed();
    const account = await lockAccount(tx, notice.accountId);
    if (!account) throw new Unworkable(id, notice.accountId, "account missing");
    const status = nextStatus(
      account.status,
      notice.kind === "change" ? "announce_change" : "announce_closure",
    );
    const next = nextNoticeStatus(notice.status, "announce");
    if (!status || !next) throw new Unworkable(id, account.id, `account is ${account.status}`);
    const superseded = notice.kind === "closure" ? await supersede(tx, notice, at) : [];
    await updateNotice(tx, notice.id, { status: next, announcedAt: at });
    await updateAccount(tx, account.id, { status }, at);
    const announcedOn = notice.announcementDate ?? today;
    // 4.5.1 周知後速やかに情報統括管理者へ届出: one task per notice, even if this runs twice.
    const existing = await lockOpenSecurityTask(tx, notice.id);
    const task =
      existing ??
      (await openTask(tx, {
        kind: securityTaskKind,
        accountId: account.id,
        assigneeId: account.managerId,
        title: `「${account.name}」の${noticeKindLabels[notice.kind]}を情報統括管理者へ届け出る`,
        clause: "4.5.1",
        // Business days, like every deadline in days (holidays and closed days not counted).
        dueDate: addBusinessDays(announcedOn, pack.deadlines.securityNotifyDueDays, pack.posts.closedDays),
        cause: { noticeId: notice.id },
        openedAt: at,
      }));
    await insertEvent(tx, {
      accountId: account.id,
      kind: `${notice.kind}_announced`,
      actorId: null,
      comment: `${effectiveDateLabel(notice.kind)} ${formatDate(notice.effectiveDate)} の${noticeKindLabels[notice.kind]}を周知しました。`,
      snapshot: { noticeId: notice.id, displayUntil: notice.displayUntil, superseded },
      at,
    });
    return {
      result: null,
      target: { type: "account", id: account.id },
      summary: {
        noticeId: notice.id,
        kind: notice.kind,
        status: { before: account.status, after: status },
        taskId: task.id,
        superseded,
      },
    };
  });
}

/** On the effective date: apply the change, or close the account (never deleted). */
async function takeEffect(ctx: AppContext, actor: Actor, id: number): Promise<void> {
  await change(ctx, actor, "notice.effective", async (tx, at) => {
    const notice = await claimDueNotice(tx, id, "announced", tokyoDate(at));
    if (!notice) throw new NotClaimed();
    const account = await lockAccount(tx, notice.accountId);
    if (!account) throw new Unworkable(id, notice.accountId, "account missing");
    const status = nextStatus(account.status, notice.kind === "change" ? "change_effective" : "close");
    const next = nextNoticeStatus(notice.status, "take_effect");
    if (!status || !next) throw new Unworkable(id, account.id, `account is ${account.status}`);
    const before = {
      name: account.name,
      alias: account.alias,
      handle: account.handle,
      platform: toPlatform(account.platform),
      url: account.url,
    };
    const after = notice.kind === "change" ? applyDetails(before, notice.details) : before;
    await updateAccount(
      tx,
      account.id,
      notice.kind === "change" ? { ...after, status } : { status, closedOn: notice.effectiveDate },
      at,
    );
    await updateNotice(tx, notice.id, { status: next, effectiveAt: at });
    // 4.5.2 変更後は両方に１年程度: the home page keeps it by itself; the account, by this task.
    const keepTaskId = await openKeepTask(tx, {
      notice,
      accountName: after.name,
      managerId: account.managerId,
      at,
    });
    await insertEvent(tx, {
      accountId: account.id,
      kind: notice.kind === "change" ? "changed" : "closed",
      actorId: null,
      comment:
        notice.kind === "change"
          ? `${formatDate(notice.effectiveDate)}に変更を反映しました。`
          : `${formatDate(notice.effectiveDate)}をもって廃止しました。`,
      snapshot: { noticeId: notice.id, before, after },
      at,
    });
    return {
      result: null,
      target: { type: "account", id: account.id },
      summary: {
        noticeId: notice.id,
        kind: notice.kind,
        status: { before: account.status, after: status },
        ...(notice.kind === "change" ? { before, after, keepTaskId } : { closedOn: notice.effectiveDate }),
      },
    };
  });
}

/** Withdraws a notice the job cannot carry out (the account is no longer in the expected state). */
async function withdraw(ctx: AppContext, actor: Actor, problem: Unworkable): Promise<void> {
  await change(ctx, actor, "notice.cancel", async (tx, at) => {
    const notice = await lockNotice(tx, problem.noticeId);
    if (notice && isOpenNotice(notice.status)) {
      await updateNotice(tx, problem.noticeId, { status: "cancelled", cancelledAt: at });
    }
    const task = await lockOpenSecurityTask(tx, problem.noticeId);
    if (task) await closeTask(tx, task.id, { status: "cancelled", doneBy: null, doneAt: at });
    const withdrawn = await withdrawNoticeFilings(tx, problem.noticeId, at);
    for (const kind of [FILING_CONFIRM, FILING_ANSWER]) {
      await closeFilingTasks(tx, {
        kind,
        accountId: problem.accountId,
        filingIds: withdrawn,
        doneBy: null,
        at,
        resolution: { reason: problem.reason },
        status: "cancelled",
      });
    }
    return {
      result: null,
      target: { type: "account", id: problem.accountId },
      summary: { noticeId: problem.noticeId, reason: problem.reason, filingsWithdrawn: withdrawn },
    };
  });
}

/**
 * Carries out every notice step whose day has come (Tokyo): announcements first on their date,
 * then changes and closures on theirs. Returns how many steps were taken. Notices another
 * instance is working on are skipped; one failing notice does not stop the others.
 */
export async function advanceDueNotices(ctx: AppContext, actor: Actor): Promise<number> {
  let taken = 0;
  for (let round = 0; round < 100; round++) {
    const due = await dueNotices(ctx.db, tokyoDate(ctx.clock.now()));
    let progressed = 0;
    for (const notice of due) {
      try {
        if (notice.status === "scheduled") await announce(ctx, actor, notice.id);
        else await takeEffect(ctx, actor, notice.id);
        progressed++;
      } catch (error) {
        if (error instanceof NotClaimed) continue;
        if (error instanceof Unworkable) {
          ctx.log.warn("notice withdrawn", { noticeId: error.noticeId, reason: error.reason });
          await withdraw(ctx, actor, error);
          progressed++;
          continue;
        }
        ctx.log.error("notice step failed", { noticeId: notice.id, error });
      }
    }
    taken += progressed;
    if (progressed === 0) break;
  }
  return taken;
}
