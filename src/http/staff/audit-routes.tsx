/**
 * The audit log viewer: filter by period, person, action, target and free text; newest first,
 * continuing page by page. Read-only.
 */
import { Hono } from "hono";
import { searchAudit, verifyAuditNow } from "../../app/audit-read.ts";
import type { RewrittenRange as RewrittenRangeData } from "../../app/audit-verify.ts";
import type { AuditFilter } from "../../db/repos/audit.ts";
import { addDays, formatDateTime, isPlainDate, tokyoDayStart } from "../../domain/dates.ts";
import type { AppEnv } from "../env.ts";
import { actorOf, render } from "../render.tsx";
import { TextField } from "../views/components.tsx";

const PAGE = 50;

/** Japanese names of the actions recorded so far (unknown ones are shown as they are). */
export const actionLabels: Record<string, string> = {
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
  "apitoken.create": "APIトークン作成",
  "apitoken.revoke": "APIトークン無効化",
  "department.create": "部の追加",
  "department.update": "部の更新",
  "division.create": "課の追加",
  "division.update": "課の更新",
  "position.create": "職の追加",
  "position.update": "職の更新",
  "staff.create": "職員の追加",
  "staff.update": "職員情報の更新",
  "staff.activate": "職員を在職に戻す",
  "staff.deactivate": "職員を無効化",
  "staff.import": "職員CSVの取込み",
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
  "account.members_remove": "人事異動による運用職員等からの除外",
  "settings.update": "システム設定の変更",
  "system.setup": "初期設定",
  "system.restore": "データベースの復元",
  "setup.backup_recorded": "バックアップ取得の記録（手入力）",
  "staff.export": "職員CSVの書き出し",
  "org.import": "組織CSVの取込み",
  "account.draft": "アカウント取得の起案",
  "account.update": "申請内容の修正",
  "account.submit": "申請の提出",
  "account.approve.department_head": "情報管理者（部長）の許可",
  "account.approve.policy_director": "総合政策部長の許可",
  "account.return": "申請の差戻し",
  "account.reject": "申請の却下",
  "account.security_confirm": "情報統括管理者の届出確認",
  "account.register": "アカウントの登録",
  "account.activate": "運用開始",
  "account.operators": "運用職員の変更",
  "account.bio_check": "プロフィールの確認",
  "account.manager_change": "アカウント管理者の交代",
  "account.manager_vacant": "アカウント管理者の不在",
  "credentials.holder_add": "ID・パスワード管理者の追加",
  "credentials.holder_remove": "ID・パスワード管理者の削除",
  "credentials.rotated": "パスワード変更の記録",
  "credentials.security_update": "二段階認証・セキュリティポリシーの更新",
  "task.open": "タスクの発生",
  "task.close": "タスクの完了",
  "policy.draft": "メディアポリシーの作成",
  "policy.update": "メディアポリシーの編集",
  "policy.approve": "メディアポリシーの承認",
  "policy.discard": "メディアポリシー下書きの破棄",
  "policy.review": "メディアポリシーの見直し",
  "policy.review_task": "見直しタスクの発生",
  "policy.review_due_set": "見直し期限の変更",
  "notice.request": "変更・廃止の申請",
  "notice.notify_policy_director": "総合政策部長への届出",
  "notice.schedule": "周知日の設定",
  "notice.announce": "変更・廃止の周知",
  "notice.notify_security_director": "情報統括管理者への届出",
  "notice.effective": "変更・廃止の実施",
  "notice.cancel": "変更・廃止の取消",
  "notice.demo_history": "デモ用の経過",
  "notice.file_policy_director": "総合政策部長への届出の送付",
  "notice.file_security_director": "情報統括管理者への届出の送付",
  "notice.link_post": "告知投稿と変更・廃止の関連付け",
  "notice.keep_done": "変更のお知らせの掲載終了",
  "filing.confirm": "届出の確認",
  "filing.question": "届出への質問",
  "filing.answer": "届出への回答と再送",
  "document.record": "文書番号・決裁日の記録",
  "account.register_existing": "既存アカウントとして登録",
  "account.confirm_existing": "既存アカウントの登録の確認",
  "guideline.publish": "ガイドラインの版の公開",
  "guideline.draft": "ガイドラインの下書きの作成",
  "guideline.import": "ガイドラインパックの取込み",
  "guideline.update": "ガイドラインの下書きの編集",
  "guideline.discard": "ガイドラインの下書きの破棄",
  "guideline.acknowledge": "ガイドラインの確認",
  "guideline.ack_reminder": "ガイドライン確認の催促",
  "guideline.demo_history": "デモ用の経過",
  "council.designate": "協議会メンバーの指名",
  "council.remove_member": "協議会メンバーの指名の取消",
  "council.meeting_create": "協議会の会議の記録",
  "council.meeting_update": "協議会の議事録の更新",
  "council.attach": "協議会資料の添付",
  "council.detach": "協議会資料の削除",
  "council.rules_adopt": "協議会規約の改正",
  "council.demo": "デモ用の経過",
  "violation.create": "違反の記録の作成",
  "violation.update": "違反の記録の変更",
  "violation.close": "違反の記録の終結",
  "violation.reopen": "違反の記録の再開",
  "consultation.ask": "相談の受付",
  "consultation.update": "相談内容の修正",
  "consultation.answer": "相談への回答",
  "consultation.close": "相談の終了",
  "consultation.reopen": "相談の再開",
  "consultation.demo": "デモ用の経過",
};

function summaryText(summary: unknown): string {
  const text = JSON.stringify(summary);
  if (!text || text === "{}" || text === "null") return "";
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}

/** The entries a rewritten chain may have changed, between the last matching and the first differing checkpoint. */
function RewrittenRange(props: { range: RewrittenRangeData }) {
  const r = props.range;
  return (
    <p>
      <strong>
        番号 {r.from} から {r.to} までの記録が書き換えられた可能性があります。
      </strong>
      署名付きチェックポイント #{r.firstBad} が記録と一致しません
      {r.lastGood === null
        ? "（それより前に一致するチェックポイントはありません）。"
        : `（#${r.lastGood} までは一致しています）。`}
    </p>
  );
}

export function auditRoutes() {
  const r = new Hono<AppEnv>();
  r.get("/audit", async (c) => {
    const actor = actorOf(c);
    const q = c.req.query();
    const filter: AuditFilter = {
      from: isPlainDate(q.from) ? tokyoDayStart(q.from) : undefined,
      to: isPlainDate(q.to) ? tokyoDayStart(addDays(q.to, 1)) : undefined,
      actorId: Number(q.actor) || undefined,
      action: q.action?.trim() || undefined,
      targetType: q.targetType?.trim() || undefined,
      targetId: q.targetId?.trim() || undefined,
      text: q.text?.trim() || undefined,
    };
    const before = Number(q.before) || undefined;
    const entries = await searchAudit(c.var.app, { actor, filter, beforeSeq: before, limit: PAGE + 1 });
    const shown = entries.slice(0, PAGE);
    const more = entries.length > PAGE;
    const nextParams = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) if (v && k !== "before") nextParams.set(k, v);
    nextParams.set("before", String(shown.at(-1)?.seq ?? 0));
    return render(
      c,
      "監査ログ",
      <>
        <h1>監査ログ</h1>
        <p>
          すべての変更は、変更と同じ処理の中で1件ずつ記録され、前の記録のハッシュ値とつながっています（改ざん検知）。記録は追記のみで、変更・削除はできません。
        </p>
        <p>
          <a href="/audit/verify">改ざんがないかを確認する（全件を再計算します）</a>
        </p>
        <form method="get" action="/audit" class="filters" aria-label="監査ログの検索">
          <TextField name="from" label="期間（から）" type="date" value={q.from} />
          <TextField name="to" label="期間（まで）" type="date" value={q.to} />
          <TextField name="action" label="操作（例: staff. / auth.login）" value={q.action} />
          <TextField name="targetType" label="対象の種類（例: staff）" value={q.targetType} />
          <TextField name="targetId" label="対象の番号" value={q.targetId} />
          <TextField name="actor" label="操作した職員の番号" value={q.actor} inputmode="numeric" />
          <TextField name="text" label="キーワード" type="search" value={q.text} />
          <button type="submit">検索</button>
        </form>
        <div class="table-wrap">
          <table>
            <caption>{`監査ログ（新しい順、${shown.length}件表示）`}</caption>
            <thead>
              <tr>
                <th scope="col" class="num">
                  番号
                </th>
                <th scope="col">日時</th>
                <th scope="col">操作した人</th>
                <th scope="col">操作</th>
                <th scope="col">対象</th>
                <th scope="col">内容</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((e) => (
                <tr>
                  <td class="num">{e.seq}</td>
                  <td>{formatDateTime(new Date(e.at))}</td>
                  <td>{e.actorId ? <a href={`/staff/${e.actorId}`}>{e.actorLabel}</a> : e.actorLabel}</td>
                  <td>
                    {actionLabels[e.action] ?? e.action}
                    <div class="hint mono">{e.action}</div>
                  </td>
                  <td>
                    {e.targetType}
                    {e.targetId ? ` #${e.targetId}` : ""}
                  </td>
                  <td class="mono">{summaryText(e.summary)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {shown.length === 0 ? <p>条件に合う記録はありません。</p> : null}
        {more ? (
          <nav class="pagination" aria-label="ページ送り">
            <a href={`/audit?${nextParams.toString()}`}>さらに古い記録</a>
          </nav>
        ) : null}
      </>,
    );
  });
  r.get("/audit/verify", async (c) => {
    const result = await verifyAuditNow(c.var.app, { actor: actorOf(c) });
    const body = !result ? (
      <div class="notice notice-warning" role="status">
        <p>
          署名鍵の公開鍵が見つからないため、署名付きチェックポイントを確認できません。サーバーの設定（SNSGOV_AUDIT_KEY_FILE）を確認してください。
        </p>
      </div>
    ) : result.ok ? (
      <div class="notice notice-success" role="status">
        <p>
          監査ログに改ざんは見つかりませんでした。記録 {result.entries}件（最新の番号 {result.lastSeq}
          ）、署名付きチェックポイント {result.checkpoints}件を確認しました。
          {result.confirmedThrough !== null
            ? `番号 ${result.confirmedThrough} までは署名で確認済みです。`
            : ""}
        </p>
      </div>
    ) : (
      <div class="notice notice-error" role="alert">
        <p>
          監査ログの番号 {result.firstProblem?.seq}{" "}
          以降に不整合があります。情報統括管理者とシステム管理者に直ちに報告してください。
        </p>
        {result.rewritten ? <RewrittenRange range={result.rewritten} /> : null}
        <p class="mono">{result.firstProblem?.reason}</p>
      </div>
    );
    return render(
      c,
      "監査ログの改ざん確認",
      <>
        <h1>監査ログの改ざん確認</h1>
        {body}
        <p>
          <a href="/audit">監査ログへ戻る</a>
        </p>
      </>,
    );
  });
  return r;
}
