/**
 * Tasks (the `tasks` table): the /tasks board (mine, my division's accounts, recently done), one
 * task with its cause, and closing it with what the kind requires: a password rotation records
 * when and by whom the password was changed (4.3.2); a manager-change confirmation records that
 * each operator and credential holder was checked (4.1.4); other kinds take a note. Only the
 * assignee, the account manager or an admin may close a task.
 */
import { z } from "zod";
import * as accountsRepo from "../../db/repos/accounts.ts";
import {
  activeStaffOf,
  findTaskView,
  listTaskViews,
  namesOf,
  type TaskView,
} from "../../db/repos/credentials.ts";
import { listDivisions } from "../../db/repos/org.ts";
import { closeTask, lockTask } from "../../db/repos/tasks.ts";
import { formatDate, formatDateTime, tokyoDate } from "../../domain/dates.ts";
import type { Target } from "../../domain/policy.ts";
import { conflict, notFound, validation } from "../../errors.ts";
import { managedDivisionIds } from "../accounts/health.ts";
import { change } from "../audit/record.ts";
import { allowed, authorize } from "../authorize.ts";
import { type Actor, type AppContext, actorId, type StaffActor } from "../context.ts";
import type { Task } from "../feature.ts";
import { idOf, optionalIdOf, optionalText, parse } from "../validate.ts";
import { applyPasswordChange, checkPasswordChange } from "./password.ts";
import {
  causeOf,
  closedElsewhere,
  isOverdue,
  MANAGER_CONFIRM,
  ROTATION,
  rotationEarliest,
  taskKindLabel,
  tokyoDateTime,
} from "./rules.ts";

/** How many days of finished tasks the board shows. */
export const DONE_WINDOW_DAYS = 90;

export type TaskItem = TaskView & { overdue: boolean; kindLabel: string };

export type TaskBoard = {
  /** Open tasks assigned to me. */
  mine: TaskItem[];
  /** For an account manager: other open tasks of my divisions' accounts (unassigned included). */
  division: TaskItem[];
  /** Finished in the last 90 days, mine or my divisions'. */
  done: TaskItem[];
  managesDivisions: boolean;
};

function item(task: TaskView, today: string): TaskItem {
  return {
    ...task,
    overdue: task.status === "open" && isOverdue(task.dueDate, today),
    kindLabel: taskKindLabel(task.kind),
  };
}

/** Overdue first, then by due date (none last), then oldest first. */
function byUrgency(a: TaskItem, b: TaskItem): number {
  if (a.overdue !== b.overdue) return a.overdue ? -1 : 1;
  const due = (a.dueDate ?? "9999-12-31").localeCompare(b.dueDate ?? "9999-12-31");
  return due !== 0 ? due : a.id - b.id;
}

/** The /tasks board of a person. */
export async function taskBoard(ctx: AppContext, props: { actor: StaffActor }): Promise<TaskBoard> {
  const { actor } = props;
  const now = ctx.clock.now();
  const today = tokyoDate(now);
  const divisionIds = managedDivisionIds(actor);
  const since = new Date(now.getTime() - DONE_WINDOW_DAYS * 24 * 60 * 60 * 1000);
  const [mine, division, done] = await Promise.all([
    listTaskViews(ctx.db, { status: "open", assigneeId: actor.staffId }),
    divisionIds.length > 0 ? listTaskViews(ctx.db, { status: "open", divisionIds }) : Promise.resolve([]),
    listTaskViews(ctx.db, { status: "done", assigneeId: actor.staffId, divisionIds, doneSince: since }),
  ]);
  return {
    mine: mine.map((t) => item(t, today)).sort(byUrgency),
    division: division
      .filter((t) => t.assigneeId !== actor.staffId)
      .map((t) => item(t, today))
      .sort(byUrgency),
    done: done.map((t) => item(t, today)),
    managesDivisions: divisionIds.length > 0,
  };
}

/** The task provider for the dashboard's 「あなたのタスク」: every open task assigned to me. */
export async function openTasksOf(ctx: AppContext, actor: StaffActor): Promise<Task[]> {
  const today = tokyoDate(ctx.clock.now());
  const rows = await listTaskViews(ctx.db, { status: "open", assigneeId: actor.staffId });
  return rows.map((t) => ({
    kind: t.kind,
    title: t.accountName && !t.title.includes(t.accountName) ? `${t.title}（${t.accountName}）` : t.title,
    href: `/tasks/${t.id}`,
    due: t.dueDate,
    overdue: isOverdue(t.dueDate, today),
    ...(t.clause ? { clause: t.clause } : {}),
  }));
}

function taskTarget(task: TaskView): Target {
  return task.accountDivisionId === null
    ? {}
    : { divisionId: task.accountDivisionId, departmentId: task.accountDepartmentId };
}

function isAssignee(actor: Actor, task: TaskView): boolean {
  return actor.kind === "staff" && task.assigneeId === actor.staffId;
}

/** Whether the actor may close the task: its assignee, the account manager or an admin. */
export function mayClose(actor: Actor, task: TaskView): boolean {
  return isAssignee(actor, task) || allowed(actor, "task.close", taskTarget(task));
}

/** A person listed on the task page, with where they work now. */
export type ListedPerson = {
  staffId: number;
  name: string;
  employeeNo: string;
  active: boolean;
  /** Their division's name when it is not the account's (moved away), else null. */
  elsewhere: string | null;
};

export type TaskDetail = {
  task: TaskItem;
  /** The cause in words (「○○さんの人事異動（…）」). */
  causeText: string | null;
  /** What was recorded when it was closed, line by line. */
  resolutionLines: string[];
  canClose: boolean;
  /** Which closing form the page shows. */
  form: "rotation" | "confirm" | "generic" | "elsewhere" | "none";
  /** For `elsewhere`: what to do and where. */
  elsewhere: { text: string; href: string } | null;
  /** For `rotation`: people to choose as the one who changed it, and the earliest date allowed. */
  changers: Array<{ id: number; name: string; employeeNo: string }>;
  earliest: Date | null;
  /** For `confirm`: the current operators and credential holders. */
  operators: ListedPerson[];
  holders: ListedPerson[];
};

async function describeCause(ctx: AppContext, task: TaskView): Promise<string | null> {
  const cause = causeOf(task.cause);
  const divisions = new Map((await listDivisions(ctx.db)).map((d) => [d.id, d.name]));
  const names = await namesOf(
    ctx.db,
    [cause.staffId, cause.previousManagerId, task.assigneeId].filter(
      (v): v is number => typeof v === "number",
    ),
  );
  const person = cause.staffId === undefined ? undefined : names.get(cause.staffId);
  const date = cause.effectiveDate ? formatDate(cause.effectiveDate) : "";
  if (task.kind === MANAGER_CONFIRM && cause.removed) {
    const why =
      cause.reason === "transfer" && person ? `${person}さんの人事異動（発令日 ${date}）` : "一覧の変更";
    return `${why}により、運用に携わる職員・ID・パスワードを扱う職員の一覧が変わりました。新しい一覧を確認してください（第4-1(3)、第4-3(1)）。`;
  }
  if (task.kind === MANAGER_CONFIRM) {
    const before = cause.previousManagerId ? names.get(cause.previousManagerId) : undefined;
    const after = task.assigneeId === null ? undefined : names.get(task.assigneeId);
    const base = before ? `アカウント管理者が${before}さんから` : "アカウント管理者が";
    return `${base}${after ? `${after}さんに` : ""}交代しました（${person ? `${person}さんの人事異動` : "人事異動"}${date ? `、発令日 ${date}` : ""}）。`;
  }
  if (cause.reason === "transfer" && person) {
    const from = cause.fromDivisionId ? divisions.get(cause.fromDivisionId) : undefined;
    const to = cause.toDivisionId ? divisions.get(cause.toDivisionId) : undefined;
    const move = from || to ? `、${from ?? "（課なし）"} → ${to ?? "（課なし）"}` : "";
    return `${person}さんの人事異動（発令日 ${date}${move}）`;
  }
  if (cause.reason === "deactivation" && person) return `${person}さんの退職等による無効化（${date}）`;
  if (cause.reason === "removal" && person)
    return `${person}さんを運用に携わる職員・ID・パスワードを扱う職員の一覧から外しました（${date}、人事異動等: 第4-3(2)）`;
  return null;
}

const personList = z.array(z.object({ staffId: z.number(), name: z.string() }));

function resolutionLines(task: TaskView): string[] {
  const r = task.resolution;
  if (typeof r !== "object" || r === null) return [];
  const lines: string[] = [];
  const changedAt = "changedAt" in r && typeof r.changedAt === "string" ? new Date(r.changedAt) : null;
  const changedBy = "changedByName" in r && typeof r.changedByName === "string" ? r.changedByName : null;
  if (changedAt && !Number.isNaN(changedAt.getTime()))
    lines.push(
      `パスワードを変更した日時: ${formatDateTime(changedAt)}${changedBy ? `（${changedBy}さん）` : ""}`,
    );
  const operators = personList.safeParse("operators" in r ? r.operators : undefined);
  if (operators.success)
    lines.push(`確認した運用に携わる職員: ${operators.data.map((p) => p.name).join("、") || "なし"}`);
  const holders = personList.safeParse("holders" in r ? r.holders : undefined);
  if (holders.success)
    lines.push(`確認したID・パスワードを扱う職員: ${holders.data.map((p) => p.name).join("、") || "なし"}`);
  if ("note" in r && typeof r.note === "string" && r.note) lines.push(`メモ: ${r.note}`);
  return lines;
}

async function listed(
  ctx: AppContext,
  members: accountsRepo.Member[],
  divisionId: number | null,
): Promise<ListedPerson[]> {
  const names = new Map((await listDivisions(ctx.db)).map((d) => [d.id, d.name]));
  return members.map((m) => ({
    staffId: m.staffId,
    name: m.name,
    employeeNo: m.employeeNo,
    active: m.active,
    elsewhere:
      m.divisionId !== divisionId
        ? m.divisionId === null
          ? "課なし"
          : (names.get(m.divisionId) ?? "他の課")
        : null,
  }));
}

/** Loads a task the actor may see: its assignee, the account manager, or an overseer. */
async function visibleTask(ctx: AppContext, actor: Actor, id: number): Promise<TaskView> {
  const task = await findTaskView(ctx.db, id);
  if (!task) throw notFound("タスク");
  if (!isAssignee(actor, task)) await authorize(ctx, actor, "task.read", taskTarget(task));
  return task;
}

/** One task with its cause, what was recorded, and the closing form it needs. */
export async function getTask(ctx: AppContext, props: { actor: Actor; id: number }): Promise<TaskDetail> {
  const task = await visibleTask(ctx, props.actor, props.id);
  const today = tokyoDate(ctx.clock.now());
  const open = task.status === "open";
  const canClose = open && mayClose(props.actor, task);
  const elsewhere = closedElsewhere[task.kind];
  const form: TaskDetail["form"] = !canClose
    ? "none"
    : elsewhere
      ? "elsewhere"
      : task.kind === ROTATION && task.accountId !== null
        ? "rotation"
        : task.kind === MANAGER_CONFIRM && task.accountId !== null
          ? "confirm"
          : "generic";
  const accountId = task.accountId;
  const [operators, holders] =
    accountId === null
      ? [[], []]
      : await Promise.all([
          accountsRepo.listOperators(ctx.db, accountId),
          accountsRepo.listHolders(ctx.db, accountId),
        ]);
  let changers: TaskDetail["changers"] = [];
  if (form === "rotation" && task.accountDivisionId !== null) {
    const here = await activeStaffOf(ctx.db, task.accountDivisionId);
    const byId = new Map<number, { id: number; name: string; employeeNo: string }>();
    for (const h of holders)
      if (h.active) byId.set(h.staffId, { id: h.staffId, name: h.name, employeeNo: h.employeeNo });
    for (const p of here)
      if (!byId.has(p.id)) byId.set(p.id, { id: p.id, name: p.name, employeeNo: p.employeeNo });
    changers = [...byId.values()];
  }
  return {
    task: item(task, today),
    causeText: await describeCause(ctx, task),
    resolutionLines: resolutionLines(task),
    canClose,
    form,
    elsewhere:
      elsewhere && accountId !== null
        ? { text: elsewhere.text, href: elsewhere.path(accountId, task.cause) }
        : null,
    changers,
    earliest: task.kind === ROTATION ? rotationEarliest(task) : null,
    operators: await listed(ctx, operators, task.accountDivisionId),
    holders: await listed(ctx, holders, task.accountDivisionId),
  };
}

export const rotationCloseInput = z.object({
  changedAt: tokyoDateTime("パスワードを変更した日時"),
  changedById: optionalIdOf("変更した職員"),
  note: optionalText("メモ", 500),
});

/** A list of ids from a form (one value or several) or JSON. */
const idList = (label: string) =>
  z.preprocess(
    (v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]),
    z.array(idOf(label)).max(200),
  );

export const confirmCloseInput = z.object({
  operatorIds: idList("運用に携わる職員"),
  holderIds: idList("ID・パスワードを扱う職員"),
  note: optionalText("メモ", 500),
});

export const genericCloseInput = z.object({ note: optionalText("メモ", 1000) });

/** Loads and checks an open task the actor may close. */
async function closableTask(ctx: AppContext, actor: Actor, id: number): Promise<TaskView> {
  const task = await visibleTask(ctx, actor, id);
  if (!isAssignee(actor, task)) await authorize(ctx, actor, "task.close", taskTarget(task));
  if (task.status !== "open") throw conflict("このタスクはすでに完了しています。");
  const elsewhere = closedElsewhere[task.kind];
  if (elsewhere) throw conflict(elsewhere.text);
  return task;
}

/** Re-reads the task under lock; another person may have closed it meanwhile. */
async function lockOpen(tx: Parameters<typeof lockTask>[0], id: number) {
  const row = await lockTask(tx, id);
  if (!row) throw notFound("タスク");
  if (row.status !== "open") throw conflict("このタスクはすでに完了しています。");
  return row;
}

async function closeRotation(ctx: AppContext, actor: Actor, task: TaskView, input: unknown) {
  const values = parse(rotationCloseInput, input);
  const changedById = values.changedById ?? actorId(actor);
  if (changedById === null)
    throw validation("変更した職員を選んでください。", [
      { field: "changedById", message: "変更した職員を選んでください。" },
    ]);
  const earliest = rotationEarliest(task);
  if (values.changedAt.getTime() < earliest.getTime()) {
    const message = `${formatDate(tokyoDate(earliest))}より前の変更では、このタスクを完了できません。異動の後にパスワードを変更してください（第4-3(2)）。`;
    throw validation(message, [{ field: "changedAt", message }]);
  }
  const pc = { changedAt: values.changedAt, changedById };
  const changedByName = await checkPasswordChange(ctx.db, pc, ctx.clock.now());
  return change(ctx, actor, "task.close", async (tx, at) => {
    await lockOpen(tx, task.id);
    const account = task.accountId === null ? undefined : await accountsRepo.lockAccount(tx, task.accountId);
    if (!account) throw notFound("アカウント");
    const closed = await applyPasswordChange(tx, {
      account,
      change: pc,
      changedByName,
      actorId: actorId(actor),
      at,
      note: values.note,
    });
    return {
      result: { closedTaskIds: closed },
      target: { type: "task", id: task.id },
      summary: {
        kind: task.kind,
        account: account.id,
        changedAt: pc.changedAt,
        changedBy: { staffId: changedById, name: changedByName },
        alsoClosed: closed.filter((id) => id !== task.id),
      },
    };
  });
}

async function closeConfirmation(ctx: AppContext, actor: Actor, task: TaskView, input: unknown) {
  const values = parse(confirmCloseInput, input);
  return change(ctx, actor, "task.close", async (tx, at) => {
    await lockOpen(tx, task.id);
    if (task.accountId === null) throw notFound("アカウント");
    // One after the other: a transaction's client runs one query at a time.
    const operators = await accountsRepo.listOperators(tx, task.accountId);
    const holders = await accountsRepo.listHolders(tx, task.accountId);
    const stale = [...operators, ...holders].find((m) => !m.active);
    if (stale)
      throw conflict(
        `在職していない${stale.name}さんが一覧に残っています。先に一覧から外してから確認してください（第4-1(3)、第4-3(1)）。`,
      );
    const known = (list: accountsRepo.Member[], ids: number[]) =>
      ids.every((id) => list.some((m) => m.staffId === id));
    if (!known(operators, values.operatorIds) || !known(holders, values.holderIds))
      throw conflict("一覧が変更されています。画面を再読み込みしてから、もう一度確認してください。");
    const names = (list: accountsRepo.Member[], ids: number[]) =>
      list
        .filter((m) => !ids.includes(m.staffId))
        .map((m) => `${m.name}さん`)
        .join("、");
    const fields = [
      { field: "operatorIds", message: names(operators, values.operatorIds), label: "運用に携わる職員" },
      { field: "holderIds", message: names(holders, values.holderIds), label: "ID・パスワードを扱う職員" },
    ]
      .filter((f) => f.message !== "")
      .map((f) => ({ field: f.field, message: `${f.label}のうち、${f.message}が未確認です。` }));
    if (fields.length > 0)
      throw validation(
        "確認していない職員がいます。全員を確認してからチェックを入れてください（第4-1(3)、第4-3(1)）。",
        fields,
      );
    const resolution = {
      operators: operators.map((m) => ({ staffId: m.staffId, name: m.name })),
      holders: holders.map((m) => ({ staffId: m.staffId, name: m.name })),
      ...(values.note ? { note: values.note } : {}),
    };
    await closeTask(tx, task.id, { status: "done", doneBy: actorId(actor), doneAt: at, resolution });
    await accountsRepo.insertEvent(tx, {
      accountId: task.accountId,
      kind: "members_confirmed",
      actorId: actorId(actor),
      comment: `運用に携わる職員とID・パスワードを扱う職員を確認しました（${task.clause === "4.1.3" ? "第4-1(3)" : "第4-1(4)"}）`,
      snapshot: resolution,
      at,
    });
    return {
      result: { closedTaskIds: [task.id] },
      target: { type: "task", id: task.id },
      summary: { kind: task.kind, account: task.accountId, ...resolution },
    };
  });
}

async function closeGeneric(ctx: AppContext, actor: Actor, task: TaskView, input: unknown) {
  const values = parse(genericCloseInput, input);
  return change(ctx, actor, "task.close", async (tx, at) => {
    await lockOpen(tx, task.id);
    const resolution = values.note ? { note: values.note } : {};
    await closeTask(tx, task.id, { status: "done", doneBy: actorId(actor), doneAt: at, resolution });
    return {
      result: { closedTaskIds: [task.id] },
      target: { type: "task", id: task.id },
      summary: { kind: task.kind, account: task.accountId, ...resolution },
    };
  });
}

/**
 * Closes a task with what its kind requires (see the module comment). Returns the ids of every
 * task closed (a password change can satisfy several rotation tasks of the same account).
 */
export async function completeTask(
  ctx: AppContext,
  props: { actor: Actor; id: number; input: unknown },
): Promise<{ closedTaskIds: number[] }> {
  const task = await closableTask(ctx, props.actor, props.id);
  if (task.kind === ROTATION && task.accountId !== null)
    return closeRotation(ctx, props.actor, task, props.input);
  if (task.kind === MANAGER_CONFIRM && task.accountId !== null)
    return closeConfirmation(ctx, props.actor, task, props.input);
  return closeGeneric(ctx, props.actor, task, props.input);
}
