/**
 * Contract of the LINE connector against the loopback fake: the exact request it sends
 * (endpoint, Bearer token, retry key, body), the request id it keeps, a retry with an accepted
 * key taken as the earlier send (409), and each refusal as the Japanese reason the operators see.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { PlatformError } from "./connector.ts";
import { type FakeLine, startFakeLine } from "./fakes/line.ts";
import { lineConnector } from "./line.ts";

let fake: FakeLine;
const credentials = { accessToken: "line-channel-token" };
const account = { externalId: "", handle: "000test" };

before(async () => {
  fake = await startFakeLine({ token: credentials.accessToken, basicId: "@000test" });
});
after(() => fake.close());

const post = (text: string, key = crypto.randomUUID()) => ({ text, images: [], idempotencyKey: key });

test("a broadcast is one POST with the token, the retry key and the text; the request id is kept", async () => {
  const line = lineConnector(fake.url);
  fake.requests.length = 0;
  const key = "123e4567-e89b-12d3-a456-426614174000";
  const sent = await line.send(credentials, account, post("市からのお知らせです。", key));
  assert.equal(fake.requests.length, 1);
  const [request] = fake.requests;
  assert.equal(request?.method, "POST");
  assert.equal(request?.path, "/v2/bot/message/broadcast");
  assert.equal(request?.headers.authorization, "Bearer line-channel-token");
  assert.equal(request?.headers["x-line-retry-key"], key);
  assert.equal(request?.headers["content-type"], "application/json");
  assert.deepEqual(JSON.parse(request?.body ?? ""), {
    messages: [{ type: "text", text: "市からのお知らせです。" }],
  });
  assert.equal(sent.requestId, fake.messages.at(-1)?.requestId);
  assert.equal(sent.url, null, "a LINE message has no public URL");
  assert.equal(sent.duplicate, false);
});

test("a retry with a key LINE accepted already is the earlier send (409), not a second message", async () => {
  const line = lineConnector(fake.url);
  const key = crypto.randomUUID();
  const first = await line.send(credentials, account, post("一度だけ届くお知らせ", key));
  const again = await line.send(credentials, account, post("一度だけ届くお知らせ", key));
  assert.equal(again.duplicate, true);
  assert.equal(again.requestId, first.requestId);
  assert.equal(fake.messages.filter((m) => m.retryKey === key).length, 1);
});

test("refusals come back as reasons in Japanese, with what to do", async () => {
  const line = lineConnector(fake.url);
  fake.fail({ status: 401, body: { message: "Authentication failed." } });
  await assert.rejects(line.send(credentials, account, post("a")), (e: unknown) => {
    assert.ok(e instanceof PlatformError);
    assert.equal(e.kind, "auth");
    assert.match(e.message, /アカウント管理者が接続し直してください/);
    assert.match(e.message, /Authentication failed/);
    return true;
  });
  fake.fail({ status: 403, body: { message: "Access to this API is not available for your account" } });
  await assert.rejects(line.send(credentials, account, post("b")), { kind: "scope" });
  fake.fail({ status: 429, headers: { "Retry-After": "30" }, body: { message: "Too Many Requests" } });
  await assert.rejects(line.send(credentials, account, post("c")), (e: unknown) => {
    assert.ok(e instanceof PlatformError);
    assert.equal(e.kind, "rate");
    assert.equal(e.details.retryAfterMs, 30_000);
    assert.match(e.message, /30秒後に自動で再送します/);
    return true;
  });
  fake.fail({ status: 500, body: { message: "Internal Server Error" } });
  await assert.rejects(line.send(credentials, account, post("d")), { kind: "transient" });
  fake.fail({ status: 400, body: { message: "The request body has 1 error(s)" } });
  await assert.rejects(line.send(credentials, account, post("e")), { kind: "invalid" });
});

test("no answer in time is a transient failure (the retry key makes the resend safe)", async () => {
  const { callApi } = await import("./http.ts");
  fake.fail({ hang: true });
  await assert.rejects(
    callApi("LINE", { method: "GET", url: `${fake.url}/v2/bot/info`, timeoutMs: 200 }),
    (e: unknown) =>
      e instanceof PlatformError && e.kind === "transient" && /時間内に応答がありません/.test(e.message),
  );
});

test("an image is refused before anything is sent; a revoked token is a reconnection", async () => {
  const line = lineConnector(fake.url);
  const before = fake.requests.length;
  await assert.rejects(
    line.send(credentials, account, {
      text: "画像つき",
      images: [{ bytes: new Uint8Array([1]), contentType: "image/png", filename: "a.png", alt: "写真" }],
      idempotencyKey: crypto.randomUUID(),
    }),
    { kind: "invalid" },
  );
  assert.equal(fake.requests.length, before);
  const profile = await line.readProfile(credentials);
  assert.deepEqual(
    { name: profile.name, handle: profile.handle },
    { name: "テスト用LINE公式アカウント", handle: "000test" },
  );
  assert.equal(fake.requests.at(-1)?.path, "/v2/bot/info");
  await assert.rejects(line.readProfile({ accessToken: "revoked" }), { kind: "auth" });
  const deleted = await line.delete(credentials, account, null);
  assert.equal(deleted.deleted, false);
  assert.match(deleted.note, /取り消すことができません/);
});
