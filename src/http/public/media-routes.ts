/**
 * `GET /media/s/<token>`: one post image at a signed, expiring URL, for a platform that fetches
 * the image itself (Instagram). No session, no listing: a valid, unexpired token serves exactly
 * the image it names with its own Content-Type; an expired one answers 410, anything else 404.
 * `Cache-Control: private, no-store` keeps shared caches from holding an image beyond its URL's
 * life (the platform downloads it once while it makes its copy).
 */
import { Hono } from "hono";
import { imageForToken } from "../../app/publishing/media-urls.ts";
import type { AppEnv } from "../env.ts";

export function mediaRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/media/s/:token", async (c) => {
    const found = await imageForToken(c.get("app"), c.req.param("token"));
    c.header("Cache-Control", "private, no-store");
    c.header("X-Robots-Tag", "noindex");
    if (found.kind === "gone") return c.text("このURLの有効期限は切れています。", 410);
    if (found.kind === "none") return c.text("見つかりません。", 404);
    c.header("Content-Type", found.contentType);
    c.header("Content-Disposition", "inline");
    return c.body(new Uint8Array(found.bytes));
  });
  return app;
}
