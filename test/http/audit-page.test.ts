/**
 * The audit log pages as an auditor and a security director use them: filter the log by an
 * action's Japanese label, read each entry's details as sentences (the JSON one click away),
 * export what a filter finds as CSV, and ask whether the log is intact (which names the first bad
 * entry after someone tampers with it).
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { sql } from "drizzle-orm";
import { createCheckpoint } from "../../src/app/audit/checkpoint.ts";
import { loadSigningKey } from "../../src/app/audit/keys.ts";
import { exportAuditCsv } from "../../src/app/audit/read.ts";
import { createDepartment } from "../../src/app/org/units.ts";
import { approvePost } from "../../src/app/posts/decide.ts";
import { draftPost } from "../../src/app/posts/draft.ts";
import { submitPost } from "../../src/app/posts/submit.ts";
import { AppError } from "../../src/errors.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { seedKouhouAccount } from "../support/accounts.ts";
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
  assert.ok(!html.includes('<div class="hint mono">auth.'), "other actions are filtered out");
});

test("an approval reads as sentences with its JSON one click away, and the filter offers Japanese labels", async () => {
  const account = await seedKouhouAccount(app.ctx, org);
  const [post] = await draftPost(app.ctx, {
    actor: org.actors.kouhouStaff,
    input: {
      accounts: [
        { accountId: account.id, text: "【サンプル】市役所本庁舎の窓口は、本日17時15分まで開いています。" },
      ],
    },
  });
  assert.ok(post);
  await submitPost(app.ctx, { actor: org.actors.kouhouStaff, id: post.id, input: { version: post.version } });
  await approvePost(app.ctx, {
    actor: org.actors.kouhouManager,
    id: post.id,
    input: { version: post.version },
  });

  const b = await signIn(http, org.staff.auditor.employeeNo);
  const html = await b.text("/audit?action=post.approve");
  assert.match(html, /<optgroup label="投稿">/, "the filter groups actions by area");
  assert.match(html, /<option value="post\.approve" selected="">投稿の承認<\/option>/);
  assert.match(html, /<option value="post\.">投稿のすべての操作<\/option>/);
  assert.ok(html.includes("投稿の承認"));
  assert.ok(html.includes("版1を承認（コメントなし）"), "the decision reads as a sentence");
  assert.ok(html.includes("状態: 承認待ち → 承認済"));
  assert.ok(html.includes(`投稿 #${post.id}`), "the target reads in Japanese");
  assert.match(html, /<details class="audit-json"><summary>記録（JSON）<\/summary><pre class="mono">\{/);
  assert.ok(!html.includes("版1の承認を申請"), "an action is matched exactly: not the submission");

  const area = await b.text("/audit?action=post.");
  assert.ok(
    area.includes("版1の承認を申請") && area.includes("版1を承認（コメントなし）"),
    "an area: all its actions",
  );
  assert.ok(!area.includes('<div class="hint mono">department.'), "not other areas");
});

test("the auditor exports the filtered log as CSV with the same labels; the export is recorded", async () => {
  const b = await signIn(http, org.staff.auditor.employeeNo);
  assert.match(await b.text("/audit"), /href="\/audit\/export\.csv"/);
  const res = await b.get("/audit/export.csv?action=post.");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /text\/csv/);
  const csv = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await res.arrayBuffer());
  assert.ok(
    csv.startsWith("\uFEFF番号,日時,操作した人,分野,操作,操作（記録上の名前）,対象,内容,記録（JSON）\r\n"),
  );
  assert.match(
    csv,
    /,投稿,投稿の承認,post\.approve,投稿 #\d+,版1を承認（コメントなし）。状態: 承認待ち → 承認済/,
  );
  assert.ok(!csv.includes("部の追加"), "only what the filter finds");

  const log = await b.text("/audit?action=audit.export");
  assert.ok(log.includes("監査ログのCSV書き出し"), "the export is in the log");

  const director = await signIn(http, org.staff.securityDirector.employeeNo);
  assert.ok(
    !(await director.text("/audit")).includes("/audit/export.csv"),
    "no link for a reader who may not export",
  );
  assert.equal((await director.get("/audit/export.csv")).status, 403);
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

test("more entries than one CSV may hold are refused with what to do, never cut off; the refusal exports nothing", async () => {
  const before = (await exportAuditCsv(app.ctx, { actor: org.actors.auditor, filter: {}, limit: 100_000 }))
    .count;
  await assert.rejects(
    exportAuditCsv(app.ctx, { actor: org.actors.auditor, filter: {}, limit: before - 1 }),
    (e: unknown) =>
      e instanceof AppError &&
      e.status === 422 &&
      e.message.includes("条件を絞り込んで") &&
      e.message.includes("snsgov audit export"),
  );
  const exported = await exportAuditCsv(app.ctx, {
    actor: org.actors.auditor,
    filter: {},
    limit: before + 1,
  });
  assert.equal(exported.count, before + 1, "all of them, the first export's own entry included");
});
