/**
 * The personal iCalendar feed: issued on the settings page (its address shown once), read without
 * a session by the token in the address, valid iCalendar with the person's due dates (tasks,
 * posts to approve, post-hoc reports, notices of their accounts, their scheduled posts); any other
 * address, a replaced or revoked one, or one of a person no longer active answers 404.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { insertNotice, updateNotice } from "../../src/db/repos/notices.ts";
import { updatePost } from "../../src/db/repos/posts.ts";
import { updateStaff } from "../../src/db/repos/staff.ts";
import { openTask } from "../../src/db/repos/tasks.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { seedAccount } from "../support/accounts.ts";
import { type TestApp, testApp } from "../support/context.ts";
import { type Browser, givePassword, signIn } from "../support/http.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";
import { seedPost } from "../support/posts.ts";

let app: TestApp;
let org: TestOrg;
let http: ReturnType<typeof createHttpApp>;
let manager: Browser;
let feedPath = "";

before(async () => {
  app = await testApp({ start: "2026-04-01T00:00:00Z" });
  org = await seedOrg(app.ctx);
  for (const p of [org.staff.kouhouManager, org.staff.kouhouStaff]) await givePassword(app, p.id);
  http = createHttpApp(app.ctx);
  manager = await signIn(http, org.staff.kouhouManager.employeeNo);

  const account = await seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    operatorIds: [org.staff.kouhouStaff.id],
    name: "いわき市広報, 公式（X）",
    policy: { reviewDue: "2027-03-31" },
  });
  await openTask(app.ctx.db, {
    kind: "password_rotation",
    accountId: account.id,
    assigneeId: org.staff.kouhouManager.id,
    title: "人事異動に伴うパスワード変更（転出 一子さん）",
    clause: "4.3.2",
    dueDate: "2026-04-04",
    openedAt: app.clock.now(),
  });
  const waiting = await seedPost(app.ctx, {
    accountId: account.id,
    authorId: org.staff.kouhouStaff.id,
    status: "pending",
  });
  await updatePost(
    app.ctx.db,
    waiting.id,
    { scheduledAt: new Date("2026-04-02T01:00:00Z") },
    app.clock.now(),
  );
  const notice = await insertNotice(app.ctx.db, {
    accountId: account.id,
    kind: "closure",
    details: {},
    reason: "事業終了のため",
    effectiveDate: "2026-06-01",
    requestedBy: org.staff.kouhouManager.id,
    requestedAt: app.clock.now(),
  });
  await updateNotice(app.ctx.db, notice.id, {
    status: "scheduled",
    announcementDate: "2026-04-20",
    displayUntil: "2026-12-01",
  });
});
after(() => app.close());

/** Unfolds content lines and checks the structure; returns the events' properties. */
function parseCalendar(text: string): Array<Map<string, string>> {
  assert.ok(text.endsWith("\r\n"));
  const lines = text
    .slice(0, -2)
    .replace(/\r\n[ \t]/g, "")
    .split("\r\n");
  for (const raw of text.slice(0, -2).split("\r\n"))
    assert.ok(Buffer.byteLength(raw) <= 75, `folded: ${raw}`);
  const stack: string[] = [];
  const events: Array<Map<string, string>> = [];
  let current: Map<string, string> | undefined;
  for (const line of lines) {
    const colon = line.indexOf(":");
    assert.ok(colon > 0, `a content line: ${line}`);
    const name = line.slice(0, colon);
    const value = line.slice(colon + 1);
    if (name === "BEGIN") {
      stack.push(value);
      if (value === "VEVENT") current = new Map();
    } else if (name === "END") {
      assert.equal(stack.pop(), value, "BEGIN and END nest");
      if (value === "VEVENT" && current) {
        for (const required of ["UID", "DTSTAMP", "SUMMARY"]) assert.ok(current.has(required), required);
        assert.ok([...current.keys()].some((k) => k.startsWith("DTSTART")));
        events.push(current);
        current = undefined;
      }
    } else if (current) current.set(name, value);
  }
  assert.equal(stack.length, 0);
  assert.equal(lines[0], "BEGIN:VCALENDAR");
  return events;
}

test("the settings page issues the address once; the feed is valid iCalendar with the person's due dates", async () => {
  const page = await (await manager.post("/account/notifications/calendar", {})).text();
  assert.ok(page.includes("このアドレスは二度と表示されません。"));
  const match = /http:\/\/localhost:3000(\/calendar\/sgc_[A-Za-z0-9_-]+\.ics)/.exec(page);
  assert.ok(match?.[1], "the address is shown");
  feedPath = match[1];
  assert.ok(!(await manager.text("/account/notifications")).includes(feedPath), "and never again");
  assert.ok((await manager.text("/account/notifications")).includes("発行済み"));

  const res = await http.request(feedPath); // no cookie: the token is the credential
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/calendar; charset=utf-8");
  assert.match(res.headers.get("cache-control") ?? "", /no-store/);
  const text = await res.text();
  const events = parseCalendar(text);
  const summaries = events.map((e) => e.get("SUMMARY"));
  const byUid = (prefix: string) => events.find((e) => e.get("UID")?.startsWith(prefix));

  const task = byUid("task-");
  assert.equal(
    task?.get("SUMMARY"),
    "【期限】人事異動に伴うパスワード変更（転出 一子さん）（いわき市広報\\, 公式（X））",
  );
  assert.equal(task?.get("DTSTART;VALUE=DATE"), "20260404");
  assert.equal(task?.get("DTEND;VALUE=DATE"), "20260405");
  assert.match(task?.get("URL") ?? "", /^http:\/\/localhost:3000\/tasks\/\d+$/);

  const approval = events.find((e) => e.get("SUMMARY")?.startsWith("【承認待ち】投稿の予定時刻"));
  assert.equal(approval?.get("DTSTART;TZID=Asia/Tokyo"), "20260402T100000", "10:00 in Tokyo");

  assert.ok(summaries.includes("「いわき市広報\\, 公式（X）」の廃止の周知開始日"));
  assert.ok(summaries.includes("「いわき市広報\\, 公式（X）」の廃止の効力発生日"));
  assert.ok(summaries.includes("「いわき市広報\\, 公式（X）」の廃止のお知らせの掲載終了日"));
  assert.equal(
    events.find((e) => e.get("SUMMARY")?.endsWith("の効力発生日"))?.get("DTSTART;VALUE=DATE"),
    "20260601",
  );
  const review = events.find(
    (e) => e.get("SUMMARY") === "メディアポリシーの見直し期限（いわき市広報\\, 公式（X））",
  );
  assert.equal(review?.get("DTSTART;VALUE=DATE"), "20270331");
  assert.ok(
    !events.some((e) => e.get("UID")?.includes("-scheduled")),
    "the scheduled posts of others' are not theirs",
  );
});

test("the author sees their scheduled post; the manager's feed is not theirs", async () => {
  const staffer = await signIn(http, org.staff.kouhouStaff.employeeNo);
  const page = await (await staffer.post("/account/notifications/calendar", {})).text();
  const own = /(\/calendar\/sgc_[A-Za-z0-9_-]+\.ics)/.exec(page)?.[1];
  assert.ok(own && own !== feedPath);
  const events = parseCalendar(await (await http.request(own)).text());
  assert.deepEqual(
    events.map((e) => e.get("SUMMARY")),
    ["【承認待ち】投稿の予定時刻（いわき市広報\\, 公式（X））"],
  );
});

test("without the right token there is no calendar: wrong, replaced, revoked, or of a person who left", async () => {
  for (const path of [
    "/calendar/.ics",
    "/calendar/sgc_wrong.ics",
    feedPath.replace(/\.ics$/, ""),
    `${feedPath}x`,
  ]) {
    const res = await http.request(path);
    assert.equal(res.status, 404, path);
    assert.ok((await res.text()).includes("カレンダーが見つかりません。"));
  }
  // Replaced: the old address stops working, the new one works.
  const page = await (await manager.post("/account/notifications/calendar", {})).text();
  const replaced = /(\/calendar\/sgc_[A-Za-z0-9_-]+\.ics)/.exec(page)?.[1];
  assert.ok(replaced && replaced !== feedPath);
  assert.equal((await http.request(feedPath)).status, 404);
  assert.equal((await http.request(replaced)).status, 200);
  // A person no longer active.
  await updateStaff(app.ctx.db, org.staff.kouhouManager.id, { active: false }, app.clock.now());
  assert.equal((await http.request(replaced)).status, 404);
  await updateStaff(app.ctx.db, org.staff.kouhouManager.id, { active: true }, app.clock.now());
  assert.equal((await http.request(replaced)).status, 200);
  manager = await signIn(http, org.staff.kouhouManager.employeeNo);
  // Revoked.
  const revoked = await manager.post("/account/notifications/calendar/revoke", {});
  assert.equal(revoked.status, 303);
  assert.equal((await http.request(replaced)).status, 404);
  assert.ok((await manager.text("/account/notifications")).includes("未発行"));
});
