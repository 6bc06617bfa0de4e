/**
 * Signing in and staying signed in (OWASP ASVS level 2): password check with a fixed number of
 * guesses per login ID and window before a temporary lock (each guess is reserved atomically
 * before it is checked, so parallel requests cannot overtake the count), a growing wait for an
 * address that fails often (never a lock), optional or required TOTP second factor under the same
 * guess limit, server-side sessions (256-bit random ids stored as SHA-256, idle and absolute
 * timeouts, a new id at every sign-in), and one-time links for first setup and password reset.
 * Nothing here logs a secret.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import type { Db } from "../../db/client.ts";
import * as repo from "../../db/repos/auth.ts";
import { findPasswordWords, findStaff, findStaffByLogin } from "../../db/repos/staff.ts";
import { isRole, type Role, type RoleGrant } from "../../domain/roles.ts";
import { addressWaitMs } from "../../domain/sign-in-throttle.ts";
import { AppError } from "../../errors.ts";
import { actorForPerson } from "../actors.ts";
import { record } from "../audit/record.ts";
import { authorize } from "../authorize.ts";
import { type Actor, type AppContext, type StaffActor, systemActor } from "../context.ts";
import { UNREAD_CAP } from "../notifications/inbox.ts";
import { hashPassword, type PasswordContext, passwordProblem, verifyPassword } from "./passwords.ts";
import { acceptTotp } from "./totp.ts";

const MINUTE = 60_000;
/** How long a password-verified session may wait for its TOTP code. */
const PENDING_2FA_MINUTES = 5;
/** Only write last_seen_at when it is older than this (saves a write per request). */
const TOUCH_INTERVAL_MS = 60_000;

export const GENERIC_LOGIN_FAILURE = "ログインIDまたはパスワードが正しくありません。";

/** SHA-256 hex of a secret token (session ids, one-time links, API tokens are stored this way). */
export function tokenHash(raw: string): string {
  return createHash("sha256").update(raw, "utf8").digest("hex");
}

/** A new random token: 256 bits, base64url. */
export function newToken(prefix = ""): string {
  return `${prefix}${randomBytes(32).toString("base64url")}`;
}

/** The CSRF token bound to a session: derived from the raw session id, which only the cookie holds. */
export function csrfTokenFor(rawSessionId: string): string {
  return createHash("sha256").update(`csrf:${rawSessionId}`, "utf8").digest("base64url");
}

/** Constant-time comparison of two tokens. */
export function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  return left.length === right.length && timingSafeEqual(left, right);
}

// Throttling (ASVS 2.2.1): per login ID and per second factor, a fixed number of checked guesses per
// window, reserved before checking, then a lock; per address, only a growing wait (never a lock).

const loginKey = (login: string) => `login:${login.trim().toLowerCase()}`;
const totpKey = (staffId: number) => `totp:${staffId}`;
const ipKey = (ip: string) => `ip:${ip}`;

function lockedError(until: Date, now: Date): AppError {
  const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / MINUTE));
  return new AppError(
    "too_many_requests",
    `ログインに続けて失敗したため、一時的にログインを制限しています。約${minutes}分後にもう一度お試しください。`,
  );
}

/** Takes one of the key's guesses for this window, or throws the lock message. */
async function reserveGuess(ctx: AppContext, key: string, now: Date): Promise<void> {
  const reservation = await repo.reserveAttempt(ctx.db, {
    key,
    now,
    max: ctx.config.loginMaxFailures,
    windowMs: ctx.config.loginLockMinutes * MINUTE,
  });
  if (!reservation.granted) throw lockedError(reservation.until, now);
}

/** After a checked guess failed: locks the key when its guesses are used up; says whether it did. */
function lockWhenSpent(ctx: AppContext, tx: Db, key: string, now: Date): Promise<boolean> {
  const until = new Date(now.getTime() + ctx.config.loginLockMinutes * MINUTE);
  return repo.lockWhenSpent(tx, { key, max: ctx.config.loginMaxFailures, until });
}

/** Waits before checking a password from an address that has failed often in this window. */
async function slowDownAddress(ctx: AppContext, ip: string): Promise<void> {
  const failures = await repo.recentFailures(ctx.db, {
    key: ipKey(ip),
    now: ctx.clock.now(),
    windowMs: ctx.config.loginLockMinutes * MINUTE,
  });
  const ms = addressWaitMs(failures);
  if (ms === 0) return;
  if (ctx.clock.sleep) await ctx.clock.sleep(ms);
  else await delay(ms);
}

// Sessions

export type NewSession = { rawId: string; expiresAt: Date };

async function createSession(
  ctx: AppContext,
  tx: Db,
  staffId: number,
  state: "active" | "pending_2fa",
  userAgent: string,
  now: Date,
): Promise<NewSession> {
  const rawId = newToken();
  const minutes = state === "pending_2fa" ? PENDING_2FA_MINUTES : ctx.config.sessionAbsoluteMinutes;
  const expiresAt = new Date(now.getTime() + minutes * MINUTE);
  await repo.insertSession(tx, {
    idHash: tokenHash(rawId),
    staffId,
    state,
    createdAt: now,
    lastSeenAt: now,
    expiresAt,
    userAgent: userAgent.slice(0, 300),
  });
  return { rawId, expiresAt };
}

/** Roles for which an administrator requires two-factor sign-in (setting `auth.require_2fa_roles`). */
export async function rolesRequiringTwoFactor(db: Db): Promise<Role[]> {
  return requiredRolesOf(await repo.getSetting(db, "auth.require_2fa_roles"));
}

/** The roles in the stored `auth.require_2fa_roles` setting (anything else ignored). */
function requiredRolesOf(value: unknown): Role[] {
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is Role => typeof v === "string" && isRole(v));
}

/** Whether someone with `grants` must use two-factor sign-in. */
export async function twoFactorRequired(db: Db, grants: readonly RoleGrant[]): Promise<boolean> {
  const required = await rolesRequiringTwoFactor(db);
  return grants.some((g) => required.includes(g.role));
}

/**
 * Whether `actor` must use two-factor sign-in but has not set it up yet: then staff pages send
 * them to the set-up page and the API refuses them, by session or by token (every pathway asks
 * for the same factors, ASVS 6.3.4).
 */
export async function secondFactorMissing(db: Db, actor: StaffActor): Promise<boolean> {
  if (!(await twoFactorRequired(db, actor.grants))) return false;
  const credentials = await repo.findCredentials(db, actor.staffId);
  return credentials?.totpEnabledAt == null;
}

/** The API's refusal while `secondFactorMissing` holds. */
export const SECOND_FACTOR_MISSING =
  "あなたの役割では2段階認証が必須です。画面の「アカウント設定」で2段階認証を設定してから、もう一度お試しください。";

export type LoginResult =
  | { kind: "signed_in"; session: NewSession; staffId: number }
  | { kind: "needs_totp"; session: NewSession; staffId: number };

/**
 * First step of signing in: checks the password. On success opens a session (or a pending one
 * when a TOTP code is still needed). Every failure gets the same message.
 */
export async function login(
  ctx: AppContext,
  props: { login: string; password: string; ip: string; userAgent: string },
): Promise<LoginResult> {
  const login = props.login.normalize("NFKC").trim();
  await slowDownAddress(ctx, props.ip);
  const now = ctx.clock.now();
  await reserveGuess(ctx, loginKey(login), now);

  const person = login ? await findStaffByLogin(ctx.db, login) : undefined;
  const credentials = person ? await repo.findCredentials(ctx.db, person.id) : undefined;
  const passwordOk = await verifyPassword(credentials?.passwordHash, props.password);

  if (!person?.active || !passwordOk) {
    const lockedNow = await ctx.db.transaction(async (tx) => {
      const locked = await lockWhenSpent(ctx, tx, loginKey(login), now);
      await repo.countFailure(tx, {
        key: ipKey(props.ip),
        now,
        windowMs: ctx.config.loginLockMinutes * MINUTE,
      });
      await record(tx, {
        actor: person
          ? { kind: "system", label: `login attempt for #${person.id}` }
          : systemActor("anonymous"),
        at: now,
        action: locked ? "auth.locked" : "auth.login_failed",
        target: { type: "staff", id: person?.id ?? null },
        summary: { knownLogin: person !== undefined, ip: props.ip },
      });
      return locked;
    });
    if (lockedNow) throw lockedError(new Date(now.getTime() + ctx.config.loginLockMinutes * MINUTE), now);
    throw new AppError("unauthenticated", GENERIC_LOGIN_FAILURE);
  }

  const needsTotp = credentials?.totpEnabledAt != null;
  return ctx.db.transaction(async (tx) => {
    await repo.clearThrottle(tx, loginKey(login));
    const session = await createSession(
      ctx,
      tx,
      person.id,
      needsTotp ? "pending_2fa" : "active",
      props.userAgent,
      now,
    );
    await record(tx, {
      actor: { kind: "system", label: `sign-in of #${person.id}` },
      at: now,
      action: needsTotp ? "auth.password_ok" : "auth.login",
      target: { type: "staff", id: person.id },
      summary: { ip: props.ip, secondFactor: needsTotp ? "pending" : "none" },
    });
    return needsTotp
      ? { kind: "needs_totp" as const, session, staffId: person.id }
      : { kind: "signed_in" as const, session, staffId: person.id };
  });
}

/**
 * Second step: a TOTP code for a pending session. On success the pending session is replaced by
 * a new active one (new id). Wrong codes count towards the lockout like wrong passwords.
 */
export async function completeTotp(
  ctx: AppContext,
  props: { pendingRawId: string; code: string; ip: string; userAgent: string },
): Promise<NewSession> {
  const now = ctx.clock.now();
  const pending = await repo.findSession(ctx.db, tokenHash(props.pendingRawId));
  if (pending?.state !== "pending_2fa" || pending.expiresAt <= now) {
    throw new AppError("unauthenticated", "確認の有効期限が切れました。もう一度ログインしてください。");
  }
  const key = totpKey(pending.staffId);
  await reserveGuess(ctx, key, now);
  return ctx.db
    .transaction(async (tx) => {
      const credentials = await repo.lockCredentials(tx, pending.staffId);
      const step =
        credentials.totpSecret && credentials.totpEnabledAt
          ? acceptTotp(credentials.totpSecret, props.code, now, credentials.totpLastStep)
          : null;
      if (step === null) {
        const locked = await lockWhenSpent(ctx, tx, key, now);
        await record(tx, {
          actor: { kind: "system", label: `sign-in of #${pending.staffId}` },
          at: now,
          action: "auth.totp_failed",
          target: { type: "staff", id: pending.staffId },
          summary: { ip: props.ip, locked },
        });
        return locked ? ("locked" as const) : null;
      }
      await repo.updateCredentials(tx, pending.staffId, { totpLastStep: step }, now);
      await repo.deleteSession(tx, pending.idHash);
      await repo.clearThrottle(tx, key);
      const session = await createSession(ctx, tx, pending.staffId, "active", props.userAgent, now);
      await record(tx, {
        actor: { kind: "system", label: `sign-in of #${pending.staffId}` },
        at: now,
        action: "auth.login",
        target: { type: "staff", id: pending.staffId },
        summary: { ip: props.ip, secondFactor: "totp" },
      });
      return session;
    })
    .then((session) => {
      if (session === "locked")
        throw lockedError(new Date(now.getTime() + ctx.config.loginLockMinutes * MINUTE), now);
      if (!session)
        throw new AppError(
          "unauthenticated",
          "確認コードが正しくないか、すでに使われています。新しいコードを入力してください。",
        );
      return session;
    });
}

export type ResolvedSession = {
  actor: StaffActor;
  idHash: string;
  state: "active" | "pending_2fa";
  createdAt: Date;
  /** Their role requires two-factor sign-in and they have not set it up (as `secondFactorMissing`). */
  secondFactorMissing: boolean;
  /** Their unread notifications, up to UNREAD_CAP (the header's count). */
  unreadNotifications: number;
  /** The staff list's data version, read in the same statement (app/staff/directory-cache.ts). */
  staffDirectoryVersion: string | null;
};

/**
 * The person behind a session cookie, or undefined when the session does not exist, has been
 * idle longer than the idle timeout, is past its absolute lifetime, or the person is inactive.
 */
export async function resolveSession(ctx: AppContext, rawId: string): Promise<ResolvedSession | undefined> {
  const now = ctx.clock.now();
  const idHash = tokenHash(rawId);
  // One statement for the session, its person and their placement; then their roles (two more).
  const found = await repo.findSessionWithPerson(ctx.db, idHash, UNREAD_CAP);
  if (!found) return undefined;
  const { session } = found;
  const idleLimit = now.getTime() - ctx.config.sessionIdleMinutes * MINUTE;
  if (session.expiresAt <= now || session.lastSeenAt.getTime() < idleLimit) {
    await repo.deleteSession(ctx.db, idHash);
    return undefined;
  }
  const actor = await actorForPerson(ctx.db, found.person, found.placement, "session", now, found);
  if (!actor) {
    await repo.deleteSession(ctx.db, idHash);
    return undefined;
  }
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS)
    await repo.touchSession(ctx.db, idHash, now);
  const state = session.state === "pending_2fa" ? "pending_2fa" : "active";
  const required = requiredRolesOf(found.requireTwoFactorRoles);
  return {
    actor,
    idHash,
    state,
    createdAt: session.createdAt,
    secondFactorMissing: !found.totpEnabled && actor.grants.some((g) => required.includes(g.role)),
    unreadNotifications: found.unread,
    staffDirectoryVersion: found.staffDirectoryVersion,
  };
}

/** Ends one session. */
export async function logout(ctx: AppContext, props: { rawId: string }): Promise<void> {
  const now = ctx.clock.now();
  const idHash = tokenHash(props.rawId);
  const session = await repo.findSession(ctx.db, idHash);
  if (!session) return;
  await ctx.db.transaction(async (tx) => {
    await repo.deleteSession(tx, idHash);
    await record(tx, {
      actor: { kind: "system", label: `sign-out of #${session.staffId}` },
      at: now,
      action: "auth.logout",
      target: { type: "staff", id: session.staffId },
    });
  });
}

// One-time links (setup, reset)

const LINK_HOURS = { setup: 72, reset: 24 } as const;

/**
 * Issues a one-time link for a person to set a password. Earlier unused links of that person
 * stop working. A reset link also ends all their sessions and revokes their API tokens: a reset
 * means the old password may be known to someone else (ASVS 7.4.3). Returns the URL (shown once;
 * only its hash is stored) and how many tokens were revoked.
 */
export async function issuePasswordLink(
  ctx: AppContext,
  props: { actor: Actor; staffId: number; purpose?: "setup" | "reset" },
): Promise<{ url: string; expiresAt: Date; tokensRevoked: number }> {
  await authorize(ctx, props.actor, "user.reset_password");
  const now = ctx.clock.now();
  const raw = newToken();
  const existing = await repo.findCredentials(ctx.db, props.staffId);
  const purpose = props.purpose ?? (existing?.passwordHash ? "reset" : "setup");
  const expiresAt = new Date(now.getTime() + LINK_HOURS[purpose] * 60 * MINUTE);
  const tokensRevoked = await ctx.db.transaction(async (tx) => {
    const person = await findStaff(tx, props.staffId);
    if (!person) throw new AppError("not_found", "職員が見つかりません。");
    if (!person.active)
      throw new AppError("conflict", "無効（退職等）の職員にはパスワード設定用リンクを発行できません。");
    await repo.voidTokensOf(tx, person.id, now);
    await repo.insertOneTimeToken(tx, {
      tokenHash: tokenHash(raw),
      staffId: person.id,
      purpose,
      expiresAt,
      createdBy: props.actor.kind === "staff" ? props.actor.staffId : null,
      createdAt: now,
    });
    let revoked = 0;
    if (purpose === "reset") {
      await repo.deleteSessionsOf(tx, person.id);
      revoked = await repo.revokeActiveApiTokensOf(tx, person.id, now);
    }
    await record(tx, {
      actor: props.actor,
      at: now,
      action: purpose === "setup" ? "auth.setup_link" : "auth.reset_link",
      target: { type: "staff", id: person.id },
      summary: purpose === "reset" ? { expiresAt, apiKeysRevoked: revoked } : { expiresAt },
    });
    return revoked;
  });
  return { url: `${ctx.config.publicUrl}/password/${raw}`, expiresAt, tokensRevoked };
}

/**
 * The words a person's new password must not be built on (ASVS 6.2.11, password-words.ts): their
 * login IDs, name, kana and units (one query, only when a password is set) and the city's name.
 */
async function passwordContext(ctx: AppContext, staffId: number): Promise<PasswordContext> {
  const words = await findPasswordWords(ctx.db, staffId);
  return { ...words, login: words?.email, cityName: ctx.config.cityName };
}

/** Who a one-time link is for (to greet them on the page), or undefined when unusable. */
export async function peekPasswordLink(ctx: AppContext, raw: string) {
  const row = await repo.findUsableToken(ctx.db, tokenHash(raw), ctx.clock.now());
  if (!row) return undefined;
  const person = await findStaff(ctx.db, row.staffId);
  return person ? { name: person.name, email: person.email, purpose: row.purpose } : undefined;
}

/** Sets a password through a one-time link; the link then stops working. */
export async function redeemPasswordLink(
  ctx: AppContext,
  props: { raw: string; password: string },
): Promise<void> {
  const now = ctx.clock.now();
  const peek = await repo.findUsableToken(ctx.db, tokenHash(props.raw), now);
  if (!peek)
    throw new AppError(
      "not_found",
      "このリンクは使用済みか、有効期限が切れています。管理者に再発行を依頼してください。",
    );
  const problem = passwordProblem(props.password, await passwordContext(ctx, peek.staffId));
  if (problem)
    throw new AppError("validation", problem, { fields: [{ field: "password", message: problem }] });
  const passwordHash = await hashPassword(props.password);
  await ctx.db.transaction(async (tx) => {
    const row = await repo.lockUsableToken(tx, tokenHash(props.raw), now);
    if (!row) throw new AppError("not_found", "このリンクは使用済みか、有効期限が切れています。");
    await repo.markTokenUsed(tx, row.id, now);
    await repo.updateCredentials(tx, row.staffId, { passwordHash, passwordChangedAt: now }, now);
    await repo.deleteSessionsOf(tx, row.staffId);
    await record(tx, {
      actor: { kind: "system", label: `one-time link of #${row.staffId}` },
      at: now,
      action: "auth.password_set",
      target: { type: "staff", id: row.staffId },
      summary: { via: row.purpose },
    });
  });
}

/**
 * A signed-in person changes their own password: their other sessions end, and with
 * `revokeTokens` every API token of theirs that still works is revoked in the same transaction
 * (ASVS 7.4.3). The one audit entry says how many tokens were revoked, as `apiKeysRevoked` (a key
 * naming "token" would be redacted as a secret by toAuditJson).
 * @returns how many tokens were revoked
 */
export async function changePassword(
  ctx: AppContext,
  props: {
    actor: StaffActor;
    current: string;
    next: string;
    keepSessionHash: string;
    revokeTokens?: boolean;
  },
): Promise<{ tokensRevoked: number }> {
  const now = ctx.clock.now();
  const credentials = await repo.findCredentials(ctx.db, props.actor.staffId);
  if (!(await verifyPassword(credentials?.passwordHash, props.current))) {
    throw new AppError("validation", "現在のパスワードが正しくありません。", {
      fields: [{ field: "current", message: "現在のパスワードが正しくありません。" }],
    });
  }
  const problem = passwordProblem(props.next, await passwordContext(ctx, props.actor.staffId));
  if (problem) throw new AppError("validation", problem, { fields: [{ field: "next", message: problem }] });
  const passwordHash = await hashPassword(props.next);
  return ctx.db.transaction(async (tx) => {
    await repo.updateCredentials(tx, props.actor.staffId, { passwordHash, passwordChangedAt: now }, now);
    await repo.deleteSessionsOf(tx, props.actor.staffId, props.keepSessionHash);
    const tokensRevoked = props.revokeTokens
      ? await repo.revokeActiveApiTokensOf(tx, props.actor.staffId, now)
      : 0;
    await record(tx, {
      actor: props.actor,
      at: now,
      action: "auth.password_changed",
      target: { type: "staff", id: props.actor.staffId },
      summary: { apiKeysRevoked: tokensRevoked },
    });
    return { tokensRevoked };
  });
}

/** Sets a password directly (CLI and demo only: no link involved). */
export async function setPasswordDirectly(
  ctx: AppContext,
  props: { actor: Actor; staffId: number; password: string },
) {
  const problem = passwordProblem(props.password, await passwordContext(ctx, props.staffId));
  if (problem)
    throw new AppError("validation", problem, { fields: [{ field: "password", message: problem }] });
  const now = ctx.clock.now();
  const passwordHash = await hashPassword(props.password);
  await ctx.db.transaction(async (tx) => {
    await repo.updateCredentials(tx, props.staffId, { passwordHash, passwordChangedAt: now }, now);
    await repo.deleteSessionsOf(tx, props.staffId);
    await record(tx, {
      actor: props.actor,
      at: now,
      action: "auth.password_set",
      target: { type: "staff", id: props.staffId },
    });
  });
}
