/**
 * /council: the JSON twins of the council pages (6) — the roster with its flags, naming and
 * removing a department's member, meetings with agenda and minutes, attachments (the file as
 * the request body, checked by its first bytes; downloaded as it was stored), and the rules'
 * versions with what changed.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import {
  attachToMeeting,
  createMeeting,
  downloadAttachment,
  getMeeting,
  listMeetings,
  meetingInput,
  removeAttachment,
  updateMeeting,
} from "../../app/council/meetings.ts";
import { councilRoster, designateInput, designateMember, removeMember } from "../../app/council/roster.ts";
import { adoptRules, getRulesVersion, listRulesVersions, rulesInput } from "../../app/council/rules.ts";
import type { AttachmentInfo, CouncilMeeting, CouncilRulesVersion } from "../../db/repos/council.ts";
import { contentDisposition, MAX_ATTACHMENT_BYTES } from "../../domain/attachments.ts";
import { AppError } from "../../errors.ts";
import type { AppEnv } from "../env.ts";
import { apiActor, created, idParam, jsonBody, ok } from "./helpers.ts";

const tags = ["council"];

const personSchema = z.object({
  staffId: z.number().int(),
  name: z.string(),
  active: z.boolean(),
  divisionId: z.number().int().nullable(),
  divisionName: z.string().nullable(),
  positionName: z.string(),
});

const seatSchema = z
  .object({
    divisionId: z.number().int(),
    divisionName: z.string(),
    departmentId: z.number().int(),
    departmentName: z.string(),
    accounts: z
      .number()
      .int()
      .openapi({ description: "取得済み・申請中のアカウント数（却下・運用終了を除く）" }),
    required: z.boolean().openapi({ description: "出席者が必要な課等か（第6-2）" }),
    state: z.enum(["ok", "missing", "stale", "extra"]).openapi({
      description:
        "ok: 出席者あり（課等の長、または指名された担当者）、missing: 出席者なし（要対応）、stale: 指名された担当者が異動等（要再指名）、extra: アカウントなし",
    }),
    source: z
      .enum(["designated", "head"])
      .nullable()
      .openapi({ description: "designated: 指名された担当者、head: 課等の長（アカウント管理者）" }),
    seated: personSchema.nullable().openapi({ description: "出席する職員" }),
    head: personSchema.nullable().openapi({ description: "課等の長（空席なら null）" }),
    member: personSchema
      .extend({ designatedAt: z.string() })
      .nullable()
      .openapi({ description: "指名された担当者" }),
  })
  .openapi("CouncilSeat");

const meetingSchema = z
  .object({
    id: z.number().int(),
    heldOn: z.string(),
    title: z.string(),
    agenda: z.string(),
    minutes: z.string(),
    createdBy: z.number().int().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("CouncilMeeting");

const attachmentSchema = z
  .object({
    id: z.number().int(),
    meetingId: z.number().int(),
    filename: z.string(),
    contentType: z.string(),
    size: z.number().int(),
    uploadedBy: z.number().int().nullable(),
    createdAt: z.string(),
  })
  .openapi("CouncilAttachment");

const rulesSchema = z
  .object({
    version: z.number().int(),
    text: z.string(),
    adoptedOn: z.string(),
    changeSummary: z.string(),
    createdBy: z.number().int().nullable(),
    createdAt: z.string(),
  })
  .openapi("CouncilRules");

const meetingDto = (m: CouncilMeeting) => ({
  id: m.id,
  heldOn: m.heldOn,
  title: m.title,
  agenda: m.agenda,
  minutes: m.minutes,
  createdBy: m.createdBy,
  createdAt: m.createdAt.toISOString(),
  updatedAt: m.updatedAt.toISOString(),
});

const attachmentDto = (a: AttachmentInfo) => ({
  id: a.id,
  meetingId: a.meetingId,
  filename: a.filename,
  contentType: a.contentType,
  size: a.size,
  uploadedBy: a.uploadedBy,
  createdAt: a.createdAt.toISOString(),
});

const rulesDto = (r: CouncilRulesVersion | Omit<CouncilRulesVersion, "createdByName">) => ({
  version: r.version,
  text: r.text,
  adoptedOn: r.adoptedOn,
  changeSummary: r.changeSummary,
  createdBy: r.createdBy,
  createdAt: r.createdAt.toISOString(),
});

const divisionParam = z.object({
  divisionId: z.coerce
    .number()
    .int()
    .positive()
    .openapi({ param: { name: "divisionId", in: "path" }, example: 1 }),
});
const attachmentParams = z.object({
  id: idParam.shape.id,
  attachmentId: z.coerce
    .number()
    .int()
    .positive()
    .openapi({ param: { name: "attachmentId", in: "path" }, example: 1 }),
});
const versionParam = z.object({
  version: z.coerce
    .number()
    .int()
    .positive()
    .openapi({ param: { name: "version", in: "path" }, example: 1 }),
});

const route = {
  roster: createRoute({
    method: "get",
    path: "/council",
    operationId: "listCouncilMembers",
    tags,
    summary:
      "協議会のメンバー（アカウントを取得・申請している課等ごとに、課等の長または指名された担当者。出席者のいない課等を示します。第6-2）",
    responses: ok(z.object({ items: z.array(seatSchema) }), "課等ごとの出席者"),
  }),
  designate: createRoute({
    method: "put",
    path: "/council/members/{divisionId}",
    operationId: "nameCouncilMember",
    tags,
    summary:
      "課等の長に代わって出席する担当者を指名（その課等の長（アカウント管理者）、部等の長（情報管理者）、またはシステム管理者）",
    request: { params: divisionParam, ...jsonBody(designateInput) },
    responses: ok(z.object({ divisionId: z.number().int(), staffId: z.number().int() }), "指名しました"),
  }),
  remove: createRoute({
    method: "delete",
    path: "/council/members/{divisionId}",
    operationId: "removeCouncilMember",
    tags,
    summary: "担当者の指名を取り消す（課等の長が出席者に戻ります）",
    request: { params: divisionParam },
    responses: ok(z.object({ ok: z.literal(true) }), "取り消しました"),
  }),
  meetings: createRoute({
    method: "get",
    path: "/council/meetings",
    operationId: "listCouncilMeetings",
    tags,
    summary: "会議の一覧（新しい順）",
    responses: ok(z.object({ items: z.array(meetingSchema) }), "会議"),
  }),
  meeting: createRoute({
    method: "get",
    path: "/council/meetings/{id}",
    operationId: "getCouncilMeeting",
    tags,
    summary: "会議（議題・議事録・添付ファイルの一覧）",
    request: { params: idParam },
    responses: ok(z.object({ item: meetingSchema, attachments: z.array(attachmentSchema) }), "会議"),
  }),
  create: createRoute({
    method: "post",
    path: "/council/meetings",
    operationId: "recordCouncilMeeting",
    tags,
    summary: "会議を記録（総合政策部長・協議会メンバー）",
    request: jsonBody(meetingInput),
    responses: created(z.object({ item: meetingSchema }), "記録した会議"),
  }),
  update: createRoute({
    method: "put",
    path: "/council/meetings/{id}",
    operationId: "updateCouncilMeeting",
    tags,
    summary: "会議の開催日・名称・議題・議事録を変更",
    request: { params: idParam, ...jsonBody(meetingInput) },
    responses: ok(z.object({ item: meetingSchema }), "変更後の会議"),
  }),
  attach: createRoute({
    method: "post",
    path: "/council/meetings/{id}/attachments",
    operationId: "addMeetingAttachment",
    tags,
    summary:
      "ファイルを添付（本文にファイルそのもの、filename にファイル名。PDF・Office・画像、10MB以下。先頭のバイトで形式を確認します）",
    request: {
      params: idParam,
      query: z.object({ filename: z.string().min(1).max(255) }),
      body: {
        content: { "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) } },
        required: true,
      },
    },
    responses: created(z.object({ item: attachmentSchema }), "添付したファイル"),
  }),
  download: createRoute({
    method: "get",
    path: "/council/meetings/{id}/attachments/{attachmentId}",
    operationId: "downloadMeetingAttachment",
    tags,
    summary: "添付ファイルをダウンロード",
    request: { params: attachmentParams },
    responses: {
      200: {
        content: { "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) } },
        description: "ファイル（登録時に確認した形式の Content-Type）",
      },
    },
  }),
  detach: createRoute({
    method: "delete",
    path: "/council/meetings/{id}/attachments/{attachmentId}",
    operationId: "removeMeetingAttachment",
    tags,
    summary: "添付ファイルを削除",
    request: { params: attachmentParams },
    responses: ok(z.object({ ok: z.literal(true) }), "削除しました"),
  }),
  rules: createRoute({
    method: "get",
    path: "/council/rules",
    operationId: "listCouncilRules",
    tags,
    summary: "協議会の規約の版の一覧（新しい順、第6-3）",
    responses: ok(z.object({ items: z.array(rulesSchema) }), "版"),
  }),
  rulesVersion: createRoute({
    method: "get",
    path: "/council/rules/{version}",
    operationId: "getCouncilRules",
    tags,
    summary: "規約の版と、前の版からの変更点",
    request: { params: versionParam },
    responses: ok(
      z.object({
        item: rulesSchema,
        previous: z.number().int().nullable(),
        segments: z.array(z.object({ kind: z.enum(["same", "removed", "added"]), text: z.string() })),
      }),
      "版",
    ),
  }),
  adopt: createRoute({
    method: "post",
    path: "/council/rules",
    operationId: "addCouncilRules",
    tags,
    summary: "規約の新しい版を登録（総合政策部長）",
    request: jsonBody(rulesInput),
    responses: created(z.object({ item: rulesSchema }), "登録した版"),
  }),
};

export function councilApi() {
  const r = new OpenAPIHono<AppEnv>();
  r.openapi(route.roster, async (c) => {
    const rows = await councilRoster(c.var.app, { actor: apiActor(c) });
    return c.json(
      {
        items: rows.map((row) => ({
          divisionId: row.divisionId,
          divisionName: row.divisionName,
          departmentId: row.departmentId,
          departmentName: row.departmentName,
          accounts: row.accounts,
          required: row.required,
          state: row.state,
          source: row.source,
          seated: row.seated,
          head: row.head,
          member: row.member ? { ...row.member, designatedAt: row.member.designatedAt.toISOString() } : null,
        })),
      },
      200,
    );
  });
  r.openapi(route.designate, async (c) => {
    const result = await designateMember(c.var.app, {
      actor: apiActor(c),
      divisionId: c.req.valid("param").divisionId,
      input: c.req.valid("json"),
    });
    return c.json({ divisionId: result.divisionId, staffId: result.staffId }, 200);
  });
  r.openapi(route.remove, async (c) => {
    await removeMember(c.var.app, { actor: apiActor(c), divisionId: c.req.valid("param").divisionId });
    return c.json({ ok: true as const }, 200);
  });
  r.openapi(route.meetings, async (c) => {
    const items = await listMeetings(c.var.app, { actor: apiActor(c) });
    return c.json({ items: items.map(meetingDto) }, 200);
  });
  r.openapi(route.meeting, async (c) => {
    const { meeting, attachments } = await getMeeting(c.var.app, {
      actor: apiActor(c),
      id: c.req.valid("param").id,
    });
    return c.json({ item: meetingDto(meeting), attachments: attachments.map(attachmentDto) }, 200);
  });
  r.openapi(route.create, async (c) => {
    const item = await createMeeting(c.var.app, { actor: apiActor(c), input: c.req.valid("json") });
    return c.json({ item: meetingDto(item) }, 201);
  });
  r.openapi(route.update, async (c) => {
    const item = await updateMeeting(c.var.app, {
      actor: apiActor(c),
      id: c.req.valid("param").id,
      input: c.req.valid("json"),
    });
    return c.json({ item: meetingDto(item) }, 200);
  });
  r.openapi(route.attach, async (c) => {
    const buffer = await c.req.arrayBuffer();
    if (buffer.byteLength > MAX_ATTACHMENT_BYTES) {
      throw new AppError(
        "validation",
        "ファイルが10MBを超えています。10MB以下のファイルを添付してください。",
      );
    }
    const item = await attachToMeeting(c.var.app, {
      actor: apiActor(c),
      meetingId: c.req.valid("param").id,
      filename: c.req.valid("query").filename,
      bytes: new Uint8Array(buffer),
    });
    return c.json({ item: attachmentDto(item) }, 201);
  });
  r.openapi(route.download, async (c) => {
    const params = c.req.valid("param");
    const file = await downloadAttachment(c.var.app, {
      actor: apiActor(c),
      meetingId: params.id,
      attachmentId: params.attachmentId,
    });
    return c.body(Buffer.from(file.bytes), 200, {
      "Content-Type": file.contentType,
      "Content-Disposition": contentDisposition(file.filename),
    });
  });
  r.openapi(route.detach, async (c) => {
    const params = c.req.valid("param");
    await removeAttachment(c.var.app, {
      actor: apiActor(c),
      meetingId: params.id,
      attachmentId: params.attachmentId,
    });
    return c.json({ ok: true as const }, 200);
  });
  r.openapi(route.rules, async (c) => {
    const items = await listRulesVersions(c.var.app, { actor: apiActor(c) });
    return c.json({ items: items.map(rulesDto) }, 200);
  });
  r.openapi(route.rulesVersion, async (c) => {
    const d = await getRulesVersion(c.var.app, { actor: apiActor(c), version: c.req.valid("param").version });
    return c.json({ item: rulesDto(d.rules), previous: d.previous, segments: d.segments }, 200);
  });
  r.openapi(route.adopt, async (c) => {
    const item = await adoptRules(c.var.app, { actor: apiActor(c), input: c.req.valid("json") });
    return c.json({ item: rulesDto(item) }, 201);
  });
  return r;
}
