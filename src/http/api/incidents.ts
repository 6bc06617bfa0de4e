/**
 * /incidents: the JSON twins of the incident pages (7) — list, report, one incident with its
 * playbook, timeline, files and type records; receiving the report; completing, reopening and
 * assigning steps; notes and files (base64); severity, status and closing with the review; the
 * なりすまし records (fake accounts, takedown, answer, the public warning confirmed and published by
 * a responder, 7, 7.3), contacts (7.3.2), the
 * デマ claim and public notice (7.4), the public statement (7.2.3) and drafts into the posts
 * workflow. Same use cases, permissions and audit entries as the pages.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { addAttachment, attachmentFile } from "../../app/incidents/attachments.ts";
import { draftIncidentPost } from "../../app/incidents/drafts.ts";
import {
  confirmHijackReport,
  markingInput,
  publishHijackMarking,
  recordHijackRecovery,
  recoveryInput,
  reportHijackToDirector,
} from "../../app/incidents/hijack.ts";
import {
  addImpersonation,
  publishWarning,
  recordTakedown,
  recordTakedownAnswer,
  updateWarning,
  withdrawWarning,
} from "../../app/incidents/impersonation.ts";
import {
  answerInput,
  claimInput,
  closeInput,
  contactInput,
  draftInput,
  impersonationInput,
  noteInput,
  publicNoticeInput,
  reportInput,
  severityInput,
  statementInput,
  statusInput,
  stepAssignInput,
  stepCompleteInput,
  takedownInput,
  warningInput,
} from "../../app/incidents/input.ts";
import { publishNotice, recordClaim, withdrawNotice } from "../../app/incidents/notices.ts";
import { type IncidentDetail, incidentDetail, listIncidents } from "../../app/incidents/read.ts";
import { reportIncident } from "../../app/incidents/report.ts";
import {
  acknowledgeIncident,
  addNote,
  changeSeverity,
  changeStatus,
  closeIncident,
  recordContact,
  recordStatement,
} from "../../app/incidents/respond.ts";
import { assignStep, completeStep, reopenStep } from "../../app/incidents/steps.ts";
import type { IncidentView } from "../../db/repos/incidents.ts";
import { hijackStates } from "../../domain/hijack.ts";
import { incidentSeverities, incidentStatuses, incidentTypes } from "../../domain/incidents.ts";
import type { AppEnv } from "../env.ts";
import { apiActor, created, errors, idParam, jsonBody, ok } from "./helpers.ts";

const tags = ["incidents"];
const iso = (d: Date | null) => (d ? d.toISOString() : null);

const incidentSchema = z
  .object({
    id: z.number().int(),
    type: z.enum(incidentTypes).openapi({
      description:
        "leak: 情報漏えい（第7-1）、flaming: 炎上（第7-2）、impersonation: なりすまし（第7-3）、hijack: 公式アカウントの乗っ取り（第7-3(1)）、misinformation: デマ・誤情報（第7-4）、complaint: 誤解・苦情（第5-1(6)）",
    }),
    severity: z
      .enum(incidentSeverities)
      .openapi({ description: "low: 低、medium: 中、high: 高、critical: 重大" }),
    status: z
      .enum(incidentStatuses)
      .openapi({ description: "responding: 対応中、monitoring: 監視中、closed: 終結" }),
    title: z.string(),
    description: z.string(),
    links: z.array(z.string()),
    noticedAt: z.string(),
    reportedBy: z.number().int().nullable(),
    reporterName: z.string().nullable(),
    accountId: z.number().int().nullable(),
    accountName: z.string().nullable(),
    postId: z.number().int().nullable(),
    managerId: z.number().int().nullable(),
    managerName: z.string().nullable(),
    publicStatementAt: z.string().nullable().openapi({ description: "最初の公式な説明（第7-2(3)）" }),
    reviewWhatHappened: z.string(),
    reviewWhatToChange: z.string(),
    createdAt: z.string(),
    closedAt: z.string().nullable(),
    closedBy: z.number().int().nullable(),
  })
  .openapi("Incident");

function incidentDto(i: IncidentView) {
  return {
    id: i.id,
    type: i.type,
    severity: i.severity,
    status: i.status,
    title: i.title,
    description: i.description,
    links: Array.isArray(i.links) ? i.links.filter((l): l is string => typeof l === "string") : [],
    noticedAt: i.noticedAt.toISOString(),
    reportedBy: i.reportedBy,
    reporterName: i.reporterName,
    accountId: i.accountId,
    accountName: i.accountName,
    postId: i.postId,
    managerId: i.managerId,
    managerName: i.managerName,
    publicStatementAt: iso(i.publicStatementAt),
    reviewWhatHappened: i.reviewWhatHappened,
    reviewWhatToChange: i.reviewWhatToChange,
    createdAt: i.createdAt.toISOString(),
    closedAt: iso(i.closedAt),
    closedBy: i.closedBy,
  };
}

const detailSchema = z
  .object({
    item: incidentSchema,
    steps: z.array(
      z.object({
        id: z.number().int(),
        key: z.string(),
        title: z.string(),
        detail: z.string(),
        clause: z.string(),
        optional: z.boolean(),
        ownerId: z.number().int().nullable(),
        ownerName: z.string().nullable(),
        dueAt: z.string().nullable(),
        overdue: z.boolean(),
        doneAt: z.string().nullable(),
        doneBy: z.number().int().nullable(),
        note: z.string(),
        actionable: z.boolean().openapi({
          description: "この手順の完了・未完了への戻しができる（対応する職員、または手順の担当者）",
        }),
      }),
    ),
    events: z.array(
      z.object({
        kind: z.string(),
        note: z.string(),
        at: z.string(),
        actorId: z.number().int().nullable(),
        actorName: z.string().nullable(),
      }),
    ),
    attachments: z.array(
      z.object({
        id: z.number().int(),
        filename: z.string(),
        contentType: z.string(),
        size: z.number().int(),
        description: z.string(),
        createdAt: z.string(),
      }),
    ),
    hijack: z
      .object({
        accountId: z.number().int(),
        compromisedSince: z.string().openapi({ description: "不正アクセスが始まった日時" }),
        state: z
          .enum(hijackStates)
          .openapi({ description: "pending: 公開前、shown: 公開ページに表示中、recovered: 回復" }),
        notice: z.string().openapi({ example: "11月24日10時以降の投稿は市によるものではありません" }),
        markingPublishedAt: z.string().nullable(),
        reportState: z
          .enum(["unsent", "sent", "confirmed"])
          .openapi({ description: "情報統括管理者への報告（第4-3(3)）" }),
        directorReportedAt: z.string().nullable(),
        directorConfirmedAt: z.string().nullable(),
        recoveredAt: z.string().nullable(),
        recoveryProblems: z.array(z.string()).openapi({ description: "回復を記録する前に必要なこと" }),
      })
      .nullable()
      .openapi({ description: "乗っ取り（第7-3(1)）のときのみ" }),
    impersonations: z.array(
      z.object({
        id: z.number().int(),
        platform: z.string(),
        url: z.string(),
        handle: z.string(),
        takedownRequestedAt: z.string().nullable(),
        takedownReference: z.string(),
        platformAnswer: z.string(),
        takenDownAt: z.string().nullable(),
        publicWarning: z.string(),
        warningPublishedAt: z
          .string()
          .nullable()
          .openapi({ description: "対応する職員が確認して公開した日時（公開前は null、第7・第7-3(1)）" }),
        warningPublishedBy: z.number().int().nullable().openapi({ description: "公開を確認した職員" }),
        warningPublishedByName: z.string().nullable(),
        warningEndsAt: z.string().nullable(),
        warningState: z.enum(["pending", "shown", "ended"]).openapi({
          description:
            "pending: 公開前（対応する職員の確認待ち。お知らせにも確認ページにも出ません）、shown: 掲載中、ended: 掲載終了",
        }),
        warningShown: z.boolean().openapi({ description: "公開ページのお知らせに掲載中（第7-3(1)）" }),
      }),
    ),
    contacts: z.array(
      z.object({ organisation: z.string(), contactedAt: z.string(), person: z.string(), note: z.string() }),
    ),
    posts: z.array(
      z.object({
        postId: z.number().int(),
        draftKind: z.string(),
        status: z.string(),
        accountId: z.number().int(),
        publishedAt: z.string().nullable(),
      }),
    ),
    claim: z.object({ claim: z.string(), where: z.string() }).nullable(),
    notice: z.object({ title: z.string(), text: z.string(), until: z.string().nullable() }).nullable(),
    statement: z.object({
      expected: z.boolean(),
      dueAt: z.string(),
      madeAt: z.string().nullable(),
      overdue: z.boolean(),
    }),
    awaitingAcknowledgement: z.boolean(),
    can: z.object({
      respond: z.boolean().openapi({
        description:
          "対応する（報告の受付、手順の割り当て、深刻度・状態、公開ページの文面。アカウント管理者・総合政策部長・情報統括管理者と、その指名を受けて手順を担当する職員、第7）",
      }),
      inform: z.boolean().openapi({
        description: "情報を加える（なりすましアカウント・誤った情報の記録。対応する職員と報告した職員）",
      }),
      note: z.boolean(),
      close: z.boolean(),
    }),
  })
  .openapi("IncidentDetail");

function detailDto(d: IncidentDetail) {
  return {
    item: incidentDto(d.incident),
    steps: d.steps.map((s) => ({
      id: s.id,
      key: s.stepKey,
      title: s.title,
      detail: s.detail,
      clause: s.clause,
      optional: s.optional,
      ownerId: s.ownerId,
      ownerName: s.ownerName,
      dueAt: iso(s.dueAt),
      overdue: s.overdue,
      doneAt: iso(s.doneAt),
      doneBy: s.doneBy,
      note: s.note,
      actionable: s.actionable,
    })),
    events: d.events.map((e) => ({
      kind: e.kind,
      note: e.note,
      at: e.at.toISOString(),
      actorId: e.actorId,
      actorName: e.actorName,
    })),
    attachments: d.attachments.map((a) => ({
      id: a.id,
      filename: a.filename,
      contentType: a.contentType,
      size: a.size,
      description: a.description,
      createdAt: a.createdAt.toISOString(),
    })),
    hijack: d.hijack
      ? {
          accountId: d.hijack.accountId,
          compromisedSince: d.hijack.compromisedSince.toISOString(),
          state: d.hijack.state,
          notice: d.hijack.notice,
          markingPublishedAt: iso(d.hijack.markingPublishedAt),
          reportState: d.hijack.reportState,
          directorReportedAt: iso(d.hijack.directorReportedAt),
          directorConfirmedAt: iso(d.hijack.directorConfirmedAt),
          recoveredAt: iso(d.hijack.recoveredAt),
          recoveryProblems: d.hijack.credentials.problems.map((p) => p.message),
        }
      : null,
    impersonations: d.impersonations.map((i) => ({
      id: i.id,
      platform: i.platform,
      url: i.url,
      handle: i.handle,
      takedownRequestedAt: iso(i.takedownRequestedAt),
      takedownReference: i.takedownReference,
      platformAnswer: i.platformAnswer,
      takenDownAt: iso(i.takenDownAt),
      publicWarning: i.publicWarning,
      warningPublishedAt: iso(i.warningPublishedAt),
      warningPublishedBy: i.warningPublishedBy,
      warningPublishedByName: i.warningPublishedByName,
      warningEndsAt: iso(i.warningEndsAt),
      warningState: i.warningState,
      warningShown: i.warningShown,
    })),
    contacts: d.contacts.map((k) => ({
      organisation: k.organisation,
      contactedAt: k.contactedAt.toISOString(),
      person: k.person,
      note: k.note,
    })),
    posts: d.linkedPosts.map((p) => ({
      postId: p.postId,
      draftKind: p.draftKind,
      status: p.status,
      accountId: p.accountId,
      publishedAt: iso(p.publishedAt),
    })),
    claim: d.claim ? { claim: d.claim.claim, where: d.claim.where } : null,
    notice: d.notice ? { title: d.notice.title, text: d.notice.text, until: d.notice.until } : null,
    statement: {
      expected: d.statement.expected,
      dueAt: d.statement.dueAt.toISOString(),
      madeAt: iso(d.statement.madeAt),
      overdue: d.statement.overdue,
    },
    awaitingAcknowledgement: d.awaitingAcknowledgement,
    can: d.can,
  };
}

const stepParam = idParam.extend({
  stepId: z.coerce
    .number()
    .int()
    .positive()
    .openapi({ param: { name: "stepId", in: "path" }, example: 1 }),
});
const impersonationParam = idParam.extend({
  impersonationId: z.coerce
    .number()
    .int()
    .positive()
    .openapi({ param: { name: "impersonationId", in: "path" }, example: 1 }),
});
const attachmentParam = idParam.extend({
  attachmentId: z.coerce
    .number()
    .int()
    .positive()
    .openapi({ param: { name: "attachmentId", in: "path" }, example: 1 }),
});

const attachmentBody = z.object({
  filename: z.string().min(1).max(200),
  contentBase64: z.string().openapi({ description: "ファイルの中身（base64）。PNG・JPEG・PDF、5MBまで" }),
  description: z.string().max(500).optional(),
});

const done = (summary: string) => ok(detailSchema, summary);

/**
 * A POST on one incident with a JSON body, returning the incident as it is afterwards;
 * `operationId` names it in the OpenAPI document.
 */
function action<B extends z.ZodType>(operationId: string, path: string, summary: string, body: B) {
  return createRoute({
    method: "post",
    path: `/incidents/{id}${path}`,
    operationId,
    tags,
    summary,
    request: { params: idParam, ...jsonBody(body) },
    responses: done("操作後のインシデント"),
  });
}

/** A POST on one incident without a body; `operationId` names it in the OpenAPI document. */
function plainAction(operationId: string, path: string, summary: string) {
  return createRoute({
    method: "post",
    path: `/incidents/{id}${path}`,
    operationId,
    tags,
    summary,
    request: { params: idParam },
    responses: done("操作後のインシデント"),
  });
}

const route = {
  list: createRoute({
    method: "get",
    path: "/incidents",
    operationId: "listIncidents",
    tags,
    summary:
      "インシデントの一覧（対応中のものから。総合政策部長・情報統括管理者・監査担当はすべて、ほかの職員は報告したもの・課や所管のアカウントのもの・担当するもの）",
    request: {
      query: z.object({
        status: z
          .enum(["open", "all", ...incidentStatuses])
          .optional()
          .openapi({ description: "既定 open（対応中・監視中）" }),
        type: z.enum(incidentTypes).optional(),
        severity: z.enum(incidentSeverities).optional(),
        accountId: z.coerce.number().int().positive().optional(),
        page: z.coerce.number().int().positive().optional(),
      }),
    },
    responses: ok(
      z.object({ items: z.array(incidentSchema), total: z.number().int(), page: z.number().int() }),
      "インシデント",
    ),
  }),
  report: createRoute({
    method: "post",
    path: "/incidents",
    operationId: "reportIncident",
    tags,
    summary:
      "インシデントを報告（すべての職員、第7）。アカウント管理者にタスクと通知、種類ごとの手順を開始。なりすましはURL必須。注意喚起は、報告した職員が対応する職員（アカウント管理者・総合政策部長など）であれば直ちに公開ページに掲載し、それ以外は対応する職員の確認（/publish）を待つ（第7、第7-3(1)）",
    request: jsonBody(reportInput),
    responses: created(detailSchema, "報告したインシデント"),
  }),
  get: createRoute({
    method: "get",
    path: "/incidents/{id}",
    operationId: "getIncident",
    tags,
    summary: "インシデントの詳細（手順、経過、添付、種類ごとの記録、できる操作）",
    request: { params: idParam },
    responses: ok(detailSchema, "インシデント"),
  }),
  acknowledge: plainAction(
    "acknowledgeIncident",
    "/acknowledge",
    "アカウント管理者（または対応する職員）が報告を受けたことを記録（報告のタスクが完了）。報告した職員は記録できない（第7）",
  ),
  note: action("addIncidentNote", "/notes", "メモを残す", noteInput),
  severity: action("setIncidentSeverity", "/severity", "深刻度を変更", severityInput),
  status: action("setIncidentStatus", "/status", "対応中・監視中を切り替え（終結は /close）", statusInput),
  close: action(
    "closeIncident",
    "/close",
    "振り返り（何が起きたか・今後どう改めるか、いずれも必須）を記録して終結",
    closeInput,
  ),
  statement: action(
    "recordIncidentStatement",
    "/statement",
    "システムの外で発信した公式な説明を記録（第7-2(3)）",
    statementInput,
  ),
  contact: action(
    "recordIncidentContact",
    "/contacts",
    "信用できる機関・メディアへの連絡を記録（第7-3(2)）",
    contactInput,
  ),
  claim: action("recordFalseClaim", "/claim", "誤った情報の内容と掲載場所を記録（第7-4）", claimInput),
  notice: action(
    "publishIncidentNotice",
    "/public-notice",
    "正しい情報を公開ページのお知らせに掲載（第7-4）",
    publicNoticeInput,
  ),
  noticeWithdraw: plainAction(
    "withdrawIncidentNotice",
    "/public-notice/withdraw",
    "公開ページのお知らせの掲載を終了",
  ),
  impersonation: action(
    "addImpersonation",
    "/impersonations",
    "なりすましアカウントを追加で記録（対応する職員と報告した職員）。対応する職員の記録は直ちに公開ページに注意喚起を掲載し、報告した職員の記録は確認を待つ（第7-3(1)）",
    impersonationInput,
  ),
  hijackPublish: action(
    "publishHijackMarking",
    "/hijack/publish",
    "乗っ取られたアカウントを公開ページ（公式アカウント一覧・アカウントのページ・確認・お知らせ）に「現在、不正アクセスを受けています」と表示（対応する職員のみ、第7・第7-3(1)）。不正アクセスが始まった日時を直せる",
    markingInput,
  ),
  hijackReport: plainAction(
    "reportHijackToSecurityDirector",
    "/hijack/report",
    "乗っ取りを情報統括管理者へ報告（通知とタスク。対応する職員、第4-3(3)）",
  ),
  hijackConfirm: plainAction(
    "confirmHijackReport",
    "/hijack/confirm",
    "情報統括管理者が乗っ取りの報告を確認（情報統括管理者のみ）",
  ),
  hijackRecover: action(
    "recordHijackRecovery",
    "/hijack/recover",
    "回復を記録し、公開ページの表示を終える（不正アクセス後のパスワード変更と二段階認証の記録が必要、第4-3(3)、第7-3(1)）",
    recoveryInput,
  ),
  draft: createRoute({
    method: "post",
    path: "/incidents/{id}/drafts",
    operationId: "draftIncidentPost",
    tags,
    summary:
      "テンプレートから投稿の下書きを作成（アカウントの運用に携わる職員、第3。発信には通常どおりアカウント管理者の承認が必要、第5-1(4)）",
    request: { params: idParam, ...jsonBody(draftInput) },
    responses: created(
      z.object({ postId: z.number().int(), kind: z.string(), accountId: z.number().int() }),
      "作成した下書き",
    ),
  }),
  complete: createRoute({
    method: "post",
    path: "/incidents/{id}/steps/{stepId}/complete",
    operationId: "completeIncidentStep",
    tags,
    summary: "手順の完了を記録（情報漏えいの封じ込めでは、発信済みの投稿を削除済みとして記録、第7-1）",
    request: { params: stepParam, ...jsonBody(stepCompleteInput) },
    responses: done("操作後のインシデント"),
  }),
  reopen: createRoute({
    method: "post",
    path: "/incidents/{id}/steps/{stepId}/reopen",
    operationId: "reopenIncidentStep",
    tags,
    summary: "完了した手順を未完了に戻す",
    request: { params: stepParam },
    responses: done("操作後のインシデント"),
  }),
  assign: createRoute({
    method: "post",
    path: "/incidents/{id}/steps/{stepId}/assign",
    operationId: "assignIncidentStep",
    tags,
    summary: "手順の担当者・期限を変更",
    request: { params: stepParam, ...jsonBody(stepAssignInput) },
    responses: done("操作後のインシデント"),
  }),
  takedown: createRoute({
    method: "post",
    path: "/incidents/{id}/impersonations/{impersonationId}/takedown",
    operationId: "recordTakedownRequest",
    tags,
    summary: "プラットフォームへの削除依頼を記録（日時・受付番号、第7-3(1)）",
    request: { params: impersonationParam, ...jsonBody(takedownInput) },
    responses: done("操作後のインシデント"),
  }),
  answer: createRoute({
    method: "post",
    path: "/incidents/{id}/impersonations/{impersonationId}/answer",
    operationId: "recordPlatformAnswer",
    tags,
    summary: "プラットフォームの回答と削除された日時を記録",
    request: { params: impersonationParam, ...jsonBody(answerInput) },
    responses: done("操作後のインシデント"),
  }),
  publish: createRoute({
    method: "post",
    path: "/incidents/{id}/impersonations/{impersonationId}/publish",
    operationId: "publishImpersonationWarning",
    tags,
    summary:
      "注意喚起を確認して公開ページ（お知らせ・公式アカウントの確認）に掲載（「公開する」。掲載を終了していれば再掲載。対応する職員のみ、第7・第7-3(1)）",
    request: { params: impersonationParam },
    responses: done("操作後のインシデント"),
  }),
  warning: createRoute({
    method: "post",
    path: "/incidents/{id}/impersonations/{impersonationId}/warning",
    operationId: "editImpersonationWarning",
    tags,
    summary: "公開ページの注意喚起の文面を変更（掲載中なら直ちに反映。対応する職員のみ、第7・第7-3(1)）",
    request: { params: impersonationParam, ...jsonBody(warningInput) },
    responses: done("操作後のインシデント"),
  }),
  withdraw: createRoute({
    method: "post",
    path: "/incidents/{id}/impersonations/{impersonationId}/withdraw",
    operationId: "withdrawImpersonationWarning",
    tags,
    summary: "公開ページのお知らせへの注意喚起の掲載を終了（確認ページは引き続き「なりすまし」と回答）",
    request: { params: impersonationParam },
    responses: done("操作後のインシデント"),
  }),
  attach: createRoute({
    method: "post",
    path: "/incidents/{id}/attachments",
    operationId: "addIncidentAttachment",
    tags,
    summary: "ファイルを添付（PNG・JPEG・PDF、5MBまで。種類はファイルの中身で判定）",
    request: { params: idParam, ...jsonBody(attachmentBody) },
    responses: created(z.object({ id: z.number().int() }), "添付したファイル"),
  }),
  file: createRoute({
    method: "get",
    path: "/incidents/{id}/attachments/{attachmentId}",
    operationId: "downloadIncidentAttachment",
    tags,
    summary: "添付ファイルをダウンロード",
    request: { params: attachmentParam },
    responses: {
      200: {
        content: {
          "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) },
        },
        description: "ファイル（Content-Type は PNG・JPEG・PDF のいずれか）",
      },
      ...errors,
    },
  }),
};

export function incidentsApi() {
  const r = new OpenAPIHono<AppEnv>();
  const detail = async (c: Parameters<Parameters<typeof r.openapi>[1]>[0], id: number) =>
    detailDto(await incidentDetail(c.var.app, { actor: apiActor(c), id }));

  r.openapi(route.list, async (c) => {
    const q = c.req.valid("query");
    const result = await listIncidents(c.var.app, {
      actor: apiActor(c),
      filter: {
        ...(q.status ? { status: q.status } : {}),
        ...(q.type ? { type: q.type } : {}),
        ...(q.severity ? { severity: q.severity } : {}),
        ...(q.accountId ? { accountId: q.accountId } : {}),
        ...(q.page ? { page: q.page } : {}),
      },
    });
    return c.json({ items: result.rows.map(incidentDto), total: result.total, page: result.page }, 200);
  });
  r.openapi(route.report, async (c) => {
    const incident = await reportIncident(c.var.app, { actor: apiActor(c), input: c.req.valid("json") });
    return c.json(await detail(c, incident.id), 201);
  });
  r.openapi(route.get, async (c) => c.json(await detail(c, c.req.valid("param").id), 200));

  const plain = (
    def: (typeof route)["acknowledge" | "noticeWithdraw" | "hijackReport" | "hijackConfirm"],
    run: (
      actor: ReturnType<typeof apiActor>,
      incidentId: number,
      c: Parameters<Parameters<typeof r.openapi>[1]>[0],
    ) => Promise<unknown>,
  ) =>
    r.openapi(def, async (c) => {
      const id = c.req.valid("param").id;
      await run(apiActor(c), id, c);
      return c.json(await detail(c, id), 200);
    });
  plain(route.acknowledge, (actor, incidentId, c) => acknowledgeIncident(c.var.app, { actor, incidentId }));
  plain(route.noticeWithdraw, (actor, incidentId, c) => withdrawNotice(c.var.app, { actor, incidentId }));
  plain(route.hijackReport, (actor, incidentId, c) =>
    reportHijackToDirector(c.var.app, { actor, incidentId }),
  );
  plain(route.hijackConfirm, (actor, incidentId, c) => confirmHijackReport(c.var.app, { actor, incidentId }));
  r.openapi(route.hijackPublish, async (c) => {
    const id = c.req.valid("param").id;
    await publishHijackMarking(c.var.app, { actor: apiActor(c), incidentId: id, input: c.req.valid("json") });
    return c.json(await detail(c, id), 200);
  });
  r.openapi(route.hijackRecover, async (c) => {
    const id = c.req.valid("param").id;
    await recordHijackRecovery(c.var.app, { actor: apiActor(c), incidentId: id, input: c.req.valid("json") });
    return c.json(await detail(c, id), 200);
  });

  r.openapi(route.note, async (c) => {
    const id = c.req.valid("param").id;
    await addNote(c.var.app, { actor: apiActor(c), incidentId: id, input: c.req.valid("json") });
    return c.json(await detail(c, id), 200);
  });
  r.openapi(route.severity, async (c) => {
    const id = c.req.valid("param").id;
    await changeSeverity(c.var.app, { actor: apiActor(c), incidentId: id, input: c.req.valid("json") });
    return c.json(await detail(c, id), 200);
  });
  r.openapi(route.status, async (c) => {
    const id = c.req.valid("param").id;
    await changeStatus(c.var.app, { actor: apiActor(c), incidentId: id, input: c.req.valid("json") });
    return c.json(await detail(c, id), 200);
  });
  r.openapi(route.close, async (c) => {
    const id = c.req.valid("param").id;
    await closeIncident(c.var.app, { actor: apiActor(c), incidentId: id, input: c.req.valid("json") });
    return c.json(await detail(c, id), 200);
  });
  r.openapi(route.statement, async (c) => {
    const id = c.req.valid("param").id;
    await recordStatement(c.var.app, { actor: apiActor(c), incidentId: id, input: c.req.valid("json") });
    return c.json(await detail(c, id), 200);
  });
  r.openapi(route.contact, async (c) => {
    const id = c.req.valid("param").id;
    await recordContact(c.var.app, { actor: apiActor(c), incidentId: id, input: c.req.valid("json") });
    return c.json(await detail(c, id), 200);
  });
  r.openapi(route.claim, async (c) => {
    const id = c.req.valid("param").id;
    await recordClaim(c.var.app, { actor: apiActor(c), incidentId: id, input: c.req.valid("json") });
    return c.json(await detail(c, id), 200);
  });
  r.openapi(route.notice, async (c) => {
    const id = c.req.valid("param").id;
    await publishNotice(c.var.app, { actor: apiActor(c), incidentId: id, input: c.req.valid("json") });
    return c.json(await detail(c, id), 200);
  });
  r.openapi(route.impersonation, async (c) => {
    const id = c.req.valid("param").id;
    await addImpersonation(c.var.app, { actor: apiActor(c), incidentId: id, input: c.req.valid("json") });
    return c.json(await detail(c, id), 200);
  });
  r.openapi(route.draft, async (c) => {
    const draft = await draftIncidentPost(c.var.app, {
      actor: apiActor(c),
      incidentId: c.req.valid("param").id,
      input: c.req.valid("json"),
    });
    return c.json({ postId: draft.post.id, kind: draft.kind, accountId: draft.accountId }, 201);
  });
  r.openapi(route.complete, async (c) => {
    const p = c.req.valid("param");
    await completeStep(c.var.app, {
      actor: apiActor(c),
      incidentId: p.id,
      stepId: p.stepId,
      input: c.req.valid("json"),
    });
    return c.json(await detail(c, p.id), 200);
  });
  r.openapi(route.reopen, async (c) => {
    const p = c.req.valid("param");
    await reopenStep(c.var.app, { actor: apiActor(c), incidentId: p.id, stepId: p.stepId });
    return c.json(await detail(c, p.id), 200);
  });
  r.openapi(route.assign, async (c) => {
    const p = c.req.valid("param");
    await assignStep(c.var.app, {
      actor: apiActor(c),
      incidentId: p.id,
      stepId: p.stepId,
      input: c.req.valid("json"),
    });
    return c.json(await detail(c, p.id), 200);
  });
  r.openapi(route.takedown, async (c) => {
    const p = c.req.valid("param");
    await recordTakedown(c.var.app, {
      actor: apiActor(c),
      incidentId: p.id,
      impersonationId: p.impersonationId,
      input: c.req.valid("json"),
    });
    return c.json(await detail(c, p.id), 200);
  });
  r.openapi(route.answer, async (c) => {
    const p = c.req.valid("param");
    await recordTakedownAnswer(c.var.app, {
      actor: apiActor(c),
      incidentId: p.id,
      impersonationId: p.impersonationId,
      input: c.req.valid("json"),
    });
    return c.json(await detail(c, p.id), 200);
  });
  r.openapi(route.publish, async (c) => {
    const p = c.req.valid("param");
    await publishWarning(c.var.app, {
      actor: apiActor(c),
      incidentId: p.id,
      impersonationId: p.impersonationId,
    });
    return c.json(await detail(c, p.id), 200);
  });
  r.openapi(route.warning, async (c) => {
    const p = c.req.valid("param");
    await updateWarning(c.var.app, {
      actor: apiActor(c),
      incidentId: p.id,
      impersonationId: p.impersonationId,
      input: c.req.valid("json"),
    });
    return c.json(await detail(c, p.id), 200);
  });
  r.openapi(route.withdraw, async (c) => {
    const p = c.req.valid("param");
    await withdrawWarning(c.var.app, {
      actor: apiActor(c),
      incidentId: p.id,
      impersonationId: p.impersonationId,
    });
    return c.json(await detail(c, p.id), 200);
  });
  r.openapi(route.attach, async (c) => {
    const body = c.req.valid("json");
    const id = await addAttachment(c.var.app, {
      actor: apiActor(c),
      incidentId: c.req.valid("param").id,
      file: { filename: body.filename, bytes: new Uint8Array(Buffer.from(body.contentBase64, "base64")) },
      input: { description: body.description },
    });
    return c.json({ id }, 201);
  });
  r.openapi(route.file, async (c) => {
    const p = c.req.valid("param");
    const file = await attachmentFile(c.var.app, {
      actor: apiActor(c),
      incidentId: p.id,
      attachmentId: p.attachmentId,
    });
    const ascii = file.filename.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
    c.header(
      "Content-Disposition",
      `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
    );
    return c.body(Buffer.from(file.bytes), 200, { "Content-Type": file.contentType });
  });
  return r;
}
