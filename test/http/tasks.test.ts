/**
 * The task pages after a personnel transfer: the manager finds the rotation task, overdue ones
 * are red, closing it records who changed the password and when; others cannot close it. An
 * approved post without a schedule time waits on its author's list until it is published.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { recordTransfer } from "../../src/app/staff/transfers.ts";
import { findAccount } from "../../src/db/repos/accounts.ts";
import { insertStaff } from "../../src/db/repos/staff.ts";
import { listTasks, openTask } from "../../src/db/repos/tasks.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { seedAccount } from "../support/accounts.ts";
import { type TestApp, testApp } from "../support/context.ts";
import { givePassword, signIn, withoutTags } from "../support/http.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";
import { seedPost } from "../support/posts.ts";

let app: TestApp;
let org: TestOrg;
let http: ReturnType<typeof createHttpApp>;

before(async () => {
  app = await testApp({ start: "2026-04-01T00:00:00Z" });
  org = await seedOrg(app.ctx);
  for (const p of [org.staff.kouhouManager, org.staff.kouhouStaff, org.staff.soumuManager, org.staff.auditor])
    await givePassword(app, p.id);
  http = createHttpApp(app.ctx);
});
after(() => app.close());

test("a transfer puts a rotation task on the manager's list; overdue it turns red; closing it records who and when", async () => {
  const holder = await insertStaff(app.ctx.db, {
    employeeNo: "H0001",
    name: "転出 一子",
    kana: "",
    email: "h1@city.example.lg.jp",
    departmentId: org.departments.seisaku.id,
    divisionId: org.divisions.kouhou.id,
    positionId: org.positions.shuji.id,
    active: true,
  });
  const account = await seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    name: "いわき市広報（X）",
    holderIds: [holder.id, org.staff.kouhouStaff.id],
  });
  await recordTransfer(app.ctx, {
    actor: org.actors.admin,
    input: {
      staffId: holder.id,
      effectiveDate: "2026-04-01",
      toDepartmentId: org.departments.soumu.id,
      toDivisionId: org.divisions.soumuka.id,
      toPositionId: org.positions.shuji.id,
    },
  });
  const [task] = await listTasks(app.ctx.db, { accountId: account.id, status: "open" });
  assert.ok(task);

  let manager = await signIn(http, org.staff.kouhouManager.employeeNo);
  const list = await manager.text("/tasks");
  assert.ok(list.includes("人事異動に伴うパスワード変更（転出 一子さん）"));
  assert.ok(
    withoutTags(list).includes("令和8年（2026年）4月6日（月）"),
    "due in 3 business days (the weekend is not counted)",
  );
  assert.ok(!list.includes("期限超過"));
  const dashboard = await manager.text("/");
  assert.ok(dashboard.includes(`href="/tasks/${task.id}"`), "on the dashboard's task list");

  // The day after the due date it is overdue: a red badge with words on both pages.
  app.clock.set("2026-04-07T00:00:00Z");
  manager = await signIn(http, org.staff.kouhouManager.employeeNo);
  assert.ok((await manager.text("/tasks")).includes('<span class="badge badge-error">期限超過</span>'));
  assert.ok((await manager.text("/")).includes('<span class="badge badge-error">期限超過</span>'));

  const page = await manager.text(`/tasks/${task.id}`);
  assert.ok(
    page.includes("転出 一子さんの人事異動（発令日 令和8年（2026年）4月1日（水）、広報広聴課 → 総務課）"),
  );
  assert.ok(page.includes("パスワードそのものは入力しないでください。"));

  const early = await manager.post(`/tasks/${task.id}/close`, {
    changedAt: "2026-03-31T18:00",
    changedById: String(org.staff.kouhouStaff.id),
  });
  assert.equal(early.status, 422);
  assert.ok(
    (await early.text()).includes(
      "令和8年（2026年）4月1日（水）より前の変更では、このタスクを完了できません。",
    ),
  );

  const closed = await manager.post(`/tasks/${task.id}/close`, {
    changedAt: "2026-04-02T08:30",
    changedById: String(org.staff.kouhouStaff.id),
    note: "",
  });
  assert.equal(closed.status, 303);
  const donePage = await manager.text(`/tasks/${task.id}`);
  assert.ok(donePage.includes("タスクを完了にしました。"));
  assert.ok(
    donePage.includes("パスワードを変更した日時: 令和8年（2026年）4月2日（木）8時30分（広報 主事さん）"),
  );
  const row = await findAccount(app.ctx.db, account.id);
  assert.equal(row?.passwordChangedBy, org.staff.kouhouStaff.id);
  const board = await manager.text("/tasks");
  assert.ok(board.includes("過去90日間に完了したタスク（1件）を表示"), "listed below, collapsed");
});

test("an operator, another division's manager and the auditor cannot close the manager's task", async () => {
  const account = await seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    operatorIds: [org.staff.kouhouStaff.id],
  });
  const task = await openTask(app.ctx.db, {
    kind: "manual_check",
    accountId: account.id,
    assigneeId: org.staff.kouhouManager.id,
    title: "広報紙との掲載内容の確認",
    clause: "",
    dueDate: "2026-05-01",
    openedAt: app.ctx.clock.now(),
  });
  for (const person of [org.staff.kouhouStaff, org.staff.soumuManager, org.staff.auditor]) {
    const b = await signIn(http, person.employeeNo);
    const res = await b.post(`/tasks/${task.id}/close`, { note: "勝手に完了" });
    assert.equal(res.status, 403, person.name);
    assert.ok((await res.text()).includes("権限がありません"));
  }
  const auditor = await signIn(http, org.staff.auditor.employeeNo);
  const read = await auditor.text(`/tasks/${task.id}`);
  assert.ok(read.includes("このタスクを完了にできるのは、担当者・アカウント管理者・システム管理者です。"));
  assert.ok(!read.includes(`action="/tasks/${task.id}/close"`));
  const operator = await signIn(http, org.staff.kouhouStaff.employeeNo);
  assert.equal((await operator.get(`/tasks/${task.id}`)).status, 403, "not theirs to see either");

  const manager = await signIn(http, org.staff.kouhouManager.employeeNo);
  const generic = await manager.text(`/tasks/${task.id}`);
  assert.ok(generic.includes("完了にする"));
  const ok = await manager.post(`/tasks/${task.id}/close`, { note: "課内で確認しました" });
  assert.equal(ok.status, 303);
  assert.ok((await manager.text(`/tasks/${task.id}`)).includes("メモ: 課内で確認しました"));
});

test("the confirmation form lists operators and holders with links to edit them, and refuses a partial tick", async () => {
  const account = await seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    operatorIds: [org.staff.kouhouStaff.id],
    holderIds: [org.staff.kouhouManager.id],
  });
  const task = await openTask(app.ctx.db, {
    kind: "manager_change_confirm",
    accountId: account.id,
    assigneeId: org.staff.kouhouManager.id,
    title: "アカウント管理者の交代に伴う運用に携わる職員・ID管理者の確認",
    clause: "4.1.4",
    dueDate: "2026-04-13",
    openedAt: app.ctx.clock.now(),
  });
  const manager = await signIn(http, org.staff.kouhouManager.employeeNo);
  const page = await manager.text(`/tasks/${task.id}`);
  assert.ok(page.includes(`href="/accounts/${account.id}/credentials"`));
  assert.ok(page.includes(`name="operatorIds" value="${org.staff.kouhouStaff.id}"`));
  const partial = await manager.post(`/tasks/${task.id}/close`, {
    operatorIds: String(org.staff.kouhouStaff.id),
  });
  assert.equal(partial.status, 422);
  const html = await partial.text();
  assert.ok(html.includes("ID・パスワードを扱う職員のうち、広報 課長さんが未確認です。"));
  assert.ok(html.includes(`value="${org.staff.kouhouStaff.id}" checked`), "the ticks are kept");
  const all = await manager.post(`/tasks/${task.id}/close`, {
    operatorIds: String(org.staff.kouhouStaff.id),
    holderIds: String(org.staff.kouhouManager.id),
  });
  assert.equal(all.status, 303);
});

test("an approved post without a schedule is 承認済み・未発信 on the author's task list until it is published", async () => {
  app.clock.set("2026-04-08T00:00:00Z");
  const account = await seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    operatorIds: [org.staff.kouhouStaff.id],
    name: "いわき市広報（発信待ち）",
    handle: "iwaki_waiting",
  });
  const post = await seedPost(app.ctx, {
    accountId: account.id,
    authorId: org.staff.kouhouStaff.id,
    status: "pending",
  });
  const manager = await signIn(http, org.staff.kouhouManager.employeeNo);
  assert.equal((await manager.post(`/posts/${post.id}/approve`, { version: "1", comment: "" })).status, 303);

  const staff = await signIn(http, org.staff.kouhouStaff.employeeNo);
  const home = await staff.text("/");
  assert.match(
    home,
    new RegExp(
      `<a href="/posts/${post.id}/publish">承認済み・未発信: 発信して記録してください「[^」]+」（いわき市広報（発信待ち）・令和8年（2026年）4月8日（水）9時00分承認）</a>`,
    ),
    "on the author's list, linking to the record form, with the post's first words",
  );
  assert.ok(!(await manager.text("/")).includes(`href="/posts/${post.id}/publish"`), "not the manager's");
  // The タスク page lists it too, beside the stored tasks.
  const tasks = await staff.text("/tasks");
  assert.match(tasks, /<h2 id="other-title">ほかに対応が必要なこと<\/h2>/);
  assert.ok(tasks.includes(`href="/posts/${post.id}/publish"`), "on /tasks as on the dashboard");
  const published = await staff.post(`/posts/${post.id}/publish`, {
    url: "https://x.com/iwaki_waiting/status/1777000000000000001",
  });
  assert.equal(published.status, 303);
  assert.ok(!(await staff.text("/")).includes(`href="/posts/${post.id}/publish"`), "gone once published");
  assert.ok(!(await staff.text("/tasks")).includes(`href="/posts/${post.id}/publish"`), "from /tasks too");
});
