/**
 * What follows a 人事異動 or a deactivation (退職等, handled as a transfer out of every division on
 * the day), inside the transaction that applies it:
 * - 4.3.2 (and 3): on the effective date the person leaves the operator and credential-holder
 *   lists of accounts outside their new division, and their deputy namings (5.1.4) for other
 *   divisions end; the account manager confirms the new list in the confirmation task.
 * - 4.1.4: the account-manager role follows the 課長's position. When the head of a division
 *   leaves it, the division's accounts they managed pass to the division's new head (or are
 *   flagged when there is none yet); when someone becomes the head of a division, its accounts
 *   pass to them. The new manager gets a task to confirm the operators and credential holders.
 * - 4.3.2: on every account (not closed) where the person was an operator or credential holder,
 *   a password-rotation task opens at once, due a configurable number of business days later.
 * Each account changed gets its own audit entry. Rows are removed before any audit entry is
 * written: a submission holding its operator row (posts/submit.ts) waits for nothing the
 * transfer holds, so the two never deadlock — the submission completes first, or is refused.
 */
import type { Db } from "../../db/client.ts";
import * as accountsRepo from "../../db/repos/accounts.ts";
import {
  divisionHeads,
  findPerson,
  type Person,
  reassignOpenTasks,
  revokeDeputiesOutside,
} from "../../db/repos/credentials.ts";
import { findPosition } from "../../db/repos/org.ts";
import { findOpenTask, openTask } from "../../db/repos/tasks.ts";
import { tokyoDate } from "../../domain/dates.ts";
import { guidelinePack } from "../../guideline/pack.ts";
import { record } from "../audit/record.ts";
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
      title: `アカウント管理者の交代に伴う運用に携わる職員・ID管理者の確認（${account.name}）`,
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

type Touched = { account: accountsRepo.Account; operator: boolean; holder: boolean };

/** The account's manager when they still head its division (4.1.4), else null (管理者不在). */
async function managerIfHead(tx: Db, account: accountsRepo.Account): Promise<number | null> {
  if (account.managerId === null) return null;
  const heads = await divisionHeads(tx, account.divisionId);
  return heads.some((p) => p.id === account.managerId) ? account.managerId : null;
}

/**
 * 4.3.2: a rotation task on every account the person could log in to or post for. Assigned to
 * the account's manager when they still head its division; otherwise left unassigned until the
 * next head takes over (the dashboard shows it as 管理者不在 meanwhile).
 */
export async function openRotationTasks(
  tx: Db,
  props: { touched: Touched[]; base: string; title: string; cause: TaskCause; meta: Meta },
): Promise<void> {
  const dueDate = dueAfter(props.base, guidelinePack().deadlines.rotationDueDays);
  for (const { account: seen, operator, holder } of props.touched) {
    // The manager may have changed in this transaction (4.1.4): read the account again.
    const account = (await accountsRepo.findAccount(tx, seen.id)) ?? seen;
    const assigneeId = await managerIfHead(tx, account);
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

/** What the transfer or deactivation took away, to be recorded once every row it needed is held. */
type Removal = { account: accountsRepo.Account; operator: boolean; holder: boolean };

/**
 * 4.3.2, 3: takes the person off the lists of accounts outside `divisionId` (null: every account)
 * and ends their deputy namings for other divisions. Only deletes and updates rows; the audit
 * entries come afterwards (see the module comment).
 */
async function removeOutside(
  tx: Db,
  props: { person: Person; touched: Touched[]; divisionId: number | null; today: string; at: Date },
) {
  const removals: Removal[] = [];
  for (const { account } of props.touched) {
    if (props.divisionId !== null && account.divisionId === props.divisionId) continue;
    const removed = await accountsRepo.removeMember(tx, account.id, props.person.id);
    if (removed.operator || removed.holder) removals.push({ account, ...removed });
  }
  const deputies = await revokeDeputiesOutside(tx, {
    staffId: props.person.id,
    keepDivisionId: props.divisionId,
    today: props.today,
    at: props.at,
  });
  return { removals, deputies };
}

/** What took the person off the lists, in the words of the account's history and tasks. */
function causeWords(cause: TaskCause): string {
  return cause.reason === "deactivation" ? "退職等" : "人事異動";
}

/** Lists of roles in words for the account's history. */
function listNames(r: { operator: boolean; holder: boolean }): string {
  return [r.operator ? "運用に携わる職員" : null, r.holder ? "ID・パスワードを扱う職員" : null]
    .filter((x) => x !== null)
    .join("・");
}

/**
 * 4.1.3, 4.3.1: the account manager confirms the operators and holders after a change to the
 * lists (one open confirmation task per account; an open one is reused).
 */
export async function openConfirmTask(
  tx: Db,
  props: { account: accountsRepo.Account; title: string; clause: string; cause: TaskCause; meta: Meta },
): Promise<number> {
  const existing = await findOpenTask(tx, MANAGER_CONFIRM, props.account.id);
  if (existing) return existing.id;
  const task = await openTask(tx, {
    kind: MANAGER_CONFIRM,
    accountId: props.account.id,
    assigneeId: await managerIfHead(tx, props.account),
    title: props.title,
    clause: props.clause,
    dueDate: dueAfter(tokyoDate(props.meta.at), guidelinePack().deadlines.managerChangeConfirmDays),
    cause: props.cause,
    openedAt: props.meta.at,
  });
  return task.id;
}

async function recordRemovals(
  tx: Db,
  props: { person: Person; removals: Removal[]; cause: TaskCause; meta: Meta },
): Promise<void> {
  const { person, meta } = props;
  for (const removal of props.removals) {
    const account = (await accountsRepo.findAccount(tx, removal.account.id)) ?? removal.account;
    await accountsRepo.insertEvent(tx, {
      accountId: account.id,
      kind: "members_removed",
      actorId: actorId(meta.actor),
      comment: `${causeWords(props.cause)}により${person.name}さんを${listNames(removal)}から外しました（第4-3(2)）`,
      snapshot: { staffId: person.id, operator: removal.operator, holder: removal.holder },
      at: meta.at,
    });
    const confirmTask = await openConfirmTask(tx, {
      account,
      title: `${causeWords(props.cause)}に伴う運用に携わる職員・ID管理者の確認（${account.name}）`,
      clause: "4.1.3",
      cause: { ...props.cause, removed: true },
      meta,
    });
    await record(tx, {
      actor: meta.actor,
      at: meta.at,
      action: "account.members_remove",
      target: { type: "account", id: account.id },
      summary: {
        removed: { staffId: person.id, name: person.name },
        operator: removal.operator,
        holder: removal.holder,
        confirmTask,
        ...props.cause,
      },
    });
  }
}

async function recordDeputiesEnded(
  tx: Db,
  props: {
    person: Person;
    deputies: Array<{ id: number; divisionId: number; fromDate: string; toDate: string }>;
    cause: TaskCause;
    meta: Meta;
  },
): Promise<void> {
  for (const d of props.deputies) {
    await record(tx, {
      actor: props.meta.actor,
      at: props.meta.at,
      action: "post.deputy_revoke",
      target: { type: "division", id: d.divisionId },
      summary: {
        deputyRecordId: d.id,
        deputyId: props.person.id,
        fromDate: d.fromDate,
        toDate: d.toDate,
        reason: `${props.cause.reason ?? "transfer"} (4.3.2)`,
        ...props.cause,
      },
    });
  }
}

/** Reaction to `staff.transferred` (4.1.3, 4.1.4, 4.3.2). */
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
  // First the rows (see the module comment), then everything that writes the audit log.
  const touched = await accountsRepo.accountsTouching(tx, person.id);
  const { removals, deputies } = await removeOutside(tx, {
    person,
    touched,
    divisionId: to,
    today: event.effectiveDate,
    at: meta.at,
  });
  const wasHead = from !== null && (await headsDivision(event.from.positionId, tx));
  const isHead = to !== null && (await headsDivision(event.to.positionId, tx));
  if (wasHead && from !== null && !(isHead && to === from))
    await handOver(tx, { divisionId: from, leaving: person, cause, meta });
  if (isHead && to !== null && !(wasHead && to === from))
    await takeOver(tx, { divisionId: to, head: person, cause, meta });
  await openRotationTasks(tx, {
    touched,
    base: event.effectiveDate,
    title: `人事異動に伴うパスワード変更（${person.name}さん）`,
    cause,
    meta,
  });
  await recordRemovals(tx, { person, removals, cause, meta });
  await recordDeputiesEnded(tx, { person, deputies, cause, meta });
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
  // First the rows (see the module comment): off every list, deputy namings ended.
  const touched = await accountsRepo.accountsTouching(tx, person.id);
  const { removals, deputies } = await removeOutside(tx, {
    person,
    touched,
    divisionId: null,
    today,
    at: meta.at,
  });
  if (person.divisionId !== null && (await headsDivision(person.positionId, tx)))
    await handOver(tx, { divisionId: person.divisionId, leaving: person, cause, meta });
  await openRotationTasks(tx, {
    touched,
    base: today,
    title: `職員の退職等に伴うパスワード変更（${person.name}さん）`,
    cause,
    meta,
  });
  await recordRemovals(tx, { person, removals, cause, meta });
  await recordDeputiesEnded(tx, { person, deputies, cause, meta });
}
