/**
 * Which roles a person holds today, and who holds a role today: the roles of their post (4.1.2,
 * 4.1.4, with the posts the guideline pack names), of the post they stand in for during an acting
 * period (職務代理・事務取扱), and the assignments in effect (an oversight role only once approved
 * and until its last day, 9). Every permission check reads roles through here.
 */
import type { Db } from "../../db/client.ts";
import {
  actingOf,
  actingOn,
  activeHeads,
  assignmentsOfRoles,
  findStaff,
  listAssignments,
  placementOf,
  type RoleAssignment,
  type Staff,
} from "../../db/repos/staff.ts";
import { tokyoDate } from "../../domain/dates.ts";
import {
  assignmentInEffect,
  derivedGrants,
  effectiveGrants,
  isDerivedRole,
  isOversightRole,
  type Offices,
  type Placement,
  type Role,
  type RoleGrant,
} from "../../domain/roles.ts";
import { guidelinePack } from "../../guideline/pack.ts";

/** The posts the guideline in use names (pack `offices`). */
export function offices(): Offices {
  return guidelinePack().offices;
}

/** Every role `person` holds at `at` (Tokyo day). */
export async function grantsOf(db: Db, person: Staff, at: Date = new Date()): Promise<RoleGrant[]> {
  return grantsAt(db, person, placementOf(db, person), at);
}

/**
 * Every role `person` holds at `at`, their placement already read (with their session, in the
 * same statement: repos/auth.ts `findSessionWithPerson`).
 */
export async function grantsAt(
  db: Db,
  person: Staff,
  placement: Placement | Promise<Placement>,
  at: Date,
  /** Already read with the session (repos/auth.ts): the assignments, and whether any acting exists. */
  read?: { assignments: RoleAssignment[]; hasActing: boolean },
): Promise<RoleGrant[]> {
  const [post, assignments, acting] = await Promise.all([
    placement,
    read ? read.assignments : listAssignments(db, person.id),
    read && !read.hasActing ? [] : actingOf(db, person.id, "acting"),
  ]);
  return effectiveGrants({ placement: post, offices: offices(), acting, assignments, today: tokyoDate(at) });
}

/**
 * Active people holding `role` at `at`: by post, by standing in for a post holder, or by an
 * assignment in effect (an oversight role not while they hold `admin`). Ordered by post seniority
 * and employee number, each person once.
 */
export async function holdersOf(db: Db, role: Role | string, at: Date = new Date()): Promise<Staff[]> {
  return (await holdersOfRoles(db, [role], at))[0] ?? [];
}

/**
 * `holdersOf` for several roles at once, in the order given: the post holders, the acting
 * assignments and the administrators are read once for all of them (the setup checklist asks
 * for five roles on every dashboard).
 */
export async function holdersOfRoles(
  db: Db,
  roles: ReadonlyArray<Role | string>,
  at: Date = new Date(),
): Promise<Staff[][]> {
  const today = tokyoDate(at);
  const derived = roles.some((r) => isDerivedRole(r));
  const assigned = roles.filter((r) => !isDerivedRole(r));
  // The administrators only when an oversight role is asked (not held with admin, 9).
  const read = assigned.some((r) => isOversightRole(r)) ? [...assigned, "admin"] : assigned;
  const [heads, acting, assignments] = await Promise.all([
    derived ? activeHeads(db) : [],
    derived ? actingOn(db, today) : [],
    assignmentsOfRoles(db, read),
  ]);
  const admins = new Set(
    assignments
      .filter((r) => r.assignment.role === "admin" && assignmentInEffect(r.assignment, today))
      .map((r) => r.person.id),
  );
  const actingPeople = new Map<number, Promise<Staff | undefined>>();
  const actingPerson = (id: number) => {
    const known = actingPeople.get(id) ?? findStaff(db, id);
    actingPeople.set(id, known);
    return known;
  };
  return Promise.all(
    roles.map(async (role) => {
      const byId = new Map<number, Staff>();
      if (isDerivedRole(role)) {
        const pack = offices();
        for (const { person, placement } of heads)
          if (derivedGrants(placement, pack).some((g) => g.role === role)) byId.set(person.id, person);
        for (const a of acting) {
          if (byId.has(a.staffId)) continue;
          if (!derivedGrants(a.post, pack).some((g) => g.role === role)) continue;
          const holder = await actingPerson(a.staffId);
          if (holder?.active) byId.set(holder.id, holder);
        }
        return [...byId.values()];
      }
      const excluded = isOversightRole(role) ? admins : new Set<number>();
      for (const { person, assignment } of assignments) {
        if (assignment.role !== role || !assignmentInEffect(assignment, today) || excluded.has(person.id))
          continue;
        byId.set(person.id, person);
      }
      return [...byId.values()];
    }),
  );
}
