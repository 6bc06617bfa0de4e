/**
 * notify(): one in-app notification per active recipient, at most once per dedupe key, written in
 * the caller's transaction (gone when it rolls back); urgent kinds are urgent whatever the caller
 * says; links must stay on this site. The inbox: unread count, marking read, opening, privacy.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { listNotifications } from "../../db/repos/notifications.ts";
import { updateStaff } from "../../db/repos/staff.ts";
import {
  markAllNotificationsRead,
  markNotificationRead,
  myNotifications,
  openNotification,
  unreadCount,
} from "./inbox.ts";
import { notify } from "./notify.ts";

let app: TestApp;
let org: TestOrg;

before(async () => {
  app = await testApp({ start: "2026-04-01T00:00:00Z" });
  org = await seedOrg(app.ctx);
});
after(() => app.close());

const inbox = async (staffId: number) =>
  (await listNotifications(app.ctx.db, staffId, { unreadOnly: false, limit: 100, offset: 0 })).items;

test("one notification per recipient, and a dedupe key is honoured per person", async () => {
  const manager = org.staff.kouhouManager.id;
  const staffer = org.staff.kouhouStaff.id;
  const first = await app.ctx.db.transaction((tx) =>
    notify(app.ctx, tx, {
      recipientIds: [manager, staffer, manager, null],
      kind: "task",
      title: "明日が期限のタスクがあります",
      body: "期限は令和8年（2026年）4月2日（木）です。",
      href: "/tasks/1",
      dedupeKey: "task:1:due",
    }),
  );
  assert.equal(first.length, 2, "the repeated id and null are dropped");
  const again = await app.ctx.db.transaction((tx) =>
    notify(app.ctx, tx, {
      recipientIds: [manager, org.staff.soumuManager.id],
      kind: "task",
      title: "明日が期限のタスクがあります",
      href: "/tasks/1",
      dedupeKey: "task:1:due",
    }),
  );
  assert.equal(again.length, 1, "only the person who did not have it yet gets it");
  assert.equal((await inbox(manager)).filter((n) => n.dedupeKey === "task:1:due").length, 1);
  const [row] = await inbox(staffer);
  assert.equal(row?.title, "明日が期限のタスクがあります");
  assert.equal(row?.body, "期限は令和8年（2026年）4月2日（木）です。");
  assert.equal(row?.createdAt.toISOString(), "2026-04-01T00:00:00.000Z", "stamped with the app clock");
});

test("written in the caller's transaction: a rollback leaves nothing", async () => {
  const person = org.staff.soumuStaff.id;
  await assert.rejects(
    app.ctx.db.transaction(async (tx) => {
      await notify(app.ctx, tx, { recipientIds: [person], kind: "decision", title: "申請が承認されました" });
      throw new Error("the use case failed after notifying");
    }),
  );
  assert.equal((await inbox(person)).length, 0);
});

test("inactive people are skipped; incidents are urgent even when the caller does not say so", async () => {
  const leaver = org.staff.desk.id;
  await updateStaff(app.ctx.db, leaver, { active: false }, app.clock.now());
  const written = await app.ctx.db.transaction((tx) =>
    notify(app.ctx, tx, {
      recipientIds: [leaver, org.staff.securityDirector.id],
      kind: "incident",
      title: "インシデントが報告されました",
      href: "/incidents/1",
    }),
  );
  assert.equal(written.length, 1);
  assert.equal((await inbox(leaver)).length, 0);
  const [row] = await inbox(org.staff.securityDirector.id);
  assert.equal(row?.urgent, true);
  await updateStaff(app.ctx.db, leaver, { active: true }, app.clock.now());
});

test("a link must be a path on this site", async () => {
  for (const href of ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "/\\evil"]) {
    await assert.rejects(
      app.ctx.db.transaction((tx) =>
        notify(app.ctx, tx, { recipientIds: [org.staff.admin.id], kind: "task", title: "x", href }),
      ),
      /href must be a path/,
      href,
    );
  }
});

test("the inbox: unread count, opening marks read and says where to go, nobody opens another's", async () => {
  const person = org.staff.auditor.id;
  const actor = org.actors.auditor;
  const ids = await app.ctx.db.transaction(async (tx) => [
    ...(await notify(app.ctx, tx, {
      recipientIds: [person],
      kind: "approval",
      title: "一件目",
      href: "/posts/3",
    })),
    ...(await notify(app.ctx, tx, { recipientIds: [person], kind: "approval", title: "二件目" })),
    ...(await notify(app.ctx, tx, { recipientIds: [person], kind: "approval", title: "三件目" })),
  ]);
  assert.equal(await unreadCount(app.ctx, person), 3);
  const [firstId, secondId] = ids;
  assert.ok(firstId && secondId);

  assert.equal(await openNotification(app.ctx, { actor, id: firstId }), "/posts/3");
  assert.equal(
    await openNotification(app.ctx, { actor, id: secondId }),
    "/notifications",
    "no link: the list",
  );
  assert.equal(await unreadCount(app.ctx, person), 1);

  await assert.rejects(
    markNotificationRead(app.ctx, { actor: org.actors.admin, id: firstId }),
    (e: Error) => e.message === "通知が見つかりません。",
  );
  const page = await myNotifications(app.ctx, { actor, unreadOnly: true });
  assert.deepEqual(
    page.items.map((n) => n.title),
    ["三件目"],
  );
  assert.equal(await markAllNotificationsRead(app.ctx, { actor }), 1);
  assert.equal(await unreadCount(app.ctx, person), 0);
  assert.equal(await markAllNotificationsRead(app.ctx, { actor }), 0, "nothing left, no change");
});
