/**
 * Context-specific words refused in passwords (OWASP ASVS 5.0 6.1.2, 6.2.11), on every way a
 * password is set over HTTP: the one-time set-password link and the person's own change on
 * /account. (No API route and no administrator's form sets a password: the administrator issues
 * a link; `setPasswordDirectly`, for tools and tests, is checked too.) The city's name comes from
 * the configuration, the person's words from their record.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { issuePasswordLink, setPasswordDirectly } from "../../src/app/auth/sessions.ts";
import { updateStaff } from "../../src/db/repos/staff.ts";
import { AppError } from "../../src/errors.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { type TestApp, testApp } from "../support/context.ts";
import { browser, givePassword, signIn, TEST_PASSWORD } from "../support/http.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";

let app: TestApp;
let org: TestOrg;
let http: ReturnType<typeof createHttpApp>;

before(async () => {
  app = await testApp({ env: { SNSGOV_CITY_NAME: "いわき市" } });
  org = await seedOrg(app.ctx);
  for (const person of Object.values(org.staff)) await givePassword(app, person.id);
  // 広報 主事 of 広報広聴課 (code kouhou), with a reading to type in romaji.
  await updateStaff(app.ctx.db, org.staff.kouhouStaff.id, { kana: "コウホウ シュジ" }, app.clock.now());
  http = createHttpApp(app.ctx);
});
after(() => app.close());

/** The text of the error shown under field `name` (`#f-<name>-error`). */
function fieldError(html: string, name: string): string {
  const match = new RegExp(`id="f-${name}-error"[^>]*>((?:[^<]|<span[^>]*>[^<]*</span>)*)</span>`).exec(html);
  return (match?.[1] ?? "").replace(/<[^>]+>/g, "");
}

async function setThroughLink(staffId: number, password: string) {
  const { url } = await issuePasswordLink(app.ctx, { actor: org.actors.admin, staffId });
  const path = new URL(url).pathname;
  const res = await browser(http).post(path, { password, confirm: password }, { csrf: null });
  return { res, path };
}

test("the set-password link refuses the city's name with a year and a symbol, naming the kind under the field", async () => {
  for (const password of ["Iwaki2026!", "いわき市1234", "ＩＷＡＫＩ２０２６"]) {
    const { res, path } = await setThroughLink(org.staff.kouhouStaff.id, password);
    assert.equal(res.status, 422, password);
    const html = await res.text();
    assert.match(
      fieldError(html, "password"),
      /市の名前をもとにしたパスワードは、推測されやすいため使えません/,
    );
    assert.ok(!html.includes(password), "the page never repeats the password");
    assert.equal((await http.request(path)).status, 200, "the link still works for a better password");
  }
});

test("the set-password link refuses the person's name in romaji or kana with digits, and their division", async () => {
  const cases: Array<[string, RegExp]> = [
    ["kouhou shuji 1985", /ご自身の氏名/],
    ["コウホウシュジ2026", /ご自身の氏名/],
    ["kouhou2026!", /氏名|所属/],
    ["広報広聴課2026", /所属（部・課）の名前/],
    ["t6@city.example.lg.jp!!", /メールアドレス|ログインID/],
  ];
  for (const [password, kind] of cases) {
    const { res } = await setThroughLink(org.staff.kouhouStaff.id, password);
    assert.equal(res.status, 422, password);
    const html = await res.text();
    assert.match(fieldError(html, "password"), kind, password);
    assert.ok(!html.includes(password), password);
  }
});

test("the set-password link accepts a long passphrase that contains いわき, and the person signs in with it", async () => {
  const passphrase = "いわきの海で見た夏の花火は忘れない";
  const { res } = await setThroughLink(org.staff.soumuStaff.id, passphrase);
  assert.equal(res.status, 303);
  const signedIn = await browser(http).post(
    "/login",
    { login: org.staff.soumuStaff.email, password: passphrase },
    { csrf: null },
  );
  assert.equal(signedIn.status, 303);
});

test("changing one's own password refuses the city's, the system's and one's own name, and keeps the old one", async () => {
  const person = org.staff.kouhouStaff;
  const here = await signIn(http, person.employeeNo);
  const cases: Array<[string, RegExp]> = [
    ["Iwaki2026!", /市の名前/],
    ["snsgov2026!", /システム名/],
    ["Koho Shuji 0401", /ご自身の氏名/],
    [`${person.employeeNo}2026!`, /ログインID/],
  ];
  for (const [next, kind] of cases) {
    const res = await here.post("/account/password", { current: TEST_PASSWORD, next, confirm: next });
    assert.equal(res.status, 422, next);
    const html = await res.text();
    assert.match(fieldError(html, "next"), kind, next);
    assert.ok(!html.includes(next), next);
  }
  const old = await browser(http).post(
    "/login",
    { login: person.email, password: TEST_PASSWORD },
    { csrf: null },
  );
  assert.equal(old.status, 303, "the old password still works");

  const passphrase = "いわき市役所の窓から見える桜並木";
  const changed = await here.post("/account/password", {
    current: TEST_PASSWORD,
    next: passphrase,
    confirm: passphrase,
  });
  assert.equal(changed.status, 303);
});

test("both password forms say briefly which passwords are refused", async () => {
  const { url } = await issuePasswordLink(app.ctx, { actor: org.actors.admin, staffId: org.staff.desk.id });
  const setPage = await (await http.request(new URL(url).pathname)).text();
  const account = await (await signIn(http, org.staff.desk.employeeNo)).text("/account");
  for (const html of [setPage, account]) {
    assert.match(
      html,
      /市の名前・システム名・ご自身の氏名・ログインID・所属の名前に数字や記号を足しただけのものは使えません/,
    );
  }
});

test("the direct set (tools and tests) refuses the same words, and the city's name is the configured one", async () => {
  const staffId = org.staff.soumuManager.id;
  const refusal = (kind: RegExp) => (error: unknown) =>
    error instanceof AppError && error.fields[0]?.field === "password" && kind.test(error.message);
  await assert.rejects(
    setPasswordDirectly(app.ctx, { actor: org.actors.admin, staffId, password: "soumuka2026!" }),
    refusal(/所属/),
  );
  const soma = { ...app.ctx, config: { ...app.ctx.config, cityName: "相馬市" } };
  await assert.rejects(
    setPasswordDirectly(soma, { actor: org.actors.admin, staffId, password: "相馬市2026!" }),
    refusal(/市の名前/),
  );
  await setPasswordDirectly(app.ctx, { actor: org.actors.admin, staffId, password: "相馬市2026!" });
});
