/**
 * Choices for department / division / position selects, and their names by id.
 */
import type { AppContext } from "../app/context.ts";
import { listDepartments, listDivisions, listPositions } from "../db/repos/org.ts";

export async function placementOptions(ctx: AppContext) {
  const [departments, divisions, positions] = await Promise.all([
    listDepartments(ctx.db),
    listDivisions(ctx.db),
    listPositions(ctx.db),
  ]);
  const deptName = new Map(departments.map((d) => [d.id, d.name]));
  return {
    departments: departments.filter((d) => d.active).map((d) => ({ value: String(d.id), label: d.name })),
    divisions: divisions
      .filter((d) => d.active)
      .map((d) => ({ value: String(d.id), label: `${deptName.get(d.departmentId) ?? ""} ${d.name}` })),
    positions: positions.map((p) => ({ value: String(p.id), label: p.name })),
    names: {
      departments: deptName,
      divisions: new Map(divisions.map((d) => [d.id, d.name])),
      positions: new Map(positions.map((p) => [p.id, p.name])),
    },
  };
}
