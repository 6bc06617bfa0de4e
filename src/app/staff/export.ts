/**
 * Staff export as CSV for Excel (UTF-8 with BOM). The columns are the ones the staff import
 * reads, with the codes and the names side by side, so a list exported, edited in Excel and
 * imported again changes exactly what was edited.
 */
import * as orgRepo from "../../db/repos/org.ts";
import * as staffRepo from "../../db/repos/staff.ts";
import { tokyoDate } from "../../domain/dates.ts";
import { record } from "../audit/record.ts";
import { authorize } from "../authorize.ts";
import type { Actor, AppContext } from "../context.ts";
import { toCsvBytes } from "../csv.ts";

/** Header row of the export (each is a header the import recognises). */
export const staffExportHeaders = [
  "職員番号",
  "氏名",
  "ふりがな",
  "メールアドレス",
  "部コード",
  "部名",
  "課コード",
  "課名",
  "職コード",
  "職名",
  "在職",
] as const;

/** The exported file. */
export type StaffExport = {
  /** Suggested download name, e.g. `staff-20261124.csv`. */
  filename: string;
  contentType: "text/csv; charset=utf-8";
  /** UTF-8 with BOM, CRLF line ends. */
  body: Uint8Array;
  /** Number of people in the file. */
  count: number;
};

/**
 * Exports every member of staff (active and not), ordered by employee number. The export is
 * recorded in the audit log (`staff.export`, with the number of people) because it carries
 * personal data out of the system.
 * @param props.actor must be allowed `staff.export`
 * @param props.filter optional: only staff matching it (the staff list's filter)
 */
export async function exportStaff(
  ctx: AppContext,
  props: { actor: Actor; filter?: Pick<staffRepo.StaffFilter, "departmentId" | "divisionId" | "active"> },
): Promise<StaffExport> {
  await authorize(ctx, props.actor, "staff.export");
  const at = ctx.clock.now();
  const [people, departments, divisions, positions] = await Promise.all([
    staffRepo.allStaff(ctx.db),
    orgRepo.listDepartments(ctx.db),
    orgRepo.listDivisions(ctx.db),
    orgRepo.listPositions(ctx.db),
  ]);
  const filter = props.filter ?? {};
  const chosen = people.filter(
    (s) =>
      (filter.departmentId === undefined || s.departmentId === filter.departmentId) &&
      (filter.divisionId === undefined || s.divisionId === filter.divisionId) &&
      (filter.active === undefined || s.active === filter.active),
  );
  const codeOf = (units: readonly { id: number; code: string }[], id: number | null) =>
    id === null ? "" : (units.find((u) => u.id === id)?.code ?? "");
  const rows = chosen.map((s) => [
    s.employeeNo,
    s.name,
    s.kana,
    s.email,
    codeOf(departments, s.departmentId),
    s.departmentName,
    codeOf(divisions, s.divisionId),
    s.divisionName ?? "",
    codeOf(positions, s.positionId),
    s.positionName,
    s.active ? "在職" : "退職",
  ]);
  const body = toCsvBytes([[...staffExportHeaders], ...rows]);
  await ctx.db.transaction((tx) =>
    record(tx, {
      actor: props.actor,
      at,
      action: "staff.export",
      target: { type: "staff" },
      summary: { count: rows.length, filter },
    }),
  );
  return {
    filename: `staff-${tokyoDate(at).replaceAll("-", "")}.csv`,
    contentType: "text/csv; charset=utf-8",
    body,
    count: rows.length,
  };
}
