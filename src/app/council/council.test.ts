/**
 * The council (6): the roster seats the divisions (課等) holding or applying for accounts by their
 * 課等の長 and flags one where nobody sits; the 課等の長 or the 部長 names someone to sit instead
 * (not for another division); members and the policy director record meetings with checked attachments; the rules are
 * a versioned document with a diff.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { eq } from "drizzle-orm";
import { seedAccount } from "../../../test/support/accounts.ts";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { insertDivision } from "../../db/repos/org.ts";
import { updateStaff } from "../../db/repos/staff.ts";
import { notifications } from "../../db/schema.ts";
import { AppError } from "../../errors.ts";
import { myTasks } from "../tasks.ts";
import { attachToMeeting, createMeeting, downloadAttachment, getMeeting, updateMeeting } from "./meetings.ts";
import { councilRoster, designateMember, removeMember } from "./roster.ts";
import { adoptRules, getRulesVersion, listRulesVersions } from "./rules.ts";

let app: TestApp;
let org: TestOrg;

const isError = (code: string, pattern?: RegExp) => (e: unknown) =>
  e instanceof AppError && e.code === code && (!pattern || pattern.test(e.message));

let joho = 0;

before(async () => {
  app = await testApp({ start: "2026-06-01T01:00:00Z" });
  org = await seedOrg(app.ctx);
  // 広報広聴課 holds an account; 総務課 only applied for one; a rejected application counts for
  // nothing; 情報政策課 applies for one and has no 課長 (the post is vacant).
  await seedAccount(app.ctx, { divisionId: org.divisions.kouhou.id, managerId: org.staff.kouhouManager.id });
  await seedAccount(app.ctx, {
    divisionId: org.divisions.soumuka.id,
    managerId: org.staff.soumuManager.id,
    status: "pending_department_head",
  });
  await seedAccount(app.ctx, {
    divisionId: org.divisions.furusato.id,
    managerId: org.staff.desk.id,
    status: "rejected",
  });
  joho = (
    await insertDivision(app.ctx.db, {
      departmentId: org.departments.seisaku.id,
      code: "zjoho",
      name: "情報政策課",
      kana: "じょうほうせいさくか",
    })
  ).id;
  await seedAccount(app.ctx, {
    divisionId: joho,
    managerId: org.staff.policyDirector.id,
    status: "pending_department_head",
  });
});
after(() => app.close());

async function seats() {
  const roster = await councilRoster(app.ctx, { actor: org.actors.kouhouStaff });
  return roster.map((r) => [r.divisionName, r.accounts, r.seated?.name ?? null, r.source, r.state]);
}

test("6.2 seats each division that holds or applies for an account, by its 課等の長; a vacant one is flagged", async () => {
  assert.deepEqual(await seats(), [
    ["広報広聴課", 1, "広報 課長", "head", "ok"],
    ["情報政策課", 1, null, null, "missing"],
    ["総務課", 1, "総務 課長", "head", "ok"],
  ]);
  // ふるさと発信課 (only a rejected application) does not sit.
  const tasks = await myTasks(app.ctx, org.actors.policyDirector);
  assert.ok(
    tasks.some(
      (t) =>
        t.kind === "council_designation" && t.title.includes("総合政策部 情報政策課") && t.clause === "6.2",
    ),
    "the 部長 above the vacant division is asked",
  );
  assert.ok(
    !(await myTasks(app.ctx, org.actors.securityDirector)).some((t) => t.kind === "council_designation"),
  );
  // The 課等の長 who sits by default may record meetings (council member).
  assert.equal(
    (await councilRoster(app.ctx, { actor: org.actors.kouhouManager })).find(
      (r) => r.divisionId === org.divisions.kouhou.id,
    )?.canDesignate,
    true,
  );
});

test("the 課等の長 or the 部長 names who sits instead; not for another division; an admin may for any", async () => {
  await assert.rejects(
    designateMember(app.ctx, {
      actor: org.actors.policyDirector,
      divisionId: org.divisions.soumuka.id,
      input: { staffId: org.staff.soumuStaff.id },
    }),
    isError("forbidden"),
  );
  await assert.rejects(
    designateMember(app.ctx, {
      actor: org.actors.kouhouManager,
      divisionId: org.divisions.kouhou.id,
      input: { staffId: org.staff.desk.id },
    }),
    isError("validation", /広報広聴課の職員を選んでください/),
  );
  await designateMember(app.ctx, {
    actor: org.actors.kouhouManager,
    divisionId: org.divisions.kouhou.id,
    input: { staffId: org.staff.kouhouStaff.id },
  });
  await designateMember(app.ctx, {
    actor: org.actors.admin,
    divisionId: org.divisions.soumuka.id,
    input: { staffId: org.staff.soumuStaff.id },
  });
  // The vacant division: its 部長 moves a member of staff there and names them.
  await updateStaff(app.ctx.db, org.staff.desk.id, { divisionId: joho }, app.ctx.clock.now());
  await designateMember(app.ctx, {
    actor: org.actors.policyDirector,
    divisionId: joho,
    input: { staffId: org.staff.desk.id },
  });
  assert.deepEqual(await seats(), [
    ["広報広聴課", 1, "広報 主事", "designated", "ok"],
    ["情報政策課", 1, "発信 課長", "designated", "ok"],
    ["総務課", 1, "総務 主事", "designated", "ok"],
  ]);
  assert.ok(
    !(await myTasks(app.ctx, org.actors.policyDirector)).some((t) => t.kind === "council_designation"),
  );

  // The person named moves to another division: the seat is flagged again.
  await updateStaff(
    app.ctx.db,
    org.staff.soumuStaff.id,
    { departmentId: org.departments.seisaku.id, divisionId: org.divisions.furusato.id },
    app.ctx.clock.now(),
  );
  assert.deepEqual((await seats())[2], ["総務課", 1, null, null, "stale"]);
  assert.ok(
    (await myTasks(app.ctx, org.actors.soumuManager)).some(
      (t) => t.kind === "council_designation" && t.title.includes("後任を指名してください（総務部 総務課）"),
    ),
    "the 課等の長 is asked to name a successor",
  );
  // Removing the naming seats the 課等の長 again.
  await removeMember(app.ctx, { actor: org.actors.soumuManager, divisionId: org.divisions.soumuka.id });
  assert.deepEqual((await seats())[2], ["総務課", 1, "総務 課長", "head", "ok"]);
});

test("members and the policy director record meetings; others read them", async () => {
  const input = {
    heldOn: "2026-05-20",
    title: "第1回 ソーシャルメディア等活用連絡協議会",
    agenda: "運用状況の報告",
    minutes: "",
  };
  await assert.rejects(
    createMeeting(app.ctx, { actor: org.actors.securityDirector, input }),
    isError("forbidden"),
  );
  const meeting = await createMeeting(app.ctx, { actor: org.actors.kouhouStaff, input });
  const told = await app.ctx.db.select().from(notifications).where(eq(notifications.kind, "council"));
  assert.deepEqual(
    told.map((n) => n.recipientId).sort(),
    [org.staff.desk.id, org.staff.soumuManager.id].sort(),
    "the other divisions' seats (named person or 課等の長) are told; not the one who recorded it",
  );
  await updateMeeting(app.ctx, {
    actor: org.actors.policyDirector,
    id: meeting.id,
    input: { ...input, minutes: "各部署から運用状況を報告した。" },
  });
  const read = await getMeeting(app.ctx, { actor: org.actors.soumuManager, id: meeting.id });
  assert.equal(read.meeting.minutes, "各部署から運用状況を報告した。");
  await assert.rejects(
    createMeeting(app.ctx, { actor: org.actors.policyDirector, input: { ...input, heldOn: "2026-02-30" } }),
    isError("validation", /開催日に存在しない日付/),
  );
});

test("attachments: PDF, Office and images up to 10 MB whose first bytes match; others refused", async () => {
  const meeting = await createMeeting(app.ctx, {
    actor: org.actors.policyDirector,
    input: { heldOn: "2026-05-27", title: "第2回", agenda: "", minutes: "" },
  });
  const pdf = new TextEncoder().encode("%PDF-1.7\n%…\n");
  const stored = await attachToMeeting(app.ctx, {
    actor: org.actors.kouhouStaff,
    meetingId: meeting.id,
    filename: "次第.pdf",
    bytes: pdf,
  });
  assert.equal(stored.contentType, "application/pdf");
  const back = await downloadAttachment(app.ctx, {
    actor: org.actors.soumuManager,
    meetingId: meeting.id,
    attachmentId: stored.id,
  });
  assert.deepEqual([...back.bytes], [...pdf]);

  const exe = new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03]);
  await assert.rejects(
    attachToMeeting(app.ctx, {
      actor: org.actors.kouhouStaff,
      meetingId: meeting.id,
      filename: "資料.pdf",
      bytes: exe,
    }),
    isError("validation", /中身がPDFのファイルではありません/),
  );
  await assert.rejects(
    attachToMeeting(app.ctx, {
      actor: org.actors.kouhouStaff,
      meetingId: meeting.id,
      filename: "tool.exe",
      bytes: exe,
    }),
    isError("validation", /添付できるのはPDF/),
  );
  const big = new Uint8Array(10 * 1024 * 1024 + 1);
  big.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  await assert.rejects(
    attachToMeeting(app.ctx, {
      actor: org.actors.kouhouStaff,
      meetingId: meeting.id,
      filename: "写真.png",
      bytes: big,
    }),
    isError("validation", /10MBを超えています/),
  );
  const docx = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]);
  const word = await attachToMeeting(app.ctx, {
    actor: org.actors.policyDirector,
    meetingId: meeting.id,
    filename: "議事録.docx",
    bytes: docx,
  });
  assert.match(word.contentType, /wordprocessingml/);
  assert.equal(
    (await getMeeting(app.ctx, { actor: org.actors.auditor, id: meeting.id })).attachments.length,
    2,
  );
});

test("the rules are versioned: every version readable with what changed; only the policy director adopts", async () => {
  const v1 = "第1条　本会は協議会と称する。\n第5条　会議は年2回開催する。";
  const v2 = "第1条　本会は協議会と称する。\n第5条　会議は年2回以上開催する。";
  await assert.rejects(
    adoptRules(app.ctx, { actor: org.actors.kouhouStaff, input: { text: v1, adoptedOn: "2014-07-01" } }),
    isError("forbidden"),
  );
  await adoptRules(app.ctx, {
    actor: org.actors.policyDirector,
    input: { text: v1, adoptedOn: "2014-07-01" },
  });
  await assert.rejects(
    adoptRules(app.ctx, { actor: org.actors.policyDirector, input: { text: v1, adoptedOn: "2016-04-01" } }),
    isError("conflict", /現行の版と同じ/),
  );
  await adoptRules(app.ctx, {
    actor: org.actors.policyDirector,
    input: { text: v2, adoptedOn: "2016-04-01", changeSummary: "会議の回数" },
  });
  const versions = await listRulesVersions(app.ctx, { actor: org.actors.soumuStaff });
  assert.deepEqual(
    versions.map((v) => [v.version, v.adoptedOn]),
    [
      [2, "2016-04-01"],
      [1, "2014-07-01"],
    ],
  );
  const second = await getRulesVersion(app.ctx, { actor: org.actors.soumuStaff, version: 2 });
  assert.equal(second.previous, 1);
  assert.deepEqual(
    second.segments.filter((s) => s.kind !== "same"),
    [{ kind: "added", text: "以上" }],
  );
  const first = await getRulesVersion(app.ctx, { actor: org.actors.soumuStaff, version: 1 });
  assert.equal(first.rules.text, v1);
  assert.equal(first.previous, null);
});
