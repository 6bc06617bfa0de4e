/**
 * The CSV import pages: a new administrator uploads the organisation CSV, then the staff CSV as
 * Excel saves it (Shift_JIS), checks the dry run and sees the people listed.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, test } from "node:test";
import iconv from "iconv-lite";
import { createApiToken } from "../../src/app/auth/api-tokens.ts";
import { ensureFirstAdmin } from "../../src/app/setup.ts";
import { entriesAfter, lastEntry } from "../../src/db/repos/audit.ts";
import { countStaff, findStaffByEmployeeNo } from "../../src/db/repos/staff.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { type TestApp, testApp } from "../support/context.ts";
import { givePassword, signIn } from "../support/http.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";

let app: TestApp;
let org: TestOrg;
let http: ReturnType<typeof createHttpApp>;
let fresh: TestApp;
let freshHttp: ReturnType<typeof createHttpApp>;
const fixture = (name: string) => readFile(new URL(`../fixtures/${name}`, import.meta.url));

before(async () => {
  app = await testApp();
  org = await seedOrg(app.ctx);
  await givePassword(app, org.staff.admin.id);
  await givePassword(app, org.staff.kouhouManager.id);
  http = createHttpApp(app.ctx);
  // A city's first start: only the first administrator exists.
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

test("organisation first, then staff in Shift_JIS: the dry run changes nothing, applying lists everyone", async () => {
  const b = await signIn(freshHttp, "admin");
  const before = await countStaff(fresh.ctx.db);

  const orgPreview = await b.upload(
    "/staff/import",
    { kind: "org", encoding: "auto" },
    { field: "file", name: "org.csv", bytes: await fixture("org.csv") },
  );
  assert.equal(orgPreview.status, 200);
  const orgHtml = await orgPreview.text();
  assert.ok(orgHtml.includes("取込内容の確認（組織）"));
  assert.ok(orgHtml.includes("新規登録"));
  const orgApply = await b.post("/staff/import/apply", hiddenFields(orgHtml));
  assert.equal(orgApply.status, 303);

  const preview = await b.upload(
    "/staff/import",
    { kind: "staff", encoding: "auto", effectiveDate: "2026-11-24" },
    { field: "file", name: "staff-sjis.csv", bytes: await fixture("staff-sjis.csv") },
  );
  const html = await preview.text();
  assert.ok(html.includes("文字コード: Shift_JIS"), "the encoding was recognised");
  assert.equal(await countStaff(fresh.ctx.db), before, "a dry run changes nothing");
  assert.ok(!html.includes("取込不可"), "no row is rejected");

  const applied = await b.post("/staff/import/apply", hiddenFields(html));
  assert.equal(applied.status, 303);
  const list = await b.text("/staff?status=all");
  const total = Number(/検索結果 (\d+)件/.exec(list)?.[1]);
  assert.ok(total >= before + 30, `staff listed: ${total}`);
});

test("a staff file naming an unknown department shows the row and the reason, and applying nothing is refused politely", async () => {
  const b = await signIn(http, org.staff.admin.employeeNo);
  const csv =
    "職員番号,氏名,メールアドレス,部,課,職\nX9001,架空 太郎,x9001@city.example.lg.jp,存在しない部,,主事\n";
  const preview = await b.upload(
    "/staff/import",
    { kind: "staff" },
    { field: "file", name: "x.csv", bytes: new TextEncoder().encode(csv) },
  );
  const html = await preview.text();
  assert.ok(html.includes("取込不可"));
  assert.ok(html.includes("部「存在しない部」が見つかりません"));
});

test("the import page itself is refused to non-administrators, with a Japanese 403 and an audit entry", async () => {
  const manager = await signIn(http, org.staff.kouhouManager.employeeNo);
  const since = (await lastEntry(app.ctx.db))?.seq ?? 0;
  for (const path of ["/staff/import", "/staff/import?kind=org"]) {
    const res = await manager.get(path);
    assert.equal(res.status, 403, path);
    const html = await res.text();
    assert.match(html, /<h1>権限がありません<\/h1>/);
    assert.doesNotMatch(html, /type="file"/, "no upload form");
  }
  const denied = (await entriesAfter(app.ctx.db, since, 100)).filter((e) => e.action === "auth.denied");
  assert.deepEqual(
    denied.map((e) => [e.actorId, e.targetId]),
    [
      [org.staff.kouhouManager.id, "staff.manage"],
      [org.staff.kouhouManager.id, "org.manage"],
    ],
  );
  const admin = await signIn(http, org.staff.admin.employeeNo);
  assert.equal((await admin.get("/staff/import")).status, 200);
});

test("only administrators may import; the export opens in Excel (UTF-8 with BOM)", async () => {
  const manager = await signIn(http, org.staff.kouhouManager.employeeNo);
  const refused = await manager.upload(
    "/staff/import",
    { kind: "staff" },
    { field: "file", name: "x.csv", bytes: new TextEncoder().encode("職員番号\n") },
  );
  assert.equal(refused.status, 403);
  const admin = await signIn(http, org.staff.admin.employeeNo);
  const res = await admin.get("/staff/export.csv");
  assert.equal(res.status, 200);
  const bytes = new Uint8Array(await res.arrayBuffer());
  assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.ok(new TextDecoder().decode(bytes).includes("職員番号"));
});

/** A staff CSV in Shift_JIS whose line 3 has the broken sequence 0x81 0x20 in the name. */
function brokenStaffFile(): Buffer {
  const head =
    "職員番号,氏名,メールアドレス,部,課,職\r\nB9001,正常 一郎,b9001@city.example.lg.jp,総務部,総務課,主事\r\nB9002,破損";
  const tail = "花子,b9002@city.example.lg.jp,総務部,総務課,主事\r\n";
  return Buffer.concat([iconv.encode(head, "cp932"), Buffer.from([0x81, 0x20]), iconv.encode(tail, "cp932")]);
}

const unreadable = "文字コード（Shift_JIS）として読めない文字が含まれています（氏名）。";

test("broken Shift_JIS on the page: the row is refused with its line and reason, and the form stays", async () => {
  const b = await signIn(http, org.staff.admin.employeeNo);
  const preview = await b.upload(
    "/staff/import",
    { kind: "staff" },
    { field: "file", name: "broken.csv", bytes: brokenStaffFile() },
  );
  assert.equal(preview.status, 200);
  const html = await preview.text();
  const rejected = /<tr><td[^>]*class="num">3<\/td>(.*?)<\/tr>/s.exec(html)?.[1] ?? "";
  assert.ok(rejected.includes("取込不可") && rejected.includes(unreadable), rejected);
  assert.ok(html.includes("取込不可の1行を除いて、残りを取り込む"), "the confirm form is offered");

  const applied = await b.post("/staff/import/apply", hiddenFields(html));
  assert.equal(applied.status, 422, "applying without leaving out the refused row is refused");
  assert.ok((await applied.text()).includes("取込不可の行が1行あるため、ファイル全体を取り込んでいません"));
  assert.equal(await findStaffByEmployeeNo(app.ctx.db, "B9001"), undefined, "nothing applied");
  assert.equal(await findStaffByEmployeeNo(app.ctx.db, "B9002"), undefined);
});

test("a file that cannot be read at all re-shows the upload form with the reason", async () => {
  const b = await signIn(http, org.staff.admin.employeeNo);
  const cases: [string, Uint8Array, string, string][] = [
    ["UTF-16", new Uint8Array([0xff, 0xfe, 0x41, 0x00]), "auto", "UTF-16形式"],
    ["malformed", new TextEncoder().encode('職員番号,氏名\n1,"open\n'), "auto", "引用符"],
    ["not UTF-8", iconv.encode("職員番号,氏名\r\n1,山田\r\n", "cp932"), "utf8", "UTF-8として読み取れません"],
  ];
  for (const [what, bytes, encoding, message] of cases) {
    const res = await b.upload(
      "/staff/import",
      { kind: "staff", encoding },
      { field: "file", name: "x.csv", bytes },
    );
    assert.ok(res.status === 400 || res.status === 422, `${what}: ${res.status}`);
    const html = await res.text();
    assert.ok(html.includes(message), `${what}: the reason is shown`);
    assert.ok(html.includes('<input type="file" id="f-file" name="file"'), `${what}: the form is there`);
  }
});

test("broken Shift_JIS over the API: the dry run refuses line 3, applying changes nothing", async () => {
  const { token } = await createApiToken(app.ctx, { actor: org.actors.admin, input: { name: "csv" } });
  const call = (query: string) =>
    http.request(`/api/v1/staff/import?${query}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "text/csv" },
      body: new Uint8Array(brokenStaffFile()),
    });
  const dry = await call("dryRun=true");
  assert.equal(dry.status, 200);
  const body: unknown = await dry.json();
  const text = JSON.stringify(body);
  assert.match(text, /"line":3,"outcome":"reject"/);
  assert.ok(text.includes(unreadable));
  const real = await call("dryRun=false");
  assert.equal(real.status, 200);
  assert.match(JSON.stringify(await real.json()), /"applied":false/);
  assert.equal(await findStaffByEmployeeNo(app.ctx.db, "B9001"), undefined);

  const orgFile = Buffer.concat([
    iconv.encode("部コード,部名,課コード,課名\r\nb90,正常部,b91,正常課\r\nb90,正常部,b92,破", "cp932"),
    Buffer.from([0x81, 0x20]),
    iconv.encode("課\r\n", "cp932"),
  ]);
  const orgDry = await http.request("/api/v1/org/import", {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "text/csv" },
    body: new Uint8Array(orgFile),
  });
  assert.equal(orgDry.status, 200);
  const orgText = JSON.stringify(await orgDry.json());
  assert.match(orgText, /"line":3,"kind":"division","code":"b92","name":"[^"]*","outcome":"reject"/);
  assert.ok(orgText.includes("文字コード（Shift_JIS）として読めない文字が含まれています（課名）"));
});
