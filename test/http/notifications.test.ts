/**
 * The notification pages and their API twins: the unread count in the header, the list, opening
 * one (read, then on to its page), marking read, the settings page (e-mail off is said plainly;
 * urgent kinds cannot be changed), nobody reaching another person's notifications, and a post's
 * author told of the manager's decision at once.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createApiToken } from "../../src/app/auth/api-tokens.ts";
import type { NotifyInput } from "../../src/app/notifications/notify.ts";
import { notify } from "../../src/app/notifications/notify.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { seedAccount } from "../support/accounts.ts";
import { type TestApp, testApp } from "../support/context.ts";
import { givePassword, signIn } from "../support/http.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";
import { seedPost } from "../support/posts.ts";

let app: TestApp;
let org: TestOrg;
let http: ReturnType<typeof createHttpApp>;

before(async () => {
  app = await testApp({ start: "2026-04-01T00:00:00Z" });
  org = await seedOrg(app.ctx);
  for (const p of [org.staff.kouhouManager, org.staff.kouhouStaff]) await givePassword(app, p.id);
  http = createHttpApp(app.ctx);
});
after(() => app.close());

const send = (input: NotifyInput) => app.ctx.db.transaction((tx) => notify(app.ctx, tx, input));

test("the header counts unread notifications; opening one marks it read and goes to its page", async () => {
  const me = org.staff.kouhouManager.id;
  const manager = await signIn(http, org.staff.kouhouManager.employeeNo);
  let home = await manager.text("/");
  assert.ok(home.includes('<a href="/notifications">通知</a>'), "no count when nothing is unread");

  const [first] = await send({
    recipientIds: [me],
    kind: "approval",
    title: "承認待ちの投稿があります（いわき市広報（X））",
    body: "広報 主事さんが作成した投稿が承認を待っています。",
    href: "/tasks",
  });
  await send({
    recipientIds: [me],
    kind: "incident",
    title: "なりすましが報告されました",
    href: "/incidents/1",
  });
  home = await manager.text("/");
  assert.ok(
    home.includes('<span class="badge badge-error">2</span><span class="visually-hidden">件の未読</span>'),
    "two unread in the header",
  );

  const list = await manager.text("/notifications");
  assert.ok(list.includes("<h1>通知</h1>"));
  assert.ok(list.includes("未読は2件です。"));
  assert.ok(list.includes("承認待ちの投稿があります（いわき市広報（X））"));
  assert.ok(list.includes("広報 主事さんが作成した投稿が承認を待っています。"));
  assert.ok(list.includes('<span class="badge badge-error">至急</span>'), "the incident is marked urgent");
  assert.ok(list.indexOf("なりすまし") < list.indexOf("承認待ちの投稿"), "newest first");

  const opened = await manager.post(`/notifications/${first}/open`, {});
  assert.equal(opened.status, 303);
  assert.equal(opened.headers.get("location"), "/tasks");
  assert.ok((await manager.text("/")).includes('<span class="badge badge-error">1</span>'));

  const readAll = await manager.post("/notifications/read-all", {});
  assert.equal(readAll.headers.get("location"), "/notifications");
  const after = await manager.text("/notifications");
  assert.ok(after.includes("1件の通知を既読にしました。"));
  assert.ok(after.includes("未読は0件です。"));
  assert.ok(after.includes('<a href="/notifications" aria-current="page">通知</a>'));
});

test("another person's notification cannot be opened or marked read, by page or API", async () => {
  const [theirs] = await send({
    recipientIds: [org.staff.kouhouManager.id],
    kind: "decision",
    title: "申請が承認されました",
    href: "/accounts/1",
  });
  const staffer = await signIn(http, org.staff.kouhouStaff.employeeNo);
  assert.equal((await staffer.post(`/notifications/${theirs}/open`, {})).status, 404);
  assert.equal((await staffer.post(`/notifications/${theirs}/read`, {})).status, 404);
  assert.ok(!(await staffer.text("/notifications")).includes("申請が承認されました"));
  const { token } = await createApiToken(app.ctx, {
    actor: org.actors.kouhouStaff,
    input: { name: "テスト" },
  });
  const res = await http.request(`/api/v1/notifications/${theirs}/read`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(res.status, 404);
  const body = await res.json();
  assert.deepEqual(body, { error: { code: "not_found", message: "通知が見つかりません。" } });
});

test("the settings page: e-mail is off without SMTP, urgent kinds are fixed, choices are saved", async () => {
  const manager = await signIn(http, org.staff.kouhouManager.employeeNo);
  assert.ok((await manager.text("/account")).includes('<a href="/account/notifications">通知の設定へ</a>'));
  const page = await manager.text("/account/notifications");
  assert.ok(page.includes("このシステムではメール送信が設定されていないため、現在メールは送られません。"));
  assert.ok(
    page.includes("<strong>インシデント</strong>: 常にすぐにメールで送ります（緊急のため変更できません）。"),
  );
  assert.ok(page.includes('<label for="f-approval">承認の依頼</label>'));
  assert.ok(
    page.includes('<option value="digest" selected="">毎朝8時のまとめメールで受け取る</option>'),
    "policy reviews default to the digest",
  );

  const saved = await manager.post("/account/notifications", { approval: "digest", policy_review: "none" });
  assert.equal(saved.status, 303);
  const again = await manager.text("/account/notifications");
  assert.ok(again.includes("通知の受け取り方を保存しました。"));
  const approval = again.slice(
    again.indexOf('id="f-approval"'),
    again.indexOf("</select>", again.indexOf('id="f-approval"')),
  );
  assert.ok(approval.includes('<option value="digest" selected="">'), approval);

  const wrong = await manager.post("/account/notifications", { approval: "sometimes" });
  assert.equal(wrong.status, 422);
  assert.ok((await wrong.text()).includes("受け取り方を選択してください。"));
});

test("the API: list with the unread count, preferences read and written", async () => {
  const { token } = await createApiToken(app.ctx, {
    actor: org.actors.kouhouManager,
    input: { name: "連携" },
  });
  const api = (path: string, init: RequestInit = {}) =>
    http.request(`/api/v1${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    });
  assert.equal(
    (await (await api("/notifications/read-all", { method: "POST" })).json()).marked,
    1,
    "the decision of the test before",
  );
  await send({
    recipientIds: [org.staff.kouhouManager.id],
    kind: "notice",
    title: "周知が明日から始まります",
    href: "/notices",
  });
  const list = await (await api("/notifications?unread=true")).json();
  assert.equal(list.unread, 1);
  assert.equal(list.items[0].title, "周知が明日から始まります");
  assert.equal(list.items[0].url, "http://localhost:3000/notices");
  assert.equal(list.items[0].kindLabel, "変更・廃止の周知");

  const prefs = await (await api("/notification-preferences")).json();
  assert.equal(prefs.emailEnabled, false);
  assert.equal(
    prefs.kinds.find((k: { kind: string }) => k.kind === "approval").mode,
    "digest",
    "saved from the page",
  );
  const put = await api("/notification-preferences", {
    method: "PUT",
    body: JSON.stringify({ notice: "immediate", incident: "none" }),
  });
  assert.equal(put.status, 200);
  const after = await put.json();
  assert.equal(after.kinds.find((k: { kind: string }) => k.kind === "notice").mode, "immediate");
  assert.equal(
    after.kinds.find((k: { kind: string }) => k.kind === "incident").mode,
    "immediate",
    "urgent stays",
  );
  const unknown = await api("/notification-preferences", {
    method: "PUT",
    body: JSON.stringify({ gossip: "none" }),
  });
  assert.equal(unknown.status, 422);

  const marked = await (await api("/notifications/read-all", { method: "POST" })).json();
  assert.equal(marked.marked, 1);
  const spec = await (await http.request("/api/v1/openapi.json")).json();
  assert.ok(
    spec.paths["/notifications"] && spec.paths["/notification-preferences"] && spec.paths["/calendar-feed"],
  );
});

test("the manager's return reaches the author at once, with the comment, linking to the post", async () => {
  const account = await seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    operatorIds: [org.staff.kouhouStaff.id],
    name: "いわき市広報（差戻し）",
  });
  const post = await seedPost(app.ctx, {
    accountId: account.id,
    authorId: org.staff.kouhouStaff.id,
    status: "pending",
  });
  const manager = await signIn(http, org.staff.kouhouManager.employeeNo);
  const back = await manager.post(`/posts/${post.id}/return`, {
    version: "1",
    comment: "開設日を本文にも書いてください。",
  });
  assert.equal(back.status, 303);
  const staff = await signIn(http, org.staff.kouhouStaff.employeeNo);
  assert.ok((await staff.text("/")).includes('<span class="visually-hidden">件の未読</span>'));
  const list = await staff.text("/notifications");
  assert.ok(list.includes("投稿が差し戻されました（いわき市広報（差戻し）・第1版）"));
  assert.ok(list.includes("コメント: 開設日を本文にも書いてください。"));
  const id = /action="\/notifications\/(\d+)\/open"/.exec(list)?.[1];
  const opened = await staff.post(`/notifications/${id}/open`, {});
  assert.equal(opened.headers.get("location"), `/posts/${post.id}`);
});
