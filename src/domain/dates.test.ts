import assert from "node:assert/strict";
import { test } from "node:test";
import {
  addDays,
  formatDate,
  formatWareki,
  formatWarekiDate,
  formatWarekiDateTime,
  tokyoDate,
  tokyoDayStart,
  warekiOf,
} from "./dates.ts";

test("the Tokyo date changes at 15:00 UTC", () => {
  assert.equal(tokyoDate(new Date("2026-03-31T14:59:59Z")), "2026-03-31");
  assert.equal(tokyoDate(new Date("2026-03-31T15:00:00Z")), "2026-04-01");
});

test("dates are shown in 和暦 and in the western calendar with the weekday", () => {
  assert.equal(formatWareki("2026-11-24"), "令和8年11月24日(火)");
  assert.equal(formatDate("2026-11-24"), "2026年11月24日(火)");
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

test("an instant in the 和暦 convention: date with weekday and Tokyo time", () => {
  assert.equal(formatWarekiDateTime(new Date("2026-11-24T00:05:00Z")), "令和8年11月24日(火) 09:05");
  assert.equal(formatWarekiDateTime(new Date("2026-12-31T15:30:00Z")), "令和9年1月1日(金) 00:30");
});
