/**
 * What follows a 人事異動 or a deactivation, inside the transaction that applies it:
 * - 4.1.4: the account-manager role follows the 課長's position. When the head of a division
 *   leaves it, the division's accounts they managed pass to the division's new head (or are
 *   flagged when there is none yet); when someone becomes the head of a division, its accounts
 *   pass to them. The new manager gets a task to confirm the operators and credential holders.
 * - 4.3.2: on every account (not closed) where the person is an operator or credential holder, a
 *   password-rotation task opens at once, due a configurable number of days later.
 * Each account changed gets its own audit entry.
 */
import type { Db } from "../../db/client.ts";
import * as accountsRepo from "../../db/repos/accounts.ts";
import { divisionHeads, findPerson, type Person, reassignOpenTasks } from "../../db/repos/credentials.ts";
import { findPosition } from "../../db/repos/org.ts";
import { findOpenTask, openTask } from "../../db/repos/tasks.ts";
import { tokyoDate } from "../../domain/dates.ts";
import { guidelinePack } from "../../guideline/pack.ts";
import { record } from "../audit.ts";
import { type Actor, actorId } from "../context.ts";
import type { StaffDeactivated, StaffTransferred } from "../events.ts";
import { dueAfter, MANAGER_CONFIRM, ROTATION, type TaskCause } from "./rules.ts";

type Meta = { actor: Actor; at: Date };

/** Kinds this feature hands to a new manager when nobody was assigned. */
const ownKinds = [ROTATION, MANAGER_CONFIRM];

/** Makes `manager` the account manager of `account` (4.1.4) and opens the confirmation task. */
async function assignManager(
  tx: Db,
  props: { account: accountsRepo.Account; manager: Person; cause: TaskCause; meta: Meta },
): Promise<void> {
  const { account, manager, meta } = props;
  const previous = account.managerId;
  const previousName = previous === null ? null : ((await findPerson(tx, previous))?.name ?? null);
  await accountsRepo.updateAccount(tx, account.id, { managerId: manager.id }, meta.at);
  await accountsRepo.insertEvent(tx, {
    accountId: account.id,
    kind: "manager_changed",
    actorId: actorId(meta.actor),
    comment: previousName
      ? `人事異動により${previousName}さんから${manager.name}さんへ交代（第4-1(4)）`
      : `人事異動により${manager.name}さんが就任（第4-1(4)）`,
    snapshot: { before: previous, after: manager.id },
    at: meta.at,
  });
  const moved = await reassignOpenTasks(tx, {
    accountId: account.id,
    from: previous,
    to: manager.id,
    unassignedKinds: ownKinds,
  });
  const existing = await findOpenTask(tx, MANAGER_CONFIRM, account.id);
  const task =
    existing ??
    (await openTask(tx, {
      kind: MANAGER_CONFIRM,
      accountId: account.id,
      assigneeId: manager.id,
      title: `アカウント管理者の交代に伴う運用職員・ID管理者の確認（${account.name}）`,
      clause: "4.1.4",
      dueDate: dueAfter(tokyoDate(meta.at), guidelinePack().deadlines.managerChangeConfirmDays),
      cause: { ...props.cause, previousManagerId: previous },
      openedAt: meta.at,
    }));
  await record(tx, {
    actor: meta.actor,
    at: meta.at,
    action: "account.manager_change",
    target: { type: "account", id: account.id },
    summary: {
      manager: { before: previous, after: manager.id, name: manager.name },
      confirmTask: task.id,
      tasksHandedOver: moved,
      ...props.cause,
    },
  });
}

/** 4.1.4: the manager left and nobody heads the division yet; the account is flagged. */
async function flagVacant(
  tx: Db,
  props: { account: accountsRepo.Account; leaving: Person; cause: TaskCause; meta: Meta },
): Promise<void> {
  const { account, leaving, meta } = props;
  await accountsRepo.insertEvent(tx, {
    accountId: account.id,
    kind: "manager_vacant",
    actorId: actorId(meta.actor),
    comment: `${leaving.name}さんが課長でなくなり、後任の課長がいません（第4-1(4)）`,
    snapshot: { before: leaving.id },
    at: meta.at,
  });
  await record(tx, {
    actor: meta.actor,
    at: meta.at,
    action: "account.manager_vacant",
    target: { type: "account", id: account.id },
    summary: { manager: { before: leaving.id, name: leaving.name }, ...props.cause },
  });
}

/** The head of `divisionId` left it: their accounts pass to the division's new head, if any. */
async function handOver(
  tx: Db,
  props: { divisionId: number; leaving: Person; cause: TaskCause; meta: Meta },
): Promise<void> {
  const accounts = (await accountsRepo.accountsOfDivision(tx, props.divisionId)).filter(
    (a) => a.managerId === props.leaving.id,
  );
  if (accounts.length === 0) return;
  const [successor] = (await divisionHeads(tx, props.divisionId)).filter((p) => p.id !== props.leaving.id);
  for (const account of accounts) {
    if (successor)
      await assignManager(tx, { account, manager: successor, cause: props.cause, meta: props.meta });
    else await flagVacant(tx, { account, leaving: props.leaving, cause: props.cause, meta: props.meta });
  }
}

/** Someone became the head of `divisionId`: the division's accounts pass to them. */
async function takeOver(
  tx: Db,
  props: { divisionId: number; head: Person; cause: TaskCause; meta: Meta },
): Promise<void> {
  const accounts = (await accountsRepo.accountsOfDivision(tx, props.divisionId)).filter(
    (a) => a.managerId !== props.head.id,
  );
  for (const account of accounts) {
    await assignManager(tx, { account, manager: props.head, cause: props.cause, meta: props.meta });
  }
}

/**
 * 4.3.2: a rotation task on every account the person could log in to or post for. Assigned to
 * the account's manager when they still head its division; otherwise left unassigned until the
 * next head takes over (the dashboard shows it as 管理者不在 meanwhile).
 */
async function openRotationTasks(
  tx: Db,
  props: { person: Person; base: string; title: string; cause: TaskCause; meta: Meta },
): Promise<void> {
  const touched = await accountsRepo.accountsTouching(tx, props.person.id);
  const dueDate = dueAfter(props.base, guidelinePack().deadlines.rotationDueDays);
  const headsByDivision = new Map<number, Set<number>>();
  for (const { account, operator, holder } of touched) {
    let heads = headsByDivision.get(account.divisionId);
    if (!heads) {
      heads = new Set((await divisionHeads(tx, account.divisionId)).map((p) => p.id));
      headsByDivision.set(account.divisionId, heads);
    }
    const assigneeId = account.managerId !== null && heads.has(account.managerId) ? account.managerId : null;
    const task = await openTask(tx, {
      kind: ROTATION,
      accountId: account.id,
      assigneeId,
      title: props.title,
      clause: "4.3.2",
      dueDate,
      cause: props.cause,
      openedAt: props.meta.at,
    });
    await record(tx, {
      actor: props.meta.actor,
      at: props.meta.at,
      action: "task.open",
      target: { type: "account", id: account.id },
      summary: {
        task: task.id,
        kind: ROTATION,
        title: props.title,
        dueDate,
        assigneeId,
        roles: [operator ? "operator" : null, holder ? "holder" : null].filter((r) => r !== null),
        ...props.cause,
      },
    });
  }
}

async function headsDivision(positionId: number | null, tx: Db): Promise<boolean> {
  if (positionId === null) return false;
  return (await findPosition(tx, positionId))?.headOf === "division";
}

/** Reaction to `staff.transferred` (4.1.4, 4.3.2). */
export async function onTransferred(tx: Db, event: StaffTransferred, meta: Meta): Promise<void> {
  const person = await findPerson(tx, event.staffId);
  if (!person) return;
  const cause: TaskCause = {
    reason: "transfer",
    transferId: event.transferId,
    staffId: event.staffId,
    effectiveDate: event.effectiveDate,
    fromDivisionId: event.from.divisionId,
    toDivisionId: event.to.divisionId,
  };
  const from = event.from.divisionId;
  const to = event.to.divisionId;
  const wasHead = from !== null && (await headsDivision(event.from.positionId, tx));
  const isHead = to !== null && (await headsDivision(event.to.positionId, tx));
  if (wasHead && from !== null && !(isHead && to === from))
    await handOver(tx, { divisionId: from, leaving: person, cause, meta });
  if (isHead && to !== null && !(wasHead && to === from))
    await takeOver(tx, { divisionId: to, head: person, cause, meta });
  await openRotationTasks(tx, {
    person,
    base: event.effectiveDate,
    title: `人事異動に伴うパスワード変更（${person.name}さん）`,
    cause,
    meta,
  });
}

/** Reaction to `staff.deactivated` (退職等): as a transfer out, dated today. */
export async function onDeactivated(tx: Db, event: StaffDeactivated, meta: Meta): Promise<void> {
  const person = await findPerson(tx, event.staffId);
  if (!person) return;
  const today = tokyoDate(meta.at);
  const cause: TaskCause = {
    reason: "deactivation",
    staffId: event.staffId,
    effectiveDate: today,
    fromDivisionId: person.divisionId,
  };
  if (person.divisionId !== null && (await headsDivision(person.positionId, tx)))
    await handOver(tx, { divisionId: person.divisionId, leaving: person, cause, meta });
  await openRotationTasks(tx, {
    person,
    base: today,
    title: `職員の退職等に伴うパスワード変更（${person.name}さん）`,
    cause,
    meta,
  });
}
