/**
 * LINE's 配信先 on the pages, without JavaScript: the edit form of a LINE post offers 「すべての
 * 友だち」 or conditions (not shown for an X post); saving conditions makes a new version with its
 * audience, which the post page and the approver's form state in plain Japanese; wrong input is a
 * 422 with the field's Japanese message and what was typed kept, never a 500; an audience on an X
 * post is refused through the API too; and the API returns and edits the audience.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { insertConnection, insertOutbox } from "../../src/db/repos/platform-publishing.ts";
import { listVersions } from "../../src/db/repos/posts.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { seedAccount } from "../support/accounts.ts";
import { apiTokens, callApi } from "../support/api.ts";
import { type TestApp, testApp } from "../support/context.ts";
import { givePassword, signIn, withoutTags } from "../support/http.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";
import { seedPost } from "../support/posts.ts";

let app: TestApp;
let org: TestOrg;
let http: ReturnType<typeof createHttpApp>;
let line: { id: number };
let x: { id: number };

before(async () => {
  app = await testApp({ start: "2026-11-24T00:00:00Z" });
  org = await seedOrg(app.ctx);
  for (const p of [org.staff.kouhouManager, org.staff.kouhouStaff]) await givePassword(app, p.id);
  http = createHttpApp(app.ctx);
  const kouhou = {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    operatorIds: [org.staff.kouhouStaff.id],
    policy: true,
  };
  line = await seedAccount(app.ctx, { ...kouhou, platform: "line", name: "いわき市LINE" });
  x = await seedAccount(app.ctx, { ...kouhou, platform: "x", name: "広報いわき（X）" });
});
after(() => app.close());

const draft = (accountId: number) =>
  seedPost(app.ctx, {
    accountId,
    authorId: org.staff.kouhouStaff.id,
    status: "draft",
    text: "【子育て支援】乳幼児健診の日程をお知らせします。",
  });

test("the edit form of a LINE post offers the audience; saved, the post page and the approver read who receives it", async () => {
  const post = await draft(line.id);
  const staff = await signIn(http, org.staff.kouhouStaff.employeeNo);
  const form = await staff.text(`/posts/${post.id}/edit`);
  assert.ok(form.includes("<legend>配信先（LINE）</legend>"));
  assert.match(form, /<input type="radio" name="audience" id="f-audience" value="all" checked/);
  assert.ok(form.includes('<label for="f-audienceAgeFrom">年齢（から）</label>'), "labelled fields");
  assert.ok(form.includes(">福島県</label>"));
  const xPost = await draft(x.id);
  assert.ok(!(await staff.text(`/posts/${xPost.id}/edit`)).includes("配信先"), "not for an X post");

  const saved = await staff.post(`/posts/${post.id}/edit`, {
    version: "1",
    expectedStatus: "draft",
    text: post.text,
    audience: "narrowcast",
    audienceAgeFrom: "age_20",
    audienceAgeTo: "age_40",
    audienceGender: "female",
    audienceAreas: ["jp_07"],
  });
  assert.equal(saved.status, 303);
  const versions = await listVersions(app.ctx.db, post.id);
  assert.equal(versions.length, 2, "a new version");
  assert.deepEqual(versions[0]?.audience, null, "the first version keeps its audience (everyone)");
  assert.equal(JSON.stringify(versions[1]?.audience).includes('"jp_07"'), true);

  const page = withoutTags(await staff.text(`/posts/${post.id}`));
  assert.ok(page.includes("配信先20〜39歳・女性・福島県の友だち"), "the post page says who receives it");
  assert.ok(
    page.includes("配信先: すべての友だち（一斉配信）"),
    "the first version's audience in the history",
  );

  const submitted = await staff.post(`/posts/${post.id}/submit`, { version: "2" });
  assert.equal(submitted.status, 303);
  const manager = await signIn(http, org.staff.kouhouManager.employeeNo);
  const approval = withoutTags(await manager.text(`/posts/${post.id}`));
  assert.ok(
    approval.includes("この投稿を受け取る人: 20〜39歳・女性・福島県の友だち。配信先も承認の対象です。"),
    "the approver sees who will receive it",
  );
});

test("wrong audience input is a 422 naming the field in Japanese, with what was typed kept", async () => {
  const post = await draft(line.id);
  const staff = await signIn(http, org.staff.kouhouStaff.employeeNo);
  const cases: [Record<string, string | string[]>, string][] = [
    [
      { audienceAgeFrom: "age_40", audienceAgeTo: "age_20" },
      "年齢（まで）は、年齢（から）の40歳より上にしてください。",
    ],
    [{ audienceAreas: ["jp_48"] }, "都道府県「jp_48」はLINEの地域の区分にありません。"],
    [{ audienceGender: "other" }, "性別は「男性」か「女性」を選んでください。"],
    [
      { audienceGroupId: "abc" },
      "オーディエンスIDは、LINE公式アカウントの管理画面に表示される数字だけで入力してください。",
    ],
    [{ audienceLimitMax: "0" }, "最大の配信人数は1以上"],
    [{}, "条件かオーディエンスIDを1つ以上指定してください"],
  ];
  for (const [fields, message] of cases) {
    const res = await staff.post(`/posts/${post.id}/edit`, {
      version: "1",
      expectedStatus: "draft",
      text: post.text,
      audience: "narrowcast",
      ...fields,
    });
    assert.equal(res.status, 422, JSON.stringify(fields));
    const html = await res.text();
    assert.ok(html.includes(message), `${message} in the page`);
    assert.match(
      html,
      /<input type="radio" name="audience" id="f-audience-narrowcast" value="narrowcast" checked/,
    );
  }
  const odd = await staff.post(`/posts/${post.id}/edit`, {
    version: "1",
    expectedStatus: "draft",
    text: post.text,
    audience: "somebody",
  });
  assert.equal(odd.status, 422);
  assert.equal((await listVersions(app.ctx.db, post.id)).length, 1, "nothing saved");
});

test("the API returns the audience and edits it; on an X post it is refused with the field named", async () => {
  const tokens = await apiTokens(app, org, ["kouhouStaff"]);
  const patch = (id: number, body: unknown) =>
    callApi(http, tokens.get("kouhouStaff"), "PATCH", `/posts/${id}`, body);
  const post = await draft(line.id);
  const ok = await patch(post.id, { version: 1, audience: { areas: ["jp_07"], limitMax: 1000 } });
  assert.equal(ok.status, 200, await ok.clone().text());
  const body = await ok.json();
  assert.deepEqual(body.item.audience.areas, ["jp_07"]);
  assert.equal(body.item.audience.limitMax, 1000);
  const xPost = await draft(x.id);
  const refused = await patch(xPost.id, { version: 1, audience: { areas: ["jp_07"] } });
  assert.equal(refused.status, 422);
  assert.match(await refused.text(), /LINE公式アカウントの投稿にだけ指定できます/);
});

test("the post page shows a narrowcast LINE did not deliver, with LINE's reason and the request id", async () => {
  const post = await draft(line.id);
  const at = app.clock.now();
  const connection = await insertConnection(app.ctx.db, {
    accountId: line.id,
    platform: "line",
    externalId: "U1",
    externalHandle: "iwakicity",
    tokenCiphertext: "sealed",
    tokenKeyId: "k",
    connectedBy: org.staff.kouhouManager.id,
    connectedAt: at,
    createdAt: at,
  });
  const row = {
    postId: post.id,
    connectionId: connection.id,
    platform: "line",
    version: 1,
    contentHash: "h",
    idempotencyKey: "k",
    dueAt: at,
    nextAttemptAt: at,
    platformRequestId: "req-123",
    platformAt: at,
  };
  await insertOutbox(app.ctx.db, {
    ...row,
    status: "failed",
    lastError:
      "LINEの絞り込み配信（福島県の友だち）が配信されませんでした。条件に合う友だちが少なすぎるため、LINEが配信しませんでした。",
    response: {
      progress: { phase: "failed", errorCode: 2, failedDescription: "the number of recipients is too small" },
    },
  });
  const staff = await signIn(http, org.staff.kouhouStaff.employeeNo);
  const page = withoutTags(await staff.text(`/posts/${post.id}`));
  assert.ok(page.includes("自動発信の状況"));
  assert.ok(
    page.includes("LINE公式アカウント: 発信できませんでした"),
    page.slice(page.indexOf("自動発信の状況"), 400),
  );
  assert.ok(
    page.includes(
      "理由LINEの絞り込み配信（福島県の友だち）が配信されませんでした。条件に合う友だちが少なすぎる",
    ),
  );
  assert.ok(page.includes("リクエストID（問い合わせ用）req-123"));
  assert.ok(page.includes("担当の職員にタスクが作成されています"));
});

test("changing the audience of an approved LINE post is a new version that needs approval again", async () => {
  const post = await seedPost(app.ctx, {
    accountId: line.id,
    authorId: org.staff.kouhouStaff.id,
    status: "approved",
    approvedBy: org.staff.kouhouManager.id,
    text: "【防災】避難所の開設をお知らせします。",
  });
  const staff = await signIn(http, org.staff.kouhouStaff.employeeNo);
  const res = await staff.post(`/posts/${post.id}/edit`, {
    version: "1",
    expectedStatus: "approved",
    text: post.text,
    audience: "narrowcast",
    audienceAreas: ["jp_07"],
  });
  assert.equal(res.status, 303);
  const page = withoutTags(await staff.text(`/posts/${post.id}`));
  assert.ok(page.includes("承認待ち"), "back to pending");
  assert.ok(page.includes("配信先福島県の友だち"));
  const same = await staff.post(`/posts/${post.id}/edit`, {
    version: "2",
    expectedStatus: "pending",
    text: post.text,
    audience: "narrowcast",
    audienceAreas: ["jp_07"],
  });
  assert.equal(same.status, 422, "the same audience again is no change");
});

test("the new-post form offers the audience when a LINE account is among those offered; the draft's LINE post carries it", async () => {
  const staff = await signIn(http, org.staff.kouhouStaff.employeeNo);
  const form = await staff.text("/posts/new");
  assert.ok(form.includes("<legend>配信先（LINEのアカウントへの投稿）</legend>"));
  const text = "【健診】乳幼児健診のお知らせです。";
  const bad = await staff.post("/posts/new", {
    accountIds: [String(line.id), String(x.id)],
    [`text_${line.id}`]: text,
    [`text_${x.id}`]: text,
    audience: "narrowcast",
    audienceAgeFrom: "age_70",
    audienceAgeTo: "age_30",
    audienceAreas: ["jp_07", "jp_13"],
  });
  assert.equal(bad.status, 422);
  const html = await bad.text();
  assert.ok(html.includes("年齢（まで）は、年齢（から）の70歳より上にしてください。"));
  assert.match(html, /id="f-audienceAreas-jp_13" value="jp_13" checked/, "the prefectures stay checked");
  const res = await staff.post("/posts/new", {
    accountIds: [String(line.id), String(x.id)],
    [`text_${line.id}`]: text,
    [`text_${x.id}`]: text,
    audience: "narrowcast",
    audienceAgeFrom: "age_30",
    audienceAreas: ["jp_07"],
  });
  assert.equal(res.status, 303);
  const first = Number(/\/posts\/(\d+)/.exec(res.headers.get("location") ?? "")?.[1]);
  const lineVersions = await listVersions(app.ctx.db, first);
  const xVersions = await listVersions(app.ctx.db, first + 1);
  assert.deepEqual(
    [JSON.stringify(lineVersions[0]?.audience).includes("jp_07"), xVersions[0]?.audience],
    [true, null],
    "only the LINE post has the audience",
  );
  const xOnly = await staff.post("/posts/new", {
    accountIds: [String(x.id)],
    [`text_${x.id}`]: text,
    audience: "narrowcast",
    audienceAreas: ["jp_07"],
  });
  assert.equal(xOnly.status, 422);
  assert.ok((await xOnly.text()).includes("LINE公式アカウントの投稿にだけ指定できます"));
});
