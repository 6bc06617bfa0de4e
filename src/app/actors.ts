/**
 * Builds the Actor for a signed-in person: their placement and every role they hold (from the
 * position and assigned), read fresh on each request so a transfer or a role change applies at once.
 */
import type { Db } from "../db/client.ts";
import { findStaff, grantsOf } from "../db/repos/staff.ts";
import type { StaffActor } from "./context.ts";

/** The actor for an active person, or undefined when they do not exist or are inactive. */
export async function loadActor(
  db: Db,
  staffId: number,
  via: StaffActor["via"],
): Promise<StaffActor | undefined> {
  const person = await findStaff(db, staffId);
  if (!person?.active) return undefined;
  return {
    kind: "staff",
    staffId: person.id,
    name: person.name,
    departmentId: person.departmentId,
    divisionId: person.divisionId,
    grants: await grantsOf(db, person),
    via,
  };
}
