/**
 * Notification pages: /notifications (the list; open one — marked read and on to its page —,
 * mark read, mark all read) and /account/notifications (how each kind is e-mailed, and the
 * personal calendar feed: issue, replace, revoke). Also the middleware that counts the unread
 * notifications of the signed-in person for the header.
 */
import { Hono, type MiddlewareHandler } from "hono";
import {
  calendarFeedStatus,
  issueCalendarFeed,
  revokeCalendarFeed,
} from "../../app/notifications/calendar.ts";
import {
  markAllNotificationsRead,
  markNotificationRead,
  myNotifications,
  openNotification,
} from "../../app/notifications/inbox.ts";
import { myPreferences, savePreferences } from "../../app/notifications/preferences.ts";
import type { AppEnv, HttpContext } from "../env.ts";
import { actorOf, csrfOf, done, formBody, intParam, render, submit } from "../render.tsx";
import type { FormState } from "../views/components.tsx";
import { CalendarSection, NotificationList, PreferencesForm } from "../views/notification-views.tsx";

/** The signed-in person's unread notifications for the header (counted with the session). */
export const loadUnreadNotifications: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set("unreadNotifications", undefined);
  const session = c.var.session;
  if (session?.state === "active") c.set("unreadNotifications", session.unreadNotifications);
  await next();
};

async function settingsPage(
  c: HttpContext,
  options: { state?: FormState; newUrl?: string; status?: 200 | 409 | 422 } = {},
) {
  const actor = actorOf(c);
  const [prefs, calendar] = await Promise.all([
    myPreferences(c.var.app, { actor }),
    calendarFeedStatus(c.var.app, { actor }),
  ]);
  const csrf = csrfOf(c);
  if (options.newUrl) c.header("Cache-Control", "no-store");
  return render(
    c,
    "通知の設定",
    <>
      <p class="breadcrumb">
        <a href="/account">アカウント設定</a> › 通知の設定
      </p>
      <h1>通知の設定</h1>
      <PreferencesForm prefs={prefs} csrf={csrf} state={options.state} />
      <CalendarSection status={calendar} newUrl={options.newUrl} csrf={csrf} />
    </>,
    options.status ?? 200,
  );
}

export function notificationRoutes() {
  const r = new Hono<AppEnv>();

  r.get("/notifications", async (c) => {
    const unreadOnly = c.req.query("unread") === "1";
    const page = Number(c.req.query("page") ?? "1");
    const inbox = await myNotifications(c.var.app, {
      actor: actorOf(c),
      unreadOnly,
      page: Number.isSafeInteger(page) && page > 0 ? page : 1,
    });
    return render(c, "通知", <NotificationList inbox={inbox} unreadOnly={unreadOnly} csrf={csrfOf(c)} />);
  });

  r.post("/notifications/read-all", async (c) => {
    const marked = await markAllNotificationsRead(c.var.app, { actor: actorOf(c) });
    return done(
      c,
      "/notifications",
      marked > 0 ? `${marked}件の通知を既読にしました。` : "未読の通知はありません。",
    );
  });

  r.post("/notifications/:id/open", async (c) => {
    const href = await openNotification(c.var.app, { actor: actorOf(c), id: intParam(c.req.param("id")) });
    return c.redirect(href, 303);
  });

  r.post("/notifications/:id/read", async (c) => {
    await markNotificationRead(c.var.app, { actor: actorOf(c), id: intParam(c.req.param("id")) });
    return done(c, "/notifications", "通知を既読にしました。");
  });

  r.get("/account/notifications", (c) => settingsPage(c));

  r.post("/account/notifications", async (c) => {
    const values = await formBody(c);
    const result = await submit(values, () =>
      savePreferences(c.var.app, { actor: actorOf(c), input: values }),
    );
    if (!result.ok) return settingsPage(c, { state: result.state, status: result.status });
    return done(c, "/account/notifications", "通知の受け取り方を保存しました。");
  });

  r.post("/account/notifications/calendar", async (c) => {
    const issued = await issueCalendarFeed(c.var.app, { actor: actorOf(c) });
    return settingsPage(c, { newUrl: issued.url });
  });

  r.post("/account/notifications/calendar/revoke", async (c) => {
    const revoked = await revokeCalendarFeed(c.var.app, { actor: actorOf(c) });
    return done(
      c,
      "/account/notifications",
      revoked ? "カレンダー用のアドレスを無効にしました。" : "カレンダー用のアドレスは発行されていません。",
    );
  });

  return r;
}
