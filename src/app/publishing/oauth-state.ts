/**
 * The `state` of an OAuth consent (issue 15), shared by every platform connected through OAuth
 * (X, Mastodon, Threads, Facebook, Instagram): it carries a PKCE verifier sealed under the token key (AES-256-GCM,
 * token-keys.ts), bound to the platform, the account and the person who started, and expiring
 * after 15 minutes, so nothing waits in the database between the start and the platform's
 * redirect. The account id travels in the clear in front (a callback shared by all accounts of a
 * platform learns from it which account is being connected); changing it makes the seal fail.
 * Platforms without PKCE (Threads, Facebook Login) still get a verifier: the sealed state is their CSRF check.
 */
import { pkcePair } from "../../publishing/oauth.ts";
import type { AppContext } from "../context.ts";
import { loadTokenKeys, openToken, sealToken } from "./token-keys.ts";

/** How long the consent may take before the `state` is no longer accepted. */
export const OAUTH_STATE_TTL_MS = 15 * 60_000;

type Binding = { platform: string; accountId: number; staffId: number | null };

const stateContext = (b: Binding) => `oauth-state:${b.platform}:${b.accountId}:${b.staffId ?? 0}`;

/** A new verifier, its challenge, and the `state` carrying the verifier sealed for `binding`. */
export async function sealOAuthState(
  ctx: AppContext,
  binding: Binding,
): Promise<{ state: string; verifier: string; challenge: string }> {
  const { verifier, challenge } = pkcePair();
  const keys = await loadTokenKeys(ctx.config.tokenKeyFile);
  const expires = ctx.clock.now().getTime() + OAUTH_STATE_TTL_MS;
  const sealed = sealToken(keys, JSON.stringify({ verifier, expires }), stateContext(binding));
  return { state: `${binding.accountId}~${sealed.keyId}~${sealed.ciphertext}`, verifier, challenge };
}

/** The account id a `state` names in the clear (0 when it names none); trusted only once opened. */
export function oauthStateAccountId(state: string): number {
  const id = Number(state.split("~")[0]);
  return Number.isSafeInteger(id) && id > 0 ? id : 0;
}

/**
 * The verifier a `state` carries, when it was sealed for `binding` and has not expired; "" when
 * it is foreign (another platform, account or person), tampered with, or too old.
 */
export async function openOAuthState(ctx: AppContext, binding: Binding, state: string): Promise<string> {
  const [accountId = "", keyId = "", ciphertext = ""] = state.split("~");
  if (accountId !== String(binding.accountId)) return "";
  try {
    const keys = await loadTokenKeys(ctx.config.tokenKeyFile);
    const opened: unknown = JSON.parse(openToken(keys, { keyId, ciphertext }, stateContext(binding)));
    if (typeof opened !== "object" || opened === null || !("verifier" in opened) || !("expires" in opened))
      return "";
    if (typeof opened.verifier !== "string" || Number(opened.expires) <= ctx.clock.now().getTime()) return "";
    return opened.verifier;
  } catch {
    return "";
  }
}
