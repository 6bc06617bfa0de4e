import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { displayUntil, earliestEffectiveDate, latestAnnouncementDate, periodEnd } from "./deadlines.ts";

test("one month's notice is counted as the Civil Code counts it (民法140条・143条)", () => {
  assert.equal(
    earliestEffectiveDate("2026-01-15", 1),
    "2026-02-16",
    "announced 15 January → 16 February at the earliest",
  );
  assert.equal(earliestEffectiveDate("2026-01-31", 1), "2026-03-01", "announced 31 January → 1 March");
  assert.equal(
    earliestEffectiveDate("2028-01-31", 1),
    "2028-03-01",
    "leap year: the period ends on 29 February",
  );
  assert.equal(periodEnd("2028-01-31", 1), "2028-02-29");
  assert.equal(periodEnd("2026-01-31", 1), "2026-02-28");
  assert.equal(
    earliestEffectiveDate("2026-01-30", 1),
    "2026-03-01",
    "no 31 February: the period ends at the end of February",
  );
  assert.equal(earliestEffectiveDate("2026-12-20", 1), "2027-01-21", "across the year end");
  assert.equal(earliestEffectiveDate("2026-03-31", 1), "2026-05-01");
});

test("the latest announcement date for an effective date", () => {
  assert.equal(latestAnnouncementDate("2026-02-16", 1), "2026-01-15");
  assert.equal(latestAnnouncementDate("2026-03-01", 1), "2026-01-31");
  assert.equal(latestAnnouncementDate("2026-02-15", 1), "2026-01-14");
});

test("notices stay up one year after a change and six months after a closure (4.5.2)", () => {
  assert.equal(displayUntil("2026-04-01", 12), "2027-04-01");
  assert.equal(displayUntil("2026-04-01", 6), "2026-10-01");
});

test("for any announcement date, the earliest effective date is the first date the latest-announcement rule accepts", () => {
  const day = fc
    .integer({ min: 0, max: 365 * 8 })
    .map((n) => new Date(Date.UTC(2024, 0, 1 + n)).toISOString().slice(0, 10));
  fc.assert(
    fc.property(day, fc.integer({ min: 1, max: 13 }), (announcement, months) => {
      const effective = earliestEffectiveDate(announcement, months);
      assert.ok(effective > announcement);
      assert.ok(latestAnnouncementDate(effective, months) >= announcement);
      const dayBefore = new Date(`${effective}T00:00:00Z`);
      dayBefore.setUTCDate(dayBefore.getUTCDate() - 1);
      assert.ok(latestAnnouncementDate(dayBefore.toISOString().slice(0, 10), months) < announcement);
    }),
  );
});
