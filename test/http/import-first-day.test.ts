/**
 * The import pages on a city's first day: a file that is not a CSV, a file with an unclosed quote,
 * a staff file before the organisation file, and pressing 取り込む with rejected rows — each says
 * what happened, on the import page, with the form kept.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, test } from "node:test";
import { ensureFirstAdmin } from "../../src/app/setup.ts";
import { findStaffByEmployeeNo } from "../../src/db/repos/staff.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { type TestApp, testApp } from "../support/context.ts";
import { givePassword, signIn } from "../support/http.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";

let app: TestApp;
let org: TestOrg;
let http: ReturnType<typeof createHttpApp>;
let fresh: TestApp;
let freshHttp: ReturnType<typeof createHttpApp>;

before(async () => {
  app = await testApp();
  org = await seedOrg(app.ctx);
  await givePassword(app, org.staff.admin.id);
  http = createHttpApp(app.ctx);
  fresh = await testApp();
  await ensureFirstAdmin(fresh.ctx);
  const admin = await findStaffByEmployeeNo(fresh.ctx.db, "admin");
  if (admin) await givePassword(fresh, admin.id);
  freshHttp = createHttpApp(fresh.ctx);
});
after(async () => {
  await app.close();
  await fresh.close();
});

function hiddenFields(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
    if (m[1] && m[1] !== "_csrf") out[m[1]] = m[2] ?? "";
  }
  return out;
}

/** The first bytes of a PNG image, as a file renamed to `.csv` would carry them. */
const png = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1,
]);

const upload = (b: Awaited<ReturnType<typeof signIn>>, fields: Record<string, string>, bytes: Uint8Array) =>
  b.upload("/staff/import", fields, { field: "file", name: "staff.csv", bytes });

test("a PNG renamed to .csv: 422 on the import page naming what it is, the form and its choices kept", async () => {
  const b = await signIn(http, org.staff.admin.employeeNo);
  for (const kind of ["staff", "org"]) {
    const res = await upload(b, { kind, encoding: "sjis", effectiveDate: "2027-04-01" }, png);
    assert.equal(res.status, 422, kind);
    const html = await res.text();
    assert.match(html, /<h1>CSVの取込み<\/h1>/);
    assert.ok(html.includes("このファイルはCSVではなく、PNG画像のようです。"), kind);
    assert.ok(html.includes('<a href="#f-file">'), "the summary links to the file field");
    assert.ok(html.includes('id="f-file-error"'), "the problem is also next to the field");
    assert.ok(html.includes(`<option value="${kind}" selected="">`), "the kind is kept");
    assert.ok(html.includes('<option value="sjis" selected="">'), "the encoding is kept");
    assert.ok(html.includes('value="2027-04-01"'), "the 発令日 is kept");
    assert.doesNotMatch(html, /臼NG/, "no garbled header is echoed");
  }
  const xlsx = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]);
  const html = await (await upload(b, { kind: "staff" }, xlsx)).text();
  assert.ok(html.includes("Excelのブック（.xlsx）"), "an Excel workbook is named as one");
  assert.ok(html.includes("「CSV UTF-8（コンマ区切り）」"), "and the way to save it as CSV is given");
});

test("a 発令日 more than a year away: 422 on the import page, the problem next to the date field, the date kept", async () => {
  const b = await signIn(http, org.staff.admin.employeeNo);
  const csv = new TextEncoder().encode("職員番号,氏名\n");
  const res = await upload(b, { kind: "staff", encoding: "auto", effectiveDate: "2062-04-01" }, csv);
  assert.equal(res.status, 422);
  const html = await res.text();
  assert.ok(html.includes("発令日が1年以上先になっています。"), "the reason is given");
  assert.ok(html.includes('<a href="#f-effectiveDate">'), "the summary links to the date field");
  assert.ok(html.includes('id="f-effectiveDate-error"'), "the problem is next to the date field");
  assert.ok(html.includes('value="2062-04-01"'), "the date as typed is kept");
});

test("an unclosed quote: 422 on the import page with the line, the kind kept", async () => {
  const b = await signIn(http, org.staff.admin.employeeNo);
  const bytes = new TextEncoder().encode('種別,部コード,部名\n組織,"100,総合政策部\n組織,200,総務部\n');
  const res = await upload(b, { kind: "org" }, bytes);
  assert.equal(res.status, 422);
  const html = await res.text();
  assert.ok(html.includes("引用符（&quot;）で始まる項目が閉じられていません"), "the problem is named");
  assert.match(html, /\d行目付近/, "with its line");
  assert.ok(html.includes('<option value="org" selected="">'), "the kind is kept");
});

test("a staff file before the organisation file says first that the organisation is missing, with a link", async () => {
  const b = await signIn(freshHttp, "admin");
  const csv = await readFile(new URL("../fixtures/staff-utf8-bom.csv", import.meta.url));
  const res = await upload(b, { kind: "staff" }, csv);
  assert.equal(res.status, 200);
  const html = await res.text();
  const warning = html.indexOf("先に組織のCSVを取り込んでください");
  assert.ok(warning > 0, "the missing organisation is named");
  assert.ok(warning < html.indexOf("<table"), "before the rejected rows");
  assert.ok(html.includes('<a href="/staff/import?kind=org">'), "with a link to the organisation import");

  const org = await readFile(new URL("../fixtures/org.csv", import.meta.url));
  const orgHtml = await (await upload(b, { kind: "org" }, org)).text();
  assert.doesNotMatch(orgHtml, /先に組織のCSV/, "not on the organisation file itself");
});

test("the summary line has one 「。」 per sentence and an ignored column is mentioned once", async () => {
  const b = await signIn(http, org.staff.admin.employeeNo);
  const csv = `職員番号,氏名,メールアドレス,部,課,職,備考\n${org.staff.admin.employeeNo},${org.staff.admin.name},${org.staff.admin.email},x,,y,メモ\n`;
  const html = await (await upload(b, { kind: "staff" }, new TextEncoder().encode(csv))).text();
  assert.doesNotMatch(html, /。。/);
  assert.match(html, /文字コード: UTF-8。取込不可 1件。ファイルにない職員（\d+人）はそのままです。/);
  assert.equal(html.split("「備考」").length - 1, 1, "the ignored column is listed once");
  assert.doesNotMatch(html, /使われない列/);

  const headerOnly = await (
    await upload(b, { kind: "staff" }, new TextEncoder().encode("職員番号,氏名,メールアドレス,部,職\n"))
  ).text();
  assert.match(headerOnly, /<p>文字コード: UTF-8。<\/p>/, "nothing counted: no stray 「。」");
});

test("取り込む without the tick: 422 on the confirmation page saying what happened and what to do", async () => {
  const b = await signIn(http, org.staff.admin.employeeNo);
  const csv =
    "職員番号,氏名,メールアドレス,部,課,職\n" +
    "F9001,初日 一郎,f9001@city.example.lg.jp,総務部,総務課,主事\n" +
    "F9002,初日 二郎,f9002@city.example.lg.jp,存在しない部,,主事\n";
  const preview = await (await upload(b, { kind: "staff" }, new TextEncoder().encode(csv))).text();
  const res = await b.post("/staff/import/apply", hiddenFields(preview));
  assert.equal(res.status, 422);
  const html = await res.text();
  assert.ok(html.includes("まだ何も取り込んでいません"));
  assert.ok(
    html.includes("取込不可の行が1行あるため、ファイル全体を取り込んでいません（取り込める行は1行あります）"),
    "says exactly what happened",
  );
  assert.ok(
    html.includes("「取込不可の1行を除いて、残りを取り込む」にチェックを入れてから"),
    "and what to do",
  );
  assert.ok(html.includes('name="skipRejected"'), "the choice is offered again");
  assert.doesNotMatch(html, /取り込める内容がなかった/);
  assert.equal(await findStaffByEmployeeNo(app.ctx.db, "F9001"), undefined, "nothing applied");

  const ticked = await b.post("/staff/import/apply", { ...hiddenFields(html), skipRejected: "on" });
  assert.equal(ticked.status, 303);
  assert.ok(await findStaffByEmployeeNo(app.ctx.db, "F9001"), "the good row is applied");
  const list = await b.text(ticked.headers.get("location") ?? "/staff");
  assert.ok(list.includes("取込不可の1行は取り込んでいません"), list.slice(0, 200));
});
