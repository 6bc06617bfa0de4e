/**
 * A signed-in request reads its session, person and placement in one statement and their roles
 * fresh, and refreshes the session's last-seen time at most once a minute; authorization stays
 * exact: a person deactivated, a session ended or a role taken away (even straight in the
 * database, as another instance would) stops working on the very next request. The organisation's
 * lists the staff pages show come from memory, and a change to them shows on the next page.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { eq } from "drizzle-orm";
import { createPosition } from "../../src/app/org/units.ts";
import { roleAssignments, sessions, staff } from "../../src/db/schema.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { type TestApp, testApp } from "../support/context.ts";
import { givePassword, signIn } from "../support/http.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";

let app: TestApp;
let org: TestOrg;
let http: ReturnType<typeof createHttpApp>;

before(async () => {
  app = await testApp({ start: "2026-11-24T01:00:00Z" });
  org = await seedOrg(app.ctx);
  for (const person of Object.values(org.staff)) await givePassword(app, person.id);
  http = createHttpApp(app.ctx);
});
after(() => app.close());

async function lastSeen(staffId: number): Promise<number[]> {
  const rows = await app.ctx.db.select().from(sessions).where(eq(sessions.staffId, staffId));
  return rows.map((r) => r.lastSeenAt.getTime());
}

test("the session's last-seen time is written at most once a minute", async () => {
  const b = await signIn(http, org.staff.kouhouStaff.email);
  const [signedIn] = await lastSeen(org.staff.kouhouStaff.id);
  app.clock.advance(30_000);
  assert.equal((await b.get("/")).status, 200);
  assert.deepEqual(await lastSeen(org.staff.kouhouStaff.id), [signedIn], "not rewritten within a minute");
  app.clock.advance(31_000);
  assert.equal((await b.get("/")).status, 200);
  assert.deepEqual(
    await lastSeen(org.staff.kouhouStaff.id),
    [app.clock.now().getTime()],
    "refreshed after it",
  );
});

test("a person deactivated straight in the database is signed out on the next request", async () => {
  const b = await signIn(http, org.staff.kouhouManager.email);
  assert.equal((await b.get("/staff")).status, 200);
  await app.ctx.db.update(staff).set({ active: false }).where(eq(staff.id, org.staff.kouhouManager.id));
  try {
    const res = await b.get("/staff");
    assert.equal(res.status, 303);
    assert.match(res.headers.get("location") ?? "", /^\/login/);
    assert.equal((await lastSeen(org.staff.kouhouManager.id)).length, 0, "and the session is gone");
  } finally {
    await app.ctx.db.update(staff).set({ active: true }).where(eq(staff.id, org.staff.kouhouManager.id));
  }
});

test("an ended session stops working on the next request", async () => {
  const b = await signIn(http, org.staff.kouhouStaff.email);
  assert.equal((await b.get("/")).status, 200);
  await app.ctx.db.delete(sessions).where(eq(sessions.staffId, org.staff.kouhouStaff.id));
  const res = await b.get("/");
  assert.equal(res.status, 303);
  assert.match(res.headers.get("location") ?? "", /^\/login/);
});

test("a position added through the organisation pages shows on the very next staff form", async () => {
  const b = await signIn(http, org.staff.admin.email);
  assert.ok(!(await b.text("/staff/new")).includes("会計年度任用職員（確認用）"));
  await createPosition(app.ctx, {
    actor: org.actors.admin,
    input: { code: "kaikei-check", name: "会計年度任用職員（確認用）", rank: 90, headOf: "none" },
  });
  assert.ok((await b.text("/staff/new")).includes("会計年度任用職員（確認用）"));
});

test("a role taken away applies on the next request", async () => {
  const b = await signIn(http, org.staff.admin.email);
  assert.equal((await b.get("/admin/settings")).status, 200, "an administrator opens the settings");
  await app.ctx.db.delete(roleAssignments).where(eq(roleAssignments.staffId, org.staff.admin.id));
  assert.equal((await b.get("/admin/settings")).status, 403, "not any more");
  assert.equal((await b.get("/")).status, 200, "still signed in, as a member of staff");
});
