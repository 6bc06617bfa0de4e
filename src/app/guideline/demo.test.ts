/**
 * The demo municipality's governance side (`npm run demo`): the guideline revised and about half
 * acknowledged (with reminders due for the rest), a council with members and two past meetings
 * with minutes and its rules, and answered consultations to search.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { findStaffByEmployeeNo } from "../../db/repos/staff.ts";
import { loadActor } from "../actors.ts";
import { searchConsultations } from "../consultations/consultations.ts";
import { systemActor } from "../context.ts";
import { listMeetings } from "../council/meetings.ts";
import { councilRoster } from "../council/roster.ts";
import { listRulesVersions } from "../council/rules.ts";
import { seedDemo } from "../demo.ts";
import { acknowledgementStatus, sendAcknowledgementReminders } from "./acknowledgement.ts";
import { getGuidelineVersion, listGuidelineVersions } from "./versions.ts";

let app: TestApp;

before(async () => {
  app = await testApp({ start: "2026-11-24T01:00:00Z" });
  await seedDemo(app.ctx);
});
after(() => app.close());

async function actor(no: string) {
  const row = await findStaffByEmployeeNo(app.ctx.db, no);
  const a = row ? await loadActor(app.ctx.db, row.id, "session") : undefined;
  if (!a) throw new Error(no);
  return a;
}

test("the guideline was revised and about half of those who must have acknowledged it", async () => {
  const director = await actor("D0001");
  const versions = await listGuidelineVersions(app.ctx, { actor: director });
  assert.deepEqual(
    versions.map((v) => v.effectiveDate),
    ["2026-10-25", "2016-04-01"],
  );
  const status = await acknowledgementStatus(app.ctx, { actor: director });
  assert.ok(status.required >= 20, `${status.required} people must acknowledge`);
  assert.ok(status.percent >= 40 && status.percent <= 60, `${status.percent}% acknowledged`);
  assert.ok(status.departments.length >= 5);
  const reminded = await sendAcknowledgementReminders(app.ctx, systemActor("scheduler"));
  assert.equal(
    reminded,
    status.required - status.acknowledged,
    "the rest are reminded (published 40 days ago)",
  );
});

test("the council has members, a flagged seat or none, two past meetings with minutes, and its rules", async () => {
  const someone = await actor("D0030");
  const roster = await councilRoster(app.ctx, { actor: someone });
  assert.ok(roster.filter((r) => r.state === "ok").length >= 4);
  const meetings = await listMeetings(app.ctx, { actor: someone });
  assert.equal(meetings.length, 2);
  assert.ok(meetings.every((m) => m.minutes.length > 50 && m.heldOn < "2026-11-24"));
  assert.equal(
    meetings.reduce((n, m) => n + m.attachments, 0),
    1,
  );
  assert.equal((await listRulesVersions(app.ctx, { actor: someone })).length, 2);
});

test("answered consultations are there to search; one question waits for the desk", async () => {
  const someone = await actor("D0030");
  const answered = await searchConsultations(app.ctx, { actor: someone, filter: {} });
  assert.equal(answered.total, 4);
  const byTag = await searchConsultations(app.ctx, { actor: someone, filter: { tag: "生成AI" } });
  assert.equal(byTag.total, 1);
  const desk = await actor("D0011");
  const all = await searchConsultations(app.ctx, { actor: desk, filter: { status: "open" } });
  assert.equal(all.total, 1);
});

test("the demo invents no official-looking text: revision, council rules, minutes and answers say サンプル in title and body", async () => {
  const director = await actor("D0001");
  const [revision, shipped] = await listGuidelineVersions(app.ctx, { actor: director });
  assert.ok(revision && shipped);
  assert.match(revision.label, /^【サンプル】/);
  assert.doesNotMatch(shipped.label, /サンプル/, "the shipped guideline is the real one");
  const detail = await getGuidelineVersion(app.ctx, { actor: director, id: revision.id });
  assert.match(detail.version.summary, /サンプル/);
  const changed = detail.clauseChanges.filter((c) => c.kind !== "same");
  assert.ok(changed.length >= 3);
  for (const c of changed) {
    const added = c.segments
      .filter((x) => x.kind === "added")
      .map((x) => x.text)
      .join("");
    assert.match(added, /【サンプル】/, `the changed wording of ${c.id} is marked as a sample`);
  }

  const someone = await actor("D0030");
  for (const rules of await listRulesVersions(app.ctx, { actor: someone })) {
    const [title, note] = rules.text.split("\n");
    assert.match(title ?? "", /^【サンプル】/);
    assert.match(note ?? "", /サンプル/);
    assert.match(rules.changeSummary, /サンプル/);
  }
  for (const m of await listMeetings(app.ctx, { actor: someone })) {
    assert.match(m.title, /^【サンプル】/);
    assert.match(m.minutes, /^※これはデモ用のサンプルです/);
    assert.match(m.agenda, /^※これはデモ用のサンプルです/);
  }
  const consultations = await searchConsultations(app.ctx, { actor: systemActor("test"), filter: {} });
  assert.ok(consultations.rows.length >= 5);
  for (const c of consultations.rows) {
    assert.match(c.title, /^【サンプル】/);
    assert.match(c.question, /^※これはデモ用のサンプルです/);
    if (c.answer) assert.match(c.answer, /^※これはデモ用のサンプルです/);
  }
});
