/**
 * The guideline's rules on posts, role by role, through the JSON API and the pages (5.1.4, 5.2):
 * a post-hoc post with an error goes out only with a confirmation on the spot by someone who may
 * approve on the account (not the operator alone, not a colleague, another division or the
 * policy director); a re-send ① is the content the city already published (any account, or a
 * page of the city); nobody decides on a post they wrote or edited in any version. Refusals are
 * 403 (recorded), 409 or 422 with a Japanese message citing the clause.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createApiToken } from "../../src/app/auth/api-tokens.ts";
import type { StaffActor } from "../../src/app/context.ts";
import { nameDeputy } from "../../src/app/posts/deputies.ts";
import { entriesAfter } from "../../src/db/repos/audit.ts";
import { findPost, listDecisions } from "../../src/db/repos/posts.ts";
import { insertStaff } from "../../src/db/repos/staff.ts";
import { seedAccount } from "../support/accounts.ts";
import { apiTestApp, callApi, field, type HttpApp, json } from "../support/api.ts";
import type { TestApp } from "../support/context.ts";
import { givePassword, signIn } from "../support/http.ts";
import { seedKouhouKakarichou, type TestOrg } from "../support/org.ts";
import { seedPost } from "../support/posts.ts";

const personas = [
  "kouhouManager",
  "kouhouStaff",
  "soumuManager",
  "soumuStaff",
  "policyDirector",
  "auditor",
] as const;
type Persona = (typeof personas)[number] | "deputy";

let app: TestApp;
let org: TestOrg;
let http: HttpApp;
let tokens: Map<Persona, string>;
let kouhou: { id: number };
let soumu: { id: number };
/** 広報広聴課's 係長: the manager's deputy today. */
let deputy: StaffActor;
/** Another member of 広報広聴課, not named deputy. */
let colleagueId: number;

const PHONE_TEXT = "【緊急】避難される方は 090-1234-5678 までご連絡ください。";
const REASON = "災害対策本部が公開している臨時の連絡先です。";
const OK_TEXT = "【お知らせ】市役所本庁舎の窓口は、本日17時15分まで開いています。";
const CITY_PAGE = "https://www.city.iwaki.lg.jp/www/contents/1700000000001/index.html";
const QUOTE = "本庁舎の窓口は、12月29日から1月3日まで休みます。";

before(async () => {
  // Tuesday 24 November 2026, 10:00 in Tokyo.
  const made = await apiTestApp(personas, { start: "2026-11-24T01:00:00Z" });
  ({ app, org, http } = made);
  tokens = new Map<Persona, string>(made.tokens);
  deputy = await seedKouhouKakarichou(app.ctx, org);
  tokens.set("deputy", (await createApiToken(app.ctx, { actor: deputy, input: { name: "t" } })).token);
  colleagueId = (
    await insertStaff(app.ctx.db, {
      employeeNo: "T0101",
      name: "広報 主任",
      kana: "",
      email: "t101@city.example.lg.jp",
      departmentId: org.departments.seisaku.id,
      divisionId: org.divisions.kouhou.id,
      positionId: org.positions.shuji.id,
      active: true,
    })
  ).id;
  kouhou = await seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    operatorIds: [org.staff.kouhouStaff.id, org.staff.kouhouManager.id],
    policy: true,
    name: "広報いわき",
  });
  soumu = await seedAccount(app.ctx, {
    divisionId: org.divisions.soumuka.id,
    managerId: org.staff.soumuManager.id,
    operatorIds: [org.staff.soumuStaff.id],
    policy: true,
  });
  await nameDeputy(app.ctx, {
    actor: org.actors.kouhouManager,
    input: { deputyId: deputy.staffId, fromDate: "2026-11-24", toDate: "2026-11-24", reason: "出張のため" },
  });
  for (const id of [org.staff.kouhouStaff.id, org.staff.kouhouManager.id, org.staff.soumuStaff.id])
    await givePassword(app, id);
});
after(() => app.close());

function call(persona: Persona, method: string, path: string, body?: unknown) {
  return callApi(http, tokens.get(persona), method, path, body);
}

const lastSeq = async () => (await entriesAfter(app.ctx.db, 0, 1_000_000)).at(-1)?.seq ?? 0;

async function draft(persona: Persona, body: Record<string, unknown>): Promise<number> {
  const res = await call(persona, "POST", "/posts", body);
  assert.equal(res.status, 201, JSON.stringify(await res.clone().json()));
  return Number(field(await json(res), "items", 0, "id"));
}

const emergency = (persona: Persona = "kouhouStaff") =>
  draft(persona, { accounts: [{ accountId: kouhou.id, text: PHONE_TEXT }], category: "emergency" });

/** Expects a 403 with `pattern` and exactly one auth.denied entry by `actorId`. */
async function refusedAndRecorded(res: Response, seq: number, actorId: number, pattern: RegExp) {
  assert.equal(res.status, 403);
  const body = await json(res);
  assert.equal(field(body, "error", "code"), "forbidden");
  assert.match(String(field(body, "error", "message")), pattern);
  const denied = (await entriesAfter(app.ctx.db, seq, 10)).filter((e) => e.action === "auth.denied");
  assert.equal(denied.length, 1, "the refusal is in the audit log");
  assert.equal(denied[0]?.actorId, actorId);
}

// 5.2 with 5.1.4 ①–④: who may confirm a post-hoc post with an error on the spot.
const confirmers: Array<{ who: string; id: () => number | null; allowed: boolean }> = [
  { who: "nobody (the operator alone)", id: () => null, allowed: false },
  { who: "the account manager", id: () => org.staff.kouhouManager.id, allowed: true },
  { who: "the deputy of the day", id: () => deputy.staffId, allowed: true },
  { who: "a colleague not named deputy", id: () => colleagueId, allowed: false },
  { who: "another division's manager", id: () => org.staff.soumuManager.id, allowed: false },
  { who: "the policy director", id: () => org.staff.policyDirector.id, allowed: false },
  { who: "the auditor", id: () => org.staff.auditor.id, allowed: false },
  { who: "the author themself", id: () => org.staff.kouhouStaff.id, allowed: false },
];

for (const c of confirmers) {
  test(`API: a post-hoc post with an error, confirmed by ${c.who}: ${c.allowed ? "published" : "refused"}`, async () => {
    const id = await emergency();
    const confirmedBy = c.id();
    const seq = await lastSeq();
    const res = await call("kouhouStaff", "POST", `/posts/${id}/publish-post-hoc`, {
      version: 1,
      justification: REASON,
      ...(confirmedBy === null ? {} : { confirmedBy, confirmedAt: "2026-11-24T10:00:00+09:00" }),
    });
    if (c.allowed) {
      assert.equal(res.status, 200, JSON.stringify(await res.clone().json()));
      const detail = await json(await call("kouhouManager", "GET", `/posts/${id}`));
      assert.equal(field(detail, "decisions", 0, "rule"), "on_the_spot");
      assert.equal(field(detail, "decisions", 0, "actorId"), confirmedBy);
      assert.equal(field(detail, "decisions", 0, "recordedBy"), org.staff.kouhouStaff.id);
      assert.equal(field(detail, "decisions", 0, "givenAt"), "2026-11-24T01:00:00.000Z");
      return;
    }
    await refusedAndRecorded(res, seq, org.staff.kouhouStaff.id, /第5-2/);
    assert.equal((await findPost(app.ctx.db, id))?.status, "draft", "nothing went out");
  });
}

test("API: who may publish post-hoc at all: the account's operators; the manager as operator needs someone else's confirmation", async () => {
  const id = await emergency();
  const body = {
    version: 1,
    justification: REASON,
    confirmedBy: org.staff.kouhouManager.id,
    confirmedAt: "2026-11-24T10:00:00+09:00",
  };
  const expected: Array<[Persona, number]> = [
    ["soumuStaff", 404],
    ["soumuManager", 404],
    ["policyDirector", 403],
    ["auditor", 403],
    ["deputy", 403],
  ];
  for (const [persona, status] of expected) {
    const res = await call(persona, "POST", `/posts/${id}/publish-post-hoc`, body);
    assert.equal(res.status, status, persona);
  }
  const own = await emergency("kouhouManager");
  const seq = await lastSeq();
  const self = await call("kouhouManager", "POST", `/posts/${own}/publish-post-hoc`, {
    ...body,
    confirmedBy: org.staff.kouhouManager.id,
  });
  await refusedAndRecorded(self, seq, org.staff.kouhouManager.id, /作成・編集・発信する方以外/);
  const byDeputy = await call("kouhouManager", "POST", `/posts/${own}/publish-post-hoc`, {
    ...body,
    confirmedBy: deputy.staffId,
  });
  assert.equal(byDeputy.status, 200);
  const listed = await json(await call("kouhouStaff", "GET", `/posts/${id}`));
  assert.equal(field(listed, "can", "publishPostHoc"), true);
  const offered = JSON.stringify(field(listed, "confirmers"));
  assert.ok(
    offered.includes(`"id":${org.staff.kouhouManager.id}`) && offered.includes(`"id":${deputy.staffId}`),
  );
  assert.ok(
    !offered.includes(`"id":${colleagueId},`) && !offered.includes(`"id":${org.staff.kouhouStaff.id},`),
  );
});

test("API: the confirmation time must lie between the version's save and now", async () => {
  const id = await emergency();
  for (const confirmedAt of ["2026-11-24T09:58:00+09:00", "2026-11-24T10:30:00+09:00"]) {
    const res = await call("kouhouStaff", "POST", `/posts/${id}/publish-post-hoc`, {
      version: 1,
      justification: REASON,
      confirmedBy: org.staff.kouhouManager.id,
      confirmedAt,
    });
    assert.equal(res.status, 422, confirmedAt);
    assert.equal(field(await json(res), "error", "fields", 0, "field"), "confirmedAt");
  }
});

// ① re-sends: any of the city's accounts, the content itself.
test("API: ① another division re-sends the main account's post; a changed text needs approval", async () => {
  const main = await seedPost(app.ctx, {
    accountId: kouhou.id,
    authorId: org.staff.kouhouStaff.id,
    text: "【お知らせ】年末年始は本庁舎の窓口をお休みします。",
    publishedUrl: "https://x.com/iwaki_city/status/77",
  });
  const same = await draft("soumuStaff", {
    accounts: [
      { accountId: soumu.id, text: `市公式アカウントより ${main.text} https://x.com/iwaki_city/status/77` },
    ],
    category: "repost",
    repostOf: main.id,
  });
  const detail = await json(await call("soumuStaff", "GET", `/posts/${same}`));
  assert.equal(field(detail, "resend", "sourcePostId"), main.id);
  assert.equal(field(detail, "resend", "verifiedBySystem"), true);
  assert.equal(field(detail, "resend", "problem"), null);
  const ok = await call("soumuStaff", "POST", `/posts/${same}/publish-post-hoc`, { version: 1 });
  assert.equal(ok.status, 200);

  const changed = await draft("soumuStaff", {
    accounts: [{ accountId: soumu.id, text: `${main.text}なお、1月4日は混雑が予想されます。` }],
    category: "repost",
    repostOf: main.id,
  });
  const changedDetail = await json(await call("soumuStaff", "GET", `/posts/${changed}`));
  assert.equal(field(changedDetail, "can", "publishPostHoc"), false);
  assert.match(String(field(changedDetail, "resend", "problem")), /URLのほかは書けません/);
  const refused = await call("soumuStaff", "POST", `/posts/${changed}/publish-post-hoc`, { version: 1 });
  assert.equal(refused.status, 409);
  assert.match(String(field(await json(refused), "error", "message")), /第5-1\(4\)①/);
  const submitted = await call("soumuStaff", "POST", `/posts/${changed}/submit`, { version: 1 });
  assert.equal(submitted.status, 200, "it goes to the manager for approval instead");
});

test("API: ① from a page of the city's own domains only, the quote kept with the URL", async () => {
  const id = await draft("soumuStaff", {
    accounts: [{ accountId: soumu.id, text: `市ホームページより「${QUOTE}」 ${CITY_PAGE}` }],
    category: "repost",
    repostSourceUrl: CITY_PAGE,
    repostQuote: QUOTE,
  });
  const detail = await json(await call("soumuManager", "GET", `/posts/${id}`));
  assert.equal(field(detail, "post", "repostSourceUrl"), CITY_PAGE);
  assert.equal(field(detail, "resend", "quote"), QUOTE);
  assert.equal(field(detail, "resend", "verifiedBySystem"), false);
  const ok = await call("soumuStaff", "POST", `/posts/${id}/publish-post-hoc`, { version: 1 });
  assert.equal(ok.status, 200);
  for (const url of ["https://www.city.koriyama.lg.jp/a.html", "https://example.com/a.html"]) {
    const res = await call("soumuStaff", "POST", "/posts", {
      accounts: [{ accountId: soumu.id, text: `${QUOTE} ${url}` }],
      category: "repost",
      repostSourceUrl: url,
      repostQuote: QUOTE,
    });
    assert.equal(res.status, 422, url);
    assert.equal(field(await json(res), "error", "fields", 0, "field"), "repostSourceUrl");
  }
});

// 5.1.4: nobody decides on a post they wrote or edited in any version.
async function editedByManager(): Promise<number> {
  const id = await draft("kouhouStaff", { accounts: [{ accountId: kouhou.id, text: OK_TEXT }] });
  const v2 = await call("kouhouManager", "PATCH", `/posts/${id}`, {
    version: 1,
    text: `${OK_TEXT}（土日は休み）`,
  });
  assert.equal(v2.status, 200);
  const v3 = await call("kouhouStaff", "PATCH", `/posts/${id}`, {
    version: 2,
    text: `${OK_TEXT}（土日は休みです）`,
  });
  assert.equal(v3.status, 200);
  assert.equal((await call("kouhouStaff", "POST", `/posts/${id}/submit`, { version: 3 })).status, 200);
  return id;
}

const deciders: Array<[Persona, number]> = [
  ["kouhouManager", 403],
  ["kouhouStaff", 403],
  ["soumuManager", 404],
  ["policyDirector", 403],
  ["auditor", 403],
  ["deputy", 200],
];

for (const [action, body] of [
  ["approve", { version: 3 }],
  ["return", { version: 3, comment: "日付を確認してください" }],
  ["reject", { version: 3, comment: "発信しません" }],
  ["verbal-approval", { version: 3, givenAt: "2026-11-24T10:00:00+09:00" }],
] as const) {
  test(`API: ${action} of a post the manager edited in version 2 (of 3), role by role`, async () => {
    const id = await editedByManager();
    for (const [persona, status] of deciders) {
      const seq = await lastSeq();
      const res = await call(persona, "POST", `/posts/${id}/${action}`, body);
      assert.equal(res.status, status, `${persona}: ${await res.clone().text()}`);
      if (persona === "kouhouManager") {
        assert.match(String(field(await json(res), "error", "message")), /以前の版を含みます.*第5-1\(4\)/);
        const denied = (await entriesAfter(app.ctx.db, seq, 10)).filter((e) => e.action === "auth.denied");
        assert.equal(denied.length, 1);
        assert.match(JSON.stringify(denied[0]?.summary), /own_post/);
      }
    }
  });
}

test("API: the report of a post-hoc post is not acknowledged by whoever edited an earlier version or published it", async () => {
  const text = "【結果】市民駅伝大会の結果をお知らせします。";
  const edited = await draft("kouhouStaff", { accounts: [{ accountId: kouhou.id, text }], category: "fact" });
  await call("kouhouManager", "PATCH", `/posts/${edited}`, { version: 1, text: `${text}（速報）` });
  await call("kouhouStaff", "PATCH", `/posts/${edited}`, { version: 2, text: `${text}（確定）` });
  assert.equal(
    (await call("kouhouStaff", "POST", `/posts/${edited}/publish-post-hoc`, { version: 3 })).status,
    200,
  );
  const published = await draft("kouhouStaff", {
    accounts: [{ accountId: kouhou.id, text }],
    category: "fact",
  });
  assert.equal(
    (await call("kouhouManager", "POST", `/posts/${published}/publish-post-hoc`, { version: 1 })).status,
    200,
    "the manager, an operator too, publishes the operator's draft and so makes the report",
  );
  for (const id of [edited, published]) {
    const expected: Array<[Persona, number]> = [
      ["kouhouManager", 403],
      ["kouhouStaff", 403],
      ["policyDirector", 403],
      ["deputy", 200],
    ];
    for (const [persona, status] of expected) {
      const res = await call(persona, "POST", `/posts/${id}/acknowledge`, {});
      assert.equal(res.status, status, `#${id} ${persona}`);
    }
  }
});

// The pages.
test("pages: the post-hoc form asks for the confirmation on the spot; refused without it, the form kept; recorded with it", async () => {
  const id = await emergency();
  const staff = await signIn(http, org.staff.kouhouStaff.employeeNo);
  const page = await staff.text(`/posts/${id}`);
  assert.ok(page.includes('name="confirmedBy"'), "who confirmed");
  assert.ok(page.includes('name="confirmedAt"'), "when");
  assert.ok(page.includes(`<option value="${org.staff.kouhouManager.id}">広報 課長</option>`));
  assert.ok(page.includes(`<option value="${deputy.staffId}">広報 係長</option>`));
  assert.ok(!page.includes(`<option value="${colleagueId}">`), "not a colleague who may not approve");

  const seq = await lastSeq();
  const alone = await staff.post(`/posts/${id}/publish-now`, { version: "1", justification: REASON });
  assert.equal(alone.status, 403);
  const refused = await alone.text();
  assert.ok(refused.includes("一人では発信できません"));
  assert.ok(refused.includes('href="#f-confirmedBy"'), "the error summary links to the field");
  assert.ok(refused.includes(REASON), "what was typed is kept");
  assert.equal((await entriesAfter(app.ctx.db, seq, 10)).filter((e) => e.action === "auth.denied").length, 1);

  const colleague = await staff.post(`/posts/${id}/publish-now`, {
    version: "1",
    justification: REASON,
    confirmedBy: String(colleagueId),
    confirmedAt: "2026-11-24T10:00",
  });
  assert.equal(colleague.status, 403);
  assert.ok((await colleague.text()).includes("承認できる方"));

  const ok = await staff.post(`/posts/${id}/publish-now`, {
    version: "1",
    justification: REASON,
    confirmedBy: String(org.staff.kouhouManager.id),
    confirmedAt: "2026-11-24T10:00",
    confirmationNote: "臨時窓口の番号であることを電話で確認",
  });
  assert.equal(ok.status, 303);
  const after = await staff.text(`/posts/${id}`);
  assert.ok(after.includes("要修正の指摘についてのその場での確認（第5-2）"));
  assert.ok(after.includes("記録した職員: 広報 主事"));
  assert.ok(after.includes("臨時窓口の番号であることを電話で確認"));
  assert.equal((await listDecisions(app.ctx.db, id))[0]?.actorId, org.staff.kouhouManager.id);
});

test("pages: ① the form offers another account's post or a city page, and a changed text is sent for approval", async () => {
  const main = await seedPost(app.ctx, {
    accountId: kouhou.id,
    authorId: org.staff.kouhouStaff.id,
    text: "【お知らせ】市民プールは冬季休業に入ります。",
  });
  const staff = await signIn(http, org.staff.soumuStaff.employeeNo);
  const form = await staff.text("/posts/new");
  assert.ok(form.includes(`<option value="${main.id}">#${main.id} 広報いわき`), "the main account's post");
  assert.ok(form.includes('name="repostSourceUrl"') && form.includes('name="repostQuote"'));
  assert.ok(
    form.includes("市のページの本文との一致はシステムでは確認できないため、事後確認で照合してください"),
  );

  const saved = await staff.post("/posts/new", {
    intent: "save",
    accountIds: [String(soumu.id)],
    [`text_${soumu.id}`]: `${main.text}ぜひご利用ください。`,
    category: "repost",
    repostOf: String(main.id),
    repostSourceUrl: "",
    repostQuote: "",
  });
  assert.equal(saved.status, 303);
  const id = Number(/\/posts\/(\d+)$/.exec(saved.headers.get("location") ?? "")?.[1]);
  const page = await staff.text(`/posts/${id}`);
  assert.ok(page.includes("この本文は、事後報告（①再発信）では発信できません"));
  assert.ok(!page.includes(`action="/posts/${id}/publish-now"`), "no post-hoc form");
  assert.ok(page.includes(`action="/posts/${id}/submit"`), "approval instead");
  const forced = await staff.post(`/posts/${id}/publish-now`, { version: "1" });
  assert.equal(forced.status, 409);

  const fromPage = await staff.post("/posts/new", {
    intent: "save",
    accountIds: [String(soumu.id)],
    [`text_${soumu.id}`]: `市ホームページより「${QUOTE}」 ${CITY_PAGE}`,
    category: "repost",
    repostOf: "",
    repostSourceUrl: CITY_PAGE,
    repostQuote: QUOTE,
  });
  assert.equal(fromPage.status, 303);
  const pageId = Number(/\/posts\/(\d+)$/.exec(fromPage.headers.get("location") ?? "")?.[1]);
  const shown = await staff.text(`/posts/${pageId}`);
  assert.ok(shown.includes("再発信する元の市のページ"));
  assert.ok(
    shown.includes("市のページの本文との一致はシステムでは確認できないため、事後確認で照合してください"),
  );
  assert.equal((await staff.post(`/posts/${pageId}/publish-now`, { version: "1" })).status, 303);
});

test("pages: a manager who edited an earlier version sees why they cannot decide, and is refused", async () => {
  const id = await editedByManager();
  const manager = await signIn(http, org.staff.kouhouManager.employeeNo);
  const page = await manager.text(`/posts/${id}`);
  assert.ok(page.includes("ご自身が作成または編集した投稿は、ご自身では承認"));
  assert.ok(!page.includes(`action="/posts/${id}/approve"`), "no approval form");
  assert.ok(!page.includes(`action="/posts/${id}/verbal"`), "no verbal approval form");
  assert.ok(!(await manager.text("/posts")).includes(`href="/posts/${id}"`), "not waiting for them");
  for (const path of ["approve", "return", "reject", "verbal"]) {
    const res = await manager.post(`/posts/${id}/${path}`, {
      version: "3",
      comment: "確認しました",
      givenAt: "2026-11-24T10:00",
    });
    assert.equal(res.status, 403, path);
    assert.ok((await res.text()).includes("以前の版を含みます"), path);
  }
});
