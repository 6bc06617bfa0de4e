/**
 * /notices and /accounts/{id}/notices: changes and closures of official accounts (4.5), the
 * JSON twins of the 変更・廃止 pages — request, send the 届出 to the policy director (4.5.1; the
 * announcement can be scheduled once the director confirms it), read the checked announcement
 * draft, schedule the announcement (4.5.2), send the 届出 to the security director after the
 * announcement (4.5.1), record that the change notice was taken off the account after its year
 * (4.5.2), record the request's 文書番号・決裁日, cancel.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { documentInput, recordDocument } from "../../app/documents/record.ts";
import { fileWithPolicyDirector, fileWithSecurityDirector, filingInput } from "../../app/notices/filings.ts";
import { accountNotices, listNoticesFor, noticeAnnouncement, noticeDetail } from "../../app/notices/read.ts";
import { noticeRequestInput, requestNotice } from "../../app/notices/request.ts";
import { endKeepPosted, keepDoneInput } from "../../app/notices/sns.ts";
import { cancelNotice, scheduleAnnouncement, scheduleInput } from "../../app/notices/steps.ts";
import { findingSchema } from "../../checker/index.ts";
import type { Notice } from "../../db/repos/notices.ts";
import { noticeKinds, noticeStatuses } from "../../domain/notices.ts";
import { platforms } from "../../guideline/pack.ts";
import type { AppEnv } from "../env.ts";
import { documentDto, documentSchema, filingDto, filingSchema } from "./filings.ts";
import { apiActor, created, idParam, jsonBody, ok } from "./helpers.ts";

const noticeSchema = z
  .object({
    id: z.number().int(),
    accountId: z.number().int(),
    kind: z.enum(noticeKinds).openapi({ description: "change: 変更、closure: 廃止" }),
    status: z.enum(noticeStatuses).openapi({
      description:
        "requested: 申請済み、notified: 総合政策部長へ届出済み、scheduled: 周知予定、announced: 周知中、effective: 変更・廃止済み、cancelled: 取消",
    }),
    details: z
      .object({
        name: z.string().optional(),
        alias: z.string().optional(),
        handle: z.string().optional(),
        platform: z.enum(platforms).optional(),
        url: z.string().optional(),
      })
      .openapi({ description: "変更後の値（変わる項目だけ）。廃止では空" }),
    reason: z.string(),
    effectiveDate: z.string().openapi({ description: "変更日・廃止日（YYYY-MM-DD）" }),
    announcementDate: z.string().nullable().openapi({ description: "周知日（YYYY-MM-DD）" }),
    displayUntil: z.string().nullable().openapi({ description: "公開ページに掲載する最終日（第4-5(2)）" }),
    requestedBy: z.number().int().nullable(),
    requestedAt: z.string(),
    policyDirectorNotifiedAt: z.string().nullable().openapi({
      description: "総合政策部長へ届出を送った日時（第4-5(1)）。確認されると status が notified になります",
    }),
    policyDirectorNotifiedBy: z.number().int().nullable(),
    announcementText: z.string().openapi({ description: "告知投稿の文案（チェック済み）" }),
    announcedAt: z.string().nullable(),
    effectiveAt: z.string().nullable(),
    cancelledAt: z.string().nullable(),
    announcementPostId: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "アカウントでの告知投稿（第4-5(2)）" }),
    snsPublishedAt: z
      .string()
      .nullable()
      .openapi({ description: "告知投稿を発信した日時（発信の記録から）" }),
    snsPublishedUrl: z.string().nullable(),
  })
  .openapi("AccountNotice");

const checklistSchema = z
  .array(
    z.object({
      key: z.string(),
      label: z.string(),
      clause: z.string(),
      state: z.enum(["done", "todo", "auto", "waiting", "skipped", "late"]).openapi({
        description: "late: 期限を過ぎて行った、または期限までに行われていない",
      }),
      detail: z.string(),
    }),
  )
  .openapi("NoticeChecklist");

const securitySchema = z
  .object({
    taskId: z.number().int(),
    status: z.string(),
    dueDate: z.string().nullable(),
    notifiedOn: z.string().nullable(),
    method: z.string(),
    note: z.string(),
    doneByName: z.string().nullable(),
  })
  .nullable()
  .openapi("NoticeSecurityStep");

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function noticeDto(n: Notice) {
  return {
    id: n.id,
    accountId: n.accountId,
    kind: n.kind,
    status: n.status,
    details: n.details,
    reason: n.reason,
    effectiveDate: n.effectiveDate,
    announcementDate: n.announcementDate,
    displayUntil: n.displayUntil,
    requestedBy: n.requestedBy,
    requestedAt: n.requestedAt.toISOString(),
    policyDirectorNotifiedAt: iso(n.policyDirectorNotifiedAt),
    policyDirectorNotifiedBy: n.policyDirectorNotifiedBy,
    announcementText: n.announcementText,
    announcedAt: iso(n.announcedAt),
    effectiveAt: iso(n.effectiveAt),
    cancelledAt: iso(n.cancelledAt),
    announcementPostId: n.announcementPostId,
    snsPublishedAt: iso(n.snsPublishedAt),
    snsPublishedUrl: n.snsPublishedUrl,
  };
}

const entrySchema = z.object({
  item: noticeSchema,
  checklist: checklistSchema,
  security: securitySchema,
  filings: z
    .array(filingSchema)
    .openapi({ description: "総合政策部長・情報統括管理者への届出（すべての回、新しい順）" }),
});
const tags = ["notices"];

const route = {
  list: createRoute({
    method: "get",
    path: "/notices",
    operationId: "listNotices",
    tags,
    summary: "変更・廃止の届出の一覧（見る権限のあるもの。総合政策部長はすべて）",
    request: { query: z.object({ status: z.enum(noticeStatuses).optional() }) },
    responses: ok(z.object({ items: z.array(noticeSchema) }), "一覧（新しい申請から）"),
  }),
  get: createRoute({
    method: "get",
    path: "/notices/{id}",
    operationId: "getNotice",
    tags,
    summary: "届出の詳細と手続きの状況",
    request: { params: idParam },
    responses: ok(entrySchema, "届出"),
  }),
  ofAccount: createRoute({
    method: "get",
    path: "/accounts/{id}/notices",
    operationId: "listAccountNotices",
    tags,
    summary: "アカウントの変更・廃止の届出と手続きの状況",
    request: { params: idParam },
    responses: ok(
      z.object({
        items: z.array(entrySchema),
        requestable: z.array(z.enum(noticeKinds)).openapi({ description: "今申請できる種類" }),
      }),
      "届出（新しい申請から）",
    ),
  }),
  request: createRoute({
    method: "post",
    path: "/accounts/{id}/notices",
    operationId: "applyForNotice",
    tags,
    summary:
      "変更・廃止を申請（アカウント管理者。変更日・廃止日は今日周知しても一月以上先であること、第4-5(2)）",
    request: { params: idParam, ...jsonBody(noticeRequestInput) },
    responses: created(z.object({ item: noticeSchema }), "申請した届出"),
  }),
  notify: createRoute({
    method: "post",
    path: "/notices/{id}/notify-policy-director",
    operationId: "notifyPolicyDirectorOfNotice",
    tags,
    summary:
      "総合政策部長へ届出を送る（第4-5(1)。総合政策部長に通知され、確認されるまで周知日は設定できません）",
    request: {
      params: idParam,
      body: { content: { "application/json": { schema: filingInput } }, required: false },
    },
    responses: ok(z.object({ item: noticeSchema }), "更新後の申請"),
  }),
  announcement: createRoute({
    method: "get",
    path: "/notices/{id}/announcement",
    operationId: "getNoticeAnnouncement",
    tags,
    summary: "告知投稿の文案（保存済み、またはテンプレートから作成）とチェック結果",
    request: { params: idParam },
    responses: ok(z.object({ text: z.string(), findings: z.array(findingSchema) }), "文案と指摘"),
  }),
  schedule: createRoute({
    method: "post",
    path: "/notices/{id}/schedule",
    operationId: "scheduleNotice",
    tags,
    summary:
      "周知日を設定（今日以降。変更日・廃止日は周知日から民法の計算で一月以上後、第4-5(2)。文案に要修正の指摘があると設定できません）",
    request: { params: idParam, ...jsonBody(scheduleInput) },
    responses: ok(z.object({ item: noticeSchema }), "更新後の届出"),
  }),
  security: createRoute({
    method: "post",
    path: "/notices/{id}/security-notification",
    operationId: "notifySecurityDirectorOfNotice",
    tags,
    summary: "情報統括管理者へ届出を送る（周知後速やかに、第4-5(1)。情報統括管理者に通知されます）",
    request: {
      params: idParam,
      body: { content: { "application/json": { schema: filingInput } }, required: false },
    },
    responses: ok(z.object({ item: filingSchema }), "送った届出"),
  }),
  keepDone: createRoute({
    method: "post",
    path: "/notices/{id}/keep-done",
    operationId: "recordNoticeKeepDone",
    tags,
    summary: "変更のお知らせの掲載期間（1年程度）が終わり、アカウントから外したことを記録（第4-5(2)）",
    request: {
      params: idParam,
      body: { content: { "application/json": { schema: keepDoneInput } }, required: false },
    },
    responses: ok(z.object({ taskId: z.number().int() }), "記録"),
  }),
  document: createRoute({
    method: "post",
    path: "/notices/{id}/document",
    operationId: "recordNoticeDocument",
    tags,
    summary: "変更・廃止の申請の文書番号・決裁日を記録（訂正は理由を付けて新しい版）",
    request: { params: idParam, ...jsonBody(documentInput) },
    responses: ok(z.object({ item: documentSchema }), "記録した版"),
  }),
  cancel: createRoute({
    method: "post",
    path: "/notices/{id}/cancel",
    operationId: "cancelNotice",
    tags,
    summary:
      "変更日・廃止日の前に届出を取り消す（周知中なら公開ページから消え、アカウントは運用中に戻ります）",
    request: { params: idParam },
    responses: ok(z.object({ item: noticeSchema }), "取り消した届出"),
  }),
};

export function noticesApi() {
  const r = new OpenAPIHono<AppEnv>();
  r.openapi(route.list, async (c) => {
    const { status } = c.req.valid("query");
    const rows = await listNoticesFor(c.var.app, {
      actor: apiActor(c),
      statuses: status ? [status] : undefined,
    });
    return c.json({ items: rows.map(noticeDto) }, 200);
  });
  r.openapi(route.get, async (c) => {
    const d = await noticeDetail(c.var.app, { actor: apiActor(c), noticeId: c.req.valid("param").id });
    return c.json(
      {
        item: noticeDto(d.notice),
        checklist: d.checklist,
        security: d.security,
        filings: d.filings.map(filingDto),
      },
      200,
    );
  });
  r.openapi(route.ofAccount, async (c) => {
    const page = await accountNotices(c.var.app, { actor: apiActor(c), accountId: c.req.valid("param").id });
    const items = page.entries.map((e) => ({
      item: noticeDto(e.notice),
      checklist: e.checklist,
      security: e.security,
      filings: [...e.filings.policy, ...e.filings.security].map(filingDto),
    }));
    return c.json({ items, requestable: page.requestable }, 200);
  });
  r.openapi(route.request, async (c) => {
    const actor = apiActor(c);
    const row = await requestNotice(c.var.app, {
      actor,
      accountId: c.req.valid("param").id,
      input: c.req.valid("json"),
    });
    return c.json({ item: noticeDto(row) }, 201);
  });
  r.openapi(route.notify, async (c) => {
    const row = await fileWithPolicyDirector(c.var.app, {
      actor: apiActor(c),
      noticeId: c.req.valid("param").id,
      input: c.req.valid("json"),
    });
    return c.json({ item: noticeDto(row) }, 200);
  });
  r.openapi(route.announcement, async (c) =>
    c.json(
      await noticeAnnouncement(c.var.app, { actor: apiActor(c), noticeId: c.req.valid("param").id }),
      200,
    ),
  );
  r.openapi(route.schedule, async (c) => {
    const actor = apiActor(c);
    const row = await scheduleAnnouncement(c.var.app, {
      actor,
      noticeId: c.req.valid("param").id,
      input: c.req.valid("json"),
    });
    return c.json({ item: noticeDto(row) }, 200);
  });
  r.openapi(route.security, async (c) => {
    const actor = apiActor(c);
    const filing = await fileWithSecurityDirector(c.var.app, {
      actor,
      noticeId: c.req.valid("param").id,
      input: c.req.valid("json"),
    });
    return c.json({ item: filingDto(filing) }, 200);
  });
  r.openapi(route.keepDone, async (c) => {
    const done = await endKeepPosted(c.var.app, {
      actor: apiActor(c),
      noticeId: c.req.valid("param").id,
      input: c.req.valid("json"),
    });
    return c.json(done, 200);
  });
  r.openapi(route.document, async (c) => {
    const row = await recordDocument(c.var.app, {
      actor: apiActor(c),
      subject: { type: "notice", id: c.req.valid("param").id },
      input: c.req.valid("json"),
    });
    return c.json({ item: documentDto(row) }, 200);
  });
  r.openapi(route.cancel, async (c) => {
    const row = await cancelNotice(c.var.app, { actor: apiActor(c), noticeId: c.req.valid("param").id });
    return c.json({ item: noticeDto(row) }, 200);
  });
  return r;
}
