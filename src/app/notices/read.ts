/**
 * Reading change and closure notices: the list of every notice the person may see (the policy
 * director sees all, 4.5.1), one account's notices with their checklist, the announcement
 * draft with the checker's findings, and the notices on the public pages (4.5.2).
 */
import type { Finding } from "../../checker/index.ts";
import type { Db } from "../../db/client.ts";
import { type AccountView, isOperator } from "../../db/repos/accounts.ts";
import { type FilingView, listFilings } from "../../db/repos/filings.ts";
import {
  keepTasksOf,
  listNotices,
  listPublicNotices,
  type NoticeView,
  type SecurityTask,
  securityTasksOf,
} from "../../db/repos/notices.ts";
import { findPost } from "../../db/repos/posts.ts";
import { tokyoDate } from "../../domain/dates.ts";
import {
  type ChecklistItem,
  type FilingFacts,
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

/** The announcement post on the account, as far as the notice's page needs it. */
export type SnsPost = {
  id: number;
  status: string;
  scheduledAt: Date | null;
  publishedAt: Date | null;
  publishedUrl: string | null;
};

/** One notice with its steps, as the account's page shows it. */
export type NoticeEntry = {
  notice: NoticeView;
  checklist: ChecklistItem[];
  security: SecurityStep | null;
  /** Every round of the two 届出 (4.5.1), newest first. */
  filings: { policy: FilingView[]; security: FilingView[] };
  /** The linked announcement post (4.5.2), if drafted. */
  post: SnsPost | null;
  /** The task to keep a change notice on the account (4.5.2), if opened. */
  keep: SecurityTask | null;
  /** For a notice whose announcement can still be scheduled: the draft and its findings. */
  draft: { text: string; findings: Finding[] } | null;
};

function facts(filings: FilingView[]): FilingFacts | null {
  const f = filings[0];
  if (!f) return null;
  return {
    status: f.status,
    round: f.round,
    sentOn: tokyoDate(f.sentAt),
    sentByName: f.sentByName,
    confirmedOn: f.confirmedAt ? tokyoDate(f.confirmedAt) : null,
    confirmedByName: f.confirmedByName,
    question: f.question,
  };
}

type ChecklistParts = {
  security: SecurityStep | null;
  filings: NoticeEntry["filings"];
  post: SnsPost | null;
  keep: SecurityTask | null;
  today: string;
};

function checklistOf(n: NoticeView, parts: ChecklistParts): ChecklistItem[] {
  const day = (at: Date | null) => (at ? tokyoDate(at) : null);
  const { security, post, keep } = parts;
  const policyFiling = facts(parts.filings.policy);
  return noticeChecklist({
    kind: n.kind,
    status: n.status,
    effectiveDate: n.effectiveDate,
    announcementDate: n.announcementDate,
    displayUntil: n.displayUntil,
    requestedOn: tokyoDate(n.requestedAt),
    requestedByName: n.requestedByName,
    policyFiling,
    legacyPolicyNotifiedOn: policyFiling ? null : day(n.policyDirectorNotifiedAt),
    announcedOn: day(n.announcedAt),
    effectiveOn: day(n.effectiveAt),
    securityFiling: facts(parts.filings.security),
    securityTask: security
      ? {
          status: security.status,
          notifiedOn: security.notifiedOn,
          method: security.method,
          doneByName: security.doneByName,
        }
      : null,
    sns: {
      postId: post?.id ?? n.announcementPostId,
      scheduledOn: post?.scheduledAt ? tokyoDate(post.scheduledAt) : null,
      publishedOn: day(n.snsPublishedAt),
    },
    keep: keep ? { status: keep.status, keptAs: n.snsPublishedUrl ?? "" } : null,
    today: parts.today,
    months: guidelinePack().deadlines.noticeMinMonths,
  });
}

/** The filings, security tasks, posts and keep tasks of these notices, read together. */
async function partsOf(db: Db, notices: readonly NoticeView[], today: string) {
  const ids = notices.map((n) => n.id);
  const [tasks, keeps, filings] = await Promise.all([
    securityTasksOf(db, ids),
    keepTasksOf(db, ids),
    listFilings(db, { noticeIds: ids }),
  ]);
  const out = new Map<number, ChecklistParts>();
  for (const n of notices) {
    const mine = filings.filter((f) => f.noticeId === n.id);
    const found = n.announcementPostId ? await findPost(db, n.announcementPostId) : undefined;
    out.set(n.id, {
      security: securityStep(tasks.get(n.id)),
      filings: {
        policy: mine.filter((f) => f.kind === "notice_policy"),
        security: mine.filter((f) => f.kind === "notice_security"),
      },
      post: found
        ? {
            id: found.id,
            status: found.status,
            scheduledAt: found.scheduledAt,
            publishedAt: found.publishedAt,
            publishedUrl: found.publishedUrl,
          }
        : null,
      keep: keeps.get(n.id) ?? null,
      today,
    });
  }
  return out;
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
  /** The actor is an operator of the account and may draft its announcement post (3). */
  canDraftPost: boolean;
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
  const now = ctx.clock.now();
  const today = tokyoDate(now);
  const parts = await partsOf(ctx.db, notices, today);
  const entries: NoticeEntry[] = [];
  for (const notice of notices) {
    const p = parts.get(notice.id);
    if (!p) continue;
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
    entries.push({
      notice,
      checklist: checklistOf(notice, p),
      security: p.security,
      filings: p.filings,
      post: p.post,
      keep: p.keep,
      draft,
    });
  }
  const open = notices.filter((n) => isOpenNotice(n.status));
  return {
    account,
    entries,
    canManage: canManageNotices(props.actor, account),
    canDraftPost:
      props.actor.kind === "staff" ? await isOperator(ctx.db, account.id, props.actor.staffId) : false,
    requestable: requestableKinds(props.actor, account, open),
    today,
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
): Promise<{
  notice: NoticeView;
  checklist: ChecklistItem[];
  security: SecurityStep | null;
  filings: FilingView[];
}> {
  const notice = await visibleNotice(ctx, props.actor, props.noticeId);
  const parts = (await partsOf(ctx.db, [notice], tokyoDate(ctx.clock.now()))).get(notice.id);
  if (!parts) return { notice, checklist: [], security: null, filings: [] };
  return {
    notice,
    checklist: checklistOf(notice, parts),
    security: parts.security,
    filings: [...parts.filings.policy, ...parts.filings.security],
  };
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
