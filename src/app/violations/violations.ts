/**
 * Violation records (9 懲戒処分等): the clause violated, severity, circumstances, the staff
 * involved (違反した職員, 違反を助長した職員, 監督責任者), the post or incident it concerns,
 * whether the act answered a malicious demand through the proper procedure (9 ただし書: then not
 * subject to discipline) and the outcome. Only the policy director and the security director
 * record them; auditors read them; to everyone else they do not exist (access.ts).
 */
import { z } from "zod";
import * as repo from "../../db/repos/violations.ts";
import { clauseRef } from "../../domain/clauses.ts";
import {
  employeeNumbers,
  type ViolationRole,
  violationRoleLabels,
  violationSeverities,
  violationStatuses,
} from "../../domain/violations.ts";
import { conflict, type FieldIssue, notFound, validation } from "../../errors.ts";
import { change, diff } from "../audit/record.ts";
import type { Actor, AppContext } from "../context.ts";
import { actorId } from "../context.ts";
import { clausesInForce } from "../guideline/in-force.ts";
import { flag, optionalIdOf, optionalText, parse, text } from "../validate.ts";
import { requireViolationManager, requireViolationReader, VIOLATION_TARGET } from "./access.ts";

const people = (label: string) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (Array.isArray(v) ? v.flatMap(employeeNumbers) : employeeNumbers(v ?? "")))
    .describe(`${label}の職員番号（カンマ区切り、またはその配列）`);

export const violationInput = z.object({
  clause: text("違反した条項", 20),
  severity: z.enum(violationSeverities, { error: "重大性を選択してください。" }),
  circumstances: text("事案の状況", 10_000),
  /** 9 ただし書: the act answered a malicious demand through the procedure the rules set. */
  properProcedure: flag(),
  outcome: optionalText("処分等の結果", 5000),
  postId: optionalIdOf("関連する投稿の番号"),
  incidentId: optionalIdOf("関連するインシデントの番号"),
  violators: people("違反した職員"),
  abettors: people("違反を助長した職員"),
  supervisors: people("監督責任者"),
});

export const violationStatusInput = z.object({
  status: z.enum(violationStatuses, { error: "状態を選択してください。" }),
});

const roleFields: Record<ViolationRole, "violators" | "abettors" | "supervisors"> = {
  violator: "violators",
  abettor: "abettors",
  supervisor: "supervisors",
};

type Input = z.output<typeof violationInput>;

/** Checks the input against the data: the clause exists, the post and incident exist, the people exist. */
async function resolve(ctx: AppContext, input: Input) {
  const issues: FieldIssue[] = [];
  const clauses = await clausesInForce(ctx);
  if (!(input.clause in clauses)) {
    issues.push({
      field: "clause",
      message: `条項「${input.clause}」は施行中のガイドラインにありません。一覧から選んでください。`,
    });
  }
  if (input.postId !== null) {
    const status = await repo.postStatus(ctx.db, input.postId);
    if (status === null) issues.push({ field: "postId", message: `投稿 #${input.postId} はありません。` });
    else if (status === "draft")
      issues.push({
        field: "postId",
        message:
          "下書きの投稿は関連付けられません（下書きは作成者が削除できるため）。提出後の投稿を指定してください。",
      });
  }
  if (input.incidentId !== null && !(await repo.incidentExists(ctx.db, input.incidentId))) {
    issues.push({ field: "incidentId", message: `インシデント #${input.incidentId} はありません。` });
  }
  const all = [...input.violators, ...input.abettors, ...input.supervisors];
  const found = await repo.staffByEmployeeNo(ctx.db, all);
  const chosen: Array<{ staffId: number; role: ViolationRole }> = [];
  for (const role of ["violator", "abettor", "supervisor"] as const) {
    const field = roleFields[role];
    const missing = input[field].filter((no) => !found.has(no));
    if (missing.length > 0) {
      issues.push({
        field,
        message: `${violationRoleLabels[role]}: 職員番号 ${missing.join("、")} の職員が見つかりません。`,
      });
    }
    for (const no of input[field]) {
      const person = found.get(no);
      if (person) chosen.push({ staffId: person.id, role });
    }
  }
  if (input.violators.length === 0) {
    issues.push({ field: "violators", message: "違反した職員の職員番号を入力してください。" });
  }
  if (issues.length > 0) {
    throw validation(
      issues.length > 1 ? "入力内容に誤りがあります。各項目を確認してください。" : (issues[0]?.message ?? ""),
      issues,
    );
  }
  return chosen;
}

function values(input: Input): repo.ViolationValues {
  return {
    clause: input.clause,
    severity: input.severity,
    circumstances: input.circumstances,
    properProcedure: input.properProcedure,
    outcome: input.outcome,
    postId: input.postId,
    incidentId: input.incidentId,
  };
}

/** The records (readers only; everyone else gets the 404 of a page that does not exist). */
export async function listViolations(
  ctx: AppContext,
  props: { actor: Actor; filter?: repo.ViolationFilter },
): Promise<repo.ViolationView[]> {
  await requireViolationReader(ctx, props.actor);
  return repo.listViolations(ctx.db, props.filter ?? {});
}

export async function getViolation(ctx: AppContext, props: { actor: Actor; id: number }) {
  await requireViolationReader(ctx, props.actor);
  const found = await repo.findViolation(ctx.db, props.id);
  if (!found) throw notFound("違反の記録");
  return found;
}

/** The clauses to choose from (the version in force), for the form. */
export async function violationClauseOptions(ctx: AppContext, props: { actor: Actor }) {
  await requireViolationManager(ctx, props.actor);
  const clauses = await clausesInForce(ctx);
  return Object.keys(clauses).map((id) => ({
    id,
    label: `${/^\d/.test(id) ? clauseRef(id) : id} ${(clauses[id] ?? "").slice(0, 40)}`,
  }));
}

export async function createViolation(ctx: AppContext, props: { actor: Actor; input: unknown }) {
  await requireViolationManager(ctx, props.actor);
  const input = parse(violationInput, props.input);
  const chosen = await resolve(ctx, input);
  return change(ctx, props.actor, "violation.create", async (tx, at) => {
    const row = await repo.insertViolation(tx, { ...values(input), createdBy: actorId(props.actor), at });
    await repo.setPeople(tx, row.id, chosen);
    return {
      result: row,
      target: { type: VIOLATION_TARGET, id: row.id },
      summary: { ...values(input), people: chosen },
    };
  });
}

export async function updateViolation(ctx: AppContext, props: { actor: Actor; id: number; input: unknown }) {
  await requireViolationManager(ctx, props.actor);
  const input = parse(violationInput, props.input);
  const chosen = await resolve(ctx, input);
  return change(ctx, props.actor, "violation.update", async (tx, at) => {
    const before = await repo.lockViolation(tx, props.id);
    if (!before) throw notFound("違反の記録");
    if (before.status === "closed")
      throw conflict("終結した記録は変更できません。変更するには、まず対応中に戻してください。");
    const after = await repo.updateViolation(tx, before.id, values(input), at);
    await repo.setPeople(tx, before.id, chosen);
    return {
      result: after ?? before,
      target: { type: VIOLATION_TARGET, id: before.id },
      summary: { ...diff(before, values(input)), people: chosen },
    };
  });
}

/** Closes a record (終結) or opens it again. */
export async function setViolationStatus(
  ctx: AppContext,
  props: { actor: Actor; id: number; input: unknown },
) {
  await requireViolationManager(ctx, props.actor);
  const input = parse(violationStatusInput, props.input);
  return change(
    ctx,
    props.actor,
    input.status === "closed" ? "violation.close" : "violation.reopen",
    async (tx, at) => {
      const before = await repo.lockViolation(tx, props.id);
      if (!before) throw notFound("違反の記録");
      if (before.status === input.status) {
        throw conflict(
          input.status === "closed" ? "この記録はすでに終結しています。" : "この記録はすでに対応中です。",
        );
      }
      const after = await repo.updateViolation(tx, before.id, { status: input.status }, at);
      return {
        result: after ?? before,
        target: { type: VIOLATION_TARGET, id: before.id },
        summary: { status: { before: before.status, after: input.status } },
      };
    },
  );
}
