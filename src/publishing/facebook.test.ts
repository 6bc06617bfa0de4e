/**
 * Contract of the Facebook Pages connector against the loopback fake: the exact requests it sends
 * (pinned Graph version, Bearer page token, feed JSON, multipart photo upload with caption,
 * unpublished photos attached to one feed post, alt text on each photo), the post's URL, finding
 * a post after a crash, deleting, the page's profile, and Graph's error codes as Japanese reasons.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { PlatformError } from "./connector.ts";
import { facebookConnector, facebookPostUrl } from "./facebook.ts";
import { type FakeFacebook, startFakeFacebook } from "./fakes/facebook.ts";
import { graphFault, graphFaults } from "./fakes/graph.ts";

let fake: FakeFacebook;
const credentials = { accessToken: "page-token" };
let account: { externalId: string; handle: string };

before(async () => {
  fake = await startFakeFacebook({ token: "page-token", username: "iwakicity" });
  account = { externalId: fake.page.id, handle: "iwakicity" };
});
after(() => fake.close());

const image = (name: string, alt: string) => ({
  bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]),
  contentType: "image/jpeg",
  filename: name,
  alt,
});
const post = (text: string, images: ReturnType<typeof image>[] = []) => ({
  text,
  images,
  idempotencyKey: crypto.randomUUID(),
});

test("a text post is one POST /v25.0/{page-id}/feed with the page token and the message", async () => {
  const fb = facebookConnector(fake.apiUrl);
  fake.requests.length = 0;
  const sent = await fb.send(credentials, account, post("市からのお知らせです。"));
  assert.equal(fake.requests.length, 1);
  const [request] = fake.requests;
  assert.equal(request?.method, "POST");
  assert.equal(request?.path, `/v25.0/${fake.page.id}/feed`);
  assert.equal(request?.headers.authorization, "Bearer page-token");
  assert.equal(request?.query.get("access_token"), null, "the token is never in the URL");
  assert.deepEqual(JSON.parse(request?.body ?? ""), { message: "市からのお知らせです。" });
  const [, storyId] = (sent.platformPostId ?? "").split("_");
  assert.equal(sent.url, `https://www.facebook.com/iwakicity/posts/${storyId}`);
  assert.equal(fake.posts.at(-1)?.message, "市からのお知らせです。");
});

test("one image: a multipart upload with the caption, then its alt text on the photo", async () => {
  const fb = facebookConnector(fake.apiUrl);
  fake.requests.length = 0;
  const sent = await fb.send(
    credentials,
    account,
    post("写真つきのお知らせ", [image("a.jpg", "市役所の外観")]),
  );
  const [upload, alt] = fake.requests;
  assert.equal(upload?.path, `/v25.0/${fake.page.id}/photos`);
  assert.match(upload?.headers["content-type"] ?? "", /^multipart\/form-data; boundary=/);
  assert.match(upload?.body ?? "", /name="caption"\r\n\r\n写真つきのお知らせ/);
  assert.match(upload?.body ?? "", /name="published"\r\n\r\ntrue/);
  assert.match(upload?.body ?? "", /name="source"; filename="a.jpg"\r\nContent-Type: image\/jpeg/);
  const photo = [...fake.photos.values()].at(-1);
  assert.equal(photo?.bytes, 7);
  assert.equal(alt?.path, `/v25.0/${photo?.id}`);
  assert.deepEqual(JSON.parse(alt?.body ?? ""), { alt_text_custom: "市役所の外観" });
  assert.equal(photo?.alt, "市役所の外観");
  assert.equal(sent.platformPostId, fake.posts.at(-1)?.id);
});

test("several images: unpublished photos, alt texts, then one feed post with attached_media", async () => {
  const fb = facebookConnector(fake.apiUrl);
  fake.requests.length = 0;
  await fb.send(
    credentials,
    account,
    post("3枚の写真", [image("1.jpg", "一"), image("2.jpg", "二"), image("3.jpg", "三")]),
  );
  const paths = fake.requests.map((r) => `${r.method} ${r.path.replace(/\d{10,}/g, "#")}`);
  assert.deepEqual(paths, [
    "POST /v25.0/#/photos",
    "POST /v25.0/#/photos",
    "POST /v25.0/#/photos",
    "POST /v25.0/#",
    "POST /v25.0/#",
    "POST /v25.0/#",
    "POST /v25.0/#/feed",
  ]);
  for (const r of fake.requests.slice(0, 3)) assert.match(r.body, /name="published"\r\n\r\nfalse/);
  const feed = JSON.parse(fake.requests.at(-1)?.body ?? "");
  const last = fake.posts.at(-1);
  assert.equal(feed.message, "3枚の写真");
  assert.deepEqual(
    feed.attached_media,
    last?.photoIds.map((id) => ({ media_fbid: id })),
  );
  assert.deepEqual(
    last?.photoIds.map((id) => fake.photos.get(id)?.alt),
    ["一", "二", "三"],
  );
});

test("after a crash the post is found in the page's feed since the first attempt, not sent again", async () => {
  const fb = facebookConnector(fake.apiUrl);
  const since = new Date();
  const first = await fb.send(credentials, account, post("一度だけのお知らせ https://www.city.iwaki.lg.jp/"));
  fake.requests.length = 0;
  const found = await fb.findSent?.(credentials, account, {
    text: "一度だけのお知らせ https://www.city.iwaki.lg.jp/",
    since,
  });
  assert.equal(found?.platformPostId, first.platformPostId);
  assert.equal(found?.duplicate, true);
  const [request] = fake.requests;
  assert.equal(request?.path, `/v25.0/${fake.page.id}/feed`);
  assert.equal(request?.query.get("since"), String(Math.floor(since.getTime() / 1000) - 60));
  assert.equal(request?.query.get("fields"), "id,message,created_time");
  assert.equal(await fb.findSent?.(credentials, account, { text: "まだ出ていない投稿", since }), null);
});

test("delete: DELETE /{post-id}; a post already gone is reported as deleted", async () => {
  const fb = facebookConnector(fake.apiUrl);
  const sent = await fb.send(credentials, account, post("削除する投稿"));
  const deleted = await fb.delete(credentials, account, sent.platformPostId);
  assert.equal(deleted.deleted, true);
  assert.match(deleted.note, /Facebookで投稿を削除しました/);
  assert.equal(fake.requests.at(-1)?.method, "DELETE");
  assert.equal(fake.requests.at(-1)?.path, `/v25.0/${sent.platformPostId}`);
  const again = await fb.delete(credentials, account, sent.platformPostId);
  assert.match(again.note, /既に削除されていました/);
});

test("the profile is the page's: GET /me with the page token", async () => {
  const fb = facebookConnector(fake.apiUrl);
  fake.page.about = "いわき市の公式ページです。";
  fake.page.website = "https://www.city.iwaki.lg.jp/";
  const profile = await fb.readProfile(credentials);
  assert.deepEqual(profile, {
    externalId: fake.page.id,
    name: "テスト用Facebookページ",
    handle: "iwakicity",
    bio: "いわき市の公式ページです。",
    link: "https://www.city.iwaki.lg.jp/",
  });
  assert.equal(fake.requests.at(-1)?.path, "/v25.0/me");
  assert.equal(fake.requests.at(-1)?.query.get("fields"), "id,name,username,about,website,link");
});

test("Graph's error codes become the sender's kinds with Japanese reasons", async () => {
  const fb = facebookConnector(fake.apiUrl);
  const fail = async (answer: { status: number; body?: unknown; headers?: Record<string, string> }) => {
    fake.fail(answer);
    try {
      await fb.send(credentials, account, post(`失敗 ${crypto.randomUUID()}`));
    } catch (error) {
      assert.ok(error instanceof PlatformError);
      return error;
    }
    assert.fail("no error");
  };
  const expired = await fail(graphFaults.expired);
  assert.equal(expired.kind, "auth");
  assert.match(expired.message, /アカウント管理者が接続し直してください.*Session has expired/);
  assert.equal((await fail(graphFaults.scope)).kind, "scope");
  const rate = await fail(graphFaults.rate);
  assert.equal(rate.kind, "rate");
  assert.equal(rate.details.retryAfterMs, 5 * 60_000);
  const usage = await fail({
    ...graphFaults.pageRate,
    headers: {
      "X-Business-Use-Case-Usage": JSON.stringify({
        [fake.page.id]: [{ type: "pages", call_count: 100, estimated_time_to_regain_access: 12 }],
      }),
    },
  });
  assert.equal(usage.details.retryAfterMs, 12 * 60_000);
  assert.match(usage.message, /720秒後に自動で再送します/);
  const withHeader = await fail({ ...graphFaults.rate, headers: { "Retry-After": "30" } });
  assert.equal(withHeader.details.retryAfterMs, 30_000);
  assert.equal((await fail(graphFaults.down)).kind, "transient");
  const refused = await fail(graphFault(400, { message: "(#100) Invalid parameter", code: 100 }));
  assert.equal(refused.kind, "invalid");
  assert.match(refused.message, /Facebookが投稿を受け付けませんでした（HTTP 400）.*Invalid parameter/);
  await assert.rejects(fb.readProfile({ accessToken: "expired" }), { kind: "auth" });
});

test("the same text twice is refused as a duplicate (code 506), in Japanese", async () => {
  const fb = facebookConnector(fake.apiUrl);
  await fb.send(credentials, account, post("重複する本文"));
  await assert.rejects(fb.send(credentials, account, post("重複する本文")), (e: unknown) => {
    assert.ok(e instanceof PlatformError);
    assert.equal(e.kind, "invalid");
    assert.match(e.message, /同じ内容の投稿が既にFacebookにある/);
    return true;
  });
});

test("no answer in time is transient; a page without a username gets the permalink.php URL", async () => {
  const fb = facebookConnector(fake.apiUrl);
  fake.fail({ hang: true });
  const { callApi } = await import("./http.ts");
  await assert.rejects(
    callApi("Facebook", { method: "GET", url: `${fake.apiUrl}/me`, timeoutMs: 200 }),
    (e: unknown) => e instanceof PlatformError && e.kind === "transient",
  );
  assert.equal(
    facebookPostUrl({ externalId: "104", handle: "104" }, "104_555"),
    "https://www.facebook.com/permalink.php?story_fbid=555&id=104",
  );
  assert.ok(fb.limits.canDelete && !fb.limits.idempotent);
});
