/**
 * snsgov's app on each Mastodon server (issue 15, Mastodon OAuth): registered on first use
 * (`POST /api/v1/apps`, audited as publishing.register_app) and kept in a settings row per server
 * (`mastodon_app:<server>`), the client secret sealed under the token key. A row that no longer
 * opens (the token key was rotated since) or names another callback address (the public URL
 * changed) is replaced by a new registration: an app costs the server nothing, and the tokens
 * already issued stay valid.
 */
import { getSetting, putSetting } from "../../db/repos/auth.ts";
import { validation } from "../../errors.ts";
import { PlatformError } from "../../publishing/connector.ts";
import { type MastodonApp, registerMastodonApp } from "../../publishing/mastodon.ts";
import { change } from "../audit/record.ts";
import { type Actor, type AppContext, actorId } from "../context.ts";
import { loadTokenKeys, openToken, sealToken } from "./token-keys.ts";

const settingKey = (server: string) => `mastodon_app:${server}`;
const sealContext = (server: string) => `mastodon-app:${server}`;

async function storedApp(ctx: AppContext, server: string, redirectUri: string): Promise<MastodonApp | null> {
  const value = await getSetting(ctx.db, settingKey(server));
  if (typeof value !== "object" || value === null) return null;
  if (!("clientId" in value) || !("keyId" in value) || !("ciphertext" in value) || !("redirectUri" in value))
    return null;
  const { clientId, keyId, ciphertext } = value;
  if (typeof clientId !== "string" || typeof keyId !== "string" || typeof ciphertext !== "string")
    return null;
  if (value.redirectUri !== redirectUri) return null;
  try {
    const keys = await loadTokenKeys(ctx.config.tokenKeyFile);
    return { clientId, clientSecret: openToken(keys, { keyId, ciphertext }, sealContext(server)) };
  } catch {
    return null;
  }
}

/** snsgov's app on `server` for `redirectUri`: the stored one, else registered now. */
export async function mastodonAppFor(
  ctx: AppContext,
  props: { actor: Actor; server: string; redirectUri: string },
): Promise<MastodonApp> {
  const { server, redirectUri } = props;
  const stored = await storedApp(ctx, server, redirectUri);
  if (stored) return stored;
  let app: MastodonApp;
  try {
    app = await registerMastodonApp(server, { redirectUri, website: ctx.config.publicUrl });
  } catch (error) {
    if (!(error instanceof PlatformError)) throw error;
    const message = `Mastodonのサーバー（${server}）にsnsgovのアプリを登録できませんでした。${error.message} トークンを貼り付けて接続することもできます。`;
    throw validation(message, [{ field: "server", message }]);
  }
  const keys = await loadTokenKeys(ctx.config.tokenKeyFile);
  const sealed = sealToken(keys, app.clientSecret, sealContext(server));
  await change(ctx, props.actor, "publishing.register_app", async (tx, at) => {
    await putSetting(
      tx,
      settingKey(server),
      { clientId: app.clientId, keyId: sealed.keyId, ciphertext: sealed.ciphertext, redirectUri },
      actorId(props.actor),
      at,
    );
    return {
      result: null,
      target: { type: "mastodon_app", id: server },
      summary: { server, clientId: app.clientId, redirectUri },
    };
  });
  return app;
}
