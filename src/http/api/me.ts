/**
 * /me: who the token belongs to and what roles they hold; /tokens: the caller's API tokens.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { apiTokenInput, createApiToken, listApiTokens, revokeApiToken } from "../../app/auth/api-tokens.ts";
import { findStaffView } from "../../db/repos/staff.ts";
import { notFound } from "../../errors.ts";
import type { AppEnv } from "../env.ts";
import { apiActor, created, idParam, jsonBody, ok } from "./helpers.ts";
import { apiTokenSchema, grantDto, grantSchema, staffDto, staffSchema } from "./schemas.ts";

const meRoute = createRoute({
  method: "get",
  path: "/me",
  operationId: "getMe",
  tags: ["me"],
  summary: "自分の情報と役割",
  responses: ok(z.object({ staff: staffSchema, grants: z.array(grantSchema) }), "自分の情報"),
});

const listTokens = createRoute({
  method: "get",
  path: "/tokens",
  operationId: "listApiTokens",
  tags: ["me"],
  summary: "自分のAPIトークンの一覧",
  responses: ok(z.object({ tokens: z.array(apiTokenSchema) }), "一覧"),
});

const createToken = createRoute({
  method: "post",
  path: "/tokens",
  operationId: "createApiToken",
  tags: ["me"],
  summary: "APIトークンを作成（値は一度だけ返ります）",
  request: jsonBody(apiTokenInput),
  responses: created(z.object({ token: z.string(), id: z.number().int() }), "作成したトークン"),
});

const revokeToken = createRoute({
  method: "delete",
  path: "/tokens/{id}",
  operationId: "revokeApiToken",
  tags: ["me"],
  summary: "APIトークンを無効にする",
  request: { params: idParam },
  responses: ok(z.object({ revoked: z.literal(true) }), "無効にした"),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function meApi() {
  const r = new OpenAPIHono<AppEnv>();
  r.openapi(meRoute, async (c) => {
    const actor = apiActor(c);
    const person = await findStaffView(c.var.app.db, actor.staffId);
    if (!person) throw notFound("職員");
    return c.json({ staff: staffDto(person), grants: actor.grants.map(grantDto) }, 200);
  });
  r.openapi(listTokens, async (c) => {
    const rows = await listApiTokens(c.var.app, apiActor(c));
    const tokens = rows.map((t) => ({
      id: t.id,
      name: t.name,
      prefix: t.prefix,
      createdAt: t.createdAt.toISOString(),
      expiresAt: iso(t.expiresAt),
      lastUsedAt: iso(t.lastUsedAt),
      revokedAt: iso(t.revokedAt),
    }));
    return c.json({ tokens }, 200);
  });
  r.openapi(createToken, async (c) => {
    const result = await createApiToken(c.var.app, { actor: apiActor(c), input: c.req.valid("json") });
    return c.json({ token: result.token, id: result.row.id }, 201);
  });
  r.openapi(revokeToken, async (c) => {
    await revokeApiToken(c.var.app, { actor: apiActor(c), id: c.req.valid("param").id });
    return c.json({ revoked: true as const }, 200);
  });
  return r;
}
