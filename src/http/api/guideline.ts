/**
 * /guideline: the JSON twins of the guideline pages (8.1, 8.2) — versions and the one in force,
 * one version with what it changed, drafts (copy or import a pack file), editing, publishing and
 * discarding a draft (policy director only), the pack file of a version, the acknowledgement
 * page and 「確認しました」, and the rates by department.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import {
  acknowledgeGuideline,
  acknowledgementStatus,
  acknowledgementView,
} from "../../app/guideline/acknowledgement.ts";
import { versionInForceOn } from "../../app/guideline/in-force.ts";
import {
  discardGuidelineDraft,
  draftFromCurrent,
  draftInput,
  exportGuidelineVersion,
  getGuidelineVersion,
  importGuidelinePack,
  listGuidelineVersions,
  publishGuidelineVersion,
  publishInput,
  updateGuidelineDraft,
} from "../../app/guideline/versions.ts";
import type { GuidelineVersionRow, GuidelineVersionSummary } from "../../db/repos/guideline.ts";
import type { AcknowledgementRates } from "../../domain/guideline-ack.ts";
import type { AppEnv } from "../env.ts";
import { apiActor, created, idParam, jsonBody, ok } from "./helpers.ts";

const versionSchema = z
  .object({
    id: z.number().int(),
    label: z.string().openapi({ example: "平成28年4月1日改正" }),
    effectiveDate: z.string().openapi({ description: "施行日 YYYY-MM-DD（下書きでは予定）" }),
    summary: z.string().openapi({ description: "改正の概要" }),
    status: z.enum(["draft", "published"]),
    publishedAt: z.string().nullable(),
    publishedBy: z.number().int().nullable(),
    publishedByName: z.string().nullable(),
  })
  .openapi("GuidelineVersion");

const segmentSchema = z.object({ kind: z.enum(["same", "removed", "added"]), text: z.string() });

const clauseChangeSchema = z
  .object({
    id: z.string().openapi({ description: "条項の番号（5.2.2.1 = 第5-2(2)①）" }),
    kind: z.enum(["added", "removed", "changed", "same"]),
    before: z.string(),
    after: z.string(),
    segments: z
      .array(segmentSchema)
      .openapi({ description: "新しい文言を、同じ・削除・追加の連続に分けたもの（語単位）" }),
  })
  .openapi("GuidelineClauseChange");

const ruleChangeSchema = z
  .object({
    section: z.string(),
    path: z.string(),
    kind: z.enum(["added", "removed", "changed"]),
    before: z.string(),
    after: z.string(),
  })
  .openapi("GuidelineRuleChange");

const detailSchema = z
  .object({
    item: versionSchema,
    source: z.enum(["shipped", "file"]).openapi({
      description: "shipped: 規則はシステム同梱のもの、file: 取り込んだパックのもの",
    }),
    clauses: z.record(z.string(), z.string()),
    previous: z.object({ id: z.number().int(), label: z.string() }).nullable(),
    clauseChanges: z.array(clauseChangeSchema),
    ruleChanges: z.array(ruleChangeSchema),
    ruleChangesTotal: z.number().int(),
  })
  .openapi("GuidelineVersionDetail");

const packFileSchema = z
  .object({
    format: z.literal("snsgov-guideline-pack/1"),
    label: z.string(),
    effectiveDate: z.string().nullable(),
    summary: z.string(),
    clauses: z.record(z.string(), z.string()).openapi({ description: "条項の番号 → 本文" }),
    guideline: z
      .record(z.string(), z.unknown())
      .openapi({ description: "アカウント側のパック（サービス、期限、上限、文例）" }),
    checker: z
      .record(z.string(), z.unknown())
      .openapi({ description: "チェッカーのパック（語彙、ドメイン、文字数）" }),
  })
  .openapi("GuidelinePackFile");

const rateSchema = z
  .object({
    required: z.number().int(),
    acknowledged: z.number().int(),
    percent: z.number().int().openapi({ description: "確認率（切り捨て、%）" }),
    departments: z.array(
      z.object({
        departmentId: z.number().int(),
        departmentName: z.string(),
        required: z.number().int(),
        acknowledged: z.number().int(),
        percent: z.number().int(),
        pending: z.array(
          z.object({
            staffId: z.number().int(),
            name: z.string(),
            employeeNo: z.string(),
            divisionName: z.string().nullable(),
            positionName: z.string(),
          }),
        ),
      }),
    ),
  })
  .openapi("GuidelineAcknowledgementRates");

function versionDto(v: GuidelineVersionSummary | GuidelineVersionRow) {
  return {
    id: v.id,
    label: v.label,
    effectiveDate: v.effectiveDate,
    summary: v.summary,
    status: v.status === "published" ? ("published" as const) : ("draft" as const),
    publishedAt: v.publishedAt?.toISOString() ?? null,
    publishedBy: v.publishedBy,
    publishedByName: "publishedByName" in v ? v.publishedByName : null,
  };
}

function ratesDto(rates: AcknowledgementRates) {
  return {
    required: rates.required,
    acknowledged: rates.acknowledged,
    percent: rates.percent,
    departments: rates.departments.map((d) => ({
      departmentId: d.departmentId,
      departmentName: d.departmentName,
      required: d.required,
      acknowledged: d.acknowledged,
      percent: d.percent,
      pending: d.pending.map((p) => ({
        staffId: p.staffId,
        name: p.name,
        employeeNo: p.employeeNo,
        divisionName: p.divisionName,
        positionName: p.positionName,
      })),
    })),
  };
}

const tags = ["guideline"];

const route = {
  list: createRoute({
    method: "get",
    path: "/guideline/versions",
    operationId: "listGuidelineVersions",
    tags,
    summary: "ガイドラインの版の一覧と、今日施行中の版（下書きは総合政策部長のみ）",
    responses: ok(
      z.object({
        items: z.array(versionSchema),
        inForce: versionSchema.pick({ id: true, label: true, effectiveDate: true }).nullable(),
      }),
      "版の一覧",
    ),
  }),
  get: createRoute({
    method: "get",
    path: "/guideline/versions/{id}",
    operationId: "getGuidelineVersion",
    tags,
    summary: "版の全文と、前の版からの変更点（条項ごと・規則ごと）",
    request: { params: idParam },
    responses: ok(detailSchema, "版"),
  }),
  draft: createRoute({
    method: "post",
    path: "/guideline/versions",
    operationId: "draftGuidelineVersion",
    tags,
    summary: "現行の版をもとに下書きを作成（総合政策部長、第8-1）",
    responses: created(z.object({ item: versionSchema }), "作成した下書き"),
  }),
  import: createRoute({
    method: "post",
    path: "/guideline/versions/import",
    operationId: "importGuidelinePack",
    tags,
    summary:
      "ガイドラインパックのファイルを取り込んで下書きを作成（総合政策部長）。誤りは項目ごとに日本語で返します",
    request: jsonBody(
      z.record(z.string(), z.unknown()).openapi({
        description:
          "GuidelinePackFile の形式（/guideline/versions/{id}/pack で書き出したもの）。内容はすべて検査します",
      }),
    ),
    responses: created(z.object({ item: versionSchema }), "作成した下書き"),
  }),
  update: createRoute({
    method: "put",
    path: "/guideline/versions/{id}",
    operationId: "editGuidelineDraft",
    tags,
    summary: "下書きの名称・施行日（予定）・概要・条項の文言を変更（本文を空にした条項は削除）",
    request: { params: idParam, ...jsonBody(draftInput) },
    responses: ok(z.object({ item: versionSchema }), "変更後の下書き"),
  }),
  publish: createRoute({
    method: "post",
    path: "/guideline/versions/{id}/publish",
    operationId: "publishGuidelineVersion",
    tags,
    summary: "下書きを公開（総合政策部長、第8-1）。施行日は今日以降",
    request: { params: idParam, ...jsonBody(publishInput) },
    responses: ok(z.object({ item: versionSchema }), "公開した版"),
  }),
  discard: createRoute({
    method: "delete",
    path: "/guideline/versions/{id}",
    operationId: "discardGuidelineDraft",
    tags,
    summary: "下書きを破棄（公開済みの版は削除できません）",
    request: { params: idParam },
    responses: ok(z.object({ ok: z.literal(true) }), "破棄しました"),
  }),
  export: createRoute({
    method: "get",
    path: "/guideline/versions/{id}/pack",
    operationId: "getGuidelinePack",
    tags,
    summary: "版のガイドラインパック（取り込みと同じ形式のJSON）",
    request: { params: idParam },
    responses: ok(packFileSchema, "パック"),
  }),
  acknowledgement: createRoute({
    method: "get",
    path: "/guideline/acknowledgement",
    operationId: "getGuidelineAcknowledgement",
    tags,
    summary: "自分が確認すべき最新の版と、前回確認した版からの変更点（初回は全文）（第8-2）",
    responses: ok(
      z.object({
        item: versionSchema,
        required: z.boolean(),
        acknowledgedAt: z.string().nullable(),
        base: z.object({ id: z.number().int(), label: z.string(), acknowledgedAt: z.string() }).nullable(),
        clauses: z.array(clauseChangeSchema),
      }),
      "確認の画面の内容",
    ),
  }),
  acknowledge: createRoute({
    method: "post",
    path: "/guideline/acknowledgement",
    operationId: "acknowledgeGuideline",
    tags,
    summary: "「確認しました」を記録（最新の版のみ）",
    request: jsonBody(z.object({ versionId: z.number().int().positive() })),
    responses: created(z.object({ versionId: z.number().int(), at: z.string() }), "記録しました"),
  }),
  rates: createRoute({
    method: "get",
    path: "/guideline/acknowledgements",
    operationId: "listGuidelineAcknowledgements",
    tags,
    summary: "最新の版の部ごとの確認率と未確認の職員（総合政策部長・システム管理者）",
    responses: ok(
      rateSchema.extend({ item: versionSchema, remindOn: z.string(), reminderDays: z.number().int() }),
      "確認状況",
    ),
  }),
};

export function guidelineApi() {
  const r = new OpenAPIHono<AppEnv>();
  r.openapi(route.list, async (c) => {
    const ctx = c.var.app;
    const [items, inForce] = await Promise.all([
      listGuidelineVersions(ctx, { actor: apiActor(c) }),
      versionInForceOn(ctx),
    ]);
    return c.json({ items: items.map(versionDto), inForce }, 200);
  });
  r.openapi(route.get, async (c) => {
    const d = await getGuidelineVersion(c.var.app, { actor: apiActor(c), id: c.req.valid("param").id });
    return c.json(
      {
        item: versionDto(d.version),
        source: d.source,
        clauses: d.clauses,
        previous: d.previous,
        clauseChanges: d.clauseChanges,
        ruleChanges: d.ruleChanges,
        ruleChangesTotal: d.ruleChangesTotal,
      },
      200,
    );
  });
  r.openapi(route.draft, async (c) => {
    const item = await draftFromCurrent(c.var.app, { actor: apiActor(c) });
    return c.json({ item: versionDto(item) }, 201);
  });
  r.openapi(route.import, async (c) => {
    const item = await importGuidelinePack(c.var.app, { actor: apiActor(c), input: c.req.valid("json") });
    return c.json({ item: versionDto(item) }, 201);
  });
  r.openapi(route.update, async (c) => {
    const item = await updateGuidelineDraft(c.var.app, {
      actor: apiActor(c),
      id: c.req.valid("param").id,
      input: c.req.valid("json"),
    });
    return c.json({ item: versionDto(item) }, 200);
  });
  r.openapi(route.publish, async (c) => {
    const item = await publishGuidelineVersion(c.var.app, {
      actor: apiActor(c),
      id: c.req.valid("param").id,
      input: c.req.valid("json"),
    });
    return c.json({ item: versionDto(item) }, 200);
  });
  r.openapi(route.discard, async (c) => {
    await discardGuidelineDraft(c.var.app, { actor: apiActor(c), id: c.req.valid("param").id });
    return c.json({ ok: true as const }, 200);
  });
  r.openapi(route.export, async (c) => {
    const file = await exportGuidelineVersion(c.var.app, { actor: apiActor(c), id: c.req.valid("param").id });
    return c.json(file, 200);
  });
  r.openapi(route.acknowledgement, async (c) => {
    const v = await acknowledgementView(c.var.app, { actor: apiActor(c) });
    return c.json(
      {
        item: versionDto(v.version),
        required: v.required,
        acknowledgedAt: v.acknowledgedAt?.toISOString() ?? null,
        base: v.base ? { ...v.base, acknowledgedAt: v.base.acknowledgedAt.toISOString() } : null,
        clauses: v.clauses,
      },
      200,
    );
  });
  r.openapi(route.acknowledge, async (c) => {
    const result = await acknowledgeGuideline(c.var.app, { actor: apiActor(c), input: c.req.valid("json") });
    return c.json({ versionId: result.versionId, at: result.at.toISOString() }, 201);
  });
  r.openapi(route.rates, async (c) => {
    const s = await acknowledgementStatus(c.var.app, { actor: apiActor(c) });
    return c.json(
      { ...ratesDto(s), item: versionDto(s.version), remindOn: s.remindOn, reminderDays: s.reminderDays },
      200,
    );
  });
  return r;
}
