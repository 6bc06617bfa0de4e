/**
 * Nobody but the policy director, the security director and auditors can tell that a violation
 * record exists (9): pages and API answer the same 404 for a record and for nothing, there is no
 * menu item, no dashboard line, and the audit log viewer and API leave the entries out (the
 * administrator reads the audit log, the auditor still sees them). The readers see the record,
 * with 第9 ただし書 at the top when it applies.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createApiToken } from "../../src/app/auth/api-tokens.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { type TestApp, testApp } from "../support/context.ts";
import { type Browser, givePassword, signIn } from "../support/http.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";

type Who =
  | "admin"
  | "auditor"
  | "securityDirector"
  | "policyDirector"
  | "kouhouManager"
  | "kouhouStaff"
  | "desk";
const readers: Who[] = ["policyDirector", "securityDirector", "auditor"];
const others: Who[] = ["admin", "kouhouManager", "kouhouStaff", "desk"];

let app: TestApp;
let org: TestOrg;
let http: ReturnType<typeof createHttpApp>;
const browsers = new Map<Who, Browser>();
const tokens = new Map<Who, string>();
let recordId = 0;

before(async () => {
  app = await testApp({ start: "2026-06-01T01:00:00Z" });
  org = await seedOrg(app.ctx);
  http = createHttpApp(app.ctx);
  for (const who of [...readers, ...others]) {
    await givePassword(app, org.staff[who].id);
    browsers.set(who, await signIn(http, org.staff[who].employeeNo));
    tokens.set(who, (await createApiToken(app.ctx, { actor: org.actors[who], input: { name: "t" } })).token);
  }
});
after(() => app.close());

function page(who: Who): Browser {
  const b = browsers.get(who);
  if (!b) throw new Error(who);
  return b;
}

function api(who: Who, path: string, init: { method?: string; body?: unknown } = {}) {
  return http.request(`/api/v1${path}`, {
    method: init.method ?? "GET",
    headers: { authorization: `Bearer ${tokens.get(who)}`, "content-type": "application/json" },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
}

/** A page without what differs between two requests of one person (the CSRF token). */
const normalised = (html: string) => html.replace(/name="_csrf" value="[^"]*"/g, "");

test("the security director records a violation from the page; the 第9 ただし書 shows at the top", async () => {
  const res = await page("securityDirector").post("/violations", {
    clause: "5.2.4",
    severity: "medium",
    circumstances: "警察を名乗る者からの要求に対し、規程の照会手続きを経て庁舎の案内図を示した。",
    violators: org.staff.kouhouStaff.employeeNo,
    supervisors: org.staff.kouhouManager.employeeNo,
    properProcedure: "on",
  });
  assert.equal(res.status, 303);
  recordId = Number(/\/violations\/(\d+)$/.exec(res.headers.get("location") ?? "")?.[1]);
  assert.ok(recordId > 0);
  const html = await page("auditor").text(`/violations/${recordId}`);
  const top = html.indexOf("処罰の対象とはなりません（第9 ただし書）");
  assert.ok(top > 0 && top < html.indexOf("事案の状況"), "the note comes before the details");
  assert.ok(html.includes("広報 主事"));
  assert.ok(!html.includes('href="/violations/1/edit"'), "the auditor reads only");
  assert.match(await page("auditor").text("/"), /href="\/violations"/, "the readers have the menu item");
});

test("to everyone else every page is the same 404 for a record and for nothing, with no menu item", async () => {
  for (const who of others) {
    const b = page(who);
    const paths = [
      `/violations/${recordId}`,
      `/violations/${recordId + 1000}`,
      `/violations/${recordId}/edit`,
      `/violations/${recordId + 1000}/edit`,
    ];
    const bodies: string[] = [];
    for (const path of paths) {
      const res = await b.get(path);
      assert.equal(res.status, 404, `${who} ${path}`);
      bodies.push(normalised(await res.text()));
    }
    assert.equal(bodies[0], bodies[1], `${who}: a record and nothing look the same`);
    assert.equal(bodies[2], bodies[3]);
    const unknown = await b.get("/no-such-page-here");
    assert.equal(unknown.status, 404);
    const nothing = normalised(await unknown.text());
    const list = await b.get("/violations");
    assert.equal(list.status, 404);
    assert.equal(
      normalised(await list.text()),
      nothing,
      `${who}: the list is the 404 of a page that does not exist`,
    );
    assert.equal(bodies[0], nothing, `${who}: so is a record`);
    assert.equal((await b.get("/violations/new")).status, 404);
    const post = await b.post(`/violations/${recordId}/status`, { status: "closed" });
    const postMissing = await b.post(`/violations/${recordId + 1000}/status`, { status: "closed" });
    assert.equal(post.status, 404);
    assert.equal(normalised(await post.text()), normalised(await postMissing.text()));
    const dashboard = await b.text("/");
    assert.ok(!dashboard.includes("/violations"), `${who}: no menu item or link`);
    assert.ok(!dashboard.includes("違反"), `${who}: no word of violations on the dashboard`);
  }
});

test("the API answers the same 404 to everyone else, before looking at the body", async () => {
  for (const who of others) {
    const one = await api(who, `/violations/${recordId}`);
    const none = await api(who, `/violations/${recordId + 1000}`);
    assert.equal(one.status, 404);
    assert.equal(none.status, 404);
    assert.deepEqual(await one.json(), await none.json());
    assert.equal((await api(who, "/violations")).status, 404);
    assert.equal((await api(who, "/violations?status=open")).status, 404);
    assert.equal((await api(who, "/violations", { method: "POST", body: { nonsense: true } })).status, 404);
    const put = await api(who, `/violations/${recordId}`, { method: "PUT", body: {} });
    assert.equal(put.status, 404);
  }
  for (const who of readers) {
    const res = await api(who, `/violations/${recordId}`);
    assert.equal(res.status, 200, who);
    const body: unknown = await res.json();
    assert.match(JSON.stringify(body), /"properProcedure":true/);
  }
  const byAuditor = await api("auditor", "/violations", {
    method: "POST",
    body: {
      clause: "5.2.4",
      severity: "low",
      circumstances: "試し",
      violators: [org.staff.kouhouStaff.employeeNo],
    },
  });
  assert.equal(byAuditor.status, 403, "the auditor reads only");
});

test("the audit log viewer and API leave violation entries out for the admin; the auditor sees them", async () => {
  const admin = page("admin");
  const viewer = await admin.text("/audit");
  assert.ok(!viewer.includes("violation"), "no violation entry, not even a refusal");
  assert.ok(!(await admin.text("/audit?targetType=violation")).includes(">violation"));
  const searched = await admin.text("/audit?text=%E8%AD%A6%E5%AF%9F"); // 警察, a word of the record
  assert.ok(searched.includes("条件に合う記録はありません"), "nor by searching its words");

  const adminApi: unknown = await (await api("admin", "/audit?limit=500")).json();
  assert.ok(
    typeof adminApi === "object" && adminApi !== null && "items" in adminApi && Array.isArray(adminApi.items),
  );
  assert.ok(adminApi.items.length > 0);
  assert.ok(!JSON.stringify(adminApi.items).includes('"violation'), "the API leaves them out too");

  const auditorApi: unknown = await (await api("auditor", "/audit?targetType=violation&limit=500")).json();
  assert.ok(
    typeof auditorApi === "object" &&
      auditorApi !== null &&
      "items" in auditorApi &&
      Array.isArray(auditorApi.items),
  );
  const actions = auditorApi.items.map((e: { action: string }) => e.action);
  assert.ok(actions.includes("violation.create"), "the auditor sees the record being made");
  assert.ok(actions.includes("auth.denied"), "and the refused attempts");
  const refusals = auditorApi.items.filter((e: { action: string }) => e.action === "auth.denied");
  assert.ok(
    refusals.every((e: { targetId: string | null }) => e.targetId === null),
    "a refusal names no record",
  );
  assert.match(
    await page("auditor").text("/audit?targetType=violation&action=violation."),
    /違反の記録の作成/,
  );
});
