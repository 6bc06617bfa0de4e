/**
 * JSON API twins of the drafting and approval pages (5.1.3–5.1.4, 5.2): my lists, drafting for
 * one or more accounts (and checking a draft without saving it), reading a post with its
 * findings, images, versions and decisions, editing, discarding, submitting, the manager's
 * decisions (approve, return, reject, verbal approval, acknowledging a post-hoc report),
 * publishing ①–④ at once, images (base64), pre-approved scopes and deputies. Same use cases,
 * permissions and audit entries as the pages; the live check uses `POST /check`.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import {
  acknowledgeReport,
  approvePost,
  recordVerbalApproval,
  rejectPost,
  returnPost,
} from "../../app/posts/decide.ts";
import { deputyPage, nameDeputy, revokeDeputy } from "../../app/posts/deputies.ts";
import { discardPost, draftPost, editPost, previewDraft } from "../../app/posts/draft.ts";
import { addImage, removeImage } from "../../app/posts/images.ts";
import { imageRights } from "../../app/posts/input.ts";
import { publishPostHoc } from "../../app/posts/post-hoc.ts";
import { type PostDetail, postDetail, postLists } from "../../app/posts/read.ts";
import {
  accountScopes,
  createScope,
  revokeScope,
  scopeCategories,
  scopeFields,
} from "../../app/posts/scopes.ts";
import { submitPost } from "../../app/posts/submit.ts";
import { findingSchema, lengthInfoSchema } from "../../checker/types.ts";
import type { DeputyView } from "../../db/repos/post-queues.ts";
import type { Post, PostImageInfo, PostScope, PostView } from "../../db/repos/posts.ts";
import { correctsNothing } from "../../domain/corrections.ts";
import { metadataKinds } from "../../domain/image-metadata.ts";
import { storedAudience } from "../../domain/line-audience.ts";
import { isPostStatus, postCategories, postStatuses } from "../../domain/posts.ts";
import { diffTexts } from "../../domain/text-diff.ts";
import { AppError } from "../../errors.ts";
import type { AppEnv } from "../env.ts";
import { apiActor, created, idParam, jsonBody, ok } from "./helpers.ts";
import { approvalFields, iso } from "./post-fields.ts";

const tags = ["posts"];

const instantText = (description: string) =>
  z.string().nullable().optional().openapi({ description, example: "2026-12-05T10:00:00+09:00" });

/**
 * LINE: who receives a post (null: every friend, a broadcast). The codes are LINE's
 * (src/domain/line-audience.ts checks them, with Japanese messages naming the field).
 */
const audienceSchema = z
  .object({
    ageFrom: z.string().nullable().optional().openapi({ description: "age_15 … age_70（この年齢から）" }),
    ageTo: z.string().nullable().optional().openapi({ description: "age_20 … age_70（この年齢未満）" }),
    gender: z.string().nullable().optional().openapi({ description: "male / female" }),
    appType: z.string().nullable().optional().openapi({ description: "ios / android" }),
    subscriptionFrom: z
      .string()
      .nullable()
      .optional()
      .openapi({ description: "day_7 / day_30 / day_90 / day_180 / day_365（友だち期間がこの日数以上）" }),
    subscriptionTo: z.string().nullable().optional().openapi({ description: "友だち期間がこの日数未満" }),
    areas: z
      .array(z.string())
      .optional()
      .openapi({ description: "都道府県: jp_01（北海道）… jp_47（沖縄県）" }),
    audienceGroupId: z
      .union([z.string(), z.number()])
      .nullable()
      .optional()
      .openapi({ description: "LINE公式アカウントの管理画面で作ったオーディエンスのID" }),
    limitMax: z.number().int().nullable().optional().openapi({ description: "最大の配信人数" }),
  })
  .openapi("LineAudience");

const postSchema = z
  .object({
    id: z.number().int(),
    groupId: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "同時に作成した投稿のグループ（最初の投稿のID）" }),
    accountId: z.number().int(),
    kind: z.enum(["post", "correction"]),
    category: z.enum(postCategories).openapi({
      description:
        "normal 通常 / repost ①再発信 / fact ②既成の事実 / legal ③法令等 / emergency ④緊急告知（第5-1(4)）",
    }),
    status: z.enum(postStatuses),
    text: z.string(),
    version: z.number().int(),
    authorId: z.number().int(),
    embargoUntil: z.string().nullable().openapi({ description: "これより前は公表できない日時（第5-2(2)②）" }),
    scheduledAt: z.string().nullable(),
    repostOf: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "①で再発信する、市の公式アカウントの発信済みの投稿" }),
    repostSourceUrl: z
      .string()
      .nullable()
      .openapi({ description: "①で再発信する市のページのURL（市のドメインのみ）" }),
    repostQuote: z.string().nullable().openapi({
      description:
        "①で市のページから引用した文（作成者の入力どおり。ページとの一致はシステムでは確認できないため、事後確認で照合します）",
    }),
    scopeId: z.number().int().nullable(),
    audience: audienceSchema
      .nullable()
      .openapi({ description: "LINE: 配信先（null はすべての友だち）。承認の対象です" }),
    justification: z
      .string()
      .openapi({ description: "エラーの指摘があるまま申請・発信する理由（承認者が読みます）" }),
    findings: z.array(findingSchema).openapi({ description: "サーバーが最後に確認した結果" }),
    errorCount: z.number().int(),
    warningCount: z.number().int(),
    submittedAt: z.string().nullable(),
    approvedAt: z.string().nullable(),
    approvedBy: z.number().int().nullable(),
    approvalRule: z
      .string()
      .nullable()
      .openapi({ description: "manager / deputy / scope / verbal / post_hoc" }),
    approvedVersion: z.number().int().nullable(),
    reportDueAt: z.string().nullable().openapi({ description: "事後報告の確認期限" }),
    acknowledgedAt: z.string().nullable(),
    acknowledgedBy: z.number().int().nullable(),
    publishedAt: z.string().nullable(),
    publishedUrl: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Post");

const postSummarySchema = postSchema
  .extend({ accountName: z.string(), platform: z.string(), divisionName: z.string(), authorName: z.string() })
  .openapi("PostSummary");

function postDto(p: Post) {
  const findings = z.array(findingSchema).safeParse(p.findings);
  return {
    id: p.id,
    groupId: p.groupId,
    accountId: p.accountId,
    kind: p.kind === "correction" ? ("correction" as const) : ("post" as const),
    category: p.category,
    status: p.status,
    text: p.text,
    version: p.version,
    authorId: p.authorId,
    embargoUntil: iso(p.embargoUntil),
    scheduledAt: iso(p.scheduledAt),
    repostOf: p.repostOf,
    repostSourceUrl: p.repostSourceUrl,
    repostQuote: p.repostQuote,
    scopeId: p.scopeId,
    audience: storedAudience(p.audience),
    justification: p.justification,
    findings: findings.success ? findings.data : [],
    errorCount: p.errorCount,
    warningCount: p.warningCount,
    ...approvalFields(p),
    publishedAt: iso(p.publishedAt),
    publishedUrl: p.publishedUrl,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

function summaryDto(p: PostView) {
  return {
    ...postDto(p),
    accountName: p.accountName,
    platform: p.platform,
    divisionName: p.divisionName,
    authorName: p.authorName,
  };
}

const imageSchema = z
  .object({
    id: z.number().int(),
    filename: z.string(),
    contentType: z.string(),
    size: z.number().int(),
    alt: z.string().openapi({ description: "代替テキスト" }),
    rights: z
      .enum(imageRights)
      .openapi({ description: "own 職員の撮影・作成 / consent 同意あり / licensed 許諾あり（第5-1(3)）" }),
    rightsNote: z.string(),
    metadataRemoved: z.array(z.enum(metadataKinds)).openapi({
      description:
        "保存前にファイルから取り除いた情報（gps 位置情報 / exif / xmp / iptc / comment / text / trailer・第5-2(2)①）。画像データはそのまま",
    }),
    url: z.string().openapi({ description: "画像そのもの（職員のページ。セッションで取得）" }),
  })
  .openapi("PostImage");

function imageDto(postId: number, i: PostImageInfo) {
  return {
    id: i.id,
    filename: i.filename,
    contentType: i.contentType,
    size: i.size,
    alt: i.alt,
    rights: imageRights.find((r) => r === i.rights) ?? "own",
    rightsNote: i.rightsNote,
    metadataRemoved: metadataKinds.filter((k) => i.metadataRemoved.includes(k)),
    url: `/posts/${postId}/images/${i.id}`,
  };
}

const detailSchema = z
  .object({
    post: postSummarySchema,
    length: lengthInfoSchema
      .nullable()
      .openapi({ description: "サービスの文字数の数え方による文字数と上限" }),
    images: z.array(imageSchema),
    group: z.array(postSummarySchema).openapi({ description: "同時に作成したほかのアカウントの投稿" }),
    versions: z.array(
      z.object({
        version: z.number().int(),
        text: z.string(),
        findings: z.array(findingSchema),
        authorId: z.number().int().nullable(),
        authorName: z.string().nullable(),
        at: z.string(),
      }),
    ),
    decisions: z.array(
      z.object({
        decision: z.enum(["approve", "return", "reject", "acknowledge"]),
        version: z.number().int(),
        rule: z.string(),
        actorId: z.number().int().nullable(),
        actorName: z.string().nullable(),
        comment: z.string(),
        givenAt: z
          .string()
          .nullable()
          .openapi({ description: "口頭で許可した日時、またはその場で確認した日時（rule: on_the_spot）" }),
        recordedBy: z
          .number()
          .int()
          .nullable()
          .openapi({ description: "判断した本人以外が記録した場合の記録者（その場での確認を入力した職員）" }),
        recordedByName: z.string().nullable(),
        at: z.string(),
      }),
    ),
    can: z.object({
      edit: z.boolean(),
      submit: z.boolean(),
      discard: z.boolean(),
      publishPostHoc: z.boolean(),
      decide: z.boolean(),
      acknowledge: z.boolean(),
      ownPostBlocksDecision: z.boolean(),
    }),
    resend: z
      .object({
        sourcePostId: z.number().int().nullable(),
        sourceUrl: z.string().nullable(),
        quote: z.string().nullable(),
        verifiedBySystem: z
          .boolean()
          .openapi({ description: "元が市の投稿なら本文を比較済み。市のページなら事後確認で照合" }),
        problem: z
          .string()
          .nullable()
          .openapi({ description: "事後報告（①）で発信できない理由。あれば承認が必要" }),
      })
      .nullable()
      .openapi({ description: "①再発信の元と、本文がその内容かどうか（第5-1(4)①）" }),
    confirmers: z.array(z.object({ id: z.number().int(), name: z.string() })).openapi({
      description:
        "エラーのある①〜④を今すぐ発信する場合に、その場で内容を確認できる方（承認できる方で、この投稿を書いていない方・第5-2）",
    }),
    reportOverdue: z.boolean(),
    original: z
      .object({
        id: z.number().int(),
        text: z.string(),
        same: z.boolean().openapi({
          description:
            "訂正の本文が【訂正】などの表示を除いて元の投稿と同じ（このままでは申請・承認できません）",
        }),
        diff: z.array(z.object({ op: z.enum(["same", "del", "ins"]), text: z.string() })).openapi({
          description: "元の投稿から訂正の投稿への違い（del: 削除、ins: 追加）",
        }),
      })
      .nullable()
      .openapi({ description: "訂正の投稿（第5-3(3)）: 訂正する元の投稿と、その違い" }),
  })
  .openapi("PostDetail");

const decisionKinds = ["approve", "return", "reject", "acknowledge"] as const;

function detailDto(d: PostDetail) {
  return {
    post: summaryDto(d.post),
    length: d.length ?? null,
    images: d.images.map((i) => imageDto(d.post.id, i)),
    group: d.group.map(summaryDto),
    versions: d.versions.map((v) => ({
      version: v.version,
      text: v.text,
      findings: v.findingList,
      authorId: v.authorId,
      authorName: v.authorName,
      at: v.at.toISOString(),
    })),
    decisions: d.decisions.map((x) => ({
      decision: decisionKinds.find((k) => k === x.decision) ?? "approve",
      version: x.version,
      rule: x.rule,
      actorId: x.actorId,
      actorName: x.actorName,
      comment: x.comment,
      givenAt: iso(x.givenAt),
      recordedBy: x.recordedBy,
      recordedByName: x.recordedByName,
      at: x.at.toISOString(),
    })),
    can: d.can,
    resend: resendDto(d.resend),
    confirmers: d.confirmers,
    reportOverdue: d.reportOverdue,
    original: d.original
      ? {
          id: d.original.id,
          text: d.original.text,
          same: correctsNothing(d.post.text, d.original.text),
          diff: diffTexts(d.original.text, d.post.text),
        }
      : null,
  };
}

function resendDto(r: PostDetail["resend"]) {
  if (!r) return null;
  const source = r.source;
  return {
    sourcePostId: source?.kind === "post" ? source.post.id : null,
    sourceUrl:
      source?.kind === "page" ? source.url : source?.kind === "post" ? source.post.publishedUrl : null,
    quote: source?.kind === "page" ? source.quote : null,
    verifiedBySystem: source?.kind === "post",
    problem: r.problem,
  };
}

const scopeSchema = z
  .object({
    id: z.number().int(),
    accountId: z.number().int(),
    name: z.string(),
    template: z.string(),
    fields: z.array(
      z.object({
        name: z.string(),
        label: z.string(),
        pattern: z.string().optional(),
        maxLength: z.number().int().optional(),
      }),
    ),
    categories: z.array(z.enum(postCategories)),
    cityLinksOnly: z.boolean(),
    validUntil: z.string(),
    active: z.boolean(),
  })
  .openapi("PostScope");

function scopeDto(s: PostScope) {
  return {
    id: s.id,
    accountId: s.accountId,
    name: s.name,
    template: s.template,
    fields: scopeFields(s.fields),
    categories: scopeCategories(s.categories),
    cityLinksOnly: s.cityLinksOnly,
    validUntil: s.validUntil,
    active: s.active,
  };
}

const deputySchema = z
  .object({
    id: z.number().int(),
    divisionId: z.number().int(),
    divisionName: z.string(),
    managerId: z.number().int(),
    managerName: z.string(),
    deputyId: z.number().int(),
    deputyName: z.string(),
    fromDate: z.string(),
    toDate: z.string(),
    reason: z.string(),
    revokedAt: z.string().nullable(),
  })
  .openapi("ApprovalDeputy");

function deputyDto(d: DeputyView) {
  return {
    id: d.id,
    divisionId: d.divisionId,
    divisionName: d.divisionName,
    managerId: d.managerId,
    managerName: d.managerName,
    deputyId: d.deputyId,
    deputyName: d.deputyName,
    fromDate: d.fromDate,
    toDate: d.toDate,
    reason: d.reason,
    revokedAt: iso(d.revokedAt),
  };
}

const draftBody = z.object({
  text: z
    .string()
    .optional()
    .openapi({ description: "共通の本文（本文を指定しないアカウントに使われます）" }),
  accounts: z.array(z.object({ accountId: z.number().int(), text: z.string().optional() })),
  category: z.enum(postCategories).optional(),
  repostOf: z
    .number()
    .int()
    .nullable()
    .optional()
    .openapi({ description: "①で再発信する、市の公式アカウントの発信済みの投稿" }),
  repostSourceUrl: z
    .string()
    .nullable()
    .optional()
    .openapi({ description: "①で市のページから引用する場合のURL（repostOf とどちらか一方）" }),
  repostQuote: z.string().nullable().optional().openapi({
    description: "①でページから引用する文（本文は、この文に30文字以内の前置きとURLを付けたもの）",
  }),
  embargoUntil: instantText("公表日時（第5-2(2)②）"),
  scheduledAt: instantText("予約日時"),
  justification: z.string().optional(),
  audience: audienceSchema.nullable().optional().openapi({
    description:
      "LINEのアカウントへの投稿の配信先（null・省略ですべての友だち）。LINE以外のアカウントだけのときは指定できません",
  }),
  scopeId: z
    .number()
    .int()
    .optional()
    .openapi({ description: "範囲の許可から作成する場合（本文はテンプレートから作成）" }),
  scopeValues: z.record(z.string(), z.string()).optional(),
});

const versionBody = z.object({
  version: z.number().int().openapi({ description: "表示した版（変更されていたら409）" }),
  justification: z.string().optional(),
  comment: z.string().optional(),
});

const postHocBody = versionBody.extend({
  confirmedBy: z.number().int().nullable().optional().openapi({
    description:
      "エラーの指摘がある場合に必須: その場で内容を確認した、このアカウントの投稿を承認できる方（アカウント管理者またはその日の代理者）の職員ID（第5-2）",
  }),
  confirmedAt: z.string().nullable().optional().openapi({
    description: "確認を受けた日時（発信する版の保存以降、現在まで）",
    example: "2026-12-05T09:30:00+09:00",
  }),
  confirmationNote: z.string().optional().openapi({ description: "確認の内容（任意）" }),
});

const pathId = (name: string) =>
  z.coerce
    .number()
    .int()
    .positive()
    .openapi({ param: { name, in: "path" }, example: 1 });

const route = {
  list: createRoute({
    method: "get",
    path: "/posts",
    operationId: "listPosts",
    tags,
    summary: "自分の投稿、自分の承認を待っている投稿、確認待ちの事後報告",
    request: { query: z.object({ status: z.enum(postStatuses).optional() }) },
    responses: ok(
      z.object({
        mine: z.array(postSummarySchema),
        waiting: z.array(postSummarySchema),
        reports: z.array(postSummarySchema),
      }),
      "一覧",
    ),
  }),
  draft: createRoute({
    method: "post",
    path: "/posts",
    operationId: "draftPost",
    tags,
    summary: "投稿を作成（アカウントごとに1件、運用に携わる職員のみ・第3）",
    request: jsonBody(draftBody),
    responses: created(z.object({ items: z.array(postSchema) }), "作成した下書き"),
  }),
  preview: createRoute({
    method: "post",
    path: "/posts/preview",
    operationId: "previewPost",
    tags,
    summary: "作成する投稿を保存せずに確認（アカウントごとの本文と指摘、文字数）",
    request: jsonBody(draftBody),
    responses: ok(
      z.object({
        items: z.array(
          z.object({
            accountId: z.number().int(),
            text: z.string(),
            findings: z.array(findingSchema),
            length: lengthInfoSchema.nullable(),
          }),
        ),
      }),
      "確認結果",
    ),
  }),
  get: createRoute({
    method: "get",
    path: "/posts/{id}",
    operationId: "getPost",
    tags,
    summary: "投稿（指摘、画像、版、承認の記録、できる操作）",
    request: { params: idParam },
    responses: ok(detailSchema, "投稿"),
  }),
  edit: createRoute({
    method: "patch",
    path: "/posts/{id}",
    operationId: "editPost",
    tags,
    summary: "投稿を変更（新しい版。承認済みの投稿は承認待ちに戻ります・第5-1(4)）",
    request: {
      params: idParam,
      ...jsonBody(
        z.object({
          version: z.number().int(),
          expectedStatus: z.enum(postStatuses).optional(),
          text: z.string().optional(),
          category: z.enum(postCategories).optional(),
          repostOf: z.number().int().nullable().optional(),
          repostSourceUrl: z.string().nullable().optional(),
          repostQuote: z.string().nullable().optional(),
          embargoUntil: instantText("公表日時"),
          scheduledAt: instantText("予約日時"),
          justification: z.string().optional(),
          audience: audienceSchema.nullable().optional().openapi({
            description: "LINEのみ: 配信先（null ですべての友だち）。変えると新しい版になり、承認し直しです",
          }),
        }),
      ),
    },
    responses: ok(z.object({ item: postSchema, reapproval: z.boolean() }), "変更した投稿"),
  }),
  discard: createRoute({
    method: "delete",
    path: "/posts/{id}",
    operationId: "discardPost",
    tags,
    summary: "申請前の下書きを破棄",
    request: { params: idParam },
    responses: ok(z.object({ discarded: z.literal(true) }), "破棄しました"),
  }),
  submit: createRoute({
    method: "post",
    path: "/posts/{id}/submit",
    operationId: "submitPost",
    tags,
    summary: "承認を申請（範囲の許可に合い、エラーがなければその場で承認）",
    request: { params: idParam, ...jsonBody(versionBody) },
    responses: ok(
      z.object({
        item: postSchema,
        autoApproved: z.boolean(),
        scopeName: z.string().nullable(),
        scopeProblems: z.array(z.string()),
      }),
      "申請した投稿",
    ),
  }),
  approve: createRoute({
    method: "post",
    path: "/posts/{id}/approve",
    operationId: "approvePost",
    tags,
    summary: "承認（アカウント管理者または不在時の代理者。自分の投稿は不可・第5-1(4)）",
    request: { params: idParam, ...jsonBody(versionBody) },
    responses: ok(z.object({ item: postSchema }), "承認した投稿"),
  }),
  return: createRoute({
    method: "post",
    path: "/posts/{id}/return",
    operationId: "returnPost",
    tags,
    summary: "差戻し（コメント必須）",
    request: { params: idParam, ...jsonBody(versionBody) },
    responses: ok(z.object({ item: postSchema }), "差し戻した投稿"),
  }),
  reject: createRoute({
    method: "post",
    path: "/posts/{id}/reject",
    operationId: "rejectPost",
    tags,
    summary: "却下（コメント必須）",
    request: { params: idParam, ...jsonBody(versionBody) },
    responses: ok(z.object({ item: postSchema }), "却下した投稿"),
  }),
  verbal: createRoute({
    method: "post",
    path: "/posts/{id}/verbal-approval",
    operationId: "recordVerbalApproval",
    tags,
    summary: "口頭で許可したことを、許可した日時とともに記録",
    request: {
      params: idParam,
      ...jsonBody(
        z.object({
          version: z.number().int(),
          givenAt: z.string().openapi({ example: "2026-12-05T09:30:00+09:00" }),
          comment: z.string().optional(),
        }),
      ),
    },
    responses: ok(z.object({ item: postSchema }), "承認した投稿"),
  }),
  acknowledge: createRoute({
    method: "post",
    path: "/posts/{id}/acknowledge",
    operationId: "acknowledgePostHocReport",
    tags,
    summary: "事後報告を確認（第5-1(4)①〜④）",
    request: { params: idParam, ...jsonBody(z.object({ comment: z.string().optional() })) },
    responses: ok(z.object({ item: postSchema }), "確認した投稿"),
  }),
  publishNow: createRoute({
    method: "post",
    path: "/posts/{id}/publish-post-hoc",
    operationId: "publishPostHoc",
    tags,
    summary:
      "①〜④の投稿を今すぐ発信したものとし、事後報告する（URLは発信の記録で登録）。エラーの指摘があれば、承認できる方のその場での確認が必要（第5-2）。①は元の内容そのものに限る",
    request: { params: idParam, ...jsonBody(postHocBody) },
    responses: ok(z.object({ item: postSchema }), "発信済みにした投稿"),
  }),
  addImage: createRoute({
    method: "post",
    path: "/posts/{id}/images",
    operationId: "addPostImage",
    tags,
    summary: "画像を追加（JPEG・PNG・GIF・WebP、代替テキストと権利の確認が必須・第5-1(3)）",
    request: {
      params: idParam,
      ...jsonBody(
        z.object({
          version: z.number().int(),
          filename: z.string(),
          data: z.string().openapi({ description: "画像ファイル（base64）" }),
          alt: z.string(),
          rights: z.enum(imageRights),
          rightsNote: z.string().optional(),
        }),
      ),
    },
    responses: created(z.object({ item: postSchema, image: imageSchema }), "追加した画像"),
  }),
  removeImage: createRoute({
    method: "delete",
    path: "/posts/{id}/images/{imageId}",
    operationId: "removePostImage",
    tags,
    summary: "画像を削除（新しい版になります）",
    request: {
      params: idParam.extend({ imageId: pathId("imageId") }),
      query: z.object({ version: z.coerce.number().int().positive() }),
    },
    responses: ok(z.object({ item: postSchema }), "画像を削除した投稿"),
  }),
  scopes: createRoute({
    method: "get",
    path: "/accounts/{id}/scopes",
    operationId: "listApprovalScopes",
    tags,
    summary: "アカウントの範囲の許可（予め範囲を決めた許可・第5-1(4)）",
    request: { params: idParam },
    responses: ok(z.object({ items: z.array(scopeSchema) }), "範囲の許可"),
  }),
  createScope: createRoute({
    method: "post",
    path: "/accounts/{id}/scopes",
    operationId: "createApprovalScope",
    tags,
    summary: "範囲の許可を登録（アカウント管理者）",
    request: {
      params: idParam,
      ...jsonBody(
        z.object({
          name: z.string(),
          template: z.string().openapi({ example: "【ごみ収集】{date}は{area}地区の収集日です。" }),
          fields: z.array(
            z.object({
              name: z.string(),
              label: z.string(),
              pattern: z.string().optional(),
              maxLength: z.number().int().optional(),
            }),
          ),
          categories: z.array(z.enum(postCategories)),
          cityLinksOnly: z.boolean().optional(),
          validUntil: z.string().openapi({ example: "2027-03-31" }),
        }),
      ),
    },
    responses: created(z.object({ item: scopeSchema }), "登録した範囲の許可"),
  }),
  revokeScope: createRoute({
    method: "post",
    path: "/accounts/{id}/scopes/{scopeId}/revoke",
    operationId: "revokeApprovalScope",
    tags,
    summary: "範囲の許可を取り消す",
    request: {
      params: idParam.extend({ scopeId: pathId("scopeId") }),
    },
    responses: ok(z.object({ item: scopeSchema }), "取り消した範囲の許可"),
  }),
  deputies: createRoute({
    method: "get",
    path: "/deputies",
    operationId: "listDeputies",
    tags,
    summary: "自分の課の不在時の代理者（アカウント管理者）",
    responses: ok(z.object({ items: z.array(deputySchema) }), "代理者"),
  }),
  nameDeputy: createRoute({
    method: "post",
    path: "/deputies",
    operationId: "nameDeputy",
    tags,
    summary: "不在時の代理者を指名（課の職員、期間と理由）",
    request: jsonBody(
      z.object({
        divisionId: z.number().int().optional(),
        deputyId: z.number().int(),
        fromDate: z.string(),
        toDate: z.string(),
        reason: z.string(),
      }),
    ),
    responses: created(z.object({ item: deputySchema }), "指名した代理者"),
  }),
  revokeDeputy: createRoute({
    method: "post",
    path: "/deputies/{id}/revoke",
    operationId: "revokeDeputy",
    tags,
    summary: "代理者の指名を取り消す",
    request: { params: idParam },
    responses: ok(z.object({ revoked: z.literal(true) }), "取り消しました"),
  }),
};

/** Base64 image data to bytes (422 when it is not base64). */
function decodeImage(data: string): Uint8Array {
  const clean = data.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) {
    throw new AppError("validation", "画像ファイルは base64 で指定してください。", {
      fields: [{ field: "data", message: "画像ファイルは base64 で指定してください。" }],
    });
  }
  return new Uint8Array(Buffer.from(clean, "base64"));
}

export function postsApi() {
  const r = new OpenAPIHono<AppEnv>();

  r.openapi(route.list, async (c) => {
    const { status } = c.req.valid("query");
    const lists = await postLists(c.var.app, {
      actor: apiActor(c),
      status: status && isPostStatus(status) ? status : undefined,
    });
    return c.json(
      {
        mine: lists.mine.map(summaryDto),
        waiting: lists.waiting.map(summaryDto),
        reports: lists.reports.map(summaryDto),
      },
      200,
    );
  });
  r.openapi(route.draft, async (c) => {
    const items = await draftPost(c.var.app, { actor: apiActor(c), input: c.req.valid("json") });
    return c.json({ items: items.map(postDto) }, 201);
  });
  r.openapi(route.preview, async (c) => {
    const items = await previewDraft(c.var.app, { actor: apiActor(c), input: c.req.valid("json") });
    return c.json(
      {
        items: items.map((i) => ({
          accountId: i.account.id,
          text: i.text,
          findings: i.result.findings,
          length: i.result.length ?? null,
        })),
      },
      200,
    );
  });
  r.openapi(route.get, async (c) => {
    const detail = await postDetail(c.var.app, { actor: apiActor(c), id: c.req.valid("param").id });
    return c.json(detailDto(detail), 200);
  });
  r.openapi(route.edit, async (c) => {
    const { id } = c.req.valid("param");
    const result = await editPost(c.var.app, { actor: apiActor(c), id, input: c.req.valid("json") });
    return c.json({ item: postDto(result.post), reapproval: result.reapproval }, 200);
  });
  r.openapi(route.discard, async (c) => {
    await discardPost(c.var.app, { actor: apiActor(c), id: c.req.valid("param").id });
    return c.json({ discarded: true as const }, 200);
  });
  r.openapi(route.submit, async (c) => {
    const { id } = c.req.valid("param");
    const result = await submitPost(c.var.app, { actor: apiActor(c), id, input: c.req.valid("json") });
    return c.json(
      {
        item: postDto(result.post),
        autoApproved: result.autoApproved,
        scopeName: result.scopeName,
        scopeProblems: result.scopeProblems,
      },
      200,
    );
  });
  const decisions = [
    [route.approve, approvePost],
    [route.return, returnPost],
    [route.reject, rejectPost],
    [route.publishNow, publishPostHoc],
    [route.verbal, recordVerbalApproval],
    [route.acknowledge, acknowledgeReport],
  ] as const;
  for (const [definition, work] of decisions) {
    r.openapi(definition, async (c) => {
      const item = await work(c.var.app, {
        actor: apiActor(c),
        id: c.req.valid("param").id,
        input: c.req.valid("json"),
      });
      return c.json({ item: postDto(item) }, 200);
    });
  }
  r.openapi(route.addImage, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const result = await addImage(c.var.app, {
      actor: apiActor(c),
      id,
      version: body.version,
      file: { name: body.filename, bytes: decodeImage(body.data) },
      input: body,
    });
    return c.json({ item: postDto(result.post), image: imageDto(id, result.image) }, 201);
  });
  r.openapi(route.removeImage, async (c) => {
    const { id, imageId } = c.req.valid("param");
    const item = await removeImage(c.var.app, {
      actor: apiActor(c),
      id,
      imageId,
      version: c.req.valid("query").version,
    });
    return c.json({ item: postDto(item) }, 200);
  });
  r.openapi(route.scopes, async (c) => {
    const list = await accountScopes(c.var.app, { actor: apiActor(c), accountId: c.req.valid("param").id });
    return c.json({ items: list.scopes.map(scopeDto) }, 200);
  });
  r.openapi(route.createScope, async (c) => {
    const item = await createScope(c.var.app, {
      actor: apiActor(c),
      accountId: c.req.valid("param").id,
      input: c.req.valid("json"),
    });
    return c.json({ item: scopeDto(item) }, 201);
  });
  r.openapi(route.revokeScope, async (c) => {
    const { id, scopeId } = c.req.valid("param");
    const item = await revokeScope(c.var.app, { actor: apiActor(c), accountId: id, scopeId });
    return c.json({ item: scopeDto(item) }, 200);
  });
  r.openapi(route.deputies, async (c) => {
    const page = await deputyPage(c.var.app, { actor: apiActor(c) });
    return c.json({ items: page.deputies.map(deputyDto) }, 200);
  });
  r.openapi(route.nameDeputy, async (c) => {
    const item = await nameDeputy(c.var.app, { actor: apiActor(c), input: c.req.valid("json") });
    return c.json({ item: deputyDto(item) }, 201);
  });
  r.openapi(route.revokeDeputy, async (c) => {
    await revokeDeputy(c.var.app, { actor: apiActor(c), id: c.req.valid("param").id });
    return c.json({ revoked: true as const }, 200);
  });
  return r;
}
