/**
 * Database schema (drizzle). The only description of tables; migrations under ./migrations are
 * generated from it with `drizzle-kit generate` and reviewed as SQL. Hand-written SQL that
 * drizzle cannot express (triggers) lives in custom migrations in the same folder.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

/** Binary data (PostgreSQL bytea) as a Uint8Array in both drivers. */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => "bytea",
  toDriver: (value) => Buffer.from(value),
  fromDriver: (value) => new Uint8Array(value),
});

const id = () => integer("id").primaryKey().generatedByDefaultAsIdentity();
const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();
const instant = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** 部: a department. */
export const departments = pgTable("departments", {
  id: id(),
  code: text("code").notNull().unique(),
  name: text("name").notNull(),
  kana: text("kana").notNull().default(""),
  active: boolean("active").notNull().default(true),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** 課: a division inside a department. */
export const divisions = pgTable(
  "divisions",
  {
    id: id(),
    departmentId: integer("department_id")
      .notNull()
      .references(() => departments.id),
    code: text("code").notNull().unique(),
    name: text("name").notNull(),
    kana: text("kana").notNull().default(""),
    active: boolean("active").notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("divisions_department_idx").on(t.departmentId)],
);

/**
 * 職: a position. `headOf` says which organisational unit its holder heads: the 部長 heads a
 * department (情報管理者, 4.1.2), the 課長 heads a division (アカウント管理者, 4.1.4).
 */
export const positions = pgTable(
  "positions",
  {
    id: id(),
    code: text("code").notNull().unique(),
    name: text("name").notNull(),
    rank: integer("rank").notNull().default(100),
    headOf: text("head_of").notNull().default("none"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [check("positions_head_of_check", sql`${t.headOf} in ('none', 'department', 'division')`)],
);

/** 職員: a member of staff. Belongs to a department, and to one of its divisions unless a 部長. */
export const staff = pgTable(
  "staff",
  {
    id: id(),
    employeeNo: text("employee_no").notNull().unique(),
    name: text("name").notNull(),
    kana: text("kana").notNull().default(""),
    email: text("email").notNull(),
    departmentId: integer("department_id")
      .notNull()
      .references(() => departments.id),
    divisionId: integer("division_id").references(() => divisions.id),
    positionId: integer("position_id")
      .notNull()
      .references(() => positions.id),
    active: boolean("active").notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("staff_email_lower_idx").on(sql`lower(${t.email})`),
    index("staff_division_idx").on(t.divisionId),
    index("staff_department_idx").on(t.departmentId),
  ],
);

/** Login secrets, kept apart from `staff` so that no list query can select them by accident. */
export const staffCredentials = pgTable("staff_credentials", {
  staffId: integer("staff_id")
    .primaryKey()
    .references(() => staff.id),
  passwordHash: text("password_hash"),
  passwordChangedAt: instant("password_changed_at"),
  totpSecret: text("totp_secret"),
  totpEnabledAt: instant("totp_enabled_at"),
  /** Last accepted TOTP time step: a code works once (RFC 6238 §5.2). */
  totpLastStep: bigint("totp_last_step", { mode: "number" }),
  updatedAt: updatedAt(),
});

/**
 * Guideline role assignments that are not implied by a position. `scopeType` limits the role to
 * a department or division; `global` roles apply to the whole organisation. Roles that follow
 * from a post (部長, 課長, 総合政策部長, 総務部長: 4.1.2, 4.1.4) are never stored here. An
 * oversight role (監査担当, 9) is `proposed` by the administrator and `active` only once a director
 * approved it (`approvedBy`, `approvedAt`); it ends after `validUntil`.
 */
export const roleAssignments = pgTable(
  "role_assignments",
  {
    id: id(),
    staffId: integer("staff_id")
      .notNull()
      .references(() => staff.id),
    role: text("role").notNull(),
    scopeType: text("scope_type").notNull().default("global"),
    scopeId: integer("scope_id"),
    assignedBy: integer("assigned_by").references(() => staff.id),
    createdAt: createdAt(),
    status: text("status").notNull().default("active"),
    /** Last day the role applies (Tokyo); null: until revoked. */
    validUntil: date("valid_until", { mode: "string" }),
    approvedBy: integer("approved_by").references(() => staff.id),
    approvedAt: instant("approved_at"),
  },
  (t) => [
    check(
      "role_assignments_role_check",
      sql`${t.role} in ('department_head','policy_director','security_director','account_manager','operator','consultation_desk','council_member','admin','auditor')`,
    ),
    check("role_assignments_scope_check", sql`${t.scopeType} in ('global','department','division')`),
    check("role_assignments_scope_id_check", sql`(${t.scopeType} = 'global') = (${t.scopeId} is null)`),
    check("role_assignments_status_check", sql`${t.status} in ('proposed','active')`),
    uniqueIndex("role_assignments_unique_idx").on(
      t.staffId,
      t.role,
      t.scopeType,
      sql`coalesce(${t.scopeId}, 0)`,
    ),
  ],
);

/**
 * 職務代理・事務取扱: someone stands in for the holder of a post (a 部長 or 課長) from one day to
 * another, and holds the roles of that post for the period only (4.1.2, 4.1.4). The post is kept
 * as it was when recorded (`headOf`, `departmentId`, `divisionId`), with whom it stands in for.
 */
export const actingAssignments = pgTable(
  "acting_assignments",
  {
    id: id(),
    staffId: integer("staff_id")
      .notNull()
      .references(() => staff.id),
    absentStaffId: integer("absent_staff_id")
      .notNull()
      .references(() => staff.id),
    kind: text("kind").notNull(),
    headOf: text("head_of").notNull(),
    departmentId: integer("department_id")
      .notNull()
      .references(() => departments.id),
    divisionId: integer("division_id").references(() => divisions.id),
    positionId: integer("position_id")
      .notNull()
      .references(() => positions.id),
    fromDate: date("from_date", { mode: "string" }).notNull(),
    untilDate: date("until_date", { mode: "string" }).notNull(),
    reason: text("reason").notNull().default(""),
    createdBy: integer("created_by").references(() => staff.id),
    createdAt: createdAt(),
    revokedAt: instant("revoked_at"),
    revokedBy: integer("revoked_by").references(() => staff.id),
  },
  (t) => [
    check("acting_assignments_kind_check", sql`${t.kind} in ('deputy','in_charge')`),
    check("acting_assignments_head_of_check", sql`${t.headOf} in ('department','division')`),
    check("acting_assignments_period_check", sql`${t.fromDate} <= ${t.untilDate}`),
    index("acting_assignments_staff_idx").on(t.staffId),
    index("acting_assignments_absent_idx").on(t.absentStaffId),
  ],
);

/** 人事異動: a move between departments/divisions/positions on an effective date. */
export const transfers = pgTable(
  "transfers",
  {
    id: id(),
    staffId: integer("staff_id")
      .notNull()
      .references(() => staff.id),
    effectiveDate: date("effective_date", { mode: "string" }).notNull(),
    fromDepartmentId: integer("from_department_id").references(() => departments.id),
    fromDivisionId: integer("from_division_id").references(() => divisions.id),
    fromPositionId: integer("from_position_id").references(() => positions.id),
    toDepartmentId: integer("to_department_id")
      .notNull()
      .references(() => departments.id),
    toDivisionId: integer("to_division_id").references(() => divisions.id),
    toPositionId: integer("to_position_id")
      .notNull()
      .references(() => positions.id),
    status: text("status").notNull().default("scheduled"),
    note: text("note").notNull().default(""),
    createdBy: integer("created_by").references(() => staff.id),
    appliedAt: instant("applied_at"),
    createdAt: createdAt(),
  },
  (t) => [
    check("transfers_status_check", sql`${t.status} in ('scheduled','applied','cancelled')`),
    index("transfers_due_idx").on(t.status, t.effectiveDate),
    index("transfers_staff_idx").on(t.staffId),
  ],
);

/**
 * Domain events (outbox): things that happened and that other features react to, such as a
 * transfer taking effect (4.1.4, 4.3.2). Written in the same transaction as the change.
 */
export const domainEvents = pgTable(
  "domain_events",
  {
    id: id(),
    type: text("type").notNull(),
    payload: jsonb("payload").notNull(),
    occurredAt: createdAt(),
  },
  (t) => [index("domain_events_type_idx").on(t.type, t.occurredAt)],
);

/** Server-side sessions. Only the SHA-256 of the 256-bit session id is stored. */
export const sessions = pgTable(
  "sessions",
  {
    idHash: text("id_hash").primaryKey(),
    staffId: integer("staff_id")
      .notNull()
      .references(() => staff.id),
    /** `pending_2fa` after a correct password when a TOTP code is still needed. */
    state: text("state").notNull().default("active"),
    createdAt: createdAt(),
    lastSeenAt: instant("last_seen_at").notNull().defaultNow(),
    expiresAt: instant("expires_at").notNull(),
    userAgent: text("user_agent").notNull().default(""),
  },
  (t) => [
    check("sessions_state_check", sql`${t.state} in ('active','pending_2fa')`),
    index("sessions_staff_idx").on(t.staffId),
  ],
);

/**
 * Sign-in throttling, one row per key: per login name and per second factor, the attempts taken in
 * the window (counted before checking) and the end of a lock; per address, failures in the window
 * (a growing wait, never a lock). See repos/auth.ts.
 */
export const loginThrottle = pgTable("login_throttle", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  windowStart: instant("window_start").notNull().defaultNow(),
  lockedUntil: instant("locked_until"),
});

/** One-time links: first-administrator setup and password reset. Stored hashed. */
export const oneTimeTokens = pgTable(
  "one_time_tokens",
  {
    id: id(),
    tokenHash: text("token_hash").notNull().unique(),
    staffId: integer("staff_id")
      .notNull()
      .references(() => staff.id),
    purpose: text("purpose").notNull(),
    expiresAt: instant("expires_at").notNull(),
    usedAt: instant("used_at"),
    createdBy: integer("created_by").references(() => staff.id),
    createdAt: createdAt(),
  },
  (t) => [check("one_time_tokens_purpose_check", sql`${t.purpose} in ('setup','reset')`)],
);

/** Personal API tokens. Stored hashed; `prefix` lets the owner recognise a token in the list. */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: id(),
    staffId: integer("staff_id")
      .notNull()
      .references(() => staff.id),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    expiresAt: instant("expires_at"),
    lastUsedAt: instant("last_used_at"),
    revokedAt: instant("revoked_at"),
    createdAt: createdAt(),
  },
  (t) => [index("api_tokens_staff_idx").on(t.staffId)],
);

/**
 * Data versions: one row per kind of derived page data kept in memory (`staff_directory`: the
 * staff list's rows and totals, app/staff/directory-cache.ts). Triggers (migration 0019) set a
 * row's version to the id of every transaction that changes a table its data is read from, so a
 * change becomes visible with the commit that makes it, whichever instance or SQL client made it.
 */
export const dataVersions = pgTable("data_versions", {
  name: text("name").primaryKey(),
  version: bigint("version", { mode: "bigint" }).notNull(),
});

/** System settings edited by administrators (e.g. which roles must use two-factor login). */
export const settings = pgTable("settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
  updatedAt: updatedAt(),
  updatedBy: integer("updated_by").references(() => staff.id),
});

/**
 * The tamper-evident audit log. Append-only (triggers refuse UPDATE, DELETE, TRUNCATE);
 * `seq` is assigned under an advisory lock so it has no gaps; `hash` chains each entry to the
 * previous one: SHA-256(prev_hash ‖ RFC 8785 canonical JSON of the entry).
 */
export const auditLog = pgTable(
  "audit_log",
  {
    seq: bigint("seq", { mode: "number" }).primaryKey(),
    at: instant("at").notNull(),
    actorId: integer("actor_id"),
    actorLabel: text("actor_label").notNull(),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id"),
    summary: jsonb("summary").notNull(),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [
    index("audit_log_at_idx").on(t.at),
    index("audit_log_actor_idx").on(t.actorId),
    index("audit_log_target_idx").on(t.targetType, t.targetId),
    index("audit_log_action_idx").on(t.action),
  ],
);

/**
 * Signed checkpoints of the audit chain (Ed25519, key outside the database). Append-only too.
 * `seq` and `hash` are those of the entry covered. Format 2 checkpoints form a chain of their own:
 * `chain_seq` 1, 2, 3, … without gaps, `prev_hash` the previous checkpoint's hash, `entry_at` the
 * covered entry's time, `final` set by a process closing the database. Format 1 rows (written
 * before the chain) leave those null; their position is their order by `id`.
 */
export const auditCheckpoints = pgTable(
  "audit_checkpoints",
  {
    id: id(),
    seq: bigint("seq", { mode: "number" }).notNull(),
    hash: text("hash").notNull(),
    at: instant("at").notNull(),
    keyId: text("key_id").notNull(),
    signature: text("signature").notNull(),
    format: smallint("format").notNull().default(1),
    chainSeq: bigint("chain_seq", { mode: "number" }),
    prevHash: text("prev_hash"),
    entryAt: instant("entry_at"),
    final: boolean("final").notNull().default(false),
  },
  (t) => [uniqueIndex("audit_checkpoints_chain_seq_idx").on(t.chainSeq)],
);

// ─── Official accounts (4.1–4.5) ────────────────────────────────────────────────────────────

/**
 * An official account, from its application (起案, 4.1.2) to its closure (4.5). The row holds the
 * application's current content; `account_events` keeps every step of its history.
 * status: draft (起案中) → pending_department_head → pending_policy_director (申請中) → approved
 * (承認済) → active (運用中) → change_announced (変更予告中) / closure_announced (廃止予告中) →
 * closed (廃止); returned (差戻し) and rejected (却下) on the way.
 */
export const accounts = pgTable(
  "accounts",
  {
    id: id(),
    divisionId: integer("division_id")
      .notNull()
      .references(() => divisions.id),
    platform: text("platform").notNull(),
    name: text("name").notNull(),
    alias: text("alias").notNull().default(""),
    handle: text("handle").notNull().default(""),
    url: text("url").notNull().default(""),
    purpose: text("purpose").notNull().default(""),
    /** The account's page on the city site (所管サイトURL, 4.4.1, 4.4.3②). */
    homepageUrl: text("homepage_url").notNull().default(""),
    /** Speaks as an approved character (5.3.1 ただし書). */
    isCharacter: boolean("is_character").notNull().default(false),
    /** アカウント管理者 (4.1.4: the division head by default). */
    managerId: integer("manager_id").references(() => staff.id),
    status: text("status").notNull().default("draft"),
    applicantId: integer("applicant_id").references(() => staff.id),
    submittedAt: instant("submitted_at"),
    approvedAt: instant("approved_at"),
    /** 情報統括管理者への届出: sent after the second approval, confirmed by the security director. */
    securityNotifiedAt: instant("security_notified_at"),
    securityConfirmedAt: instant("security_confirmed_at"),
    securityConfirmedBy: integer("security_confirmed_by").references(() => staff.id),
    /** Registration of the real account on the platform. */
    platformCreatedOn: date("platform_created_on", { mode: "string" }),
    registeredAt: instant("registered_at"),
    mfaEnabled: boolean("mfa_enabled").notNull().default(false),
    /** 4.3.3: where the city's security policy covers this account. */
    securityPolicyRef: text("security_policy_ref").notNull().default(""),
    passwordChangedAt: instant("password_changed_at"),
    passwordChangedBy: integer("password_changed_by").references(() => staff.id),
    /** The profile text as it is now on the platform (pasted by the manager, 4.4.3). */
    currentBio: text("current_bio").notNull().default(""),
    bioCheckedAt: instant("bio_checked_at"),
    bioHasErrors: boolean("bio_has_errors").notNull().default(false),
    closedOn: date("closed_on", { mode: "string" }),
    /**
     * How the account came into the registry: through an application in this system, or recorded
     * afterwards as an account approved on paper before the system (既存アカウントとして登録).
     */
    origin: text("origin").notNull().default("application"),
    /** What the 起案 asks besides the purpose (the city decides on these, 4.1.2). */
    plannedStartOn: date("planned_start_on", { mode: "string" }),
    /** The media-policy draft (メディアポリシー案) submitted with the application (4.2.1). */
    policyDraft: text("policy_draft").notNull().default(""),
    /** The platform's terms of use were read before applying. */
    termsConfirmed: boolean("terms_confirmed").notNull().default(false),
    /** Who owns the e-mail address and phone number the account logs in with (4.3.3). */
    loginOwner: text("login_owner").notNull().default(""),
    /** How two-factor authentication is (to be) set up (4.3.3). */
    twoFactorPlan: text("two_factor_plan").notNull().default(""),
    cost: text("cost").notNull().default(""),
    /** 合議先: the divisions consulted on the application (e.g. 広報広聴課、情報政策課). */
    consultedDivisions: text("consulted_divisions").notNull().default(""),
    /** The login e-mail address and phone number, recorded at registration for the 届出 (4.1.2). */
    loginEmail: text("login_email").notNull().default(""),
    loginPhone: text("login_phone").notNull().default(""),
    /** Optimistic concurrency: bumped on every change, checked by approvals. */
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check(
      "accounts_status_check",
      sql`${t.status} in ('draft','pending_department_head','pending_policy_director','returned','rejected','existing_pending','approved','active','change_announced','closure_announced','closed')`,
    ),
    check("accounts_origin_check", sql`${t.origin} in ('application','existing')`),
    index("accounts_division_idx").on(t.divisionId),
    index("accounts_status_idx").on(t.status),
    index("accounts_handle_idx").on(sql`lower(${t.handle})`),
  ],
);

/** Every step of an account's application and life: submitted, approved, returned (with comments), … */
export const accountEvents = pgTable(
  "account_events",
  {
    id: id(),
    accountId: integer("account_id")
      .notNull()
      .references(() => accounts.id),
    kind: text("kind").notNull(),
    actorId: integer("actor_id").references(() => staff.id),
    comment: text("comment").notNull().default(""),
    /** The application content at this step (for the history and "what changed"). */
    snapshot: jsonb("snapshot"),
    at: instant("at").notNull(),
  },
  (t) => [index("account_events_account_idx").on(t.accountId, t.at)],
);

/** Approval steps (4.1.2): one row per step; the unique index makes a second approval of a step impossible. */
export const accountApprovals = pgTable(
  "account_approvals",
  {
    id: id(),
    accountId: integer("account_id")
      .notNull()
      .references(() => accounts.id),
    /** Which round of submission (a returned application is resubmitted as round + 1). */
    round: integer("round").notNull(),
    step: text("step").notNull(),
    approverId: integer("approver_id")
      .notNull()
      .references(() => staff.id),
    at: instant("at").notNull(),
  },
  (t) => [
    check("account_approvals_step_check", sql`${t.step} in ('department_head','policy_director')`),
    uniqueIndex("account_approvals_step_idx").on(t.accountId, t.round, t.step),
  ],
);

/** 運用に携わる職員 (4.1.3, 3): the staff named in advance to post for an account. */
export const accountOperators = pgTable(
  "account_operators",
  {
    accountId: integer("account_id")
      .notNull()
      .references(() => accounts.id),
    staffId: integer("staff_id")
      .notNull()
      .references(() => staff.id),
    addedAt: createdAt(),
  },
  (t) => [uniqueIndex("account_operators_pk").on(t.accountId, t.staffId)],
);

/** Who can log in to the platform account (4.3.1 必要最小限). The password itself is never stored (this system's choice). */
export const credentialHolders = pgTable(
  "credential_holders",
  {
    accountId: integer("account_id")
      .notNull()
      .references(() => accounts.id),
    staffId: integer("staff_id")
      .notNull()
      .references(() => staff.id),
    addedAt: createdAt(),
  },
  (t) => [uniqueIndex("credential_holders_pk").on(t.accountId, t.staffId)],
);

/**
 * メディアポリシー (4.2), versioned. A version is drafted, approved by the account manager (then
 * it is the one in force and published), and superseded by the next approved version.
 */
export const mediaPolicies = pgTable(
  "media_policies",
  {
    id: id(),
    accountId: integer("account_id")
      .notNull()
      .references(() => accounts.id),
    version: integer("version").notNull(),
    status: text("status").notNull().default("draft"),
    purpose: text("purpose").notNull().default(""),
    platformDescription: text("platform_description").notNull().default(""),
    content: text("content").notNull().default(""),
    staffInCharge: text("staff_in_charge").notNull().default(""),
    frequency: text("frequency").notNull().default(""),
    timing: text("timing").notNull().default(""),
    method: text("method").notNull().default(""),
    commentHandling: text("comment_handling").notNull().default(""),
    replyPolicy: text("reply_policy").notNull().default(""),
    replyText: text("reply_text").notNull().default(""),
    changeSummary: text("change_summary").notNull().default(""),
    authorId: integer("author_id").references(() => staff.id),
    approvedBy: integer("approved_by").references(() => staff.id),
    approvedAt: instant("approved_at"),
    /** When the policy is due for review (4.2.3): the city's period from the pack (default 12 months after approval; the clause sets none). */
    reviewDue: date("review_due", { mode: "string" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("media_policies_status_check", sql`${t.status} in ('draft','approved','superseded')`),
    check("media_policies_reply_check", sql`${t.replyPolicy} in ('','reply','no_reply','case_by_case')`),
    uniqueIndex("media_policies_version_idx").on(t.accountId, t.version),
    index("media_policies_status_idx").on(t.accountId, t.status),
  ],
);

/**
 * Work someone has to do, with a due date: password rotation after a transfer (4.3.2),
 * confirming operators after a manager change (4.1.4), notifying the security director of a
 * change or closure (4.5.1), reviewing a policy (4.2.3)… Closed with who did it and when.
 */
export const tasks = pgTable(
  "tasks",
  {
    id: id(),
    kind: text("kind").notNull(),
    accountId: integer("account_id").references(() => accounts.id),
    assigneeId: integer("assignee_id").references(() => staff.id),
    title: text("title").notNull(),
    clause: text("clause").notNull().default(""),
    dueDate: date("due_date", { mode: "string" }),
    status: text("status").notNull().default("open"),
    /** What caused it (e.g. the transfer), for the history. */
    cause: jsonb("cause"),
    openedAt: instant("opened_at").notNull(),
    doneAt: instant("done_at"),
    doneBy: integer("done_by").references(() => staff.id),
    /** What was recorded when closing (e.g. when the password was changed, by whom). */
    resolution: jsonb("resolution"),
  },
  (t) => [
    check("tasks_status_check", sql`${t.status} in ('open','done','cancelled')`),
    index("tasks_open_idx").on(t.status, t.dueDate),
    index("tasks_assignee_idx").on(t.assigneeId, t.status),
    index("tasks_account_idx").on(t.accountId),
  ],
);

/**
 * A change (name, handle, platform move) or closure of an account (4.5), with its notice
 * periods: notified to the policy director before the announcement (4.5.1), announced at least
 * one month before the effective date (4.5.2), shown publicly until the end of its window.
 */
export const accountNotices = pgTable(
  "account_notices",
  {
    id: id(),
    accountId: integer("account_id")
      .notNull()
      .references(() => accounts.id),
    kind: text("kind").notNull(),
    status: text("status").notNull().default("requested"),
    /** For a change: the new name, handle, platform, URL (as JSON). */
    details: jsonb("details").notNull(),
    reason: text("reason").notNull().default(""),
    effectiveDate: date("effective_date", { mode: "string" }).notNull(),
    announcementDate: date("announcement_date", { mode: "string" }),
    /** Last day the public notice is shown (effective date + 1 year for a change, + 6 months for a closure). */
    displayUntil: date("display_until", { mode: "string" }),
    requestedBy: integer("requested_by").references(() => staff.id),
    requestedAt: instant("requested_at").notNull(),
    policyDirectorNotifiedAt: instant("policy_director_notified_at"),
    policyDirectorNotifiedBy: integer("policy_director_notified_by").references(() => staff.id),
    announcementText: text("announcement_text").notNull().default(""),
    announcedAt: instant("announced_at"),
    effectiveAt: instant("effective_at"),
    cancelledAt: instant("cancelled_at"),
    /** The announcement post on the account itself (4.5.2 当該ソーシャルメディアに掲載). */
    announcementPostId: integer("announcement_post_id"),
    /** When and where the announcement post went out (copied from its publishing record). */
    snsPublishedAt: instant("sns_published_at"),
    snsPublishedUrl: text("sns_published_url"),
  },
  (t) => [
    check("account_notices_kind_check", sql`${t.kind} in ('change','closure')`),
    check(
      "account_notices_status_check",
      sql`${t.status} in ('requested','notified','scheduled','announced','effective','cancelled')`,
    ),
    index("account_notices_account_idx").on(t.accountId),
    index("account_notices_public_idx").on(t.status, t.announcementDate, t.displayUntil),
  ],
);

/**
 * 届出: a notification a director must receive and confirm — the acquisition of an account to
 * the security director (4.1.2 取得後), a change or closure to the policy director before it is
 * announced and to the security director after (4.5.1). One row per sending (round); the
 * director confirms it or asks a question, and the manager answers by sending the next round.
 * `content` is what was sent, as it was sent.
 */
export const accountFilings = pgTable(
  "account_filings",
  {
    id: id(),
    accountId: integer("account_id")
      .notNull()
      .references(() => accounts.id),
    /** The change or closure a 4.5.1 filing is about. */
    noticeId: integer("notice_id").references(() => accountNotices.id),
    kind: text("kind").notNull(),
    round: integer("round").notNull(),
    status: text("status").notNull().default("sent"),
    content: jsonb("content").notNull(),
    /** The sender's note; for a later round, the answer to the director's question. */
    message: text("message").notNull().default(""),
    sentAt: instant("sent_at").notNull(),
    sentBy: integer("sent_by").references(() => staff.id),
    confirmedAt: instant("confirmed_at"),
    confirmedBy: integer("confirmed_by").references(() => staff.id),
    question: text("question").notNull().default(""),
    questionedAt: instant("questioned_at"),
    questionedBy: integer("questioned_by").references(() => staff.id),
    /** When a later round replaced it unanswered, or its notice was cancelled. */
    closedAt: instant("closed_at"),
  },
  (t) => [
    check("account_filings_kind_check", sql`${t.kind} in ('acquisition','notice_policy','notice_security')`),
    check(
      "account_filings_status_check",
      sql`${t.status} in ('sent','confirmed','questioned','superseded','withdrawn')`,
    ),
    uniqueIndex("account_filings_round_idx").on(
      t.accountId,
      t.kind,
      sql`coalesce(${t.noticeId}, 0)`,
      t.round,
    ),
    index("account_filings_status_idx").on(t.status, t.kind),
    index("account_filings_notice_idx").on(t.noticeId),
  ],
);

/**
 * 文書番号 and 決裁日 of the city's document-management system (文書管理システム) for an
 * application (起案), a 届出 or a change/closure request, typed in by staff. Versioned: a
 * correction is a new version with its reason; the newest version is the one in force.
 */
export const documentRecords = pgTable(
  "document_records",
  {
    id: id(),
    subjectType: text("subject_type").notNull(),
    subjectId: integer("subject_id").notNull(),
    version: integer("version").notNull(),
    documentNumber: text("document_number").notNull(),
    decidedOn: date("decided_on", { mode: "string" }),
    reason: text("reason").notNull().default(""),
    recordedBy: integer("recorded_by").references(() => staff.id),
    recordedAt: instant("recorded_at").notNull(),
  },
  (t) => [
    check("document_records_subject_check", sql`${t.subjectType} in ('application','filing','notice')`),
    uniqueIndex("document_records_version_idx").on(t.subjectType, t.subjectId, t.version),
  ],
);

/**
 * An account that existed before this system, recorded by an administrator with the dates of
 * the approvals given on paper (4.1.2) and confirmed by the policy director
 * (既存アカウントとして登録). The original 起案's 文書番号 is a document record of the application.
 */
export const existingAccounts = pgTable("existing_accounts", {
  accountId: integer("account_id")
    .primaryKey()
    .references(() => accounts.id),
  draftedOn: date("drafted_on", { mode: "string" }),
  departmentApprovedOn: date("department_approved_on", { mode: "string" }).notNull(),
  policyApprovedOn: date("policy_approved_on", { mode: "string" }).notNull(),
  /** The paper 届出 to the security director, when there was one. */
  securityFiledOn: date("security_filed_on", { mode: "string" }),
  note: text("note").notNull().default(""),
  recordedBy: integer("recorded_by").references(() => staff.id),
  recordedAt: instant("recorded_at").notNull(),
  confirmedBy: integer("confirmed_by").references(() => staff.id),
  confirmedAt: instant("confirmed_at"),
});

// ─── Posts (5.1.3–5.1.6, 5.2, 5.3) ─────────────────────────────────────────────────────────

/**
 * A post for one account. Posts drafted together for several accounts share a `group_id`.
 * category: normal (approval by the account manager first) or one of the four post-hoc
 * exceptions of 5.1.4 (repost ①, fact ②, legal ③, emergency ④: publish first, report after).
 * status: draft → pending (承認待ち) → approved → published; returned / rejected; deleted
 * (removed from the platform after publishing, with a reason).
 */
export const posts = pgTable(
  "posts",
  {
    id: id(),
    groupId: integer("group_id"),
    accountId: integer("account_id")
      .notNull()
      .references(() => accounts.id),
    kind: text("kind").notNull().default("post"),
    category: text("category").notNull().default("normal"),
    status: text("status").notNull().default("draft"),
    text: text("text").notNull().default(""),
    /** Bumped on every edit; approvals are for one version (a change sends it back, 5.1.4). */
    version: integer("version").notNull().default(1),
    authorId: integer("author_id")
      .notNull()
      .references(() => staff.id),
    /** 5.2.2.2: before this instant the post is an error (unpublished policy). */
    embargoUntil: instant("embargo_until"),
    scheduledAt: instant("scheduled_at"),
    /** ① 既発信内容の再発信: the earlier post (of any of the city's accounts) this repeats. */
    repostOf: integer("repost_of"),
    /**
     * ① from a page on one of the city's own domains instead of a post: its URL and the passage
     * quoted from it, as the operator gave them (the approver compares them when acknowledging).
     */
    repostSourceUrl: text("repost_source_url"),
    repostQuote: text("repost_quote"),
    /** A correction (5.3.3) names the post it corrects. */
    correctsPostId: integer("corrects_post_id"),
    /** Made from a pre-approved scope (予め範囲を決めた許可). */
    scopeId: integer("scope_id"),
    scopeValues: jsonb("scope_values"),
    /**
     * LINE only: who receives it (`LineAudience`, src/domain/line-audience.ts): null for every
     * friend (broadcast), else a narrowcast audience. Part of what is approved (5.1.4).
     */
    audience: jsonb("audience"),
    /** Why an error finding should not block (the approver sees it). */
    justification: text("justification").notNull().default(""),
    /** Findings of the checker on the current version (the authority is the server). */
    findings: jsonb("findings").notNull().default(sql`'[]'::jsonb`),
    errorCount: integer("error_count").notNull().default(0),
    warningCount: integer("warning_count").notNull().default(0),
    submittedAt: instant("submitted_at"),
    approvedAt: instant("approved_at"),
    approvedBy: integer("approved_by").references(() => staff.id),
    /** manager | deputy | scope | verbal | post_hoc */
    approvalRule: text("approval_rule"),
    approvedVersion: integer("approved_version"),
    /** Post-hoc report (事後報告): due and acknowledged. */
    reportDueAt: instant("report_due_at"),
    acknowledgedAt: instant("acknowledged_at"),
    acknowledgedBy: integer("acknowledged_by").references(() => staff.id),
    publishedAt: instant("published_at"),
    publishedUrl: text("published_url"),
    publishedBy: integer("published_by").references(() => staff.id),
    deletedAt: instant("deleted_at"),
    deletedReason: text("deleted_reason"),
    /** Marked erroneous (5.3.2): a correction is due by `correction_due_at`. */
    erroneousAt: instant("erroneous_at"),
    erroneousBy: integer("erroneous_by").references(() => staff.id),
    erroneousNote: text("erroneous_note"),
    correctionDueAt: instant("correction_due_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("posts_kind_check", sql`${t.kind} in ('post','correction')`),
    check("posts_category_check", sql`${t.category} in ('normal','repost','fact','legal','emergency')`),
    check(
      "posts_status_check",
      sql`${t.status} in ('draft','pending','returned','rejected','approved','published','deleted')`,
    ),
    index("posts_account_idx").on(t.accountId, t.createdAt),
    index("posts_status_idx").on(t.status, t.scheduledAt),
    index("posts_group_idx").on(t.groupId),
    index("posts_created_idx").on(t.createdAt),
    index("posts_published_idx").on(t.publishedAt),
    index("posts_corrects_idx").on(t.correctsPostId),
    // The archive (情報公開請求): text search by trigrams (pg_trgm, migration 0005), findings by
    // clause (jsonb containment), and the newest-first order with its tie-breaker.
    index("posts_text_trgm_idx").using("gin", t.text.op("gin_trgm_ops")),
    index("posts_findings_idx").using("gin", t.findings.op("jsonb_path_ops")),
    index("posts_created_id_idx").on(t.createdAt, t.id),
  ],
);

/** Every saved version of a post with the checker's findings at that moment. */
export const postVersions = pgTable(
  "post_versions",
  {
    id: id(),
    postId: integer("post_id")
      .notNull()
      .references(() => posts.id),
    version: integer("version").notNull(),
    text: text("text").notNull(),
    findings: jsonb("findings").notNull(),
    images: jsonb("images").notNull(),
    /** The version's LINE audience (null: every friend), as the post had it when saved. */
    audience: jsonb("audience"),
    authorId: integer("author_id").references(() => staff.id),
    at: instant("at").notNull(),
  },
  (t) => [
    uniqueIndex("post_versions_idx").on(t.postId, t.version),
    // The archive's "a finding of this clause in any version" condition.
    index("post_versions_findings_idx").using("gin", t.findings.op("jsonb_path_ops")),
  ],
);

/**
 * Images of a post, with the alt text (required) and the rights confirmation (5.1.3, 5.2.3):
 * own photo, consent obtained, or licensed, with a note. Stored in the database so a backup
 * holds them.
 */
export const postImages = pgTable(
  "post_images",
  {
    id: id(),
    postId: integer("post_id")
      .notNull()
      .references(() => posts.id),
    position: integer("position").notNull().default(0),
    filename: text("filename").notNull(),
    contentType: text("content_type").notNull(),
    bytes: bytea("bytes").notNull(),
    size: integer("size").notNull(),
    alt: text("alt").notNull(),
    rights: text("rights").notNull(),
    rightsNote: text("rights_note").notNull().default(""),
    /** What was removed from the file before it was stored (gps, exif, xmp, …; 5.2.2.1). */
    metadataRemoved: text("metadata_removed").array().notNull().default(sql`'{}'::text[]`),
    createdAt: createdAt(),
  },
  (t) => [
    check("post_images_rights_check", sql`${t.rights} in ('own','consent','licensed')`),
    index("post_images_post_idx").on(t.postId),
  ],
);

/**
 * JPEG derivatives of a post image made for a platform that cannot take the image as it is (LINE's
 * preview of at most 1 MB; Instagram, which takes JPEG only): made once when a post is sent, served
 * at their own signed URL, and named in the outbox row's answer, so the record says which bytes
 * went out. Derived from the approved image (`source_sha256`); removed with it.
 */
export const postImageDerivatives = pgTable(
  "post_image_derivatives",
  {
    id: id(),
    imageId: integer("image_id")
      .notNull()
      .references(() => postImages.id, { onDelete: "cascade" }),
    variant: text("variant").notNull(),
    contentType: text("content_type").notNull(),
    bytes: bytea("bytes").notNull(),
    size: integer("size").notNull(),
    width: integer("width").notNull(),
    height: integer("height").notNull(),
    quality: integer("quality").notNull(),
    sourceSha256: text("source_sha256").notNull(),
    sha256: text("sha256").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    check("post_image_derivatives_variant_check", sql`${t.variant} in ('preview','jpeg')`),
    uniqueIndex("post_image_derivatives_image_variant_idx").on(t.imageId, t.variant),
  ],
);

/** Decisions on a post: approvals (with the rule applied), returns, rejections, acknowledgements. */
export const postDecisions = pgTable(
  "post_decisions",
  {
    id: id(),
    postId: integer("post_id")
      .notNull()
      .references(() => posts.id),
    version: integer("version").notNull(),
    decision: text("decision").notNull(),
    rule: text("rule").notNull().default(""),
    actorId: integer("actor_id").references(() => staff.id),
    comment: text("comment").notNull().default(""),
    /** For a verbal approval (口頭) or a confirmation on the spot: when it was given. */
    givenAt: instant("given_at"),
    /**
     * Who recorded the decision when it is not the person who took it: the operator who entered
     * the confirmation given on the spot before a post-hoc post with an error went out (5.2).
     */
    recordedBy: integer("recorded_by").references(() => staff.id),
    at: instant("at").notNull(),
  },
  (t) => [
    check("post_decisions_decision_check", sql`${t.decision} in ('approve','return','reject','acknowledge')`),
    index("post_decisions_post_idx").on(t.postId),
    uniqueIndex("post_decisions_once_idx")
      .on(t.postId, t.version, t.decision)
      .where(sql`${t.decision} in ('approve','acknowledge')`),
  ],
);

/**
 * Corrections of a post's publishing record (発信日時, 発信した投稿のURL): the record is a 公文書,
 * so a wrong value is never rewritten silently — the account manager corrects it with a reason and
 * the values before and after are kept here, one row per correction (訂正履歴). The post row holds
 * the current values; the first row's `before_*` are the values first recorded.
 */
export const postPublishingCorrections = pgTable(
  "post_publishing_corrections",
  {
    id: id(),
    postId: integer("post_id")
      .notNull()
      .references(() => posts.id),
    /** 1 for the first correction of the post, then 2, 3… */
    seq: integer("seq").notNull(),
    publishedAtBefore: instant("published_at_before"),
    publishedUrlBefore: text("published_url_before"),
    publishedAtAfter: instant("published_at_after"),
    publishedUrlAfter: text("published_url_after"),
    reason: text("reason").notNull(),
    correctedBy: integer("corrected_by")
      .notNull()
      .references(() => staff.id),
    correctedAt: instant("corrected_at").notNull(),
  },
  (t) => [uniqueIndex("post_publishing_corrections_idx").on(t.postId, t.seq)],
);

/** 予め範囲を決めた許可 (5.1.4): a named template the manager pre-approves for an account. */
export const postScopes = pgTable(
  "post_scopes",
  {
    id: id(),
    accountId: integer("account_id")
      .notNull()
      .references(() => accounts.id),
    name: text("name").notNull(),
    /** Text with {field} placeholders. */
    template: text("template").notNull(),
    /** The fields a post fills in, with a label and an optional pattern. */
    fields: jsonb("fields").notNull(),
    categories: jsonb("categories").notNull(),
    /** Links allowed only to the city's own domains. */
    cityLinksOnly: boolean("city_links_only").notNull().default(true),
    validUntil: date("valid_until", { mode: "string" }).notNull(),
    createdBy: integer("created_by").references(() => staff.id),
    active: boolean("active").notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("post_scopes_account_idx").on(t.accountId)],
);

/** The deputy an account manager names to approve during an absence (5.1.4), recorded. */
export const approvalDeputies = pgTable(
  "approval_deputies",
  {
    id: id(),
    divisionId: integer("division_id")
      .notNull()
      .references(() => divisions.id),
    managerId: integer("manager_id")
      .notNull()
      .references(() => staff.id),
    deputyId: integer("deputy_id")
      .notNull()
      .references(() => staff.id),
    fromDate: date("from_date", { mode: "string" }).notNull(),
    toDate: date("to_date", { mode: "string" }).notNull(),
    reason: text("reason").notNull().default(""),
    createdAt: createdAt(),
    revokedAt: instant("revoked_at"),
  },
  (t) => [index("approval_deputies_division_idx").on(t.divisionId, t.fromDate)],
);

// ─── Incidents (7), guideline versions (8), council (6), violations (9), consultations (10) ──

/**
 * An incident reported by any member of staff (7: 直ちにアカウント管理者へ報告). type: leak (7.1),
 * flaming 炎上 (7.2), impersonation なりすまし (7.3), hijack 乗っ取り (7.3(1): the city's own account
 * taken over), misinformation デマ (7.4), complaint 誤解・苦情
 * (5.1.6). status: responding 対応中 → monitoring 監視中 → closed 終結 (with a closing review).
 */
export const incidents = pgTable(
  "incidents",
  {
    id: id(),
    type: text("type").notNull(),
    severity: text("severity").notNull().default("medium"),
    status: text("status").notNull().default("responding"),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    links: jsonb("links").notNull().default(sql`'[]'::jsonb`),
    noticedAt: instant("noticed_at").notNull(),
    reportedBy: integer("reported_by").references(() => staff.id),
    accountId: integer("account_id").references(() => accounts.id),
    postId: integer("post_id").references(() => posts.id),
    /** The account manager told at once (7). */
    managerId: integer("manager_id").references(() => staff.id),
    /** The first public statement (7.2: a reminder when none within a configurable time). */
    publicStatementAt: instant("public_statement_at"),
    reviewWhatHappened: text("review_what_happened").notNull().default(""),
    reviewWhatToChange: text("review_what_to_change").notNull().default(""),
    closedAt: instant("closed_at"),
    closedBy: integer("closed_by").references(() => staff.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check(
      "incidents_type_check",
      sql`${t.type} in ('leak','flaming','impersonation','hijack','misinformation','complaint')`,
    ),
    check("incidents_severity_check", sql`${t.severity} in ('low','medium','high','critical')`),
    check("incidents_status_check", sql`${t.status} in ('responding','monitoring','closed')`),
    index("incidents_status_idx").on(t.status, t.createdAt),
    index("incidents_account_idx").on(t.accountId),
    index("incidents_post_idx").on(t.postId),
  ],
);

/** A playbook step of an incident: a checklist item with an owner and a due time, done or not. */
export const incidentSteps = pgTable(
  "incident_steps",
  {
    id: id(),
    incidentId: integer("incident_id")
      .notNull()
      .references(() => incidents.id),
    stepKey: text("step_key").notNull(),
    title: text("title").notNull(),
    clause: text("clause").notNull().default(""),
    position: integer("position").notNull().default(0),
    ownerId: integer("owner_id").references(() => staff.id),
    /**
     * 7: who gave the step its owner, and when. Null while the step keeps the owner the playbook
     * gave it at the report: a reporter who holds a step that way adds information but does not
     * become a responder; an owner given by a responder (the people they assign) does.
     */
    assignedBy: integer("assigned_by").references(() => staff.id),
    assignedAt: instant("assigned_at"),
    dueAt: instant("due_at"),
    doneAt: instant("done_at"),
    doneBy: integer("done_by").references(() => staff.id),
    note: text("note").notNull().default(""),
  },
  (t) => [uniqueIndex("incident_steps_key_idx").on(t.incidentId, t.stepKey)],
);

/** The incident's timeline: every action, note and contact, in order. */
export const incidentEvents = pgTable(
  "incident_events",
  {
    id: id(),
    incidentId: integer("incident_id")
      .notNull()
      .references(() => incidents.id),
    kind: text("kind").notNull(),
    note: text("note").notNull().default(""),
    data: jsonb("data"),
    actorId: integer("actor_id").references(() => staff.id),
    at: instant("at").notNull(),
  },
  (t) => [index("incident_events_idx").on(t.incidentId, t.at)],
);

/** Screenshots and files attached to an incident. */
export const incidentAttachments = pgTable(
  "incident_attachments",
  {
    id: id(),
    incidentId: integer("incident_id")
      .notNull()
      .references(() => incidents.id),
    filename: text("filename").notNull(),
    contentType: text("content_type").notNull(),
    bytes: bytea("bytes").notNull(),
    size: integer("size").notNull(),
    description: text("description").notNull().default(""),
    uploadedBy: integer("uploaded_by").references(() => staff.id),
    createdAt: createdAt(),
  },
  (t) => [index("incident_attachments_idx").on(t.incidentId)],
);

/**
 * A fake account (7.3): its URL and handle (the verification page answers "known impersonation"
 * for it, 7.3.1), the takedown request to the platform, and the public warning.
 */
export const impersonations = pgTable(
  "impersonations",
  {
    id: id(),
    incidentId: integer("incident_id")
      .notNull()
      .references(() => incidents.id),
    platform: text("platform").notNull(),
    url: text("url").notNull(),
    handle: text("handle").notNull(),
    /** Which official account it pretends to be. */
    officialAccountId: integer("official_account_id").references(() => accounts.id),
    takedownRequestedAt: instant("takedown_requested_at"),
    takedownReference: text("takedown_reference").notNull().default(""),
    platformAnswer: text("platform_answer").notNull().default(""),
    takenDownAt: instant("taken_down_at"),
    /** The warning shown on /public/notices (7.3.1 周知). */
    publicWarning: text("public_warning").notNull().default(""),
    /**
     * When a responder (the account manager, the policy director or someone they assign)
     * confirmed the warning and it went public; null while it waits for them (7, 7.3.1). Until
     * then neither /public/notices nor /public/verify says anything of the fake account.
     */
    warningPublishedAt: instant("warning_published_at"),
    /** Who confirmed it (null for warnings published before confirmation was recorded). */
    warningPublishedBy: integer("warning_published_by").references(() => staff.id),
    warningEndsAt: instant("warning_ends_at"),
    createdAt: createdAt(),
  },
  (t) => [
    index("impersonations_handle_idx").on(t.platform, sql`lower(${t.handle})`),
    index("impersonations_incident_idx").on(t.incidentId),
  ],
);

/**
 * A hijacked official account (乗っ取り, 7.3(1), 2.5), one per 乗っ取り incident: since when it has
 * been compromised, the public marking 「現在、不正アクセスを受けています」 (published by a
 * responder, 7; shown on /public/accounts, /public/verify and the account's page until
 * recovery), the report to the 情報統括管理者 and their confirmation, and the recovery.
 */
export const accountHijacks = pgTable(
  "account_hijacks",
  {
    id: id(),
    incidentId: integer("incident_id")
      .notNull()
      .references(() => incidents.id),
    accountId: integer("account_id")
      .notNull()
      .references(() => accounts.id),
    /** From when posts are not the city's (the notice names its hour). */
    compromisedSince: instant("compromised_since").notNull(),
    /** When a responder published the marking; null while it waits for them (7). */
    markingPublishedAt: instant("marking_published_at"),
    markingPublishedBy: integer("marking_published_by").references(() => staff.id),
    /** 4.3.3: the report to the 情報統括管理者, and their confirmation of receipt. */
    directorReportedAt: instant("director_reported_at"),
    directorReportedBy: integer("director_reported_by").references(() => staff.id),
    directorConfirmedAt: instant("director_confirmed_at"),
    directorConfirmedBy: integer("director_confirmed_by").references(() => staff.id),
    /** When a responder recorded recovery; the marking ends then. */
    recoveredAt: instant("recovered_at"),
    recoveredBy: integer("recovered_by").references(() => staff.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("account_hijacks_incident_idx").on(t.incidentId),
    index("account_hijacks_account_idx").on(t.accountId),
  ],
);

/** 7.3.2: trusted bodies and media contacted, with dates. */
export const incidentContacts = pgTable(
  "incident_contacts",
  {
    id: id(),
    incidentId: integer("incident_id")
      .notNull()
      .references(() => incidents.id),
    organisation: text("organisation").notNull(),
    contactedAt: instant("contacted_at").notNull(),
    person: text("person").notNull().default(""),
    note: text("note").notNull().default(""),
    recordedBy: integer("recorded_by").references(() => staff.id),
  },
  (t) => [index("incident_contacts_idx").on(t.incidentId)],
);

/**
 * Guideline pack versions (8.1): the whole pack (clauses, checker rules and vocabularies,
 * deadlines, limits, templates) as JSON with an effective date; only the policy director
 * publishes. The version in force on a day is the latest published one effective by then.
 */
export const guidelineVersions = pgTable(
  "guideline_versions",
  {
    id: id(),
    label: text("label").notNull(),
    effectiveDate: date("effective_date", { mode: "string" }).notNull(),
    pack: jsonb("pack").notNull(),
    /** The clauses' text (id → text), for the diff staff acknowledge. */
    clauses: jsonb("clauses").notNull(),
    summary: text("summary").notNull().default(""),
    status: text("status").notNull().default("draft"),
    createdBy: integer("created_by").references(() => staff.id),
    publishedBy: integer("published_by").references(() => staff.id),
    publishedAt: instant("published_at"),
    createdAt: createdAt(),
  },
  (t) => [
    check("guideline_versions_status_check", sql`${t.status} in ('draft','published')`),
    index("guideline_versions_effective_idx").on(t.status, t.effectiveDate),
  ],
);

/** 8.2 周知徹底: who has acknowledged which version, when. */
export const guidelineAcknowledgements = pgTable(
  "guideline_acknowledgements",
  {
    versionId: integer("version_id")
      .notNull()
      .references(() => guidelineVersions.id),
    staffId: integer("staff_id")
      .notNull()
      .references(() => staff.id),
    at: instant("at").notNull(),
  },
  (t) => [uniqueIndex("guideline_acknowledgements_pk").on(t.versionId, t.staffId)],
);

/**
 * 協議会 (6.2 アカウントを取得または取得しようとする部署の担当者): who sits for a division (課等)
 * instead of its 課等の長, when someone is named. A division that holds or applies for an account
 * sits by its 課等の長 (アカウント管理者) otherwise. `department_id` is the division's department at
 * the time; rows from before seats were per division and whose member had no division keep a
 * null `division_id` and seat nobody.
 */
export const councilMembers = pgTable(
  "council_members",
  {
    departmentId: integer("department_id")
      .notNull()
      .references(() => departments.id),
    divisionId: integer("division_id").references(() => divisions.id),
    staffId: integer("staff_id")
      .notNull()
      .references(() => staff.id),
    designatedAt: instant("designated_at").notNull(),
    designatedBy: integer("designated_by").references(() => staff.id),
  },
  (t) => [
    index("council_members_department_idx").on(t.departmentId),
    uniqueIndex("council_members_division_idx").on(t.divisionId),
  ],
);

/** Council meetings with agenda and minutes. */
export const councilMeetings = pgTable(
  "council_meetings",
  {
    id: id(),
    heldOn: date("held_on", { mode: "string" }).notNull(),
    title: text("title").notNull(),
    agenda: text("agenda").notNull().default(""),
    minutes: text("minutes").notNull().default(""),
    createdBy: integer("created_by").references(() => staff.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("council_meetings_held_idx").on(t.heldOn)],
);

export const councilAttachments = pgTable(
  "council_attachments",
  {
    id: id(),
    meetingId: integer("meeting_id")
      .notNull()
      .references(() => councilMeetings.id),
    filename: text("filename").notNull(),
    contentType: text("content_type").notNull(),
    bytes: bytea("bytes").notNull(),
    size: integer("size").notNull(),
    uploadedBy: integer("uploaded_by").references(() => staff.id),
    createdAt: createdAt(),
  },
  (t) => [index("council_attachments_idx").on(t.meetingId)],
);

/** The council's rules (規約, 6.3) as a versioned document. */
export const councilRules = pgTable(
  "council_rules",
  {
    id: id(),
    version: integer("version").notNull(),
    text: text("text").notNull(),
    adoptedOn: date("adopted_on", { mode: "string" }).notNull(),
    changeSummary: text("change_summary").notNull().default(""),
    createdBy: integer("created_by").references(() => staff.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("council_rules_version_idx").on(t.version)],
);

/**
 * A violation record (9), visible only to the policy director, the security director and
 * auditors. `properProcedure`: the act answered a malicious demand through the proper procedure
 * (9 ただし書: not subject to discipline).
 */
export const violations = pgTable(
  "violations",
  {
    id: id(),
    clause: text("clause").notNull(),
    severity: text("severity").notNull(),
    circumstances: text("circumstances").notNull(),
    properProcedure: boolean("proper_procedure").notNull().default(false),
    outcome: text("outcome").notNull().default(""),
    status: text("status").notNull().default("open"),
    postId: integer("post_id").references(() => posts.id),
    incidentId: integer("incident_id").references(() => incidents.id),
    createdBy: integer("created_by").references(() => staff.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("violations_severity_check", sql`${t.severity} in ('low','medium','high')`),
    check("violations_status_check", sql`${t.status} in ('open','closed')`),
  ],
);

/** People in a violation record: 違反した職員, 助長した職員, 監督責任者 (9). */
export const violationPeople = pgTable(
  "violation_people",
  {
    violationId: integer("violation_id")
      .notNull()
      .references(() => violations.id),
    staffId: integer("staff_id")
      .notNull()
      .references(() => staff.id),
    role: text("role").notNull(),
  },
  (t) => [
    check("violation_people_role_check", sql`${t.role} in ('violator','abettor','supervisor')`),
    uniqueIndex("violation_people_pk").on(t.violationId, t.staffId, t.role),
  ],
);

/** 10: questions the guideline does not answer, to the consultation desk; a searchable knowledge base. */
export const consultations = pgTable(
  "consultations",
  {
    id: id(),
    title: text("title").notNull(),
    question: text("question").notNull(),
    askedBy: integer("asked_by").references(() => staff.id),
    askedAt: instant("asked_at").notNull(),
    answer: text("answer").notNull().default(""),
    answeredBy: integer("answered_by").references(() => staff.id),
    answeredAt: instant("answered_at"),
    status: text("status").notNull().default("open"),
    tags: jsonb("tags").notNull().default(sql`'[]'::jsonb`),
    closedAt: instant("closed_at"),
  },
  (t) => [
    check("consultations_status_check", sql`${t.status} in ('open','answered','closed')`),
    index("consultations_status_idx").on(t.status, t.askedAt),
  ],
);

// ─── Notifications ──────────────────────────────────────────────────────────────────────────

/** In-app notifications; e-mail is sent immediately, in a daily digest, or not, by preference. */
export const notifications = pgTable(
  "notifications",
  {
    id: id(),
    recipientId: integer("recipient_id")
      .notNull()
      .references(() => staff.id),
    kind: text("kind").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull().default(""),
    href: text("href").notNull().default(""),
    /** Urgent kinds (incidents, emergencies, overdue rotations) always go out by e-mail. */
    urgent: boolean("urgent").notNull().default(false),
    /** Dedupe key: the same reminder is not sent twice (e.g. "task:12:overdue"). */
    dedupeKey: text("dedupe_key"),
    createdAt: createdAt(),
    readAt: instant("read_at"),
    emailedAt: instant("emailed_at"),
    digestedAt: instant("digested_at"),
  },
  (t) => [
    index("notifications_recipient_idx").on(t.recipientId, t.createdAt),
    uniqueIndex("notifications_dedupe_idx").on(t.recipientId, t.dedupeKey),
  ],
);

/** Per person and kind: immediately, daily digest, or none. */
export const notificationPreferences = pgTable(
  "notification_preferences",
  {
    staffId: integer("staff_id")
      .notNull()
      .references(() => staff.id),
    kind: text("kind").notNull(),
    mode: text("mode").notNull(),
  },
  (t) => [
    check("notification_preferences_mode_check", sql`${t.mode} in ('immediate','digest','none')`),
    uniqueIndex("notification_preferences_pk").on(t.staffId, t.kind),
  ],
);

/** Personal iCalendar feed tokens (/calendar/{token}.ics), stored hashed. */
export const calendarTokens = pgTable("calendar_tokens", {
  staffId: integer("staff_id")
    .primaryKey()
    .references(() => staff.id),
  tokenHash: text("token_hash").notNull().unique(),
  createdAt: createdAt(),
});

// ─── Publishing through the platforms' APIs (issue 15) ──────────────────────────────────────

/**
 * A connection of an official account to its platform's API, made by the account manager
 * (アカウント管理者, 4.1.4): who connected it and when, and who revoked it. The token (channel
 * access token, OAuth access and refresh tokens) is kept only encrypted (AES-256-GCM) under a key
 * kept outside the database; `token_key_id` names that key so it can be rotated. The token is
 * never shown again. status: active → needs_reconnect (expired or revoked on the platform) →
 * active (reconnected) | revoked (by the manager).
 */
export const platformConnections = pgTable(
  "platform_connections",
  {
    id: id(),
    accountId: integer("account_id")
      .notNull()
      .references(() => accounts.id),
    platform: text("platform").notNull(),
    status: text("status").notNull().default("active"),
    /** The account's own id on the platform (LINE bot user id, X user id). */
    externalId: text("external_id").notNull().default(""),
    /** The handle the platform reported when connecting (`@iwaki_city`, LINE basic id). */
    externalHandle: text("external_handle").notNull().default(""),
    tokenCiphertext: text("token_ciphertext").notNull(),
    tokenKeyId: text("token_key_id").notNull(),
    /** When the access token expires (refreshed before, where the platform allows). */
    tokenExpiresAt: instant("token_expires_at"),
    scopes: text("scopes").notNull().default(""),
    connectedBy: integer("connected_by").references(() => staff.id),
    connectedAt: instant("connected_at").notNull(),
    revokedBy: integer("revoked_by").references(() => staff.id),
    revokedAt: instant("revoked_at"),
    revokedReason: text("revoked_reason").notNull().default(""),
    /** The platform's last refusal (Japanese), e.g. why a reconnection is needed. */
    lastError: text("last_error").notNull().default(""),
    /** The profile as last read from the platform (name, handle, bio, link), 4.4.3 / 7.3. */
    profile: jsonb("profile"),
    profileCheckedAt: instant("profile_checked_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("platform_connections_status_check", sql`${t.status} in ('active','needs_reconnect','revoked')`),
    uniqueIndex("platform_connections_live_idx")
      .on(t.accountId, t.platform)
      .where(sql`${t.status} <> 'revoked'`),
  ],
);

/**
 * The outbox: one row per post and connection, written when the approved post is due. The
 * sender claims it (a lease), sends exactly the approved version (its content hash is compared
 * again at send time), keeps the platform's answer, then records the publication through the
 * posts' use case. After a crash the row says how far it got; `idempotency_key` is sent as the
 * platform's retry key where one exists. status: pending → sending → accepted (the platform's
 * answer is kept) → recorded; failed (a task for the operators); cancelled (edited after
 * approval, connection revoked).
 */
export const publishingOutbox = pgTable(
  "publishing_outbox",
  {
    id: id(),
    postId: integer("post_id")
      .notNull()
      .references(() => posts.id),
    connectionId: integer("connection_id")
      .notNull()
      .references(() => platformConnections.id),
    platform: text("platform").notNull(),
    /**
     * pending → sending → accepted → recorded (or failed / cancelled). A LINE narrowcast waits in
     * `delivering` between accepted and recorded while LINE reports its progress.
     */
    status: text("status").notNull().default("pending"),
    /** The approved version and the SHA-256 of its text and images (hex). */
    version: integer("version").notNull(),
    contentHash: text("content_hash").notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    dueAt: instant("due_at").notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: instant("next_attempt_at").notNull(),
    /** The first time a send was started (a post found on the platform after it is ours). */
    firstSentAt: instant("first_sent_at"),
    leaseUntil: instant("lease_until"),
    platformPostId: text("platform_post_id"),
    platformUrl: text("platform_url"),
    platformRequestId: text("platform_request_id"),
    platformAt: instant("platform_at"),
    /** What the platform answered (ids, request id, status), never a token. */
    response: jsonb("response"),
    /** The last refusal, in Japanese, and its kind (auth, scope, rate, transient, invalid, changed). */
    lastError: text("last_error").notNull().default(""),
    errorKind: text("error_kind").notNull().default(""),
    taskId: integer("task_id").references(() => tasks.id),
    deletedOnPlatformAt: instant("deleted_on_platform_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check(
      "publishing_outbox_status_check",
      sql`${t.status} in ('pending','sending','accepted','delivering','recorded','failed','cancelled')`,
    ),
    uniqueIndex("publishing_outbox_post_idx").on(t.postId, t.connectionId),
    index("publishing_outbox_due_idx").on(t.status, t.nextAttemptAt),
  ],
);
