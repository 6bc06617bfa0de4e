/**
 * Types shared by the HTTP layer: what middleware puts on the request context.
 */
import type { Context } from "hono";
import type { AppContext, StaffActor } from "../app/context.ts";

export type SessionInfo = {
  actor: StaffActor;
  /** The raw id from the cookie (never logged; used to derive the CSRF token). */
  rawId: string;
  idHash: string;
  state: "active" | "pending_2fa";
  csrf: string;
  /** Their role requires two-factor sign-in and they have not set it up yet. */
  secondFactorMissing: boolean;
  /** Their unread notifications (up to 100), read with the session. */
  unreadNotifications: number;
  /** The staff list's data version, read with the session (app/staff/directory-cache.ts). */
  staffDirectoryVersion: string | null;
};

export type AppEnv = {
  Variables: {
    app: AppContext;
    session: SessionInfo | undefined;
    /** Set on API routes authenticated by a bearer token. */
    apiActor: StaffActor | undefined;
    /** Unread notifications of the signed-in person, for the header (set on staff pages). */
    unreadNotifications: number | undefined;
  };
};

/** The request context of any route. */
export type HttpContext = Context<AppEnv>;
