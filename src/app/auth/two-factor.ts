/**
 * Two-factor sign-in (TOTP) for one's own account: enrol (secret shown once as a QR code and
 * text), confirm with a first code, disable with the password unless a role requires it; and the
 * administrator's setting of which roles must use it.
 */
import { z } from "zod";
import * as repo from "../../db/repos/auth.ts";
import { findStaff } from "../../db/repos/staff.ts";
import { roles } from "../../domain/roles.ts";
import { AppError, notFound } from "../../errors.ts";
import { record } from "../audit/record.ts";
import { authorize } from "../authorize.ts";
import type { Actor, AppContext, StaffActor } from "../context.ts";
import { parse } from "../validate.ts";
import { verifyPassword } from "./passwords.ts";
import { twoFactorRequired } from "./sessions.ts";
import { acceptTotp, enrolment, newTotpSecret } from "./totp.ts";

export type TwoFactorStatus = { enabled: boolean; required: boolean; pendingSecret: string | null };

export async function twoFactorStatus(ctx: AppContext, actor: StaffActor): Promise<TwoFactorStatus> {
  const credentials = await repo.findCredentials(ctx.db, actor.staffId);
  const enabled = credentials?.totpEnabledAt != null;
  return {
    enabled,
    required: await twoFactorRequired(ctx.db, actor.grants),
    pendingSecret: !enabled && credentials?.totpSecret ? credentials.totpSecret : null,
  };
}

/**
 * Starts enrolment: stores a new secret (not yet active) and returns what the authenticator app
 * needs. Calling it again replaces the pending secret.
 */
export async function beginTwoFactor(ctx: AppContext, actor: StaffActor) {
  const credentials = await repo.findCredentials(ctx.db, actor.staffId);
  if (credentials?.totpEnabledAt) throw new AppError("conflict", "2段階認証はすでに有効です。");
  const person = await findStaff(ctx.db, actor.staffId);
  const secret = credentials?.totpSecret ?? newTotpSecret();
  if (!credentials?.totpSecret) {
    await repo.updateCredentials(
      ctx.db,
      actor.staffId,
      { totpSecret: secret, totpLastStep: null },
      ctx.clock.now(),
    );
  }
  const { uri, svg } = await enrolment(
    secret,
    person?.email ?? String(actor.staffId),
    `snsgov ${ctx.config.cityName}`,
  );
  return { secret, uri, svg };
}

/**
 * Confirms enrolment with a first code from the app; two-factor is on from then. The person's
 * other sessions end (a changed authentication factor, ASVS 7.4.3).
 * @param props.keepSessionHash the session that made the change, which stays signed in
 */
export async function confirmTwoFactor(
  ctx: AppContext,
  props: { actor: StaffActor; code: string; keepSessionHash: string },
): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const credentials = await repo.lockCredentials(tx, props.actor.staffId);
    if (credentials.totpEnabledAt) throw new AppError("conflict", "2段階認証はすでに有効です。");
    if (!credentials.totpSecret) throw new AppError("conflict", "先に2段階認証の設定を始めてください。");
    const step = acceptTotp(credentials.totpSecret, props.code, now, null);
    if (step === null) {
      throw new AppError(
        "validation",
        "確認コードが正しくありません。アプリに表示されている6桁の数字を入力してください。",
        {
          fields: [{ field: "code", message: "6桁の確認コードを入力してください。" }],
        },
      );
    }
    await repo.updateCredentials(tx, props.actor.staffId, { totpEnabledAt: now, totpLastStep: step }, now);
    await repo.deleteSessionsOf(tx, props.actor.staffId, props.keepSessionHash);
    await record(tx, {
      actor: props.actor,
      at: now,
      action: "auth.totp_enabled",
      target: { type: "staff", id: props.actor.staffId },
    });
  });
}

/**
 * Turns two-factor off (password required); refused when a role of the person requires it. The
 * person's other sessions end (ASVS 7.4.3).
 * @param props.keepSessionHash the session that made the change, which stays signed in
 */
export async function disableTwoFactor(
  ctx: AppContext,
  props: { actor: StaffActor; password: string; keepSessionHash: string },
): Promise<void> {
  if (await twoFactorRequired(ctx.db, props.actor.grants)) {
    throw new AppError("forbidden", "あなたの役割では2段階認証が必須のため、無効にできません。");
  }
  const now = ctx.clock.now();
  const credentials = await repo.findCredentials(ctx.db, props.actor.staffId);
  if (!(await verifyPassword(credentials?.passwordHash, props.password))) {
    throw new AppError("validation", "パスワードが正しくありません。", {
      fields: [{ field: "password", message: "パスワードが正しくありません。" }],
    });
  }
  await ctx.db.transaction(async (tx) => {
    await repo.updateCredentials(
      tx,
      props.actor.staffId,
      { totpSecret: null, totpEnabledAt: null, totpLastStep: null },
      now,
    );
    await repo.deleteSessionsOf(tx, props.actor.staffId, props.keepSessionHash);
    await record(tx, {
      actor: props.actor,
      at: now,
      action: "auth.totp_disabled",
      target: { type: "staff", id: props.actor.staffId },
    });
  });
}

/**
 * An administrator resets someone's two-factor (lost phone); they enrol again at next sign-in.
 * All their sessions end and their API tokens are revoked: whoever has the phone may also have
 * the password (ASVS 7.4.3).
 * @returns how many tokens were revoked
 */
export async function resetTwoFactor(
  ctx: AppContext,
  props: { actor: Actor; staffId: number },
): Promise<{ tokensRevoked: number }> {
  await authorize(ctx, props.actor, "user.reset_password");
  if (!(await findStaff(ctx.db, props.staffId))) throw notFound("職員");
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    await repo.updateCredentials(
      tx,
      props.staffId,
      { totpSecret: null, totpEnabledAt: null, totpLastStep: null },
      now,
    );
    await repo.deleteSessionsOf(tx, props.staffId);
    const tokensRevoked = await repo.revokeActiveApiTokensOf(tx, props.staffId, now);
    await record(tx, {
      actor: props.actor,
      at: now,
      action: "auth.totp_reset",
      target: { type: "staff", id: props.staffId },
      summary: { apiKeysRevoked: tokensRevoked },
    });
    return { tokensRevoked };
  });
}

const requiredRolesInput = z.object({ roles: z.array(z.enum(roles)).default([]) });

/** Sets which roles must use two-factor sign-in. */
export async function setRequiredTwoFactorRoles(ctx: AppContext, props: { actor: Actor; input: unknown }) {
  await authorize(ctx, props.actor, "settings.manage");
  const input = parse(requiredRolesInput, props.input);
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const before = await repo.getSetting(tx, "auth.require_2fa_roles");
    await repo.putSetting(
      tx,
      "auth.require_2fa_roles",
      input.roles,
      props.actor.kind === "staff" ? props.actor.staffId : null,
      now,
    );
    await record(tx, {
      actor: props.actor,
      at: now,
      action: "settings.update",
      target: { type: "setting", id: "auth.require_2fa_roles" },
      summary: { before: before ?? [], after: input.roles },
    });
  });
  return input.roles;
}
