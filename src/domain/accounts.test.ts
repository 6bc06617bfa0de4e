import assert from "node:assert/strict";
import { test } from "node:test";
import {
  accountStatuses,
  applicationProblems,
  missingPolicyItems,
  nextStatus,
  transitionTable,
} from "./accounts.ts";

/** Every allowed transition, written out; every other (status, step) pair must be refused. */
const allowed: Record<string, string> = {
  "draft submit": "pending_department_head",
  "returned submit": "pending_department_head",
  "pending_department_head approve_department": "pending_policy_director",
  "pending_policy_director approve_policy": "approved",
  "pending_department_head return": "returned",
  "pending_policy_director return": "returned",
  "pending_department_head reject": "rejected",
  "pending_policy_director reject": "rejected",
  "draft edit": "draft",
  "returned edit": "returned",
  "approved register": "approved",
  "active register": "active",
  "approved activate": "active",
  "active announce_change": "change_announced",
  "active announce_closure": "closure_announced",
  "change_announced announce_closure": "closure_announced",
  "change_announced change_effective": "active",
  "closure_announced close": "closed",
  "change_announced cancel_notice": "active",
  "closure_announced cancel_notice": "active",
  "existing_pending confirm_existing": "approved",
  "existing_pending reject_existing": "rejected",
};

test("every transition of the account life is allowed or refused exactly as the guideline's order says", () => {
  const table = transitionTable();
  assert.equal(table.length, accountStatuses.length * 15);
  for (const { from, step, to } of table) {
    assert.equal(to, allowed[`${from} ${step}`] ?? null, `${from} --${step}-->`);
  }
});

test("the policy director cannot approve before the department head, and a closed account stays closed", () => {
  assert.equal(nextStatus("pending_department_head", "approve_policy"), null);
  assert.equal(nextStatus("draft", "approve_department"), null);
  for (const step of [
    "submit",
    "activate",
    "announce_change",
    "announce_closure",
    "cancel_notice",
  ] as const) {
    assert.equal(nextStatus("closed", step), null);
  }
});

const decided = {
  plannedStartOn: "2026-04-01",
  policyDraft: "① 目的: 市政情報の発信 …",
  termsConfirmed: true,
  loginOwner: "広報広聴課の共用メールアドレス（課長が管理）",
  twoFactorPlan: "認証アプリ（課の共用端末）",
  cost: "無料",
};

test("an application names its manager, an operator and a credential holder before it can be submitted (4.1.3, 4.3.1)", () => {
  const problems = applicationProblems({
    platform: "x",
    name: "広報",
    purpose: "市政情報",
    managerId: null,
    operatorIds: [],
    holderIds: [],
    ...decided,
  });
  assert.deepEqual(problems, [
    "アカウント管理者を定めてください（第4-1(3)）。",
    "運用に携わる職員を1人以上定めてください（第4-1(3)）。",
    "ID・パスワードを扱う職員を定めてください（扱う者は必要最小限にします。第4-3(1)）。",
  ]);
  assert.deepEqual(
    applicationProblems({
      platform: "x",
      name: "広報",
      purpose: "市政情報",
      managerId: 1,
      operatorIds: [2],
      holderIds: [2],
      ...decided,
    }),
    [],
  );
});

test("the 起案 asks what the city decides on: start date, policy draft, terms, login owner, two-factor plan, cost", () => {
  const problems = applicationProblems({
    platform: "x",
    name: "広報",
    purpose: "市政情報",
    managerId: 1,
    operatorIds: [2],
    holderIds: [2],
    plannedStartOn: null,
    policyDraft: " ",
    termsConfirmed: false,
    loginOwner: "",
    twoFactorPlan: "",
    cost: "",
  });
  assert.deepEqual(problems, [
    "運用開始の予定日を入力してください。",
    "メディアポリシー（案）を入力してください（第4-2(1)）。",
    "利用するソーシャルメディアの利用規約を確認し、確認したことにチェックしてください。",
    "ログインに使うメールアドレス・電話番号の所有者を入力してください（第4-3(3)）。",
    "二段階認証の設定方法を入力してください（第4-3(3)）。",
    "費用を入力してください（無料の場合は「無料」）。",
  ]);
});

test("a media policy is complete only with every item of 4.2.1 and the reply policy of 4.2.2", () => {
  const complete = {
    purpose: "a",
    platformDescription: "b",
    content: "c",
    staffInCharge: "d",
    frequency: "e",
    timing: "f",
    method: "g",
    commentHandling: "h",
    replyPolicy: "no_reply",
    replyText: "i",
  };
  assert.deepEqual(missingPolicyItems(complete), []);
  assert.deepEqual(missingPolicyItems({ ...complete, replyPolicy: "", frequency: " " }), [
    "frequency",
    "replyPolicy",
  ]);
});
