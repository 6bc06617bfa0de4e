import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { seedAccount } from "../../../test/support/accounts.ts";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { listDecisions } from "../../db/repos/posts.ts";
import { AppError } from "../../errors.ts";
import { draftPost, editPost } from "./draft.ts";
import { accountScopes, createScope, revokeScope, scopeForDrafting } from "./scopes.ts";
import { submitPost } from "./submit.ts";

let app: TestApp;
let org: TestOrg;
let account: { id: number };

before(async () => {
  app = await testApp({ start: "2026-11-24T00:00:00Z" });
  org = await seedOrg(app.ctx);
  account = await seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    operatorIds: [org.staff.kouhouStaff.id],
    policy: true,
  });
});
after(() => app.close());

const isError = (status: number, text?: string) => (e: unknown) =>
  e instanceof AppError && e.status === status && (text === undefined || e.message.includes(text));

const garbage = {
  name: "ごみ収集日のお知らせ",
  template:
    "【ごみ収集】{date}は{area}地区の{kind}の収集日です。詳しくは https://www.city.iwaki.lg.jp/www/gomi.html をご覧ください。",
  fields: [
    { name: "date", label: "収集日", pattern: "\\d{1,2}月\\d{1,2}日（[月火水木金土日]）" },
    { name: "area", label: "地区", maxLength: 10 },
    { name: "kind", label: "ごみの種類", pattern: "燃やすごみ|容器包装プラスチック|びん・缶" },
  ],
  categories: ["normal"],
  cityLinksOnly: true,
  validUntil: "2027-03-31",
};

const values = { date: "12月1日（火）", area: "平", kind: "燃やすごみ" };

async function fromScope(scopeId: number, v: Record<string, string> = values) {
  const [post] = await draftPost(app.ctx, {
    actor: org.actors.kouhouStaff,
    input: { accounts: [{ accountId: account.id }], scopeId, scopeValues: v },
  });
  assert.ok(post);
  return post;
}

test("only the account manager defines scopes, and a definition must hold together", async () => {
  await assert.rejects(
    createScope(app.ctx, { actor: org.actors.kouhouStaff, accountId: account.id, input: garbage }),
    isError(403),
  );
  await assert.rejects(
    createScope(app.ctx, {
      actor: org.actors.kouhouManager,
      accountId: account.id,
      input: { ...garbage, fields: garbage.fields.slice(0, 2) },
    }),
    isError(422, "{kind} に対応する項目"),
  );
  await assert.rejects(
    createScope(app.ctx, {
      actor: org.actors.kouhouManager,
      accountId: account.id,
      input: { ...garbage, validUntil: "2026-11-23" },
    }),
    isError(422, "今日以降"),
  );
  const scope = await createScope(app.ctx, {
    actor: org.actors.kouhouManager,
    accountId: account.id,
    input: garbage,
  });
  const list = await accountScopes(app.ctx, { actor: org.actors.kouhouStaff, accountId: account.id });
  assert.deepEqual(
    list.scopes.map((s) => s.name),
    ["ごみ収集日のお知らせ"],
  );
  assert.equal(list.canDraft, true);
  assert.equal(list.canManage, false);
  const drafting = await scopeForDrafting(app.ctx, { actor: org.actors.kouhouStaff, scopeId: scope.id });
  assert.deepEqual(
    drafting.fields.map((f) => f.label),
    ["収集日", "地区", "ごみの種類"],
  );
});

test("a post from a scope that fits it and has no error is approved at once, under that scope", async () => {
  const scope = await createScope(app.ctx, {
    actor: org.actors.kouhouManager,
    accountId: account.id,
    input: garbage,
  });
  const post = await fromScope(scope.id);
  assert.equal(
    post.text,
    "【ごみ収集】12月1日（火）は平地区の燃やすごみの収集日です。詳しくは https://www.city.iwaki.lg.jp/www/gomi.html をご覧ください。",
  );
  const submitted = await submitPost(app.ctx, {
    actor: org.actors.kouhouStaff,
    id: post.id,
    input: { version: 1 },
  });
  assert.equal(submitted.autoApproved, true, submitted.scopeProblems.join(" / "));
  assert.equal(submitted.post.status, "approved");
  assert.equal(submitted.post.approvalRule, "scope");
  assert.equal(submitted.post.approvedBy, org.staff.kouhouManager.id, "approved in advance by the manager");
  const [decision] = await listDecisions(app.ctx.db, post.id);
  assert.deepEqual(
    [decision?.decision, decision?.rule, decision?.comment],
    ["approve", "scope", "ごみ収集日のお知らせ"],
  );
});

test("a field that does not match, or a text changed from the template, goes to the manager as usual", async () => {
  const scope = await createScope(app.ctx, {
    actor: org.actors.kouhouManager,
    accountId: account.id,
    input: garbage,
  });
  const wrongKind = await fromScope(scope.id, { ...values, kind: "粗大ごみ" });
  const first = await submitPost(app.ctx, {
    actor: org.actors.kouhouStaff,
    id: wrongKind.id,
    input: { version: 1 },
  });
  assert.equal(first.autoApproved, false);
  assert.equal(first.post.status, "pending");
  assert.ok(first.scopeProblems.some((p) => p.includes("「ごみの種類」の形式")));

  const edited = await fromScope(scope.id);
  await editPost(app.ctx, {
    actor: org.actors.kouhouStaff,
    id: edited.id,
    input: { version: 1, text: `${edited.text}なお、年末は収集日が変わります。` },
  });
  const second = await submitPost(app.ctx, {
    actor: org.actors.kouhouStaff,
    id: edited.id,
    input: { version: 2 },
  });
  assert.equal(second.autoApproved, false);
  assert.equal(second.post.status, "pending");
  assert.ok(second.scopeProblems.some((p) => p.includes("テンプレートと異なります")));
});

test("links to sites other than the city's are not within a city-links-only scope", async () => {
  const scope = await createScope(app.ctx, {
    actor: org.actors.kouhouManager,
    accountId: account.id,
    input: {
      ...garbage,
      name: "イベント告知",
      template: "【イベント】{title}を開催します。詳しくは {url} をご覧ください。",
      fields: [
        { name: "title", label: "イベント名" },
        { name: "url", label: "詳細ページのURL" },
      ],
    },
  });
  const post = await fromScope(scope.id, { title: "市民まつり", url: "https://example-festival.jp/2026" });
  const submitted = await submitPost(app.ctx, {
    actor: org.actors.kouhouStaff,
    id: post.id,
    input: { version: 1 },
  });
  assert.equal(submitted.autoApproved, false);
  assert.ok(submitted.scopeProblems.some((p) => p.includes("example-festival.jp")));
});

test("an expired or revoked scope is refused", async () => {
  const scope = await createScope(app.ctx, {
    actor: org.actors.kouhouManager,
    accountId: account.id,
    input: { ...garbage, validUntil: "2026-11-30" },
  });
  const post = await fromScope(scope.id);
  app.clock.set("2026-12-01T00:00:00Z");
  await assert.rejects(fromScope(scope.id), isError(409, "有効期限が切れています"));
  await assert.rejects(
    scopeForDrafting(app.ctx, { actor: org.actors.kouhouStaff, scopeId: scope.id }),
    isError(409),
  );
  const late = await submitPost(app.ctx, {
    actor: org.actors.kouhouStaff,
    id: post.id,
    input: { version: 1 },
  });
  assert.equal(late.autoApproved, false, "a draft made before the scope expired is not approved under it");
  assert.ok(late.scopeProblems.some((p) => p.includes("期限が切れています")));
  app.clock.set("2026-11-24T00:00:00Z");

  const revoked = await createScope(app.ctx, {
    actor: org.actors.kouhouManager,
    accountId: account.id,
    input: garbage,
  });
  await assert.rejects(
    revokeScope(app.ctx, { actor: org.actors.kouhouStaff, scopeId: revoked.id }),
    isError(403),
  );
  await revokeScope(app.ctx, { actor: org.actors.kouhouManager, scopeId: revoked.id });
  await assert.rejects(fromScope(revoked.id), isError(409, "取り消されています"));
});
