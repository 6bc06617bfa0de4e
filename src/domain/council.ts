/**
 * ソーシャルメディア等活用連絡協議会 (6): the roster is derived from the departments that hold or
 * apply for accounts (6.2: アカウントを取得または取得しようとする部署の担当者), each naming one
 * member. Pure: which departments must have a member, and what is wrong with each row.
 */

/** One department as the roster query reads it. */
export type RosterInput = {
  departmentId: number;
  departmentName: string;
  /** Accounts of the department's divisions in any status but rejected (held or applied for). */
  accounts: number;
  member: {
    staffId: number;
    name: string;
    active: boolean;
    /** The member's department now (a transfer may have taken them elsewhere). */
    departmentId: number;
    divisionName: string | null;
    positionName: string;
    designatedAt: Date;
  } | null;
};

/**
 * The state of a department's seat: `ok`; `missing` — it holds or applies for an account and has
 * named nobody (flagged, 6.2); `stale` — its member left the department or is no longer active
 * (flagged: name a successor); `optional` — no account, no member; `extra` — a member although
 * the department holds no account (kept; not required).
 */
export type SeatState = "ok" | "missing" | "stale" | "optional" | "extra";

export type RosterRow = RosterInput & { required: boolean; state: SeatState };

/** Japanese names of the states, for badges. */
export const seatStateLabels: Record<SeatState, string> = {
  ok: "指名済み",
  missing: "未指名",
  stale: "要再指名",
  optional: "対象外",
  extra: "指名済み（アカウントなし）",
};

/** The state of one department's seat. */
export function seatState(row: RosterInput): SeatState {
  const required = row.accounts > 0;
  if (!row.member) return required ? "missing" : "optional";
  if (!row.member.active || row.member.departmentId !== row.departmentId) return required ? "stale" : "extra";
  return required ? "ok" : "extra";
}

/**
 * The roster: departments that must sit on the council (holding or applying for an account)
 * first, in the given order, then the others that have named someone anyway. Departments with
 * neither are left out.
 */
export function councilRoster(rows: readonly RosterInput[]): RosterRow[] {
  const out = rows.map((row) => ({ ...row, required: row.accounts > 0, state: seatState(row) }));
  return [...out.filter((r) => r.required), ...out.filter((r) => !r.required && r.member !== null)];
}

/** Departments whose seat needs someone to act (no member, or a member who left). */
export function flaggedSeats(roster: readonly RosterRow[]): RosterRow[] {
  return roster.filter((r) => r.state === "missing" || r.state === "stale");
}
