/**
 * Guideline roles and how a person comes to hold them. The roles the guideline ties to a post
 * follow from positions only: the 部長 is the 情報管理者 of the department (4.1.2), the 課長 the
 * アカウント管理者 of the division (4.1.4), the 総合政策部長 approves accounts (4.1.2) and the
 * 総務部長 is the 情報統括管理者 (4.1.2); which posts these are is set in the guideline pack
 * (`offices`). Someone standing in for a post holder (職務代理・事務取扱) holds the post's roles
 * for that period only. The other roles are assigned; an oversight role (監査担当, reading
 * violation records and the audit log, 9) needs a director's approval and ends on a date.
 * Pure: no I/O.
 */

export const roles = [
  "department_head",
  "policy_director",
  "security_director",
  "account_manager",
  "operator",
  "consultation_desk",
  "council_member",
  "admin",
  "auditor",
] as const;

export type Role = (typeof roles)[number];

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

/** Japanese names as the guideline uses them (shown in the UI). */
export const roleLabels: Record<Role, string> = {
  department_head: "部等の長（情報管理者）",
  policy_director: "総合政策部長",
  security_director: "情報統括管理者（総務部長）",
  account_manager: "課等の長（アカウント管理者）",
  operator: "運用に携わる職員",
  consultation_desk: "ふるさと発信課長（協議先）",
  council_member: "協議会メンバー",
  admin: "システム管理者",
  auditor: "監査担当",
};

/** Roles that follow from a post and are never assigned by hand (4.1.2, 4.1.4). */
export const derivedRoles = [
  "department_head",
  "account_manager",
  "policy_director",
  "security_director",
] as const;

export function isDerivedRole(role: string): boolean {
  return (derivedRoles as readonly string[]).includes(role);
}

/**
 * Roles that read violation records or the audit log and are not tied to a post (9): proposed by
 * the administrator, in effect only once the policy or security director approves, dated, and
 * never held together with `admin`.
 */
export const oversightRoles = ["auditor"] as const;

export function isOversightRole(role: string): boolean {
  return (oversightRoles as readonly string[]).includes(role);
}

/** Roles whose holders the oversight page lists (who runs the system, who oversees it). */
export const privilegedRoles: readonly Role[] = ["admin", "auditor", "policy_director", "security_director"];

/** Roles an administrator may assign directly (everything not derived from a post). */
export const assignableRoles: readonly Role[] = roles.filter((r) => !isDerivedRole(r));

/** Where a role applies. */
export type Scope =
  | { type: "global" }
  | { type: "department"; id: number }
  | { type: "division"; id: number };

/**
 * One role held by a person, with its scope and whether it comes from the post (`derived`). A
 * role held while standing in for someone carries `acting`: whom, and until when.
 */
export type RoleGrant = {
  role: Role;
  scope: Scope;
  derived: boolean;
  acting?: { forStaffId: number; until: string };
};

export type HeadOf = "none" | "department" | "division";

/** A post named in the guideline by its unit: the head of this department (or of this division). */
export type Office = { title: string; department: string; division?: string | undefined };

/** The posts the guideline names (from the guideline pack's `offices`). */
export type Offices = {
  /** What the head of a department is called (部長): 情報管理者, 4.1.2. */
  departmentHead: string;
  /** What the head of a division is called (課長): アカウント管理者, 4.1.4. */
  divisionHead: string;
  /** 総合政策部長: approves accounts (4.1.2), owns the guideline (8). */
  policyDirector: Office;
  /** 総務部長: 情報統括管理者 (4.1.2). */
  securityDirector: Office;
};

/** The organisational facts a person's derived roles depend on (names for the named posts). */
export type Placement = {
  departmentId: number;
  divisionId: number | null;
  headOf: HeadOf;
  departmentName: string;
  divisionName: string | null;
};

/** Compares unit names as people type them (full-width and spaces do not matter). */
export function sameUnitName(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return false;
  const fold = (s: string) => s.normalize("NFKC").replace(/\s+/g, "");
  return fold(a) === fold(b);
}

/** Whether a placement is the post an office names (the head of that department or division). */
export function holdsOffice(placement: Placement, office: Office): boolean {
  if (office.division) {
    return (
      placement.headOf === "division" &&
      sameUnitName(placement.divisionName, office.division) &&
      (office.department === "" || sameUnitName(placement.departmentName, office.department))
    );
  }
  return placement.headOf === "department" && sameUnitName(placement.departmentName, office.department);
}

/**
 * Roles that follow from a post: the head of a department is its department head (4.1.2); the
 * head of a division is the account manager for that division (4.1.4); the holders of the posts
 * the pack names are the policy director and the security director (4.1.2).
 */
export function derivedGrants(placement: Placement, offices: Offices): RoleGrant[] {
  const grants: RoleGrant[] = [];
  if (placement.headOf === "department") {
    grants.push({
      role: "department_head",
      scope: { type: "department", id: placement.departmentId },
      derived: true,
    });
  }
  if (placement.headOf === "division" && placement.divisionId !== null) {
    grants.push({
      role: "account_manager",
      scope: { type: "division", id: placement.divisionId },
      derived: true,
    });
  }
  if (holdsOffice(placement, offices.policyDirector))
    grants.push({ role: "policy_director", scope: { type: "global" }, derived: true });
  if (holdsOffice(placement, offices.securityDirector))
    grants.push({ role: "security_director", scope: { type: "global" }, derived: true });
  return grants;
}

/** An assignment as stored, for deciding whether it is in effect. */
export type StoredAssignment = {
  role: string;
  status: string;
  validUntil: string | null;
  approvedBy: number | null;
};

/**
 * Whether a stored assignment is in effect on `today` (YYYY-MM-DD, Tokyo): never for a role that
 * follows from a post (4.1.2, 4.1.4); an oversight role only once approved and until its last
 * day (9); others while active and, when dated, until their last day.
 */
export function assignmentInEffect(a: StoredAssignment, today: string): boolean {
  if (isDerivedRole(a.role)) return false;
  if (a.status !== "active") return false;
  if (isOversightRole(a.role) && (a.approvedBy === null || a.validUntil === null)) return false;
  return a.validUntil === null || a.validUntil >= today;
}

/** An acting assignment as stored (職務代理・事務取扱). */
export type StoredActing = {
  absentStaffId: number;
  fromDate: string;
  untilDate: string;
  revokedAt: Date | null;
};

/** Whether an acting assignment covers `today`. */
export function actingInEffect(a: StoredActing, today: string): boolean {
  return a.revokedAt === null && a.fromDate <= today && today <= a.untilDate;
}

/**
 * Everything a person holds on `today`: the roles of their post, of the posts they stand in for
 * (for that period only), and the assignments in effect. An oversight role is dropped while the
 * person holds `admin` (9: nobody oversees their own administration).
 */
export function effectiveGrants(props: {
  placement: Placement;
  offices: Offices;
  acting: ReadonlyArray<StoredActing & { post: Placement }>;
  assignments: ReadonlyArray<StoredAssignment & { scopeType: string; scopeId: number | null }>;
  today: string;
}): RoleGrant[] {
  const grants = derivedGrants(props.placement, props.offices);
  for (const a of props.acting) {
    if (!actingInEffect(a, props.today)) continue;
    for (const g of derivedGrants(a.post, props.offices)) {
      if (grants.some((h) => h.role === g.role && scopeKey(h.scope) === scopeKey(g.scope))) continue;
      grants.push({ ...g, acting: { forStaffId: a.absentStaffId, until: a.untilDate } });
    }
  }
  const explicit: RoleGrant[] = [];
  for (const row of props.assignments) {
    if (!isRole(row.role) || !assignmentInEffect(row, props.today)) continue;
    explicit.push({ role: row.role, scope: scopeOf(row), derived: false });
  }
  const isAdmin = explicit.some((g) => g.role === "admin");
  return [...grants, ...explicit.filter((g) => !(isAdmin && isOversightRole(g.role)))];
}

/** The scope of a stored assignment. */
export function scopeOf(row: { scopeType: string; scopeId: number | null }): Scope {
  if (row.scopeType === "department" && row.scopeId !== null) return { type: "department", id: row.scopeId };
  if (row.scopeType === "division" && row.scopeId !== null) return { type: "division", id: row.scopeId };
  return { type: "global" };
}

/** Which scope types make sense for each assignable role. */
export const allowedScopes: Record<Role, ReadonlyArray<Scope["type"]>> = {
  department_head: ["department"],
  policy_director: ["global"],
  security_director: ["global"],
  account_manager: ["division"],
  operator: ["division"],
  consultation_desk: ["global"],
  council_member: ["department"],
  admin: ["global"],
  auditor: ["global"],
};

/** A key for comparing scopes, e.g. `global`, `department:3`. */
export function scopeKey(scope: Scope): string {
  return scope.type === "global" ? "global" : `${scope.type}:${scope.id}`;
}
