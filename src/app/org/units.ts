/**
 * Use cases for the organisation: departments (部), divisions (課) and positions (職).
 * Each checks permission, validates, writes in one transaction with one audit entry.
 */
import { z } from "zod";
import * as repo from "../../db/repos/org.ts";
import { conflict, isUniqueViolation, notFound } from "../../errors.ts";
import { change, diff } from "../audit/record.ts";
import { authorize } from "../authorize.ts";
import type { Actor, AppContext } from "../context.ts";
import { flag, idOf, optionalText, parse, text } from "../validate.ts";

const code = (label: string) =>
  text(label, 40).regex(/^[A-Za-z0-9_-]+$/, {
    error: `${label}は半角英数字・ハイフン・下線で入力してください。`,
  });

export const departmentInput = z.object({
  code: code("部コード"),
  name: text("部の名称", 100),
  kana: optionalText("ふりがな", 200),
  active: flag().default(true),
});

export const divisionInput = z.object({
  departmentId: idOf("所属する部"),
  code: code("課コード"),
  name: text("課の名称", 100),
  kana: optionalText("ふりがな", 200),
  active: flag().default(true),
});

export const positionInput = z.object({
  code: code("職コード"),
  name: text("職名", 60),
  rank: z.coerce.number({ error: "序列は数字で入力してください。" }).int().min(0).max(1000).default(100),
  headOf: z.enum(["none", "department", "division"], { error: "長の区分を選択してください。" }),
});

async function unique<T>(work: () => Promise<T>, message: string): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(message);
    throw error;
  }
}

export async function listDepartments(ctx: AppContext, actor: Actor) {
  await authorize(ctx, actor, "org.read");
  return repo.listDepartments(ctx.db);
}

export async function listDivisions(ctx: AppContext, actor: Actor) {
  await authorize(ctx, actor, "org.read");
  return repo.listDivisions(ctx.db);
}

export async function listPositions(ctx: AppContext, actor: Actor) {
  await authorize(ctx, actor, "org.read");
  return repo.listPositions(ctx.db);
}

/** Creates a department. */
export async function createDepartment(ctx: AppContext, props: { actor: Actor; input: unknown }) {
  await authorize(ctx, props.actor, "org.manage");
  const input = parse(departmentInput, props.input);
  return unique(
    () =>
      change(ctx, props.actor, "department.create", async (tx) => {
        const row = await repo.insertDepartment(tx, input);
        return { result: row, target: { type: "department", id: row.id }, summary: { after: input } };
      }),
    `部コード「${input.code}」はすでに使われています。`,
  );
}

/** Updates a department's code, name, kana or active flag. */
export async function updateDepartment(ctx: AppContext, props: { actor: Actor; id: number; input: unknown }) {
  await authorize(ctx, props.actor, "org.manage");
  const input = parse(departmentInput, props.input);
  return unique(
    () =>
      change(ctx, props.actor, "department.update", async (tx, at) => {
        const before = await repo.findDepartment(tx, props.id);
        if (!before) throw notFound("部");
        const row = await repo.updateDepartment(tx, props.id, input, at);
        return { result: row, target: { type: "department", id: props.id }, summary: diff(before, input) };
      }),
    `部コード「${input.code}」はすでに使われています。`,
  );
}

/** Creates a division inside an existing department. */
export async function createDivision(ctx: AppContext, props: { actor: Actor; input: unknown }) {
  await authorize(ctx, props.actor, "org.manage");
  const input = parse(divisionInput, props.input);
  return unique(
    () =>
      change(ctx, props.actor, "division.create", async (tx) => {
        if (!(await repo.findDepartment(tx, input.departmentId))) throw notFound("所属する部");
        const row = await repo.insertDivision(tx, input);
        return { result: row, target: { type: "division", id: row.id }, summary: { after: input } };
      }),
    `課コード「${input.code}」はすでに使われています。`,
  );
}

export async function updateDivision(ctx: AppContext, props: { actor: Actor; id: number; input: unknown }) {
  await authorize(ctx, props.actor, "org.manage");
  const input = parse(divisionInput, props.input);
  return unique(
    () =>
      change(ctx, props.actor, "division.update", async (tx, at) => {
        const before = await repo.findDivision(tx, props.id);
        if (!before) throw notFound("課");
        if (!(await repo.findDepartment(tx, input.departmentId))) throw notFound("所属する部");
        const row = await repo.updateDivision(tx, props.id, input, at);
        return { result: row, target: { type: "division", id: props.id }, summary: diff(before, input) };
      }),
    `課コード「${input.code}」はすでに使われています。`,
  );
}

export async function createPosition(ctx: AppContext, props: { actor: Actor; input: unknown }) {
  await authorize(ctx, props.actor, "org.manage");
  const input = parse(positionInput, props.input);
  return unique(
    () =>
      change(ctx, props.actor, "position.create", async (tx) => {
        const row = await repo.insertPosition(tx, input);
        return { result: row, target: { type: "position", id: row.id }, summary: { after: input } };
      }),
    `職コード「${input.code}」はすでに使われています。`,
  );
}

export async function updatePosition(ctx: AppContext, props: { actor: Actor; id: number; input: unknown }) {
  await authorize(ctx, props.actor, "org.manage");
  const input = parse(positionInput, props.input);
  return unique(
    () =>
      change(ctx, props.actor, "position.update", async (tx, at) => {
        const before = await repo.findPosition(tx, props.id);
        if (!before) throw notFound("職");
        const row = await repo.updatePosition(tx, props.id, input, at);
        return { result: row, target: { type: "position", id: props.id }, summary: diff(before, input) };
      }),
    `職コード「${input.code}」はすでに使われています。`,
  );
}
