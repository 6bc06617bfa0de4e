/**
 * iCalendar output as RFC 5545 and Outlook want it: CRLF, lines folded at 75 octets without
 * splitting a UTF-8 character, TEXT escaped, all-day dates, Tokyo times with their VTIMEZONE.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { escapeText, foldLine, renderCalendar, tokyoStamp, utcStamp } from "./ical.ts";

const octets = (s: string) => Buffer.byteLength(s, "utf8");

test("folding keeps every line within 75 octets, never splits a character, and unfolds to the original", () => {
  fc.assert(
    fc.property(fc.string({ unit: "grapheme", maxLength: 300 }), (value) => {
      const line = `SUMMARY:${value}`;
      const folded = foldLine(line);
      const parts = folded.split("\r\n");
      for (const part of parts) assert.ok(octets(part) <= 75, `${octets(part)} octets`);
      for (const part of parts.slice(1)) assert.ok(part.startsWith(" "));
      assert.equal(folded.replace(/\r\n /g, ""), line);
      assert.ok(!folded.includes("\uFFFD"));
    }),
  );
  const japanese = `SUMMARY:${"あ".repeat(40)}`; // 8 + 120 octets
  const [first, second] = foldLine(japanese).split("\r\n");
  assert.equal(first, `SUMMARY:${"あ".repeat(22)}`, "22 three-octet characters after 8 octets: 74 ≤ 75");
  assert.equal(second, ` ${"あ".repeat(18)}`);
});

test("TEXT values escape backslash, semicolon, comma and newlines", () => {
  assert.equal(escapeText("a\\b;c,d\ne\r\nf"), "a\\\\b\\;c\\,d\\ne\\nf");
});

test("stamps: UTC with Z, Tokyo wall-clock time without", () => {
  const at = new Date("2026-04-01T15:30:00Z");
  assert.equal(utcStamp(at), "20260401T153000Z");
  assert.equal(tokyoStamp(at), "20260402T003000", "the next day in Tokyo");
});

test("a calendar: all-day dates end the next day, instants are in Asia/Tokyo, events are free time", () => {
  const text = renderCalendar({
    name: "snsgov 期限（広報 課長）",
    now: new Date("2026-04-01T00:00:00Z"),
    events: [
      {
        uid: "task-1@sns.example",
        summary: "【期限】パスワード変更, X",
        when: { date: "2026-12-31" },
        url: "https://sns.example/tasks/1",
      },
      {
        uid: "post-2@sns.example",
        summary: "投稿の予定時刻",
        when: { at: new Date("2026-04-02T01:00:00Z") },
      },
    ],
  });
  assert.ok(text.startsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"));
  assert.ok(text.endsWith("END:VCALENDAR\r\n"));
  assert.ok(!/[^\r]\n/.test(text), "CRLF only");
  assert.ok(text.includes("X-WR-CALNAME:snsgov 期限（広報 課長）\r\n"));
  assert.ok(text.includes("BEGIN:VTIMEZONE\r\nTZID:Asia/Tokyo\r\n"));
  assert.ok(text.includes("DTSTART;VALUE=DATE:20261231\r\nDTEND;VALUE=DATE:20270101\r\n"));
  assert.ok(text.includes("SUMMARY:【期限】パスワード変更\\, X\r\n"));
  assert.ok(
    text.includes("DTSTART;TZID=Asia/Tokyo:20260402T100000\r\nDTEND;TZID=Asia/Tokyo:20260402T103000\r\n"),
  );
  assert.equal(text.match(/DTSTAMP:20260401T000000Z/g)?.length, 2);
  assert.equal(text.match(/TRANSP:TRANSPARENT/g)?.length, 2);
});
