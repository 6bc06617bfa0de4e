/**
 * Reading change and closure notices: the list of every notice the person may see (the policy
 * director sees all, 4.5.1), one account's notices with their checklist, the announcement
 * draft with the checker's findings, and the notices on the public pages (4.5.2).
 */
import type { Finding } from "../../checker/index.ts";
import type { AccountView } from "../../db/repos/accounts.ts";
import {
  listNotices,
  listPublicNotices,
  type NoticeView,
  type SecurityTask,
  securityTasksOf,
} from "../../db/repos/notices.ts";
import { tokyoDate } from "../../domain/dates.ts";
import {
  type ChecklistItem,
  isOpenNotice,
  type NoticeKind,
  type NoticeStatus,
  noticeChecklist,
  toPlatform,
} from "../../domain/notices.ts";
import { guidelinePack } from "../../guideline/pack.ts";
import { getAccount } from "../accounts/read.ts";
import { authorize } from "../authorize.ts";
import type { Actor, AppContext } from "../context.ts";
import { canManageNotices, noticeVisibility, visibleNotice } from "./access.ts";
import { announcementText, checkAnnouncement } from "./announcement.ts";
import { requestableKinds } from "./request.ts";

/** Every notice the actor may see, newest first, optionally only in some statuses. */
export async function listNoticesFor(
  ctx: AppContext,
  props: { actor: Actor; statuses?: readonly NoticeStatus[] },
): Promise<NoticeView[]> {
  await authorize(ctx, props.actor, "notice.read");
  return listNotices(ctx.db, { statuses: props.statuses, visible: noticeVisibility(props.actor) });
}

/** What the security-director step recorded, read from its task. */
export type SecurityStep = {
  taskId: number;
  status: string;
  dueDate: string | null;
  notifiedOn: string | null;
  method: string;
  note: string;
  doneByName: string | null;
};

function securityStep(task: SecurityTask | undefined): SecurityStep | null {
  if (!task) return null;
  const r: unknown = task.resolution;
  const field = (key: string): string => {
    const v: unknown = typeof r === "object" && r !== null ? Reflect.get(r, key) : undefined;
    return typeof v === "string" ? v : "";
  };
  return {
    taskId: task.id,
    status: task.status,
    dueDate: task.dueDate,
    // Closed on the generic task page (a note only): the day it was closed stands for the date.
    notifiedOn: field("notifiedOn") || (task.doneAt ? tokyoDate(task.doneAt) : null),
    method: field("method"),
    note: field("note"),
    doneByName: task.doneByName,
  };
}

/** One notice with its steps, as the account's page shows it. */
export type NoticeEntry = {
  notice: NoticeView;
  checklist: ChecklistItem[];
  security: SecurityStep | null;
  /** For a notice whose announcement can still be scheduled: the draft and its findings. */
  draft: { text: string; findings: Finding[] } | null;
};

function checklistOf(n: NoticeView, security: SecurityStep | null): ChecklistItem[] {
  const day = (at: Date | null) => (at ? tokyoDate(at) : null);
  return noticeChecklist({
    kind: n.kind,
    status: n.status,
    effectiveDate: n.effectiveDate,
    announcementDate: n.announcementDate,
    requestedOn: tokyoDate(n.requestedAt),
    requestedByName: n.requestedByName,
    policyDirectorNotifiedOn: day(n.policyDirectorNotifiedAt),
    policyDirectorNotifiedByName: n.policyDirectorNotifiedByName,
    announcedOn: day(n.announcedAt),
    effectiveOn: day(n.effectiveAt),
    securityTask: security
      ? {
          status: security.status,
          notifiedOn: security.notifiedOn,
          method: security.method,
          doneByName: security.doneByName,
        }
      : null,
  });
}

/** The announcement text for a notice: as saved, or generated from the template. */
export function draftText(n: NoticeView): string {
  if (n.announcementText) return n.announcementText;
  return announcementText(guidelinePack(), {
    kind: n.kind,
    details: n.details,
    effectiveDate: n.effectiveDate,
    account: {
      name: n.accountName,
      platform: toPlatform(n.accountPlatform),
      divisionName: n.divisionName,
      homepageUrl: n.homepageUrl,
    },
  });
}

/** Everything the account's 変更・廃止 page shows. */
export type AccountNotices = {
  account: AccountView;
  entries: NoticeEntry[];
  canManage: boolean;
  /** Kinds the actor may request now (empty when a notice is in progress or not allowed). */
  requestable: NoticeKind[];
  today: string;
};

/**
 * One account's notices (newest first) with their checklists, whether the actor may act, and
 * for a notice being scheduled the announcement draft with the checker's findings (of
 * `draft.text` when given: the text just submitted).
 */
export async function accountNotices(
  ctx: AppContext,
  props: { actor: Actor; accountId: number; draft?: { noticeId: number; text: string } },
): Promise<AccountNotices> {
  const account = await getAccount(ctx, { actor: props.actor, id: props.accountId });
  const notices = await listNotices(ctx.db, {
    accountId: account.id,
    visible: noticeVisibility(props.actor),
  });
  const tasks = await securityTasksOf(
    ctx.db,
    notices.map((n) => n.id),
  );
  const now = ctx.clock.now();
  const entries: NoticeEntry[] = [];
  for (const notice of notices) {
    const security = securityStep(tasks.get(notice.id));
    let draft: NoticeEntry["draft"] = null;
    if (notice.status === "notified" || notice.status === "scheduled") {
      const text = props.draft?.noticeId === notice.id ? props.draft.text : draftText(notice);
      const findings = await checkAnnouncement(
        text,
        {
          platform: toPlatform(account.platform),
          divisionName: account.divisionName,
          homepageUrl: account.homepageUrl,
          isCharacter: account.isCharacter,
        },
        now,
      );
      draft = { text, findings };
    }
    entries.push({ notice, checklist: checklistOf(notice, security), security, draft });
  }
  const open = notices.filter((n) => isOpenNotice(n.status));
  return {
    account,
    entries,
    canManage: canManageNotices(props.actor, account),
    requestable: requestableKinds(props.actor, account, open),
    today: tokyoDate(now),
  };
}

/**
 * The notices on the public pages today (4.5.2): announced or effective, from the announcement
 * date through the display-until date. Public information: no actor needed.
 */
export async function publicNotices(ctx: AppContext): Promise<NoticeView[]> {
  return listPublicNotices(ctx.db, tokyoDate(ctx.clock.now()));
}

/** One notice the actor may see, with its checklist (the API's detail view). */
export async function noticeDetail(
  ctx: AppContext,
  props: { actor: Actor; noticeId: number },
): Promise<{ notice: NoticeView; checklist: ChecklistItem[]; security: SecurityStep | null }> {
  const notice = await visibleNotice(ctx, props.actor, props.noticeId);
  const security = securityStep((await securityTasksOf(ctx.db, [notice.id])).get(notice.id));
  return { notice, checklist: checklistOf(notice, security), security };
}

/**
 * The announcement post of a notice — as saved, or generated from the template — with the
 * checker's findings (4.5.2: an error must be fixed before the announcement is scheduled).
 */
export async function noticeAnnouncement(
  ctx: AppContext,
  props: { actor: Actor; noticeId: number },
): Promise<{ text: string; findings: Finding[] }> {
  const notice = await visibleNotice(ctx, props.actor, props.noticeId);
  const text = draftText(notice);
  const findings = await checkAnnouncement(
    text,
    {
      platform: toPlatform(notice.accountPlatform),
      divisionName: notice.divisionName,
      homepageUrl: notice.homepageUrl,
      isCharacter: notice.accountIsCharacter,
    },
    ctx.clock.now(),
  );
  return { text, findings };
}
