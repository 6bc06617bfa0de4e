/**
 * Demo notices (`npm run demo`): on three running demo accounts, a change announced ten days ago
 * (変更予告中, its notification to the security director recorded), a closure announced three
 * days ago (廃止予告中, the security-director task open), and a change just requested and waiting
 * for the notification to the policy director — so /public/notices, /notices, the checklist and
 * the tasks all have something real on them (4.5.1, 4.5.2).
 */
import { type AccountView, listAccounts } from "../../db/repos/accounts.ts";
import { insertNotice, listNotices, openNoticesOfAccount, updateNotice } from "../../db/repos/notices.ts";
import { addDays, tokyoDate } from "../../domain/dates.ts";
import { earliestEffectiveDate } from "../../domain/deadlines.ts";
import { type NoticeDetails, type NoticeKind, noticeDisplayUntil, toPlatform } from "../../domain/notices.ts";
import { guidelinePack } from "../../guideline/pack.ts";
import { accountTarget } from "../accounts/read.ts";
import { loadActor } from "../actors.ts";
import { change } from "../audit.ts";
import { allowed } from "../authorize.ts";
import { type Actor, type AppContext, systemActor } from "../context.ts";
import { announcementText } from "./announcement.ts";
import { advanceDueNotices } from "./job.ts";
import { requestNotice } from "./request.ts";
import { recordSecurityNotification } from "./steps.ts";

/** The account's manager as an actor when they may manage it, else the demo itself. */
async function managerOf(ctx: AppContext, account: AccountView): Promise<Actor> {
  const person = account.managerId !== null ? await loadActor(ctx.db, account.managerId, "cli") : undefined;
  return person && allowed(person, "account.manage", accountTarget(account)) ? person : systemActor("demo");
}

/**
 * A notice that was requested, notified and scheduled in the past (the use cases refuse a past
 * announcement date), written in one audited change; the job then announces it.
 */
async function pastNotice(
  ctx: AppContext,
  account: AccountView,
  props: {
    kind: NoticeKind;
    details: NoticeDetails;
    reason: string;
    announcementDate: string;
    effectiveDate: string;
  },
): Promise<number> {
  const pack = guidelinePack();
  const manager = await managerOf(ctx, account);
  const managerId = manager.kind === "staff" ? manager.staffId : null;
  return change(ctx, systemActor("demo"), "notice.request", async (tx, at) => {
    const requestedAt = new Date(`${addDays(props.announcementDate, -7)}T10:00:00+09:00`);
    const notice = await insertNotice(tx, {
      accountId: account.id,
      kind: props.kind,
      details: props.details,
      reason: props.reason,
      effectiveDate: props.effectiveDate,
      requestedBy: managerId,
      requestedAt,
    });
    const text = announcementText(pack, {
      kind: props.kind,
      details: props.details,
      effectiveDate: props.effectiveDate,
      account: { ...account, platform: toPlatform(account.platform) },
    });
    await updateNotice(tx, notice.id, {
      status: "scheduled",
      policyDirectorNotifiedAt: new Date(`${addDays(props.announcementDate, -5)}T10:00:00+09:00`),
      policyDirectorNotifiedBy: managerId,
      announcementDate: props.announcementDate,
      displayUntil: noticeDisplayUntil(props.kind, props.effectiveDate, pack.deadlines),
      announcementText: text,
    });
    return {
      result: notice.id,
      target: { type: "account", id: account.id },
      summary: {
        noticeId: notice.id,
        reason: "デモ用の届出（過去の日付で周知日を設定）",
        at: at.toISOString(),
      },
    };
  });
}

/**
 * Adds the demo notices once the demo accounts exist: nothing when there are fewer than three
 * running accounts without a notice, or when notices exist already.
 */
export async function demoNotices(ctx: AppContext): Promise<void> {
  // Demo notices exist already when a running account has one (a closed account's history does not count).
  const existing = await listNotices(ctx.db, { visible: null });
  if (existing.some((n) => n.status !== "effective")) return;
  const running = await listAccounts(ctx.db, { statuses: ["active"], visibleDivisionIds: null });
  const free: AccountView[] = [];
  for (const account of running.reverse()) {
    if ((await openNoticesOfAccount(ctx.db, account.id)).length === 0) free.push(account);
  }
  const [changed, closing, requested] = free;
  if (!changed || !closing || !requested) return;
  const months = guidelinePack().deadlines.noticeMinMonths;
  const today = tokyoDate(ctx.clock.now());

  const changeAnnounced = addDays(today, -10);
  const changeId = await pastNotice(ctx, changed, {
    kind: "change",
    details: { alias: `${changed.divisionName}公式` },
    reason: "市民の皆さまに分かりやすい通称にするため",
    announcementDate: changeAnnounced,
    effectiveDate: addDays(earliestEffectiveDate(changeAnnounced, months), 14),
  });
  const closureAnnounced = addDays(today, -3);
  await pastNotice(ctx, closing, {
    kind: "closure",
    details: {},
    reason: "事業の終了に伴い、情報発信を市ホームページに一本化するため",
    announcementDate: closureAnnounced,
    effectiveDate: earliestEffectiveDate(closureAnnounced, months),
  });
  await advanceDueNotices(ctx, systemActor("demo"));

  const manager = await managerOf(ctx, changed);
  await recordSecurityNotification(ctx, {
    actor: manager,
    noticeId: changeId,
    input: { notifiedOn: addDays(changeAnnounced, 1), method: "文書（起案）", note: "デモ用の記録" },
  });
  await requestNotice(ctx, {
    actor: await managerOf(ctx, requested),
    accountId: requested.id,
    input: {
      kind: "change",
      effectiveDate: addDays(earliestEffectiveDate(today, months), 30),
      reason: "課の名称変更に合わせるため",
      name: `${requested.name}（新）`,
    },
  });
}
