/**
 * Choices for department / division / position selects, and their names by id (from the copy in
 * memory, app/org/cache.ts).
 */
import type { AppContext } from "../app/context.ts";
import { type OrgLists, orgLists } from "../app/org/cache.ts";

/** The choices made from each copy of the lists (a copy is not changed once read). */
const made = new WeakMap<OrgLists, ReturnType<typeof optionsOf>>();

/**
 * The selects' choices (active units only) and every unit's name by id.
 * @param version the `staff_directory` data version read with the session, if any (org/cache.ts)
 */
export async function placementOptions(ctx: AppContext, version: string | null = null) {
  const lists = await orgLists(ctx, version);
  let options = made.get(lists);
  if (!options) {
    options = optionsOf(lists);
    made.set(lists, options);
  }
  return options;
}

function optionsOf({ departments, divisions, positions }: OrgLists) {
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
