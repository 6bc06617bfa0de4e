/**
 * The demo's login page: every demo person is listed with where they work and what they do, so
 * that whoever walks an application through finds its department's 部長 (4.1.2); the login field
 * is named for what people type there.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { DEMO_PASSWORD, demoLogins, seedDemo } from "../../src/app/demo.ts";
import { listAccounts } from "../../src/db/repos/accounts.ts";
import { allStaff } from "../../src/db/repos/staff.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { type TestApp, testApp } from "../support/context.ts";
import { browser } from "../support/http.ts";

let app: TestApp;
let http: ReturnType<typeof createHttpApp>;

before(async () => {
  app = await testApp({ start: "2026-11-24T01:00:00Z" });
  await seedDemo(app.ctx);
  http = createHttpApp(app.ctx, { demoLogins: demoLogins() });
});
after(() => app.close());

test("every demo person is on the login page with their unit and role, and each department with accounts has its 部長 there", async () => {
  const html = await (await http.request("/login")).text();
  const rows = [
    ...html.matchAll(
      /<tr><td[^>]*class="mono"[^>]*>([^<]+)<\/td><td[^>]*>([^<]+)<\/td><td[^>]*>([^<]*)<\/td><td[^>]*>([^<]+)<\/td><\/tr>/g,
    ),
  ];
  const everyone = await allStaff(app.ctx.db);
  assert.equal(rows.length, everyone.length, "every demo person is listed");
  assert.ok(html.includes(`デモの職員（${everyone.length}人）`));
  const heads = rows.filter((r) => r[4]?.includes("部等の長（情報管理者）")).map((r) => r[3]);
  for (const account of await listAccounts(app.ctx.db, { visibleDivisionIds: null })) {
    assert.ok(heads.includes(account.departmentName), `the 部長 of ${account.departmentName} is listed`);
  }
  assert.ok(
    rows.some((r) => r[4]?.startsWith("総合政策部長・")),
    "the policy director says so",
  );
  assert.ok(
    rows.some((r) => r[4] === "一般職員（役割なし）"),
    "someone without a role says so",
  );
  assert.doesNotMatch(html, /<td>undefined<\/td>|<td><\/td>/, "no empty cell");
});

test("the login field is named for the employee number people type; the e-mail address works too", async () => {
  const html = await (await http.request("/login")).text();
  assert.match(
    html,
    /<label for="f-login">ログインID（職員番号）<span class="required">必須<\/span><\/label>/,
  );
  assert.ok(html.includes("メールアドレスでもログインできます"));
  for (const login of ["D0005", "d0005@city.example.lg.jp"]) {
    const b = browser(http);
    const res = await b.post("/login", { login, password: DEMO_PASSWORD }, { csrf: null });
    assert.equal(res.status, 303, login);
  }
});

test("in the demo every page, staff and public, says that what it shows is a sample, and the media policies say so too", async () => {
  const demoHttp = createHttpApp({ ...app.ctx, config: { ...app.ctx.config, demo: true } });
  const banner = /デモ環境（サンプル）です。.*実在の自治体の公式情報ではありません/;
  const [account] = await listAccounts(app.ctx.db, { visibleDivisionIds: null, statuses: ["active"] });
  assert.ok(account);
  for (const path of ["/login", "/public/accounts", `/public/accounts/${account.id}`, "/public/notices"]) {
    const html = await (await demoHttp.request(path)).text();
    assert.match(html, banner, path);
    assert.doesNotMatch(await (await http.request(path)).text(), banner, `${path} outside the demo`);
  }
  const policy = await (await demoHttp.request(`/public/accounts/${account.id}`)).text();
  assert.match(policy, /※これはデモ用のサンプルです。実在の自治体の文書ではありません。/);
});
