/**
 * CSRF protection for forms and cookie-authenticated API calls: a state-changing request must
 * come from our own origin (Origin / Sec-Fetch-Site), and, when a session exists, carry the token
 * bound to it (form field `_csrf` or header `X-CSRF-Token`). Bearer-token API calls carry no
 * cookies and are exempt.
 */

import type { Context, MiddlewareHandler } from "hono";
import { sameToken } from "../../app/auth/sessions.ts";
import { AppError } from "../../errors.ts";
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

/** What a refused request is told. */
export const csrfRefusalMessage =
  "フォームの有効期限が切れたか、不正な送信元からの送信です。ページを再読み込みしてからもう一度操作してください。";

/**
 * True when the request may go on: a safe method, a bearer-token call, or one from our own
 * origin carrying the session's token. A refusal is logged.
 */
export async function csrfAllows(c: Context<AppEnv>): Promise<boolean> {
  if (safeMethods.has(c.req.method)) return true;
  if (c.req.header("authorization")?.startsWith("Bearer ")) return true;
  let allowed = originAllowed(c);
  const session = c.var.session;
  if (allowed && session) {
    const token = await submittedToken(c);
    allowed = token ? sameToken(token, session.csrf) : false;
  }
  if (!allowed) c.var.app.log.warn("csrf check failed", { path: c.req.path, method: c.req.method });
  return allowed;
}

/** The refusal: a Japanese page (or JSON) through the application's one error mapping. */
export const csrfRefused = () => new AppError("forbidden", csrfRefusalMessage);

export const csrfProtection: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!(await csrfAllows(c))) throw csrfRefused();
  return next();
};
