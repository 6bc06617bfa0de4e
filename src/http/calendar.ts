/**
 * /calendar/{token}.ics: a person's due dates as an iCalendar feed for Outlook and other calendar
 * apps. No session or cookie (calendar apps have none): the token in the address is the
 * credential. An unknown, replaced or revoked token, or one of an inactive person, is a plain 404.
 */
import { Hono } from "hono";
import { calendarFeed } from "../app/notifications/calendar.ts";
import type { AppEnv } from "./env.ts";

export function calendarRoutes() {
  const r = new Hono<AppEnv>();
  r.get("/calendar/:file", async (c) => {
    const file = c.req.param("file");
    const body = file.endsWith(".ics")
      ? await calendarFeed(c.var.app, file.slice(0, -".ics".length))
      : undefined;
    c.header("Cache-Control", "private, no-store");
    c.header("X-Robots-Tag", "noindex");
    if (body === undefined)
      return c.text("カレンダーが見つかりません。アドレスが無効になっている可能性があります。", 404);
    c.header("Content-Type", "text/calendar; charset=utf-8");
    c.header("Content-Disposition", 'inline; filename="snsgov.ics"');
    return c.body(body, 200);
  });
  return r;
}
