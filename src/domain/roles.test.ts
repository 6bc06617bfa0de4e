import assert from "node:assert/strict";
import { test } from "node:test";
import { derivedGrants, effectiveGrants, type Offices, type Placement } from "./roles.ts";

const iwaki: Offices = {
  departmentHead: "部長",
  divisionHead: "課長",
  policyDirector: { title: "総合政策部長", department: "総合政策部" },
  securityDirector: { title: "総務部長", department: "総務部" },
};

const head = (departmentName: string, headOf: Placement["headOf"] = "department"): Placement => ({
  departmentId: 1,
  divisionId: headOf === "division" ? 10 : null,
  headOf,
  departmentName,
  divisionName: headOf === "division" ? "情報政策課" : null,
});

const roles = (p: Placement, offices = iwaki) => derivedGrants(p, offices).map((g) => g.role);

test("the 部長 of 総合政策部 is its department head and the policy director (4.1.2)", () => {
  assert.deepEqual(roles(head("総合政策部")), ["department_head", "policy_director"]);
  assert.deepEqual(roles(head("総務部")), ["department_head", "security_director"]);
  assert.deepEqual(roles(head("市民生活部")), ["department_head"]);
});

test("a 課長 of 総務部 is an account manager, not the security director (4.1.4)", () => {
  assert.deepEqual(roles(head("総務部", "division")), ["account_manager"]);
  assert.deepEqual(roles(head("総務部", "none")), []);
});

test("unit names match however they were typed (full-width, spaces)", () => {
  assert.deepEqual(roles(head("総合政策部 ")), ["department_head", "policy_director"]);
  assert.deepEqual(roles(head("総 務 部")), ["department_head", "security_director"]);
});

test("another city names other posts in its pack: 企画部長, and the 情報政策課長 as 情報統括管理者", () => {
  const other: Offices = {
    departmentHead: "部長",
    divisionHead: "課長",
    policyDirector: { title: "企画部長", department: "企画部" },
    securityDirector: { title: "情報政策課長", department: "総務部", division: "情報政策課" },
  };
  assert.deepEqual(roles(head("総合政策部"), other), ["department_head"]);
  assert.deepEqual(roles(head("企画部"), other), ["department_head", "policy_director"]);
  assert.deepEqual(roles(head("総務部", "division"), other), ["account_manager", "security_director"]);
});

test("roles in effect: stored grants of post roles never count; an auditor only approved, dated, and not with admin (9)", () => {
  const base = { placement: head("市民生活部", "none"), offices: iwaki, acting: [], today: "2026-06-01" };
  const row = (
    role: string,
    extra: Partial<{ status: string; validUntil: string | null; approvedBy: number | null }> = {},
  ) => ({
    role,
    scopeType: "global",
    scopeId: null,
    status: "active",
    validUntil: null,
    approvedBy: null,
    ...extra,
  });
  const held = (assignments: ReturnType<typeof row>[]) =>
    effectiveGrants({ ...base, assignments }).map((g) => g.role);
  assert.deepEqual(held([row("policy_director"), row("department_head")]), []);
  assert.deepEqual(held([row("auditor")]), [], "never approved");
  assert.deepEqual(held([row("auditor", { status: "proposed", validUntil: "2026-12-31" })]), []);
  assert.deepEqual(held([row("auditor", { validUntil: "2026-12-31", approvedBy: 2 })]), ["auditor"]);
  assert.deepEqual(held([row("auditor", { validUntil: "2026-05-31", approvedBy: 2 })]), [], "ended");
  assert.deepEqual(held([row("admin"), row("auditor", { validUntil: "2026-12-31", approvedBy: 2 })]), [
    "admin",
  ]);
});

test("standing in for a 部長 gives the post's roles for the period only", () => {
  const acting = [
    {
      absentStaffId: 7,
      fromDate: "2026-06-01",
      untilDate: "2026-06-03",
      revokedAt: null,
      post: head("総務部"),
    },
  ];
  const on = (today: string) =>
    effectiveGrants({
      placement: head("総務部", "division"),
      offices: iwaki,
      acting,
      assignments: [],
      today,
    });
  const during = on("2026-06-02");
  assert.deepEqual(
    during.map((g) => [g.role, g.acting?.forStaffId ?? null]),
    [
      ["account_manager", null],
      ["department_head", 7],
      ["security_director", 7],
    ],
  );
  assert.deepEqual(
    on("2026-06-04").map((g) => g.role),
    ["account_manager"],
  );
});
