/**
 * Contract of the LINE connector against the loopback fake: the exact request it sends
 * (endpoint, Bearer token, retry key, body), the request id it keeps, a retry with an accepted
 * key taken as the earlier send (409), and each refusal as the Japanese reason the operators see.
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import type { LineAudience } from "../domain/line-audience.ts";
import { type OutgoingImage, PlatformError } from "./connector.ts";
import { type FakeLine, startFakeLine } from "./fakes/line.ts";
import { lineConnector } from "./line.ts";

const emptyAudience: LineAudience = {
  ageFrom: null,
  ageTo: null,
  gender: null,
  appType: null,
  subscriptionFrom: null,
  subscriptionTo: null,
  areas: [],
  audienceGroupId: null,
  limitMax: null,
};

let fake: FakeLine;
const credentials = { accessToken: "line-channel-token" };
const account = { externalId: "", handle: "000test" };

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70, 0, 1, 1, 0]);
/** Serves the images LINE fetches (the application's signed URLs in real use). */
let images: Server;
let imageHost: string;

before(async () => {
  fake = await startFakeLine({ token: credentials.accessToken, basicId: "@000test" });
  images = createServer((req, res) => {
    if (req.url === "/a.png") res.writeHead(200, { "Content-Type": "image/png" }).end(PNG);
    else if (req.url === "/b.jpg") res.writeHead(200, { "Content-Type": "image/jpeg" }).end(JPEG);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => images.listen(0, "127.0.0.1", resolve));
  const address: AddressInfo | string | null = images.address();
  imageHost = typeof address === "object" && address ? `http://127.0.0.1:${address.port}` : "";
});
after(async () => {
  await fake.close();
  await new Promise<void>((resolve) => images.close(() => resolve()));
});

const post = (text: string, key = crypto.randomUUID()) => ({ text, images: [], idempotencyKey: key });

test("a narrowcast is one POST with the retry key, the messages and the audience; 202 is accepted, not yet sent", async () => {
  const line = lineConnector(fake.url);
  fake.requests.length = 0;
  const key = "123e4567-e89b-12d3-a456-426614174111";
  const audience: LineAudience = {
    ageFrom: "age_20",
    ageTo: "age_40",
    gender: "female",
    appType: null,
    subscriptionFrom: null,
    subscriptionTo: null,
    areas: ["jp_07"],
    audienceGroupId: "5614991017776",
    limitMax: 1000,
  };
  const sent = await line.send(credentials, account, {
    ...post("子育て世帯へのお知らせです。", key),
    audience,
  });
  assert.equal(fake.requests.length, 1);
  const [request] = fake.requests;
  assert.equal(request?.method, "POST");
  assert.equal(request?.path, "/v2/bot/message/narrowcast");
  assert.equal(request?.headers.authorization, "Bearer line-channel-token");
  assert.equal(request?.headers["x-line-retry-key"], key);
  assert.deepEqual(JSON.parse(request?.body ?? ""), {
    messages: [{ type: "text", text: "子育て世帯へのお知らせです。" }],
    recipient: { type: "audience", audienceGroupId: 5614991017776 },
    filter: {
      demographic: {
        type: "operator",
        and: [
          { type: "age", gte: "age_20", lt: "age_40" },
          { type: "gender", oneOf: ["female"] },
          { type: "area", oneOf: ["jp_07"] },
        ],
      },
    },
    limit: { max: 1000 },
  });
  assert.equal(sent.delivery, "pending", "accepted, the outcome comes later");
  assert.equal(sent.requestId, fake.messages.at(-1)?.requestId);
  const again = await line.send(credentials, account, {
    ...post("子育て世帯へのお知らせです。", key),
    audience,
  });
  assert.equal(again.duplicate, true, "the same retry key: LINE's 409 is the earlier send");
  assert.equal(again.requestId, sent.requestId);
  assert.equal(again.delivery, "pending");
  const progress = async () => {
    fake.requests.length = 0;
    const p = await line.progress?.(credentials, sent.requestId ?? "");
    assert.equal(fake.requests[0]?.path, "/v2/bot/message/progress/narrowcast");
    assert.equal(fake.requests[0]?.query.get("requestId"), sent.requestId);
    return p;
  };
  assert.equal((await progress())?.phase, "waiting");
  assert.equal((await progress())?.phase, "sending");
  const done = await progress();
  assert.equal(done?.phase, "succeeded");
  assert.equal(done?.targetCount, 1200);
  assert.equal(done?.successCount, 1197);
  assert.ok(done?.completedTime);
});

test("a narrowcast LINE cannot deliver reports failed with LINE's errorCode and description", async () => {
  const line = lineConnector(fake.url);
  fake.narrowcastFailure = { errorCode: 2, failedDescription: "the number of recipients is too small" };
  const audience = { ...emptyAudience, areas: ["jp_47"] };
  const sent = await line.send(credentials, account, { ...post("沖縄県の友だちへ。"), audience });
  let p = await line.progress?.(credentials, sent.requestId ?? "");
  while (p?.phase === "waiting") p = await line.progress?.(credentials, sent.requestId ?? "");
  assert.equal(p?.phase, "failed");
  assert.equal(p?.errorCode, 2);
  assert.equal(p?.failedDescription, "the number of recipients is too small");
});

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

test("images go as image messages after the text, by their public URL; LINE fetches each", async () => {
  const line = lineConnector(fake.url);
  fake.requests.length = 0;
  const images = [
    {
      bytes: PNG,
      contentType: "image/png",
      filename: "a.png",
      alt: "写真1",
      publicUrl: `${imageHost}/a.png`,
    },
    {
      bytes: JPEG,
      contentType: "image/jpeg",
      filename: "b.jpg",
      alt: "写真2",
      publicUrl: `${imageHost}/b.jpg`,
    },
  ];
  const key = crypto.randomUUID();
  const sent = await line.send(credentials, account, {
    text: "画像つきのお知らせ",
    images,
    idempotencyKey: key,
  });
  assert.equal(fake.requests.length, 1);
  assert.deepEqual(JSON.parse(fake.requests[0]?.body ?? ""), {
    messages: [
      { type: "text", text: "画像つきのお知らせ" },
      { type: "image", originalContentUrl: `${imageHost}/a.png`, previewImageUrl: `${imageHost}/a.png` },
      { type: "image", originalContentUrl: `${imageHost}/b.jpg`, previewImageUrl: `${imageHost}/b.jpg` },
    ],
  });
  const message = fake.messages.at(-1);
  assert.equal(message?.requestId, sent.requestId);
  assert.deepEqual(
    message?.images.map((i) => i.url),
    [`${imageHost}/a.png`, `${imageHost}/b.jpg`],
    "the fake fetched both images as LINE would",
  );
});

test("an image LINE would refuse is refused before anything is sent, with the reason in Japanese", async () => {
  const line = lineConnector(fake.url);
  const before = fake.requests.length;
  const image = { bytes: JPEG, contentType: "image/jpeg", filename: "a.jpg", alt: "写真" };
  const attempt = (images: OutgoingImage[]) =>
    line.send(credentials, account, { text: "画像つき", images, idempotencyKey: crypto.randomUUID() });
  await assert.rejects(attempt([image]), (e: unknown) => {
    assert.ok(e instanceof PlatformError);
    assert.equal(e.kind, "invalid");
    assert.match(e.message, /SNSGOV_MEDIA_PUBLIC_URL/, "says which setting is missing");
    return true;
  });
  const withUrl = { ...image, publicUrl: `${imageHost}/b.jpg` };
  await assert.rejects(
    attempt([{ ...withUrl, contentType: "image/gif", filename: "a.gif" }]),
    (e: unknown) => {
      assert.ok(e instanceof PlatformError);
      assert.match(e.message, /1枚目の画像（a\.gif）の形式（image\/gif）はLINEで送れません/);
      return true;
    },
  );
  await assert.rejects(attempt([{ ...withUrl, bytes: new Uint8Array(1_000_001) }]), (e: unknown) => {
    assert.ok(e instanceof PlatformError);
    assert.match(e.message, /上限（1MB）を超えています/);
    return true;
  });
  await assert.rejects(attempt([withUrl, withUrl, withUrl, withUrl, withUrl]), (e: unknown) => {
    assert.ok(e instanceof PlatformError);
    assert.match(e.message, /画像は4枚までです/);
    return true;
  });
  assert.equal(fake.requests.length, before, "nothing reached LINE");
});

test("an image LINE cannot fetch is LINE's refusal (400), not a message without it", async () => {
  const line = lineConnector(fake.url);
  const count = fake.messages.length;
  await assert.rejects(
    line.send(credentials, account, {
      text: "取れない画像",
      images: [
        {
          bytes: JPEG,
          contentType: "image/jpeg",
          filename: "x.jpg",
          alt: "写真",
          publicUrl: `${imageHost}/gone`,
        },
      ],
      idempotencyKey: crypto.randomUUID(),
    }),
    { kind: "invalid" },
  );
  assert.equal(fake.messages.length, count);
});

test("the profile is the bot's; a revoked token is a reconnection; a broadcast cannot be deleted", async () => {
  const line = lineConnector(fake.url);
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
