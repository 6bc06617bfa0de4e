/**
 * Use cases of an account's ID・パスワード管理 (4.3): who holds the login (4.3.1 必要最小限; the
 * password itself is never stored, which is this system's choice, not a clause), recording a password change (4.3.2), two-factor on the platform and the
 * pointer to the city's security policy (4.3.3). Changes need `account.manage` on the account:
 * the account manager (課長, 4.1.4).
 */
import { z } from "zod";
import * as accountsRepo from "../../db/repos/accounts.ts";
import {
  activeStaffOf,
  deleteHolder,
  divisionHeads,
  findPerson,
  findPersonByEmployeeNo,
  insertHolder,
  listTaskViews,
  namesOf,
  type Person,
} from "../../db/repos/credentials.ts";
import { listDivisions } from "../../db/repos/org.ts";
import type { AccountStatus } from "../../domain/accounts.ts";
import { tokyoDate } from "../../domain/dates.ts";
import { conflict, notFound, validation } from "../../errors.ts";
import { guidelinePack } from "../../guideline/pack.ts";
import { accountTarget, getAccount } from "../accounts/read.ts";
import { change, diff } from "../audit/record.ts";
import { allowed, authorize } from "../authorize.ts";
import { type Actor, type AppContext, actorId } from "../context.ts";
import { flag, optionalIdOf, optionalText, parse } from "../validate.ts";
import { rotationAfterRemoval } from "./list-changes.ts";
import { applyPasswordChange, checkPasswordChange } from "./password.ts";
import { isOverdue, ROTATION, taskKindLabel, tokyoDateTime } from "./rules.ts";
import type { TaskItem } from "./tasks.ts";

/** Statuses in which the credentials can be changed here (before approval the application names them). */
const editableStatuses: readonly AccountStatus[] = [
  "approved",
  "active",
  "change_announced",
  "closure_announced",
];

/** Where a listed person works now, relative to the account (a moved operator stays listed, marked). */
export type Placement = "here" | "elsewhere" | "inactive";

export type MemberView = accountsRepo.Member & { placement: Placement; divisionName: string | null };

export type CredentialsView = {
  account: accountsRepo.AccountView;
  holders: MemberView[];
  operators: MemberView[];
  maxHolders: number;
  /** 4.3.1 必要最小限: more holders than the pack allows. */
  overLimit: boolean;
  passwordChangedAt: Date | null;
  passwordChangedByName: string | null;
  mfaEnabled: boolean;
  securityPolicyRef: string;
  /** Open rotation tasks of this account (4.3.2), with whether each is overdue. */
  rotations: TaskItem[];
  /** 4.1.4: the recorded manager is not an active head of the division. */
  managerVacant: boolean;
  /** Whether the account's status allows changes here. */
  editable: boolean;
  /** Whether the actor may change them (the account manager). */
  canManage: boolean;
  /** People to choose from: the division's active staff, then the holders from elsewhere. */
  choices: Choice[];
};

/** A person offered in a select. */
export type Choice = { id: number; name: string; employeeNo: string };

async function members(
  ctx: AppContext,
  list: accountsRepo.Member[],
  divisionId: number,
): Promise<MemberView[]> {
  if (list.length === 0) return [];
  const names = new Map((await listDivisions(ctx.db)).map((d) => [d.id, d.name]));
  return list.map((m) => ({
    ...m,
    placement: !m.active ? "inactive" : m.divisionId === divisionId ? "here" : "elsewhere",
    divisionName: m.divisionId === null ? null : (names.get(m.divisionId) ?? null),
  }));
}

/** The credentials page of an account, for anyone who may see the account (the auditor included). */
export async function getCredentials(
  ctx: AppContext,
  props: { actor: Actor; accountId: number },
): Promise<CredentialsView> {
  const account = await getAccount(ctx, { actor: props.actor, id: props.accountId });
  const [holderRows, operatorRows, heads, staffHere, rotations] = await Promise.all([
    accountsRepo.listHolders(ctx.db, account.id),
    accountsRepo.listOperators(ctx.db, account.id),
    divisionHeads(ctx.db, account.divisionId),
    activeStaffOf(ctx.db, account.divisionId),
    listTaskViews(ctx.db, { status: "open", accountId: account.id, kinds: [ROTATION] }),
  ]);
  const [holders, operators] = await Promise.all([
    members(ctx, holderRows, account.divisionId),
    members(ctx, operatorRows, account.divisionId),
  ]);
  const changedBy = account.passwordChangedBy;
  const changedByName =
    changedBy === null ? null : ((await namesOf(ctx.db, [changedBy])).get(changedBy) ?? null);
  const maxHolders = guidelinePack().limits.maxCredentialHolders;
  const today = tokyoDate(ctx.clock.now());
  const here = new Set(staffHere.map((p) => p.id));
  const fromElsewhere = holderRows
    .filter((h) => h.active && !here.has(h.staffId))
    .map((h) => ({ id: h.staffId, name: h.name, employeeNo: h.employeeNo }));
  return {
    account,
    holders,
    operators,
    maxHolders,
    overLimit: holders.length > maxHolders,
    passwordChangedAt: account.passwordChangedAt,
    passwordChangedByName: changedByName,
    mfaEnabled: account.mfaEnabled,
    securityPolicyRef: account.securityPolicyRef,
    rotations: rotations.map((t) => ({
      ...t,
      overdue: isOverdue(t.dueDate, today),
      kindLabel: taskKindLabel(t.kind),
    })),
    managerVacant: account.managerId === null || !heads.some((h) => h.id === account.managerId),
    editable: editableStatuses.includes(account.status),
    canManage: allowed(props.actor, "account.manage", accountTarget(account)),
    choices: [...staffHere, ...fromElsewhere],
  };
}

/** Reads the account, checks the actor manages it, and that its status allows the change. */
async function managedAccount(ctx: AppContext, actor: Actor, accountId: number) {
  const account = await getAccount(ctx, { actor, id: accountId });
  await authorize(ctx, actor, "account.manage", accountTarget(account));
  return account;
}

async function lockEditable(tx: Parameters<typeof accountsRepo.lockAccount>[0], id: number) {
  const account = await accountsRepo.lockAccount(tx, id);
  if (!account) throw notFound("アカウント");
  if (!editableStatuses.includes(account.status)) {
    throw conflict(
      account.status === "closed"
        ? "廃止されたアカウントのID・パスワード管理は変更できません。"
        : "承認前のアカウントのID・パスワードを扱う職員は、申請書で指定してください（第4-3(1)）。",
    );
  }
  return account;
}

export const holderInput = z.object({
  staffId: optionalIdOf("追加する職員"),
  employeeNo: optionalText("職員番号", 20),
});

/**
 * Adds a credential holder (4.3.1): an active member of staff, chosen from the list or by
 * employee number. Going over the pack's limit is allowed but reported as a warning.
 */
export async function addHolder(ctx: AppContext, props: { actor: Actor; accountId: number; input: unknown }) {
  await managedAccount(ctx, props.actor, props.accountId);
  const input = parse(holderInput, props.input);
  const employeeNo = input.employeeNo.normalize("NFKC").trim();
  let person: Person | undefined;
  if (input.staffId !== null) person = await findPerson(ctx.db, input.staffId);
  else if (employeeNo) person = await findPersonByEmployeeNo(ctx.db, employeeNo);
  else
    throw validation("追加する職員を選ぶか、職員番号を入力してください。", [
      { field: "staffId", message: "追加する職員を選ぶか、職員番号を入力してください。" },
    ]);
  const field = input.staffId !== null ? "staffId" : "employeeNo";
  if (!person)
    throw validation("該当する職員が見つかりません。", [
      { field, message: "該当する職員が見つかりません。" },
    ]);
  if (!person.active)
    throw validation(`${person.name}さんは在職していないため、追加できません。`, [
      { field, message: "在職している職員を選んでください。" },
    ]);
  const who = person;
  const max = guidelinePack().limits.maxCredentialHolders;
  return change(ctx, props.actor, "credentials.holder_add", async (tx, at) => {
    const account = await lockEditable(tx, props.accountId);
    if (!(await insertHolder(tx, account.id, who.id, at)))
      throw conflict(`${who.name}さんはすでにID・パスワードを扱う職員です。`);
    const count = (await accountsRepo.listHolders(tx, account.id)).length;
    await accountsRepo.insertEvent(tx, {
      accountId: account.id,
      kind: "holder_added",
      actorId: actorId(props.actor),
      comment: who.name,
      snapshot: { staffId: who.id },
      at,
    });
    return {
      result: { person: who, count, overLimit: count > max, max },
      target: { type: "account", id: account.id },
      summary: { added: { staffId: who.id, name: who.name }, count, limit: max },
    };
  });
}

/**
 * Removes a credential holder (4.3.1) and opens the password-rotation task (4.3.2: 人事異動等,
 * anyone who no longer handles the login).
 */
export async function removeHolder(
  ctx: AppContext,
  props: { actor: Actor; accountId: number; staffId: number },
) {
  await managedAccount(ctx, props.actor, props.accountId);
  return change(ctx, props.actor, "credentials.holder_remove", async (tx, at) => {
    const account = await lockEditable(tx, props.accountId);
    const person = await findPerson(tx, props.staffId);
    if (!person || !(await deleteHolder(tx, account.id, person.id)))
      throw notFound("ID・パスワードを扱う職員");
    await accountsRepo.insertEvent(tx, {
      accountId: account.id,
      kind: "holder_removed",
      actorId: actorId(props.actor),
      comment: person.name,
      snapshot: { staffId: person.id },
      at,
    });
    const count = (await accountsRepo.listHolders(tx, account.id)).length;
    const rotationTask = await rotationAfterRemoval(tx, { account, removed: [person], at });
    return {
      result: { person, count, rotationTask },
      target: { type: "account", id: account.id },
      summary: { removed: { staffId: person.id, name: person.name }, count, rotationTask },
    };
  });
}

export const passwordChangeInput = z.object({
  changedAt: tokyoDateTime("変更した日時"),
  changedById: optionalIdOf("変更した職員"),
});

/**
 * Records that the password was changed on the platform (4.3.2): when, and by whom (the actor
 * when not given). Closes the open rotation tasks it satisfies.
 */
export async function recordPasswordChange(
  ctx: AppContext,
  props: { actor: Actor; accountId: number; input: unknown },
) {
  await managedAccount(ctx, props.actor, props.accountId);
  const input = parse(passwordChangeInput, props.input);
  const changedById = input.changedById ?? actorId(props.actor);
  if (changedById === null)
    throw validation("変更した職員を選んでください。", [
      { field: "changedById", message: "変更した職員を選んでください。" },
    ]);
  const pc = { changedAt: input.changedAt, changedById };
  const changedByName = await checkPasswordChange(ctx.db, pc, ctx.clock.now());
  return change(ctx, props.actor, "credentials.rotated", async (tx, at) => {
    const account = await lockEditable(tx, props.accountId);
    const closed = await applyPasswordChange(tx, {
      account,
      change: pc,
      changedByName,
      actorId: actorId(props.actor),
      at,
    });
    return {
      result: { closedTaskIds: closed },
      target: { type: "account", id: account.id },
      summary: {
        changedAt: pc.changedAt,
        changedBy: { staffId: changedById, name: changedByName },
        closedTasks: closed,
      },
    };
  });
}

export const securityInput = z.object({
  mfaEnabled: flag(),
  securityPolicyRef: optionalText("情報セキュリティポリシーの該当箇所", 500),
});

/** Two-factor on the platform and the pointer to the city's security policy (4.3.3). */
export async function updateSecurity(
  ctx: AppContext,
  props: { actor: Actor; accountId: number; input: unknown },
) {
  await managedAccount(ctx, props.actor, props.accountId);
  const input = parse(securityInput, props.input);
  return change(ctx, props.actor, "credentials.security_update", async (tx, at) => {
    const account = await lockEditable(tx, props.accountId);
    const updated = await accountsRepo.updateAccount(tx, account.id, input, at);
    return {
      result: updated,
      target: { type: "account", id: account.id },
      summary: diff({ mfaEnabled: account.mfaEnabled, securityPolicyRef: account.securityPolicyRef }, input),
    };
  });
}
