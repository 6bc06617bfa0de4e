/**
 * The account workflow through the API, role by role: who may apply, approve at each step,
 * confirm the notification and manage an account; and two approvers answering at the same moment.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { draftApplication, submitApplication } from "../../src/app/accounts/application.ts";
import { createApiToken } from "../../src/app/auth/api-tokens.ts";
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
  plannedStartOn: "2026-12-01",
  policyDraft: "① 目的: 市政情報の発信",
  termsConfirmed: true,
  loginOwner: "広報広聴課の共用メールアドレス",
  twoFactorPlan: "認証アプリ",
  cost: "無料",
});

const registration = (id: number) => ({
  url: `https://x.com/iwaki_api_${id}`,
  platformCreatedOn: "2026-11-01",
  homepageUrl: "https://www.city.iwaki.lg.jp/sns.html",
  loginEmail: "koho-sns@city.example.lg.jp",
  loginOwner: "広報広聴課の共用メールアドレス（課長が管理）",
});

/** Approved at both steps and registered by the manager (the 届出 has gone to the security director). */
async function registered(): Promise<number> {
  const id = await pending("policy");
  await call("policyDirector", "POST", `/accounts/${id}/decision`, {
    decision: "approve",
    expected: "pending_policy_director",
  });
  const res = await call("kouhouManager", "POST", `/accounts/${id}/registration`, registration(id));
  assert.equal(res.status, 200);
  return id;
}

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
let existing = 0;

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
    run: async (p) => call(p, "POST", `/accounts/${await registered()}/security-confirmation`),
  },
  {
    name: "record an existing account",
    allowed: ["admin"],
    run: async (p) =>
      call(p, "POST", "/accounts/existing", {
        divisionId: org.divisions.kouhou.id,
        platform: "x",
        name: "既存",
        url: `https://x.com/iwaki_exist${++existing}`,
        platformCreatedOn: "2020-04-01",
        purpose: "市政情報",
        homepageUrl: "https://www.city.iwaki.lg.jp/sns.html",
        operatorIds: [org.staff.kouhouStaff.id],
        holderIds: [org.staff.kouhouStaff.id],
        loginEmail: "old@city.example.lg.jp",
        loginOwner: "広報広聴課",
        documentNumber: "いわ広第1号",
        departmentApprovedOn: "2020-03-01",
        policyApprovedOn: "2020-03-10",
      }),
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
      return call(p, "POST", `/accounts/${id}/registration`, registration(id));
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

test("the 届出 is sent at registration, not at approval, and the director confirms it through /filings (4.1.2 取得後)", async () => {
  const id = await pending("policy");
  await call("policyDirector", "POST", `/accounts/${id}/decision`, {
    decision: "approve",
    expected: "pending_policy_director",
  });
  const approved = JSON.stringify(await (await call("kouhouStaff", "GET", `/accounts/${id}`)).json());
  assert.match(approved, /"securityNotified":false/, "no 届出 before the account exists");
  assert.equal((await call("securityDirector", "POST", `/accounts/${id}/security-confirmation`)).status, 409);

  assert.equal(
    (await call("kouhouManager", "POST", `/accounts/${id}/registration`, registration(id))).status,
    200,
  );
  const res = await call("kouhouStaff", "GET", `/accounts/${id}`);
  const text = JSON.stringify(await res.json());
  assert.match(text, /"securityNotified":true/);
  assert.match(text, /"securityConfirmed":false/);
  assert.match(text, /"kind":"security_filed"/);
  assert.match(text, /"loginEmail":null/, "an operator does not see the login e-mail");
  const managerView = JSON.stringify(await (await call("kouhouManager", "GET", `/accounts/${id}`)).json());
  assert.match(managerView, /"loginEmail":"koho-sns@city.example.lg.jp"/);

  const list = z
    .object({ items: z.array(z.object({ id: z.number(), accountId: z.number(), kind: z.string() })) })
    .parse(await (await call("securityDirector", "GET", "/filings?status=sent")).json());
  const filing = list.items.find((f) => f.accountId === id);
  assert.equal(filing?.kind, "acquisition");
  assert.equal((await call("kouhouStaff", "GET", `/filings/${filing?.id}`)).status, 404);
  const asked = await call("securityDirector", "POST", `/filings/${filing?.id}/question`, { question: "" });
  assert.equal(asked.status, 422);
  assert.equal((await call("securityDirector", "POST", `/filings/${filing?.id}/confirmation`)).status, 200);
  const after = JSON.stringify(await (await call("kouhouStaff", "GET", `/accounts/${id}`)).json());
  assert.match(after, /"securityConfirmed":true/);
});
