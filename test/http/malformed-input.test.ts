/**
 * What someone sending malformed input sees: a JSON body that cannot be read is a Japanese 400, a
 * Content-Type the operation does not take a 415, a NUL character or a lone surrogate a 422 naming
 * the field (API) or a Japanese error page (pages, search boxes), and a CSV with a NUL gets its
 * row refused. An unknown API path is a JSON 404 even with a valid token, a cookie-authenticated
 * API call without its CSRF token a JSON 403, and a body over the limit a Japanese JSON 413.
 * Nothing of it is ever a 500.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { findStaffByEmployeeNo } from "../../src/db/repos/staff.ts";
import { apiTestApp, callApi, field, type HttpApp, json } from "../support/api.ts";
import type { TestApp } from "../support/context.ts";
import { type Browser, givePassword, signIn } from "../support/http.ts";
import type { TestOrg } from "../support/org.ts";

let app: TestApp;
let org: TestOrg;
let http: HttpApp;
let token: string;
let admin: Browser;
const japanese = /[\u3040-\u30ff\u4e00-\u9fff]/;

before(async () => {
  const setup = await apiTestApp(["admin"]);
  ({ app, org, http } = setup);
  token = setup.tokens.get("admin") ?? "";
  await givePassword(app, org.staff.admin.id);
  admin = await signIn(http, org.staff.admin.employeeNo);
});
after(() => app.close());

function post(path: string, body: BodyInit, contentType?: string) {
  return http.request(`/api/v1${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, ...(contentType ? { "content-type": contentType } : {}) },
    body,
  });
}

/** Asserts a Japanese `{"error":{"code","message"}}` body with this status and code. */
async function assertApiError(res: Response, status: number, code: string) {
  assert.equal(res.status, status, await res.clone().text());
  assert.match(res.headers.get("content-type") ?? "", /application\/json/);
  const body = await json(res);
  assert.equal(field(body, "error", "code"), code);
  assert.match(String(field(body, "error", "message")), japanese);
  return body;
}

const newStaff = (name: string) => ({
  employeeNo: `N${Math.floor(Math.random() * 1e6)}`,
  name,
  email: `n${Math.floor(Math.random() * 1e6)}@city.example.lg.jp`,
  departmentId: org.departments.soumu.id,
  divisionId: org.divisions.soumuka.id,
  positionId: org.positions.shuji.id,
});

test("a JSON body that cannot be read is a Japanese 400; a Content-Type the operation does not take, a 415", async () => {
  await assertApiError(await post("/departments", "", "application/json"), 400, "bad_request");
  await assertApiError(await post("/departments", '{"code":"x","na', "application/json"), 400, "bad_request");
  await assertApiError(await post("/departments", "null", "application/json"), 422, "validation");
  await assertApiError(
    await post("/departments", '{"code":"x"}', "text/plain"),
    415,
    "unsupported_media_type",
  );
  await assertApiError(await post("/departments", '{"code":"x"}'), 415, "unsupported_media_type");
  await assertApiError(
    await post("/check", "a=b", "application/x-www-form-urlencoded"),
    415,
    "unsupported_media_type",
  );
});

test("a NUL or a lone surrogate is a 422 naming the field, and nothing is stored", async () => {
  for (const name of ["山田\u0000太郎", "山田\ud800太郎", "\udc00"]) {
    const sent = newStaff(name);
    const body = await assertApiError(await callApi(http, token, "POST", "/staff", sent), 422, "validation");
    assert.equal(field(body, "error", "fields", 0, "field"), "name", JSON.stringify(body));
    assert.equal(await findStaffByEmployeeNo(app.ctx.db, sent.employeeNo), undefined);
  }
  const query = await assertApiError(await callApi(http, token, "GET", "/staff?q=%00"), 422, "validation");
  assert.equal(field(query, "error", "fields", 0, "field"), "q");
});

test("search boxes with a NUL on the staff, consultation and archive pages show a Japanese error page", async () => {
  for (const path of ["/staff", "/consultations", "/posts/archive", "/accounts", "/transfers"]) {
    const res = await admin.get(`${path}?q=%00`);
    assert.equal(res.status, 422, path);
    const html = await res.text();
    assert.match(html, /<h1>入力内容を確認してください<\/h1>/, path);
    assert.match(html, /使用できない文字/, path);
  }
});

test("a form with a NUL byte shows a Japanese error page and stores nothing", async () => {
  const res = await admin.post("/staff", { ...stringsOf(newStaff("山田\u0000太郎")), employeeNo: "F1" });
  assert.equal(res.status, 422);
  assert.match(await res.text(), /使用できない文字/);
  assert.equal(await findStaffByEmployeeNo(app.ctx.db, "F1"), undefined);
  const broken = await http.request("/staff", {
    method: "POST",
    headers: {
      cookie: [...admin.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
      origin: "http://localhost:3000",
      "content-type": "multipart/form-data; boundary=zz",
    },
    body: "--zz\r\nbroken",
  });
  assert.equal(broken.status, 400);
  assert.match(await broken.text(), /フォームを読み取れませんでした/);
});

function stringsOf(value: Record<string, string | number>): Record<string, string> {
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
}

test("a staff CSV with a NUL in a name gets that row refused, on the page and through the API", async () => {
  const csv = new TextEncoder().encode(
    "職員番号,氏名,メールアドレス,部,課,職\nZ9001,架空\u0000太郎,z9001@city.example.lg.jp,総務部,総務課,主事\n",
  );
  const preview = await admin.upload(
    "/staff/import",
    { kind: "staff" },
    { field: "file", name: "z.csv", bytes: csv },
  );
  assert.equal(preview.status, 200);
  const html = await preview.text();
  assert.match(html, /取込不可/);
  assert.match(html, /制御文字/);
  for (const dryRun of ["true", "false"]) {
    const res = await http.request(`/api/v1/staff/import?dryRun=${dryRun}&skipRejected=true`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "text/csv" },
      body: csv,
    });
    assert.equal(res.status, 200, await res.clone().text());
    assert.match(JSON.stringify(await res.json()), /制御文字/);
  }
  assert.equal(await findStaffByEmployeeNo(app.ctx.db, "Z9001"), undefined);
});

test("an unknown API path is a JSON 404, with a valid token too; without one, a 401", async () => {
  await assertApiError(await callApi(http, token, "GET", "/no-such-thing"), 404, "not_found");
  await assertApiError(await callApi(http, token, "POST", "/staff/1/no-such-action", {}), 404, "not_found");
  await assertApiError(await http.request("/api/v1/no-such-thing"), 401, "unauthenticated");
});

test("a cookie-authenticated API call without the CSRF token is a JSON 403; with it, it goes through", async () => {
  const cookie = [...admin.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  const headers = { cookie, origin: "http://localhost:3000", "content-type": "application/json" };
  const body = JSON.stringify({ code: "csrf-test", name: "検証部" });
  const refused = await http.request("/api/v1/departments", { method: "POST", headers, body });
  await assertApiError(refused, 403, "forbidden");
  const csrf = await admin.csrf();
  const accepted = await http.request("/api/v1/departments", {
    method: "POST",
    headers: { ...headers, "x-csrf-token": csrf },
    body,
  });
  assert.equal(accepted.status, 201, await accepted.text());
});

test("a body over 10 MB is a Japanese 413: JSON on the API, a page elsewhere", async () => {
  const big = `{"text":"${"x".repeat(10 * 1024 * 1024)}"}`;
  await assertApiError(await post("/check", big, "application/json"), 413, "too_large");
  const page = await admin.post("/staff", { name: "x".repeat(10 * 1024 * 1024) });
  assert.equal(page.status, 413);
  assert.match(await page.text(), /大きすぎます/);
});
