/**
 * ソーシャルメディア等活用連絡協議会 (6): the roster seats the divisions (課等) that hold or apply
 * for accounts (6.2: アカウントを取得または取得しようとする部署の担当者) — each by its 課等の長
 * (アカウント管理者), or by the person the division names instead. Pure: which divisions must sit,
 * who sits for each, and what is wrong with each seat.
 */

/** A person on the roster. */
export type RosterPerson = {
  staffId: number;
  name: string;
  active: boolean;
  /** The person's division now (a transfer may have taken them elsewhere). */
  divisionId: number | null;
  divisionName: string | null;
  positionName: string;
};

/** One division as the roster query reads it. */
export type RosterInput = {
  divisionId: number;
  divisionName: string;
  departmentId: number;
  departmentName: string;
  /** Accounts of the division in any status but rejected or closed (held or applied for). */
  accounts: number;
  /** The division's 課等の長, who sits when nobody else is named; null when the post is vacant. */
  head: RosterPerson | null;
  /** The person named to sit instead, if any. */
  member: (RosterPerson & { designatedAt: Date }) | null;
};

/**
 * The state of a division's seat: `ok` — its 課等の長 sits, or the person it named; `missing` — it
 * holds or applies for an account, has named nobody and has no 課等の長 (flagged, 6.2); `stale` — the
 * person it named left the division or is no longer active (flagged: name a successor or remove
 * the naming); `extra` — a person named although the division holds no account (kept; not
 * required).
 */
export type SeatState = "ok" | "missing" | "stale" | "extra";

/** Who sits for the division: the person it named, or its 課等の長. */
export type SeatSource = "designated" | "head" | null;

export type RosterRow = RosterInput & {
  required: boolean;
  state: SeatState;
  /** The person who sits (null when nobody does). */
  seated: RosterPerson | null;
  source: SeatSource;
};

/** Japanese names of the states, for badges. */
export const seatStateLabels: Record<SeatState, string> = {
  ok: "出席者あり",
  missing: "出席者なし",
  stale: "要再指名",
  extra: "指名あり（アカウントなし）",
};

/** Japanese names of who sits. */
export const seatSourceLabels: Record<Exclude<SeatSource, null>, string> = {
  designated: "指名された担当者",
  head: "課等の長（アカウント管理者）",
};

function validMember(row: RosterInput): boolean {
  return row.member?.active === true && row.member.divisionId === row.divisionId;
}

/** The state of one division's seat. */
export function seatState(row: RosterInput): SeatState {
  const required = row.accounts > 0;
  if (row.member && !validMember(row)) return "stale";
  if (!required) return "extra";
  if (row.member) return "ok";
  return row.head?.active ? "ok" : "missing";
}

function seatedOf(row: RosterInput, state: SeatState): { seated: RosterPerson | null; source: SeatSource } {
  if (state === "stale" || state === "missing") return { seated: null, source: null };
  if (row.member && validMember(row)) return { seated: row.member, source: "designated" };
  return row.head ? { seated: row.head, source: "head" } : { seated: null, source: null };
}

/**
 * The roster: divisions that must sit on the council (holding or applying for an account) first,
 * in the given order, then the others that have named someone anyway. Divisions with neither are
 * left out.
 */
export function councilRoster(rows: readonly RosterInput[]): RosterRow[] {
  const out = rows
    .filter((row) => row.accounts > 0 || row.member !== null)
    .map((row) => {
      const state = seatState(row);
      return { ...row, required: row.accounts > 0, state, ...seatedOf(row, state) };
    });
  return [...out.filter((r) => r.required), ...out.filter((r) => !r.required)];
}

/** Seats that need someone to act (nobody sits, or the person named left). */
export function flaggedSeats(roster: readonly RosterRow[]): RosterRow[] {
  return roster.filter((r) => r.state === "missing" || (r.required && r.state === "stale"));
}
