/**
 * Builds the Actor for a signed-in person: their placement and every role they hold (from the
 * post, from standing in for a post holder, and assigned), read fresh on each request so a
 * transfer, an acting period or a role change applies at once.
 */
import type { Db } from "../db/client.ts";
import { findStaff, placementOf, type Staff } from "../db/repos/staff.ts";
import type { Placement } from "../domain/roles.ts";
import type { StaffActor } from "./context.ts";
import { grantsAt } from "./staff/role-grants.ts";

/**
 * The actor for an active person, or undefined when they do not exist or are inactive.
 * @param at the moment of the request (acting periods and dated roles are read for its day)
 */
export async function loadActor(
  db: Db,
  staffId: number,
  via: StaffActor["via"],
  at: Date = new Date(),
): Promise<StaffActor | undefined> {
  const person = await findStaff(db, staffId);
  if (!person?.active) return undefined;
  return actorForPerson(db, person, placementOf(db, person), via, at);
}

/**
 * The actor for a person already read with their placement (a session lookup reads both in one
 * statement), or undefined when they are inactive. Roles are read fresh, as by `loadActor`.
 */
export async function actorForPerson(
  db: Db,
  person: Staff,
  placement: Placement | Promise<Placement>,
  via: StaffActor["via"],
  at: Date,
  read?: Parameters<typeof grantsAt>[4],
): Promise<StaffActor | undefined> {
  if (!person.active) return undefined;
  return {
    kind: "staff",
    staffId: person.id,
    name: person.name,
    departmentId: person.departmentId,
    divisionId: person.divisionId,
    grants: await grantsAt(db, person, placement, at, read),
    via,
  };
}
