/**
 * The メディアポリシー tab as the division and its manager use it: a first draft from the template,
 * the edit form, approval refused with each missing item marked, versions with what changed,
 * the review-due badge and completing a review, and who is refused (4.2).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { currentPolicy, findDraft } from "../../src/db/repos/policies.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { seedAccount } from "../support/accounts.ts";
import { type TestApp, testApp } from "../support/context.ts";
import { givePassword, signIn } from "../support/http.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";

let app: TestApp;
let org: TestOrg;
let http: ReturnType<typeof createHttpApp>;

before(async () => {
  app = await testApp({ start: "2026-04-01T01:00:00Z" });
  org = await seedOrg(app.ctx);
  for (const p of [org.staff.kouhouManager, org.staff.kouhouStaff, org.staff.soumuManager, org.staff.auditor])
    await givePassword(app, p.id);
  http = createHttpApp(app.ctx);
});
after(() => app.close());

const account = (extra: { status?: "approved" | "active"; policy?: boolean | { reviewDue: string } } = {}) =>
  seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    operatorIds: [org.staff.kouhouStaff.id],
    ...extra,
  });

/** The text of a textarea by name (HTML-escaped as rendered). */
function textarea(html: string, name: string): string | undefined {
  return new RegExp(`<textarea[^>]*name="${name}"[^>]*>([^<]*)</textarea>`).exec(html)?.[1];
}

test("the division drafts the first version from the template and edits it in an accessible form", async () => {
  const a = await account({ status: "approved" });
  const staff = await signIn(http, org.staff.kouhouStaff.employeeNo);
  const page = await staff.text(`/accounts/${a.id}/policy`);
  assert.ok(page.includes("承認済みのメディアポリシーはまだありません"));
  assert.ok(page.includes('aria-current="page"'), "the tab is marked current");
  assert.ok(page.includes("ガイドラインのひな形の文面を元に、第1版の下書きを作成します"));

  const created = await staff.post(`/accounts/${a.id}/policy/draft`, {});
  assert.equal(created.status, 303);
  assert.equal(created.headers.get("location"), `/accounts/${a.id}/policy/edit`);
  const form = await staff.text(`/accounts/${a.id}/policy/edit`);
  assert.ok(form.includes("第1版の下書きを作成しました。"));
  assert.ok(textarea(form, "purpose")?.startsWith("いわき市広報広聴課が所管する事業"));
  assert.ok(form.includes("<legend>返信の可否（第4-2(2)）"), "the reply policy is a fieldset with a legend");
  assert.match(
    form,
    /<input type="radio" name="replyPolicy" id="f-replyPolicy-no_reply" value="no_reply" checked/,
  );
  assert.ok(form.includes("（第4-2(1)①）"), "each item's hint cites its clause");
  assert.ok(form.includes('aria-describedby="f-purpose-hint"'));

  const emptied = await staff.post(`/accounts/${a.id}/policy/edit`, {
    ...fields(form),
    purpose: "",
    frequency: "毎週金曜日",
  });
  assert.equal(emptied.status, 303, "a draft may be saved incomplete");
  const draft = await findDraft(app.ctx.db, a.id);
  assert.equal(draft?.purpose, "");
  assert.equal(draft?.frequency, "毎週金曜日");

  const bad = await staff.post(`/accounts/${a.id}/policy/edit`, { ...fields(form), replyPolicy: "always" });
  assert.equal(bad.status, 422);
  const badHtml = await bad.text();
  assert.ok(badHtml.includes("返信の可否を「返信する」「返信しない」「個別に判断する」から選んでください。"));
  assert.ok(badHtml.includes('href="#f-replyPolicy"'), "the error summary links to the radio group");
});

test("the manager's approval of an incomplete draft shows the form with each missing item marked", async () => {
  const a = await account({ status: "approved" });
  const staff = await signIn(http, org.staff.kouhouStaff.employeeNo);
  await staff.post(`/accounts/${a.id}/policy/draft`, {});
  const form = await staff.text(`/accounts/${a.id}/policy/edit`);
  await staff.post(`/accounts/${a.id}/policy/edit`, { ...fields(form), purpose: "", timing: "" });
  const draft = await findDraft(app.ctx.db, a.id);

  const manager = await signIn(http, org.staff.kouhouManager.employeeNo);
  const overview = await manager.text(`/accounts/${a.id}/policy`);
  assert.ok(overview.includes("承認までに次の項目を記入してください"));
  assert.ok(overview.includes("第1版を承認して公開する"));
  const refused = await manager.post(`/accounts/${a.id}/policy/approve`, { policyId: String(draft?.id) });
  assert.equal(refused.status, 422);
  const html = await refused.text();
  assert.ok(html.includes('href="#f-purpose"'));
  assert.ok(html.includes("① 情報発信を行う目的を入力してください（第4-2(1)）。"));
  assert.ok(html.includes("④ 利用方法：発信時期を入力してください（第4-2(1)）。"));
  assert.match(html, /<textarea[^>]*name="purpose"[^>]*aria-invalid="true"/);
  assert.ok(textarea(html, "content")?.includes("広報広聴課が所管する事業"), "the stored items are shown");

  await manager.post(`/accounts/${a.id}/policy/edit`, {
    ...fields(html),
    purpose: "市政情報を迅速にお届けするため",
    timing: "開庁日の日中",
  });
  const approved = await manager.post(`/accounts/${a.id}/policy/approve`, { policyId: String(draft?.id) });
  assert.equal(approved.status, 303);
  const after = await manager.text(`/accounts/${a.id}/policy`);
  assert.ok(after.includes("第1版を承認しました。見直し期限は令和9年（2027年）4月1日（木）です。"));
  assert.ok(after.includes("現行（公開中）"));
  assert.ok(after.includes("令和9年（2027年）4月1日（木）"));
  assert.ok(after.includes("市政情報を迅速にお届けするため"));
  assert.equal((await currentPolicy(app.ctx.db, a.id))?.version, 1);
});

test("an operator cannot approve, and another division's manager can neither draft nor approve", async () => {
  const a = await account({ status: "active", policy: true });
  const staff = await signIn(http, org.staff.kouhouStaff.employeeNo);
  await staff.post(`/accounts/${a.id}/policy/draft`, {});
  const draft = await findDraft(app.ctx.db, a.id);
  const page = await staff.text(`/accounts/${a.id}/policy`);
  assert.ok(!page.includes("承認して公開する"), "no approve button for an operator");
  assert.ok(page.includes("承認できるのは、このアカウントの課等の長（アカウント管理者）です"));
  assert.equal(
    (await staff.post(`/accounts/${a.id}/policy/approve`, { policyId: String(draft?.id) })).status,
    403,
  );

  const other = await signIn(http, org.staff.soumuManager.employeeNo);
  const seen = await other.text(`/accounts/${a.id}/policy`);
  assert.ok(seen.includes("現行のメディアポリシー"));
  assert.ok(
    !seen.includes("下書きを作成する") && !seen.includes("第2版（下書き）"),
    "no draft shown or offered",
  );
  assert.equal(
    (await other.post(`/accounts/${a.id}/policy/approve`, { policyId: String(draft?.id) })).status,
    403,
  );
  assert.equal(
    (await other.post(`/accounts/${a.id}/policy/discard`, { policyId: String(draft?.id) })).status,
    403,
  );
  assert.equal((await other.get(`/accounts/${a.id}/policy/edit`)).status, 404);
  assert.equal((await other.get(`/accounts/${a.id}/policy/v/2`)).status, 404, "drafts are not readable");

  const second = await account({ status: "active", policy: true });
  assert.equal((await other.post(`/accounts/${second.id}/policy/draft`, {})).status, 403);
  assert.equal(await findDraft(app.ctx.db, second.id), undefined);
});

test("each version is readable with what changed against the one before it", async () => {
  const a = await account({ status: "active", policy: true });
  const manager = await signIn(http, org.staff.kouhouManager.employeeNo);
  await manager.post(`/accounts/${a.id}/policy/draft`, {});
  const form = await manager.text(`/accounts/${a.id}/policy/edit`);
  assert.ok(form.includes("第2版以降は必須です"));
  await manager.post(`/accounts/${a.id}/policy/edit`, {
    ...fields(form),
    frequency: "毎日",
    changeSummary: "発信頻度を毎日に改めました。",
  });
  const pending = await manager.text(`/accounts/${a.id}/policy`);
  assert.ok(pending.includes("現行の第1版からの変更"));
  assert.ok(pending.includes("<del>"), "the draft's changes are shown before approval");
  const draft = await findDraft(app.ctx.db, a.id);
  assert.equal(
    (await manager.post(`/accounts/${a.id}/policy/approve`, { policyId: String(draft?.id) })).status,
    303,
  );

  const reader = await signIn(http, org.staff.soumuManager.employeeNo);
  const v2 = await reader.text(`/accounts/${a.id}/policy/v/2`);
  assert.ok(v2.includes("第1版からの変更点"));
  assert.ok(v2.includes("発信頻度を毎日に改めました。"));
  assert.match(v2, /<del><span class="visually-hidden">［削除］<\/span>週1回以上<\/del>/);
  assert.match(v2, /<ins><span class="visually-hidden">［追加］<\/span>毎日<\/ins>/);
  const v1 = await reader.text(`/accounts/${a.id}/policy/v/1`);
  assert.ok(v1.includes("過去の版"));
  assert.ok(v1.includes("初版"));
  const history = await reader.text(`/accounts/${a.id}/policy`);
  assert.ok(history.includes(`href="/accounts/${a.id}/policy/v/1"`));
  assert.ok(history.includes(`href="/accounts/${a.id}/policy/v/2"`));
  assert.equal((await reader.get(`/accounts/${a.id}/policy/v/9`)).status, 404);
});

test("an overdue review is badged; the manager completes it without change, and a note is required", async () => {
  const a = await account({ status: "active", policy: { reviewDue: "2026-03-15" } });
  const manager = await signIn(http, org.staff.kouhouManager.employeeNo);
  const page = await manager.text(`/accounts/${a.id}/policy`);
  assert.ok(page.includes('<span class="badge badge-error">期限超過</span>'));
  assert.ok(page.includes("見直し期限（この市の設定）を過ぎています"));
  // 4.2.3 asks for reviews but sets no period: the deadline is named as the city's setting.
  assert.ok(page.includes("<dt>見直し期限（この市の設定）</dt>"));
  assert.ok(!page.includes("見直し期限（第4-2(3)）"));

  const empty = await manager.post(`/accounts/${a.id}/policy/review`, { note: "" });
  assert.equal(empty.status, 422);
  const emptyHtml = await empty.text();
  assert.ok(emptyHtml.includes("見直しで確認した内容を入力してください。"));
  assert.ok(emptyHtml.includes('href="#f-note"'));

  const reviewed = await manager.post(`/accounts/${a.id}/policy/review`, {
    note: "発信内容と返信方針を確認し、変更不要と判断しました。",
  });
  assert.equal(reviewed.status, 303);
  const after = await manager.text(`/accounts/${a.id}/policy`);
  assert.ok(
    after.includes("見直しの完了を記録しました。次の見直し期限は令和9年（2027年）4月1日（木）です。"),
  );
  assert.ok(!after.includes('badge-error">期限超過'));

  const staff = await signIn(http, org.staff.kouhouStaff.employeeNo);
  const staffPage = await staff.text(`/accounts/${a.id}/policy`);
  assert.ok(!staffPage.includes("変更なしで見直しを完了</button>"), "only the manager completes reviews");
  assert.equal((await staff.post(`/accounts/${a.id}/policy/review`, { note: "確認" })).status, 403);
});

test("a second draft is refused with a message on the page", async () => {
  const a = await account({ status: "active", policy: true });
  const staff = await signIn(http, org.staff.kouhouStaff.employeeNo);
  assert.equal((await staff.post(`/accounts/${a.id}/policy/draft`, {})).status, 303);
  const again = await staff.post(`/accounts/${a.id}/policy/draft`, {});
  assert.equal(again.status, 409);
  assert.ok((await again.text()).includes("作成中の下書き（第2版）があります。"));
  const draft = await findDraft(app.ctx.db, a.id);
  const discarded = await staff.post(`/accounts/${a.id}/policy/discard`, { policyId: String(draft?.id) });
  assert.equal(discarded.status, 303);
  assert.equal(await findDraft(app.ctx.db, a.id), undefined);
});

/** The values of every textarea and the checked radio of a rendered form, as a browser would post them. */
function fields(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)<\/textarea>/g)) {
    out[m[1] ?? ""] = decode(m[2] ?? "");
  }
  const policyId = /name="policyId" value="(\d+)"/.exec(html)?.[1];
  if (policyId) out.policyId = policyId;
  const reply = /name="replyPolicy" id="[^"]+" value="([a-z_]+)" checked/.exec(html)?.[1];
  if (reply) out.replyPolicy = reply;
  return out;
}

function decode(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}
