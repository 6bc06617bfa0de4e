/**
 * The accounts feature's plug-in points: the tasks it gives people — applications waiting for
 * their approval (4.1.2), applications returned to them, approved accounts still to register or
 * start, and notifications to the security director nobody has been assigned.
 */
import { listAccounts } from "../../db/repos/accounts.ts";
import { listTasks } from "../../db/repos/tasks.ts";
import { tokyoDate } from "../../domain/dates.ts";
import type { Feature, Task } from "../feature.ts";
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
      statuses: ["pending_department_head", "pending_policy_director", "returned", "approved"],
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
          title: `アカウント取得の許可（情報管理者）: ${a.name}`,
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
          title: `アカウント取得の許可（総合政策部長）: ${a.name}`,
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
    if (has("security_director")) {
      const unassigned = await listTasks(ctx.db, {
        kinds: ["security_notice_confirm"],
        status: "open",
        unassigned: true,
      });
      for (const t of unassigned) {
        out.push({
          kind: t.kind,
          title: t.title,
          href: `/accounts/${t.accountId}`,
          due: t.dueDate,
          overdue: t.dueDate !== null && t.dueDate < today,
          clause: t.clause,
        });
      }
    }
    return out;
  },
};
