/**
 * The council pages and their API twins (6): the roster seats each division (課等) with an account
 * by its 課等の長 and flags one where nobody sits, the 部長 names someone from the page, the member records a meeting and attaches its
 * 次第 (a renamed executable is refused), everyone downloads it, and the rules show what changed.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createApiToken } from "../../src/app/auth/api-tokens.ts";
import { insertDivision } from "../../src/db/repos/org.ts";
import { insertStaff } from "../../src/db/repos/staff.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { seedAccount } from "../support/accounts.ts";
import { type TestApp, testApp } from "../support/context.ts";
import { type Browser, givePassword, signIn } from "../support/http.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";

let app: TestApp;
let org: TestOrg;
let http: ReturnType<typeof createHttpApp>;
let director: Browser;
let member: Browser;
let reader: Browser;
const tokens: Record<string, string> = {};

before(async () => {
  app = await testApp({ start: "2026-06-01T01:00:00Z" });
  org = await seedOrg(app.ctx);
  await seedAccount(app.ctx, { divisionId: org.divisions.kouhou.id, managerId: org.staff.kouhouManager.id });
  await seedAccount(app.ctx, { divisionId: org.divisions.soumuka.id, managerId: org.staff.soumuManager.id });
  for (const p of [org.staff.policyDirector, org.staff.kouhouStaff, org.staff.soumuStaff])
    await givePassword(app, p.id);
  http = createHttpApp(app.ctx);
  director = await signIn(http, org.staff.policyDirector.employeeNo);
  member = await signIn(http, org.staff.kouhouStaff.employeeNo);
  reader = await signIn(http, org.staff.soumuStaff.employeeNo);
  for (const who of ["kouhouStaff", "soumuStaff", "admin"] as const) {
    tokens[who] = (await createApiToken(app.ctx, { actor: org.actors[who], input: { name: "test" } })).token;
  }
});
after(() => app.close());

function api(who: string, path: string, init: { method?: string; body?: BodyInit; type?: string } = {}) {
  return http.request(`/api/v1${path}`, {
    method: init.method ?? "GET",
    headers: { authorization: `Bearer ${tokens[who]}`, "content-type": init.type ?? "application/json" },
    ...(init.body === undefined ? {} : { body: init.body }),
  });
}

test("the roster seats divisions with accounts and flags one where nobody sits; the 部長 names from the page", async () => {
  // 情報政策課 applies for an account and its 課長 post is vacant.
  const joho = await insertDivision(app.ctx.db, {
    departmentId: org.departments.seisaku.id,
    code: "zjoho",
    name: "情報政策課",
    kana: "じょうほうせいさくか",
  });
  await seedAccount(app.ctx, {
    divisionId: joho.id,
    managerId: org.staff.policyDirector.id,
    status: "pending_department_head",
  });
  const newcomer = await insertStaff(app.ctx.db, {
    employeeNo: "T0900",
    name: "情報 主査",
    kana: "",
    email: "t900@city.example.lg.jp",
    departmentId: org.departments.seisaku.id,
    divisionId: joho.id,
    positionId: org.positions.kakarichou.id,
    active: true,
  });
  const before = await director.text("/council");
  assert.ok(
    before.includes("出席者のいない課等があります: 総合政策部 情報政策課"),
    "the vacant division is flagged",
  );
  assert.ok(before.includes("広報 課長"), "広報広聴課 sits by its 課長");
  assert.ok(before.includes(`action="/council/members/${joho.id}"`), "the 部長 has a form");
  assert.ok(
    !before.includes(`action="/council/members/${org.divisions.soumuka.id}"`),
    "not for another department's division",
  );
  assert.ok(!(await reader.text("/council")).includes('action="/council/members/'), "no form for others");

  for (const [divisionId, staffId] of [
    [joho.id, newcomer.id],
    [org.divisions.kouhou.id, org.staff.kouhouStaff.id],
  ] as const) {
    const res = await director.post(`/council/members/${divisionId}`, {
      [`staffId-${divisionId}`]: String(staffId),
    });
    assert.equal(res.status, 303);
  }
  const after = await reader.text("/council");
  assert.ok(!after.includes("出席者のいない課等があります"), "nobody is missing");

  const roster: unknown = await (await api("soumuStaff", "/council")).json();
  assert.ok(
    typeof roster === "object" && roster !== null && "items" in roster && Array.isArray(roster.items),
  );
  assert.deepEqual(
    roster.items.map((r: { divisionName: string; state: string; source: string | null }) => [
      r.divisionName,
      r.state,
      r.source,
    ]),
    [
      ["広報広聴課", "ok", "designated"],
      ["情報政策課", "ok", "designated"],
      ["総務課", "ok", "head"],
    ],
  );
  const byAdmin = await api("admin", `/council/members/${org.divisions.soumuka.id}`, {
    method: "PUT",
    body: JSON.stringify({ staffId: org.staff.soumuStaff.id }),
  });
  assert.equal(byAdmin.status, 200);
});

test("a member records a meeting, attaches its 次第, and everyone can download it", async () => {
  assert.equal((await reader.get("/council/meetings/new")).status, 200, "the 総務部 member records too");
  const created = await member.post("/council/meetings", {
    heldOn: "2026-05-28",
    title: "第1回 ソーシャルメディア等活用連絡協議会",
    agenda: "1 運用状況の報告",
    minutes: "各部署から報告した。",
  });
  assert.equal(created.status, 303);
  const path = created.headers.get("location") ?? "";
  assert.match(path, /^\/council\/meetings\/\d+$/);

  const pdf = new TextEncoder().encode("%PDF-1.4\n%%EOF\n");
  const uploaded = await member.upload(
    `${path}/attachments`,
    {},
    {
      name: "第1回次第.pdf",
      field: "file",
      bytes: pdf,
      type: "application/pdf",
    },
  );
  assert.equal(uploaded.status, 303);
  const refused = await member.upload(
    `${path}/attachments`,
    {},
    {
      name: "資料.pdf",
      field: "file",
      bytes: new Uint8Array([0x4d, 0x5a, 0x90, 0x00]),
      type: "application/pdf",
    },
  );
  assert.equal(refused.status, 422);
  assert.ok((await refused.text()).includes("中身がPDFのファイルではありません"));

  const page = await reader.text(path);
  assert.ok(page.includes("各部署から報告した。"));
  const link = /href="(\/council\/meetings\/\d+\/attachments\/\d+)">第1回次第\.pdf/.exec(page)?.[1];
  assert.ok(link, "the attachment is listed");
  const download = await reader.get(link);
  assert.equal(download.status, 200);
  assert.equal(download.headers.get("content-type"), "application/pdf");
  assert.match(download.headers.get("content-disposition") ?? "", /^attachment; .*filename\*=UTF-8''/);
  assert.deepEqual(new Uint8Array(await download.arrayBuffer()), pdf);

  const viaApi = await api("kouhouStaff", `${path}/attachments?filename=${encodeURIComponent("写真.png")}`, {
    method: "POST",
    type: "application/octet-stream",
    body: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]),
  });
  assert.equal(viaApi.status, 201);
  const meeting: unknown = await (await api("soumuStaff", path)).json();
  assert.ok(
    typeof meeting === "object" &&
      meeting !== null &&
      "attachments" in meeting &&
      Array.isArray(meeting.attachments),
  );
  assert.equal(meeting.attachments.length, 2);
});

test("the rules: the policy director records versions; every version shows what changed", async () => {
  const v1 = "第1条　本会は協議会と称する。\n第5条　会議は年2回開催する。";
  assert.equal((await director.post("/council/rules", { text: v1, adoptedOn: "2014-07-01" })).status, 303);
  assert.equal(
    (await director.post("/council/rules", { text: v1.replace("年2回", "年3回"), adoptedOn: "2016-04-01" }))
      .status,
    303,
  );
  assert.equal((await reader.post("/council/rules", { text: "x", adoptedOn: "2016-04-01" })).status, 403);
  const page = await reader.text("/council/rules");
  assert.ok(page.includes("第1版からの変更点"));
  assert.ok(
    page.includes('<del><span class="visually-hidden">［削除］</span>2</del>'),
    "the old number struck",
  );
  assert.ok(
    page.includes('<ins><span class="visually-hidden">［追加］</span>3</ins>'),
    "the new number marked",
  );
  const first = await reader.text("/council/rules/1");
  assert.ok(first.includes("これは過去の版です"));
});
