/**
 * JSON API of media policies (4.2) and profiles (4.4.3, 4.4.4, 5.3.1), the twins of the
 * メディアポリシー and プロフィール tabs: list and read versions (with what changed), create,
 * edit, approve and discard a draft, complete a review without change, read the generated bio,
 * and check the bio as it is now on the platform.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { approvePolicy } from "../../app/policies/approve.ts";
import { discardPolicyDraft, draftPolicy, updatePolicyDraft } from "../../app/policies/draft.ts";
import { policyInput, replyPolicyValues, reviewInput } from "../../app/policies/input.ts";
import {
  accountProfile,
  checkCurrentProfile,
  type ProfileRequirement,
  profileCheckInput,
} from "../../app/policies/profile.ts";
import { getPolicyVersion, listPolicyVersions } from "../../app/policies/read.ts";
import { completeReviewWithoutChange } from "../../app/policies/review.ts";
import { findingSchema } from "../../checker/index.ts";
import type { MediaPolicy, MediaPolicyView } from "../../db/repos/policies.ts";
import { policyFields } from "../../domain/accounts.ts";
import type { AppEnv } from "../env.ts";
import { apiActor, created, idParam, jsonBody, ok } from "./helpers.ts";

const policySchema = z
  .object({
    id: z.number().int(),
    accountId: z.number().int(),
    version: z.number().int(),
    status: z.enum(["draft", "approved", "superseded"]).openapi({
      description: "draft: 下書き / approved: 現行（公開中） / superseded: 過去の版",
    }),
    purpose: z.string().openapi({ description: "① 情報発信を行う目的（第4-2(1)①）" }),
    platformDescription: z.string().openapi({ description: "② 利用するソーシャルメディアの種類" }),
    content: z.string().openapi({ description: "③ 発信する情報の内容" }),
    staffInCharge: z.string().openapi({ description: "④ 担当者" }),
    frequency: z.string().openapi({ description: "④ 発信頻度" }),
    timing: z.string().openapi({ description: "④ 発信時期" }),
    method: z.string().openapi({ description: "④ 発信方法" }),
    commentHandling: z.string().openapi({ description: "④ 意見や質問への対応方法" }),
    replyPolicy: z.enum(["", "reply", "no_reply", "case_by_case"]).openapi({
      description:
        "返信の可否（第4-2(2)）: reply 返信する / no_reply 返信しない / case_by_case 個別に判断する",
    }),
    replyText: z.string(),
    changeSummary: z.string().openapi({ description: "主な変更点（第2版以降、市民に公開）" }),
    authorId: z.number().int().nullable(),
    authorName: z.string().nullable(),
    approvedBy: z.number().int().nullable(),
    approverName: z.string().nullable(),
    approvedAt: z.string().nullable(),
    reviewDue: z
      .string()
      .nullable()
      .openapi({ description: "見直し期限 YYYY-MM-DD（市の設定した周期による。見直しは第4-2(3)）" }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("MediaPolicy");

const changeSchema = z
  .object({
    field: z.enum(policyFields),
    label: z.string(),
    before: z.string(),
    after: z.string(),
    changed: z.boolean(),
    segments: z.array(z.object({ kind: z.enum(["same", "removed", "added"]), text: z.string() })),
  })
  .openapi("MediaPolicyChange");

const requirementSchema = z
  .object({
    clause: z.string(),
    label: z.string(),
    status: z.enum(["ok", "missing", "warning", "not_applicable"]),
    message: z.string().optional(),
  })
  .openapi("ProfileRequirement");

const lengthSchema = z.object({
  unit: z.enum(["x-weighted", "chars", "graphemes", "mastodon"]).nullable(),
  used: z.number().int(),
  limit: z
    .number()
    .int()
    .nullable()
    .openapi({ description: "自由記述欄の上限（登録がないサービスは null）" }),
});

const profileSchema = z
  .object({
    text: z.string().openapi({ description: "自由記述欄に設定する文章" }),
    variant: z.enum(["full", "short-policy", "no-municipality", "compact"]),
    variantNote: z.string().nullable().openapi({ description: "短い文面にした理由" }),
    length: lengthSchema,
    fits: z.boolean(),
    problems: z.array(z.string()).openapi({ description: "所管サイトのURLの未登録、上限超過など" }),
    findings: z.array(findingSchema),
    lastCheck: z
      .object({
        text: z.string(),
        checkedAt: z.string().nullable(),
        hasErrors: z.boolean(),
        findings: z.array(findingSchema),
        requirements: z.array(requirementSchema),
      })
      .nullable(),
  })
  .openapi("Profile");

const profileCheckSchema = z
  .object({
    text: z.string(),
    hasErrors: z.boolean(),
    length: lengthSchema.nullable(),
    findings: z.array(findingSchema),
    requirements: z.array(requirementSchema),
    checkedAt: z.string(),
  })
  .openapi("ProfileCheck");

type ReplyPolicy = "" | (typeof replyPolicyValues)[number];

function isReplyPolicy(value: string): value is ReplyPolicy {
  return value === "" || replyPolicyValues.some((v) => v === value);
}

function policyDto(p: MediaPolicy & Partial<Pick<MediaPolicyView, "authorName" | "approverName">>) {
  return {
    id: p.id,
    accountId: p.accountId,
    version: p.version,
    status: p.status,
    purpose: p.purpose,
    platformDescription: p.platformDescription,
    content: p.content,
    staffInCharge: p.staffInCharge,
    frequency: p.frequency,
    timing: p.timing,
    method: p.method,
    commentHandling: p.commentHandling,
    replyPolicy: isReplyPolicy(p.replyPolicy) ? p.replyPolicy : "",
    replyText: p.replyText,
    changeSummary: p.changeSummary,
    authorId: p.authorId,
    authorName: p.authorName ?? null,
    approvedBy: p.approvedBy,
    approverName: p.approverName ?? null,
    approvedAt: p.approvedAt?.toISOString() ?? null,
    reviewDue: p.reviewDue,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

const requirementsDto = (list: ProfileRequirement[]) =>
  list.map((r) => ({
    clause: r.clause,
    label: r.label,
    status: r.status,
    ...(r.message ? { message: r.message } : {}),
  }));

const versionParams = z.object({
  id: idParam.shape.id,
  version: z.coerce
    .number()
    .int()
    .positive()
    .openapi({ param: { name: "version", in: "path" }, example: 1 }),
});

const route = {
  list: createRoute({
    method: "get",
    path: "/accounts/{id}/policies",
    operationId: "listPolicyVersions",
    tags: ["policies"],
    summary: "メディアポリシーの版の一覧（新しい順。下書きは所管課・管理者・全体を見る役割のみ）",
    request: { params: idParam },
    responses: ok(z.object({ items: z.array(policySchema) }), "版の一覧"),
  }),
  get: createRoute({
    method: "get",
    path: "/accounts/{id}/policies/{version}",
    operationId: "getPolicyVersion",
    tags: ["policies"],
    summary: "メディアポリシーの版と、前に公開された版からの変更点",
    request: { params: versionParams },
    responses: ok(
      z.object({
        item: policySchema,
        previousVersion: z.number().int().nullable(),
        changes: z.array(changeSchema),
      }),
      "版と変更点",
    ),
  }),
  draft: createRoute({
    method: "post",
    path: "/accounts/{id}/policies",
    operationId: "draftPolicy",
    tags: ["policies"],
    summary:
      "次の版の下書きを作成（省略した項目は現行の版、初版はガイドラインのひな形から作成）。所管課の職員が作成できます",
    request: { params: idParam, ...jsonBody(policyInput.partial()) },
    responses: created(z.object({ item: policySchema }), "作成した下書き"),
  }),
  update: createRoute({
    method: "patch",
    path: "/policies/{id}",
    operationId: "editPolicyDraft",
    tags: ["policies"],
    summary: "下書きを編集（指定した項目だけを変更）",
    request: { params: idParam, ...jsonBody(policyInput.partial()) },
    responses: ok(z.object({ item: policySchema }), "編集後の下書き"),
  }),
  approve: createRoute({
    method: "post",
    path: "/policies/{id}/approve",
    operationId: "approvePolicy",
    tags: ["policies"],
    summary:
      "下書きを承認して現行の版にする（アカウント管理者のみ。必須項目が未記入なら422、第2版以降は主な変更点が必要）",
    request: { params: idParam },
    responses: ok(z.object({ item: policySchema }), "承認した版（見直し期限つき）"),
  }),
  discard: createRoute({
    method: "delete",
    path: "/policies/{id}",
    operationId: "discardPolicyDraft",
    tags: ["policies"],
    summary: "下書きを破棄（承認済みの版は削除できません）",
    request: { params: idParam },
    responses: ok(z.object({ discarded: z.literal(true) }), "破棄した"),
  }),
  review: createRoute({
    method: "post",
    path: "/accounts/{id}/policy-review",
    operationId: "completePolicyReview",
    tags: ["policies"],
    summary: "変更なしで見直しを完了（アカウント管理者のみ。見直し期限を更新し、見直しタスクを完了）",
    request: { params: idParam, ...jsonBody(reviewInput) },
    responses: ok(z.object({ item: policySchema }), "見直し期限を更新した現行の版"),
  }),
  profile: createRoute({
    method: "get",
    path: "/accounts/{id}/profile",
    operationId: "getAccountProfile",
    tags: ["profiles"],
    summary: "自由記述欄（プロフィール）に設定する文章と文字数、前回確認したプロフィールの結果",
    request: { params: idParam },
    responses: ok(profileSchema, "生成したプロフィール"),
  }),
  check: createRoute({
    method: "post",
    path: "/accounts/{id}/profile/check",
    operationId: "checkAccountProfile",
    tags: ["profiles"],
    summary:
      "現在のプロフィールを確認して記録（第4-4(3)(4)、第5-3(1)）。アカウント管理者と所管課の職員が実行できます",
    request: { params: idParam, ...jsonBody(profileCheckInput) },
    responses: ok(profileCheckSchema, "指摘と必要な事項の確認結果"),
  }),
};

export function policiesApi() {
  const r = new OpenAPIHono<AppEnv>();

  r.openapi(route.list, async (c) => {
    const { id } = c.req.valid("param");
    const { versions } = await listPolicyVersions(c.var.app, { actor: apiActor(c), accountId: id });
    return c.json({ items: versions.map(policyDto) }, 200);
  });
  r.openapi(route.get, async (c) => {
    const { id, version } = c.req.valid("param");
    const view = await getPolicyVersion(c.var.app, { actor: apiActor(c), accountId: id, version });
    return c.json(
      {
        item: policyDto(view.policy),
        previousVersion: view.previous?.version ?? null,
        changes: view.changes,
      },
      200,
    );
  });
  r.openapi(route.draft, async (c) => {
    const { id } = c.req.valid("param");
    const item = await draftPolicy(c.var.app, {
      actor: apiActor(c),
      accountId: id,
      input: c.req.valid("json"),
    });
    return c.json({ item: policyDto(item) }, 201);
  });
  r.openapi(route.update, async (c) => {
    const { id } = c.req.valid("param");
    const item = await updatePolicyDraft(c.var.app, {
      actor: apiActor(c),
      policyId: id,
      input: c.req.valid("json"),
    });
    return c.json({ item: policyDto(item) }, 200);
  });
  r.openapi(route.approve, async (c) => {
    const { id } = c.req.valid("param");
    const item = await approvePolicy(c.var.app, { actor: apiActor(c), policyId: id });
    return c.json({ item: policyDto(item) }, 200);
  });
  r.openapi(route.discard, async (c) => {
    const { id } = c.req.valid("param");
    await discardPolicyDraft(c.var.app, { actor: apiActor(c), policyId: id });
    return c.json({ discarded: true as const }, 200);
  });
  r.openapi(route.review, async (c) => {
    const { id } = c.req.valid("param");
    const item = await completeReviewWithoutChange(c.var.app, {
      actor: apiActor(c),
      accountId: id,
      note: c.req.valid("json").note,
    });
    return c.json({ item: policyDto(item) }, 200);
  });
  r.openapi(route.profile, async (c) => {
    const { id } = c.req.valid("param");
    const { generated: g, last } = await accountProfile(c.var.app, { actor: apiActor(c), accountId: id });
    return c.json(
      {
        text: g.text,
        variant: g.variant,
        variantNote: g.variantNote,
        length: { unit: g.unit, used: g.length, limit: g.limit },
        fits: g.fits,
        problems: g.problems,
        findings: g.findings,
        lastCheck: last
          ? {
              text: last.text,
              checkedAt: last.checkedAt?.toISOString() ?? null,
              hasErrors: last.hasErrors,
              findings: last.findings,
              requirements: requirementsDto(last.requirements),
            }
          : null,
      },
      200,
    );
  });
  r.openapi(route.check, async (c) => {
    const { id } = c.req.valid("param");
    const result = await checkCurrentProfile(c.var.app, {
      actor: apiActor(c),
      accountId: id,
      input: c.req.valid("json"),
    });
    return c.json(
      {
        text: result.text,
        hasErrors: result.hasErrors,
        length: result.length
          ? { unit: result.length.unit, used: result.length.used, limit: result.length.limit }
          : null,
        findings: result.findings,
        requirements: requirementsDto(result.requirements),
        checkedAt: result.checkedAt.toISOString(),
      },
      200,
    );
  });

  return r;
}
