/**
 * When an administrator requires two-factor sign-in for someone's role and they have not set it
 * up yet, every staff page sends them to the set-up page first (they can still sign out). Whether
 * they must was read with the session, in the same statement (app/auth/sessions.ts `resolveSession`).
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env.ts";

const exempt = ["/account/2fa", "/logout"];

export const enforceTwoFactor: MiddlewareHandler<AppEnv> = async (c, next) => {
  const session = c.var.session;
  if (!session || exempt.some((p) => c.req.path.startsWith(p))) return next();
  if (!session.secondFactorMissing) return next();
  return c.redirect("/account/2fa?required=1", 303);
};
