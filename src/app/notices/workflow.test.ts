/**
 * Requesting and preparing a change or closure (4.5): the Civil Code month before the effective
 * date (4.5.2), the order of the steps (the policy director is notified before the
 * announcement can be scheduled, 4.5.1), one notice at a time, the checked announcement text,
 * and who may do what.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { seedAccount } from "../../../test/support/accounts.ts";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { policyConfirmed } from "../../../test/support/filings.ts";
import { seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { entriesAfter, lastEntry } from "../../db/repos/audit.ts";
import { latestFiling } from "../../db/repos/filings.ts";
import { findNotice } from "../../db/repos/notices.ts";
import { listNotifications } from "../../db/repos/notifications.ts";
import { insertAssignment } from "../../db/repos/staff.ts";
import { listTasks } from "../../db/repos/tasks.ts";
import { accountEvents } from "../../db/schema.ts";
import { AppError } from "../../errors.ts";
import { loadActor } from "../actors.ts";
import type { StaffActor } from "../context.ts";
import { answerFiling } from "../filings/answer.ts";
import { confirmFiling, questionFiling } from "../filings/decide.ts";
import { myTasks } from "../tasks.ts";
import { fileWithPolicyDirector } from "./filings.ts";
import { listNoticesFor, noticeAnnouncement } from "./read.ts";
import { requestNotice } from "./request.ts";
import { cancelNotice, scheduleAnnouncement } from "./steps.ts";

let app: TestApp;
let org: TestOrg;
let operator: StaffActor;

before(async () => {
  app = await testApp({ start: "2026-01-15T01:00:00Z" }); // 10:00 on 15 January in Tokyo
  org = await seedOrg(app.ctx);
  await insertAssignment(app.ctx.db, {
    staffId: org.staff.kouhouStaff.id,
    role: "operator",
    scopeType: "division",
    scopeId: org.divisions.kouhou.id,
    assignedBy: null,
  });
  const a = await loadActor(app.ctx.db, org.staff.kouhouStaff.id, "session");
  if (!a) throw new Error("no operator");
  operator = a;
});
after(() => app.close());

const kouhouAccount = (extra: Partial<Parameters<typeof seedAccount>[1]> = {}) =>
  seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    policy: true,
    ...extra,
  });

/** Asserts an AppError with `code` whose message or field messages match `pattern`. */
async function refused(work: Promise<unknown>, code: string, pattern: RegExp) {
  await assert.rejects(work, (error: unknown) => {
    assert.ok(error instanceof AppError, String(error));
    assert.equal(error.code, code, error.message);
    const text = [error.message, ...error.fields.map((f) => f.message)].join("\n");
    assert.match(text, pattern);
    return true;
  });
}

async function requested(accountId: number, effectiveDate: string, extra: Record<string, string> = {}) {
  return requestNotice(app.ctx, {
    actor: org.actors.kouhouManager,
    accountId,
    input: {
      kind: "change",
      effectiveDate,
      reason: "課の名称変更のため",
      name: "いわき市広報（新）",
      ...extra,
    },
  });
}

async function notified(accountId: number, effectiveDate: string, extra: Record<string, string> = {}) {
  const n = await requested(accountId, effectiveDate, extra);
  await policyConfirmed(app, org, n.id);
  return n;
}

const schedule = (noticeId: number, announcementDate: string, extra: Record<string, string> = {}) =>
  scheduleAnnouncement(app.ctx, {
    actor: org.actors.kouhouManager,
    noticeId,
    input: { announcementDate, ...extra },
  });

test("announced on 15 January, a change can take effect on 16 February at the earliest (4.5.2)", async () => {
  app.clock.set("2026-01-15T01:00:00Z");
  const account = await kouhouAccount();
  await refused(
    requested(account.id, "2026-02-15"),
    "validation",
    /令和8年（2026年）2月16日（月）以降になります/,
  );
  const n = await notified(account.id, "2026-02-16");
  const scheduled = await schedule(n.id, "2026-01-15");
  assert.equal(scheduled.status, "scheduled");
  assert.equal(scheduled.announcementDate, "2026-01-15");
  assert.equal(scheduled.displayUntil, "2027-02-16", "a change stays on the public pages for a year (4.5.2)");
  assert.match(scheduled.announcementText, /2026年2月16日にアカウント名を「いわき市広報（新）」に変更します/);
});

test("announced on 31 January → 1 March; a refusal names the latest announcement date and the earliest effective date", async () => {
  app.clock.set("2026-01-15T01:00:00Z");
  const account = await kouhouAccount();
  const n = await notified(account.id, "2026-03-01");
  const before = (await lastEntry(app.ctx.db))?.seq ?? 0;
  await refused(
    schedule(n.id, "2026-02-01"),
    "validation",
    /変更日を令和8年（2026年）3月1日（日）にする場合、周知は令和8年（2026年）1月31日（土）までに始めてください。2月1日に周知する場合、変更日は3月2日以降にしてください（第4-5\(2\) 一月以上前に周知）。/,
  );
  await refused(
    schedule(n.id, "2026-01-31", { effectiveDate: "2026-02-28" }),
    "validation",
    /1月31日に周知する場合、変更日は3月1日以降/,
  );
  assert.equal(
    (await lastEntry(app.ctx.db))?.seq ?? 0,
    before,
    "a refusal changes nothing and records nothing",
  );
  const scheduled = await schedule(n.id, "2026-01-31");
  assert.equal(scheduled.effectiveDate, "2026-03-01");
  assert.equal(scheduled.displayUntil, "2027-03-01");
  const entries = await entriesAfter(app.ctx.db, before, 100);
  assert.deepEqual(
    entries.map((e) => e.action),
    ["notice.schedule"],
    "one audit entry for the step",
  );
});

test("leap years: announced 28 January 2028 → 29 February; announced 29 January → 1 March", async () => {
  app.clock.set("2028-01-10T01:00:00Z");
  const account = await kouhouAccount();
  const n = await notified(account.id, "2028-02-29");
  await refused(
    schedule(n.id, "2028-01-29"),
    "validation",
    /変更日を令和10年（2028年）2月29日（火）にする場合、周知は令和10年（2028年）1月28日（金）までに始めてください。1月29日に周知する場合、変更日は3月1日以降/,
  );
  const ok = await schedule(n.id, "2028-01-28");
  assert.equal(ok.announcementDate, "2028-01-28");
  assert.equal(ok.displayUntil, "2029-02-28", "one year after 29 February ends on 28 February");
});

test("the announcement cannot be scheduled until the policy director has received and confirmed the 届出 (4.5.1)", async () => {
  app.clock.set("2026-01-15T01:00:00Z");
  const account = await kouhouAccount();
  const n = await requested(account.id, "2026-04-01");
  const reminder = (await myTasks(app.ctx, org.actors.kouhouManager)).find(
    (t) => t.kind === "notice_notify_policy_director" && t.href === `/accounts/${account.id}/notices`,
  );
  assert.equal(reminder?.due, "2026-02-28", "the manager is reminded, due by the latest announcement date");
  await refused(
    schedule(n.id, "2026-02-01"),
    "conflict",
    /総合政策部長へ届け出て、確認を受けてください（第4-5\(1\)/,
  );

  // The manager sends the 届出: that alone is not enough — the director must confirm it.
  const sentNotice = await fileWithPolicyDirector(app.ctx, {
    actor: org.actors.kouhouManager,
    noticeId: n.id,
  });
  assert.equal(sentNotice.status, "requested");
  assert.equal(sentNotice.policyDirectorNotifiedBy, org.staff.kouhouManager.id);
  await refused(schedule(n.id, "2026-02-01"), "conflict", /確認を受けてください/);
  await refused(
    fileWithPolicyDirector(app.ctx, { actor: org.actors.kouhouManager, noticeId: n.id }),
    "conflict",
    /送付済み/,
  );
  const first = await latestFiling(app.ctx.db, {
    accountId: account.id,
    kind: "notice_policy",
    noticeId: n.id,
  });
  assert.ok(first);
  const inbox = await listNotifications(app.ctx.db, org.staff.policyDirector.id, {
    unreadOnly: true,
    limit: 50,
    offset: 0,
  });
  assert.ok(
    inbox.items.some((x) => x.kind === "filing" && x.href === `/filings/${first.id}`),
    "the policy director is notified",
  );
  const directorTasks = await myTasks(app.ctx, org.actors.policyDirector);
  assert.ok(
    directorTasks.some((t) => t.kind === "filing_confirm"),
    "and has a task to confirm it",
  );
  await refused(
    confirmFiling(app.ctx, { actor: org.actors.kouhouManager, filingId: first.id }),
    "forbidden",
    /権限がありません/,
  );

  // A question goes back to the manager, who answers and sends it again.
  await questionFiling(app.ctx, {
    actor: org.actors.policyDirector,
    filingId: first.id,
    input: { question: "変更後の名称は市の命名基準に沿っていますか。" },
  });
  const [answerTask] = await listTasks(app.ctx.db, {
    accountId: account.id,
    kinds: ["filing_answer"],
    status: "open",
  });
  assert.equal(answerTask?.assigneeId, org.staff.kouhouManager.id);
  assert.match(JSON.stringify(answerTask?.cause), /命名基準/, "the question is on the manager's task");
  await refused(
    confirmFiling(app.ctx, { actor: org.actors.policyDirector, filingId: first.id }),
    "conflict",
    /回答と再送を待ってください/,
  );
  await refused(
    answerFiling(app.ctx, { actor: org.actors.kouhouManager, filingId: first.id, input: { message: "" } }),
    "validation",
    /回答を入力してください/,
  );
  const second = await answerFiling(app.ctx, {
    actor: org.actors.kouhouManager,
    filingId: first.id,
    input: { message: "はい、広報広聴課と協議済みです。" },
  });
  assert.equal(second.round, 2);
  assert.equal(
    (await listTasks(app.ctx.db, { accountId: account.id, kinds: ["filing_answer"], status: "open" })).length,
    0,
    "answering closes the manager's task",
  );
  await confirmFiling(app.ctx, { actor: org.actors.policyDirector, filingId: second.id });
  assert.equal((await findNotice(app.ctx.db, n.id))?.status, "notified");
  assert.equal((await schedule(n.id, "2026-02-01")).status, "scheduled");
});

test("only an active account can be changed, and it has one notice in progress at a time", async () => {
  app.clock.set("2026-01-15T01:00:00Z");
  const approved = await kouhouAccount({ status: "approved" });
  await refused(
    requested(approved.id, "2026-04-01"),
    "conflict",
    /運用中のアカウントについて行えます（このアカウントは「承認済」です）/,
  );
  const closed = await kouhouAccount({ status: "closed", closedOn: "2025-12-31" });
  await refused(requested(closed.id, "2026-04-01"), "conflict", /「廃止」です/);

  const account = await kouhouAccount();
  await requested(account.id, "2026-04-01");
  await refused(requested(account.id, "2026-05-01"), "conflict", /手続き中の変更の届出があります/);
  await refused(
    requestNotice(app.ctx, {
      actor: org.actors.kouhouManager,
      accountId: account.id,
      input: { kind: "closure", effectiveDate: "2026-05-01", reason: "事業終了" },
    }),
    "conflict",
    /手続き中の変更の届出があります/,
  );
});

test("a change names what changes, and a new URL must be the new platform's account URL", async () => {
  app.clock.set("2026-01-15T01:00:00Z");
  const account = await kouhouAccount({ handle: "iwaki_old", name: "いわき市広報" });
  await refused(
    requested(account.id, "2026-04-01", { name: "いわき市広報" }),
    "validation",
    /変更する項目（アカウント名、通称、ユーザー名（ハンドル）、ソーシャルメディア、アカウントURL）を1つ以上/,
  );
  await refused(
    requested(account.id, "2026-04-01", { platform: "instagram" }),
    "validation",
    /移行先のInstagramアカウントのURLを入力してください/,
  );
  await refused(
    requested(account.id, "2026-04-01", { url: "https://bit.ly/iwaki" }),
    "validation",
    /X（旧Twitter）のアカウントURLを、https:\/\/ から始まる正式な形で入力してください.*短縮URLは使えません。/,
  );
  const handleOnly = await requested(account.id, "2026-04-01", { name: "", handle: "@iwaki_new" });
  assert.deepEqual(handleOnly.details, { handle: "iwaki_new", url: "https://x.com/iwaki_new" });
  await cancelNotice(app.ctx, { actor: org.actors.kouhouManager, noticeId: handleOnly.id });
  const move = await requested(account.id, "2026-04-01", {
    name: "",
    platform: "instagram",
    url: "https://www.instagram.com/iwaki_pr/",
  });
  assert.deepEqual(move.details, {
    handle: "iwaki_pr",
    platform: "instagram",
    url: "https://www.instagram.com/iwaki_pr/",
  });
  const [event] = (await app.ctx.db.select().from(accountEvents)).filter(
    (e) => e.accountId === account.id && e.kind === "change_requested",
  );
  assert.ok(event, "the request is in the account's history");
});

test("an announcement with an error in it cannot be scheduled; the generated one passes the checker", async () => {
  app.clock.set("2026-01-15T01:00:00Z");
  const account = await kouhouAccount();
  const n = await notified(account.id, "2026-04-01");
  const draft = await noticeAnnouncement(app.ctx, { actor: org.actors.kouhouManager, noticeId: n.id });
  assert.match(
    draft.text,
    /^【お知らせ】いわき市広報広聴課の公式X（旧Twitter）アカウント「テスト用アカウント\d+」は、2026年4月1日に/,
  );
  assert.deepEqual(
    draft.findings.filter((f) => f.severity === "error"),
    [],
  );
  await refused(
    schedule(n.id, "2026-02-01", {
      announcementText: "アカウントを変更します。管理用のパスワードは iwaki1234 です。",
    }),
    "validation",
    /告知投稿の文案: パスワードの値が書かれています.*（第5-2\(4\)）/,
  );
  const edited = "【お知らせ】広報広聴課のアカウント名が4月1日に変わります。引き続きご利用ください。";
  assert.equal((await schedule(n.id, "2026-02-01", { announcementText: edited })).announcementText, edited);
});

test("an operator and a manager of another division may not change an account; the policy director sees all notices but changes none", async () => {
  app.clock.set("2026-01-15T01:00:00Z");
  const account = await kouhouAccount();
  await refused(
    requestNotice(app.ctx, {
      actor: operator,
      accountId: account.id,
      input: { kind: "closure", effectiveDate: "2026-04-01", reason: "—" },
    }),
    "forbidden",
    /権限がありません/,
  );
  await refused(
    requestNotice(app.ctx, {
      actor: org.actors.soumuManager,
      accountId: account.id,
      input: { kind: "closure", effectiveDate: "2026-04-01", reason: "—" },
    }),
    "forbidden",
    /権限がありません/,
  );
  const denied = await lastEntry(app.ctx.db);
  assert.equal(denied?.action, "auth.denied", "a refusal is on the audit log");

  const soumu = await seedAccount(app.ctx, {
    divisionId: org.divisions.soumuka.id,
    managerId: org.staff.soumuManager.id,
    policy: true,
  });
  const soumuNotice = await requestNotice(app.ctx, {
    actor: org.actors.soumuManager,
    accountId: soumu.id,
    input: { kind: "closure", effectiveDate: "2026-04-01", reason: "事業終了のため" },
  });
  for (const actor of [org.actors.policyDirector, org.actors.auditor, org.actors.soumuStaff]) {
    const seen = await listNoticesFor(app.ctx, { actor });
    assert.ok(
      seen.some((n) => n.id === soumuNotice.id),
      `${actor.name} sees the closure request`,
    );
  }
  const kouhouSees = await listNoticesFor(app.ctx, { actor: org.actors.kouhouStaff });
  assert.ok(
    !kouhouSees.some((n) => n.id === soumuNotice.id),
    "another division does not see a request before it is announced",
  );

  for (const work of [
    () => fileWithPolicyDirector(app.ctx, { actor: org.actors.policyDirector, noticeId: soumuNotice.id }),
    () =>
      scheduleAnnouncement(app.ctx, {
        actor: org.actors.policyDirector,
        noticeId: soumuNotice.id,
        input: { announcementDate: "2026-02-01" },
      }),
    () => cancelNotice(app.ctx, { actor: org.actors.policyDirector, noticeId: soumuNotice.id }),
  ]) {
    await refused(work(), "forbidden", /権限がありません/);
  }
  await refused(
    fileWithPolicyDirector(app.ctx, { actor: org.actors.kouhouManager, noticeId: soumuNotice.id }),
    "not_found",
    /見つかりません/,
  );
});
