/**
 * The policies feature's plug-in points (see app/feature.ts): the daily job that opens review
 * tasks (4.2.3), the tasks it adds to "my tasks" (reviews due, drafts waiting for the manager's
 * approval), and demo policies.
 */

import { draftsInDivisions } from "../../db/repos/policies.ts";
import { listTasks } from "../../db/repos/tasks.ts";
import { tokyoDate } from "../../domain/dates.ts";
import { type AppContext, type StaffActor, systemActor } from "../context.ts";
import type { Feature, Task } from "../feature.ts";
import { demoPolicies } from "./demo.ts";
import { openDueReviewTasks, REVIEW_TASK_KIND } from "./review-tasks.ts";

const DAY_MS = 24 * 60 * 60_000;

/** Divisions whose accounts the person manages (課長, 4.1.4). */
function managedDivisions(actor: StaffActor): number[] {
  return actor.grants.flatMap((g) =>
    g.role === "account_manager" && g.scope.type === "division" ? [g.scope.id] : [],
  );
}

/**
 * For a manager: review tasks of their divisions' accounts assigned to someone else (e.g. the
 * previous 課長; the person's own tasks are listed by the tasks board), and drafts waiting for
 * their approval.
 */
async function policyTasks(ctx: AppContext, actor: StaffActor): Promise<Task[]> {
  const divisions = managedDivisions(actor);
  if (divisions.length === 0) return [];
  const today = tokyoDate(ctx.clock.now());
  const [reviews, drafts] = await Promise.all([
    listTasks(ctx.db, { divisionIds: divisions, kinds: [REVIEW_TASK_KIND], status: "open" }),
    draftsInDivisions(ctx.db, divisions),
  ]);
  const others: Task[] = reviews
    .filter((t) => t.assigneeId !== actor.staffId)
    .map((t) => ({
      kind: REVIEW_TASK_KIND,
      title: t.title,
      href: `/accounts/${t.accountId}/policy`,
      due: t.dueDate,
      overdue: t.dueDate !== null && t.dueDate < today,
      clause: t.clause || "4.2.3",
    }));
  const approvals: Task[] = drafts.map((d) => ({
    kind: "policy_approval",
    title: `メディアポリシー第${d.version}版の確認・承認（${d.accountName}）`,
    href: `/accounts/${d.accountId}/policy`,
    due: null,
    overdue: false,
    clause: "4.2.1",
  }));
  return [...others, ...approvals];
}

export const policiesFeature: Feature = {
  name: "policies",
  tasks: policyTasks,
  periodic: [
    {
      name: "open media-policy review tasks",
      everyMs: DAY_MS,
      run: async (ctx) => {
        const opened = await openDueReviewTasks(ctx, systemActor("scheduler"));
        if (opened > 0) ctx.log.info("policy review tasks opened", { opened });
      },
    },
  ],
  demo: demoPolicies,
};
