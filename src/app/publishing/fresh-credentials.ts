/**
 * The credentials of a connection ready to use: opened, and refreshed first (with the refresh
 * token, where the platform has one: X, Bluesky; Threads refreshes its long-lived token itself,
 * seven days ahead) when the access token is about to expire or was just refused. The new tokens are sealed and kept at once (X's refresh token is single-use,
 * Bluesky's is replaced). Used by the sender, the profile watch and the deletion through the
 * connection, so that a Bluesky token (about two hours) still works for a deletion a day later.
 */
import { type ConnectionRow, updateConnection } from "../../db/repos/platform-publishing.ts";
import { type Connector, type Credentials, PlatformError } from "../../publishing/connector.ts";
import type { AppContext } from "../context.ts";
import { openCredentials, sealCredentials } from "./connectors.ts";

const MINUTE_MS = 60_000;

/** Opened credentials, refreshed when expiring (or when `force`: the platform refused the token). */
export async function freshCredentials(
  ctx: AppContext,
  connection: ConnectionRow,
  connector: Connector,
  force = false,
): Promise<Credentials> {
  const credentials = await openCredentials(ctx.config, connection);
  const now = ctx.clock.now();
  const expiresAt = credentials.expiresAt === undefined ? undefined : Date.parse(credentials.expiresAt);
  const expiring =
    expiresAt !== undefined && expiresAt < now.getTime() + (connector.refreshAheadMs ?? MINUTE_MS);
  const refreshable =
    connector.refresh !== undefined &&
    (credentials.refreshToken !== undefined || connector.refreshesAccessToken);
  if ((!expiring && !force) || !refreshable || !connector.refresh) return credentials;
  let refreshed: Credentials;
  try {
    refreshed = await connector.refresh(credentials, now);
  } catch (error) {
    // Refreshed days ahead (Threads): the token still works; the next use tries again.
    const stillValid = expiresAt !== undefined && expiresAt > now.getTime() + MINUTE_MS;
    if (!force && stillValid && error instanceof PlatformError) return credentials;
    throw error;
  }
  const sealed = await sealCredentials(ctx.config, connection.accountId, connection.platform, refreshed);
  await ctx.db.transaction((tx) =>
    updateConnection(
      tx,
      connection.id,
      {
        tokenCiphertext: sealed.ciphertext,
        tokenKeyId: sealed.keyId,
        tokenExpiresAt: refreshed.expiresAt ? new Date(refreshed.expiresAt) : null,
      },
      now,
    ),
  );
  return refreshed;
}
