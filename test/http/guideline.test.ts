/**
 * The guideline pages and their API twins (8.1, 8.2): the policy director drafts, edits,
 * publishes; staff read what changed and press 「確認しました」; the dashboard shows rates by
 * department to the policy director and administrators only; a pack file downloads and uploads
 * again, and a broken one is refused with the problem named in Japanese; /api/v1/check uses the
 * version in force.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createApiToken } from "../../src/app/auth/api-tokens.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { seedAccount } from "../support/accounts.ts";
import { type TestApp, testApp } from "../support/context.ts";
import { type Browser, givePassword, signIn } from "../support/http.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";

let app: TestApp;
let org: TestOrg;
let http: ReturnType<typeof createHttpApp>;
let director: Browser;
let operator: Browser;
const tokens: Record<string, string> = {};

before(async () => {
  // 2026-06-01 10:00 in Tokyo.
  app = await testApp({ start: "2026-06-01T01:00:00Z" });
  org = await seedOrg(app.ctx);
  await seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    operatorIds: [org.staff.kouhouStaff.id],
  });
  for (const p of [org.staff.policyDirector, org.staff.kouhouStaff, org.staff.admin])
    await givePassword(app, p.id);
  http = createHttpApp(app.ctx);
  director = await signIn(http, org.staff.policyDirector.employeeNo);
  operator = await signIn(http, org.staff.kouhouStaff.employeeNo);
  for (const who of ["policyDirector", "kouhouStaff", "admin", "auditor"] as const) {
    tokens[who] = (await createApiToken(app.ctx, { actor: org.actors[who], input: { name: "test" } })).token;
  }
});
after(() => app.close());

function api(who: string, path: string, init: { method?: string; body?: unknown } = {}) {
  return http.request(`/api/v1${path}`, {
    method: init.method ?? "GET",
    headers: { authorization: `Bearer ${tokens[who]}`, "content-type": "application/json" },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
}

function idFrom(location: string | null): number {
  const id = Number(/\/guideline\/versions\/(\d+)/.exec(location ?? "")?.[1]);
  assert.ok(id > 0, `a version id in ${location}`);
  return id;
}

test("an operator is asked to read the whole guideline and confirms it", async () => {
  const dashboard = await operator.text("/");
  assert.ok(
    dashboard.includes("ガイドライン（平成28年4月1日改正）の内容を確認してください"),
    "a task on the dashboard",
  );
  assert.ok(!dashboard.includes("ガイドラインの確認状況"), "no rates for an operator");
  const page = await operator.text("/guideline/acknowledge");
  assert.match(page, /初めての確認のため、全文を表示しています/);
  assert.match(page, /第9<span class="clause-heading">見出し「懲戒処分等」<\/span><\/dt>/);
  // The guideline's heading 「炎上状態となった場合」 stands apart; the clause text is verbatim.
  assert.match(
    page,
    /第7-2\(1\)<span class="clause-heading">見出し「炎上状態となった場合」<\/span><\/dt><dd>反論や抗弁は控え/,
  );
  assert.ok(!page.includes("（炎上状態となった場合）"), "no heading inside the clause text");
  assert.match(page, /確認しました/);
  const versionId = /name="versionId" value="(\d+)"/.exec(page)?.[1] ?? "";
  const res = await operator.post("/guideline/acknowledge", { versionId });
  assert.equal(res.status, 303);
  const again = await operator.text("/guideline");
  assert.match(again, /確認済みです/);
  assert.ok(!(await operator.text("/")).includes("内容を確認してください"));
});

test("the policy director drafts, edits and publishes; others cannot", async () => {
  const refused = await operator.post("/guideline/versions", {});
  assert.equal(refused.status, 403);

  const created = await director.post("/guideline/versions", {});
  assert.equal(created.status, 303);
  const id = idFrom(created.headers.get("location"));
  assert.equal(
    (await operator.get(`/guideline/versions/${id}`)).status,
    404,
    "a draft is not shown to others",
  );

  const edit = await director.text(`/guideline/versions/${id}/edit`);
  const form: Record<string, string> = {};
  for (const m of edit.matchAll(/<textarea[^>]*name="(c:[^"]+)"[^>]*>([^<]*)<\/textarea>/g)) {
    form[m[1] ?? ""] = (m[2] ?? "").replaceAll("&amp;", "&").replaceAll("&quot;", '"');
  }
  assert.ok(Object.keys(form).length > 60, "one field per clause");
  form["c:5.3.7"] = `${form["c:5.3.7"]}\n短縮URLを使った投稿は、アカウント管理者の許可を得ること。`;
  const saved = await director.post(`/guideline/versions/${id}`, {
    ...form,
    label: "令和8年7月1日改正",
    effectiveDate: "2026-07-01",
    summary: "",
    newClauseId: "5.3.8",
    newClauseText: "生成AIを用いて作成した画像は、その旨を明記すること。",
  });
  assert.equal(saved.status, 303);

  const draft = await director.text(`/guideline/versions/${id}`);
  assert.match(draft, /第5-3\(8\)/);
  assert.match(draft, /新設/);
  assert.ok(
    draft.includes('<ins><span class="visually-hidden">［追加］</span><br/>短縮URLを使った投稿は'),
    "the added sentence is marked",
  );

  const empty = await director.post(`/guideline/versions/${id}/publish`, {
    effectiveDate: "2026-07-01",
    summary: "",
  });
  assert.equal(empty.status, 422);
  assert.match(await empty.text(), /改正の概要（何を変えたか）を入力してください/);
  const published = await director.post(`/guideline/versions/${id}/publish`, {
    effectiveDate: "2026-07-01",
    summary: "第5-3(7)に短縮URLの許可を加え、第5-3(8)を新設しました。",
  });
  assert.equal(published.status, 303);

  const list = await operator.text("/guideline");
  assert.match(list, /施行予定/);
  assert.match(list, /令和8年7月1日改正/);
  const ack = await operator.text("/guideline/acknowledge");
  assert.match(ack, /前回確認した版（平成28年4月1日改正/);
  assert.match(ack, /変更のあった条項: 2件/);
  assert.ok(!/<dt>第9</.test(ack), "only the changes, not the whole text");
});

test("the dashboard shows rates by department to the policy director and the admin", async () => {
  const page = await director.text("/");
  assert.match(page, /ガイドラインの確認状況（第8-2）/);
  assert.match(page, /<th[^>]*scope="row">総合政策部<\/th>/);
  const admin = await signIn(http, org.staff.admin.employeeNo);
  assert.match(await admin.text("/"), /ガイドラインの確認状況/);
  const detail = await admin.text("/guideline/acknowledgements");
  assert.match(detail, /広報 主事/, "the operator has not acknowledged the new version");
  assert.equal((await operator.get("/guideline/acknowledgements")).status, 403);

  const rates = await api("admin", "/guideline/acknowledgements");
  assert.equal(rates.status, 200);
  const body: unknown = await rates.json();
  // 8.2 職員に周知徹底: by default every active member of staff is counted, not only role holders.
  const everyone = Object.values(org.staff).filter((p) => p.active).length;
  assert.ok(typeof body === "object" && body !== null && "required" in body && body.required === everyone);
  assert.equal((await api("auditor", "/guideline/acknowledgements")).status, 403);
});

test("a pack file downloads, uploads again as a draft, and a broken one is refused in Japanese", async () => {
  const versions: unknown = await (await api("kouhouStaff", "/guideline/versions")).json();
  assert.ok(
    typeof versions === "object" && versions !== null && "items" in versions && Array.isArray(versions.items),
  );
  const first = versions.items.at(-1);
  const download = await operator.get(`/guideline/versions/${first.id}/pack.json`);
  assert.equal(download.status, 200);
  assert.match(download.headers.get("content-disposition") ?? "", /attachment/);
  const bytes = new Uint8Array(await download.arrayBuffer());

  const uploaded = await director.upload(
    "/guideline/import",
    {},
    {
      name: "pack.json",
      field: "file",
      bytes,
      type: "application/json",
    },
  );
  assert.equal(uploaded.status, 303);
  const draftId = idFrom(uploaded.headers.get("location"));

  const broken = JSON.parse(new TextDecoder().decode(bytes));
  broken.guideline.limits.maxCredentialHolders = -1;
  const refused = await director.upload(
    "/guideline/import",
    {},
    {
      name: "pack.json",
      field: "file",
      bytes: new TextEncoder().encode(JSON.stringify(broken)),
      type: "application/json",
    },
  );
  assert.equal(refused.status, 422);
  assert.match(await refused.text(), /guideline\.limits\.maxCredentialHolders/);

  const viaApi = await api("policyDirector", "/guideline/versions/import", { method: "POST", body: broken });
  assert.equal(viaApi.status, 422);
  const error: unknown = await viaApi.json();
  assert.match(JSON.stringify(error), /guideline\.limits\.maxCredentialHolders/);
  assert.equal(
    (await api("kouhouStaff", "/guideline/versions/import", { method: "POST", body: broken })).status,
    403,
  );

  assert.equal(
    (await api("policyDirector", `/guideline/versions/${draftId}`, { method: "DELETE" })).status,
    200,
  );
});

test("/api/v1/check uses the version in force: the new clause's wording does not change the rules, a new word does", async () => {
  const exported: unknown = await (await api("policyDirector", "/guideline/versions")).json();
  assert.ok(typeof exported === "object" && exported !== null && "inForce" in exported);
  const pack: unknown = await (
    await api("policyDirector", `/guideline/versions/${(exported.inForce as { id: number }).id}/pack`)
  ).json();
  assert.ok(typeof pack === "object" && pack !== null && "checker" in pack);
  const file = structuredClone(pack) as { checker: { vocabulary: { entries: unknown[] } }; label: string };
  file.label = "語彙の追加";
  file.checker.vocabulary.entries.push({
    term: "へっぽこ",
    clause: "5.2.6",
    severity: "error",
    match: "substring",
  });
  const imported = await api("policyDirector", "/guideline/versions/import", { method: "POST", body: file });
  assert.equal(imported.status, 201);
  const item: unknown = await imported.json();
  assert.ok(typeof item === "object" && item !== null && "item" in item);
  const id = (item.item as { id: number }).id;
  const published = await api("policyDirector", `/guideline/versions/${id}/publish`, {
    method: "POST",
    body: { effectiveDate: "2026-06-10", summary: "語彙を追加しました。" },
  });
  assert.equal(published.status, 200);

  const check = async () => {
    const res = await api("kouhouStaff", "/check", {
      method: "POST",
      body: { text: "へっぽこな案内でした。", platform: "x", kind: "post" },
    });
    return JSON.stringify(await res.json());
  };
  assert.ok(!(await check()).includes('"5.2.6"'), "before 10 June the word is not in the rules");
  app.clock.set("2026-06-10T00:00:00Z");
  assert.match(await check(), /"5\.2\.6"/);
});

test("the policy director changes who must acknowledge on the status page; nobody else can", async () => {
  const director = await signIn(http, org.staff.policyDirector.employeeNo);
  const operator = await signIn(http, org.staff.kouhouStaff.employeeNo);
  const page = await director.text("/guideline/acknowledgements");
  assert.match(page, /確認の対象は「在職しているすべての職員」です/);
  assert.match(page, /<label for="f-scope">対象/);
  assert.equal(
    (await operator.post("/guideline/acknowledgements/scope", { scope: "account_divisions" })).status,
    403,
  );
  const res = await director.post("/guideline/acknowledgements/scope", { scope: "account_divisions" });
  assert.equal(res.status, 303);
  assert.match(
    await director.text("/guideline/acknowledgements"),
    /確認の対象は「公式アカウントを持つ（または申請中の）課等の職員と、役割のある職員/,
  );
  const bad = await director.post("/guideline/acknowledgements/scope", { scope: "nobody" });
  assert.equal(bad.status, 422);
  assert.match(await bad.text(), /確認の対象とする職員の範囲を選んでください/);
});
