/**
 * Guideline roles and how a person comes to hold them. Some roles follow from a position (the
 * 部長 is the 情報管理者 of the department, 4.1.2; the 課長 is the アカウント管理者 of the
 * division, 4.1.4); the others are assigned. Pure: no I/O.
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
  department_head: "情報管理者（部長）",
  policy_director: "総合政策部長",
  security_director: "情報統括管理者（総務部長）",
  account_manager: "アカウント管理者（課長）",
  operator: "運用職員",
  consultation_desk: "ふるさと発信課長（相談窓口）",
  council_member: "協議会メンバー",
  admin: "システム管理者",
  auditor: "監査担当",
};

/** Where a role applies. */
export type Scope =
  | { type: "global" }
  | { type: "department"; id: number }
  | { type: "division"; id: number };

/** One role held by a person, with its scope and whether it comes from the position. */
export type RoleGrant = { role: Role; scope: Scope; derived: boolean };

export type HeadOf = "none" | "department" | "division";

/** The organisational facts a person's derived roles depend on. */
export type Placement = { departmentId: number; divisionId: number | null; headOf: HeadOf };

/**
 * Roles that follow from a position: the head of a department is its department head (4.1.2);
 * the head of a division is the account manager for that division (4.1.4).
 */
export function derivedGrants(placement: Placement): RoleGrant[] {
  if (placement.headOf === "department") {
    return [
      { role: "department_head", scope: { type: "department", id: placement.departmentId }, derived: true },
    ];
  }
  if (placement.headOf === "division" && placement.divisionId !== null) {
    return [
      { role: "account_manager", scope: { type: "division", id: placement.divisionId }, derived: true },
    ];
  }
  return [];
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

/** Scope label for the UI, e.g. 「全庁」「部: 総合政策部」. */
export function scopeKey(scope: Scope): string {
  return scope.type === "global" ? "global" : `${scope.type}:${scope.id}`;
}
