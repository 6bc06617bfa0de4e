/**
 * Use cases for staff: list, view, create, edit, deactivate. Placement rules (a division belongs
 * to the person's department; a 課長 must have a division, 4.1.4) are checked here.
 */
import { z } from "zod";
import type { Db } from "../../db/client.ts";
import { deleteSessionsOf } from "../../db/repos/auth.ts";
import * as org from "../../db/repos/org.ts";
import * as repo from "../../db/repos/staff.ts";
import { conflict, isUniqueViolation, notFound, validation } from "../../errors.ts";
import { change, diff } from "../audit/record.ts";
import { authorize } from "../authorize.ts";
import type { Actor, AppContext } from "../context.ts";
import { type OrgLists, orgLists } from "../org/cache.ts";
import { email, flag, idOf, optionalIdOf, optionalText, parse, text } from "../validate.ts";

export const staffInput = z.object({
  employeeNo: text("職員番号", 20).regex(/^[A-Za-z0-9-]+$/, {
    error: "職員番号は半角英数字とハイフンで入力してください。",
  }),
  name: text("氏名", 60),
  kana: optionalText("ふりがな", 120),
  email: email(),
  departmentId: idOf("所属する部"),
  divisionId: optionalIdOf("所属する課"),
  positionId: idOf("職"),
  active: flag().default(true),
});

export type StaffInput = z.output<typeof staffInput>;

/**
 * Checks that a placement is coherent: the division (if any) belongs to the department, and a
 * division head has a division (4.1.4: the 課長 is the account manager of the division).
 */
export async function checkPlacement(
  db: Db,
  placement: { departmentId: number; divisionId: number | null; positionId: number },
): Promise<void> {
  const department = await org.findDepartment(db, placement.departmentId);
  if (!department)
    throw validation("所属する部が見つかりません。", [
      { field: "departmentId", message: "所属する部を選択してください。" },
    ]);
  const position = await org.findPosition(db, placement.positionId);
  if (!position)
    throw validation("職が見つかりません。", [{ field: "positionId", message: "職を選択してください。" }]);
  if (placement.divisionId !== null) {
    const division = await org.findDivision(db, placement.divisionId);
    if (!division || division.departmentId !== placement.departmentId) {
      throw validation(`所属する課は「${department.name}」の課から選んでください。`, [
        { field: "divisionId", message: `「${department.name}」の課を選択してください。` },
      ]);
    }
  }
  if (position.headOf === "division" && placement.divisionId === null) {
    throw validation(`${position.name}は課の長のため、所属する課を選択してください（第4-1(4)）。`, [
      { field: "divisionId", message: "所属する課を選択してください。" },
    ]);
  }
}

function duplicateMessage(input: StaffInput): string {
  return `職員番号「${input.employeeNo}」またはメールアドレス「${input.email}」はすでに登録されています。`;
}

/**
 * One page of the staff directory and the total. The page is read from `staff` alone and its
 * units are named from the organisation in memory (org/cache.ts: fresh after a change in this
 * process, at most a minute old for one made by another instance); a person placed in a unit the
 * copy does not know yet is read with the names from the database instead.
 */
export async function searchStaff(
  ctx: AppContext,
  props: { actor: Actor; filter: repo.StaffFilter; page: { offset: number; limit: number } },
): Promise<{ rows: repo.StaffView[]; total: number }> {
  await authorize(ctx, props.actor, "staff.read");
  const [page, lists] = await Promise.all([repo.staffPage(ctx.db, props.filter, props.page), orgLists(ctx)]);
  const rows = nameUnits(page.rows, lists);
  return rows ? { rows, total: page.total } : repo.searchStaff(ctx.db, props.filter, props.page);
}

/** Staff rows with their units' names from `lists`, or undefined when a unit is not in them. */
function nameUnits(rows: repo.Staff[], lists: OrgLists): repo.StaffView[] | undefined {
  const departments = new Map(lists.departments.map((d) => [d.id, d.name]));
  const divisions = new Map(lists.divisions.map((d) => [d.id, d.name]));
  const positions = new Map(lists.positions.map((p) => [p.id, p]));
  const named: repo.StaffView[] = [];
  for (const row of rows) {
    const departmentName = departments.get(row.departmentId);
    const divisionName = row.divisionId === null ? null : divisions.get(row.divisionId);
    const position = positions.get(row.positionId);
    if (departmentName === undefined || divisionName === undefined || !position) return undefined;
    named.push({
      ...row,
      departmentName,
      divisionName,
      positionName: position.name,
      headOf: position.headOf,
    });
  }
  return named;
}

export async function getStaff(ctx: AppContext, props: { actor: Actor; id: number }) {
  await authorize(ctx, props.actor, "staff.read");
  const person = await repo.findStaffView(ctx.db, props.id);
  if (!person) throw notFound("職員");
  return person;
}

/** Registers a member of staff (without login: they get a password through a one-time link). */
export async function createStaff(ctx: AppContext, props: { actor: Actor; input: unknown }) {
  await authorize(ctx, props.actor, "staff.manage");
  const input = parse(staffInput, props.input);
  try {
    return await change(ctx, props.actor, "staff.create", async (tx) => {
      await checkPlacement(tx, input);
      const row = await repo.insertStaff(tx, input);
      return { result: row, target: { type: "staff", id: row.id }, summary: { after: input } };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(duplicateMessage(input));
    throw error;
  }
}

/**
 * Edits a member of staff. A change of department, division or position here is a correction;
 * moves that happen in the organisation are recorded as transfers (人事異動) instead.
 */
export async function updateStaff(ctx: AppContext, props: { actor: Actor; id: number; input: unknown }) {
  await authorize(ctx, props.actor, "staff.manage");
  const input = parse(staffInput, props.input);
  try {
    return await change(ctx, props.actor, "staff.update", async (tx, at) => {
      const before = await repo.lockStaff(tx, props.id);
      if (!before) throw notFound("職員");
      await checkPlacement(tx, input);
      const row = await repo.updateStaff(tx, props.id, input, at);
      if (before.active && !input.active) await endAccess(ctx, tx, props.actor, props.id, at);
      return { result: row, target: { type: "staff", id: props.id }, summary: diff(before, input) };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(duplicateMessage(input));
    throw error;
  }
}

/** Deactivating someone ends every session they have and tells the features that react. */
async function endAccess(ctx: AppContext, tx: Db, actor: Actor, staffId: number, at: Date): Promise<void> {
  await deleteSessionsOf(tx, staffId);
  await ctx.events.emit(tx, { type: "staff.deactivated", staffId }, { actor, at });
}

/** Sets a person active or inactive (退職・休職). Inactive people cannot sign in. */
export async function setStaffActive(ctx: AppContext, props: { actor: Actor; id: number; active: boolean }) {
  await authorize(ctx, props.actor, "staff.manage");
  return change(ctx, props.actor, props.active ? "staff.activate" : "staff.deactivate", async (tx, at) => {
    const before = await repo.lockStaff(tx, props.id);
    if (!before) throw notFound("職員");
    const row = await repo.updateStaff(tx, props.id, { active: props.active }, at);
    if (before.active && !props.active) await endAccess(ctx, tx, props.actor, props.id, at);
    return {
      result: row,
      target: { type: "staff", id: props.id },
      summary: { changes: { active: { before: before.active, after: props.active } } },
    };
  });
}
