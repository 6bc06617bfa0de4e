import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { seedOrg, standIn, type TestOrg } from "../../../test/support/org.ts";
import { findAccount, listApprovals, listEvents } from "../../db/repos/accounts.ts";
import { entriesAfter } from "../../db/repos/audit.ts";
import { listFilings } from "../../db/repos/filings.ts";
import { listNotifications } from "../../db/repos/notifications.ts";
import { listTasks } from "../../db/repos/tasks.ts";
import { toAcquisitionContent } from "../../domain/filings.ts";
import { AppError } from "../../errors.ts";
import { loadActor } from "../actors.ts";
import { answerFiling } from "../filings/answer.ts";
import { questionFiling } from "../filings/decide.ts";
import {
  confirmSecurityNotice,
  decideApplication,
  draftApplication,
  submitApplication,
  updateApplication,
} from "./application.ts";
import { getAccount, searchAccounts } from "./read.ts";
import { registerAccount } from "./registration.ts";

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
    plannedStartOn: "2026-12-01",
    policyDraft: "① 目的: 市政情報の発信（テスト）",
    termsConfirmed: true,
    loginOwner: "広報広聴課の共用メールアドレス（課長が管理）",
    twoFactorPlan: "認証アプリ（課の共用端末）",
    cost: "無料",
    consultedDivisions: "広報広聴課、情報政策課",
    ...over,
  };
}

/** Drafted, submitted and approved at both steps. */
async function approved(over: Record<string, unknown> = {}) {
  const a = await draftApplication(app.ctx, { actor: org.actors.kouhouStaff, input: input(over) });
  await submitApplication(app.ctx, { actor: org.actors.kouhouStaff, id: a.id });
  for (const expected of ["pending_department_head", "pending_policy_director"] as const) {
    await decideApplication(app.ctx, {
      actor: org.actors.policyDirector,
      id: a.id,
      decision: "approve",
      expected,
    });
  }
  return a;
}

const registration = (over: Record<string, unknown> = {}) => ({
  url: `https://x.com/iwaki_reg${Math.floor(Math.random() * 1e6)}`,
  platformCreatedOn: "2026-11-20",
  mfaEnabled: true,
  loginEmail: "koho-sns@city.example.lg.jp",
  loginOwner: "広報広聴課の共用メールアドレス（課長が管理）",
  twoFactorPlan: "認証アプリ（課の共用端末）",
  ...over,
});

const status = (id: number) => findAccount(app.ctx.db, id).then((a) => a?.status);
const isError = (code: number, text?: string) => (e: unknown) =>
  e instanceof AppError && e.status === code && (text === undefined || e.message.includes(text));

test("an application goes to the department head, then the policy director; the 届出 waits for the acquisition (4.1.2)", async () => {
  const a = await draftApplication(app.ctx, { actor: org.actors.kouhouStaff, input: input() });
  assert.equal(a.status, "draft");
  assert.equal(a.managerId, org.staff.kouhouManager.id, "the division head is the account manager (4.1.4)");
  assert.equal(a.policyDraft, "① 目的: 市政情報の発信（テスト）", "the 起案 keeps what the city decides on");
  assert.equal(a.consultedDivisions, "広報広聴課、情報政策課");
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
  const approvedView = await getAccount(app.ctx, { actor: org.actors.kouhouStaff, id: a.id });
  assert.equal(approvedView.status, "approved");
  assert.equal(approvedView.securityNotifiedAt, null, "nothing to notify before the account exists (取得後)");
  assert.deepEqual(await listTasks(app.ctx.db, { accountId: a.id, status: "open" }), []);
  await assert.rejects(
    confirmSecurityNotice(app.ctx, { actor: org.actors.securityDirector, id: a.id }),
    isError(409, "まだ届出されていません"),
    "the security director cannot confirm a notice without a URL",
  );
  const events = (await listEvents(app.ctx.db, a.id)).map((e) => e.kind);
  assert.deepEqual(events, ["drafted", "submitted", "approved_department_head", "approved_policy_director"]);
});

test("the 届出 goes to the security director when the account is registered, with what a security director needs (4.1.2 取得後)", async () => {
  const a = await approved({ name: "届出テスト" });
  await assert.rejects(
    registerAccount(app.ctx, {
      actor: org.actors.kouhouManager,
      id: a.id,
      input: registration({ loginEmail: "", loginOwner: "" }),
    }),
    isError(422, "ログインに使うメールアドレスまたは電話番号"),
    "a 届出 without the login e-mail/phone is not sent",
  );
  const reg = registration({ loginPhone: "0246-22-1111" });
  await registerAccount(app.ctx, { actor: org.actors.kouhouManager, id: a.id, input: reg });
  const account = await findAccount(app.ctx.db, a.id);
  assert.ok(account?.securityNotifiedAt, "届出未確認 from now on");
  const [filing] = await listFilings(app.ctx.db, { accountId: a.id });
  assert.equal(filing?.kind, "acquisition");
  assert.equal(filing?.sentBy, org.staff.kouhouManager.id);
  const content = toAcquisitionContent(filing?.content);
  assert.equal(content.url, account?.url);
  assert.equal(content.handle, account?.handle);
  assert.equal(content.platformCreatedOn, "2026-11-20");
  assert.equal(content.loginEmail, "koho-sns@city.example.lg.jp");
  assert.equal(content.loginPhone, "0246-22-1111");
  assert.equal(content.loginOwner, "広報広聴課の共用メールアドレス（課長が管理）");
  assert.deepEqual(
    content.holders.map((h) => h.staffId),
    [org.staff.kouhouStaff.id],
  );
  assert.equal(content.mfaEnabled, true);
  const tasks = await listTasks(app.ctx.db, { accountId: a.id, status: "open" });
  assert.deepEqual(
    tasks.map((t) => [t.kind, t.assigneeId]),
    [["filing_confirm", org.staff.securityDirector.id]],
  );
  const { items } = await listNotifications(app.ctx.db, org.staff.securityDirector.id, {
    unreadOnly: true,
    limit: 20,
    offset: 0,
  });
  assert.ok(items.some((n) => n.kind === "filing" && n.href === `/filings/${filing?.id}`));

  // The director asks; the manager's task shows the question; correcting alone sends nothing.
  if (!filing) throw new Error("no filing");
  await assert.rejects(
    questionFiling(app.ctx, {
      actor: org.actors.kouhouManager,
      filingId: filing.id,
      input: { question: "?" },
    }),
    isError(403),
  );
  await questionFiling(app.ctx, {
    actor: org.actors.securityDirector,
    filingId: filing.id,
    input: { question: "電話番号は課の業務用携帯ですか。" },
  });
  const [answerTask] = await listTasks(app.ctx.db, {
    accountId: a.id,
    kinds: ["filing_answer"],
    status: "open",
  });
  assert.equal(answerTask?.assigneeId, org.staff.kouhouManager.id);
  assert.match(JSON.stringify(answerTask?.cause), /業務用携帯/);
  await registerAccount(app.ctx, {
    actor: org.actors.kouhouManager,
    id: a.id,
    input: { ...reg, loginPhone: "090-0000-0000", loginOwner: "広報広聴課（業務用携帯電話、課長が管理）" },
  });
  assert.equal((await listFilings(app.ctx.db, { accountId: a.id })).length, 1, "no round while questioned");
  const second = await answerFiling(app.ctx, {
    actor: org.actors.kouhouManager,
    filingId: filing.id,
    input: { message: "課の業務用携帯電話に変更しました。" },
  });
  assert.equal(second.round, 2);
  assert.equal(toAcquisitionContent(second.content).loginPhone, "090-0000-0000", "sent as corrected");
  await confirmSecurityNotice(app.ctx, { actor: org.actors.securityDirector, id: a.id });
  const confirmed = await findAccount(app.ctx.db, a.id);
  assert.ok(confirmed?.securityConfirmedAt);
  assert.equal(confirmed?.securityConfirmedBy, org.staff.securityDirector.id);
  assert.equal((await listTasks(app.ctx.db, { accountId: a.id, status: "open" })).length, 0);
  const events = (await listEvents(app.ctx.db, a.id)).map((e) => e.kind);
  assert.deepEqual(events.slice(4), [
    "registered",
    "security_filed",
    "filing_questioned",
    "registered",
    "security_refiled",
    "security_confirmed",
  ]);

  // What the director was told changes later: the 届出 is sent again.
  await registerAccount(app.ctx, {
    actor: org.actors.kouhouManager,
    id: a.id,
    input: {
      ...reg,
      loginPhone: "090-0000-0000",
      loginOwner: "広報広聴課（業務用携帯電話、課長が管理）",
      mfaEnabled: false,
    },
  });
  const rounds = await listFilings(app.ctx.db, { accountId: a.id });
  assert.equal(rounds[0]?.round, 3);
  assert.equal((await findAccount(app.ctx.db, a.id))?.securityConfirmedAt, null, "届出未確認 again");
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
