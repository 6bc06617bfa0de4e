/**
 * The council's roster (6.2): the divisions (課等) that hold or apply for accounts, each seated by
 * its 課等の長 (アカウント管理者) or by the person it names instead; a division where nobody sits (no
 * 課等の長 and nobody named) or whose named person left is flagged. The division's 課等の長, its
 * department's 部長 (情報管理者) or an administrator names the person, who must work in that division.
 */
import { z } from "zod";
import * as repo from "../../db/repos/council.ts";
import { findDivision } from "../../db/repos/org.ts";
import { findStaff, searchStaff } from "../../db/repos/staff.ts";
import { councilRoster as buildRoster, type RosterRow } from "../../domain/council.ts";
import { notFound, validation } from "../../errors.ts";
import { change } from "../audit/record.ts";
import { allowed, authorize } from "../authorize.ts";
import { type Actor, type AppContext, actorId } from "../context.ts";
import { idOf, parse } from "../validate.ts";

const seatTarget = (row: { divisionId: number; departmentId: number }) => ({
  divisionId: row.divisionId,
  departmentId: row.departmentId,
});

/** The roster, with whether the actor may name who sits for each division. */
export async function councilRoster(
  ctx: AppContext,
  props: { actor: Actor },
): Promise<Array<RosterRow & { canDesignate: boolean }>> {
  await authorize(ctx, props.actor, "council.read");
  const rows = buildRoster(await repo.rosterInputs(ctx.db));
  return rows.map((row) => ({
    ...row,
    canDesignate: allowed(props.actor, "council.designate", seatTarget(row)),
  }));
}

/** For each division the actor may name someone for: its active staff to choose from. */
export async function designationChoices(
  ctx: AppContext,
  props: { actor: Actor; seats: ReadonlyArray<{ divisionId: number; departmentId: number }> },
): Promise<Map<number, Array<{ id: number; label: string }>>> {
  await authorize(ctx, props.actor, "council.read");
  const out = new Map<number, Array<{ id: number; label: string }>>();
  for (const seat of props.seats) {
    if (!allowed(props.actor, "council.designate", seatTarget(seat))) continue;
    const { rows } = await searchStaff(
      ctx.db,
      { divisionId: seat.divisionId, active: true },
      { offset: 0, limit: 500 },
    );
    out.set(
      seat.divisionId,
      rows.map((s) => ({ id: s.id, label: `${s.name}（${s.positionName}）` })),
    );
  }
  return out;
}

export const designateInput = z.object({ staffId: idOf("協議会に出席する職員") });

/** The division whose seat `actor` changes, once they may (6.2: its 課等の長, its 部長 or an admin). */
async function seatDivision(ctx: AppContext, actor: Actor, divisionId: number) {
  const division = await findDivision(ctx.db, divisionId);
  if (!division) throw notFound("課等");
  await authorize(
    ctx,
    actor,
    "council.designate",
    seatTarget({ divisionId: division.id, departmentId: division.departmentId }),
  );
  return division;
}

/** Names (or replaces) the person who sits for a division instead of its 課等の長 (6.2). */
export async function designateMember(
  ctx: AppContext,
  props: { actor: Actor; divisionId: number; input: unknown },
) {
  const division = await seatDivision(ctx, props.actor, props.divisionId);
  const input = parse(designateInput, props.input);
  return change(ctx, props.actor, "council.designate", async (tx, at) => {
    const person = await findStaff(tx, input.staffId);
    if (!person?.active) throw notFound("職員");
    if (person.divisionId !== division.id) {
      throw validation(
        `${division.name}の職員を選んでください（第6-2: 協議会のメンバーは、アカウントを取得または取得しようとする部署の担当者）。`,
        [{ field: "staffId", message: `${division.name}の職員を選んでください。` }],
      );
    }
    const before = await repo.findMember(tx, division.id);
    await repo.setMember(tx, {
      departmentId: division.departmentId,
      divisionId: division.id,
      staffId: person.id,
      designatedAt: at,
      designatedBy: actorId(props.actor),
    });
    return {
      result: { divisionId: division.id, staffId: person.id, name: person.name },
      target: { type: "council_member", id: division.id },
      summary: { division: division.name, before: before?.staffId ?? null, after: person.id },
    };
  });
}

/** Removes a division's named person (its 課等の長 sits again; flagged when there is none). */
export async function removeMember(ctx: AppContext, props: { actor: Actor; divisionId: number }) {
  const division = await seatDivision(ctx, props.actor, props.divisionId);
  return change(ctx, props.actor, "council.remove_member", async (tx) => {
    const before = await repo.findMember(tx, division.id);
    if (!before) throw notFound("協議会メンバー");
    await repo.removeMember(tx, division.id);
    return {
      result: null,
      target: { type: "council_member", id: division.id },
      summary: { division: division.name, before: before.staffId },
    };
  });
}
