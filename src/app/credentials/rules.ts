/**
 * Small pure rules of the credentials feature: task kinds and their names, due dates and
 * overdue (4.3.2, 4.1.4), the earliest password change that satisfies a rotation task, the
 * shape of a task's cause, and date-time input in Tokyo time.
 */
import { z } from "zod";
import { tokyoDate, tokyoDayStart } from "../../domain/dates.ts";
import { addBusinessDays } from "../../domain/posts.ts";
import { guidelinePack } from "../../guideline/pack.ts";

/** 4.3.2: opened on every affected account when a holder or operator is transferred or removed. */
export const ROTATION = "password_rotation";
/**
 * 4.1.4, 4.1.3: opened for the account manager to confirm operators and credential holders after
 * a change of manager, or after a transfer took someone off the lists.
 */
export const MANAGER_CONFIRM = "manager_change_confirm";

/** Names of task kinds as pages show them (other features' kinds included). */
export const taskKindLabels: Record<string, string> = {
  [ROTATION]: "パスワード変更（人事異動）",
  [MANAGER_CONFIRM]: "運用に携わる職員・ID管理者の確認",
  security_notice_confirm: "取得の届出の確認（情報統括管理者）",
  notify_security_director: "情報統括管理者への届出",
  filing_confirm: "届出の確認（総合政策部長・情報統括管理者）",
  filing_answer: "届出への質問の回答と再送",
  notice_keep_posted: "変更のお知らせの掲載（1年程度）",
  policy_review: "メディアポリシーの見直し",
  publish_reminder: "予約した投稿の発信",
  post_correction: "誤りのある投稿の訂正",
  incident_report: "インシデントの報告（第7）",
  incident_statement: "炎上への公式な説明（第7-2(3)）",
  incident_security_report: "乗っ取りの報告の確認（情報統括管理者）",
};

export function taskKindLabel(kind: string): string {
  return taskKindLabels[kind] ?? "その他のタスク";
}

/**
 * Kinds that another feature closes itself when the work is done there, with where to do it;
 * the task page links there instead of offering 「完了にする」.
 */
export const closedElsewhere: Record<
  string,
  { text: string; path: (accountId: number, cause: unknown) => string }
> = {
  security_notice_confirm: {
    text: "このタスクは、アカウントの概要ページで情報統括管理者が届出を確認すると完了します（第4-1(2)）。",
    path: (id) => `/accounts/${id}`,
  },
  notify_security_director: {
    text: "このタスクは、アカウントの「変更・廃止」ページで情報統括管理者へ届出を送ると完了します（第4-5(1)）。",
    path: (id) => `/accounts/${id}/notices`,
  },
  filing_confirm: {
    text: "このタスクは、届出のページで「確認しました」を押すか、質問を送ると完了します（第4-1(2)、第4-5(1)）。",
    path: (_id, cause) => `/filings/${idIn(cause, "filingId")}`,
  },
  filing_answer: {
    text: "このタスクは、届出のページで質問に回答し、届出を再送すると完了します（第4-1(2)、第4-5(1)）。",
    path: (_id, cause) => `/filings/${idIn(cause, "filingId")}`,
  },
  notice_keep_posted: {
    text: "このタスクは、掲載期間が終わった後、アカウントの「変更・廃止」ページでお知らせを外したことを記録すると完了します（第4-5(2)）。",
    path: (id) => `/accounts/${id}/notices`,
  },
  policy_review: {
    text: "このタスクは、メディアポリシーのページで見直しを記録するか、見直した版を承認すると完了します（第4-2(3)）。",
    path: (id) => `/accounts/${id}/policy`,
  },
  publish_reminder: {
    text: "このタスクは、投稿の発信を記録すると完了します。",
    path: (_id, cause) => `/posts/${postIdOf(cause)}/publish`,
  },
  post_correction: {
    text: "このタスクは、訂正の投稿の発信を記録すると完了します（第5-3(2)）。",
    path: (_id, cause) => `/posts/${postIdOf(cause)}/erroneous`,
  },
  incident_report: {
    text: "このタスクは、インシデントのページで「報告を受けました」を押すと完了します（第7）。",
    path: (_id, cause) => `/incidents/${incidentIdOf(cause)}`,
  },
  incident_statement: {
    text: "このタスクは、インシデントのページで公式な説明の発信を記録するか、インシデントから作成した投稿の発信を記録すると完了します（第7-2(3)）。",
    path: (_id, cause) => `/incidents/${incidentIdOf(cause)}`,
  },
  incident_security_report: {
    text: "このタスクは、インシデントのページで情報統括管理者が「報告を確認しました」を押すと完了します（第4-3(3)、第7-3(1)）。",
    path: (_id, cause) => `/incidents/${incidentIdOf(cause)}`,
  },
};

/** A numeric id in a task's cause (`{"filingId": 3}`), or 0. */
function idIn(cause: unknown, key: string): number {
  const id = typeof cause === "object" && cause !== null ? Reflect.get(cause, key) : undefined;
  return typeof id === "number" ? id : 0;
}

/** The incident a task was opened for (`{"incidentId": 3}` in its cause). */
function incidentIdOf(cause: unknown): number {
  const id = typeof cause === "object" && cause !== null ? Reflect.get(cause, "incidentId") : undefined;
  return typeof id === "number" ? id : 0;
}

/** The post a task was opened for (`{"postId": 12}` in its cause). */
function postIdOf(cause: unknown): number {
  const id = typeof cause === "object" && cause !== null ? Reflect.get(cause, "postId") : undefined;
  return typeof id === "number" ? id : 0;
}

/**
 * Due date: the `days`th business day after `base` (YYYY-MM-DD): weekends, public holidays and the
 * city's closed days (年末年始, pack `posts.closedDays`) are not counted, as for post-hoc reports.
 */
export function dueAfter(base: string, days: number, closedDays?: readonly string[]): string {
  return addBusinessDays(base, days, closedDays ?? guidelinePack().posts.closedDays);
}

/** A task is overdue when its due date has passed (the due day itself is still in time). */
export function isOverdue(due: string | null, today: string): boolean {
  return due !== null && due < today;
}

/** What caused a task, as stored in `tasks.cause`. */
export const taskCause = z.object({
  reason: z.enum(["transfer", "deactivation", "removal"]).optional(),
  /** The person was taken off the account's lists (a transfer, or the manager removed them). */
  removed: z.boolean().optional(),
  transferId: z.number().int().optional(),
  staffId: z.number().int().optional(),
  effectiveDate: z.string().optional(),
  fromDivisionId: z.number().int().nullable().optional(),
  toDivisionId: z.number().int().nullable().optional(),
  previousManagerId: z.number().int().nullable().optional(),
});
export type TaskCause = z.output<typeof taskCause>;

/** The cause of a task, or an empty one when it was stored by something else. */
export function causeOf(value: unknown): TaskCause {
  const parsed = taskCause.safeParse(value);
  return parsed.success ? parsed.data : {};
}

/**
 * The earliest instant a password change satisfies a rotation task: the start of the transfer's
 * effective date in Tokyo (a change made on the morning of the move counts), or of the day the
 * task was opened.
 */
export function rotationEarliest(task: { cause: unknown; openedAt: Date }): Date {
  const cause = causeOf(task.cause);
  const day =
    cause.effectiveDate && /^\d{4}-\d{2}-\d{2}$/.test(cause.effectiveDate)
      ? cause.effectiveDate
      : tokyoDate(task.openedAt);
  return tokyoDayStart(day);
}

const localPattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * Reads a date and time: `2026-04-01T09:30` (a form's datetime-local, Tokyo time) or an ISO 8601
 * instant with an offset (the API). Undefined when it is not a real date and time.
 */
export function parseTokyoDateTime(value: string): Date | undefined {
  const local = localPattern.exec(value);
  if (local) {
    const [, y, mo, d, h, mi, s] = local;
    const at = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s ?? "00"}+09:00`);
    if (Number.isNaN(at.getTime())) return undefined;
    // Reject 2026-02-30 and the like, which Date would roll over.
    return tokyoDate(at) === `${y}-${mo}-${d}` ? at : undefined;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) return undefined;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

const localFormat = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Asia/Tokyo",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** An instant as a datetime-local value in Tokyo time (2026-04-01T09:30). */
export function toDateTimeLocal(at: Date): string {
  const parts = Object.fromEntries(localFormat.formatToParts(at).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** A zod field for a date and time (see parseTokyoDateTime), with Japanese messages. */
export const tokyoDateTime = (label: string) =>
  z
    .string({ error: `${label}を入力してください。` })
    .trim()
    .min(1, { error: `${label}を入力してください。` })
    .transform((value, ctx) => {
      const at = parseTokyoDateTime(value);
      if (at) return at;
      ctx.addIssue({
        code: "custom",
        message: `${label}は「2026-04-01 09:30」のように日付と時刻で入力してください。`,
      });
      return z.NEVER;
    });
