import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { seedAccount } from "../../../test/support/accounts.ts";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { seedPost } from "../../../test/support/posts.ts";
import { entriesAfter } from "../../db/repos/audit.ts";
import { listDecisions } from "../../db/repos/posts.ts";
import type { PostCategory } from "../../domain/posts.ts";
import { AppError } from "../../errors.ts";
import { myTasks } from "../tasks.ts";
import { acknowledgeReport } from "./decide.ts";
import { nameDeputy } from "./deputies.ts";
import { draftPost } from "./draft.ts";
import { publishPostHoc, reportDue } from "./post-hoc.ts";
import { postDetail, postLists } from "./read.ts";
import { submitPost } from "./submit.ts";

let app: TestApp;
let org: TestOrg;
let account: { id: number };

before(async () => {
  // Friday 17 July 2026, 10:00 in Tokyo; Monday 20 July is 海の日.
  app = await testApp({ start: "2026-07-17T01:00:00Z" });
  org = await seedOrg(app.ctx);
  account = await seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    operatorIds: [org.staff.kouhouStaff.id, org.staff.kouhouManager.id],
    policy: true,
  });
});
after(() => app.close());

const isError = (status: number, text?: string) => (e: unknown) =>
  e instanceof AppError && e.status === status && (text === undefined || e.message.includes(text));
const lastSeq = async () => (await entriesAfter(app.ctx.db, 0, 1_000_000)).at(-1)?.seq ?? 0;

async function drafted(category: PostCategory, text: string, extra: Record<string, unknown> = {}) {
  const [post] = await draftPost(app.ctx, {
    actor: org.actors.kouhouStaff,
    input: { accounts: [{ accountId: account.id, text }], category, ...extra },
  });
  assert.ok(post);
  return post;
}

test("a post-hoc report published on a Friday before a holiday Monday is due at the end of Wednesday", () => {
  assert.equal(reportDue(new Date("2026-07-17T01:00:00Z")).toISOString(), "2026-07-22T15:00:00.000Z");
  // Published late on Friday night (Tokyo), still Friday: the same due time.
  assert.equal(reportDue(new Date("2026-07-17T14:59:00Z")).toISOString(), "2026-07-22T15:00:00.000Z");
  // Year-end closure (12-29 … 01-03) and the New Year's Day holiday are not business days.
  assert.equal(reportDue(new Date("2026-12-28T01:00:00Z")).toISOString(), "2027-01-05T15:00:00.000Z");
});

test("each of ①–④ may be published at once; the manager is sent a report due in business days", async () => {
  const earlier = await seedPost(app.ctx, { accountId: account.id, authorId: org.staff.kouhouStaff.id });
  const cases: Array<[PostCategory, string, Record<string, unknown>]> = [
    ["repost", `【再掲】${earlier.text}`, { repostOf: earlier.id }],
    ["fact", "【結果】市民マラソン大会は、予定どおり全ての競技を終了しました。", {}],
    ["legal", "【お知らせ】条例の規定により、本日から申請の受付を開始します。", {}],
    ["emergency", "【緊急】大雨のため、本日の野外コンサートは中止します。", {}],
  ];
  for (const [category, text, extra] of cases) {
    const post = await drafted(category, text, extra);
    const seq = await lastSeq();
    const published = await publishPostHoc(app.ctx, {
      actor: org.actors.kouhouStaff,
      id: post.id,
      input: { version: 1 },
    });
    assert.equal(published.status, "published", category);
    assert.equal(published.publishedAt?.toISOString(), "2026-07-17T01:00:00.000Z");
    assert.equal(published.publishedUrl, null, "the URL comes with the publishing record");
    assert.equal(published.approvalRule, "post_hoc");
    assert.equal(published.reportDueAt?.toISOString(), "2026-07-22T15:00:00.000Z");
    const [entry] = await entriesAfter(app.ctx.db, seq, 10);
    assert.equal(entry?.action, "post.publish_post_hoc");
  }
  const tasks = (await myTasks(app.ctx, org.actors.kouhouManager)).filter((t) => t.kind === "post_report");
  assert.equal(tasks.length, 4);
  assert.ok(tasks.every((t) => t.due === "2026-07-22" && !t.overdue && t.clause === "5.1.4"));
});

test("a normal post cannot be published before approval", async () => {
  const post = await drafted("normal", "【お知らせ】図書館は本日休館です。");
  await assert.rejects(
    publishPostHoc(app.ctx, { actor: org.actors.kouhouStaff, id: post.id, input: { version: 1 } }),
    isError(409, "承認を得てから"),
  );
});

test("an emergency is never blocked by a warning; an error needs a justification and a confirmation on the spot, and the findings are kept", async () => {
  const warned = await drafted("emergency", "【緊急】大雨のため避難所を開設したらしいとの情報があります。");
  const withWarning = await publishPostHoc(app.ctx, {
    actor: org.actors.kouhouStaff,
    id: warned.id,
    input: { version: 1 },
  });
  assert.equal(withWarning.status, "published");
  assert.ok(withWarning.warningCount >= 1, "the rumour warning (5.2.8) is recorded");

  const erred = await drafted("emergency", "【緊急】避難される方は 090-1234-5678 までご連絡ください。");
  await assert.rejects(
    publishPostHoc(app.ctx, { actor: org.actors.kouhouStaff, id: erred.id, input: { version: 1 } }),
    isError(403, "一人では発信できません"),
  );
  const confirmed = { confirmedBy: org.staff.kouhouManager.id, confirmedAt: "2026-07-17T10:00" };
  await assert.rejects(
    publishPostHoc(app.ctx, {
      actor: org.actors.kouhouStaff,
      id: erred.id,
      input: { version: 1, ...confirmed },
    }),
    isError(422, "理由を10文字以上"),
  );
  const justified = await publishPostHoc(app.ctx, {
    actor: org.actors.kouhouStaff,
    id: erred.id,
    input: { version: 1, justification: "災害対策本部の公開された臨時連絡先です。", ...confirmed },
  });
  assert.equal(justified.errorCount, 1);
  assert.match(justified.justification, /臨時連絡先/);
});

test("an embargo still applies to a post published at once, whatever its schedule (5.2.2.2)", async () => {
  const post = await drafted("fact", "【結果】市長杯の結果をお知らせします。", {
    embargoUntil: "2026-07-17T15:00",
    scheduledAt: "2026-07-17T16:00",
  });
  assert.equal(post.errorCount, 0, "scheduled after the embargo, the draft is fine");
  await assert.rejects(
    publishPostHoc(app.ctx, { actor: org.actors.kouhouStaff, id: post.id, input: { version: 1 } }),
    isError(409, "まで公表できません"),
  );
  // The exception waives the approval only: a manager's confirmation on the spot does not lift
  // the embargo either.
  await assert.rejects(
    publishPostHoc(app.ctx, {
      actor: org.actors.kouhouStaff,
      id: post.id,
      input: { version: 1, confirmedBy: org.staff.kouhouManager.id, confirmedAt: "2026-07-17T10:00" },
    }),
    isError(409, "事後報告で省けるのは事前の許可だけ"),
  );
  app.clock.set("2026-07-17T06:01:00Z");
  const out = await publishPostHoc(app.ctx, {
    actor: org.actors.kouhouStaff,
    id: post.id,
    input: { version: 1 },
  });
  assert.equal(out.status, "published", "after the embargo it goes out");
  app.clock.set("2026-07-17T01:00:00Z");
});

test("the manager acknowledges a report; overdue reports are marked; the author cannot acknowledge their own", async () => {
  const post = await drafted("fact", "【結果】市民駅伝大会の結果をお知らせします。");
  await publishPostHoc(app.ctx, { actor: org.actors.kouhouStaff, id: post.id, input: { version: 1 } });
  const byManager = await draftPost(app.ctx, {
    actor: org.actors.kouhouManager,
    input: {
      accounts: [{ accountId: account.id, text: "【緊急】台風接近のため、本日の行事は中止します。" }],
      category: "emergency",
    },
  });
  const own = byManager[0];
  assert.ok(own);
  await publishPostHoc(app.ctx, { actor: org.actors.kouhouManager, id: own.id, input: { version: 1 } });
  await assert.rejects(
    acknowledgeReport(app.ctx, { actor: org.actors.kouhouManager, id: own.id, input: {} }),
    isError(403, "ご自身が作成・編集または発信した投稿の事後報告"),
  );
  await assert.rejects(
    acknowledgeReport(app.ctx, { actor: org.actors.kouhouStaff, id: post.id, input: {} }),
    isError(403),
    "an operator does not acknowledge",
  );

  // Thursday 23 July, past the Wednesday deadline.
  app.clock.set("2026-07-23T00:30:00Z");
  const lists = await postLists(app.ctx, { actor: org.actors.kouhouManager });
  assert.ok(lists.reports.some((p) => p.id === post.id));
  assert.ok(!lists.reports.some((p) => p.id === own.id), "not the manager's own report");
  const overdue = (await myTasks(app.ctx, org.actors.kouhouManager)).filter((t) => t.kind === "post_report");
  assert.ok(overdue.length > 0 && overdue.every((t) => t.overdue), "past the due time, shown overdue");
  assert.equal(
    (await postDetail(app.ctx, { actor: org.actors.kouhouManager, id: post.id })).reportOverdue,
    true,
  );

  const seq = await lastSeq();
  const done = await acknowledgeReport(app.ctx, {
    actor: org.actors.kouhouManager,
    id: post.id,
    input: { comment: "結果の内容を確認しました。" },
  });
  assert.equal(done.acknowledgedBy, org.staff.kouhouManager.id);
  const [entry] = await entriesAfter(app.ctx.db, seq, 10);
  assert.equal(entry?.action, "post.acknowledge");
  assert.match(JSON.stringify(entry?.summary), /"late":true/);
  const trail = await listDecisions(app.ctx.db, post.id);
  assert.deepEqual(
    trail.map((d) => [d.decision, d.rule]),
    [["acknowledge", "manager"]],
  );
  await assert.rejects(
    acknowledgeReport(app.ctx, { actor: org.actors.kouhouManager, id: post.id, input: {} }),
    isError(409, "確認済み"),
  );

  // The manager's own report: the deputy named for the day acknowledges it.
  const deputy = org.actors.kouhouStaff;
  await nameDeputy(app.ctx, {
    actor: org.actors.kouhouManager,
    input: { deputyId: deputy.staffId, fromDate: "2026-07-23", toDate: "2026-07-24", reason: "確認の代理" },
  });
  const acknowledged = await acknowledgeReport(app.ctx, { actor: deputy, id: own.id, input: {} });
  assert.equal(acknowledged.acknowledgedBy, deputy.staffId);
  assert.equal((await listDecisions(app.ctx.db, own.id))[0]?.rule, "deputy");
  app.clock.set("2026-07-17T01:00:00Z");
});

test("a post-hoc category may still go through normal approval", async () => {
  const post = await drafted("legal", "【お知らせ】法令の定めにより、本日から受付を開始します。");
  const submitted = await submitPost(app.ctx, {
    actor: org.actors.kouhouStaff,
    id: post.id,
    input: { version: 1 },
  });
  assert.equal(submitted.post.status, "pending");
  const published = await publishPostHoc(app.ctx, {
    actor: org.actors.kouhouStaff,
    id: post.id,
    input: { version: 1 },
  });
  assert.equal(published.status, "published", "or be published at once from 承認待ち");
});
