/**
 * Consultations (10): anyone asks, the consultation desk sees the question on the dashboard and
 * answers, the answer becomes searchable by all staff (words in the title, question or answer,
 * and tags), the person who asked closes it (the desk only after 14 days without a reply, others
 * never); an unanswered question stays between them.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { eq } from "drizzle-orm";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { entriesAfter, lastEntry } from "../../db/repos/audit.ts";
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
const refusedWith = (message: RegExp) => (e: unknown) =>
  e instanceof AppError && e.code === "forbidden" && message.test(e.message);

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
    "ガイドラインに定めのない事項の協議が届きました: 生成AIで作った画像をイベント告知に使ってよいか",
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
    "協議に回答がありました: 生成AIで作った画像をイベント告知に使ってよいか",
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

test("10: the person who asked closes it; the desk only 14 days after its answer without a reply; others never", async () => {
  const start = app.clock.now();
  const ask = (title: string) =>
    askConsultation(app.ctx, {
      actor: org.actors.soumuStaff,
      input: { title, question: "定めのない事項についての協議です。", tags: "" },
    });
  const close = (actor: TestOrg["actors"]["desk"], id: number) =>
    setConsultationOpen(app.ctx, { actor, id, closed: true });
  const deniedSince = async (seq: number) =>
    (await entriesAfter(app.ctx.db, seq, 20)).filter((e) => e.action === "auth.denied").map((e) => e.actorId);

  const row = await ask("ライブ配信のアーカイブを残す期間");
  const seq = (await lastEntry(app.ctx.db))?.seq ?? 0;
  await assert.rejects(close(org.actors.desk, row.id), refusedWith(/回答していない協議/));
  await answerConsultation(app.ctx, {
    actor: org.actors.desk,
    id: row.id,
    input: { answer: "1年を目安にしてください。" },
  });
  await assert.rejects(close(org.actors.desk, row.id), refusedWith(/以降です。.*14日間/));
  for (const actor of [org.actors.kouhouStaff, org.actors.policyDirector, org.actors.admin])
    await assert.rejects(
      close(actor, row.id),
      refusedWith(/解決済みにする権限がありません。.*協議を申し出た職員/),
    );
  assert.deepEqual(await deniedSince(seq), [
    org.staff.desk.id,
    org.staff.desk.id,
    org.staff.kouhouStaff.id,
    org.staff.policyDirector.id,
    org.staff.admin.id,
  ]);
  const page = await getConsultation(app.ctx, { actor: org.actors.desk, id: row.id });
  assert.equal(page.can.close, false);
  assert.equal(
    page.deskMayCloseFrom?.toISOString(),
    new Date(start.getTime() + 14 * 86_400_000).toISOString(),
  );

  app.clock.set(new Date(start.getTime() + 14 * 86_400_000 - 60_000));
  await assert.rejects(close(org.actors.desk, row.id), refusedWith(/以降です/), "a minute early");
  app.clock.set(new Date(start.getTime() + 14 * 86_400_000));
  assert.equal((await getConsultation(app.ctx, { actor: org.actors.desk, id: row.id })).can.close, true);
  assert.equal((await close(org.actors.desk, row.id)).status, "closed");

  // The asker's reply (reopening an answered one) sends it back to the desk and restarts the wait.
  const other = await ask("庁内の掲示物を撮影して投稿してよいか");
  await answerConsultation(app.ctx, {
    actor: org.actors.desk,
    id: other.id,
    input: { answer: "内容によります。" },
  });
  app.clock.advance(20 * 86_400_000);
  const reopened = await setConsultationOpen(app.ctx, {
    actor: org.actors.soumuStaff,
    id: other.id,
    closed: false,
  });
  assert.equal(reopened.status, "open", "回答待ち again");
  await assert.rejects(close(org.actors.desk, other.id), refusedWith(/回答していない協議/));
  await answerConsultation(app.ctx, {
    actor: org.actors.desk,
    id: other.id,
    input: { answer: "個人が写らなければ差し支えありません。" },
  });
  await assert.rejects(close(org.actors.desk, other.id), refusedWith(/以降です/));
  // The person who asked closes at any time.
  assert.equal((await close(org.actors.soumuStaff, other.id)).status, "closed");
  await assert.rejects(
    setConsultationOpen(app.ctx, { actor: org.actors.kouhouStaff, id: other.id, closed: false }),
    refusedWith(/再開する権限がありません/),
  );
});
