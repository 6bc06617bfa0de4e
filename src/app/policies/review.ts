/**
 * 4.2.3: the account manager reviews the policy in force. When it still fits, they record that
 * here: the review date moves on by the review period, the account's history says so, and the
 * open review task closes. (When it needs changes, they draft and approve a new version.)
 */
import { insertEvent, lockAccount } from "../../db/repos/accounts.ts";
import { currentPolicy, type MediaPolicy, updatePolicy } from "../../db/repos/policies.ts";
import { tokyoDate } from "../../domain/dates.ts";
import { conflict, notFound } from "../../errors.ts";
import { change } from "../audit/record.ts";
import { type Actor, type AppContext, actorId } from "../context.ts";
import { parse } from "../validate.ts";
import { accountFor, assertPolicyEditable } from "./access.ts";
import { reviewDueFrom } from "./approve.ts";
import { reviewInput } from "./input.ts";
import { closeReviewTask } from "./review-tasks.ts";

/**
 * Records a review that found no change needed.
 * @param props.actor the account manager (policy.approve)
 * @param props.note what was checked (kept in the account's history)
 * @throws 409 when the account has no approved policy yet
 */
export async function completeReviewWithoutChange(
  ctx: AppContext,
  props: { actor: Actor; accountId: number; note: unknown },
): Promise<MediaPolicy> {
  const account = await accountFor(ctx, props.actor, props.accountId, "policy.approve");
  const { note } = parse(reviewInput, { note: props.note });
  return change(ctx, props.actor, "policy.review", async (tx, at) => {
    const locked = await lockAccount(tx, account.id);
    if (!locked) throw notFound("アカウント");
    assertPolicyEditable(locked);
    const policy = await currentPolicy(tx, account.id);
    if (!policy) throw conflict("承認済みのメディアポリシーがないため、見直しを完了できません。");
    const reviewDue = reviewDueFrom(tokyoDate(at));
    const updated = await updatePolicy(tx, policy.id, { reviewDue }, at);
    await insertEvent(tx, {
      accountId: account.id,
      kind: "policy_reviewed",
      actorId: actorId(props.actor),
      comment: note,
      snapshot: {
        policyId: policy.id,
        version: policy.version,
        previousReviewDue: policy.reviewDue,
        reviewDue,
      },
      at,
    });
    const task = await closeReviewTask(tx, {
      accountId: account.id,
      actor: props.actor,
      at,
      resolution: { by: "review", version: policy.version, note, reviewDue },
    });
    return {
      result: updated,
      target: { type: "account", id: account.id },
      summary: {
        policyId: policy.id,
        version: policy.version,
        note,
        reviewDue: { before: policy.reviewDue, after: reviewDue },
        ...(task ? { closedTaskId: task.id } : {}),
      },
    };
  });
}
