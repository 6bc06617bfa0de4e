/**
 * The account workflow through the API, role by role: who may apply, approve at each step,
 * confirm the notification and manage an account; and two approvers answering at the same moment.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { draftApplication, submitApplication } from "../../src/app/accounts/application.ts";
import { createApiToken } from "../../src/app/api-tokens.ts";
import { listApprovals } from "../../src/db/repos/accounts.ts";
import { apiTestApp, callApi, type HttpApp } from "../support/api.ts";
import type { TestApp } from "../support/context.ts";
import { standIn, type TestOrg } from "../support/org.ts";

const personas = [
  "admin",
  "auditor",
  "securityDirector",
  "policyDirector",
  "kouhouManager",
  "kouhouStaff",
  "soumuManager",
  "soumuStaff",
] as const;
type Persona = (typeof personas)[number];

let app: TestApp;
let org: TestOrg;
let http: HttpApp;
let tokens: Map<Persona, string>;

before(async () => {
  ({ app, org, http, tokens } = await apiTestApp(personas));
});
after(() => app.close());

function call(persona: Persona, method: string, path: string, body?: unknown) {
  return callApi(http, tokens.get(persona), method, path, body);
}

const application = () => ({
  divisionId: org.divisions.kouhou.id,
  platform: "x",
  name: "API申請",
  purpose: "市政情報の発信",
  operatorIds: [org.staff.kouhouStaff.id],
  holderIds: [org.staff.kouhouStaff.id],
});

async function pending(step: "department" | "policy") {
  const a = await draftApplication(app.ctx, { actor: org.actors.kouhouStaff, input: application() });
  await submitApplication(app.ctx, { actor: org.actors.kouhouStaff, id: a.id });
  if (step === "policy") {
    const res = await call("policyDirector", "POST", `/accounts/${a.id}/decision`, {
      decision: "approve",
      expected: "pending_department_head",
    });
    assert.equal(res.status, 200);
  }
  return a.id;
}

type Case = { name: string; allowed: Persona[]; run(p: Persona): Promise<Response> };

const cases: Case[] = [
  {
    name: "apply (4.1.2 起案)",
    allowed: ["kouhouManager", "kouhouStaff"],
    run: async (p) => call(p, "POST", "/accounts", application()),
  },
  {
    name: "approve as department head",
    allowed: ["policyDirector"],
    run: async (p) =>
      call(p, "POST", `/accounts/${await pending("department")}/decision`, {
        decision: "approve",
        expected: "pending_department_head",
      }),
  },
  {
    name: "approve as policy director",
    allowed: ["policyDirector"],
    run: async (p) =>
      call(p, "POST", `/accounts/${await pending("policy")}/decision`, {
        decision: "approve",
        expected: "pending_policy_director",
      }),
  },
  {
    name: "confirm the security notice",
    allowed: ["securityDirector"],
    run: async (p) => {
      const id = await pending("policy");
      assert.equal(
        (
          await call("policyDirector", "POST", `/accounts/${id}/decision`, {
            decision: "approve",
            expected: "pending_policy_director",
          })
        ).status,
        200,
      );
      return call(p, "POST", `/accounts/${id}/security-confirmation`);
    },
  },
  {
    name: "register the account (account manager)",
    allowed: ["kouhouManager"],
    run: async (p) => {
      const id = await pending("policy");
      await call("policyDirector", "POST", `/accounts/${id}/decision`, {
        decision: "approve",
        expected: "pending_policy_director",
      });
      return call(p, "POST", `/accounts/${id}/registration`, {
        url: `https://x.com/iwaki_api_${id}`,
        platformCreatedOn: "2026-11-01",
        homepageUrl: "https://www.city.iwaki.lg.jp/sns.html",
      });
    },
  },
];

for (const c of cases) {
  for (const persona of personas) {
    const expected = c.allowed.includes(persona);
    test(`${c.name} as ${persona}: ${expected ? "allowed" : "refused"}`, async () => {
      const res = await c.run(persona);
      if (expected) {
        assert.ok(
          res.status === 200 || res.status === 201,
          `expected success, got ${res.status} ${await res.text()}`,
        );
        return;
      }
      assert.ok(
        res.status === 403 || res.status === 404,
        `expected refusal, got ${res.status} ${await res.text()}`,
      );
    });
  }
}

test("two approvers answering at the same moment: one approval, the other a clear conflict", async () => {
  // A second department head for 総合政策部 (the 部長's 職務代理), so two different people can
  // approve the same step.
  await standIn(app.ctx, org.staff.desk.id, org.staff.policyDirector.id);
  const desk = (
    await createApiToken(app.ctx, {
      actor: {
        ...org.actors.desk,
        grants: [
          ...org.actors.desk.grants,
          {
            role: "department_head",
            scope: { type: "department", id: org.departments.seisaku.id },
            derived: false,
          },
        ],
      },
      input: { name: "t" },
    })
  ).token;
  const id = await pending("department");
  const body = JSON.stringify({ decision: "approve", expected: "pending_department_head" });
  const send = (token: string) =>
    http.request(`/api/v1/accounts/${id}/decision`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body,
    });
  const [a, b] = await Promise.all([send(tokens.get("policyDirector") ?? ""), send(desk)]);
  assert.deepEqual([a.status, b.status].sort(), [200, 409]);
  const loser = a.status === 409 ? a : b;
  assert.match(JSON.stringify(await loser.json()), /すでに処理されています|すでに承認されています/);
  assert.equal((await listApprovals(app.ctx.db, id)).length, 1);
});

test("the API shows the registry with 届出未確認 as a flag and the history of an application", async () => {
  const id = await pending("policy");
  await call("policyDirector", "POST", `/accounts/${id}/decision`, {
    decision: "approve",
    expected: "pending_policy_director",
  });
  const res = await call("kouhouStaff", "GET", `/accounts/${id}`);
  assert.equal(res.status, 200);
  const body: unknown = await res.json();
  const text = JSON.stringify(body);
  assert.match(text, /"securityConfirmed":false/);
  assert.match(text, /"kind":"approved_policy_director"/);
});
