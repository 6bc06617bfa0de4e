/**
 * Recording that an account's password was changed on the platform (4.3.2): the account keeps
 * when and by whom, and every open rotation task the change satisfies is closed with it. Shared
 * by the credentials page and by closing a rotation task. The password itself is never stored.
 */
import type { Db } from "../../db/client.ts";
import * as accountsRepo from "../../db/repos/accounts.ts";
import { findPerson } from "../../db/repos/credentials.ts";
import { closeTask, listTasks } from "../../db/repos/tasks.ts";
import { formatDateTime } from "../../domain/dates.ts";
import { validation } from "../../errors.ts";
import { ROTATION, rotationEarliest } from "./rules.ts";

export type PasswordChange = { changedAt: Date; changedById: number };

/**
 * Checks a reported change before any transaction: not in the future, by an active person.
 * @throws AppError("validation") with a message on the offending field
 */
export async function checkPasswordChange(db: Db, change: PasswordChange, now: Date): Promise<string> {
  if (change.changedAt.getTime() > now.getTime()) {
    throw validation("変更した日時に未来の日時は入力できません。", [
      { field: "changedAt", message: "変更した日時に未来の日時は入力できません。" },
    ]);
  }
  const person = await findPerson(db, change.changedById);
  if (!person?.active) {
    throw validation("変更した職員には在職している職員を選んでください。", [
      { field: "changedById", message: "変更した職員を選び直してください。" },
    ]);
  }
  return person.name;
}

/**
 * Records the change in `tx`: moves the account's 「最終変更」 forward (never back), adds an
 * account event, and closes the open rotation tasks this change satisfies (those whose transfer
 * took effect on or before the change). Returns the ids of the tasks closed.
 */
export async function applyPasswordChange(
  tx: Db,
  props: {
    account: accountsRepo.Account;
    change: PasswordChange;
    changedByName: string;
    actorId: number | null;
    at: Date;
    note?: string;
  },
): Promise<number[]> {
  const { account, change, at } = props;
  const last = account.passwordChangedAt;
  if (!last || change.changedAt.getTime() >= last.getTime()) {
    await accountsRepo.updateAccount(
      tx,
      account.id,
      { passwordChangedAt: change.changedAt, passwordChangedBy: change.changedById },
      at,
    );
  }
  await accountsRepo.insertEvent(tx, {
    accountId: account.id,
    kind: "password_changed",
    actorId: props.actorId,
    comment: `${formatDateTime(change.changedAt)} ${props.changedByName}さんが変更`,
    snapshot: { changedAt: change.changedAt.toISOString(), changedById: change.changedById },
    at,
  });
  const open = await listTasks(tx, { accountId: account.id, kinds: [ROTATION], status: "open" });
  const satisfied = open.filter((t) => rotationEarliest(t).getTime() <= change.changedAt.getTime());
  for (const task of satisfied) {
    await closeTask(tx, task.id, {
      status: "done",
      doneBy: props.actorId,
      doneAt: at,
      resolution: {
        changedAt: change.changedAt.toISOString(),
        changedById: change.changedById,
        changedByName: props.changedByName,
        ...(props.note ? { note: props.note } : {}),
      },
    });
  }
  return satisfied.map((t) => t.id);
}
