import assert from "node:assert/strict";
import { test } from "node:test";
import {
  attachmentProblem,
  incidentTransitionTable,
  incidentTypes,
  isStepOverdue,
  nextIncidentStatus,
  nextStepState,
  openingSteps,
  playbooks,
  reviewProblems,
  sniffAttachmentType,
  statementReminderDue,
  warningState,
} from "./incidents.ts";

test("the status machine: 対応中 ⇄ 監視中, either closes, 終結 is final", () => {
  const table = incidentTransitionTable().map((t) => `${t.from}-${t.step}-${t.to ?? "refused"}`);
  assert.deepEqual(table, [
    "responding-monitor-monitoring",
    "responding-resume-refused",
    "responding-close-closed",
    "monitoring-monitor-refused",
    "monitoring-resume-responding",
    "monitoring-close-closed",
    "closed-monitor-refused",
    "closed-resume-refused",
    "closed-close-refused",
  ]);
});

test("a step is completed once, reopened only when done, and nothing moves on a closed incident", () => {
  assert.equal(nextStepState("open", "complete", "responding"), "done");
  assert.equal(nextStepState("open", "complete", "monitoring"), "done");
  assert.equal(nextStepState("done", "complete", "responding"), null);
  assert.equal(nextStepState("done", "reopen", "responding"), "open");
  assert.equal(nextStepState("open", "reopen", "responding"), null);
  assert.equal(nextStepState("open", "complete", "closed"), null);
  assert.equal(nextStepState("done", "reopen", "closed"), null);
});

test("each type opens its own playbook with due times counted from the report", () => {
  const reportedAt = new Date("2026-11-24T01:00:00Z");
  const keys = Object.fromEntries(
    incidentTypes.map((t) => [t, openingSteps(t, { reportedAt, statementHours: 2 }).map((s) => s.key)]),
  );
  assert.deepEqual(keys.leak, ["manual", "containment", "report_security", "scope", "notify_affected"]);
  assert.deepEqual(keys.flaming, ["stay_calm", "holding_statement", "identify", "correct_apologize"]);
  assert.deepEqual(keys.impersonation, [
    "record_fake",
    "public_warning",
    "takedown",
    "sns_warning",
    "trusted_bodies",
    "takedown_result",
  ]);
  assert.deepEqual(keys.misinformation, ["record_claim", "correct_info", "public_notice"]);
  assert.deepEqual(keys.complaint, ["confirm", "respond", "correct"]);

  const flaming = openingSteps("flaming", { reportedAt, statementHours: 3 });
  const statement = flaming.find((s) => s.key === "holding_statement");
  assert.equal(
    statement?.dueAt.toISOString(),
    "2026-11-24T04:00:00.000Z",
    "the pack's hours, not the playbook's",
  );
  assert.equal(flaming[0]?.dueAt.toISOString(), "2026-11-24T02:00:00.000Z");
  assert.deepEqual(
    flaming.map((s) => s.position),
    [1, 2, 3, 4],
  );
  // Every step cites a clause of 7 (or 5 for complaints, 4.3.3 — the security policy — for a
  // hijacked account's credentials and its report), and 7.3.2 is the trusted-bodies step.
  for (const t of incidentTypes)
    for (const s of playbooks[t])
      assert.match(s.clause, t === "hijack" ? /^(7|4\.3)(\.\d+)*$/ : /^(7|5)(\.\d+)*$/);
  assert.equal(playbooks.impersonation.find((s) => s.key === "trusted_bodies")?.clause, "7.3.2");
  assert.equal(playbooks.leak.find((s) => s.key === "containment")?.deletesPost, true);
});

test("the 炎上 reminder is due after the hours without a statement, and not with one", () => {
  const reportedAt = new Date("2026-11-24T01:00:00Z");
  const flaming = {
    type: "flaming" as const,
    status: "responding" as const,
    reportedAt,
    publicStatementAt: null,
  };
  assert.equal(statementReminderDue(flaming, new Date("2026-11-24T02:59:59Z"), 2), false);
  assert.equal(statementReminderDue(flaming, new Date("2026-11-24T03:00:00Z"), 2), true);
  assert.equal(
    statementReminderDue(
      { ...flaming, publicStatementAt: new Date("2026-11-24T01:30:00Z") },
      new Date("2026-11-24T05:00:00Z"),
      2,
    ),
    false,
  );
  assert.equal(
    statementReminderDue({ ...flaming, status: "closed" }, new Date("2026-11-24T05:00:00Z"), 2),
    false,
  );
  assert.equal(
    statementReminderDue({ ...flaming, type: "leak" }, new Date("2026-11-24T05:00:00Z"), 2),
    false,
  );
});

test("closing needs both parts of the review", () => {
  assert.deepEqual(
    reviewProblems({ whatHappened: " ", whatToChange: "" }).map((p) => p.field),
    ["whatHappened", "whatToChange"],
  );
  assert.deepEqual(
    reviewProblems({ whatHappened: "写真に名簿が写り込んだ", whatToChange: "" }).map((p) => p.field),
    ["whatToChange"],
  );
  assert.deepEqual(reviewProblems({ whatHappened: "a", whatToChange: "b" }), []);
});

test("a step is overdue when open past its due time", () => {
  const now = new Date("2026-11-24T03:00:00Z");
  assert.equal(isStepOverdue({ doneAt: null, dueAt: new Date("2026-11-24T02:00:00Z") }, now), true);
  assert.equal(isStepOverdue({ doneAt: now, dueAt: new Date("2026-11-24T02:00:00Z") }, now), false);
  assert.equal(isStepOverdue({ doneAt: null, dueAt: new Date("2026-11-24T04:00:00Z") }, now), false);
});

test("attachments are PNG, JPEG or PDF by their bytes, and at most 5 MB", () => {
  const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
  const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0]);
  const pdf = new TextEncoder().encode("%PDF-1.7\n");
  const html = new TextEncoder().encode("<html><script>alert(1)</script>");
  const gif = new TextEncoder().encode("GIF89a....");
  assert.equal(sniffAttachmentType(png), "image/png");
  assert.equal(sniffAttachmentType(jpeg), "image/jpeg");
  assert.equal(sniffAttachmentType(pdf), "application/pdf");
  assert.equal(sniffAttachmentType(html), null);
  assert.equal(sniffAttachmentType(gif), null);
  assert.equal(attachmentProblem(png), null);
  assert.match(attachmentProblem(html) ?? "", /PNG・JPEG の画像と PDF だけ/);
  assert.match(attachmentProblem(new Uint8Array()) ?? "", /空です/);
  const big = new Uint8Array(5 * 1024 * 1024 + 1);
  big.set(png);
  assert.match(attachmentProblem(big) ?? "", /5MBまで/);
  const exact = new Uint8Array(5 * 1024 * 1024);
  exact.set(pdf);
  assert.equal(attachmentProblem(exact), null);
  assert.equal(nextIncidentStatus("closed", "close"), null);
});

test("a public warning waits for confirmation, is shown until it ends, then has ended (7.3.1)", () => {
  const now = new Date("2026-11-24T03:00:00Z");
  const at = (iso: string) => new Date(iso);
  assert.equal(warningState({ warningPublishedAt: null, warningEndsAt: null }, now), "pending");
  assert.equal(
    warningState({ warningPublishedAt: at("2026-11-24T02:00:00Z"), warningEndsAt: null }, now),
    "shown",
  );
  assert.equal(
    warningState({ warningPublishedAt: at("2026-11-24T02:00:00Z"), warningEndsAt: now }, now),
    "ended",
    "ends at its end instant",
  );
  assert.equal(
    warningState(
      { warningPublishedAt: at("2026-11-24T02:00:00Z"), warningEndsAt: at("2026-11-24T04:00:00Z") },
      now,
    ),
    "shown",
  );
});
