/**
 * /notifications (the caller's own: list, mark read, mark all read), /notification-preferences
 * (how each kind is e-mailed) and /calendar-feed (the personal iCalendar address: status, issue,
 * revoke): the JSON twins of the notification pages.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import {
  calendarFeedStatus,
  issueCalendarFeed,
  revokeCalendarFeed,
} from "../../app/notifications/calendar.ts";
import {
  markAllNotificationsRead,
  markNotificationRead,
  myNotifications,
  type NotificationItem,
} from "../../app/notifications/inbox.ts";
import { deliveryModes, notificationKinds } from "../../app/notifications/kinds.ts";
import {
  myPreferences,
  type Preferences,
  preferencesInput,
  savePreferences,
} from "../../app/notifications/preferences.ts";
import type { AppEnv } from "../env.ts";
import { apiActor, created, idParam, jsonBody, ok } from "./helpers.ts";

const notificationSchema = z
  .object({
    id: z.number().int(),
    kind: z.enum(notificationKinds).or(z.string()),
    kindLabel: z.string(),
    title: z.string(),
    body: z.string(),
    href: z
      .string()
      .openapi({ description: "このサイト内のパス（例: /posts/12）。空のときは対象ページなし" }),
    url: z.string().nullable().openapi({ description: "href の完全なURL" }),
    urgent: z.boolean(),
    createdAt: z.string(),
    readAt: z.string().nullable(),
  })
  .openapi("Notification");

const preferencesSchema = z
  .object({
    emailEnabled: z
      .boolean()
      .openapi({ description: "メールサーバーが設定されていないときは false（画面の通知のみ）" }),
    email: z.string(),
    kinds: z.array(
      z.object({
        kind: z.enum(notificationKinds),
        label: z.string(),
        hint: z.string(),
        mode: z.enum(deliveryModes),
        defaultMode: z.enum(deliveryModes),
        alwaysUrgent: z
          .boolean()
          .openapi({ description: "true の種類は常にすぐにメールで送られ、変更できない" }),
      }),
    ),
  })
  .openapi("NotificationPreferences");

const listQuery = z.object({
  unread: z.enum(["true", "false"]).default("false").openapi({ description: "true: 未読だけ" }),
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const route = {
  list: createRoute({
    method: "get",
    path: "/notifications",
    operationId: "listNotifications",
    tags: ["notifications"],
    summary: "自分の通知（新しい順）と未読の件数",
    request: { query: listQuery },
    responses: ok(
      z.object({ items: z.array(notificationSchema), total: z.number().int(), unread: z.number().int() }),
      "一覧（未読の件数は100件まで数えます）",
    ),
  }),
  read: createRoute({
    method: "post",
    path: "/notifications/{id}/read",
    operationId: "markNotificationRead",
    tags: ["notifications"],
    summary: "通知を既読にする",
    request: { params: idParam },
    responses: ok(z.object({ read: z.literal(true) }), "既読にした"),
  }),
  readAll: createRoute({
    method: "post",
    path: "/notifications/read-all",
    operationId: "markAllNotificationsRead",
    tags: ["notifications"],
    summary: "自分の通知をすべて既読にする",
    responses: ok(z.object({ marked: z.number().int() }), "既読にした件数"),
  }),
  preferences: createRoute({
    method: "get",
    path: "/notification-preferences",
    operationId: "getNotificationPreferences",
    tags: ["notifications"],
    summary: "通知の種類ごとのメールの受け取り方",
    responses: ok(preferencesSchema, "設定"),
  }),
  savePreferences: createRoute({
    method: "put",
    path: "/notification-preferences",
    operationId: "setNotificationPreferences",
    tags: ["notifications"],
    summary:
      "受け取り方を変更する（immediate: すぐに / digest: 毎朝8時のまとめ / none: メールなし）。緊急の種類は変更できない",
    request: jsonBody(preferencesInput),
    responses: ok(preferencesSchema, "変更後の設定"),
  }),
  calendar: createRoute({
    method: "get",
    path: "/calendar-feed",
    operationId: "getCalendarFeed",
    tags: ["notifications"],
    summary: "カレンダー（iCalendar）用アドレスの発行状況",
    responses: ok(z.object({ issued: z.boolean(), createdAt: z.string().nullable() }), "状況"),
  }),
  issueCalendar: createRoute({
    method: "post",
    path: "/calendar-feed",
    operationId: "issueCalendarFeed",
    tags: ["notifications"],
    summary:
      "カレンダー用アドレスを発行する（前のアドレスは使えなくなります。アドレスはこの応答でのみ返ります）",
    responses: created(z.object({ url: z.string() }), "発行したアドレス"),
  }),
  revokeCalendar: createRoute({
    method: "delete",
    path: "/calendar-feed",
    operationId: "revokeCalendarFeed",
    tags: ["notifications"],
    summary: "カレンダー用アドレスを無効にする",
    responses: ok(z.object({ revoked: z.boolean() }), "無効にした（発行されていなかったときは false）"),
  }),
};

function notificationDto(n: NotificationItem, publicUrl: string) {
  return {
    id: n.id,
    kind: n.kind,
    kindLabel: n.kindLabel,
    title: n.title,
    body: n.body,
    href: n.href,
    url: n.href ? `${publicUrl}${n.href}` : null,
    urgent: n.urgent,
    createdAt: n.createdAt.toISOString(),
    readAt: n.readAt ? n.readAt.toISOString() : null,
  };
}

const preferencesDto = (p: Preferences) => p;

export function notificationsApi() {
  const r = new OpenAPIHono<AppEnv>();
  r.openapi(route.list, async (c) => {
    const query = c.req.valid("query");
    const inbox = await myNotifications(c.var.app, {
      actor: apiActor(c),
      unreadOnly: query.unread === "true",
      page: query.page,
      pageSize: query.limit,
    });
    const items = inbox.items.map((n) => notificationDto(n, c.var.app.config.publicUrl));
    return c.json({ items, total: inbox.total, unread: inbox.unread }, 200);
  });
  r.openapi(route.readAll, async (c) => {
    const marked = await markAllNotificationsRead(c.var.app, { actor: apiActor(c) });
    return c.json({ marked }, 200);
  });
  r.openapi(route.read, async (c) => {
    await markNotificationRead(c.var.app, { actor: apiActor(c), id: c.req.valid("param").id });
    return c.json({ read: true as const }, 200);
  });
  r.openapi(route.preferences, async (c) => {
    return c.json(preferencesDto(await myPreferences(c.var.app, { actor: apiActor(c) })), 200);
  });
  r.openapi(route.savePreferences, async (c) => {
    const saved = await savePreferences(c.var.app, { actor: apiActor(c), input: c.req.valid("json") });
    return c.json(preferencesDto(saved), 200);
  });
  r.openapi(route.calendar, async (c) => {
    const status = await calendarFeedStatus(c.var.app, { actor: apiActor(c) });
    return c.json(
      { issued: status !== null, createdAt: status ? status.createdAt.toISOString() : null },
      200,
    );
  });
  r.openapi(route.issueCalendar, async (c) => {
    const issued = await issueCalendarFeed(c.var.app, { actor: apiActor(c) });
    return c.json({ url: issued.url }, 201);
  });
  r.openapi(route.revokeCalendar, async (c) => {
    const revoked = await revokeCalendarFeed(c.var.app, { actor: apiActor(c) });
    return c.json({ revoked }, 200);
  });
  return r;
}
