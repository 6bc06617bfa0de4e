/**
 * The credentials of a connection ready to use: opened, and refreshed first (with the refresh
 * token, where the platform has one: X, Bluesky) when the access token is about to expire or was
 * just refused. The new tokens are sealed and kept at once (X's refresh token is single-use,
 * Bluesky's is replaced). Used by the sender, the profile watch and the deletion through the
 * connection, so that a Bluesky token (about two hours) still works for a deletion a day later.
 */
import { type ConnectionRow, updateConnection } from "../../db/repos/platform-publishing.ts";
import type { Connector, Credentials } from "../../publishing/connector.ts";
import type { AppContext } from "../context.ts";
import { openCredentials, sealCredentials } from "./connectors.ts";

/** Opened credentials, refreshed when expiring (or when `force`: the platform refused the token). */
export async function freshCredentials(
  ctx: AppContext,
  connection: ConnectionRow,
  connector: Connector,
  force = false,
): Promise<Credentials> {
  const credentials = await openCredentials(ctx.config, connection);
  const expiring =
    credentials.expiresAt !== undefined &&
    Date.parse(credentials.expiresAt) < ctx.clock.now().getTime() + 60_000;
  if ((!expiring && !force) || !connector.refresh || !credentials.refreshToken) return credentials;
  const refreshed = await connector.refresh(credentials);
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
      ctx.clock.now(),
    ),
  );
  return refreshed;
}
