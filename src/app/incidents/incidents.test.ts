/**
 * Incidents as people use them (7): a report opens the type's playbook and a task for the
 * account manager at once (with one audit entry); who sees an incident; the 炎上 reminder after
 * two hours without a public statement (fixed clock) and none when a statement exists; closing
 * needs the review; containment records the post as deleted through the posts' use case; files;
 * drafts into the posts workflow by operators only; the reporter adds information but does not
 * respond (7): a なりすまし warning they record waits for a responder to publish it (7.3.1).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { seedAccount, seedKouhouAccount } from "../../../test/support/accounts.ts";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { refused } from "../../../test/support/errors.ts";
import { seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { seedPost } from "../../../test/support/posts.ts";
import { entriesAfter, lastEntry } from "../../db/repos/audit.ts";
import { listImpersonations, listSteps } from "../../db/repos/incidents.ts";
import { findPost, updatePost } from "../../db/repos/posts.ts";
import { listTasks } from "../../db/repos/tasks.ts";
import { AppError } from "../../errors.ts";
import { verifyAccount } from "../public/verify.ts";
import { myTasks } from "../tasks.ts";
import { addAttachment, attachmentFile } from "./attachments.ts";
import { draftIncidentPost } from "./drafts.ts";
import { publishWarning } from "./impersonation.ts";
import { publishNotice } from "./notices.ts";
import { incidentDetail, listIncidents, openIncidentsFor } from "./read.ts";
import { runIncidentTimers } from "./reminders.ts";
import { reportIncident } from "./report.ts";
import { acknowledgeIncident, addNote, changeSeverity, closeIncident, recordStatement } from "./respond.ts";
import { assignStep, completeStep } from "./steps.ts";

let app: TestApp;
let org: TestOrg;
let accountId: number;

before(async () => {
  app = await testApp({ start: "2026-11-24T01:00:00Z" });
  org = await seedOrg(app.ctx);
  const account = await seedKouhouAccount(app.ctx, org, { name: "いわき市広報" });
  accountId = account.id;
});
after(() => app.close());

const report = (input: Record<string, unknown>, actor = org.actors.kouhouStaff) =>
  reportIncident(app.ctx, {
    actor,
    input: { title: "テスト", description: "何かが起きました。", accountId, ...input },
  });

test("a report opens the playbook and a task for the account manager at once, in one audited change", async () => {
  const before = (await lastEntry(app.ctx.db))?.seq ?? 0;
  const incident = await report({ type: "leak", title: "写真に名簿が写り込んだ" });
  const entries = await entriesAfter(app.ctx.db, before, 10);
  assert.deepEqual(
    entries.map((e) => e.action),
    ["incident.report"],
  );
  assert.equal(incident.status, "responding");
  assert.equal(incident.severity, "high", "a leak starts as 高");
  assert.equal(incident.managerId, org.staff.kouhouManager.id);
  const steps = await listSteps(app.ctx.db, incident.id);
  assert.deepEqual(
    steps.map((s) => [s.stepKey, s.ownerId]),
    [
      ["manual", org.staff.kouhouManager.id],
      ["containment", org.staff.kouhouManager.id],
      ["report_security", org.staff.kouhouManager.id],
      ["scope", org.staff.kouhouManager.id],
      ["notify_affected", org.staff.kouhouManager.id],
    ],
  );
  assert.equal(steps[0]?.dueAt?.toISOString(), "2026-11-24T02:00:00.000Z");
  const tasks = await myTasks(app.ctx, org.actors.kouhouManager);
  const task = tasks.find((t) => t.kind === "incident_report");
  assert.ok(task, "the report is on the manager's dashboard");
  assert.match(task.title, /写真に名簿が写り込んだ/);
  assert.equal(task.clause, "7");
  const mine = await myTasks(app.ctx, org.actors.kouhouStaff);
  assert.equal(mine.filter((t) => t.kind === "incident_report").length, 0);

  await acknowledgeIncident(app.ctx, { actor: org.actors.kouhouManager, incidentId: incident.id });
  const after = await listTasks(app.ctx.db, { kinds: ["incident_report"], status: "open" });
  assert.equal(
    after.filter((t) => t.assigneeId === org.staff.kouhouManager.id).length,
    0,
    "receiving closes it",
  );
  await assert.rejects(
    acknowledgeIncident(app.ctx, { actor: org.actors.kouhouManager, incidentId: incident.id }),
    refused("conflict", /すでに受け付けられています/),
  );
});

test("each type opens its own steps; なりすまし needs the fake URL and refuses an official one", async () => {
  const keys = async (type: string, extra: Record<string, unknown> = {}) =>
    (await listSteps(app.ctx.db, (await report({ type, ...extra })).id)).map((s) => s.stepKey);
  assert.deepEqual(await keys("flaming"), [
    "stay_calm",
    "holding_statement",
    "identify",
    "correct_apologize",
  ]);
  assert.deepEqual(await keys("misinformation"), ["record_claim", "correct_info", "public_notice"]);
  assert.deepEqual(await keys("complaint"), ["confirm", "respond", "correct"]);
  await assert.rejects(report({ type: "impersonation" }), refused("validation", /なりすましアカウントのURL/));
  const official = await seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    handle: "iwaki_official_x",
  });
  await assert.rejects(
    report({ type: "impersonation", fakeUrl: official.url }),
    refused("validation", /市の公式アカウントです/),
  );
  const incident = await report({ type: "impersonation", fakeUrl: "https://x.com/iwaki_test_fake" });
  const steps = await listSteps(app.ctx.db, incident.id);
  assert.deepEqual(
    steps.map((s) => [s.stepKey, s.doneAt !== null, s.ownerId]),
    [
      ["record_fake", true, org.staff.kouhouStaff.id],
      ["public_warning", false, org.staff.kouhouManager.id],
      ["takedown", false, org.staff.kouhouManager.id],
      ["sns_warning", false, org.staff.kouhouManager.id],
      ["trusted_bodies", false, org.staff.kouhouManager.id],
      ["takedown_result", false, org.staff.kouhouManager.id],
    ],
    "the operator's report records the fake account; publishing the warning waits for the manager",
  );
  const detail = await incidentDetail(app.ctx, { actor: org.actors.kouhouManager, id: incident.id });
  assert.equal(detail.impersonations[0]?.handle, "iwaki_test_fake");
  assert.equal(detail.impersonations[0]?.platform, "x");
  assert.equal(detail.impersonations[0]?.warningState, "pending");
  assert.equal(detail.impersonations[0]?.warningShown, false);
  assert.match(detail.impersonations[0]?.publicWarning ?? "", /@iwaki_test_fake/);
  const impersonationId = detail.impersonations[0]?.id ?? 0;
  await publishWarning(app.ctx, {
    actor: org.actors.kouhouManager,
    incidentId: incident.id,
    impersonationId,
  });
  const published = await incidentDetail(app.ctx, { actor: org.actors.kouhouStaff, id: incident.id });
  assert.equal(published.impersonations[0]?.warningState, "shown");
  assert.equal(published.impersonations[0]?.warningPublishedBy, org.staff.kouhouManager.id);
  assert.ok(published.steps.find((s) => s.stepKey === "public_warning")?.doneAt, "its step is done");
});

test("7: a responder's own report publishes its warning at once; the reporter's waits", async () => {
  for (const [actor, published] of [
    [org.actors.kouhouManager, true],
    [org.actors.policyDirector, true],
    [org.actors.kouhouStaff, false],
    [org.actors.soumuManager, false],
  ] as const) {
    const incident = await report(
      { type: "impersonation", fakeUrl: `https://x.com/iwaki_by_${actor.staffId}` },
      actor,
    );
    const [row] = await listImpersonations(app.ctx.db, incident.id);
    assert.equal(row?.warningPublishedAt !== null, published, `reported by ${actor.name}`);
    assert.equal(row?.warningPublishedBy, published ? actor.staffId : null);
    const answer = await verifyAccount(app.ctx, { url: `https://x.com/iwaki_by_${actor.staffId}` });
    assert.ok(answer.kind === "answer");
    assert.equal(answer.verdict, "not_official");
    assert.equal(answer.knownImpersonation !== null, published, "verify says no more than is confirmed");
  }
});

test("7: reporting does not make one a responder; a step given by a responder does", async () => {
  const incident = await report({ type: "misinformation", title: "担当の確認" });
  const seq = (await lastEntry(app.ctx.db))?.seq ?? 0;
  const asReporter = { actor: org.actors.kouhouStaff, incidentId: incident.id };
  await assert.rejects(
    acknowledgeIncident(app.ctx, asReporter),
    refused("forbidden", /報告を受けたことを記録する権限がありません.*第7/),
  );
  await assert.rejects(
    changeSeverity(app.ctx, { ...asReporter, input: { severity: "low" } }),
    refused("forbidden", /権限がありません.*（第7）/),
  );
  await assert.rejects(
    publishNotice(app.ctx, { ...asReporter, input: { title: "お知らせ", text: "本文" } }),
    refused("forbidden", /第7-4/),
  );
  const denied = (await entriesAfter(app.ctx.db, seq, 10)).filter((e) => e.action === "auth.denied");
  assert.equal(denied.length, 3, "each refusal is audited");
  // The reporter's own step (the false claim) is theirs to complete: they add what they found.
  const steps = await listSteps(app.ctx.db, incident.id);
  const own = steps.find((s) => s.stepKey === "record_claim");
  const other = steps.find((s) => s.stepKey === "correct_info");
  assert.ok(own && other);
  await completeStep(app.ctx, {
    ...asReporter,
    stepId: own.id,
    input: { note: "返信の内容を記録しました。" },
  });
  await assert.rejects(
    completeStep(app.ctx, { ...asReporter, stepId: other.id, input: { note: "" } }),
    refused("forbidden", /第7/),
  );
  // Given a step by the manager, the same person responds.
  await assignStep(app.ctx, {
    actor: org.actors.kouhouManager,
    incidentId: incident.id,
    stepId: other.id,
    input: { ownerId: org.staff.kouhouStaff.id },
  });
  await changeSeverity(app.ctx, { ...asReporter, input: { severity: "low" } });
  assert.equal(
    (await incidentDetail(app.ctx, { actor: org.actors.kouhouStaff, id: incident.id })).can.respond,
    true,
  );
});

test("who sees an incident: those it names, its division and overseers; not another division", async () => {
  const incident = await report({ type: "complaint", title: "見える範囲の確認" });
  for (const actor of [
    org.actors.kouhouStaff,
    org.actors.kouhouManager,
    org.actors.securityDirector,
    org.actors.policyDirector,
    org.actors.auditor,
  ]) {
    const d = await incidentDetail(app.ctx, { actor, id: incident.id });
    assert.equal(d.incident.id, incident.id);
  }
  for (const actor of [org.actors.soumuStaff, org.actors.soumuManager, org.actors.admin, org.actors.desk]) {
    await assert.rejects(
      incidentDetail(app.ctx, { actor, id: incident.id }),
      refused("not_found", /見つかりません/),
    );
    const list = await listIncidents(app.ctx, { actor, filter: { status: "all" } });
    assert.ok(!list.rows.some((r) => r.id === incident.id), "not in their list either");
  }
  const all = await listIncidents(app.ctx, { actor: org.actors.securityDirector, filter: { status: "all" } });
  assert.ok(all.seesAll && all.rows.some((r) => r.id === incident.id));
  // Someone from another division who reports about the account sees their own report.
  const own = await report({ type: "complaint", title: "他課の職員からの報告" }, org.actors.soumuStaff);
  assert.equal(
    (await incidentDetail(app.ctx, { actor: org.actors.soumuStaff, id: own.id })).incident.id,
    own.id,
  );
  const theirs = await openIncidentsFor(app.ctx, { actor: org.actors.soumuStaff });
  assert.deepEqual(
    theirs.rows.map((r) => r.id),
    [own.id],
  );
  // The auditor reads but does not write.
  await assert.rejects(
    addNote(app.ctx, { actor: org.actors.auditor, incidentId: incident.id, input: { note: "監査" } }),
    refused("forbidden", /権限がありません/),
  );
  await assert.rejects(
    completeStep(app.ctx, {
      actor: org.actors.soumuStaff,
      incidentId: own.id,
      stepId: (await listSteps(app.ctx.db, own.id))[0]?.id ?? 0,
      input: { note: "" },
    }),
    refused("forbidden", /権限がありません.*（第7）/),
    "reporting does not make one a responder",
  );
});

test("炎上: a reminder when no public statement within two hours, once; none when one was made", async () => {
  app.clock.set("2026-11-25T00:00:00Z");
  await runIncidentTimers(app.ctx); // the earlier tests' 炎上 reports are long past their time
  const silent = await report({ type: "flaming", title: "返信が殺到" });
  const spoken = await report({ type: "flaming", title: "説明済みの炎上" });
  await recordStatement(app.ctx, {
    actor: org.actors.kouhouManager,
    incidentId: spoken.id,
    input: { note: "確認中である旨をXで発信しました。" },
  });
  const statementTasks = async () =>
    (await listTasks(app.ctx.db, { kinds: ["incident_statement"] })).filter((t) =>
      [silent.id, spoken.id].some((id) => JSON.stringify(t.cause) === JSON.stringify({ incidentId: id })),
    );

  app.clock.set("2026-11-25T01:59:00Z");
  assert.deepEqual(await runIncidentTimers(app.ctx), { statements: 0, reminders: 0 });
  assert.equal((await statementTasks()).length, 0);

  app.clock.set("2026-11-25T02:00:00Z");
  assert.deepEqual(await runIncidentTimers(app.ctx), { statements: 0, reminders: 1 });
  const tasks = await statementTasks();
  assert.equal(tasks.length, 1);
  assert.equal(tasks[0]?.assigneeId, org.staff.kouhouManager.id);
  assert.equal(tasks[0]?.clause, "7.2.3");
  assert.deepEqual(tasks[0]?.cause, { incidentId: silent.id });
  const detail = await incidentDetail(app.ctx, { actor: org.actors.kouhouManager, id: silent.id });
  assert.equal(detail.statement.overdue, true);
  assert.ok(detail.events.some((e) => e.kind === "statement_reminder"));
  const spokenDetail = await incidentDetail(app.ctx, { actor: org.actors.kouhouManager, id: spoken.id });
  assert.equal(spokenDetail.statement.overdue, false);
  assert.equal(
    spokenDetail.steps.find((s) => s.stepKey === "holding_statement")?.doneAt?.toISOString(),
    "2026-11-25T00:00:00.000Z",
  );

  app.clock.set("2026-11-25T03:00:00Z");
  assert.deepEqual(await runIncidentTimers(app.ctx), { statements: 0, reminders: 0 }, "only once");

  // A post drafted from the incident and published is its statement; the reminder closes.
  const { post } = await draftIncidentPost(app.ctx, {
    actor: org.actors.kouhouStaff,
    incidentId: silent.id,
    input: { kind: "holding" },
  });
  assert.equal(post.status, "draft", "it still goes through approval (5.1.4)");
  assert.equal(post.category, "normal");
  assert.match(post.text, /確認でき次第、改めてお知らせします/);
  await updatePost(
    app.ctx.db,
    post.id,
    {
      status: "published",
      publishedAt: new Date("2026-11-25T03:10:00Z"),
      publishedUrl: "https://x.com/a/status/1",
    },
    app.clock.now(),
  );
  assert.deepEqual(await runIncidentTimers(app.ctx), { statements: 1, reminders: 0 });
  const after = await incidentDetail(app.ctx, { actor: org.actors.kouhouManager, id: silent.id });
  assert.equal(after.incident.publicStatementAt?.toISOString(), "2026-11-25T03:10:00.000Z");
  assert.equal(after.statement.overdue, false);
  assert.equal((await statementTasks()).filter((t) => t.status === "open").length, 0);
  assert.deepEqual(await runIncidentTimers(app.ctx), { statements: 0, reminders: 0 });
});

test("only the account's operators draft from an incident, and only the drafts the type offers", async () => {
  const incident = await report({ type: "misinformation", claim: "窓口が閉鎖される" });
  await assert.rejects(
    draftIncidentPost(app.ctx, {
      actor: org.actors.kouhouManager,
      incidentId: incident.id,
      input: { kind: "correction" },
    }),
    refused("forbidden", /運用に携わる職員/),
  );
  await assert.rejects(
    draftIncidentPost(app.ctx, {
      actor: org.actors.kouhouStaff,
      incidentId: incident.id,
      input: { kind: "holding" },
    }),
    refused("validation", /作成できません/),
  );
  const { post } = await draftIncidentPost(app.ctx, {
    actor: org.actors.kouhouStaff,
    incidentId: incident.id,
    input: { kind: "correction" },
  });
  assert.match(post.text, /「窓口が閉鎖される」という情報/);
  const detail = await incidentDetail(app.ctx, { actor: org.actors.kouhouStaff, id: incident.id });
  assert.deepEqual(
    detail.linkedPosts.map((p) => [p.postId, p.draftKind]),
    [[post.id, "correction"]],
  );
});

test("7.1 containment records the post as deleted, with the reason, through the posts' use case", async () => {
  const post = await seedPost(app.ctx, {
    accountId,
    authorId: org.staff.kouhouStaff.id,
    approvedBy: org.staff.kouhouManager.id,
  });
  const incident = await reportIncident(app.ctx, {
    actor: org.actors.kouhouStaff,
    input: { type: "leak", title: "電話番号の写り込み", description: "写真に電話番号", postId: post.id },
  });
  assert.equal(incident.accountId, accountId, "the post's account");
  const containment = (await listSteps(app.ctx.db, incident.id)).find((s) => s.stepKey === "containment");
  assert.ok(containment);
  const complete = (input: Record<string, string>) =>
    completeStep(app.ctx, {
      actor: org.actors.kouhouManager,
      incidentId: incident.id,
      stepId: containment.id,
      input,
    });
  await assert.rejects(complete({ note: "削除しました" }), refused("validation", /削除した理由/));
  await complete({ note: "Xから削除しました", deletionReason: "個人の電話番号が写っていたため" });
  const deleted = await findPost(app.ctx.db, post.id);
  assert.equal(deleted?.status, "deleted");
  assert.equal(deleted?.deletedReason, "個人の電話番号が写っていたため");
  await assert.rejects(complete({ note: "again" }), refused("conflict", /完了しています/));
});

test("closing requires the review; a closed incident takes no more steps", async () => {
  const incident = await report({ type: "complaint", title: "終結の確認" });
  await assert.rejects(
    closeIncident(app.ctx, { actor: org.actors.kouhouManager, incidentId: incident.id, input: {} }),
    (e: unknown) => {
      assert.ok(e instanceof AppError);
      assert.equal(e.code, "validation");
      assert.deepEqual(
        e.fields.map((f) => f.field),
        ["whatHappened", "whatToChange"],
      );
      return true;
    },
  );
  await assert.rejects(
    closeIncident(app.ctx, {
      actor: org.actors.kouhouStaff,
      incidentId: incident.id,
      input: { whatHappened: "a", whatToChange: "b" },
    }),
    refused("forbidden", /終結する権限がありません.*（第7）/),
    "an operator does not close",
  );
  const closed = await closeIncident(app.ctx, {
    actor: org.actors.kouhouManager,
    incidentId: incident.id,
    input: { whatHappened: "写真の掲載に同意がなかった", whatToChange: "掲載前に同意書を確認する" },
  });
  assert.equal(closed.status, "closed");
  assert.equal(closed.reviewWhatToChange, "掲載前に同意書を確認する");
  const open = await listTasks(app.ctx.db, { kinds: ["incident_report"], status: "open" });
  assert.ok(!open.some((t) => JSON.stringify(t.cause) === JSON.stringify({ incidentId: incident.id })));
  const step = (await listSteps(app.ctx.db, incident.id))[0];
  await assert.rejects(
    completeStep(app.ctx, {
      actor: org.actors.kouhouManager,
      incidentId: incident.id,
      stepId: step?.id ?? 0,
      input: {},
    }),
    refused("conflict", /終結しています/),
  );
});

test("files: PNG, JPEG or PDF up to 5 MB, read back only by those who see the incident", async () => {
  const incident = await report({ type: "complaint", title: "添付の確認" });
  const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
  const id = await addAttachment(app.ctx, {
    actor: org.actors.kouhouStaff,
    incidentId: incident.id,
    file: { filename: "../../スクリーンショット.png", bytes: png },
    input: { description: "返信の画面" },
  });
  const file = await attachmentFile(app.ctx, {
    actor: org.actors.securityDirector,
    incidentId: incident.id,
    attachmentId: id,
  });
  assert.equal(file.filename, "スクリーンショット.png");
  assert.equal(file.contentType, "image/png");
  assert.deepEqual([...file.bytes], [...png]);
  await assert.rejects(
    attachmentFile(app.ctx, { actor: org.actors.soumuStaff, incidentId: incident.id, attachmentId: id }),
    refused("not_found", /見つかりません/),
  );
  await assert.rejects(
    addAttachment(app.ctx, {
      actor: org.actors.kouhouStaff,
      incidentId: incident.id,
      file: { filename: "page.png", bytes: new TextEncoder().encode("<html>") },
      input: {},
    }),
    refused("validation", /PNG・JPEG の画像と PDF だけ/),
  );
  const big = new Uint8Array(5 * 1024 * 1024 + 1);
  big.set(png);
  await assert.rejects(
    addAttachment(app.ctx, {
      actor: org.actors.kouhouStaff,
      incidentId: incident.id,
      file: { filename: "big.png", bytes: big },
      input: {},
    }),
    refused("validation", /5MBまで/),
  );
});
