/**
 * The council's roster (6.2): departments that hold or apply for accounts, each with the member
 * it names; a department with an account and no member (or a member who has left it) is
 * flagged. The department's 部長 (情報管理者) or an administrator names the member, who must
 * work in that department.
 */
import { z } from "zod";
import * as repo from "../../db/repos/council.ts";
import { findDepartment } from "../../db/repos/org.ts";
import { findStaff, searchStaff } from "../../db/repos/staff.ts";
import { councilRoster as buildRoster, type RosterRow } from "../../domain/council.ts";
import { notFound, validation } from "../../errors.ts";
import { change } from "../audit.ts";
import { allowed, authorize } from "../authorize.ts";
import { type Actor, type AppContext, actorId } from "../context.ts";
import { idOf, parse } from "../validate.ts";

/** The roster, with whether the actor may name the member of each department. */
export async function councilRoster(
  ctx: AppContext,
  props: { actor: Actor },
): Promise<Array<RosterRow & { canDesignate: boolean }>> {
  await authorize(ctx, props.actor, "council.read");
  const rows = buildRoster(await repo.rosterInputs(ctx.db));
  return rows.map((row) => ({
    ...row,
    canDesignate: allowed(props.actor, "council.designate", { departmentId: row.departmentId }),
  }));
}

/** For each department the actor may name a member of: its active staff to choose from. */
export async function designationChoices(
  ctx: AppContext,
  props: { actor: Actor; departmentIds: readonly number[] },
): Promise<Map<number, Array<{ id: number; label: string }>>> {
  await authorize(ctx, props.actor, "council.read");
  const out = new Map<number, Array<{ id: number; label: string }>>();
  for (const departmentId of props.departmentIds) {
    if (!allowed(props.actor, "council.designate", { departmentId })) continue;
    const { rows } = await searchStaff(ctx.db, { departmentId, active: true }, { offset: 0, limit: 500 });
    out.set(
      departmentId,
      rows.map((s) => ({
        id: s.id,
        label: `${s.name}（${s.divisionName ?? s.departmentName} ${s.positionName}）`,
      })),
    );
  }
  return out;
}

export const designateInput = z.object({ staffId: idOf("協議会メンバーにする職員") });

/** Names (or replaces) a department's member of the council (6.2). */
export async function designateMember(
  ctx: AppContext,
  props: { actor: Actor; departmentId: number; input: unknown },
) {
  await authorize(ctx, props.actor, "council.designate", { departmentId: props.departmentId });
  const input = parse(designateInput, props.input);
  return change(ctx, props.actor, "council.designate", async (tx, at) => {
    const department = await findDepartment(tx, props.departmentId);
    if (!department) throw notFound("部");
    const person = await findStaff(tx, input.staffId);
    if (!person?.active) throw notFound("職員");
    if (person.departmentId !== department.id) {
      throw validation(
        `${department.name}の職員を選んでください（第6-2: 協議会のメンバーは各部署の担当者）。`,
        [{ field: "staffId", message: `${department.name}の職員を選んでください。` }],
      );
    }
    const before = await repo.findMember(tx, department.id);
    await repo.setMember(tx, {
      departmentId: department.id,
      staffId: person.id,
      designatedAt: at,
      designatedBy: actorId(props.actor),
    });
    return {
      result: { departmentId: department.id, staffId: person.id, name: person.name },
      target: { type: "council_member", id: department.id },
      summary: { department: department.name, before: before?.staffId ?? null, after: person.id },
    };
  });
}

/** Removes a department's member (its seat becomes flagged again while it holds accounts). */
export async function removeMember(ctx: AppContext, props: { actor: Actor; departmentId: number }) {
  await authorize(ctx, props.actor, "council.designate", { departmentId: props.departmentId });
  return change(ctx, props.actor, "council.remove_member", async (tx) => {
    const before = await repo.findMember(tx, props.departmentId);
    if (!before) throw notFound("協議会メンバー");
    await repo.removeMember(tx, props.departmentId);
    return {
      result: null,
      target: { type: "council_member", id: props.departmentId },
      summary: { before: before.staffId },
    };
  });
}
