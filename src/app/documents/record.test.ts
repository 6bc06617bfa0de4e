/**
 * 文書番号・決裁日 from the city's document-management system: recorded by staff, audited, and
 * corrected only as a new version with a reason; every version stays.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { seedKouhouAccount } from "../../../test/support/accounts.ts";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { entriesAfter, lastEntry } from "../../db/repos/audit.ts";
import { documentVersions } from "../../db/repos/documents.ts";
import { AppError } from "../../errors.ts";
import { recordDocument } from "./record.ts";

let app: TestApp;
let org: TestOrg;

before(async () => {
  app = await testApp({ start: "2026-01-15T01:00:00Z" });
  org = await seedOrg(app.ctx);
});
after(() => app.close());

const refusedWith = (status: number, text: string) => (e: unknown) =>
  e instanceof AppError &&
  e.status === status &&
  [e.message, ...e.fields.map((f) => f.message)].join("").includes(text);

test("a 文書番号 is recorded, and corrected as a new version with a reason", async () => {
  const account = await seedKouhouAccount(app.ctx, org);
  const subject = { type: "application" as const, id: account.id };
  const seq = (await lastEntry(app.ctx.db))?.seq ?? 0;
  const first = await recordDocument(app.ctx, {
    actor: org.actors.kouhouStaff,
    subject,
    input: { documentNumber: "いわ広第100号", decidedOn: "2026-01-14" },
  });
  assert.equal(first.version, 1);
  await assert.rejects(
    recordDocument(app.ctx, {
      actor: org.actors.kouhouStaff,
      subject,
      input: { documentNumber: "いわ広第101号", decidedOn: "2026-01-14" },
    }),
    refusedWith(422, "訂正の理由を入力してください"),
  );
  await assert.rejects(
    recordDocument(app.ctx, {
      actor: org.actors.kouhouStaff,
      subject,
      input: { documentNumber: "いわ広第100号", decidedOn: "2026-01-14", reason: "念のため" },
    }),
    refusedWith(422, "記録済みの内容と同じです"),
  );
  await assert.rejects(
    recordDocument(app.ctx, {
      actor: org.actors.kouhouStaff,
      subject,
      input: { documentNumber: "いわ広第101号", decidedOn: "2026-01-16", reason: "日付の誤り" },
    }),
    refusedWith(422, "未来の日付"),
  );
  const second = await recordDocument(app.ctx, {
    actor: org.actors.kouhouManager,
    subject,
    input: { documentNumber: "いわ広第101号", decidedOn: "2026-01-14", reason: "番号の転記誤り" },
  });
  assert.equal(second.version, 2);
  const versions = await documentVersions(app.ctx.db, subject);
  assert.deepEqual(
    versions.map((v) => [v.version, v.documentNumber, v.reason, v.recordedByName]),
    [
      [2, "いわ広第101号", "番号の転記誤り", org.staff.kouhouManager.name],
      [1, "いわ広第100号", "", org.staff.kouhouStaff.name],
    ],
  );
  const entries = (await entriesAfter(app.ctx.db, seq, 100)).filter((e) => e.action === "document.record");
  assert.equal(entries.length, 2, "one audit entry per version");
  assert.match(
    JSON.stringify(entries[1]?.summary),
    /"documentNumber":{"after":"いわ広第101号","before":"いわ広第100号"}/,
  );
});

test("another division records nothing on an account it does not manage", async () => {
  const account = await seedKouhouAccount(app.ctx, org);
  await assert.rejects(
    recordDocument(app.ctx, {
      actor: org.actors.soumuStaff,
      subject: { type: "application", id: account.id },
      input: { documentNumber: "総第1号" },
    }),
    (e: unknown) => e instanceof AppError && e.status === 403,
  );
});
