/**
 * Reminders for every due date in the system, found by the reminder job and sent with `notify()`
 * under a dedupe key, so each reminder goes out once however often the job runs and on however
 * many instances:
 * - open tasks (rotations 4.3.2, reviews 4.2.3, security-director notifications 4.5.1,
 *   corrections 5.3.2, publish reminders, guideline acknowledgements 8.2, incident tasks 7…): due today or tomorrow, and overdue (urgent for a
 *   password rotation, and then the security director is told too);
 * - approvals waiting: account applications at each step (4.1.2), posts waiting for the manager
 *   or the deputy of the day (5.1.4; never to someone who wrote part of the post) — when they
 *   arrive, and again after a day or when the schedule time is near;
 * - post-hoc reports (5.1.4): when one arrives (an emergency one is urgent), due within a day,
 *   overdue — to the same people, never to who published it;
 * - change and closure notices (4.5.1, 4.5.2): the announcement must be scheduled, it starts,
 *   the change takes effect, the public notice ends;
 * - incidents (7): playbook steps due within the hour and overdue (urgent).
 * Reminders other features keep as rows of `tasks` — the guideline acknowledgement (8.2), an
 * incident's public statement (7.2.3) — come through the task rule. The incident rule also runs
 * every few minutes on its own; everything hourly.
 */
import * as repo from "../../db/repos/notifications.ts";
import { deputiesOnByDivision, versionAuthorsOf } from "../../db/repos/post-queues.ts";
import { clauseRef } from "../../domain/clauses.ts";
import { addDays, formatDate, formatDateTime, tokyoDate } from "../../domain/dates.ts";
import { latestAnnouncementDate } from "../../domain/deadlines.ts";
import { isNoticeKind, noticeKindLabels } from "../../domain/notices.ts";
import { postWriters } from "../../domain/posts.ts";
import { roleLabels } from "../../domain/roles.ts";
import { guidelinePack } from "../../guideline/pack.ts";
import { change } from "../audit/record.ts";
import { type Actor, type AppContext, systemActor } from "../context.ts";
import { holdersOf } from "../staff/role-grants.ts";
import type { NotificationKind } from "./kinds.ts";
import { type NotifyInput, notify } from "./notify.ts";

/** One reminder to one or more people. */
export type Reminder = Omit<NotifyInput, "dedupeKey"> & { dedupeKey: string };

const HOUR_MS = 60 * 60_000;
const DAY_MS = 24 * HOUR_MS;

/** Which notification kind a task of this kind is about. */
function taskNotificationKind(kind: string): NotificationKind {
  switch (kind) {
    case "password_rotation":
      return "rotation";
    case "policy_review":
      return "policy_review";
    case "notify_security_director":
      return "notice";
    case "post_correction":
      return "correction";
    case "security_notice_confirm":
      return "approval";
    case "filing_confirm":
    case "filing_answer":
      return "filing";
    case "notice_keep_posted":
      return "notice";
    case "guideline_ack":
      return "acknowledgement";
    default:
      return kind.startsWith("incident") ? "incident" : "task";
  }
}

const clauseNote = (clause: string) => (clause ? `（${clauseRef(clause)}）` : "");

/** Open tasks due today or tomorrow, and overdue ones (4.3.2: an overdue rotation is urgent). */
async function taskReminders(ctx: AppContext, now: Date): Promise<Reminder[]> {
  const today = tokyoDate(now);
  const tomorrow = addDays(today, 1);
  const rows = await repo.openTasksDue(ctx.db, { upTo: tomorrow });
  const overdueRotation = rows.some((t) => t.kind === "password_rotation" && t.dueDate < today);
  const securityDirectors = overdueRotation
    ? (await holdersOf(ctx.db, "security_director", now)).map((s) => s.id)
    : [];
  const out: Reminder[] = [];
  for (const t of rows) {
    const recipient = t.assigneeId ?? t.managerId;
    if (recipient === null) continue;
    const on = t.accountName && !t.title.includes(t.accountName) ? `（${t.accountName}）` : "";
    const kind = taskNotificationKind(t.kind);
    // The incidents feature alerts at once when it opens its tasks (7); only overdue ones here.
    if (kind === "incident" && t.dueDate >= today) continue;
    if (t.dueDate < today) {
      const rotation = t.kind === "password_rotation";
      out.push({
        recipientIds: rotation ? [recipient, ...securityDirectors] : [recipient],
        kind,
        urgent: rotation,
        title: `期限を過ぎたタスクがあります: ${t.title}${on}`,
        body: `期限は${formatDate(t.dueDate)}でした。速やかに対応し、完了を記録してください${clauseNote(t.clause)}。`,
        href: `/tasks/${t.id}`,
        dedupeKey: `task:${t.id}:overdue`,
      });
    } else {
      out.push({
        recipientIds: [recipient],
        kind,
        title: `${t.dueDate === today ? "今日" : "明日"}が期限のタスクがあります: ${t.title}${on}`,
        body: `期限は${formatDate(t.dueDate)}です${clauseNote(t.clause)}。`,
        href: `/tasks/${t.id}`,
        dedupeKey: `task:${t.id}:due`,
      });
    }
  }
  return out;
}

/** 4.1.2: applications waiting for the department head, then for the policy director. */
async function applicationReminders(ctx: AppContext): Promise<Reminder[]> {
  const waiting = await repo.waitingApplications(ctx.db);
  if (waiting.length === 0) return [];
  const [heads, directors] = await Promise.all([
    repo.roleHoldersByDepartment(ctx.db, "department_head", tokyoDate(ctx.clock.now())),
    holdersOf(ctx.db, "policy_director", ctx.clock.now()),
  ]);
  return waiting.map((a) => {
    const first = a.status === "pending_department_head";
    const recipientIds = first
      ? [...(heads.get(a.departmentId) ?? []), ...(heads.get(0) ?? [])]
      : directors.map((d) => d.id);
    return {
      recipientIds,
      kind: "approval",
      title: `公式アカウントの申請が${first ? roleLabels.department_head : roleLabels.policy_director}の許可を待っています（${a.name}）`,
      body: `申請内容を確認し、許可・差戻し・却下のいずれかを選んでください（${clauseRef("4.1.2")}）。`,
      href: `/accounts/${a.id}`,
      dedupeKey: `account:${a.id}:${a.status}:${a.submittedAt?.getTime() ?? 0}`,
    };
  });
}

/**
 * 5.1.4: who may decide on each post today — the account manager and the deputy named for the
 * day — leaving out everyone who wrote part of the post (any version; for a post-hoc post, who
 * published it), as the decision itself does (posts/decide.ts).
 */
async function decidersOf(
  ctx: AppContext,
  rows: ReadonlyArray<{
    id: number;
    divisionId: number;
    managerId: number | null;
    authorId: number;
    approvalRule?: string | null;
    publishedBy?: number | null;
  }>,
  now: Date,
): Promise<Map<number, number[]>> {
  const [authors, deputies] = await Promise.all([
    versionAuthorsOf(
      ctx.db,
      rows.map((r) => r.id),
    ),
    deputiesOnByDivision(
      ctx.db,
      rows.map((r) => r.divisionId),
      tokyoDate(now),
    ),
  ]);
  const out = new Map<number, number[]>();
  for (const r of rows) {
    const writers = postWriters(
      { authorId: r.authorId, approvalRule: r.approvalRule ?? null, publishedBy: r.publishedBy ?? null },
      authors.get(r.id) ?? [],
    );
    const candidates = [r.managerId, ...(deputies.get(r.divisionId) ?? [])];
    out.set(
      r.id,
      [...new Set(candidates)].filter((id): id is number => id !== null && !writers.has(id)),
    );
  }
  return out;
}

/**
 * 5.1.4: a post waiting for approval — once when it arrives, again when it has waited a day or its
 * schedule time is less than a day away; each new version anew. To whoever may decide on it.
 */
async function postApprovalReminders(ctx: AppContext, now: Date): Promise<Reminder[]> {
  const rows = await repo.pendingPosts(ctx.db);
  const deciders = await decidersOf(ctx, rows, now);
  const out: Reminder[] = [];
  for (const p of rows) {
    const recipientIds = deciders.get(p.id) ?? [];
    if (recipientIds.length === 0) continue;
    const waitedADay = p.submittedAt !== null && now.getTime() - p.submittedAt.getTime() >= DAY_MS;
    const soon = p.scheduledAt !== null && p.scheduledAt.getTime() - now.getTime() <= DAY_MS;
    const late = waitedADay || soon;
    out.push({
      recipientIds,
      kind: "approval",
      title: soon
        ? `予定時刻の近い投稿が承認を待っています（${p.accountName}）`
        : waitedADay
          ? `1日以上承認を待っている投稿があります（${p.accountName}）`
          : `承認待ちの投稿があります（${p.accountName}）`,
      body: [
        `${p.authorName}さんが作成した投稿（第${p.version}版）が承認を待っています${clauseNote("5.1.4")}。`,
        p.scheduledAt ? `予定時刻は${formatDateTime(p.scheduledAt)}です。` : "",
      ]
        .filter(Boolean)
        .join(""),
      href: `/posts/${p.id}`,
      dedupeKey: `post:${p.id}:v${p.version}:${late ? "approval-late" : "approval"}`,
    });
  }
  return out;
}

/**
 * 5.1.4: post-hoc reports: on arrival (urgent for an emergency), due within a day, overdue. To
 * whoever may acknowledge it (not who wrote or published it).
 */
async function reportReminders(ctx: AppContext, now: Date): Promise<Reminder[]> {
  const rows = await repo.unacknowledgedReports(ctx.db);
  const deciders = await decidersOf(ctx, rows, now);
  const out: Reminder[] = [];
  for (const r of rows) {
    const recipientIds = deciders.get(r.id) ?? [];
    if (recipientIds.length === 0) continue;
    const left = r.reportDueAt.getTime() - now.getTime();
    const emergency = r.category === "emergency";
    const due = `確認の期限は${formatDateTime(r.reportDueAt)}です${clauseNote("5.1.4")}。`;
    const stage = left < 0 ? "overdue" : left <= DAY_MS ? "due" : "new";
    const title =
      stage === "overdue"
        ? `事後報告の確認が期限を過ぎています（${r.accountName}）`
        : stage === "due"
          ? `事後報告の確認期限が近づいています（${r.accountName}）`
          : emergency
            ? `緊急告知が事後報告で発信されました（${r.accountName}）`
            : `事後報告の投稿が届いています（${r.accountName}）`;
    out.push({
      recipientIds,
      kind: emergency ? "emergency" : "post_report",
      urgent: emergency && stage === "new",
      title,
      body: `投稿の内容を確認し、「確認しました」を記録してください。${due}`,
      href: `/posts/${r.id}`,
      dedupeKey: `post:${r.id}:report:${stage}`,
    });
  }
  return out;
}

/** 4.5.1, 4.5.2: the steps and dates of change and closure notices, to the account manager. */
async function noticeReminders(ctx: AppContext, now: Date): Promise<Reminder[]> {
  const today = tokyoDate(now);
  const tomorrow = addDays(today, 1);
  const months = guidelinePack().deadlines.noticeMinMonths;
  const rows = await repo.openNotices(ctx.db, { today });
  const out: Reminder[] = [];
  const soon = (date: string) => date >= today && date <= tomorrow;
  for (const n of rows) {
    if (n.managerId === null) continue;
    const what = `「${n.accountName}」の${isNoticeKind(n.kind) ? noticeKindLabels[n.kind] : "変更"}`;
    const base = {
      recipientIds: [n.managerId],
      kind: "notice" as const,
      href: `/accounts/${n.accountId}/notices`,
    };
    if (n.status === "requested" || n.status === "notified") {
      const latest = latestAnnouncementDate(n.effectiveDate, months);
      if (latest <= addDays(today, 7)) {
        out.push({
          ...base,
          title: `${what}の周知開始日を設定してください`,
          body:
            n.status === "requested"
              ? `周知の前に総合政策部長へ届け出て、確認を受ける必要があります（${clauseRef("4.5.1")}）。効力発生日（${formatDate(n.effectiveDate)}）に間に合わせるには、${formatDate(latest)}までに周知を始めてください（${clauseRef("4.5.2")}）。`
              : `効力発生日（${formatDate(n.effectiveDate)}）に間に合わせるには、${formatDate(latest)}までに周知を始めてください（${clauseRef("4.5.2")}）。`,
          dedupeKey: `notice:${n.id}:schedule-by`,
        });
      }
    }
    if (n.status === "scheduled" && n.announcementDate && soon(n.announcementDate)) {
      out.push({
        ...base,
        title: `${what}の周知が${n.announcementDate === today ? "今日" : "明日"}から始まります`,
        body: `${formatDate(n.announcementDate)}から公開ページにお知らせが掲載されます。アカウントでも告知投稿を発信し（${clauseRef("4.5.2")}）、周知したら情報統括管理者へ届け出てください（${clauseRef("4.5.1")}）。`,
        dedupeKey: `notice:${n.id}:announce`,
      });
    }
    // 4.5.2 当該ソーシャルメディアにも一月以上前に: the announcement post on the account.
    const snsLatest = latestAnnouncementDate(n.effectiveDate, months);
    if ((n.status === "scheduled" || n.status === "announced") && !n.snsPublishedAt) {
      if (snsLatest >= today && snsLatest <= addDays(today, 3)) {
        out.push({
          ...base,
          title: `${what}をアカウントでも${snsLatest === today ? "今日" : formatDate(snsLatest)}までに周知してください`,
          body: `効力発生日（${formatDate(n.effectiveDate)}）の一月以上前に、このアカウントでも告知投稿を発信し、発信を記録してください（${clauseRef("4.5.2")}）。`,
          dedupeKey: `notice:${n.id}:sns-by`,
        });
      } else if (snsLatest < today) {
        out.push({
          ...base,
          title: `${what}のアカウントでの周知が記録されていません`,
          body: `${formatDate(snsLatest)}までに告知投稿を発信した記録がありません。発信していれば記録し、していなければ効力発生日の扱いを総合政策部長と相談してください（${clauseRef("4.5.2")}）。`,
          dedupeKey: `notice:${n.id}:sns-missed`,
        });
      }
    }
    // 4.5.2 変更後は両方に１年程度: before the change notice may come off the account.
    if (
      n.kind === "change" &&
      n.status === "effective" &&
      n.displayUntil &&
      n.displayUntil >= today &&
      n.displayUntil <= addDays(today, 7)
    ) {
      out.push({
        ...base,
        title: `${what}のお知らせは${formatDate(n.displayUntil)}まで掲載します`,
        body: `${formatDate(addDays(n.displayUntil, 1))}から、アカウントの固定投稿やプロフィールの変更のお知らせを外せます。外したら「変更・廃止」のページで記録してください（${clauseRef("4.5.2")}）。`,
        dedupeKey: `notice:${n.id}:keep-end`,
      });
    }
    if (n.status === "announced" && soon(n.effectiveDate)) {
      out.push({
        ...base,
        title: `${what}の効力が${n.effectiveDate === today ? "今日" : "明日"}発生します`,
        body: `効力発生日は${formatDate(n.effectiveDate)}です。アカウントの${n.kind === "closure" ? "運用終了" : "変更"}の作業を確認してください（${clauseRef("4.5.2")}）。`,
        dedupeKey: `notice:${n.id}:effective`,
      });
    }
    if (n.displayUntil && soon(n.displayUntil)) {
      out.push({
        ...base,
        title: `${what}のお知らせの掲載が${n.displayUntil === today ? "今日" : "明日"}で終わります`,
        body: `${formatDate(n.displayUntil)}を最後に、公開ページのお知らせは履歴に移ります（${clauseRef("4.5.2")}）。`,
        dedupeKey: `notice:${n.id}:display-end`,
      });
    }
  }
  return out;
}

/**
 * Steps the incidents feature reminds of itself: the 炎上 statement (7.2.3) gets its own urgent
 * alert and task when its time has passed.
 */
const stepsRemindedElsewhere = new Set(["holding_statement"]);

/** 7: incident playbook steps due within the hour, and overdue (urgent). */
async function incidentReminders(ctx: AppContext, now: Date): Promise<Reminder[]> {
  const due = await repo.dueIncidentSteps(ctx.db, { upTo: new Date(now.getTime() + HOUR_MS) });
  const steps = due.filter((s) => !stepsRemindedElsewhere.has(s.stepKey));
  return steps.map((s) => {
    const overdue = s.dueAt.getTime() < now.getTime();
    return {
      recipientIds: [s.ownerId ?? s.managerId],
      kind: "incident",
      urgent: true,
      title: `${overdue ? "期限を過ぎた" : "期限が近い"}インシデント対応があります: ${s.title}`,
      body: `「${s.incidentTitle}」の対応「${s.title}」の期限は${formatDateTime(s.dueAt)}です${clauseNote(s.clause)}。`,
      href: `/incidents/${s.incidentId}`,
      dedupeKey: `incident-step:${s.id}:${overdue ? "overdue" : "due"}`,
    };
  });
}

type Rule = (ctx: AppContext, now: Date) => Promise<Reminder[]>;

/** Every rule, by name. */
export const reminderRules: Record<string, Rule> = {
  tasks: taskReminders,
  applications: (ctx) => applicationReminders(ctx),
  postApprovals: postApprovalReminders,
  reports: reportReminders,
  notices: noticeReminders,
  incidents: incidentReminders,
};

/** What is due now: every reminder the rules produce (before dedupe). */
export async function dueReminders(
  ctx: AppContext,
  rules: readonly string[] = Object.keys(reminderRules),
): Promise<Reminder[]> {
  const now = ctx.clock.now();
  const lists = await Promise.all(rules.map((name) => reminderRules[name]?.(ctx, now) ?? []));
  return lists.flat();
}

/**
 * Sends the reminders that are due and have not been sent: one transaction with one audit entry
 * when there is anything new; returns how many notifications were written.
 */
export async function sendDueReminders(
  ctx: AppContext,
  props: { actor?: Actor; rules?: readonly string[] } = {},
): Promise<number> {
  const reminders = await dueReminders(ctx, props.rules);
  const [sent, active] = await Promise.all([
    repo.existingDedupeKeys(
      ctx.db,
      reminders.map((r) => r.dedupeKey),
    ),
    repo.activeStaffIds(ctx.db, [
      ...new Set(
        reminders.flatMap((r) => r.recipientIds.filter((id): id is number => typeof id === "number")),
      ),
    ]),
  ]);
  const reachable = new Set(active);
  const fresh = reminders
    .map((r) => ({
      ...r,
      recipientIds: [...new Set(r.recipientIds)].filter(
        (id): id is number =>
          typeof id === "number" && reachable.has(id) && !sent.has(`${id}:${r.dedupeKey}`),
      ),
    }))
    .filter((r) => r.recipientIds.length > 0);
  if (fresh.length === 0) return 0;
  return change(ctx, props.actor ?? systemActor("scheduler"), "notification.remind", async (tx) => {
    let written = 0;
    for (const reminder of fresh) written += (await notify(ctx, tx, reminder)).length;
    return {
      result: written,
      target: { type: "notification", id: null },
      summary: { written, keys: fresh.slice(0, 50).map((r) => r.dedupeKey) },
    };
  });
}
