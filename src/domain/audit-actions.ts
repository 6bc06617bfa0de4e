/**
 * Every action the audit log records, with its Japanese label, grouped by area: the one table the
 * log viewer, its filter, its CSV export and the API read. An action that is not in this table
 * cannot be recorded: `record` and `change` (app/audit/record.ts) take an `AuditAction`, and
 * `audit-actions.test.ts` also scans the source for recorded action names.
 */

/** The areas, in the order the filter offers them, with their Japanese names. */
export const auditAreas = {
  auth: "ログイン・認証",
  apitoken: "APIトークン",
  staff: "職員",
  department: "組織（部）",
  division: "組織（課）",
  position: "組織（職）",
  org: "組織CSV",
  transfer: "人事異動",
  role: "役割",
  account: "公式アカウント",
  filing: "届出",
  document: "文書番号・決裁日",
  credentials: "ID・パスワード",
  policy: "メディアポリシー",
  notice: "変更・廃止",
  post: "投稿",
  publishing: "自動発信の接続",
  incident: "インシデント",
  task: "タスク",
  notification: "通知",
  calendar_feed: "カレンダー",
  guideline: "ガイドライン",
  council: "協議会",
  violation: "違反の記録",
  consultation: "協議",
  audit: "監査ログ",
  settings: "設定",
  setup: "初期設定のチェックリスト",
  system: "システム",
} as const;

/** An area: the part of an action's name before the first dot. */
export type AuditArea = keyof typeof auditAreas;

/** Japanese label of each recorded action, keyed by its dotted name (`area.verb`). */
export const auditActionLabels = {
  "auth.login": "ログイン",
  "auth.logout": "ログアウト",
  "auth.login_failed": "ログイン失敗",
  "auth.locked": "ログイン制限",
  "auth.password_ok": "パスワード確認（2段階認証待ち）",
  "auth.totp_failed": "確認コード誤り",
  "auth.totp_enabled": "2段階認証を有効化",
  "auth.totp_disabled": "2段階認証を無効化",
  "auth.totp_reset": "2段階認証をリセット",
  "auth.setup_link": "パスワード設定リンク発行",
  "auth.reset_link": "パスワード再設定リンク発行",
  "auth.password_set": "パスワード設定",
  "auth.password_changed": "パスワード変更",
  "auth.denied": "権限のない操作（拒否）",
  "auth.session_ended": "他の端末をログアウト",
  "auth.sessions_ended_all_others": "他の端末をすべてログアウト",
  "auth.sessions_ended_for_person": "職員のすべての端末をログアウト",
  "auth.sessions_ended_everyone": "全員をログアウト",
  "apitoken.create": "APIトークン作成",
  "apitoken.revoke": "APIトークン無効化",
  "staff.create": "職員の追加",
  "staff.update": "職員情報の更新",
  "staff.activate": "職員を在職に戻す",
  "staff.deactivate": "職員を無効化",
  "staff.import": "職員CSVの取込み",
  "staff.export": "職員CSVの書き出し",
  "department.create": "部の追加",
  "department.update": "部の更新",
  "division.create": "課の追加",
  "division.update": "課の更新",
  "position.create": "職の追加",
  "position.update": "職の更新",
  "org.import": "組織CSVの取込み",
  "transfer.create": "人事異動の登録",
  "transfer.apply": "人事異動の発令",
  "transfer.cancel": "人事異動の取消",
  "role.assign": "役割の割り当て",
  "role.revoke": "役割の解除",
  "role.propose": "監査担当の提案",
  "role.approve": "監査担当の承認",
  "role.decline": "監査担当の却下",
  "role.acting_record": "職務代理・事務取扱の登録",
  "role.acting_revoke": "職務代理・事務取扱の取消",
  "account.draft": "アカウント取得の起案",
  "account.update": "申請内容の修正",
  "account.submit": "申請の提出",
  "account.approve.department_head": "部等の長（情報管理者）の許可",
  "account.approve.policy_director": "総合政策部長の許可",
  "account.return": "申請の差戻し",
  "account.reject": "申請の却下",
  "account.register": "アカウントの登録",
  "account.activate": "運用開始",
  "account.operators": "運用に携わる職員の変更",
  "account.bio_check": "プロフィールの確認",
  "account.manager_change": "アカウント管理者の交代",
  "account.manager_vacant": "アカウント管理者の不在",
  "account.members_remove": "人事異動・退職等による運用に携わる職員等からの除外",
  "account.register_existing": "既存アカウントとして登録",
  "account.confirm_existing": "既存アカウントの登録の確認",
  "account.profile_watch": "プロフィールの確認（自動発信の接続から）",
  "filing.confirm": "届出の確認",
  "filing.question": "届出への質問",
  "filing.answer": "届出への回答と再送",
  "document.record": "文書番号・決裁日の記録",
  "credentials.holder_add": "ID・パスワード管理者の追加",
  "credentials.holder_remove": "ID・パスワード管理者の削除",
  "credentials.rotated": "パスワード変更の記録",
  "credentials.security_update": "2段階認証・セキュリティポリシーの更新",
  "policy.draft": "メディアポリシーの作成",
  "policy.update": "メディアポリシーの編集",
  "policy.approve": "メディアポリシーの承認",
  "policy.discard": "メディアポリシー下書きの破棄",
  "policy.review": "メディアポリシーの見直し",
  "policy.review_task": "見直しタスクの発生",
  "policy.review_due_set": "見直し期限の変更",
  "notice.request": "変更・廃止の申請",
  "notice.schedule": "周知日の設定",
  "notice.announce": "変更・廃止の周知",
  "notice.effective": "変更・廃止の実施",
  "notice.cancel": "変更・廃止の取消",
  "notice.demo_history": "デモ用の経過（変更・廃止）",
  "notice.file_policy_director": "総合政策部長への届出の送付",
  "notice.file_security_director": "情報統括管理者への届出の送付",
  "notice.link_post": "告知投稿と変更・廃止の関連付け",
  "notice.keep_done": "変更のお知らせの掲載終了",
  "post.draft": "投稿の作成",
  "post.edit": "投稿の変更",
  "post.discard": "下書きの破棄",
  "post.submit": "承認の申請",
  "post.approve": "投稿の承認",
  "post.return": "投稿の差戻し",
  "post.reject": "投稿の却下",
  "post.approve_verbal": "口頭での許可の記録",
  "post.acknowledge": "事後報告の確認",
  "post.publish_post_hoc": "発信して事後報告",
  "post.image_add": "画像の追加",
  "post.image_remove": "画像の削除",
  "post.scope_create": "範囲の許可の登録",
  "post.scope_revoke": "範囲の許可の取消",
  "post.deputy_name": "代理者の指名",
  "post.deputy_revoke": "代理者の指名の取消",
  "post.publish": "発信の記録",
  "post.publish_correct": "発信の記録の訂正",
  "post.reschedule": "予約日時の変更",
  "post.delete": "プラットフォームからの削除の記録",
  "post.mark_erroneous": "誤りの報告",
  "post.start_correction": "訂正の下書きの作成",
  "post.publish_reminder": "発信の記録の催促",
  "post.publish_queue": "自動発信の送信待ちへの追加",
  "post.platform_accepted": "プラットフォームが投稿を受け付けた記録",
  "post.publish_failed": "自動発信の失敗",
  "post.delivery_overdue": "LINEの絞り込み配信の遅れ",
  "publishing.connect": "自動発信の接続",
  "publishing.revoke": "自動発信の接続の解除",
  "publishing.reconnect_needed": "再接続の依頼（トークンの期限切れ・失効）",
  "publishing.rotate_key": "接続トークンの暗号鍵の更新",
  "publishing.register_app": "Mastodonのサーバーへのsnsgovのアプリの登録",
  "post.export": "投稿の記録の書き出し",
  "incident.report": "インシデントの報告",
  "incident.acknowledge": "報告の受領",
  "incident.note": "メモ",
  "incident.severity": "深刻度の変更",
  "incident.status": "対応状況の変更",
  "incident.close": "振り返りと終結",
  "incident.statement": "公式な説明の記録",
  "incident.statement_published": "公式な説明の発信（投稿）",
  "incident.statement_reminder": "公式な説明の催促",
  "incident.contact": "関係機関・メディアへの連絡",
  "incident.claim": "誤った情報の記録",
  "incident.notice_publish": "正しい情報のお知らせの掲載",
  "incident.notice_withdraw": "お知らせの掲載終了",
  "incident.impersonation_add": "なりすましアカウントの記録",
  "incident.takedown": "削除依頼の記録",
  "incident.takedown_answer": "プラットフォームの回答の記録",
  "incident.warning": "注意喚起の文面の変更",
  "incident.warning_publish": "注意喚起の掲載",
  "incident.warning_withdraw": "注意喚起の掲載終了",
  "incident.draft_post": "投稿の下書きの作成",
  "incident.step_complete": "手順の完了",
  "incident.step_reopen": "手順を未完了に戻す",
  "incident.step_assign": "手順の担当者・期限の変更",
  "incident.hijack_publish": "乗っ取りの公開表示（不正アクセスを受けています）",
  "incident.hijack_report": "乗っ取りの情報統括管理者への報告",
  "incident.hijack_report_confirm": "乗っ取りの報告の確認（情報統括管理者）",
  "incident.hijack_recover": "乗っ取りからの回復の記録",
  "incident.attach": "ファイルの添付",
  "task.open": "タスクの発生",
  "task.close": "タスクの完了",
  "task.settle": "不要になったタスクの整理",
  "notification.remind": "期限の通知",
  "notification.read": "通知の既読",
  "notification.read_all": "通知をすべて既読",
  "notification.preferences": "通知の受け取り方の変更",
  "calendar_feed.issue": "カレンダー用アドレスの発行",
  "calendar_feed.revoke": "カレンダー用アドレスの無効化",
  "guideline.draft": "ガイドラインの下書きの作成",
  "guideline.import": "ガイドラインパックの取込み",
  "guideline.update": "ガイドラインの下書きの編集",
  "guideline.discard": "ガイドラインの下書きの破棄",
  "guideline.publish": "ガイドラインの版の公開",
  "guideline.acknowledge": "ガイドラインの確認",
  "guideline.ack_reminder": "ガイドライン確認の催促",
  "guideline.ack_scope": "ガイドラインの確認の対象の変更",
  "guideline.demo_history": "デモ用の経過（ガイドライン）",
  "council.designate": "協議会に出席する担当者の指名",
  "council.remove_member": "協議会に出席する担当者の指名の取消",
  "council.meeting_create": "協議会の会議の記録",
  "council.meeting_update": "協議会の議事録の更新",
  "council.attach": "協議会資料の添付",
  "council.detach": "協議会資料の削除",
  "council.rules_adopt": "協議会規約の改正",
  "council.demo": "デモ用の経過（協議会）",
  "violation.create": "違反の記録の作成",
  "violation.update": "違反の記録の変更",
  "violation.close": "違反の記録の終結",
  "violation.reopen": "違反の記録の再開",
  "consultation.ask": "協議の受付",
  "consultation.answer": "協議への回答",
  "consultation.close": "協議の終了",
  "consultation.reopen": "協議の再開",
  "consultation.demo": "デモ用の経過（協議）",
  "audit.export": "監査ログのCSV書き出し",
  "settings.update": "システム設定の変更",
  "setup.backup_recorded": "最初のバックアップの記録（手動）",
  "system.setup": "初期設定",
  "system.restore": "データベースの復元",
} as const satisfies Record<`${AuditArea}.${string}`, string>;

/** A recorded action's dotted name. */
export type AuditAction = keyof typeof auditActionLabels;

/**
 * Actions earlier versions recorded and this one no longer does (the entries stay in the log):
 * labelled and offered by the filter, but not recordable.
 */
export const formerAuditActionLabels = {
  "account.security_confirm": "情報統括管理者の届出確認（旧）",
  "notice.notify_policy_director": "総合政策部長への届出（旧）",
  "notice.notify_security_director": "情報統括管理者への届出（旧）",
} as const satisfies Record<`${AuditArea}.${string}`, string>;

type FormerAuditAction = keyof typeof formerAuditActionLabels;

/** True when `name` is an action of the table. */
export function isAuditAction(name: string): name is AuditAction {
  return Object.hasOwn(auditActionLabels, name);
}

function isFormerAuditAction(name: string): name is FormerAuditAction {
  return Object.hasOwn(formerAuditActionLabels, name);
}

/**
 * The Japanese label of a recorded action (also of one only earlier versions recorded); an
 * action in neither table is shown by its name.
 */
export function auditActionLabel(action: string): string {
  if (isAuditAction(action)) return auditActionLabels[action];
  return isFormerAuditAction(action) ? formerAuditActionLabels[action] : action;
}

/** The area of an action (its name up to the first dot), with the area's Japanese name. */
export function auditAreaOf(action: string): { area: string; label: string } {
  const area = action.split(".")[0] ?? action;
  return { area, label: isArea(area) ? auditAreas[area] : area };
}

/** An area of the filter: its name, its Japanese name and its actions with their labels. */
export type AuditActionGroup = {
  area: AuditArea;
  label: string;
  actions: Array<{ action: string; label: string }>;
};

/**
 * The filter's choices: each area (in table order) with its actions (in table order, those only
 * earlier versions recorded last).
 */
export function auditActionGroups(): AuditActionGroup[] {
  const actions = [...Object.keys(auditActionLabels), ...Object.keys(formerAuditActionLabels)];
  return Object.keys(auditAreas)
    .filter(isArea)
    .map((area) => ({
      area,
      label: auditAreas[area],
      actions: actions
        .filter((action) => action.startsWith(`${area}.`))
        .map((action) => ({ action, label: auditActionLabel(action) })),
    }));
}

function isArea(name: string): name is AuditArea {
  return Object.hasOwn(auditAreas, name);
}
