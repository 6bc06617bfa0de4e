/**
 * The drafting and approval pages as operators and managers use them, without JavaScript: the
 * new-post form with 「確認する」 (findings listed and marked, the same text pre-filled for every
 * account, what was typed kept), saving, submitting with a justification, approving, the
 * refusal to approve one's own post, the edit form with an image, post-hoc publishing with its
 * report due (red once past), a pre-approved scope, naming a deputy, CSRF, and a correction shown
 * beside the original it corrects (refused while it is still the original).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { markErroneous } from "../../src/app/posts/corrections.ts";
import { findPost } from "../../src/db/repos/posts.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { seedAccount } from "../support/accounts.ts";
import { type TestApp, testApp } from "../support/context.ts";
import { givePassword, signIn, withoutTags } from "../support/http.ts";
import { phoneJpeg, phonePng } from "../support/images.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";
import { seedPost } from "../support/posts.ts";

let app: TestApp;
let org: TestOrg;
let http: ReturnType<typeof createHttpApp>;
let x: { id: number };
let insta: { id: number };

before(async () => {
  // Tuesday 24 November 2026, 09:00 in Tokyo.
  app = await testApp({ start: "2026-11-24T00:00:00Z" });
  org = await seedOrg(app.ctx);
  for (const p of [org.staff.kouhouManager, org.staff.kouhouStaff, org.staff.soumuStaff])
    await givePassword(app, p.id);
  http = createHttpApp(app.ctx);
  const kouhou = {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    operatorIds: [org.staff.kouhouStaff.id, org.staff.kouhouManager.id],
    policy: true,
  };
  x = await seedAccount(app.ctx, { ...kouhou, platform: "x", name: "広報いわき（X）" });
  insta = await seedAccount(app.ctx, { ...kouhou, platform: "instagram", name: "広報いわき（Instagram）" });
});
after(() => app.close());

const PHONE_TEXT = "本日の市民講座は、090-1234-5678 の田中様宅で開催します。";
const OK_TEXT = "【お知らせ】市役所本庁舎の窓口は、本日17時15分まで開いています。";

/** The text of a textarea by name (as rendered). */
function textarea(html: string, name: string): string | undefined {
  return new RegExp(`<textarea[^>]*name="${name}"[^>]*>([^<]*)</textarea>`).exec(html)?.[1];
}

function postIdOf(res: Response): number {
  const m = /^\/posts\/(\d+)$/.exec(res.headers.get("location") ?? "");
  assert.ok(m?.[1], `redirected to a post, not ${res.headers.get("location")}`);
  return Number(m[1]);
}

test("「確認する」 lists and marks the findings, pre-fills the same text for every account, and keeps what was typed", async () => {
  const staff = await signIn(http, org.staff.kouhouStaff.employeeNo);
  const list = await staff.text("/posts");
  assert.ok(list.includes('href="/posts/new"'), "新しい投稿");
  const form = await staff.text("/posts/new");
  assert.ok(form.includes('<script type="module" src="/assets/app.js"></script>'), "the live-check script");
  assert.ok(
    form.includes(`<div id="findings-${x.id}" data-editor-findings="true" aria-live="polite">`),
    "the findings are a polite live region the script finds",
  );
  assert.ok(form.includes(`data-editor="${insta.id}"`));
  assert.ok(form.includes("広報いわき（Instagram）の本文"));

  const res = await staff.post("/posts/new", {
    intent: "check",
    accountIds: [String(x.id), String(insta.id)],
    [`text_${x.id}`]: PHONE_TEXT,
    [`text_${insta.id}`]: "",
    category: "normal",
    embargoUntil: "",
    scheduledAt: "",
    justification: "",
  });
  assert.equal(res.status, 200);
  const page = await res.text();
  assert.equal(textarea(page, `text_${x.id}`), PHONE_TEXT);
  assert.equal(textarea(page, `text_${insta.id}`), PHONE_TEXT, "the same text for the other account");
  assert.ok(page.includes("個人の携帯電話番号が含まれています（第5-2(2)① 個人情報）。"));
  assert.doesNotMatch(page, /個人情報）。（第5-2\(2\)①）/, "the clause is said once");
  assert.ok(page.includes('<mark><span class="nowrap">090-1234-5678</span></mark>'), "the place is marked");
  assert.ok(page.includes("（指摘1: 個人の携帯電話番号"), "a screen reader hears what the mark is about");
  assert.match(page, /文字数: 56／280（全角文字は2、URLは23として計算）/, "X's weighted length");
  assert.ok(page.includes("要修正2件"));
  assert.equal(await findPost(app.ctx.db, 1_000_000), undefined);
});

test("save, submit with a justification, and the manager approves the version they saw", async () => {
  const staff = await signIn(http, org.staff.kouhouStaff.employeeNo);
  const saved = await staff.post("/posts/new", {
    intent: "save",
    accountIds: [String(x.id)],
    [`text_${x.id}`]: PHONE_TEXT,
    category: "normal",
  });
  assert.equal(saved.status, 303);
  const id = postIdOf(saved);
  const page = await staff.text(`/posts/${id}`);
  assert.ok(page.includes("下書きを保存しました。"));
  assert.ok(page.includes("承認を申請する"));
  assert.ok(page.includes('<mark><span class="nowrap">090-1234-5678</span></mark>'));

  const blocked = await staff.post(`/posts/${id}/submit`, { version: "1", justification: "" });
  assert.equal(blocked.status, 422);
  const blockedPage = await blocked.text();
  assert.ok(blockedPage.includes("修正するか、承認者に向けて理由を10文字以上で記入してください"));
  assert.ok(blockedPage.includes('href="#f-justification"'), "the error summary links to the field");

  const submitted = await staff.post(`/posts/${id}/submit`, {
    version: "1",
    justification: "講座の会場として公開している施設の電話番号です。",
  });
  assert.equal(submitted.status, 303);
  assert.ok((await staff.text(`/posts/${id}`)).includes("承認待ち"));

  const manager = await signIn(http, org.staff.kouhouManager.employeeNo);
  const waiting = await manager.text("/posts");
  assert.ok(waiting.includes(`href="/posts/${id}"`), "listed as waiting for approval");
  const review = await manager.text(`/posts/${id}`);
  assert.ok(
    review.includes("講座の会場として公開している施設の電話番号です。"),
    "the approver sees the justification",
  );
  assert.ok(review.includes("第5-2(2)①"), "and the findings");
  assert.ok(review.includes(`formaction="/posts/${id}/return"`));
  const dashboard = await manager.text("/");
  assert.ok(dashboard.includes(`href="/posts/${id}"`), "a task on the dashboard");

  const stale = await manager.post(`/posts/${id}/approve`, { version: "2", comment: "" });
  assert.equal(stale.status, 409);
  assert.ok((await stale.text()).includes("表示した後に変更されています"));
  const approved = await manager.post(`/posts/${id}/approve`, { version: "1", comment: "確認しました。" });
  assert.equal(approved.status, 303);
  const after = await manager.text(`/posts/${id}`);
  assert.ok(after.includes("承認しました。"));
  assert.ok(after.includes("承認済"));
  assert.ok(after.includes("確認しました。"), "the comment is on the trail");
  assert.equal((await findPost(app.ctx.db, id))?.approvalRule, "manager");
});

test("the manager's own post says why they cannot approve it, and the approval is refused", async () => {
  const manager = await signIn(http, org.staff.kouhouManager.employeeNo);
  const saved = await manager.post("/posts/new", {
    intent: "save",
    accountIds: [String(x.id)],
    [`text_${x.id}`]: OK_TEXT,
    category: "normal",
  });
  const id = postIdOf(saved);
  await manager.post(`/posts/${id}/submit`, { version: "1" });
  const page = await manager.text(`/posts/${id}`);
  assert.ok(page.includes("ご自身が作成または編集した投稿は、ご自身では承認"));
  assert.ok(!page.includes(`action="/posts/${id}/approve"`), "no approval form");
  const refused = await manager.post(`/posts/${id}/approve`, { version: "1" });
  assert.equal(refused.status, 403);
  assert.ok((await refused.text()).includes("ご自身が作成または編集した投稿"));
});

test("the edit form keeps the typed text on 「確認する」, and an image needs alt text and a rights confirmation", async () => {
  const staff = await signIn(http, org.staff.kouhouStaff.employeeNo);
  const id = postIdOf(
    await staff.post("/posts/new", {
      intent: "save",
      accountIds: [String(x.id)],
      [`text_${x.id}`]: OK_TEXT,
      category: "normal",
    }),
  );
  const form = await staff.text(`/posts/${id}/edit`);
  assert.equal(textarea(form, "text"), OK_TEXT);
  const checked = await staff.post(`/posts/${id}/edit`, {
    intent: "check",
    version: "1",
    expectedStatus: "draft",
    text: "個人的には、この窓口が一番便利だと思います。",
    category: "normal",
  });
  assert.equal(checked.status, 200);
  const checkedPage = await checked.text();
  assert.equal(textarea(checkedPage, "text"), "個人的には、この窓口が一番便利だと思います。");
  assert.match(checkedPage, /第5-2\(5\)/, "the finding names its clause");
  assert.equal((await findPost(app.ctx.db, id))?.version, 1, "nothing saved");

  const { bytes: png, plain } = phonePng();
  const noAlt = await staff.upload(
    `/posts/${id}/images`,
    { version: "1", alt: "", rights: "own" },
    { name: "photo.png", field: "file", bytes: png, type: "image/png" },
  );
  assert.equal(noAlt.status, 422);
  assert.ok((await noAlt.text()).includes("代替テキスト（画像の内容を説明する文）を入力してください。"));
  const broken = new Uint8Array((await phoneJpeg()).bytes);
  broken[4] = 0xff; // APP0's length runs past the file
  const refused = await staff.upload(
    `/posts/${id}/images`,
    { version: "1", alt: "本庁舎の正面玄関", rights: "own" },
    { name: "IMG_0001.jpg", field: "file", bytes: broken, type: "image/jpeg" },
  );
  assert.equal(refused.status, 422);
  assert.ok((await refused.text()).includes("JPEGファイルの構造が壊れています（セグメントの長さ"));
  const added = await staff.upload(
    `/posts/${id}/images`,
    { version: "1", alt: "本庁舎の正面玄関", rights: "own" },
    { name: "photo.png", field: "file", bytes: png, type: "image/png" },
  );
  assert.equal(added.status, 303);
  const edit = await staff.text(`/posts/${id}/edit`);
  assert.match(edit, /<img src="\/posts\/\d+\/images\/\d+" alt="本庁舎の正面玄関"/);
  assert.equal(
    (edit.match(/撮影場所などの情報（位置情報を含む）を取り除いて保存しました。/g) ?? []).length,
    2,
    "the upload's message and the image's card say the location was removed",
  );
  const imageUrl = /<img src="([^"]+)"/.exec(edit)?.[1] ?? "";
  const image = await staff.get(imageUrl);
  assert.equal(image.headers.get("content-type"), "image/png");
  assert.deepEqual(
    new Uint8Array(await image.arrayBuffer()),
    plain,
    "served without its eXIf and text chunks",
  );
  const other = await signIn(http, org.staff.soumuStaff.employeeNo);
  assert.equal((await other.get(imageUrl)).status, 404, "another division does not see it");

  const saved = await staff.post(`/posts/${id}/edit`, {
    intent: "save",
    version: "2",
    expectedStatus: "draft",
    text: `${OK_TEXT}（正面玄関をご利用ください）`,
    category: "normal",
  });
  assert.equal(saved.status, 303);
  assert.equal((await findPost(app.ctx.db, id))?.version, 3);
});

test("④ published at once: the manager's report is due in business days and shown red once past", async () => {
  const staff = await signIn(http, org.staff.kouhouStaff.employeeNo);
  const id = postIdOf(
    await staff.post("/posts/new", {
      intent: "save",
      accountIds: [String(x.id)],
      [`text_${x.id}`]: "【緊急】大雨のため、本日の野外コンサートは中止します。",
      category: "emergency",
    }),
  );
  const page = await staff.text(`/posts/${id}`);
  assert.ok(page.includes("今すぐ発信して事後報告する"));
  const published = await staff.post(`/posts/${id}/publish-now`, { version: "1" });
  assert.equal(published.status, 303);
  const after = await staff.text(`/posts/${id}`);
  assert.ok(after.includes("事後報告の確認期限"));
  assert.ok(
    withoutTags(after).includes("令和8年（2026年）11月26日（木）23時59分まで"),
    "two business days after Tuesday: the end of Thursday",
  );

  const manager = await signIn(http, org.staff.kouhouManager.employeeNo);
  assert.ok((await manager.text("/posts")).includes("確認待ち"));
  app.clock.set("2026-11-27T00:30:00Z");
  const nextDay = await signIn(http, org.staff.kouhouManager.employeeNo);
  const late = await nextDay.text("/posts");
  assert.ok(late.includes("期限超過"));
  assert.ok((await nextDay.text("/")).includes("事後報告の確認"));
  const acknowledged = await nextDay.post(`/posts/${id}/acknowledge`, { comment: "" });
  assert.equal(acknowledged.status, 303);
  assert.ok((await nextDay.text(`/posts/${id}`)).includes("確認済み"));
  app.clock.set("2026-11-24T00:00:00Z");
});

test("a pre-approved scope: the manager defines it, the operator fills it in, and it is approved at once", async () => {
  const manager = await signIn(http, org.staff.kouhouManager.employeeNo);
  const refused = await manager.post(`/accounts/${x.id}/scopes`, {
    name: "ごみ収集日のお知らせ",
    template: "【ごみ収集】{date}は{area}地区の収集日です。",
    field_name_0: "date",
    field_label_0: "収集日",
    categories: "normal",
    cityLinksOnly: "on",
    validUntil: "2027-03-31",
  });
  assert.equal(refused.status, 422);
  assert.ok((await refused.text()).includes("{area} に対応する項目を定めてください。"));
  const created = await manager.post(`/accounts/${x.id}/scopes`, {
    name: "ごみ収集日のお知らせ",
    template: "【ごみ収集】{date}は{area}地区の収集日です。",
    field_name_0: "date",
    field_label_0: "収集日",
    field_pattern_0: "\\d{1,2}月\\d{1,2}日",
    field_name_1: "area",
    field_label_1: "地区",
    categories: "normal",
    cityLinksOnly: "on",
    validUntil: "2027-03-31",
  });
  assert.equal(created.status, 303);

  const staff = await signIn(http, org.staff.kouhouStaff.employeeNo);
  const scopes = await staff.text(`/accounts/${x.id}/scopes`);
  const scopeId = /href="\/posts\/new\?scope=(\d+)"/.exec(scopes)?.[1];
  assert.ok(scopeId, "the operator can start a post from it");
  const form = await staff.text(`/posts/new?scope=${scopeId}`);
  assert.ok(form.includes('label for="f-scope_date"'));
  const checked = await staff.post("/posts/new", {
    intent: "check",
    scopeId,
    accountIds: String(x.id),
    scope_date: "12月1日",
    scope_area: "平",
    category: "normal",
  });
  assert.equal(textarea(await checked.text(), "scopeText"), "【ごみ収集】12月1日は平地区の収集日です。");
  const saved = await staff.post("/posts/new", {
    intent: "save",
    scopeId,
    accountIds: String(x.id),
    scope_date: "12月1日",
    scope_area: "平",
    category: "normal",
  });
  const id = postIdOf(saved);
  const submitted = await staff.post(`/posts/${id}/submit`, { version: "1" });
  assert.equal(submitted.status, 303);
  const page = await staff.text(`/posts/${id}`);
  assert.ok(page.includes("範囲の許可「ごみ収集日のお知らせ」に合っているため、承認されました。"));
  assert.ok(page.includes("予め範囲を決めた許可"));
});

test("the manager names a deputy for an absence; mistakes are shown by the fields", async () => {
  const manager = await signIn(http, org.staff.kouhouManager.employeeNo);
  const page = await manager.text("/posts/deputies");
  assert.ok(page.includes("広報 主事"), "division members are offered");
  const noReason = await manager.post("/posts/deputies", {
    deputyId: String(org.staff.kouhouStaff.id),
    fromDate: "2026-11-30",
    toDate: "2026-12-02",
    reason: "",
  });
  assert.equal(noReason.status, 422);
  assert.ok((await noReason.text()).includes('href="#f-reason"'));
  const wrong = await manager.post("/posts/deputies", {
    deputyId: String(org.staff.kouhouStaff.id),
    fromDate: "2026-11-30",
    toDate: "2026-11-27",
    reason: "出張のため",
  });
  assert.equal(wrong.status, 422);
  const wrongPage = await wrong.text();
  assert.ok(wrongPage.includes('href="#f-toDate"'));
  assert.ok(wrongPage.includes("出張のため"), "what was typed is kept");
  const named = await manager.post("/posts/deputies", {
    deputyId: String(org.staff.kouhouStaff.id),
    fromDate: "2026-11-30",
    toDate: "2026-12-02",
    reason: "出張のため",
  });
  assert.equal(named.status, 303);
  const list = await manager.text("/posts/deputies");
  assert.ok(list.includes("広報 主事さんを代理者に指名しました。"));
  assert.ok(list.includes("予定"));
  const staff = await signIn(http, org.staff.kouhouStaff.employeeNo);
  assert.equal((await staff.get("/posts/deputies")).status, 403, "operators do not name deputies");
});

test("forms without the CSRF token are refused", async () => {
  const staff = await signIn(http, org.staff.kouhouStaff.employeeNo);
  const res = await staff.post(
    "/posts/new",
    { intent: "save", accountIds: [String(x.id)], [`text_${x.id}`]: OK_TEXT },
    { csrf: null },
  );
  assert.equal(res.status, 403);
});

test("a correction is shown beside the original with the differences marked; unchanged, it cannot be submitted", async () => {
  app.clock.set("2026-11-24T03:00:00Z");
  const original = await seedPost(app.ctx, {
    accountId: x.id,
    authorId: org.staff.kouhouStaff.id,
    text: "【お知らせ】12月5日（土）に市民会館で音楽会を開きます。",
    publishedAt: new Date("2026-11-24T01:00:00Z"),
  });
  await markErroneous(app.ctx, {
    actor: org.actors.kouhouManager,
    postId: original.id,
    input: { note: "音楽会は12月6日（日）です。" },
  });
  const staff = await signIn(http, org.staff.kouhouStaff.employeeNo);
  const started = await staff.post(`/posts/${original.id}/correction`, {});
  assert.equal(started.status, 303);
  const id = postIdOf(started);

  const page = await staff.text(`/posts/${id}`);
  assert.match(page, /<h3 id="correction-diff-title">元の投稿との違い<\/h3>/);
  assert.match(page, new RegExp(`元の投稿（<a href="/posts/${original.id}">#${original.id}</a>）`));
  assert.match(page, /訂正の本文が、【訂正】などの表示を除いて元の投稿と同じです/);
  assert.match(
    page,
    /<ins><span class="visually-hidden">［追加: <\/span>【訂正】11月24日にお知らせした内容に誤りがありました。/,
  );
  assert.doesNotMatch(
    page,
    /<del><span class="visually-hidden">［削除: /,
    "nothing of the original was changed",
  );

  const same = await staff.post(`/posts/${id}/submit`, { version: "1" });
  assert.equal(same.status, 422);
  assert.match(await same.text(), /訂正の投稿の本文が、元の投稿（#\d+）と同じです.*第5-3\(3\)/);
  assert.equal((await findPost(app.ctx.db, id))?.status, "draft");

  const form = await staff.text(`/posts/${id}/edit`);
  assert.match(form, /元の投稿との違い/);
  const text = (textarea(form, "text") ?? "").replace("12月5日（土）", "12月6日（日）");
  const checked = await staff.post(`/posts/${id}/edit`, { version: "1", intent: "check", text });
  assert.equal(checked.status, 200);
  const checkedHtml = await checked.text();
  // The original beside it with what was taken out, the correction with what was added.
  assert.match(
    checkedHtml,
    /元の投稿（<a href="\/posts\/\d+">#\d+<\/a>）<\/h4><p class="public-text text-diff">【お知らせ】12月<del><span class="visually-hidden">［削除: <\/span>5<span class="visually-hidden">］<\/span><\/del>日（<del>/,
    "the typed text is compared, on the server",
  );
  assert.match(
    checkedHtml,
    /\n\n<span class="visually-hidden">］<\/span><\/ins>【お知らせ】12月<ins><span class="visually-hidden">［追加: <\/span>6<span class="visually-hidden">］<\/span><\/ins>日（<ins>/,
  );
  assert.doesNotMatch(checkedHtml, /元の投稿と同じです/);
  assert.equal((await staff.post(`/posts/${id}/edit`, { version: "1", intent: "save", text })).status, 303);
  assert.equal((await staff.post(`/posts/${id}/submit`, { version: "2" })).status, 303);
  assert.equal((await findPost(app.ctx.db, id))?.status, "pending");
});
