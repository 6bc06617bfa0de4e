/**
 * Department and division names by id, for pages that show scopes and placements.
 */
import type { Db } from "../db/client.ts";
import { listDepartments, listDivisions } from "../db/repos/org.ts";
import type { OrgNames } from "./views/roles.tsx";

export async function orgNames(db: Db): Promise<OrgNames> {
  const [departments, divisions] = await Promise.all([listDepartments(db), listDivisions(db)]);
  return {
    departments: new Map(departments.map((d) => [d.id, d])),
    divisions: new Map(divisions.map((d) => [d.id, d])),
  };
}
