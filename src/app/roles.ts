/**
 * Assigning and revoking guideline roles that do not follow from a position (総合政策部長,
 * 情報統括管理者, 相談窓口, 協議会メンバー, 運用職員, システム管理者, 監査担当). Roles that follow
 * from positions (部長 → department_head, 課長 → account_manager, 4.1.4) are not assigned here.
 */
import { z } from "zod";
import * as org from "../db/repos/org.ts";
import * as repo from "../db/repos/staff.ts";
import { allowedScopes, roleLabels, roles } from "../domain/roles.ts";
import { conflict, isUniqueViolation, notFound, validation } from "../errors.ts";
import { change } from "./audit.ts";
import { authorize } from "./authorize.ts";
import type { Actor, AppContext } from "./context.ts";
import { idOf, optionalIdOf, parse } from "./validate.ts";

export const assignmentInput = z.object({
  staffId: idOf("職員"),
  role: z.enum(roles, { error: "役割を選択してください。" }),
  scopeType: z
    .enum(["global", "department", "division"], { error: "適用範囲を選択してください。" })
    .default("global"),
  scopeId: optionalIdOf("適用範囲の部・課"),
});

/** Gives a person a role. */
export async function assignRole(ctx: AppContext, props: { actor: Actor; input: unknown }) {
  await authorize(ctx, props.actor, "role.assign");
  const input = parse(assignmentInput, props.input);
  const allowed = allowedScopes[input.role];
  if (!allowed.includes(input.scopeType)) {
    const where = allowed.map((s) => ({ global: "全庁", department: "部", division: "課" })[s]).join("・");
    throw validation(`${roleLabels[input.role]}の適用範囲は「${where}」です。`, [
      { field: "scopeType", message: `「${where}」を選択してください。` },
    ]);
  }
  const scopeId = input.scopeType === "global" ? null : input.scopeId;
  if (input.scopeType !== "global" && scopeId === null) {
    throw validation("適用範囲の部・課を選択してください。", [
      { field: "scopeId", message: "部・課を選択してください。" },
    ]);
  }
  try {
    return await change(ctx, props.actor, "role.assign", async (tx) => {
      const person = await repo.findStaff(tx, input.staffId);
      if (!person) throw notFound("職員");
      if (input.scopeType === "department" && scopeId !== null && !(await org.findDepartment(tx, scopeId))) {
        throw notFound("部");
      }
      if (input.scopeType === "division" && scopeId !== null && !(await org.findDivision(tx, scopeId))) {
        throw notFound("課");
      }
      const row = await repo.insertAssignment(tx, {
        staffId: person.id,
        role: input.role,
        scopeType: input.scopeType,
        scopeId,
        assignedBy: props.actor.kind === "staff" ? props.actor.staffId : null,
      });
      return {
        result: row,
        target: { type: "staff", id: person.id },
        summary: { role: input.role, scopeType: input.scopeType, scopeId },
      };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict("この職員にはすでに同じ役割が割り当てられています。");
    throw error;
  }
}

/** Takes a role away. */
export async function revokeRole(ctx: AppContext, props: { actor: Actor; assignmentId: number }) {
  await authorize(ctx, props.actor, "role.assign");
  return change(ctx, props.actor, "role.revoke", async (tx) => {
    const row = await repo.findAssignment(tx, props.assignmentId);
    if (!row) throw notFound("役割の割り当て");
    if (props.actor.kind === "staff" && row.staffId === props.actor.staffId && row.role === "admin") {
      throw conflict("自分自身のシステム管理者の役割は外せません。別の管理者に依頼してください。");
    }
    await repo.deleteAssignment(tx, row.id);
    return {
      result: row,
      target: { type: "staff", id: row.staffId },
      summary: { role: row.role, scopeType: row.scopeType, scopeId: row.scopeId },
    };
  });
}

export async function listAssignments(ctx: AppContext, props: { actor: Actor; staffId?: number }) {
  await authorize(ctx, props.actor, "role.read");
  return repo.listAssignments(ctx.db, props.staffId);
}
