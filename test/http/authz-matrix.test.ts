/**
 * Who may do what: every guideline role against every action that exists, through the API with
 * each person's own token. Refusals are 403 with a Japanese message and leave an audit entry.
 * The expectations are written out by hand (not derived from the policy module), so a change to
 * the policy that lets someone through shows up here.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createApiToken } from "../../src/app/auth/api-tokens.ts";
import { assignRole } from "../../src/app/staff/roles.ts";
import { entriesAfter } from "../../src/db/repos/audit.ts";
import { apiTestApp, type HttpApp } from "../support/api.ts";
import type { TestApp } from "../support/context.ts";
import type { TestOrg } from "../support/org.ts";

const personas = [
  "admin",
  "auditor",
  "securityDirector",
  "policyDirector",
  "kouhouManager",
  "kouhouStaff",
  "desk",
] as const;
type Persona = (typeof personas)[number];

let app: TestApp;
let org: TestOrg;
let http: HttpApp;
let tokens: Map<Persona, string>;

/** A 監査担当 proposed for the 総務課 主事, waiting for a director (9). */
let proposalId = 0;

before(async () => {
  ({ app, org, http, tokens } = await apiTestApp(personas, {}, "matrix"));
  const proposal = await assignRole(app.ctx, {
    actor: org.actors.admin,
    input: { staffId: org.staff.soumuStaff.id, role: "auditor", validUntil: "2027-03-31" },
  });
  proposalId = proposal.id;
});
after(() => app.close());

type Case = {
  action: string;
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: () => string;
  body?: () => unknown;
  allowed: Persona[] | "everyone";
};

let unique = 0;
const cases: Case[] = [
  { action: "org.read", method: "GET", path: () => "/api/v1/departments", allowed: "everyone" },
  {
    action: "org.manage",
    method: "POST",
    path: () => "/api/v1/departments",
    body: () => ({ code: `m${++unique}`, name: `検証部${unique}` }),
    allowed: ["admin"],
  },
  {
    action: "org.manage",
    method: "PUT",
    path: () => `/api/v1/divisions/${org.divisions.kouhou.id}`,
    body: () => ({ departmentId: org.departments.seisaku.id, code: "kouhou", name: "広報広聴課" }),
    allowed: ["admin"],
  },
  { action: "staff.read", method: "GET", path: () => "/api/v1/staff", allowed: "everyone" },
  {
    action: "role.read",
    method: "GET",
    path: () => `/api/v1/staff/${org.staff.soumuStaff.id}`,
    allowed: "everyone",
  },
  {
    action: "staff.manage",
    method: "POST",
    path: () => "/api/v1/staff",
    body: () => ({
      employeeNo: `M${++unique}`,
      name: "検証 職員",
      email: `m${unique}@city.example.lg.jp`,
      departmentId: org.departments.soumu.id,
      divisionId: org.divisions.soumuka.id,
      positionId: org.positions.shuji.id,
    }),
    allowed: ["admin"],
  },
  {
    action: "staff.manage",
    method: "POST",
    path: () => `/api/v1/staff/${org.staff.soumuStaff.id}/active`,
    body: () => ({ active: true }),
    allowed: ["admin"],
  },
  {
    action: "staff.export",
    method: "GET",
    path: () => "/api/v1/staff/export.csv",
    allowed: ["admin", "auditor"],
  },
  {
    action: "staff.manage (import)",
    method: "POST",
    path: () => "/api/v1/staff/import",
    body: () => "職員番号,氏名\n",
    allowed: ["admin"],
  },
  {
    action: "transfer.read",
    method: "GET",
    path: () => "/api/v1/transfers",
    allowed: ["admin", "auditor", "securityDirector", "policyDirector"],
  },
  {
    action: "transfer.manage",
    method: "POST",
    path: () => "/api/v1/transfers",
    body: () => ({
      staffId: org.staff.soumuStaff.id,
      effectiveDate: "2027-04-01",
      toDepartmentId: org.departments.soumu.id,
      toDivisionId: org.divisions.soumuka.id,
      toPositionId: org.positions.kakarichou.id,
    }),
    allowed: ["admin"],
  },
  {
    action: "role.assign",
    method: "POST",
    path: () => "/api/v1/role-assignments",
    body: () => ({
      staffId: org.staff.soumuStaff.id,
      role: "operator",
      scopeType: "division",
      scopeId: org.divisions.soumuka.id,
    }),
    allowed: ["admin"],
  },
  {
    action: "role.assign (acting)",
    method: "POST",
    path: () => "/api/v1/acting-assignments",
    body: () => ({
      staffId: org.staff.soumuStaff.id,
      absentStaffId: org.staff.soumuManager.id,
      fromDate: "2027-01-04",
      untilDate: "2027-01-08",
    }),
    allowed: ["admin"],
  },
  {
    action: "role.approve",
    method: "POST",
    path: () => `/api/v1/role-assignments/${proposalId}/approve`,
    allowed: ["policyDirector", "securityDirector"],
  },
  {
    action: "role.oversee",
    method: "GET",
    path: () => "/api/v1/privileged-roles",
    allowed: ["auditor", "securityDirector", "policyDirector"],
  },
  {
    action: "checker.use",
    method: "POST",
    path: () => "/api/v1/check",
    body: () => ({ text: "お知らせです。", platform: "x", kind: "post" }),
    allowed: "everyone",
  },
  {
    action: "audit.read",
    method: "GET",
    path: () => "/api/v1/audit",
    allowed: ["admin", "auditor", "securityDirector"],
  },
  {
    action: "user.reset_password",
    method: "POST",
    path: () => `/api/v1/staff/${org.staff.soumuStaff.id}/password-link`,
    allowed: ["admin"],
  },
  {
    action: "settings.manage",
    method: "GET",
    path: () => "/api/v1/settings/two-factor-roles",
    allowed: ["admin"],
  },
  {
    action: "settings.manage",
    method: "PUT",
    path: () => "/api/v1/settings/two-factor-roles",
    body: () => ({ roles: [] }),
    allowed: ["admin"],
  },
];

for (const c of cases) {
  for (const persona of personas) {
    const expected = c.allowed === "everyone" || c.allowed.includes(persona);
    test(`${c.action} (${c.method}) as ${persona}: ${expected ? "allowed" : "refused"}`, async () => {
      const seq = (await entriesAfter(app.ctx.db, 0, 1_000_000)).at(-1)?.seq ?? 0;
      const raw = c.body?.();
      const isText = typeof raw === "string";
      const res = await http.request(c.path(), {
        method: c.method,
        headers: {
          authorization: `Bearer ${tokens.get(persona)}`,
          ...(raw === undefined ? {} : { "content-type": isText ? "text/csv" : "application/json" }),
        },
        ...(raw === undefined ? {} : { body: isText ? raw : JSON.stringify(raw) }),
      });
      if (expected) {
        assert.ok(
          res.status < 400 || res.status === 409,
          `expected success, got ${res.status}: ${await res.text()}`,
        );
        return;
      }
      assert.equal(res.status, 403);
      const body: unknown = await res.json();
      assert.match(JSON.stringify(body), /権限がありません/);
      const denied = (await entriesAfter(app.ctx.db, seq, 10)).filter((e) => e.action === "auth.denied");
      assert.equal(denied.length, 1, "the refusal is in the audit log");
      assert.equal(denied[0]?.actorId, org.staff[persona].id);
    });
  }
}

test("no token, a wrong token or a revoked token gets 401", async () => {
  assert.equal((await http.request("/api/v1/me")).status, 401);
  assert.equal(
    (await http.request("/api/v1/me", { headers: { authorization: "Bearer sgv_nonsense" } })).status,
    401,
  );
  const { token, row } = await createApiToken(app.ctx, {
    actor: org.actors.kouhouStaff,
    input: { name: "short-lived" },
  });
  const ok = await http.request("/api/v1/me", { headers: { authorization: `Bearer ${token}` } });
  assert.equal(ok.status, 200);
  const me: unknown = await ok.json();
  assert.match(JSON.stringify(me), /広報 主事/);
  const revoked = await http.request(`/api/v1/tokens/${row.id}`, {
    method: "DELETE",
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(revoked.status, 200);
  assert.equal(
    (await http.request("/api/v1/me", { headers: { authorization: `Bearer ${token}` } })).status,
    401,
  );
});

test("the OpenAPI document describes the API", async () => {
  const res = await http.request("/api/v1/openapi.json");
  assert.equal(res.status, 200);
  const doc: unknown = await res.json();
  assert.ok(typeof doc === "object" && doc !== null && "openapi" in doc && doc.openapi === "3.1.0");
  const text = JSON.stringify(doc);
  for (const path of [
    "/staff",
    "/transfers",
    "/audit",
    "/role-assignments",
    "/privileged-roles",
    "/acting-assignments",
    "/departments",
    "/staff/import",
  ]) {
    assert.ok(text.includes(`"${path}"`), `documents ${path}`);
  }
});

test("validation errors come back per field in Japanese", async () => {
  const res = await http.request("/api/v1/staff", {
    method: "POST",
    headers: { authorization: `Bearer ${tokens.get("admin")}`, "content-type": "application/json" },
    body: JSON.stringify({ employeeNo: "", name: "", email: "x", departmentId: 1, positionId: 1 }),
  });
  assert.equal(res.status, 422);
  const body: unknown = await res.json();
  assert.match(JSON.stringify(body), /職員番号を入力してください。/);
});

test("the checker answers through the API with the clause and the span", async () => {
  const text = "本日、山田花子さん（090-1234-5678）からご意見をいただきました。";
  const res = await http.request("/api/v1/check", {
    method: "POST",
    headers: { authorization: `Bearer ${tokens.get("kouhouStaff")}`, "content-type": "application/json" },
    body: JSON.stringify({ text, platform: "x", kind: "post" }),
  });
  assert.equal(res.status, 200);
  const body: unknown = await res.json();
  assert.ok(typeof body === "object" && body !== null && "findings" in body && Array.isArray(body.findings));
  const phone = body.findings.find(
    (f: unknown) =>
      typeof f === "object" &&
      f !== null &&
      "clause" in f &&
      f.clause === "5.2.2.1" &&
      "start" in f &&
      typeof f.start === "number" &&
      text.slice(f.start).startsWith("090"),
  );
  assert.ok(phone, "the mobile number is reported under 5.2.2.1 where it is");
});
