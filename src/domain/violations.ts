/**
 * Violation records (9 懲戒処分等): the names of their severities, of the people involved
 * (違反した職員, 違反を助長した職員, 監督責任者) and of their states, and reading a list of
 * employee numbers as typed. Pure. Who may know that a record exists is decided in
 * domain/policy.ts (`violation.read`); to everyone else the records do not exist.
 */

export const violationSeverities = ["low", "medium", "high"] as const;
export type ViolationSeverity = (typeof violationSeverities)[number];

export const violationSeverityLabels: Record<ViolationSeverity, string> = {
  low: "軽微",
  medium: "中程度",
  high: "重大",
};

/** 9: ガイドラインに違反した職員、違反を助長する行為を行った職員及び監督責任者. */
export const violationRoles = ["violator", "abettor", "supervisor"] as const;
export type ViolationRole = (typeof violationRoles)[number];

export const violationRoleLabels: Record<ViolationRole, string> = {
  violator: "違反した職員",
  abettor: "違反を助長した職員",
  supervisor: "監督責任者",
};

export const violationStatuses = ["open", "closed"] as const;
export type ViolationStatus = (typeof violationStatuses)[number];

export const violationStatusLabels: Record<ViolationStatus, string> = {
  open: "対応中",
  closed: "終結",
};

export function isViolationSeverity(value: string): value is ViolationSeverity {
  return (violationSeverities as readonly string[]).includes(value);
}

export function isViolationRole(value: string): value is ViolationRole {
  return (violationRoles as readonly string[]).includes(value);
}

export function isViolationStatus(value: string): value is ViolationStatus {
  return (violationStatuses as readonly string[]).includes(value);
}

/** Employee numbers typed in a field: separated by commas, 、, spaces or lines; duplicates dropped. */
export function employeeNumbers(text: string): string[] {
  const parts = text
    .normalize("NFKC")
    .split(/[\s,、，]+/u)
    .map((s) => s.trim())
    .filter(Boolean);
  return [...new Set(parts)];
}
