/**
 * The platforms connected through OAuth (issue 15) and what differs between them: where the
 * consent page is, how the code becomes a token, which scopes are asked. The `state` (PKCE
 * verifier sealed, bound to the account and person, 15 minutes: oauth-state.ts) and the rest of
 * the connection (whose token, sealing, audit: connections.ts) are the same for all. A platform
 * without its flow here, or without the city's app configured, is connected with a pasted token
 * (token-forms.ts), which stays available beside OAuth: on LGWAN the staff PC's browser may not
 * reach the platform's consent page (docs/publishing.md).
 */
import type { Config } from "../../config.ts";
import type { Credentials } from "../../publishing/connector.ts";
import {
  exchangeFacebookCode,
  FACEBOOK_LOGIN_SCOPES,
  facebookDialogUrl,
  facebookPageToken,
  INSTAGRAM_LOGIN_SCOPES,
  instagramAccountFor,
  type MetaApp,
} from "../../publishing/facebook-login.ts";
import { exchangeMastodonCode, MASTODON_SCOPES, mastodonAuthorizeUrl } from "../../publishing/mastodon.ts";
import { exchangeThreadsCode, THREADS_SCOPES, threadsAuthorizeUrl } from "../../publishing/threads.ts";
import { exchangeXCode, X_SCOPES, xAuthorizeUrl } from "../../publishing/x.ts";
import type { Actor, AppContext } from "../context.ts";
import { mastodonServer } from "./connectors.ts";
import { mastodonAppFor } from "./mastodon-apps.ts";

/** The account being connected, as a flow needs it. */
export type OAuthAccount = { id: number; url: string; handle: string };

export type OAuthFlow = {
  /** The scopes asked (recorded on the connection). */
  scopes: string;
  /** The consent page's URL for this `state` (PKCE `challenge` where the platform has PKCE). */
  authorizeUrl(
    ctx: AppContext,
    actor: Actor,
    account: OAuthAccount,
    props: { redirectUri: string; state: string; challenge: string },
  ): Promise<string>;
  /** The platform's code exchanged for credentials (throws PlatformError). */
  exchange(
    ctx: AppContext,
    actor: Actor,
    account: OAuthAccount,
    props: { code: string; verifier: string; redirectUri: string },
  ): Promise<Credentials>;
};

function xFlow(config: Config): OAuthFlow | null {
  const clientId = config.platforms.xClientId;
  if (!clientId) return null;
  return {
    scopes: X_SCOPES.join(" "),
    authorizeUrl: async (_ctx, _actor, _account, props) =>
      xAuthorizeUrl(config.platforms.xAuthorizeUrl, { clientId, ...props }),
    exchange: (_ctx, _actor, _account, props) =>
      exchangeXCode(
        { apiUrl: config.platforms.xApiUrl, clientId, clientSecret: config.platforms.xClientSecret },
        props,
      ),
  };
}

/**
 * Mastodon: snsgov's app on the account's server (registered on first use, mastodon-apps.ts),
 * then the server's consent page with PKCE. Always available: no city-wide app to configure.
 */
const mastodonFlow: OAuthFlow = {
  scopes: MASTODON_SCOPES.join(" "),
  async authorizeUrl(ctx, actor, account, props) {
    const server = mastodonServer(ctx.config, account);
    const app = await mastodonAppFor(ctx, { actor, server, redirectUri: props.redirectUri });
    return mastodonAuthorizeUrl(server, { clientId: app.clientId, ...props });
  },
  async exchange(ctx, actor, account, props) {
    const server = mastodonServer(ctx.config, account);
    const app = await mastodonAppFor(ctx, { actor, server, redirectUri: props.redirectUri });
    return exchangeMastodonCode(server, app, props);
  },
};

/** Threads: the city's Meta app (SNSGOV_THREADS_APP_ID/SECRET); the code becomes a 60-day token. */
function threadsFlow(config: Config): OAuthFlow | null {
  const app = config.platforms.threadsApp;
  if (!app) return null;
  const threads = { apiUrl: config.platforms.threadsApiUrl, appId: app.id, appSecret: app.secret };
  return {
    scopes: THREADS_SCOPES.join(" "),
    authorizeUrl: async (_ctx, _actor, _account, props) =>
      threadsAuthorizeUrl(config.platforms.threadsAuthorizeUrl, {
        appId: app.id,
        redirectUri: props.redirectUri,
        state: props.state,
      }),
    exchange: (_ctx, _actor, _account, props) =>
      exchangeThreadsCode(threads, { code: props.code, redirectUri: props.redirectUri }),
  };
}

/**
 * Facebook Login with the city's Meta app (SNSGOV_META_APP_ID/SECRET): the code becomes a
 * long-lived user token, with which `pick` finds what is kept — for a Facebook page, the
 * registered page's access token; for Instagram, the token of the page linked to the registered
 * account with the Instagram user id.
 */
function facebookLoginFlow(
  config: Config,
  props: {
    apiUrl: string;
    scopes: readonly string[];
    pick: (app: MetaApp, userToken: string, handle: string) => Promise<Credentials>;
  },
): OAuthFlow | null {
  const app = config.platforms.metaApp;
  if (!app) return null;
  const meta = { apiUrl: props.apiUrl, appId: app.id, appSecret: app.secret };
  return {
    scopes: props.scopes.join(" "),
    authorizeUrl: async (_ctx, _actor, _account, p) =>
      facebookDialogUrl(config.platforms.facebookDialogUrl, {
        appId: app.id,
        redirectUri: p.redirectUri,
        state: p.state,
        scopes: props.scopes,
      }),
    async exchange(_ctx, _actor, account, p) {
      const userToken = await exchangeFacebookCode(meta, { code: p.code, redirectUri: p.redirectUri });
      return props.pick(meta, userToken, account.handle);
    },
  };
}

/** The OAuth flow of a platform with this configuration, or null (then: a pasted token, if any). */
export function oauthFlowFor(config: Config, platform: string): OAuthFlow | null {
  if (platform === "x") return xFlow(config);
  if (platform === "mastodon") return mastodonFlow;
  if (platform === "threads") return threadsFlow(config);
  if (platform === "facebook")
    return facebookLoginFlow(config, {
      apiUrl: config.platforms.facebookApiUrl,
      scopes: FACEBOOK_LOGIN_SCOPES,
      pick: facebookPageToken,
    });
  if (platform === "instagram")
    return facebookLoginFlow(config, {
      apiUrl: config.platforms.instagramApiUrl,
      scopes: INSTAGRAM_LOGIN_SCOPES,
      pick: instagramAccountFor,
    });
  return null;
}
