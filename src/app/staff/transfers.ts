/**
 * 人事異動 (personnel transfers). A transfer moves a person to another department, division or
 * position on its effective date. When it takes effect it emits `staff.transferred`, to which
 * later features react inside the same transaction: the manager role follows the 課長 (4.1.4),
 * password rotation tasks open on the accounts the person could log in to (4.3.2).
 */
import { z } from "zod";
import type { Db } from "../../db/client.ts";
import * as org from "../../db/repos/org.ts";
import * as repo from "../../db/repos/staff.ts";
import { addDays, tokyoDate } from "../../domain/dates.ts";
import { conflict, notFound, validation } from "../../errors.ts";
import { change } from "../audit/record.ts";
import { authorize } from "../authorize.ts";
import type { Actor, AppContext } from "../context.ts";
import { idOf, optionalIdOf, optionalText, parse, plainDate } from "../validate.ts";
import { checkPlacement } from "./people.ts";

export const transferInput = z.object({
  staffId: idOf("異動する職員"),
  effectiveDate: plainDate("発令日"),
  toDepartmentId: idOf("異動先の部"),
  toDivisionId: optionalIdOf("異動先の課"),
  toPositionId: idOf("異動後の職"),
  note: optionalText("備考", 500),
});

export type TransferInput = z.output<typeof transferInput>;

type Placement = { departmentId: number; divisionId: number | null; positionId: number };

async function placementNames(db: Db, p: Placement) {
  // One after the other: called inside a transaction, whose client runs one query at a time.
  const department = await org.findDepartment(db, p.departmentId);
  const division = p.divisionId === null ? undefined : await org.findDivision(db, p.divisionId);
  const position = await org.findPosition(db, p.positionId);
  return {
    department: department?.name ?? null,
    division: division?.name ?? null,
    position: position?.name ?? null,
  };
}

/**
 * Moves the person and emits the event, in `tx`. Returns the before/after placement for the
 * audit summary. The caller holds the lock on the staff row.
 */
async function applyTransfer(
  ctx: AppContext,
  tx: Db,
  actor: Actor,
  transfer: repo.Transfer,
  person: repo.Staff,
  at: Date,
) {
  const to: Placement = {
    departmentId: transfer.toDepartmentId,
    divisionId: transfer.toDivisionId,
    positionId: transfer.toPositionId,
  };
  const from: Placement = {
    departmentId: person.departmentId,
    divisionId: person.divisionId,
    positionId: person.positionId,
  };
  await checkPlacement(tx, to);
  await repo.updateStaff(tx, person.id, to, at);
  await repo.markTransfer(tx, transfer.id, "applied", at);
  await ctx.events.emit(
    tx,
    {
      type: "staff.transferred",
      transferId: transfer.id,
      staffId: person.id,
      effectiveDate: transfer.effectiveDate,
      from,
      to,
    },
    { actor, at },
  );
  return { from: await placementNames(tx, from), to: await placementNames(tx, to) };
}

/** How far from today a 発令日 may lie: a late entry or an early one, not a mistyped year. */
const TRANSFER_DATE_RANGE_DAYS = 366;

/** Refuses a 発令日 more than a year before or after today (Tokyo): almost surely a typo in the year. */
export function checkEffectiveDate(effectiveDate: string, today: string): void {
  const problem =
    effectiveDate < addDays(today, -TRANSFER_DATE_RANGE_DAYS)
      ? "発令日が1年以上前になっています。年の入力に誤りがないか確認してください。"
      : effectiveDate > addDays(today, TRANSFER_DATE_RANGE_DAYS)
        ? "発令日が1年以上先になっています。年の入力に誤りがないか確認してください。"
        : null;
  if (problem) throw validation(problem, [{ field: "effectiveDate", message: problem }]);
}

/**
 * Records a transfer. If its effective date is today or earlier (in Tokyo) it takes effect at
 * once; otherwise it is scheduled and `applyDueTransfers` applies it on the day. A date more than
 * a year away either way is refused as a likely typo (a late entry of an April 発令 in December
 * still goes through).
 */
export async function recordTransfer(ctx: AppContext, props: { actor: Actor; input: unknown }) {
  await authorize(ctx, props.actor, "transfer.manage");
  const input = parse(transferInput, props.input);
  checkEffectiveDate(input.effectiveDate, tokyoDate(ctx.clock.now()));
  return change(ctx, props.actor, "transfer.create", async (tx, at) => {
    const person = await repo.lockStaff(tx, input.staffId);
    if (!person) throw notFound("異動する職員");
    if (!person.active)
      throw conflict(`${person.name}さんは無効（退職等）になっているため、異動を登録できません。`);
    const to = {
      departmentId: input.toDepartmentId,
      divisionId: input.toDivisionId,
      positionId: input.toPositionId,
    };
    await checkPlacement(tx, to);
    const row = await repo.insertTransfer(tx, {
      staffId: person.id,
      effectiveDate: input.effectiveDate,
      fromDepartmentId: person.departmentId,
      fromDivisionId: person.divisionId,
      fromPositionId: person.positionId,
      toDepartmentId: to.departmentId,
      toDivisionId: to.divisionId,
      toPositionId: to.positionId,
      note: input.note,
      createdBy: props.actor.kind === "staff" ? props.actor.staffId : null,
    });
    const due = input.effectiveDate <= tokyoDate(at);
    const moved = due ? await applyTransfer(ctx, tx, props.actor, row, person, at) : null;
    return {
      result: { ...row, status: due ? "applied" : "scheduled" },
      target: { type: "staff", id: person.id },
      summary: {
        transferId: row.id,
        effectiveDate: input.effectiveDate,
        applied: due,
        ...(moved ?? { from: await placementNames(tx, person), to: await placementNames(tx, to) }),
      },
    };
  });
}

/** Cancels a transfer that has not taken effect yet. */
export async function cancelTransfer(ctx: AppContext, props: { actor: Actor; id: number }) {
  await authorize(ctx, props.actor, "transfer.manage");
  return change(ctx, props.actor, "transfer.cancel", async (tx, at) => {
    const row = await repo.findTransfer(tx, props.id);
    if (!row) throw notFound("異動");
    if (row.status !== "scheduled") throw conflict("発令済みまたは取消済みの異動は取り消せません。");
    await repo.markTransfer(tx, row.id, "cancelled", at);
    return { result: row, target: { type: "staff", id: row.staffId }, summary: { transferId: row.id } };
  });
}

/**
 * Applies every scheduled transfer whose effective date has come. Safe to run from several app
 * instances at once: rows are claimed with FOR UPDATE SKIP LOCKED. Each transfer is its own
 * transaction with its own audit entry. Returns how many were applied.
 */
export async function applyDueTransfers(ctx: AppContext, actor: Actor): Promise<number> {
  let applied = 0;
  for (;;) {
    const done = await ctx.db.transaction(async (tx) => {
      const at = ctx.clock.now();
      const [due] = await repo.lockDueTransfers(tx, tokyoDate(at));
      if (!due) return false;
      const person = await repo.lockStaff(tx, due.staffId);
      if (!person?.active) {
        await repo.markTransfer(tx, due.id, "cancelled", at);
        await change({ ...ctx, db: tx }, actor, "transfer.cancel", async () => ({
          result: null,
          target: { type: "staff", id: due.staffId },
          summary: { transferId: due.id, reason: "staff inactive on the effective date" },
        }));
        return true;
      }
      await change({ ...ctx, db: tx }, actor, "transfer.apply", async (inner, when) => ({
        result: null,
        target: { type: "staff", id: person.id },
        summary: {
          transferId: due.id,
          effectiveDate: due.effectiveDate,
          ...(await applyTransfer(ctx, inner, actor, due, person, when)),
        },
      }));
      applied++;
      return true;
    });
    if (!done) return applied;
  }
}

export async function listTransfers(
  ctx: AppContext,
  props: { actor: Actor; staffId?: number; status?: string },
) {
  await authorize(ctx, props.actor, "transfer.read");
  return repo.listTransfers(ctx.db, { staffId: props.staffId, status: props.status });
}
