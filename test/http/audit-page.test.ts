/**
 * The audit log pages as an auditor and a security director use them: filter the log, and ask
 * whether it is intact (which names the first bad entry after someone tampers with it).
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { sql } from "drizzle-orm";
import { createCheckpoint } from "../../src/app/audit-checkpoint.ts";
import { loadSigningKey } from "../../src/app/audit-keys.ts";
import { createDepartment } from "../../src/app/org.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { type TestApp, testApp } from "../support/context.ts";
import { givePassword, signIn } from "../support/http.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";

let app: TestApp;
let org: TestOrg;
let http: ReturnType<typeof createHttpApp>;
let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "snsgov-audit-page-"));
  app = await testApp({ env: { SNSGOV_AUDIT_KEY_FILE: join(dir, "key.pem") } });
  org = await seedOrg(app.ctx);
  for (const p of [org.staff.auditor, org.staff.kouhouStaff, org.staff.securityDirector])
    await givePassword(app, p.id);
  http = createHttpApp(app.ctx);
});
after(async () => {
  await app.close();
  await rm(dir, { recursive: true, force: true });
});

test("the auditor filters the log by action and sees only those entries", async () => {
  await createDepartment(app.ctx, { actor: org.actors.admin, input: { code: "kanko", name: "観光部" } });
  const b = await signIn(http, org.staff.auditor.employeeNo);
  const html = await b.text("/audit?action=department.");
  assert.ok(html.includes("部の追加"));
  assert.ok(!html.includes("パスワード設定"), "other actions are filtered out");
});

test("someone without the role cannot open the audit log", async () => {
  const b = await signIn(http, org.staff.kouhouStaff.employeeNo);
  assert.equal((await b.get("/audit")).status, 403);
  assert.equal((await b.get("/audit/verify")).status, 403);
});

test("the intact log verifies; after tampering the page names the first bad entry", async () => {
  const key = await loadSigningKey(app.ctx.config.auditKeyFile);
  await createCheckpoint(app.ctx, key.privateKey);
  const b = await signIn(http, org.staff.securityDirector.employeeNo);
  const ok = await b.text("/audit/verify");
  assert.ok(ok.includes("監査ログに改ざんは見つかりませんでした。"));

  await app.ctx.db.execute(sql`alter table audit_log disable trigger user`);
  await app.ctx.db.execute(sql`update audit_log set summary = '{"after":{"name":"書き換え"}}' where seq = 2`);
  await app.ctx.db.execute(sql`alter table audit_log enable trigger user`);
  const broken = await b.text("/audit/verify");
  assert.ok(broken.includes("監査ログの番号 2 以降に不整合があります。"));
});
