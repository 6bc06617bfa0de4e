/**
 * Facts about the organisation that do not need the database: the provisional department the
 * first start creates for the first administrator (app/setup.ts), which is not part of the city's
 * organisation and is left out of its lists and rates. Pure: no I/O.
 */

/** Code of the department the first start creates to hold the first administrator. */
export const SETUP_DEPARTMENT_CODE = "setup";

/** Its name as stored and shown (no brackets: it is often printed inside 「（…）」). */
export const SETUP_DEPARTMENT_NAME = "初期設定用の部";

/** True for the provisional department of the first start. */
export function isSetupDepartment(department: { code: string }): boolean {
  return department.code === SETUP_DEPARTMENT_CODE;
}

/** True when the city's own organisation has been entered: a department besides the setup one. */
export function hasOrganisation(departments: ReadonlyArray<{ code: string }>): boolean {
  return departments.some((d) => !isSetupDepartment(d));
}
