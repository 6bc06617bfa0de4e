/**
 * 乗っ取り (7.3(1), 2.5) as each role meets it, through the pages: the city's own URL is still
 * refused as a なりすまし, with a message pointing to 乗っ取り; a member of staff reports a takeover
 * of an official account chosen from the registry, which shows nothing on the public pages and
 * which they cannot publish; the manager publishes the marking 「現在、不正アクセスを受けています」
 * and the very next request to /public/accounts, the account's page, /public/verify,
 * /public/notices and accounts.json shows it (all warmed in the cache first); the 情報統括管理者
 * receives the report as a notification and a task and confirms it (nobody else can); a warning
 * is drafted for another official account, never the hijacked one; recovery is refused until the
 * password change and two-factor are recorded, closing is refused until recovery, and after
 * recovery the next public request no longer shows the marking.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createHttpApp } from "../../src/http/app.tsx";
import { seedAccount } from "../support/accounts.ts";
import { type TestApp, testApp } from "../support/context.ts";
import { type Browser, givePassword, signIn } from "../support/http.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";

let app: TestApp;
let org: TestOrg;
let http: ReturnType<typeof createHttpApp>;
let hijackedId: number;
let otherId: number;
const hijackedUrl = "https://x.com/iwaki_bousai";

const MARK = "現在、不正アクセスを受けています";
// Reported at 09:30 Tokyo; the clock stands at 10:00 Tokyo (01:00 UTC).
const NOTICE = "11月24日9時以降の投稿は市によるものではありません";

before(async () => {
  app = await testApp({ start: "2026-11-24T01:00:00Z" });
  org = await seedOrg(app.ctx);
  for (const p of [
    org.staff.kouhouManager,
    org.staff.kouhouStaff,
    org.staff.securityDirector,
    org.staff.policyDirector,
  ])
    await givePassword(app, p.id);
  hijackedId = (
    await seedAccount(app.ctx, {
      divisionId: org.divisions.kouhou.id,
      managerId: org.staff.kouhouManager.id,
      operatorIds: [org.staff.kouhouStaff.id],
      holderIds: [org.staff.kouhouManager.id],
      policy: true,
      name: "いわき市防災",
      handle: "iwaki_bousai",
      url: hijackedUrl,
      mfaEnabled: false,
    })
  ).id;
  otherId = (
    await seedAccount(app.ctx, {
      divisionId: org.divisions.kouhou.id,
      managerId: org.staff.kouhouManager.id,
      operatorIds: [org.staff.kouhouStaff.id],
      policy: true,
      name: "いわき市広報",
      handle: "iwaki_koho",
    })
  ).id;
  http = createHttpApp(app.ctx);
});
after(() => app.close());

const incidentIdOf = (location: string | null) => Number(/^\/incidents\/(\d+)/.exec(location ?? "")?.[1]);
const publicText = async (path: string) => (await http.request(path)).text();
const verifyPath = `/public/verify?url=${encodeURIComponent(hijackedUrl)}`;
const publicPaths = () => [
  "/public/accounts",
  `/public/accounts/${hijackedId}`,
  verifyPath,
  "/public/notices",
];

let staff: Browser;
let manager: Browser;
let incidentId = 0;

test("the city's own URL is refused as a なりすまし, and the message points to 乗っ取り", async () => {
  staff = await signIn(http, org.staff.kouhouStaff.employeeNo);
  const res = await staff.post("/incidents", {
    type: "impersonation",
    title: "公式アカウントから不審な投稿",
    description: "防災アカウントから身に覚えのない投稿があります。",
    accountId: String(hijackedId),
    fakeUrl: hijackedUrl,
  });
  assert.equal(res.status, 422);
  const html = await res.text();
  assert.match(html, /このURLは市の公式アカウントです。/);
  assert.match(html, /種類「乗っ取り」を選び、アカウントを一覧から選んで報告してください（第7-3\(1\)）/);
  assert.match(html, /value="https:\/\/x\.com\/iwaki_bousai"/, "what was typed is kept");
});

test("a link from the profile watch opens the report form with 乗っ取り and the account chosen", async () => {
  const html = await staff.text(`/incidents/new?type=hijack&accountId=${hijackedId}`);
  assert.match(html, /<input[^>]*value="hijack"[^>]*checked/);
  assert.match(html, new RegExp(`<option[^>]*value="${hijackedId}"[^>]*selected`));
});

test("a 乗っ取り needs an official account from the list and the time it began", async () => {
  const res = await staff.post("/incidents", {
    type: "hijack",
    title: "防災アカウントの乗っ取り",
    description: "身に覚えのない投稿があります。",
  });
  assert.equal(res.status, 422);
  const html = await res.text();
  assert.match(html, /乗っ取られた公式アカウントを一覧から選んでください/);
  const noTime = await staff.post("/incidents", {
    type: "hijack",
    title: "防災アカウントの乗っ取り",
    description: "身に覚えのない投稿があります。",
    accountId: String(hijackedId),
  });
  assert.equal(noTime.status, 422);
  assert.match(await noTime.text(), /不正アクセスが始まった日時.*を入力してください/);
});

test("a member of staff reports a takeover: nothing is public, and they cannot publish it", async () => {
  // Warm every public cache with the answers from before the report.
  for (const path of publicPaths()) assert.doesNotMatch(await publicText(path), new RegExp(MARK));
  const res = await staff.post("/incidents", {
    type: "hijack",
    title: "防災アカウントの乗っ取り",
    description: "身に覚えのない投稿があり、ログインできません。",
    accountId: String(hijackedId),
    compromisedSince: "2026-11-24T09:30",
  });
  assert.equal(res.status, 303);
  incidentId = incidentIdOf(res.headers.get("location"));
  assert.ok(incidentId > 0);
  for (const path of publicPaths()) assert.doesNotMatch(await publicText(path), new RegExp(MARK), path);

  const page = await staff.text(`/incidents/${incidentId}`);
  assert.match(page, /乗っ取り: 防災アカウントの乗っ取り/);
  assert.match(page, /公開前（確認待ち）/);
  assert.match(page, /プラットフォームの手続きでログインを取り戻す/);
  assert.doesNotMatch(page, /hijack\/publish/, "the reporter is not offered 「公開する」");
  const refused = await staff.post(`/incidents/${incidentId}/hijack/publish`, {});
  assert.equal(refused.status, 403);
  assert.match(await refused.text(), /公開ページの表示を変更する権限がありません/);
  for (const path of publicPaths()) assert.doesNotMatch(await publicText(path), new RegExp(MARK), path);

  // A second report of the same account is pointed to the first.
  const again = await staff.post("/incidents", {
    type: "hijack",
    title: "防災アカウントがおかしい",
    description: "同じ件です。",
    accountId: String(hijackedId),
    compromisedSince: "2026-11-24T09:40",
  });
  assert.equal(again.status, 422);
  assert.match(await again.text(), new RegExp(`すでに報告されています（インシデント #${incidentId}）`));
});

test("the manager publishes: the very next public requests show the marking", async () => {
  manager = await signIn(http, org.staff.kouhouManager.employeeNo);
  const page = await manager.text(`/incidents/${incidentId}`);
  assert.match(page, /action="\/incidents\/\d+\/hijack\/publish"/);
  const res = await manager.post(`/incidents/${incidentId}/hijack/publish`, {
    compromisedSince: "2026-11-24T09:30",
  });
  assert.equal(res.status, 303);

  const list = await publicText("/public/accounts");
  assert.match(list, new RegExp(MARK));
  assert.match(list, new RegExp(NOTICE));
  const accountPage = await publicText(`/public/accounts/${hijackedId}`);
  assert.match(accountPage, new RegExp(`<h2>${MARK}</h2>`));
  assert.match(accountPage, new RegExp(NOTICE));
  assert.doesNotMatch(await publicText(`/public/accounts/${otherId}`), new RegExp(MARK), "only that account");
  const verify = await publicText(verifyPath);
  assert.match(verify, /公式アカウントです/);
  assert.match(verify, new RegExp(`ただし、${MARK}。${NOTICE}。`));
  const notices = await publicText("/public/notices");
  assert.match(notices, new RegExp(NOTICE));
  assert.match(notices, /id="hijack-\d+"/);
  const json = JSON.parse(await publicText("/public/accounts.json")) as {
    accounts: Array<{ id: number; compromised: { notice: string; since: string } | null }>;
  };
  const marked = json.accounts.find((a) => a.id === hijackedId);
  assert.equal(marked?.compromised?.notice, NOTICE);
  assert.equal(marked?.compromised?.since, "2026-11-24T00:30:00.000Z");
  assert.equal(json.accounts.find((a) => a.id === otherId)?.compromised, null);

  const again = await manager.post(`/incidents/${incidentId}/hijack/publish`, {});
  assert.equal(again.status, 409);
});

test("the 情報統括管理者 receives the report as a notification and a task, and confirms it", async () => {
  const early = await manager.post(`/incidents/${incidentId}/hijack/confirm`, {});
  assert.equal(early.status, 403, "only the 情報統括管理者 confirms");
  assert.equal((await manager.post(`/incidents/${incidentId}/hijack/report`, {})).status, 303);
  assert.equal((await manager.post(`/incidents/${incidentId}/hijack/report`, {})).status, 409, "sent once");

  const director = await signIn(http, org.staff.securityDirector.employeeNo);
  const dashboard = await director.text("/");
  assert.match(dashboard, /乗っ取りの報告を確認してください: いわき市防災/);
  const inbox = await director.text("/notifications");
  assert.match(inbox, /【乗っ取り】公式アカウントが不正アクセスを受けています: いわき市防災/);
  const page = await director.text(`/incidents/${incidentId}`);
  assert.match(page, /報告済み（確認待ち）/);
  assert.match(page, /報告を確認しました/);

  const policy = await signIn(http, org.staff.policyDirector.employeeNo);
  assert.equal((await policy.post(`/incidents/${incidentId}/hijack/confirm`, {})).status, 403);

  assert.equal((await director.post(`/incidents/${incidentId}/hijack/confirm`, {})).status, 303);
  const confirmed = await manager.text(`/incidents/${incidentId}`);
  assert.match(confirmed, /情報統括管理者が確認済み/);
  assert.match(confirmed, /情報統括管理者が報告を確認/);
  assert.doesNotMatch(await director.text("/"), /乗っ取りの報告を確認してください/);
});

test("the warning is drafted for another official account, never the hijacked one", async () => {
  const refused = await staff.post(`/incidents/${incidentId}/drafts`, {
    kind: "hijack_warning",
    accountIds: [String(hijackedId)],
  });
  assert.equal(refused.status, 422);
  assert.match(await refused.text(), /乗っ取られたアカウントからは注意喚起を投稿できません/);
  const res = await staff.post(`/incidents/${incidentId}/drafts`, {
    kind: "hijack_warning",
    accountIds: [String(otherId)],
  });
  assert.equal(res.status, 303);
  const postId = Number(/^\/posts\/(\d+)/.exec(res.headers.get("location") ?? "")?.[1]);
  const post = await staff.text(`/posts/${postId}`);
  assert.match(post, /いわき市広報/);
  assert.match(post, /「いわき市防災」が、第三者による不正アクセスを受けています/);
  assert.match(post, new RegExp(NOTICE));
});

test("recovery needs the recorded password change and two-factor; closing needs recovery; then the marking ends", async () => {
  const close = await manager.post(`/incidents/${incidentId}/close`, {
    whatHappened: "乗っ取られた",
    whatToChange: "二段階認証",
  });
  assert.equal(close.status, 409);
  assert.match(await close.text(), /回復を記録してから終結してください/);

  const early = await manager.post(`/incidents/${incidentId}/hijack/recover`, { note: "確認した" });
  assert.equal(early.status, 422);
  const earlyHtml = await early.text();
  assert.match(earlyHtml, /パスワードを変更した記録がありません/);
  assert.match(earlyHtml, /二段階認証が設定されていません/);
  assert.match(await publicText("/public/accounts"), new RegExp(MARK), "still marked");

  const creds = await manager.text(`/incidents/${incidentId}`);
  assert.match(creds, new RegExp(`href="/accounts/${hijackedId}/credentials"`));
  assert.equal(
    (
      await manager.post(`/accounts/${hijackedId}/credentials/password`, {
        changedAt: "2026-11-24T09:50",
      })
    ).status,
    303,
  );
  assert.equal(
    (await manager.post(`/accounts/${hijackedId}/credentials/security`, { mfaEnabled: "on" })).status,
    303,
  );
  const res = await manager.post(`/incidents/${incidentId}/hijack/recover`, {
    note: "不正な投稿を削除し、連携アプリに変更がないことを確認した。",
  });
  assert.equal(res.status, 303);
  for (const path of publicPaths()) assert.doesNotMatch(await publicText(path), new RegExp(MARK), path);
  // 7.3(1): the notice promised 「回復しましたら、このページでお知らせします」.
  const notices = await publicText("/public/notices");
  assert.match(notices, /」は、不正アクセスから回復しました/);
  assert.match(notices, /\d+月\d+日\d+時から\d+月\d+日\d+時までの投稿は市によるものではありません/);
  const page = await manager.text(`/incidents/${incidentId}`);
  assert.match(page, /回復（表示を終了）/);
  assert.equal(
    (
      await manager.post(`/incidents/${incidentId}/close`, {
        whatHappened: "防災アカウントが乗っ取られた。",
        whatToChange: "二段階認証を常に有効にする。",
      })
    ).status,
    303,
  );
});
