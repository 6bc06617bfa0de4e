/**
 * Demo notices (`npm run demo`): on three running demo accounts, a change announced ten days ago
 * (変更予告中: its 届出 to the policy director confirmed before the announcement, its
 * announcement post drafted, approved and published on the account, its 届出 to the security
 * director sent and confirmed), a closure announced three days ago (廃止予告中, the 届出 to the
 * security director still to send), and a change just requested whose 届出 waits for the policy
 * director — so /public/notices, /notices, /filings, the checklist and the tasks all have
 * something real on them (4.5.1, 4.5.2). The past steps are written in one audited change each
 * (the use cases rightly refuse past dates); everything from today on goes through the use cases.
 */
import { type AccountView, listAccounts, listOperators } from "../../db/repos/accounts.ts";
import { insertFiling, latestFiling, updateFiling } from "../../db/repos/filings.ts";
import { insertNotice, listNotices, openNoticesOfAccount, updateNotice } from "../../db/repos/notices.ts";
import { addDays, tokyoDate } from "../../domain/dates.ts";
import { earliestEffectiveDate } from "../../domain/deadlines.ts";
import { type NoticeDetails, type NoticeKind, noticeDisplayUntil, toPlatform } from "../../domain/notices.ts";
import { checkPostUrl } from "../../domain/platforms.ts";
import { guidelinePack } from "../../guideline/pack.ts";
import { accountTarget } from "../accounts/read.ts";
import { loadActor } from "../actors.ts";
import { change } from "../audit/record.ts";
import { allowed } from "../authorize.ts";
import { type Actor, type AppContext, systemActor } from "../context.ts";
import { confirmFiling } from "../filings/decide.ts";
import { approvePost } from "../posts/decide.ts";
import { recordPublishing } from "../posts/publishing.ts";
import { draftAnnouncementPost } from "../posts/publishing-drafts.ts";
import { platformOf } from "../posts/publishing-rules.ts";
import { submitPost } from "../posts/submit.ts";
import { holdersOf } from "../staff/role-grants.ts";
import { announcementText } from "./announcement.ts";
import { fileWithPolicyDirector, fileWithSecurityDirector, noticeFilingContent } from "./filings.ts";
import { advanceDueNotices } from "./job.ts";
import { requestNotice } from "./request.ts";

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
  const [director] = await holdersOf(ctx.db, "policy_director", ctx.clock.now());
  return change(ctx, systemActor("demo"), "notice.request", async (tx, at) => {
    const requestedAt = new Date(`${addDays(props.announcementDate, -7)}T10:00:00+09:00`);
    const sentAt = new Date(`${addDays(props.announcementDate, -5)}T10:00:00+09:00`);
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
    const scheduled = await updateNotice(tx, notice.id, {
      status: "scheduled",
      policyDirectorNotifiedAt: sentAt,
      policyDirectorNotifiedBy: managerId,
      announcementDate: props.announcementDate,
      displayUntil: noticeDisplayUntil(props.kind, props.effectiveDate, pack.deadlines),
      announcementText: text,
    });
    // 4.5.1: the 届出 went to the policy director, who confirmed it the next day.
    const filing = await insertFiling(tx, {
      accountId: account.id,
      kind: "notice_policy",
      noticeId: notice.id,
      round: 1,
      content: noticeFilingContent(scheduled, account),
      message: "",
      sentAt,
      sentBy: managerId,
    });
    await updateFiling(tx, filing.id, {
      status: "confirmed",
      confirmedAt: new Date(`${addDays(props.announcementDate, -4)}T10:00:00+09:00`),
      confirmedBy: director?.id ?? null,
    });
    return {
      result: notice.id,
      target: { type: "account", id: account.id },
      summary: {
        noticeId: notice.id,
        reason: "デモ用の申請（過去の日付で届出・確認・周知日を記録）",
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

  // The change: its announcement post on the account, then the 届出 to the security director.
  const manager = await managerOf(ctx, changed);
  await announceOnAccount(ctx, changed, changeId, manager, changeAnnounced);
  await fileWithSecurityDirector(ctx, {
    actor: manager,
    noticeId: changeId,
    input: { message: "周知を始めましたので届け出ます。（サンプル）" },
  });
  const filing = await latestFiling(ctx.db, {
    accountId: changed.id,
    kind: "notice_security",
    noticeId: changeId,
  });
  const [security] = await holdersOf(ctx.db, "security_director", ctx.clock.now());
  const securityActor = security ? await loadActor(ctx.db, security.id, "cli") : undefined;
  if (filing && securityActor) await confirmFiling(ctx, { actor: securityActor, filingId: filing.id });

  // A change just requested: its 届出 waits for the policy director.
  const requestedManager = await managerOf(ctx, requested);
  const fresh = await requestNotice(ctx, {
    actor: requestedManager,
    accountId: requested.id,
    input: {
      kind: "change",
      effectiveDate: addDays(earliestEffectiveDate(today, months), 30),
      reason: "課の名称変更に合わせるため",
      name: `${requested.name}（新）`,
    },
  });
  await fileWithPolicyDirector(ctx, { actor: requestedManager, noticeId: fresh.id });
}

/** A URL of a post on the account's platform, for the demo's publishing record. */
function samplePostUrl(account: AccountView): string | null {
  const base = account.url.replace(/\/+$/, "");
  const host = (() => {
    try {
      return new URL(account.url).host;
    } catch {
      return "";
    }
  })();
  const candidates = [
    `${base}/status/1900000000000000000`,
    `https://${host}/p/SAMPLE0001/`,
    `${base}/posts/1900000000`,
    `https://${host}/watch?v=SAMPLE00001`,
  ];
  return (
    candidates.find(
      (url) => checkPostUrl(guidelinePack(), { ...account, platform: platformOf(account.platform) }, url).ok,
    ) ?? null
  );
}

/**
 * 4.5.2 on the account itself: an operator drafts the announcement post from the notice, the
 * manager approves it, and its publication on the announcement date is recorded.
 */
async function announceOnAccount(
  ctx: AppContext,
  account: AccountView,
  noticeId: number,
  manager: Actor,
  announcedOn: string,
): Promise<void> {
  const [operator] = await listOperators(ctx.db, account.id);
  const operatorActor = operator ? await loadActor(ctx.db, operator.staffId, "cli") : undefined;
  const url = samplePostUrl(account);
  if (!operatorActor || manager.kind !== "staff" || !url) return;
  // The post was written and approved on the morning of the announcement day, before it went out
  // at 09:30: the record keeps that order (a publication never precedes its approval, 5.1(4)).
  const morning = new Date(`${announcedOn}T08:30:00+09:00`);
  const thatMorning: AppContext = { ...ctx, clock: { ...ctx.clock, now: () => morning } };
  const { postId } = await draftAnnouncementPost(thatMorning, { actor: operatorActor, noticeId });
  await submitPost(thatMorning, { actor: operatorActor, id: postId, input: { version: 1 } });
  await approvePost(thatMorning, { actor: manager, id: postId, input: { version: 1 } });
  await recordPublishing(ctx, {
    actor: operatorActor,
    postId,
    input: { url, publishedAt: `${announcedOn}T09:30` },
  });
}
