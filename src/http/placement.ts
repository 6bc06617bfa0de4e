/**
 * Choices for department / division / position selects, and their names by id (from the copy in
 * memory, app/org/cache.ts).
 */
import type { AppContext } from "../app/context.ts";
import { orgLists } from "../app/org/cache.ts";

/** The selects' choices (active units only) and every unit's name by id. */
export async function placementOptions(ctx: AppContext) {
  const { departments, divisions, positions } = await orgLists(ctx);
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
