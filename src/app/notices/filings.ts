/**
 * The two 届出 of a change or closure (4.5.1): to the 総合政策部長 before it is announced — the
 * announcement can be scheduled only once the director has confirmed it — and to the
 * 情報統括管理者 promptly after it is announced (周知後速やかに). The account manager (課等の長)
 * sends each through the system; the director receives it (a notification and a task) and
 * confirms it or asks a question (app/filings). Each step is one transaction, one audit entry.
 */
import { z } from "zod";
import type { Db } from "../../db/client.ts";
import { insertEvent } from "../../db/repos/accounts.ts";
import { latestFiling } from "../../db/repos/filings.ts";
import { lockNotice, lockOpenSecurityTask, type Notice, updateNotice } from "../../db/repos/notices.ts";
import { closeTask } from "../../db/repos/tasks.ts";
import { clauseRef } from "../../domain/clauses.ts";
import type { FilingKind, NoticeFilingContent } from "../../domain/filings.ts";
import { detailLabels, noticeKindLabels, noticeStatusLabel } from "../../domain/notices.ts";
import { conflict, notFound } from "../../errors.ts";
import { platformLabel } from "../../guideline/pack.ts";
import { change } from "../audit/record.ts";
import type { Actor, AppContext } from "../context.ts";
import { type Sent, sendFilingRound } from "../filings/send.ts";
import { optionalText, parse } from "../validate.ts";
import { manageableNotice } from "./access.ts";

export const filingInput = z.object({ message: optionalText("コメント", 2000) });

/** What a 4.5.1 届出 says: the notice as it is now, with its account. */
export function noticeFilingContent(
  notice: Notice,
  account: { name: string; platform: string; url: string },
): NoticeFilingContent {
  const d = notice.details;
  const changes: NoticeFilingContent["changes"] = [];
  if (d.name) changes.push({ label: detailLabels.name, value: d.name });
  if (d.alias) changes.push({ label: detailLabels.alias, value: d.alias });
  if (d.handle) changes.push({ label: detailLabels.handle, value: d.handle });
  if (d.platform) changes.push({ label: detailLabels.platform, value: platformLabel(d.platform) });
  if (d.url) changes.push({ label: detailLabels.url, value: d.url });
  return {
    noticeKind: notice.kind,
    accountName: account.name,
    platform: account.platform,
    url: account.url,
    effectiveDate: notice.effectiveDate,
    announcementDate: notice.announcementDate ?? "",
    reason: notice.reason,
    changes,
  };
}

/**
 * Sends (or, answering a question, sends again) a notice's 届出 of `kind` in the caller's
 * transaction, with the notice as it is now.
 */
export async function fileNotice(
  ctx: { clock: { now(): Date } },
  tx: Db,
  props: {
    notice: Notice;
    account: { name: string; platform: string; url: string };
    kind: Extract<FilingKind, "notice_policy" | "notice_security">;
    message: string;
    senderId: number | null;
    at: Date;
  },
): Promise<Sent> {
  const { notice } = props;
  return sendFilingRound(ctx, tx, {
    key: { accountId: notice.accountId, kind: props.kind, noticeId: notice.id },
    content: noticeFilingContent(notice, props.account),
    message: props.message,
    senderId: props.senderId,
    at: props.at,
    subject: `「${props.account.name}」の${noticeKindLabels[notice.kind]}`,
  });
}

const accountOf = (v: { accountName: string; accountPlatform: string }, url: string) => ({
  name: v.accountName,
  platform: v.accountPlatform,
  url,
});

/**
 * 4.5.1 周知する前に総合政策部長へ届出: the account manager sends the 届出; the policy director
 * receives it and confirms it (then the announcement can be scheduled) or asks a question.
 */
export async function fileWithPolicyDirector(
  ctx: AppContext,
  props: { actor: Actor; noticeId: number; input?: unknown },
) {
  const view = await manageableNotice(ctx, props.actor, props.noticeId);
  const { message } = parse(filingInput, props.input ?? {});
  const senderId = props.actor.kind === "staff" ? props.actor.staffId : null;
  return change(ctx, props.actor, "notice.file_policy_director", async (tx, at) => {
    const notice = await lockNotice(tx, props.noticeId);
    if (!notice) throw notFound("変更・廃止の届出");
    if (notice.status !== "requested") {
      throw conflict(
        `総合政策部長への届出は確認済みです（現在の状態: ${noticeStatusLabel(notice.kind, notice.status)}）。`,
      );
    }
    const latest = await latestFiling(tx, {
      accountId: notice.accountId,
      kind: "notice_policy",
      noticeId: notice.id,
    });
    if (latest?.status === "sent")
      throw conflict("総合政策部長への届出は送付済みです。総合政策部長の確認を待っています。");
    const sent = await fileNotice(ctx, tx, {
      notice,
      account: accountOf(view, view.accountUrl),
      kind: "notice_policy",
      message,
      senderId,
      at,
    });
    const updated = await updateNotice(tx, notice.id, {
      policyDirectorNotifiedAt: at,
      policyDirectorNotifiedBy: senderId,
    });
    await insertEvent(tx, {
      accountId: notice.accountId,
      kind: sent.filing.round > 1 ? "policy_director_refiled" : "policy_director_filed",
      actorId: senderId,
      comment: `${noticeKindLabels[notice.kind]}の届出（${clauseRef("4.5.1")}）${message ? `: ${message}` : ""}`,
      snapshot: { noticeId: notice.id, filingId: sent.filing.id, round: sent.filing.round },
      at,
    });
    return {
      result: updated,
      target: { type: "filing", id: sent.filing.id },
      summary: {
        noticeId: notice.id,
        accountId: notice.accountId,
        kind: "notice_policy",
        round: sent.filing.round,
        replaced: sent.replaced?.id ?? null,
        recipients: sent.notified.length,
      },
    };
  });
}

/**
 * 4.5.1 周知後速やかに情報統括管理者へ届出: after the announcement the account manager sends the
 * 届出 (closing the task the announcement opened); the security director confirms or asks.
 */
export async function fileWithSecurityDirector(
  ctx: AppContext,
  props: { actor: Actor; noticeId: number; input?: unknown },
) {
  const view = await manageableNotice(ctx, props.actor, props.noticeId);
  const { message } = parse(filingInput, props.input ?? {});
  const senderId = props.actor.kind === "staff" ? props.actor.staffId : null;
  return change(ctx, props.actor, "notice.file_security_director", async (tx, at) => {
    const notice = await lockNotice(tx, props.noticeId);
    if (!notice) throw notFound("変更・廃止の届出");
    if (!notice.announcedAt || (notice.status !== "announced" && notice.status !== "effective")) {
      throw conflict(
        `情報統括管理者への届出は、周知の後に行います（${clauseRef("4.5.1")} 周知後速やかに）。`,
      );
    }
    const latest = await latestFiling(tx, {
      accountId: notice.accountId,
      kind: "notice_security",
      noticeId: notice.id,
    });
    if (latest?.status === "sent")
      throw conflict("情報統括管理者への届出は送付済みです。確認を待っています。");
    if (latest?.status === "confirmed") throw conflict("情報統括管理者への届出は確認済みです。");
    const sent = await fileNotice(ctx, tx, {
      notice,
      account: accountOf(view, view.accountUrl),
      kind: "notice_security",
      message,
      senderId,
      at,
    });
    const task = await lockOpenSecurityTask(tx, notice.id);
    if (task) {
      await closeTask(tx, task.id, {
        status: "done",
        doneBy: senderId,
        doneAt: at,
        resolution: { filingId: sent.filing.id },
      });
    }
    await insertEvent(tx, {
      accountId: notice.accountId,
      kind: sent.filing.round > 1 ? "security_director_refiled" : "security_director_filed",
      actorId: senderId,
      comment: `${noticeKindLabels[notice.kind]}の届出（${clauseRef("4.5.1")}）${message ? `: ${message}` : ""}`,
      snapshot: { noticeId: notice.id, filingId: sent.filing.id, round: sent.filing.round },
      at,
    });
    return {
      result: sent.filing,
      target: { type: "filing", id: sent.filing.id },
      summary: {
        noticeId: notice.id,
        accountId: notice.accountId,
        kind: "notice_security",
        round: sent.filing.round,
        taskClosed: task?.id ?? null,
        recipients: sent.notified.length,
      },
    };
  });
}
