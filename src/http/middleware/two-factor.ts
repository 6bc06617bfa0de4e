/**
 * When an administrator requires two-factor sign-in for someone's role and they have not set it
 * up yet, every staff page sends them to the set-up page first (they can still sign out).
 */
import type { MiddlewareHandler } from "hono";
import { twoFactorRequired } from "../../app/auth.ts";
import { findCredentials } from "../../db/repos/auth.ts";
import type { AppEnv } from "../env.ts";

const exempt = ["/account/2fa", "/logout"];

export const enforceTwoFactor: MiddlewareHandler<AppEnv> = async (c, next) => {
  const session = c.var.session;
  if (!session || exempt.some((p) => c.req.path.startsWith(p))) return next();
  const db = c.var.app.db;
  if (!(await twoFactorRequired(db, session.actor.grants))) return next();
  const credentials = await findCredentials(db, session.actor.staffId);
  if (credentials?.totpEnabledAt) return next();
  return c.redirect("/account/2fa?required=1", 303);
};
