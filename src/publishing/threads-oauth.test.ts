/**
 * Contract of Threads' OAuth against the loopback fake: the consent page's URL (exact query, the
 * scopes comma-separated), the code exchanged for a short-lived token and that for a long-lived
 * one (exact requests), kept with its expiry; a wrong secret is Meta's error in Japanese.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { PlatformError } from "./connector.ts";
import { type FakeThreads, startFakeThreads } from "./fakes/threads.ts";
import { exchangeThreadsCode, THREADS_SCOPES, threadsAuthorizeUrl, threadsConnector } from "./threads.ts";

let fake: FakeThreads;
const cityApp = { id: "1234567890", secret: "threads-app-secret" };
const redirectUri = "http://localhost:3000/connection/threads/callback";

before(async () => {
  fake = await startFakeThreads({ username: "iwaki_city", token: "pasted-token", app: cityApp });
});
after(() => fake.close());

async function consent(): Promise<string> {
  const url = new URL(
    threadsAuthorizeUrl(`${fake.url}/oauth/authorize`, { appId: cityApp.id, redirectUri, state: "s1" }),
  );
  assert.deepEqual(Object.fromEntries(url.searchParams), {
    client_id: cityApp.id,
    redirect_uri: redirectUri,
    scope: "threads_basic,threads_content_publish,threads_delete",
    response_type: "code",
    state: "s1",
  });
  const page = await (await fetch(url)).text();
  assert.match(page, /テスト用の疑似サーバー/);
  const back = new URL(/href="([^"]+)"/.exec(page)?.[1]?.replaceAll("&#38;", "&") ?? "");
  assert.equal(back.searchParams.get("state"), "s1");
  return back.searchParams.get("code") ?? "";
}

test("the code becomes a short-lived token, exchanged at once for a long-lived one kept with its expiry", async () => {
  const code = await consent();
  fake.requests.length = 0;
  const before = Date.now();
  const credentials = await exchangeThreadsCode(
    { apiUrl: fake.apiUrl, appId: cityApp.id, appSecret: cityApp.secret },
    { code, redirectUri },
  );
  const [short, long] = fake.requests;
  assert.equal(short?.method, "POST");
  assert.equal(short?.path, "/oauth/access_token");
  assert.deepEqual(Object.fromEntries(new URLSearchParams(short?.body)), {
    client_id: cityApp.id,
    client_secret: cityApp.secret,
    grant_type: "authorization_code",
    redirect_uri: redirectUri,
    code,
  });
  assert.equal(long?.method, "GET");
  assert.equal(long?.path, "/access_token");
  assert.equal(long?.query.get("grant_type"), "th_exchange_token");
  assert.equal(long?.query.get("client_secret"), cityApp.secret);
  assert.ok(long?.query.get("access_token"), "the short-lived token is exchanged");
  assert.notEqual(long?.query.get("access_token"), credentials.accessToken);
  assert.ok(fake.longLivedTokens.has(credentials.accessToken), "the long-lived token is kept");
  const expires = new Date(credentials.expiresAt ?? 0).getTime();
  assert.ok(Math.abs(expires - before - 5_184_000_000) < 60_000, "60 days from now");
  const profile = await threadsConnector({ apiUrl: fake.apiUrl }).readProfile(credentials);
  assert.equal(profile.handle, "iwaki_city");
  assert.deepEqual(fake.tokens.get(credentials.accessToken), [...THREADS_SCOPES]);
});

test("a wrong app secret or a used code is refused with Meta's reason", async () => {
  const code = await consent();
  await assert.rejects(
    exchangeThreadsCode(
      { apiUrl: fake.apiUrl, appId: cityApp.id, appSecret: "wrong" },
      { code, redirectUri },
    ),
    (e: unknown) => e instanceof PlatformError && /Error validating client secret/.test(e.message),
  );
  const app = { apiUrl: fake.apiUrl, appId: cityApp.id, appSecret: cityApp.secret };
  await exchangeThreadsCode(app, { code, redirectUri });
  await assert.rejects(
    exchangeThreadsCode(app, { code, redirectUri }),
    (e: unknown) => e instanceof PlatformError && e.kind !== "transient",
  );
});
