/**
 * Deputies for an absence (5.1.4): the account manager names a member of the division who may
 * approve posts and acknowledge post-hoc reports in their place from one date to another, with
 * the reason; the naming and its revocation are recorded.
 */

import { findDivision } from "../../db/repos/org.ts";
import { type DeputyView, deputiesOf, lockDeputy } from "../../db/repos/post-queues.ts";
import { insertDeputy, revokeDeputy as revokeDeputyRow } from "../../db/repos/posts.ts";
import { findStaff, type StaffView, searchStaff } from "../../db/repos/staff.ts";
import { tokyoDate } from "../../domain/dates.ts";
import { conflict, notFound, validation } from "../../errors.ts";
import { change } from "../audit/record.ts";
import { authorize } from "../authorize.ts";
import type { Actor, AppContext, StaffActor } from "../context.ts";
import { parse } from "../validate.ts";
import { deputyInput } from "./input.ts";

/** Divisions whose accounts the person manages (課長, 4.1.4). */
export function managedDivisionIds(actor: Actor): number[] {
  if (actor.kind !== "staff") return [];
  return actor.grants.flatMap((g) =>
    g.role === "account_manager" && g.scope.type === "division" ? [g.scope.id] : [],
  );
}

/** The deputies page: the divisions the person manages, their deputies, and who may be named. */
export type DeputyPage = {
  divisions: Array<{ id: number; name: string; members: StaffView[] }>;
  deputies: DeputyView[];
  today: string;
};

/** What the deputies page shows (the manager's own divisions). */
export async function deputyPage(ctx: AppContext, props: { actor: StaffActor }): Promise<DeputyPage> {
  const ids = managedDivisionIds(props.actor);
  if (ids.length === 0) await authorize(ctx, props.actor, "post.deputy_manage", { divisionId: -1 });
  const divisions: DeputyPage["divisions"] = [];
  for (const id of ids) {
    const division = await findDivision(ctx.db, id);
    if (!division) continue;
    const { rows } = await searchStaff(ctx.db, { divisionId: id, active: true }, { offset: 0, limit: 500 });
    divisions.push({ id, name: division.name, members: rows.filter((s) => s.id !== props.actor.staffId) });
  }
  return { divisions, deputies: await deputiesOf(ctx.db, ids), today: tokyoDate(ctx.clock.now()) };
}

/**
 * Names a deputy for an absence.
 * @param props.actor the account manager of the division (post.deputy_manage)
 * @param props.input `divisionId` (defaults to the manager's only division), `deputyId` (a
 *   member of the division other than the manager), `fromDate`, `toDate` (not in the past), `reason`
 */
export async function nameDeputy(
  ctx: AppContext,
  props: { actor: Actor; input: unknown },
): Promise<DeputyView> {
  const input = parse(deputyInput, props.input);
  const managed = managedDivisionIds(props.actor);
  // Only managers name deputies: anyone else is refused (and recorded) first.
  if (managed.length === 0 && input.divisionId === undefined)
    await authorize(ctx, props.actor, "post.deputy_manage", { divisionId: -1 });
  const divisionId = input.divisionId ?? (managed.length === 1 ? managed[0] : undefined);
  if (divisionId === undefined) {
    throw validation("課を選択してください。", [{ field: "divisionId", message: "課を選択してください。" }]);
  }
  const division = await findDivision(ctx.db, divisionId);
  if (!division) throw notFound("課");
  await authorize(ctx, props.actor, "post.deputy_manage", {
    divisionId: division.id,
    departmentId: division.departmentId,
  });
  if (props.actor.kind !== "staff") throw validation("代理者は職員として指名してください。");
  const managerId = props.actor.staffId;
  const deputy = await findStaff(ctx.db, input.deputyId);
  const issues: Array<{ field: string; message: string }> = [];
  if (!deputy?.active || deputy.divisionId !== division.id)
    issues.push({ field: "deputyId", message: `代理者は${division.name}の職員から選んでください。` });
  else if (deputy.id === managerId)
    issues.push({ field: "deputyId", message: "ご自身を代理者にすることはできません。" });
  const today = tokyoDate(ctx.clock.now());
  if (input.toDate < input.fromDate)
    issues.push({ field: "toDate", message: "終了日は開始日以降の日付を指定してください。" });
  else if (input.toDate < today)
    issues.push({
      field: "toDate",
      message: "終了日が過ぎた期間は指名できません。今日以降の日付を指定してください。",
    });
  if (issues.length > 0) {
    throw validation(
      issues.length === 1
        ? (issues[0]?.message ?? "")
        : "入力内容に誤りがあります。各項目を確認してください。",
      issues,
    );
  }
  return change(ctx, props.actor, "post.deputy_name", async (tx, at) => {
    const row = await insertDeputy(tx, {
      divisionId: division.id,
      managerId,
      deputyId: input.deputyId,
      fromDate: input.fromDate,
      toDate: input.toDate,
      reason: input.reason,
      createdAt: at,
    });
    const [view] = (await deputiesOf(tx, [division.id])).filter((d) => d.id === row.id);
    if (!view) throw notFound("代理者");
    return {
      result: view,
      target: { type: "division", id: division.id },
      summary: {
        deputyRecordId: row.id,
        deputyId: row.deputyId,
        deputyName: view.deputyName,
        fromDate: row.fromDate,
        toDate: row.toDate,
        reason: row.reason,
      },
    };
  });
}

/** Revokes a deputy (the manager is back early, or named the wrong person). */
export async function revokeDeputy(ctx: AppContext, props: { actor: Actor; id: number }): Promise<void> {
  const managed = managedDivisionIds(props.actor);
  // Only managers name deputies: anyone else is refused (and recorded) before anything is looked up.
  if (managed.length === 0) await authorize(ctx, props.actor, "post.deputy_manage", { divisionId: -1 });
  const visible = (await deputiesOf(ctx.db, managed)).find((d) => d.id === props.id);
  const division = visible ? await findDivision(ctx.db, visible.divisionId) : undefined;
  if (!visible || !division) throw notFound("代理者の指名");
  await authorize(ctx, props.actor, "post.deputy_manage", {
    divisionId: division.id,
    departmentId: division.departmentId,
  });
  await change(ctx, props.actor, "post.deputy_revoke", async (tx, at) => {
    const row = await lockDeputy(tx, props.id);
    if (!row) throw notFound("代理者の指名");
    if (row.revokedAt) throw conflict("この指名はすでに取り消されています。");
    await revokeDeputyRow(tx, row.id, at);
    return {
      result: undefined,
      target: { type: "division", id: row.divisionId },
      summary: { deputyRecordId: row.id, deputyId: row.deputyId, fromDate: row.fromDate, toDate: row.toDate },
    };
  });
}
