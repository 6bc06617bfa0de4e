/**
 * Demo media policies (`npm run demo`): every demo account that has no policy yet gets one
 * drafted from the pack's template (its purpose opening with the サンプル note) and approved by its
 * manager, and one running account's
 * review is made overdue so the review reminder (4.2.3) has something real to show.
 */
import { findAccountView, listAccounts } from "../../db/repos/accounts.ts";
import { currentPolicy, latestVersionNumber, updatePolicy } from "../../db/repos/policies.ts";
import { publicStatuses } from "../../domain/accounts.ts";
import { addDays, tokyoDate } from "../../domain/dates.ts";
import { accountTarget } from "../accounts/read.ts";
import { loadActor } from "../actors.ts";
import { change } from "../audit/record.ts";
import { allowed } from "../authorize.ts";
import { type Actor, type AppContext, systemActor } from "../context.ts";
import { sampleBody } from "../demo-sample.ts";
import { approvePolicy } from "./approve.ts";
import { draftPolicy } from "./draft.ts";
import { openDueReviewTasks } from "./review-tasks.ts";
import { policyFromTemplate } from "./template.ts";

/**
 * Drafts and approves a demo account's policy in the pack's wording, its purpose opening with the
 * サンプル note: the demo's policies are published on its public pages.
 */
export async function approveSamplePolicy(ctx: AppContext, manager: Actor, accountId: number): Promise<void> {
  const account = await findAccountView(ctx.db, accountId);
  if (!account) throw new Error(`demo account ${accountId} not found`);
  const purpose = sampleBody(policyFromTemplate(account).purpose);
  const draft = await draftPolicy(ctx, { actor: manager, accountId, input: { purpose } });
  await approvePolicy(ctx, { actor: manager, policyId: draft.id });
}

/** Adds the demo policies after the demo accounts exist. */
export async function demoPolicies(ctx: AppContext): Promise<void> {
  const accounts = await listAccounts(ctx.db, { visibleDivisionIds: null });
  const today = tokyoDate(ctx.clock.now());
  let overdueExists = false;
  for (const account of accounts) {
    // A closed or rejected account's policy is history; the accounts demo writes it, if any.
    if (account.status === "rejected" || account.status === "closed") continue;
    if ((await latestVersionNumber(ctx.db, account.id)) === 0) {
      const person =
        account.managerId !== null ? await loadActor(ctx.db, account.managerId, "cli") : undefined;
      const manager: Actor =
        person && allowed(person, "policy.approve", accountTarget(account)) ? person : systemActor("demo");
      await approveSamplePolicy(ctx, manager, account.id);
    }
    const current = await currentPolicy(ctx.db, account.id);
    if (current?.reviewDue && current.reviewDue < today && publicStatuses.includes(account.status)) {
      overdueExists = true;
    }
  }
  const sample = accounts.find((a) => a.status === "active");
  if (!overdueExists && sample) {
    await change(ctx, systemActor("demo"), "policy.review_due_set", async (tx, at) => {
      const policy = await currentPolicy(tx, sample.id);
      if (!policy) throw new Error(`demo account ${sample.id} has no policy`);
      const reviewDue = addDays(today, -14);
      await updatePolicy(tx, policy.id, { reviewDue }, at);
      return {
        result: undefined,
        target: { type: "account", id: sample.id },
        summary: {
          reason: "デモ用: 見直し期限を過去の日付にしました",
          reviewDue: { before: policy.reviewDue, after: reviewDue },
        },
      };
    });
  }
  await openDueReviewTasks(ctx, systemActor("demo"));
}
