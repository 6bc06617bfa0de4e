import assert from "node:assert/strict";
import { test } from "node:test";
import {
  addDays,
  formatCsvDateTime,
  formatDate,
  formatDateTime,
  formatMinutes,
  formatTime,
  formatWarekiDate,
  formatWarekiDateTime,
  isoTokyo,
  tokyoDate,
  tokyoDayStart,
  warekiOf,
} from "./dates.ts";

test("the Tokyo date changes at 15:00 UTC", () => {
  assert.equal(tokyoDate(new Date("2026-03-31T14:59:59Z")), "2026-03-31");
  assert.equal(tokyoDate(new Date("2026-03-31T15:00:00Z")), "2026-04-01");
});

test("pages write a date in 和暦 with the 西暦 in brackets and the weekday", () => {
  assert.equal(formatDate("2026-11-24"), "令和8年（2026年）11月24日（火）");
  assert.equal(formatDate("2019-05-01"), "令和元年（2019年）5月1日（水）");
  assert.equal(formatDate("2019-04-30"), "平成31年（2019年）4月30日（火）");
});

test("pages write an instant in Japan time, hours and minutes; seconds only when asked", () => {
  const at = new Date("2026-11-24T00:05:03Z");
  assert.equal(formatTime(at), "9時05分");
  assert.equal(formatDateTime(at), "令和8年（2026年）11月24日（火）9時05分");
  assert.equal(formatDateTime(at, { seconds: true }), "令和8年（2026年）11月24日（火）9時05分03秒");
  assert.equal(formatDateTime(new Date("2026-12-31T15:30:00Z")), "令和9年（2027年）1月1日（金）0時30分");
  assert.equal(isoTokyo(at), "2026-11-24T09:05:03+09:00", "the machine-readable form for <time datetime>");
});

test("the CSV exports keep their spreadsheet date-time format", () => {
  assert.equal(formatCsvDateTime(new Date("2026-11-24T00:05:03Z")), "2026/11/24 09:05:03");
  assert.equal(formatCsvDateTime(new Date("2026-12-31T15:00:00Z")), "2027/01/01 00:00:00");
});

test("documents write dates in 和暦 without the weekday, the first year of an era as 元年", () => {
  assert.equal(formatWarekiDate("2026-11-24"), "令和8年11月24日");
  assert.equal(formatWarekiDate("2019-05-01"), "令和元年5月1日");
  assert.equal(formatWarekiDate("2019-04-30"), "平成31年4月30日");
  assert.equal(warekiOf(new Date("2026-03-31T15:00:00Z")), "令和8年4月1日", "the Tokyo date of an instant");
});

test("a Tokyo day starts at 15:00 UTC the day before", () => {
  assert.equal(tokyoDayStart("2026-04-01").toISOString(), "2026-03-31T15:00:00.000Z");
  assert.equal(addDays("2026-02-28", 1), "2026-03-01");
  assert.equal(addDays("2028-02-28", 1), "2028-02-29");
});

test("a printed document writes an instant as its 和暦 date and the time", () => {
  assert.equal(formatWarekiDateTime(new Date("2026-11-24T00:05:00Z")), "令和8年11月24日 9時05分");
  assert.equal(formatWarekiDateTime(new Date("2026-12-31T15:30:00Z")), "令和9年1月1日 0時30分");
});

test("lengths of time read as people say them", () => {
  assert.equal(formatMinutes(30), "30分");
  assert.equal(formatMinutes(720), "12時間");
  assert.equal(formatMinutes(90), "1時間30分");
  assert.equal(formatMinutes(0), "0分");
});
