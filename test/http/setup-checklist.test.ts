/**
 * The administrator's first-day checklist on the dashboard: shown from the first sign-in, each item
 * computed from what is really in place (organisation, staff, the directors from posts, the
 * consultation desk, an auditor, sign-in links, e-mail, a first backup) with why it matters, and
 * gone once everything is done; an external database's backup is recorded by hand.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { loadActor } from "../../src/app/actors.ts";
import { issuePasswordLink } from "../../src/app/auth/sessions.ts";
import type { StaffActor } from "../../src/app/context.ts";
import { importOrg } from "../../src/app/org/import.ts";
import { ensureFirstAdmin } from "../../src/app/setup.ts";
import { setupChecklist } from "../../src/app/setup-checklist.ts";
import { importStaff } from "../../src/app/staff/import.ts";
import { holdersOf } from "../../src/app/staff/role-grants.ts";
import { approveRole, assignRole } from "../../src/app/staff/roles.ts";
import { appendBackupLog } from "../../src/db/backup-log.ts";
import { lastEntry } from "../../src/db/repos/audit.ts";
import { findStaffByEmployeeNo, listAssignments } from "../../src/db/repos/staff.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { type TestApp, testApp } from "../support/context.ts";
import { givePassword, signIn } from "../support/http.ts";

let app: TestApp;
let dataDir: string;
let admin: StaffActor;

const staffCsv = [
  "employee_no,name,kana,email,department_code,division_code,position_code,active",
  "S001,政策 部長,せいさく ぶちょう,s001@city.example.lg.jp,100,,10,1",
  "S002,総務 部長,そうむ ぶちょう,s002@city.example.lg.jp,200,,10,1",
  "S003,発信 課長,はっしん かちょう,s003@city.example.lg.jp,100,102,20,1",
  "S004,監査 一子,かんさ いちこ,s004@city.example.lg.jp,200,203,50,1",
  "S005,市民 部長,しみん ぶちょう,s005@city.example.lg.jp,300,,10,1",
].join("\n");

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "snsgov-setup-"));
  app = await testApp({ env: { SNSGOV_DATA_DIR: dataDir } });
  await ensureFirstAdmin(app.ctx);
  const first = await findStaffByEmployeeNo(app.ctx.db, "admin");
  assert.ok(first);
  await givePassword(app, first.id);
  const actor = await loadActor(app.ctx.db, first.id, "session", app.clock.now());
  assert.ok(actor);
  admin = actor;
});
after(async () => {
  await app.close();
  await rm(dataDir, { recursive: true, force: true });
});

function section(html: string, id: string): string {
  const m = new RegExp(`<li id="setup-${id}">(.*?)</li>`, "s").exec(html);
  assert.ok(m?.[1], `item ${id} is listed`);
  return m[1];
}
const isDone = (html: string, id: string) => section(html, id).includes("済み</span>");
const smtp = {
  host: "mail.city.example.lg.jp",
  port: 587,
  secure: "starttls",
  auth: undefined,
  from: "snsgov@city.example.lg.jp",
} as const;

async function staffId(no: string): Promise<number> {
  const person = await findStaffByEmployeeNo(app.ctx.db, no);
  assert.ok(person, no);
  return person.id;
}

test("from the first sign-in to the last item: each step is read from the real state, then the list is gone", async () => {
  const http = createHttpApp(app.ctx);
  const b = await signIn(http, "admin");
  let html = await b.text("/");
  assert.ok(html.includes("初期設定（残り9件）"), "every item is open on the first day");
  assert.ok(html.indexOf('id="setup-title"') < html.indexOf('id="tasks-title"'), "the checklist comes first");
  assert.ok(section(html, "org").includes('href="/staff/import?kind=org"'), "links to where to do it");
  assert.ok(
    section(html, "policy_director").includes(
      "総合政策部長が決まっていないため、アカウントの申請を承認できません（第4-1(2)）。",
    ),
  );
  assert.ok(section(html, "security_director").includes("第4-5(1)"));
  assert.ok(section(html, "consultation_desk").includes("第10"));
  assert.ok(section(html, "auditor").includes("第9"));
  assert.ok(section(html, "mail").includes("SNSGOV_SMTP_HOST"));
  assert.ok(section(html, "backup").includes("snsgov db backup"), "the command to run is shown");
  assert.doesNotMatch(
    section(html, "backup"),
    /記録する<\/button>/,
    "the embedded database's backup is not ticked by hand",
  );

  // The organisation and the staff, through the import use cases.
  const orgCsv = await readFile(new URL("../fixtures/org.csv", import.meta.url));
  assert.ok((await importOrg(app.ctx, { actor: admin, data: orgCsv })).applied);
  html = await b.text("/");
  assert.ok(isDone(html, "org") && !isDone(html, "staff"));
  assert.ok((await importStaff(app.ctx, { actor: admin, data: staffCsv })).applied);
  html = await b.text("/");
  assert.ok(isDone(html, "staff"));
  // The directors follow from the posts (4.1.2): nobody ticks them.
  assert.ok(isDone(html, "policy_director") && section(html, "policy_director").includes("政策 部長さん"));
  assert.ok(
    isDone(html, "security_director") && section(html, "security_director").includes("総務 部長さん"),
  );
  // The consultation desk points at the ふるさと発信課長's page.
  const s003 = await staffId("S003");
  assert.ok(!isDone(html, "consultation_desk"));
  assert.ok(section(html, "consultation_desk").includes(`href="/staff/${s003}"`));
  await assignRole(app.ctx, { actor: admin, input: { staffId: s003, role: "consultation_desk" } });

  // An auditor: proposed (still open, says who must approve), then approved by a director (9).
  const s004 = await staffId("S004");
  await assignRole(app.ctx, {
    actor: admin,
    input: { staffId: s004, role: "auditor", validUntil: "2027-03-31" },
  });
  html = await b.text("/");
  assert.ok(isDone(html, "consultation_desk"));
  assert.ok(!isDone(html, "auditor") && section(html, "auditor").includes("監査 一子さんを提案済みです"));
  const director = await loadActor(app.ctx.db, await staffId("S001"), "session", app.clock.now());
  assert.ok(director);
  const [proposal] = (await listAssignments(app.ctx.db, s004)).filter((a) => a.role === "auditor");
  assert.ok(proposal);
  await approveRole(app.ctx, { actor: director, id: proposal.id });
  html = await b.text("/");
  assert.ok(isDone(html, "auditor"));

  // Sign-in links for those who hold the roles (the 部長 of every department included).
  const invite = section(html, "invite");
  assert.ok(!isDone(html, "invite"));
  assert.match(invite, /まだリンクを渡していない職員が5人います/);
  assert.ok(invite.includes("市民 部長さん"), "a department head approves first (4.1.2)");
  for (const role of [
    "policy_director",
    "security_director",
    "department_head",
    "consultation_desk",
    "auditor",
  ]) {
    for (const person of await holdersOf(app.ctx.db, role, app.clock.now())) {
      if (person.employeeNo === "S005") await givePassword(app, person.id);
      else await issuePasswordLink(app.ctx, { actor: admin, staffId: person.id });
    }
  }
  html = await b.text("/");
  assert.ok(isDone(html, "invite"), section(html, "invite"));
  assert.ok(html.includes("初期設定（残り2件）"));

  // E-mail and the first backup are read from the configuration and the backup record.
  const mailed = createHttpApp({
    ...app.ctx,
    config: {
      ...app.ctx.config,
      smtp,
    },
  });
  const m = await signIn(mailed, "admin");
  html = await m.text("/");
  assert.ok(isDone(html, "mail") && section(html, "mail").includes("mail.city.example.lg.jp:587"));
  await appendBackupLog(dataDir, { at: app.clock.now(), file: "/backups/first.tar.gz", bytes: 123 });
  html = await m.text("/");
  assert.doesNotMatch(html, /初期設定（残り/, "every item done: the checklist is gone");
  assert.ok(
    (
      await setupChecklist({ ...app.ctx, config: { ...app.ctx.config, smtp: undefined } }, { actor: admin })
    )?.some((i) => i.id === "mail" && !i.done),
    "and comes back if e-mail is switched off",
  );
});

test("only an administrator sees it; a 部長 does not", async () => {
  const http = createHttpApp(app.ctx);
  const head = await signIn(http, "S005");
  assert.doesNotMatch(await head.text("/"), /初期設定（残り/);
  const refused = await head.post("/setup/backup-recorded", {});
  assert.equal(refused.status, 403);
});

test("with an external PostgreSQL server the backup cannot be seen: it is recorded by hand, once, and says so", async () => {
  const external = createHttpApp({
    ...app.ctx,
    config: { ...app.ctx.config, smtp, databaseUrl: "postgres://snsgov@db.city.example.lg.jp/snsgov" },
  });
  const b = await signIn(external, "admin");
  let html = await b.text("/");
  const backup = section(html, "backup");
  assert.ok(backup.includes("このシステムからは確かめられません"), "says why it is by hand");
  assert.ok(backup.includes("バックアップを取ったことを記録する</button>"));
  const res = await b.post("/setup/backup-recorded", {});
  assert.equal(res.status, 303);
  const entry = await lastEntry(app.ctx.db);
  assert.equal(entry?.action, "setup.backup_recorded");
  html = await b.text("/");
  assert.doesNotMatch(html, /初期設定（残り/, "the hand record completes the list");
});
