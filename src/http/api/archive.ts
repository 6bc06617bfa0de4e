/**
 * /posts/search: the archive of posts as JSON (the twin of /posts/archive): search with keyset
 * pages, the result as CSV, and the full records of the result for an information-disclosure
 * request (the printable report's content). Exports need `post.export` and are audited.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { searchPostArchive } from "../../app/posts/archive.ts";
import { archiveReport, exportArchiveCsv } from "../../app/posts/archive-export.ts";
import { findingsOf, parseArchiveFilter, statusLabel } from "../../app/posts/archive-filter.ts";
import type { ArchiveRow } from "../../db/repos/archive.ts";
import { postCategories, postCategoryShort, postStatuses } from "../../domain/posts.ts";
import type { AppEnv } from "../env.ts";
import { apiActor, errors, ok } from "./helpers.ts";
import { approvalFields, iso, platformFields } from "./post-fields.ts";

const filterQuery = z.object({
  q: z
    .string()
    .optional()
    .openapi({ description: "本文に含む語句（100文字以内、大文字・小文字を区別しない）" }),
  accountId: z.string().optional().openapi({ description: "アカウントのID", example: "1" }),
  divisionId: z.string().optional().openapi({ description: "所管課のID" }),
  dateField: z
    .enum(["created", "published"])
    .optional()
    .openapi({ description: "期間の対象: 作成日（既定）か発信日" }),
  from: z
    .string()
    .optional()
    .openapi({ description: "期間の始まり（東京の日付、含む）", example: "2026-04-01" }),
  to: z
    .string()
    .optional()
    .openapi({ description: "期間の終わり（東京の日付、含む）", example: "2027-03-31" }),
  status: z.enum(postStatuses).optional(),
  category: z.enum(postCategories).optional(),
  kind: z.enum(["post", "correction"]).optional(),
  clause: z
    .string()
    .optional()
    .openapi({ description: "現在の本文か過去の版のチェック結果に含まれる条項", example: "5.2.2.1" }),
  erroneous: z.string().optional().openapi({ description: "1: 誤りの指摘がある投稿だけ" }),
});

const searchQuery = filterQuery.extend({
  after: z.string().optional().openapi({ description: "前の応答の next（古い投稿へ）" }),
  before: z.string().optional().openapi({ description: "前の応答の prev（新しい投稿へ）" }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .optional()
    .openapi({ description: "件数（既定50、最大200）" }),
});

const findingSchema = z.object({
  rule: z.string(),
  clause: z.string(),
  severity: z.string(),
  start: z.number().int(),
  end: z.number().int(),
  message: z.string(),
  hint: z.string(),
});

const archivePostSchema = z
  .object({
    id: z.number().int(),
    groupId: z.number().int().nullable(),
    accountId: z.number().int(),
    accountName: z.string(),
    platform: z.string(),
    divisionId: z.number().int(),
    divisionName: z.string(),
    kind: z.enum(["post", "correction"]),
    category: z.enum(postCategories),
    categoryLabel: z.string(),
    status: z.enum(postStatuses),
    statusLabel: z.string(),
    text: z.string(),
    version: z.number().int(),
    authorId: z.number().int(),
    authorName: z.string(),
    createdAt: z.string(),
    submittedAt: z.string().nullable(),
    approvedAt: z.string().nullable(),
    approvedBy: z.number().int().nullable(),
    approvalRule: z.string().nullable(),
    approvedVersion: z.number().int().nullable(),
    reportDueAt: z.string().nullable(),
    acknowledgedAt: z.string().nullable(),
    acknowledgedBy: z.number().int().nullable(),
    publishedAt: z.string().nullable(),
    publishedUrl: z.string().nullable(),
    publishedBy: z.number().int().nullable(),
    deletedAt: z.string().nullable(),
    deletedReason: z.string().nullable(),
    erroneousAt: z.string().nullable(),
    erroneousBy: z.number().int().nullable(),
    erroneousNote: z.string().nullable(),
    correctsPostId: z.number().int().nullable(),
    repostOf: z.number().int().nullable(),
    justification: z.string(),
    findings: z.array(findingSchema),
  })
  .openapi("ArchivedPost");

function postDto(p: ArchiveRow) {
  return {
    id: p.id,
    groupId: p.groupId,
    accountId: p.accountId,
    accountName: p.accountName,
    platform: p.platform,
    divisionId: p.divisionId,
    divisionName: p.divisionName,
    kind: p.kind === "correction" ? ("correction" as const) : ("post" as const),
    category: p.category,
    categoryLabel: postCategoryShort[p.category],
    status: p.status,
    statusLabel: statusLabel(p.status),
    text: p.text,
    version: p.version,
    authorId: p.authorId,
    authorName: p.authorName,
    createdAt: p.createdAt.toISOString(),
    ...approvalFields(p),
    ...platformFields(p),
    correctsPostId: p.correctsPostId,
    repostOf: p.repostOf,
    justification: p.justification,
    findings: findingsOf(p.findings),
  };
}

const recordSchema = z
  .object({
    post: archivePostSchema,
    approval: z.string().openapi({ description: "承認の根拠（予め範囲を決めた許可の名前を含む）" }),
    names: z.object({
      approvedBy: z.string().nullable(),
      acknowledgedBy: z.string().nullable(),
      publishedBy: z.string().nullable(),
      erroneousBy: z.string().nullable(),
    }),
    versions: z.array(
      z.object({
        version: z.number().int(),
        text: z.string(),
        findings: z.array(findingSchema),
        authorName: z.string().nullable(),
        at: z.string(),
      }),
    ),
    decisions: z.array(
      z.object({
        version: z.number().int(),
        decision: z.string(),
        rule: z.string(),
        actorName: z.string().nullable(),
        comment: z.string(),
        givenAt: z.string().nullable().openapi({ description: "口頭で許可した日時" }),
        at: z.string(),
      }),
    ),
    images: z.array(
      z.object({
        filename: z.string(),
        alt: z.string(),
        rights: z.string(),
        rightsNote: z.string(),
      }),
    ),
    corrections: z.array(
      z.object({ id: z.number().int(), status: z.string(), publishedAt: z.string().nullable() }),
    ),
  })
  .openapi("ArchivedPostRecord");

const routes = {
  search: createRoute({
    method: "get",
    path: "/posts/search",
    operationId: "searchPosts",
    tags: ["posts"],
    summary: "投稿の記録を検索（見られる範囲、新しい順、キーセット方式のページ送り）",
    request: { query: searchQuery },
    responses: ok(
      z.object({
        items: z.array(archivePostSchema),
        total: z.object({
          count: z.number().int(),
          capped: z.boolean().openapi({ description: "true: count件以上ある" }),
        }),
        next: z.string().nullable(),
        prev: z.string().nullable(),
      }),
      "検索結果",
    ),
  }),
  csv: createRoute({
    method: "get",
    path: "/posts/search/export.csv",
    operationId: "exportPostSearchCsv",
    tags: ["posts"],
    summary: "検索結果のCSV（UTF-8 BOM付き、1万件まで、監査ログに記録）",
    request: { query: filterQuery },
    responses: { 200: { content: { "text/csv": { schema: z.string() } }, description: "CSV" }, ...errors },
  }),
  report: createRoute({
    method: "get",
    path: "/posts/search/report",
    operationId: "getPostSearchReport",
    tags: ["posts"],
    summary: "情報公開請求用: 検索結果の全記録（200件まで、監査ログに記録）",
    request: { query: filterQuery },
    responses: ok(
      z.object({
        generatedAt: z.string(),
        generatedBy: z.string(),
        conditions: z.array(z.string()),
        items: z.array(recordSchema),
      }),
      "報告書の内容",
    ),
  }),
};

export function archiveApi() {
  const r = new OpenAPIHono<AppEnv>();
  r.openapi(routes.search, async (c) => {
    const { after, before, limit, ...conditions } = c.req.valid("query");
    const page = await searchPostArchive(c.var.app, {
      actor: apiActor(c),
      filter: parseArchiveFilter(conditions),
      after,
      before,
      limit,
    });
    return c.json(
      { items: page.rows.map(postDto), total: page.total, next: page.next, prev: page.prev },
      200,
    );
  });
  r.openapi(routes.csv, async (c) => {
    const file = await exportArchiveCsv(c.var.app, {
      actor: apiActor(c),
      filter: parseArchiveFilter(c.req.valid("query")),
    });
    c.header(
      "Content-Disposition",
      `attachment; filename="posts.csv"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
    );
    return c.body(Buffer.from(file.body), 200, { "Content-Type": "text/csv; charset=utf-8" });
  });
  r.openapi(routes.report, async (c) => {
    const report = await archiveReport(c.var.app, {
      actor: apiActor(c),
      filter: parseArchiveFilter(c.req.valid("query")),
    });
    return c.json(
      {
        generatedAt: report.generatedAt.toISOString(),
        generatedBy: report.generatedBy,
        conditions: report.conditions,
        items: report.posts.map((item) => ({
          post: postDto(item.post),
          approval: item.approval,
          names: {
            approvedBy: item.approvedByName,
            acknowledgedBy: item.acknowledgedByName,
            publishedBy: item.publishedByName,
            erroneousBy: item.erroneousByName,
          },
          versions: item.versions.map((v) => ({
            version: v.version,
            text: v.text,
            findings: v.findings,
            authorName: v.authorName,
            at: v.at.toISOString(),
          })),
          decisions: item.decisions.map((d) => ({
            version: d.version,
            decision: d.decision,
            rule: d.rule,
            actorName: d.actorName,
            comment: d.comment,
            givenAt: iso(d.givenAt),
            at: d.at.toISOString(),
          })),
          images: item.images.map((i) => ({
            filename: i.filename,
            alt: i.alt,
            rights: i.rights,
            rightsNote: i.rightsNote,
          })),
          corrections: item.corrections.map((x) => ({
            id: x.id,
            status: x.status,
            publishedAt: iso(x.publishedAt),
          })),
        })),
      },
      200,
    );
  });
  return r;
}
