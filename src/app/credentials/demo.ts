/**
 * Demo records of the credentials feature (`npm run demo`): an operator of a running account is
 * transferred two weeks ago, so the password-rotation task it opened (4.3.2) is already overdue and
 * shows in red on the manager's dashboard and task list.
 */
import { listAccounts, listOperators } from "../../db/repos/accounts.ts";
import { findPerson } from "../../db/repos/credentials.ts";
import { findPosition, listDivisions } from "../../db/repos/org.ts";
import { addDays, tokyoDate } from "../../domain/dates.ts";
import { type AppContext, systemActor } from "../context.ts";
import { recordTransfer } from "../staff/transfers.ts";

/** Transfers one operator of the first running account that has one besides its manager. */
export async function demoCredentials(ctx: AppContext): Promise<void> {
  const today = tokyoDate(ctx.clock.now());
  const accounts = await listAccounts(ctx.db, { statuses: ["active"], visibleDivisionIds: null });
  const divisions = (await listDivisions(ctx.db)).filter((d) => d.active);
  for (const account of accounts) {
    for (const operator of await listOperators(ctx.db, account.id)) {
      if (!operator.active || operator.staffId === account.managerId) continue;
      if (operator.divisionId !== account.divisionId) continue;
      const person = await findPerson(ctx.db, operator.staffId);
      if (!person || (await findPosition(ctx.db, person.positionId))?.headOf !== "none") continue;
      const destination = divisions.find((d) => d.id !== account.divisionId);
      if (!destination) return;
      // Two weeks ago: past the rotation deadline (business days) even across Golden Week.
      const effectiveDate = addDays(today, -14);
      await recordTransfer(ctx, {
        actor: systemActor("demo"),
        input: {
          staffId: person.id,
          effectiveDate,
          toDepartmentId: destination.departmentId,
          toDivisionId: destination.id,
          toPositionId: person.positionId,
          note: "デモ用: 異動後のパスワード変更が期限を過ぎている例（第4-3(2)）",
        },
      });
      return;
    }
  }
}
