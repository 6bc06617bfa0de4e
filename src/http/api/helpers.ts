/**
 * Small helpers for declaring API routes: JSON bodies, success and error responses, and the
 * acting person.
 */
import { type OpenAPIHono, type RouteConfig, z } from "@hono/zod-openapi";
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

/**
 * The error responses an authenticated route can give. Which of them a route declares is decided
 * from its shape by declareErrorResponses.
 */
export const errors = {
  400: errorResponse("送信された内容を読み取れない（JSONの形式の誤り、入れ子が深すぎるなど）"),
  401: errorResponse("認証されていない（トークンが無効など）"),
  403: errorResponse("権限がない（監査ログに記録されます）"),
  404: errorResponse("対象が見つからない"),
  409: errorResponse("重複や状態の不一致で実行できない"),
  413: errorResponse("送信されたデータが大きすぎる（上限10MB）"),
  415: errorResponse("送信データの形式（Content-Type）に対応していない"),
  422: errorResponse("入力内容に誤りがある（項目ごとのメッセージ付き）"),
} as const;

type ErrorStatus = keyof typeof errors;

/**
 * The error statuses a route can answer with, from its shape: every route 401, 403 and 404; a
 * route that changes something 409; a route with a body 400, 413 and 415; a route that takes
 * input (path, query or body) 422.
 */
export function errorStatusesOf(route: Pick<RouteConfig, "method" | "request">): ErrorStatus[] {
  const request = route.request;
  const hasBody = request?.body !== undefined;
  const takesInput = hasBody || request?.params !== undefined || request?.query !== undefined;
  const statuses: ErrorStatus[] = [401, 403, 404];
  if (route.method !== "get") statuses.push(409);
  if (hasBody) statuses.push(400, 413, 415);
  if (takesInput) statuses.push(422);
  return statuses.sort((a, b) => a - b);
}

/**
 * Declares on every authenticated operation of `registry` the error responses it can give
 * (errorStatusesOf), replacing whatever the route listed. Operations without security (the public
 * feeds, `security: []`) keep their own. Call once, after every route is mounted.
 */
export function declareErrorResponses(registry: OpenAPIHono<AppEnv>["openAPIRegistry"]): void {
  for (const definition of registry.definitions) {
    if (definition.type !== "route") continue;
    const route = definition.route;
    if (route.security?.length === 0) continue;
    const success = Object.fromEntries(
      Object.entries(route.responses).filter(([status]) => !(Number(status) >= 400)),
    );
    const declared = Object.fromEntries(errorStatusesOf(route).map((status) => [status, errors[status]]));
    route.responses = { ...success, ...declared };
  }
}

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
