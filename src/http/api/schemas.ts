/**
 * Response shapes of the JSON API (documented in /api/v1/openapi.json) and the functions that
 * turn records into them. Dates are ISO 8601 strings (UTC instants) or YYYY-MM-DD (plain dates).
 */

import { z } from "@hono/zod-openapi";
import type { Department, Division, Position } from "../../db/repos/org.ts";
import type { ActingRow, RoleAssignment, StaffView, Transfer } from "../../db/repos/staff.ts";
import { auditActionLabel } from "../../domain/audit-actions.ts";
import type { AuditEntryRecord } from "../../domain/audit-chain.ts";
import { describeAuditEntry } from "../../domain/audit-summary.ts";
import type { RoleGrant } from "../../domain/roles.ts";

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "validation" }),
      message: z.string().openapi({ example: "氏名を入力してください。" }),
      fields: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    }),
  })
  .openapi("Error");

export const departmentSchema = z
  .object({ id: z.number().int(), code: z.string(), name: z.string(), kana: z.string(), active: z.boolean() })
  .openapi("Department");

export const divisionSchema = z
  .object({
    id: z.number().int(),
    departmentId: z.number().int(),
    code: z.string(),
    name: z.string(),
    kana: z.string(),
    active: z.boolean(),
  })
  .openapi("Division");

export const positionSchema = z
  .object({
    id: z.number().int(),
    code: z.string(),
    name: z.string(),
    rank: z.number().int(),
    headOf: z.enum(["none", "department", "division"]),
  })
  .openapi("Position");

export const staffSchema = z
  .object({
    id: z.number().int(),
    employeeNo: z.string(),
    name: z.string(),
    kana: z.string(),
    email: z.string(),
    departmentId: z.number().int(),
    departmentName: z.string(),
    divisionId: z.number().int().nullable(),
    divisionName: z.string().nullable(),
    positionId: z.number().int(),
    positionName: z.string(),
    active: z.boolean(),
  })
  .openapi("Staff");

export const grantSchema = z
  .object({
    role: z.string(),
    scope: z.object({ type: z.enum(["global", "department", "division"]), id: z.number().int().optional() }),
    derived: z.boolean().openapi({
      description:
        "true when the role follows from the post (部長, 課長, 総合政策部長, 総務部長; 4.1.2, 4.1.4), held or stood in for",
    }),
    acting: z.object({ forStaffId: z.number().int(), until: z.string() }).optional().openapi({
      description: "while standing in for a post holder (職務代理・事務取扱): whom, and the last day",
    }),
  })
  .openapi("RoleGrant");

export const assignmentSchema = z
  .object({
    id: z.number().int(),
    staffId: z.number().int(),
    role: z.string(),
    scopeType: z.string(),
    scopeId: z.number().int().nullable(),
    status: z.enum(["proposed", "active"]).openapi({
      description: "proposed: an oversight role (監査担当) waiting for a director's approval (9)",
    }),
    validUntil: z.string().nullable().openapi({ description: "last day the role applies (YYYY-MM-DD)" }),
    assignedBy: z.number().int().nullable(),
    approvedBy: z.number().int().nullable(),
  })
  .openapi("RoleAssignment");

export const actingSchema = z
  .object({
    id: z.number().int(),
    staffId: z.number().int().openapi({ description: "who stands in" }),
    absentStaffId: z.number().int().openapi({ description: "whom they stand in for" }),
    kind: z.enum(["deputy", "in_charge"]).openapi({ description: "deputy: 職務代理, in_charge: 事務取扱" }),
    headOf: z.enum(["department", "division"]),
    departmentId: z.number().int(),
    divisionId: z.number().int().nullable(),
    fromDate: z.string(),
    untilDate: z.string(),
    reason: z.string(),
  })
  .openapi("ActingAssignment");

export const transferSchema = z
  .object({
    id: z.number().int(),
    staffId: z.number().int(),
    effectiveDate: z.string(),
    fromDepartmentId: z.number().int().nullable(),
    fromDivisionId: z.number().int().nullable(),
    fromPositionId: z.number().int().nullable(),
    toDepartmentId: z.number().int(),
    toDivisionId: z.number().int().nullable(),
    toPositionId: z.number().int(),
    status: z.string(),
    note: z.string(),
  })
  .openapi("Transfer");

export const auditEntrySchema = z
  .object({
    seq: z.number().int(),
    at: z.string(),
    actorId: z.number().int().nullable(),
    actorLabel: z.string(),
    action: z.string(),
    actionLabel: z
      .string()
      .openapi({ description: "操作の日本語の名前（画面・CSVと同じ表）", example: "投稿の承認" }),
    targetType: z.string(),
    targetId: z.string().nullable(),
    summary: z.unknown(),
    summaryText: z.array(z.string()).openapi({
      description: "記録の内容を文にしたもの（画面の「内容」欄と同じ）",
      example: ["版2を承認（コメントなし）"],
    }),
    prevHash: z.string(),
    hash: z.string(),
  })
  .openapi("AuditEntry");

export const apiTokenSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    prefix: z.string(),
    createdAt: z.string(),
    expiresAt: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi("ApiToken");

export const departmentDto = (d: Department) => ({
  id: d.id,
  code: d.code,
  name: d.name,
  kana: d.kana,
  active: d.active,
});
export const divisionDto = (d: Division) => ({
  id: d.id,
  departmentId: d.departmentId,
  code: d.code,
  name: d.name,
  kana: d.kana,
  active: d.active,
});
export const positionDto = (p: Position) => ({
  id: p.id,
  code: p.code,
  name: p.name,
  rank: p.rank,
  headOf: p.headOf,
});
export const staffDto = (s: StaffView) => ({
  id: s.id,
  employeeNo: s.employeeNo,
  name: s.name,
  kana: s.kana,
  email: s.email,
  departmentId: s.departmentId,
  departmentName: s.departmentName,
  divisionId: s.divisionId,
  divisionName: s.divisionName,
  positionId: s.positionId,
  positionName: s.positionName,
  active: s.active,
});
export const grantDto = (g: RoleGrant) => ({
  role: g.role,
  scope: g.scope.type === "global" ? { type: g.scope.type } : { type: g.scope.type, id: g.scope.id },
  derived: g.derived,
  ...(g.acting ? { acting: g.acting } : {}),
});
export const assignmentDto = (a: RoleAssignment) => ({
  id: a.id,
  staffId: a.staffId,
  role: a.role,
  scopeType: a.scopeType,
  scopeId: a.scopeId,
  status: a.status === "proposed" ? ("proposed" as const) : ("active" as const),
  validUntil: a.validUntil,
  assignedBy: a.assignedBy,
  approvedBy: a.approvedBy,
});
export const actingDto = (a: ActingRow) => ({
  id: a.id,
  staffId: a.staffId,
  absentStaffId: a.absentStaffId,
  kind: a.kind === "in_charge" ? ("in_charge" as const) : ("deputy" as const),
  headOf: a.headOf === "division" ? ("division" as const) : ("department" as const),
  departmentId: a.departmentId,
  divisionId: a.divisionId,
  fromDate: a.fromDate,
  untilDate: a.untilDate,
  reason: a.reason,
});
export const transferDto = (t: Transfer) => ({
  id: t.id,
  staffId: t.staffId,
  effectiveDate: t.effectiveDate,
  fromDepartmentId: t.fromDepartmentId,
  fromDivisionId: t.fromDivisionId,
  fromPositionId: t.fromPositionId,
  toDepartmentId: t.toDepartmentId,
  toDivisionId: t.toDivisionId,
  toPositionId: t.toPositionId,
  status: t.status,
  note: t.note,
});
export const auditEntryDto = (e: AuditEntryRecord) => ({
  ...e,
  actionLabel: auditActionLabel(e.action),
  summaryText: describeAuditEntry(e),
});
