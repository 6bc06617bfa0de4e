/**
 * 職務代理・事務取扱: someone stands in for the holder of a post (a 部長 or 課長, and so for the
 * 総合政策部長 or 総務部長 too) from one day to another. The acting person holds the roles of that
 * post for the period only (4.1.2, 4.1.4); the assignment names whom it stands in for, is recorded
 * by the administrator and audited, and can be ended early. Nobody records one for themselves,
 * and a director's post is not given to someone who holds `admin` (9).
 */
import { z } from "zod";
import * as repo from "../../db/repos/staff.ts";
import { formatDate, tokyoDate } from "../../domain/dates.ts";
import { derivedGrants, effectiveGrants, roleLabels } from "../../domain/roles.ts";
import { conflict, notFound, validation } from "../../errors.ts";
import { change } from "../audit/record.ts";
import { authorize, refuse } from "../authorize.ts";
import { type Actor, type AppContext, actorId } from "../context.ts";
import { idOf, optionalText, parse, plainDate } from "../validate.ts";
import { offices } from "./role-grants.ts";

export const actingKinds = { deputy: "職務代理", in_charge: "事務取扱" } as const;

export const actingInput = z.object({
  staffId: idOf("代理する職員"),
  absentStaffId: idOf("代理される職員"),
  kind: z
    .enum(["deputy", "in_charge"], { error: "職務代理か事務取扱かを選択してください。" })
    .default("deputy"),
  fromDate: plainDate("開始日"),
  untilDate: plainDate("終了日"),
  reason: optionalText("理由", 200),
});

/**
 * Records that `staffId` stands in for `absentStaffId` (who holds a 部長 or 課長 post) from
 * `fromDate` to `untilDate`.
 */
export async function recordActing(ctx: AppContext, props: { actor: Actor; input: unknown }) {
  await authorize(ctx, props.actor, "role.assign");
  const input = parse(actingInput, props.input);
  const today = tokyoDate(ctx.clock.now());
  if (props.actor.kind === "staff" && props.actor.staffId === input.staffId) {
    throw await refuse(
      ctx,
      props.actor,
      "role.assign",
      { staffId: input.staffId, absentStaffId: input.absentStaffId },
      "ご自身を職務代理・事務取扱にすることはできません。別の管理者に登録を依頼してください。",
    );
  }
  const [acting, absent] = await Promise.all([
    repo.findStaff(ctx.db, input.staffId),
    repo.findStaff(ctx.db, input.absentStaffId),
  ]);
  if (!acting?.active)
    throw validation("代理する職員には在職している職員を選んでください。", [
      { field: "staffId", message: "在職している職員を選んでください。" },
    ]);
  if (!absent?.active)
    throw validation("代理される職員には在職している職員を選んでください。", [
      { field: "absentStaffId", message: "在職している職員を選んでください。" },
    ]);
  if (acting.id === absent.id)
    throw validation("代理する職員と代理される職員は別の方にしてください。", [
      { field: "staffId", message: "代理される職員とは別の方を選んでください。" },
    ]);
  const pack = offices();
  const post = await repo.placementOf(ctx.db, absent);
  const postRoles = derivedGrants(post, pack);
  if (postRoles.length === 0) {
    throw validation(
      `${absent.name}さんは${pack.departmentHead}・${pack.divisionHead}の職にないため、職務代理・事務取扱を登録できません（第4-1(2)、第4-1(4)）。`,
      [
        {
          field: "absentStaffId",
          message: `${pack.departmentHead}・${pack.divisionHead}の職にある職員を選んでください。`,
        },
      ],
    );
  }
  if (input.untilDate < input.fromDate)
    throw validation("終了日は開始日以降の日付を指定してください。", [
      { field: "untilDate", message: "開始日以降の日付を入力してください。" },
    ]);
  if (input.untilDate < today)
    throw validation("終了日が過ぎた期間は登録できません。今日以降の日付を指定してください。", [
      { field: "untilDate", message: "今日以降の日付を入力してください。" },
    ]);
  const directs = postRoles.some((g) => g.role === "policy_director" || g.role === "security_director");
  if (directs) {
    const grants = effectiveGrants({
      placement: await repo.placementOf(ctx.db, acting),
      offices: pack,
      acting: [],
      assignments: await repo.listAssignments(ctx.db, acting.id),
      today,
    });
    if (grants.some((g) => g.role === "admin")) {
      throw await refuse(
        ctx,
        props.actor,
        "role.assign",
        { staffId: acting.id, absentStaffId: absent.id },
        `${acting.name}さんはシステム管理者のため、違反の記録や監査ログを扱う${absent.name}さんの職を代理することはできません。`,
      );
    }
  }
  return change(ctx, props.actor, "role.acting_record", async (tx, at) => {
    const overlapping = (await repo.actingOf(tx, absent.id, "absent")).find(
      (a) => a.fromDate <= input.untilDate && input.fromDate <= a.untilDate,
    );
    if (overlapping)
      throw conflict(
        `${absent.name}さんには、期間が重なる${actingKinds[overlapping.kind === "in_charge" ? "in_charge" : "deputy"]}（${overlapping.actingName}さん、${formatDate(overlapping.fromDate)}〜${formatDate(overlapping.untilDate)}）がすでに登録されています。`,
      );
    const row = await repo.insertActing(tx, {
      staffId: acting.id,
      absentStaffId: absent.id,
      kind: input.kind,
      headOf: post.headOf === "division" ? "division" : "department",
      departmentId: post.departmentId,
      divisionId: post.headOf === "division" ? post.divisionId : null,
      positionId: absent.positionId,
      fromDate: input.fromDate,
      untilDate: input.untilDate,
      reason: input.reason,
      createdBy: actorId(props.actor),
      createdAt: at,
    });
    return {
      result: row,
      target: { type: "staff", id: acting.id },
      summary: {
        actingId: row.id,
        kind: input.kind,
        acting: { staffId: acting.id, name: acting.name },
        absent: { staffId: absent.id, name: absent.name },
        fromDate: input.fromDate,
        untilDate: input.untilDate,
        roles: postRoles.map((g) => g.role),
        ...(input.reason ? { reason: input.reason } : {}),
      },
    };
  });
}

/** Ends an acting assignment (the holder is back early, or it was recorded by mistake). */
export async function revokeActing(ctx: AppContext, props: { actor: Actor; id: number }) {
  await authorize(ctx, props.actor, "role.assign");
  return change(ctx, props.actor, "role.acting_revoke", async (tx, at) => {
    const row = await repo.lockActing(tx, props.id);
    if (!row) throw notFound("職務代理・事務取扱");
    if (row.revokedAt) throw conflict("この職務代理・事務取扱はすでに取り消されています。");
    await repo.revokeActingRow(tx, row.id, actorId(props.actor), at);
    return {
      result: row,
      target: { type: "staff", id: row.staffId },
      summary: {
        actingId: row.id,
        absentStaffId: row.absentStaffId,
        fromDate: row.fromDate,
        untilDate: row.untilDate,
      },
    };
  });
}

/** Acting assignments of a person: where they stand in, and who stands in for them. */
export async function actingFor(ctx: AppContext, props: { actor: Actor; staffId: number }) {
  await authorize(ctx, props.actor, "role.read");
  const [acting, absent] = await Promise.all([
    repo.actingOf(ctx.db, props.staffId, "acting"),
    repo.actingOf(ctx.db, props.staffId, "absent"),
  ]);
  return { acting, absent };
}

/** The roles a post carries, in words (「部等の長（情報管理者）、総合政策部長」). */
export function postRoleLabels(post: repo.ActingView["post"]): string {
  return derivedGrants(post, offices())
    .map((g) => roleLabels[g.role])
    .join("、");
}
