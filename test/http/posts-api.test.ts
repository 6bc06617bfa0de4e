/**
 * Drafting and approval through the JSON API, role by role (3, 5.1.4): an operator of another
 * account, a manager of another division, the author approving their own post and an operator
 * approving are refused; the deputy approves only within the dates; post-hoc publishing, the
 * acknowledgement, scopes and images; a verbal approval dated before the submission or in the
 * future is refused; a correction carries its original and the differences; every route is in the
 * OpenAPI document.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { entriesAfter } from "../../src/db/repos/audit.ts";
import { seedAccount } from "../support/accounts.ts";
import { apiTestApp, callApi, field, type HttpApp, json } from "../support/api.ts";
import type { TestApp } from "../support/context.ts";
import { phonePng } from "../support/images.ts";
import type { TestOrg } from "../support/org.ts";
import { seedPost } from "../support/posts.ts";

const personas = [
  "kouhouManager",
  "kouhouStaff",
  "soumuManager",
  "soumuStaff",
  "policyDirector",
  "auditor",
] as const;
type Persona = (typeof personas)[number];

let app: TestApp;
let org: TestOrg;
let http: HttpApp;
let account: { id: number };
let tokens: Map<Persona, string>;

before(async () => {
  ({ app, org, http, tokens } = await apiTestApp(personas, { start: "2026-11-24T00:00:00Z" }));
  account = await seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    operatorIds: [org.staff.kouhouStaff.id, org.staff.kouhouManager.id],
    policy: true,
  });
  await seedAccount(app.ctx, {
    divisionId: org.divisions.soumuka.id,
    managerId: org.staff.soumuManager.id,
    operatorIds: [org.staff.soumuStaff.id],
    policy: true,
  });
});
after(() => app.close());

function call(persona: Persona, method: string, path: string, body?: unknown) {
  return callApi(http, tokens.get(persona), method, path, body);
}

const lastSeq = async () => (await entriesAfter(app.ctx.db, 0, 1_000_000)).at(-1)?.seq ?? 0;
const OK_TEXT = "【お知らせ】市役所本庁舎の窓口は、本日17時15分まで開いています。";

async function draft(persona: Persona, extra: Record<string, unknown> = {}): Promise<number> {
  const res = await call(persona, "POST", "/posts", {
    accounts: [{ accountId: account.id, text: OK_TEXT }],
    ...extra,
  });
  assert.equal(res.status, 201, JSON.stringify(await res.clone().json()));
  const id = field(await json(res), "items", 0, "id");
  assert.equal(typeof id, "number");
  return Number(id);
}

async function pending(persona: Persona = "kouhouStaff"): Promise<number> {
  const id = await draft(persona);
  const res = await call(persona, "POST", `/posts/${id}/submit`, { version: 1 });
  assert.equal(res.status, 200);
  return id;
}

test("drafting: only the account's operators; another division's operator and manager are refused and recorded", async () => {
  for (const persona of ["soumuStaff", "soumuManager", "policyDirector", "auditor"] as const) {
    const seq = await lastSeq();
    const res = await call(persona, "POST", "/posts", {
      accounts: [{ accountId: account.id, text: OK_TEXT }],
    });
    assert.equal(res.status, 403, persona);
    assert.equal(field(await json(res), "error", "code"), "forbidden");
    const entries = await entriesAfter(app.ctx.db, seq, 10);
    assert.deepEqual(
      entries.map((e) => e.action),
      ["auth.denied"],
      persona,
    );
  }
  const preview = await call("kouhouStaff", "POST", "/posts/preview", {
    accounts: [{ accountId: account.id, text: "未公表の計画案です。" }],
  });
  assert.equal(preview.status, 200);
  assert.equal(field(await json(preview), "items", 0, "findings", 0, "clause"), "5.2.2.2");
});

test("approving: refused for the author (even the manager), an operator, another division's manager and the policy director", async () => {
  const own = await pending("kouhouManager");
  const ownRes = await call("kouhouManager", "POST", `/posts/${own}/approve`, { version: 1 });
  assert.equal(ownRes.status, 403);
  assert.match(String(field(await json(ownRes), "error", "message")), /ご自身が作成または編集した投稿/);

  const id = await pending();
  const expected: Array<[Persona, number]> = [
    ["kouhouStaff", 403],
    ["soumuManager", 404],
    ["soumuStaff", 404],
    ["policyDirector", 403],
    ["auditor", 403],
  ];
  for (const [persona, status] of expected) {
    const res = await call(persona, "POST", `/posts/${id}/approve`, { version: 1 });
    assert.equal(res.status, status, persona);
  }
  const read = await call("policyDirector", "GET", `/posts/${id}`);
  assert.equal(read.status, 200, "the policy director reads every post");
  assert.equal(field(await json(read), "can", "decide"), false);

  const approved = await call("kouhouManager", "POST", `/posts/${id}/approve`, {
    version: 1,
    comment: "承認します",
  });
  assert.equal(approved.status, 200);
  assert.equal(field(await json(approved), "item", "approvalRule"), "manager");
  const again = await call("kouhouManager", "POST", `/posts/${id}/approve`, { version: 1 });
  assert.equal(again.status, 409);
});

test("the deputy approves only within the dates the manager named", async () => {
  const named = await call("kouhouManager", "POST", "/deputies", {
    deputyId: org.staff.kouhouStaff.id,
    fromDate: "2026-11-25",
    toDate: "2026-11-25",
    reason: "研修のため",
  });
  assert.equal(named.status, 201);
  const byManager = await pending("kouhouManager");
  const before = await call("kouhouStaff", "POST", `/posts/${byManager}/approve`, { version: 1 });
  assert.equal(before.status, 403);
  app.clock.set("2026-11-25T03:00:00Z");
  const within = await call("kouhouStaff", "POST", `/posts/${byManager}/approve`, { version: 1 });
  assert.equal(within.status, 200);
  assert.equal(field(await json(within), "item", "approvalRule"), "deputy");
  app.clock.set("2026-11-26T03:00:00Z");
  const later = await pending("kouhouManager");
  const after = await call("kouhouStaff", "POST", `/posts/${later}/approve`, { version: 1 });
  assert.equal(after.status, 403);
  const list = await call("kouhouManager", "GET", "/deputies");
  assert.equal(field(await json(list), "items", 0, "reason"), "研修のため");
  app.clock.set("2026-11-24T00:00:00Z");
});

test("return and reject need a comment; verbal approval records when it was given", async () => {
  const id = await pending();
  const noComment = await call("kouhouManager", "POST", `/posts/${id}/return`, { version: 1 });
  assert.equal(noComment.status, 422);
  const returned = await call("kouhouManager", "POST", `/posts/${id}/return`, {
    version: 1,
    comment: "日付を確認",
  });
  assert.equal(field(await json(returned), "item", "status"), "returned");

  const other = await pending();
  app.clock.set("2026-11-24T01:00:00Z");
  // An approval dated 2020 on a post submitted today, or one in the future, is refused.
  for (const givenAt of ["2020-06-01T10:00:00+09:00", "2026-11-24T10:30:00+09:00"]) {
    const wrong = await call("kouhouManager", "POST", `/posts/${other}/verbal-approval`, {
      version: 1,
      givenAt,
    });
    assert.equal(wrong.status, 422, givenAt);
    assert.equal(field(await json(wrong), "error", "fields", 0, "field"), "givenAt");
  }
  const verbal = await call("kouhouManager", "POST", `/posts/${other}/verbal-approval`, {
    version: 1,
    givenAt: "2026-11-24T09:30:00+09:00",
  });
  assert.equal(verbal.status, 200);
  const detail = await json(await call("kouhouStaff", "GET", `/posts/${other}`));
  assert.equal(field(detail, "decisions", 0, "rule"), "verbal");
  assert.equal(field(detail, "decisions", 0, "givenAt"), "2026-11-24T00:30:00.000Z");
  app.clock.set("2026-11-24T00:00:00Z");
});

test("post-hoc publishing ④, the manager's acknowledgement, edits of a published post refused", async () => {
  const id = await draft("kouhouStaff", { category: "emergency" });
  const published = await call("kouhouStaff", "POST", `/posts/${id}/publish-post-hoc`, { version: 1 });
  assert.equal(published.status, 200);
  const item = field(await json(published), "item");
  assert.equal(field(item, "status"), "published");
  assert.equal(field(item, "reportDueAt"), "2026-11-26T15:00:00.000Z");
  const lists = await json(await call("kouhouManager", "GET", "/posts"));
  assert.ok(JSON.stringify(field(lists, "reports")).includes(`"id":${id}`));
  const edit = await call("kouhouStaff", "PATCH", `/posts/${id}`, { version: 1, text: "変更" });
  assert.equal(edit.status, 409);
  const ack = await call("kouhouManager", "POST", `/posts/${id}/acknowledge`, {});
  assert.equal(ack.status, 200);
  assert.equal(field(await json(ack), "item", "acknowledgedBy"), org.staff.kouhouManager.id);
});

test("scopes and images through the API", async () => {
  const refused = await call("kouhouStaff", "POST", `/accounts/${account.id}/scopes`, {
    name: "休館日",
    template: "【休館】{date}は休館日です。",
    fields: [{ name: "date", label: "日付" }],
    categories: ["normal"],
    validUntil: "2027-03-31",
  });
  assert.equal(refused.status, 403);
  const created = await call("kouhouManager", "POST", `/accounts/${account.id}/scopes`, {
    name: "休館日",
    template: "【休館】{date}は図書館の休館日です。",
    fields: [{ name: "date", label: "日付", pattern: "\\d{1,2}月\\d{1,2}日" }],
    categories: ["normal"],
    validUntil: "2027-03-31",
  });
  assert.equal(created.status, 201);
  const scopeId = Number(field(await json(created), "item", "id"));
  const res = await call("kouhouStaff", "POST", "/posts", {
    accounts: [{ accountId: account.id }],
    scopeId,
    scopeValues: { date: "12月28日" },
  });
  const id = Number(field(await json(res), "items", 0, "id"));
  const submitted = await json(await call("kouhouStaff", "POST", `/posts/${id}/submit`, { version: 1 }));
  assert.equal(field(submitted, "autoApproved"), true);
  assert.equal(field(submitted, "item", "approvalRule"), "scope");

  const draftId = await draft("kouhouStaff");
  const png = Buffer.from(phonePng().bytes).toString("base64");
  const added = await call("kouhouStaff", "POST", `/posts/${draftId}/images`, {
    version: 1,
    filename: "poster.png",
    data: png,
    alt: "図書館の休館日のお知らせ",
    rights: "licensed",
    rightsNote: "デザイナーから利用許諾",
  });
  assert.equal(added.status, 201);
  const addedBody = await json(added);
  assert.deepEqual(field(addedBody, "image", "metadataRemoved"), ["gps", "exif", "xmp", "text"]);
  const imageId = Number(field(addedBody, "image", "id"));
  const removed = await call("kouhouStaff", "DELETE", `/posts/${draftId}/images/${imageId}?version=2`);
  assert.equal(removed.status, 200);
  assert.equal(field(await json(removed), "item", "version"), 3);
});

test("the routes are in the OpenAPI document", async () => {
  const doc = await json(await http.request("/api/v1/openapi.json"));
  const paths = Object.keys(Object(field(doc, "paths")));
  for (const p of [
    "/posts",
    "/posts/preview",
    "/posts/{id}",
    "/posts/{id}/submit",
    "/posts/{id}/approve",
    "/posts/{id}/return",
    "/posts/{id}/reject",
    "/posts/{id}/verbal-approval",
    "/posts/{id}/acknowledge",
    "/posts/{id}/publish-post-hoc",
    "/posts/{id}/images",
    "/posts/{id}/images/{imageId}",
    "/accounts/{id}/scopes",
    "/deputies",
  ])
    assert.ok(paths.includes(p), p);
});

test("a correction's detail carries the original and the differences; unchanged, submitting it is a 422", async () => {
  const original = await seedPost(app.ctx, {
    accountId: account.id,
    authorId: org.staff.kouhouStaff.id,
    text: "【お知らせ】12月5日（土）に市民会館で音楽会を開きます。",
  });
  assert.equal(
    (await call("kouhouManager", "POST", `/posts/${original.id}/erroneous`, { note: "日付の誤り" })).status,
    200,
  );
  const started = await call("kouhouStaff", "POST", `/posts/${original.id}/correction`, {});
  const id = Number(field(await json(started), "item", "id"));
  const detail = await json(await call("kouhouStaff", "GET", `/posts/${id}`));
  assert.equal(field(detail, "original", "id"), original.id);
  assert.equal(field(detail, "original", "same"), true);
  assert.equal(field(detail, "original", "diff", 0, "op"), "ins");

  const refused = await call("kouhouStaff", "POST", `/posts/${id}/submit`, { version: 1 });
  assert.equal(refused.status, 422);
  const body = await json(refused);
  assert.match(String(field(body, "error", "message")), /元の投稿（#\d+）と同じです.*第5-3\(3\)/);
  assert.equal(field(body, "error", "fields", 0, "field"), "text");
});
