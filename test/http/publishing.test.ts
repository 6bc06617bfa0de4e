/**
 * The publishing pages and API as people use them: the operator records publishing on
 * /posts/:id/publish (a wrong host is refused in Japanese, with what was typed kept), another
 * division's operator cannot; the queue lists what waits, overdue first, and offers an
 * announcement post for an announced closure; an error report from another division's overseer
 * opens the correction tasks; the correction starts from the page; /incidents/new names the
 * account manager; the JSON twins do the same and are in the OpenAPI document.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { createApiToken } from "../../src/app/auth/api-tokens.ts";
import { findNotice, insertNotice, updateNotice } from "../../src/db/repos/notices.ts";
import { findPost, updatePost } from "../../src/db/repos/posts.ts";
import { listTasks } from "../../src/db/repos/tasks.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { seedAccount } from "../support/accounts.ts";
import { type TestApp, testApp } from "../support/context.ts";
import { givePassword, signIn, withoutTags } from "../support/http.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";
import { seedPost } from "../support/posts.ts";

let app: TestApp;
let org: TestOrg;
let http: ReturnType<typeof createHttpApp>;
let accountId: number;
let handle: string;

before(async () => {
  app = await testApp({ start: "2026-11-24T01:00:00Z" });
  org = await seedOrg(app.ctx);
  for (const p of [org.staff.kouhouStaff, org.staff.kouhouManager, org.staff.soumuStaff, org.staff.auditor]) {
    await givePassword(app, p.id);
  }
  const account = await seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    operatorIds: [org.staff.kouhouStaff.id],
    policy: true,
    name: "いわき市広報",
  });
  accountId = account.id;
  handle = account.handle;
  await seedAccount(app.ctx, {
    divisionId: org.divisions.soumuka.id,
    managerId: org.staff.soumuManager.id,
    operatorIds: [org.staff.soumuStaff.id],
  });
  http = createHttpApp(app.ctx);
});
after(() => app.close());

const approved = (text = "【お知らせ】12月5日（土）に市民会館で音楽会を開きます。", approvedAt?: Date) =>
  seedPost(app.ctx, {
    accountId,
    authorId: org.staff.kouhouStaff.id,
    status: "approved",
    approvedBy: org.staff.kouhouManager.id,
    text,
    ...(approvedAt ? { createdAt: approvedAt } : {}),
  });

test("the operator records publishing on the page; a wrong host is refused and what was typed is kept", async () => {
  app.clock.set("2026-11-24T01:00:00Z");
  const post = await approved(undefined, new Date("2026-11-24T00:30:00Z")); // approved at 09:30
  const b = await signIn(http, org.staff.kouhouStaff.employeeNo);
  const page = await b.get(`/posts/${post.id}/publish`);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /<h1>発信の記録: いわき市広報（X（旧Twitter））<\/h1>/);
  assert.match(html, /<label for="f-url">発信した投稿のURL<span class="required">必須<\/span><\/label>/);
  assert.match(
    html,
    /<input type="datetime-local" id="f-publishedAt" name="publishedAt" aria-describedby="f-publishedAt-hint"\/>/,
    "no default time: a default could lie before the approval",
  );
  assert.match(
    html,
    /承認（令和8年（2026年）11月24日（火）9時30分）から現在（令和8年（2026年）11月24日（火）10時00分）までの日時で入力してください（日本時間）。空欄のときは、記録する時刻（現在）を発信した日時とします。/,
  );
  assert.match(html, /このシステムはプラットフォームへの投稿を行いません/);
  assert.match(html, /この投稿についてインシデントを報告/);

  const wrong = await b.post(`/posts/${post.id}/publish`, {
    url: "https://www.instagram.com/p/abc/",
    publishedAt: "2026-11-24T09:50",
  });
  assert.equal(wrong.status, 422);
  const wrongHtml = await wrong.text();
  assert.match(wrongHtml, /入力内容を確認してください/);
  assert.match(
    wrongHtml,
    /x\.com の投稿のURLを入力してください（入力されたURLのホストは www\.instagram\.com です）/,
  );
  assert.match(wrongHtml, /value="https:\/\/www\.instagram\.com\/p\/abc\/"/, "what was typed is kept");
  assert.match(wrongHtml, /aria-invalid="true"/);

  const ok = await b.post(`/posts/${post.id}/publish`, {
    url: `https://x.com/${handle}/status/1860000000000000001`,
    publishedAt: "2026-11-24T09:50",
  });
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.get("location"), `/posts/${post.id}`);
  const saved = await findPost(app.ctx.db, post.id);
  assert.equal(saved?.status, "published");
  assert.equal(saved?.publishedAt?.toISOString(), "2026-11-24T00:50:00.000Z");

  const after = await (await b.get(`/posts/${post.id}/publish`)).text();
  assert.match(
    after,
    /発信を記録しました（令和8年（2026年）11月24日（火）9時50分）。発信済みの投稿は変更できません。/,
  );
  assert.match(after, /この投稿は発信済みとして記録されています/);
  assert.doesNotMatch(after, /name="url"/, "no form any more: it is read-only");
  assert.match(after, new RegExp(`href="https://x.com/${handle}/status/1860000000000000001"`));
  assert.match(after, /プラットフォームからの削除を記録する/);

  const removed = await b.post(`/posts/${post.id}/delete`, { reason: "", deletedAt: "2026-11-24T09:55" });
  assert.equal(removed.status, 422);
  assert.match(await removed.text(), /削除した理由を入力してください。/);
  const gone = await b.post(`/posts/${post.id}/delete`, {
    reason: "開催日の誤りのため削除しました。",
    deletedAt: "2026-11-24T09:55",
  });
  assert.equal(gone.status, 303);
  assert.equal((await findPost(app.ctx.db, post.id))?.status, "deleted");
  assert.match(await (await b.get(`/posts/${post.id}/delete`)).text(), /開催日の誤りのため削除しました。/);
});

test("another division's operator cannot record publishing for the account", async () => {
  const post = await approved();
  const b = await signIn(http, org.staff.soumuStaff.employeeNo);
  assert.equal((await b.get(`/posts/${post.id}/publish`)).status, 404);
  const res = await b.post(`/posts/${post.id}/publish`, { url: `https://x.com/${handle}/status/2` });
  assert.equal(res.status, 404);
  assert.equal((await findPost(app.ctx.db, post.id))?.status, "approved");
  // The auditor sees it, but posting is for the account's operators and manager (3).
  const auditor = await signIn(http, org.staff.auditor.employeeNo);
  const page = await (await auditor.get(`/posts/${post.id}/publish`)).text();
  assert.match(page, /発信を記録できるのは、このアカウントの運用に携わる職員とアカウント管理者です（第3）/);
  assert.equal(
    (await auditor.post(`/posts/${post.id}/publish`, { url: `https://x.com/${handle}/status/2` })).status,
    403,
  );
});

test("the queue shows approved posts by schedule time with the overdue first, and offers the announcement post", async () => {
  app.clock.set("2026-12-01T00:00:00Z");
  const soon = await approved("【お知らせ】年末年始の窓口についてのご案内です。");
  await updatePost(app.ctx.db, soon.id, { scheduledAt: new Date("2026-12-02T00:00:00Z") }, app.clock.now());
  const notice = await insertNotice(app.ctx.db, {
    accountId,
    kind: "closure",
    details: {},
    reason: "事業終了のため",
    effectiveDate: "2027-01-31",
    requestedBy: org.staff.kouhouManager.id,
    requestedAt: app.clock.now(),
  });
  await updateNotice(app.ctx.db, notice.id, {
    status: "announced",
    announcementDate: "2026-12-01",
    announcedAt: app.clock.now(),
    announcementText: "【お知らせ】このアカウントは2027年1月31日をもって運用を終了します。",
  });
  app.clock.set("2026-12-02T01:00:00Z");

  const manager = await signIn(http, org.staff.kouhouManager.employeeNo);
  assert.match(
    await (await manager.get("/posts")).text(),
    /<a href="\/posts\/queue">発信予定と記録待ちの投稿<\/a>/,
  );
  const managerView = await (await manager.get("/posts/queue")).text();
  assert.match(managerView, /<h1>発信予定と記録待ちの投稿<\/h1>/);
  assert.match(managerView, /予定時刻を過ぎています/);
  assert.match(managerView, /年末年始の窓口についてのご案内です。/);
  assert.match(
    withoutTags(managerView),
    /「いわき市広報」（X（旧Twitter））の廃止（令和9年（2027年）1月31日（日））の告知です（周知日 令和8年（2026年）12月1日（火））。/,
  );
  assert.match(managerView, /このアカウントの運用に携わる職員が、告知文から投稿の下書きを作成できます/);
  assert.doesNotMatch(managerView, /告知文から投稿の下書きを作成する</, "the manager is not an operator (3)");

  const operator = await signIn(http, org.staff.kouhouStaff.employeeNo);
  const operatorView = await (await operator.get("/posts/queue")).text();
  assert.match(operatorView, new RegExp(`action="/notices/${notice.id}/announcement-post"`));
  const made = await operator.post(`/notices/${notice.id}/announcement-post`, {});
  assert.equal(made.status, 303);
  const postId = Number(/^\/posts\/(\d+)$/.exec(made.headers.get("location") ?? "")?.[1]);
  const draft = await findPost(app.ctx.db, postId);
  assert.equal(draft?.status, "draft");
  assert.equal(draft?.accountId, accountId);
  assert.equal(draft?.text, (await findNotice(app.ctx.db, notice.id))?.announcementText);
  const again = await operator.post(`/notices/${notice.id}/announcement-post`, {});
  assert.equal(again.headers.get("location"), `/posts/${postId}`, "the same draft, not a second one");
  assert.doesNotMatch(await (await operator.get("/posts/queue")).text(), /の告知です/);

  const other = await signIn(http, org.staff.soumuStaff.employeeNo);
  assert.doesNotMatch(
    await (await other.get("/posts/queue")).text(),
    /年末年始の窓口/,
    "not another division's",
  );
});

test("an error report opens the correction tasks, and the operator starts the correction from the page", async () => {
  app.clock.set("2026-12-03T01:00:00Z");
  const post = await seedPost(app.ctx, {
    accountId,
    authorId: org.staff.kouhouStaff.id,
    text: "【お知らせ】12月5日（土）に市民会館で音楽会を開きます。",
    publishedAt: new Date("2026-12-02T03:00:00Z"),
  });
  const auditor = await signIn(http, org.staff.auditor.employeeNo);
  const form = await (await auditor.get(`/posts/${post.id}/erroneous`)).text();
  assert.match(form, /<label for="f-note">誤りの内容<span class="required">必須<\/span><\/label>/);
  assert.match(form, /24時間以内（この市の設定）の訂正が求められます/);
  const empty = await auditor.post(`/posts/${post.id}/erroneous`, { note: "" });
  assert.equal(empty.status, 422);
  const marked = await auditor.post(`/posts/${post.id}/erroneous`, { note: "音楽会は12月6日（日）です。" });
  assert.equal(marked.status, 303);
  const tasks = (await listTasks(app.ctx.db, { accountId, kinds: ["post_correction"] })).filter((t) =>
    JSON.stringify(t.cause).includes(`"postId":${post.id},`),
  );
  assert.equal(tasks.length, 2);
  const outsider = await signIn(http, org.staff.soumuStaff.employeeNo);
  assert.equal(
    (await outsider.post(`/posts/${post.id}/erroneous`, { note: "誤り" })).status,
    404,
    "someone who cannot see the post cannot mark it",
  );

  const operator = await signIn(http, org.staff.kouhouStaff.employeeNo);
  const panel = await (await operator.get(`/posts/${post.id}/publish`)).text();
  assert.match(panel, /誤りの報告（第5-3\(2\)）/);
  assert.match(panel, /音楽会は12月6日（日）です。/);
  assert.match(withoutTags(panel), /令和8年（2026年）12月4日（金）10時00分/, "due 24 hours later");
  assert.match(panel, /訂正の投稿を作成する/);
  const started = await operator.post(`/posts/${post.id}/correction`, {});
  assert.equal(started.status, 303);
  const correctionId = Number(/^\/posts\/(\d+)$/.exec(started.headers.get("location") ?? "")?.[1]);
  const correction = await findPost(app.ctx.db, correctionId);
  assert.equal(correction?.kind, "correction");
  assert.equal(correction?.correctsPostId, post.id);

  // Approved, then published: the original shows 訂正あり with a link.
  await updatePost(
    app.ctx.db,
    correctionId,
    {
      status: "approved",
      approvedAt: app.clock.now(),
      approvedBy: org.staff.kouhouManager.id,
      approvedVersion: 1,
    },
    app.clock.now(),
  );
  const published = await operator.post(`/posts/${correctionId}/publish`, {
    url: `https://x.com/${handle}/status/3`,
  });
  assert.equal(published.status, 303);
  const original = await (await auditor.get(`/posts/${post.id}/erroneous`)).text();
  assert.match(original, new RegExp(`<a href="/posts/${correctionId}" class="badge badge-warn">訂正あり`));
  assert.match(original, /訂正済み/);
});

test("a post links to the incident report, which names the account manager to tell at once (7)", async () => {
  const post = await approved();
  const b = await signIn(http, org.staff.kouhouStaff.employeeNo);
  const page = await (await b.get(`/posts/${post.id}/publish`)).text();
  assert.match(page, new RegExp(`href="/incidents/new\\?postId=${post.id}"`));
  const html = await (await b.get(`/incidents/new?postId=${post.id}`)).text();
  assert.match(html, /<h1>インシデントを報告する<\/h1>/);
  assert.match(html, /アカウント管理者の広報 課長さん（広報広聴課）に直ちに通知されます/);
  assert.match(html, new RegExp(`<input type="hidden" name="postId" value="${post.id}"/>`));
  const outsider = await signIn(http, org.staff.soumuStaff.employeeNo);
  assert.equal((await outsider.get(`/incidents/new?postId=${post.id}`)).status, 404);
});

test("the JSON twins record, report and correct with the same rules, and are documented", async () => {
  app.clock.set("2026-12-05T01:00:00Z");
  const post = await approved();
  const { token } = await createApiToken(app.ctx, {
    actor: org.actors.kouhouStaff,
    input: { name: "publishing" },
  });
  const { token: outsiderToken } = await createApiToken(app.ctx, {
    actor: org.actors.soumuStaff,
    input: { name: "publishing" },
  });
  const api = (path: string, body?: unknown, bearer = token) =>
    http.request(`/api/v1${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const errorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
  const record = z.object({
    item: z.object({
      id: z.number(),
      status: z.string(),
      publishedUrl: z.string().nullable(),
      kind: z.string(),
    }),
  });

  const queue = z
    .object({ unscheduled: z.array(z.object({ item: z.object({ id: z.number() }) })) })
    .parse(await (await api("/posts/queue")).json());
  assert.ok(queue.unscheduled.some((q) => q.item.id === post.id));

  const wrong = await api(`/posts/${post.id}/publish`, { url: "https://bsky.app/profile/x/post/1" });
  assert.equal(wrong.status, 422);
  assert.match(errorBody.parse(await wrong.json()).error.message, /x\.com の投稿のURL/);
  const outsider = await api(
    `/posts/${post.id}/publish`,
    { url: `https://x.com/${handle}/status/5` },
    outsiderToken,
  );
  assert.equal(outsider.status, 404);

  const ok = await api(`/posts/${post.id}/publish`, {
    url: `https://x.com/${handle}/status/5`,
    publishedAt: "2026-12-05T10:00:00+09:00",
  });
  assert.equal(ok.status, 200);
  assert.equal(record.parse(await ok.json()).item.status, "published");

  const mark = await api(`/posts/${post.id}/erroneous`, { note: "会場名の誤り" });
  assert.equal(mark.status, 200);
  assert.equal(z.object({ taskIds: z.array(z.number()) }).parse(await mark.json()).taskIds.length, 2);
  const correction = await api(`/posts/${post.id}/correction`, { text: "会場は市民会館小ホールです。" });
  assert.equal(correction.status, 201);
  const started = record.parse(await correction.json());
  assert.equal(started.item.kind, "correction");

  const info = z
    .object({
      corrected: z.boolean(),
      erroneous: z.object({ note: z.string(), answered: z.boolean() }).nullable(),
      corrections: z.array(z.object({ id: z.number(), status: z.string() })),
      actions: z.object({ startCorrection: z.boolean(), markErroneous: z.boolean() }),
    })
    .parse(await (await api(`/posts/${post.id}/publishing`)).json());
  assert.equal(info.corrected, false);
  assert.equal(info.erroneous?.note, "会場名の誤り");
  assert.deepEqual(info.corrections, [{ id: started.item.id, status: "draft" }]);
  assert.equal(info.actions.startCorrection, false, "a correction is already being written");

  const contact = z
    .object({ manager: z.object({ name: z.string(), email: z.string() }).nullable() })
    .parse(await (await api(`/posts/${post.id}/incident-contact`)).json());
  assert.equal(contact.manager?.name, org.staff.kouhouManager.name);

  const doc = z
    .object({ paths: z.record(z.string(), z.unknown()) })
    .parse(await (await http.request("/api/v1/openapi.json")).json());
  for (const path of [
    "/posts/queue",
    "/posts/{id}/publishing",
    "/posts/{id}/publish",
    "/posts/{id}/schedule",
    "/posts/{id}/delete",
    "/posts/{id}/erroneous",
    "/posts/{id}/correction",
    "/notices/{id}/announcement-post",
    "/posts/{id}/incident-contact",
    "/posts/{id}/publishing/correct",
  ]) {
    assert.ok(doc.paths[path], `${path} is documented`);
  }
});

test("on the page, a publication time before the approval and another account's URL are refused, saying why", async () => {
  app.clock.set("2026-12-05T03:00:00Z");
  const post = await approved(undefined, new Date("2026-12-05T01:00:37Z"));
  const b = await signIn(http, org.staff.kouhouStaff.employeeNo);
  const early = await b.post(`/posts/${post.id}/publish`, {
    url: `https://x.com/${handle}/status/1864000000000000001`,
    publishedAt: "2026-12-01T09:00",
  });
  assert.equal(early.status, 422);
  const earlyHtml = await early.text();
  assert.match(
    earlyHtml,
    /発信した日時（令和8年（2026年）12月1日（火）9時00分）が、承認（令和8年（2026年）12月5日（土）10時00分）より前です。発信した日時は、承認（令和8年（2026年）12月5日（土）10時00分）から現在（令和8年（2026年）12月5日（土）12時00分）までの日時で入力してください。/,
  );
  assert.match(earlyHtml, /value="2026-12-01T09:00"/, "what was typed is kept");
  const both = await b.post(`/posts/${post.id}/publish`, {
    url: "https://x.com/someoneelse/status/123",
    publishedAt: "2026-12-01T09:00",
  });
  assert.equal(both.status, 422);
  const bothHtml = await both.text();
  assert.match(bothHtml, new RegExp(`別のアカウント（someoneelse）の投稿です。このアカウント（${handle}）`));
  assert.match(bothHtml, /承認（令和8年（2026年）12月5日（土）10時00分）より前です/, "both problems at once");
  assert.equal((await findPost(app.ctx.db, post.id))?.status, "approved");
});

test("the manager corrects a publishing record with a reason; the post page shows 訂正履歴; the operator cannot", async () => {
  app.clock.set("2026-12-05T03:00:00Z");
  const post = await approved(undefined, new Date("2026-12-05T01:00:00Z"));
  const operator = await signIn(http, org.staff.kouhouStaff.employeeNo);
  const wrongUrl = `https://x.com/${handle}/status/1864000000000000100`;
  const rightUrl = `https://x.com/${handle}/status/1864000000000000101`;
  assert.equal((await operator.post(`/posts/${post.id}/publish`, { url: wrongUrl })).status, 303);
  const recordedAt = (await findPost(app.ctx.db, post.id))?.publishedAt?.toISOString();
  assert.equal(recordedAt, "2026-12-05T03:00:00.000Z");

  // The operator who recorded it is not offered the correction and is refused.
  assert.doesNotMatch(await operator.text(`/posts/${post.id}`), /発信の記録を訂正する/);
  assert.match(await operator.text(`/posts/${post.id}/publishing/correct`), /アカウント管理者です/);
  const refusedPost = await operator.post(`/posts/${post.id}/publishing/correct`, {
    url: rightUrl,
    reason: "誤り",
  });
  assert.equal(refusedPost.status, 403);

  app.clock.set("2026-12-06T00:30:00Z");
  const manager = await signIn(http, org.staff.kouhouManager.employeeNo);
  const page = await manager.text(`/posts/${post.id}`);
  assert.match(page, new RegExp(`href="/posts/${post.id}/publishing/correct">発信の記録を訂正する`));
  const form = await manager.text(`/posts/${post.id}/publishing/correct`);
  assert.match(form, /<h1>発信の記録の訂正: いわき市広報/);
  assert.match(form, /name="publishedAt" value="2026-12-05T12:00"/, "the record as it stands, to the minute");
  assert.match(form, new RegExp(`name="url" value="${wrongUrl}"`));

  const noReason = await manager.post(`/posts/${post.id}/publishing/correct`, {
    publishedAt: "2026-12-05T12:00",
    url: rightUrl,
    reason: "",
  });
  assert.equal(noReason.status, 422);
  assert.match(await noReason.text(), /訂正の理由を入力してください。/);

  const ok = await manager.post(`/posts/${post.id}/publishing/correct`, {
    publishedAt: "2026-12-05T12:00",
    url: rightUrl,
    reason: "別の投稿のURLを記録していたため、発信した投稿のURLに訂正します。",
  });
  assert.equal(ok.status, 303);
  const saved = await findPost(app.ctx.db, post.id);
  assert.equal(saved?.publishedUrl, rightUrl);
  assert.equal(
    saved?.publishedAt?.toISOString(),
    recordedAt,
    "the time shown to the minute is left as it was",
  );

  const after = await manager.text(`/posts/${post.id}`);
  assert.match(after, /発信の記録を訂正しました。訂正前の値と理由は「発信の記録の訂正履歴」に残ります。/);
  assert.match(after, /<h3 id="record-history-title">発信の記録の訂正履歴<\/h3>/);
  assert.match(after, new RegExp(`<del class="public-url">${wrongUrl}</del>`));
  assert.match(after, new RegExp(`<ins class="public-url">${rightUrl}</ins>`));
  assert.match(after, /別の投稿のURLを記録していたため/);
  assert.match(after, new RegExp(`href="${rightUrl}"`), "the record shows the corrected URL");

  // The API twin: the manager corrects the time; the history keeps both corrections.
  const { token } = await createApiToken(app.ctx, {
    actor: org.actors.kouhouManager,
    input: { name: "records" },
  });
  const res = await http.request(`/api/v1/posts/${post.id}/publishing/correct`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ publishedAt: "2026-12-05T11:40:00+09:00", reason: "発信した時刻の誤り" }),
  });
  assert.equal(res.status, 200);
  const body = z
    .object({
      item: z.object({ publishedAt: z.string() }),
      history: z.array(
        z.object({ seq: z.number(), publishedAtBefore: z.string().nullable(), reason: z.string() }),
      ),
    })
    .parse(await res.json());
  assert.equal(body.item.publishedAt, "2026-12-05T02:40:00.000Z");
  assert.deepEqual(
    body.history.map((h) => [h.seq, h.publishedAtBefore, h.reason]),
    [
      [1, "2026-12-05T03:00:00.000Z", "別の投稿のURLを記録していたため、発信した投稿のURLに訂正します。"],
      [2, "2026-12-05T03:00:00.000Z", "発信した時刻の誤り"],
    ],
  );
});
