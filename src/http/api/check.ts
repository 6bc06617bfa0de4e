/**
 * POST /check: the compliance checker (same input and output as `snsgov check --jsonl`).
 */
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { checkText } from "../../app/check.ts";
import { checkInputSchema, checkResultSchema } from "../../checker/index.ts";
import type { AppEnv } from "../env.ts";
import { apiActor, jsonBody, ok } from "./helpers.ts";

const checkRoute = createRoute({
  method: "post",
  path: "/check",
  operationId: "checkText",
  tags: ["checker"],
  summary: "投稿・プロフィールをガイドラインに照らして確認（指摘ごとに根拠の条項を示します）",
  request: jsonBody(checkInputSchema),
  responses: ok(checkResultSchema, "指摘の一覧（位置は原文のUTF-16オフセット）"),
});

export function checkApi() {
  const r = new OpenAPIHono<AppEnv>();
  r.openapi(checkRoute, async (c) =>
    c.json(await checkText(c.var.app, { actor: apiActor(c), input: c.req.valid("json") }), 200),
  );
  return r;
}
