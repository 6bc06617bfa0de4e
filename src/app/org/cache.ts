/**
 * The organisation's lists (departments, divisions, positions) kept in memory for the staff
 * pages' selects and names, so a page does not read three tables on every request. The copy is
 * dropped after every committed change to the organisation in this process (`orgCacheFeature`).
 * A caller that read the `staff_directory` data version (set by triggers with every change to the
 * organisation's tables, migration 0019; signed-in requests read it with their session) gets a
 * copy made at that version, so a change made by another instance or by SQL shows at once;
 * without a version, a copy is at most 60 seconds old on the context's clock. Names and choices
 * only: nothing here decides a permission.
 */
import { listDepartments, listDivisions, listPositions } from "../../db/repos/org.ts";
import type { AppContext } from "../context.ts";
import type { Feature } from "../feature.ts";
import { lastingOf } from "../read-once.ts";

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
type Copy = { generation: number; madeAt: number; version: string | null; lists: Promise<OrgLists> };
const copies = new WeakMap<AppContext, Copy>();

async function load(ctx: AppContext): Promise<OrgLists> {
  const [departments, divisions, positions] = await Promise.all([
    listDepartments(ctx.db),
    listDivisions(ctx.db),
    listPositions(ctx.db),
  ]);
  return { departments, divisions, positions };
}

/** Whether a copy may answer: made since this process's last change, at the version or recently. */
function current(copy: Copy, now: number, version: string | null): boolean {
  if (copy.generation !== generation) return false;
  if (version !== null) return copy.version === version;
  return now - copy.madeAt < TTL_MS && now >= copy.madeAt;
}

/**
 * Every department, division and position (inactive ones too), as the repos list them.
 * @param version the `staff_directory` data version the caller read, if any: the copy is then
 *   read at or after it
 */
export function orgLists(ctx: AppContext, version: string | null = null): Promise<OrgLists> {
  const now = ctx.clock.now().getTime();
  const key = lastingOf(ctx);
  const copy = copies.get(key);
  if (copy && current(copy, now, version)) return copy.lists;
  const lists = load(ctx);
  const made = { generation, madeAt: now, version, lists };
  copies.set(key, made);
  // A failed read is not kept.
  lists.catch(() => {
    if (copies.get(key) === made) copies.delete(key);
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
