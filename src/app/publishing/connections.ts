/**
 * Connecting an official account to its platform's API (issue 15): only the account manager
 * (アカウント管理者、課等の長, 4.1.4) connects and revokes. LINE, Facebook, Instagram, Mastodon
 * and Threads are connected with a token pasted once (one form and one use case, token-forms.ts);
 * Bluesky with the handle and an app password, exchanged at once for the session's tokens (the app
 * password is not kept); through the platform's OAuth where the city's app allows it (X; and
 * Mastodon, Threads, Facebook and Instagram beside the pasted token: oauth-flows.ts), the PKCE verifier kept sealed
 * inside the `state` (oauth-state.ts) so nothing waits in the database. Before a token is kept, the
 * platform is asked who it speaks for, and a token of another account than the registered handle
 * is refused. The token is sealed (AES-256-GCM, token-keys.ts), never shown again and never in
 * an audit entry or a log line; the connection records who connected it and when, and who
 * revoked it. A reconnection wakes the posts waiting for it.
 */
import { z } from "zod";
import type { Db } from "../../db/client.ts";
import {
  type ConnectionRow,
  cancelOutboxOf,
  connectionsOf,
  findConnection,
  insertConnection,
  liveConnection,
  updateConnection,
  wakeOutboxOf,
} from "../../db/repos/platform-publishing.ts";
import { conflict, notFound, validation } from "../../errors.ts";
import { platformLabel } from "../../guideline/pack.ts";
import { createBlueskySession } from "../../publishing/bluesky.ts";
import { type Credentials, PlatformError, type Profile } from "../../publishing/connector.ts";
import { X_SCOPES } from "../../publishing/x.ts";
import { accountTarget, getAccount } from "../accounts/read.ts";
import { change } from "../audit/record.ts";
import { allowed, refuse } from "../authorize.ts";
import { type Actor, type AppContext, actorId } from "../context.ts";
import { parse, text } from "../validate.ts";
import {
  connectablePlatforms,
  connectorFor,
  mastodonServer,
  missingSetting,
  openCredentials,
  sealCredentials,
} from "./connectors.ts";
import { oauthFlowFor } from "./oauth-flows.ts";
import { openOAuthState, sealOAuthState } from "./oauth-state.ts";
import { tokenFormOf } from "./token-forms.ts";

/** A connection as the account page shows it (never the token). */
export type ConnectionView = {
  id: number;
  platform: string;
  status: string;
  externalHandle: string;
  connectedBy: number | null;
  connectedAt: Date;
  revokedBy: number | null;
  revokedAt: Date | null;
  revokedReason: string;
  lastError: string;
  profileCheckedAt: Date | null;
};

export type ConnectionsInfo = {
  connections: ConnectionView[];
  /** The live connection (active or needing reconnection), if any. */
  live: ConnectionView | null;
  /** The account's platform has a connector (and, for X, the city's app is configured). */
  available: boolean;
  /** Why it is not available, in Japanese. */
  unavailableReason: string;
  /** The platform's OAuth can be used here (its consent page), beside any pasted token. */
  oauth: boolean;
  /** The actor is the account manager (may connect and revoke). */
  mayManage: boolean;
};

const view = (c: ConnectionRow): ConnectionView => ({
  id: c.id,
  platform: c.platform,
  status: c.status,
  externalHandle: c.externalHandle,
  connectedBy: c.connectedBy,
  connectedAt: c.connectedAt,
  revokedBy: c.revokedBy,
  revokedAt: c.revokedAt,
  revokedReason: c.revokedReason,
  lastError: c.lastError,
  profileCheckedAt: c.profileCheckedAt,
});

const MANAGER_ONLY =
  "プラットフォームへの接続と接続の取り消しは、このアカウントのアカウント管理者（課等の長、第4-1(4)）だけが行えます。";

async function managedAccount(ctx: AppContext, actor: Actor, accountId: number, action: string) {
  const account = await getAccount(ctx, { actor, id: accountId });
  const isManager =
    actor.kind === "system" || (actor.kind === "staff" && actor.staffId === account.managerId);
  if (!isManager || !allowed(actor, "account.manage", accountTarget(account)))
    throw await refuse(ctx, actor, action, { accountId }, MANAGER_ONLY);
  return account;
}

function unavailable(ctx: AppContext, platform: string): string {
  if (!connectablePlatforms.some((p) => p === platform))
    return `${platformLabel(platform)}への自動発信には、まだ対応していません。発信後に発信の記録を入力してください。`;
  if (!connectorFor(ctx.config, platform))
    return (
      missingSetting(ctx.config, platform) ||
      `${platformLabel(platform)}への自動発信は、この環境では設定されていません。`
    );
  return "";
}

/** The connections of an account for its page. */
export async function connectionsInfo(
  ctx: AppContext,
  props: { actor: Actor; accountId: number },
): Promise<ConnectionsInfo> {
  const account = await getAccount(ctx, { actor: props.actor, id: props.accountId });
  const rows = await connectionsOf(ctx.db, account.id);
  const live = rows.find((c) => c.status !== "revoked");
  const reason = unavailable(ctx, account.platform);
  return {
    connections: rows.map(view),
    live: live ? view(live) : null,
    available: reason === "",
    unavailableReason: reason,
    oauth: reason === "" && oauthFlowFor(ctx.config, account.platform) !== null,
    mayManage:
      props.actor.kind === "staff" &&
      props.actor.staffId === account.managerId &&
      allowed(props.actor, "account.manage", accountTarget(account)),
  };
}

const normalHandle = (h: string) => h.trim().replace(/^@/, "").toLowerCase();
/** A Mastodon handle may be registered with its server (`name@server`); the server is checked apart. */
const localHandle = (platform: string, h: string) =>
  platform === "mastodon" ? (normalHandle(h).split("@")[0] ?? "") : normalHandle(h);

/** Refuses a token that speaks for another account than the registered handle. */
function assertSameAccount(account: { handle: string; platform: string }, profile: Profile): void {
  const registered = localHandle(account.platform, account.handle);
  if (registered === "" || registered === localHandle(account.platform, profile.handle)) return;
  const message = `このトークンは${platformLabel(account.platform)}の別のアカウント（@${profile.handle}）のものです。登録されているアカウント（@${normalHandle(account.handle)}）のトークンで接続してください。`;
  throw validation(message, [{ field: "token", message }]);
}

async function readProfileOrRefuse(
  ctx: AppContext,
  platform: string,
  credentials: Credentials,
  field: string,
): Promise<Profile> {
  const connector = connectorFor(ctx.config, platform);
  if (!connector) throw conflict(unavailable(ctx, platform));
  try {
    return await connector.readProfile(credentials);
  } catch (error) {
    if (!(error instanceof PlatformError)) throw error;
    const message =
      error.kind === "auth"
        ? `${platformLabel(platform)}がこのトークンを受け付けませんでした。正しいトークンか確認してください。`
        : error.kind === "not_found"
          ? `${platformLabel(platform)}上にそのアカウントが見つかりません（またはこのトークンでは読めません）。アカウントのIDとトークンを確認してください。`
          : error.message;
    throw validation(message, [{ field, message }]);
  }
}

/** Stores a new connection or reconnects the live one, in one audited change. */
async function storeConnection(
  ctx: AppContext,
  actor: Actor,
  account: { id: number; platform: string },
  credentials: Credentials,
  profile: Profile,
  scopes: string,
): Promise<ConnectionView> {
  const sealed = await sealCredentials(ctx.config, account.id, account.platform, credentials);
  return change(ctx, actor, "publishing.connect", async (tx: Db, at) => {
    const current = await liveConnection(tx, account.id, account.platform, true);
    const values = {
      status: "active",
      externalId: profile.externalId,
      externalHandle: profile.handle,
      tokenCiphertext: sealed.ciphertext,
      tokenKeyId: sealed.keyId,
      tokenExpiresAt: credentials.expiresAt ? new Date(credentials.expiresAt) : null,
      scopes,
      connectedBy: actorId(actor),
      connectedAt: at,
      lastError: "",
    };
    const row = current
      ? await updateConnection(tx, current.id, values, at)
      : await insertConnection(tx, {
          accountId: account.id,
          platform: account.platform,
          ...values,
          createdAt: at,
        });
    const woken = current ? await wakeOutboxOf(tx, row.id, at) : 0;
    return {
      result: view(row),
      target: { type: "account", id: account.id },
      summary: {
        connectionId: row.id,
        platform: account.platform,
        externalHandle: profile.handle,
        reconnected: current !== undefined,
        keyId: sealed.keyId,
        ...(woken > 0 ? { postsWoken: woken } : {}),
      },
    };
  });
}

/** The token form's input; the token is named as the platform's form labels it. */
export const tokenConnectInput = (tokenLabel = "アクセストークン") =>
  z.object({
    token: text(tokenLabel, 2000),
    accountId: z
      .string()
      .trim()
      .max(100, "アカウントのIDは100文字以内で入力してください。")
      .regex(/^[A-Za-z0-9_.:-]*$/, "アカウントのIDは英数字で入力してください。")
      .optional(),
  });

/**
 * Connects an account whose platform takes a token pasted once (LINE's channel access token, a
 * page access token; see token-forms.ts), after the platform confirms whose it is.
 * @param props.input `{ token, accountId? }`
 */
export async function connectWithToken(
  ctx: AppContext,
  props: { actor: Actor; accountId: number; input: unknown },
): Promise<ConnectionView> {
  const account = await managedAccount(ctx, props.actor, props.accountId, "publishing.connect");
  const form = tokenFormOf(account.platform);
  if (!form)
    throw conflict(
      `${platformLabel(account.platform)}はトークンの貼り付けでは接続できません。${unavailable(ctx, account.platform)}`,
    );
  const input = parse(tokenConnectInput(form.tokenLabel), props.input);
  const externalId = form.accountId ? (input.accountId ?? "") : "";
  if (form.accountId && externalId === "") {
    const message = `${form.accountId.label}を入力してください。`;
    throw validation(message, [{ field: "accountId", message }]);
  }
  const credentials: Credentials = {
    accessToken: input.token,
    ...(externalId ? { accountId: externalId } : {}),
    ...(account.platform === "mastodon" ? { server: mastodonServer(ctx.config, account) } : {}),
  };
  const profile = await readProfileOrRefuse(ctx, account.platform, credentials, "token");
  assertSameAccount(account, profile);
  const inspect = connectorFor(ctx.config, account.platform)?.inspect;
  const kept = inspect ? await inspect(credentials, ctx.clock.now()) : credentials;
  return storeConnection(ctx, props.actor, account, kept, profile, form.scopes);
}

export const blueskyConnectInput = z.object({
  identifier: text("ハンドル", 253),
  appPassword: text("アプリパスワード", 100),
});

/**
 * Connects a Bluesky account: signs in with the handle and an app password (used once, never
 * kept) at the configured PDS, keeps the session's tokens sealed, after Bluesky confirms whose
 * they are.
 * @param props.input `{ identifier, appPassword }`
 */
export async function connectBluesky(
  ctx: AppContext,
  props: { actor: Actor; accountId: number; input: unknown },
): Promise<ConnectionView> {
  const account = await managedAccount(ctx, props.actor, props.accountId, "publishing.connect");
  if (account.platform !== "bluesky") throw conflict("このアカウントはBlueskyのアカウントではありません。");
  const { identifier, appPassword } = parse(blueskyConnectInput, props.input);
  let credentials: Credentials;
  try {
    ({ credentials } = await createBlueskySession(ctx.config.platforms.blueskyPdsUrl, {
      identifier: identifier.replace(/^@/, ""),
      password: appPassword,
    }));
  } catch (error) {
    if (!(error instanceof PlatformError)) throw error;
    throw validation(error.message, [{ field: "appPassword", message: error.message }]);
  }
  const profile = await readProfileOrRefuse(ctx, "bluesky", credentials, "identifier");
  assertSameAccount(account, profile);
  return storeConnection(ctx, props.actor, account, credentials, profile, "app password");
}

/** The LINE-only name of `connectWithToken`, kept for its callers. */
export const connectLine = connectWithToken;

/**
 * Connects with an access token obtained elsewhere (the demo's accounts against their fakes; a
 * token issued by the platform's own console), after the platform confirms whose it is.
 */
export async function connectWithAccessToken(
  ctx: AppContext,
  props: { actor: Actor; accountId: number; accessToken: string },
): Promise<ConnectionView> {
  const account = await managedAccount(ctx, props.actor, props.accountId, "publishing.connect");
  const credentials: Credentials = {
    accessToken: props.accessToken,
    ...(account.platform === "mastodon" ? { server: mastodonServer(ctx.config, account) } : {}),
  };
  const profile = await readProfileOrRefuse(ctx, account.platform, credentials, "token");
  assertSameAccount(account, profile);
  const scopes =
    account.platform === "x" ? X_SCOPES.join(" ") : (tokenFormOf(account.platform)?.scopes ?? "");
  return storeConnection(ctx, props.actor, account, credentials, profile, scopes);
}

/**
 * Starts connecting an account through its platform's OAuth (oauth-flows.ts): the consent page's
 * URL with a `state` carrying the PKCE verifier sealed for this platform, account and person
 * (oauth-state.ts).
 */
export async function beginOAuthConnect(
  ctx: AppContext,
  props: { actor: Actor; accountId: number; redirectUri: string },
): Promise<{ url: string }> {
  const account = await managedAccount(ctx, props.actor, props.accountId, "publishing.connect");
  const flow = oauthFlowFor(ctx.config, account.platform);
  if (!flow)
    throw conflict(
      unavailable(ctx, account.platform) ||
        `${platformLabel(account.platform)}は、この環境ではトークンの貼り付けで接続します。`,
    );
  const binding = { platform: account.platform, accountId: account.id, staffId: actorId(props.actor) };
  const { state, challenge } = await sealOAuthState(ctx, binding);
  return {
    url: await flow.authorizeUrl(ctx, props.actor, account, {
      redirectUri: props.redirectUri,
      state,
      challenge,
    }),
  };
}

export const oauthCallbackInput = z.object({
  code: z
    .string({ error: "プラットフォームから認可コードが返されませんでした。もう一度接続してください。" })
    .min(1)
    .max(2000),
  state: z
    .string({ error: "プラットフォームからの応答が正しくありません。もう一度接続してください。" })
    .min(1)
    .max(4000),
});

/**
 * Finishes connecting through OAuth: checks the `state` (this platform, account and person, not
 * expired), exchanges the code (with the verifier) for tokens, asks the platform whose they are,
 * and keeps them sealed.
 * @param props.input `{ code, state }` from the platform's redirect
 */
export async function finishOAuthConnect(
  ctx: AppContext,
  props: { actor: Actor; accountId: number; input: unknown; redirectUri: string },
): Promise<ConnectionView> {
  const account = await managedAccount(ctx, props.actor, props.accountId, "publishing.connect");
  const label = platformLabel(account.platform);
  const flow = oauthFlowFor(ctx.config, account.platform);
  if (!flow) throw conflict(unavailable(ctx, account.platform) || `${label}はOAuthでは接続できません。`);
  const { code, state } = parse(oauthCallbackInput, props.input);
  const binding = { platform: account.platform, accountId: account.id, staffId: actorId(props.actor) };
  const verifier = await openOAuthState(ctx, binding, state);
  if (verifier === "") {
    const stale = `${label}への接続の手続きが無効か、時間切れです。もう一度「${label}の画面で許可する」からやり直してください。`;
    throw validation(stale, [{ field: "state", message: stale }]);
  }
  let credentials: Credentials;
  try {
    credentials = await flow.exchange(ctx, props.actor, account, {
      code,
      verifier,
      redirectUri: props.redirectUri,
    });
  } catch (error) {
    if (!(error instanceof PlatformError)) throw error;
    throw validation(`${label}との接続を完了できませんでした。${error.message}`, [
      { field: "code", message: error.message },
    ]);
  }
  const profile = await readProfileOrRefuse(ctx, account.platform, credentials, "code");
  assertSameAccount(account, profile);
  return storeConnection(ctx, props.actor, account, credentials, profile, flow.scopes);
}

/** The X names of the OAuth connection, kept for their callers. */
export const beginXConnect = beginOAuthConnect;
export const finishXConnect = finishOAuthConnect;

export const revokeInput = z.object({ reason: text("取り消す理由", 500) });

/** What the platform said to the revocation of the token on its side. */
export type PlatformRevocation = {
  outcome: "revoked" | "unsupported" | "failed";
  /** In Japanese, for the person who revoked (and the audit entry). */
  note: string;
};

/** Asks the platform to revoke the token (before it is wiped here); never throws. */
async function revokeOnPlatform(ctx: AppContext, connection: ConnectionRow): Promise<PlatformRevocation> {
  const label = platformLabel(connection.platform);
  const connector = connectorFor(ctx.config, connection.platform);
  if (!connector?.revoke || connection.tokenCiphertext === "")
    return {
      outcome: "unsupported",
      note: `${label}の側でトークンを無効にする手段がこの接続にはありません。${label}の管理画面で、snsgovに発行したトークンを無効にしてください。`,
    };
  try {
    await connector.revoke(await openCredentials(ctx.config, connection));
    return { outcome: "revoked", note: `${label}の側でもトークンを無効にしました。` };
  } catch (error) {
    if (!(error instanceof PlatformError)) throw error;
    if (error.kind === "auth")
      return { outcome: "revoked", note: `トークンは${label}の側で既に無効になっていました。` };
    // The platform documents no way to revoke this token: the connector says where it is done.
    if (error.kind === "unsupported") return { outcome: "unsupported", note: error.message };
    const answer = [
      error.details.status ? `HTTP ${error.details.status}` : "応答なし",
      error.details.platformMessage,
    ]
      .filter(Boolean)
      .join(": ");
    return {
      outcome: "failed",
      note: `${label}の側でトークンを無効にできませんでした（${answer}）。snsgovではもう使いませんが、${label}の管理画面でもトークンを無効にしてください。`,
    };
  }
}

/**
 * Revokes the live connection: the platform is asked to revoke the token first (so that a copy is
 * worthless too; its answer is kept in the audit entry), then the token is no longer used here
 * (the sealed token is overwritten) and posts waiting to go out through it are cancelled (they
 * keep the manual record). A platform that cannot be reached does not keep the city connected.
 * @param props.input `{ reason }`
 */
export async function revokeConnection(
  ctx: AppContext,
  props: { actor: Actor; accountId: number; connectionId: number; input: unknown },
): Promise<ConnectionView & { platformRevocation: PlatformRevocation }> {
  const account = await managedAccount(ctx, props.actor, props.accountId, "publishing.revoke");
  const { reason } = parse(revokeInput, props.input);
  const before = await findConnection(ctx.db, props.connectionId);
  if (!before || before.accountId !== account.id) throw notFound("接続");
  if (before.status === "revoked") throw conflict("この接続は既に取り消されています。");
  const platformRevocation = await revokeOnPlatform(ctx, before);
  return change(ctx, props.actor, "publishing.revoke", async (tx, at) => {
    const current = await findConnection(tx, props.connectionId, true);
    if (!current || current.accountId !== account.id) throw notFound("接続");
    if (current.status === "revoked") throw conflict("この接続は既に取り消されています。");
    const row = await updateConnection(
      tx,
      current.id,
      {
        status: "revoked",
        revokedBy: actorId(props.actor),
        revokedAt: at,
        revokedReason: reason,
        tokenCiphertext: "",
      },
      at,
    );
    const cancelled = await cancelOutboxOf(
      tx,
      current.id,
      at,
      "接続が取り消されたため、自動発信を取りやめました。",
    );
    return {
      result: { ...view(row), platformRevocation },
      target: { type: "account", id: account.id },
      summary: {
        connectionId: row.id,
        platform: row.platform,
        reason,
        cancelledOutbox: cancelled,
        platformRevocation: platformRevocation.outcome,
      },
    };
  });
}
