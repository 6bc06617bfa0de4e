/**
 * Personal API tokens: created and revoked by their owner, shown once, stored as SHA-256, and
 * acting with exactly the owner's current permissions (the policy is asked on every call).
 */
import { z } from "zod";
import * as repo from "../../db/repos/auth.ts";
import { AppError, notFound } from "../../errors.ts";
import { loadActor } from "../actors.ts";
import { record } from "../audit/record.ts";
import type { AppContext, StaffActor } from "../context.ts";
import { parse, text } from "../validate.ts";
import { newToken, tokenHash } from "./sessions.ts";

const TOKEN_PREFIX = "sgv_";

export const apiTokenInput = z.object({
  name: text("トークンの名前", 60),
  expiresInDays: z.coerce
    .number({ error: "有効期間を選択してください。" })
    .int({ error: "有効期間は日数（1〜366）で指定してください。" })
    // Every token expires (ASVS 6.3.4): a token is used without the second factor.
    .min(1, { error: "有効期間は1日以上にしてください（期限のないトークンは作成できません）。" })
    .max(366, { error: "有効期間は366日以内にしてください。" })
    .default(90),
});

/**
 * Refused when a token is used to create a token: a token is used without the second factor, so
 * one that leaked must not be able to mint further (possibly never-expiring) tokens (ASVS 6.3.4).
 */
export const TOKEN_FROM_TOKEN =
  "APIトークンを使って新しいAPIトークンを作成することはできません。ブラウザで snsgov にログインし、「アカウント設定」の「APIトークン」から作成してください。";

/**
 * Creates a token; the raw value is returned once and never again. Only from a signed-in page
 * session (password, and the second factor where the person has it or a role requires it: the
 * session middleware and apiAuth refuse a session still missing it), never from a token or the CLI.
 */
export async function createApiToken(ctx: AppContext, props: { actor: StaffActor; input: unknown }) {
  if (props.actor.via !== "session") throw new AppError("forbidden", TOKEN_FROM_TOKEN);
  const input = parse(apiTokenInput, props.input);
  const now = ctx.clock.now();
  const raw = newToken(TOKEN_PREFIX);
  const expiresAt = new Date(now.getTime() + input.expiresInDays * 86_400_000);
  const row = await ctx.db.transaction(async (tx) => {
    const created = await repo.insertApiToken(tx, {
      staffId: props.actor.staffId,
      name: input.name,
      prefix: raw.slice(0, TOKEN_PREFIX.length + 6),
      tokenHash: tokenHash(raw),
      expiresAt,
      createdAt: now,
    });
    await record(tx, {
      actor: props.actor,
      at: now,
      action: "apitoken.create",
      target: { type: "api_token", id: created.id },
      summary: { name: input.name, expiresAt },
    });
    return created;
  });
  return { token: raw, row };
}

/** Whether a token still works at `now`: not revoked and not expired. */
export function tokenActive(token: { revokedAt: Date | null; expiresAt: Date | null }, now: Date): boolean {
  return !token.revokedAt && (!token.expiresAt || token.expiresAt > now);
}

export async function listApiTokens(ctx: AppContext, actor: StaffActor) {
  return repo.listApiTokens(ctx.db, actor.staffId);
}

/** Revokes one of one's own tokens. */
export async function revokeApiToken(
  ctx: AppContext,
  props: { actor: StaffActor; id: number },
): Promise<void> {
  const now = ctx.clock.now();
  const row = await repo.findApiToken(ctx.db, props.id);
  if (!row || row.staffId !== props.actor.staffId) throw notFound("APIトークン");
  if (row.revokedAt) throw new AppError("conflict", "このトークンはすでに無効です。");
  await ctx.db.transaction(async (tx) => {
    await repo.revokeApiToken(tx, row.id, now);
    await record(tx, {
      actor: props.actor,
      at: now,
      action: "apitoken.revoke",
      target: { type: "api_token", id: row.id },
    });
  });
}

/** The actor behind a bearer token, or undefined (unknown, revoked, expired, owner inactive). */
export async function resolveApiToken(ctx: AppContext, raw: string): Promise<StaffActor | undefined> {
  if (!raw.startsWith(TOKEN_PREFIX)) return undefined;
  const now = ctx.clock.now();
  const row = await repo.findApiTokenByHash(ctx.db, tokenHash(raw));
  if (!row || !tokenActive(row, now)) return undefined;
  const actor = await loadActor(ctx.db, row.staffId, "api", now);
  if (!actor) return undefined;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000)
    await repo.touchApiToken(ctx.db, row.id, now);
  return actor;
}
