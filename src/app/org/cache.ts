/**
 * The organisation's lists (departments, divisions, positions) kept in memory for the staff
 * pages' selects and names, so a page does not read three tables on every request. The copy is
 * dropped after every committed change to the organisation in this process (`orgCacheFeature`)
 * and is at most 60 seconds old on the context's clock (a change made by another instance on the
 * same PostgreSQL). Names and choices only: nothing here decides a permission.
 */
import { listDepartments, listDivisions, listPositions } from "../../db/repos/org.ts";
import type { AppContext } from "../context.ts";
import type { Feature } from "../feature.ts";

/** The organisation's three lists. */
export type OrgLists = {
  departments: Awaited<ReturnType<typeof listDepartments>>;
  divisions: Awaited<ReturnType<typeof listDivisions>>;
  positions: Awaited<ReturnType<typeof listPositions>>;
};

/** How long a copy is used at most. */
const TTL_MS = 60_000;
/** Audit target types of changes to the organisation's lists. */
const orgTargets = new Set(["department", "division", "position", "organisation"]);

let generation = 0;
const copies = new WeakMap<AppContext, { generation: number; madeAt: number; lists: Promise<OrgLists> }>();

async function load(ctx: AppContext): Promise<OrgLists> {
  const [departments, divisions, positions] = await Promise.all([
    listDepartments(ctx.db),
    listDivisions(ctx.db),
    listPositions(ctx.db),
  ]);
  return { departments, divisions, positions };
}

/** Every department, division and position (inactive ones too), as the repos list them. */
export function orgLists(ctx: AppContext): Promise<OrgLists> {
  const now = ctx.clock.now().getTime();
  const copy = copies.get(ctx);
  if (copy && copy.generation === generation && now - copy.madeAt < TTL_MS && now >= copy.madeAt)
    return copy.lists;
  const lists = load(ctx);
  const made = { generation, madeAt: now, lists };
  copies.set(ctx, made);
  // A failed read is not kept.
  lists.catch(() => {
    if (copies.get(ctx) === made) copies.delete(ctx);
  });
  return lists;
}

/** Drops every copy in this process (after an organisation change commits). */
export function invalidateOrgLists(): void {
  generation++;
}

/** Drops the copies after every committed change to departments, divisions or positions. */
export const orgCacheFeature: Feature = {
  name: "org-cache",
  afterCommit(change) {
    if (orgTargets.has(change.target.type)) invalidateOrgLists();
  },
};
