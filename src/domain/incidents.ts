/**
 * Incidents (7) as pure rules: the six types and what the guideline says of each (7.1 情報漏えい,
 * 7.2 炎上 as defined in 2.4, 7.3 成りすまし as defined in 2.5 — a fake account, or the city's own
 * account taken over (乗っ取り) —, 7.4 デマ, 5.1.6 誤解・苦情), their
 * severities, the status state machine (対応中 → 監視中 → 終結, with a closing review), each type's
 * playbook as data (the checklist with owners and due times counted from the report), the state
 * machine of one step, the 炎上 statement reminder (7.2.3), and which attachments are accepted.
 * No I/O.
 */

export const incidentTypes = [
  "leak",
  "flaming",
  "impersonation",
  "hijack",
  "misinformation",
  "complaint",
] as const;
export type IncidentType = (typeof incidentTypes)[number];

export function isIncidentType(value: string): value is IncidentType {
  return (incidentTypes as readonly string[]).includes(value);
}

/** Names of the types as the guideline says them. */
export const incidentTypeLabels: Record<IncidentType, string> = {
  leak: "情報漏えい",
  flaming: "炎上",
  impersonation: "なりすまし",
  hijack: "乗っ取り",
  misinformation: "デマ・誤情報",
  complaint: "誤解・苦情",
};

/** The clause each type's playbook comes from. */
export const incidentTypeClauses: Record<IncidentType, string> = {
  leak: "7.1",
  flaming: "7.2",
  impersonation: "7.3",
  hijack: "7.3",
  misinformation: "7.4",
  complaint: "5.1.6",
};

/** What each type means, in the guideline's words where it defines them (2.4, 2.5). */
export const incidentTypeDescriptions: Record<IncidentType, string> = {
  leak: "重要な情報（個人情報や職務上知り得た秘密など）が漏えいした、または漏えいのおそれがある場合です（第7-1）。",
  flaming:
    "ソーシャルメディア上で、自分の投稿に対し批判や苦情の書き込みが殺到し、収拾がつかなくなる状態です（第2-4、第7-2）。",
  impersonation:
    "他の利用者のふりをしてインターネット上のサービスを利用すること、つまり市の公式アカウントを装うアカウントを見つけた場合です（第2-5、第7-3）。",
  hijack:
    "市の公式アカウントそのものに第三者が不正にログインし、市のふりをして利用している（乗っ取られた）場合です。所管するアカウントのなりすましが発生している場合にあたります（第2-5、第7-3(1)）。",
  misinformation:
    "所管するアカウントに、第三者から事実に反する情報や間違った情報が投稿・返信された場合です（第7-4）。",
  complaint: "意図せず発信した情報で他者を傷つけたり、誤解を与えたりした場合です（第5-1(6)）。",
};

export const incidentSeverities = ["low", "medium", "high", "critical"] as const;
export type IncidentSeverity = (typeof incidentSeverities)[number];

export function isIncidentSeverity(value: string): value is IncidentSeverity {
  return (incidentSeverities as readonly string[]).includes(value);
}

export const incidentSeverityLabels: Record<IncidentSeverity, string> = {
  low: "低",
  medium: "中",
  high: "高",
  critical: "重大",
};

/** The severity a report starts with when the reporter does not choose. */
export const defaultSeverity: Record<IncidentType, IncidentSeverity> = {
  leak: "high",
  flaming: "high",
  impersonation: "high",
  hijack: "critical",
  misinformation: "medium",
  complaint: "medium",
};

export const incidentStatuses = ["responding", "monitoring", "closed"] as const;
export type IncidentStatus = (typeof incidentStatuses)[number];

export function isIncidentStatus(value: string): value is IncidentStatus {
  return (incidentStatuses as readonly string[]).includes(value);
}

export const incidentStatusLabels: Record<IncidentStatus, string> = {
  responding: "対応中",
  monitoring: "監視中",
  closed: "終結",
};

/** What can happen to an incident's status. */
export const incidentSteps = ["monitor", "resume", "close"] as const;
export type IncidentStatusStep = (typeof incidentSteps)[number];

const statusTransitions: Record<IncidentStatus, Partial<Record<IncidentStatusStep, IncidentStatus>>> = {
  responding: { monitor: "monitoring", close: "closed" },
  monitoring: { resume: "responding", close: "closed" },
  // 終結 is final: a new development is a new report.
  closed: {},
};

/** The status after `step`, or null when the step is not allowed from `status`. */
export function nextIncidentStatus(status: IncidentStatus, step: IncidentStatusStep): IncidentStatus | null {
  return statusTransitions[status][step] ?? null;
}

/** Every (status, step) pair with its outcome, for tests and documentation. */
export function incidentTransitionTable(): Array<{
  from: IncidentStatus;
  step: IncidentStatusStep;
  to: IncidentStatus | null;
}> {
  return incidentStatuses.flatMap((from) =>
    incidentSteps.map((step) => ({ from, step, to: nextIncidentStatus(from, step) })),
  );
}

/** Whether the incident still takes actions (steps, notes, drafts…): not once it is closed. */
export function isOpenIncident(status: IncidentStatus): boolean {
  return status !== "closed";
}

/** Who owns a playbook step when it opens: the account manager told of the incident, or the reporter. */
export type StepOwner = "manager" | "reporter";

/** One step of a playbook (a checklist item). */
export type StepSpec = {
  key: string;
  title: string;
  /** What to do, in a sentence. */
  detail: string;
  clause: string;
  owner: StepOwner;
  /** Due this many hours after the report; `statement` steps use the pack's reminder hours. */
  dueHours: number;
  /** 「必要に応じて」: closing does not expect it. */
  optional?: boolean;
  /** Doing it is the incident's first public statement (7.2.3). */
  statement?: boolean;
  /** Doing it removes the problem post (7.1 containment): the post is recorded as deleted. */
  deletesPost?: boolean;
};

/** Each type's playbook, in order. Due times count from the report (報告時刻). */
export const playbooks: Record<IncidentType, readonly StepSpec[]> = {
  leak: [
    {
      key: "manual",
      title: "情報流出事案対応マニュアルを確認する",
      detail: "市情報セキュリティポリシーと情報流出事案対応マニュアルに沿って、速やかに対応します。",
      clause: "7.1",
      owner: "manager",
      dueHours: 1,
    },
    {
      key: "containment",
      title: "漏えいした情報を削除する（封じ込め）",
      detail:
        "問題の投稿や情報をプラットフォームから削除し、削除した日時と理由を記録します。投稿が登録されている場合は、その投稿を削除済みとして記録します。",
      clause: "7.1",
      owner: "manager",
      dueHours: 1,
      deletesPost: true,
    },
    {
      key: "report_security",
      title: "情報統括管理者（総務部長）へ報告する",
      detail: "漏えいの発生（またはそのおそれ）を情報統括管理者へ報告し、報告した日時と方法を記録します。",
      clause: "7.1",
      owner: "manager",
      dueHours: 2,
    },
    {
      key: "scope",
      title: "漏えいの範囲を調べて記録する",
      detail: "どの情報が、いつから、どこまで公開されていたか（閲覧・転載の状況を含む）を記録します。",
      clause: "7.1",
      owner: "manager",
      dueHours: 24,
    },
    {
      key: "notify_affected",
      title: "影響を受ける方へ連絡する",
      detail: "情報が漏えいした本人など影響を受ける方へ、経緯とお詫びを連絡し、連絡した日時を記録します。",
      clause: "7.1",
      owner: "manager",
      dueHours: 72,
    },
  ],
  flaming: [
    {
      key: "stay_calm",
      title: "反論や抗弁を控え、冷静に対応する方針を関係職員と共有する",
      detail:
        "書き込みへの反論や抗弁はしません。攻撃的な反応があっても冷静に対応します（第7-2(1)、第5-1(7)）。",
      clause: "7.2.1",
      owner: "manager",
      dueHours: 1,
    },
    {
      key: "holding_statement",
      title: "対応に時間を要する旨を発信する（公式な説明）",
      detail:
        "無視や放置をしていると誤解されないよう、確認中であることと今後の対応を誠意をもって説明します。発信したら記録します。",
      clause: "7.2.3",
      owner: "manager",
      dueHours: 2,
      statement: true,
    },
    {
      key: "identify",
      title: "問題となった部分を特定する",
      detail: "どの表現・情報が批判の原因になったのかを確認し、記録します。",
      clause: "7.2.2",
      owner: "manager",
      dueHours: 4,
    },
    {
      key: "correct_apologize",
      title: "問題となった部分を訂正し、謝罪する",
      detail:
        "訂正とお詫びの投稿を作成し、承認を得て発信します。訂正したことは明記します（第7-2(2)、第5-3(3)）。",
      clause: "7.2.2",
      owner: "manager",
      dueHours: 24,
    },
  ],
  impersonation: [
    {
      key: "record_fake",
      title: "なりすましアカウントのURLとユーザー名を記録する",
      detail:
        "見つけたアカウントのURLとユーザー名を記録します。注意喚起が公開されると、公開ページの確認とお知らせに反映されます。",
      clause: "7.3.1",
      owner: "reporter",
      dueHours: 1,
    },
    {
      key: "public_warning",
      title: "市公式ホームページで周知する（公開ページの注意喚起）",
      detail:
        "注意喚起の文面を確認して「公開する」を押すと、公開ページ（お知らせ・公式アカウントの確認）に直ちに掲載されます。アカウント管理者・総合政策部長・情報統括管理者か、その指名を受けた職員が行います（報告した職員が記録した場合は、確認してから公開します）。",
      clause: "7.3.1",
      owner: "manager",
      dueHours: 2,
    },
    {
      key: "takedown",
      title: "プラットフォームの管理者に削除を依頼する",
      detail: "当該ソーシャルメディアの管理者に直ちに削除を依頼し、依頼日と受付番号を記録します。",
      clause: "7.3.1",
      owner: "manager",
      dueHours: 4,
    },
    {
      key: "sns_warning",
      title: "公式アカウントで注意喚起を発信する",
      detail:
        "公式アカウントで、なりすましアカウントへの注意を呼びかける投稿を作成し、承認を得て発信します。",
      clause: "7.3.1",
      owner: "manager",
      dueHours: 24,
    },
    {
      key: "trusted_bodies",
      title: "信用できる機関・メディアを通じて注意を呼びかける",
      detail: "必要に応じて、警察や報道機関など信用できる機関・メディアに連絡し、連絡先と日付を記録します。",
      clause: "7.3.2",
      owner: "manager",
      dueHours: 72,
      optional: true,
    },
    {
      key: "takedown_result",
      title: "プラットフォームの回答と削除を確認する",
      detail: "プラットフォームからの回答と、アカウントが削除されたかどうかを確認して記録します。",
      clause: "7.3.1",
      owner: "manager",
      dueHours: 168,
    },
  ],
  hijack: [
    {
      key: "recover_login",
      title: "プラットフォームの手続きでログインを取り戻す",
      detail:
        "当該ソーシャルメディアのアカウント回復の手続き（パスワード再設定、サポートへの申告）でログインを取り戻します。申告した日時と受付番号を記録します。",
      clause: "7.3.1",
      owner: "manager",
      dueHours: 1,
    },
    {
      key: "report_security",
      title: "情報統括管理者（総務部長）へ報告する",
      detail:
        "「情報統括管理者へ報告する」を押すと、情報統括管理者に通知とタスクが届きます。情報統括管理者が受け取りを確認すると記録されます（第4-3(3) 市情報セキュリティポリシー）。",
      clause: "4.3.3",
      owner: "manager",
      dueHours: 2,
    },
    {
      key: "public_marking",
      title: "公開ページに「現在、不正アクセスを受けています」と表示する",
      detail:
        "不正アクセスが始まった日時を確認して「公開する」を押すと、公式アカウント一覧・アカウントのページ・公式アカウントの確認・お知らせに直ちに表示されます。アカウント管理者・総合政策部長・情報統括管理者か、その指名を受けた職員が行います。",
      clause: "7.3.1",
      owner: "manager",
      dueHours: 2,
    },
    {
      key: "sns_warning",
      title: "市の他の公式アカウントで注意を呼びかける",
      detail:
        "乗っ取られたアカウント以外の公式アカウントを選んで注意喚起の投稿を作成し、承認を得て発信します。",
      clause: "7.3.1",
      owner: "manager",
      dueHours: 4,
    },
    {
      key: "credentials",
      title: "パスワードを変更し、二段階認証を設定し直す",
      detail:
        "アカウントのIDとパスワードのページで、パスワードを変更した日時と二段階認証の設定を記録します。パスワード変更のタスクも、そこで記録すると完了します（第4-3(3)）。",
      clause: "4.3.3",
      owner: "manager",
      dueHours: 24,
    },
    {
      key: "recovered",
      title: "回復を確認し、公開ページの表示を終える",
      detail:
        "不正な投稿や設定の変更が残っていないことを確かめ、「回復を記録する」を押します。公開ページの表示はその時点で終わります。",
      clause: "7.3.1",
      owner: "manager",
      dueHours: 72,
    },
  ],
  misinformation: [
    {
      key: "record_claim",
      title: "誤った情報の内容と掲載場所を記録する",
      detail: "事実に反する情報の内容と、どこに投稿・返信されたかを記録します。",
      clause: "7.4",
      owner: "reporter",
      dueHours: 2,
    },
    {
      key: "correct_info",
      title: "正しい情報を発信する",
      detail: "状況に応じて、正しい情報を伝える投稿を作成し、承認を得て発信します。",
      clause: "7.4",
      owner: "manager",
      dueHours: 24,
    },
    {
      key: "public_notice",
      title: "市公式ホームページで周知する",
      detail: "必要に応じて、公開ページ（お知らせ）に正しい情報を掲載し、誤解が広がらないようにします。",
      clause: "7.4",
      owner: "manager",
      dueHours: 24,
      optional: true,
    },
  ],
  complaint: [
    {
      key: "confirm",
      title: "投稿の内容と受けた指摘を確認する",
      detail: "どの投稿のどの部分が、誰をどのように傷つけたり誤解させたりしたのかを確認します。",
      clause: "5.1.6",
      owner: "manager",
      dueHours: 4,
    },
    {
      key: "respond",
      title: "速やかに、誠実に対応する",
      detail: "指摘した方への説明やお詫びなど、速やかに誠実に対応し、対応した内容を記録します。",
      clause: "5.1.6",
      owner: "manager",
      dueHours: 24,
    },
    {
      key: "correct",
      title: "誤りがあれば直ちに認め、訂正する",
      detail: "誤りがあった場合は直ちに認め、訂正したことを明記した投稿で訂正します（第5-3(2)(3)）。",
      clause: "5.3.2",
      owner: "manager",
      dueHours: 24,
      optional: true,
    },
  ],
};

/** The 炎上 rules shown plainly on the incident (7.2.1–7.2.3 and 5.1.7). */
export const flamingRules: ReadonlyArray<{ clause: string; text: string }> = [
  { clause: "7.2.1", text: "反論や抗弁は控え、冷静に対応してください。" },
  { clause: "7.2.2", text: "問題となった部分を訂正し、謝罪してください。" },
  {
    clause: "7.2.3",
    text: "対応に時間を要する場合は、その旨を説明してください。無視や放置をしているなどの不要な誤解を招かないよう、誠意をもって対応します。",
  },
  { clause: "5.1.7", text: "自らが発信した情報に攻撃的な反応があっても、冷静に対応してください。" },
];

/** A step as it opens on a new incident. */
export type OpeningStep = {
  key: string;
  title: string;
  clause: string;
  position: number;
  owner: StepOwner;
  dueAt: Date;
  optional: boolean;
};

const HOUR_MS = 3_600_000;

/**
 * The checklist a new incident of `type` opens with: each step with its due instant counted from
 * the report, the statement step of 炎上 due when the reminder would go out (7.2.3).
 */
export function openingSteps(
  type: IncidentType,
  props: { reportedAt: Date; statementHours: number },
): OpeningStep[] {
  return playbooks[type].map((spec, index) => ({
    key: spec.key,
    title: spec.title,
    clause: spec.clause,
    position: index + 1,
    owner: spec.owner,
    dueAt: new Date(
      props.reportedAt.getTime() + (spec.statement ? props.statementHours : spec.dueHours) * HOUR_MS,
    ),
    optional: spec.optional === true,
  }));
}

/** The playbook's description of a step of this type, when the step is one of its own. */
export function stepSpec(type: IncidentType, key: string): StepSpec | undefined {
  return playbooks[type].find((s) => s.key === key);
}

export type StepState = "open" | "done";
export type StepAction = "complete" | "reopen";

/**
 * The state of a step after `action`, or null when it is not allowed: a step is done once
 * (reopened to correct a mistake), and nothing changes on a closed incident.
 */
export function nextStepState(
  state: StepState,
  action: StepAction,
  incident: IncidentStatus,
): StepState | null {
  if (!isOpenIncident(incident)) return null;
  if (state === "open" && action === "complete") return "done";
  if (state === "done" && action === "reopen") return "open";
  return null;
}

/** Whether a step is late: open past its due time. */
export function isStepOverdue(step: { doneAt: Date | null; dueAt: Date | null }, now: Date): boolean {
  return step.doneAt === null && step.dueAt !== null && step.dueAt.getTime() < now.getTime();
}

/** The closing review (7): what happened and what to change, both required to close. */
export type ClosingReview = { whatHappened: string; whatToChange: string };

/** What is missing from a closing review, per field, in Japanese (empty when complete). */
export function reviewProblems(
  review: ClosingReview,
): Array<{ field: keyof ClosingReview; message: string }> {
  const problems: Array<{ field: keyof ClosingReview; message: string }> = [];
  if (review.whatHappened.trim() === "")
    problems.push({
      field: "whatHappened",
      message: "終結するには、振り返りの「何が起きたか」を入力してください。",
    });
  if (review.whatToChange.trim() === "")
    problems.push({
      field: "whatToChange",
      message: "終結するには、振り返りの「今後どう改めるか」を入力してください。",
    });
  return problems;
}

/** Types whose playbook expects a public statement within the pack's time (7.2.3: 炎上). */
export function expectsStatement(type: IncidentType): boolean {
  return type === "flaming";
}

/** When the first public statement is due: the report plus the pack's hours. */
export function statementDueAt(reportedAt: Date, hours: number): Date {
  return new Date(reportedAt.getTime() + hours * HOUR_MS);
}

/**
 * Whether the statement reminder is due now (7.2.3): an open 炎上 with no public statement,
 * `hours` after it was reported.
 */
export function statementReminderDue(
  incident: { type: IncidentType; status: IncidentStatus; reportedAt: Date; publicStatementAt: Date | null },
  now: Date,
  hours: number,
): boolean {
  return (
    expectsStatement(incident.type) &&
    isOpenIncident(incident.status) &&
    incident.publicStatementAt === null &&
    now.getTime() >= statementDueAt(incident.reportedAt, hours).getTime()
  );
}

// ─── Who acts on an incident ─────────────────────────────────────────────────────────────────

/**
 * 7: 職員は直ちにアカウント管理者に報告するとともに、アカウント管理者は次に掲げるような対応をとる.
 * The reporter adds information (notes, files, another fake account, the false claim, the
 * steps the playbook gave them); receiving the report, giving steps to people, the severity,
 * the status and every text on the public pages belong to the responders — the account
 * manager, the policy and security directors, and those they give a step to. These are the
 * refusals, and the page shows the same words to those who may not.
 */
export const incidentRefusals = {
  acknowledge:
    "報告を受けたことを記録する権限がありません。「報告を受けました」は、報告を受けたアカウント管理者（または総合政策部長・情報統括管理者、その指名を受けて手順を担当する職員）が押します。報告した職員が代わりに記録することはできません（第7）。",
  respond:
    "この操作を行う権限がありません。手順の担当の割り当て、深刻度・状態の変更、対応の記録は、アカウント管理者・総合政策部長・情報統括管理者と、その指名を受けて手順を担当する職員が行います。報告した職員は、メモやファイルで情報を加えることができます（第7）。",
  warning:
    "公開ページの注意喚起を変更する権限がありません。なりすましへの注意喚起の文面・公開・掲載の終了は、アカウント管理者・総合政策部長・情報統括管理者か、その指名を受けて手順を担当する職員が確認して行います（第7、第7-3(1)）。",
  marking:
    "公開ページの表示を変更する権限がありません。乗っ取られたアカウントの「現在、不正アクセスを受けています」の表示と回復の記録は、アカウント管理者・総合政策部長・情報統括管理者か、その指名を受けて手順を担当する職員が確認して行います（第7、第7-3(1)）。",
  confirmReport: "この報告の受け取りを確認できるのは、情報統括管理者だけです（第4-3(3)）。",
  notice:
    "公開ページのお知らせを変更する権限がありません。正しい情報のお知らせの掲載と終了は、アカウント管理者・総合政策部長・情報統括管理者か、その指名を受けて手順を担当する職員が行います（第7、第7-4）。",
  close:
    "終結する権限がありません。終結は、インシデントのアカウント管理者（または所管の課等の長、総合政策部長・情報統括管理者）が振り返りとあわせて行います（第7）。",
} as const;

/** Where a fake account's public warning stands (7.3.1). */
export type WarningState = "pending" | "shown" | "ended";

export const warningStateLabels: Record<WarningState, string> = {
  pending: "公開前（確認待ち）",
  shown: "掲載中",
  ended: "掲載終了",
};

/**
 * The warning's state at `now`: pending until a responder confirms it (published), shown until
 * it ends, then ended.
 */
export function warningState(
  warning: { warningPublishedAt: Date | null; warningEndsAt: Date | null },
  now: Date,
): WarningState {
  if (warning.warningPublishedAt === null || warning.warningPublishedAt.getTime() > now.getTime())
    return "pending";
  if (warning.warningEndsAt !== null && warning.warningEndsAt.getTime() <= now.getTime()) return "ended";
  return "shown";
}

// ─── Attachments ───────────────────────────────────────────────────────────────────────────

/** Largest attachment accepted (screenshots and PDFs). */
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;

export type AttachmentType = "image/png" | "image/jpeg" | "application/pdf";

const startsWith = (bytes: Uint8Array, signature: readonly number[]) =>
  bytes.length >= signature.length && signature.every((b, i) => bytes[i] === b);

/** The attachment's type told by its first bytes (PNG, JPEG or PDF), or null for anything else. */
export function sniffAttachmentType(bytes: Uint8Array): AttachmentType | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return "application/pdf";
  return null;
}

/** Why a file cannot be attached, in Japanese, or null when it can. */
export function attachmentProblem(bytes: Uint8Array): string | null {
  if (bytes.length === 0) return "ファイルが空です。添付するファイルを選んでください。";
  if (bytes.length > MAX_ATTACHMENT_BYTES)
    return "添付できるファイルは5MBまでです。画像を縮小するか、ページを分けて添付してください。";
  if (!sniffAttachmentType(bytes))
    return "添付できるのは PNG・JPEG の画像と PDF だけです（ファイルの中身で判定しています）。";
  return null;
}

/** A file name safe to keep and to send back: no path, no control characters, at most 200 characters. */
export function cleanFilename(name: string, fallback: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const printable = [...base].filter((ch) => (ch.codePointAt(0) ?? 0) >= 0x20 && ch !== "\u007f").join("");
  return printable.trim().slice(0, 200) || fallback;
}

// ─── Timeline ──────────────────────────────────────────────────────────────────────────────

/** Names of the timeline's entries. */
export const incidentEventLabels: Record<string, string> = {
  reported: "報告",
  acknowledged: "アカウント管理者が報告を受けました",
  step_done: "手順を完了",
  step_reopened: "手順を未完了に戻しました",
  step_assigned: "担当・期限を変更",
  note: "メモ",
  attachment_added: "ファイルを添付",
  severity_changed: "深刻度を変更",
  status_changed: "状態を変更",
  closed: "終結",
  impersonation_recorded: "なりすましアカウントを記録",
  takedown_requested: "削除を依頼",
  takedown_answered: "プラットフォームの回答",
  warning_published: "公開ページに注意喚起を掲載",
  warning_pending: "注意喚起を用意（公開前）",
  warning_updated: "注意喚起の文面を変更",
  warning_withdrawn: "注意喚起の掲載を終了",
  contact_recorded: "機関・メディアへの連絡",
  post_drafted: "投稿の下書きを作成",
  statement_recorded: "公式な説明を発信",
  statement_reminder: "公式な説明の催促",
  claim_recorded: "誤った情報を記録",
  notice_published: "公開ページに周知を掲載",
  notice_withdrawn: "公開ページの周知を終了",
  post_deleted: "投稿を削除済みとして記録",
  hijack_marking_published: "公開ページに不正アクセスの表示を掲載",
  hijack_reported_to_director: "情報統括管理者へ報告",
  hijack_report_confirmed: "情報統括管理者が報告を確認",
  hijack_recovered: "回復を記録（公開ページの表示を終了）",
};

export function incidentEventLabel(kind: string): string {
  return incidentEventLabels[kind] ?? kind;
}

/** Kinds of post drafted from an incident's templates. */
export const draftKinds = ["holding", "apology", "warning", "hijack_warning", "correction"] as const;
export type DraftKind = (typeof draftKinds)[number];

export function isDraftKind(value: string): value is DraftKind {
  return (draftKinds as readonly string[]).includes(value);
}

export const draftKindLabels: Record<DraftKind, string> = {
  holding: "対応中である旨の説明（保留声明）",
  apology: "訂正とお詫び",
  warning: "なりすましへの注意喚起",
  hijack_warning: "乗っ取りへの注意喚起（他の公式アカウントから）",
  correction: "正しい情報のお知らせ",
};

/** Which drafts each type offers. */
export const draftsOf: Record<IncidentType, readonly DraftKind[]> = {
  leak: ["apology"],
  flaming: ["holding", "apology"],
  impersonation: ["warning"],
  hijack: ["hijack_warning"],
  misinformation: ["correction"],
  complaint: ["apology"],
};

/** The playbook step a draft of this kind belongs to, per type (none: no step). */
export const draftStep: Record<IncidentType, Partial<Record<DraftKind, string>>> = {
  leak: {},
  flaming: { holding: "holding_statement", apology: "correct_apologize" },
  impersonation: { warning: "sns_warning" },
  hijack: { hijack_warning: "sns_warning" },
  misinformation: { correction: "correct_info" },
  complaint: { apology: "respond" },
};
