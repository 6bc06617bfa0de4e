/**
 * The council feature's plug-in points (see app/feature.ts): "my tasks" asks a department's 部長
 * to name the council member when the department holds or applies for an account and has none
 * (or its member left, 6.2); demo roster, meetings and rules.
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
  if (headOf.length === 0) return [];
  const flagged = flaggedSeats(councilRoster(await repo.rosterInputs(ctx.db)));
  return flagged
    .filter((row) => headOf.includes(row.departmentId))
    .map((row) => ({
      kind: "council_designation",
      title:
        row.state === "missing"
          ? `ソーシャルメディア等活用連絡協議会のメンバーを指名してください（${row.departmentName}）`
          : `協議会メンバーが異動等でいなくなりました。後任を指名してください（${row.departmentName}）`,
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
