/**
 * Incident pages and API as people use them (7): an operator reports a なりすまし with a
 * screenshot, the manager receives it and presses 「公開する」, and the very next request to
 * /public/verify and /public/notices shows it (both warmed in the cache first, and unchanged by
 * the report alone); the report form opened from a post; the manager's dashboard and page; a
 * failed form shown again with its message; closing needs the review; the API per role.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { createApiToken } from "../../src/app/auth/api-tokens.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { seedAccount } from "../support/accounts.ts";
import { type TestApp, testApp } from "../support/context.ts";
import { givePassword, signIn } from "../support/http.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";
import { seedPost } from "../support/posts.ts";

let app: TestApp;
let org: TestOrg;
let http: ReturnType<typeof createHttpApp>;
let accountId: number;

const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

before(async () => {
  app = await testApp({ start: "2026-11-24T01:00:00Z" });
  org = await seedOrg(app.ctx);
  for (const p of [
    org.staff.kouhouManager,
    org.staff.kouhouStaff,
    org.staff.soumuStaff,
    org.staff.securityDirector,
  ])
    await givePassword(app, p.id);
  const account = await seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    operatorIds: [org.staff.kouhouStaff.id],
    policy: true,
    name: "いわき市広報",
    handle: "iwaki_koho",
  });
  accountId = account.id;
  http = createHttpApp(app.ctx);
});
after(() => app.close());

const incidentIdOf = (location: string | null) => Number(/^\/incidents\/(\d+)/.exec(location ?? "")?.[1]);

test("a なりすまし the manager publishes shows on /public/verify and /public/notices on the very next request", async () => {
  const fake = "https://x.com/iwaki_koho_info";
  const verifyPath = `/public/verify?url=${encodeURIComponent(fake)}`;
  // Warm the public caches with the answers from before the report.
  const beforeVerify = await (await http.request(verifyPath)).text();
  assert.match(beforeVerify, /公式アカウント一覧にありません/);
  assert.doesNotMatch(beforeVerify, /「なりすまし」アカウントとして確認しています/);
  const beforeNotices = await (await http.request("/public/notices")).text();
  assert.match(beforeNotices, /現在、確認しているなりすましアカウントはありません。/);

  const staff = await signIn(http, org.staff.kouhouStaff.employeeNo);
  const form = await staff.get("/incidents/new");
  assert.equal(form.status, 200);
  const html = await form.text();
  assert.match(html, /<h1>インシデントを報告する<\/h1>/);
  assert.match(html, /<label for="f-report-fakeUrl">なりすましアカウントのURL/);
  const res = await staff.upload(
    "/incidents",
    {
      type: "impersonation",
      title: "市の公式Xを装うアカウント",
      description: "公式アカウントとよく似たアカウントがDMで個人情報を求めています。",
      accountId: String(accountId),
      fakeUrl: fake,
      fileDescription: "DMの画面",
    },
    { name: "dm.png", field: "file", bytes: png, type: "image/png" },
  );
  assert.equal(res.status, 303);
  const id = incidentIdOf(res.headers.get("location"));
  assert.ok(id > 0);

  // 7, 7.3.1: the report alone publishes nothing — the public pages answer as before.
  const reported = await (await http.request(verifyPath)).text();
  assert.match(reported, /公式アカウント一覧にありません/);
  assert.doesNotMatch(reported, /「なりすまし」アカウントとして確認しています/);
  assert.doesNotMatch(await (await http.request("/public/notices")).text(), /iwaki_koho_info/);
  const page = await (await staff.get(`/incidents/${id}`)).text();
  assert.match(page, /なりすまし: 市の公式Xを装うアカウント/);
  assert.match(page, /dm\.png/);
  assert.match(page, /公開前（確認待ち）/);

  // The manager sees it first on the dashboard, with the report to receive, and publishes it.
  const manager = await signIn(http, org.staff.kouhouManager.employeeNo);
  const dashboard = await (await manager.get("/")).text();
  assert.ok(dashboard.indexOf("対応中のインシデント") < dashboard.indexOf("あなたのタスク"));
  assert.match(dashboard, /インシデントの報告を受けてください: なりすまし「市の公式Xを装うアカウント」/);
  const ack = await manager.post(`/incidents/${id}/acknowledge`, {});
  assert.equal(ack.status, 303);
  const managerPage = await (await manager.get(`/incidents/${id}`)).text();
  const impersonationId = Number(/\/impersonations\/(\d+)\/publish/.exec(managerPage)?.[1]);
  assert.equal(
    (await manager.post(`/incidents/${id}/impersonations/${impersonationId}/publish`, {})).status,
    303,
  );

  const verify = await (await http.request(verifyPath)).text();
  assert.match(verify, /公式アカウントではありません/);
  assert.match(verify, /「なりすまし」アカウントとして確認しています/);
  assert.match(verify, /href="\/public\/notices#impersonation-\d+"/);
  const notices = await (await http.request("/public/notices")).text();
  assert.match(notices, /id="impersonation-\d+"/);
  assert.match(
    notices,
    /X（旧Twitter）でいわき市の公式アカウント「いわき市広報」を装うアカウントにご注意ください/,
  );
  assert.match(notices, /@iwaki_koho_info/);
  assert.doesNotMatch(notices, /href="https:\/\/x\.com\/iwaki_koho_info"/, "the fake account is not linked");
  assert.match(await (await staff.get(`/incidents/${id}`)).text(), /掲載中/);

  // Takedown recorded on the page; ending the warning leaves verify answering なりすまし.
  assert.equal(
    (
      await manager.post(`/incidents/${id}/impersonations/${impersonationId}/takedown`, {
        reference: "X-123",
      })
    ).status,
    303,
  );
  assert.match(await (await manager.get(`/incidents/${id}`)).text(), /受付番号: X-123/);
  assert.equal(
    (await manager.post(`/incidents/${id}/impersonations/${impersonationId}/withdraw`, {})).status,
    303,
  );
  assert.doesNotMatch(await (await http.request("/public/notices")).text(), /iwaki_koho_info/);
  assert.match(await (await http.request(verifyPath)).text(), /「なりすまし」アカウントとして確認しています/);

  // Closing without the review shows the form again with the message; with it, 終結.
  const refused = await manager.post(`/incidents/${id}/close`, { whatHappened: "", whatToChange: "" });
  assert.equal(refused.status, 422);
  const refusedHtml = await refused.text();
  assert.match(refusedHtml, /href="#f-close-whatHappened"/);
  assert.match(refusedHtml, /振り返りの「何が起きたか」と「今後どう改めるか」を入力してください/);
  const closed = await manager.post(`/incidents/${id}/close`, {
    whatHappened: "なりすましアカウントがDMで個人情報を求めた",
    whatToChange: "公式アカウントのプロフィールに認証の案内を載せる",
  });
  assert.equal(closed.status, 303);
  const final = await (await manager.get(`/incidents/${id}`)).text();
  assert.match(final, /<h2 id="review-title">振り返り<\/h2>/);
  assert.match(final, /badge-muted">終結/);
});

test("the report form opened from a post; another division's staff cannot see the incident", async () => {
  const post = await seedPost(app.ctx, {
    accountId,
    authorId: org.staff.kouhouStaff.id,
    text: "市民まつりの写真です。",
  });
  const staff = await signIn(http, org.staff.kouhouStaff.employeeNo);
  const form = await (await staff.get(`/incidents/new?postId=${post.id}`)).text();
  assert.match(form, /報告する投稿/);
  assert.match(form, /市民まつりの写真です。/);
  assert.match(form, /value="complaint" checked/);
  assert.match(form, /アカウント管理者の広報 課長さん（広報広聴課）に直ちに通知されます/);
  const missing = await staff.upload(
    "/incidents",
    { postId: String(post.id), type: "complaint", title: "", description: "" },
    { name: "", field: "file", bytes: new Uint8Array(), type: "application/octet-stream" },
  );
  assert.equal(missing.status, 422);
  const missingHtml = await missing.text();
  assert.match(missingHtml, /件名を入力してください。/);
  assert.match(missingHtml, /市民まつりの写真です。/, "still about the post");
  const res = await staff.upload(
    "/incidents",
    {
      postId: String(post.id),
      type: "complaint",
      title: "写真への苦情",
      description: "掲載に同意していないとの連絡",
    },
    { name: "", field: "file", bytes: new Uint8Array(), type: "application/octet-stream" },
  );
  assert.equal(res.status, 303);
  const id = incidentIdOf(res.headers.get("location"));

  const other = await signIn(http, org.staff.soumuStaff.employeeNo);
  assert.equal((await other.get(`/incidents/${id}`)).status, 404);
  assert.doesNotMatch(await (await other.get("/incidents?status=all")).text(), /写真への苦情/);
  const director = await signIn(http, org.staff.securityDirector.employeeNo);
  assert.equal((await director.get(`/incidents/${id}`)).status, 200);
  assert.match(await (await director.get("/incidents")).text(), /写真への苦情/);
});

test("the API per role: report, read, act, close; files in base64", async () => {
  const token = async (actor: (typeof org.actors)["kouhouManager"]) =>
    (await createApiToken(app.ctx, { actor, input: { name: "incidents" } })).token;
  const [staffToken, managerToken, otherToken, directorToken, auditorToken] = await Promise.all([
    token(org.actors.kouhouStaff),
    token(org.actors.kouhouManager),
    token(org.actors.soumuStaff),
    token(org.actors.securityDirector),
    token(org.actors.auditor),
  ]);
  const api = (bearer: string, path: string, body?: unknown) =>
    http.request(`/api/v1${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const detail = z.object({
    item: z.object({ id: z.number(), status: z.string(), type: z.string() }),
    steps: z.array(z.object({ id: z.number(), key: z.string(), doneAt: z.string().nullable() })),
    can: z.object({ respond: z.boolean(), close: z.boolean() }),
  });

  const created = await api(staffToken, "/incidents", {
    type: "flaming",
    title: "APIからの報告",
    description: "返信が殺到しています。",
    accountId,
  });
  assert.equal(created.status, 201);
  const d = detail.parse(await created.json());
  assert.equal(d.item.type, "flaming");
  assert.equal(d.can.respond, false, "the reporter does not respond");
  const id = d.item.id;

  assert.equal((await api(managerToken, `/incidents/${id}`)).status, 200);
  assert.equal((await api(directorToken, `/incidents/${id}`)).status, 200);
  assert.equal((await api(auditorToken, `/incidents/${id}`)).status, 200);
  assert.equal((await api(otherToken, `/incidents/${id}`)).status, 404);
  const list = z
    .object({ items: z.array(z.object({ id: z.number() })) })
    .parse(await (await api(otherToken, "/incidents?status=all")).json());
  assert.ok(!list.items.some((i) => i.id === id));

  const step = d.steps.find((s) => s.key === "stay_calm");
  assert.ok(step);
  assert.equal(
    (await api(auditorToken, `/incidents/${id}/steps/${step.id}/complete`, { note: "x" })).status,
    403,
  );
  assert.equal(
    (await api(otherToken, `/incidents/${id}/steps/${step.id}/complete`, { note: "x" })).status,
    404,
  );
  const done = await api(managerToken, `/incidents/${id}/steps/${step.id}/complete`, {
    note: "課内で共有しました",
  });
  assert.equal(done.status, 200);
  assert.ok(detail.parse(await done.json()).steps.find((s) => s.key === "stay_calm")?.doneAt);

  const attached = await api(staffToken, `/incidents/${id}/attachments`, {
    filename: "返信の画面.png",
    contentBase64: Buffer.from(png).toString("base64"),
  });
  assert.equal(attached.status, 201);
  const { id: fileId } = z.object({ id: z.number() }).parse(await attached.json());
  const file = await api(directorToken, `/incidents/${id}/attachments/${fileId}`);
  assert.equal(file.status, 200);
  assert.equal(file.headers.get("content-type"), "image/png");
  assert.deepEqual([...new Uint8Array(await file.arrayBuffer())], [...png]);
  const html = await api(staffToken, `/incidents/${id}/attachments`, {
    filename: "a.png",
    contentBase64: Buffer.from("<html>").toString("base64"),
  });
  assert.equal(html.status, 422);

  const draft = await api(staffToken, `/incidents/${id}/drafts`, { kind: "holding" });
  assert.equal(draft.status, 201);
  const noReview = await api(managerToken, `/incidents/${id}/close`, {});
  assert.equal(noReview.status, 422);
  assert.equal(
    (await api(staffToken, `/incidents/${id}/close`, { whatHappened: "a", whatToChange: "b" })).status,
    403,
  );
  const closed = await api(directorToken, `/incidents/${id}/close`, { whatHappened: "a", whatToChange: "b" });
  assert.equal(closed.status, 200);
  assert.equal(detail.parse(await closed.json()).item.status, "closed");

  const doc = await (await http.request("/api/v1/openapi.json")).text();
  assert.match(doc, /"\/incidents\/\{id\}\/impersonations\/\{impersonationId\}\/takedown"/);
});
