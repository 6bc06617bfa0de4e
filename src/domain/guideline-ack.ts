/**
 * 8.2 周知徹底 (職員に周知徹底): who must acknowledge the guideline version — everyone in the scope
 * the policy director chooses (all active staff, or the staff of the divisions that hold or apply
 * for accounts together with everyone holding a guideline role) —, acknowledgement rates by
 * department, and when those who have not are reminded. Pure.
 */
import { addDays } from "./dates.ts";

/** Who must acknowledge (8.2), as the policy director sets it. */
export const ackScopes = ["all_staff", "account_divisions"] as const;
export type AckScope = (typeof ackScopes)[number];

export function isAckScope(value: unknown): value is AckScope {
  return typeof value === "string" && (ackScopes as readonly string[]).includes(value);
}

/** The scope until the policy director chooses one: 8.2 speaks of 職員, so all staff. */
export const defaultAckScope: AckScope = "all_staff";

export const ackScopeLabels: Record<AckScope, string> = {
  all_staff: "在職しているすべての職員",
  account_divisions:
    "公式アカウントを持つ（または申請中の）課等の職員と、役割のある職員（部等の長・課等の長、割り当てられた役割、運用に携わる職員）",
};

/** A person who must acknowledge the version (holds a guideline role, derived or assigned). */
export type RequiredPerson = {
  staffId: number;
  name: string;
  employeeNo: string;
  departmentId: number;
  departmentName: string;
  divisionName: string | null;
  positionName: string;
};

/** One department's acknowledgement of a version. */
export type DepartmentRate = {
  departmentId: number;
  departmentName: string;
  required: number;
  acknowledged: number;
  /** 0–100, rounded down (so 99.6% is not shown as 100%); 100 when nobody is required. */
  percent: number;
  /** Those who have not acknowledged, in employee-number order. */
  pending: RequiredPerson[];
};

export type AcknowledgementRates = {
  departments: DepartmentRate[];
  required: number;
  acknowledged: number;
  percent: number;
};

/** Percentage rounded down; 100 when there is nobody to count. */
export function percentOf(part: number, whole: number): number {
  return whole === 0 ? 100 : Math.floor((part * 100) / whole);
}

/**
 * Rates by department for the people who must acknowledge, given who has. Departments come in
 * the order the people list gives them (the caller orders by department code).
 */
export function acknowledgementRates(
  people: readonly RequiredPerson[],
  acknowledged: ReadonlySet<number>,
): AcknowledgementRates {
  const byDepartment = new Map<number, DepartmentRate>();
  for (const person of people) {
    let row = byDepartment.get(person.departmentId);
    if (!row) {
      row = {
        departmentId: person.departmentId,
        departmentName: person.departmentName,
        required: 0,
        acknowledged: 0,
        percent: 0,
        pending: [],
      };
      byDepartment.set(person.departmentId, row);
    }
    row.required++;
    if (acknowledged.has(person.staffId)) row.acknowledged++;
    else row.pending.push(person);
  }
  const departments = [...byDepartment.values()].map((row) => ({
    ...row,
    percent: percentOf(row.acknowledged, row.required),
    pending: [...row.pending].sort((a, b) => a.employeeNo.localeCompare(b.employeeNo)),
  }));
  const required = people.length;
  const done = people.filter((p) => acknowledged.has(p.staffId)).length;
  return { departments, required, acknowledged: done, percent: percentOf(done, required) };
}

/**
 * The day those who have not acknowledged are reminded: `days` after the day the version was
 * published (Tokyo date), or after its effective date when that is later (nobody is chased for
 * rules announced long before they apply).
 */
export function reminderDate(publishedOn: string, effectiveDate: string, days: number): string {
  return addDays(publishedOn > effectiveDate ? publishedOn : effectiveDate, days);
}
