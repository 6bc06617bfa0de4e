/**
 * Facebook Login for a Facebook Page (beside the pasted page token), with the city's Meta app
 * (developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow, /docs/facebook-login/
 * guides/access-tokens/get-long-lived, /docs/pages-api/getting-started):
 *
 * - consent: `https://www.facebook.com/v25.0/dialog/oauth?client_id&redirect_uri&state&scope&response_type=code`
 *   (no PKCE: the sealed `state` is the check).
 * - code → user token: `GET /oauth/access_token?client_id&redirect_uri&client_secret&code`.
 * - long-lived user token: `GET /oauth/access_token?grant_type=fb_exchange_token&client_id&client_secret&fb_exchange_token`.
 * - the page: `GET /me/accounts?fields=id,name,username,access_token` with the long-lived user token
 *   → the page whose username (or id) is the registered handle; its page access token, which does
 *   not expire when it comes from a long-lived user token, is what is kept. The user token is not.
 * - Instagram: `GET /me/accounts?fields=id,name,access_token,instagram_business_account{id,username}`
 *   → the page linked to the registered Instagram account; its page token and the Instagram user id
 *   (`Credentials.accountId`) are kept.
 * The app's secret and the tokens travel in the query of these GETs as Meta documents them, from the
 * server only, and are never logged.
 */
import { type Credentials, PlatformError } from "./connector.ts";
import { bearer, graphError } from "./graph.ts";
import { callApi, list, obj, str } from "./http.ts";
import { withQuery } from "./oauth.ts";

/** The permissions asked (the same as for a pasted page token). */
export const FACEBOOK_LOGIN_SCOPES = [
  "pages_manage_posts",
  "pages_read_engagement",
  "pages_show_list",
] as const;

/** The city's Meta app and the Graph base URL (version included). */
export type MetaApp = { apiUrl: string; appId: string; appSecret: string };

/** The permissions asked for an Instagram professional account (as for a pasted token). */
export const INSTAGRAM_LOGIN_SCOPES = [
  "instagram_basic",
  "instagram_content_publish",
  "pages_read_engagement",
  "pages_show_list",
] as const;

/** The consent page's URL (`scopes`: the page's by default, Instagram's for an Instagram account). */
export function facebookDialogUrl(
  dialogUrl: string,
  props: { appId: string; redirectUri: string; state: string; scopes?: readonly string[] },
): string {
  return withQuery(dialogUrl, {
    client_id: props.appId,
    redirect_uri: props.redirectUri,
    state: props.state,
    scope: (props.scopes ?? FACEBOOK_LOGIN_SCOPES).join(","),
    response_type: "code",
  });
}

async function tokenCall(app: MetaApp, query: Record<string, string>): Promise<string> {
  const url = `${app.apiUrl}/oauth/access_token?${new URLSearchParams(query)}`;
  const response = await callApi("Facebook", { method: "GET", url });
  if (response.status !== 200) throw graphError("Facebook", response);
  const token = str(response.body, "access_token");
  if (token === "")
    throw new PlatformError(
      "invalid",
      "Facebookからアクセストークンを受け取れませんでした。もう一度接続してください。",
    );
  return token;
}

/** The code for a long-lived user token (the short-lived one is exchanged at once). */
export async function exchangeFacebookCode(
  app: MetaApp,
  props: { code: string; redirectUri: string },
): Promise<string> {
  const short = await tokenCall(app, {
    client_id: app.appId,
    redirect_uri: props.redirectUri,
    client_secret: app.appSecret,
    code: props.code,
  });
  return tokenCall(app, {
    grant_type: "fb_exchange_token",
    client_id: app.appId,
    client_secret: app.appSecret,
    fb_exchange_token: short,
  });
}

/**
 * The page access token of the page `handle` (its username or id) among the pages the user
 * manages; refused when the user does not manage it.
 */
export async function facebookPageToken(
  app: MetaApp,
  userToken: string,
  handle: string,
): Promise<Credentials> {
  const response = await callApi("Facebook", {
    method: "GET",
    url: `${app.apiUrl}/me/accounts?fields=id,name,username,access_token&limit=100`,
    headers: bearer(userToken),
  });
  if (response.status !== 200) throw graphError("Facebook", response);
  const wanted = handle.trim().replace(/^@/, "").toLowerCase();
  const page = list(response.body, "data").find(
    (p) => str(p, "username").toLowerCase() === wanted || str(p, "id") === wanted,
  );
  const accessToken = page ? str(page, "access_token") : "";
  if (accessToken === "")
    throw new PlatformError(
      "not_found",
      `許可した人が管理するFacebookページの中に、登録されているページ（${wanted}）がありませんでした。このページを管理できる人が許可してください。`,
    );
  return { accessToken };
}

/**
 * The Instagram professional account `handle` among those linked to the pages the user manages:
 * the linked page's access token with the Instagram user id; refused when none is `handle`.
 */
export async function instagramAccountFor(
  app: MetaApp,
  userToken: string,
  handle: string,
): Promise<Credentials> {
  const fields = "id,name,access_token,instagram_business_account{id,username}";
  const response = await callApi("Instagram", {
    method: "GET",
    url: `${app.apiUrl}/me/accounts?${new URLSearchParams({ fields, limit: "100" })}`,
    headers: bearer(userToken),
  });
  if (response.status !== 200) throw graphError("Instagram", response);
  const wanted = handle.trim().replace(/^@/, "").toLowerCase();
  for (const page of list(response.body, "data")) {
    const ig = obj(page, "instagram_business_account");
    if (str(ig, "username").toLowerCase() !== wanted || str(ig, "id") === "") continue;
    const accessToken = str(page, "access_token");
    if (accessToken !== "") return { accessToken, accountId: str(ig, "id") };
  }
  throw new PlatformError(
    "not_found",
    `許可した人が管理するFacebookページに、登録されているInstagramアカウント（@${wanted}）とつながっているものがありませんでした。Instagramとつながっているページを管理できる人が許可してください。`,
  );
}
