/**
 * Violation records (9): the policy and security directors record them with the staff involved,
 * the clause and whether the act went through the proper procedure (9 ただし書); auditors read
 * them; everyone else is told, in the same words whatever the id, that there is nothing there,
 * and the refusal's audit entry names no record.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { seedAccount } from "../../../test/support/accounts.ts";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { seedPost } from "../../../test/support/posts.ts";
import { entriesAfter, lastEntry } from "../../db/repos/audit.ts";
import { AppError } from "../../errors.ts";
import {
  createViolation,
  getViolation,
  listViolations,
  setViolationStatus,
  updateViolation,
} from "./violations.ts";

let app: TestApp;
let org: TestOrg;
let publishedPostId = 0;
let draftPostId = 0;

before(async () => {
  app = await testApp({ start: "2026-06-01T01:00:00Z" });
  org = await seedOrg(app.ctx);
  const account = await seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    operatorIds: [org.staff.kouhouStaff.id],
  });
  publishedPostId = (await seedPost(app.ctx, { accountId: account.id, authorId: org.staff.kouhouStaff.id }))
    .id;
  draftPostId = (
    await seedPost(app.ctx, { accountId: account.id, authorId: org.staff.kouhouStaff.id, status: "draft" })
  ).id;
});
after(() => app.close());

const record = {
  clause: "5.2.2.1",
  severity: "high",
  circumstances: "イベント参加者の氏名と電話番号を含む写真を投稿した。",
  properProcedure: false,
  violators: "T0006",
  supervisors: ["T0005"],
};

const isError = (code: string, pattern?: RegExp) => (e: unknown) =>
  e instanceof AppError && e.code === code && (!pattern || pattern.test(e.message));

test("the policy director records a violation with the people involved; the auditor reads it", async () => {
  const created = await createViolation(app.ctx, {
    actor: org.actors.policyDirector,
    input: { ...record, postId: publishedPostId },
  });
  const read = await getViolation(app.ctx, { actor: org.actors.auditor, id: created.id });
  assert.deepEqual(
    read.people.map((p) => [p.name, p.role]),
    [
      ["広報 課長", "supervisor"],
      ["広報 主事", "violator"],
    ],
  );
  assert.equal(read.postId, publishedPostId);
  assert.equal(read.properProcedure, false);
  await assert.rejects(
    createViolation(app.ctx, { actor: org.actors.auditor, input: record }),
    isError("forbidden", /監査担当は閲覧のみ/),
  );
  const bySecurity = await createViolation(app.ctx, {
    actor: org.actors.securityDirector,
    input: {
      ...record,
      clause: "5.2.4",
      severity: "low",
      properProcedure: "on",
      circumstances: "情報公開請求を装った要求に対し、情報公開条例の手続きを経て庁舎の案内図を示した。",
    },
  });
  assert.equal(
    (await getViolation(app.ctx, { actor: org.actors.policyDirector, id: bySecurity.id })).properProcedure,
    true,
  );
  const list = await listViolations(app.ctx, {
    actor: org.actors.securityDirector,
    filter: { text: "情報公開" },
  });
  assert.deepEqual(
    list.map((v) => v.id),
    [bySecurity.id],
  );
});

test("the input is checked against the guideline, the staff, the post and the incident", async () => {
  await assert.rejects(
    createViolation(app.ctx, {
      actor: org.actors.policyDirector,
      input: { ...record, clause: "99.1", violators: "T9999", postId: draftPostId, incidentId: 4242 },
    }),
    (e: unknown) =>
      e instanceof AppError &&
      e.code === "validation" &&
      JSON.stringify(e.fields.map((f) => f.field)) ===
        JSON.stringify(["clause", "postId", "incidentId", "violators"]) &&
      e.fields.some((f) => /T9999 の職員が見つかりません/.test(f.message)) &&
      e.fields.some((f) => /下書きの投稿は関連付けられません/.test(f.message)),
  );
  await assert.rejects(
    createViolation(app.ctx, { actor: org.actors.policyDirector, input: { ...record, violators: "" } }),
    isError("validation", /違反した職員の職員番号を入力してください/),
  );
});

test("a closed record is not edited until it is opened again", async () => {
  const created = await createViolation(app.ctx, { actor: org.actors.policyDirector, input: record });
  await setViolationStatus(app.ctx, {
    actor: org.actors.policyDirector,
    id: created.id,
    input: { status: "closed" },
  });
  await assert.rejects(
    updateViolation(app.ctx, {
      actor: org.actors.policyDirector,
      id: created.id,
      input: { ...record, outcome: "戒告" },
    }),
    isError("conflict", /終結した記録は変更できません/),
  );
  await setViolationStatus(app.ctx, {
    actor: org.actors.securityDirector,
    id: created.id,
    input: { status: "open" },
  });
  await updateViolation(app.ctx, {
    actor: org.actors.policyDirector,
    id: created.id,
    input: { ...record, outcome: "戒告" },
  });
  assert.equal((await getViolation(app.ctx, { actor: org.actors.auditor, id: created.id })).outcome, "戒告");
});

test("to everyone else a record and a missing one look the same, and the refusal names no record", async () => {
  const [existing] = await listViolations(app.ctx, { actor: org.actors.auditor });
  assert.ok(existing);
  const lastSeq = (await lastEntry(app.ctx.db))?.seq ?? 0;
  for (const actor of [
    org.actors.admin,
    org.actors.kouhouManager,
    org.actors.kouhouStaff,
    org.actors.desk,
    org.actors.soumuManager,
  ]) {
    const messages: string[] = [];
    for (const id of [existing.id, existing.id + 1000]) {
      await assert.rejects(getViolation(app.ctx, { actor, id }), (e: unknown) => {
        assert.ok(e instanceof AppError);
        assert.equal(e.code, "not_found");
        messages.push(e.message);
        return true;
      });
    }
    assert.equal(messages[0], messages[1], "the same words for a record and for nothing");
    assert.equal(messages[0], "お探しのページが見つかりません。");
    await assert.rejects(listViolations(app.ctx, { actor }), isError("not_found"));
    await assert.rejects(createViolation(app.ctx, { actor, input: record }), isError("not_found"));
    await assert.rejects(
      setViolationStatus(app.ctx, { actor, id: existing.id, input: { status: "closed" } }),
      isError("not_found"),
    );
  }
  const refusals = await entriesAfter(app.ctx.db, lastSeq, 100);
  assert.ok(refusals.length > 0);
  for (const entry of refusals) {
    assert.equal(entry.action, "auth.denied");
    assert.equal(entry.targetType, "violation");
    assert.equal(entry.targetId, null, "no record is named");
    assert.ok(!JSON.stringify(entry.summary).includes(String(existing.id)), "nor in the summary");
  }
});
