/**
 * /staff/import and /org/import (CSV in the request body, UTF-8 or Shift_JIS; dry run by
 * default) and /staff/export.csv.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { importOrg } from "../../app/org/import.ts";
import { exportStaff } from "../../app/staff/export.ts";
import { importStaff } from "../../app/staff/import.ts";
import type { AppEnv } from "../env.ts";
import { apiActor, errors, ok } from "./helpers.ts";

const importQuery = z.object({
  dryRun: z
    .enum(["true", "false"])
    .default("true")
    .openapi({ description: "true（既定）: 結果の確認のみ。false: 取り込む" }),
  encoding: z.enum(["auto", "utf8", "sjis"]).default("auto"),
  skipRejected: z.enum(["true", "false"]).default("false"),
  effectiveDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional()
    .openapi({ description: "所属・職が変わる職員の発令日（既定: 今日）" }),
});

const csvBody = {
  body: { content: { "text/csv": { schema: z.string().openapi({ format: "binary" }) } }, required: true },
};
const planSchema = z.object({
  plan: z.record(z.string(), z.unknown()),
  dryRun: z.boolean(),
  applied: z.boolean(),
  skipped: z.number().int(),
});

const staffImport = createRoute({
  method: "post",
  path: "/staff/import",
  operationId: "importStaff",
  tags: ["staff"],
  summary: "職員CSVの取込み（既定は確認のみ）",
  request: { query: importQuery, ...csvBody },
  responses: ok(planSchema, "行ごとの結果"),
});

const orgImport = createRoute({
  method: "post",
  path: "/org/import",
  operationId: "importOrganisation",
  tags: ["organisation"],
  summary: "組織（部・課・職）CSVの取込み（既定は確認のみ）",
  request: { query: importQuery.omit({ effectiveDate: true }), ...csvBody },
  responses: ok(planSchema, "項目ごとの結果"),
});

const staffExport = createRoute({
  method: "get",
  path: "/staff/export.csv",
  operationId: "exportStaffCsv",
  tags: ["staff"],
  summary: "職員CSV（UTF-8 BOM付き、Excelで開けます）",
  responses: { 200: { content: { "text/csv": { schema: z.string() } }, description: "CSV" }, ...errors },
});

export function importApi() {
  const r = new OpenAPIHono<AppEnv>();
  r.openapi(staffImport, async (c) => {
    const q = c.req.valid("query");
    const data = new Uint8Array(await c.req.arrayBuffer());
    const result = await importStaff(c.var.app, {
      actor: apiActor(c),
      data,
      encoding: q.encoding,
      effectiveDate: q.effectiveDate,
      dryRun: q.dryRun === "true",
      skipRejected: q.skipRejected === "true",
    });
    return c.json({ ...result, plan: { ...result.plan } }, 200);
  });
  r.openapi(orgImport, async (c) => {
    const q = c.req.valid("query");
    const data = new Uint8Array(await c.req.arrayBuffer());
    const result = await importOrg(c.var.app, {
      actor: apiActor(c),
      data,
      encoding: q.encoding,
      dryRun: q.dryRun === "true",
      skipRejected: q.skipRejected === "true",
    });
    return c.json({ ...result, plan: { ...result.plan } }, 200);
  });
  r.openapi(staffExport, async (c) => {
    const file = await exportStaff(c.var.app, { actor: apiActor(c) });
    c.header(
      "Content-Disposition",
      `attachment; filename="staff.csv"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
    );
    return c.body(Buffer.from(file.body), 200, { "Content-Type": file.contentType });
  });
  return r;
}
