/**
 * Session cookie handling: read and resolve the session on every request, require a signed-in
 * person on staff pages (redirecting to the login page otherwise), set and clear the cookie.
 * The cookie is `__Host-` prefixed and Secure unless configured off for plain-http localhost. Its
 * full name is written, set, read and cleared the same way everywhere (hono's `prefix` option is
 * not used: it would add a second prefix to a name that already has one).
 */
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { csrfTokenFor, resolveSession } from "../../app/auth/sessions.ts";
import type { Config } from "../../config.ts";
import type { AppEnv } from "../env.ts";

/** The session cookie's full name: `__Host-snsgov_session` with Secure cookies, else `snsgov_session`. */
export function sessionCookieName(config: Config): string {
  return config.cookieSecure ? "__Host-snsgov_session" : "snsgov_session";
}

/** Sets the session cookie (no Max-Age: the server enforces idle and absolute timeouts). */
export function setSessionCookie(c: Context<AppEnv>, rawId: string): void {
  const config = c.var.app.config;
  setCookie(c, sessionCookieName(config), rawId, {
    path: "/",
    httpOnly: true,
    secure: config.cookieSecure,
    sameSite: "Lax",
  });
}

/** Clears the session cookie (same name, path and Secure flag as when it was set). */
export function clearSessionCookie(c: Context<AppEnv>): void {
  const config = c.var.app.config;
  deleteCookie(c, sessionCookieName(config), {
    path: "/",
    httpOnly: true,
    secure: config.cookieSecure,
    sameSite: "Lax",
  });
}

function readSessionCookie(c: Context<AppEnv>): string | undefined {
  const value = getCookie(c, sessionCookieName(c.var.app.config));
  return value && /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : undefined;
}

/** Resolves the session cookie (if any) into `c.var.session`. */
export const loadSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set("session", undefined);
  const rawId = readSessionCookie(c);
  if (rawId) {
    const resolved = await resolveSession(c.var.app, rawId);
    if (resolved) {
      c.set("session", { ...resolved, rawId, csrf: csrfTokenFor(rawId) });
    } else {
      clearSessionCookie(c);
    }
  }
  await next();
};

/** Staff pages: a signed-in (fully, past the second factor) person, else off to the login page. */
export const requireSignedIn: MiddlewareHandler<AppEnv> = async (c, next) => {
  const session = c.var.session;
  if (session?.state !== "active") {
    const next =
      c.req.method === "GET"
        ? `?next=${encodeURIComponent(c.req.path + (new URL(c.req.url).search || ""))}`
        : "";
    return c.redirect(`/login${next}`, 303);
  }
  c.header("Cache-Control", "no-store");
  await next();
};
