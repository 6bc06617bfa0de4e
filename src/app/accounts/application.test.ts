import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { seedOrg, standIn, type TestOrg } from "../../../test/support/org.ts";
import { findAccount, listApprovals, listEvents } from "../../db/repos/accounts.ts";
import { entriesAfter } from "../../db/repos/audit.ts";
import { listTasks } from "../../db/repos/tasks.ts";
import { AppError } from "../../errors.ts";
import { loadActor } from "../actors.ts";
import {
  confirmSecurityNotice,
  decideApplication,
  draftApplication,
  submitApplication,
  updateApplication,
} from "./application.ts";
import { getAccount, searchAccounts } from "./read.ts";

let app: TestApp;
let org: TestOrg;

before(async () => {
  app = await testApp();
  org = await seedOrg(app.ctx);
});
after(() => app.close());

function input(over: Record<string, unknown> = {}) {
  return {
    divisionId: org.divisions.kouhou.id,
    platform: "x",
    name: "いわき市広報広聴課",
    purpose: "市政情報やイベント情報を迅速にお届けするため",
    homepageUrl: "https://www.city.iwaki.lg.jp/www/sns/koho.html",
    operatorIds: [org.staff.kouhouStaff.id],
    holderIds: [org.staff.kouhouStaff.id],
    ...over,
  };
}

const status = (id: number) => findAccount(app.ctx.db, id).then((a) => a?.status);
const isError = (code: number, text?: string) => (e: unknown) =>
  e instanceof AppError && e.status === code && (text === undefined || e.message.includes(text));

test("an application goes to the department head, then the policy director, then the security director confirms receipt", async () => {
  const a = await draftApplication(app.ctx, { actor: org.actors.kouhouStaff, input: input() });
  assert.equal(a.status, "draft");
  assert.equal(a.managerId, org.staff.kouhouManager.id, "the division head is the account manager (4.1.4)");
  await submitApplication(app.ctx, { actor: org.actors.kouhouStaff, id: a.id });
  assert.equal(await status(a.id), "pending_department_head");

  await assert.rejects(
    decideApplication(app.ctx, {
      actor: org.actors.policyDirector,
      id: a.id,
      decision: "approve",
      expected: "pending_policy_director",
    }),
    isError(409),
    "the policy director cannot go first",
  );
  // The policy director is also 部長 of 総合政策部, so the department step is theirs too.
  await decideApplication(app.ctx, {
    actor: org.actors.policyDirector,
    id: a.id,
    decision: "approve",
    expected: "pending_department_head",
  });
  assert.equal(await status(a.id), "pending_policy_director");
  await decideApplication(app.ctx, {
    actor: org.actors.policyDirector,
    id: a.id,
    decision: "approve",
    expected: "pending_policy_director",
  });
  const approved = await getAccount(app.ctx, { actor: org.actors.kouhouStaff, id: a.id });
  assert.equal(approved.status, "approved");
  assert.ok(approved.securityNotifiedAt, "the security director is notified");
  assert.equal(approved.securityConfirmedAt, null, "届出未確認 until confirmed");
  const tasks = await listTasks(app.ctx.db, { accountId: a.id, status: "open" });
  assert.deepEqual(
    tasks.map((t) => [t.kind, t.assigneeId]),
    [["security_notice_confirm", org.staff.securityDirector.id]],
  );

  await assert.rejects(
    confirmSecurityNotice(app.ctx, { actor: org.actors.kouhouManager, id: a.id }),
    isError(403),
  );
  await confirmSecurityNotice(app.ctx, { actor: org.actors.securityDirector, id: a.id });
  const confirmed = await findAccount(app.ctx.db, a.id);
  assert.ok(confirmed?.securityConfirmedAt);
  assert.equal((await listTasks(app.ctx.db, { accountId: a.id, status: "open" })).length, 0);
  const events = (await listEvents(app.ctx.db, a.id)).map((e) => e.kind);
  assert.deepEqual(events, [
    "drafted",
    "submitted",
    "approved_department_head",
    "approved_policy_director",
    "security_confirmed",
  ]);
});

test("an application without operators or credential holders cannot be submitted (4.1.3, 4.3.1)", async () => {
  const a = await draftApplication(app.ctx, {
    actor: org.actors.kouhouStaff,
    input: input({ operatorIds: [], holderIds: [] }),
  });
  await assert.rejects(
    submitApplication(app.ctx, { actor: org.actors.kouhouStaff, id: a.id }),
    isError(422, "第4-1(3)"),
  );
  assert.equal(await status(a.id), "draft");
});

test("nobody approves their own application", async () => {
  const a = await draftApplication(app.ctx, {
    actor: org.actors.policyDirector,
    input: input({ divisionId: org.divisions.kouhou.id }),
  }).catch(() => undefined);
  assert.equal(
    a,
    undefined,
    "the policy director works in no division of their own here and cannot draft for 広報広聴課",
  );
  const b = await draftApplication(app.ctx, { actor: org.actors.kouhouManager, input: input() });
  await submitApplication(app.ctx, { actor: org.actors.kouhouManager, id: b.id });
  // The 課長 stands in for the 部長 (職務代理) and so holds the department head's role (4.1.2).
  await standIn(app.ctx, org.staff.kouhouManager.id, org.staff.policyDirector.id);
  const selfApprover = await loadActor(app.ctx.db, org.staff.kouhouManager.id, "session");
  assert.ok(selfApprover);
  await assert.rejects(
    decideApplication(app.ctx, {
      actor: selfApprover,
      id: b.id,
      decision: "approve",
      expected: "pending_department_head",
    }),
    isError(403, "自分が起案した申請"),
  );
});

test("a returned application is revised and resubmitted, and the history keeps both rounds", async () => {
  const a = await draftApplication(app.ctx, {
    actor: org.actors.kouhouStaff,
    input: input({ name: "広報テスト" }),
  });
  await submitApplication(app.ctx, { actor: org.actors.kouhouStaff, id: a.id });
  await assert.rejects(
    decideApplication(app.ctx, {
      actor: org.actors.policyDirector,
      id: a.id,
      decision: "return",
      expected: "pending_department_head",
    }),
    isError(422, "理由"),
  );
  await decideApplication(app.ctx, {
    actor: org.actors.policyDirector,
    id: a.id,
    decision: "return",
    comment: "利用目的をもう少し具体的に書いてください。",
    expected: "pending_department_head",
  });
  assert.equal(await status(a.id), "returned");
  await updateApplication(app.ctx, {
    actor: org.actors.kouhouStaff,
    id: a.id,
    input: input({ name: "広報テスト", purpose: "イベント情報を週2回発信します" }),
  });
  await submitApplication(app.ctx, { actor: org.actors.kouhouStaff, id: a.id });
  await decideApplication(app.ctx, {
    actor: org.actors.policyDirector,
    id: a.id,
    decision: "approve",
    expected: "pending_department_head",
  });
  const events = await listEvents(app.ctx.db, a.id);
  assert.deepEqual(
    events.map((e) => e.kind),
    ["drafted", "submitted", "returned", "submitted", "approved_department_head"],
  );
  assert.equal(events[2]?.comment, "利用目的をもう少し具体的に書いてください。");
  const approvals = await listApprovals(app.ctx.db, a.id);
  assert.deepEqual(
    approvals.map((x) => [x.round, x.step]),
    [[2, "department_head"]],
  );
});

test("a rejected application is final", async () => {
  const a = await draftApplication(app.ctx, {
    actor: org.actors.kouhouStaff,
    input: input({ name: "却下テスト" }),
  });
  await submitApplication(app.ctx, { actor: org.actors.kouhouStaff, id: a.id });
  await decideApplication(app.ctx, {
    actor: org.actors.policyDirector,
    id: a.id,
    decision: "reject",
    comment: "既存のアカウントで足ります。",
    expected: "pending_department_head",
  });
  await assert.rejects(submitApplication(app.ctx, { actor: org.actors.kouhouStaff, id: a.id }), isError(409));
});

test("another division does not see an application, nor can it act on it", async () => {
  const a = await draftApplication(app.ctx, {
    actor: org.actors.kouhouStaff,
    input: input({ name: "非公開の起案" }),
  });
  await assert.rejects(getAccount(app.ctx, { actor: org.actors.soumuManager, id: a.id }), isError(404));
  const seen = await searchAccounts(app.ctx, { actor: org.actors.soumuManager, filter: {} });
  assert.ok(!seen.some((x) => x.id === a.id));
  const overseer = await searchAccounts(app.ctx, { actor: org.actors.auditor, filter: {} });
  assert.ok(
    overseer.some((x) => x.id === a.id),
    "the auditor sees every application",
  );
  await assert.rejects(submitApplication(app.ctx, { actor: org.actors.soumuStaff, id: a.id }), isError(404));
});

test("two approvals at the same moment give one approval, not two", async () => {
  const a = await draftApplication(app.ctx, {
    actor: org.actors.kouhouStaff,
    input: input({ name: "同時承認" }),
  });
  await submitApplication(app.ctx, { actor: org.actors.kouhouStaff, id: a.id });
  await decideApplication(app.ctx, {
    actor: org.actors.policyDirector,
    id: a.id,
    decision: "approve",
    expected: "pending_department_head",
  });
  const seq = (await entriesAfter(app.ctx.db, 0, 1_000_000)).at(-1)?.seq ?? 0;
  const results = await Promise.allSettled([
    decideApplication(app.ctx, {
      actor: org.actors.policyDirector,
      id: a.id,
      decision: "approve",
      expected: "pending_policy_director",
    }),
    decideApplication(app.ctx, {
      actor: org.actors.policyDirector,
      id: a.id,
      decision: "approve",
      expected: "pending_policy_director",
    }),
  ]);
  assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
  const refused = results.find((r) => r.status === "rejected");
  assert.ok(
    refused && refused.status === "rejected" && isError(409, "すでに処理されています")(refused.reason),
  );
  const approvals = await listApprovals(app.ctx.db, a.id);
  assert.equal(approvals.filter((x) => x.step === "policy_director").length, 1);
  const entries = await entriesAfter(app.ctx.db, seq, 100);
  assert.equal(entries.filter((e) => e.action === "account.approve.policy_director").length, 1);
});
