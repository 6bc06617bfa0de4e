/**
 * Privileged roles follow posts, and nobody grants themselves oversight (4.1.2, 4.1.4, 9), role by
 * role over the API and the pages: the roles a post carries cannot be assigned by anyone; the
 * directors are the holders of the 総合政策部長 and 総務部長 posts; an acting holder (職務代理)
 * gets the post's roles for the period only; the 監査担当 is proposed with a last day and takes
 * effect only once the policy or security director approves (neither for themselves), never for
 * an administrator; and the auditor and the directors see who holds what since when.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createApiToken } from "../../src/app/auth/api-tokens.ts";
import { entriesAfter } from "../../src/db/repos/audit.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { field, json } from "../support/api.ts";
import { type TestApp, testApp } from "../support/context.ts";
import { type Browser, givePassword, signIn } from "../support/http.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";

const personas = [
  "admin",
  "auditor",
  "securityDirector",
  "policyDirector",
  "kouhouManager",
  "kouhouStaff",
  "desk",
] as const;
type Who = (typeof personas)[number] | "soumuStaff" | "soumuManager";

let app: TestApp;
let org: TestOrg;
let http: ReturnType<typeof createHttpApp>;
const tokens = new Map<Who, string>();
const browsers = new Map<Who, Browser>();

before(async () => {
  // Monday 2026-06-01, 10:00 in Tokyo.
  app = await testApp({ start: "2026-06-01T01:00:00Z" });
  org = await seedOrg(app.ctx);
  http = createHttpApp(app.ctx);
  for (const who of [...personas, "soumuStaff", "soumuManager"] as const) {
    tokens.set(who, (await createApiToken(app.ctx, { actor: org.actors[who], input: { name: "t" } })).token);
  }
  for (const who of ["admin", "auditor", "securityDirector", "kouhouManager", "kouhouStaff"] as const) {
    await givePassword(app, org.staff[who].id);
    browsers.set(who, await signIn(http, org.staff[who].employeeNo));
  }
});
after(() => app.close());

function api(who: Who, method: string, path: string, body?: unknown) {
  return http.request(`/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${tokens.get(who)}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

function page(who: Who): Browser {
  const b = browsers.get(who);
  if (!b) throw new Error(`${who} is not signed in`);
  return b;
}

const lastSeq = async () => (await entriesAfter(app.ctx.db, 0, 1_000_000)).at(-1)?.seq ?? 0;

/** Asserts a 403 whose message matches, with exactly one `auth.denied` entry by `who`. */
async function refused(who: Who, res: Response, seq: number, message: RegExp) {
  const text = await res.text();
  assert.equal(res.status, 403, `${who}: ${text}`);
  assert.match(text, message);
  const denied = (await entriesAfter(app.ctx.db, seq, 20)).filter((e) => e.action === "auth.denied");
  assert.equal(denied.length, 1, `${who}: the refusal is in the audit log`);
  assert.equal(denied[0]?.actorId, org.staff[who].id);
}

async function grantsOf(who: Who): Promise<Array<{ role: string; derived: boolean; acting?: unknown }>> {
  const body = await json(await api(who, "GET", "/me"));
  const grants = field(body, "grants");
  assert.ok(Array.isArray(grants));
  return grants.map((g: unknown) => ({
    role: String(field(g, "role")),
    derived: field(g, "derived") === true,
    acting: field(g, "acting"),
  }));
}

const derivedRoles = [
  ["department_head", "department", () => org.departments.soumu.id],
  ["account_manager", "division", () => org.divisions.soumuka.id],
  ["policy_director", "global", () => ""],
  ["security_director", "global", () => ""],
] as const;

for (const [role, scopeType, scopeId] of derivedRoles) {
  for (const who of personas) {
    test(`${role} cannot be assigned by hand, as ${who} (4.1.2, 4.1.4)`, async () => {
      const seq = await lastSeq();
      const res = await api(who, "POST", "/role-assignments", {
        staffId: org.staff.soumuStaff.id,
        role,
        scopeType,
        scopeId: scopeId(),
      });
      await refused(who, res, seq, who === "admin" ? /職から決まる.*第4-1\((2|4)\)/ : /権限がありません/);
      assert.ok(!(await grantsOf("soumuStaff")).some((g) => g.role === role), "the 主事 did not get it");
    });
  }
}

test("the directors are the holders of the 総合政策部長 and 総務部長 posts (4.1.2)", async () => {
  assert.ok((await grantsOf("policyDirector")).some((g) => g.role === "policy_director" && g.derived));
  assert.ok((await grantsOf("securityDirector")).some((g) => g.role === "security_director" && g.derived));
  assert.ok(!(await grantsOf("soumuManager")).some((g) => g.role.endsWith("_director")));
});

test("the administrator cannot make himself 監査担当 (9)", async () => {
  const seq = await lastSeq();
  const res = await api("admin", "POST", "/role-assignments", {
    staffId: org.staff.admin.id,
    role: "auditor",
    validUntil: "2027-03-31",
  });
  await refused("admin", res, seq, /ご自身を監査担当に/);
  const violations = await api("admin", "GET", "/violations");
  assert.equal(violations.status, 404, "the administrator still cannot tell that violation records exist");
});

test("a 監査担当 needs a last day and a director's approval before it reads violation records (9)", async () => {
  const undated = await api("admin", "POST", "/role-assignments", {
    staffId: org.staff.soumuStaff.id,
    role: "auditor",
  });
  assert.equal(undated.status, 422);
  assert.match(await undated.text(), /期限（最終日）/);

  const proposed = await api("admin", "POST", "/role-assignments", {
    staffId: org.staff.soumuStaff.id,
    role: "auditor",
    validUntil: "2026-06-05",
  });
  assert.equal(proposed.status, 201, await proposed.clone().text());
  const id = Number(field(await json(proposed), "item", "id"));
  assert.equal((await api("soumuStaff", "GET", "/violations")).status, 404, "not before approval");
  assert.ok(!(await grantsOf("soumuStaff")).some((g) => g.role === "auditor"));

  for (const who of ["admin", "auditor", "kouhouManager", "kouhouStaff", "desk"] as const) {
    const seq = await lastSeq();
    await refused(who, await api(who, "POST", `/role-assignments/${id}/approve`), seq, /権限がありません/);
  }
  assert.equal((await api("soumuStaff", "GET", "/violations")).status, 404, "still not");

  const approved = await api("policyDirector", "POST", `/role-assignments/${id}/approve`);
  assert.equal(approved.status, 200, await approved.clone().text());
  assert.equal(field(await json(approved), "item", "status"), "active");
  assert.equal((await api("soumuStaff", "GET", "/violations")).status, 200, "in effect once approved");
  const again = await api("securityDirector", "POST", `/role-assignments/${id}/approve`);
  assert.equal(again.status, 409);

  app.clock.set("2026-06-06T01:00:00Z");
  try {
    assert.equal((await api("soumuStaff", "GET", "/violations")).status, 404, "ended after its last day");
  } finally {
    app.clock.set("2026-06-01T01:00:00Z");
  }
});

test("neither director approves a 監査担当 for themselves; the other one may (9)", async () => {
  const proposed = await api("admin", "POST", "/role-assignments", {
    staffId: org.staff.policyDirector.id,
    role: "auditor",
    validUntil: "2026-12-31",
  });
  assert.equal(proposed.status, 201);
  const id = Number(field(await json(proposed), "item", "id"));
  const seq = await lastSeq();
  await refused(
    "policyDirector",
    await api("policyDirector", "POST", `/role-assignments/${id}/approve`),
    seq,
    /ご自身への監査担当/,
  );
  const other = await api("securityDirector", "POST", `/role-assignments/${id}/decline`);
  assert.equal(other.status, 200);
});

test("a 監査担当 is never given to an administrator, nor administration to a 監査担当 (9)", async () => {
  const adminDesk = await api("admin", "POST", "/role-assignments", {
    staffId: org.staff.desk.id,
    role: "admin",
  });
  assert.equal(adminDesk.status, 201);
  let seq = await lastSeq();
  await refused(
    "admin",
    await api("admin", "POST", "/role-assignments", {
      staffId: org.staff.desk.id,
      role: "auditor",
      validUntil: "2026-12-31",
    }),
    seq,
    /システム管理者のため/,
  );
  seq = await lastSeq();
  await refused(
    "admin",
    await api("admin", "POST", "/role-assignments", { staffId: org.staff.auditor.id, role: "admin" }),
    seq,
    /システム管理者にはできません/,
  );
  const id = Number(field(await json(adminDesk), "item", "id"));
  assert.equal((await api("admin", "DELETE", `/role-assignments/${id}`)).status, 200);
});

test("an acting 課長 (職務代理) holds the account-manager role for the period only", async () => {
  const body = {
    staffId: org.staff.kouhouStaff.id,
    absentStaffId: org.staff.kouhouManager.id,
    kind: "deputy",
    fromDate: "2026-06-01",
    untilDate: "2026-06-03",
    reason: "出張のため",
  };
  for (const who of personas.filter((p) => p !== "admin")) {
    const seq = await lastSeq();
    await refused(who, await api(who, "POST", "/acting-assignments", body), seq, /権限がありません/);
  }
  const seq = await lastSeq();
  await refused(
    "admin",
    await api("admin", "POST", "/acting-assignments", {
      ...body,
      staffId: org.staff.admin.id,
      absentStaffId: org.staff.securityDirector.id,
    }),
    seq,
    /ご自身を職務代理/,
  );
  const recorded = await api("admin", "POST", "/acting-assignments", body);
  assert.equal(recorded.status, 201, await recorded.clone().text());
  const acting = (await grantsOf("kouhouStaff")).find((g) => g.role === "account_manager");
  assert.ok(acting?.derived && acting.acting, "held as the post's role, while standing in");
  const entries = await entriesAfter(app.ctx.db, seq, 20);
  assert.ok(
    entries.some((e) => e.action === "role.acting_record"),
    "recorded in the audit log",
  );

  app.clock.set("2026-06-04T01:00:00Z");
  try {
    assert.ok(
      !(await grantsOf("kouhouStaff")).some((g) => g.role === "account_manager"),
      "not after the period",
    );
  } finally {
    app.clock.set("2026-06-01T01:00:00Z");
  }
  const id = Number(field(await json(recorded), "item", "id"));
  assert.equal((await api("admin", "POST", `/acting-assignments/${id}/revoke`)).status, 200);
  assert.ok(!(await grantsOf("kouhouStaff")).some((g) => g.role === "account_manager"), "ended early");
});

test("who holds each privileged role and since when: the auditor and the directors, nobody else", async () => {
  for (const who of personas) {
    const seq = await lastSeq();
    const res = await api(who, "GET", "/privileged-roles");
    if (["auditor", "securityDirector", "policyDirector"].includes(who)) {
      assert.equal(res.status, 200, who);
      const roles = field(await json(res), "roles");
      assert.ok(Array.isArray(roles));
      const director = roles.find((r: unknown) => field(r, "role") === "policy_director");
      const holders = field(director, "holders");
      assert.ok(Array.isArray(holders));
      assert.equal(field(holders[0], "name"), "政策 部長");
      assert.equal(field(holders[0], "source"), "post");
    } else {
      await refused(who, res, seq, /権限がありません/);
    }
  }
});

test("pages: /roles for the auditor, the directors approve there; the admin's form offers no post role", async () => {
  const auditorPage = await page("auditor").get("/roles");
  assert.equal(auditorPage.status, 200);
  const html = await auditorPage.text();
  assert.match(html, /特権の保有者/);
  assert.match(html, /政策 部長/);
  assert.match(html, /監査 花子/);
  assert.match(html, /承認: 政策 部長/, "the seed auditor was approved by the policy director");
  assert.equal((await page("kouhouManager").get("/roles")).status, 403);
  assert.equal((await page("admin").get("/roles")).status, 403);

  const staffPage = await page("admin").text(`/staff/${org.staff.soumuStaff.id}`);
  assert.doesNotMatch(staffPage, /<option value="policy_director"/);
  assert.doesNotMatch(staffPage, /<option value="account_manager"/);
  assert.match(staffPage, /<option value="auditor"/);
  const forced = await page("admin").post(`/staff/${org.staff.soumuStaff.id}/roles`, {
    role: "security_director",
    scope: "global",
  });
  assert.equal(forced.status, 403);
  assert.match(await forced.text(), /職から決まる/);

  const proposed = await page("admin").post(`/staff/${org.staff.soumuManager.id}/roles`, {
    role: "auditor",
    scope: "global",
    validUntil: "2027-03-31",
  });
  assert.equal(proposed.status, 303);
  assert.match(await page("securityDirector").text("/"), /監査担当の承認（総務 課長さん/, "on the dashboard");
  assert.doesNotMatch(await page("admin").text("/"), /監査担当の承認/, "not for the one who proposed it");
  const waiting = await page("securityDirector").text("/roles");
  const match = /action="\/roles\/proposals\/(\d+)\/approve"/.exec(waiting);
  assert.ok(match?.[1], "the security director sees the proposal with an approve button");
  const approve = await page("securityDirector").post(`/roles/proposals/${match[1]}/approve`, {});
  assert.equal(approve.status, 303);
  assert.match(await page("securityDirector").text("/roles"), /総務 課長/);
  const kouhou = await page("kouhouStaff").post(`/roles/proposals/${match[1]}/approve`, {});
  assert.equal(kouhou.status, 403);
});

test("roles are named as the guideline names them on the staff pages (4.1.2, 4.1.3, 4.1.4, 10)", async () => {
  const head = await page("admin").text(`/staff/${org.staff.policyDirector.id}`);
  assert.match(head, /部等の長（情報管理者）/);
  assert.match(head, /総合政策部長/);
  const manager = await page("admin").text(`/staff/${org.staff.kouhouManager.id}`);
  assert.match(manager, /課等の長（アカウント管理者）/);
  const desk = await page("admin").text(`/staff/${org.staff.desk.id}`);
  assert.match(desk, /ふるさと発信課長（協議先）/);
  assert.match(desk, /<option value="operator"[^>]*>運用に携わる職員<\/option>/);
  for (const html of [head, manager, desk]) {
    assert.doesNotMatch(html, /情報管理者（部長）|アカウント管理者（課長）|運用職員|相談窓口/);
  }
});
