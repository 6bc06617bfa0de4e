/**
 * 4.3.2 「人事異動等運用に携わる者に変更が生じた場合」: when the account manager takes someone off
 * an account's operator or credential-holder list, the password must be changed too. Opens the
 * rotation task inside the use case's transaction; the use case's own audit entry names it.
 */
import type { Db } from "../../db/client.ts";
import type { Account } from "../../db/repos/accounts.ts";
import { divisionHeads } from "../../db/repos/credentials.ts";
import { openTask } from "../../db/repos/tasks.ts";
import type { AccountStatus } from "../../domain/accounts.ts";
import { tokyoDate } from "../../domain/dates.ts";
import { guidelinePack } from "../../guideline/pack.ts";
import { dueAfter, ROTATION } from "./rules.ts";

/** Statuses in which the account has a real login on the platform (after registration). */
const liveStatuses: readonly AccountStatus[] = [
  "approved",
  "active",
  "change_announced",
  "closure_announced",
];

/**
 * Opens a rotation task on `account` after `removed` left its lists, assigned to its manager
 * when they head its division. Returns the task id, or null when the account has no live login.
 */
export async function rotationAfterRemoval(
  tx: Db,
  props: { account: Account; removed: ReadonlyArray<{ id: number; name: string }>; at: Date },
): Promise<number | null> {
  const [first] = props.removed;
  if (!first || !liveStatuses.includes(props.account.status)) return null;
  const heads = await divisionHeads(tx, props.account.divisionId);
  const managerId = props.account.managerId;
  const today = tokyoDate(props.at);
  const task = await openTask(tx, {
    kind: ROTATION,
    accountId: props.account.id,
    assigneeId: managerId !== null && heads.some((h) => h.id === managerId) ? managerId : null,
    title: `運用に携わる職員の変更に伴うパスワード変更（${props.removed.map((p) => `${p.name}さん`).join("、")}）`,
    clause: "4.3.2",
    dueDate: dueAfter(today, guidelinePack().deadlines.rotationDueDays),
    cause: { reason: "removal", staffId: first.id, effectiveDate: today },
    openedAt: props.at,
  });
  return task.id;
}
