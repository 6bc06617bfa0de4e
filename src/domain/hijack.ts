/**
 * 乗っ取り (7.3(1) 所管するアカウントのなりすましが発生している場合, as defined in 2.5): the rules of a
 * hijacked official account as pure functions — where its public marking 「現在、不正アクセスを
 * 受けています」 stands (a state machine: 公開前 → 表示中 → 回復), the public notice's sentence filled
 * from the time the account has been compromised since, what must be true before recovery is
 * recorded, and where the report to the 情報統括管理者 stands. No I/O.
 */
/** Where the public marking of a hijacked account stands. */
export const hijackStates = ["pending", "shown", "recovered"] as const;
export type HijackState = (typeof hijackStates)[number];

export const hijackStateLabels: Record<HijackState, string> = {
  pending: "公開前（確認待ち）",
  shown: "公開ページに表示中",
  recovered: "回復（表示を終了）",
};

/** What a responder does to the marking. */
export const hijackActions = ["publish", "recover"] as const;
export type HijackAction = (typeof hijackActions)[number];

const transitions: Record<HijackState, Partial<Record<HijackAction, HijackState>>> = {
  // 7: the reporter informs; a responder decides to publish — or records recovery first.
  pending: { publish: "shown", recover: "recovered" },
  shown: { recover: "recovered" },
  // Recovered is final: a new takeover is a new report.
  recovered: {},
};

/** The state after `action`, or null when it is not allowed from `state`. */
export function nextHijackState(state: HijackState, action: HijackAction): HijackState | null {
  return transitions[state][action] ?? null;
}

/** Every (state, action) pair with its outcome, for tests and documentation. */
export function hijackTransitionTable(): Array<{
  from: HijackState;
  action: HijackAction;
  to: HijackState | null;
}> {
  return hijackStates.flatMap((from) =>
    hijackActions.map((action) => ({ from, action, to: nextHijackState(from, action) })),
  );
}

/** The marking's state from its record. */
export function hijackState(row: { markingPublishedAt: Date | null; recoveredAt: Date | null }): HijackState {
  if (row.recoveredAt !== null) return "recovered";
  return row.markingPublishedAt === null ? "pending" : "shown";
}

/** What the public pages say of an account while it is marked. */
export const HIJACK_MARKING = "現在、不正アクセスを受けています";

/**
 * The hour the notice names: the compromise time rounded down to the hour (Tokyo), so the
 * warning covers every post the city did not make.
 */
export function noticeHour(since: Date): { month: number; day: number; hour: number } {
  // Japan keeps no daylight saving time: Tokyo is UTC+9 all year.
  const tokyo = new Date(since.getTime() + 9 * 3_600_000);
  return { month: tokyo.getUTCMonth() + 1, day: tokyo.getUTCDate(), hour: tokyo.getUTCHours() };
}

/** 「11月24日10時以降の投稿は市によるものではありません」 for a compromise at 10:37 on 24 November (Tokyo). */
export function hijackNoticeText(since: Date): string {
  const { month, day, hour } = noticeHour(since);
  return `${month}月${day}日${hour}時以降の投稿は市によるものではありません`;
}

/** How long the public notice of a recovery stays on /public/notices (snsgov's default). */
export const RECOVERY_NOTICE_DAYS = 30;

/**
 * The sentence of the recovery notice: which hours' posts were not the city's — from the hour of
 * the compromise to the hour recovery was recorded, both rounded outwards (Tokyo).
 */
export function hijackRecoveryText(since: Date, recoveredAt: Date): string {
  const from = noticeHour(since);
  const end = new Date(recoveredAt.getTime() + 3_600_000 - 1);
  const to = noticeHour(end);
  return `${from.month}月${from.day}日${from.hour}時から${to.month}月${to.day}日${to.hour}時までの投稿は市によるものではありません`;
}

/** A problem that keeps recovery from being recorded, on a field of the form. */
export type RecoveryProblem = { field: string; message: string };

/**
 * What must be true before a responder records recovery (4.3.3, 7.3.1): the password was changed
 * after the account was compromised, and two-factor authentication is on — both as recorded on
 * the account's credentials page, which the system checks rather than takes on trust.
 */
export function recoveryProblems(props: {
  compromisedSince: Date;
  passwordChangedAt: Date | null;
  mfaEnabled: boolean;
}): RecoveryProblem[] {
  const problems: RecoveryProblem[] = [];
  if (
    props.passwordChangedAt === null ||
    props.passwordChangedAt.getTime() < props.compromisedSince.getTime()
  )
    problems.push({
      field: "credentials",
      message:
        "不正アクセスが始まった後にパスワードを変更した記録がありません。アカウントのIDとパスワードのページで、変更した日時を記録してください（第4-3(3)）。",
    });
  if (!props.mfaEnabled)
    problems.push({
      field: "credentials",
      message:
        "二段階認証が設定されていません。設定し直したうえで、アカウントのIDとパスワードのページで記録してください（第4-3(3)）。",
    });
  return problems;
}

/** Where the report to the 情報統括管理者 stands. */
export type DirectorReportState = "unsent" | "sent" | "confirmed";

export const directorReportLabels: Record<DirectorReportState, string> = {
  unsent: "未報告",
  sent: "報告済み（確認待ち）",
  confirmed: "情報統括管理者が確認済み",
};

/** The report's state from its record. */
export function directorReportState(row: {
  directorReportedAt: Date | null;
  directorConfirmedAt: Date | null;
}): DirectorReportState {
  if (row.directorConfirmedAt !== null) return "confirmed";
  return row.directorReportedAt === null ? "unsent" : "sent";
}
