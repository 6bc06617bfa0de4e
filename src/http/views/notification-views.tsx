/**
 * Views of the notifications: the list with its unread marks and buttons (open, mark read, mark
 * all read), and the settings page — how each kind is e-mailed, whether e-mail is on at all, and
 * the personal calendar feed (its address shown once, replaceable and revocable).
 */
import type { FC } from "hono/jsx";
import type { Inbox, NotificationItem } from "../../app/notifications/inbox.ts";
import { type DeliveryMode, deliveryModeLabels, deliveryModes } from "../../app/notifications/kinds.ts";
import type { Preferences } from "../../app/notifications/preferences.ts";
import { Badge, Csrf, ErrorSummary, type FormState, Pagination, SelectField } from "./components.tsx";
import { DateTime } from "./dates.tsx";

const Item: FC<{ n: NotificationItem; csrf: string }> = ({ n, csrf }) => (
  <li class="card">
    <h2 id={`n-${n.id}`}>{n.title}</h2>
    <p>
      {n.readAt ? <Badge tone="muted">既読</Badge> : <Badge tone="warn">未読</Badge>}{" "}
      {n.urgent ? <Badge tone="error">至急</Badge> : null} {n.kindLabel}・<DateTime at={n.createdAt} />
    </p>
    {n.body ? <p>{n.body}</p> : null}
    <div class="actions">
      <form method="post" action={`/notifications/${n.id}/open`}>
        <Csrf token={csrf} />
        <button type="submit" aria-describedby={`n-${n.id}`}>
          {n.href ? "開く" : "確認する"}
        </button>
      </form>
      {n.readAt ? null : (
        <form method="post" action={`/notifications/${n.id}/read`}>
          <Csrf token={csrf} />
          <button type="submit" class="secondary" aria-describedby={`n-${n.id}`}>
            既読にする
          </button>
        </form>
      )}
    </div>
  </li>
);

/** The /notifications page body. */
export const NotificationList: FC<{ inbox: Inbox; unreadOnly: boolean; csrf: string }> = ({
  inbox,
  unreadOnly,
  csrf,
}) => (
  <>
    <h1>通知</h1>
    <p>
      未読は{inbox.unread >= 100 ? "100件以上" : `${inbox.unread}件`}です。 メールでの受け取り方は
      <a href="/account/notifications">通知の設定</a>で変更できます。
    </p>
    <div class="actions">
      {unreadOnly ? (
        <a href="/notifications">すべての通知を表示</a>
      ) : (
        <a href="/notifications?unread=1">未読の通知だけを表示</a>
      )}
      {inbox.unread > 0 ? (
        <form method="post" action="/notifications/read-all">
          <Csrf token={csrf} />
          <button type="submit" class="secondary">
            すべて既読にする
          </button>
        </form>
      ) : null}
    </div>
    {inbox.items.length === 0 ? (
      <p>{unreadOnly ? "未読の通知はありません。" : "通知はまだありません。"}</p>
    ) : (
      <ul class="cards" aria-label={unreadOnly ? "未読の通知" : "通知（新しい順）"}>
        {inbox.items.map((n) => (
          <Item n={n} csrf={csrf} />
        ))}
      </ul>
    )}
    <Pagination
      basePath="/notifications"
      query={{ unread: unreadOnly ? "1" : undefined }}
      page={inbox.page}
      pageSize={inbox.pageSize}
      total={inbox.total}
    />
  </>
);

const modeOptions = deliveryModes.map((m: DeliveryMode) => ({ value: m, label: deliveryModeLabels[m] }));

/** The e-mail part of /account/notifications. */
export const PreferencesForm: FC<{ prefs: Preferences; csrf: string; state?: FormState | undefined }> = ({
  prefs,
  csrf,
  state,
}) => (
  <section aria-labelledby="mail-title">
    <h2 id="mail-title">メールでの受け取り方</h2>
    {prefs.emailEnabled ? (
      <p>
        通知は画面右上の「通知」に表示され、次の設定に従って <strong>{prefs.email}</strong>{" "}
        にもメールで届きます。まとめメールは毎朝8時に、まだ読んでいない通知をまとめて送ります。
      </p>
    ) : (
      <div class="notice notice-warning" role="status">
        <p>
          このシステムではメール送信が設定されていないため、現在メールは送られません。通知は画面右上の「通知」でご確認ください。
          メールを使うには、システム管理者がメールサーバー（SMTP）を設定する必要があります。
        </p>
      </div>
    )}
    <ErrorSummary state={state} />
    <form method="post" action="/account/notifications" class="stack" novalidate>
      <Csrf token={csrf} />
      {prefs.kinds.map((k) =>
        k.alwaysUrgent ? (
          <div class="field">
            <p>
              <strong>{k.label}</strong>: 常にすぐにメールで送ります（緊急のため変更できません）。
            </p>
            <span class="hint">{k.hint}</span>
          </div>
        ) : (
          <SelectField
            name={k.kind}
            label={k.label}
            hint={k.hint}
            options={modeOptions}
            value={k.mode}
            state={state}
          />
        ),
      )}
      <div class="actions">
        <button type="submit">設定を保存する</button>
      </div>
    </form>
  </section>
);

/** The calendar-feed part of /account/notifications. */
export const CalendarSection: FC<{
  status: { createdAt: Date } | null;
  newUrl?: string | undefined;
  csrf: string;
}> = ({ status, newUrl, csrf }) => (
  <section aria-labelledby="calendar-title">
    <h2 id="calendar-title">カレンダーへの期限の表示（iCalendar）</h2>
    <p>
      あなたのタスクの期限、承認を待つ投稿の予定時刻、事後報告の確認期限、所管アカウントの変更・廃止の周知日などを、
      Outlook
      などのカレンダーに表示できます。カレンダーアプリの「インターネット予定表の追加」（URLで購読）に、次のアドレスを登録してください。
    </p>
    <p>
      アドレスを知っている人は誰でもあなたの期限を見られます。他人に教えないでください。漏れた場合は作り直すと、前のアドレスは使えなくなります。
    </p>
    {newUrl ? (
      <div class="notice notice-success" role="status">
        <h3>カレンダー用のアドレス</h3>
        <p>このアドレスは二度と表示されません。今すぐカレンダーアプリに登録してください。</p>
        <p class="secret">{newUrl}</p>
      </div>
    ) : null}
    <p>
      状態:{" "}
      {status ? (
        <>
          <Badge tone="ok">発行済み</Badge> <DateTime at={status.createdAt} />
          に作成
        </>
      ) : (
        <Badge tone="muted">未発行</Badge>
      )}
    </p>
    <div class="actions">
      <form method="post" action="/account/notifications/calendar">
        <Csrf token={csrf} />
        <button type="submit">{status ? "アドレスを作り直す" : "アドレスを発行する"}</button>
      </form>
      {status ? (
        <form method="post" action="/account/notifications/calendar/revoke">
          <Csrf token={csrf} />
          <button type="submit" class="danger">
            アドレスを無効にする
          </button>
        </form>
      ) : null}
    </div>
  </section>
);
