/**
 * The consultation pages and their API twins (10): a member of staff asks from the page, the
 * desk finds it on the dashboard and answers, everyone finds the answer by a word or a tag, and
 * the person who asked closes it through the API; role by role, who else may close one (10: the
 * desk only 14 days after its answer without a reply from the asker, nobody else).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createApiToken } from "../../src/app/auth/api-tokens.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { type TestApp, testApp } from "../support/context.ts";
import { type Browser, givePassword, signIn } from "../support/http.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";

let app: TestApp;
let org: TestOrg;
let http: ReturnType<typeof createHttpApp>;
let asker: Browser;
let desk: Browser;
let colleague: Browser;
const tokens: Record<string, string> = {};
let path = "";

before(async () => {
  app = await testApp({ start: "2026-06-01T01:00:00Z" });
  org = await seedOrg(app.ctx);
  for (const p of [org.staff.soumuStaff, org.staff.desk, org.staff.kouhouStaff])
    await givePassword(app, p.id);
  http = createHttpApp(app.ctx);
  asker = await signIn(http, org.staff.soumuStaff.employeeNo);
  desk = await signIn(http, org.staff.desk.employeeNo);
  colleague = await signIn(http, org.staff.kouhouStaff.employeeNo);
  for (const who of ["soumuStaff", "kouhouStaff", "desk", "policyDirector"] as const) {
    tokens[who] = (await createApiToken(app.ctx, { actor: org.actors[who], input: { name: "t" } })).token;
  }
});
after(() => app.close());

function api(who: string, url: string, method = "GET") {
  return http.request(`/api/v1${url}`, { method, headers: { authorization: `Bearer ${tokens[who]}` } });
}

test("第10 is a 協議 with the ふるさと発信課長: the menu, the form and its heading say so, at the same URL", async () => {
  const form = await asker.text("/consultations/new");
  assert.match(form, /<a href="\/consultations"[^>]*>協議<\/a>/, "the menu item");
  assert.match(form, /<h1>ふるさと発信課長に協議する<\/h1>/);
  assert.match(form, /協議の内容/);
  assert.doesNotMatch(form, /相談/);
  const list = await asker.text("/consultations");
  assert.match(list, /<h1>協議（ガイドラインに定めのない事項）<\/h1>/);
  assert.doesNotMatch(list, /相談/);
});

test("a question asked from the page reaches the desk's dashboard and is answered there", async () => {
  const empty = await asker.post("/consultations", { title: "", question: "" });
  assert.equal(empty.status, 422);
  assert.ok((await empty.text()).includes("件名を入力してください。"));
  const res = await asker.post("/consultations", {
    title: "職員の顔写真を投稿に使う場合の同意の取り方",
    question: "講座の様子を投稿する際、講師を務めた職員の顔が写った写真を使いたいです。",
    tags: "肖像権、職員",
  });
  assert.equal(res.status, 303);
  path = res.headers.get("location") ?? "";
  assert.match(path, /^\/consultations\/\d+$/);
  assert.equal((await colleague.get(path)).status, 404, "not shown to others before it is answered");

  const dashboard = await desk.text("/");
  assert.ok(dashboard.includes("協議への回答: 職員の顔写真を投稿に使う場合の同意の取り方"));
  const page = await desk.text(path);
  assert.ok(page.includes("回答する（協議先）"));
  const answered = await desk.post(`${path}/answer`, {
    answer:
      "職員であっても肖像権があります。撮影時に口頭で同意を得て、同意を得た日と方法を投稿の起案に記録してください（第5-1(3)）。",
    tags: "",
  });
  assert.equal(answered.status, 303);
});

test("everyone finds the answer by a word or a tag, on the page and through the API", async () => {
  const byWord = await colleague.text(`/consultations?q=${encodeURIComponent("同意")}`);
  assert.ok(byWord.includes("職員の顔写真を投稿に使う場合の同意の取り方"));
  const byTag = await colleague.text(`/consultations?tag=${encodeURIComponent("肖像権")}`);
  assert.ok(byTag.includes("職員の顔写真を投稿に使う場合の同意の取り方"));
  assert.ok(byTag.includes("#肖像権（1）"), "the tag list counts it");
  const none = await colleague.text(`/consultations?q=${encodeURIComponent("炎上")}`);
  assert.ok(none.includes("条件に合う協議はありません。"));
  const viaApi: unknown = await (
    await api("kouhouStaff", `/consultations?tag=${encodeURIComponent("職員")}`)
  ).json();
  assert.ok(typeof viaApi === "object" && viaApi !== null && "total" in viaApi);
  assert.equal(viaApi.total, 1);
});

test("the person who asked closes it through the API; a colleague may not", async () => {
  const id = path.split("/").pop();
  assert.equal((await api("kouhouStaff", `/consultations/${id}/close`, "POST")).status, 403);
  const closed = await api("soumuStaff", `/consultations/${id}/close`, "POST");
  assert.equal(closed.status, 200);
  const body: unknown = await closed.json();
  assert.match(JSON.stringify(body), /"status":"closed"/);
  assert.ok((await asker.text(path)).includes("解決済み"));
});

test("closing, role by role: the asker any time, the desk only 14 days after its answer, others never", async () => {
  const res = await asker.post("/consultations", {
    title: "庁舎の写真に写った来庁者の扱い",
    question: "庁舎の紹介写真に来庁者が小さく写っています。",
    tags: "",
  });
  const page = res.headers.get("location") ?? "";
  const id = page.split("/").pop();
  assert.equal(
    (await desk.post(`${page}/answer`, { answer: "顔が判別できないよう加工してください。", tags: "" }))
      .status,
    303,
  );
  const answeredAt = app.clock.now();

  // The page states the rule and the date; the desk gets no button before it.
  const deskPage = await desk.text(page);
  assert.ok(deskPage.includes("日たっても協議を申し出た職員から返事"));
  assert.ok(deskPage.includes("14"));
  assert.ok(!deskPage.includes(`action="${page}/close"`));
  assert.ok(deskPage.includes("協議先がこの協議を解決済みにできるのは"));
  assert.ok((await asker.text(page)).includes(`action="${page}/close"`), "the asker has the button");

  const refusals: Array<[string, RegExp]> = [
    ["desk", /以降です。/],
    ["kouhouStaff", /解決済みにする権限がありません。/],
    ["policyDirector", /解決済みにする権限がありません。/],
  ];
  for (const [who, message] of refusals) {
    const refused = await api(who, `/consultations/${id}/close`, "POST");
    assert.equal(refused.status, 403, who);
    assert.match(await refused.text(), message);
  }
  const fromPage = await desk.post(`${page}/close`, {});
  assert.equal(fromPage.status, 403);
  assert.ok((await fromPage.text()).includes("協議先がこの協議を解決済みにできるのは"));

  app.clock.set(new Date(answeredAt.getTime() + 14 * 86_400_000));
  const deskLater = await signIn(http, org.staff.desk.employeeNo);
  assert.ok((await deskLater.text(page)).includes(`action="${page}/close"`), "after 14 days the desk may");
  assert.equal((await api("kouhouStaff", `/consultations/${id}/close`, "POST")).status, 403, "others never");
  const closed = await api("desk", `/consultations/${id}/close`, "POST");
  assert.equal(closed.status, 200);
  assert.match(await closed.text(), /"status":"closed"/);
});
