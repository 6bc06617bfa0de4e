/**
 * /notices and /accounts/{id}/notices: changes and closures of official accounts (4.5), the
 * JSON twins of the 変更・廃止 pages — request, record the notification to the policy director
 * (4.5.1), read the checked announcement draft, schedule the announcement (4.5.2), record the
 * notification to the security director (4.5.1), cancel.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { accountNotices, listNoticesFor, noticeAnnouncement, noticeDetail } from "../../app/notices/read.ts";
import { noticeRequestInput, requestNotice } from "../../app/notices/request.ts";
import {
  cancelNotice,
  notifyPolicyDirector,
  recordSecurityNotification,
  scheduleAnnouncement,
  scheduleInput,
  securityNotificationInput,
} from "../../app/notices/steps.ts";
import { findingSchema } from "../../checker/index.ts";
import type { Notice } from "../../db/repos/notices.ts";
import { noticeKinds, noticeStatuses } from "../../domain/notices.ts";
import { platforms } from "../../guideline/pack.ts";
import type { AppEnv } from "../env.ts";
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
    policyDirectorNotifiedAt: z
      .string()
      .nullable()
      .openapi({ description: "総合政策部長へ届け出た記録の日時（第4-5(1)）" }),
    policyDirectorNotifiedBy: z.number().int().nullable(),
    announcementText: z.string().openapi({ description: "告知投稿の文案（チェック済み）" }),
    announcedAt: z.string().nullable(),
    effectiveAt: z.string().nullable(),
    cancelledAt: z.string().nullable(),
  })
  .openapi("AccountNotice");

const checklistSchema = z
  .array(
    z.object({
      key: z.string(),
      label: z.string(),
      clause: z.string(),
      state: z.enum(["done", "todo", "auto", "waiting", "skipped"]),
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
  };
}

const entrySchema = z.object({ item: noticeSchema, checklist: checklistSchema, security: securitySchema });
const tags = ["notices"];

const route = {
  list: createRoute({
    method: "get",
    path: "/notices",
    tags,
    summary: "変更・廃止の届出の一覧（見る権限のあるもの。総合政策部長はすべて）",
    request: { query: z.object({ status: z.enum(noticeStatuses).optional() }) },
    responses: ok(z.object({ items: z.array(noticeSchema) }), "一覧（新しい申請から）"),
  }),
  get: createRoute({
    method: "get",
    path: "/notices/{id}",
    tags,
    summary: "届出の詳細と手続きの状況",
    request: { params: idParam },
    responses: ok(entrySchema, "届出"),
  }),
  ofAccount: createRoute({
    method: "get",
    path: "/accounts/{id}/notices",
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
    tags,
    summary:
      "変更・廃止を申請（アカウント管理者。変更日・廃止日は今日周知しても一月以上先であること、第4-5(2)）",
    request: { params: idParam, ...jsonBody(noticeRequestInput) },
    responses: created(z.object({ item: noticeSchema }), "申請した届出"),
  }),
  notify: createRoute({
    method: "post",
    path: "/notices/{id}/notify-policy-director",
    tags,
    summary: "総合政策部長へ届け出たことを記録（第4-5(1)。記録するまで周知日は設定できません）",
    request: { params: idParam },
    responses: ok(z.object({ item: noticeSchema }), "更新後の届出"),
  }),
  announcement: createRoute({
    method: "get",
    path: "/notices/{id}/announcement",
    tags,
    summary: "告知投稿の文案（保存済み、またはテンプレートから作成）とチェック結果",
    request: { params: idParam },
    responses: ok(z.object({ text: z.string(), findings: z.array(findingSchema) }), "文案と指摘"),
  }),
  schedule: createRoute({
    method: "post",
    path: "/notices/{id}/schedule",
    tags,
    summary:
      "周知日を設定（今日以降。変更日・廃止日は周知日から民法の計算で一月以上後、第4-5(2)。文案に要修正の指摘があると設定できません）",
    request: { params: idParam, ...jsonBody(scheduleInput) },
    responses: ok(z.object({ item: noticeSchema }), "更新後の届出"),
  }),
  security: createRoute({
    method: "post",
    path: "/notices/{id}/security-notification",
    tags,
    summary: "情報統括管理者へ届け出たことを記録（周知後速やかに、第4-5(1)）",
    request: { params: idParam, ...jsonBody(securityNotificationInput) },
    responses: ok(
      z.object({ taskId: z.number().int(), notifiedOn: z.string(), method: z.string(), note: z.string() }),
      "記録した届出",
    ),
  }),
  cancel: createRoute({
    method: "post",
    path: "/notices/{id}/cancel",
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
    return c.json({ item: noticeDto(d.notice), checklist: d.checklist, security: d.security }, 200);
  });
  r.openapi(route.ofAccount, async (c) => {
    const page = await accountNotices(c.var.app, { actor: apiActor(c), accountId: c.req.valid("param").id });
    const items = page.entries.map((e) => ({
      item: noticeDto(e.notice),
      checklist: e.checklist,
      security: e.security,
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
    const row = await notifyPolicyDirector(c.var.app, {
      actor: apiActor(c),
      noticeId: c.req.valid("param").id,
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
    const done = await recordSecurityNotification(c.var.app, {
      actor,
      noticeId: c.req.valid("param").id,
      input: c.req.valid("json"),
    });
    return c.json(done, 200);
  });
  r.openapi(route.cancel, async (c) => {
    const row = await cancelNotice(c.var.app, { actor: apiActor(c), noticeId: c.req.valid("param").id });
    return c.json({ item: noticeDto(row) }, 200);
  });
  return r;
}
