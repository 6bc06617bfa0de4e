/**
 * Media policies (4.2) as the division and its manager use them: a first draft in the pack's
 * wording, approval only by the manager and only when complete, versions, review dates counted
 * the Civil Code way, and the review reminder (4.2.3).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { eq } from "drizzle-orm";
import { seedAccount } from "../../../test/support/accounts.ts";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { listEvents } from "../../db/repos/accounts.ts";
import { entriesAfter, lastEntry } from "../../db/repos/audit.ts";
import { currentPolicy, findPolicy, hasCompleteApprovedPolicy } from "../../db/repos/policies.ts";
import { listTasks } from "../../db/repos/tasks.ts";
import { tasks } from "../../db/schema.ts";
import { AppError } from "../../errors.ts";
import { systemActor } from "../context.ts";
import { myTasks } from "../tasks.ts";
import { approvePolicy } from "./approve.ts";
import { discardPolicyDraft, draftPolicy, updatePolicyDraft } from "./draft.ts";
import { getPolicyVersion, listPolicyVersions, policyOverview } from "./read.ts";
import { completeReviewWithoutChange } from "./review.ts";
import { openDueReviewTasks } from "./review-tasks.ts";

let app: TestApp;
let org: TestOrg;
before(async () => {
  app = await testApp({ start: "2026-04-01T01:00:00Z" });
  org = await seedOrg(app.ctx);
});
after(() => app.close());

const kouhouAccount = (extra: Parameters<typeof seedAccount>[1] extends infer S ? Partial<S> : never = {}) =>
  seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    operatorIds: [org.staff.kouhouStaff.id],
    ...extra,
  });

async function rejects(work: Promise<unknown>, code: string): Promise<AppError> {
  try {
    await work;
  } catch (error) {
    assert.ok(error instanceof AppError, `expected an AppError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return error;
  }
  assert.fail(`expected ${code}`);
}

test("a first draft starts from the pack's wording for the division and platform", async () => {
  const account = await kouhouAccount({ status: "approved", platform: "instagram" });
  const draft = await draftPolicy(app.ctx, { actor: org.actors.kouhouStaff, accountId: account.id });
  assert.equal(draft.version, 1);
  assert.equal(draft.status, "draft");
  assert.ok(draft.purpose.startsWith("いわき市広報広聴課が所管する事業"), draft.purpose);
  assert.equal(draft.platformDescription, "Instagram");
  assert.ok(draft.staffInCharge.includes("広報広聴課の職員"));
  assert.equal(draft.replyPolicy, "no_reply");
  assert.ok(!/\{[a-z]+\}/i.test(JSON.stringify(draft)), "no placeholder left unfilled");
  assert.equal(draft.authorId, org.staff.kouhouStaff.id);
  const entry = await lastEntry(app.ctx.db);
  assert.equal(entry?.action, "policy.draft");
  assert.equal(await hasCompleteApprovedPolicy(app.ctx.db, account.id), false, "a draft is not in force");

  await rejects(draftPolicy(app.ctx, { actor: org.actors.kouhouStaff, accountId: account.id }), "conflict");
});

test("approval is refused while items are empty, naming each missing item", async () => {
  const account = await kouhouAccount({ status: "approved" });
  const draft = await draftPolicy(app.ctx, {
    actor: org.actors.kouhouStaff,
    accountId: account.id,
    input: { purpose: "", frequency: "  ", replyPolicy: "" },
  });
  const before = (await lastEntry(app.ctx.db))?.seq ?? 0;
  const error = await rejects(
    approvePolicy(app.ctx, { actor: org.actors.kouhouManager, policyId: draft.id }),
    "validation",
  );
  assert.equal(
    error.message,
    "メディアポリシーの必須項目が未記入です：① 情報発信を行う目的、④ 利用方法：発信頻度、返信の可否（第4-2(1)(2)）",
  );
  assert.deepEqual(
    error.fields.map((f) => f.field),
    ["purpose", "frequency", "replyPolicy"],
  );
  assert.equal((await findPolicy(app.ctx.db, draft.id))?.status, "draft");
  assert.equal((await lastEntry(app.ctx.db))?.seq, before, "a refused approval writes nothing");
});

test("the manager approves; the review is due 12 months later counted as the Civil Code counts", async () => {
  // 2026-03-31T15:30Z is 1 April in Tokyo: the period starts on 2 April and ends on 1 April 2027.
  app.clock.set("2026-03-31T15:30:00Z");
  const account = await kouhouAccount({ status: "approved" });
  const draft = await draftPolicy(app.ctx, { actor: org.actors.kouhouStaff, accountId: account.id });
  const approved = await approvePolicy(app.ctx, { actor: org.actors.kouhouManager, policyId: draft.id });
  assert.equal(approved.status, "approved");
  assert.equal(approved.approvedBy, org.staff.kouhouManager.id);
  assert.equal(approved.reviewDue, "2027-04-01");
  assert.equal(await hasCompleteApprovedPolicy(app.ctx.db, account.id), true);
  const events = await listEvents(app.ctx.db, account.id);
  assert.equal(events.at(-1)?.kind, "policy_approved");

  // Approved on 28 February 2027: the corresponding day 1 March 2028 → ends 29 February 2028.
  app.clock.set("2027-02-28T03:00:00Z");
  const second = await draftPolicy(app.ctx, {
    actor: org.actors.kouhouManager,
    accountId: account.id,
    input: { frequency: "毎日" },
  });
  assert.equal(second.version, 2);
  assert.equal(second.purpose, approved.purpose, "a new version starts from the one in force");
  const noSummary = await rejects(
    approvePolicy(app.ctx, { actor: org.actors.kouhouManager, policyId: second.id }),
    "validation",
  );
  assert.ok(noSummary.message.includes("主な変更点"));
  await updatePolicyDraft(app.ctx, {
    actor: org.actors.kouhouStaff,
    policyId: second.id,
    input: { changeSummary: "発信頻度を毎日に改めました。" },
  });
  const v2 = await approvePolicy(app.ctx, { actor: org.actors.kouhouManager, policyId: second.id });
  assert.equal(v2.reviewDue, "2028-02-29");
  assert.equal((await findPolicy(app.ctx.db, approved.id))?.status, "superseded");
  assert.equal((await currentPolicy(app.ctx.db, account.id))?.version, 2);

  const v2view = await getPolicyVersion(app.ctx, {
    actor: org.actors.soumuStaff,
    accountId: account.id,
    version: 2,
  });
  assert.deepEqual(
    v2view.changes.filter((c) => c.changed).map((c) => c.field),
    ["frequency"],
  );
  await rejects(
    updatePolicyDraft(app.ctx, { actor: org.actors.kouhouStaff, policyId: v2.id, input: { content: "x" } }),
    "conflict",
  );
  app.clock.set("2026-04-01T01:00:00Z");
});

test("an operator cannot approve, and a manager of another division can neither approve nor draft", async () => {
  const account = await kouhouAccount({ status: "active" });
  const draft = await draftPolicy(app.ctx, { actor: org.actors.kouhouStaff, accountId: account.id });
  await rejects(approvePolicy(app.ctx, { actor: org.actors.kouhouStaff, policyId: draft.id }), "forbidden");
  await rejects(approvePolicy(app.ctx, { actor: org.actors.soumuManager, policyId: draft.id }), "forbidden");
  await rejects(
    updatePolicyDraft(app.ctx, {
      actor: org.actors.soumuManager,
      policyId: draft.id,
      input: { content: "x" },
    }),
    "forbidden",
  );
  const other = await kouhouAccount({ status: "active" });
  await rejects(draftPolicy(app.ctx, { actor: org.actors.soumuManager, accountId: other.id }), "forbidden");
  await rejects(
    completeReviewWithoutChange(app.ctx, {
      actor: org.actors.kouhouStaff,
      accountId: account.id,
      note: "確認",
    }),
    "forbidden",
  );
  const denied = await lastEntry(app.ctx.db);
  assert.equal(denied?.action, "auth.denied");
  assert.equal((await findPolicy(app.ctx.db, draft.id))?.status, "draft");
});

test("a draft is seen by its division and the overseers, not by other divisions; discarding removes it", async () => {
  const account = await kouhouAccount({ status: "active", policy: true });
  const draft = await draftPolicy(app.ctx, { actor: org.actors.kouhouStaff, accountId: account.id });
  const outsider = await listPolicyVersions(app.ctx, { actor: org.actors.soumuStaff, accountId: account.id });
  assert.deepEqual(
    outsider.versions.map((v) => v.version),
    [1],
  );
  await rejects(
    getPolicyVersion(app.ctx, { actor: org.actors.soumuStaff, accountId: account.id, version: 2 }),
    "not_found",
  );
  const auditor = await policyOverview(app.ctx, { actor: org.actors.auditor, accountId: account.id });
  assert.equal(auditor.draft?.version, 2);
  assert.deepEqual(auditor.can, { draft: false, approve: false });

  await discardPolicyDraft(app.ctx, { actor: org.actors.kouhouStaff, policyId: draft.id });
  assert.equal(await findPolicy(app.ctx.db, draft.id), undefined);
  assert.equal((await lastEntry(app.ctx.db))?.action, "policy.discard");
  const again = await draftPolicy(app.ctx, { actor: org.actors.kouhouStaff, accountId: account.id });
  assert.equal(again.version, 2);
});

test("a review task opens 30 days ahead, once per account, and approving a new version closes it", async () => {
  app.clock.set("2026-06-01T01:00:00Z");
  const soon = await kouhouAccount({ status: "active", policy: { reviewDue: "2026-06-25" } });
  const later = await kouhouAccount({ status: "active", policy: { reviewDue: "2026-07-15" } });
  const notPublic = await kouhouAccount({ status: "approved", policy: { reviewDue: "2026-06-10" } });
  const overdue = await kouhouAccount({ status: "active", policy: { reviewDue: "2026-05-20" } });

  const seq = (await lastEntry(app.ctx.db))?.seq ?? 0;
  const [a, b] = await Promise.all([
    openDueReviewTasks(app.ctx, systemActor("scheduler")),
    openDueReviewTasks(app.ctx, systemActor("scheduler")),
  ]);
  assert.equal((a ?? 0) + (b ?? 0), 2, "two accounts are due, each gets one task even with two runs");
  assert.equal(await openDueReviewTasks(app.ctx, systemActor("scheduler")), 0);
  const entries = await entriesAfter(app.ctx.db, seq, 100);
  assert.deepEqual(
    entries.map((e) => e.action),
    ["policy.review_task", "policy.review_task"],
  );

  const open = await listTasks(app.ctx.db, { kinds: ["policy_review"], status: "open" });
  const forAccount = (id: number) => open.filter((t) => t.accountId === id);
  assert.equal(forAccount(soon.id).length, 1);
  assert.equal(forAccount(overdue.id).length, 1);
  assert.equal(forAccount(later.id).length, 0);
  assert.equal(forAccount(notPublic.id).length, 0);
  const task = forAccount(soon.id)[0];
  assert.equal(task?.assigneeId, org.staff.kouhouManager.id);
  assert.equal(task?.dueDate, "2026-06-25");
  assert.equal(task?.clause, "4.2.3");

  const titlesOnDashboard = async () =>
    (await myTasks(app.ctx, org.actors.kouhouManager))
      .filter((t) => t.kind === "policy_review")
      .map((t) => t.title);
  const titles = await titlesOnDashboard();
  assert.equal(new Set(titles).size, titles.length, "no review is listed twice");
  // The manager changed: the task still names the former 課長, the new one sees it on the dashboard.
  await app.ctx.db
    .update(tasks)
    .set({ assigneeId: org.staff.desk.id })
    .where(eq(tasks.id, task?.id ?? 0));
  const reassigned = await myTasks(app.ctx, org.actors.kouhouManager);
  const shown = reassigned.find(
    (t) => t.kind === "policy_review" && t.href === `/accounts/${soon.id}/policy`,
  );
  assert.equal(shown?.due, "2026-06-25");
  assert.equal(shown?.overdue, false);
  assert.equal(shown?.clause, "4.2.3");

  const draft = await draftPolicy(app.ctx, {
    actor: org.actors.kouhouStaff,
    accountId: soon.id,
    input: { changeSummary: "対応時間を見直しました。", timing: "毎日" },
  });
  const pending = await myTasks(app.ctx, org.actors.kouhouManager);
  assert.ok(pending.some((t) => t.kind === "policy_approval" && t.href === `/accounts/${soon.id}/policy`));
  await approvePolicy(app.ctx, { actor: org.actors.kouhouManager, policyId: draft.id });
  const closed = await listTasks(app.ctx.db, { accountId: soon.id, kinds: ["policy_review"] });
  assert.equal(closed[0]?.status, "done");
  assert.equal(closed[0]?.doneBy, org.staff.kouhouManager.id);
  assert.deepEqual(closed[0]?.resolution, { by: "approval", version: 2, reviewDue: "2027-06-01" });
  assert.equal(await openDueReviewTasks(app.ctx, systemActor("scheduler")), 0, "the new version is not due");
  app.clock.set("2026-04-01T01:00:00Z");
});

test("completing a review without change moves the review date, records it and closes the task", async () => {
  app.clock.set("2026-09-10T01:00:00Z");
  const account = await kouhouAccount({ status: "active", policy: { reviewDue: "2026-09-30" } });
  await openDueReviewTasks(app.ctx, systemActor("scheduler"));
  const overview = await policyOverview(app.ctx, { actor: org.actors.kouhouManager, accountId: account.id });
  assert.equal(overview.reviewTask?.dueDate, "2026-09-30");
  assert.equal(overview.reviewOverdue, false);

  await rejects(
    completeReviewWithoutChange(app.ctx, {
      actor: org.actors.kouhouManager,
      accountId: account.id,
      note: " ",
    }),
    "validation",
  );
  const reviewed = await completeReviewWithoutChange(app.ctx, {
    actor: org.actors.kouhouManager,
    accountId: account.id,
    note: "利用状況と返信方針を確認し、変更の必要がないことを確認しました。",
  });
  assert.equal(reviewed.reviewDue, "2027-09-10");
  assert.equal(reviewed.version, 1, "no new version");
  const events = await listEvents(app.ctx.db, account.id);
  assert.equal(events.at(-1)?.kind, "policy_reviewed");
  assert.ok(events.at(-1)?.comment.includes("変更の必要がない"));
  assert.equal((await lastEntry(app.ctx.db))?.action, "policy.review");
  const tasks = await listTasks(app.ctx.db, { accountId: account.id, kinds: ["policy_review"] });
  assert.equal(tasks[0]?.status, "done");

  const none = await kouhouAccount({ status: "approved" });
  await rejects(
    completeReviewWithoutChange(app.ctx, {
      actor: org.actors.kouhouManager,
      accountId: none.id,
      note: "確認",
    }),
    "conflict",
  );
  app.clock.set("2026-04-01T01:00:00Z");
});

test("a closed account's policy stays as it was", async () => {
  const account = await kouhouAccount({ status: "closed", policy: true });
  await rejects(draftPolicy(app.ctx, { actor: org.actors.kouhouManager, accountId: account.id }), "conflict");
  const { versions } = await listPolicyVersions(app.ctx, {
    actor: org.actors.soumuStaff,
    accountId: account.id,
  });
  assert.equal(versions.length, 1);
});
