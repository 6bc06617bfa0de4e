/**
 * The registry pages: a division applies (起案 with what the city decides on), the approvers
 * decide on the page, the manager registers the real account — which sends the 届出 to the
 * security director, who confirms it (4.1.2 取得後); the 起案 prints as a document with its
 * 文書番号・決裁日; an administrator records an account that existed before the system; with the
 * errors a person would meet.
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

const decisionFields = {
  plannedStartOn: "2026-12-01",
  policyDraft: "① 目的: 市政情報をお届けします",
  termsConfirmed: "on",
  loginOwner: "広報広聴課の共用メールアドレス（課長が管理）",
  twoFactorPlan: "認証アプリ（課の共用端末）",
  cost: "無料",
  consultedDivisions: "広報広聴課、情報政策課",
};

test("apply, submit, approve twice, register (the 届出 goes out) and confirm through the pages", async () => {
  const staff = await signIn(http, org.staff.kouhouStaff.employeeNo);
  const form = await staff.text("/accounts/new");
  assert.ok(form.includes("公式アカウントの取得申請（起案）"));
  assert.ok(form.includes("広報 主事"), "division staff are offered as operators");
  for (const label of [
    "運用開始の予定日",
    "メディアポリシー（案）",
    "利用規約",
    "所有者",
    "二段階認証",
    "費用",
    "合議先",
  ])
    assert.ok(form.includes(label), `the 起案 asks for ${label}`);
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
  const incomplete = await staff.post(`/accounts/${id}/submit`, {});
  assert.equal(incomplete.status, 422, "the 起案 lacks what the city decides on");
  assert.match(await incomplete.text(), /メディアポリシー（案）を入力してください/);
  assert.equal(
    (
      await staff.post(`/accounts/${id}`, {
        divisionId: String(org.divisions.kouhou.id),
        platform: "x",
        name: "いわき市広報広聴課",
        purpose: "市政情報をお届けします",
        operatorIds: String(org.staff.kouhouStaff.id),
        holderIds: String(org.staff.kouhouStaff.id),
        ...decisionFields,
      })
    ).status,
    303,
  );
  assert.equal((await staff.post(`/accounts/${id}/submit`, {})).status, 303);

  const director = await signIn(http, org.staff.policyDirector.employeeNo);
  const page = await director.text(`/accounts/${id}`);
  assert.ok(page.includes("部等の長（情報管理者）の許可"));
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

  // 4.1.2 取得後: approval alone notifies nobody; there is nothing for the director to confirm yet.
  assert.ok(!(await staff.text("/accounts")).includes("届出未確認"));
  const security = await signIn(http, org.staff.securityDirector.employeeNo);
  const tooEarly = await security.post(`/accounts/${id}/security-confirm`, {});
  assert.equal(tooEarly.status, 409);
  assert.match(await tooEarly.text(), /まだ届出されていません/);

  const manager = await signIn(http, org.staff.kouhouManager.employeeNo);
  const registration = {
    url: "https://x.com/Iwaki_Koho",
    platformCreatedOn: "2026-11-20",
    homepageUrl: "https://www.city.iwaki.lg.jp/www/sns/koho.html",
    mfaEnabled: "on",
    loginEmail: "koho-sns@city.example.lg.jp",
    loginOwner: "広報広聴課の共用メールアドレス（課長が管理）",
  };
  const short = await manager.post(`/accounts/${id}/register`, {
    ...registration,
    url: "https://bit.ly/iwaki",
  });
  assert.equal(short.status, 422);
  assert.ok((await short.text()).includes("短縮URLは使えません。"));
  const noLogin = await manager.post(`/accounts/${id}/register`, { ...registration, loginEmail: "" });
  assert.equal(noLogin.status, 422);
  assert.match(await noLogin.text(), /ログインに使うメールアドレスまたは電話番号を入力してください/);
  const ok = await manager.post(`/accounts/${id}/register`, registration);
  assert.equal(ok.status, 303);
  assert.match(await manager.text(`/accounts/${id}`), /アカウントを登録し、情報統括管理者へ届出を送りました/);
  const account = await findAccount(app.ctx.db, id);
  assert.equal(account?.handle, "iwaki_koho");
  assert.ok((await staff.text("/accounts")).includes("届出未確認"));

  // The security director opens the 届出 — URL, handle, login e-mail and owner, holders, 2FA — and confirms.
  const overview = await security.text(`/accounts/${id}`);
  const filingId = Number(/href="\/filings\/(\d+)"/.exec(overview)?.[1]);
  const filing = await security.text(`/filings/${filingId}`);
  for (const fact of [
    "公式アカウント取得届",
    "情報統括管理者 様",
    "https://x.com/iwaki_koho",
    "令和8年11月20日",
    "koho-sns@city.example.lg.jp",
    "広報広聴課の共用メールアドレス（課長が管理）",
    "広報 主事",
    "設定済み",
  ])
    assert.ok(filing.toLowerCase().includes(fact.toLowerCase()), `the 届出 says ${fact}`);
  assert.equal((await security.post(`/filings/${filingId}/confirm`, {})).status, 303);
  assert.ok(!(await staff.text("/accounts")).includes("届出未確認"));
  assert.ok(!(await staff.get(`/filings/${filingId}`)).ok, "an operator does not read the login e-mail");

  const activate = await manager.post(`/accounts/${id}/activate`, {});
  assert.equal(activate.status, 422, "no media policy yet");
  assert.ok((await activate.text()).includes("メディアポリシーが必要です"));

  // The 起案 prints as a document: 和暦, the route of approvals, the 文書番号 and 決裁日.
  const doc = await manager.text(`/accounts/${id}/document`);
  assert.match(doc, /ソーシャルメディア公式アカウントの取得について（伺い）/);
  assert.match(
    doc,
    /<th[^>]*scope="row">総合政策部長の許可<\/th><td[^>]*>政策 部長<\/td><td[^>]*><time datetime="[^"]+">令和8年11月24日<\/time><\/td>/,
  );
  assert.match(doc, /<th[^>]*scope="row">合議先<\/th><td[^>]*>広報広聴課、情報政策課<\/td>/);
  assert.equal(
    (
      await manager.post(`/accounts/${id}/document`, {
        documentNumber: "いわ広第1024号",
        decidedOn: "2026-11-24",
      })
    ).status,
    303,
  );
  const noReasonFix = await manager.post(`/accounts/${id}/document`, {
    documentNumber: "いわ広第1025号",
    decidedOn: "2026-11-24",
  });
  assert.equal(noReasonFix.status, 422);
  assert.match(await noReasonFix.text(), /訂正の理由を入力してください/);
  assert.match(
    await manager.text(`/accounts/${id}/document`),
    /<th[^>]*scope="row">文書番号<\/th><td[^>]*>いわ広第1024号<\/td>/,
  );
});

test("an administrator records an account from before the system; the policy director confirms it", async () => {
  const admin = await signIn(http, org.staff.admin.employeeNo);
  const form = await admin.text(`/accounts/existing/new?divisionId=${org.divisions.kouhou.id}`);
  assert.match(form, /<h1>既存アカウントの登録<\/h1>/);
  const bad = await admin.post("/accounts/existing", {
    divisionId: String(org.divisions.kouhou.id),
    platform: "x",
    name: "いわき市広報（旧）",
    url: "https://x.com/iwaki_kyu",
    platformCreatedOn: "2018-04-01",
    purpose: "市政情報",
    homepageUrl: "https://www.city.iwaki.lg.jp/www/sns/kyu.html",
    operatorIds: String(org.staff.kouhouStaff.id),
    holderIds: String(org.staff.kouhouStaff.id),
    loginEmail: "kyu@city.example.lg.jp",
    loginOwner: "広報広聴課",
    documentNumber: "いわ広第77号",
    departmentApprovedOn: "2018-03-30",
    policyApprovedOn: "2018-03-20",
  });
  assert.equal(bad.status, 422);
  const badHtml = await bad.text();
  assert.match(badHtml, /総合政策部長の許可は、部等の長（情報管理者）の許可の後です/);
  assert.match(badHtml, /value="いわ広第77号"/, "what was typed is kept");
  const created = await admin.post("/accounts/existing", {
    divisionId: String(org.divisions.kouhou.id),
    platform: "x",
    name: "いわき市広報（旧）",
    url: "https://x.com/iwaki_kyu",
    platformCreatedOn: "2018-04-01",
    purpose: "市政情報",
    homepageUrl: "https://www.city.iwaki.lg.jp/www/sns/kyu.html",
    operatorIds: String(org.staff.kouhouStaff.id),
    holderIds: String(org.staff.kouhouStaff.id),
    loginEmail: "kyu@city.example.lg.jp",
    loginOwner: "広報広聴課",
    documentNumber: "いわ広第77号",
    departmentApprovedOn: "2018-03-20",
    policyApprovedOn: "2018-03-28",
  });
  assert.equal(created.status, 303);
  const id = idFrom(created.headers.get("location"));
  const staffForm = await signIn(http, org.staff.kouhouStaff.employeeNo);
  assert.equal((await staffForm.get("/accounts/existing/new")).status, 403);

  const director = await signIn(http, org.staff.policyDirector.employeeNo);
  const page = await director.text(`/accounts/${id}`);
  assert.match(page, /既存アカウントとして登録/);
  assert.match(page, /総合政策部長の許可 平成30年3月28日/);
  assert.equal(
    (await director.post(`/accounts/${id}/existing-decision`, { decision: "confirm" })).status,
    303,
  );
  const list = await director.text("/accounts");
  assert.match(list, /いわき市広報（旧）/);
  assert.match(list, /<span class="badge badge-muted">既存アカウントとして登録<\/span>/);
  const doc = await director.text(`/accounts/${id}/document`);
  assert.match(doc, /<th[^>]*scope="row">文書番号<\/th><td[^>]*>いわ広第77号<\/td>/);
  assert.match(
    doc,
    /<th[^>]*scope="row">総合政策部長の許可<\/th><td[^>]*>（紙の決裁による）<\/td><td[^>]*><time datetime="2018-03-28">平成30年3月28日<\/time><\/td>/,
  );
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
