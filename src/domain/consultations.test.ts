/**
 * Who closes a consultation and when (10): the person who asked at any time; the desk only once
 * it has answered and DESK_CLOSE_AFTER_DAYS days have passed without a reply; nobody else. A
 * consultation reopened by the person who asked goes back to the desk.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  DESK_CLOSE_AFTER_DAYS,
  deskMayCloseFrom,
  mayClose,
  parseTags,
  reopenedStatus,
} from "./consultations.ts";

const answeredAt = new Date("2026-06-01T01:00:00Z");
const day = 86_400_000;

test("the desk may close an answered consultation only after the stated days without a reply", () => {
  assert.equal(DESK_CLOSE_AFTER_DAYS, 14);
  assert.equal(deskMayCloseFrom(answeredAt).toISOString(), "2026-06-15T01:00:00.000Z");
  const answered = { status: "answered", answeredAt };
  const justBefore = new Date(answeredAt.getTime() + 14 * day - 1);
  const onTime = new Date(answeredAt.getTime() + 14 * day);
  assert.equal(mayClose(answered, "desk", justBefore), false);
  assert.equal(mayClose(answered, "desk", onTime), true);
  assert.equal(mayClose({ status: "open", answeredAt: null }, "desk", onTime), false, "not before answering");
  assert.equal(mayClose({ status: "closed", answeredAt }, "desk", onTime), false);
});

test("the person who asked closes at any time; others never", () => {
  for (const status of ["open", "answered"])
    assert.equal(mayClose({ status, answeredAt: null }, "asker", answeredAt), true, status);
  assert.equal(mayClose({ status: "closed", answeredAt }, "asker", answeredAt), false);
  assert.equal(mayClose({ status: "answered", answeredAt }, "other", new Date("2030-01-01")), false);
});

test("reopened by the person who asked, it goes back to the desk", () => {
  assert.equal(reopenedStatus({ answer: "回答" }, "asker"), "open");
  assert.equal(reopenedStatus({ answer: "回答" }, "desk"), "answered");
  assert.equal(reopenedStatus({ answer: "" }, "desk"), "open");
});

test("tags are split, width-normalised and deduplicated", () => {
  assert.deepEqual(parseTags("#生成AI、画像 ＡＩ, 画像"), ["生成AI", "画像", "AI"]);
});
