/**
 * 4.2.3 見直し: a `policy_review` task for the account manager when the policy in force is due
 * for review (by the city's review period, the pack's setting; the clause sets none) within 30 days (or overdue), at most one open per account; approving a new version
 * or completing the review closes it. Opening runs daily from the scheduler and is safe with
 * several instances: the check for an open task happens with the account row locked.
 */

import type { Db } from "../../db/client.ts";
import { lockAccount } from "../../db/repos/accounts.ts";
import { currentPolicy, reviewsDueBy } from "../../db/repos/policies.ts";
import { closeTask, findOpenTask, openTask, type TaskRow } from "../../db/repos/tasks.ts";
import { publicStatuses } from "../../domain/accounts.ts";
import { addDays, tokyoDate } from "../../domain/dates.ts";
import { change } from "../audit/record.ts";
import { type Actor, type AppContext, actorId } from "../context.ts";

export const REVIEW_TASK_KIND = "policy_review";
/** How long before the review date the reminder opens. */
export const REVIEW_NOTICE_DAYS = 30;

/** Thrown inside a transaction to leave it without a change (and without an audit entry). */
class NothingToDo extends Error {}

/**
 * Opens a review task for every account in a public status whose policy is due for review
 * within 30 days or overdue and that has none open. Returns how many were opened.
 */
export async function openDueReviewTasks(ctx: AppContext, actor: Actor): Promise<number> {
  const today = tokyoDate(ctx.clock.now());
  const due = await reviewsDueBy(ctx.db, addDays(today, REVIEW_NOTICE_DAYS), publicStatuses);
  let opened = 0;
  for (const candidate of due) {
    if (await findOpenTask(ctx.db, REVIEW_TASK_KIND, candidate.accountId)) continue;
    try {
      await change(ctx, actor, "policy.review_task", async (tx, at) => {
        const account = await lockAccount(tx, candidate.accountId);
        if (!account || !publicStatuses.includes(account.status)) throw new NothingToDo();
        if (await findOpenTask(tx, REVIEW_TASK_KIND, account.id)) throw new NothingToDo();
        const policy = await currentPolicy(tx, account.id);
        if (!policy?.reviewDue || policy.reviewDue > addDays(tokyoDate(at), REVIEW_NOTICE_DAYS)) {
          throw new NothingToDo();
        }
        const task = await openTask(tx, {
          kind: REVIEW_TASK_KIND,
          accountId: account.id,
          assigneeId: account.managerId,
          title: `メディアポリシーの見直し（${account.name}・第${policy.version}版）`,
          clause: "4.2.3",
          dueDate: policy.reviewDue,
          cause: { policyId: policy.id, version: policy.version, reviewDue: policy.reviewDue },
          openedAt: at,
        });
        return {
          result: task,
          target: { type: "account", id: account.id },
          summary: { taskId: task.id, version: policy.version, reviewDue: policy.reviewDue },
        };
      });
      opened++;
    } catch (error) {
      if (!(error instanceof NothingToDo)) throw error;
    }
  }
  return opened;
}

/** Closes the account's open review task, if any, with what resolved it (inside the caller's transaction). */
export async function closeReviewTask(
  tx: Db,
  props: { accountId: number; actor: Actor; at: Date; resolution: Record<string, unknown> },
): Promise<TaskRow | undefined> {
  const task = await findOpenTask(tx, REVIEW_TASK_KIND, props.accountId);
  if (!task) return undefined;
  await closeTask(tx, task.id, {
    status: "done",
    doneBy: actorId(props.actor),
    doneAt: props.at,
    resolution: props.resolution,
  });
  return task;
}

/** Whether a review date has passed (overdue = due before today; the due date is the city's setting). */
export function reviewOverdue(reviewDue: string | null, today: string): boolean {
  return reviewDue !== null && reviewDue < today;
}
