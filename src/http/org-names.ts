/**
 * Department and division names by id, for pages that show scopes and placements (from the copy
 * in memory, app/org/cache.ts).
 */
import type { AppContext } from "../app/context.ts";
import { orgLists } from "../app/org/cache.ts";
import type { OrgNames } from "./views/roles.tsx";

/**
 * Every department and division by id (inactive ones too).
 * @param version the `staff_directory` data version read with the session, if any (org/cache.ts)
 */
export async function orgNames(ctx: AppContext, version: string | null = null): Promise<OrgNames> {
  const { departments, divisions } = await orgLists(ctx, version);
  return {
    departments: new Map(departments.map((d) => [d.id, d])),
    divisions: new Map(divisions.map((d) => [d.id, d])),
  };
}
