/**
 * `snsgov user` as an administrator with shell access uses it, in-process against the test
 * database (both drivers): registering an administrator whose printed link really sets a
 * password, resetting by e-mail or employee number, and the list of people and their roles.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { desc, eq } from "drizzle-orm";
import { type TestApp, testApp } from "../../test/support/context.ts";
import { seedOrg, type TestOrg } from "../../test/support/org.ts";
import { login, peekPasswordLink, redeemPasswordLink, setPasswordDirectly } from "../app/auth/sessions.ts";
import { setStaffActive } from "../app/staff/people.ts";
import { auditLog } from "../db/schema.ts";
import { execute, parseUserArgs, run, type UserCommand } from "./user.ts";

let app: TestApp;
let org: TestOrg;

before(async () => {
  app = await testApp({ env: { SNSGOV_PUBLIC_URL: "https://sns.city.example.lg.jp" } });
  org = await seedOrg(app.ctx);
});
after(async () => {
  await app.close();
});

/** Runs a `user` command line in-process; returns exit code and output. */
async function user(...args: string[]) {
  let out = "";
  let err = "";
  const code = await run(args, {
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
    open: async () => ({ ctx: app.ctx, close: async () => {} }),
  });
  return { code, out, err };
}

const PASSPHRASE = "correct horse battery staple 2026";
const linkIn = (text: string) =>
  /https:\/\/sns\.city\.example\.lg\.jp\/password\/([A-Za-z0-9_-]{43})\n/.exec(text)?.[1];

test("bad command lines are named and exit with 2", async () => {
  assert.equal(parseUserArgs([]), "missing user command");
  assert.equal(parseUserArgs(["delete"]), 'unknown user command "delete"');
  assert.equal(
    parseUserArgs(["reset-password"]),
    "reset-password needs the LOGIN (e-mail or employee number)",
  );
  assert.equal(parseUserArgs(["list", "--name", "x"]), '--name does not apply to "user list"');
  assert.equal(
    parseUserArgs(["create-admin", "--employee-no", "A1", "--name", "管理 一郎"]),
    "create-admin needs --email, --department, --position",
  );
  const expected: UserCommand = {
    name: "create-admin",
    input: {
      employeeNo: "A1",
      name: "管理 一郎",
      email: "a1@city.example.lg.jp",
      department: "soumu",
      position: "shuji",
      division: "soumuka",
    },
  };
  assert.deepEqual(
    parseUserArgs([
      "create-admin",
      "--employee-no",
      "A1",
      "--name",
      "管理 一郎",
      "--email",
      "a1@city.example.lg.jp",
      "--department",
      "soumu",
      "--position",
      "shuji",
      "--division",
      "soumuka",
    ]),
    expected,
  );
  const bad = await user("create-admin", "--employee-no", "A1");
  assert.equal(bad.code, 2);
  assert.match(
    bad.err,
    /^snsgov user: create-admin needs --name, --email, --department, --position\nusage: /,
  );
});

test("create-admin registers an administrator whose one-time link sets the password", async () => {
  const created = await user(
    "create-admin",
    "--employee-no",
    "A100",
    "--name",
    "管理 一郎",
    "--email",
    "kanri1@city.example.lg.jp",
    "--department",
    "soumu",
    "--division",
    "soumuka",
    "--position",
    "shuji",
  );
  assert.equal(created.code, 0, created.err);
  assert.match(
    created.out,
    /^administrator registered: 管理 一郎 \(employee no A100, kanri1@city\.example\.lg\.jp\), role admin\nthey set their password at this one-time URL \(works once, until 2026-11-27 09:00 JST\):\n {2}https:/,
  );
  const raw = linkIn(created.out);
  assert.ok(raw, created.out);
  assert.equal((await peekPasswordLink(app.ctx, raw))?.purpose, "setup");
  await redeemPasswordLink(app.ctx, { raw, password: PASSPHRASE });
  const signedIn = await login(app.ctx, {
    login: "A100",
    password: PASSPHRASE,
    ip: "192.0.2.9",
    userAgent: "t",
  });
  assert.equal(signedIn.kind, "signed_in");
  assert.equal(await peekPasswordLink(app.ctx, raw), undefined, "the link works once");

  const entries = await app.ctx.db
    .select({ action: auditLog.action, actor: auditLog.actorLabel })
    .from(auditLog)
    .where(eq(auditLog.actorLabel, "cli"))
    .orderBy(auditLog.seq);
  assert.deepEqual(
    entries.map((e) => e.action),
    ["staff.create", "role.assign", "auth.setup_link"],
  );

  const again = await user(
    "create-admin",
    "--employee-no",
    "A100",
    "--name",
    "管理 二郎",
    "--email",
    "kanri2@city.example.lg.jp",
    "--department",
    "soumu",
    "--position",
    "shuji",
  );
  assert.equal(again.code, 1);
  assert.match(again.err, /^snsgov user: already registered: 職員番号「A100」.*すでに登録されています。\n$/);
  const wrongDivision = await user(
    "create-admin",
    "--employee-no",
    "A101",
    "--name",
    "管理 三郎",
    "--email",
    "kanri3@city.example.lg.jp",
    "--department",
    "soumu",
    "--division",
    "nosuch",
    "--position",
    "shuji",
  );
  assert.deepEqual(wrongDivision, {
    code: 1,
    out: "",
    err: 'snsgov user: there is no division with code "nosuch"\n',
  });
});

test("reset-password by e-mail or employee number ends sessions, revokes API tokens and voids the previous link", async () => {
  const person = org.staff.kouhouStaff;
  await setPasswordDirectly(app.ctx, { actor: org.actors.admin, staffId: person.id, password: PASSPHRASE });
  const { createApiToken, resolveApiToken } = await import("../app/auth/api-tokens.ts");
  const { token } = await createApiToken(app.ctx, { actor: org.actors.kouhouStaff, input: { name: "連携" } });
  const session = await login(app.ctx, {
    login: person.email,
    password: PASSPHRASE,
    ip: "192.0.2.1",
    userAgent: "t",
  });

  const first = await user("reset-password", person.email.toUpperCase());
  assert.equal(first.code, 0, first.err);
  assert.match(
    first.out,
    new RegExp(
      `^password reset link \\(their sessions have been ended, 1 API token\\(s\\) revoked; earlier links no longer work\\) for ${person.name} \\(employee no ${person.employeeNo}, `,
    ),
  );
  const firstLink = linkIn(first.out);
  assert.ok(firstLink);
  const { resolveSession } = await import("../app/auth/sessions.ts");
  assert.equal(await resolveSession(app.ctx, session.session.rawId), undefined, "signed out everywhere");
  assert.equal(await resolveApiToken(app.ctx, token), undefined, "the API token is revoked");

  const second = await user("reset-password", person.employeeNo);
  assert.equal(second.code, 0);
  const secondLink = linkIn(second.out);
  assert.ok(secondLink);
  assert.equal(await peekPasswordLink(app.ctx, firstLink), undefined, "the earlier link no longer works");
  assert.equal((await peekPasswordLink(app.ctx, secondLink))?.purpose, "reset");

  const nobody = await user("reset-password", "nobody@example.jp");
  assert.deepEqual(nobody, {
    code: 1,
    out: "",
    err: 'snsgov user: nobody has the login "nobody@example.jp" (an e-mail address or employee number)\n',
  });
  await setStaffActive(app.ctx, { actor: org.actors.admin, id: org.staff.soumuStaff.id, active: false });
  const inactive = await user("reset-password", org.staff.soumuStaff.employeeNo);
  assert.equal(inactive.code, 1);
  assert.match(inactive.err, /is inactive; make them active again first\n$/);
});

test("list shows every person, whether they can sign in, and their roles, derived and assigned", async () => {
  const listed = await user("list");
  assert.equal(listed.code, 0, listed.err);
  const lines = listed.out.split("\n");
  assert.match(lines[0] ?? "", /^EMPLOYEE NO {2}NAME +EMAIL +ACTIVE {2}PASSWORD {2}ROLES$/);
  const row = (employeeNo: string) => lines.find((l) => l.startsWith(`${employeeNo} `)) ?? "";
  assert.match(row(org.staff.admin.employeeNo), /管理 太郎 +t1@city\.example\.lg\.jp +yes +not set +admin$/);
  assert.match(row("A100"), /管理 一郎 +kanri1@city\.example\.lg\.jp +yes +set +admin$/);
  assert.match(
    row(org.staff.kouhouManager.employeeNo),
    / yes +not set +account_manager \(division kouhou\), from position$/,
  );
  assert.match(
    row(org.staff.policyDirector.employeeNo),
    / department_head \(department seisaku\), from position; policy_director, from position$/,
  );
  assert.match(row(org.staff.soumuStaff.employeeNo), / no +not set +-$/);
  assert.equal(lines.at(-2), "10 people, 9 active, 2 with a password");
  assert.doesNotMatch(listed.out, /argon2|\$[0-9a-z]+\$/, "no password hash is printed");

  const last = await app.ctx.db.select().from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
  const before = last[0]?.seq;
  await execute(
    { name: "list" },
    { out: () => {}, err: () => {}, open: async () => ({ ctx: app.ctx, close: async () => {} }) },
  );
  const after = await app.ctx.db.select().from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
  assert.equal(after[0]?.seq, before, "listing changes nothing");
});
