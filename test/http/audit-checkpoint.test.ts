/**
 * The newest signed audit checkpoint as everyone sees it (GET /public/audit-checkpoint.json): a
 * copy anyone can keep and check offline with the published key, and later hold the database
 * against. And the staff verification page naming the entries a rewritten chain may have changed.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { checkpointJsonSchema, fromCheckpointJson } from "../../src/app/audit/anchor.ts";
import { createCheckpoint } from "../../src/app/audit/checkpoint.ts";
import { loadSigningKey, parsePublicKey } from "../../src/app/audit/keys.ts";
import { verifyAudit } from "../../src/app/audit/verify.ts";
import { createDepartment } from "../../src/app/org/units.ts";
import { lastChainedCheckpoint } from "../../src/db/repos/audit.ts";
import { checkpointHash, checkpointSignatureValid, keyIdOf } from "../../src/domain/audit-chain.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { rewriteChainFrom } from "../support/audit.ts";
import { type TestApp, testApp } from "../support/context.ts";
import { givePassword, signIn } from "../support/http.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";

let app: TestApp;
let org: TestOrg;
let http: ReturnType<typeof createHttpApp>;
let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "snsgov-audit-checkpoint-"));
  app = await testApp({ env: { SNSGOV_AUDIT_KEY_FILE: join(dir, "key.pem") } });
  org = await seedOrg(app.ctx);
  await givePassword(app, org.staff.securityDirector.id);
  http = createHttpApp(app.ctx);
});
after(async () => {
  await app.close();
  await rm(dir, { recursive: true, force: true });
});

async function sign(): Promise<void> {
  const key = await loadSigningKey(app.ctx.config.auditKeyFile);
  assert.equal((await createCheckpoint(app.ctx, key.privateKey, { renewAfterMs: 0 })).kind, "created");
}

async function department(code: string): Promise<void> {
  await createDepartment(app.ctx, { actor: org.actors.admin, input: { code, name: `${code}部` } });
  app.clock.advance(60_000);
}

test("(f) the newest checkpoint is public, and its signature verifies with the key published with it", async () => {
  const none = await http.request("/public/audit-checkpoint.json");
  assert.equal(none.status, 404);
  assert.deepEqual(await none.json(), {
    error: { code: "not_found", message: "署名付きのチェックポイントはまだありません。" },
  });

  await sign();
  await department("kanko");
  app.clock.advance(11_000); // past the short memo of the answer
  await sign();
  const res = await http.request("/public/audit-checkpoint.json");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("cache-control"), "public, max-age=60");
  assert.equal(res.headers.get("access-control-allow-origin"), "*");
  assert.equal(res.headers.get("set-cookie"), null);
  const published = checkpointJsonSchema.parse(await res.json());
  const newest = await lastChainedCheckpoint(app.ctx.db);
  assert.ok(newest && published.publicKey);
  assert.deepEqual(
    [published.seq, published.hash, published.prevHash, published.entry],
    [2, newest.hash, newest.prevHash, newest.entry],
  );

  // What anyone can check offline, with nothing but the document.
  const key = parsePublicKey(published.publicKey);
  assert.equal(keyIdOf(key), published.keyId);
  const checkpoint = fromCheckpointJson(published);
  assert.equal(checkpointHash(checkpoint), published.hash);
  assert.ok(checkpointSignatureValid(checkpoint, key));
  assert.ok(!checkpointSignatureValid({ ...checkpoint, entry: { ...checkpoint.entry, seq: 1 } }, key));

  // A saved copy (even pretty-printed) is an anchor to hold the database against.
  const saved = join(dir, "audit-checkpoint.json");
  await writeFile(saved, JSON.stringify(published, null, 2));
  const result = await verifyAudit(app.ctx.db, key, { now: app.clock.now(), anchorFiles: [saved] });
  assert.equal(result.ok, true, result.firstProblem?.reason);
  assert.equal(result.anchors, 1);
});

test("(d) the verification page names the entries a rewritten chain may have changed", async () => {
  await department("shoko");
  await sign();
  const firstSigned = (await lastChainedCheckpoint(app.ctx.db))?.entry.seq ?? 0;
  await department("kensetsu");
  await department("suido");
  await sign();
  const secondSigned = (await lastChainedCheckpoint(app.ctx.db))?.entry.seq ?? 0;
  await rewriteChainFrom(app.ctx.db, firstSigned + 2, { note: "書き換え" });

  const b = await signIn(http, org.staff.securityDirector.employeeNo);
  const html = await b.text("/audit/verify");
  assert.ok(html.includes("監査ログの番号"), html);
  assert.ok(
    html.includes(
      `番号 ${firstSigned + 1} から ${secondSigned} までの記録が書き換えられた可能性があります。`,
    ),
    html,
  );
  assert.match(html, /署名付きチェックポイント #\d+ が記録と一致しません（#\d+ までは一致しています）。/);
});
