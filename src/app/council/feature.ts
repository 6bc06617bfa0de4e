/**
 * The council feature's plug-in points (see app/feature.ts): "my tasks" asks the 部長 above a
 * division (and its 課等の長, when it has one) to name who sits for it when the division holds or
 * applies for an account and nobody sits (or the person named left, 6.2); demo roster, meetings
 * and rules.
 */
import * as repo from "../../db/repos/council.ts";
import { councilRoster, flaggedSeats } from "../../domain/council.ts";
import type { AppContext, StaffActor } from "../context.ts";
import type { Feature, Task } from "../feature.ts";
import { demoCouncil } from "./demo.ts";

async function designationTasks(ctx: AppContext, actor: StaffActor): Promise<Task[]> {
  const headOf = actor.grants.flatMap((g) =>
    g.role === "department_head" && g.scope.type === "department" ? [g.scope.id] : [],
  );
  const manages = actor.grants.flatMap((g) =>
    g.role === "account_manager" && g.scope.type === "division" ? [g.scope.id] : [],
  );
  if (headOf.length === 0 && manages.length === 0) return [];
  const flagged = flaggedSeats(councilRoster(await repo.rosterInputs(ctx.db)));
  return flagged
    .filter((row) => headOf.includes(row.departmentId) || manages.includes(row.divisionId))
    .map((row) => ({
      kind: "council_designation",
      title:
        row.state === "missing"
          ? `ソーシャルメディア等活用連絡協議会に出席する担当者を指名してください（${row.departmentName} ${row.divisionName}）`
          : `協議会に出席する担当者が異動等でいなくなりました。後任を指名してください（${row.departmentName} ${row.divisionName}）`,
      href: "/council",
      due: null,
      overdue: false,
      clause: "6.2",
    }));
}

export const councilFeature: Feature = {
  name: "council",
  tasks: designationTasks,
  demo: demoCouncil,
};
