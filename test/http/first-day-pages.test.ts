/**
 * What a newcomer notices on the first day: the provisional 初期設定用の部 neither counted nor
 * printed in doubled brackets, a favicon, the editor's counter showing the limit before anything
 * is typed, a finding's clause said once, each task once and told apart, and no id used twice on
 * the pages each role opens.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { DEMO_PASSWORD, demoLogins, seedDemo } from "../../src/app/demo.ts";
import { ensureFirstAdmin } from "../../src/app/setup.ts";
import { listAccounts } from "../../src/db/repos/accounts.ts";
import { listIncidentViews } from "../../src/db/repos/incidents.ts";
import { findStaffByEmployeeNo } from "../../src/db/repos/staff.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { findingLine } from "../../src/http/client/findings-model.ts";
import { type TestApp, testApp } from "../support/context.ts";
import { browser, givePassword, signIn } from "../support/http.ts";

let demo: TestApp;
let demoHttp: ReturnType<typeof createHttpApp>;
let fresh: TestApp;
let freshHttp: ReturnType<typeof createHttpApp>;

before(async () => {
  demo = await testApp({ start: "2026-11-24T01:00:00Z" });
  await seedDemo(demo.ctx);
  demoHttp = createHttpApp(demo.ctx, { demoLogins: demoLogins() });
  fresh = await testApp();
  await ensureFirstAdmin(fresh.ctx);
  const admin = await findStaffByEmployeeNo(fresh.ctx.db, "admin");
  if (admin) await givePassword(fresh, admin.id);
  freshHttp = createHttpApp(fresh.ctx);
});
after(async () => {
  await demo.close();
  await fresh.close();
});

async function demoUser(login: string) {
  const b = browser(demoHttp);
  const res = await b.post("/login", { login, password: DEMO_PASSWORD }, { csrf: null });
  assert.equal(res.status, 303, login);
  return b;
}

test("the first start's department is 初期設定用の部, printed once in brackets and left out of the rates", async () => {
  const b = await signIn(freshHttp, "admin");
  const html = await b.text("/");
  assert.ok(html.includes("初期管理者 さん（初期設定用の部 システム管理者）"));
  assert.doesNotMatch(html, /（（|））/);
  assert.doesNotMatch(html, /<th scope="row">[^<]*初期設定用の部/, "not a row of the acknowledgement rates");
  assert.doesNotMatch(
    html,
    /ガイドライン（[^）]*）の内容を確認してください/,
    "the provisional account is not asked to",
  );
});

test("a favicon: an SVG with a year's cache, linked from the staff and the public pages", async () => {
  const res = await demoHttp.request("/favicon.svg");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "image/svg+xml");
  assert.match(res.headers.get("cache-control") ?? "", /max-age=31536000/);
  assert.match(await res.text(), /^<svg /);
  for (const path of ["/login", "/public/accounts"]) {
    const html = await (await demoHttp.request(path)).text();
    assert.match(
      html,
      /<link rel="icon" type="image\/svg\+xml" href="\/favicon\.svg\?v=[0-9A-Za-z_-]+"\/>/,
      path,
    );
  }
  const ico = await demoHttp.request("/favicon.ico");
  assert.equal(ico.status, 301);
  assert.match(ico.headers.get("location") ?? "", /^\/favicon\.svg\?v=/);
});

test("the editor's counter shows the platform's limit before anything is typed", async () => {
  const b = await demoUser("D0020");
  const html = await b.text("/posts/new");
  assert.match(html, /文字数: 0／\d+/, "「0／280」 before typing");
  assert.doesNotMatch(html, /上限は登録されていません/);
});

test("a finding whose message names its clause does not print it again", () => {
  const named = { message: "伝聞の表現です（第5-2(8) 噂・風評）。", clause: "5.2.8" };
  assert.equal(findingLine(named), "伝聞の表現です（第5-2(8) 噂・風評）。");
  assert.equal(
    findingLine({ message: "文字数が上限を超えています", clause: "5.3.5" }),
    "文字数が上限を超えています（第5-3(5)）",
  );
});

test("the manager's tasks: each once, and posts waiting for approval told apart by their first words", async () => {
  const b = await demoUser("D0010");
  const html = await b.text("/");
  const section = /<h2 id="tasks-title">.*?<\/section>/s.exec(html)?.[0] ?? "";
  const titles = [...section.matchAll(/<a href="[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]);
  assert.ok(titles.filter((t) => t?.startsWith("投稿の承認「")).length >= 2, titles.join("\n"));
  assert.equal(new Set(titles).size, titles.length, `no two tasks read the same:\n${titles.join("\n")}`);
});

test("no id is used twice on the pages each role opens", async () => {
  const accounts = await listAccounts(demo.ctx.db, { visibleDivisionIds: null });
  const incidents = (await listIncidentViews(demo.ctx.db, { visibleTo: null })).rows;
  const pages = [
    "/",
    "/posts",
    "/posts/new",
    "/accounts",
    "/notices",
    "/filings",
    "/incidents",
    "/tasks",
    "/notifications",
    "/guideline",
    "/council",
    "/consultations",
    "/staff",
    "/org/departments",
    "/transfers",
    "/audit",
    "/admin/settings",
    "/account",
    ...accounts.slice(0, 8).map((a) => `/accounts/${a.id}`),
    ...incidents.slice(0, 3).map((i) => `/incidents/${i.id}`),
    ...Array.from({ length: 12 }, (_, i) => `/posts/${i + 1}`),
  ];
  const checked: string[] = [];
  for (const login of ["D0001", "D0002", "D0010", "D0020", "D0028"]) {
    const b = await demoUser(login);
    for (const path of pages) {
      const res = await b.get(path);
      if (res.status !== 200) continue;
      const ids = [...(await res.text()).matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
      const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
      assert.deepEqual([...new Set(twice)], [], `${login} ${path}: ids used twice`);
      checked.push(`${login} ${path}`);
    }
  }
  for (const path of ["/login", "/public/accounts", "/public/notices"]) {
    const html = await (await demoHttp.request(path)).text();
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    assert.equal(new Set(ids).size, ids.length, `${path}: ids used twice`);
  }
  assert.ok(checked.length >= 60, `pages checked: ${checked.length}`);
});

/**
 * What a page says, without its tags and attributes (the <time datetime> values are for machines)
 * and without text people typed.
 */
function mainText(html: string): string {
  const main = /<main[^>]*>(.*)<\/main>/s.exec(html)?.[1] ?? html;
  return (
    main
      .replace(/<textarea[^>]*>.*?<\/textarea>/gs, "")
      // The announcement posted on an account is post text, which writes 「2026年3月1日」 as posts do.
      .replace(/【お知らせ】[^。]*。/g, "")
      .replace(/<[^>]+>/g, "")
      .replace(/&amp;/g, "&")
  );
}

// One convention for dates on every page (docs/pages.md, "Dates and times"): 和暦 with the 西暦 in
// brackets and the weekday, times as 9時05分 (seconds in the audit log); printed documents 和暦 only.
const SHOWN_DATE =
  /^(令和|平成)(\d{1,2}|元)年（\d{4}年）\d{1,2}月\d{1,2}日（[日月火水木金土]）(\d{1,2}時\d{2}分(\d{2}秒)?)?$/;
const DOCUMENT_DATE = /^(令和|平成)(\d{1,2}|元)年\d{1,2}月\d{1,2}日$/;

test("every page writes dates one way: 令和8年（2026年）11月24日（火）9時05分, never 2026/11/24 09:05:03", async () => {
  const accounts = await listAccounts(demo.ctx.db, { visibleDivisionIds: null });
  const incidents = (await listIncidentViews(demo.ctx.db, { visibleTo: null })).rows;
  const staffPages = [
    "/",
    "/posts",
    "/posts/queue",
    "/accounts",
    "/notices",
    "/filings",
    "/incidents",
    "/tasks",
    "/notifications",
    "/guideline",
    "/guideline/acknowledgements",
    "/council",
    "/consultations",
    "/transfers",
    "/audit",
    "/archive",
    "/account",
    ...accounts
      .slice(0, 4)
      .flatMap((a) => [`/accounts/${a.id}`, `/accounts/${a.id}/policy`, `/accounts/${a.id}/notices`]),
    ...incidents.slice(0, 3).map((i) => `/incidents/${i.id}`),
    ...Array.from({ length: 8 }, (_, i) => `/posts/${i + 1}`),
  ];
  const pages: { path: string; html: string }[] = [];
  for (const login of ["D0001", "D0010"]) {
    const b = await demoUser(login);
    for (const path of staffPages) {
      const res = await b.get(path);
      if (res.status === 200) pages.push({ path: `${login} ${path}`, html: await res.text() });
    }
  }
  for (const path of [
    "/public/accounts",
    "/public/notices",
    ...accounts.slice(0, 3).map((a) => `/public/accounts/${a.id}`),
  ]) {
    const res = await demoHttp.request(path);
    if (res.status === 200) pages.push({ path, html: await res.text() });
  }
  assert.ok(pages.length >= 40, `pages fetched: ${pages.length}`);
  let times = 0;
  for (const { path, html } of pages) {
    const text = mainText(html);
    assert.doesNotMatch(
      text,
      /\d{4}\/\d{1,2}\/\d{1,2}|\d{1,2}:\d{2}:\d{2}/,
      `${path}: a date as 2026/11/24 or a time as 09:05:03`,
    );
    assert.doesNotMatch(
      text,
      /(?<!（)\d{4}年\d{1,2}月\d{1,2}日/,
      `${path}: a 西暦 date outside the brackets of 和暦`,
    );
    for (const m of html.matchAll(/<time datetime="([^"]+)">(.*?)<\/time>/g)) {
      times += 1;
      const [, iso = "", inner = ""] = m;
      const shown = inner.replace(/<[^>]+>/g, "");
      assert.match(iso, /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}\+09:00)?$/, `${path}: datetime="${iso}"`);
      const ok =
        SHOWN_DATE.test(shown) || (html.includes('class="document-sheet"') && DOCUMENT_DATE.test(shown));
      assert.ok(ok, `${path}: <time> reads 「${shown}」`);
    }
  }
  assert.ok(times >= 100, `dates seen in <time> elements: ${times}`);
});
