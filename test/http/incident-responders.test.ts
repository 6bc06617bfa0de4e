/**
 * An incident's reporter does not become its responder (7, 7.3.1), role by action, over the API
 * and the pages. A member of staff who reports a なりすまし adds information, but receiving the
 * report, giving steps, the severity, the status and every public text belong to the account
 * manager, the directors and those they give a step to: everyone else is refused with the
 * clause and an `auth.denied` entry, and one the incident does not name does not see it (404).
 * The warning the reporter's report prepares shows on no public page until a responder
 * presses 「公開する」.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { entriesAfter, lastEntry } from "../../src/db/repos/audit.ts";
import { seedKouhouAccount } from "../support/accounts.ts";
import { apiTestApp, callApi, type HttpApp } from "../support/api.ts";
import type { TestApp } from "../support/context.ts";
import { givePassword, signIn } from "../support/http.ts";
import type { TestOrg } from "../support/org.ts";

const personas = [
  "kouhouStaff",
  "kouhouManager",
  "policyDirector",
  "securityDirector",
  "auditor",
  "soumuStaff",
  "soumuManager",
] as const;
type Persona = (typeof personas)[number];

let app: TestApp;
let org: TestOrg;
let http: HttpApp;
let tokens: Map<Persona, string>;
let accountId = 0;
let fakeN = 0;

before(async () => {
  ({ app, org, http, tokens } = await apiTestApp(personas, { start: "2026-11-24T01:00:00Z" }));
  for (const p of [org.staff.kouhouStaff, org.staff.kouhouManager]) await givePassword(app, p.id);
  accountId = (await seedKouhouAccount(app.ctx, org, { name: "いわき市広報", handle: "iwaki_koho" })).id;
});
after(() => app.close());

const api = (who: Persona, method: string, path: string, body?: unknown) =>
  callApi(http, tokens.get(who), method, `/incidents${path}`, body);

// Fields are optional so that the assertions, not the parsing, tell what an older API gets wrong.
const detailSchema = z.object({
  item: z.object({ id: z.number() }),
  steps: z.array(z.object({ id: z.number(), key: z.string(), actionable: z.boolean().optional() })),
  impersonations: z.array(
    z.object({
      id: z.number(),
      warningState: z.string().optional(),
      warningShown: z.boolean(),
      warningPublishedByName: z.string().nullable().optional(),
    }),
  ),
  can: z.object({ respond: z.boolean(), inform: z.boolean().optional(), close: z.boolean() }),
});
type Detail = z.infer<typeof detailSchema>;

/** An incident reported by the operator (an ordinary member of staff), through the API. */
async function reportByStaff(type: "impersonation" | "misinformation"): Promise<Detail> {
  fakeN++;
  const res = await api("kouhouStaff", "POST", "", {
    type,
    title: `報告${fakeN}`,
    description: "公式アカウントを装うアカウントがあります。",
    accountId,
    ...(type === "impersonation" ? { fakeUrl: `https://x.com/iwaki_koho_fake${fakeN}` } : {}),
  });
  assert.equal(res.status, 201, await res.clone().text());
  return detailSchema.parse(await res.json());
}

test("a なりすまし reported by a member of staff waits for a responder before any public page shows it", async () => {
  const d = await reportByStaff("impersonation");
  const fake = `https://x.com/iwaki_koho_fake${fakeN}`;
  assert.equal(d.can.respond, false, "the reporter does not respond");
  assert.equal(d.can.inform, true, "the reporter adds information");
  assert.equal(d.impersonations[0]?.warningState, "pending");
  const impId = d.impersonations[0]?.id ?? 0;

  const verifyPath = `/public/verify?url=${encodeURIComponent(fake)}`;
  const verify = await (await http.request(verifyPath)).text();
  assert.match(verify, /公式アカウント一覧にありません/, "not official, as the registry knows");
  assert.doesNotMatch(
    verify,
    /「なりすまし」アカウントとして確認しています/,
    "no more than the registry knows",
  );
  const verifyJson = await (await http.request(`/public/verify.json?url=${encodeURIComponent(fake)}`)).text();
  assert.match(verifyJson, /"knownImpersonation":null/);
  assert.doesNotMatch(
    await (await http.request("/public/notices")).text(),
    new RegExp(`iwaki_koho_fake${fakeN}`),
  );

  // The reporter's 「公開する」 is refused with the clause, and the refusal is audited.
  const seq = (await lastEntry(app.ctx.db))?.seq ?? 0;
  const refused = await api("kouhouStaff", "POST", `/${d.item.id}/impersonations/${impId}/publish`);
  assert.equal(refused.status, 403);
  assert.match(await refused.text(), /注意喚起.*第7-3\(1\)/);
  const denied = (await entriesAfter(app.ctx.db, seq, 10)).filter((e) => e.action === "auth.denied");
  assert.deepEqual(
    denied.map((e) => e.actorId),
    [org.staff.kouhouStaff.id],
  );
  assert.doesNotMatch(
    await (await http.request("/public/notices")).text(),
    new RegExp(`iwaki_koho_fake${fakeN}`),
  );

  // The manager confirms it; both public pages change on the very next request.
  const published = await api("kouhouManager", "POST", `/${d.item.id}/impersonations/${impId}/publish`);
  assert.equal(published.status, 200);
  const after = detailSchema.parse(await published.json());
  assert.equal(after.impersonations[0]?.warningState, "shown");
  assert.equal(after.impersonations[0]?.warningPublishedByName, org.staff.kouhouManager.name);
  assert.match(await (await http.request(verifyPath)).text(), /「なりすまし」アカウントとして確認しています/);
  assert.match(await (await http.request("/public/notices")).text(), new RegExp(`@iwaki_koho_fake${fakeN}`));
  const again = await api("kouhouManager", "POST", `/${d.item.id}/impersonations/${impId}/publish`);
  assert.equal(again.status, 409, "already shown");
});

type Ctx = { id: number; impId: number; stepId: number };
type Case = {
  action: string;
  type: "impersonation" | "misinformation";
  /** Prepare the incident after the report (as the manager). */
  setup?: (c: Ctx) => Promise<void>;
  call: (who: Persona, c: Ctx) => Response | Promise<Response>;
  /** The refusal's words (with its clause). */
  refusal: RegExp;
};

const cases: Case[] = [
  {
    action: "「報告を受けました」",
    type: "impersonation",
    call: (who, c) => api(who, "POST", `/${c.id}/acknowledge`),
    refusal: /報告を受けたことを記録する権限がありません.*第7/,
  },
  {
    action: "深刻度の変更",
    type: "impersonation",
    call: (who, c) => api(who, "POST", `/${c.id}/severity`, { severity: "critical" }),
    refusal: /権限がありません.*深刻度.*第7/,
  },
  {
    action: "状態の変更",
    type: "impersonation",
    call: (who, c) => api(who, "POST", `/${c.id}/status`, { status: "monitoring" }),
    refusal: /権限がありません.*状態.*第7/,
  },
  {
    action: "手順の担当の割り当て",
    type: "impersonation",
    call: (who, c) =>
      api(who, "POST", `/${c.id}/steps/${c.stepId}/assign`, { ownerId: org.staff.kouhouManager.id }),
    refusal: /権限がありません.*割り当て.*第7/,
  },
  {
    action: "注意喚起の文面の変更",
    type: "impersonation",
    call: (who, c) =>
      api(who, "POST", `/${c.id}/impersonations/${c.impId}/warning`, {
        text: "このアカウントにご注意ください。",
      }),
    refusal: /公開ページの注意喚起を変更する権限がありません.*第7-3\(1\)/,
  },
  {
    action: "注意喚起の公開",
    type: "impersonation",
    call: (who, c) => api(who, "POST", `/${c.id}/impersonations/${c.impId}/publish`),
    refusal: /公開ページの注意喚起を変更する権限がありません.*第7-3\(1\)/,
  },
  {
    action: "注意喚起の掲載終了",
    type: "impersonation",
    setup: async (c) => {
      const res = await api("kouhouManager", "POST", `/${c.id}/impersonations/${c.impId}/publish`);
      assert.equal(res.status, 200);
    },
    call: (who, c) => api(who, "POST", `/${c.id}/impersonations/${c.impId}/withdraw`),
    refusal: /公開ページの注意喚起を変更する権限がありません.*第7-3\(1\)/,
  },
  {
    action: "正しい情報のお知らせの掲載",
    type: "misinformation",
    call: (who, c) =>
      api(who, "POST", `/${c.id}/public-notice`, {
        title: "その情報は事実ではありません",
        text: "市の公式な情報をご確認ください。",
      }),
    refusal: /公開ページのお知らせを変更する権限がありません.*第7-4/,
  },
  {
    action: "終結",
    type: "impersonation",
    call: (who, c) => api(who, "POST", `/${c.id}/close`, { whatHappened: "a", whatToChange: "b" }),
    refusal: /終結する権限がありません.*第7/,
  },
];

/** What each persona gets: allowed, refused (403) or not shown the incident at all (404). */
function expected(persona: Persona | "assignee", action: string): "allowed" | 403 | 404 {
  switch (persona) {
    case "kouhouManager":
    case "policyDirector":
    case "securityDirector":
      return "allowed";
    case "assignee":
      // Given a step by the manager, they respond; closing stays with the manager and directors.
      return action === "終結" ? 403 : "allowed";
    case "soumuStaff":
      return 404;
    default:
      return 403;
  }
}

const roles = [
  "kouhouStaff",
  "auditor",
  "soumuStaff",
  "kouhouManager",
  "policyDirector",
  "securityDirector",
] as const;
for (const c of cases) {
  for (const role of [...roles, "assignee"] as const) {
    const outcome = expected(role, c.action);
    const label = role === "kouhouStaff" ? "the reporter (kouhouStaff)" : role;
    test(`${c.action} as ${label}: ${outcome === "allowed" ? "allowed" : outcome}`, async () => {
      const d = await reportByStaff(c.type);
      const ctx: Ctx = {
        id: d.item.id,
        impId: d.impersonations[0]?.id ?? 0,
        stepId: d.steps.find((s) => s.key === "takedown" || s.key === "correct_info")?.id ?? 0,
      };
      let who: Persona = role === "assignee" ? "soumuManager" : role;
      if (role === "assignee") {
        // 7: the manager gives a step to someone from another division — they then respond.
        const other = d.steps.find((s) => s.key === "sns_warning" || s.key === "public_notice");
        const given = await api("kouhouManager", "POST", `/${ctx.id}/steps/${other?.id}/assign`, {
          ownerId: org.staff.soumuManager.id,
        });
        assert.equal(given.status, 200);
        who = "soumuManager";
      }
      await c.setup?.(ctx);
      const seq = (await lastEntry(app.ctx.db))?.seq ?? 0;
      const res = await c.call(who, ctx);
      const body = await res.text();
      if (outcome === "allowed") {
        assert.equal(res.status, 200, body);
        return;
      }
      assert.equal(res.status, outcome, body);
      if (outcome === 404) return;
      assert.match(body, c.refusal);
      const denied = (await entriesAfter(app.ctx.db, seq, 10)).filter((e) => e.action === "auth.denied");
      assert.equal(denied.length, 1, "the refusal is in the audit log");
      assert.equal(denied[0]?.actorId, org.staff[who].id);
    });
  }
}

test("the reporter still adds information: a note, another fake account (waiting), their own step", async () => {
  const d = await reportByStaff("impersonation");
  assert.equal(
    (await api("kouhouStaff", "POST", `/${d.item.id}/notes`, { note: "DMの文面を追記します。" })).status,
    200,
  );
  const added = await api("kouhouStaff", "POST", `/${d.item.id}/impersonations`, {
    url: `https://x.com/iwaki_koho_more${fakeN}`,
  });
  assert.equal(added.status, 200);
  const after = detailSchema.parse(await added.json());
  assert.deepEqual(
    after.impersonations.map((i) => i.warningState),
    ["pending", "pending"],
    "nothing the reporter records is published",
  );
  assert.doesNotMatch(
    await (await http.request("/public/notices")).text(),
    new RegExp(`iwaki_koho_more${fakeN}`),
  );
  // The playbook gave the reporter the step that records the fake account; only that one is theirs.
  assert.deepEqual(
    after.steps.filter((s) => s.actionable).map((s) => s.key),
    ["record_fake"],
  );
  const mis = await reportByStaff("misinformation");
  const claim = await api("kouhouStaff", "POST", `/${mis.item.id}/claim`, {
    claim: "窓口が今日で閉鎖される",
    where: "公式アカウントへの返信",
  });
  assert.equal(claim.status, 200);
});

test("the pages: the reporter sees the state and why they cannot act; the manager publishes", async () => {
  const d = await reportByStaff("impersonation");
  const impId = d.impersonations[0]?.id ?? 0;
  const reporter = await signIn(http, org.staff.kouhouStaff.employeeNo);
  const page = await reporter.text(`/incidents/${d.item.id}`);
  assert.match(page, /公開前（確認待ち）/);
  assert.match(page, /公開ページの注意喚起を変更する権限がありません。/);
  assert.doesNotMatch(page, /報告を受けました（対応を始める）/);
  assert.doesNotMatch(page, new RegExp(`/impersonations/${impId}/publish`));
  assert.doesNotMatch(page, /深刻度を変更する/);
  assert.match(page, /メモを残す/);

  const ack = await reporter.post(`/incidents/${d.item.id}/acknowledge`, {});
  assert.equal(ack.status, 403);
  assert.match(await ack.text(), /報告を受けたことを記録する権限がありません。.*（第7）/);
  const publish = await reporter.post(`/incidents/${d.item.id}/impersonations/${impId}/publish`, {});
  assert.equal(publish.status, 403);
  assert.match(await publish.text(), /第7-3\(1\)/);
  const severity = await reporter.post(`/incidents/${d.item.id}/severity`, { severity: "low" });
  assert.equal(severity.status, 403);

  const manager = await signIn(http, org.staff.kouhouManager.employeeNo);
  const managerPage = await manager.text(`/incidents/${d.item.id}`);
  assert.match(managerPage, /報告を受けました（対応を始める）/);
  assert.match(managerPage, new RegExp(`action="/incidents/${d.item.id}/impersonations/${impId}/publish"`));
  const done = await manager.post(`/incidents/${d.item.id}/impersonations/${impId}/publish`, {});
  assert.equal(done.status, 303);
  const shown = await manager.text(`/incidents/${d.item.id}`);
  assert.match(shown, /badge-ok">掲載中/);
  assert.match(shown, /公開を確認/);
  assert.match(shown, new RegExp(`${org.staff.kouhouManager.name}さん`));
  assert.match(await reporter.text(`/incidents/${d.item.id}`), /badge-ok">掲載中/);
});
