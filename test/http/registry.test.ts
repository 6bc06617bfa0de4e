/**
 * The registry pages: a division applies, the approvers decide on the page, the security director
 * confirms, the manager registers the real account; with the errors a person would meet.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { findAccount } from "../../src/db/repos/accounts.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { seedAccount } from "../support/accounts.ts";
import { type TestApp, testApp } from "../support/context.ts";
import { givePassword, signIn } from "../support/http.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";

let app: TestApp;
let org: TestOrg;
let http: ReturnType<typeof createHttpApp>;

before(async () => {
  app = await testApp();
  org = await seedOrg(app.ctx);
  for (const p of Object.values(org.staff)) await givePassword(app, p.id);
  http = createHttpApp(app.ctx);
});
after(() => app.close());

const idFrom = (location: string | null) => Number(/\/accounts\/(\d+)/.exec(location ?? "")?.[1]);

test("apply, submit, approve twice, confirm and register through the pages", async () => {
  const staff = await signIn(http, org.staff.kouhouStaff.employeeNo);
  const form = await staff.text("/accounts/new");
  assert.ok(form.includes("公式アカウントの取得申請（起案）"));
  assert.ok(form.includes("広報 主事"), "division staff are offered as operators");
  const created = await staff.post("/accounts", {
    divisionId: String(org.divisions.kouhou.id),
    platform: "x",
    name: "いわき市広報広聴課",
    purpose: "市政情報をお届けします",
    operatorIds: String(org.staff.kouhouStaff.id),
    holderIds: String(org.staff.kouhouStaff.id),
  });
  assert.equal(created.status, 303);
  const id = idFrom(created.headers.get("location"));
  assert.ok(id > 0);
  assert.equal((await staff.post(`/accounts/${id}/submit`, {})).status, 303);

  const director = await signIn(http, org.staff.policyDirector.employeeNo);
  const page = await director.text(`/accounts/${id}`);
  assert.ok(page.includes("情報管理者（部長）の許可"));
  const noReason = await director.post(`/accounts/${id}/decide`, {
    decision: "return",
    expected: "pending_department_head",
    comment: "",
  });
  assert.equal(noReason.status, 422);
  assert.ok((await noReason.text()).includes("差し戻す理由を入力してください。"));
  assert.equal(
    (
      await director.post(`/accounts/${id}/decide`, {
        decision: "approve",
        expected: "pending_department_head",
      })
    ).status,
    303,
  );
  const stale = await director.post(`/accounts/${id}/decide`, {
    decision: "approve",
    expected: "pending_department_head",
  });
  assert.equal(stale.status, 409, "a second click on an old page is a clear conflict");
  assert.ok((await stale.text()).includes("すでに処理されています"));
  assert.equal(
    (
      await director.post(`/accounts/${id}/decide`, {
        decision: "approve",
        expected: "pending_policy_director",
      })
    ).status,
    303,
  );

  const list = await staff.text("/accounts");
  assert.ok(list.includes("届出未確認"));
  const security = await signIn(http, org.staff.securityDirector.employeeNo);
  assert.equal((await security.post(`/accounts/${id}/security-confirm`, {})).status, 303);
  assert.ok(!(await staff.text("/accounts")).includes("届出未確認"));

  const manager = await signIn(http, org.staff.kouhouManager.employeeNo);
  const short = await manager.post(`/accounts/${id}/register`, {
    url: "https://bit.ly/iwaki",
    platformCreatedOn: "2026-11-20",
    homepageUrl: "https://www.city.iwaki.lg.jp/www/sns/koho.html",
  });
  assert.equal(short.status, 422);
  assert.ok((await short.text()).includes("短縮URLは使えません（第4-4(4)）"));
  const ok = await manager.post(`/accounts/${id}/register`, {
    url: "https://x.com/Iwaki_Koho",
    platformCreatedOn: "2026-11-20",
    homepageUrl: "https://www.city.iwaki.lg.jp/www/sns/koho.html",
    mfaEnabled: "on",
  });
  assert.equal(ok.status, 303);
  const account = await findAccount(app.ctx.db, id);
  assert.equal(account?.handle, "iwaki_koho");
  const activate = await manager.post(`/accounts/${id}/activate`, {});
  assert.equal(activate.status, 422, "no media policy yet");
  assert.ok((await activate.text()).includes("メディアポリシーが必要です"));
});

test("the registry filters by status and exports what the person may see as CSV", async () => {
  await seedAccount(app.ctx, {
    divisionId: org.divisions.soumuka.id,
    managerId: org.staff.soumuManager.id,
    name: "総務課テスト",
    policy: true,
  });
  const b = await signIn(http, org.staff.soumuStaff.employeeNo);
  const active = await b.text("/accounts?status=active");
  assert.ok(active.includes("総務課テスト"));
  assert.ok(
    !active.includes("いわき市広報広聴課"),
    "an approved-but-not-active account is not in the 運用中 filter",
  );
  const csv = await b.get("/accounts/export.csv?status=active");
  const bytes = new Uint8Array(await csv.arrayBuffer());
  assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
  assert.ok(text.includes("総務課テスト"));
  assert.ok(text.startsWith("\ufeff番号,サービス,アカウント名"));
});

test("another division's draft is not found, and a plain staff member cannot approve", async () => {
  const staff = await signIn(http, org.staff.kouhouStaff.employeeNo);
  const created = await staff.post("/accounts", {
    divisionId: String(org.divisions.kouhou.id),
    platform: "instagram",
    name: "広報の下書き",
    purpose: "写真で魅力を発信",
  });
  const id = idFrom(created.headers.get("location"));
  const other = await signIn(http, org.staff.soumuStaff.employeeNo);
  assert.equal((await other.get(`/accounts/${id}`)).status, 404);
  assert.equal(
    (await other.post(`/accounts/${id}/decide`, { decision: "approve", expected: "pending_department_head" }))
      .status,
    404,
  );
});
