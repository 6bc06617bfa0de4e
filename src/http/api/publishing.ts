/**
 * JSON API twins of the publishing pages: the queue (/posts/queue), a post's publishing record
 * (/posts/{id}/publishing, with its 訂正履歴), recording publishing, correcting a publishing record
 * (/posts/{id}/publishing/correct), a new schedule time and a removal, reporting an
 * error (5.3.2) and starting the correction (5.3.3), an announcement post from an announced
 * change or closure (4.5.2), and whom to tell about a problem with a post (7). Same use cases,
 * permissions and audit entries as the pages.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { markErroneous, startCorrection } from "../../app/posts/corrections.ts";
import { recordDeletion, recordPublishing, reschedulePost } from "../../app/posts/publishing.ts";
import { correctPublishingRecord } from "../../app/posts/publishing-correct.ts";
import { draftAnnouncementPost } from "../../app/posts/publishing-drafts.ts";
import {
  incidentContact,
  type PublishingInfo,
  publishingInfo,
  publishingQueue,
  type QueueItem,
} from "../../app/posts/publishing-read.ts";
import type { Post } from "../../db/repos/posts.ts";
import { postCategories, postStatuses } from "../../domain/posts.ts";
import type { AppEnv } from "../env.ts";
import { apiActor, created, idParam, jsonBody, ok } from "./helpers.ts";
import { iso, platformFields } from "./post-fields.ts";

const recordSchema = z
  .object({
    id: z.number().int(),
    accountId: z.number().int(),
    kind: z.enum(["post", "correction"]),
    category: z.enum(postCategories),
    status: z.enum(postStatuses),
    text: z.string(),
    version: z.number().int(),
    authorId: z.number().int(),
    scheduledAt: z.string().nullable().openapi({ description: "予約日時" }),
    embargoUntil: z
      .string()
      .nullable()
      .openapi({ description: "これより前には公表できない日時（第5-2(2)②）" }),
    publishedAt: z.string().nullable(),
    publishedUrl: z.string().nullable().openapi({ description: "プラットフォーム上の投稿のURL" }),
    publishedBy: z.number().int().nullable(),
    deletedAt: z.string().nullable(),
    deletedReason: z.string().nullable(),
    erroneousAt: z.string().nullable().openapi({ description: "誤りとして報告された日時（第5-3(2)）" }),
    erroneousBy: z.number().int().nullable(),
    erroneousNote: z.string().nullable(),
    correctionDueAt: z.string().nullable().openapi({ description: "訂正の期限" }),
    correctsPostId: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "訂正の投稿が訂正する投稿（第5-3(3)）" }),
  })
  .openapi("PublishingRecord");

function recordDto(p: Post) {
  return {
    id: p.id,
    accountId: p.accountId,
    kind: p.kind === "correction" ? ("correction" as const) : ("post" as const),
    category: p.category,
    status: p.status,
    text: p.text,
    version: p.version,
    authorId: p.authorId,
    scheduledAt: iso(p.scheduledAt),
    embargoUntil: iso(p.embargoUntil),
    ...platformFields(p),
    correctionDueAt: iso(p.correctionDueAt),
    correctsPostId: p.correctsPostId,
  };
}

const correctionRefSchema = z.object({
  id: z.number().int(),
  publishedAt: z.string().nullable(),
  publishedUrl: z.string().nullable(),
});

const historySchema = z
  .object({
    seq: z.number().int(),
    correctedAt: z.string(),
    correctedBy: z.number().int(),
    correctedByName: z.string().nullable(),
    publishedAtBefore: z.string().nullable(),
    publishedAtAfter: z.string().nullable(),
    publishedUrlBefore: z.string().nullable(),
    publishedUrlAfter: z.string().nullable(),
    reason: z.string(),
  })
  .openapi("PublishingRecordCorrection");

const infoSchema = z
  .object({
    item: recordSchema,
    publishedByName: z.string().nullable(),
    erroneous: z
      .object({
        at: z.string(),
        byName: z.string().nullable(),
        note: z.string(),
        dueAt: z.string().nullable(),
        answered: z.boolean().openapi({ description: "報告の後に訂正の投稿が発信された" }),
        overdue: z.boolean(),
      })
      .nullable(),
    corrected: z.boolean().openapi({ description: "訂正あり（訂正の投稿が発信されている）" }),
    publishedCorrections: z.array(correctionRefSchema),
    corrections: z.array(z.object({ id: z.number().int(), status: z.enum(postStatuses) })),
    correctsPostId: z.number().int().nullable(),
    reminderOpen: z.boolean(),
    overdueSchedule: z.boolean(),
    actions: z.object({
      recordPublishing: z.boolean(),
      recordUrl: z.boolean(),
      reschedule: z.boolean(),
      recordDeletion: z.boolean(),
      markErroneous: z.boolean(),
      startCorrection: z.boolean(),
      correctRecord: z.boolean().openapi({ description: "発信の記録を訂正できる（アカウント管理者）" }),
    }),
    history: z.array(historySchema).openapi({ description: "発信の記録の訂正履歴（古い順）" }),
    urlScope: z.enum(["account", "host"]).openapi({
      description:
        "account: URLに含まれるアカウント名がこのアカウントのものか確認する。host: URLにアカウント名が含まれないため、ホストと形式だけを確認する（Instagram、YouTube、LINE VOOM など）",
    }),
    urlNote: z.string().openapi({ description: "URLについてシステムが確認すること・できないこと" }),
    urlRequired: z.boolean().openapi({ description: "false: 公開されたURLのない投稿（LINEのメッセージ）" }),
    earliest: z.object({ at: z.string(), what: z.string() }).nullable().openapi({
      description: "発信した日時はこれ以降（承認、事後報告では発信した版の保存など）から現在まで",
    }),
  })
  .openapi("PublishingInfo");

function infoDto(info: PublishingInfo) {
  return {
    item: recordDto(info.post),
    publishedByName: info.publishedByName,
    erroneous: info.erroneous
      ? {
          at: info.erroneous.at.toISOString(),
          byName: info.erroneous.byName,
          note: info.erroneous.note,
          dueAt: iso(info.erroneous.dueAt),
          answered: info.erroneous.answered,
          overdue: info.erroneous.overdue,
        }
      : null,
    corrected: info.published.length > 0,
    publishedCorrections: info.published.map((c) => ({
      id: c.id,
      publishedAt: iso(c.publishedAt),
      publishedUrl: c.publishedUrl,
    })),
    corrections: info.corrections.map((c) => ({ id: c.id, status: c.status })),
    correctsPostId: info.post.correctsPostId,
    reminderOpen: info.reminderOpen,
    overdueSchedule: info.overdueSchedule,
    actions: info.actions,
    history: info.history.map((h) => ({
      seq: h.seq,
      correctedAt: h.correctedAt.toISOString(),
      correctedBy: h.correctedBy,
      correctedByName: h.correctedByName,
      publishedAtBefore: iso(h.publishedAtBefore),
      publishedAtAfter: iso(h.publishedAtAfter),
      publishedUrlBefore: h.publishedUrlBefore,
      publishedUrlAfter: h.publishedUrlAfter,
      reason: h.reason,
    })),
    urlScope: info.urlScope,
    urlNote: info.urlNote,
    urlRequired: info.urlRequired,
    earliest: info.earliest ? { at: info.earliest.at.toISOString(), what: info.earliest.what } : null,
  };
}

const queueItemSchema = z
  .object({
    item: recordSchema,
    accountName: z.string(),
    platform: z.string(),
    authorName: z.string(),
    overdue: z.boolean().openapi({ description: "予約日時を過ぎている" }),
    correctedBy: z.number().int().nullable().openapi({ description: "訂正あり: 訂正の投稿のID" }),
  })
  .openapi("PublishingQueueItem");

function queueItemDto(p: QueueItem) {
  return {
    item: recordDto(p),
    accountName: p.accountName,
    platform: p.platform,
    authorName: p.authorName,
    overdue: p.overdue,
    correctedBy: p.corrected?.id ?? null,
  };
}

const dateTime = (description: string) =>
  z.string().optional().openapi({ description, example: "2026-12-05T10:00:00+09:00" });

const tags = ["publishing"];

const route = {
  queue: createRoute({
    method: "get",
    path: "/posts/queue",
    operationId: "listPublishingQueue",
    tags,
    summary:
      "発信予定と記録待ちの投稿: 予約日時のある承認済み（予定時刻を過ぎたものが先頭）、予約なしの承認済み、URL未記録の事後報告（第5-1(4)①〜④）、訂正待ち（第5-3(2)）、告知の投稿がない周知中の変更・廃止",
    responses: ok(
      z.object({
        scheduled: z.array(queueItemSchema),
        unscheduled: z.array(queueItemSchema),
        withoutUrl: z.array(queueItemSchema),
        awaitingCorrection: z.array(queueItemSchema),
        announcements: z.array(
          z.object({
            noticeId: z.number().int(),
            accountId: z.number().int(),
            accountName: z.string(),
            kind: z.string(),
            effectiveDate: z.string(),
            canDraft: z.boolean(),
          }),
        ),
      }),
      "一覧",
    ),
  }),
  info: createRoute({
    method: "get",
    path: "/posts/{id}/publishing",
    operationId: "getPublishing",
    tags,
    summary: "投稿の発信の記録（予約、発信、削除、誤りの報告、訂正）と、次にできる操作",
    request: { params: idParam },
    responses: ok(infoSchema, "発信の記録"),
  }),
  publish: createRoute({
    method: "post",
    path: "/posts/{id}/publish",
    operationId: "recordPublication",
    tags,
    summary:
      "発信を記録（承認済みの投稿、または事後報告で発信済みでURL未記録の投稿）。URLはこのアカウントの投稿のURL（別のアカウントの投稿は不可。LINEのメッセージは省略可）。日時は承認（事後報告では発信した版の保存またはその場での確認）から現在まで、省略時は現在",
    request: {
      params: idParam,
      ...jsonBody(
        z.object({
          url: z
            .string()
            .optional()
            .openapi({ example: "https://x.com/iwaki_city/status/1860000000000000001" }),
          publishedAt: dateTime("発信した日時（省略時は現在）"),
        }),
      ),
    },
    responses: ok(z.object({ item: recordSchema }), "記録した投稿"),
  }),
  correct: createRoute({
    method: "post",
    path: "/posts/{id}/publishing/correct",
    operationId: "correctPublication",
    tags,
    summary:
      "発信の記録（発信日時・URL）を訂正（アカウント管理者。理由は必須。訂正前の値は訂正履歴に残ります。値の確認は発信の記録と同じ）",
    request: {
      params: idParam,
      ...jsonBody(
        z.object({
          publishedAt: dateTime("正しい発信日時（省略時は変更なし）"),
          url: z.string().optional().openapi({ description: "正しいURL（省略時は変更なし）" }),
          reason: z.string().openapi({ example: "発信した投稿を取り違えて記録していたため" }),
        }),
      ),
    },
    responses: ok(
      z.object({ item: recordSchema, history: z.array(historySchema) }),
      "訂正した投稿と訂正履歴",
    ),
  }),
  schedule: createRoute({
    method: "post",
    path: "/posts/{id}/schedule",
    operationId: "schedulePost",
    tags,
    summary: "承認済みの投稿の予約日時を変更（null で取消。承認はそのまま有効）",
    request: {
      params: idParam,
      ...jsonBody(
        z.object({
          scheduledAt: z.string().nullable().optional().openapi({ example: "2026-12-05T10:00:00+09:00" }),
        }),
      ),
    },
    responses: ok(z.object({ item: recordSchema }), "更新した投稿"),
  }),
  delete: createRoute({
    method: "post",
    path: "/posts/{id}/delete",
    operationId: "recordPostDeletion",
    tags,
    summary: "プラットフォームから削除したことを理由とともに記録（投稿の記録は削除済みとして残ります）",
    request: {
      params: idParam,
      ...jsonBody(z.object({ reason: z.string(), deletedAt: dateTime("削除した日時（省略時は現在）") })),
    },
    responses: ok(z.object({ item: recordSchema }), "記録した投稿"),
  }),
  erroneous: createRoute({
    method: "post",
    path: "/posts/{id}/erroneous",
    operationId: "reportErroneousPost",
    tags,
    summary:
      "発信済みの投稿を誤りとして報告（第5-3(2)。投稿を見られる職員なら誰でも）。作成者とアカウント管理者に訂正のタスクが届きます",
    request: { params: idParam, ...jsonBody(z.object({ note: z.string() })) },
    responses: ok(
      z.object({ item: recordSchema, taskIds: z.array(z.number().int()) }),
      "報告した投稿と訂正のタスク",
    ),
  }),
  correction: createRoute({
    method: "post",
    path: "/posts/{id}/correction",
    operationId: "draftCorrection",
    tags,
    summary:
      "誤りとして報告された投稿の訂正の下書きを作成（運用に携わる職員。第5-3(3)の確認付き。text 省略時は【訂正】と元の本文から作成。作成中の訂正があればそれを返します）",
    request: { params: idParam, ...jsonBody(z.object({ text: z.string().optional() })) },
    responses: created(z.object({ item: recordSchema, created: z.boolean() }), "訂正の投稿"),
  }),
  announcement: createRoute({
    method: "post",
    path: "/notices/{id}/announcement-post",
    operationId: "draftNoticeAnnouncementPost",
    tags,
    summary:
      "周知中の変更・廃止の告知文から投稿の下書きを作成（運用に携わる職員、第4-5(2)。作成済みならその投稿を返します）",
    request: { params: idParam },
    responses: created(z.object({ postId: z.number().int(), created: z.boolean() }), "告知の投稿"),
  }),
  contact: createRoute({
    method: "get",
    path: "/posts/{id}/incident-contact",
    operationId: "getIncidentContact",
    tags,
    summary: "投稿について問題が起きたときの報告先（アカウント管理者、第7）",
    request: { params: idParam },
    responses: ok(
      z.object({
        postId: z.number().int(),
        accountName: z.string(),
        manager: z.object({ name: z.string(), email: z.string() }).nullable(),
      }),
      "報告先",
    ),
  }),
};

export function publishingApi() {
  const r = new OpenAPIHono<AppEnv>();
  r.openapi(route.queue, async (c) => {
    const q = await publishingQueue(c.var.app, { actor: apiActor(c) });
    return c.json(
      {
        scheduled: q.scheduled.map(queueItemDto),
        unscheduled: q.unscheduled.map(queueItemDto),
        withoutUrl: q.withoutUrl.map(queueItemDto),
        awaitingCorrection: q.awaitingCorrection.map(queueItemDto),
        announcements: q.announcements.map((n) => ({
          noticeId: n.noticeId,
          accountId: n.accountId,
          accountName: n.accountName,
          kind: n.kind,
          effectiveDate: n.effectiveDate,
          canDraft: n.canDraft,
        })),
      },
      200,
    );
  });
  r.openapi(route.info, async (c) => {
    const info = await publishingInfo(c.var.app, { actor: apiActor(c), postId: c.req.valid("param").id });
    return c.json(infoDto(info), 200);
  });
  const records = [
    [route.publish, recordPublishing],
    [route.schedule, reschedulePost],
    [route.delete, recordDeletion],
  ] as const;
  for (const [definition, work] of records) {
    r.openapi(definition, async (c) => {
      const post = await work(c.var.app, {
        actor: apiActor(c),
        postId: c.req.valid("param").id,
        input: c.req.valid("json"),
      });
      return c.json({ item: recordDto(post) }, 200);
    });
  }
  r.openapi(route.correct, async (c) => {
    const actor = apiActor(c);
    const postId = c.req.valid("param").id;
    const post = await correctPublishingRecord(c.var.app, { actor, postId, input: c.req.valid("json") });
    const info = await publishingInfo(c.var.app, { actor, postId });
    return c.json({ item: recordDto(post), history: infoDto(info).history }, 200);
  });
  r.openapi(route.erroneous, async (c) => {
    const mark = await markErroneous(c.var.app, {
      actor: apiActor(c),
      postId: c.req.valid("param").id,
      input: c.req.valid("json"),
    });
    return c.json({ item: recordDto(mark.post), taskIds: mark.taskIds }, 200);
  });
  r.openapi(route.correction, async (c) => {
    const start = await startCorrection(c.var.app, {
      actor: apiActor(c),
      postId: c.req.valid("param").id,
      input: c.req.valid("json"),
    });
    return c.json({ item: recordDto(start.post), created: start.created }, 201);
  });
  r.openapi(route.announcement, async (c) => {
    const draft = await draftAnnouncementPost(c.var.app, {
      actor: apiActor(c),
      noticeId: c.req.valid("param").id,
    });
    return c.json(draft, 201);
  });
  r.openapi(route.contact, async (c) => {
    const contact = await incidentContact(c.var.app, { actor: apiActor(c), postId: c.req.valid("param").id });
    return c.json(
      { postId: contact.post.id, accountName: contact.post.accountName, manager: contact.manager },
      200,
    );
  });
  return r;
}
