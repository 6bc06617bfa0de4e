/**
 * `snsgov user`: list who can sign in and their roles, register an administrator (with a
 * one-time password-setup link), and issue a password reset link. Runs as the system (`cli` in
 * the audit log): whoever runs it has shell access to the server. Nothing here prints a
 * password; the links are printed once and only their hashes are stored.
 * Exit status: 0 done, 1 could not be done (one line says why), 2 usage error.
 */
import { parseArgs } from "node:util";
import { issuePasswordLink } from "../app/auth/sessions.ts";
import { openApp } from "../app/bootstrap.ts";
import { type AppContext, systemActor } from "../app/context.ts";
import { createStaff } from "../app/staff/people.ts";
import { grantsOf } from "../app/staff/role-grants.ts";
import { assignRole } from "../app/staff/roles.ts";
import { ConfigError, loadConfig } from "../config.ts";
import { findCredentials } from "../db/repos/auth.ts";
import * as org from "../db/repos/org.ts";
import { allStaff, findStaffByLogin, listAssignments } from "../db/repos/staff.ts";
import { AppError } from "../errors.ts";
import { displayWidth } from "./import.ts";

export const userUsage = `usage: snsgov user list
       snsgov user create-admin --employee-no N --name NAME --email E --department CODE --position CODE [--division CODE]
       snsgov user reset-password LOGIN
LOGIN is the person's e-mail address or employee number. Links use SNSGOV_PUBLIC_URL.
exit status: 0 done, 1 could not be done, 2 usage error
`;

export type CreateAdminInput = {
  employeeNo: string;
  name: string;
  email: string;
  department: string;
  position: string;
  division: string | undefined;
};

/** A parsed `snsgov user` command line. */
export type UserCommand =
  | { name: "list" }
  | { name: "create-admin"; input: CreateAdminInput }
  | { name: "reset-password"; login: string };

/** Output, and a way to open the application (tests pass their own). */
export type UserDeps = {
  out(text: string): void;
  err(text: string): void;
  open(): Promise<{ ctx: AppContext; close(): Promise<void> }>;
};

const defaultDeps: UserDeps = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  async open() {
    const { ctx, handle } = await openApp(loadConfig());
    return { ctx, close: () => handle.close() };
  },
};

/** A failure the operator can fix; the message is one line. */
class UserCommandError extends Error {
  override name = "UserCommandError";
}

const adminOptions = {
  "employee-no": { type: "string" },
  name: { type: "string" },
  email: { type: "string" },
  department: { type: "string" },
  position: { type: "string" },
  division: { type: "string" },
} as const;

/** Parses the arguments after `user`; a string is the reason they are not usable. */
export function parseUserArgs(args: string[]): UserCommand | string {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  const { positionals, values } = parsed;
  const [name, operand, ...extra] = positionals;
  if (!name) return "missing user command";
  const given = Object.keys(values);
  if (name === "list" || name === "reset-password") {
    if (given.length) return `--${given[0]} does not apply to "user ${name}"`;
    if (extra.length) return `unexpected argument "${extra[0]}"`;
    if (name === "list") return operand === undefined ? { name } : `unexpected argument "${operand}"`;
    return operand?.trim()
      ? { name, login: operand }
      : "reset-password needs the LOGIN (e-mail or employee number)";
  }
  if (name === "create-admin") {
    if (operand !== undefined) return `unexpected argument "${operand}"`;
    const required = ["employee-no", "name", "email", "department", "position"] as const;
    const missing = required.filter((key) => !values[key]?.trim());
    if (missing.length) return `create-admin needs ${missing.map((m) => `--${m}`).join(", ")}`;
    return {
      name,
      input: {
        employeeNo: values["employee-no"]?.trim() ?? "",
        name: values.name?.trim() ?? "",
        email: values.email?.trim() ?? "",
        department: values.department?.trim() ?? "",
        position: values.position?.trim() ?? "",
        division: values.division?.trim() || undefined,
      },
    };
  }
  return `unknown user command "${name}"`;
}

function parse(args: string[]) {
  return parseArgs({ args, allowPositionals: true, strict: true, options: adminOptions });
}

function pad(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - displayWidth(text)));
}

/** Rows as aligned columns; the last column is free text. */
function columns(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => displayWidth(r[i] ?? "")))) ?? [];
  return rows
    .map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : pad(cell, widths[i] ?? 0))).join("  "))
    .join("\n");
}

/** When a link stops working, in Tokyo time (what the city's staff read). */
function tokyoTime(at: Date): string {
  const text = new Intl.DateTimeFormat("sv-SE", {
    timeZone: "Asia/Tokyo",
    dateStyle: "short",
    timeStyle: "short",
  }).format(at);
  return `${text} JST`;
}

async function listCommand(ctx: AppContext, deps: UserDeps): Promise<number> {
  const [people, assignments, departments, divisions] = await Promise.all([
    allStaff(ctx.db),
    listAssignments(ctx.db),
    org.listDepartments(ctx.db),
    org.listDivisions(ctx.db),
  ]);
  const codes = {
    department: new Map(departments.map((d) => [d.id, d.code])),
    division: new Map(divisions.map((d) => [d.id, d.code])),
  };
  const scope = (type: string, id: number | null) => {
    if (type === "department" && id !== null) return ` (department ${codes.department.get(id) ?? id})`;
    if (type === "division" && id !== null) return ` (division ${codes.division.get(id) ?? id})`;
    return "";
  };
  const rows = [["EMPLOYEE NO", "NAME", "EMAIL", "ACTIVE", "PASSWORD", "ROLES"]];
  let active = 0;
  let withPassword = 0;
  const employeeNos = new Map(people.map((p) => [p.id, p.employeeNo]));
  const now = ctx.clock.now();
  for (const person of people) {
    const credentials = await findCredentials(ctx.db, person.id);
    const grants = await grantsOf(ctx.db, person, now);
    const derived = grants
      .filter((g) => g.derived)
      .map(
        (g) =>
          `${g.role}${scope(g.scope.type, g.scope.type === "global" ? null : g.scope.id)}, ${
            g.acting
              ? `acting for ${employeeNos.get(g.acting.forStaffId) ?? g.acting.forStaffId} until ${g.acting.until}`
              : "from position"
          }`,
      );
    const assigned = grants
      .filter((g) => !g.derived)
      .map((g) => `${g.role}${scope(g.scope.type, g.scope.type === "global" ? null : g.scope.id)}`);
    const proposed = assignments
      .filter((a) => a.staffId === person.id && a.status === "proposed")
      .map((a) => `${a.role}, proposed`);
    const roles = [...assigned, ...proposed, ...derived];
    if (person.active) active++;
    if (credentials?.passwordHash) withPassword++;
    rows.push([
      person.employeeNo,
      person.name,
      person.email,
      person.active ? "yes" : "no",
      credentials?.passwordHash ? "set" : "not set",
      roles.length ? roles.join("; ") : "-",
    ]);
  }
  if (people.length) deps.out(`${columns(rows)}\n`);
  deps.out(`${people.length} people, ${active} active, ${withPassword} with a password\n`);
  return 0;
}

async function createAdminCommand(ctx: AppContext, deps: UserDeps, input: CreateAdminInput): Promise<number> {
  const department = await org.findDepartmentByCode(ctx.db, input.department);
  if (!department) {
    const none = (await org.listDepartments(ctx.db)).length === 0;
    throw new UserCommandError(
      `there is no department with code "${input.department}"` +
        (none
          ? " (there are no departments yet: import the organisation with `snsgov import org`, or start the server once, which creates department `setup` and position `admin`)"
          : ""),
    );
  }
  const position = await org.findPositionByCode(ctx.db, input.position);
  if (!position) throw new UserCommandError(`there is no position with code "${input.position}"`);
  const division = input.division ? await org.findDivisionByCode(ctx.db, input.division) : undefined;
  if (input.division && !division)
    throw new UserCommandError(`there is no division with code "${input.division}"`);
  const actor = systemActor("cli");
  const person = await createStaff(ctx, {
    actor,
    input: {
      employeeNo: input.employeeNo,
      name: input.name,
      email: input.email,
      departmentId: String(department.id),
      divisionId: division ? String(division.id) : "",
      positionId: String(position.id),
    },
  });
  await assignRole(ctx, { actor, input: { staffId: String(person.id), role: "admin", scopeType: "global" } });
  const link = await issuePasswordLink(ctx, { actor, staffId: person.id, purpose: "setup" });
  deps.out(
    `administrator registered: ${person.name} (employee no ${person.employeeNo}, ${person.email}), role admin\n` +
      `they set their password at this one-time URL (works once, until ${tokyoTime(link.expiresAt)}):\n` +
      `  ${link.url}\n`,
  );
  return 0;
}

async function resetCommand(ctx: AppContext, deps: UserDeps, login: string): Promise<number> {
  const person = await findStaffByLogin(ctx.db, login.normalize("NFKC").trim());
  if (!person)
    throw new UserCommandError(`nobody has the login "${login}" (an e-mail address or employee number)`);
  if (!person.active) {
    throw new UserCommandError(
      `${person.employeeNo} (${person.name}) is inactive; make them active again first`,
    );
  }
  const credentials = await findCredentials(ctx.db, person.id);
  const purpose = credentials?.passwordHash ? "reset" : "setup";
  const link = await issuePasswordLink(ctx, { actor: systemActor("cli"), staffId: person.id, purpose });
  const what =
    purpose === "reset"
      ? `password reset link (their sessions have been ended, ${link.tokensRevoked} API token(s) revoked; earlier links no longer work)`
      : "password setup link (they have no password yet; earlier links no longer work)";
  deps.out(
    `${what} for ${person.name} (employee no ${person.employeeNo}, ${person.email}), ` +
      `works once, until ${tokyoTime(link.expiresAt)}:\n  ${link.url}\n`,
  );
  return 0;
}

/** The one line an operator sees when a command cannot be done. */
function reasonOf(error: unknown): string {
  if (error instanceof AppError) {
    const detail = [error.message, ...error.fields.map((f) => f.message)].join(" ");
    return `${error.code === "conflict" ? "already registered" : `rejected (${error.code})`}: ${detail}`;
  }
  return error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
}

/** Runs a parsed command; returns the exit code. */
export async function execute(command: UserCommand, deps: UserDeps): Promise<number> {
  try {
    const app = await deps.open();
    try {
      switch (command.name) {
        case "list":
          return await listCommand(app.ctx, deps);
        case "create-admin":
          return await createAdminCommand(app.ctx, deps, command.input);
        case "reset-password":
          return await resetCommand(app.ctx, deps, command.login);
      }
    } finally {
      await app.close();
    }
  } catch (error) {
    deps.err(`snsgov user: ${reasonOf(error)}\n`);
    return error instanceof ConfigError ? 2 : 1;
  }
}

/** `snsgov user …`: see userUsage. */
export async function run(args: string[], deps: UserDeps = defaultDeps): Promise<number> {
  const command = parseUserArgs(args);
  if (typeof command === "string") {
    deps.err(`snsgov user: ${command}\n${userUsage}`);
    return 2;
  }
  return execute(command, deps);
}
