/**
 * What the 内容 column of the audit log says: the recorded details as sentences a person reads,
 * with Japanese status words and Japan time, and nothing for what it does not know.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { auditTargetText, auditValueText, describeAuditEntry } from "./audit-summary.ts";

test("a post decision reads as one sentence with its version and comment", () => {
  assert.deepEqual(
    describeAuditEntry({
      action: "post.approve",
      targetType: "post",
      summary: {
        version: 2,
        rule: "manager",
        status: { before: "pending", after: "approved" },
        findings: [],
      },
    }),
    ["版2を承認（コメントなし）", "状態: 承認待ち → 承認済", "指摘なし"],
  );
  assert.deepEqual(
    describeAuditEntry({
      action: "post.return",
      targetType: "post",
      summary: { version: 1, rule: "deputy", comment: "日付を直してください。" },
    }),
    ["版1を差戻し（コメント: 日付を直してください。）", "許可の根拠: 不在時の代理者"],
  );
});

test("changes, findings and times read as words; unknown keys are left to the JSON", () => {
  assert.deepEqual(
    describeAuditEntry({
      action: "staff.update",
      targetType: "staff",
      summary: { changes: { name: { before: "広報 太郎", after: "広報 次郎" } }, internalId: 7 },
    }),
    ["名称: 広報 太郎 → 広報 次郎"],
  );
  assert.deepEqual(
    describeAuditEntry({
      action: "post.submit",
      targetType: "post",
      summary: {
        version: 3,
        status: { before: "draft", after: "pending" },
        findings: [{ severity: "error" }, { severity: "warning" }, { severity: "warning" }],
        justification: "法令の名称のため",
      },
    }),
    [
      "版3の承認を申請",
      "状態: 下書き → 承認待ち",
      "指摘: 要修正1件、注意2件",
      "エラーの指摘があるまま進める理由: 法令の名称のため",
    ],
  );
  assert.deepEqual(
    describeAuditEntry({
      action: "account.submit",
      targetType: "account",
      summary: { from: "draft", to: "pending_department_head" },
    }),
    ["状態: 起案中 → 申請中（部等の長（情報管理者）の許可待ち）"],
  );
  assert.deepEqual(
    describeAuditEntry({
      action: "staff.create",
      targetType: "staff",
      summary: { after: { name: "新人 一郎", kana: "", employeeNo: "S1234", divisionId: 4, active: true } },
    }),
    ["名称: 新人 一郎、職員番号: S1234、在職・有効: はい"],
  );
  assert.equal(auditValueText("2026-11-24T01:30:00.000Z"), "令和8年（2026年）11月24日（火）10時30分00秒");
  assert.equal(auditValueText(null), "（なし）");
  assert.deepEqual(describeAuditEntry({ action: "auth.login", targetType: "staff", summary: {} }), []);
});

test("the target reads in Japanese", () => {
  assert.equal(auditTargetText("post", "12"), "投稿 #12");
  assert.equal(auditTargetText("somethingnew", null), "somethingnew");
});

test("ending sessions reads as how many devices were signed out", () => {
  assert.deepEqual(
    describeAuditEntry({
      action: "auth.sessions_ended_everyone",
      targetType: "system",
      summary: { ended: 12 },
    }),
    ["ログアウトさせた端末: 12台"],
  );
});
