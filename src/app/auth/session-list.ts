/**
 * Signed-in devices (OWASP ASVS 5.0 7.5.2, 7.4.5): a person sees their own live sessions and ends
 * any of the others, or all the others at once; an administrator ends every session of one person,
 * or of everyone but themselves. A session is named by the SHA-256 stored for it (`id_hash`),
 * which cannot be used to sign in: only the cookie holds the raw id. An ended session is gone from
 * the table, and every request looks its session up there (`resolveSession`), so the very next
 * request of that device is refused. API tokens are not sessions and are not touched here.
 */
import type { Db } from "../../db/client.ts";
import * as repo from "../../db/repos/auth.ts";
import { findStaff } from "../../db/repos/staff.ts";
import { describeUserAgent } from "../../domain/user-agent.ts";
import { AppError, notFound } from "../../errors.ts";
import { change } from "../audit/record.ts";
import { authorize } from "../authorize.ts";
import type { Actor, AppContext, StaffActor } from "../context.ts";

const MINUTE = 60_000;

/** One signed-in device as its owner sees it. */
export type SessionView = {
  /** The stored SHA-256 of the session id: names it in forms, cannot sign anyone in. */
  id: string;
  /** `pending_2fa`: the password was right, the confirmation code has not been given yet. */
  state: "active" | "pending_2fa";
  createdAt: Date;
  /** Written at most once a minute (`resolveSession`), so up to a minute behind. */
  lastSeenAt: Date;
  /** The earlier of the absolute expiry and the idle timeout from the last use. */
  validUntil: Date;
  userAgent: string;
  /** 「Chrome（Windows）」: a readable hint from the User-Agent header. */
  device: string;
  /** The session this request came with. */
  current: boolean;
};

const SESSION_ID = /^[0-9a-f]{64}$/;

function sessionIdOf(value: unknown): string {
  if (typeof value === "string" && SESSION_ID.test(value)) return value;
  const message =
    "ログアウトさせる端末の指定が正しくありません。一覧を開き直してから、もう一度お試しください。";
  throw new AppError("validation", message, { fields: [{ field: "session", message }] });
}

/**
 * The person's live sessions, most recently used first. Sessions waiting for the confirmation code
 * are listed too (「確認コード待ち」): one the person did not start means someone knows their
 * password, and they can end it here.
 */
export async function listOwnSessions(
  ctx: AppContext,
  props: { actor: StaffActor; currentIdHash?: string | undefined },
): Promise<SessionView[]> {
  const now = ctx.clock.now();
  const idleMs = ctx.config.sessionIdleMinutes * MINUTE;
  const rows = await repo.listLiveSessionsOf(
    ctx.db,
    props.actor.staffId,
    now,
    new Date(now.getTime() - idleMs),
  );
  return rows.map((s) => {
    const idleEnd = s.lastSeenAt.getTime() + idleMs;
    return {
      id: s.idHash,
      state: s.state === "pending_2fa" ? "pending_2fa" : "active",
      createdAt: s.createdAt,
      lastSeenAt: s.lastSeenAt,
      validUntil: new Date(Math.min(idleEnd, s.expiresAt.getTime())),
      userAgent: s.userAgent,
      device: describeUserAgent(s.userAgent),
      current: s.idHash === props.currentIdHash,
    };
  });
}

/**
 * Ends one of the person's own other sessions. An id that is not theirs (or no longer exists) is
 * "not found" and ends nothing; the session this request came with is ended by signing out.
 */
export async function endOwnSession(
  ctx: AppContext,
  props: { actor: StaffActor; sessionId: unknown; currentIdHash: string },
): Promise<void> {
  const idHash = sessionIdOf(props.sessionId);
  if (idHash === props.currentIdHash)
    throw new AppError("conflict", "この端末は、画面上部の「ログアウト」でログアウトしてください。");
  await change(ctx, props.actor, "auth.session_ended", async (tx: Db) => {
    const ended = await repo.deleteSessionOf(tx, props.actor.staffId, idHash);
    if (!ended) throw notFound("ログイン中の端末");
    return { result: undefined, target: { type: "staff", id: props.actor.staffId }, summary: { ended: 1 } };
  });
}

/** Ends every session of the person but the one this request came with; returns how many ended. */
export async function endOtherOwnSessions(
  ctx: AppContext,
  props: { actor: StaffActor; currentIdHash: string },
): Promise<number> {
  return change(ctx, props.actor, "auth.sessions_ended_all_others", async (tx: Db) => {
    const ended = await repo.deleteSessionsOf(tx, props.actor.staffId, props.currentIdHash);
    return { result: ended, target: { type: "staff", id: props.actor.staffId }, summary: { ended } };
  });
}

/**
 * An administrator ends every session of one person (ASVS 7.4.5), e.g. a lost laptop. Their API
 * tokens stay valid (revoked separately). When administrators end their own, the session this
 * request came with stays.
 */
export async function endSessionsOfPerson(
  ctx: AppContext,
  props: { actor: Actor; staffId: number; keepIdHash?: string | undefined },
): Promise<number> {
  await authorize(ctx, props.actor, "user.reset_password");
  if (!(await findStaff(ctx.db, props.staffId))) throw notFound("職員");
  return change(ctx, props.actor, "auth.sessions_ended_for_person", async (tx: Db) => {
    const ended = await repo.deleteSessionsOf(tx, props.staffId, props.keepIdHash);
    return { result: ended, target: { type: "staff", id: props.staffId }, summary: { ended } };
  });
}

/**
 * An administrator ends every session of everyone except their own current one (ASVS 7.4.5),
 * e.g. after a suspected compromise. API tokens stay valid.
 */
export async function endEveryonesSessions(
  ctx: AppContext,
  props: { actor: Actor; keepIdHash: string },
): Promise<number> {
  await authorize(ctx, props.actor, "settings.manage");
  return change(ctx, props.actor, "auth.sessions_ended_everyone", async (tx: Db) => {
    const ended = await repo.deleteAllSessions(tx, props.keepIdHash);
    return { result: ended, target: { type: "system", id: null }, summary: { ended } };
  });
}
