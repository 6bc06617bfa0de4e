import assert from "node:assert/strict";
import { test } from "node:test";
import {
  directorReportState,
  hijackNoticeText,
  hijackRecoveryText,
  hijackState,
  hijackTransitionTable,
  nextHijackState,
  recoveryProblems,
} from "./hijack.ts";
import { draftsOf, incidentTypes, openingSteps, playbooks } from "./incidents.ts";

test("the marking goes 公開前 → 表示中 → 回復, and recovery is final", () => {
  assert.deepEqual(hijackTransitionTable(), [
    { from: "pending", action: "publish", to: "shown" },
    { from: "pending", action: "recover", to: "recovered" },
    { from: "shown", action: "publish", to: null },
    { from: "shown", action: "recover", to: "recovered" },
    { from: "recovered", action: "publish", to: null },
    { from: "recovered", action: "recover", to: null },
  ]);
  assert.equal(nextHijackState("recovered", "publish"), null);
});

test("the marking's state is read from its record", () => {
  const at = new Date("2026-11-24T01:00:00Z");
  assert.equal(hijackState({ markingPublishedAt: null, recoveredAt: null }), "pending");
  assert.equal(hijackState({ markingPublishedAt: at, recoveredAt: null }), "shown");
  assert.equal(hijackState({ markingPublishedAt: at, recoveredAt: at }), "recovered");
  assert.equal(hijackState({ markingPublishedAt: null, recoveredAt: at }), "recovered");
});

test("the notice names the Tokyo hour the takeover began, rounded down", () => {
  // 01:37 UTC is 10:37 in Tokyo.
  assert.equal(
    hijackNoticeText(new Date("2026-11-24T01:37:00Z")),
    "11月24日10時以降の投稿は市によるものではありません",
  );
  // 15:05 UTC on the 30th is 00:05 on 1 December in Tokyo.
  assert.equal(
    hijackNoticeText(new Date("2026-11-30T15:05:00Z")),
    "12月1日0時以降の投稿は市によるものではありません",
  );
});

test("recovery needs a password change after the takeover and two-factor on", () => {
  const since = new Date("2026-11-24T01:00:00Z");
  assert.deepEqual(
    recoveryProblems({ compromisedSince: since, passwordChangedAt: null, mfaEnabled: false }).length,
    2,
  );
  const before = recoveryProblems({
    compromisedSince: since,
    passwordChangedAt: new Date("2026-11-23T01:00:00Z"),
    mfaEnabled: true,
  });
  assert.equal(before.length, 1);
  assert.match(before[0]?.message ?? "", /パスワードを変更した記録がありません/);
  const noMfa = recoveryProblems({
    compromisedSince: since,
    passwordChangedAt: new Date("2026-11-24T02:00:00Z"),
    mfaEnabled: false,
  });
  assert.match(noMfa[0]?.message ?? "", /二段階認証が設定されていません/);
  assert.deepEqual(
    recoveryProblems({
      compromisedSince: since,
      passwordChangedAt: new Date("2026-11-24T02:00:00Z"),
      mfaEnabled: true,
    }),
    [],
  );
});

test("the report to the 情報統括管理者 is unsent, sent, then confirmed", () => {
  const at = new Date();
  assert.equal(directorReportState({ directorReportedAt: null, directorConfirmedAt: null }), "unsent");
  assert.equal(directorReportState({ directorReportedAt: at, directorConfirmedAt: null }), "sent");
  assert.equal(directorReportState({ directorReportedAt: at, directorConfirmedAt: at }), "confirmed");
});

test("乗っ取り is an incident type with its own playbook and a warning from other accounts", () => {
  assert.ok(incidentTypes.includes("hijack"));
  assert.deepEqual(
    playbooks.hijack.map((s) => s.key),
    ["recover_login", "report_security", "public_marking", "sns_warning", "credentials", "recovered"],
  );
  assert.deepEqual(draftsOf.hijack, ["hijack_warning"]);
  const reportedAt = new Date("2026-11-24T01:00:00Z");
  const steps = openingSteps("hijack", { reportedAt, statementHours: 2 });
  assert.equal(steps[0]?.dueAt.toISOString(), "2026-11-24T02:00:00.000Z");
  assert.ok(steps.every((s) => s.owner === "manager"));
});

test("the recovery notice names the hours whose posts were not the city's, rounded outwards (Tokyo)", () => {
  assert.equal(
    hijackRecoveryText(new Date("2026-11-24T01:37:00Z"), new Date("2026-11-25T03:05:00Z")),
    "11月24日10時から11月25日13時までの投稿は市によるものではありません",
  );
  assert.equal(
    hijackRecoveryText(new Date("2026-11-24T01:00:00Z"), new Date("2026-11-24T05:00:00Z")),
    "11月24日10時から11月24日14時までの投稿は市によるものではありません",
  );
});
