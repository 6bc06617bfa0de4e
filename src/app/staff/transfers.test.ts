import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { entriesAfter } from "../../db/repos/audit.ts";
import { findStaff } from "../../db/repos/staff.ts";
import { addDays, tokyoDate } from "../../domain/dates.ts";
import { AppError } from "../../errors.ts";
import { loadActor } from "../actors.ts";
import { systemActor } from "../context.ts";
import type { StaffTransferred } from "../events.ts";
import { applyDueTransfers, cancelTransfer, recordTransfer } from "./transfers.ts";

let app: TestApp;
let org: TestOrg;
const seen: StaffTransferred[] = [];
before(async () => {
  app = await testApp({ start: "2026-03-20T01:00:00Z" });
  org = await seedOrg(app.ctx);
  app.ctx.events.on("staff.transferred", async (_tx, event) => {
    seen.push(event);
  });
});
after(() => app.close());

test("a transfer dated today moves the person at once and tells the features that react", async () => {
  const result = await recordTransfer(app.ctx, {
    actor: org.actors.admin,
    input: {
      staffId: org.staff.kouhouStaff.id,
      effectiveDate: "2026-03-20",
      toDepartmentId: org.departments.soumu.id,
      toDivisionId: org.divisions.soumuka.id,
      toPositionId: org.positions.shuji.id,
    },
  });
  assert.equal(result.status, "applied");
  const person = await findStaff(app.ctx.db, org.staff.kouhouStaff.id);
  assert.equal(person?.divisionId, org.divisions.soumuka.id);
  assert.equal(seen.at(-1)?.from.divisionId, org.divisions.kouhou.id);
  assert.equal(seen.at(-1)?.to.divisionId, org.divisions.soumuka.id);
});

test("a 課長 transferred away loses the account-manager role of the old division (4.1.4)", async () => {
  const beforeMove = await loadActor(app.ctx.db, org.staff.soumuManager.id, "session");
  assert.ok(
    beforeMove?.grants.some(
      (g) =>
        g.role === "account_manager" &&
        g.scope.type === "division" &&
        g.scope.id === org.divisions.soumuka.id,
    ),
  );
  await recordTransfer(app.ctx, {
    actor: org.actors.admin,
    input: {
      staffId: org.staff.soumuManager.id,
      effectiveDate: "2026-03-01",
      toDepartmentId: org.departments.seisaku.id,
      toDivisionId: org.divisions.kouhou.id,
      toPositionId: org.positions.kakarichou.id,
    },
  });
  const afterMove = await loadActor(app.ctx.db, org.staff.soumuManager.id, "session");
  assert.equal(
    afterMove?.grants.some((g) => g.role === "account_manager"),
    false,
  );
});

test("a transfer for 1 April waits until that day in Tokyo, then applies once", async () => {
  const scheduled = await recordTransfer(app.ctx, {
    actor: org.actors.admin,
    input: {
      staffId: org.staff.auditor.id,
      effectiveDate: "2026-04-01",
      toDepartmentId: org.departments.seisaku.id,
      toDivisionId: org.divisions.furusato.id,
      toPositionId: org.positions.kakarichou.id,
    },
  });
  assert.equal(scheduled.status, "scheduled");
  app.clock.set("2026-03-31T14:59:00Z");
  assert.equal(await applyDueTransfers(app.ctx, systemActor()), 0);
  app.clock.set("2026-03-31T15:00:00Z");
  const seq = (await entriesAfter(app.ctx.db, 0, 10000)).length;
  assert.equal(await applyDueTransfers(app.ctx, systemActor()), 1);
  assert.equal(await applyDueTransfers(app.ctx, systemActor()), 0);
  const person = await findStaff(app.ctx.db, org.staff.auditor.id);
  assert.equal(person?.divisionId, org.divisions.furusato.id);
  const entries = await entriesAfter(app.ctx.db, seq, 10);
  assert.deepEqual(
    entries.map((e) => e.action),
    ["transfer.apply"],
  );
});

test("a division from another department is refused, and an applied transfer cannot be cancelled", async () => {
  await assert.rejects(
    recordTransfer(app.ctx, {
      actor: org.actors.admin,
      input: {
        staffId: org.staff.desk.id,
        effectiveDate: "2026-05-01",
        toDepartmentId: org.departments.soumu.id,
        toDivisionId: org.divisions.kouhou.id,
        toPositionId: org.positions.kachou.id,
      },
    }),
    (e: unknown) => e instanceof AppError && e.status === 422 && e.message.includes("総務部"),
  );
  const done = await recordTransfer(app.ctx, {
    actor: org.actors.admin,
    input: {
      staffId: org.staff.desk.id,
      effectiveDate: "2026-03-01",
      toDepartmentId: org.departments.seisaku.id,
      toDivisionId: org.divisions.kouhou.id,
      toPositionId: org.positions.shuji.id,
    },
  });
  await assert.rejects(
    cancelTransfer(app.ctx, { actor: org.actors.admin, id: done.id }),
    (e: unknown) => e instanceof AppError && e.status === 409,
  );
});

test("a 発令日 more than a year away is refused as a likely typo in the year; a late April entry goes through", async () => {
  const today = tokyoDate(app.ctx.clock.now());
  const attempt = (effectiveDate: string) =>
    recordTransfer(app.ctx, {
      actor: org.actors.admin,
      input: {
        staffId: org.staff.desk.id,
        effectiveDate,
        toDepartmentId: org.departments.seisaku.id,
        toDivisionId: org.divisions.kouhou.id,
        toPositionId: org.positions.shuji.id,
      },
    });
  const refusedAs = (words: string) => (e: unknown) =>
    e instanceof AppError &&
    e.status === 422 &&
    e.message.includes(words) &&
    e.fields.some((f) => f.field === "effectiveDate");
  await assert.rejects(attempt(addDays(today, 400)), refusedAs("1年以上先"));
  await assert.rejects(attempt(addDays(today, -400)), refusedAs("1年以上前"));
  const late = await attempt(addDays(today, -200));
  assert.equal(late.status, "applied");
});
