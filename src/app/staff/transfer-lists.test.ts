/**
 * Transfers take rights away on the effective date (4.1.3, 4.3.2): the moved person leaves the
 * operator and credential-holder lists of accounts outside their new division and their deputy
 * namings there end; the account manager confirms the new lists; the password-rotation task opens,
 * due in business days; and taking anyone off a list by hand opens it too (人事異動等).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { seedKouhouAccount } from "../../../test/support/accounts.ts";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { seedKouhouKakarichou, seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { listEvents, listHolders, listOperators } from "../../db/repos/accounts.ts";
import { entriesAfter } from "../../db/repos/audit.ts";
import { isDeputyOn } from "../../db/repos/posts.ts";
import { insertStaff } from "../../db/repos/staff.ts";
import { listTasks } from "../../db/repos/tasks.ts";
import { AppError } from "../../errors.ts";
import { setAccountOperators } from "../accounts/registration.ts";
import { loadActor } from "../actors.ts";
import { systemActor } from "../context.ts";
import { removeHolder } from "../credentials/credentials.ts";
import { nameDeputy } from "../posts/deputies.ts";
import { draftPost } from "../posts/draft.ts";
import { submitPost } from "../posts/submit.ts";
import { applyDueTransfers, recordTransfer } from "./transfers.ts";

let app: TestApp;
let org: TestOrg;

before(async () => {
  // Tuesday 2026-03-31, 10:00 in Tokyo.
  app = await testApp({ start: "2026-03-31T01:00:00Z" });
  org = await seedOrg(app.ctx);
});
after(() => app.close());

let n = 0;
/** A 主事 of 広報広聴課. */
function newStaffer(name: string) {
  n++;
  return insertStaff(app.ctx.db, {
    employeeNo: `L${String(n).padStart(4, "0")}`,
    name,
    kana: "",
    email: `l${n}@city.example.lg.jp`,
    departmentId: org.departments.seisaku.id,
    divisionId: org.divisions.kouhou.id,
    positionId: org.positions.shuji.id,
    active: true,
  });
}

const lastSeq = async () => (await entriesAfter(app.ctx.db, 0, 1_000_000)).at(-1)?.seq ?? 0;
const openTasks = (accountId: number, kind: string) =>
  listTasks(app.ctx.db, { accountId, kinds: [kind], status: "open" });

function refusedWith(status: number, text: RegExp) {
  return (e: unknown) => e instanceof AppError && e.status === status && text.test(e.message);
}

test("a 係長 moved to 総務課 leaves 広報広聴課's lists on the effective date and can no longer post there", async () => {
  const kakarichou = await seedKouhouKakarichou(app.ctx, org);
  const account = await seedKouhouAccount(app.ctx, org, {
    operatorIds: [org.staff.kouhouStaff.id, kakarichou.staffId],
    holderIds: [kakarichou.staffId],
  });
  const [post] = await draftPost(app.ctx, {
    actor: kakarichou,
    input: { accounts: [{ accountId: account.id, text: "【お知らせ】4月の広報紙を発行しました。" }] },
  });
  assert.ok(post);
  await recordTransfer(app.ctx, {
    actor: org.actors.admin,
    input: {
      staffId: kakarichou.staffId,
      effectiveDate: "2026-04-01",
      toDepartmentId: org.departments.soumu.id,
      toDivisionId: org.divisions.soumuka.id,
      toPositionId: org.positions.kakarichou.id,
    },
  });
  const ids = async () => (await listOperators(app.ctx.db, account.id)).map((m) => m.staffId);
  assert.ok((await ids()).includes(kakarichou.staffId), "still listed until the effective date");

  app.clock.set("2026-03-31T15:00:00Z"); // 2026-04-01 00:00 in Tokyo
  const seq = await lastSeq();
  assert.equal(await applyDueTransfers(app.ctx, systemActor("jobs")), 1);

  assert.deepEqual(await ids(), [org.staff.kouhouStaff.id], "off the operator list");
  assert.deepEqual(await listHolders(app.ctx.db, account.id), [], "off the holder list");
  const events = await listEvents(app.ctx.db, account.id);
  assert.ok(events.some((e) => e.kind === "members_removed" && e.comment.includes("広報 係長")));
  const entries = await entriesAfter(app.ctx.db, seq, 50);
  assert.ok(
    entries.some((e) => e.action === "account.members_remove" && e.targetId === String(account.id)),
    "the removal is in the audit log",
  );

  const [confirm] = await openTasks(account.id, "manager_change_confirm");
  assert.equal(confirm?.assigneeId, org.staff.kouhouManager.id, "the manager confirms the new list");
  assert.equal(confirm?.clause, "4.1.3");
  const [rotation] = await openTasks(account.id, "password_rotation");
  assert.equal(rotation?.assigneeId, org.staff.kouhouManager.id);
  assert.equal(rotation?.dueDate, "2026-04-06", "3 business days after Wednesday 1 April");

  const moved = await loadActor(app.ctx.db, kakarichou.staffId, "session", app.clock.now());
  assert.ok(moved);
  const deniedBefore = await lastSeq();
  await assert.rejects(
    submitPost(app.ctx, { actor: moved, id: post.id, input: { version: 1 } }),
    refusedWith(404, /見つかりません/),
    "the old division's draft is not theirs to see any more",
  );
  await assert.rejects(
    draftPost(app.ctx, {
      actor: moved,
      input: { accounts: [{ accountId: account.id, text: "【お知らせ】異動後の投稿です。" }] },
    }),
    refusedWith(403, /運用に携わる職員/),
  );
  const denied = (await entriesAfter(app.ctx.db, deniedBefore, 10)).filter((e) => e.action === "auth.denied");
  assert.equal(denied.length, 1, "the refusal is recorded");
  assert.ok(denied.every((e) => e.actorId === kakarichou.staffId));
});

test("a move within the same division keeps the person on its lists", async () => {
  const staffer = org.actors.soumuStaff;
  const account = await seedKouhouAccount(app.ctx, org, {
    divisionId: org.divisions.soumuka.id,
    managerId: org.staff.soumuManager.id,
    operatorIds: [staffer.staffId],
  });
  await recordTransfer(app.ctx, {
    actor: org.actors.admin,
    input: {
      staffId: staffer.staffId,
      effectiveDate: "2026-04-01",
      toDepartmentId: org.departments.soumu.id,
      toDivisionId: org.divisions.soumuka.id,
      toPositionId: org.positions.kakarichou.id,
    },
  });
  assert.deepEqual(
    (await listOperators(app.ctx.db, account.id)).map((m) => m.staffId),
    [staffer.staffId],
  );
  assert.equal((await openTasks(account.id, "manager_change_confirm")).length, 0);
});

test("a deputy named by 広報広聴課's manager stops being one when moved to another division", async () => {
  const kakarichou = { staffId: (await newStaffer("代理 一郎")).id };
  await nameDeputy(app.ctx, {
    actor: org.actors.kouhouManager,
    input: {
      deputyId: kakarichou.staffId,
      fromDate: "2026-04-01",
      toDate: "2026-04-30",
      reason: "出張のため",
    },
  });
  assert.ok(await isDeputyOn(app.ctx.db, org.divisions.kouhou.id, kakarichou.staffId, "2026-04-02"));
  const seq = await lastSeq();
  await recordTransfer(app.ctx, {
    actor: org.actors.admin,
    input: {
      staffId: kakarichou.staffId,
      effectiveDate: "2026-04-01",
      toDepartmentId: org.departments.soumu.id,
      toDivisionId: org.divisions.soumuka.id,
      toPositionId: org.positions.shuji.id,
    },
  });
  assert.equal(
    await isDeputyOn(app.ctx.db, org.divisions.kouhou.id, kakarichou.staffId, "2026-04-02"),
    false,
  );
  const entries = await entriesAfter(app.ctx.db, seq, 20);
  assert.ok(
    entries.some((e) => e.action === "post.deputy_revoke"),
    "the ended naming is in the audit log",
  );
});

test("rotation is due in business days: Golden Week and the year-end closure are not counted", async () => {
  for (const [effectiveDate, due] of [
    ["2026-04-28", "2026-05-07"],
    ["2026-12-28", "2027-01-06"],
  ] as const) {
    const person = await newStaffer(`休日 ${effectiveDate}`);
    const account = await seedKouhouAccount(app.ctx, org, { holderIds: [person.id] });
    app.clock.set(`${effectiveDate}T01:00:00Z`);
    await recordTransfer(app.ctx, {
      actor: org.actors.admin,
      input: {
        staffId: person.id,
        effectiveDate,
        toDepartmentId: org.departments.seisaku.id,
        toDivisionId: org.divisions.furusato.id,
        toPositionId: org.positions.shuji.id,
      },
    });
    const [rotation] = await openTasks(account.id, "password_rotation");
    assert.equal(rotation?.dueDate, due, `transfer on ${effectiveDate}`);
  }
  app.clock.set("2026-03-31T15:00:00Z");
});

test("the manager taking someone off the operator or holder list opens the rotation task (人事異動等)", async () => {
  const account = await seedKouhouAccount(app.ctx, org, {
    operatorIds: [org.staff.kouhouStaff.id, org.staff.kouhouManager.id],
    holderIds: [org.staff.kouhouStaff.id],
  });
  await removeHolder(app.ctx, {
    actor: org.actors.kouhouManager,
    accountId: account.id,
    staffId: org.staff.kouhouStaff.id,
  });
  const afterHolder = await openTasks(account.id, "password_rotation");
  assert.equal(afterHolder.length, 1);
  assert.equal(afterHolder[0]?.clause, "4.3.2");
  assert.equal(afterHolder[0]?.assigneeId, org.staff.kouhouManager.id);
  await setAccountOperators(app.ctx, {
    actor: org.actors.kouhouManager,
    id: account.id,
    input: { staffIds: [org.staff.kouhouManager.id] },
  });
  const afterOperator = await openTasks(account.id, "password_rotation");
  assert.equal(afterOperator.length, 2, "a second rotation for the operator taken off");
  assert.match(afterOperator[1]?.title ?? "", /広報 主事さん/);
  await setAccountOperators(app.ctx, {
    actor: org.actors.kouhouManager,
    id: account.id,
    input: { staffIds: [org.staff.kouhouManager.id, org.staff.kouhouStaff.id] },
  });
  assert.equal((await openTasks(account.id, "password_rotation")).length, 2, "adding someone opens nothing");
});
