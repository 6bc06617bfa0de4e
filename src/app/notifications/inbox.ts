/**
 * A person's own notifications: the list (all or unread, newest first), the unread count shown in
 * the header, marking one or all read, and opening one (marks it read and says where to go).
 * Nobody sees or touches another person's notifications; one that is not yours is "not found".
 */
import * as repo from "../../db/repos/notifications.ts";
import { notFound } from "../../errors.ts";
import { change } from "../audit/record.ts";
import type { AppContext, StaffActor } from "../context.ts";
import { isNotificationKind, kindInfo } from "./kinds.ts";
import { isLocalPath } from "./notify.ts";

export const PAGE_SIZE = 50;
/** The header shows at most this, as "99+". */
export const UNREAD_CAP = 100;

export type NotificationItem = repo.NotificationRow & { kindLabel: string };

export type Inbox = {
  items: NotificationItem[];
  total: number;
  unread: number;
  page: number;
  pageSize: number;
};

function item(row: repo.NotificationRow): NotificationItem {
  return { ...row, kindLabel: isNotificationKind(row.kind) ? kindInfo[row.kind].label : "お知らせ" };
}

/** A page of the person's notifications. */
export async function myNotifications(
  ctx: AppContext,
  props: { actor: StaffActor; unreadOnly?: boolean; page?: number; pageSize?: number },
): Promise<Inbox> {
  const pageSize = Math.min(Math.max(props.pageSize ?? PAGE_SIZE, 1), 200);
  const page = Math.max(props.page ?? 1, 1);
  const [list, unread] = await Promise.all([
    repo.listNotifications(ctx.db, props.actor.staffId, {
      unreadOnly: props.unreadOnly ?? false,
      limit: pageSize,
      offset: (page - 1) * pageSize,
    }),
    repo.countUnread(ctx.db, props.actor.staffId, UNREAD_CAP),
  ]);
  return { items: list.items.map(item), total: list.total, unread, page, pageSize };
}

/** Unread notifications of a person, up to UNREAD_CAP (one indexed query; for the header). */
export function unreadCount(ctx: AppContext, staffId: number): Promise<number> {
  return repo.countUnread(ctx.db, staffId, UNREAD_CAP);
}

async function own(ctx: AppContext, actor: StaffActor, id: number): Promise<repo.NotificationRow> {
  const row = await repo.findNotification(ctx.db, id);
  if (!row || row.recipientId !== actor.staffId) throw notFound("通知");
  return row;
}

/** Marks one of the person's notifications read (nothing happens when it is read already). */
export async function markNotificationRead(
  ctx: AppContext,
  props: { actor: StaffActor; id: number },
): Promise<void> {
  const row = await own(ctx, props.actor, props.id);
  if (row.readAt) return;
  await change(ctx, props.actor, "notification.read", async (tx, at) => {
    const changed = await repo.markRead(tx, props.actor.staffId, row.id, at);
    return { result: undefined, target: { type: "notification", id: row.id }, summary: { changed } };
  });
}

/** Marks all of the person's notifications read; returns how many were unread. */
export async function markAllNotificationsRead(
  ctx: AppContext,
  props: { actor: StaffActor },
): Promise<number> {
  const unread = await repo.countUnread(ctx.db, props.actor.staffId, 1);
  if (unread === 0) return 0;
  return change(ctx, props.actor, "notification.read_all", async (tx, at) => {
    const marked = await repo.markAllRead(tx, props.actor.staffId, at);
    return { result: marked, target: { type: "staff", id: props.actor.staffId }, summary: { marked } };
  });
}

/** Opens a notification: marks it read and returns the page to go to (the list when it has none). */
export async function openNotification(
  ctx: AppContext,
  props: { actor: StaffActor; id: number },
): Promise<string> {
  const row = await own(ctx, props.actor, props.id);
  await markNotificationRead(ctx, props);
  return row.href !== "" && isLocalPath(row.href) ? row.href : "/notifications";
}
