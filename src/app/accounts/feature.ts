/**
 * The accounts feature's plug-in points: the tasks it gives people — applications waiting for
 * their approval (4.1.2), applications returned to them, approved accounts still to register or
 * start, existing accounts waiting for the policy director's confirmation, and 届出 waiting for a
 * director whose confirmation task is assigned to someone else holding the same role (or nobody).
 */
import { listAccounts } from "../../db/repos/accounts.ts";
import { listFilings } from "../../db/repos/filings.ts";
import { listTasks } from "../../db/repos/tasks.ts";
import { tokyoDate } from "../../domain/dates.ts";
import { type FilingKind, filingKindInfo, filingKinds } from "../../domain/filings.ts";
import { roleLabels } from "../../domain/roles.ts";
import type { Feature, Task } from "../feature.ts";
import { FILING_CONFIRM, filingIdOf } from "../filings/send.ts";
import { demoAccounts } from "./demo.ts";

export const accountsFeature: Feature = {
  name: "accounts",
  demo: demoAccounts,
  async tasks(ctx, actor) {
    const out: Task[] = [];
    const has = (role: string) => actor.grants.some((g) => g.role === role);
    const today = tokyoDate(ctx.clock.now());
    const departmentIds = actor.grants.flatMap((g) =>
      g.role === "department_head" && g.scope.type === "department" ? [g.scope.id] : [],
    );
    const managed = actor.grants.flatMap((g) =>
      g.role === "account_manager" && g.scope.type === "division" ? [g.scope.id] : [],
    );
    const pending = await listAccounts(ctx.db, {
      statuses: [
        "pending_department_head",
        "pending_policy_director",
        "returned",
        "approved",
        "existing_pending",
      ],
      visibleDivisionIds: null,
    });
    for (const a of pending) {
      if (
        a.status === "pending_department_head" &&
        departmentIds.includes(a.departmentId) &&
        a.applicantId !== actor.staffId
      ) {
        out.push({
          kind: "account_approval",
          title: `アカウント取得の許可（${roleLabels.department_head}）: ${a.name}`,
          href: `/accounts/${a.id}`,
          due: null,
          overdue: false,
          clause: "4.1.2",
        });
      }
      if (
        a.status === "pending_policy_director" &&
        has("policy_director") &&
        a.applicantId !== actor.staffId
      ) {
        out.push({
          kind: "account_approval",
          title: `アカウント取得の許可（${roleLabels.policy_director}）: ${a.name}`,
          href: `/accounts/${a.id}`,
          due: null,
          overdue: false,
          clause: "4.1.2",
        });
      }
      if (a.status === "returned" && (a.applicantId === actor.staffId || managed.includes(a.divisionId))) {
        out.push({
          kind: "account_returned",
          title: `差し戻された申請の修正: ${a.name}`,
          href: `/accounts/${a.id}`,
          due: null,
          overdue: false,
          clause: "4.1.2",
        });
      }
      if (a.status === "existing_pending" && has("policy_director")) {
        out.push({
          kind: "account_existing",
          title: `既存アカウントの登録の確認（総合政策部長）: ${a.name}`,
          href: `/accounts/${a.id}`,
          due: null,
          overdue: false,
          clause: "4.1.2",
        });
      }
      if (a.status === "approved" && managed.includes(a.divisionId)) {
        out.push({
          kind: "account_start",
          title: `取得したアカウントの登録と運用開始: ${a.name}`,
          href: `/accounts/${a.id}`,
          due: null,
          overdue: false,
          clause: "4.2.1",
        });
      }
    }
    // 届出 addressed to the actor's role whose confirmation task is not theirs (4.1.2, 4.5.1).
    const mine: FilingKind[] = filingKinds.filter((k) => has(filingKindInfo[k].recipient));
    if (mine.length > 0) {
      const [waiting, confirmTasks] = await Promise.all([
        listFilings(ctx.db, { kinds: mine, statuses: ["sent"] }),
        listTasks(ctx.db, { kinds: [FILING_CONFIRM], status: "open" }),
      ]);
      const assignee = new Map(confirmTasks.map((t) => [filingIdOf(t.cause), t]));
      for (const f of waiting) {
        const task = assignee.get(f.id);
        if (task && task.assigneeId === actor.staffId) continue;
        const due = task?.dueDate ?? null;
        out.push({
          kind: FILING_CONFIRM,
          title: `届出の確認（${filingKindInfo[f.kind].recipientLabel}）: ${f.accountName}`,
          href: `/filings/${f.id}`,
          due,
          overdue: due !== null && due < today,
          clause: filingKindInfo[f.kind].clause,
        });
      }
    }
    return out;
  },
};
