/**
 * /audit: read the audit log with the same filters as the viewer.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { searchAudit } from "../../app/audit/read.ts";
import type { AppEnv } from "../env.ts";
import { apiActor, ok } from "./helpers.ts";
import { auditEntryDto, auditEntrySchema } from "./schemas.ts";

const auditQuery = z.object({
  from: z.string().datetime({ offset: true }).optional().openapi({ description: "この時刻以降（ISO 8601）" }),
  to: z.string().datetime({ offset: true }).optional().openapi({ description: "この時刻より前（ISO 8601）" }),
  actorId: z.coerce.number().int().positive().optional(),
  action: z
    .string()
    .max(100)
    .optional()
    .openapi({ description: "操作名（例: post.approve）。末尾が「.」なら分野のすべての操作（例: staff.）" }),
  targetType: z.string().max(50).optional(),
  targetId: z.string().max(50).optional(),
  text: z.string().max(200).optional(),
  before: z.coerce
    .number()
    .int()
    .positive()
    .optional()
    .openapi({ description: "この番号より前（続きの取得）" }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const listRoute = createRoute({
  method: "get",
  path: "/audit",
  operationId: "listAuditEntries",
  tags: ["audit"],
  summary: "監査ログ（新しい順）",
  request: { query: auditQuery },
  responses: ok(z.object({ items: z.array(auditEntrySchema) }), "記録"),
});

export function auditApi() {
  const r = new OpenAPIHono<AppEnv>();
  r.openapi(listRoute, async (c) => {
    const q = c.req.valid("query");
    const entries = await searchAudit(c.var.app, {
      actor: apiActor(c),
      filter: {
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
        actorId: q.actorId,
        action: q.action,
        targetType: q.targetType,
        targetId: q.targetId,
        text: q.text,
      },
      beforeSeq: q.before,
      limit: q.limit,
    });
    return c.json({ items: entries.map(auditEntryDto) }, 200);
  });
  return r;
}
