/**
 * First start of an empty database: creates the first administrator (login ID `admin`) in a
 * provisional organisational unit, and a one-time link to set their password. The administrator
 * then imports or enters the real organisation and can move themselves into it.
 */

import { insertDepartment, insertPosition } from "../db/repos/org.ts";
import { countStaff, insertAssignment, insertStaff } from "../db/repos/staff.ts";
import { SETUP_DEPARTMENT_CODE, SETUP_DEPARTMENT_NAME } from "../domain/org.ts";
import { change } from "./audit/record.ts";
import { issuePasswordLink } from "./auth/sessions.ts";
import { type AppContext, systemActor } from "./context.ts";

export type FirstAdmin = { login: string; url: string; expiresAt: Date };

/** Creates the first administrator when there is nobody yet; returns the setup link, or null. */
export async function ensureFirstAdmin(ctx: AppContext): Promise<FirstAdmin | null> {
  if ((await countStaff(ctx.db)) > 0) return null;
  const actor = systemActor("first start");
  const staffId = await change(ctx, actor, "system.setup", async (tx) => {
    const department = await insertDepartment(tx, {
      code: SETUP_DEPARTMENT_CODE,
      name: SETUP_DEPARTMENT_NAME,
      kana: "",
    });
    const position = await insertPosition(tx, {
      code: "admin",
      name: "システム管理者",
      rank: 900,
      headOf: "none",
    });
    const person = await insertStaff(tx, {
      employeeNo: "admin",
      name: "初期管理者",
      kana: "しょきかんりしゃ",
      email: "admin@snsgov.invalid",
      departmentId: department.id,
      divisionId: null,
      positionId: position.id,
      active: true,
    });
    await insertAssignment(tx, {
      staffId: person.id,
      role: "admin",
      scopeType: "global",
      scopeId: null,
      assignedBy: null,
    });
    return {
      result: person.id,
      target: { type: "staff", id: person.id },
      summary: { created: "first administrator", login: "admin" },
    };
  });
  const link = await issuePasswordLink(ctx, { actor, staffId, purpose: "setup" });
  return { login: "admin", url: link.url, expiresAt: link.expiresAt };
}
