/**
 * The kinds of notification a person can receive, as they appear on the settings page, and how
 * each is e-mailed by default: immediately, in the 08:00 daily digest, or not at all. Urgent kinds
 * (incidents, emergencies, 7; overdue password rotations, 4.3.2) always go out immediately, whatever
 * the person chose. Pure: no I/O.
 */

/** How a person wants a kind of notification e-mailed. */
export const deliveryModes = ["immediate", "digest", "none"] as const;
export type DeliveryMode = (typeof deliveryModes)[number];

export function isDeliveryMode(value: string): value is DeliveryMode {
  return (deliveryModes as readonly string[]).includes(value);
}

export const deliveryModeLabels: Record<DeliveryMode, string> = {
  immediate: "すぐにメールで受け取る",
  digest: "毎朝8時のまとめメールで受け取る",
  none: "メールでは受け取らない（画面の通知のみ）",
};

/** Every kind of notification; other features pass one of these to `notify()`. */
export const notificationKinds = [
  "incident",
  "emergency",
  "approval",
  "filing",
  "decision",
  "post_report",
  "correction",
  "rotation",
  "policy_review",
  "notice",
  "acknowledgement",
  "consultation",
  "council",
  "task",
] as const;
export type NotificationKind = (typeof notificationKinds)[number];

export function isNotificationKind(value: string): value is NotificationKind {
  return (notificationKinds as readonly string[]).includes(value);
}

export type KindInfo = {
  label: string;
  /** What it is about, shown under the choice. */
  hint: string;
  defaultMode: DeliveryMode;
  /** Always e-mailed immediately; the person cannot turn it off. */
  alwaysUrgent: boolean;
  /** Clause the notification serves, when one does. */
  clause?: string;
};

export const kindInfo: Record<NotificationKind, KindInfo> = {
  incident: {
    label: "インシデント",
    hint: "情報漏えい・炎上・なりすまし・誤情報などの報告と対応期限。緊急のため、常にすぐメールで送ります。",
    defaultMode: "immediate",
    alwaysUrgent: true,
    clause: "7",
  },
  emergency: {
    label: "緊急告知",
    hint: "災害・気象・公演中止などの緊急告知の投稿。緊急のため、常にすぐメールで送ります。",
    defaultMode: "immediate",
    alwaysUrgent: true,
    clause: "5.1.4.4",
  },
  approval: {
    label: "承認の依頼",
    hint: "アカウントの申請、投稿、メディアポリシーなど、あなたの承認を待っているもの。",
    defaultMode: "immediate",
    alwaysUrgent: false,
    clause: "5.1.4",
  },
  filing: {
    label: "届出",
    hint: "公式アカウントの取得・変更・廃止の届出が届いたとき、届出が確認されたとき、届出に質問があったとき。",
    defaultMode: "immediate",
    alwaysUrgent: false,
    clause: "4.1.2",
  },
  decision: {
    label: "申請・投稿の結果",
    hint: "あなたの申請や投稿が承認・差戻し・却下されたとき。",
    defaultMode: "immediate",
    alwaysUrgent: false,
  },
  post_report: {
    label: "事後報告の確認",
    hint: "事後報告の投稿の確認期限が近いとき、過ぎたとき。",
    defaultMode: "immediate",
    alwaysUrgent: false,
    clause: "5.1.4",
  },
  correction: {
    label: "投稿の訂正",
    hint: "誤りのある投稿の訂正の期限。",
    defaultMode: "immediate",
    alwaysUrgent: false,
    clause: "5.3.2",
  },
  rotation: {
    label: "パスワード変更",
    hint: "人事異動に伴うパスワード変更の期限。期限を過ぎたものは緊急のため、常にすぐメールで送ります。",
    defaultMode: "immediate",
    alwaysUrgent: false,
    clause: "4.3.2",
  },
  policy_review: {
    label: "メディアポリシーの見直し",
    hint: "メディアポリシーの見直し期限（この市の設定）。",
    defaultMode: "digest",
    alwaysUrgent: false,
    clause: "4.2.3",
  },
  notice: {
    label: "変更・廃止の周知",
    hint: "アカウントの変更・廃止の周知開始日、効力発生日、掲載終了日、届出の期限。",
    defaultMode: "digest",
    alwaysUrgent: false,
    clause: "4.5.2",
  },
  acknowledgement: {
    label: "ガイドラインの確認",
    hint: "新しい版のガイドラインをまだ確認していないとき。",
    defaultMode: "digest",
    alwaysUrgent: false,
    clause: "8.2",
  },
  consultation: {
    label: "協議",
    hint: "ガイドラインに定めのない事項の協議と回答。",
    defaultMode: "digest",
    alwaysUrgent: false,
    clause: "10",
  },
  council: {
    label: "協議会",
    hint: "ソーシャルメディア等活用連絡協議会の開催や議事録。",
    defaultMode: "digest",
    alwaysUrgent: false,
    clause: "6.1",
  },
  task: {
    label: "その他のタスク",
    hint: "上記以外のタスクの期限（届出の確認、運用に携わる職員の確認など）。",
    defaultMode: "immediate",
    alwaysUrgent: false,
  },
};

/**
 * How one notification is e-mailed: urgent ones immediately whatever the preference; otherwise
 * as the person chose for its kind, or the kind's default.
 */
export function deliveryFor(props: {
  kind: string;
  urgent: boolean;
  preference: DeliveryMode | undefined;
}): DeliveryMode {
  if (props.urgent) return "immediate";
  if (!isNotificationKind(props.kind)) return props.preference ?? "immediate";
  if (kindInfo[props.kind].alwaysUrgent) return "immediate";
  return props.preference ?? kindInfo[props.kind].defaultMode;
}

/** Whether a notification of this kind is urgent (given the caller's own flag). */
export function isUrgent(kind: string, urgent: boolean): boolean {
  return urgent || (isNotificationKind(kind) && kindInfo[kind].alwaysUrgent);
}

/** The defaults as data, for the delivery query: each kind's default mode and the always-urgent kinds. */
export const modeDefaults: {
  byKind: ReadonlyMap<string, DeliveryMode>;
  otherwise: DeliveryMode;
  alwaysUrgent: readonly string[];
} = {
  byKind: new Map(notificationKinds.map((k) => [k, kindInfo[k].defaultMode])),
  otherwise: "immediate",
  alwaysUrgent: notificationKinds.filter((k) => kindInfo[k].alwaysUrgent),
};
