/**
 * The one authorization policy: "may this person do this to this object", answered from their
 * guideline roles, the organisational scope of each role, and where they work. Every route and
 * every use case asks here (through app/authorize.ts); nothing else decides access. Pure: no I/O.
 * Rules that come from the guideline cite their clause.
 */
import type { Role, RoleGrant, Scope } from "./roles.ts";

/** Everything a person can be allowed to do. */
export const actions = [
  "org.read",
  "org.manage",
  "staff.read",
  "staff.manage",
  "staff.export",
  "transfer.read",
  "transfer.manage",
  "role.read",
  "role.assign",
  "role.approve",
  "role.oversee",
  "audit.read",
  "audit.export",
  "user.reset_password",
  "settings.manage",
  "checker.use",
  // Official accounts (4.1–4.5)
  "account.read",
  "account.read_all",
  "account.apply",
  "account.approve_department",
  "account.approve_policy",
  "account.confirm_notice",
  "account.manage",
  "account.register_existing",
  "account.confirm_existing",
  "notice.confirm_policy",
  "document.record",
  "policy.draft",
  "policy.approve",
  "notice.read",
  "task.read",
  "task.close",
  // Incidents (7)
  "incident.report",
  "incident.read",
  "incident.read_all",
  "incident.note",
  "incident.respond",
  "incident.close",
  "incident.confirm_report",
  // Posts (5.1.4, 3)
  "post.read",
  "post.read_all",
  "post.draft",
  "post.approve",
  "post.acknowledge",
  "post.scope_manage",
  "post.deputy_manage",
  "post.publish_record",
  "post.publish_correct",
  "post.mark_erroneous",
  "post.export",
  // Guideline versions and acknowledgement (8)
  "guideline.read",
  "guideline.publish",
  "guideline.ack_status",
  "guideline.ack_scope",
  // The council (6)
  "council.read",
  "council.designate",
  "council.record",
  "council.rules_edit",
  // Violation records (9)
  "violation.read",
  "violation.manage",
  // Consultations (10)
  "consultation.read",
  "consultation.read_all",
  "consultation.ask",
  "consultation.answer",
] as const;

export type Action = (typeof actions)[number];

/**
 * The object acted on: its organisational home, and facts about the person's relation to it that
 * only data can tell (the use case looks them up): on the account's operator list (3), or the
 * manager's named deputy for an absence (5.1.4).
 */
export type Target = {
  departmentId?: number | null;
  divisionId?: number | null;
  /** 7: the incident names them — they reported it, were told of it as manager, or own a step. */
  involved?: boolean;
  /** 7: they carry out the incident's playbook — its manager, or the owner of one of its steps. */
  responder?: boolean;
  operatorOf?: boolean;
  deputyOf?: boolean;
  /** Designated as a department's member of the council (6.2, `council_members`). */
  councilMemberOf?: boolean;
};

/** The person asking: their roles and where they work. */
export type Subject = { grants: readonly RoleGrant[]; departmentId: number; divisionId: number | null };

/**
 * Who a rule lets through: holders of `anywhere` roles in any scope; holders of `inScope` roles
 * whose scope covers the target; with `members`, anyone working in the target's division.
 */
type Rule = {
  anywhere: readonly Role[];
  inScope?: readonly Role[];
  anyStaff?: boolean;
  members?: boolean;
  /** Those an incident names (7: reporter, manager, step owners). */
  involved?: boolean;
  /** Those who carry out an incident's playbook (7: its manager, step owners). */
  responders?: boolean;
  /** Those on the account's operator list (3: posting rights come only from it). */
  operators?: boolean;
  /** The manager's named deputy during an absence (5.1.4). */
  deputies?: boolean;
  /** Those designated as the council's members (6.2). */
  councilMembers?: boolean;
};

const everyone: Rule = { anywhere: [], anyStaff: true };
const adminOnly: Rule = { anywhere: ["admin"] };
/** Those who oversee all accounts (read-only for the auditor). */
const overseers: Role[] = ["policy_director", "security_director", "auditor", "admin"];
/**
 * Those who see every post (the archive, 情報公開請求): the policy director, the security
 * director and auditors. The system administrator runs the system, not the posts.
 */
const postOverseers: Role[] = ["policy_director", "security_director", "auditor"];

const rules: Record<Action, Rule> = {
  "org.read": everyone,
  "org.manage": adminOnly,
  // The staff directory (name, division, position, e-mail) is open to colleagues.
  "staff.read": everyone,
  "staff.manage": adminOnly,
  "staff.export": { anywhere: ["admin", "auditor"] },
  // Personnel moves matter to those who rotate credentials after them (4.3.2).
  "transfer.read": { anywhere: ["admin", "auditor", "security_director", "policy_director"] },
  "transfer.manage": adminOnly,
  "role.read": everyone,
  // Assigned roles and acting periods (職務代理・事務取扱) are recorded by the administrator; the
  // roles a post carries follow from positions only (4.1.2, 4.1.4).
  "role.assign": adminOnly,
  // 9: an oversight role (監査担当: violation records, the audit log) takes effect only when the
  // policy director or the security director approves it.
  "role.approve": { anywhere: ["policy_director", "security_director"] },
  // 9: who holds each privileged role, and since when, for those who oversee.
  "role.oversee": { anywhere: ["auditor", "policy_director", "security_director"] },
  "audit.read": { anywhere: ["admin", "auditor", "security_director"] },
  "audit.export": { anywhere: ["admin", "auditor"] },
  "user.reset_password": adminOnly,
  "settings.manage": adminOnly,
  "checker.use": everyone,
  // The registry of official accounts; drafts and applications are narrowed in the query.
  "account.read": everyone,
  "account.read_all": { anywhere: overseers },
  // 4.1.2 起案: drafted by the owning division.
  "account.apply": { anywhere: [], inScope: ["account_manager", "operator"], members: true },
  // 4.1.2 情報管理者（部等の長）の許可
  "account.approve_department": { anywhere: [], inScope: ["department_head"] },
  // 4.1.2 総合政策部長の許可
  "account.approve_policy": { anywhere: ["policy_director"] },
  // 4.1.2 情報統括管理者への届出
  "account.confirm_notice": { anywhere: ["security_director"] },
  // 4.1.4: the account manager (課長) runs the account: registration, operators, credentials, changes.
  "account.manage": { anywhere: [], inScope: ["account_manager"] },
  // Accounts approved on paper before this system: recorded by an administrator …
  "account.register_existing": { anywhere: ["admin"] },
  // … and confirmed by the policy director, who gave the original approval (4.1.2).
  "account.confirm_existing": { anywhere: ["policy_director"] },
  // 4.5.1 周知する前に総合政策部長へ届出: the policy director receives and confirms it.
  "notice.confirm_policy": { anywhere: ["policy_director"] },
  // 文書番号・決裁日 from the city's document-management system: the division's staff, the
  // directors a 届出 is addressed to, and the administrator.
  "document.record": {
    anywhere: ["policy_director", "security_director", "admin"],
    inScope: ["account_manager", "department_head"],
    members: true,
  },
  "policy.draft": { anywhere: [], inScope: ["account_manager", "operator"], members: true },
  // 4.2.1: the media policy is set by the account manager.
  "policy.approve": { anywhere: [], inScope: ["account_manager"] },
  "notice.read": everyone,
  // Tasks of an account (4.3.2 rotation, 4.1.4 confirmation…): the assignee always; besides them,
  // the account manager acts on them, the overseers read them, and the admin can close a stuck one.
  "task.read": { anywhere: overseers, inScope: ["account_manager"] },
  "task.close": { anywhere: ["admin"], inScope: ["account_manager"] },
  // 7: any member of staff reports a problem at once (直ちに報告).
  "incident.report": everyone,
  // 7: an incident is seen by those it names, its account's division and the managers above it;
  // the policy and security directors see all (the auditor reads).
  "incident.read": {
    anywhere: ["policy_director", "security_director", "auditor"],
    inScope: ["account_manager", "department_head"],
    members: true,
    involved: true,
  },
  "incident.read_all": { anywhere: ["policy_director", "security_director", "auditor"] },
  // Notes and screenshots: anyone who may see it, except the read-only auditor.
  "incident.note": {
    anywhere: ["policy_director", "security_director"],
    inScope: ["account_manager", "department_head"],
    members: true,
    involved: true,
  },
  // 7: アカウント管理者は次に掲げるような対応をとる — the account manager, and those given a step.
  "incident.respond": {
    anywhere: ["policy_director", "security_director"],
    inScope: ["account_manager"],
    responders: true,
  },
  // Closing with the review: as responding, but only the incident's own manager counts as responder.
  "incident.close": {
    anywhere: ["policy_director", "security_director"],
    inScope: ["account_manager"],
    responders: true,
  },
  // 4.3.3: a takeover is reported to the 情報統括管理者, who confirms receiving it.
  "incident.confirm_report": { anywhere: ["security_director"] },
  // A division's posts are seen by the division and those above it; the post overseers see all.
  "post.read": { anywhere: postOverseers, inScope: ["account_manager", "department_head"], members: true },
  "post.read_all": { anywhere: postOverseers },
  // 3: only the account's operators draft for it.
  "post.draft": { anywhere: [], operators: true },
  // 5.1.4: the account manager (or the deputy named for an absence) approves.
  "post.approve": { anywhere: [], inScope: ["account_manager"], deputies: true },
  "post.acknowledge": { anywhere: [], inScope: ["account_manager"], deputies: true },
  "post.scope_manage": { anywhere: [], inScope: ["account_manager"] },
  "post.deputy_manage": { anywhere: [], inScope: ["account_manager"] },
  "post.publish_record": { anywhere: [], inScope: ["account_manager"], operators: true },
  // A publishing record (発信日時, URL) found wrong is corrected by the account manager, with a reason.
  "post.publish_correct": { anywhere: [], inScope: ["account_manager"] },
  // 5.3.2: anyone who spots an error may mark a published post.
  "post.mark_erroneous": everyone,
  // 情報公開請求: the archive export and printable report.
  "post.export": { anywhere: postOverseers, inScope: ["account_manager"] },
  // 8.1: the policy director owns the guideline and alone publishes a new version; everyone reads it.
  "guideline.read": everyone,
  "guideline.publish": { anywhere: ["policy_director"] },
  // 8.2 周知徹底: who has acknowledged the version, by department.
  "guideline.ack_status": { anywhere: ["policy_director", "admin"] },
  // 8.2: 総合政策部長は…職員に周知徹底 — who must acknowledge is the policy director's choice.
  "guideline.ack_scope": { anywhere: ["policy_director"] },
  // 6: the council's roster, meetings and rules are open to all staff.
  "council.read": everyone,
  // 6.2: a division sits by its 課等の長; the 課等の長 or the 部長 above it (or an administrator)
  // names someone else to sit instead.
  "council.designate": { anywhere: ["admin"], inScope: ["department_head", "account_manager"] },
  // Minutes are recorded by the policy director (owner of the guideline) and the members.
  "council.record": { anywhere: ["policy_director", "council_member"], councilMembers: true },
  // 6.3 規約等は別途定める: kept by the policy director.
  "council.rules_edit": { anywhere: ["policy_director"] },
  // 9: violation records are seen only by the policy and security directors and auditors (read only).
  "violation.read": { anywhere: ["policy_director", "security_director", "auditor"] },
  "violation.manage": { anywhere: ["policy_director", "security_director"] },
  // 10: anyone asks the consultation desk; answered questions are a knowledge base for all staff.
  "consultation.read": everyone,
  "consultation.read_all": { anywhere: ["consultation_desk", "policy_director"] },
  "consultation.ask": everyone,
  "consultation.answer": { anywhere: ["consultation_desk"] },
};

/** Whether `scope` covers the target (a department scope covers its divisions' objects). */
export function scopeCovers(scope: Scope, target: Target): boolean {
  if (scope.type === "global") return true;
  if (scope.type === "department") return target.departmentId === scope.id;
  return target.divisionId === scope.id;
}

/**
 * Answers whether `subject` may perform `action` on `target`.
 */
export function can(subject: Subject, action: Action, target: Target = {}): boolean {
  const rule = rules[action];
  if (rule.anyStaff) return true;
  if (subject.grants.some((g) => rule.anywhere.includes(g.role))) return true;
  if (rule.members && target.divisionId != null && subject.divisionId === target.divisionId) return true;
  if (rule.involved && target.involved === true) return true;
  if (rule.responders && target.responder === true) return true;
  if (rule.operators && target.operatorOf === true) return true;
  if (rule.deputies && target.deputyOf === true) return true;
  if (rule.councilMembers && target.councilMemberOf === true) return true;
  const scoped = rule.inScope ?? [];
  return subject.grants.some((g) => scoped.includes(g.role) && scopeCovers(g.scope, target));
}

/** Roles that may perform an action anywhere (for the UI and the documentation). */
export function rolesFor(action: Action): readonly Role[] {
  return [...rules[action].anywhere, ...(rules[action].inScope ?? [])];
}
