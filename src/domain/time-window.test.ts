import assert from "node:assert/strict";
import { test } from "node:test";
import { placeInWindow } from "./time-window.ts";

const now = new Date("2026-12-05T03:00:00Z");
const approval = { at: new Date("2026-12-05T01:00:37Z"), what: "承認" };
const place = (iso: string, latest?: { at: Date; what: string }) =>
  placeInWindow(new Date(iso), { label: "発信した日時", earliest: approval, latest: latest ?? null, now });

test("a time between the event and now is kept as given", () => {
  assert.deepEqual(place("2026-12-05T02:00:00Z"), { ok: true, at: new Date("2026-12-05T02:00:00Z") });
});

test("before the event, or in the future beyond the skew, is refused with the range and its times", () => {
  const early = place("2026-12-01T00:00:00Z");
  assert.equal(early.ok, false);
  assert.match(
    early.ok ? "" : early.message,
    /（令和8年（2026年）12月1日（火）9時00分）が、承認（令和8年（2026年）12月5日（土）10時00分）より前です。.*承認（令和8年（2026年）12月5日（土）10時00分）から現在（令和8年（2026年）12月5日（土）12時00分）までの日時/,
  );
  const late = place("2026-12-05T03:01:01Z");
  assert.equal(late.ok, false);
  assert.match(late.ok ? "" : late.message, /未来の日時は指定できません/);
});

test("a time given to the minute counts from the event's minute and is kept in order; a little skew is brought to now", () => {
  assert.deepEqual(place("2026-12-05T01:00:00Z"), { ok: true, at: approval.at });
  assert.equal(place("2026-12-05T01:00:10Z").ok, false, "given to the second: before the approval");
  assert.deepEqual(place("2026-12-05T03:00:40Z"), { ok: true, at: now });
});

test("a later event bounds it instead of now", () => {
  const removal = { at: new Date("2026-12-05T02:00:00Z"), what: "削除" };
  const r = place("2026-12-05T02:10:00Z", removal);
  assert.equal(r.ok, false);
  assert.match(
    r.ok ? "" : r.message,
    /削除（令和8年（2026年）12月5日（土）11時00分）より後です。.*から削除（令和8年（2026年）12月5日（土）11時00分）までの日時/,
  );
});
