/**
 * Contract of Facebook Login for a page against the loopback fake: the consent page's URL (exact
 * query), the code for a short-lived user token and that for a long-lived one (exact requests),
 * then the registered page's access token from `/me/accounts`; a page the person does not manage
 * is refused in Japanese; for Instagram, the page linked to the registered account gives its token
 * and the Instagram user id.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { PlatformError } from "./connector.ts";
import { facebookConnector } from "./facebook.ts";
import {
  exchangeFacebookCode,
  FACEBOOK_LOGIN_SCOPES,
  facebookDialogUrl,
  facebookPageToken,
  INSTAGRAM_LOGIN_SCOPES,
  instagramAccountFor,
} from "./facebook-login.ts";
import { type FakeFacebook, startFakeFacebook } from "./fakes/facebook.ts";
import { FAKE_INSTAGRAM_USER_ID, startFakeInstagram } from "./fakes/instagram.ts";

let fake: FakeFacebook;
const cityApp = { id: "2345678901", secret: "meta-app-secret" };
const redirectUri = "http://localhost:3000/connection/facebook/callback";
const meta = () => ({ apiUrl: fake.apiUrl, appId: cityApp.id, appSecret: cityApp.secret });

before(async () => {
  fake = await startFakeFacebook({ token: "pasted-page-token", username: "iwakicity", app: cityApp });
});
after(() => fake.close());

async function consent(): Promise<string> {
  const url = new URL(
    facebookDialogUrl(`${fake.apiUrl}/dialog/oauth`, { appId: cityApp.id, redirectUri, state: "s1" }),
  );
  assert.deepEqual(Object.fromEntries(url.searchParams), {
    client_id: cityApp.id,
    redirect_uri: redirectUri,
    state: "s1",
    scope: FACEBOOK_LOGIN_SCOPES.join(","),
    response_type: "code",
  });
  const page = await (await fetch(url)).text();
  assert.match(page, /テスト用の疑似サーバー/);
  const back = new URL(/href="([^"]+)"/.exec(page)?.[1]?.replaceAll("&#38;", "&") ?? "");
  assert.equal(back.searchParams.get("state"), "s1");
  return back.searchParams.get("code") ?? "";
}

test("the code becomes a long-lived user token, and that the registered page's access token", async () => {
  const code = await consent();
  fake.requests.length = 0;
  const userToken = await exchangeFacebookCode(meta(), { code, redirectUri });
  const [short, long] = fake.requests;
  assert.equal(short?.path, "/v25.0/oauth/access_token");
  assert.deepEqual(Object.fromEntries(short?.query ?? []), {
    client_id: cityApp.id,
    redirect_uri: redirectUri,
    client_secret: cityApp.secret,
    code,
  });
  assert.equal(long?.path, "/v25.0/oauth/access_token");
  assert.equal(long?.query.get("grant_type"), "fb_exchange_token");
  assert.equal(long?.query.get("client_id"), cityApp.id);
  assert.equal(long?.query.get("client_secret"), cityApp.secret);
  assert.ok(fake.userTokens.has(userToken), "the long-lived user token");

  const credentials = await facebookPageToken(meta(), userToken, "@IwakiCity");
  const accounts = fake.requests.at(-1);
  assert.equal(accounts?.path, "/v25.0/me/accounts");
  assert.equal(accounts?.headers.authorization, `Bearer ${userToken}`, "the token in the header");
  assert.ok(fake.tokens.has(credentials.accessToken), "a page access token");
  assert.notEqual(credentials.accessToken, userToken);
  const profile = await facebookConnector(fake.apiUrl).readProfile(credentials);
  assert.equal(profile.handle, "iwakicity");

  await assert.rejects(
    facebookPageToken(meta(), userToken, "another_page"),
    (e: unknown) =>
      e instanceof PlatformError && /登録されているページ（another_page）がありませんでした/.test(e.message),
  );
});

test("Instagram: the page linked to the registered account gives its page token and the Instagram user id", async () => {
  const instagram = await startFakeInstagram({
    token: "pasted-ig-token",
    username: "iwaki_kanko",
    app: cityApp,
  });
  try {
    const igMeta = { apiUrl: instagram.apiUrl, appId: cityApp.id, appSecret: cityApp.secret };
    const url = new URL(
      facebookDialogUrl(`${instagram.apiUrl}/dialog/oauth`, {
        appId: cityApp.id,
        redirectUri,
        state: "s2",
        scopes: INSTAGRAM_LOGIN_SCOPES,
      }),
    );
    assert.equal(
      url.searchParams.get("scope"),
      "instagram_basic,instagram_content_publish,pages_read_engagement,pages_show_list",
    );
    const page = await (await fetch(url)).text();
    const code =
      new URL(/href="([^"]+)"/.exec(page)?.[1]?.replaceAll("&#38;", "&") ?? "").searchParams.get("code") ??
      "";
    const userToken = await exchangeFacebookCode(igMeta, { code, redirectUri });
    const credentials = await instagramAccountFor(igMeta, userToken, "@iwaki_kanko");
    const accounts = instagram.requests.at(-1);
    assert.equal(accounts?.path, "/v25.0/me/accounts");
    assert.equal(
      accounts?.query.get("fields"),
      "id,name,access_token,instagram_business_account{id,username}",
    );
    assert.equal(credentials.accountId, FAKE_INSTAGRAM_USER_ID);
    assert.ok(instagram.tokens.has(credentials.accessToken), "the linked page's token");
    await assert.rejects(
      instagramAccountFor(igMeta, userToken, "someone_else"),
      (e: unknown) => e instanceof PlatformError && /Instagramアカウント（@someone_else）/.test(e.message),
    );
  } finally {
    await instagram.close();
  }
});
