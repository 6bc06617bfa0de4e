/**
 * The 変更・廃止 pages and API (4.5) as people use them: the account manager requests a change and
 * sends the 届出 to the policy director, who receives and confirms it before the announcement can
 * be scheduled (4.5.1; errors in Japanese, citing the clause); after the announcement the security
 * director receives the second 届出 and confirms it; the policy director follows every notice on
 * /notices; each request prints as a document; a manager of another division is refused.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { createApiToken } from "../../src/app/auth/api-tokens.ts";
import { systemActor } from "../../src/app/context.ts";
import { advanceDueNotices } from "../../src/app/notices/job.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { seedAccount } from "../support/accounts.ts";
import { type TestApp, testApp } from "../support/context.ts";
import { givePassword, signIn, withoutTags } from "../support/http.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";

let app: TestApp;
let org: TestOrg;
let http: ReturnType<typeof createHttpApp>;

before(async () => {
  app = await testApp({ start: "2026-01-15T01:00:00Z" });
  org = await seedOrg(app.ctx);
  for (const p of [
    org.staff.kouhouManager,
    org.staff.policyDirector,
    org.staff.soumuManager,
    org.staff.securityDirector,
    org.staff.auditor,
  ]) {
    await givePassword(app, p.id);
  }
  http = createHttpApp(app.ctx);
});
after(() => app.close());

const errorBody = z.object({
  error: z.object({ message: z.string(), fields: z.array(z.object({ field: z.string() })).default([]) }),
});

const noticeIdOf = (location: string | null) => Number(/#notice-(\d+)$/.exec(location ?? "")?.[1]);
const filingIdIn = (html: string) => Number(/href="\/filings\/(\d+)"/.exec(html)?.[1]);

test("the account manager requests a change, the policy director receives and confirms the 届出, then the announcement is scheduled", async () => {
  app.clock.set("2026-01-15T01:00:00Z");
  const account = await seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    policy: true,
    name: "いわき市広報課",
  });
  const page = `/accounts/${account.id}/notices`;
  const b = await signIn(http, org.staff.kouhouManager.employeeNo);

  const empty = await b.get(page);
  assert.equal(empty.status, 200);
  const html = await empty.text();
  assert.match(html, /<h1>変更・廃止: いわき市広報課（X（旧Twitter））<\/h1>/);
  assert.match(html, /aria-current="page">変更・廃止</);
  assert.match(html, /<h2 id="request-title">変更・廃止の申請<\/h2>/);
  assert.match(html, /<label for="f-effectiveDate">変更日・廃止日/);

  const missing = await b.post(page, { kind: "change", effectiveDate: "2026-04-01", reason: "" });
  assert.equal(missing.status, 422);
  assert.match(await missing.text(), /理由を入力してください。/);

  const tooSoon = await b.post(page, {
    kind: "change",
    effectiveDate: "2026-02-15",
    reason: "課名の変更",
    name: "いわき市広報広聴課",
  });
  assert.equal(tooSoon.status, 422);
  const tooSoonHtml = await tooSoon.text();
  assert.match(tooSoonHtml, /入力内容を確認してください/);
  assert.match(
    tooSoonHtml,
    /変更日は、今日（令和8年（2026年）1月15日（木））周知を始めても令和8年（2026年）2月16日（月）以降になります/,
  );
  assert.match(tooSoonHtml, /value="いわき市広報広聴課"/, "what was typed is kept");

  const ok = await b.post(page, {
    kind: "change",
    effectiveDate: "2026-03-01",
    reason: "課名の変更",
    name: "いわき市広報広聴課",
  });
  assert.equal(ok.status, 303);
  const noticeId = noticeIdOf(ok.headers.get("location"));
  assert.ok(noticeId > 0);
  const requested = await b.text(page);
  assert.match(requested, /変更を申請しました/);
  assert.match(
    requested,
    /<strong>総合政策部長へ届出<\/strong> <span class="badge badge-warn">対応が必要<\/span>/,
  );
  assert.doesNotMatch(requested, /id="request-title"/, "one notice at a time: no second request form");

  const early = await b.post(`/notices/${noticeId}/schedule`, { announcementDate: "2026-01-31" });
  assert.equal(early.status, 409);
  assert.match(
    await early.text(),
    /総合政策部長へ届け出て、確認を受けてください（第4-5\(1\) 周知する前に総合政策部長へ届出）/,
  );

  assert.equal((await b.post(`/notices/${noticeId}/notify-policy-director`, {})).status, 303);
  const sent = await b.text(page);
  assert.match(sent, /総合政策部長へ届出を送りました/);
  assert.match(
    withoutTags(sent),
    /総合政策部長への届出（第1回、令和8年（2026年）1月15日（木）10時00分 送付）/,
  );
  const stillEarly = await b.post(`/notices/${noticeId}/schedule`, { announcementDate: "2026-01-31" });
  assert.equal(stillEarly.status, 409, "sending is not enough: the director confirms first (4.5.1)");

  // The policy director receives it (a notification, a 届出 to open) and confirms it.
  const director = await signIn(http, org.staff.policyDirector.employeeNo);
  assert.match(await director.text("/notifications"), /総合政策部長への届出が届きました/);
  const filingId = filingIdIn(await director.text("/filings?status=sent"));
  assert.ok(filingId > 0);
  const filingPage = await director.text(`/filings/${filingId}`);
  assert.match(
    filingPage,
    /<h1 id="filing-title" class="document-title">公式アカウント変更届（周知前）<\/h1>/,
  );
  assert.match(filingPage, /総合政策部長 様/);
  assert.match(filingPage, /令和8年3月1日/, "dates in 和暦");
  assert.match(filingPage, /<button type="submit">確認しました<\/button>/);
  assert.equal((await b.post(`/filings/${filingId}/confirm`, {})).status, 403, "not by the sender");
  assert.equal((await director.post(`/filings/${filingId}/confirm`, {})).status, 303);

  const notified = await b.text(page);
  assert.match(notified, / 令和8年（2026年）1月15日（木）10時00分 政策 部長 が確認/);
  assert.match(notified, /<h3 id="schedule-\d+-title">周知日の設定<\/h3>/);
  assert.match(
    notified,
    /【お知らせ】いわき市広報広聴課の公式X（旧Twitter）アカウント「いわき市広報課」は、2026年3月1日にアカウント名を「いわき市広報広聴課」に変更します/,
  );
  assert.match(
    notified,
    /変更日（令和8年（2026年）3月1日（日））に間に合う周知日は令和8年（2026年）1月31日（土）までです/,
  );

  const text = notified.match(/<textarea id="f-announcementText"[^>]*>([^<]*)<\/textarea>/)?.[1] ?? "";
  const late = await b.post(`/notices/${noticeId}/schedule`, {
    announcementDate: "2026-02-01",
    effectiveDate: "2026-03-01",
    announcementText: text,
  });
  assert.equal(late.status, 422);
  assert.match(
    await late.text(),
    /変更日を令和8年（2026年）3月1日（日）にする場合、周知は令和8年（2026年）1月31日（土）までに始めてください。2月1日に周知する場合、変更日は3月2日以降にしてください（第4-5\(2\) 一月以上前に周知）。/,
  );

  const secret = await b.post(`/notices/${noticeId}/schedule`, {
    announcementDate: "2026-01-31",
    effectiveDate: "2026-03-01",
    announcementText: "変更します。パスワードは iwaki1234 です。",
  });
  assert.equal(secret.status, 422);
  const secretHtml = await secret.text();
  assert.match(secretHtml, /パスワードの値が書かれています/);
  assert.match(
    secretHtml,
    /<span class="badge badge-error">要修正<\/span>/,
    "the findings of the edited text are shown",
  );

  const scheduled = await b.post(`/notices/${noticeId}/schedule`, {
    announcementDate: "2026-01-31",
    effectiveDate: "2026-03-01",
    announcementText: text,
  });
  assert.equal(scheduled.status, 303);
  const scheduledHtml = await b.text(page);
  assert.match(scheduledHtml, /周知予定/);
  assert.match(
    scheduledHtml,
    /令和8年（2026年）1月31日（土）から令和9年（2027年）3月1日（月）まで（第4-5\(2\)）/,
  );

  // The policy director follows every notice, and cannot change one.
  const list = await director.text("/notices?status=scheduled");
  assert.match(list, /<caption>変更・廃止の届出（1件）<\/caption>/);
  assert.match(list, new RegExp(`href="/accounts/${account.id}/notices#notice-${noticeId}"`));
  assert.match(list, /令和8年（2026年）1月15日（木） 送付・確認済み/);
  const directorPage = await director.text(page);
  assert.doesNotMatch(directorPage, /周知日を変更する/, "no forms for someone who may not change it");
  const denied = await director.post(`/notices/${noticeId}/cancel`, {});
  assert.equal(denied.status, 403);
  assert.match(await denied.text(), /この操作を行う権限がありません/);

  // A manager of another division neither sees the notice before it is announced nor changes it.
  const other = await signIn(http, org.staff.soumuManager.employeeNo);
  assert.doesNotMatch(await other.text("/notices"), /いわき市広報課/);
  assert.equal((await other.post(`/notices/${noticeId}/cancel`, {})).status, 404);
  const otherRequest = await other.post(page, { kind: "closure", effectiveDate: "2026-06-01", reason: "—" });
  assert.equal(otherRequest.status, 403);

  // On the announcement date: the checked text is ready to copy, and the security director is next.
  app.clock.set("2026-01-31T01:00:00Z");
  await advanceDueNotices(app.ctx, systemActor("scheduler"));
  const manager = await signIn(http, org.staff.kouhouManager.employeeNo); // a new day, a new session
  const announced = await manager.text(page);
  assert.match(announced, /周知中（変更前）/);
  assert.match(announced, /<label for="announcement-\d+">告知投稿の文案<\/label>/);
  assert.match(announced, /<textarea id="announcement-\d+" rows="6" readonly/);
  assert.match(announced, /<h3 id="security-\d+-title">情報統括管理者への届出<\/h3>/);
  assert.equal((await manager.post(`/notices/${noticeId}/security-notification`, {})).status, 303);
  assert.match(await manager.text(page), /情報統括管理者へ届出を送りました/);
  const security = await signIn(http, org.staff.securityDirector.employeeNo);
  const securityFiling = filingIdIn(await security.text("/filings?status=sent"));
  assert.ok(securityFiling > 0 && securityFiling !== filingId);
  assert.match(await security.text(`/filings/${securityFiling}`), /公式アカウント変更届（周知後）/);
  assert.equal((await security.post(`/filings/${securityFiling}/confirm`, {})).status, 303);
  assert.match(
    await manager.text(page),
    /<strong>情報統括管理者へ届出<\/strong> <span class="badge badge-ok">完了<\/span> 令和8年（2026年）1月31日（土） 広報 課長 送付、令和8年（2026年）1月31日（土） 総務 部長 確認/,
  );
  // An auditor sees who sent each 届出 and who confirmed it, when.
  const auditor = await signIn(http, org.staff.auditor.employeeNo);
  const filings = await auditor.text("/filings");
  assert.match(filings, /<caption>届出（2件、新しい順）<\/caption>/);
  assert.match(filings, /広報 課長/);
  assert.match(filings, /総務 部長/);

  // The request itself prints as a document with its route and 和暦 dates.
  const doc = await manager.get(`/notices/${noticeId}/document`);
  assert.equal(doc.status, 200);
  const docHtml = await doc.text();
  assert.match(docHtml, /ソーシャルメディア公式アカウントの変更について（伺い）/);
  assert.match(
    docHtml,
    /<th[^>]*scope="row">総合政策部長の確認<\/th><td[^>]*>[^<]+<\/td><td[^>]*><time datetime="[^"]+">令和8年1月15日<\/time><\/td>/,
  );
  assert.match(docHtml, /<h2 id="docno-title">文書番号・決裁日（文書管理システム）<\/h2>/);
  const otherAgain = await signIn(http, org.staff.soumuManager.employeeNo);
  assert.match(
    await otherAgain.text("/notices"),
    /いわき市広報課/,
    "once announced, the notice is public information",
  );
});

test("the API does the same: request, send the 届出, the director confirms, read the draft, schedule, cancel", async () => {
  app.clock.set("2026-01-15T01:00:00Z");
  const account = await seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    policy: true,
  });
  const { token } = await createApiToken(app.ctx, {
    actor: org.actors.kouhouManager,
    input: { name: "notices" },
  });
  const { token: otherToken } = await createApiToken(app.ctx, {
    actor: org.actors.soumuManager,
    input: { name: "notices" },
  });
  const { token: directorToken } = await createApiToken(app.ctx, {
    actor: org.actors.policyDirector,
    input: { name: "notices" },
  });
  const api = (path: string, body?: unknown, bearer = token) =>
    http.request(`/api/v1${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  const created = await api(`/accounts/${account.id}/notices`, {
    kind: "closure",
    effectiveDate: "2026-04-01",
    reason: "事業終了のため",
  });
  assert.equal(created.status, 201);
  const { item } = z
    .object({ item: z.object({ id: z.number(), status: z.string() }) })
    .parse(await created.json());
  assert.equal(item.status, "requested");

  const hidden = await api(`/notices/${item.id}/cancel`, {}, otherToken);
  assert.equal(hidden.status, 404, "another division does not learn of a request before it is announced");
  const refused = await api(`/notices/${item.id}/cancel`, {}, directorToken);
  assert.equal(refused.status, 403, "the policy director sees it but may not change it");

  const early = await api(`/notices/${item.id}/schedule`, { announcementDate: "2026-03-01" });
  assert.equal(early.status, 409);
  assert.match(errorBody.parse(await early.json()).error.message, /第4-5\(1\)/);

  assert.equal((await api(`/notices/${item.id}/notify-policy-director`, {})).status, 200);
  const stillEarly = await api(`/notices/${item.id}/schedule`, { announcementDate: "2026-02-28" });
  assert.equal(stillEarly.status, 409, "sent, not yet confirmed by the policy director");
  const withFilings = z
    .object({ filings: z.array(z.object({ id: z.number(), kind: z.string(), status: z.string() })) })
    .parse(await (await api(`/notices/${item.id}`)).json());
  const policyFiling = withFilings.filings.find((f) => f.kind === "notice_policy");
  assert.equal(policyFiling?.status, "sent");
  assert.equal((await api(`/filings/${policyFiling?.id}/confirmation`, {})).status, 403);
  assert.equal((await api(`/filings/${policyFiling?.id}/confirmation`, {}, directorToken)).status, 200);
  const draft = z
    .object({ text: z.string(), findings: z.array(z.object({ severity: z.string() })) })
    .parse(await (await api(`/notices/${item.id}/announcement`)).json());
  assert.match(draft.text, /2026年4月1日をもって運用を終了します/);
  assert.equal(draft.findings.filter((f) => f.severity === "error").length, 0);

  const late = await api(`/notices/${item.id}/schedule`, { announcementDate: "2026-03-01" });
  assert.equal(late.status, 422);
  const lateBody = errorBody.parse(await late.json());
  assert.match(
    lateBody.error.message,
    /廃止日を令和8年（2026年）4月1日（水）にする場合、周知は令和8年（2026年）2月28日（土）までに始めてください。3月1日に周知する場合、廃止日は4月2日以降にしてください/,
  );
  assert.equal(lateBody.error.fields[0]?.field, "announcementDate");

  const ok = await api(`/notices/${item.id}/schedule`, { announcementDate: "2026-02-28" });
  assert.equal(ok.status, 200);
  const scheduled = z
    .object({
      item: z.object({ status: z.string(), displayUntil: z.string(), announcementText: z.string() }),
    })
    .parse(await ok.json());
  assert.equal(scheduled.item.status, "scheduled");
  assert.equal(scheduled.item.displayUntil, "2026-10-01", "a closure stays up six months (4.5.2)");
  assert.equal(scheduled.item.announcementText, draft.text);

  const detail = z
    .object({ checklist: z.array(z.object({ key: z.string(), state: z.string() })) })
    .parse(await (await api(`/notices/${item.id}`)).json());
  assert.deepEqual(
    detail.checklist.map((s) => s.state),
    ["done", "done", "done", "auto", "todo", "waiting", "waiting"],
  );
  const list = z
    .object({ items: z.array(z.object({ id: z.number() })) })
    .parse(await (await api("/notices?status=scheduled")).json());
  assert.ok(list.items.some((n) => n.id === item.id));

  assert.equal((await api(`/notices/${item.id}/cancel`, {})).status, 200);
  const ofAccount = z
    .object({
      items: z.array(z.object({ item: z.object({ status: z.string() }) })),
      requestable: z.array(z.string()),
    })
    .parse(await (await api(`/accounts/${account.id}/notices`)).json());
  assert.equal(ofAccount.items[0]?.item.status, "cancelled");
  assert.deepEqual(ofAccount.requestable, ["change", "closure"]);

  const doc = z
    .object({ paths: z.record(z.string(), z.unknown()) })
    .parse(await (await http.request("/api/v1/openapi.json")).json());
  for (const path of [
    "/notices",
    "/notices/{id}",
    "/accounts/{id}/notices",
    "/notices/{id}/notify-policy-director",
    "/notices/{id}/announcement",
    "/notices/{id}/schedule",
    "/notices/{id}/security-notification",
    "/notices/{id}/cancel",
    "/notices/{id}/keep-done",
    "/notices/{id}/document",
    "/filings",
    "/filings/{id}",
    "/filings/{id}/confirmation",
    "/filings/{id}/question",
    "/filings/{id}/answer",
  ]) {
    assert.ok(doc.paths[path], `${path} is documented`);
  }
});
