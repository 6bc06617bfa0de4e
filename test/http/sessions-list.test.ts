/**
 * 「ログイン中の端末」 and ending sessions (OWASP ASVS 5.0 7.5.2, 7.4.5), the way two browsers and
 * an attacker would use them:
 * - a person sees each of their signed-in devices, 「この端末」 on the one they are using;
 * - ending another device signs it out at its very next request and leaves this one signed in;
 * - another person's session id, a malformed id or a missing CSRF token ends nothing;
 * - only administrators end one person's sessions or everyone's (but their own);
 * - each ending is one audit entry saying how many sessions ended.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { tokenHash } from "../../src/app/auth/sessions.ts";
import { entriesAfter } from "../../src/db/repos/audit.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { apiTokens, callApi, json } from "../support/api.ts";
import { type TestApp, testApp } from "../support/context.ts";
import { type Browser, givePassword, signIn, withoutTags } from "../support/http.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";

let app: TestApp;
let org: TestOrg;
let http: ReturnType<typeof createHttpApp>;

before(async () => {
  app = await testApp();
  org = await seedOrg(app.ctx);
  for (const person of Object.values(org.staff)) await givePassword(app, person.id);
  http = createHttpApp(app.ctx);
});
after(() => app.close());

/** The stored id (SHA-256) of a browser's session: what the page names it by. */
function sessionIdOf(b: Browser): string {
  const raw = [...b.cookies].find(([name]) => name.endsWith("snsgov_session"))?.[1];
  assert.ok(raw, "signed in");
  return tokenHash(raw);
}

/** Whether the browser is still signed in: a staff page answers 200 rather than sending it to /login. */
async function signedIn(b: Browser): Promise<boolean> {
  const res = await b.get("/account/sessions");
  return res.status === 200;
}

async function lastSeq(): Promise<number> {
  return (await entriesAfter(app.ctx.db, 0, 1_000_000)).at(-1)?.seq ?? 0;
}

async function entriesSince(seq: number) {
  return entriesAfter(app.ctx.db, seq, 1000);
}

test("two devices: the list shows both with 「この端末」 on the right one; ending the other signs it out at its next request", async () => {
  const login = org.staff.kouhouStaff.employeeNo;
  const laptop = await signIn(http, login);
  const phone = await signIn(http, login);
  const laptopId = sessionIdOf(laptop);
  const phoneId = sessionIdOf(phone);

  const page = await laptop.text("/account/sessions");
  assert.match(withoutTags(page), /ログイン中の端末（2台）/);
  assert.equal(page.match(/>この端末</g)?.length, 1, "「この端末」 once");
  assert.ok(
    page.includes(`name="session" value="${phoneId}"`),
    "the phone can be signed out from the laptop",
  );
  assert.ok(!page.includes(`value="${laptopId}"`), "the laptop itself has no sign-out button here");
  assert.match(page, /1分に1回/, "says last use is written at most once a minute");
  assert.ok(!page.includes([...laptop.cookies.values()].join("")), "no raw session id on the page");
  const fromPhone = await phone.text("/account/sessions");
  assert.ok(fromPhone.includes(`value="${laptopId}"`) && !fromPhone.includes(`value="${phoneId}"`));

  const seq = await lastSeq();
  const ended = await laptop.post("/account/sessions/end", { session: phoneId });
  assert.equal(ended.status, 303);
  const next = await phone.get("/account/sessions");
  assert.equal(next.status, 303, "the phone's very next request is refused");
  assert.match(next.headers.get("location") ?? "", /^\/login/);
  assert.ok(await signedIn(laptop), "the laptop stays signed in");
  assert.match(withoutTags(await laptop.text("/account/sessions")), /ログイン中の端末（1台）/);

  const entries = await entriesSince(seq);
  assert.deepEqual(
    entries.map((e) => [e.action, e.targetId, e.summary]),
    [["auth.session_ended", String(org.staff.kouhouStaff.id), { ended: 1 }]],
  );
  assert.ok(!JSON.stringify(entries).includes(phoneId), "the audit entry names no session");
});

test("another person's session id is refused with 404 and that session stays signed in", async () => {
  const attacker = await signIn(http, org.staff.soumuStaff.employeeNo);
  const victim = await signIn(http, org.staff.kouhouManager.employeeNo);
  const seq = await lastSeq();
  const res = await attacker.post("/account/sessions/end", { session: sessionIdOf(victim) });
  assert.equal(res.status, 404);
  assert.match(withoutTags(await res.text()), /ログイン中の端末が見つかりません/);
  assert.ok(await signedIn(victim), "the other person's session was not ended");
  assert.deepEqual(await entriesSince(seq), [], "nothing recorded, nothing changed");
});

test("malformed bodies and this very device get a Japanese 4xx, never a 500, and end nothing", async () => {
  const b = await signIn(http, org.staff.soumuManager.employeeNo);
  const other = await signIn(http, org.staff.soumuManager.employeeNo);
  const seq = await lastSeq();
  const forms: Record<string, string>[] = [
    {},
    { session: "" },
    { session: "x".repeat(64) },
    { session: `${"a".repeat(63)}'` },
  ];
  for (const form of forms) {
    const res = await b.post("/account/sessions/end", form);
    assert.equal(res.status, 422, JSON.stringify(form));
    assert.match(withoutTags(await res.text()), /ログアウトさせる端末の指定が正しくありません/);
  }
  const self = await b.post("/account/sessions/end", { session: sessionIdOf(b) });
  assert.equal(self.status, 409);
  assert.match(withoutTags(await self.text()), /この端末は、画面上部の「ログアウト」/);
  assert.ok(await signedIn(b));
  assert.ok(await signedIn(other));
  assert.deepEqual(await entriesSince(seq), []);
});

test("without the CSRF token nothing ends", async () => {
  const b = await signIn(http, org.staff.desk.employeeNo);
  const other = await signIn(http, org.staff.desk.employeeNo);
  const one = await b.post("/account/sessions/end", { session: sessionIdOf(other) }, { csrf: null });
  assert.equal(one.status, 403);
  const all = await b.post("/account/sessions/end-others", {}, { csrf: null });
  assert.equal(all.status, 403);
  const admin = await signIn(http, org.staff.admin.employeeNo);
  const everyone = await admin.post("/admin/settings/end-all-sessions", {}, { csrf: null });
  assert.equal(everyone.status, 403);
  const person = await admin.post(`/staff/${org.staff.desk.id}/end-sessions`, {}, { csrf: null });
  assert.equal(person.status, 403);
  assert.ok(await signedIn(other));
  assert.ok(await signedIn(b));
});

test("「他の端末をすべてログアウトさせる」 ends every other device of the person, keeps this one, and no one else's", async () => {
  const login = org.staff.policyDirector.employeeNo;
  const here = await signIn(http, login);
  const second = await signIn(http, login);
  const third = await signIn(http, login);
  const someoneElse = await signIn(http, org.staff.auditor.employeeNo);
  assert.match(await here.text("/account/sessions"), /他の端末をすべてログアウトさせる/);
  const seq = await lastSeq();
  const res = await here.post("/account/sessions/end-others", {});
  assert.equal(res.status, 303);
  const page = await here.text("/account/sessions");
  assert.match(withoutTags(page), /他の端末（2台）をログアウトさせました/);
  assert.match(withoutTags(page), /ほかにログインしている端末はありません/);
  assert.equal(await signedIn(second), false);
  assert.equal(await signedIn(third), false);
  assert.ok(await signedIn(here));
  assert.ok(await signedIn(someoneElse));
  assert.deepEqual(
    (await entriesSince(seq)).map((e) => [e.action, e.summary]),
    [["auth.sessions_ended_all_others", { ended: 2 }]],
  );
});

test("an operator cannot use the administrators' actions: 403, and nothing ends", async () => {
  const operator = await signIn(http, org.staff.kouhouStaff.employeeNo);
  const victim = await signIn(http, org.staff.kouhouManager.employeeNo);
  const seq = await lastSeq();
  const person = await operator.post(`/staff/${org.staff.kouhouManager.id}/end-sessions`, {});
  assert.equal(person.status, 403);
  const everyone = await operator.post("/admin/settings/end-all-sessions", {});
  assert.equal(everyone.status, 403);
  assert.ok(await signedIn(victim));
  assert.ok(await signedIn(operator));
  const recorded = (await entriesSince(seq)).map((e) => e.action);
  assert.ok(
    recorded.every((a) => a === "auth.denied"),
    recorded.join(),
  );
});

test("an administrator ends all of one person's devices; that person's API token keeps working, others stay", async () => {
  const admin = await signIn(http, org.staff.admin.employeeNo);
  const one = await signIn(http, org.staff.soumuStaff.employeeNo);
  const two = await signIn(http, org.staff.soumuStaff.employeeNo);
  const bystander = await signIn(http, org.staff.kouhouStaff.employeeNo);
  const tokens = await apiTokens(app, org, ["soumuStaff"], "kept");
  const token = tokens.get("soumuStaff") ?? "";
  const detail = await admin.text(`/staff/${org.staff.soumuStaff.id}`);
  assert.match(detail, /この人のすべての端末をログアウトさせる/);
  assert.match(withoutTags(detail), /APIトークンは無効になりません/);
  const seq = await lastSeq();
  const res = await admin.post(`/staff/${org.staff.soumuStaff.id}/end-sessions`, {});
  assert.equal(res.status, 303);
  assert.equal(await signedIn(one), false);
  assert.equal(await signedIn(two), false);
  assert.ok(await signedIn(bystander));
  assert.ok(await signedIn(admin));
  assert.equal((await callApi(http, token, "GET", "/me")).status, 200, "the API token is not a session");
  const entries = await entriesSince(seq);
  assert.deepEqual(
    entries.map((e) => [e.action, e.targetId, e.summary]),
    [["auth.sessions_ended_for_person", String(org.staff.soumuStaff.id), { ended: 3 }]],
    "the two signed in here and the one from the earlier test",
  );
  const unknown = await admin.post("/staff/999999/end-sessions", {});
  assert.equal(unknown.status, 404);

  const adminElsewhere = await signIn(http, org.staff.admin.employeeNo);
  const own = await admin.post(`/staff/${org.staff.admin.id}/end-sessions`, {});
  assert.equal(own.status, 303);
  assert.ok(await signedIn(admin), "ending one's own keeps the device doing it");
  assert.equal(await signedIn(adminElsewhere), false);
});

test("the API lists one's devices (by token: none is 「この端末」) but offers no way to end them", async () => {
  const b = await signIn(http, org.staff.auditor.employeeNo);
  const tokens = await apiTokens(app, org, ["auditor"], "list");
  const res = await callApi(http, tokens.get("auditor") ?? "", "GET", "/sessions");
  assert.equal(res.status, 200);
  const body = (await json(res)) as { sessions: { id: string; current: boolean; device: string }[] };
  assert.ok(body.sessions.some((s) => s.id === sessionIdOf(b)));
  assert.ok(body.sessions.every((s) => s.current === false));
  const end = await callApi(http, tokens.get("auditor") ?? "", "DELETE", `/sessions/${sessionIdOf(b)}`);
  assert.equal(end.status, 404);
  assert.ok(await signedIn(b));
});

test("an administrator signs everyone out but their own device, in one audit entry with the count", async () => {
  const admin = await signIn(http, org.staff.admin.employeeNo);
  const adminElsewhere = await signIn(http, org.staff.admin.employeeNo);
  const people = [
    await signIn(http, org.staff.kouhouStaff.employeeNo),
    await signIn(http, org.staff.securityDirector.employeeNo),
  ];
  const settings = await admin.text("/admin/settings");
  assert.match(settings, /全員をログアウトさせる/);
  const seq = await lastSeq();
  const res = await admin.post("/admin/settings/end-all-sessions", {});
  assert.equal(res.status, 303);
  const after = withoutTags(await admin.text("/admin/settings"));
  assert.ok(await signedIn(admin), "the administrator's own device stays");
  assert.equal(await signedIn(adminElsewhere), false, "their other devices end too");
  for (const b of people) assert.equal(await signedIn(b), false);
  const entries = await entriesSince(seq);
  assert.equal(entries.length, 1);
  assert.equal(entries[0]?.action, "auth.sessions_ended_everyone");
  const ended = (entries[0]?.summary as { ended?: unknown } | null)?.ended;
  assert.ok(typeof ended === "number" && ended >= 3, `ended ${String(ended)}`);
  assert.match(after, new RegExp(`すべての端末（${ended}台）をログアウトさせました`));
});
