/**
 * Accounts that existed before the system (既存アカウントとして登録): recorded by an administrator
 * with the original 起案's 文書番号 and the paper approval dates, confirmed by the policy
 * director, never pretending they went through the system's approvals; marked in the registry,
 * the history and the audit log.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { findAccount, listApprovals, listEvents } from "../../db/repos/accounts.ts";
import { entriesAfter, lastEntry } from "../../db/repos/audit.ts";
import { documentVersions } from "../../db/repos/documents.ts";
import { listFilings } from "../../db/repos/filings.ts";
import { AppError } from "../../errors.ts";
import { decideExistingAccount, recordExistingAccount } from "./existing.ts";
import { searchAccounts } from "./read.ts";

let app: TestApp;
let org: TestOrg;

before(async () => {
  app = await testApp({ start: "2026-01-15T01:00:00Z" });
  org = await seedOrg(app.ctx);
});
after(() => app.close());

const isError = (code: number, text?: string) => (e: unknown) =>
  e instanceof AppError && e.status === code && (text === undefined || e.message.includes(text));

let n = 0;
function input(over: Record<string, unknown> = {}) {
  n++;
  return {
    divisionId: org.divisions.kouhou.id,
    platform: "x",
    name: `いわき市広報（既存${n}）`,
    url: `https://x.com/iwaki_old${n}`,
    platformCreatedOn: "2019-04-01",
    purpose: "市政情報の発信",
    homepageUrl: "https://www.city.iwaki.lg.jp/www/sns/koho.html",
    operatorIds: [org.staff.kouhouStaff.id],
    holderIds: [org.staff.kouhouStaff.id],
    loginEmail: "koho-sns@city.example.lg.jp",
    loginOwner: "広報広聴課の共用メールアドレス（課長が管理）",
    mfaEnabled: true,
    documentNumber: "いわ広第512号",
    draftedOn: "2019-03-20",
    departmentApprovedOn: "2019-03-25",
    policyApprovedOn: "2019-03-28",
    ...over,
  };
}

test("an administrator records an existing account with its paper 起案; the policy director confirms it", async () => {
  const seq = (await lastEntry(app.ctx.db))?.seq ?? 0;
  const a = await recordExistingAccount(app.ctx, { actor: org.actors.admin, input: input() });
  assert.equal(a.status, "existing_pending");
  assert.equal(a.origin, "existing");
  assert.equal(a.managerId, org.staff.kouhouManager.id, "the division head manages it (4.1.4)");
  const [doc] = await documentVersions(app.ctx.db, { type: "application", id: a.id });
  assert.equal(doc?.documentNumber, "いわ広第512号", "the original 起案's 文書番号");
  assert.equal(doc?.decidedOn, "2019-03-28");
  const [recorded] = await entriesAfter(app.ctx.db, seq, 10);
  assert.equal(recorded?.action, "account.register_existing");
  assert.match(JSON.stringify(recorded?.summary), /既存アカウントとして登録/, "the audit log says so");
  const seen = await searchAccounts(app.ctx, { actor: org.actors.policyDirector, filter: {} });
  assert.ok(seen.some((x) => x.id === a.id && x.origin === "existing"));

  await assert.rejects(
    decideExistingAccount(app.ctx, { actor: org.actors.admin, id: a.id, input: { decision: "confirm" } }),
    isError(403),
    "the administrator does not confirm their own record",
  );
  await decideExistingAccount(app.ctx, {
    actor: org.actors.policyDirector,
    id: a.id,
    input: { decision: "confirm", comment: "原本と照合しました。" },
  });
  const confirmed = await findAccount(app.ctx.db, a.id);
  assert.equal(confirmed?.status, "approved");
  assert.equal(
    confirmed?.approvedAt?.toISOString(),
    "2019-03-27T15:00:00.000Z",
    "approved on the paper date, not today",
  );
  assert.deepEqual(await listApprovals(app.ctx.db, a.id), [], "no approval pretends to be in the system");
  const events = (await listEvents(app.ctx.db, a.id)).map((e) => [e.kind, e.comment]);
  assert.equal(events[0]?.[0], "existing_recorded");
  assert.match(
    String(events[0]?.[1]),
    /既存アカウントとして登録（紙の起案: 文書番号 いわ広第512号、部等の長（情報管理者）の許可 平成31年3月25日/,
  );
  assert.equal(events[1]?.[0], "existing_confirmed");
  const [filing] = await listFilings(app.ctx.db, { accountId: a.id });
  assert.equal(filing?.kind, "acquisition", "the security director receives the registered facts");
  assert.equal(filing?.status, "sent");
});

test("only an administrator records one, with the paper approvals in the guideline's order", async () => {
  await assert.rejects(
    recordExistingAccount(app.ctx, { actor: org.actors.kouhouManager, input: input() }),
    isError(403),
  );
  await assert.rejects(
    recordExistingAccount(app.ctx, {
      actor: org.actors.admin,
      input: input({ departmentApprovedOn: "2019-03-30", policyApprovedOn: "2019-03-28" }),
    }),
    (e: unknown) =>
      e instanceof AppError &&
      e.fields.some(
        (f) => f.message === "総合政策部長の許可は、部等の長（情報管理者）の許可の後です（第4-1(2)）。",
      ),
  );
  await assert.rejects(
    recordExistingAccount(app.ctx, {
      actor: org.actors.admin,
      input: input({ policyApprovedOn: "2026-02-01" }),
    }),
    isError(422, "未来の日付"),
  );
});

test("the policy director may refuse the record, with a reason", async () => {
  const a = await recordExistingAccount(app.ctx, { actor: org.actors.admin, input: input() });
  await assert.rejects(
    decideExistingAccount(app.ctx, {
      actor: org.actors.policyDirector,
      id: a.id,
      input: { decision: "reject" },
    }),
    isError(422, "理由"),
  );
  await decideExistingAccount(app.ctx, {
    actor: org.actors.policyDirector,
    id: a.id,
    input: { decision: "reject", comment: "起案の原本が見つかりません。" },
  });
  assert.equal((await findAccount(app.ctx.db, a.id))?.status, "rejected");
  await assert.rejects(
    decideExistingAccount(app.ctx, {
      actor: org.actors.policyDirector,
      id: a.id,
      input: { decision: "confirm" },
    }),
    isError(409, "すでに処理されています"),
  );
});
