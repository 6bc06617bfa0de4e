/**
 * 届出 steps for tests: the account manager sends the 4.5.1 届出 to the policy director and the
 * director confirms it, so a test can go on to schedule the announcement.
 */
import type { StaffActor } from "../../src/app/context.ts";
import { confirmFiling } from "../../src/app/filings/decide.ts";
import { fileWithPolicyDirector } from "../../src/app/notices/filings.ts";
import { latestFiling } from "../../src/db/repos/filings.ts";
import type { TestApp } from "./context.ts";
import type { TestOrg } from "./org.ts";

/** Sends the policy director's 届出 of `noticeId` and has the director confirm it; returns the notice. */
export async function policyConfirmed(
  app: TestApp,
  org: TestOrg,
  noticeId: number,
  manager: StaffActor = org.actors.kouhouManager,
) {
  const notice = await fileWithPolicyDirector(app.ctx, { actor: manager, noticeId });
  const filing = await latestFiling(app.ctx.db, {
    accountId: notice.accountId,
    kind: "notice_policy",
    noticeId,
  });
  if (!filing) throw new Error("no filing was sent");
  await confirmFiling(app.ctx, { actor: org.actors.policyDirector, filingId: filing.id });
  return notice;
}
