import assert from "node:assert/strict";
import { test } from "node:test";
import { missingPolicyItems, type PolicyContent } from "./accounts.ts";
import { changedFields, policyDiff, sentencePieces } from "./policy-diff.ts";

const base: PolicyContent = {
  purpose: "市政情報を迅速にお届けするため。",
  platformDescription: "X（旧Twitter）",
  content: "イベント、お知らせ、災害情報",
  staffInCharge: "広報広聴課の職員",
  frequency: "週1回以上",
  timing: "開庁日の日中",
  method: "アカウント管理者の許可を得て投稿します。",
  commentHandling: "個別の返信は行いません。",
  replyPolicy: "no_reply",
  replyText: "原則として返信しません。",
};

test("an unchanged policy has no changed items, and every item is listed in order", () => {
  const diff = policyDiff(base, { ...base });
  assert.equal(diff.length, 10);
  assert.equal(diff[0]?.label, "① 情報発信を行う目的");
  assert.deepEqual(changedFields(base, { ...base }), []);
  assert.deepEqual(diff[0]?.segments, [{ kind: "same", text: base.purpose }]);
});

test("a changed item shows the sentence removed and the sentence added, the rest as it was", () => {
  const newer = {
    ...base,
    method: "アカウント管理者の許可を得て投稿します。災害時は事後報告とします。",
    frequency: "毎日",
  };
  const changes = changedFields(base, newer);
  assert.deepEqual(
    changes.map((c) => c.field),
    ["frequency", "method"],
  );
  const method = changes.find((c) => c.field === "method");
  assert.deepEqual(method?.segments, [
    { kind: "same", text: "アカウント管理者の許可を得て投稿します。" },
    { kind: "added", text: "災害時は事後報告とします。" },
  ]);
  const frequency = changes.find((c) => c.field === "frequency");
  assert.deepEqual(frequency?.segments, [
    { kind: "removed", text: "週1回以上" },
    { kind: "added", text: "毎日" },
  ]);
});

test("the reply policy is compared and shown by its label (4.2.2)", () => {
  const [reply] = changedFields(base, { ...base, replyPolicy: "case_by_case" });
  assert.equal(reply?.field, "replyPolicy");
  assert.equal(reply?.before, "返信しない");
  assert.equal(reply?.after, "個別に判断する");
});

test("the first version counts every filled item as added", () => {
  const changes = changedFields(undefined, base);
  assert.equal(changes.length, 10);
  assert.ok(changes.every((c) => c.segments.every((s) => s.kind === "added")));
});

test("sentence pieces join back to the original text exactly", () => {
  for (const text of ["", "一文。二文！三文\n四文", "改行だけ\n\n", "終わりに句点なし", "Hello! OK?"]) {
    assert.equal(sentencePieces(text).join(""), text);
  }
});

test("completeness: every empty required item is named, and an unknown reply policy counts as empty", () => {
  assert.deepEqual(missingPolicyItems(base), []);
  assert.deepEqual(missingPolicyItems({ ...base, purpose: "  ", timing: "" }), ["purpose", "timing"]);
  assert.deepEqual(missingPolicyItems({ ...base, replyPolicy: "" }), ["replyPolicy"]);
  assert.deepEqual(missingPolicyItems({ ...base, replyPolicy: "maybe" }), ["replyPolicy"]);
});
