/**
 * Changes and closures of official accounts with their notice periods (4.5): the notice's own
 * state machine, the date rules of 4.5.2 (一月以上前に周知; shown publicly for a year after a
 * change, half a year after a closure), the announcement text and the checklist of steps the
 * staff page shows. Pure: no I/O; the guideline pack's numbers and templates are passed in.
 */
import { type Platform, platforms } from "../guideline/pack.ts";
import { clauseRef } from "./clauses.ts";
import { formatDate } from "./dates.ts";
import { displayUntil, earliestEffectiveDate, latestAnnouncementDate } from "./deadlines.ts";

export const noticeKinds = ["change", "closure"] as const;
export type NoticeKind = (typeof noticeKinds)[number];

export function isNoticeKind(value: string): value is NoticeKind {
  return (noticeKinds as readonly string[]).includes(value);
}

/**
 * requested (申請; its 届出 is sent to the policy director) → notified (the policy director has
 * confirmed the 届出, 4.5.1) → scheduled (周知日の設定, 4.5.2) →
 * announced (周知, on the announcement date) → effective (on the effective date); cancelled
 * from any step before the effective date.
 */
export const noticeStatuses = [
  "requested",
  "notified",
  "scheduled",
  "announced",
  "effective",
  "cancelled",
] as const;
export type NoticeStatus = (typeof noticeStatuses)[number];

export function isNoticeStatus(value: string): value is NoticeStatus {
  return (noticeStatuses as readonly string[]).includes(value);
}

/** Notices still in progress (at most one per account, except a closure superseding a change). */
export const openNoticeStatuses: readonly NoticeStatus[] = [
  "requested",
  "notified",
  "scheduled",
  "announced",
];

export function isOpenNotice(status: NoticeStatus): boolean {
  return openNoticeStatuses.includes(status);
}

export const noticeKindLabels: Record<NoticeKind, string> = { change: "変更", closure: "廃止" };

/** 「変更日」 or 「廃止日」. */
export function effectiveDateLabel(kind: NoticeKind): string {
  return `${noticeKindLabels[kind]}日`;
}

/** Status names independent of the kind (for filters). */
export const noticeStatusLabels: Record<NoticeStatus, string> = {
  requested: "申請済み（総合政策部長の確認前）",
  notified: "総合政策部長が確認済み（周知日の設定前）",
  scheduled: "周知予定",
  announced: "周知中",
  effective: "変更済み・廃止済み",
  cancelled: "取消",
};

/** The status as staff pages show it. */
export function noticeStatusLabel(kind: NoticeKind, status: NoticeStatus): string {
  switch (status) {
    case "requested":
      return "申請済み（総合政策部長の確認前）";
    case "notified":
      return "総合政策部長が確認済み（周知日の設定前）";
    case "scheduled":
      return "周知予定";
    case "announced":
      return `周知中（${noticeKindLabels[kind]}前）`;
    case "effective":
      return kind === "change" ? "変更済み" : "廃止済み";
    case "cancelled":
      return "取消";
  }
}

export const noticeSteps = ["notify", "schedule", "announce", "take_effect", "cancel"] as const;
export type NoticeStep = (typeof noticeSteps)[number];

const transitions: Record<NoticeStep, Partial<Record<NoticeStatus, NoticeStatus>>> = {
  // 4.5.1 周知する前に総合政策部長へ届出: the director's confirmation of the 届出
  notify: { requested: "notified" },
  // 4.5.2: the announcement can be scheduled (or moved) only after the notification
  schedule: { notified: "scheduled", scheduled: "scheduled" },
  announce: { scheduled: "announced" },
  take_effect: { announced: "effective" },
  cancel: { requested: "cancelled", notified: "cancelled", scheduled: "cancelled", announced: "cancelled" },
};

/** The notice's status after `step`, or null when the step is not allowed from `status`. */
export function nextNoticeStatus(status: NoticeStatus, step: NoticeStep): NoticeStatus | null {
  return transitions[step][status] ?? null;
}

// ─── What a change changes ───────────────────────────────────────────────────────────────────

/** The new values of a change (only what changes; empty for a closure). */
export type NoticeDetails = {
  name?: string;
  alias?: string;
  handle?: string;
  platform?: Platform;
  url?: string;
};

const detailKeys = ["name", "alias", "handle", "url"] as const;

function isPlatform(value: unknown): value is Platform {
  return typeof value === "string" && (platforms as readonly string[]).includes(value);
}

/** A stored platform name as a Platform (unknown names are "other"). */
export function toPlatform(value: string): Platform {
  return isPlatform(value) ? value : "other";
}

/** Reads stored details (JSON) back, dropping anything unexpected. */
export function toNoticeDetails(value: unknown): NoticeDetails {
  if (typeof value !== "object" || value === null) return {};
  const out: NoticeDetails = {};
  for (const key of detailKeys) {
    const v: unknown = Reflect.get(value, key);
    if (typeof v === "string" && v !== "") out[key] = v;
  }
  const platform: unknown = Reflect.get(value, "platform");
  if (isPlatform(platform)) out.platform = platform;
  return out;
}

/** Labels of the fields a change can touch. */
export const detailLabels: Record<keyof NoticeDetails, string> = {
  name: "アカウント名",
  alias: "通称",
  handle: "ユーザー名（ハンドル）",
  platform: "ソーシャルメディア",
  url: "アカウントURL",
};

/** The account as it is (the fields a change can touch). */
export type AccountFacts = { name: string; alias: string; handle: string; platform: Platform; url: string };

/** The account after the change is applied. */
export function applyDetails(account: AccountFacts, details: NoticeDetails): AccountFacts {
  return {
    name: details.name ?? account.name,
    alias: details.alias ?? account.alias,
    handle: details.handle ?? account.handle,
    platform: details.platform ?? account.platform,
    url: details.url ?? account.url,
  };
}

/** Only the details that differ from the account as it is. */
export function effectiveDetails(account: AccountFacts, details: NoticeDetails): NoticeDetails {
  const out: NoticeDetails = {};
  for (const key of detailKeys) {
    const v = details[key];
    if (v !== undefined && v !== account[key]) out[key] = v;
  }
  if (details.platform !== undefined && details.platform !== account.platform)
    out.platform = details.platform;
  return out;
}

/**
 * What the announcement says changes, for the template's {changeText}:
 * 「アカウント名を「…」、URLを https://… に変更します」 or 「Instagramに移行します（移行先: … ）」.
 * URLs are set off by spaces so they are read as links.
 */
export function changeText(details: NoticeDetails, label: (platform: Platform) => string): string {
  const parts: string[] = [];
  if (details.name) parts.push(`アカウント名を「${details.name}」`);
  if (details.alias) parts.push(`通称を「${details.alias}」`);
  // A new URL shows the new handle; saying both would only lengthen the post.
  if (details.handle && !details.url) parts.push(`ユーザー名を「${details.handle}」`);
  if (details.platform) {
    const renamed = parts.length ? `${parts.join("、")}に変更し、` : "";
    const where = details.url ? `（移行先: ${details.url} ）` : "";
    return `${renamed}${label(details.platform)}に移行します${where}`;
  }
  if (details.url) parts.push(`URLを ${details.url} `);
  return parts.length ? `${parts.join("、")}に変更します` : "内容を変更します";
}

// ─── Dates (4.5.2) ───────────────────────────────────────────────────────────────────────────

function ymd(date: string): { y: number; m: number; d: number } {
  const [y = 0, m = 0, d = 0] = date.split("-").map(Number);
  return { y, m, d };
}

/**
 * 「2026年3月1日」 for 2026-03-01: only for the announcement text posted on the account
 * ({effectiveDate}); pages write dates with formatDate (src/domain/dates.ts).
 */
export function japaneseDate(date: string): string {
  const { y, m, d } = ymd(date);
  return `${y}年${m}月${d}日`;
}

/** 「3月1日」, or the full date when it is not in `sameYearAs`'s year. */
function shortDate(date: string, sameYearAs: string): string {
  const { y, m, d } = ymd(date);
  return y === ymd(sameYearAs).y ? `${m}月${d}日` : japaneseDate(date);
}

/** 「一月」「2か月」: the notice period in words. */
function periodWords(months: number): string {
  return months === 1 ? "一月" : `${months}か月`;
}

function noticeRule(months: number): string {
  return `（${clauseRef("4.5.2")} ${periodWords(months)}以上前に周知）`;
}

/**
 * Why an effective date cannot be requested today: even an announcement today would leave less
 * than the notice period (4.5.2). Null when the date is possible.
 */
export function requestDateProblem(props: {
  kind: NoticeKind;
  effectiveDate: string;
  today: string;
  months: number;
}): string | null {
  const earliest = earliestEffectiveDate(props.today, props.months);
  if (props.effectiveDate >= earliest) return null;
  const label = effectiveDateLabel(props.kind);
  return `${label}は、今日（${formatDate(props.today)}）周知を始めても${formatDate(earliest)}以降になります。${label}を${formatDate(earliest)}以降にしてください${noticeRule(props.months)}。`;
}

/**
 * Why an announcement date does not work with the effective date (4.5.2): it must be today or
 * later, and the effective date at least the notice period after it. The message names both
 * the latest announcement date for the effective date and the earliest effective date for the
 * announcement date. Null when the pair is allowed.
 */
export function announcementDateProblem(props: {
  kind: NoticeKind;
  announcementDate: string;
  effectiveDate: string;
  today: string;
  months: number;
}): string | null {
  const { kind, announcementDate, effectiveDate, months } = props;
  if (announcementDate < props.today) {
    return `周知日は今日（${formatDate(props.today)}）以降の日付を指定してください。`;
  }
  const earliest = earliestEffectiveDate(announcementDate, months);
  if (effectiveDate >= earliest) return null;
  const label = effectiveDateLabel(kind);
  const latest = latestAnnouncementDate(effectiveDate, months);
  const first =
    latest < props.today
      ? `${label}を${formatDate(effectiveDate)}にする場合、周知は${formatDate(latest)}までに始める必要があり、今からでは間に合いません。`
      : `${label}を${formatDate(effectiveDate)}にする場合、周知は${formatDate(latest)}までに始めてください。`;
  return `${first}${shortDate(announcementDate, effectiveDate)}に周知する場合、${label}は${shortDate(earliest, effectiveDate)}以降にしてください${noticeRule(months)}。`;
}

/** The last day the public notice is shown (4.5.2: change 1 year, closure 6 months after). */
export function noticeDisplayUntil(
  kind: NoticeKind,
  effectiveDate: string,
  deadlines: { changeDisplayMonths: number; closureDisplayMonths: number },
): string {
  return displayUntil(
    effectiveDate,
    kind === "change" ? deadlines.changeDisplayMonths : deadlines.closureDisplayMonths,
  );
}

/**
 * Whether a notice is on the public pages on `today`: announced or effective, from its
 * announcement date to its display-until date (both included).
 */
export function isPublicOn(
  notice: { status: NoticeStatus; announcementDate: string | null; displayUntil: string | null },
  today: string,
): boolean {
  if (notice.status !== "announced" && notice.status !== "effective") return false;
  if (!notice.announcementDate || !notice.displayUntil) return false;
  return notice.announcementDate <= today && today <= notice.displayUntil;
}

/** Why a notice cannot be cancelled (Japanese), or null when it can. */
export function cancelProblem(
  notice: { kind: NoticeKind; status: NoticeStatus; effectiveDate: string },
  today: string,
): string | null {
  if (notice.status === "cancelled") return "この届出はすでに取り消されています。";
  if (notice.status === "effective" || today >= notice.effectiveDate) {
    return `${effectiveDateLabel(notice.kind)}を迎えた届出は取り消せません。`;
  }
  return null;
}

// ─── The announcement on the account itself (4.5.2 当該ソーシャルメディアに掲載) ──────────────

/**
 * Whether the announcement post went out in time: on or before the latest announcement date
 * for the effective date (Civil Code counting, as for the public page). Null when it is on time.
 */
export function snsLateProblem(props: {
  kind: NoticeKind;
  effectiveDate: string;
  publishedOn: string;
  months: number;
}): string | null {
  const latest = latestAnnouncementDate(props.effectiveDate, props.months);
  if (props.publishedOn <= latest) return null;
  const label = effectiveDateLabel(props.kind);
  return `アカウントでの周知が${formatDate(props.publishedOn)}になり、${label}（${formatDate(props.effectiveDate)}）の${periodWords(props.months)}以上前（${formatDate(latest)}まで）に間に合っていません${noticeRule(props.months)}。`;
}

/**
 * Why an announcement post may not be scheduled at `scheduledOn` (Tokyo date): after the latest
 * announcement date the notice period would be too short (4.5.2). Null when it may.
 */
export function snsScheduleProblem(props: {
  kind: NoticeKind;
  effectiveDate: string;
  scheduledOn: string;
  months: number;
}): string | null {
  const latest = latestAnnouncementDate(props.effectiveDate, props.months);
  if (props.scheduledOn <= latest) return null;
  return `この投稿は${effectiveDateLabel(props.kind)}（${formatDate(props.effectiveDate)}）の告知です。${formatDate(latest)}までに発信するよう予約してください${noticeRule(props.months)}。`;
}

// ─── The checklist on the staff page ─────────────────────────────────────────────────────────

/** done, to do, automatic, waiting for an earlier step, skipped (cancelled), or done too late. */
export type ChecklistState = "done" | "todo" | "auto" | "waiting" | "skipped" | "late";

export type ChecklistKey =
  | "request"
  | "policy_director"
  | "schedule"
  | "announce"
  | "sns"
  | "security_director"
  | "effective"
  | "keep";

export type ChecklistItem = {
  key: ChecklistKey;
  label: string;
  clause: string;
  state: ChecklistState;
  /** What happened or is planned, in words (「2026年1月31日 広報 課長」). */
  detail: string;
};

/** What the checklist needs to know about a 届出 to a director. */
export type FilingFacts = {
  status: "sent" | "confirmed" | "questioned" | "superseded" | "withdrawn";
  round: number;
  sentOn: string;
  sentByName: string | null;
  confirmedOn: string | null;
  confirmedByName: string | null;
  question: string;
};

/** What the checklist needs to know about one notice. */
export type ChecklistInput = {
  kind: NoticeKind;
  status: NoticeStatus;
  effectiveDate: string;
  announcementDate: string | null;
  displayUntil: string | null;
  requestedOn: string;
  requestedByName: string | null;
  /** The 4.5.1 届出 to the policy director (latest round), if sent. */
  policyFiling: FilingFacts | null;
  /** Recorded before 届出 were sent through the system (the manager's own record). */
  legacyPolicyNotifiedOn: string | null;
  announcedOn: string | null;
  effectiveOn: string | null;
  /** The 4.5.1 届出 to the security director (latest round), if sent. */
  securityFiling: FilingFacts | null;
  /** The manager's task to send it (opened on the announcement date); legacy records closed it. */
  securityTask: {
    status: string;
    notifiedOn: string | null;
    method: string;
    doneByName: string | null;
  } | null;
  /** The announcement post on the account (4.5.2). */
  sns: { postId: number | null; scheduledOn: string | null; publishedOn: string | null };
  /** The task to keep the change notice on the account for about a year (4.5.2). */
  keep: { status: string; keptAs: string } | null;
  today: string;
  months: number;
};

const who = (name: string | null) => (name ? ` ${name}` : "");

function filingItem(
  key: "policy_director" | "security_director",
  label: string,
  filing: FilingFacts | null,
  open: { state: ChecklistState; detail: string },
): Pick<ChecklistItem, "key" | "label" | "clause" | "state" | "detail"> {
  const base = { key, label, clause: "4.5.1" };
  if (!filing || filing.status === "withdrawn" || filing.status === "superseded") return { ...base, ...open };
  const sent = `${formatDate(filing.sentOn)}${who(filing.sentByName)} 送付${filing.round > 1 ? `（第${filing.round}回）` : ""}`;
  if (filing.status === "confirmed")
    return {
      ...base,
      state: "done",
      detail: `${sent}、${filing.confirmedOn ? formatDate(filing.confirmedOn) : ""}${who(filing.confirmedByName)} 確認`,
    };
  if (filing.status === "questioned")
    return {
      ...base,
      state: "todo",
      detail: `${sent}、質問あり: ${filing.question}（回答して再送してください）`,
    };
  return { ...base, state: "waiting", detail: `${sent}、確認待ち` };
}

/**
 * The steps of a change or closure — 申請 → 総合政策部長へ届出（確認まで）→ 周知日の設定 →
 * ホームページでの周知（自動）→ アカウントでの周知 → 情報統括管理者へ届出（確認まで）→
 * 変更日・廃止日（自動）→ (a change) 変更後の掲載 — each done, to do, automatic, waiting for an
 * earlier step, skipped (cancelled) or done too late.
 */
export function noticeChecklist(n: ChecklistInput): ChecklistItem[] {
  const cancelled = n.status === "cancelled";
  const pending: ChecklistState = cancelled ? "skipped" : "waiting";
  const dateLabel = effectiveDateLabel(n.kind);
  const items: ChecklistItem[] = [
    {
      key: "request",
      label: "申請",
      clause: "4.5.1",
      state: "done",
      detail: `${formatDate(n.requestedOn)}${who(n.requestedByName)}`,
    },
  ];
  const legacyPolicy =
    !n.policyFiling && n.legacyPolicyNotifiedOn
      ? {
          state: "done" as const,
          detail: `${formatDate(n.legacyPolicyNotifiedOn)} 届け出たことを記録（確認の記録はありません）`,
        }
      : null;
  items.push(
    filingItem(
      "policy_director",
      "総合政策部長へ届出",
      n.policyFiling,
      legacyPolicy ?? {
        state: cancelled ? "skipped" : "todo",
        detail: "周知の前に届け出て、総合政策部長の確認を受けてください。",
      },
    ),
  );
  const scheduled = n.status === "scheduled" || n.status === "announced" || n.status === "effective";
  items.push({
    key: "schedule",
    label: "周知日の設定",
    clause: "4.5.2",
    state: scheduled ? "done" : n.status === "notified" ? "todo" : pending,
    detail:
      n.announcementDate && (scheduled || cancelled)
        ? `周知日 ${formatDate(n.announcementDate)}`
        : `${dateLabel}の${periodWords(1)}以上前の日を設定します。`,
  });
  items.push({
    key: "announce",
    label: "ホームページでの周知（自動）",
    clause: "4.5.2",
    state: n.announcedOn ? "done" : n.status === "scheduled" ? "auto" : pending,
    detail: n.announcedOn
      ? `${formatDate(n.announcedOn)} 公開ページに掲載`
      : n.status === "scheduled" && n.announcementDate
        ? `${formatDate(n.announcementDate)}に公開ページへ自動で掲載します。`
        : "周知日に公開ページへ自動で掲載します。",
  });
  const latest = latestAnnouncementDate(n.effectiveDate, n.months);
  const snsOpen = n.status === "scheduled" || n.status === "announced" || n.status === "effective";
  let snsState: ChecklistState;
  let snsDetail: string;
  if (n.sns.publishedOn) {
    snsState = n.sns.publishedOn <= latest ? "done" : "late";
    snsDetail =
      snsState === "done"
        ? `${formatDate(n.sns.publishedOn)} 告知投稿を発信`
        : `${formatDate(n.sns.publishedOn)} 告知投稿を発信（期限の${formatDate(latest)}を過ぎています）`;
  } else if (!snsOpen) {
    snsState = pending;
    snsDetail = `周知日を設定したら、告知投稿を作成して${formatDate(latest)}までに発信します。`;
  } else if (n.today > latest) {
    snsState = "late";
    snsDetail = `${formatDate(latest)}までに告知投稿を発信した記録がありません。`;
  } else if (n.sns.scheduledOn && n.sns.scheduledOn > latest) {
    snsState = "late";
    snsDetail = `告知投稿の予約日（${formatDate(n.sns.scheduledOn)}）が期限の${formatDate(latest)}より後です。予約日時を変更してください。`;
  } else {
    snsState = "todo";
    snsDetail = n.sns.postId
      ? `告知投稿を作成済み${n.sns.scheduledOn ? `（予約 ${formatDate(n.sns.scheduledOn)}）` : ""}。承認を得て${formatDate(latest)}までに発信し、発信を記録してください。`
      : `告知投稿を作成し、承認を得て${formatDate(latest)}までに発信してください。`;
  }
  items.push({
    key: "sns",
    label: "アカウントでの周知",
    clause: "4.5.2",
    state: snsState,
    detail: snsDetail,
  });
  const task = n.securityTask;
  const legacySecurity =
    !n.securityFiling && task?.status === "done"
      ? {
          state: "done" as const,
          detail: `${task.notifiedOn ? formatDate(task.notifiedOn) : ""}${task.method ? `（${task.method}）` : ""}${who(task.doneByName)} 届け出たことを記録（確認の記録はありません）`,
        }
      : null;
  items.push(
    filingItem(
      "security_director",
      "情報統括管理者へ届出",
      n.securityFiling,
      legacySecurity ?? {
        state:
          task?.status === "open"
            ? "todo"
            : task?.status === "cancelled" || cancelled
              ? "skipped"
              : "waiting",
        detail: "周知後、速やかに届け出て、情報統括管理者の確認を受けてください。",
      },
    ),
  );
  items.push({
    key: "effective",
    label: `${dateLabel}（自動）`,
    clause: "4.5.2",
    state: n.effectiveOn ? "done" : n.status === "announced" ? "auto" : pending,
    detail: n.effectiveOn
      ? `${formatDate(n.effectiveOn)} ${n.kind === "change" ? "変更を反映" : "廃止"}`
      : `${formatDate(n.effectiveDate)}に自動で${n.kind === "change" ? "変更を反映します" : "廃止します"}。`,
  });
  if (n.kind === "change") {
    const until = n.displayUntil ? formatDate(n.displayUntil) : "変更日から1年程度";
    items.push({
      key: "keep",
      label: "変更後の掲載（ホームページ・アカウント）",
      clause: "4.5.2",
      state: n.keep?.status === "done" ? "done" : n.keep?.status === "open" ? "todo" : pending,
      detail:
        n.keep?.status === "done"
          ? `${until}まで掲載しました。`
          : n.keep?.status === "open"
            ? `${until}まで、ホームページ（自動）とアカウント（固定投稿またはプロフィール）にお知らせを掲載し続けてください。${n.keep.keptAs ? `掲載方法: ${n.keep.keptAs}` : ""}`
            : `変更後、${until}までホームページとアカウントに掲載し続けます。`,
    });
  }
  return items;
}
