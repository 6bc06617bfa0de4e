/**
 * CSRF protection for forms and cookie-authenticated API calls: a state-changing request must
 * come from our own origin (Origin / Sec-Fetch-Site), and, when a session exists, carry the token
 * bound to it (form field `_csrf` or header `X-CSRF-Token`). Bearer-token API calls carry no
 * cookies and are exempt.
 */
import type { Context, MiddlewareHandler } from "hono";
import { sameToken } from "../../app/auth.ts";
import type { AppEnv } from "../env.ts";

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

function originAllowed(c: Context<AppEnv>): boolean {
  const site = c.req.header("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") return false;
  const origin = c.req.header("origin");
  if (!origin) return true;
  const own = new URL(c.req.url).origin;
  const configured = new URL(c.var.app.config.publicUrl).origin;
  return origin === own || origin === configured;
}

async function submittedToken(c: Context<AppEnv>): Promise<string | undefined> {
  const header = c.req.header("x-csrf-token");
  if (header) return header;
  const type = c.req.header("content-type") ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data"))
    return undefined;
  const body = await c.req.parseBody();
  const value = body._csrf;
  return typeof value === "string" ? value : undefined;
}

function refuse(c: Context<AppEnv>) {
  c.var.app.log.warn("csrf check failed", { path: c.req.path, method: c.req.method });
  return c.text(
    "フォームの有効期限が切れたか、不正な送信元からの送信です。ページを再読み込みしてからもう一度操作してください。",
    403,
  );
}

export const csrfProtection: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (safeMethods.has(c.req.method)) return next();
  if (c.req.header("authorization")?.startsWith("Bearer ")) return next();
  if (!originAllowed(c)) return refuse(c);
  const session = c.var.session;
  if (session) {
    const token = await submittedToken(c);
    if (!token || !sameToken(token, session.csrf)) return refuse(c);
  }
  return next();
};
