/**
 * Consultations (10): anyone asks, the consultation desk sees the question on the dashboard and
 * answers, the answer becomes searchable by all staff (words in the title, question or answer,
 * and tags), the person who asked closes it; an unanswered question stays between them.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { eq } from "drizzle-orm";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { notifications } from "../../db/schema.ts";
import { AppError } from "../../errors.ts";
import { myTasks } from "../tasks.ts";
import {
  answerConsultation,
  askConsultation,
  consultationTags,
  getConsultation,
  searchConsultations,
  setConsultationOpen,
} from "./consultations.ts";

let app: TestApp;
let org: TestOrg;
let askedId = 0;

const isError = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;

before(async () => {
  app = await testApp({ start: "2026-06-01T01:00:00Z" });
  org = await seedOrg(app.ctx);
});
after(() => app.close());

async function notified(staffId: number): Promise<string[]> {
  const rows = await app.ctx.db.select().from(notifications).where(eq(notifications.recipientId, staffId));
  return rows.filter((n) => n.kind === "consultation").map((n) => n.title);
}

async function titles(actor: TestOrg["actors"]["kouhouStaff"], filter: { text?: string; tag?: string } = {}) {
  return (await searchConsultations(app.ctx, { actor, filter })).rows.map((r) => r.title);
}

test("a question goes to the desk's dashboard and stays between the asker and the desk until answered", async () => {
  const row = await askConsultation(app.ctx, {
    actor: org.actors.soumuStaff,
    input: {
      title: "生成AIで作った画像をイベント告知に使ってよいか",
      question: "観光イベントの告知で、生成AIで作成したイメージ画像を使いたいと考えています。",
      tags: "#生成AI、画像 ＡＩ",
    },
  });
  askedId = row.id;
  assert.deepEqual(row.tags, ["生成AI", "画像", "AI"]);
  assert.deepEqual(await notified(org.staff.desk.id), [
    "ガイドラインに定めのない事項の相談が届きました: 生成AIで作った画像をイベント告知に使ってよいか",
  ]);
  const deskTasks = await myTasks(app.ctx, org.actors.desk);
  assert.ok(deskTasks.some((t) => t.kind === "consultation_answer" && t.href === `/consultations/${row.id}`));
  assert.ok(
    !(await myTasks(app.ctx, org.actors.kouhouManager)).some((t) => t.kind === "consultation_answer"),
  );

  await assert.rejects(
    getConsultation(app.ctx, { actor: org.actors.kouhouStaff, id: row.id }),
    isError("not_found"),
  );
  assert.deepEqual(await titles(org.actors.kouhouStaff), [], "not in the knowledge base yet");
  assert.equal((await titles(org.actors.soumuStaff)).length, 1, "the asker sees their own");
  assert.equal(
    (await titles(org.actors.policyDirector)).length,
    1,
    "the policy director sees every question",
  );
});

test("only the desk answers; the answer is then searchable by everyone, by words and by tag", async () => {
  const answer = {
    answer: "使用は差し支えありませんが、生成AIで作成した画像であることを明記してください（第5-1(3)）。",
    tags: ["生成AI", "画像", "著作権"],
  };
  await assert.rejects(
    answerConsultation(app.ctx, { actor: org.actors.kouhouManager, id: askedId, input: answer }),
    isError("forbidden"),
  );
  await answerConsultation(app.ctx, { actor: org.actors.desk, id: askedId, input: answer });
  await askConsultation(app.ctx, {
    actor: org.actors.kouhouStaff,
    input: {
      title: "夜間の緊急告知は誰が投稿するか",
      question: "夜間に気象警報が出た場合について。",
      tags: [],
    },
  });

  const reader = org.actors.soumuManager;
  const subject = "生成AIで作った画像をイベント告知に使ってよいか";
  assert.deepEqual(await titles(reader), [subject], "the unanswered question of someone else is not listed");
  assert.deepEqual(await titles(reader, { text: "イメージ画像" }), [subject], "a word of the question");
  assert.deepEqual(await titles(reader, { text: "明記" }), [subject], "a word of the answer");
  assert.deepEqual(await titles(reader, { text: "著作権" }), [subject], "a tag, as a word");
  assert.deepEqual(await titles(reader, { tag: "画像" }), [subject], "a tag");
  assert.deepEqual(await titles(reader, { tag: "像" }), [], "a tag matches whole");
  assert.deepEqual(await titles(reader, { text: "告知 夜間" }), [], "every word must match");
  assert.deepEqual(await titles(org.actors.desk, { text: "夜間" }), ["夜間の緊急告知は誰が投稿するか"]);
  assert.deepEqual(
    (await consultationTags(app.ctx, { actor: reader })).map((t) => `${t.tag}:${t.n}`).sort(),
    ["生成AI:1", "画像:1", "著作権:1"].sort(),
  );
});

test("the person who asked is told of the answer and closes it; others may not", async () => {
  const tasks = await myTasks(app.ctx, org.actors.soumuStaff);
  assert.ok(tasks.some((t) => t.kind === "consultation_answered" && t.href === `/consultations/${askedId}`));
  assert.deepEqual(await notified(org.staff.soumuStaff.id), [
    "相談に回答がありました: 生成AIで作った画像をイベント告知に使ってよいか",
  ]);
  await assert.rejects(
    setConsultationOpen(app.ctx, { actor: org.actors.kouhouStaff, id: askedId, closed: true }),
    isError("forbidden"),
  );
  await setConsultationOpen(app.ctx, { actor: org.actors.soumuStaff, id: askedId, closed: true });
  const closed = await getConsultation(app.ctx, { actor: org.actors.kouhouStaff, id: askedId });
  assert.equal(closed.consultation.status, "closed");
  assert.equal(closed.can.answer, false);
  assert.ok(!(await myTasks(app.ctx, org.actors.soumuStaff)).some((t) => t.kind === "consultation_answered"));
  await assert.rejects(
    answerConsultation(app.ctx, { actor: org.actors.desk, id: askedId, input: { answer: "追記" } }),
    isError("conflict"),
  );
  await setConsultationOpen(app.ctx, { actor: org.actors.desk, id: askedId, closed: false });
  assert.equal(
    (await getConsultation(app.ctx, { actor: org.actors.desk, id: askedId })).consultation.status,
    "answered",
  );
});
