/**
 * Small helpers for declaring API routes: JSON bodies, success and error responses, and the
 * acting person.
 */
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { StaffActor } from "../../app/context.ts";
import { AppError } from "../../errors.ts";
import type { AppEnv } from "../env.ts";
import { errorSchema } from "./schemas.ts";

/** The person the request acts for (set by apiAuth). */
export function apiActor(c: Context<AppEnv>): StaffActor {
  const actor = c.var.apiActor;
  if (!actor) throw new AppError("unauthenticated", "認証が必要です。");
  return actor;
}

export function jsonBody<T extends z.ZodType>(schema: T) {
  return { body: { content: { "application/json": { schema } }, required: true } };
}

const errorResponse = (description: string) => ({
  content: { "application/json": { schema: errorSchema } },
  description,
});

/** The error responses every authenticated route can give. */
export const errors = {
  401: errorResponse("認証されていない（トークンが無効など）"),
  403: errorResponse("権限がない（監査ログに記録されます）"),
  404: errorResponse("対象が見つからない"),
  409: errorResponse("重複や状態の不一致で実行できない"),
  422: errorResponse("入力内容に誤りがある（項目ごとのメッセージ付き）"),
} as const;

/** A 200 JSON response plus the error responses. */
export function ok<T extends z.ZodType>(schema: T, description: string) {
  return { 200: { content: { "application/json": { schema } }, description }, ...errors };
}

/** A 201 JSON response plus the error responses. */
export function created<T extends z.ZodType>(schema: T, description: string) {
  return { 201: { content: { "application/json": { schema } }, description }, ...errors };
}

export const idParam = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .openapi({ param: { name: "id", in: "path" }, example: 1 }),
});
