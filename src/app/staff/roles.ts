/**
 * Assigning guideline roles that do not follow from a post (協議先, 協議会メンバー, 運用に携わる職員,
 * システム管理者, 監査担当), and the oversight of privileged roles (9).
 *
 * - The roles a post carries (部長 → department_head, 課長 → account_manager, 総合政策部長 →
 *   policy_director, 総務部長 → security_director; 4.1.2, 4.1.4) are never assigned by hand: they
 *   follow from positions (and acting periods, app/staff/acting.ts). A request to assign one is refused.
 * - An oversight role (監査担当: reads violation records and the audit log) is proposed by the
 *   administrator with a last day, and takes effect only when the policy director or the security
 *   director approves it; neither may approve their own grant, the proposer may not approve it, and
 *   it is never given to a person who holds `admin` (nor `admin` to a person who holds it).
 * - `reconcileRoleAssignments` is the start-up step that removes stored grants of post-derived
 *   roles and turns unapproved oversight grants into proposals, each with an audit entry.
 */
import { z } from "zod";
import type { Db } from "../../db/client.ts";
import { namesOf } from "../../db/repos/credentials.ts";
import * as org from "../../db/repos/org.ts";
import * as repo from "../../db/repos/staff.ts";
import { addDays, tokyoDate } from "../../domain/dates.ts";
import {
  actingInEffect,
  allowedScopes,
  assignmentInEffect,
  derivedGrants,
  isDerivedRole,
  isOversightRole,
  isRole,
  type Offices,
  privilegedRoles,
  type Role,
  roleLabels,
  roles,
} from "../../domain/roles.ts";
import { conflict, isUniqueViolation, notFound, validation } from "../../errors.ts";
import { change } from "../audit/record.ts";
import { allowed, authorize, refuse } from "../authorize.ts";
import { type Actor, type AppContext, actorId, systemActor } from "../context.ts";
import { idOf, optionalIdOf, parse, plainDate } from "../validate.ts";
import { grantsOf, holdersOf, offices } from "./role-grants.ts";

export const assignmentInput = z.object({
  staffId: idOf("職員"),
  role: z.enum(roles, { error: "役割を選択してください。" }),
  scopeType: z
    .enum(["global", "department", "division"], { error: "適用範囲を選択してください。" })
    .default("global"),
  scopeId: optionalIdOf("適用範囲の部・課"),
  /** Last day the role applies; required for an oversight role (9). */
  validUntil: z.preprocess(
    (v) => (v === "" || v === null ? undefined : v),
    plainDate("期限（最終日）").optional(),
  ),
});

/** The post a derived role follows from, in words, e.g. 「総合政策部の部長（総合政策部長）」. */
export function officeText(role: Role, pack: Offices = offices()): string {
  switch (role) {
    case "department_head":
      return `各部の${pack.departmentHead}`;
    case "account_manager":
      return `各課の${pack.divisionHead}`;
    case "policy_director": {
      const o = pack.policyDirector;
      return `${o.division ?? o.department}の${o.division ? pack.divisionHead : pack.departmentHead}（${o.title}）`;
    }
    case "security_director": {
      const o = pack.securityDirector;
      return `${o.division ?? o.department}の${o.division ? pack.divisionHead : pack.departmentHead}（${o.title}）`;
    }
    default:
      return "";
  }
}

/** 4.1.2, 4.1.4: the clause that ties a derived role to its post. */
function clauseOf(role: Role): string {
  return role === "account_manager" ? "第4-1(4)" : "第4-1(2)";
}

/** Gives a person a role (an oversight role: proposes it for a director's approval). */
export async function assignRole(ctx: AppContext, props: { actor: Actor; input: unknown }) {
  await authorize(ctx, props.actor, "role.assign");
  const input = parse(assignmentInput, props.input);
  const label = roleLabels[input.role];
  if (isDerivedRole(input.role)) {
    throw await refuse(
      ctx,
      props.actor,
      "role.assign",
      { staffId: input.staffId, role: input.role },
      `${label}の役割は職から決まるため、割り当てることはできません。${officeText(input.role)}の職にある職員（職務代理・事務取扱を含む）が自動的に担います（${clauseOf(input.role)}）。`,
    );
  }
  const allowedHere = allowedScopes[input.role];
  if (!allowedHere.includes(input.scopeType)) {
    const where = allowedHere
      .map((s) => ({ global: "全庁", department: "部", division: "課" })[s])
      .join("・");
    throw validation(`${label}の適用範囲は「${where}」です。`, [
      { field: "scopeType", message: `「${where}」を選択してください。` },
    ]);
  }
  const scopeId = input.scopeType === "global" ? null : input.scopeId;
  if (input.scopeType !== "global" && scopeId === null) {
    throw validation("適用範囲の部・課を選択してください。", [
      { field: "scopeId", message: "部・課を選択してください。" },
    ]);
  }
  const now = ctx.clock.now();
  const today = tokyoDate(now);
  const oversight = isOversightRole(input.role);
  if (oversight) await checkOversightGrant(ctx, props.actor, input.staffId, input.validUntil, today);
  if (input.role === "admin") await checkAdminGrant(ctx, props.actor, input.staffId, today);
  const validUntil = input.validUntil ?? null;
  try {
    return await change(ctx, props.actor, oversight ? "role.propose" : "role.assign", async (tx) => {
      const person = await repo.lockStaff(tx, input.staffId);
      if (!person) throw notFound("職員");
      if (input.scopeType === "department" && scopeId !== null && !(await org.findDepartment(tx, scopeId))) {
        throw notFound("部");
      }
      if (input.scopeType === "division" && scopeId !== null && !(await org.findDivision(tx, scopeId))) {
        throw notFound("課");
      }
      // Re-read under the staff lock: another assignment may have been made meanwhile.
      const held = await repo.listAssignments(tx, person.id);
      if (oversight && held.some((a) => a.role === "admin"))
        throw conflict(`${person.name}さんはシステム管理者のため、${label}にはできません。`);
      if (input.role === "admin" && held.some((a) => isOversightRole(a.role)))
        throw conflict(`${person.name}さんは監査担当のため、システム管理者にはできません。`);
      const row = await repo.insertAssignment(tx, {
        staffId: person.id,
        role: input.role,
        scopeType: input.scopeType,
        scopeId,
        assignedBy: actorId(props.actor),
        status: oversight ? "proposed" : "active",
        validUntil,
      });
      return {
        result: row,
        target: { type: "staff", id: person.id },
        summary: {
          assignmentId: row.id,
          role: input.role,
          scopeType: input.scopeType,
          scopeId,
          ...(validUntil ? { validUntil } : {}),
          ...(oversight ? { status: "proposed", awaiting: "policy_director or security_director (9)" } : {}),
        },
      };
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw conflict("この職員にはすでに同じ役割が割り当てられています（承認待ちを含む）。");
    throw error;
  }
}

/** 9: an oversight role goes to someone else, who does not hold `admin`, until a day given. */
async function checkOversightGrant(
  ctx: AppContext,
  actor: Actor,
  staffId: number,
  validUntil: string | undefined,
  today: string,
): Promise<void> {
  const label = roleLabels.auditor;
  if (actor.kind === "staff" && actor.staffId === staffId) {
    throw await refuse(
      ctx,
      actor,
      "role.assign",
      { staffId, role: "auditor" },
      `ご自身を${label}にすることはできません。違反の記録や監査ログを読む役割は、ほかの管理者が提案し、総合政策部長または情報統括管理者が承認します。`,
    );
  }
  const person = await repo.findStaff(ctx.db, staffId);
  if (!person) throw notFound("職員");
  const held = await repo.listAssignments(ctx.db, staffId);
  if (held.some((a) => a.role === "admin" && assignmentInEffect(a, today))) {
    throw await refuse(
      ctx,
      actor,
      "role.assign",
      { staffId, role: "auditor" },
      `${person.name}さんはシステム管理者のため、${label}にはできません。システムを管理する人が自分の操作を監査することはできません。`,
    );
  }
  if (!validUntil) {
    throw validation(`${label}には期限（最終日）を指定してください。`, [
      { field: "validUntil", message: "期限（最終日）を入力してください。" },
    ]);
  }
  if (validUntil < today) {
    throw validation("期限（最終日）には今日以降の日付を指定してください。", [
      { field: "validUntil", message: "今日以降の日付を入力してください。" },
    ]);
  }
}

/** 9: `admin` is not given to someone who holds (or is proposed for) an oversight role or post. */
async function checkAdminGrant(ctx: AppContext, actor: Actor, staffId: number, today: string): Promise<void> {
  const person = await repo.findStaff(ctx.db, staffId);
  if (!person) throw notFound("職員");
  const held = await repo.listAssignments(ctx.db, staffId);
  const acting = (await repo.actingOf(ctx.db, staffId, "acting")).filter((a) => a.untilDate >= today);
  const directing = acting.some((a) =>
    derivedGrants(a.post, offices()).some(
      (g) => g.role === "policy_director" || g.role === "security_director",
    ),
  );
  if (held.some((a) => isOversightRole(a.role)) || directing) {
    throw await refuse(
      ctx,
      actor,
      "role.assign",
      { staffId, role: "admin" },
      `${person.name}さんは違反の記録や監査ログを読む役割（監査担当または総合政策部長・情報統括管理者の代理）にあるため、システム管理者にはできません。`,
    );
  }
}

/** An assignment waiting for approval, checked for the approver (9). */
async function proposalFor(ctx: AppContext, actor: Actor, id: number, action: "approve" | "decline") {
  await authorize(ctx, actor, "role.approve");
  const row = await repo.findAssignment(ctx.db, id);
  if (!row || !isOversightRole(row.role)) throw notFound("承認待ちの役割");
  if (row.status !== "proposed") throw conflict("この役割はすでに承認されています。");
  const label = isRole(row.role) ? roleLabels[row.role] : row.role;
  if (actor.kind === "staff" && actor.staffId === row.staffId) {
    throw await refuse(
      ctx,
      actor,
      "role.approve",
      { assignmentId: row.id, staffId: row.staffId },
      `ご自身への${label}の割り当ては、${action === "approve" ? "承認" : "却下"}できません。もう一人の承認者（総合政策部長または情報統括管理者）に依頼してください。`,
    );
  }
  if (actor.kind === "staff" && actor.staffId === row.assignedBy) {
    throw await refuse(
      ctx,
      actor,
      "role.approve",
      { assignmentId: row.id, staffId: row.staffId },
      `ご自身が提案した${label}の割り当ては、${action === "approve" ? "承認" : "却下"}できません。`,
    );
  }
  return row;
}

/**
 * Approves a proposed oversight role (9): the policy director or the security director, neither
 * of them the grantee nor the proposer. It takes effect at once, until its last day.
 */
export async function approveRole(ctx: AppContext, props: { actor: Actor; id: number }) {
  const proposal = await proposalFor(ctx, props.actor, props.id, "approve");
  const today = tokyoDate(ctx.clock.now());
  if (proposal.validUntil !== null && proposal.validUntil < today)
    throw conflict("期限（最終日）が過ぎた提案は承認できません。却下して、改めて提案してもらってください。");
  const held = await repo.listAssignments(ctx.db, proposal.staffId);
  if (held.some((a) => a.role === "admin" && assignmentInEffect(a, today))) {
    throw await refuse(
      ctx,
      props.actor,
      "role.approve",
      { assignmentId: proposal.id, staffId: proposal.staffId },
      "システム管理者に監査担当を与えることはできません。",
    );
  }
  return change(ctx, props.actor, "role.approve", async (tx, at) => {
    const row = await repo.lockAssignment(tx, props.id);
    if (!row) throw notFound("承認待ちの役割");
    if (row.status !== "proposed") throw conflict("この役割はすでに承認されています。");
    const updated = await repo.updateAssignment(tx, row.id, {
      status: "active",
      approvedBy: actorId(props.actor),
      approvedAt: at,
    });
    return {
      result: updated ?? row,
      target: { type: "staff", id: row.staffId },
      summary: {
        assignmentId: row.id,
        role: row.role,
        validUntil: row.validUntil,
        proposedBy: row.assignedBy,
      },
    };
  });
}

/** Declines a proposed oversight role (9): it is removed. */
export async function declineRole(ctx: AppContext, props: { actor: Actor; id: number }) {
  await proposalFor(ctx, props.actor, props.id, "decline");
  return change(ctx, props.actor, "role.decline", async (tx) => {
    const row = await repo.lockAssignment(tx, props.id);
    if (!row) throw notFound("承認待ちの役割");
    if (row.status !== "proposed") throw conflict("この役割はすでに承認されています。");
    await repo.deleteAssignment(tx, row.id);
    return {
      result: row,
      target: { type: "staff", id: row.staffId },
      summary: { assignmentId: row.id, role: row.role, proposedBy: row.assignedBy },
    };
  });
}

/** Takes a role away (the administrator; an oversight role also its approvers, 9). */
export async function revokeRole(ctx: AppContext, props: { actor: Actor; assignmentId: number }) {
  const found = await repo.findAssignment(ctx.db, props.assignmentId);
  const byApprover =
    found !== undefined && isOversightRole(found.role) && allowed(props.actor, "role.approve");
  if (!byApprover) await authorize(ctx, props.actor, "role.assign");
  return change(ctx, props.actor, "role.revoke", async (tx) => {
    const row = await repo.lockAssignment(tx, props.assignmentId);
    if (!row) throw notFound("役割の割り当て");
    if (props.actor.kind === "staff" && row.staffId === props.actor.staffId && row.role === "admin") {
      throw conflict("自分自身のシステム管理者の役割は外せません。別の管理者に依頼してください。");
    }
    await repo.deleteAssignment(tx, row.id);
    return {
      result: row,
      target: { type: "staff", id: row.staffId },
      summary: { assignmentId: row.id, role: row.role, scopeType: row.scopeType, scopeId: row.scopeId },
    };
  });
}

export async function listAssignments(ctx: AppContext, props: { actor: Actor; staffId?: number }) {
  await authorize(ctx, props.actor, "role.read");
  return repo.listAssignments(ctx.db, props.staffId);
}

/** The roles a person holds today (for their page and the API). */
export async function rolesOf(ctx: AppContext, props: { actor: Actor; staffId: number }) {
  await authorize(ctx, props.actor, "role.read");
  const person = await repo.findStaff(ctx.db, props.staffId);
  if (!person) throw notFound("職員");
  return grantsOf(ctx.db, person, ctx.clock.now());
}

// ─── Oversight: who holds each privileged role (9) ─────────────────────────────────────────

/** One holder of a privileged role on the oversight page. */
export type PrivilegedHolder = {
  staffId: number;
  name: string;
  employeeNo: string;
  /** post: by position; acting: standing in for someone; assignment: assigned (and approved). */
  source: "post" | "acting" | "assignment";
  /** The day they began to hold it (YYYY-MM-DD). */
  since: string;
  /** The last day, when it ends on a date. */
  until: string | null;
  /** Whom they stand in for (acting). */
  actingFor: string | null;
  proposedBy: string | null;
  approvedBy: string | null;
};

/** A proposal waiting for a director (9). */
export type RoleProposal = {
  id: number;
  role: Role;
  staffId: number;
  name: string;
  employeeNo: string;
  validUntil: string | null;
  proposedBy: string | null;
  proposedAt: Date;
  /** Whether the reader may approve or decline it (a director, not the grantee or proposer). */
  canDecide: boolean;
};

export type PrivilegedRoleView = {
  role: Role;
  label: string;
  /** For a derived role: the post it follows from. */
  office: string;
  holders: PrivilegedHolder[];
  /** A problem worth a look: nobody holds a director's post, or several people do. */
  warning: string | null;
};

export type OversightPage = { roles: PrivilegedRoleView[]; proposals: RoleProposal[]; today: string };

/**
 * Who holds each privileged role today and since when, and the proposals waiting for approval:
 * for the auditor and the directors (9).
 */
export async function privilegedHolders(ctx: AppContext, props: { actor: Actor }): Promise<OversightPage> {
  await authorize(ctx, props.actor, "role.oversee");
  const now = ctx.clock.now();
  const today = tokyoDate(now);
  const pack = offices();
  const acting = await repo.actingOn(ctx.db, today);
  const out: PrivilegedRoleView[] = [];
  const nameIds: number[] = [];
  const collected: Array<{
    role: Role;
    rows: Array<
      Omit<PrivilegedHolder, "proposedBy" | "approvedBy"> & {
        proposer: number | null;
        approver: number | null;
      }
    >;
  }> = [];
  for (const role of privilegedRoles) {
    const rows: (typeof collected)[number]["rows"] = [];
    if (isDerivedRole(role)) {
      const heads = (await repo.activeHeads(ctx.db)).filter(({ placement }) =>
        derivedGrants(placement, pack).some((g) => g.role === role),
      );
      const since = await repo.placedSince(
        ctx.db,
        heads.map((h) => h.person.id),
      );
      for (const { person } of heads)
        rows.push({
          staffId: person.id,
          name: person.name,
          employeeNo: person.employeeNo,
          source: "post",
          since: since.get(person.id) ?? tokyoDate(person.createdAt),
          until: null,
          actingFor: null,
          proposer: null,
          approver: null,
        });
      for (const a of acting) {
        if (!actingInEffect(a, today) || !derivedGrants(a.post, pack).some((g) => g.role === role)) continue;
        const person = await repo.findStaff(ctx.db, a.staffId);
        if (!person) continue;
        rows.push({
          staffId: person.id,
          name: person.name,
          employeeNo: person.employeeNo,
          source: "acting",
          since: a.fromDate,
          until: a.untilDate,
          actingFor: `${a.absentName}さん（${a.kind === "in_charge" ? "事務取扱" : "職務代理"}）`,
          proposer: a.createdBy,
          approver: null,
        });
      }
    } else {
      const holders = new Set((await holdersOf(ctx.db, role, now)).map((p) => p.id));
      for (const { person, assignment } of await repo.assignmentsOfRole(ctx.db, role)) {
        if (!holders.has(person.id) || !assignmentInEffect(assignment, today)) continue;
        rows.push({
          staffId: person.id,
          name: person.name,
          employeeNo: person.employeeNo,
          source: "assignment",
          since: tokyoDate(assignment.approvedAt ?? assignment.createdAt),
          until: assignment.validUntil,
          actingFor: null,
          proposer: assignment.assignedBy,
          approver: assignment.approvedBy,
        });
      }
    }
    for (const r of rows) for (const id of [r.proposer, r.approver]) if (id !== null) nameIds.push(id);
    collected.push({ role, rows });
  }
  const proposals = await pendingProposals(ctx, props.actor);
  const names = await namesOf(ctx.db, nameIds);
  for (const { role, rows } of collected) {
    const byPost = rows.filter((r) => r.source === "post").length;
    const derived = isDerivedRole(role);
    out.push({
      role,
      label: roleLabels[role],
      office: derived ? officeText(role, pack) : "",
      holders: rows.map(({ proposer, approver, ...r }) => ({
        ...r,
        proposedBy: proposer === null ? null : (names.get(proposer) ?? null),
        approvedBy: approver === null ? null : (names.get(approver) ?? null),
      })),
      warning: !derived
        ? null
        : rows.length === 0
          ? `${officeText(role, pack)}の職にある職員がいません。職員の職・所属か、ガイドラインパックの職の設定を確認してください（第4-1(2)）。`
          : byPost > 1
            ? `${officeText(role, pack)}の職にある職員が${byPost}人います。職員の職・所属を確認してください（第4-1(2)）。`
            : null,
    });
  }
  return { roles: out, proposals, today };
}

/** Proposals waiting for approval, for those who oversee (with whether the reader may decide). */
export async function pendingProposals(ctx: AppContext, actor: Actor): Promise<RoleProposal[]> {
  const mayApprove = allowed(actor, "role.approve");
  const rows: RoleProposal[] = [];
  for (const role of privilegedRoles.filter(isOversightRole)) {
    for (const { person, assignment } of await repo.assignmentsOfRole(ctx.db, role)) {
      if (assignment.status !== "proposed" || !isRole(assignment.role)) continue;
      const self =
        actor.kind === "staff" && (actor.staffId === person.id || actor.staffId === assignment.assignedBy);
      rows.push({
        id: assignment.id,
        role: assignment.role,
        staffId: person.id,
        name: person.name,
        employeeNo: person.employeeNo,
        validUntil: assignment.validUntil,
        proposedBy:
          assignment.assignedBy === null
            ? null
            : ((await namesOf(ctx.db, [assignment.assignedBy])).get(assignment.assignedBy) ?? null),
        proposedAt: assignment.createdAt,
        canDecide: mayApprove && !self,
      });
    }
  }
  return rows;
}

// ─── Start-up step: keep stored assignments coherent with the rules ─────────────────────────

/** What the start-up step changed. */
export type Reconciled = { removedDerived: number; removedFromAdmins: number; madeProposals: number };

/**
 * Start-up step (run by `snsgov serve`): stored grants of roles that follow from posts are
 * removed (the posts give them now, 4.1.2, 4.1.4); an oversight role held together with `admin`
 * is removed, and one never approved becomes a proposal valid for a year, waiting for a director
 * (9). Each change is its own transaction with its own audit entry; nothing to do, nothing written.
 */
export async function reconcileRoleAssignments(ctx: AppContext): Promise<Reconciled> {
  const actor = systemActor("role reconciliation");
  const done: Reconciled = { removedDerived: 0, removedFromAdmins: 0, madeProposals: 0 };
  const all = await repo.listAssignments(ctx.db);
  const admins = new Set(all.filter((a) => a.role === "admin").map((a) => a.staffId));
  for (const row of all) {
    if (isDerivedRole(row.role)) {
      await removeStored(
        ctx,
        actor,
        row,
        "follows from the post (4.1.2, 4.1.4); stored grants are no longer used",
      );
      done.removedDerived++;
    } else if (isOversightRole(row.role) && admins.has(row.staffId)) {
      await removeStored(ctx, actor, row, "held together with admin (9)");
      done.removedFromAdmins++;
    } else if (isOversightRole(row.role) && row.status === "active" && row.approvedBy === null) {
      await change(ctx, actor, "role.propose", async (tx, at) => {
        const validUntil = row.validUntil ?? addDays(tokyoDate(at), 365);
        await repo.updateAssignment(tx, row.id, { status: "proposed", validUntil });
        return {
          result: null,
          target: { type: "staff", id: row.staffId },
          summary: {
            assignmentId: row.id,
            role: row.role,
            validUntil,
            status: "proposed",
            reason: "granted before approval was required (9); waits for the policy or security director",
          },
        };
      });
      done.madeProposals++;
    }
  }
  return done;
}

async function removeStored(ctx: AppContext, actor: Actor, row: repo.RoleAssignment, reason: string) {
  await change(ctx, actor, "role.revoke", async (tx: Db) => {
    await repo.deleteAssignment(tx, row.id);
    return {
      result: null,
      target: { type: "staff", id: row.staffId },
      summary: {
        assignmentId: row.id,
        role: row.role,
        scopeType: row.scopeType,
        scopeId: row.scopeId,
        reason,
      },
    };
  });
}
