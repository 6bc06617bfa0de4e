/**
 * The dashboard's accounts at a glance, for a seeded set of accounts in every state a badge can
 * show: the manager sees their division's accounts, an operator those they operate, the policy
 * director every account; each badge carries words, not colour alone.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createApiToken } from "../../src/app/auth/api-tokens.ts";
import { updateAccount } from "../../src/db/repos/accounts.ts";
import { openTask } from "../../src/db/repos/tasks.ts";
import { accountNotices } from "../../src/db/schema.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { seedAccount } from "../support/accounts.ts";
import { type TestApp, testApp } from "../support/context.ts";
import { givePassword, signIn } from "../support/http.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";

let app: TestApp;
let org: TestOrg;
let http: ReturnType<typeof createHttpApp>;
const ids: Record<string, number> = {};

/** The table row of one account (from its link to the end of the row). */
function row(page: string, accountId: number): string {
  const html = page.slice(page.indexOf('id="health-title"'));
  const start = html.indexOf(`<a href="/accounts/${accountId}">`);
  assert.ok(start >= 0, `account ${accountId} is listed`);
  return html.slice(start, html.indexOf("</tr>", start));
}

before(async () => {
  // 2026-06-01 in Tokyo.
  app = await testApp({ start: "2026-06-01T01:00:00Z" });
  org = await seedOrg(app.ctx);
  for (const p of [org.staff.kouhouManager, org.staff.kouhouStaff, org.staff.desk, org.staff.policyDirector])
    await givePassword(app, p.id);
  http = createHttpApp(app.ctx);
  const at = app.ctx.clock.now();
  const { kouhouManager, kouhouStaff, desk, soumuManager, soumuStaff } = org.staff;

  const healthy = await seedAccount(app.ctx, {
    name: "健全なアカウント",
    divisionId: org.divisions.kouhou.id,
    managerId: kouhouManager.id,
    operatorIds: [kouhouStaff.id],
    holderIds: [kouhouManager.id, kouhouStaff.id],
    policy: { reviewDue: "2027-04-01" },
  });
  await updateAccount(app.ctx.db, healthy.id, { bioCheckedAt: at, bioHasErrors: false }, at);
  ids.healthy = healthy.id;

  const troubled = await seedAccount(app.ctx, {
    name: "課題のあるアカウント",
    divisionId: org.divisions.kouhou.id,
    managerId: kouhouManager.id,
    holderIds: [kouhouManager.id, kouhouStaff.id, desk.id],
    policy: { reviewDue: "2026-05-31" },
    mfaEnabled: false,
  });
  await updateAccount(app.ctx.db, troubled.id, { bioCheckedAt: at, bioHasErrors: true }, at);
  await openTask(app.ctx.db, {
    kind: "password_rotation",
    accountId: troubled.id,
    assigneeId: kouhouManager.id,
    title: "人事異動に伴うパスワード変更（甲さん）",
    clause: "4.3.2",
    dueDate: "2026-05-30",
    openedAt: at,
  });
  await app.ctx.db.insert(accountNotices).values({
    accountId: troubled.id,
    kind: "closure",
    status: "announced",
    details: {},
    effectiveDate: "2026-07-15",
    announcementDate: "2026-05-20",
    requestedBy: kouhouManager.id,
    requestedAt: at,
  });
  ids.troubled = troubled.id;

  const fresh = await seedAccount(app.ctx, {
    name: "承認直後のアカウント",
    divisionId: org.divisions.kouhou.id,
    managerId: kouhouManager.id,
    status: "approved",
  });
  ids.fresh = fresh.id;

  // 総務課: its recorded manager is not the 課長 (e.g. left without a successor).
  const orphan = await seedAccount(app.ctx, {
    name: "管理者不在のアカウント",
    divisionId: org.divisions.soumuka.id,
    managerId: soumuStaff.id,
    holderIds: [soumuManager.id],
    policy: true,
  });
  ids.orphan = orphan.id;
  await seedAccount(app.ctx, {
    name: "廃止済みのアカウント",
    divisionId: org.divisions.kouhou.id,
    managerId: kouhouManager.id,
    status: "closed",
  });
});
after(() => app.close());

test("the manager sees every badge of their division's accounts, in words", async () => {
  const b = await signIn(http, org.staff.kouhouManager.employeeNo);
  const html = await b.text("/");
  assert.ok(html.includes("担当アカウントの状況"));
  assert.ok(html.includes("3件のうち2件のアカウントに対応が必要な項目があります。"));
  assert.ok(!html.includes("廃止済みのアカウント"), "closed accounts are left out");
  assert.ok(!html.includes("管理者不在のアカウント"), "another division's account is not theirs");

  const good = row(html, ids.healthy ?? 0);
  for (const label of ["最新", "掲載中", "確認済み", "2人", "なし", "有効"])
    assert.ok(good.includes(`">${label}</span>`), `healthy: ${label}`);
  assert.ok(!good.includes("badge-error") && !good.includes("badge-warn"));

  const bad = row(html, ids.troubled ?? 0);
  assert.ok(bad.includes('<span class="badge badge-error">見直し期限超過</span>'));
  assert.ok(bad.includes('<span class="badge badge-error">要修正</span>'));
  assert.ok(bad.includes('<span class="badge badge-warn">3人（上限2人）</span>'));
  assert.ok(bad.includes('<span class="badge badge-error">期限超過 1件</span>'));
  assert.ok(bad.includes('<span class="badge badge-error">無効</span>'));
  assert.ok(bad.includes('<span class="badge badge-warn">廃止：周知中</span>'));
  assert.ok(bad.includes(`href="/accounts/${ids.troubled}/credentials"`), "a link to fix it");

  const approved = row(html, ids.fresh ?? 0);
  assert.ok(approved.includes('<span class="badge badge-muted">運用開始前</span>'));
  assert.ok(approved.includes('<span class="badge badge-error">未作成</span>'), "no media policy yet");
  assert.ok(approved.includes('<span class="badge badge-warn">未確認</span>'), "profile not checked");
  assert.ok(approved.includes('<span class="badge badge-error">未登録</span>'), "no credential holders");
});

test("an operator sees the accounts they operate; someone with none is told so", async () => {
  const operator = await signIn(http, org.staff.kouhouStaff.employeeNo);
  const html = await operator.text("/");
  assert.ok(html.includes("健全なアカウント"));
  assert.ok(!html.includes("課題のあるアカウント"), "a holder but not an operator there");
  const nobody = await signIn(http, org.staff.desk.employeeNo);
  const none = await nobody.text("/");
  assert.ok(none.includes("担当している公式アカウントはありません。"));
});

test("the policy director sees every account, including one whose manager is not the 課長 (4.1.4)", async () => {
  const b = await signIn(http, org.staff.policyDirector.employeeNo);
  const html = await b.text("/");
  assert.ok(html.includes("公式アカウントの状況"));
  const orphan = row(html, ids.orphan ?? 0);
  assert.ok(orphan.includes('<span class="badge badge-error">管理者不在</span>'));
  assert.ok(orphan.includes("総務 主事さんは現在この課の課長ではありません。"));
  assert.ok(html.includes("課題のあるアカウント"));

  const token = (await createApiToken(app.ctx, { actor: org.actors.policyDirector, input: { name: "t" } }))
    .token;
  const res = await http.request("/api/v1/account-health", { headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.items.length, 4);
  const troubled = body.items.find((i: { account: { id: number } }) => i.account.id === ids.troubled);
  assert.equal(troubled.items.rotation.label, "期限超過 1件");
  assert.equal(troubled.items.holders.clause, "4.3.1");
});
