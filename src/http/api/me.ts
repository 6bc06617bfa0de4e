/**
 * /me: who the token belongs to and what roles they hold; /tokens: the caller's API tokens;
 * /sessions: the caller's signed-in devices (ASVS 7.5.2), to read only. Ending a device is done on
 * the page 「ログイン中の端末」 (signed in with a session and its CSRF token), not through the API:
 * an API token is a long-lived credential used without the second factor, and one that leaked must
 * not be able to sign its owner out of every device.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { apiTokenInput, createApiToken, listApiTokens, revokeApiToken } from "../../app/auth/api-tokens.ts";
import { listOwnSessions } from "../../app/auth/session-list.ts";
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
  summary: "APIトークンを作成（画面のログインからのみ。APIトークンでの呼び出しは403。値は一度だけ返ります）",
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

const sessionSchema = z.object({
  id: z.string().openapi({ description: "保存されているセッションIDのSHA-256（ログインには使えません）" }),
  state: z.enum(["active", "pending_2fa"]),
  device: z.string().openapi({ example: "Chrome（Windows）" }),
  userAgent: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string().openapi({ description: "1分に1回まで記録（最大1分遅れ）" }),
  validUntil: z.string(),
  current: z
    .boolean()
    .openapi({ description: "この呼び出しのセッション（APIトークンでの呼び出しでは常に false）" }),
});

const listSessions = createRoute({
  method: "get",
  path: "/sessions",
  operationId: "listMySessions",
  tags: ["me"],
  summary: "自分のログイン中の端末の一覧（ログアウトさせる操作は画面のみ）",
  responses: ok(z.object({ sessions: z.array(sessionSchema) }), "一覧"),
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
  r.openapi(listSessions, async (c) => {
    const rows = await listOwnSessions(c.var.app, {
      actor: apiActor(c),
      currentIdHash: c.var.session?.idHash,
    });
    const sessions = rows.map((s) => ({
      id: s.id,
      state: s.state,
      device: s.device,
      userAgent: s.userAgent,
      createdAt: s.createdAt.toISOString(),
      lastSeenAt: s.lastSeenAt.toISOString(),
      validUntil: s.validUntil.toISOString(),
      current: s.current,
    }));
    return c.json({ sessions }, 200);
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
