/**
 * The consultation pages and their API twins (10): a member of staff asks from the page, the
 * desk finds it on the dashboard and answers, everyone finds the answer by a word or a tag, and
 * the person who asked closes it through the API.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createApiToken } from "../../src/app/api-tokens.ts";
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
  for (const who of ["soumuStaff", "kouhouStaff"] as const) {
    tokens[who] = (await createApiToken(app.ctx, { actor: org.actors[who], input: { name: "t" } })).token;
  }
});
after(() => app.close());

function api(who: string, url: string, method = "GET") {
  return http.request(`/api/v1${url}`, { method, headers: { authorization: `Bearer ${tokens[who]}` } });
}

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
  assert.ok(dashboard.includes("相談への回答: 職員の顔写真を投稿に使う場合の同意の取り方"));
  const page = await desk.text(path);
  assert.ok(page.includes("回答する（相談窓口）"));
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
  assert.ok(none.includes("条件に合う相談はありません。"));
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
