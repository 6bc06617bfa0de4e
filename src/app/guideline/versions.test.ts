/**
 * Guideline versions (8.1): only the policy director drafts, imports and publishes; the version
 * in force follows the effective date (a post checked before and after it is checked by
 * different rules); a pack exported and imported again is the same pack; an invalid pack file is
 * refused with Japanese messages that say where the problem is.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { AppError } from "../../errors.ts";
import { checkText } from "../check.ts";
import { guidelineInForce } from "./in-force.ts";
import {
  discardGuidelineDraft,
  draftFromCurrent,
  exportGuidelineVersion,
  getGuidelineVersion,
  importGuidelinePack,
  listGuidelineVersions,
  publishGuidelineVersion,
  updateGuidelineDraft,
} from "./versions.ts";

let app: TestApp;
let org: TestOrg;

before(async () => {
  // 2026-06-01 10:00 in Tokyo.
  app = await testApp({ start: "2026-06-01T01:00:00Z" });
  org = await seedOrg(app.ctx);
});
after(() => app.close());

const NEW_WORD = "ぽんこつ職員";
const post = `本日のイベントは${NEW_WORD}が担当します。`;

async function rejects(promise: Promise<unknown>, code: string, pattern?: RegExp): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AppError, `an AppError, not ${String(error)}`);
    assert.equal(error.code, code);
    if (pattern) assert.match(`${error.message} ${error.fields.map((f) => f.message).join(" ")}`, pattern);
    return error;
  }
  assert.fail(`expected ${code}`);
}

test("the shipped guideline is version 1, effective 2016-04-01, and in force when nothing else is", async () => {
  const versions = await listGuidelineVersions(app.ctx, { actor: org.actors.kouhouStaff });
  assert.equal(versions.length, 1);
  assert.equal(versions[0]?.effectiveDate, "2016-04-01");
  assert.equal(versions[0]?.label, "平成28年4月1日改正");
  const inForce = await guidelineInForce(app.ctx);
  assert.equal(inForce.version?.id, versions[0]?.id);
  assert.equal(inForce.pack.deadlines.acknowledgementReminderDays, 14);
  const detail = await getGuidelineVersion(app.ctx, {
    actor: org.actors.kouhouStaff,
    id: versions[0]?.id ?? 0,
  });
  assert.match(detail.clauses["9"] ?? "", /正規の手続きを経ている場合は、処罰の対象とはならない/);
  assert.ok(
    detail.clauseChanges.every((c) => c.kind === "added"),
    "a first version shows the whole text",
  );
});

test("only the policy director drafts, imports and publishes a version", async () => {
  const versions = await listGuidelineVersions(app.ctx, { actor: org.actors.policyDirector });
  const file = await exportGuidelineVersion(app.ctx, {
    actor: org.actors.kouhouStaff,
    id: versions[0]?.id ?? 0,
  });
  for (const actor of [
    org.actors.admin,
    org.actors.securityDirector,
    org.actors.kouhouManager,
    org.actors.desk,
  ]) {
    await rejects(draftFromCurrent(app.ctx, { actor }), "forbidden", /権限がありません/);
    await rejects(importGuidelinePack(app.ctx, { actor, input: file }), "forbidden");
  }
  const draft = await draftFromCurrent(app.ctx, { actor: org.actors.policyDirector });
  for (const actor of [org.actors.admin, org.actors.auditor, org.actors.kouhouManager]) {
    await rejects(
      publishGuidelineVersion(app.ctx, {
        actor,
        id: draft.id,
        input: { effectiveDate: "2026-07-01", summary: "改正" },
      }),
      "forbidden",
    );
    // Others are not even told a draft exists.
    await rejects(getGuidelineVersion(app.ctx, { actor, id: draft.id }), "not_found");
  }
  await discardGuidelineDraft(app.ctx, { actor: org.actors.policyDirector, id: draft.id });
  const after = await listGuidelineVersions(app.ctx, { actor: org.actors.policyDirector });
  assert.equal(after.length, 1, "the discarded draft is gone");
});

test("a post is checked by the version in force on the day: a new word applies from the effective date", async () => {
  const [v1] = await listGuidelineVersions(app.ctx, { actor: org.actors.policyDirector });
  const file = await exportGuidelineVersion(app.ctx, { actor: org.actors.policyDirector, id: v1?.id ?? 0 });
  file.checker.vocabulary.entries.push({
    term: NEW_WORD,
    clause: "5.2.6",
    severity: "error",
    match: "substring",
    final: false,
    compound: false,
    notFollowedBy: [],
    unless: [],
  });
  file.clauses["5.2.6"] = `${file.clauses["5.2.6"]}（職員を揶揄する表現を含む。）`;
  file.label = "令和8年7月1日改正";
  const draft = await importGuidelinePack(app.ctx, { actor: org.actors.policyDirector, input: file });

  const detail = await getGuidelineVersion(app.ctx, { actor: org.actors.policyDirector, id: draft.id });
  const changed = detail.clauseChanges.filter((c) => c.kind !== "same");
  assert.deepEqual(
    changed.map((c) => [c.id, c.kind]),
    [["5.2.6", "changed"]],
  );
  assert.deepEqual(
    changed[0]?.segments.filter((s) => s.kind !== "same").map((s) => [s.kind, s.text]),
    [["added", "（職員を揶揄する表現を含む。）"]],
  );
  assert.ok(
    detail.ruleChanges.some(
      (r) => r.kind === "added" && r.after.startsWith(NEW_WORD) && r.section === "チェッカーの語彙",
    ),
  );

  await rejects(
    publishGuidelineVersion(app.ctx, {
      actor: org.actors.policyDirector,
      id: draft.id,
      input: { effectiveDate: "2026-05-31", summary: "過去の日付" },
    }),
    "validation",
    /今日以降/,
  );
  await publishGuidelineVersion(app.ctx, {
    actor: org.actors.policyDirector,
    id: draft.id,
    input: { effectiveDate: "2026-07-01", summary: "第5-2(6)に職員を揶揄する表現を加えました。" },
  });

  const input = { text: post, platform: "x", kind: "post" };
  const onJune30 = await checkText(app.ctx, { actor: org.actors.kouhouStaff, input });
  assert.ok(
    !onJune30.findings.some((f) => post.slice(f.start, f.end) === NEW_WORD),
    "not yet in force on 30 June",
  );
  assert.equal((await guidelineInForce(app.ctx)).version?.id, v1?.id);

  app.clock.set("2026-06-30T15:00:00Z"); // 1 July 00:00 in Tokyo
  const onJuly1 = await checkText(app.ctx, { actor: org.actors.kouhouStaff, input });
  const hit = onJuly1.findings.find((f) => post.slice(f.start, f.end) === NEW_WORD);
  assert.equal(hit?.clause, "5.2.6", "the new word is an error under 5.2.6 from 1 July");
  assert.equal((await guidelineInForce(app.ctx)).version?.id, draft.id);
  assert.equal(
    (await guidelineInForce(app.ctx, "2026-06-15")).version?.id,
    v1?.id,
    "an earlier day keeps its rules",
  );

  await rejects(
    updateGuidelineDraft(app.ctx, {
      actor: org.actors.policyDirector,
      id: draft.id,
      input: { label: "変更", effectiveDate: "2026-07-01" },
    }),
    "conflict",
    /公開済みの版は変更できません/,
  );
});

test("a pack exported and imported again is the same pack", async () => {
  const versions = await listGuidelineVersions(app.ctx, { actor: org.actors.policyDirector });
  const newest = versions.find((v) => v.status === "published");
  const exported = await exportGuidelineVersion(app.ctx, {
    actor: org.actors.policyDirector,
    id: newest?.id ?? 0,
  });
  const text = JSON.stringify(exported, null, 2);
  const imported = await importGuidelinePack(app.ctx, { actor: org.actors.policyDirector, input: text });
  const again = await exportGuidelineVersion(app.ctx, { actor: org.actors.policyDirector, id: imported.id });
  assert.deepEqual(again, exported);
  const detail = await getGuidelineVersion(app.ctx, { actor: org.actors.policyDirector, id: imported.id });
  assert.equal(detail.clauseChanges.filter((c) => c.kind !== "same").length, 0);
  assert.equal(detail.ruleChangesTotal, 0);
  await discardGuidelineDraft(app.ctx, { actor: org.actors.policyDirector, id: imported.id });
});

test("an invalid pack file is refused in Japanese, naming where the problem is", async () => {
  const [first] = await listGuidelineVersions(app.ctx, { actor: org.actors.policyDirector });
  const good = await exportGuidelineVersion(app.ctx, {
    actor: org.actors.policyDirector,
    id: first?.id ?? 0,
  });
  const actor = org.actors.policyDirector;

  await rejects(
    importGuidelinePack(app.ctx, { actor, input: "{not json" }),
    "validation",
    /JSONとして読めません/,
  );
  await rejects(
    importGuidelinePack(app.ctx, { actor, input: { ...good, format: "something-else" } }),
    "validation",
    /ガイドラインパックのファイルではありません/,
  );
  const badDeadline = structuredClone(good);
  const deadlines: Record<string, unknown> = badDeadline.guideline.deadlines;
  deadlines.rotationDueDays = "三日";
  const error = await rejects(importGuidelinePack(app.ctx, { actor, input: badDeadline }), "validation");
  assert.deepEqual(
    error.fields.map((f) => f.field),
    ["guideline.deadlines.rotationDueDays"],
  );
  assert.match(error.message, /guideline\.deadlines\.rotationDueDays/);
  assert.match(error.message, /[ぁ-んァ-ン一-龯]/, "the message is Japanese");

  const badClause = structuredClone(good);
  badClause.checker.vocabulary.entries.push({
    term: "x",
    clause: "five",
    match: "word",
    final: false,
    compound: false,
    notFollowedBy: [],
    unless: [],
  });
  const clauseError = await rejects(importGuidelinePack(app.ctx, { actor, input: badClause }), "validation");
  assert.ok(clauseError.fields.some((f) => f.field.startsWith("checker.vocabulary.entries.")));
  assert.ok(
    clauseError.fields.every((f) => /[ぁ-んァ-ン一-龯]/.test(f.message)),
    "no English schema messages",
  );

  const missingList = structuredClone(good);
  missingList.checker.vocabulary.sources.push({
    list: "nowhere/missing.txt",
    clause: "5.2.6",
    match: "word",
    unless: [],
    exclude: [],
  });
  await rejects(
    importGuidelinePack(app.ctx, { actor, input: missingList }),
    "validation",
    /単語リストが見つかりません/,
  );

  const versions = await listGuidelineVersions(app.ctx, { actor });
  assert.ok(!versions.some((v) => v.status === "draft"), "nothing was written for a refused file");
});
